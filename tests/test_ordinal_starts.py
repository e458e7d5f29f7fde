"""Start values with ordered items: lavaan 0.6.14's default starts for categorical data
(``lav_start``: FABIN3 loadings on the polychoric correlations, latent variances 0.05, ...;
:mod:`loyaltysem.semcore.model.starts`), against tests/fixtures/R/ordinal_starts.R.

Three resampled data sets of the two-group bootstrap test (tests/test_ordinal_bootstrap.py,
draws 0, 2 and 10 of seed 3) made sem() drift to a Heywood case (a loading of -1040, a
negative factor variance) from its former starts: loadings as medians of covariance ratios
with the marker, unbounded (-13.6 and -15.3 where A1 barely correlates with A2..A4), and
factor variances 0.5. From lavaan's starts the scoring steps converge (about 20 of them) to
lavaan's solution.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model.starts import fabin3

FIX = Path(__file__).parent / "fixtures" / "ordinal"
DRAWS = [0, 2, 10]
KEY = ["lhs", "op", "rhs", "group"]


def _sem(model, data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sem(model, data, **kw)


@pytest.fixture(scope="module")
def draws() -> pd.DataFrame:
    return pd.read_csv(FIX / "starts_draws.csv")


@pytest.fixture(scope="module")
def fits(draws):
    out = {}
    for b in DRAWS:
        ref = _fixture(f"starts_draw{b}")
        data = draws[draws["draw"] == b].drop(columns="draw").reset_index(drop=True)
        out[b] = ref, _sem(ref["model"], data, ordered=ref["ordered"], group=ref["group"])
    return out


def _our_starts(fit) -> pd.DataFrame:
    """The start of every free row (tied rows share theirs)."""
    theta0 = fit.discrepancy.start_values(False)
    pt = fit.model.pt
    rows = pt[pt["free"] > 0]
    return rows[KEY].assign(ours=theta0[rows["free"].to_numpy() - 1], ours_free=rows["free"])


def _compare_starts(fit, lav_start: list[dict]) -> int:
    lav = pd.DataFrame(lav_start)
    m = lav.merge(_our_starts(fit), on=KEY, how="outer", indicator=True)
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"]
    # lavaan starts tied rows at the mean of their rows (its projection on the constraints)
    want = m.groupby("ours_free")["start"].transform("mean")
    np.testing.assert_allclose(m["ours"], want, rtol=0, atol=1e-6)
    return len(m)


def test_data_are_the_bootstrap_draws(draws):
    """starts_draws.csv is draws 0, 2, 10 of tests/test_ordinal_bootstrap.py's resampling
    (bfi500.csv per gender group, seed 3, 12 draws)."""
    bfi = pd.read_csv(FIX / "bfi500.csv")
    bfi["gender"] = bfi["gender"].map({1: "male", 2: "female"})
    groups = [bfi[bfi["gender"] == g].reset_index(drop=True) for g in ("male", "female")]
    children = np.random.SeedSequence(3).spawn(12)
    for b in DRAWS:
        rng = np.random.default_rng(children[b])
        rows = [rng.integers(0, len(g), len(g)) for g in groups]
        want = pd.concat([g.iloc[r] for g, r in zip(groups, rows, strict=True)])
        got = draws[draws["draw"] == b].drop(columns="draw")
        np.testing.assert_array_equal(got.to_numpy(), want[got.columns].to_numpy())


@pytest.mark.parametrize("b", DRAWS)
def test_start_values_are_lavaans(fits, b):
    ref, fit = fits[b]
    assert fit.group_labels == ref["group_labels"]
    assert _compare_starts(fit, ref["start"]) == fit.model.pt["free"].gt(0).sum()


@pytest.mark.parametrize("b", DRAWS)
def test_sem_converges_to_lavaans_solution(fits, b):
    ref, fit = fits[b]
    assert ref["converged"] and fit.converged
    assert fit.iterations < 40  # lavaan's nlminb: 56-93 iterations from the same start
    assert not [w for w in fit.warnings if "Heywood" in w or "not positive" in w]
    got = fit.estimates
    for table, tol in ((ref["tight"]["estimates"], 1e-5), (ref["estimates"], 5e-5)):
        want = pd.DataFrame(table)
        m = want[want["op"] != ":="].merge(got, on=KEY, suffixes=("_lav", ""))
        assert len(m) == (want["op"] != ":=").sum()
        np.testing.assert_allclose(m["est"], m["est_lav"].astype(float), rtol=0, atol=tol)
        np.testing.assert_allclose(m["std.all"], m["std.all_lav"].astype(float), atol=tol)
        np.testing.assert_allclose(m["se"], m["se_lav"].astype(float), rtol=1e-4, atol=1e-6)
        lav_def = want[want["op"] == ":="].set_index("lhs")["est"]
        our_def = got[got["op"] == ":="].set_index("lhs")["est"]
        np.testing.assert_allclose(our_def[lav_def.index], lav_def.astype(float), atol=tol)
    # at the BFGS optimum (1e-8) the agreement is far closer than 1e-5
    want = pd.DataFrame(ref["tight"]["estimates"])
    m = want[want["op"] != ":="].merge(got, on=KEY, suffixes=("_lav", ""))
    assert np.abs(m["est"] - m["est_lav"].astype(float)).max() < 2e-7


@pytest.mark.parametrize("b", DRAWS)
def test_fit_measures_are_lavaans(fits, b):
    ref, fit = fits[b]
    fm = fit.fit_measures
    for key, lav in ref["fit"].items():
        if lav is None:
            assert math.isnan(fm[key]), key
            continue
        assert fm[key] == pytest.approx(lav, rel=1e-5, abs=1e-6), key
    assert fm["fmin"] == pytest.approx(ref["tight"]["fx"], rel=1e-7)  # polychorics ~1e-9


def test_former_starts_drifted_to_a_heywood_case(fits):
    """From the former starts (the full-sample fit's loadings replaced by the median ratio
    rule's -13.6 / -15.3, factor variances 0.5) the same optimiser does not converge: the
    start matters, the optimiser is unchanged."""
    from loyaltysem.semcore.estimate import optimizer
    from loyaltysem.semcore.model.compiled import start_values

    _, fit = fits[0]
    disc = fit.discrepancy
    theta0 = disc.start_values(False)
    old = start_values(fit.model, fit.data, False)  # the continuous-data rule on the
    loadings = (fit.model.pt["op"] == "=~") & (fit.model.pt["free"] > 0)  # polychorics
    idx = fit.model.pt.loc[loadings, "free"].to_numpy() - 1
    theta0[idx] = old[idx]
    lv_var = (fit.model.pt["op"] == "~~") & fit.model.pt["lhs"].isin(fit.model.mv.lv)
    lv_var &= fit.model.pt["lhs"] == fit.model.pt["rhs"]
    theta0[fit.model.pt.loc[lv_var, "free"].to_numpy() - 1] = 0.5
    assert old[idx].min() < -10
    theta, converged, _ = optimizer.minimize(disc, theta0)
    assert not converged or not np.allclose(theta, fit.theta, atol=1e-4)


# ----------------------------------------------------------------------------- the rules


RULES = _fixture("starts_rules")


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


@pytest.mark.parametrize("name", list(RULES["cases"]))
def test_start_rules_are_lavaans(bfi, name):
    """std.lv, theta, factors of 1-3 indicators, a path model with covariates
    (conditional.x: regressions 0), group.equal (tied rows: the mean), a covariate of a
    factor and a continuous indicator."""
    case = RULES["cases"][name]
    args = case["args"] or {}
    kw = {
        "group": args.get("group", [None])[0],
        "std_lv": bool(args.get("std.lv", False)),
        "parameterization": args.get("parameterization", [None])[0],
        "group_equal": args.get("group.equal", ()),
    }
    fit = _sem(case["model"], bfi, ordered=case["ordered"], **kw)
    assert _compare_starts(fit, case["start"]) > 0


@pytest.mark.parametrize("k", range(len(RULES["fabin"])))
def test_fabin3_is_lavaans(k):
    case = RULES["fabin"][k]
    lam, neg = fabin3(np.array(case["S"], dtype=float), case["std_lv"])
    np.testing.assert_allclose(lam, case["lambda"], rtol=1e-12, atol=1e-14)
    assert neg == case["neg_triad"]
