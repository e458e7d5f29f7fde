"""The one optimiser of the main fits: scoring with step halving on any discrepancy.

Fisher scoring (the expected information as the Hessian) converges from the start values;
where a discrepancy's observed information is cheap and exact (FIML), ``newton_below``
switches to Newton steps once the steps are small, for quadratic convergence and the
observed information the standard errors need anyway. A Newton step that is not a descent
direction falls back to scoring. Refits from a nearby solution (bootstrap, Monte Carlo) use
the faster quasi-Newton paths in :mod:`loyaltysem.semcore.model.compiled`.
"""

from __future__ import annotations

import numpy as np

from loyaltysem.base.blas import single_threaded
from loyaltysem.base.errors import EstimationError
from loyaltysem.semcore.estimate.discrepancy import (
    Discrepancy,
    FIMLDiscrepancy,
    MLDiscrepancy,
    WLSDiscrepancy,
    discrepancy,
)
from loyaltysem.semcore.model.compiled import CompiledModel, GroupData, start_values


def _solve(hess: np.ndarray, grad: np.ndarray) -> np.ndarray:
    try:
        return -np.linalg.solve(hess, grad)
    except np.linalg.LinAlgError:
        return -np.linalg.lstsq(hess, grad, rcond=None)[0]


def halving_search(objective, theta: np.ndarray, step: np.ndarray, f: float, tries: int = 40):
    """Largest t in 1, 1/2, 1/4, ... with F(theta + t step) <= F(theta); None if none."""
    t = 1.0
    for _ in range(tries):
        cand = theta + t * step
        fc = objective(cand)
        if np.isfinite(fc) and fc <= f + 1e-12 * max(1.0, abs(f)):
            return t, cand, fc
        t *= 0.5
    return None


def minimize(
    disc: Discrepancy,
    theta0: np.ndarray,
    *,
    max_iter: int = 500,
    tol: float = 1e-10,
    newton_below: float | None = None,
):
    """Minimise ``disc.objective`` from ``theta0``. Returns (theta, converged, iterations);
    converged means a stationary point (max |gradient| below ``disc.gradient_tol``)."""
    theta = theta0.copy()
    f = disc.objective(theta)
    if not np.isfinite(f):
        raise EstimationError(
            f"{disc.name}: the starting values give a non-positive-definite implied matrix"
        )
    kind, hess, size, it = "expected", None, np.inf, 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        if kind == "observed" and size < 1e-5 and hess is not None:
            grad = disc.gradient(theta)  # the observed information barely changes here
        else:
            grad, hess = disc.gradient_hessian(theta, kind)
        step = _solve(hess, grad)
        if kind == "observed" and grad @ step >= 0:  # not a descent direction: scoring
            kind, size = "expected", np.inf
            continue
        found = halving_search(disc.objective, theta, step, f)
        if found is None:
            break
        t, theta, f_new = found
        f_old, f = f, f_new
        size = float(np.max(np.abs(t * step)))
        if size < tol or (abs(f_old - f) < 1e-15 and np.max(np.abs(grad)) < 1e-8):
            break
        if newton_below is not None and kind == "expected" and size < newton_below:
            kind, size = "observed", np.inf  # first observed step: a fresh information
    grad = disc.gradient(theta)
    return theta, bool(np.max(np.abs(grad)) < disc.gradient_tol), it


def fisher_scoring(
    model: CompiledModel,
    data: list[GroupData],
    theta0: np.ndarray,
    *,
    max_iter: int = 500,
    tol: float = 1e-10,
):
    """ML by Fisher scoring (:func:`minimize` on the ML discrepancy)."""
    return minimize(MLDiscrepancy(model, data), theta0, max_iter=max_iter, tol=tol)


def newton_fiml(cm, data: list, theta0: np.ndarray, max_iter: int = 200, tol: float = 1e-9):
    """FIML: scoring with the expected information of the incomplete data until the steps
    are below 0.05, then Newton steps with the analytic observed information."""
    return minimize(
        FIMLDiscrepancy(cm, data), theta0, max_iter=max_iter, tol=tol, newton_below=0.05
    )


@single_threaded
def fit_fiml(cm, data: list, std_lv: bool):
    """FIML from the ML fit to the EM moments (a start close to the solution)."""
    em_groups = [GroupData(d.n, d.cov, d.mean) for d in data]
    theta = start_values(cm, em_groups, std_lv)
    theta, _, it0 = fisher_scoring(cm, em_groups, theta, tol=1e-6)
    theta, converged, it = newton_fiml(cm, data, theta)
    return theta, converged, it0 + it


def refit_fiml(cm, data: list, theta0: np.ndarray):
    """Refit a FIML model from a nearby solution (bootstrap draws). Returns (theta, ok)."""
    theta, ok, _ = newton_fiml(cm, data, theta0, tol=1e-8)
    return theta, ok


WLS_EARLY_ROOT = 100  # scoring steps of a WLS fit before its gradient's root is tried


def fit(cm: CompiledModel, data: list, std_lv: bool, missing: str):
    """The main fit of a model: (theta, converged, iterations)."""
    if missing == "fiml":
        return fit_fiml(cm, data, std_lv)
    disc = discrepancy(cm, data, missing)
    own_start = getattr(disc, "start_values", None)
    theta0 = own_start(std_lv) if own_start else start_values(cm, data, std_lv)
    if not isinstance(disc, WLSDiscrepancy):
        return minimize(disc, theta0)
    # WLS: scoring that has not converged in WLS_EARLY_ROOT steps is stalling where the
    # objective's and lavaan's gradients differ (see gradient_root) or crawling in a bad
    # region (a one-factor model of 39 ordered items: 500 steps, 4 s); the root of the
    # gradient is tried there, and kept where it is no worse than that iterate. Otherwise
    # scoring goes on to its 500 steps and the root is tried at the end, as before.
    theta, converged, it = minimize(disc, theta0, max_iter=WLS_EARLY_ROOT)
    if converged:
        return theta, converged, it
    root, ok, it_root = gradient_root(disc, theta)
    if ok and disc.objective(root) <= disc.objective(theta):
        return root, True, it + it_root
    theta, converged, it2 = minimize(disc, theta, max_iter=500 - WLS_EARLY_ROOT)
    it += it2
    if not converged:
        root, ok, it_root = gradient_root(disc, theta)
        if ok:
            return root, True, it + it_root
    return theta, converged, it


def gradient_root(disc: WLSDiscrepancy, theta0: np.ndarray, max_iter: int = 100,
                  tol: float = 1e-10):  # fmt: skip
    """Full scoring steps without a line search: a zero of ``disc.gradient``. With ordered
    items whose derived residual variance enters a moment (an ordered item, itself
    explained by other parameters, predicting another variable) lavaan's Delta holds that
    variance fixed (``computeDelta``), so its gradient is not the objective's and its
    optimizer stops where that gradient vanishes - slightly off the objective's minimum,
    where step halving on F stalls. Returns (theta, converged, iterations)."""
    theta = theta0.copy()
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        grad, hess = disc.gradient_hessian(theta)
        step = _solve(hess, grad)
        theta = theta + step
        if not np.isfinite(disc.objective(theta)):
            return theta0, False, it
        if float(np.max(np.abs(step))) < tol:
            break
    return theta, bool(np.max(np.abs(disc.gradient(theta))) < disc.gradient_tol), it
