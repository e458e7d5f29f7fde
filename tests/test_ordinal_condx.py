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

from loyaltysem.errors import InputError
from loyaltysem.ordinal import conditional_sample_stats
from loyaltysem.ordinal.conditional import fit_probit

FIX = Path(__file__).parent / "fixtures" / "ordinal"
CASES = ("direct", "mimic", "mixed")
X = ["age", "female"]
TOL_STATS = 1e-6  # sample statistics (brief: within 1e-6)


def _fixture(name: str) -> dict:
    return json.loads((FIX / f"condx_{name}.json").read_text())


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    df = pd.read_csv(FIX / "bfi500.csv")
    df["female"] = df["gender"] - 1
    return df


@pytest.fixture(scope="module")
def stats(bfi):
    out = {}
    for name in CASES:
        ref = _fixture(name)
        out[name] = conditional_sample_stats(bfi, ref["sampstat"]["ov"], X, ref["ordered"])
    return out


# ----------------------------------------------------------------------------- sample stats


@pytest.mark.parametrize("name", CASES)
def test_sample_statistics_match_lavaan(stats, name):
    ref = _fixture(name)
    ss = ref["sampstat"]
    st = stats[name].groups[0]
    assert st.nobs == ref["nobs"] == 500
    assert st.ov == ss["ov"] and st.x == ss["x"] == X
    assert st.wls_obs_names == ref["wls_obs_names"]
    np.testing.assert_allclose(st.wls_obs, ref["wls_obs"], rtol=0, atol=TOL_STATS)
    samp = stats[name].sampstat()
    assert list(samp["res.th"].index) == ss["th_names"]
    np.testing.assert_allclose(samp["res.th"], ss["res_th"], rtol=0, atol=TOL_STATS)
    np.testing.assert_allclose(samp["res.slopes"], ss["res_slopes"], rtol=0, atol=TOL_STATS)
    np.testing.assert_allclose(samp["res.cov"], ss["res_cov"], rtol=0, atol=TOL_STATS)
    np.testing.assert_allclose(samp["res.int"], ss["res_int"], rtol=0, atol=TOL_STATS)
    np.testing.assert_allclose(samp["cov.x"], ss["cov_x"], rtol=1e-12)
    np.testing.assert_allclose(samp["mean.x"], ss["mean_x"], rtol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_nacov_and_weights_match_lavaan(stats, name):
    ref = _fixture(name)
    st = stats[name].groups[0]
    full = np.array(ref["nacov"]["full"])
    assert st.nacov.shape == full.shape
    assert ref["nacov"]["names"] == st.wls_obs_names
    scale = np.abs(full).max()
    np.testing.assert_allclose(st.nacov, full, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(stats[name].wls_v("DWLS")[0], ref["wls_v_diag"], rtol=1e-6)


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
    from loyaltysem.ordinal.conditional import ProbitFit

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
