"""Sample statistics of ordered items conditional on exogenous covariates (lavaan 0.6.14's
default ``conditional.x = TRUE`` for categorical data with observed covariates x).

Step 1 (lavaan ``lav_samplestats_step1`` with ``eXo``), one endogenous variable at a time:

* an ordered item with categories 1..K: the probit regression P(y <= k | x) =
  Phi(t_k - x'beta) by maximum likelihood (``lav_uvord_fit``; thresholds t = ``res.th``,
  slopes beta = ``res.slopes``). As lavaan, a respondent's limits are z1 = t_c - x'beta and
  z2 = t_{c-1} - x'beta with t_0 = -100 and t_K = +100 standing in for -inf / +inf;
* a continuous variable: the linear regression y = a + x'b + e by least squares, residual
  variance RSS / N (``lav_uvreg_fit``); WLS.obs holds -a (``res.int``), b and RSS / N.

Step 2 (``lav_samplestats_step2``): one residual correlation per pair with the step-1
parameters fixed, from each respondent's own conditional probabilities:

* ordinal x ordinal: maximise sum_n log[Phi2(z1_i, z1_j) - Phi2(z2_i, z1_j) - Phi2(z1_i, z2_j)
  + Phi2(z2_i, z2_j)] over rho in [-0.999, 0.999] (``lav_bvord_cor_twostep_fit`` with eXo;
  start: the Pearson correlation of the codes; respondents with a likelihood below
  sqrt(eps) left out, as lavaan's NA). No zero-cell rules apply with covariates;
* continuous x ordinal: the polyserial likelihood of :mod:`.bivariate` on the standardised
  regression residual z = (y - a - x'b) / sd and the item's limits z1, z2
  (``lav_bvmix_cor_twostep_fit``; start cor(z, codes) sd(codes) / sum phi(t_k));
* continuous x continuous: the correlation of the two regression residuals.

WLS.obs (``lav_samplestats_wls_obs``, categorical + conditional.x): the thresholds
(-intercept for a continuous variable), vec(res.slopes) (variables fastest, then the
covariates), the residual variances of the continuous variables, then the lower triangle of
the residual correlation (covariance) matrix column by column.

NACOV (``muthen1984`` with eXo): as in :mod:`.nacov` with the step-1 scores now of thresholds,
slopes and residual variances (A11 block-diagonal by variable over all three), the slope
columns of A21 from the bivariate scores (d/d beta = -x d/d z for an ordered item, x d/d mu
for a continuous one), H for the continuous variables, and the signs of the intercept rows
flipped.

The covariates' own moments (mean.x, and cov.x with divisor N - 1 as lavaan computes it for
categorical data) are kept for the model's fixed.x rows; the conditional moments do not
depend on them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.dist import ndtr, ndtri
from loyaltysem.base.dist import norm_pdf as _dnorm
from loyaltysem.base.errors import EstimationError, InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.samplestats.bivariate import (
    SQRT_EPS,
    OrdinalDataWarning,
    _newton_ascent,
    pearson_scores,
    polyserial,
    polyserial_scores,
)
from loyaltysem.samplestats.bvn import bvn_cdf, bvn_pdf, bvn_pdf_drho
from loyaltysem.samplestats.nacov import DWLSWeights, _pairs
from loyaltysem.samplestats.ordinal import (
    GroupedStats,
    _codes_and_groups,
    _group_fit,
    _prepare,
)
from loyaltysem.samplestats.univariate import BIG

__all__ = [
    "CondXSampleStats",
    "CondXStats",
    "ProbitFit",
    "RegressionFit",
    "conditional_sample_stats",
    "fit_probit",
    "fit_regression",
]

# ----------------------------------------------------------------------------- step 1


@dataclass
class ProbitFit:
    """Ordered probit regression of one item on the covariates (``lav_uvord_fit``).

    Attributes:
        codes: categories 1..K (N,); X: covariates (N, q); th: the K - 1 thresholds;
        slopes: the q regression weights (of the latent response y* on x).
    """

    codes: np.ndarray
    X: np.ndarray
    th: np.ndarray
    slopes: np.ndarray

    @property
    def eta(self) -> np.ndarray:
        return self.X @ self.slopes

    @property
    def upper(self) -> np.ndarray:
        """z1 = t_c - x'beta, +100 - x'beta in the top category (lavaan's o1)."""
        ext = np.concatenate(([-BIG], self.th, [BIG]))
        return ext[self.codes] - self.eta

    @property
    def lower(self) -> np.ndarray:
        """z2 = t_{c-1} - x'beta, -100 - x'beta in the bottom category (lavaan's o2)."""
        ext = np.concatenate(([-BIG], self.th, [BIG]))
        return ext[self.codes - 1] - self.eta

    def _parts(self):
        z1, z2 = self.upper, self.lower
        prob = ndtr(z1) - ndtr(z2)
        high = z2 > 1.0  # lavaan: upper tails where both limits are large
        prob[high] = ndtr(-z2[high]) - ndtr(-z1[high])
        k = self.th.size
        c = self.codes
        y1 = np.arange(1, k + 1)[None, :] == c[:, None]  # t_k is the upper limit
        y2 = np.arange(1, k + 1)[None, :] == (c - 1)[:, None]  # t_k is the lower limit
        return z1, z2, prob, y1, y2

    def loglik(self) -> float:
        return float(np.log(self._parts()[2]).sum())

    def scores(self) -> np.ndarray:
        """N x (K - 1 + q) casewise scores: thresholds (y1 phi(z1) - y2 phi(z2)) / P, slopes
        -x (phi(z1) - phi(z2)) / P (``lav_uvord_scores``)."""
        z1, z2, prob, y1, y2 = self._parts()
        p1, p2 = _dnorm(z1), _dnorm(z2)
        s_th = (y1 * p1[:, None] - y2 * p2[:, None]) / prob[:, None]
        s_beta = -self.X * ((p1 - p2) / prob)[:, None]
        return np.hstack([s_th, s_beta])

    def hessian(self) -> np.ndarray:
        """Second derivatives of the log-likelihood (``lav_uvord_hessian``)."""
        z1, z2, prob, y1, y2 = self._parts()
        sc = self.scores()
        g1, g2 = -z1 * _dnorm(z1) / prob, -z2 * _dnorm(z2) / prob  # phi'(z) / P
        a = y1 * g1[:, None] - y2 * g2[:, None]  # (N, K-1)
        k = self.th.size
        X = self.X
        h = -(sc.T @ sc)
        h[:k, :k] += np.diag(a.sum(axis=0))
        h[:k, k:] -= a.T @ X
        h[k:, :k] -= X.T @ a
        h[k:, k:] += X.T @ (X * (g1 - g2)[:, None])
        return h


def fit_probit(codes: np.ndarray, ncat: int, X: np.ndarray, name: str = "") -> ProbitFit:
    """Maximum-likelihood ordered probit regression (Newton's method with step halving; the
    log-likelihood is concave, so the maximum is unique and the start does not matter)."""
    codes = np.asarray(codes, dtype=np.intp)
    freq = np.bincount(codes, minlength=ncat + 1)[1:]
    fit = ProbitFit(codes, X, ndtri(np.cumsum(freq)[:-1] / codes.size), np.zeros(X.shape[1]))
    k = ncat - 1
    f = fit.loglik()
    for _ in range(200):
        g = fit.scores().sum(axis=0)
        h = fit.hessian()
        try:
            step = -np.linalg.solve(h, g)
        except np.linalg.LinAlgError as err:
            raise EstimationError(
                f"probit regression failed for {name}: the covariates may not be of full rank"
            ) from err
        t = 1.0
        while t > 1e-10:
            cand = ProbitFit(codes, X, fit.th + t * step[:k], fit.slopes + t * step[k:])
            if np.all(np.diff(cand.th) > 0):
                fc = cand.loglik()
                if np.isfinite(fc) and fc >= f - 1e-12 * abs(f):
                    break
            t *= 0.5
        else:
            break
        fit, f = cand, fc
        if np.max(np.abs(t * step)) < 1e-11:
            break
    return fit


@dataclass
class RegressionFit:
    """Linear regression of a continuous variable on the covariates (``lav_uvreg_fit``)."""

    y: np.ndarray
    X: np.ndarray
    intercept: float
    slopes: np.ndarray
    var: float  # residual variance, divisor N

    @property
    def resid(self) -> np.ndarray:
        return self.y - self.intercept - self.X @ self.slopes

    @property
    def sd(self) -> float:
        return float(np.sqrt(self.var))

    def scores(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Casewise scores of the intercept e / v, the slopes x e / v and the residual
        variance -1/(2v) + e^2 / (2 v^2) (``lav_uvreg_scores``)."""
        e = self.resid
        s_int = e / self.var
        return s_int, self.X * s_int[:, None], -0.5 / self.var + 0.5 * e * e / self.var**2


def fit_regression(y: np.ndarray, X: np.ndarray, name: str = "") -> RegressionFit:
    """Least-squares intercept and slopes, residual variance RSS / N."""
    y = np.asarray(y, dtype=float)
    X1 = np.column_stack([np.ones(y.size), X])
    coef, _, rank, _ = np.linalg.lstsq(X1, y, rcond=None)
    if rank < X1.shape[1]:
        raise EstimationError(
            f"linear regression failed for {name}: the covariates are not of full rank"
        )
    e = y - X1 @ coef
    return RegressionFit(y, X, float(coef[0]), coef[1:], float(e @ e / y.size))


# ----------------------------------------------------------------------------- step 2


@dataclass
class _Num:
    """A continuous variable as :mod:`.bivariate`'s polyserial / Pearson code sees it."""

    y: np.ndarray
    mean: float
    var: float
    z: np.ndarray

    @property
    def sd(self) -> float:
        return float(np.sqrt(self.var))


@dataclass
class _Ord:
    """An ordered item with its respondent-specific limits (for :mod:`.bivariate`)."""

    codes: np.ndarray
    th: np.ndarray
    upper: np.ndarray
    lower: np.ndarray


def _as_num(fit: RegressionFit) -> _Num:
    e = fit.resid
    return _Num(y=e, mean=0.0, var=fit.var, z=e / fit.sd)


def _as_ord(fit: ProbitFit) -> _Ord:
    return _Ord(fit.codes, fit.th, fit.upper, fit.lower)


def _rect(u1, l1, u2, l2, rho, fn):
    return fn(u1, u2, rho) - fn(l1, u2, rho) - fn(u1, l2, rho) + fn(l1, l2, rho)


def _polychoric_fgh(u1, l1, u2, l2, rho):
    """Log-likelihood, gradient and Hessian in rho of many pairs, casewise (N, P) limits."""
    r = np.broadcast_to(rho[None, :], u1.shape)
    lik = _rect(u1, l1, u2, l2, r, bvn_cdf)
    ok = lik >= SQRT_EPS  # lavaan: smaller likelihoods are NA
    likc = np.where(ok, lik, 1.0)
    phi = _rect(u1, l1, u2, l2, r, bvn_pdf)
    dphi = _rect(u1, l1, u2, l2, r, bvn_pdf_drho)
    f = np.where(ok, np.log(likc), 0.0).sum(axis=0)
    g = np.where(ok, phi / likc, 0.0).sum(axis=0)
    h = np.where(ok, dphi / likc - (phi / likc) ** 2, 0.0).sum(axis=0)
    return f, g, h


def polychoric_x(
    fits: list[ProbitFit], first: np.ndarray, second: np.ndarray, names: list[str]
) -> np.ndarray:
    """Residual polychoric correlations of the pairs (fits[first[p]], fits[second[p]])."""
    up = np.column_stack([f.upper for f in fits])
    lo = np.column_stack([f.lower for f in fits])
    codes = np.column_stack([f.codes for f in fits]).astype(float)
    codes -= codes.mean(axis=0)
    ss = np.sqrt((codes * codes).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho0 = (codes[:, first] * codes[:, second]).sum(axis=0) / (ss[first] * ss[second])
    rho0 = np.where(np.isfinite(rho0) & (np.abs(rho0) < 1), rho0, 0.0)

    def fgh(idx, r):
        a, b = first[idx], second[idx]
        return _polychoric_fgh(up[:, a], lo[:, a], up[:, b], lo[:, b], r)

    rho, conv = _newton_ascent(fgh, rho0, -0.999, 0.999)
    for p in np.flatnonzero(~conv):
        a, b = names[first[p]], names[second[p]]
        msg = f"items {a} and {b}: the polychoric correlation did not converge"
        warnings.warn(
            Notice("ordinal.polychoric_not_converged", msg, a=a, b=b),
            OrdinalDataWarning,
            stacklevel=3,
        )
    return rho


def polychoric_x_scores(f1: ProbitFit, f2: ProbitFit, rho: float):
    """Casewise scores of one pair (``lav_bvord_cor_scores`` with eXo): rho (N,), and the
    thresholds (N, K - 1) and slopes (N, q) of each item; zero where lavaan's likelihood is
    NA (below sqrt(eps))."""
    u1, l1, u2, l2 = f1.upper, f1.lower, f2.upper, f2.lower
    lik = _rect(u1, l1, u2, l2, rho, bvn_cdf)
    ok = lik > SQRT_EPS
    inv = np.where(ok, 1.0 / np.where(ok, lik, 1.0), 0.0)
    R = np.sqrt(1.0 - rho * rho)

    def limit_terms(own_u, own_l, oth_u, oth_l):
        zu = _dnorm(own_u) * (ndtr((oth_u - rho * own_u) / R) - ndtr((oth_l - rho * own_u) / R))
        zl = _dnorm(own_l) * (ndtr((oth_u - rho * own_l) / R) - ndtr((oth_l - rho * own_l) / R))
        return zu, zl

    out = []
    for fit, (zu, zl) in (
        (f1, limit_terms(u1, l1, u2, l2)),
        (f2, limit_terms(u2, l2, u1, l1)),
    ):
        k = fit.th.size
        c = fit.codes
        y1 = np.arange(1, k + 1)[None, :] == c[:, None]
        y2 = np.arange(1, k + 1)[None, :] == (c - 1)[:, None]
        s_th = (y1 * zu[:, None] - y2 * zl[:, None]) * inv[:, None]
        s_sl = fit.X * ((zl - zu) * inv)[:, None]
        out.append((s_th, s_sl))
    s_rho = _rect(u1, l1, u2, l2, rho, bvn_pdf) * inv
    return s_rho, out[0], out[1]


# ----------------------------------------------------------------------------- one group

Fit = ProbitFit | RegressionFit


@dataclass
class CondXStats(DWLSWeights):
    """Conditional sample statistics of one group (see the module docstring).

    Attributes:
        ov: the endogenous observed variables; x: the covariates.
        th / th_names / th_idx: res.th (a continuous variable: its intercept, th_idx 0).
        slopes: res.slopes (len(ov) x len(x)); var: residual variances (1 for items).
        cor / cov: residual correlations / covariances (res.cov); mean: res.int (0 for items).
        cov_x / mean_x: the covariates' moments, the model's fixed.x values (cov_x with
            divisor N - 1, as lavaan's ``cov.x`` for categorical data).
    """

    ov: list[str]
    x: list[str]
    th: np.ndarray
    th_names: list[str]
    th_idx: np.ndarray
    slopes: np.ndarray
    var: np.ndarray
    cor: np.ndarray
    cov: np.ndarray
    mean: np.ndarray
    cov_x: np.ndarray
    mean_x: np.ndarray
    wls_obs: np.ndarray
    wls_obs_names: list[str]
    nacov: np.ndarray | None = None
    influence: np.ndarray | None = None
    zero_cell_tables: list[tuple[str, str]] = field(default_factory=list)
    nobs: int = 0
    group: object = None


def _columns(fits: list[Fit], q: int):
    """Column indices of every variable's thresholds, slopes and variance in lavaan's score
    layout [TH, SL (variables fastest), VAR (continuous), COR]."""
    p = len(fits)
    nth = [f.th.size if isinstance(f, ProbitFit) else 1 for f in fits]
    th_start = np.concatenate(([0], np.cumsum(nth)[:-1])).astype(int)
    n_th = int(sum(nth))
    num = [v for v, f in enumerate(fits) if isinstance(f, RegressionFit)]
    th_cols = [np.arange(th_start[v], th_start[v] + nth[v]) for v in range(p)]
    sl_cols = [n_th + v + p * np.arange(q) for v in range(p)]
    var_col = {v: n_th + p * q + r for r, v in enumerate(num)}
    return th_cols, sl_cols, var_col, n_th + p * q + len(num), num


def condx_two_step(
    fits: list[Fit],
    ov: list[str],
    x: list[str],
    X: np.ndarray,
    *,
    th_labels: list[list[str]] | None = None,
    with_nacov: bool = True,
) -> CondXStats:
    """Residual correlations (step 2), WLS.obs and, if asked, NACOV of one group."""
    p, q = len(fits), len(x)
    ii, jj = _pairs(p)
    kind = np.array([isinstance(f, ProbitFit) for f in fits])
    rho = np.zeros(ii.size)
    oo = np.flatnonzero(kind[ii] & kind[jj])
    ords = np.flatnonzero(kind)
    pos = {v: k for k, v in enumerate(ords)}
    if oo.size:
        rho[oo] = polychoric_x(
            [fits[v] for v in ords],
            np.array([pos[v] for v in jj[oo]]),
            np.array([pos[v] for v in ii[oo]]),
            [ov[v] for v in ords],
        )
    mixed = [k for k in range(ii.size) if kind[ii[k]] != kind[jj[k]]]
    mix_num = [jj[k] if kind[ii[k]] else ii[k] for k in mixed]
    mix_ord = [ii[k] if kind[ii[k]] else jj[k] for k in mixed]
    if mixed:
        rho[mixed] = polyserial(
            [_as_num(fits[v]) for v in mix_num],
            [_as_ord(fits[v]) for v in mix_ord],
            [(ov[a], ov[b]) for a, b in zip(mix_num, mix_ord, strict=True)],
        )
    nn = [k for k in range(ii.size) if not kind[ii[k]] and not kind[jj[k]]]
    for k in nn:
        e1, e2 = fits[ii[k]].resid, fits[jj[k]].resid
        rho[k] = float(e1 @ e2 / np.sqrt((e1 @ e1) * (e2 @ e2)))
    cor = np.eye(p)
    cor[ii, jj] = cor[jj, ii] = rho
    var = np.array([1.0 if kind[v] else fits[v].var for v in range(p)])
    sd = np.sqrt(var)
    cov = cor * np.outer(sd, sd)
    th = np.concatenate([f.th if kind[v] else [f.intercept] for v, f in enumerate(fits)])
    th_idx = np.concatenate([[v + 1] * f.th.size if kind[v] else [0] for v, f in enumerate(fits)])
    names = []
    for v, f in enumerate(fits):
        if kind[v]:
            labels = th_labels[v] if th_labels else [f"t{t + 1}" for t in range(f.th.size)]
            names += [f"{ov[v]}|{lab}" for lab in labels]
        else:
            names.append(ov[v])
    slopes = np.vstack([f.slopes for f in fits]) if p else np.zeros((0, q))
    num = np.flatnonzero(~kind)
    wls_obs = np.concatenate(
        [np.where(th_idx == 0, -th, th), slopes.ravel(order="F"), var[num], cov[ii, jj]]
    )
    obs_names = [n if k else f"{n}~1" for n, k in zip(names, th_idx, strict=True)]
    obs_names += [f"{ov[v]}~{xk}" for xk in x for v in range(p)]
    obs_names += [f"{ov[v]}~~{ov[v]}" for v in num]
    obs_names += [f"{ov[j]}~~{ov[i]}" for i, j in zip(ii, jj, strict=True)]
    xc = X - X.mean(axis=0)
    out = CondXStats(
        ov=list(ov), x=list(x), th=th, th_names=names, th_idx=th_idx, slopes=slopes, var=var,
        cor=cor, cov=cov, mean=np.array([0.0 if kind[v] else fits[v].intercept for v in range(p)]),
        cov_x=xc.T @ xc / (X.shape[0] - 1), mean_x=X.mean(axis=0), wls_obs=wls_obs,
        wls_obs_names=obs_names, nobs=int(X.shape[0]),
    )  # fmt: skip
    if with_nacov:
        ctx = _Muthen(fits, q, ii, jj, rho, var)
        for k in oo:
            ctx.add_polychoric(k)
        for k, u, o in zip(mixed, mix_num, mix_ord, strict=True):
            ctx.add_polyserial(k, u, o)
        for k in nn:
            ctx.add_pearson(k)
        out.influence = ctx.influence(th_idx)
        out.nacov = out.influence.T @ out.influence / out.influence.shape[0]
    return out


class _Muthen:
    """Muthen's (1984) sandwich with covariates: casewise scores S = [S1, S_rho], A21 and H
    pair by pair (lavaan ``muthen1984`` with eXo)."""

    def __init__(self, fits, q, ii, jj, rho, var):
        self.fits, self.ii, self.jj, self.rho, self.var = fits, ii, jj, rho, var
        th_cols, sl_cols, var_col, n1, num = _columns(fits, q)
        self.th_cols, self.sl_cols, self.var_col, self.n1 = th_cols, sl_cols, var_col, n1
        n = fits[0].X.shape[0]
        self.sc1 = np.zeros((n, n1))
        for v, f in enumerate(fits):
            if isinstance(f, ProbitFit):
                sc = f.scores()
                k = f.th.size
                self.sc1[:, th_cols[v]] = sc[:, :k]
                self.sc1[:, sl_cols[v]] = sc[:, k:]
            else:
                s_int, s_sl, s_var = f.scores()
                self.sc1[:, th_cols[v][0]] = s_int
                self.sc1[:, sl_cols[v]] = s_sl
                self.sc1[:, var_col[v]] = s_var
        self.sc_rho = np.zeros((n, ii.size))
        self.a21 = np.zeros((ii.size, n1))
        self.h21 = np.zeros((ii.size, n1))
        self.h22 = np.ones(ii.size)

    def _a21(self, k, v, s_th=None, s_sl=None, s_var=None):
        s = self.sc_rho[:, k]
        if s_th is not None:
            self.a21[k, self.th_cols[v]] = s @ s_th
        if s_sl is not None:
            self.a21[k, self.sl_cols[v]] = s @ s_sl
        if s_var is not None:
            self.a21[k, self.var_col[v]] = s @ s_var

    def add_polychoric(self, k):
        i, j = self.ii[k], self.jj[k]
        s_rho, (th_i, sl_i), (th_j, sl_j) = polychoric_x_scores(
            self.fits[i], self.fits[j], self.rho[k]
        )
        self.sc_rho[:, k] = s_rho
        self._a21(k, i, th_i, sl_i)
        self._a21(k, j, th_j, sl_j)

    def add_polyserial(self, k, u, o):
        num, ordf = self.fits[u], self.fits[o]
        s_rho, s_mean, s_var, s_th = polyserial_scores(_as_num(num), _as_ord(ordf), self.rho[k])
        self.sc_rho[:, k] = s_rho
        X = num.X
        self._a21(k, u, s_mean[:, None], X * s_mean[:, None], s_var)
        self._a21(k, o, s_th, -X * s_th.sum(axis=1)[:, None])
        self.h21[k, self.var_col[u]] = self.rho[k] / (2.0 * num.sd)
        self.h22[k] = num.sd

    def add_pearson(self, k):
        i, j = self.ii[k], self.jj[k]
        fi, fj = self.fits[i], self.fits[j]
        s_rho, m1, v1, m2, v2 = pearson_scores(_as_num(fi), _as_num(fj), self.rho[k])
        self.sc_rho[:, k] = s_rho
        self._a21(k, i, m1[:, None], fi.X * m1[:, None], v1)
        self._a21(k, j, m2[:, None], fj.X * m2[:, None], v2)
        self.h21[k, self.var_col[i]] = fj.sd * self.rho[k] / (2.0 * fi.sd)
        self.h21[k, self.var_col[j]] = fi.sd * self.rho[k] / (2.0 * fj.sd)
        self.h22[k] = fi.sd * fj.sd

    def influence(self, th_idx) -> np.ndarray:
        """N * S B^-T H' with the intercept rows' signs flipped (cf. :mod:`.nacov`)."""
        n = self.sc1.shape[0]
        a11_inv_sc1 = np.zeros_like(self.sc1)
        m = np.zeros((self.n1, self.sc_rho.shape[1]))
        for v in range(len(self.fits)):
            idx = np.concatenate([self.th_cols[v], self.sl_cols[v]])
            if v in self.var_col:
                idx = np.append(idx, self.var_col[v])
            block = self.sc1[:, idx]
            inv = np.linalg.inv(block.T @ block)
            a11_inv_sc1[:, idx] = block @ inv
            m[idx] = inv @ self.a21[:, idx].T
        a22 = (self.sc_rho * self.sc_rho).sum(axis=0)
        a22_inv = np.where(a22 > 0, 1.0 / np.where(a22 > 0, a22, 1.0), 0.0)
        t_rho = (self.sc_rho - self.sc1 @ m) * a22_inv
        t_rho = t_rho * self.h22 + a11_inv_sc1 @ self.h21.T
        out = np.hstack([a11_inv_sc1, t_rho]) * n
        out[:, np.flatnonzero(th_idx == 0)] *= -1.0
        return out


# ----------------------------------------------------------------------------- the data


@dataclass
class CondXSampleStats(GroupedStats, ResultMixin):
    """Conditional two-step statistics of every group (``groups[g]`` is a :class:`CondXStats`);
    the other attributes as :class:`~loyaltysem.samplestats.OrdinalSampleStats`."""

    ov: list[str]
    x: list[str]
    ordered: list[str]
    levels: dict[str, list]
    groups: list[CondXStats]
    group: str | None = None
    group_labels: list = field(default_factory=lambda: [None])
    n_dropped: int = 0
    empty_categories: list[tuple[str, object, object]] = field(default_factory=list)

    def sampstat(self, g: int = 0) -> dict:
        """lavaan's ``lavInspect(fit, "sampstat")`` of group g with conditional.x: res.cov,
        res.int, res.th (the ordered items' thresholds), res.slopes, cov.x, mean.x."""
        st = self.groups[g]
        keep = st.th_idx > 0
        return {
            "res.cov": pd.DataFrame(st.cov, index=st.ov, columns=st.ov),
            "res.int": pd.Series(st.mean, index=st.ov),
            "res.th": pd.Series(st.th[keep], index=np.asarray(st.th_names)[keep]),
            "res.slopes": pd.DataFrame(st.slopes, index=st.ov, columns=st.x),
            "cov.x": pd.DataFrame(st.cov_x, index=st.x, columns=st.x),
            "mean.x": pd.Series(st.mean_x, index=st.x),
        }


def _covariates(frame: pd.DataFrame, covariates: list[str], ordered: list[str]) -> None:
    for c in covariates:
        if c in ordered:
            raise InputError(
                "an exogenous covariate cannot be ordered (lavaan treats covariates as numbers); "
                "recode it as 0/1 dummies",
                column=c,
            )
        col = frame[c]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            raise InputError("covariate is not numeric (recode it as 0/1 dummies)", column=c)
        if col.nunique() < 2:
            raise InputError("covariate has no variance", column=c)


def conditional_sample_stats(
    data: pd.DataFrame,
    variables: Sequence[str],
    covariates: Sequence[str],
    ordered: Sequence[str] | bool = True,
    *,
    group: str | None = None,
    nacov: bool = True,
) -> CondXSampleStats:
    """res.th, res.slopes, res.cov, WLS.obs and NACOV of every group, conditional on the
    covariates (lavaan's ``conditional.x = TRUE``).

    Args:
        data: one row per respondent.
        variables: the endogenous observed variables in lavaan's order (``ov.nox``).
        covariates: the exogenous covariates in lavaan's order (``ov.x``), numeric.
        ordered: the ordered items among ``variables`` (``True``: all).
        group: grouping column (groups in order of appearance).
        nacov: also compute NACOV and the casewise influence matrix.

    Raises:
        InputError: as :func:`~loyaltysem.samplestats.ordinal_sample_stats`, and for an ordered,
            text or constant covariate.
        EstimationError: a regression on covariates that are not of full rank.
    """
    variables, x = list(variables), list(covariates)
    ord_list = variables if ordered is True else [v for v in variables if v in ordered]
    frame, n_dropped = _prepare(data, variables + x, ord_list, group)
    _covariates(frame, x, list(ordered) if ordered is not True else [])
    levels, codes, labels, members = _codes_and_groups(frame, ord_list, group)
    xall = frame[x].to_numpy(dtype=float)
    empty: list = []
    out = []
    for label, rows in zip(labels, members, strict=True):
        X = xall[rows]
        fits, th_labels = [], []
        for v in variables:
            if v in levels:
                ofit, labs = _group_fit(v, codes[v][rows], levels[v], label, empty)
                fits.append(fit_probit(ofit.codes, ofit.ncat, X, v))
            else:
                fits.append(fit_regression(frame[v].to_numpy(dtype=float)[rows], X, v))
                labs = []
            th_labels.append(labs)
        st = condx_two_step(fits, variables, x, X, th_labels=th_labels, with_nacov=nacov)
        st.group = label
        out.append(st)
    return CondXSampleStats(
        ov=variables, x=x, ordered=ord_list, levels=levels, groups=out, group=group,
        group_labels=labels, n_dropped=n_dropped, empty_categories=empty,
    )  # fmt: skip
