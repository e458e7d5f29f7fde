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

from .._blas import single_threaded
from ..errors import EstimationError
from . import h1, ram

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


def _gradient(cm, data: list[FimlData], theta) -> np.ndarray:
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


@single_threaded
def fit_fiml(cm, data: list[FimlData], std_lv: bool):
    """Maximise the FIML likelihood: start from the ML fit to the EM moments, then Fisher
    scoring with the exact expected information of the incomplete data, finished by Newton
    steps with the analytic observed information (kept for the standard errors)."""
    from .compiled import GroupData, fisher_scoring, start_values

    em_groups = [GroupData(d.n, d.cov, d.mean) for d in data]
    theta = start_values(cm, em_groups, std_lv)
    theta, _, it0 = fisher_scoring(cm, em_groups, theta, tol=1e-6)
    theta, converged, it = newton_fiml(cm, data, theta)
    return theta, converged, it0 + it


def newton_fiml(
    cm,
    data: list[FimlData],
    theta0: np.ndarray,
    max_iter: int = 200,
    final_information=True,
    tol: float = 1e-9,
):
    """Fisher scoring (expected information) until the steps are below 0.05, then Newton
    steps with the observed information (kept while the steps are below 1e-5, where it
    barely changes; scoring again if a Newton step is not a descent direction); step
    halving on -2 logL / N. Returns (theta, converged, iterations); the observed information
    at the solution is cached on ``cm``."""
    theta = theta0.copy()
    ntot = sum(d.n for d in data)
    f = _objective(cm, data, theta)
    if not np.isfinite(f):
        raise EstimationError("FIML: the starting values give a non-positive-definite matrix")
    kind, info, size = "expected", None, np.inf
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        grad = _gradient(cm, data, theta)
        if not (kind == "observed" and size < 1e-5 and info is not None):
            info = information_fiml(cm, data, theta, kind)
        try:
            step = -np.linalg.solve(info * 2 / ntot, grad)
        except np.linalg.LinAlgError:
            step = -np.linalg.lstsq(info * 2 / ntot, grad, rcond=None)[0]
        if kind == "observed" and grad @ step >= 0:  # not a descent direction: scoring
            kind, size = "expected", np.inf
            continue
        t = 1.0
        for _ in range(40):
            cand = theta + t * step
            fc = _objective(cm, data, cand)
            if np.isfinite(fc) and fc <= f + 1e-12 * max(1.0, abs(f)):
                break
            t *= 0.5
        else:
            break
        theta, f = cand, fc
        size = np.max(np.abs(t * step))
        if size < tol:
            break
        if size < 0.05 and kind == "expected":
            kind, size = "observed", np.inf  # first observed step: a fresh information
    grad = _gradient(cm, data, theta)
    converged = bool(np.max(np.abs(grad)) < 1e-6)
    if final_information:
        H = information_fiml(cm, data, theta, "observed")
        cm.cache[("fiml_information", theta.tobytes())] = H
    return theta, converged, it


def refit_fiml(cm, data: list[FimlData], theta0: np.ndarray):
    """Refit from a nearby solution (bootstrap draws): ``newton_fiml`` without the final
    observed information. Returns (theta, converged)."""
    theta, ok, _ = newton_fiml(cm, data, theta0, final_information=False, tol=1e-8)
    return theta, ok


def observed_information(result) -> np.ndarray:
    """Observed information of all N cases (analytic)."""
    key = ("fiml_information", result.theta.tobytes())
    H = result.model.cache.get(key)
    if H is None:
        H = information_fiml(result.model, result.data, result.theta, "observed")
        result.model.cache[key] = H
    return H


def vcov_fiml(result) -> np.ndarray:
    A = observed_information(result)
    if result.estimator == "MLR":
        scores = casewise_scores(result)
        B = sum(s.T @ s for s in scores)
        A_inv = np.linalg.inv(A)
        return A_inv @ B @ A_inv
    return np.linalg.inv(A)


def casewise_scores(result) -> list[np.ndarray]:
    """Per group: N_g x q casewise scores of the FIML log-likelihood (h1 scores at the implied
    moments times Delta)."""
    cm = result.model
    out = []
    for gs, imp, gd in zip(cm.groups, result.implied_moments, result.data, strict=True):
        dS, dm = ram.jacobian(gs, imp, cm.npar)
        D = h1.delta(dS, dm, True)
        out.append(h1.scores(gd.raw, gd.patterns, imp.sigma, imp.mu, True) @ D)
    return out


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
