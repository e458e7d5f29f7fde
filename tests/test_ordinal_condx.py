"""Ordered items with exogenous covariates (lavaan 0.6.14's conditional.x = TRUE) against
tests/fixtures/R/ordinal_condx.R on psych::bfi (age and female = gender - 1 as covariates):
the conditional sample statistics (res.th, res.slopes, res.cov, WLS.obs, NACOV) and the
WLSMV fits (estimates, robust SEs, fit measures)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame

from loyaltysem.base.errors import InputError
from loyaltysem.samplestats import conditional_sample_stats
from loyaltysem.samplestats.conditional import fit_probit
from loyaltysem.semcore.estimation import sem

FIX = Path(__file__).parent / "fixtures" / "ordinal"
CASES = ("direct", "mimic", "mixed", "direct_ulsmv", "group", "group_equal")
X = ["age", "female"]
TOL_STATS = 1e-6  # sample statistics (brief: within 1e-6)
TOL_EST = 1e-5  # estimates, relative to max(1, |est|)
RTOL_SE = 1e-4  # standard errors, relative
RTOL_FIT = 1e-5  # fit measures, relative to max(1, |value|)


def _fixture(name: str) -> dict:
    return json.loads((FIX / f"condx_{name}.json").read_text())


def _list(v) -> list:
    """A JSON value written by R's auto_unbox: a length-1 vector comes back as a scalar."""
    return v if isinstance(v, list) else [v]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame(female=True, labels=False)


@pytest.fixture(scope="module")
def stats(bfi):
    out = {}
    for name in CASES:
        ref = _fixture(name)
        ov = ref["groups"][0]["sampstat"]["ov"]
        out[name] = conditional_sample_stats(
            bfi, ov, _list(ref["covariates"]), ref["ordered"], group=ref.get("group")
        )
    return out


@pytest.fixture(scope="module")
def fits(bfi):
    out = {}
    for name in CASES:
        ref = _fixture(name)
        out[name] = sem(
            ref["model"], bfi, ordered=ref["ordered"], estimator=ref["estimator"],
            group=ref.get("group"), group_equal=_list(ref.get("group_equal") or []),
        )  # fmt: skip
    return out


# ----------------------------------------------------------------------------- sample stats


@pytest.mark.parametrize("name", CASES)
def test_sample_statistics_match_lavaan(stats, name):
    ref = _fixture(name)
    assert stats[name].ngroups == len(ref["groups"])
    for g, rg in enumerate(ref["groups"]):
        ss = rg["sampstat"]
        st = stats[name].groups[g]
        assert st.nobs == rg["nobs"]
        assert st.ov == ss["ov"] and st.x == _list(ss["x"])
        assert st.wls_obs_names == rg["wls_obs_names"]
        np.testing.assert_allclose(st.wls_obs, rg["wls_obs"], rtol=0, atol=TOL_STATS)
        samp = stats[name].sampstat(g)
        assert list(samp["res.th"].index) == ss["th_names"]
        np.testing.assert_allclose(samp["res.th"], ss["res_th"], rtol=0, atol=TOL_STATS)
        slopes = np.array(ss["res_slopes"]).reshape(len(st.ov), len(st.x))
        np.testing.assert_allclose(samp["res.slopes"], slopes, rtol=0, atol=TOL_STATS)
        np.testing.assert_allclose(samp["res.cov"], ss["res_cov"], rtol=0, atol=TOL_STATS)
        np.testing.assert_allclose(samp["res.int"], ss["res_int"], rtol=0, atol=TOL_STATS)
        cov_x = np.array(ss["cov_x"]).reshape(len(st.x), len(st.x))
        np.testing.assert_allclose(samp["cov.x"], cov_x, rtol=1e-12)
        np.testing.assert_allclose(samp["mean.x"], np.ravel(ss["mean_x"]), rtol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_nacov_and_weights_match_lavaan(stats, name):
    ref = _fixture(name)
    for g, rg in enumerate(ref["groups"]):
        st = stats[name].groups[g]
        nac = rg["nacov"]
        assert nac["names"] == st.wls_obs_names
        assert st.nacov.shape == (nac["dim"], nac["dim"])
        if "full" in nac:
            full = np.array(nac["full"])
            np.testing.assert_allclose(st.nacov, full, rtol=0, atol=1e-6 * np.abs(full).max())
        else:
            np.testing.assert_allclose(np.diag(st.nacov), nac["diag"], rtol=1e-6)
            got = st.nacov[np.array(nac["row"]), np.array(nac["col"])]
            scale = np.abs(nac["diag"]).max()
            np.testing.assert_allclose(got, nac["value"], rtol=0, atol=1e-6 * scale)
        if ref["estimator"] == "WLSMV":
            np.testing.assert_allclose(stats[name].wls_v("DWLS")[g], rg["wls_v_diag"], rtol=1e-6)


# ----------------------------------------------------------------------------- estimates


def _merged(fit, ref) -> pd.DataFrame:
    want = pd.DataFrame(ref["estimates"])
    got = fit.estimates
    keys = ["lhs", "op", "rhs"] + (["group"] if "group" in want and "group" in got else [])
    m = want.merge(got, on=keys, suffixes=("_r", ""), how="left", validate="1:1")
    assert len(m) == len(want) and m["est"].notna().all()
    return m


@pytest.mark.parametrize("name", CASES)
def test_estimates_and_ses_match_lavaan(fits, name):
    ref = _fixture(name)
    fit = fits[name]
    assert fit.converged and fit.npar == ref["fit"]["npar"]  # lavInspect "npar" counts tied rows
    assert fit.estimator == ref["estimator"]
    m = _merged(fit, ref)
    err = (m["est"] - m["est_r"]).abs() / np.maximum(1.0, m["est_r"].abs())
    assert err.max() < TOL_EST, m.loc[err.idxmax(), ["lhs", "op", "rhs", "est_r", "est"]]
    se = m["se_r"] > 0
    np.testing.assert_allclose(m.loc[se, "se"], m.loc[se, "se_r"], rtol=RTOL_SE)
    np.testing.assert_allclose(m.loc[~se, "se"].fillna(0.0), 0.0, atol=1e-12)
    np.testing.assert_allclose(m["std.all"], m["std.all_r"], rtol=0, atol=TOL_EST)


FIT_KEYS = (
    "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
    "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.chisq.scaled",
    "cfi", "tli", "cfi.scaled", "tli.scaled", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
    "rmsea.scaled", "srmr", "srmr_bentler", "crmr", "rmr", "gfi", "agfi", "wrmr", "nfi",
)  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_fit_measures_match_lavaan(fits, name):
    ref = _fixture(name)["fit"]
    fm = fits[name].fit_measures
    for k in FIT_KEYS:
        if ref.get(k) is None:
            assert not np.isfinite(fm[k]), k
            continue
        assert abs(fm[k] - ref[k]) <= RTOL_FIT * max(1.0, abs(ref[k])), (k, fm[k], ref[k])
    # lavaan has no catML robust indices with conditional.x: NA, as here
    for k in ("cfi.robust", "tli.robust", "rmsea.robust"):
        assert ref[k] is None and not np.isfinite(fm[k])
    mismatched = [
        k for k, v in ref.items()
        if v is not None and k in fm and np.isfinite(fm[k])
        and abs(fm[k] - v) > RTOL_FIT * max(1.0, abs(v))
    ]  # fmt: skip
    assert not mismatched, {k: (fm[k], ref[k]) for k in mismatched}


@pytest.mark.parametrize("name", ["direct", "mixed", "group"])
def test_r2_matches_lavaan(fits, name):
    ref = _fixture(name)
    r2 = fits[name].r2
    for g, rg in enumerate(ref["groups"]):
        for var, val in rg["r2"].items():
            got = r2.loc[(g + 1, var)] if isinstance(r2.index, pd.MultiIndex) else r2[var]
            assert abs(float(got) - val) < TOL_EST, (var, got, val)


def test_probit_regression_is_the_maximum(bfi):
    """Independent of lavaan: the scores sum to zero at the estimates and the Hessian is the
    numerical derivative of the gradient."""
    codes = bfi["A3"].to_numpy()
    Xm = bfi[X].to_numpy(dtype=float)
    fit = fit_probit(codes, 6, Xm)
    assert np.abs(fit.scores().sum(axis=0)).max() < 1e-8
    h = fit.hessian()
    eps = 1e-6
    theta = np.concatenate([fit.th, fit.slopes])
    num = np.empty_like(h)
    for k in range(theta.size):
        up, dn = theta.copy(), theta.copy()
        up[k] += eps
        dn[k] -= eps
        g = [fit_like(fit, t).scores().sum(axis=0) for t in (up, dn)]
        num[:, k] = (g[0] - g[1]) / (2 * eps)
    np.testing.assert_allclose(h, num, rtol=1e-5, atol=1e-4)


def fit_like(fit, theta):
    from loyaltysem.samplestats.conditional import ProbitFit

    k = fit.th.size
    return ProbitFit(fit.codes, fit.X, theta[:k], theta[k:])


def test_bad_covariates(bfi):
    with pytest.raises(InputError, match="covariate cannot be ordered"):
        conditional_sample_stats(bfi, ["A1", "A2"], ["female"], ["A1", "A2", "female"])
    df = bfi.assign(sex=np.where(bfi["female"] == 1, "f", "m"))
    with pytest.raises(InputError, match="not numeric"):
        conditional_sample_stats(df, ["A1", "A2"], ["sex"], True)
    with pytest.raises(InputError, match="no variance"):
        conditional_sample_stats(bfi.assign(one=1.0), ["A1", "A2"], ["one"], True)


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


@pytest.mark.parametrize("name", ["mixed", "group_equal"])
def test_jacobian_is_the_derivative_of_the_moments(bfi, fits, name):
    """Independent of lavaan: Delta = d sigma / d theta' against central differences, also
    with free scale factors (delta) in group 2 (group.equal loadings + thresholds)."""
    if name == "group_equal":
        ref = _fixture("group")
        fit = sem(ref["model"], bfi, ordered=ref["ordered"], group="gender",
                  group_equal=["loadings", "thresholds"])  # fmt: skip
        assert (fit.pt["op"] == "~*~").any() and (
            fit.pt.loc[fit.pt["op"] == "~*~", "free"] > 0
        ).any()
        assert fit.converged
    else:
        fit = fits[name]
    cm, theta = fit.model, fit.theta
    analytic = np.vstack([D for _, D in cm.wls_jacobian(theta)])
    np.testing.assert_allclose(analytic, _numeric_jacobian(cm, theta), rtol=0, atol=1e-6)


def test_user_errors(bfi):
    model = "A =~ A1 + A2 + A3 + A4 + A5\nA ~ age + female"
    items = ["A1", "A2", "A3", "A4", "A5"]
    with pytest.raises(InputError, match="cannot be ordered"):
        sem(model, bfi, ordered=[*items, "female"])
    with pytest.raises(InputError, match="covariates are fixed"):
        sem(model + "\nage ~~ age", bfi, ordered=items)
    fit = sem(model, bfi, ordered=items)  # ordered=True would take every non-covariate
    est = fit.estimates.set_index(["lhs", "op", "rhs"])
    assert est.loc[("age", "~~", "age"), "est"] == pytest.approx(bfi["age"].var(ddof=1))
    assert est.loc[("female", "~1", ""), "est"] == pytest.approx(bfi["female"].mean())
