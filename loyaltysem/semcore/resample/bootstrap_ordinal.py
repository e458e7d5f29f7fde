"""Bootstrap draws of a model with ordered items (WLSMV, ULSMV, WLS, DWLS, ULS), as lavaan
0.6.14's ``se = "bootstrap"`` / ``bootstrapLavaan()`` makes them (``lav_bootstrap_internal``).

Each draw resamples respondents with replacement within each group (the indices drawn exactly
as the continuous bootstrap draws them, from the draw's own ``SeedSequence`` child), recomputes
the two-step sample statistics of the draw (lavaan ``lav_samplestats_from_data``): the
thresholds, the polychoric / polyserial correlations and the weight the estimator needs -
DWLS (WLSMV) 1 / diag(NACOV), for which only the diagonal is formed (column sums of the
squared influence matrix); WLS the full NACOV^-1; ULS (ULSMV) none - and refits the model
from the full-sample solution (:func:`quasi_newton_refit`: L-BFGS on the full sample's
expected Hessian, the main optimiser as the fallback).

A draw fails, and is counted and left out (lavaan's ``error.idx``), where lavaan's draw errors
or does not converge:

* an ordered item with an empty category in a group of the draw: lavaan's
  ``lav_samplestats_step1`` stops ("some categories of variable ... are empty in group"),
  because the draw is refitted with the full sample's thresholds (``ov.levels``);
* a continuous variable without variance in the draw, a singular NACOV (WLS);
* no convergence of the refit.

Draws with an inadmissible solution (a negative variance) are kept, as lavaan keeps them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from loyaltysem.base.blas import single_threaded
from loyaltysem.samplestats import (
    NumericFit,
    OrdinalFit,
    fit_numeric,
    fit_ordinal,
    two_step,
    weight_kind,
)
from loyaltysem.semcore.estimate.discrepancy import WLSDiscrepancy
from loyaltysem.semcore.estimate.optimizer import minimize
from loyaltysem.semcore.estimate.ordinal_gradient import wls_objective_gradient
from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.model.ordinal import OrdinalGroupData

OK, STATISTICS, NO_CONVERGENCE = 0, 1, 2  # a draw's outcome
#: scoring steps of a draw's fallback fit: from the full-sample solution a draw converges in
#: a few dozen or not at all (an improper draw), so failed draws stay cheap
FALLBACK_STEPS = 100


class DrawFailed(Exception):
    """A draw whose sample statistics cannot be computed (lavaan's draw errors)."""


def failure_counts(outcome: np.ndarray) -> dict[str, int]:
    """Failed draws by cause."""
    return {
        "sample statistics": int(np.sum(outcome == STATISTICS)),
        "no convergence": int(np.sum(outcome == NO_CONVERGENCE)),
    }


@dataclass
class OrdinalGroup:
    """What one group's draws are computed from: every variable's answers of the full
    sample (category codes 1..K of an ordered item, values of a continuous one), each ordered
    item's number of categories (0: continuous) and its threshold names in this group."""

    ov: list[str]
    columns: list[np.ndarray]
    ncat: list[int]
    th_labels: list[list[str]]
    #: the fit's weight (WLS.V) of this group: the refits' first metric (see full_metric)
    weight: np.ndarray | None = None

    @property
    def n(self) -> int:
        return int(self.columns[0].size)


def ordinal_groups(result) -> list[OrdinalGroup]:
    """The answers of every group of a fit with ordered items (kept with its step-1 fits)."""
    out = []
    for gd in result.data:
        st = gd.stats
        if not st.fits:
            raise ValueError("the bootstrap needs the respondents' answers of the fit")
        labels: dict[str, list[str]] = {v: [] for v in st.ov}
        for name, v in zip(st.th_names, st.th_idx, strict=True):
            if v > 0:
                item, label = name.split("|")
                labels[item].append(label)
        columns = [f.codes if isinstance(f, OrdinalFit) else f.y for f in st.fits]
        ncat = [f.ncat if isinstance(f, OrdinalFit) else 0 for f in st.fits]
        th_labels = [labels[v] for v in st.ov]
        out.append(OrdinalGroup(list(st.ov), columns, ncat, th_labels, gd.weight))
    return out


def weight_name(result) -> str:
    """The weight matrix of the fit's estimator: "DWLS", "ULS" or "WLS"
    (``result.options.weights``)."""
    return result.options.weights


def _step1(group: OrdinalGroup, rows: np.ndarray) -> list[OrdinalFit | NumericFit]:
    fits: list[OrdinalFit | NumericFit] = []
    for v, (x, k) in enumerate(zip(group.columns, group.ncat, strict=True)):
        y = x[rows]
        if k:
            freq = np.bincount(y, minlength=k + 1)[1:]
            if np.any(freq == 0):
                raise DrawFailed(f"some categories of variable {group.ov[v]} are empty")
            fits.append(fit_ordinal(y, k))
        else:
            fit = fit_numeric(y)
            if not fit.var > 0:
                raise DrawFailed(f"variable {group.ov[v]} has no variance")
            fits.append(fit)
    return fits


def draw_statistics(group: OrdinalGroup, rows: np.ndarray, weight: str) -> OrdinalGroupData:
    """The two-step statistics of one group's resampled rows and the estimator's weight
    (DWLS: 1 / diag(NACOV), the column sums of the squared influence matrix without forming
    it; WLS: NACOV^-1; ULS: ones)."""
    kind = weight_kind(weight)
    fits = _step1(group, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        st = two_step(
            fits,
            group.ov,
            th_labels=group.th_labels,
            with_nacov=kind.nacov,
            diag_only=kind.diagonal,
        )
    if not kind.nacov:
        w = np.ones(st.wls_obs.size)
    elif kind.diagonal:
        diag = st.nacov_diag
        if not np.all(diag > 0):
            raise DrawFailed("a sample statistic has no variance")
        w = 1.0 / diag
    else:
        try:
            w = np.linalg.inv(st.nacov)
        except np.linalg.LinAlgError as exc:
            raise DrawFailed("NACOV is singular") from exc
    return OrdinalGroupData(int(rows.size), st, w)


#: curvature pairs kept by the quasi-Newton refit (L-BFGS memory)
MEMORY = 10


def full_metric(cm, groups: list[OrdinalGroup], theta0: np.ndarray):
    """Cholesky factor of the full sample's expected Hessian at its solution,
    2 sum_g w_g Delta_g' W_g Delta_g (Delta depends on the model alone; W_g the fit's weight),
    the first metric of every draw's refit. Kept on the model (the same in every worker, so
    a draw does not depend on its chunk); None where a group has no weight."""
    if any(g.weight is None for g in groups):
        return None
    key = ("bootstrap_metric", theta0.tobytes())
    if key not in cm.cache:
        ntot = sum(g.n for g in groups)
        hess = np.zeros((cm.npar, cm.npar))
        for g, (_, D) in zip(groups, om.wls_jacobian(cm, theta0), strict=True):
            WD = g.weight[:, None] * D if g.weight.ndim == 1 else g.weight @ D
            hess += 2.0 * (g.n - 1) / ntot * (D.T @ WD)
        cm.cache[key] = linalg.cho_factor(hess)
    return cm.cache[key]


def _direction(factor, pairs: list, grad: np.ndarray) -> np.ndarray:
    """-H grad by L-BFGS's two-loop recursion (Nocedal & Wright 2006, alg. 7.4) on the
    metric ``factor`` (a Cholesky factor) with the curvature pairs (s, y, 1 / s'y)."""
    q = grad.copy()
    alphas = []
    for s, y, rho in reversed(pairs):
        a = rho * (s @ q)
        alphas.append(a)
        q -= a * y
    if not np.all(np.isfinite(q)):  # as cho_solve's own check (the factor was checked)
        raise ValueError("array must not contain infs or NaNs")
    r = linalg.cho_solve(factor, q, check_finite=False)
    for (s, y, rho), a in zip(pairs, reversed(alphas), strict=True):
        r += s * (a - rho * (y @ r))
    return -r


def quasi_newton_refit(disc: WLSDiscrepancy, theta0: np.ndarray, factor0=None, *,
                       tol: float = 1e-10, max_iter: int = 200):  # fmt: skip
    """Minimise the WLS discrepancy of a draw from the full-sample solution: L-BFGS steps
    (unit length, kept where F does not increase) whose metric is the full sample's expected
    Hessian ``factor0`` (:func:`full_metric`; the draw's own at theta0 where None). The
    gradient is the reverse-mode one (:mod:`.ordinal_gradient`: no Jacobian, and F and its
    gradient from one computation of the implied moments),
    so a step costs about 1 ms on the project model where a Gauss-Newton step costs 8. A step
    that increases F brings the draw's own expected Hessian at that point (the memory is
    cleared); where a fresh Hessian's step does not lower F either, or after ``max_iter``
    steps, the main optimiser (scoring with step halving, at most ``FALLBACK_STEPS`` steps)
    takes over. Stops as the main fit (largest step below ``tol``), then requires the main
    fit's gradient tolerance. Returns (theta, converged)."""
    theta = theta0.copy()
    f, grad = wls_objective_gradient(disc, theta)
    if not np.isfinite(f):
        return theta0, False
    if factor0 is None:
        hess = disc.gradient_hessian(theta)[1]
        factor, fresh = linalg.cho_factor(hess), True
    else:
        factor, fresh = factor0, False
    pairs: list = []
    for _ in range(max_iter):
        step = _direction(factor, pairs, grad)
        cand = theta + step
        fc, new = wls_objective_gradient(disc, cand)
        if not (np.isfinite(fc) and fc <= f + 1e-12 * max(1.0, abs(f))):
            if fresh:
                break
            grad, hess = disc.gradient_hessian(theta)
            factor, fresh, pairs = linalg.cho_factor(hess), True, []
            continue
        y = new - grad
        sy = float(step @ y)
        if sy > 1e-12 * np.sqrt(float(step @ step) * float(y @ y)):  # keeps H positive definite
            pairs = [*pairs[-(MEMORY - 1) :], (step, y, 1.0 / sy)]
        theta, f, grad, fresh = cand, fc, new, False
        if float(np.max(np.abs(step))) < tol:
            if np.max(np.abs(grad)) < disc.gradient_tol:
                return theta, True
            break
    theta, ok, _ = minimize(disc, theta, tol=tol, max_iter=FALLBACK_STEPS)
    return theta, ok


def refit_rows(cm, groups: list[OrdinalGroup], rows: list[np.ndarray], theta0, weight: str):
    """The estimates of the model on the rows ``rows[g]`` of every group, from ``theta0``.
    Returns (theta, outcome): OK, STATISTICS (the draw's sample statistics cannot be
    computed: lavaan's draw errors) or NO_CONVERGENCE."""
    try:
        data = [draw_statistics(g, r, weight) for g, r in zip(groups, rows, strict=True)]
    except Exception:  # noqa: BLE001 - a failed draw is counted, not raised
        return theta0, STATISTICS
    try:
        factor0 = full_metric(cm, groups, theta0)
        theta, ok = quasi_newton_refit(WLSDiscrepancy(cm, data, name=weight), theta0, factor0)
    except Exception:  # noqa: BLE001
        return theta0, NO_CONVERGENCE
    return theta, OK if ok and np.all(np.isfinite(theta)) else NO_CONVERGENCE


def _values(spec, cm, groups, rows, theta0, weight, k):
    theta, outcome = refit_rows(cm, groups, rows, theta0, weight)
    if outcome == OK:
        try:
            return spec.values(theta, None, cm), OK
        except Exception:  # noqa: BLE001 - e.g. a standardization of an improper draw
            outcome = NO_CONVERGENCE
    return np.full(k, np.nan), outcome


def draw_rows(seed, groups: list[OrdinalGroup]) -> list[np.ndarray]:
    """The resampled rows of one draw, group by group (as the continuous bootstrap)."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, g.n, g.n) for g in groups]


@single_threaded
def ordinal_chunk(spec, groups, theta0, weight: str, bollen_stine: bool, seeds):
    """Worker: one chunk of draws, refitted one at a time. Returns (values, converged
    flags, chi-squares, outcomes), the chi-squares all NaN (no Bollen-Stine for ordered
    items, as in lavaan)."""
    del bollen_stine  # refused for ordered items by the caller
    cm = spec.cm
    k = len(spec.values(theta0, None, cm))
    vals = np.full((len(seeds), k), np.nan)
    outcome = np.zeros(len(seeds), dtype=int)
    for b, seed in enumerate(seeds):
        rows = draw_rows(seed, groups)
        vals[b], outcome[b] = _values(spec, cm, groups, rows, theta0, weight, k)
    return vals, outcome == OK, np.full(len(seeds), np.nan), outcome


@single_threaded
def ordinal_jackknife(spec, groups, theta0, weight: str) -> np.ndarray:
    """Every statistic refitted without each respondent in turn (rows: respondents, group
    by group); a refit that fails (a category left empty) is a row of NaN."""
    cm = spec.cm
    k = len(spec.values(theta0, None, cm))
    every = [np.arange(g.n) for g in groups]
    out = []
    for g, grp in enumerate(groups):
        for i in range(grp.n):
            rows = [np.delete(r, i) if h == g else r for h, r in enumerate(every)]
            out.append(_values(spec, cm, groups, rows, theta0, weight, k)[0])
    return np.array(out)
