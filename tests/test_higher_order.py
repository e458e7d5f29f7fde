"""Higher-order constructs against lavaan 0.6.14 / semTools 0.5.6 (issue 24); fixtures from
tests/fixtures/R/higher_order.R.

A first-order factor that measures a second-order factor is endogenous: lavaan gives it a
residual variance and frees no covariance between it and other latent variables. Every
``fitMeasures()`` value within 1e-4 relative, estimates and std.all within 1e-4, standard
errors within 1e-3 (1e-6 absolute near zero).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import LAVAAN, REPO, close, frame

from loyaltysem.semcore.estimation import sem

CASES = json.loads((LAVAAN / "higher_order.json").read_text(encoding="utf-8"))
#: models whose second-order part is not identified in lavaan either (see the R script)
NOT_IDENTIFIED = {"hs2_two", "hs2_group_scalar"}
IDENTIFIED = [c for c in CASES if c not in NOT_IDENTIFIED]


def case_data(fx: dict) -> pd.DataFrame:
    df = pd.read_csv(REPO / fx["data_file"])
    if fx["data_file"] == "data/online_loyalty.csv":  # reverse-keyed items, as R recodes them
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    return df


def sem_kwargs(args: dict) -> dict:
    """lavaan's cfa() arguments as sem() keywords."""
    names = {"std.lv": "std_lv", "group.equal": "group_equal"}
    out = {}
    for key, value in args.items():
        key = names.get(key, key)
        if key in ("group_equal", "ordered") and isinstance(value, str):
            value = [value]  # jsonlite unboxes length-1 vectors
        out[key] = value
    return out


_FITS: dict = {}


def fitted(name: str):
    if name not in _FITS:
        fx = CASES[name]
        _FITS[name] = sem(fx["model"], case_data(fx), **sem_kwargs(fx["args"]))
    return _FITS[name]


def merged(name: str) -> pd.DataFrame:
    fx, fit = CASES[name], fitted(name)
    theirs = frame(fx["estimates"])
    m = fit.estimates.merge(
        theirs, on=["lhs", "op", "rhs", "group"], suffixes=("", "_lav"), how="outer",
        indicator=True,
    )  # fmt: skip
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", ["lhs", "op", "rhs"]]
    return m


@pytest.mark.parametrize("name", list(CASES))
def test_parameter_table_is_lavaans(name):
    """Free and fixed rows (and fixed values) as lavaan's lavaanify makes them."""
    fx, fit = CASES[name], fitted(name)
    theirs = frame(fx["partable"])
    theirs = theirs[theirs["op"].isin(["=~", "~", "~~", "~1", "|", "~*~"])]
    ours = fit.pt[fit.pt["op"].isin(["=~", "~", "~~", "~1", "|", "~*~"])]
    m = ours.merge(theirs, on=["lhs", "op", "rhs", "group"], suffixes=("", "_lav"), how="outer",
                   indicator=True)  # fmt: skip
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", ["lhs", "op", "rhs"]]
    assert ((m["free"] > 0) == (m["free_lav"] > 0)).all()
    fixed = m[m["free"] == 0]
    both = fixed["ustart_lav"].notna()
    np.testing.assert_allclose(fixed.loc[both, "ustart"], fixed.loc[both, "ustart_lav"])
    # distinct free parameters: lavaan numbers tied rows separately (equality constraints)
    assert fit.npar == fx["fit"]["npar"]


@pytest.mark.parametrize("name", list(CASES))
def test_fit_measures(name):
    fx, fit = CASES[name], fitted(name)
    fm = fit.fit_measures
    assert fit.converged and fit.n == fx["nobs"]
    missing = [k for k in fx["fit"] if k not in fm]
    assert not missing, missing
    bad = [(k, fm[k], v) for k, v in fx["fit"].items() if not close(fm[k], v, 1e-4, 1e-6)]
    assert not bad, bad


@pytest.mark.parametrize("name", IDENTIFIED)
def test_estimates_standard_errors_std_all(name):
    m = merged(name)
    for col, rel in (("est", 1e-4), ("std.all", 1e-4), ("std.lv", 1e-4), ("se", 1e-3)):
        bad = [
            (r["lhs"], r["op"], r["rhs"], r[col], r[col + "_lav"])
            for r in m.to_dict("records")
            if not close(r[col], r[col + "_lav"], rel, 1e-6)
        ]
        assert not bad, (col, bad[:5])


@pytest.mark.parametrize("name", sorted(NOT_IDENTIFIED))
def test_not_identified_second_order_part_is_reported(name):
    """Two first-order factors (or free latent intercepts of first-order factors under
    equal intercepts): lavaan warns that the model may not be identified; so do we, and give
    no standard errors, as lavaan does when the information matrix cannot be inverted."""
    fx, fit = CASES[name], fitted(name)
    assert any("identified" in w for w in fx["warnings"])
    est = fit.estimates
    assert any("not identified" in w for w in fit.warnings)
    free = est["se"] != 0.0  # fixed rows have se 0, as in lavaan
    assert free.any() and est.loc[free, "se"].isna().all()
    assert fit.to_dict()["warnings"] == fit.warnings


def test_two_first_order_factors_equal_loadings_are_identified():
    """``g =~ a*visual + a*textual``: the label ties textual's loading to the marker's, so
    both are fixed at 1 (lavaan's lavaanify) and the model is identified."""
    fit = fitted("hs2_two_equal")
    rows = fit.pt[(fit.pt["lhs"] == "g") & (fit.pt["op"] == "=~")]
    assert (rows["free"] == 0).all() and (rows["ustart"] == 1).all()
    assert not fit.warnings


# ----------------------------------------------------------------------------- bootstrap


def test_bootstrap_draws_of_a_second_order_model():
    """The batched bootstrap path (factor-on-factor loadings in the LISREL layout) gives
    every draw the one-at-a-time refit's estimates, and the defined indirect effect a
    finite interval."""
    from test_batched import _compare_draws

    from loyaltysem.semcore.resample.bootstrap import bootstrap

    fit = fitted("loy_sem")
    _compare_draws(fit, 20, seed=24)
    boot = bootstrap(fit, 40, seed=1, n_jobs=1, progress=False)
    assert boot.n_failed == 0
    t = boot.table
    ind = t[(t["op"] == ":=") & (t["lhs"] == "ind") & (t["scale"] == "est")]
    assert len(ind) == 1 and np.isfinite(ind[["perc.lower", "perc.upper"]].to_numpy()).all()


@pytest.mark.parametrize("name", ["hs2_fiml", "bfi2_wlsmv", "hs2_group"])
def test_bootstrap_other_estimators(name):
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    boot = bootstrap(fitted(name), 6, seed=3, n_jobs=1, progress=False)
    assert boot.n_failed == 0
    g = boot.table[boot.table["op"] == "=~"]
    assert np.isfinite(g["perc.lower"]).all() and (g["boot.se"] > 0).any()
