"""The faster pieces of a bootstrap draw with ordered items, each against an independent
computation (the results' agreement with lavaan stays in test_ordinal_samplestats.py,
test_ordinal_estimation.py and test_ordinal_bootstrap.py):

* Delta' u without Delta (reverse mode, semcore/ordinal_gradient.py) = the Jacobian's
  transpose times u, for the delta and theta parameterizations, two groups with free scale
  factors, continuous variables and a mean structure; F and its gradient from one pass = the
  discrepancy's own;
* the corner grid of bivariate normal CDFs (bvn_grid) = bvn_cdf corner by corner, in every
  branch of Genz's algorithm; the cell probabilities of tables with different numbers of
  categories = differences of bvn_cdf; the third rho-derivative = central differences;
* the polychoric correlations by Halley steps = the root of the score to 1e-13, and the
  cells they keep for the scores = a fresh computation at the estimate;
* diag(NACOV) without the influence matrix = the diagonal of the full NACOV;
* the draw's quasi-Newton refit from the full sample's metric = the draw's minimum.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame

from loyaltysem.samplestats import bivariate as bv
from loyaltysem.samplestats import bvn_cdf, two_step
from loyaltysem.samplestats.bvn import bvn_grid
from loyaltysem.samplestats.univariate import fit_numeric, fit_ordinal
from loyaltysem.semcore.estimate.discrepancy import WLSDiscrepancy
from loyaltysem.semcore.estimate.ordinal_gradient import delta_t_u, wls_objective_gradient
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.resample import bootstrap_ordinal as bso

FIX = Path(__file__).parent / "fixtures" / "ordinal"
MODEL = """
A =~ A1 + A2 + A3 + A4
C =~ C1 + C2 + C3 + C4
E =~ E1 + E2 + E3 + E4
A ~ a*C
E ~ b*A + c*C
"""
ITEMS = [f"{f}{i}" for f in "ACE" for i in range(1, 5)]
EQUAL = ["thresholds", "loadings"]
CASES = {
    "delta": {"ordered": ITEMS},
    "theta": {"ordered": ITEMS, "parameterization": "theta"},
    "two groups": {"ordered": ITEMS, "group": "gender", "group_equal": EQUAL},
    "two groups theta": {
        "ordered": ITEMS,
        "group": "gender",
        "group_equal": EQUAL,
        "parameterization": "theta",
    },
    "continuous": {"ordered": ITEMS[:6]},
    "continuous means": {"ordered": ITEMS[:6], "meanstructure": True},
    "WLS": {"ordered": ITEMS, "estimator": "WLS"},
}


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


def _fit(data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sem(MODEL, data, **kw)


@pytest.mark.parametrize("case", list(CASES))
def test_reverse_mode_gradient_equals_jacobian(bfi, case):
    fit = _fit(bfi, **CASES[case])
    disc = fit.discrepancy
    rng = np.random.default_rng(7)
    theta = fit.theta + rng.normal(0.0, 0.02, fit.theta.size)
    us = [rng.normal(size=gd.wls_obs.size) for gd in disc.data]
    jac = om.wls_jacobian(disc.model, theta)
    want = sum(D.T @ u for (_, D), u in zip(jac, us, strict=True))
    got = delta_t_u(disc.model, theta, us)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12 * np.abs(want).max())
    if case == "two groups":  # free scale factors in group 2 take part
        assert (disc.model.layouts[1].delta_theta >= 0).any()
    f, grad = wls_objective_gradient(disc, theta)
    assert f == disc.objective(theta)  # the same computation, to the bit
    ref = disc.gradient_hessian(theta)[0]
    np.testing.assert_allclose(grad, ref, rtol=0, atol=1e-12 * np.abs(ref).max())


def test_bvn_grid_equals_bvn_cdf_in_every_branch():
    rng = np.random.default_rng(16)
    rho = np.array([0.0, 0.1, -0.29, 0.3, -0.6, 0.74, 0.8, -0.92, 0.93, -0.97, 0.999, -0.9999])
    x = rng.uniform(-3.0, 3.0, (rho.size, 5))
    y = rng.uniform(-3.0, 3.0, (rho.size, 4))
    want = bvn_cdf(x[:, :, None], y[:, None, :], rho[:, None, None])
    np.testing.assert_allclose(bvn_grid(x, y, rho), want, rtol=0, atol=1e-15)


def _tables(ncats, n=300, seed=3):
    rng = np.random.default_rng(seed)
    fits = [fit_ordinal(rng.integers(1, k + 1, n), k) for k in ncats]
    second, first = np.triu_indices(len(fits), k=1)
    return fits, first, second, bv.OrdinalPairs.build(fits, first, second)


def test_cells_of_tables_with_different_categories():
    """Items with 2 to 7 categories (padded tables): pi = differences of bvn_cdf at the
    corners; d^3 pi / d rho^3 = central differences of the second derivative."""
    fits, first, second, tab = _tables((2, 3, 5, 7, 7, 4))
    rho = np.random.default_rng(1).uniform(-0.97, 0.97, first.size)
    pi, d1, d2, d3 = bv._cell_derivs(tab.t1, tab.t2, rho, order=3)
    for p, (a, b) in enumerate(zip(first, second, strict=True)):
        t1 = np.concatenate(([-np.inf], fits[a].th, [np.inf]))
        t2 = np.concatenate(([-np.inf], fits[b].th, [np.inf]))
        grid = bvn_cdf(t1[:, None], t2[None, :], rho[p])
        want = grid[1:, 1:] - grid[:-1, 1:] - grid[1:, :-1] + grid[:-1, :-1]
        ka, kb = want.shape
        np.testing.assert_allclose(pi[p, :ka, :kb], want, rtol=0, atol=1e-14)
        assert np.all(pi[p, ka:, :] == 0) and np.all(pi[p, :, kb:] == 0)  # padding
    e = 1e-5
    up = bv._cell_derivs(tab.t1, tab.t2, rho + e, order=2)[2]
    down = bv._cell_derivs(tab.t1, tab.t2, rho - e, order=2)[2]
    np.testing.assert_allclose(d3, (up - down) / (2 * e), rtol=0, atol=1e-5 * np.abs(d3).max())


def test_halley_polychoric_is_the_root_and_keeps_the_cells(bfi):
    codes = [bfi[c].to_numpy() for c in ITEMS]
    fits = [fit_ordinal(c, 6) for c in codes]
    second, first = np.triu_indices(len(fits), k=1)
    rho, tab, _ = bv.polychoric(fits, first, second)
    # the root of the score, polished by Newton steps to a step of 1e-16
    plain = bv.OrdinalPairs(tab.t1, tab.t2, tab.freq, tab.c1, tab.c2)

    def fgh(idx, r):
        return bv._fgh(plain.subset(idx), r)

    root, conv = bv._newton_ascent(fgh, rho, -0.999, 0.999, tol=1e-16, maxit=20)
    np.testing.assert_allclose(rho, root, rtol=0, atol=1e-13)
    pi, d1 = bv._cell_derivs(tab.t1, tab.t2, rho, order=1)
    np.testing.assert_allclose(tab.pi, pi, rtol=0, atol=1e-14)
    np.testing.assert_allclose(tab.d1, d1, rtol=0, atol=1e-12)
    fresh = bv.polychoric_scores(plain, rho)  # no cells kept: computed there
    for a, b in zip(bv.polychoric_scores(tab, rho), fresh, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10 * np.abs(b).max())


def test_nacov_diagonal_without_influence():
    rng = np.random.default_rng(5)
    fits = [fit_ordinal(rng.integers(1, k + 1, 300), k) for k in (2, 3, 5, 7)]
    fits.insert(1, fit_numeric(rng.normal(size=300)))
    fits.insert(4, fit_numeric(rng.normal(size=300)))
    ov = list("abcdef")
    full = two_step(fits, ov)
    diag = two_step(fits, ov, diag_only=True)
    assert diag.influence is None and diag.nacov is None
    np.testing.assert_allclose(diag.nacov_diag, np.diag(full.nacov), rtol=1e-12)
    np.testing.assert_array_equal(diag.wls_obs, full.wls_obs)


@pytest.mark.parametrize("estimator", ["WLSMV", "WLS"])
def test_quasi_newton_refit_reaches_the_draws_minimum(bfi, estimator):
    fit = _fit(bfi, ordered=ITEMS, estimator=estimator)
    groups, weight = bso.ordinal_groups(fit), bso.weight_name(fit)
    metric = bso.full_metric(fit.model, groups, fit.theta)
    assert bso.full_metric(fit.model, groups, fit.theta) is metric  # kept on the model
    rows = bso.draw_rows(np.random.SeedSequence(4), groups)
    data = [bso.draw_statistics(g, r, weight) for g, r in zip(groups, rows, strict=True)]
    disc = WLSDiscrepancy(fit.model, data, name=weight)
    theta, ok = bso.quasi_newton_refit(disc, fit.theta, metric)
    own, ok_own = bso.quasi_newton_refit(disc, fit.theta)  # the draw's own first Hessian
    assert ok and ok_own
    # the minimum by plain Gauss-Newton steps (Jacobian gradient, fresh expected Hessian)
    # from the full-sample solution, to a step of 1e-13
    ref = fit.theta.copy()
    for _ in range(200):
        grad, hess = disc.gradient_hessian(ref)
        step = -np.linalg.solve(hess, grad)
        ref = ref + step
        if np.max(np.abs(step)) < 1e-13:
            break
    np.testing.assert_allclose(theta, ref, rtol=0, atol=1e-9)
    np.testing.assert_allclose(own, ref, rtol=0, atol=1e-9)
    assert np.max(np.abs(theta - fit.theta)) > 1e-3  # a real draw, not the start
