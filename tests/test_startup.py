"""Start-up (issue 19): ``loyaltysem --help`` imports no numerical library, and ``loyaltysem fit``
does not import scipy at all; the distribution functions written for the fit path
(``loyaltysem.base.dist``) equal scipy.stats and R on wide grids."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import optimize, stats

from loyaltysem.base import dist as _dist

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


def test_fit_imports_no_scipy(tmp_path, example_frame):
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
    assert "loyaltysem.semcore.fit.measures" in mods  # the fit measures were computed
    assert not {m for m in mods if m == "scipy" or m.startswith("scipy.")}


def _rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_normal_equals_scipy_stats():
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.standard_normal(2000) * 5, [-38.0, -10.0, 0.0, 10.0, 38.0]])
    q = np.concatenate([rng.uniform(0, 1, 2000), [1e-300, 1e-20, 0.5, 1 - 1e-10]])
    assert _rel(_dist.norm_sf(z), stats.norm.sf(z)) < 1e-12
    assert _rel(_dist.norm_ppf(q), stats.norm.ppf(q)) < 1e-12
    assert _dist.norm_ppf(0.975) == pytest.approx(1.959963984540054, rel=1e-15)
    assert np.isnan(_dist.norm_ppf(1.5)) and _dist.norm_ppf(0.0) == -np.inf


def test_one_normal_distribution():
    """cdf, pdf and the array variants (ndtr, ndtri for inner loops) are the same function."""
    rng = np.random.default_rng(1)
    z = np.concatenate([rng.standard_normal(2000) * 5, [-38.0, -10.0, 0.0, 10.0, 38.0]])
    q = rng.uniform(0, 1, 2000)
    assert _rel(_dist.norm_cdf(z), stats.norm.cdf(z)) < 1e-12
    assert _rel(_dist.norm_pdf(z), stats.norm.pdf(z)) < 1e-13
    assert _rel(_dist.ndtr(z), _dist.norm_cdf(z)) < 1e-12
    assert _rel(_dist.ndtri(q), _dist.norm_ppf(q)) < 1e-12


def test_bca_levels():
    """Efron's BC/BCa levels: the percentile levels when half the draws lie below the
    estimate and a = 0; Phi(2 z0 + z) for BC; NaN when every draw lies on one side."""
    t = np.column_stack([np.arange(1.0, 101.0), np.arange(1.0, 101.0) ** 2, np.ones(100)])
    t0 = np.array([50.5, 900.0, 2.0])
    lv = _dist.bca_levels(t, t0, np.array([0.0, 0.1, 0.0]), 0.9)
    assert np.allclose(lv[:, 0], [0.05, 0.95], atol=1e-12)
    z0, za = stats.norm.ppf(29 / 100), stats.norm.ppf([0.05, 0.95])
    assert np.allclose(lv[:, 1], stats.norm.cdf(z0 + (z0 + za) / (1 - 0.1 * (z0 + za))))
    assert np.isnan(lv[:, 2]).all()


@pytest.mark.parametrize(("df_max", "tol"), [(3, 1e-12), (300, 1e-12), (5000, 1e-10)])
def test_chi_square_equals_scipy_stats(df_max, tol):
    rng = np.random.default_rng(df_max)
    df = rng.uniform(0.5, df_max, 2000)
    x = stats.chi2.ppf(rng.uniform(0, 1, 2000), df)
    assert _rel(_dist.chi2_sf(x, df), stats.chi2.sf(x, df)) < tol
    assert _rel(_dist.chi2_cdf(x, df), stats.chi2.cdf(x, df)) < tol
    q = rng.uniform(0.001, 0.999, 200)
    assert _rel(_dist.chi2_ppf(q, df[:200]), stats.chi2.ppf(q, df[:200])) < tol
    far = np.array([1e-3, 0.1, 500.0, 3000.0])  # far tails keep their relative accuracy
    for d in (1.0, 24.0, 100.0):
        assert _rel(_dist.chi2_sf(far, d), stats.chi2.sf(far, d)) < 1e-9
        assert _rel(_dist.chi2_cdf(far, d), stats.chi2.cdf(far, d)) < 1e-9
    assert _dist.chi2_sf(0.0, 3.0) == 1.0 and _dist.chi2_cdf(np.inf, 3.0) == 1.0


def test_noncentral_chi_square_equals_scipy_stats():
    rng = np.random.default_rng(1)
    for _ in range(400):
        df, nc = rng.uniform(1, 2000), rng.uniform(0, 15000) * rng.uniform(0, 1) ** 2
        x = stats.ncx2.ppf(rng.uniform(0.001, 0.999), df, nc)
        assert _dist.ncx2_cdf(x, df, nc) == pytest.approx(stats.ncx2.cdf(x, df, nc), abs=1e-10)
        assert _dist.ncx2_sf(x, df, nc) == pytest.approx(stats.ncx2.sf(x, df, nc), abs=1e-10)
    # R 4.2.2: pchisq(85.3, 24, ncp = 40) and its upper tail
    assert _dist.ncx2_cdf(85.3, 24, 40) == pytest.approx(0.921944486136278107, rel=1e-13)
    assert _dist.ncx2_sf(85.3, 24, 1) == pytest.approx(2.8933143994750028e-08, rel=1e-10)
    assert _dist.ncx2_sf(10.0, 5.0, 0) == _dist.chi2_sf(10.0, 5.0)


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
