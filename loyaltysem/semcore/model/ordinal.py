"""The model side of ordered items: implied thresholds and correlations (delta or theta
parameterization) and their Jacobian, as lavaan 0.6.14 fits WLSMV / ULSMV / WLS.

Each ordered item y has a latent response y* = delta * y** with y** the RAM model's variable
(:mod:`loyaltysem.semcore.model.ram`). Per group (lavaan's ``computeSigmaHat``, ``computeTH``,
``setResidualElements`` with ``parameterization = "delta"``; Muthen 1984):

* the residual variance of an ordered item is not a parameter: theta = 1/delta^2 - c with
  c = (B S0 B')_kk, S0 = S with every ordered item's residual variance set to 0 (lavaan's
  ``setResidualElements``), so Var(y**) = 1 / delta^2. Where an ordered item predicts
  another ordered item, lavaan's c leaves out the predictor's residual variance and the
  outcome's Var(y**) is then above 1 / delta^2 (lavaan 0.6.14 does this; it is reproduced);
* Sigma_hat = D Sigma** D, D = diag(delta) (1 for continuous variables);
* thresholds tau_hat = delta * (tau - mu**) for ordered items, -mu for a continuous one.

The moment vector follows :attr:`loyaltysem.samplestats.TwoStep.wls_obs`: thresholds (item by
item), the variances of continuous variables, then the lower triangle of Sigma_hat without
its diagonal, column by column. ``wls_jacobian`` gives Delta = d sigma / d theta' analytically
from :func:`ram.jacobian` and the chain rule through D and the thresholds, with the ordered
residual variances held fixed, as lavaan's ``computeDelta``: they touch only the items' own
variances, which are not moments, except where an ordered item predicts another variable -
there lavaan's Delta (and so its gradient, SEs and tests) leaves their dependence out, and so
does this one.

``parameterization = "theta"`` (lavaan's ``setDeltaElements``, ``computeDelta`` with
``parameterization == "theta"``): the ordered items' residual variances are ordinary
parameters (fixed to 1, free in groups 2+ under equal thresholds) and the scale factors are
derived, delta = 1 / sqrt(diag(Sigma**)) for ordered items (1 for continuous ones), so
Sigma_hat is the correlation matrix of the ordered items. The Jacobian is the full chain rule
through delta: d delta_i = -1/2 Sigma**_ii^(-3/2) d Sigma**_ii (lavaan's ``lav_deriv_cov2cor``
and its threshold term). The derived scale factors are written into the ``~*~`` rows (fixed
rows, as lavaan reports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.samplestats import TwoStep
from loyaltysem.semcore.model import ram
from loyaltysem.semcore.model.compiled import CompiledModel, compile_model
from loyaltysem.semcore.model.partable import ModelVariables
from loyaltysem.semcore.model.starts import categorical_starts


@dataclass
class OrdinalGroupData:
    """Sample statistics of one group for the weighted least squares estimators.

    ``weight`` is lavaan's WLS.V: a vector (DWLS: 1/diag(NACOV); ULS: ones) or a matrix
    (WLS: NACOV^-1)."""

    n: int
    stats: TwoStep
    weight: np.ndarray
    raw: None = None

    @property
    def wls_obs(self) -> np.ndarray:
        return self.stats.wls_obs

    @property
    def cov(self) -> np.ndarray:
        """Polychoric / polyserial correlations (covariances for continuous variables)."""
        return self.stats.cov

    @property
    def mean(self) -> np.ndarray:
        return self.stats.mean

    @property
    def influence(self) -> np.ndarray:
        if self.stats.influence is None:
            raise ValueError("the sample statistics were computed without NACOV")
        return self.stats.influence

    @property
    def nacov(self) -> np.ndarray:
        return self.stats.nacov

    def weigh(self, x: np.ndarray) -> np.ndarray:
        """W x for a vector or the columns of a matrix."""
        if self.weight.ndim == 1:
            return self.weight[:, None] * x if x.ndim == 2 else self.weight * x
        return self.weight @ x


@dataclass
class WLSLayout:
    """Where every element of one group's WLS moment vector comes from.

    th_var: ov index of each threshold entry; th_num: the entry is -mean of a continuous
    variable; th_theta / th_fixed: free parameter index (-1: fixed) and fixed value of the
    threshold row; num: continuous variables (their variances follow the thresholds);
    ii, jj: the correlation pairs; ordered: ordered ov indices; delta_theta / delta_fixed:
    scale factor of every ov; resid_pos: parameter-table rows of the ordered residual
    variances with their ov index (delta: derived); theta: the theta parameterization, whose
    derived scale factors go to the ``~*~`` rows delta_pos (ov index delta_var)."""

    th_var: np.ndarray
    th_num: np.ndarray
    th_theta: np.ndarray
    th_fixed: np.ndarray
    num: np.ndarray
    ii: np.ndarray
    jj: np.ndarray
    ordered: np.ndarray
    delta_theta: np.ndarray
    delta_fixed: np.ndarray
    resid_pos: np.ndarray
    resid_var: np.ndarray
    theta: bool = False
    delta_pos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    delta_var: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def size(self) -> int:
        return self.th_var.size + self.num.size + self.ii.size

    def delta(self, theta: np.ndarray) -> np.ndarray:
        free = self.delta_theta >= 0
        out = self.delta_fixed.copy()
        out[free] = theta[self.delta_theta[free]]
        return out

    def tau(self, theta: np.ndarray) -> np.ndarray:
        free = self.th_theta >= 0
        out = self.th_fixed.copy()
        out[free] = theta[self.th_theta[free]]
        return out


@dataclass
class OrdinalModel(CompiledModel):
    """A compiled model with ordered items (delta or theta parameterization)."""

    layouts: list[WLSLayout] = field(default_factory=list)
    parameterization: str = "delta"

    @property
    def n_moments(self) -> int:
        """Elements of WLS.obs over the groups (lavaan's df bookkeeping)."""
        return int(sum(lay.size for lay in self.layouts))

    @property
    def thresholds(self) -> list[dict[str, list[str]]]:
        """Per group: ordered item -> its threshold names (for the baseline model)."""
        out = []
        for g in range(1, self.ngroups + 1):
            rows = self.pt[(self.pt["group"] == g) & (self.pt["op"] == "|")]
            thr: dict[str, list[str]] = {}
            for lhs, rhs in zip(rows["lhs"], rows["rhs"], strict=True):
                thr.setdefault(lhs, []).append(rhs)
            out.append(thr)
        return out

    def implied(self, theta: np.ndarray) -> list[ram.Implied]:
        return [
            _constrain(lay, ram.implied(gs, theta), theta)
            for gs, lay in zip(self.groups, self.layouts, strict=True)
        ]

    def derived_values(self, theta: np.ndarray, values: np.ndarray) -> None:
        """Write what is not a parameter into ``values``: the ordered items' residual
        variances (delta) or scale factors (theta)."""
        for lay, imp in zip(self.layouts, self.implied(theta), strict=True):
            values[lay.resid_pos] = np.diag(imp.S)[lay.resid_var]
            if lay.delta_pos.size:
                values[lay.delta_pos] = scale_factors(lay, imp, theta)[lay.delta_var]

    def scale_factors(self, theta: np.ndarray) -> list[np.ndarray]:
        """Per group delta of every observed variable (1 for continuous ones)."""
        return [
            scale_factors(lay, imp, theta)
            for lay, imp in zip(self.layouts, self.implied(theta), strict=True)
        ]


def scale_factors(lay: WLSLayout, imp: ram.Implied, theta: np.ndarray) -> np.ndarray:
    """delta of every observed variable: the ``~*~`` parameters (delta parameterization) or
    1 / sqrt(diag(Sigma**)) of the ordered items (theta; NaN for a negative variance, as
    lavaan's ``setDeltaElements``)."""
    if not lay.theta:
        return lay.delta(theta)
    out = np.ones(len(imp.sigma))
    var = np.diag(imp.sigma)[lay.ordered]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[lay.ordered] = np.where(var < 0, np.nan, 1.0 / np.sqrt(var))
    return out


def _constrain(lay: WLSLayout, imp: ram.Implied, theta: np.ndarray) -> ram.Implied:
    """Set the ordered items' residual variances to 1 / delta^2 - c (the module docstring;
    delta parameterization only)."""
    o = lay.ordered
    if o.size == 0 or lay.theta:
        return imp
    target = 1.0 / lay.delta(theta)[o] ** 2
    B = imp.B
    s_cur = np.diag(imp.S)[o]
    c = np.diag(imp.sigma_all)[o] - (B[np.ix_(o, o)] ** 2) @ s_cur
    u = target - c
    S = imp.S.copy()
    S[o, o] = u
    Bo = B[:, o]
    sigma_all = imp.sigma_all + (Bo * (u - s_cur)) @ Bo.T
    p = len(imp.sigma)
    return ram.Implied(imp.A, S, imp.m, B, sigma_all, imp.mu_all, sigma_all[:p, :p], imp.mu)


# ----------------------------------------------------------------------------- compile


def compile_ordinal(
    pt: pd.DataFrame,
    mv: ModelVariables,
    data: list[OrdinalGroupData],
    parameterization: str = "delta",
):
    """An :class:`OrdinalModel` of a parameter table whose groups' WLS moments are ``data``
    (``parameterization``: "delta" or "theta", lavaan's)."""
    if parameterization not in ("delta", "theta"):
        raise ValueError(f"unknown parameterization '{parameterization}'")
    base = compile_model(pt, mv, True)
    layouts = [
        _layout(pt, mv, g + 1, gd.stats, parameterization == "theta") for g, gd in enumerate(data)
    ]
    return OrdinalModel(
        base.pt,
        base.mv,
        base.groups,
        True,
        base.npar,
        base.exo_values,
        layouts=layouts,
        parameterization=parameterization,
    )


def wls_group_data(stats, n_rows: int, group, warnings: list, weight: str, make) -> tuple:
    """From two-step statistics (plain or conditional) to what the estimator takes: per group
    ``make(stats_g, weight_g)``, the group labels, each group's threshold names per ordered
    item, and the warnings (the rows dropped listwise first)."""
    if group is not None and stats.ngroups < 2:
        raise InputError("the group variable has fewer than two groups", column=group)
    if stats.n_dropped:
        k = int(stats.n_dropped)
        msg = f"{k} of {n_rows} respondents with missing answers (listwise deletion) were not used"
        warnings.insert(0, Notice("sem.listwise_dropped", msg, k=k, n=int(n_rows)))
    data_g = [make(st, w) for st, w in zip(stats.groups, stats.wls_v(weight), strict=True)]
    thresholds = []
    for st in stats.groups:
        thr: dict[str, list[str]] = {}
        for name, v in zip(st.th_names, st.th_idx, strict=True):
            if v > 0:
                item, label = name.split("|")
                thr.setdefault(item, []).append(label)
        thresholds.append(thr)
    return data_g, stats.group_labels, thresholds, warnings


def threshold_rows(pt: pd.DataFrame, g: int, ov: list[str], st, ov_of) -> tuple:
    """Where each threshold entry of group ``g``'s WLS moments comes from: the group's
    parameter-table positions by (lhs, op, rhs), and per entry the free parameter index (-1:
    fixed), the fixed value, the model variable (``ov_of[k]`` for data variable k) and
    whether it is a continuous variable's -intercept."""
    rows = pt[pt["group"] == g]
    key = {(r.lhs, r.op, r.rhs): pos for pos, r in rows.iterrows()}
    free = pt["free"].to_numpy()
    ustart = pt["ustart"].to_numpy(dtype=float)
    th_theta, th_fixed, th_var, th_num = [], [], [], []
    for name, v in zip(st.th_names, st.th_idx, strict=True):
        if v == 0:  # a continuous variable: -intercept
            th_theta.append(-1), th_fixed.append(0.0), th_num.append(True)
            th_var.append(ov.index(name))
            continue
        item, label = name.split("|")
        pos = key.get((item, "|", label))
        if pos is None:
            raise ValueError(f"threshold {name} of group {g} is not in the parameter table")
        th_theta.append(int(free[pos]) - 1)
        th_fixed.append(0.0 if np.isnan(ustart[pos]) else ustart[pos])
        th_var.append(int(ov_of[v - 1]))
        th_num.append(False)
    if int((rows["op"] == "|").sum()) != int((np.asarray(st.th_idx) > 0).sum()):
        raise ValueError(f"group {g}: the model's thresholds do not match the data's")
    return key, th_theta, th_fixed, th_var, th_num


def _layout(
    pt: pd.DataFrame, mv: ModelVariables, g: int, st: TwoStep, theta: bool = False
) -> WLSLayout:
    ov = mv.ov
    if list(st.ov) != list(ov):
        raise ValueError("the sample statistics do not follow the model's variable order")
    key, th_theta, th_fixed, th_var, th_num = threshold_rows(pt, g, ov, st, range(len(ov)))
    free = pt["free"].to_numpy()
    ustart = pt["ustart"].to_numpy(dtype=float)
    ordered = sorted({v - 1 for v in st.th_idx if v > 0})
    num = [i for i in range(len(ov)) if i not in ordered]
    j, i = np.triu_indices(len(ov), k=1)
    order = np.lexsort((i, j))
    d_theta = np.full(len(ov), -1)
    d_fixed = np.ones(len(ov))
    resid_pos, resid_var, delta_pos, delta_var = [], [], [], []
    for k in ordered:
        pos = key.get((ov[k], "~*~", ov[k]))
        if pos is not None and theta:
            if free[pos] > 0:
                raise ValueError(f"the scale factor of {ov[k]} is derived under theta")
            delta_pos.append(pos)
            delta_var.append(k)
        elif pos is not None:
            d_theta[k] = int(free[pos]) - 1
            d_fixed[k] = 1.0 if np.isnan(ustart[pos]) else ustart[pos]
        pos = key.get((ov[k], "~~", ov[k]))
        if pos is not None and free[pos] == 0 and not theta:
            resid_pos.append(pos)
            resid_var.append(k)
    return WLSLayout(
        th_var=np.array(th_var, dtype=int),
        th_num=np.array(th_num, dtype=bool),
        th_theta=np.array(th_theta, dtype=int),
        th_fixed=np.array(th_fixed, dtype=float),
        num=np.array(num, dtype=int),
        ii=i[order],
        jj=j[order],
        ordered=np.array(ordered, dtype=int),
        delta_theta=d_theta,
        delta_fixed=d_fixed,
        resid_pos=np.array(resid_pos, dtype=int),
        resid_var=np.array(resid_var, dtype=int),
        theta=theta,
        delta_pos=np.array(delta_pos, dtype=int),
        delta_var=np.array(delta_var, dtype=int),
    )


# ----------------------------------------------------------------------------- moments


def _group_moments(lay: WLSLayout, imp: ram.Implied, theta: np.ndarray) -> np.ndarray:
    delta = scale_factors(lay, imp, theta)
    sig = imp.sigma * np.outer(delta, delta)
    mu = imp.mu_all[: len(delta)]
    v = lay.th_var
    th = np.where(lay.th_num, -mu[v], delta[v] * (lay.tau(theta) - mu[v]))
    return np.concatenate([th, np.diag(sig)[lay.num], sig[lay.ii, lay.jj]])


def wls_moments(model: OrdinalModel, theta: np.ndarray) -> list[np.ndarray]:
    """sigma(theta) of every group, in the order of WLS.obs."""
    if hasattr(model, "wls_moments"):  # its own moments (ordinal_condx: conditional on x)
        return model.wls_moments(theta)
    return [
        _group_moments(lay, imp, theta)
        for lay, imp in zip(model.layouts, model.implied(theta), strict=True)
    ]


def _group_jacobian(gs, lay: WLSLayout, imp: ram.Implied, theta: np.ndarray, q: int):
    """d sigma / d theta' (m x q) of one group (see the module docstring)."""
    p = len(imp.sigma)
    dS, dm = ram.jacobian(gs, imp, q)  # the ordered residual variances held fixed (delta)
    delta = scale_factors(lay, imp, theta)
    d_delta = _scale_jacobian(lay, imp, dS, q)
    dd = np.outer(delta, delta)
    dsig_pairs = dS[:, lay.ii, lay.jj] * dd[lay.ii, lay.jj]
    dvar = dS[:, lay.num, lay.num] * dd[lay.num, lay.num]
    if d_delta.any():
        sig = imp.sigma
        ii, jj = lay.ii, lay.jj
        dsig_pairs += sig[ii, jj] * (d_delta[:, ii] * delta[jj] + delta[ii] * d_delta[:, jj])
    v = lay.th_var
    mu = imp.mu_all[:p]
    tau = lay.tau(theta)
    d_tau = np.zeros((q, v.size))
    tf = np.flatnonzero(lay.th_theta >= 0)
    d_tau[lay.th_theta[tf], tf] = 1.0
    dth = np.where(
        lay.th_num,
        -dm[:, v],
        delta[v] * (d_tau - dm[:, v]) + d_delta[:, v] * (tau - mu[v]),
    )
    return np.hstack([dth, dvar, dsig_pairs]).T


def _scale_jacobian(lay: WLSLayout, imp: ram.Implied, dS: np.ndarray, q: int) -> np.ndarray:
    """d delta / d theta' as (q, p): the free ``~*~`` parameters (delta parameterization), or
    -1/2 Sigma**_ii^(-3/2) d Sigma**_ii for the ordered items (theta)."""
    p = len(imp.sigma)
    d_delta = np.zeros((q, p))
    if lay.theta:
        o = lay.ordered
        var = np.diag(imp.sigma)[o]
        d_delta[:, o] = dS[:, o, o] * (-0.5 / (var * np.sqrt(var)))
        return d_delta
    free = np.flatnonzero(lay.delta_theta >= 0)
    d_delta[lay.delta_theta[free], free] = 1.0
    return d_delta


def wls_jacobian(model: OrdinalModel, theta: np.ndarray):
    """Per group (sigma(theta), Delta = d sigma / d theta'), cached at theta."""
    if hasattr(model, "wls_jacobian"):  # its own moments (ordinal_condx: conditional on x)
        return model.wls_jacobian(theta)
    key = ("wls_jacobian", theta.tobytes())
    cache = model.cache
    if key not in cache:
        out = []
        for gs, lay, imp in zip(model.groups, model.layouts, model.implied(theta), strict=True):
            sigma = _group_moments(lay, imp, theta)
            out.append((sigma, _group_jacobian(gs, lay, imp, theta, model.npar)))
        if len(cache) > 64:
            for k in [k for k in cache if isinstance(k, tuple) and k[0] == "wls_jacobian"]:
                del cache[k]
        cache[key] = out
    return cache[key]


# ----------------------------------------------------------------------------- start values


def ordinal_start_values(
    model: OrdinalModel, data: list[OrdinalGroupData], std_lv: bool
) -> np.ndarray:
    """lavaan 0.6.14's default starting values for categorical data
    (:mod:`loyaltysem.semcore.model.starts`): FABIN3 loadings on the polychoric
    correlations, latent variances 0.05, the sample thresholds, scale factors 1 (theta: free
    residual variances of ordered items 1), latent means 0. ``std_lv`` is read from the
    parameter table (fixed factor variances of 1), as lavaan does."""
    del std_lv
    ordered = [lay.ordered for lay in model.layouts]
    return categorical_starts(model.pt, model.mv, data, ordered)
