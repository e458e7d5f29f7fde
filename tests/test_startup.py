"""Start-up (issue 19): ``loyaltysem --help`` imports no numerical library, and ``loyaltysem fit``
does not import scipy.stats or scipy.optimize; the scipy.special replacements on the fit path
equal scipy.stats to the last bit."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import optimize, stats

from loyaltysem import _dist

MODULES = "import sys; print(' '.join(sorted(sys.modules)))"


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\n{MODULES}"], capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_help_imports_no_numerical_library():
    mods = _modules_after(
        "import contextlib, io\nfrom loyaltysem.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert not {"numpy", "pandas", "scipy"} & mods


def test_fit_imports_neither_scipy_stats_nor_optimize(tmp_path, example_frame):
    data = tmp_path / "cfa.csv"
    example_frame[["SAT1", "SAT2", "SAT3", "TRU1", "TRU2", "TRU3"]].dropna().to_csv(
        data, index=False
    )
    model = tmp_path / "cfa.lav"
    model.write_text("SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3\n", encoding="utf-8")
    mods = _modules_after(
        "import contextlib, io\nfrom loyaltysem.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['fit', {str(data)!r}, '--model', {str(model)!r}]) == 0"
    )
    assert "loyaltysem.semcore.fitmeasures" in mods  # the fit measures were computed
    assert "scipy.stats" not in mods and "scipy.optimize" not in mods


def test_distributions_equal_scipy_stats_bit_for_bit():
    rng = np.random.default_rng(0)
    x, df = rng.uniform(0, 300, 300), rng.uniform(1, 200, 300)
    nc, z, q = rng.uniform(0.1, 150, 300), rng.standard_normal(300) * 5, rng.uniform(0, 1, 300)
    np.testing.assert_array_equal(_dist.norm_sf(z), stats.norm.sf(z))
    np.testing.assert_array_equal(_dist.norm_ppf(q), stats.norm.ppf(q))
    np.testing.assert_array_equal(_dist.chi2_sf(x, df), stats.chi2.sf(x, df))
    np.testing.assert_array_equal(_dist.chi2_cdf(x, df), stats.chi2.cdf(x, df))
    np.testing.assert_array_equal(_dist.chi2_ppf(q, df), stats.chi2.ppf(q, df))
    for a, b, c in zip(x[:60], df[:60], nc[:60], strict=True):
        assert _dist.ncx2_cdf(a, b, c) == stats.ncx2.cdf(a, b, c)
        assert _dist.ncx2_sf(a, b, c) == stats.ncx2.sf(a, b, c)
    assert _dist.ncx2_sf(10.0, 5.0, 0) == stats.chi2.sf(10.0, 5.0)


@pytest.mark.parametrize(("chisq", "df", "prob"), [(85.3, 24, 0.95), (300, 100, 0.05), (9, 3, 0.5)])
def test_bisection_root_equals_brentq(chisq, df, prob):
    def f(lam):
        return (
            stats.ncx2.cdf(chisq, df, lam) - prob if lam > 0 else stats.chi2.cdf(chisq, df) - prob
        )

    hi = max(chisq, 1.0)
    while f(hi) > 0:
        hi *= 2
    assert _dist.root_decreasing(f, 0.0, hi) == pytest.approx(
        optimize.brentq(f, 0.0, hi, xtol=1e-12), abs=2e-12
    )
