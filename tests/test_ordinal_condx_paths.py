"""Ordered items predicting other ordered items, with exogenous covariates (lavaan 0.6.14's
conditional.x, delta parameterization, WLSMV) against tests/fixtures/R/ordinal_condx_paths.R
on psych::bfi (covariates age and female = gender - 1).

lavaan's ``setResidualElements`` gives an ordered item the residual variance 1 - c, c its
explained variance conditional on x without the ordered residual variances - except where
PSI (latent and dummy latent variables) then has a zero diagonal and LAMBDA a unit diagonal
(a path model whose regression outcomes are all ordered): there c = diag(Sigma) - 1 with
PSI's diagonal set to 1, so in the chain A2 ~ age, A3 ~ A2 + female A3 ~~ A3 = 1 - b^2
(cases chain2; chain2_group: A2 ~ age, A3 ~ A2 in two groups; fork). A continuous outcome
after the chain makes PSI's diagonal non-zero (chain2_continuous: the general rule,
A3 ~~ A3 = 1); factor_dummy and factor_path have a factor and an ordered item regressed on
another ordered item."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame

from loyaltysem.semcore.estimate.discrepancy import discrepancy
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model.ordinal_condx import _conditional

FIX = Path(__file__).parent / "fixtures" / "ordinal"
CASES = ("chain2", "chain2_group", "fork", "chain2_continuous", "factor_dummy", "factor_path")
TOL_EST = 1e-5  # estimates and std.all, relative to max(1, |value|)
RTOL_SE = 1e-4  # standard errors, relative
RTOL_FIT = 1e-5  # fit measures, relative to max(1, |value|)
CHAIN3 = "A1 ~ age\nA2 ~ A1\nA3 ~ A2 + female"


def _list(v) -> list:
    return v if isinstance(v, list) else [v]


def _fixture(name: str) -> dict:
    return json.loads((FIX / f"condx_paths_{name}.json").read_text())


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame(female=True)


@pytest.fixture(scope="module")
def fits(bfi):
    out = {}
    for name in CASES:
        ref = _fixture(name)
        group = _list(ref["args"]["group"])[0] if "group" in ref["args"] else None
        fit = sem(ref["model"], bfi, ordered=_list(ref["ordered"]), estimator="WLSMV",
                  group=group)  # fmt: skip
        out[name] = (ref, fit)
    return out


def _merged(ref: dict, fit) -> pd.DataFrame:
    want = pd.DataFrame(ref["estimates"])
    got = fit.estimates
    if "group" not in got:
        got = got.assign(group=1)
    m = want.merge(got, on=["lhs", "op", "rhs", "group"], suffixes=("_r", ""), how="left",
                   validate="1:1")  # fmt: skip
    assert len(m) == len(want) == len(got) and m["est"].notna().all()
    return m


@pytest.mark.parametrize("name", CASES)
def test_estimates_ses_and_std_all_match_lavaan(fits, name):
    ref, fit = fits[name]
    assert ref["converged"] and fit.converged
    assert fit.npar == ref["npar"]
    m = _merged(ref, fit)
    for col in ("est", "std.all"):
        err = (m[col] - m[f"{col}_r"]).abs() / np.maximum(1.0, m[f"{col}_r"].abs())
        assert err.max() < TOL_EST, (col, m.loc[err.idxmax(), ["lhs", "op", "rhs", f"{col}_r"]])
    se = m["se_r"] > 0
    np.testing.assert_allclose(m.loc[se, "se"], m.loc[se, "se_r"], rtol=RTOL_SE)
    np.testing.assert_allclose(m.loc[~se, "se"].fillna(0.0), 0.0, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_fit_measures_match_lavaan(fits, name):
    ref, fit = fits[name]
    fm = fit.fit_measures
    checked = 0
    for k, v in ref["fit"].items():
        if k not in fm:
            continue
        if v is None:
            assert not np.isfinite(fm[k]), k
            continue
        assert abs(fm[k] - v) <= RTOL_FIT * max(1.0, abs(v)), (k, fm[k], v)
        checked += 1
    assert checked > 40 and {"chisq", "cfi", "rmsea", "srmr"} <= set(ref["fit"])


@pytest.mark.parametrize("name", CASES)
def test_r2_matches_lavaan(fits, name):
    ref, fit = fits[name]
    r2 = fit.r2
    for g, rg in enumerate(_list(ref["r2"])):
        for var, val in rg.items():
            got = r2.loc[(g + 1, var)] if isinstance(r2.index, pd.MultiIndex) else r2[var]
            assert abs(float(got) - val) < TOL_EST, (var, got, val)


def _residual(fit, lhs: str, group: int = 1) -> float:
    est = fit.estimates
    if "group" not in est:
        est = est.assign(group=1)
    row = est[(est["lhs"] == lhs) & (est["op"] == "~~") & (est["rhs"] == lhs)]
    return float(row.loc[row["group"] == group, "est"].iloc[0])


def _coef(fit, lhs: str, rhs: str, group: int = 1) -> float:
    est = fit.estimates
    if "group" not in est:
        est = est.assign(group=1)
    row = est[(est["lhs"] == lhs) & (est["op"] == "~") & (est["rhs"] == rhs)]
    return float(row.loc[row["group"] == group, "est"].iloc[0])


def _conditional_variances(fit) -> list[pd.Series]:
    """Var(y* | x) of the observed endogenous variables, per group."""
    cm, out = fit.model, []
    for lay, imp in zip(cm.layouts, cm.implied(fit.theta), strict=True):
        _, _, R, _ = _conditional(lay, imp)
        out.append(pd.Series(np.diag(R)[lay.y_idx], index=[cm.mv.ov[i] for i in lay.y_idx]))
    return out


def test_unit_psi_rule_independently(fits):
    """Independent of lavaan: in the chain and the fork (PSI's diagonal set to 1) the ordered
    outcome's residual variance is 1 - (its explained variance with unit predictors), so
    every Var(y* | x) is 1; after a continuous outcome the general rule leaves A2's residual
    variance out and Var(A3* | x) = 1 + b^2."""
    _, fit = fits["chain2"]
    b = _coef(fit, "A3", "A2")
    assert _residual(fit, "A3") == pytest.approx(1 - b * b, abs=1e-12)
    np.testing.assert_allclose(_conditional_variances(fit)[0], 1.0, atol=1e-12)
    _, fit = fits["chain2_group"]
    for g in (1, 2):
        b = _coef(fit, "A3", "A2", g)
        assert _residual(fit, "A3", g) == pytest.approx(1 - b * b, abs=1e-12)
    _, fit = fits["fork"]
    np.testing.assert_allclose(_conditional_variances(fit)[0], 1.0, atol=1e-12)
    _, fit = fits["chain2_continuous"]
    b = _coef(fit, "A3", "A2")
    assert _residual(fit, "A3") == pytest.approx(1.0, abs=1e-12)
    assert _conditional_variances(fit)[0]["A3"] == pytest.approx(1 + b * b, abs=1e-12)


def _numeric_jacobian(model, theta, h=1e-6):
    cols = []
    for k in range(theta.size):
        up, dn = theta.copy(), theta.copy()
        up[k] += h
        dn[k] -= h
        s_up = np.concatenate(model.wls_moments(up))
        s_dn = np.concatenate(model.wls_moments(dn))
        cols.append((s_up - s_dn) / (2 * h))
    return np.column_stack(cols)


def _free_names(fit) -> list[str]:
    """lavaan's names of the free parameters (".g2" for group 2)."""
    pt = fit.pt[fit.pt["free"] > 0].drop_duplicates("free").sort_values("free")
    rows = zip(pt["lhs"], pt["op"], pt["rhs"], pt["group"], strict=True)
    return [f"{a}{op}{b}" + (f".g{g}" if g > 1 else "") for a, op, b, g in rows]


@pytest.mark.parametrize("name", CASES)
def test_delta_is_lavaans(fits, name):
    """Delta = d sigma / d theta' against lavaan's ``lavInspect(fit, "delta")`` (rows in
    WLS.obs order, columns the free parameters)."""
    ref, fit = fits[name]
    jac = fit.model.wls_jacobian(fit.theta)
    for g, (rd, gd, (_, D)) in enumerate(zip(_list(ref["delta"]), fit.data, jac, strict=True)):
        assert rd["rows"] == gd.stats.wls_obs_names, g
        assert rd["cols"] == _free_names(fit)
        np.testing.assert_allclose(D, np.array(rd["value"]), rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", ["chain2", "chain2_group", "fork", "factor_path"])
def test_jacobian_is_the_derivative_of_the_moments(fits, name):
    """Independent of lavaan: Delta against central differences, where no ordered residual
    variance that depends on the parameters enters a moment (a predictor's residual variance
    is 1 here: it is explained by covariates only)."""
    _, fit = fits[name]
    cm, theta = fit.model, fit.theta
    analytic = np.vstack([D for _, D in cm.wls_jacobian(theta)])
    np.testing.assert_allclose(analytic, _numeric_jacobian(cm, theta), rtol=0, atol=1e-6)


def test_delta_holds_a_derived_residual_variance_fixed(fits):
    """factor_dummy: A1's residual variance 1 - lambda^2 psi enters Cov(A1*, A5* | x); as
    lavaan's computeDelta (matched above) Delta holds it fixed, so it differs from the
    central differences in that moment only, and the estimates are where that gradient
    vanishes (lavaan's optimizer stops there; so does ours, by the gradient-root steps)."""
    _, fit = fits["factor_dummy"]
    cm, theta = fit.model, fit.theta
    ((_, D),) = cm.wls_jacobian(theta)
    diff = np.abs(D - _numeric_jacobian(cm, theta)).max(axis=1)
    names = fit.data[0].stats.wls_obs_names
    assert [n for n, d in zip(names, diff, strict=True) if d > 1e-6] == ["A1~~A5"]
    assert np.abs(discrepancy(cm, fit.data).gradient(theta)).max() < 1e-9


def test_three_step_chain(bfi):
    """A1 -> A2 -> A3 (not a fixture: lavaan 0.6.14's optimizer does not converge there):
    lavaan's rule gives Var(A2* | x) = 1 but Var(A3* | x) = 1 - b1^2 b2^2, and A2's residual
    variance 1 - b1^2 enters Cov(A2*, A3*), so only the gradient-root steps converge. The
    estimates are within 1e-3 of lavaan's non-converged ones (0.0159714, 0.4116065,
    0.5316048, 0.4280472 after its 25 iterations)."""
    fit = sem(CHAIN3, bfi, ordered=["A1", "A2", "A3"])
    assert fit.converged
    b1, b2 = _coef(fit, "A2", "A1"), _coef(fit, "A3", "A2")
    assert _residual(fit, "A2") == pytest.approx(1 - b1**2, abs=1e-12)
    assert _residual(fit, "A3") == pytest.approx(1 - b2**2 - (b1 * b2) ** 2, abs=1e-12)
    var = _conditional_variances(fit)[0]
    np.testing.assert_allclose(var[["A1", "A2"]], 1.0, atol=1e-12)
    assert var["A3"] == pytest.approx(1 - (b1 * b2) ** 2, abs=1e-12)
    lavaan = {("A1", "age"): 0.0159714, ("A2", "A1"): 0.4116065, ("A3", "A2"): 0.5316048,
              ("A3", "female"): 0.4280472}  # fmt: skip
    for (lhs, rhs), val in lavaan.items():
        assert _coef(fit, lhs, rhs) == pytest.approx(val, abs=1e-3)
