"""The model side of ordered items with exogenous covariates x (lavaan 0.6.14's default
``conditional.x = TRUE`` for categorical data): the WLS moments are the model's reduced form
conditional on x, matched to :mod:`loyaltysem.samplestats.conditional`'s statistics.

The RAM model (:mod:`loyaltysem.semcore.model.ram`) keeps x as variables with their fixed.x moments
(Sigma_xx = cov.x, mu_x = mean.x; x has no parents and no covariance with any residual).
Then Sigma_yx = PI Sigma_xx with PI = d E(y|x) / dx the total effects of x, so per group

    PI = Sigma_yx Sigma_xx^-1,   R = Sigma_yy - PI Sigma_xy,   a = mu_y - PI mu_x

are the slopes, the residual covariance and the intercepts of y given x (lavaan's
``computePI``, ``computeSigmaHat`` and ``computeMuHat`` in the LISREL form without x). As
in :mod:`.ordinal_model` (delta parameterization, lavaan's ``setResidualElements``), an
ordered item's residual variance is 1 / delta^2 minus its explained *conditional* variance
without the ordered residual variances - or, in a path model whose regression outcomes are
all ordered, with them at 1 (lavaan's ``sum(diag(PSI)) == 0`` branch, :func:`_constrain`) -
so diag(R) = 1 / delta^2 except for an ordered item predicted by another ordered item (in
that branch: two or more steps down a chain only); the moment vector (``lav_model_wls_est``)
is

    [delta (tau - a) (items) or -a (continuous), vec(delta PI) (variables fastest),
     diag(R) (continuous), the lower triangle of D R D, column by column].

Its Jacobian follows from ram.jacobian's dSigma, dmu (Sigma_xx, mu_x fixed):
dPI = dSigma_yx Sigma_xx^-1, dR = dSigma_yy - dPI Sigma_xy - PI dSigma_xy,
da = dmu_y - dPI mu_x, then the chain rule through delta as in :mod:`.ordinal_model` (the
ordered residual variances held fixed, as lavaan's ``computeDelta``; where one of them enters
a moment - an ordered predictor explained by other parameters - lavaan's Delta and gradient
are then not the objective's, and the fit is the root of that gradient,
:func:`loyaltysem.semcore.estimate.optimizer.gradient_root`).

The baseline model (``lav_partable_independence`` with conditional.x and
``baseline.conditional.x.free.slopes = TRUE``): free thresholds and free slopes of every
endogenous variable on every covariate, zero residual correlations. SRMR uses the residual
correlations and the thresholds (``lav_residuals_summary``: res.cov, res.th; the count of
"diagonal" elements is lavaan's nvar, covariates included); the catML
robust CFI/TLI/RMSEA are not available (NA), as in lavaan.
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import from_warning
from loyaltysem.semcore.model import ram
from loyaltysem.semcore.model.compiled import compile_model
from loyaltysem.semcore.model.ordinal import (
    OrdinalGroupData,
    OrdinalModel,
    WLSLayout,
    threshold_rows,
    wls_group_data,
)
from loyaltysem.semcore.model.partable import ModelVariables, Row, _number_free

__all__ = ["CondXGroupData", "CondXLayout", "CondXModel", "compile_condx", "condx_group_data"]


@dataclass
class CondXGroupData(OrdinalGroupData):
    """One group's conditional statistics (:class:`loyaltysem.samplestats.CondXStats`) and WLS.V.

    ``cov`` / ``mean`` are in the model's variable order ``ov`` (covariates included): the
    residual covariances and intercepts of the endogenous variables given x, and the
    covariates' own moments (the fixed.x values and the start values read them there)."""

    ov: list[str] = field(default_factory=list)

    def _index(self) -> tuple[list[int], list[int]]:
        st = self.stats
        return [self.ov.index(v) for v in st.ov], [self.ov.index(v) for v in st.x]

    @property
    def cov(self) -> np.ndarray:
        y, x = self._index()
        out = np.zeros((len(self.ov), len(self.ov)))
        out[np.ix_(y, y)] = self.stats.cov
        out[np.ix_(x, x)] = self.stats.cov_x
        return out

    @property
    def mean(self) -> np.ndarray:
        y, x = self._index()
        out = np.zeros(len(self.ov))
        out[y] = self.stats.mean
        out[x] = self.stats.mean_x
        return out


@dataclass
class CondXLayout(WLSLayout):
    """:class:`WLSLayout` (indices into the model's ``ov``, covariates included) plus the
    covariates ``x_idx`` and the endogenous observed variables ``y_idx``.

    For lavaan's ``sum(diag(PSI)) == 0`` rule (:func:`_constrain`): ``psi_idx`` are the RAM
    indices (observed then latent variables) of lavaan's PSI - the latent variables, then its
    dummy latent variables (:func:`_lavaan_dummies`); ``lam_const`` / ``lam_at``: the
    diagonal of lavaan's LAMBDA, a constant or (NaN) the loading at RAM A[i, j]."""

    x_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    y_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    psi_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    lam_const: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lam_at: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=int))

    @property
    def size(self) -> int:
        n_slopes = self.y_idx.size * self.x_idx.size
        return self.th_var.size + n_slopes + self.num.size + self.ii.size


@dataclass
class CondXModel(OrdinalModel):
    """An ordinal model whose moments are conditional on the covariates."""

    conditional_x: bool = True

    def implied(self, theta: np.ndarray) -> list[ram.Implied]:
        out = []
        for g, (gs, lay) in enumerate(zip(self.groups, self.layouts, strict=True)):
            exo = self.exo_values[g] if self.exo_values else None
            out.append(_constrain(lay, ram.implied(gs, theta, exo), theta))
        return out

    def wls_moments(self, theta: np.ndarray) -> list[np.ndarray]:
        return [s for s, _ in self.wls_jacobian(theta, jacobian=False)]

    def wls_jacobian(self, theta: np.ndarray, jacobian: bool = True):
        """Per group (sigma(theta), Delta) in the order of WLS.obs; cached at theta."""
        key = ("condx_jacobian", jacobian, theta.tobytes())
        if key not in self.cache:
            out = []
            for gs, lay, imp in zip(self.groups, self.layouts, self.implied(theta), strict=True):
                out.append(_moments_jacobian(gs, lay, imp, theta, self.npar, jacobian))
            old = [k for k in self.cache if isinstance(k, tuple) and k[0] == "condx_jacobian"]
            for k in old[:-8]:
                del self.cache[k]
            self.cache[key] = out
        return self.cache[key]

    def baseline_partable(self) -> tuple[pd.DataFrame, ModelVariables]:
        """lavaan's baseline model with conditional.x (see the module docstring)."""
        return baseline_partable(self), self.baseline_mv

    @property
    def baseline_mv(self) -> ModelVariables:
        x = [v for v in self.mv.ov if v in set(self.mv.ov_x)]
        return ModelVariables(lv=[], ov=list(self.mv.ov), indicators={}, ov_x=x)

    def residual_groups(self, result) -> list[tuple]:
        return residual_groups(result)


# ----------------------------------------------------------------------------- implied


def _constrain(lay: CondXLayout, imp: ram.Implied, theta: np.ndarray) -> ram.Implied:
    """Ordered residual variances 1 / delta^2 - c, lavaan's ``setResidualElements``: with
    S0 = S without the ordered residual variances and the covariates (conditional on x),

        c = diag(B S0 B')                                       (lavaan's general rule)
        c = diag(B S1 B') - 1, S1 = S0 with diag(S1)[PSI] = 1   (sum(diag(PSI)) == 0)

    the second where lavaan's PSI - latent variables and dummy latent variables - has a
    zero diagonal once the ordered residual variances are zeroed (a path model whose
    regression outcomes are all ordered) and the diagonal of its LAMBDA is 1. There the
    explained variance of an ordered outcome adds the squared total effects of the other
    PSI variables (A3 ~ A2: A3 ~~ A3 = 1 - b^2), so Var(y*) = 1 / delta^2 holds one step
    down a chain only (A1 -> A2 -> A3: Var(A3*) = 1 - b1^2 b2^2, as lavaan 0.6.14)."""
    o = lay.ordered
    if o.size == 0:
        return imp
    x = lay.x_idx
    target = 1.0 / lay.delta(theta)[o] ** 2
    B, sig = imp.B, imp.sigma
    s_cur = np.diag(imp.S)[o]
    sox = sig[np.ix_(o, x)]
    from_x = np.einsum("ij,ij->i", sox @ np.linalg.inv(sig[np.ix_(x, x)]), sox)
    c = np.diag(imp.sigma_all)[o] - (B[np.ix_(o, o)] ** 2) @ s_cur - from_x  # diag(B S0 B')
    s0 = np.diag(imp.S).copy()
    s0[o] = 0.0
    if _unit_psi(lay, imp, s0):
        psi = lay.psi_idx
        c = c + (B[np.ix_(o, psi)] ** 2) @ (1.0 - s0[psi]) - 1.0
    u = target - c
    S = imp.S.copy()
    S[o, o] = u
    Bo = B[:, o]
    sigma_all = imp.sigma_all + (Bo * (u - s_cur)) @ Bo.T
    p = len(imp.sigma)
    return ram.Implied(imp.A, S, imp.m, B, sigma_all, imp.mu_all, sigma_all[:p, :p], imp.mu)


def _unit_psi(lay: CondXLayout, imp: ram.Implied, s0: np.ndarray) -> bool:
    """lavaan's condition ``sum(diag(PSI)) == 0 && all(diag(LAMBDA) == 1)`` (exact, as
    lavaan tests it) with the ordered residual variances zeroed (``s0``)."""
    if lay.psi_idx.size == 0 or s0[lay.psi_idx].sum() != 0.0:
        return False
    lam = lay.lam_const.copy()
    at = np.isnan(lam)
    lam[at] = imp.A[lay.lam_at[at, 0], lay.lam_at[at, 1]]
    return bool(np.all(lam == 1.0))


def _conditional(lay: CondXLayout, imp: ram.Implied):
    x = lay.x_idx
    sig, mu = imp.sigma, imp.mu
    sxx_inv = np.linalg.inv(sig[np.ix_(x, x)])
    PI = sig[:, x] @ sxx_inv
    return sxx_inv, PI, sig - PI @ sig[x, :], mu - PI @ mu[x]


def _moments_jacobian(gs, lay: CondXLayout, imp: ram.Implied, theta, q: int, jacobian: bool):
    """sigma(theta) and (if asked) Delta = d sigma / d theta' of one group."""
    sxx_inv, PI, R, a = _conditional(lay, imp)
    x, y, v = lay.x_idx, lay.y_idx, lay.th_var
    delta = lay.delta(theta)
    tau = lay.tau(theta)
    dd = np.outer(delta, delta)
    th = np.where(lay.th_num, -a[v], delta[v] * (tau - a[v]))
    slopes = (delta[:, None] * PI)[y]
    sigma = np.concatenate(
        [th, slopes.ravel(order="F"), R[lay.num, lay.num] * dd[lay.num, lay.num],
         R[lay.ii, lay.jj] * dd[lay.ii, lay.jj]]
    )  # fmt: skip
    if not jacobian:
        return sigma, None
    dS, dm = ram.jacobian(gs, imp, q)
    dPI = dS[:, :, x] @ sxx_inv  # (q, p, nx)
    dR = dS - dPI @ imp.sigma[x, :] - np.matmul(PI, dS[:, x, :])
    da = dm - dPI @ imp.mu[x]
    p = len(delta)
    d_delta = np.zeros((q, p))
    free = np.flatnonzero(lay.delta_theta >= 0)
    d_delta[lay.delta_theta[free], free] = 1.0
    ii, jj, num = lay.ii, lay.jj, lay.num
    d_pairs = dR[:, ii, jj] * dd[ii, jj]
    d_var = dR[:, num, num] * dd[num, num]
    d_slopes = delta[y, None] * dPI[:, y, :]
    if free.size:
        d_pairs += R[ii, jj] * (d_delta[:, ii] * delta[jj] + delta[ii] * d_delta[:, jj])
        d_slopes += d_delta[:, y, None] * PI[y][None, :, :]
    d_tau = np.zeros((q, v.size))
    tf = np.flatnonzero(lay.th_theta >= 0)
    d_tau[lay.th_theta[tf], tf] = 1.0
    d_th = np.where(
        lay.th_num, -da[:, v], delta[v] * (d_tau - da[:, v]) + d_delta[:, v] * (tau - a[v])
    )
    d_sl = d_slopes.transpose(0, 2, 1).reshape(q, -1)  # column-major vec per parameter
    return sigma, np.hstack([d_th, d_sl, d_var, d_pairs]).T


# ----------------------------------------------------------------------------- compile


def compile_condx(pt: pd.DataFrame, mv: ModelVariables, data: list[CondXGroupData]) -> CondXModel:
    """A :class:`CondXModel` of a parameter table whose groups' statistics are ``data``."""
    base = compile_model(pt, mv, True)
    layouts = [_layout(pt, mv, g + 1, gd.stats) for g, gd in enumerate(data)]
    return CondXModel(
        base.pt, base.mv, base.groups, True, base.npar, base.exo_values, layouts=layouts
    )


def _layout(pt: pd.DataFrame, mv: ModelVariables, g: int, st) -> CondXLayout:
    ov = list(mv.ov)
    y_idx = np.array([ov.index(v) for v in st.ov], dtype=int)
    x_idx = np.array([ov.index(v) for v in st.x], dtype=int)
    key, th_theta, th_fixed, th_var, th_num = threshold_rows(pt, g, ov, st, y_idx)
    rows = pt[pt["group"] == g]
    free = pt["free"].to_numpy()
    ustart = pt["ustart"].to_numpy(dtype=float)
    ordered = sorted({int(y_idx[v - 1]) for v in st.th_idx if v > 0})
    num = [int(i) for i in y_idx if i not in ordered]
    j, i = np.triu_indices(y_idx.size, k=1)
    order = np.lexsort((i, j))
    d_theta, d_fixed = np.full(len(ov), -1), np.ones(len(ov))
    resid_pos, resid_var = [], []
    for k in ordered:
        pos = key.get((ov[k], "~*~", ov[k]))
        if pos is not None:
            d_theta[k] = int(free[pos]) - 1
            d_fixed[k] = 1.0 if np.isnan(ustart[pos]) else ustart[pos]
        pos = key.get((ov[k], "~~", ov[k]))
        if pos is not None and free[pos] == 0:
            resid_pos.append(pos)
            resid_var.append(k)
    psi_idx, lam_const, lam_at = _lavaan_psi(rows, mv, x_idx)
    return CondXLayout(
        th_var=np.array(th_var, dtype=int), th_num=np.array(th_num, dtype=bool),
        th_theta=np.array(th_theta, dtype=int), th_fixed=np.array(th_fixed, dtype=float),
        num=np.array(num, dtype=int), ii=y_idx[i[order]], jj=y_idx[j[order]],
        ordered=np.array(ordered, dtype=int), delta_theta=d_theta, delta_fixed=d_fixed,
        resid_pos=np.array(resid_pos, dtype=int), resid_var=np.array(resid_var, dtype=int),
        x_idx=x_idx, y_idx=y_idx, psi_idx=psi_idx, lam_const=lam_const, lam_at=lam_at,
    )  # fmt: skip


def _lavaan_dummies(rows: pd.DataFrame, mv: ModelVariables) -> set[str]:
    """The observed variables lavaan 0.6.14 turns into dummy latent variables when the
    model has regressions on covariates (``lav_lisrel`` with GAMMA): the outcomes of
    regressions, the variables of every ``~~`` row touching one, the variables of the ``~~``
    rows sharing a left (right) name with those rows, and observed variables in a ``~~`` row
    with a latent variable."""
    lv = set(mv.lv)
    cov = rows[rows["op"] == "~~"]
    names1 = set(rows.loc[rows["op"] == "~", "lhs"]) - lv
    touch = cov[cov["lhs"].isin(names1) | cov["rhs"].isin(names1)]
    touch1 = cov[cov["lhs"].isin(set(touch["lhs"])) | cov["rhs"].isin(set(touch["rhs"]))]
    both = pd.concat([touch, touch1])
    names = names1 | set(both["lhs"]) | set(both["rhs"])
    names |= set(cov.loc[~cov["lhs"].isin(lv) & cov["rhs"].isin(lv), "lhs"])
    names |= set(cov.loc[cov["lhs"].isin(lv) & ~cov["rhs"].isin(lv), "rhs"])
    return {v for v in names if v in set(mv.ov) and v not in set(mv.ov_x)}


def _lavaan_psi(rows: pd.DataFrame, mv: ModelVariables, x_idx: np.ndarray):
    """RAM indices of lavaan's PSI (latent, then dummy latent variables in ``ov`` order)
    and the diagonal of its LAMBDA (rows: ``ov`` without the covariates): 1 where a dummy
    meets itself, 0 for another dummy or a dummy's loading (lavaan puts it in BETA), else
    (NaN) the loading at RAM A[row, column]."""
    ov, lv = list(mv.ov), list(mv.lv)
    dummies = _lavaan_dummies(rows, mv)
    ov_nox = [v for i, v in enumerate(ov) if i not in set(x_idx.tolist())]
    lv_names = lv + [v for v in ov_nox if v in dummies]
    ram_idx = {v: i for i, v in enumerate(ov)} | {v: len(ov) + i for i, v in enumerate(lv)}
    k = min(len(ov_nox), len(lv_names))
    const, at = np.full(k, np.nan), np.zeros((k, 2), dtype=int)
    for i, (row, col) in enumerate(zip(ov_nox[:k], lv_names[:k], strict=True)):
        if col in dummies:
            const[i] = 1.0 if row == col else 0.0
        elif row in dummies:
            const[i] = 0.0
        else:
            at[i] = ram_idx[row], ram_idx[col]
    psi = np.array([ram_idx[v] for v in lv_names], dtype=int)
    return psi, const, at


# ----------------------------------------------------------------------------- data


def condx_group_data(frame: pd.DataFrame, mv: ModelVariables, items, group, weight: str):
    """Per group the conditional WLS data, the group labels, the ordered items' threshold
    names and the warnings (cf. ``estimation.ordinal_group_data``); ``weight``: DWLS, ULS
    or WLS."""
    from loyaltysem.samplestats import conditional_sample_stats

    if mv.ov_x_random:
        raise InputError(
            f"the model gives a variance, covariance or intercept of the covariate(s) "
            f"{', '.join(mv.ov_x_random)}: with ordered items covariates are fixed "
            "(lavaan's conditional.x); remove those formulas"
        )
    if group is not None and group not in frame.columns:
        raise InputError("group variable is not a column of the data", column=group)
    y = [v for v in mv.ov if v not in set(mv.ov_x)]
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        stats = conditional_sample_stats(frame, y, mv.ov_x, items, group=group)
    warnings = [from_warning(w) for w in caught]
    return wls_group_data(
        stats, len(frame), group, warnings, weight,
        lambda st, w: CondXGroupData(st.nobs, st, w, ov=list(mv.ov)),
    )  # fmt: skip


# ----------------------------------------------------------------------------- baseline


def baseline_partable(model: CondXModel) -> pd.DataFrame:
    """Free thresholds, continuous variances and intercepts, free slopes on every
    covariate; the covariates' moments fixed (exo); no residual covariances."""
    table: list[Row] = []
    xs = [v for v in model.mv.ov if v in set(model.mv.ov_x)]
    ys = [v for v in model.mv.ov if v not in set(xs)]
    for g, thr in enumerate(model.thresholds, start=1):
        table.extend(Row(v, "|", t, g, user=0) for v in ys if v in thr for t in thr[v])
        for v in ys:
            fixed = 1.0 if v in thr else None
            table.append(Row(v, "~~", v, g, user=0, fixed=fixed, free=fixed is None))
        table.extend(Row(v, "~*~", v, g, user=0, fixed=1.0, free=False) for v in ys if v in thr)
        for v in ys:
            fixed = 0.0 if v in thr else None
            table.append(Row(v, "~1", "", g, user=0, fixed=fixed, free=fixed is None))
        for k, a in enumerate(xs):
            table.extend(Row(a, "~~", b, g, user=0, free=False, exo=1) for b in xs[k:])
        table.extend(Row(a, "~1", "", g, user=0, free=False, exo=1) for a in xs)
        table.extend(Row(v, "~", a, g, user=0) for a in xs for v in ys)
    return _number_free(table)


# ----------------------------------------------------------------------------- SRMR


def residual_groups(result) -> list[tuple]:
    """What rmr / srmr / crmr are computed from with conditional.x, per group, as lavaan's
    ``lav_residuals_summary`` (``fit.ordinal.residual_indices`` turns them into the
    indices): the residual correlations (off-diagonal res.cov, rescaled by the observed
    residual variances, or also by the implied ones for crmr) and the thresholds; slopes are
    not counted. The count adds lavaan's nvar (``pta$nvar``: the observed variables,
    covariates included) except for crmr."""
    groups = []
    cm = result.model
    for gd, lay, imp, (s_mod, _) in zip(
        result.data, cm.layouts, cm.implied(result.theta),
        cm.wls_jacobian(result.theta, jacobian=False), strict=True,
    ):  # fmt: skip
        _, _, R, _ = _conditional(lay, imp)
        delta = lay.delta(result.theta)
        y = lay.y_idx
        Sig = (R * np.outer(delta, delta))[np.ix_(y, y)]
        j, i = np.triu_indices(len(y), k=1)
        th = np.flatnonzero(~lay.th_num)
        th_res = gd.wls_obs[th] - s_mod[th]
        nvar = len(y) + lay.x_idx.size  # lavaan's pta$nvar
        rows = np.searchsorted(y, lay.th_var[th])
        groups.append((gd.stats.cov, Sig, (i, j), th_res, rows, nvar, gd.n))
    return groups
