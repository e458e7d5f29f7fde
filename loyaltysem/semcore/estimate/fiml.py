"""Full-information maximum likelihood for incomplete data (lavaan's ``missing = "fiml"``).

Rows are grouped by their pattern of observed items; each pattern contributes
-n_k/2 [p_k log(2 pi) + log|Sigma_k| + tr(Sigma_k^-1 (S_k + d_k d_k'))], with Sigma_k and mu_k
the observed part of the implied moments, S_k and ybar_k the pattern's own moments and
d_k = ybar_k - mu_k (Arbuckle 1996; Enders 2010). Gradients and the observed information are
analytic: -d2 logL = sum_g [N_g Delta_g' A_g Delta_g + (1/2) tr(W_g d2Sigma) - v_g' d2mu],
with A_g the observed-data information of the saturated model at the implied moments
(``h1.information``), W_g = sum_k n_k (P_k - P_k T_k P_k) and v_g = sum_k n_k P_k d_k
(Savalei 2010). Standard errors come from this observed information, as lavaan's default
for FIML. The unrestricted (h1) model is estimated by the EM algorithm (Dempster, Laird &
Rubin 1977) and gives the chi-square, the unrestricted log-likelihood and the "sample"
moments for SRMR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from loyaltysem.samplestats import h1
from loyaltysem.semcore.model import ram

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
    def from_array(cls, x: np.ndarray, em: bool = True) -> FimlData:
        """Patterns of ``x`` (rows with no observed value must be removed first); ``em``
        also runs the EM algorithm for the saturated model (not needed for a refit)."""
        observed = ~np.isnan(x)
        keys, inverse = np.unique(observed, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(keys) + 1))
        patterns = []
        for k, key in enumerate(keys):
            rows = order[bounds[k] : bounds[k + 1]]
            obs = np.where(key)[0]
            sub = x[np.ix_(rows, obs)]
            mean = sub.mean(axis=0)
            c = sub - mean
            patterns.append(Pattern(obs, rows, len(rows), mean, c.T @ c / len(rows)))
        out = cls(x.shape[0], x, patterns)
        if em:
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


def objective(cm, data: list[FimlData], theta) -> float:
    """-2 logL / N of the model (infinite where an implied matrix is not positive definite)."""
    ntot = sum(d.n for d in data)
    total = 0.0
    for imp, gd in zip(cm.implied(theta), data, strict=True):
        ll = loglik(gd, imp.sigma, imp.mu)
        if not np.isfinite(ll):
            return np.inf
        total += ll
    return -2.0 * total / ntot


def _pattern_sums(gd: FimlData, sigma: np.ndarray, mu: np.ndarray):
    """W = sum_k n_k (P_k - P_k T_k P_k) and v = sum_k n_k P_k d_k (scattered), so that
    d(-2 logL) = tr(W dSigma) - 2 v' dmu."""
    p = len(sigma)
    Wtot = np.zeros((p, p))
    vtot = np.zeros(p)
    for pat in gd.patterns:
        o = pat.obs
        inv = np.linalg.inv(sigma[np.ix_(o, o)])
        d = pat.mean - mu[o]
        W = inv - inv @ (pat.cov + np.outer(d, d)) @ inv
        Wtot[np.ix_(o, o)] += pat.n * W
        vtot[o] += pat.n * (inv @ d)
    return Wtot, vtot


def gradient(cm, data: list[FimlData], theta) -> np.ndarray:
    """Gradient of -2 logL / N."""
    ntot = sum(d.n for d in data)
    grad = np.zeros(cm.npar)
    for gs, imp, gd in zip(cm.groups, cm.implied(theta), data, strict=True):
        Wtot, vtot = _pattern_sums(gd, imp.sigma, imp.mu)
        grad += ram.gradient_terms(gs, imp, Wtot, vtot, cm.npar) / ntot
    return grad


def information_fiml(cm, data: list[FimlData], theta, kind: str = "observed") -> np.ndarray:
    """Information matrix of all N cases: ``observed`` = -d2 logL (analytic, see the module
    docstring; lavaan's default for FIML standard errors) or ``expected`` =
    sum_g N_g Delta_g' A_g Delta_g with A_g the expected h1 information of the incomplete
    data at the implied moments (lavaan's ``information = "expected"``)."""
    q = cm.npar
    info = np.zeros((q, q))
    observed = kind == "observed"
    for gs, imp, gd in zip(cm.groups, cm.implied(theta), data, strict=True):
        p = len(imp.sigma)
        pa = h1.pattern_arrays(gd.patterns, imp.sigma, imp.mu, observed)
        dS, dm = ram.jacobian(gs, imp, q)
        D = h1.delta(dS, dm, True)
        info += gd.n * D.T @ h1.information(pa, p) @ D
        if observed:
            Wtot = 0.5 * np.tensordot(pa.n, pa.P - pa.G, axes=1)
            vtot = pa.n @ pa.v
            info += 0.5 * ram.second_derivative_trace(gs, imp, Wtot, q)
            info -= ram.second_derivative_mean(gs, imp, vtot, q)
    return (info + info.T) / 2


def exo_loglik(data, x_idx) -> float:
    """Log-likelihood of the fixed.x covariates at their own (sample or EM) moments, which
    lavaan subtracts from logl and unrestricted.logl (``lav_mvnorm_h1_loglik_samplestats``):
    sum_g -N_g/2 [n_x log(2 pi) + log|S_xx| + n_x]."""
    if not len(x_idx):
        return 0.0
    total = 0.0
    nx = len(x_idx)
    for gd in data:
        sxx = gd.cov[np.ix_(x_idx, x_idx)]
        total += -gd.n / 2 * (nx * LOG_2PI + np.linalg.slogdet(sxx)[1] + nx)
    return float(total)


def fiml_loglik(result) -> tuple[float, float]:
    """logl and unrestricted.logl (EM) of a FIML fit, both conditional on fixed.x covariates."""
    logl = 0.0
    h1_logl = 0.0
    for imp, gd in zip(result.implied_moments, result.data, strict=True):
        logl += loglik(gd, imp.sigma, imp.mu)
        h1_logl += gd.h1_logl
    x = result.model.exo_index
    return logl - exo_loglik(result.data, x), h1_logl - exo_loglik(result.data, x)
