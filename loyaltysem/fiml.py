"""Full-information maximum likelihood for incomplete data (lavaan's ``missing = "fiml"``).

Rows are grouped by their pattern of observed items; each pattern contributes
-n_k/2 [p_k log(2 pi) + log|Sigma_k| + tr(Sigma_k^-1 (S_k + d_k d_k'))], with Sigma_k and mu_k
the observed part of the implied moments, S_k and ybar_k the pattern's own moments and
d_k = ybar_k - mu_k (Arbuckle 1996; Enders 2010). Gradients are analytic; standard errors
come from the observed information (numerical Hessian of the analytic gradient), as lavaan's
default for FIML. The unrestricted (h1) model is estimated by the EM algorithm (Dempster,
Laird & Rubin 1977) and gives the chi-square, the unrestricted log-likelihood and the
"sample" moments for SRMR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import ram
from ._blas import single_threaded
from .compiled import numerical_hessian, quad_forms, trace_with
from .errors import EstimationError

LOG_2PI = math.log(2 * math.pi)


@dataclass
class Pattern:
    obs: np.ndarray  # indices of observed items
    rows: np.ndarray  # row indices in the group's data
    n: int
    mean: np.ndarray
    cov: np.ndarray  # divided by n


@dataclass
class FimlData:
    """One group's incomplete data, organised by missing-data pattern."""

    n: int
    raw: np.ndarray
    patterns: list[Pattern]
    cov: np.ndarray = field(default=None)  # EM (h1) estimates, filled on demand
    mean: np.ndarray = field(default=None)
    h1_logl: float = float("nan")

    @classmethod
    def from_array(cls, x: np.ndarray) -> FimlData:
        observed = ~np.isnan(x)
        keys, inverse = np.unique(observed, axis=0, return_inverse=True)
        patterns = []
        for k, key in enumerate(keys):
            rows = np.where(inverse.ravel() == k)[0]
            obs = np.where(key)[0]
            sub = x[np.ix_(rows, obs)]
            mean = sub.mean(axis=0)
            c = sub - mean
            patterns.append(Pattern(obs, rows, len(rows), mean, c.T @ c / len(rows)))
        out = cls(x.shape[0], x, patterns)
        out.mean, out.cov, out.h1_logl = em_saturated(out)
        return out


def pattern_loglik(pat: Pattern, sigma: np.ndarray, mu: np.ndarray) -> float:
    s = sigma[np.ix_(pat.obs, pat.obs)]
    d = pat.mean - mu[pat.obs]
    try:
        L = np.linalg.cholesky(s)
    except np.linalg.LinAlgError:
        return -np.inf
    inv = np.linalg.solve(L.T, np.linalg.solve(L, np.eye(len(s))))
    logdet = 2 * np.log(np.diag(L)).sum()
    return -pat.n / 2 * (len(s) * LOG_2PI + logdet + np.sum(inv * (pat.cov + np.outer(d, d))))


def loglik(data: FimlData, sigma: np.ndarray, mu: np.ndarray) -> float:
    return float(sum(pattern_loglik(p, sigma, mu) for p in data.patterns))


def em_saturated(data: FimlData, max_iter: int = 10000, tol: float = 1e-10):
    """EM estimates of the saturated mean and covariance, and their log-likelihood."""
    x = data.raw
    n, p = x.shape
    mu = np.nanmean(x, axis=0)
    sigma = np.diag(np.nanvar(x, axis=0))
    logl_old = -np.inf
    for _ in range(max_iter):
        T1 = np.zeros(p)
        T2 = np.zeros((p, p))
        for pat in data.patterns:
            o = pat.obs
            m = np.setdiff1d(np.arange(p), o)
            sub = x[np.ix_(pat.rows, o)]
            if len(m) == 0:
                T1 += sub.sum(axis=0)
                T2 += sub.T @ sub
                continue
            soo = sigma[np.ix_(o, o)]
            smo = sigma[np.ix_(m, o)]
            B = np.linalg.solve(soo, smo.T).T  # regression of missing on observed
            full = np.empty((len(pat.rows), p))
            full[:, o] = sub
            full[:, m] = mu[m] + (sub - mu[o]) @ B.T
            resid = sigma[np.ix_(m, m)] - B @ smo.T
            T1 += full.sum(axis=0)
            T2 += full.T @ full
            T2[np.ix_(m, m)] += len(pat.rows) * resid
        mu = T1 / n
        sigma = T2 / n - np.outer(mu, mu)
        logl = loglik(data, sigma, mu)
        if abs(logl - logl_old) < tol * (1 + abs(logl)):
            break
        logl_old = logl
    return mu, sigma, loglik(data, sigma, mu)


# ----------------------------------------------------------------------------- model fitting


def _objective(cm, data: list[FimlData], theta) -> float:
    """-2 logL / N of the model (infinite where an implied matrix is not positive definite)."""
    ntot = sum(d.n for d in data)
    total = 0.0
    for imp, gd in zip(cm.implied(theta), data, strict=True):
        ll = loglik(gd, imp.sigma, imp.mu)
        if not np.isfinite(ll):
            return np.inf
        total += ll
    return -2.0 * total / ntot


def _gradient(cm, data: list[FimlData], theta, with_info: bool = False):
    """Gradient of -2 logL / N; optionally an approximate (complete-data) expected Hessian."""
    ntot = sum(d.n for d in data)
    q = cm.npar
    grad = np.zeros(q)
    info = np.zeros((q, q)) if with_info else None
    for gs, imp, gd in zip(cm.groups, cm.implied(theta), data, strict=True):
        p = len(imp.sigma)
        Wtot = np.zeros((p, p))
        vtot = np.zeros(p)
        for pat in gd.patterns:
            o = pat.obs
            s = imp.sigma[np.ix_(o, o)]
            inv = np.linalg.inv(s)
            d = pat.mean - imp.mu[o]
            W = inv - inv @ (pat.cov + np.outer(d, d)) @ inv
            Wtot[np.ix_(o, o)] += pat.n * W
            vtot[o] += pat.n * (inv @ d)
        grad += ram.gradient_terms(gs, imp, Wtot, vtot, q) / ntot
        if with_info:
            r2 = ram.rank2(gs, imp, q)
            inv = np.linalg.inv(imp.sigma)
            info += gd.n / ntot * (ram.information_rank2(r2, inv) + 2.0 * r2.dmu @ inv @ r2.dmu.T)
    return grad, info


def _hessian(cm, data, theta) -> np.ndarray:
    return numerical_hessian(lambda t: _gradient(cm, data, t)[0], theta)


@single_threaded
def fit_fiml(cm, data: list[FimlData], std_lv: bool):
    """Maximise the FIML likelihood: start from the ML fit to the EM moments, then scoring
    steps with the complete-data information, finished by Newton steps on the exact Hessian."""
    from .compiled import GroupData, fisher_scoring, start_values

    em_groups = [GroupData(d.n, d.cov, d.mean) for d in data]
    theta = start_values(cm, em_groups, std_lv)
    theta, _, it0 = fisher_scoring(cm, em_groups, theta, tol=1e-6)
    f = _objective(cm, data, theta)
    if not np.isfinite(f):
        raise EstimationError("FIML: the starting values give a non-positive-definite matrix")
    converged = False
    it = 0
    for it in range(1, 301):  # noqa: B007 (the count is reported)
        grad, info = _gradient(cm, data, theta, with_info=True)
        step = -np.linalg.solve(info, grad)
        t = 1.0
        for _ in range(40):
            cand = theta + t * step
            fc = _objective(cm, data, cand)
            if np.isfinite(fc) and fc <= f + 1e-13 * abs(f):
                break
            t *= 0.5
        else:
            break
        theta, f_old, f = cand, f, fc
        if np.max(np.abs(t * step)) < 1e-7 or abs(f_old - f) < 1e-13:
            break
    # Newton polish with the exact Hessian, computed once and kept for the standard errors
    H = _hessian(cm, data, theta)
    for _ in range(20):
        grad, _ = _gradient(cm, data, theta)
        if np.max(np.abs(grad)) < 1e-9:
            converged = True
            break
        cand = theta - np.linalg.solve(H, grad)
        fc = _objective(cm, data, cand)
        if not (np.isfinite(fc) and fc <= f + 1e-12):
            converged = bool(np.max(np.abs(grad)) < 1e-6)
            break
        theta, f = cand, fc
    else:
        grad, _ = _gradient(cm, data, theta)
        converged = bool(np.max(np.abs(grad)) < 1e-6)
    cm.cache[("fiml_hessian", theta.tobytes())] = H
    return theta, converged, it0 + it


def observed_information(result) -> np.ndarray:
    """Observed information of all N cases: N/2 times the Hessian of -2 logL / N."""
    key = ("fiml_hessian", result.theta.tobytes())
    H = result.model.cache.get(key)
    if H is None:
        H = result.model.cache[key] = _hessian(result.model, result.data, result.theta)
    return result.n / 2 * H


def vcov_fiml(result) -> np.ndarray:
    A = observed_information(result)
    if result.estimator == "MLR":
        scores = casewise_scores(result)
        B = sum(s.T @ s for s in scores)
        A_inv = np.linalg.inv(A)
        return A_inv @ B @ A_inv
    return np.linalg.inv(A)


def casewise_scores(result) -> list[np.ndarray]:
    """Per group: N_g x q casewise scores of the FIML log-likelihood."""
    cm = result.model
    out = []
    for gs, imp, gd in zip(cm.groups, result.implied_moments, result.data, strict=True):
        dS, dm = ram.jacobian(gs, imp, cm.npar)
        s_all = np.zeros((gd.n, cm.npar))
        for pat in gd.patterns:
            o = pat.obs
            inv = np.linalg.inv(imp.sigma[np.ix_(o, o)])
            z = (gd.raw[np.ix_(pat.rows, o)] - imp.mu[o]) @ inv
            dSo = np.ascontiguousarray(dS[:, o][:, :, o])
            s = 0.5 * (quad_forms(z, dSo) - trace_with(inv, dSo)[None, :])
            s += z @ dm[:, o].T
            s_all[pat.rows] = s
        out.append(s_all)
    return out


def fiml_fit_basics(result) -> dict[str, float]:
    """chisq = 2 (logL_h1 - logL_model); baseline: independence model by FIML (each item's
    own mean and variance from its observed values)."""
    logl = 0.0
    h1 = 0.0
    base_logl = 0.0
    base_df = 0.0
    for imp, gd in zip(result.implied_moments, result.data, strict=True):
        logl += loglik(gd, imp.sigma, imp.mu)
        h1 += gd.h1_logl
        p = gd.raw.shape[1]
        for j in range(p):
            col = gd.raw[:, j]
            col = col[~np.isnan(col)]
            var = col.var()
            base_logl += -len(col) / 2 * (LOG_2PI + math.log(var) + 1.0)
        base_df += p * (p - 1) / 2
    return {
        "chisq": 2 * (h1 - logl),
        "baseline.chisq": 2 * (h1 - base_logl),
        "baseline.df": base_df,
        "logl": logl,
        "unrestricted.logl": h1,
    }
