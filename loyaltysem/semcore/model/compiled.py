"""A compiled model: parameter table + per-group RAM structures + the ML discrepancy.

This is the one estimation core of loyaltysem (see docs/architecture.md). The normal-theory
ML discrepancy for complete data (Joreskog 1969; lavaan's ``estimator = "ML"``,
``likelihood = "normal"``) over groups g with weights w_g = N_g / N:

    F(theta) = sum_g w_g [ log|Sigma_g| + tr(S_g Sigma_g^-1) - log|S_g| - p
                           + (ybar_g - mu_g)' Sigma_g^-1 (ybar_g - mu_g) ]

with S_g the covariance matrix divided by N_g. lavaan's ``fmin`` is F / 2 and its test
statistic is N * F. It is minimised by Fisher scoring with the analytic expected information.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import EstimationError
from loyaltysem.semcore.model import ram
from loyaltysem.semcore.model.partable import ModelVariables


@dataclass
class GroupData:
    """Sample statistics of one group (complete data), plus the raw rows for robust SEs."""

    n: int
    cov: np.ndarray  # divided by n
    mean: np.ndarray
    raw: np.ndarray | None = None  # n x p, may contain NaN under FIML
    logdet: float = field(default=float("nan"))  # log|cov|, cached

    def __post_init__(self):
        if np.isnan(self.logdet):
            self.logdet = float(np.linalg.slogdet(self.cov)[1])

    @classmethod
    def from_array(cls, x: np.ndarray) -> GroupData:
        n = x.shape[0]
        mean = x.mean(axis=0)
        xc = x - mean
        return cls(n, xc.T @ xc / n, mean, x)


@dataclass
class CompiledModel:
    pt: pd.DataFrame
    mv: ModelVariables
    groups: list[ram.GroupStructure]
    meanstructure: bool
    npar: int
    exo_values: list[dict[int, float]] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # e.g. the Hessian at the solution

    @property
    def ngroups(self) -> int:
        return len(self.groups)

    @property
    def p(self) -> int:
        return len(self.mv.ov)

    @property
    def n_moments(self) -> int:
        """Sample moments the model reproduces: p(p+1)/2 (+ p means) per group, minus the
        fixed.x covariates' own moments (lavaan's df bookkeeping)."""
        p, nx, ms = self.p, len(self.exo_index), self.meanstructure
        per_group = p * (p + 1) // 2 + (p if ms else 0) - nx * (nx + 1) // 2 - (nx if ms else 0)
        return self.ngroups * per_group

    @property
    def exo_index(self) -> list[int]:
        """Positions (in ``mv.ov``) of the fixed.x covariates: observed exogenous variables
        whose moments are fixed at their sample values (empty with ``fixed_x=False``)."""
        if "exo_index" not in self.cache:
            has_exo = bool((self.pt["exo"] == 1).any())
            x = set(self.mv.ov_x) if has_exo else set()
            self.cache["exo_index"] = [i for i, v in enumerate(self.mv.ov) if v in x]
        return self.cache["exo_index"]

    def implied(self, theta: np.ndarray) -> list[ram.Implied]:
        return [
            ram.implied(gs, theta, self.exo_values[g] if self.exo_values else None)
            for g, gs in enumerate(self.groups)
        ]


def compile_model(pt: pd.DataFrame, mv: ModelVariables, meanstructure: bool) -> CompiledModel:
    groups = sorted(int(g) for g in pt.loc[pt["group"] > 0, "group"].unique())
    structures = [ram.group_structure(pt, g, mv, meanstructure) for g in groups]
    npar = int(pt["free"].max()) if (pt["free"] > 0).any() else 0
    return CompiledModel(pt, mv, structures, meanstructure, npar)


def set_exo_values(model: CompiledModel, data: list[GroupData]) -> None:
    """fixed.x: exogenous covariates' (co)variances and means fixed at their sample values."""
    values = []
    ov_index = {v: i for i, v in enumerate(model.mv.ov)}
    for g, gd in enumerate(data, start=1):
        vals: dict[int, float] = {}
        rows = model.pt[(model.pt["group"] == g) & (model.pt["exo"] == 1)]
        mean, cov = gd.mean, gd.cov
        if cov is None:  # incomplete data without EM moments (a refit): the covariates are
            mean, cov = _complete_column_moments(gd.raw)  # complete (fixed.x deletion)
        for pos, r in rows.iterrows():
            i = ov_index[r["lhs"]]
            if r["op"] == "~~":
                vals[pos] = float(cov[i, ov_index[r["rhs"]]])
            elif r["op"] == "~1":
                vals[pos] = float(mean[i])
        values.append(vals)
    model.exo_values = values


def _complete_column_moments(raw: np.ndarray):
    """Means and covariances (divisor N) of the columns without missing values (NaN
    elsewhere)."""
    p = raw.shape[1]
    ok = ~np.isnan(raw).any(axis=0)
    mean = np.full(p, np.nan)
    cov = np.full((p, p), np.nan)
    x = raw[:, ok]
    mean[ok] = x.mean(axis=0)
    xc = x - mean[ok]
    cov[np.ix_(ok, ok)] = xc.T @ xc / len(x)
    return mean, cov


# ----------------------------------------------------------------------------- ML pieces


def trace_products(inv: np.ndarray, dS: np.ndarray) -> np.ndarray:
    """T_kl = tr(inv dS_k inv dS_l) for symmetric dS_k, computed with one matrix product:
    with inv = L L', T_kl = <L' dS_k L, L' dS_l L> (Frobenius)."""
    L = np.linalg.cholesky(inv)
    q, p = dS.shape[0], dS.shape[1]
    N = np.matmul(np.matmul(L.T[None, :, :], dS), L[None, :, :]).reshape(q, p * p)
    return N @ N.T


def quad_forms(z: np.ndarray, dS: np.ndarray) -> np.ndarray:
    """Q_ik = z_i' dS_k z_i for rows z_i (N x p) and matrices dS_k (q x p x p)."""
    n, p = z.shape
    zz = (z[:, :, None] * z[:, None, :]).reshape(n, p * p)
    return zz @ dS.reshape(dS.shape[0], p * p).T


def numerical_hessian(grad_fn, theta: np.ndarray, rel_step: float = 1e-5) -> np.ndarray:
    """Symmetrised central-difference Jacobian of an analytic gradient."""
    q = len(theta)
    H = np.zeros((q, q))
    for j in range(q):
        h = rel_step * max(1.0, abs(theta[j]))
        tp, tm = theta.copy(), theta.copy()
        tp[j] += h
        tm[j] -= h
        H[:, j] = (grad_fn(tp) - grad_fn(tm)) / (2 * h)
    return (H + H.T) / 2


def trace_with(W: np.ndarray, dS: np.ndarray) -> np.ndarray:
    """t_k = tr(W dS_k) for symmetric W."""
    q = dS.shape[0]
    return dS.reshape(q, -1) @ W.reshape(-1)


def _inv_logdet(sigma: np.ndarray):
    """Inverse and log-determinant by Cholesky; (None, None) if not positive definite.
    (numpy's LAPACK: importing scipy.linalg would cost a small fit a fifth of a second.)"""
    try:
        L = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None, None
    logdet = 2.0 * np.log(np.diag(L)).sum()
    L_inv = np.linalg.inv(L)
    return L_inv.T @ L_inv, logdet


@dataclass
class _GroupTerms:
    """What every objective, gradient and Hessian needs from one group at theta."""

    inv: np.ndarray  # Sigma^-1
    s_plus: np.ndarray  # S + (ybar - mu)(ybar - mu)'
    v: np.ndarray | None  # Sigma^-1 (ybar - mu) with a mean structure
    W: np.ndarray  # Sigma^-1 - Sigma^-1 S+ Sigma^-1, dF = tr(W dSigma) - 2 v' dmu
    f: float  # the group's discrepancy


def _group_terms(model: CompiledModel, imp, gd: GroupData) -> _GroupTerms | None:
    inv, logdet = _inv_logdet(imp.sigma)
    if inv is None:
        return None
    s_plus, v = gd.cov, None
    if model.meanstructure:
        d = gd.mean - imp.mu
        s_plus = gd.cov + np.outer(d, d)
        v = inv @ d
    W = inv - inv @ s_plus @ inv
    f = logdet + np.sum(s_plus * inv) - gd.logdet - len(inv)
    return _GroupTerms(inv, s_plus, v, W, float(f))


def _terms_or_raise(model, imp, gd) -> _GroupTerms:
    t = _group_terms(model, imp, gd)
    if t is None:
        raise EstimationError("the model-implied covariance matrix is not positive definite")
    return t


def ml_discrepancy(model: CompiledModel, data: list[GroupData], theta: np.ndarray) -> float:
    """F(theta) above; +inf where an implied matrix is not positive definite."""
    ntot = sum(d.n for d in data)
    total = 0.0
    for imp, gd in zip(model.implied(theta), data, strict=True):
        t = _group_terms(model, imp, gd)
        if t is None:
            return np.inf
        total += gd.n / ntot * t.f
    return float(total)


def ml_gradient(model: CompiledModel, data: list[GroupData], theta: np.ndarray) -> np.ndarray:
    """Analytic gradient of F (cheap: no Jacobian array, see ``ram.gradient_terms``)."""
    ntot = sum(d.n for d in data)
    grad = np.zeros(model.npar)
    for gs, imp, gd in zip(model.groups, model.implied(theta), data, strict=True):
        t = _terms_or_raise(model, imp, gd)
        grad += gd.n / ntot * ram.gradient_terms(gs, imp, t.W, t.v, model.npar)
    return grad


def ml_gradient_information(
    model: CompiledModel, data: list[GroupData], theta: np.ndarray, with_hessian: bool = True
):
    """Gradient of F and its expected Hessian (2 x expected information per observation)."""
    if not with_hessian:
        return ml_gradient(model, data, theta), None
    _, grad, hess = _fgh(model, data, theta, raise_if_not_pd=True)
    return grad, hess


def expected_information(model: CompiledModel, data: list[GroupData], theta: np.ndarray):
    """Expected information of all N observations: sum_g N_g * (H_g / 2) (lavaan's default)."""
    q = model.npar
    info = np.zeros((q, q))
    for gs, imp, gd in zip(model.groups, model.implied(theta), data, strict=True):
        inv, _ = _inv_logdet(imp.sigma)
        r2 = ram.rank2(gs, imp, q)
        h = 0.5 * ram.information_rank2(r2, inv)
        if model.meanstructure:
            h += r2.dmu @ inv @ r2.dmu.T
        info += gd.n * h
    return info


# ----------------------------------------------------------------------------- start values


def start_values(model: CompiledModel, data: list[GroupData], std_lv: bool) -> np.ndarray:
    """Simple, data-based starting values (in the spirit of lavaan's 'simple'/FABIN starts)."""
    theta = np.full(model.npar, np.nan)
    pt = model.pt
    ov_index = {v: i for i, v in enumerate(model.mv.ov)}
    lv = set(model.mv.lv)
    cols = [pt[c].to_numpy() for c in ("group", "free", "start", "lhs", "op", "rhs")]
    for g, gd in enumerate(data, start=1):
        cov = gd.cov
        keep = (cols[0] == g) & (cols[1] > 0)
        loadings = _start_loadings(model, cov, ov_index, std_lv)
        higher = {} if std_lv else _higher_order_starts(model, cov, ov_index, loadings)
        for free, start, lhs, op, rhs in zip(*(c[keep] for c in cols[1:]), strict=True):
            k = int(free) - 1
            if not np.isnan(theta[k]):
                continue
            if not np.isnan(start):
                theta[k] = start
                continue
            if (lhs, op, rhs) in higher:
                theta[k] = higher[(lhs, op, rhs)]
            elif op == "=~":
                theta[k] = loadings.get((lhs, rhs), 1.0)
            elif op == "~~" and lhs == rhs:
                if lhs in lv:
                    theta[k] = 1.0 if std_lv else _start_lv_var(model, lhs, cov, ov_index)
                else:
                    theta[k] = 0.5 * cov[ov_index[lhs], ov_index[lhs]]
            elif op == "~1":
                theta[k] = gd.mean[ov_index[lhs]] if lhs in ov_index else 0.0
            else:
                theta[k] = 0.0
    return np.nan_to_num(theta, nan=0.0)


def _start_loadings(model, cov, ov_index, std_lv):
    out = {}
    for f, inds in model.mv.indicators.items():
        obs = [i for i in inds if i in ov_index]
        if not obs:
            continue
        m = ov_index[obs[0]]
        for name in obs:
            j = ov_index[name]
            if std_lv:
                out[(f, name)] = np.sqrt(max(0.5 * cov[j, j], 1e-3))
                continue
            ratios = []
            for other in obs:
                k = ov_index[other]
                if other in (name, obs[0]) or abs(cov[m, k]) < 1e-8:
                    continue
                ratios.append(cov[j, k] / cov[m, k])
            out[(f, name)] = float(np.median(ratios)) if ratios else 1.0
    return out


def _factor_moments(model, cov, ov_index, loadings, factors: list[str]):
    """Covariances of first-order factors from their items: the mean over item pairs of
    S_ab / (lambda_a lambda_b) (the marker's loading is 1); None if a factor has an indicator
    that is not observed or fewer than two items for its variance."""
    items = {}
    for f in factors:
        inds = model.mv.indicators.get(f, [])
        if not inds or any(i not in ov_index for i in inds):
            return None
        lam = [loadings.get((f, i), 1.0) for i in inds]
        items[f] = [(ov_index[i], lam_i) for i, lam_i in zip(inds, lam, strict=True)]
    k = len(factors)
    phi = np.zeros((k, k))
    for a in range(k):
        for b in range(a, k):
            vals = [
                cov[i, j] / (li * lj)
                for i, li in items[factors[a]]
                for j, lj in items[factors[b]]
                if (a != b or i != j) and abs(li * lj) > 1e-8
            ]
            if not vals:
                return None
            phi[a, b] = phi[b, a] = float(np.mean(vals))
    return phi


def _higher_order_starts(model, cov, ov_index, loadings) -> dict:
    """Starts of a second-order factor's loadings, its variance and its first-order factors'
    residual variances (only for factors measured by first-order factors): the first-order
    factors' covariance matrix Phi from their items (:func:`_factor_moments`), FABIN3
    loadings of a one-factor model of Phi (marker 1), psi the mean of Phi_ij / (g_i g_j), and
    residual variances Phi_ii - g_i^2 psi (at least 10% of Phi_ii). The marker-scaled
    lavaan defaults (loadings 1, variances 0.05) can lead scoring into a region where a
    second-order loading collapses to zero; these data-based starts cannot."""
    from loyaltysem.semcore.model.starts import fabin3

    lv = set(model.mv.lv)
    out = {}
    for h, inds in model.mv.indicators.items():
        if not inds or any(i not in lv for i in inds):
            continue
        phi = _factor_moments(model, cov, ov_index, loadings, list(inds))
        if phi is None or not np.all(np.isfinite(phi)) or np.any(np.diag(phi) <= 0):
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma, neg = fabin3(phi)
        if neg or not np.all(np.isfinite(gamma)):
            gamma = np.ones(len(inds))
        pairs = [
            phi[i, j] / (gamma[i] * gamma[j])
            for i in range(len(inds))
            for j in range(len(inds))
            if i != j and abs(gamma[i] * gamma[j]) > 1e-8
        ]
        psi = max(float(np.mean(pairs)) if pairs else 0.05, 0.05)
        out[(h, "~~", h)] = psi
        for name, g_i, v in zip(inds, gamma, np.diag(phi), strict=True):
            out[(h, "=~", name)] = float(g_i)
            out[(name, "~~", name)] = float(max(v - g_i**2 * psi, 0.1 * v))
    return out


def _start_lv_var(model, f, cov, ov_index):
    inds = [i for i in model.mv.indicators.get(f, []) if i in ov_index]
    if not inds:
        return 0.05
    m = ov_index[inds[0]]
    return max(0.5 * cov[m, m], 0.05)


def ml_fgh(model: CompiledModel, data: list[GroupData], theta: np.ndarray):
    """F, its gradient and expected Hessian in one pass; (inf, None, None) if not PD."""
    return _fgh(model, data, theta, raise_if_not_pd=False)


def _fgh(model, data, theta, raise_if_not_pd: bool):
    ntot = sum(d.n for d in data)
    q = model.npar
    f, grad, hess = 0.0, np.zeros(q), np.zeros((q, q))
    for gs, imp, gd in zip(model.groups, model.implied(theta), data, strict=True):
        t = _terms_or_raise(model, imp, gd) if raise_if_not_pd else _group_terms(model, imp, gd)
        if t is None:
            return np.inf, None, None
        w = gd.n / ntot
        r2 = ram.rank2(gs, imp, q)
        f += w * t.f
        grad += w * ram.gradient_terms(gs, imp, t.W, t.v, q)
        hess += w * ram.information_rank2(r2, t.inv)
        if model.meanstructure:
            hess += w * 2.0 * r2.dmu @ t.inv @ r2.dmu.T
    return f, grad, hess


def ml_observed_hessian(model: CompiledModel, data: list[GroupData], theta: np.ndarray):
    """Analytic Hessian of F (no mean structure: exact; with means the mean part uses the
    expected information): d2F = -T(P, P) + T(P, P S+ P) + tr(W d2Sigma)."""
    return ml_gradient_observed_hessian(model, data, theta)[1]


def ml_gradient_observed_hessian(model: CompiledModel, data: list[GroupData], theta: np.ndarray,
                                 with_hessian: bool = True):  # fmt: skip
    """The gradient of F and (``with_hessian``) its analytic observed Hessian
    (:func:`ml_observed_hessian`) from one evaluation of the implied moments."""
    ntot = sum(d.n for d in data)
    q = model.npar
    grad, hess = np.zeros(q), np.zeros((q, q)) if with_hessian else None
    for gs, imp, gd in zip(model.groups, model.implied(theta), data, strict=True):
        t = _terms_or_raise(model, imp, gd)
        grad += gd.n / ntot * ram.gradient_terms(gs, imp, t.W, t.v, q)
        if not with_hessian:
            continue
        r2 = ram.rank2(gs, imp, q)
        grams = r2.grams(t.inv)
        h = -ram.information_rank2(r2, t.inv, grams)
        h += ram.cross_information_rank2(r2, t.inv, t.inv @ t.s_plus @ t.inv, grams)
        h += ram.second_derivative_trace(gs, imp, t.W, q)
        if model.meanstructure:
            h += 2.0 * r2.dmu @ t.inv @ r2.dmu.T
        hess += gd.n / ntot * h
    return grad, None if hess is None else (hess + hess.T) / 2


def newton_refit(
    model: CompiledModel,
    data: list[GroupData],
    theta0: np.ndarray,
    *,
    tol: float = 1e-9,
    max_iter: int = 60,
):
    """Newton-Raphson with the analytic observed Hessian (a Fisher step where that Hessian
    is not positive definite) and step halving; quadratic convergence from a nearby start.
    Returns (theta, converged, iterations)."""
    from loyaltysem.base.blas import scipy_linalg

    linalg = scipy_linalg()  # scipy's BLAS on one thread too (refits run single-threaded)

    theta = theta0.copy()
    f = ml_discrepancy(model, data, theta)
    if not np.isfinite(f):
        return theta, False, 0
    H_fac = None
    last_step = np.inf
    for it in range(1, max_iter + 1):
        fresh = H_fac is None or last_step > 1e-3  # near the optimum it barely changes
        g, H = ml_gradient_observed_hessian(model, data, theta, fresh)
        if fresh:
            try:
                H_fac = linalg.cho_factor(H, check_finite=False)
            except (linalg.LinAlgError, ValueError):
                _, _, H = ml_fgh(model, data, theta)  # not PD: a Fisher step instead
                H_fac = linalg.cho_factor(H, check_finite=False)
        step = -linalg.cho_solve(H_fac, g, check_finite=False)
        t = 1.0
        for _ in range(30):
            cand = theta + t * step
            fc = ml_discrepancy(model, data, cand)
            if np.isfinite(fc) and fc <= f + 1e-13 * max(1.0, abs(f)):
                break
            t *= 0.5
        else:
            return theta, bool(np.max(np.abs(g)) < 1e-6), it
        theta, f = cand, fc
        last_step = np.max(np.abs(t * step))
        if last_step < tol:
            return theta, True, it
    return theta, False, max_iter


def ml_f_gradient(model: CompiledModel, data: list[GroupData], theta: np.ndarray):
    """F and its gradient in one pass; (inf, None) where an implied matrix is not PD."""
    ntot = sum(d.n for d in data)
    f, grad = 0.0, np.zeros(model.npar)
    for gs, imp, gd in zip(model.groups, model.implied(theta), data, strict=True):
        t = _group_terms(model, imp, gd)
        if t is None:
            return np.inf, None
        w = gd.n / ntot
        f += w * t.f
        grad += w * ram.gradient_terms(gs, imp, t.W, t.v, model.npar)
    return f, grad


def bfgs_refit(
    model: CompiledModel,
    data: list[GroupData],
    theta0: np.ndarray,
    hess_inv0: np.ndarray,
    *,
    tol: float = 1e-7,
    max_iter: int = 200,
):
    """BFGS from a nearby solution, seeded with the inverse Hessian there (for bootstrap
    and Monte Carlo refits: each step costs one objective and gradient, and the O(q^2)
    inverse update of Nocedal & Wright 2006, eq. 6.17). Returns (theta, converged, iters)."""
    theta = theta0.copy()
    f, g = ml_f_gradient(model, data, theta)
    if g is None:
        return theta, False, 0
    Hi = hess_inv0.copy()
    for it in range(1, max_iter + 1):
        p = -Hi @ g
        slope = g @ p
        if slope >= 0:  # not a descent direction: restart from the seed matrix
            Hi = hess_inv0.copy()
            p = -Hi @ g
            slope = g @ p
        t = 1.0
        for _ in range(40):
            cand = theta + t * p
            fc, gc = ml_f_gradient(model, data, cand)
            if gc is not None and fc <= f + 1e-4 * t * slope:
                break
            t *= 0.5
        else:
            return theta, bool(np.max(np.abs(g)) < 1e-6), it
        s = cand - theta
        y = gc - g
        theta, f, g = cand, fc, gc
        if np.max(np.abs(s)) < tol:
            return theta, True, it
        sy = s @ y
        if sy > 1e-14:
            Hy = Hi @ y
            Hi += ((sy + y @ Hy) / sy**2) * np.outer(s, s) - (
                np.outer(Hy, s) + np.outer(s, Hy)
            ) / sy
    return theta, False, max_iter
