"""The bootstrap with ordered items (issue 16): every draw recomputes thresholds, polychoric
correlations and the estimator's weight from resampled respondents and refits, as lavaan
0.6.14's ``se = "bootstrap"`` (``lav_bootstrap_internal``).

* a draw equals ``sem(..., ordered=...)`` fitted on the same resampled rows (an independent
  computation through the public API), for DWLS, ULS and WLS and with two groups;
* the draw's diagonal-only DWLS weight equals 1 / diag(NACOV) of the full computation;
* results do not depend on the number of workers or the chunk size, and follow the seed;
* draws with a category left empty are counted and dropped, as lavaan's draws error there;
* 1,000 draws agree with lavaan's bootstrap SEs and percentile / BC intervals
  (tests/fixtures/R/ordinal_boot.R) within Monte Carlo error;
* ``loyaltysem fit --ordered all --bootstrap N`` writes the bootstrap intervals.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.resample import bootstrap_ordinal as bso
from loyaltysem.semcore.resample.bootstrap import bootstrap

FIX = Path(__file__).parent / "fixtures" / "ordinal"
MODEL = """
A =~ A1 + A2 + A3 + A4
C =~ C1 + C2 + C3 + C4
E =~ E1 + E2 + E3 + E4
A ~ a*C
E ~ b*A + c*C
ab := a*b
total := c + a*b
"""
ITEMS = [f"{f}{i}" for f in "ACE" for i in range(1, 5)]

# batch size and worker count leave a draw unchanged (bit for bit on every OpenBLAS kernel
# tried); compared with a tolerance so that no assertion rests on the CPU's float kernel
SAME = dict(rtol=1e-10, atol=1e-14)


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


def _fit(data: pd.DataFrame, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sem(MODEL, data, ordered=ITEMS, **kw)


def _draw_rows(seed: int, n_boot: int, sizes: list[int]) -> list[list[np.ndarray]]:
    """The documented resampling: draw b uses child b of SeedSequence(seed), one
    integers(0, n_g, n_g) per group."""
    out = []
    for child in np.random.SeedSequence(seed).spawn(n_boot):
        rng = np.random.default_rng(child)
        out.append([rng.integers(0, n, n) for n in sizes])
    return out


def _empty_category(frames: list[pd.DataFrame], full: list[pd.DataFrame]) -> bool:
    return any(
        set(f[i].unique()) != set(g[i].unique())
        for f, g in zip(frames, full, strict=True)
        for i in ITEMS
    )


def _compare_draw(draw: np.ndarray, ref) -> None:
    est = ref.estimates
    n = len(est)
    np.testing.assert_allclose(draw[:n], est["est"].to_numpy(), rtol=0, atol=1e-8)
    np.testing.assert_allclose(draw[n : 2 * n], est["std.all"].to_numpy(), rtol=0, atol=1e-8)


@pytest.mark.parametrize("estimator", ["WLSMV", "ULSMV", "WLS"])
def test_draw_equals_sem_on_resampled_rows(bfi, estimator):
    fit = _fit(bfi, estimator=estimator)
    boot = bootstrap(fit, 2, seed=11, n_jobs=1)
    assert boot.n_failed == 0
    for draw, (rows,) in zip(boot.draws, _draw_rows(11, 2, [len(bfi)]), strict=True):
        ref = _fit(bfi.iloc[rows].reset_index(drop=True), estimator=estimator)
        _compare_draw(draw, ref)


def test_two_group_draws_and_failures(bfi):
    """Per-group resampling; draws with a category empty in a group fail (lavaan's
    lav_samplestats_step1 stops), the others equal sem() on the resampled groups."""
    fit = _fit(bfi, group="gender")
    groups = [bfi[bfi["gender"] == g].reset_index(drop=True) for g in fit.group_labels]
    boot = bootstrap(fit, 12, seed=3, n_jobs=1)
    draws = _draw_rows(3, 12, [len(g) for g in groups])
    empty = [
        _empty_category([g.iloc[r] for g, r in zip(groups, rows, strict=True)], groups)
        for rows in draws
    ]
    assert 0 < sum(empty) < 12
    assert boot.failures == {"sample statistics": sum(empty), "no convergence": 0}
    assert boot.n_failed == sum(empty) and len(boot.draws) == 12 - sum(empty)
    assert "with an ordered item's category empty in the draw" in boot.warnings[0]
    from loyaltysem.report.i18n import warning_text  # the report translates it

    assert warning_text(boot.warnings[0], "zh").startswith(f"12次Bootstrap抽样中有{sum(empty)}次")
    compared = 0
    ok_draws = [rows for rows, e in zip(draws, empty, strict=True) if not e]
    for draw, rows in zip(boot.draws, ok_draws, strict=True):
        resampled = pd.concat(
            [g.iloc[r] for g, r in zip(groups, rows, strict=True)], ignore_index=True
        )
        ref = _fit(resampled, group="gender")
        assert ref.group_labels == fit.group_labels
        assert ref.converged  # lavaan's starts (tests/test_ordinal_starts.py)
        _compare_draw(draw, ref)
        compared += 1
        if compared == 2:
            break
    assert compared == 2


def test_weights_of_a_draw_equal_the_full_computation(bfi):
    """DWLS: 1 / diag(NACOV) from the influence matrix alone; WLS: NACOV^-1; ULS: ones."""
    for estimator, weight in (("WLSMV", "DWLS"), ("WLS", "WLS"), ("ULSMV", "ULS")):
        fit = _fit(bfi, estimator=estimator)
        group = bso.ordinal_groups(fit)[0]
        gd = bso.draw_statistics(group, np.arange(len(bfi)), weight)
        full = fit.data[0]
        np.testing.assert_allclose(gd.wls_obs, full.wls_obs, rtol=0, atol=1e-13)
        np.testing.assert_allclose(gd.weight, full.weight, rtol=1e-10)
    assert gd.stats.influence is None  # ULS: no NACOV at all


def test_same_results_for_workers_chunks_and_seed(bfi):
    fit = _fit(bfi.iloc[:200])  # about 16% of the draws fail: their place must not move
    one = bootstrap(fit, 10, seed=5, n_jobs=1, chunk_size=4)
    two = bootstrap(fit, 10, seed=5, n_jobs=2, chunk_size=3)
    again = bootstrap(fit, 10, seed=5, n_jobs=1)
    other = bootstrap(fit, 10, seed=6, n_jobs=1)
    assert one.n_failed == two.n_failed == again.n_failed
    np.testing.assert_allclose(one.draws, two.draws, **SAME)
    np.testing.assert_allclose(one.draws, again.draws, **SAME)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert not np.array_equal(one.draws[:3], other.draws[:3])


def test_bollen_stine_and_htmt_refused(bfi):
    fit = _fit(bfi)
    with pytest.raises(ValueError, match="not available for ordered items"):
        bootstrap(fit, 5, bollen_stine=True)


def test_cli_fit_ordered_bootstrap(tmp_path, bfi, capsys):
    """``loyaltysem fit --ordered all --bootstrap N``: the intervals of the JSON's estimates
    are the library's bootstrap (same seed), the console shows those of paths and :=."""
    from loyaltysem.cli import main
    from loyaltysem.semcore.resample.bootstrap import fill_intervals

    model = tmp_path / "m.lav"
    model.write_text(MODEL, encoding="utf-8")
    out = tmp_path / "fit.json"
    args = ["fit", str(FIX / "bfi500.csv"), "--model", str(model), "--ordered", "all"]
    opts = ["--bootstrap", "6", "--seed", "2", "--jobs", "1", "--json", str(out)]
    assert main([*args, *opts]) == 0
    doc = json.loads(out.read_text())
    assert doc["bootstrap"] == {"draws": 6, "failed": 0, "seed": 2, "ci": "percentile"}
    fit = _fit(bfi)
    want = fill_intervals(fit.estimates, bootstrap(fit, 6, seed=2, n_jobs=1))
    got = pd.DataFrame(doc["estimates"])
    for col in ("ci.lower", "ci.upper", "boot.se"):
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float), rtol=1e-12)
    ab = got[got["lhs"] == "ab"].iloc[0]
    assert ab["ci.lower"] < ab["est"] < ab["ci.upper"] and ab["boot.se"] > 0
    assert (got.loc[got["op"] == "|", "boot.se"] > 0).all()  # thresholds are bootstrapped too
    printed = capsys.readouterr().out
    assert "Bootstrap: 6 of 6 draws, percentile 95% intervals" in printed
    assert re.search(r"ab :=\s+a\*b", printed.split("Bootstrap:")[1])


# ----------------------------------------------------------------------------- vs lavaan

IDX_CASES = ["boot_idx_wlsmv", "boot_idx_uls", "boot_idx_wls", "boot_idx_n150"]


@pytest.mark.parametrize("name", IDX_CASES)
def test_lavaan_draws_refitted_draw_by_draw(bfi, name):
    """lavaan's own resamples (bootstrapLavaan(keep.idx = TRUE)): every draw refitted here
    equals lavaan's coef() to its optimiser's precision, and exactly the draws lavaan drops
    (error.idx: a category empty in the draw) fail here."""
    ref = _fixture(name)
    lo, hi = ref["rows"]
    fit = _fit(bfi.iloc[lo - 1 : hi].reset_index(drop=True), estimator=ref["estimator"])
    assert fit.npar == len(ref["coef_names"])
    groups, weight = bso.ordinal_groups(fit), bso.weight_name(fit)
    coef = np.array(ref["coef"], dtype=float)
    idx = np.array(ref["boot_idx"]) - 1
    dropped = {int(i) - 1 for i in np.ravel(ref["error_idx"])}
    for b in range(ref["draws"]):
        theta, outcome = bso.refit_rows(fit.model, groups, [idx[b]], fit.theta, weight)
        if b in dropped:
            assert outcome == bso.STATISTICS, b
        else:
            assert outcome == bso.OK, b
            np.testing.assert_allclose(theta, coef[b], rtol=0, atol=1e-4, err_msg=str(b))
    assert len(dropped) == (18 if name == "boot_idx_n150" else 0)


MC_CASES = {
    "boot_dwls_med": "WLSMV",
    "boot_uls_med": "ULSMV",
    "boot_wls_med": "WLS",
    "boot_dwls_n150": "WLSMV",
}


def _our_bootstrap(bfi, ref: dict, estimator: str, n_boot: int):
    lo, hi = ref["rows"]
    fit = _fit(bfi.iloc[lo - 1 : hi].reset_index(drop=True), estimator=estimator)
    boot = bootstrap(fit, n_boot, seed=2026, n_jobs=1)
    tab = boot.table.reset_index(drop=True)
    for kind, short in (("percentile", "perc"), ("bc", "bc")):  # both from the same draws
        iv = boot.intervals(kind).reset_index(drop=True)
        tab[f"{short}.lower"], tab[f"{short}.upper"] = iv["ci.lower"], iv["ci.upper"]
    tab = tab[tab["scale"] == "est"].copy()
    draws = boot.draws[:, tab.index.to_numpy()]
    sd = draws.std(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # fixed rows: sd 0
        kurt = np.mean((draws - draws.mean(axis=0)) ** 4, axis=0) / sd**4
    # Monte Carlo SD of a bootstrap SE from R draws: sd * sqrt((kurtosis - 1) / (4 R))
    tab["mc.rel"] = np.sqrt((kurt - 1) / (4 * len(draws)))
    lav = pd.DataFrame(ref["estimates"]).drop(columns=["label"])
    lav = lav.rename(columns={c: f"lav.{c}" for c in lav.columns if c not in ("lhs", "op", "rhs")})
    return boot, lav.merge(tab, on=["lhs", "op", "rhs"])


# ULS and WLS share the draws and the refit with DWLS (checked draw by draw against lavaan in
# test_lavaan_draws_refitted_draw_by_draw); their 1,000-draw Monte Carlo comparisons add 40 s
# and run with LOYALTYSEM_FULL_BOOTSTRAP=1.
_FULL = os.environ.get("LOYALTYSEM_FULL_BOOTSTRAP") == "1"
_MC_PARAMS = [
    pytest.param(
        name,
        marks=pytest.mark.skipif(
            name in ("boot_uls_med", "boot_wls_med") and not _FULL,
            reason="set LOYALTYSEM_FULL_BOOTSTRAP=1",
        ),
    )
    for name in MC_CASES
]


@pytest.mark.slow
@pytest.mark.sweep
@pytest.mark.parametrize("name", _MC_PARAMS)
def test_bootstrap_agrees_with_lavaan(bfi, name):
    """1,000 draws here against lavaan's 1,000 (other resamples): every bootstrap SE within
    12% or 4 Monte Carlo SDs of the difference where the draws are heavy-tailed; the failed
    draws' count within 4 binomial SDs; the indirect and total effects' SE within 12% and
    their percentile and BC bounds within 12% of the bound or 0.5 SE."""
    ref = _fixture(name)
    boot, m = _our_bootstrap(bfi, ref, MC_CASES[name], ref["draws"])
    p = max(ref["failed"], 1) / ref["draws"]
    assert abs(boot.n_failed - ref["failed"]) <= 4 * np.sqrt(2 * ref["draws"] * p * (1 - p))
    free = m[m["lav.se"] > 0]  # lavaan: NA SE for := once draws failed
    rel = free["boot.se"] / free["lav.se"] - 1
    tol = np.maximum(0.12, 4 * np.sqrt(2) * free["mc.rel"])
    assert (rel.abs() <= tol).all(), free.assign(rel=rel, tol=tol)[rel.abs() > tol]
    for label in ("ab", "total"):
        row = m[m["lhs"] == label].iloc[0]
        if row["lav.se"] == row["lav.se"]:
            assert row["boot.se"] == pytest.approx(row["lav.se"], rel=0.12)
        for lav_col, ours in (("lav.ci", "perc"), ("lav.bc", "bc")):
            for side in ("lower", "upper"):
                want, got = row[f"{lav_col}.{side}"], row[f"{ours}.{side}"]
                assert abs(got - want) <= max(0.12 * abs(want), 0.5 * row["boot.se"])


def test_bca_jackknife_refits_without_each_respondent(bfi):
    """BCa: the jackknife refits leave one respondent out each (a refit that empties a
    category is NaN, as such a bootstrap draw fails); one of them equals sem() without that
    respondent."""
    data = bfi.iloc[:150].reset_index(drop=True)
    data.loc[data.index[data["A2"] == 1][1:], "A2"] = 2  # A2 = 1 once: leaving it out empties it
    fit = _fit(data)
    boot = bootstrap(fit, 30, seed=4, ci="bca", n_jobs=1)
    ab = boot.table[(boot.table["name"] == "ab := a*b") & (boot.table["scale"] == "est")]
    assert np.isfinite(ab[["ci.lower", "ci.upper"]].to_numpy()).all() and boot.ci == "bca"
    from loyaltysem.semcore.inference.effects import effect_definitions
    from loyaltysem.semcore.resample.bootstrap import _Spec

    keep = ~fit.pt["op"].isin(["==", "<", ">"]).to_numpy()
    spec = _Spec(fit.model, effect_definitions(fit.pt), keep, ml=False)
    jack = bso.ordinal_jackknife(spec, bso.ordinal_groups(fit), fit.theta, "DWLS")
    assert jack.shape[0] == 150
    failed = np.flatnonzero(np.isnan(jack[:, 0]))
    counts = {v: data[v].value_counts() for v in ITEMS}
    only = [i for i in range(150) if any(counts[v][data.at[i, v]] == 1 for v in ITEMS)]
    assert len(only) > 0
    np.testing.assert_array_equal(failed, only)
    i = next(i for i in range(150) if i not in only)
    ref = _fit(data.drop(index=i).reset_index(drop=True))
    n = len(ref.estimates)
    np.testing.assert_allclose(jack[i, :n], ref.estimates["est"].to_numpy(), atol=1e-8)
