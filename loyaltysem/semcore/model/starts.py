"""lavaan 0.6.14's default starting values for models with ordered items.

The WLS-family estimators are minimised by scoring (Gauss-Newton) steps, which, like any
optimiser, can be led astray by a poor start. lavaan's default starts (``lav_start`` with
``start = "default"``, ``mimic = "lavaan"``) for categorical data are, per group:

* factor loadings 0.7; for a factor measured by observed variables only, the FABIN3
  estimates of its one-factor model on the group's polychoric (residual, under
  conditional.x) correlation matrix, bounded so that the factor variance implied is at
  least 10% of the first indicator's variance (``lav_cfa_1fac_fabin``; three or fewer
  indicators: ``lav_cfa_1fac_3ind``; a negative triad gives 1, or 0.7 with std.lv);
* latent (residual) variances 0.05; an exogenous latent variable with one indicator
  (1 - theta / var) var of that indicator, at least 0.05;
* residual variances of continuous variables half their sample variance; of ordered items
  (free under the theta parameterization) 1; scale factors 1;
* thresholds and intercepts their sample values (residual ones under conditional.x), the
  covariates' (co)variances theirs; regressions, covariances and latent means 0 (lavaan's OLS
  starts of models without latent variables do not arise: with ordered items such a model
  has observed covariates, so it is conditional on them, where lavaan skips that rule);
* a user's ``start()`` wins.

Parameters tied by equality constraints (labels, ``group.equal``) start at the mean of their
rows' starts: lavaan optimises over z = K' (x - k0), K an orthonormal basis of the
constraints' null space, so its first point is the projection K K' x (``lav_model_estimate``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def fabin3(S: np.ndarray, std_lv: bool = False) -> tuple[np.ndarray, bool]:
    """Loadings of a one-factor model by FABIN3 (Hagglund 1982), lavaan's
    ``lav_cfa_1fac_fabin(S, lambda.only = TRUE, method = "fabin3", bounds = TRUE)``;
    with ``std_lv`` rescaled by sqrt|psi|. Returns (loadings, negative triad)."""
    nvar = S.shape[0]
    if nvar < 4:
        return _three_indicators(S, std_lv)
    lam = np.ones(nvar)
    for i in range(1, nvar):
        rest = [k for k in range(nvar) if k not in (0, i)]
        s23, s31 = S[i, rest], S[rest, 0]
        try:
            tmp = np.linalg.solve(S[np.ix_(rest, rest)], s31)
            lam[i] = (s23 @ tmp) / (s31 @ tmp)
        except np.linalg.LinAlgError:
            lam[i] = (s23 @ s31) / (s31 @ s31)
    lower_psi = 0.1 * S[0, 0]
    bound = np.sqrt(np.diag(S)[1:] / lower_psi)
    lam[1:] = np.minimum(np.maximum(-bound, lam[1:]), bound)
    if std_lv:
        lam = lam * _fabin_psi(S, lam)
    return lam, False


def _fabin_psi(S: np.ndarray, lam: np.ndarray) -> float:
    """sign(psi) sqrt|psi| of lavaan's FABIN factor variance (``lambda.only = FALSE``)."""
    nvar = len(lam)
    D = np.outer(lam, lam) / (lam @ lam)
    resid = np.linalg.solve(np.eye(nvar) - D * D, np.diag(S - D @ S @ D))
    l2 = lam @ lam
    psi = float(lam @ (S - np.diag(resid)) @ lam) / (l2 * l2)
    return float(np.sign(psi) * np.sqrt(abs(psi)))


def _three_indicators(S: np.ndarray, std_lv: bool) -> tuple[np.ndarray, bool]:
    """lavaan's ``lav_cfa_1fac_3ind`` (bounds = TRUE): the closed-form one-factor model of
    three indicators (one or two padded to three as lavaan pads them)."""
    nvar = S.shape[0]
    if nvar == 1:
        S = np.ones((3, 3))
    elif nvar == 2:
        extra = [np.mean(np.diag(S)), S[1, 0]]
        S = np.block([[S, np.array(extra)[:, None]], [np.array([*extra, np.max(np.diag(S))])]])
    s11, s22, s33 = S[0, 0], S[1, 1], S[2, 2]
    s21, s31, s32 = S[1, 0], S[2, 0], S[2, 1]
    neg_triad = bool(s21 * s31 * s32 < 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        psi, l2, l3 = s21 * s31 / s32, s32 / s31, s32 / s21
    lower_psi = 0.1 * s11
    psi = min(max(psi, lower_psi), s11)
    b2, b3 = np.sqrt(s22 / lower_psi), np.sqrt(s33 / lower_psi)
    lam = np.array([1.0, min(max(-b2, l2), b2), min(max(-b3, l3), b3)])
    if std_lv:
        lam = lam * np.sign(psi) * np.sqrt(abs(psi))
    return lam[:nvar], neg_triad


def categorical_starts(pt: pd.DataFrame, mv, data: list, ordered: list[np.ndarray]) -> np.ndarray:
    """lavaan's default start of every free parameter (the module docstring), one value per
    free index. ``mv``: the model's variables (``lv``, ``ov``, ``ov_x``, ``ov_x_random``);
    ``data``: per group an object with ``cov`` and ``mean`` in ``ov`` order (residual ones
    and the covariates' own under conditional.x) and ``stats.th`` / ``stats.th_names``;
    ``ordered``: per group the ov indices of the ordered items."""
    pt = pt.reset_index(drop=True)
    start = np.zeros(len(pt))
    for g, (gd, ord_idx) in enumerate(zip(data, ordered, strict=True), start=1):
        rows = pt[pt["group"] == g]
        names = {mv.ov[k] for k in ord_idx}
        _group_starts(start, rows, mv, gd, names)
    user = pt["start"].to_numpy(dtype=float)
    start = np.where(np.isnan(user), start, user)
    return _tied_means(pt, start)


def _group_starts(start, rows: pd.DataFrame, mv, gd, ordered: set[str]) -> None:
    """The starts of one group's rows, in lavaan's order (later rules overwrite)."""
    lv, ov = list(mv.lv), list(mv.ov)
    ov_index = {v: i for i, v in enumerate(ov)}
    cov, mean = gd.cov, gd.mean
    lhs, op, rhs = rows["lhs"].to_numpy(), rows["op"].to_numpy(), rows["rhs"].to_numpy()
    pos = rows.index.to_numpy()
    var = (op == "~~") & (lhs == rhs)
    is_lv, is_ov = np.isin(lhs, lv), np.isin(lhs, ov)
    is_ord = np.isin(lhs, list(ordered))
    start[pos[op == "=~"]] = 0.7
    start[pos[var & is_lv]] = 0.05
    start[pos[op == "~*~"]] = 1.0
    for k, name in zip(pos[var & is_ov & ~is_ord], lhs[var & is_ov & ~is_ord], strict=True):
        start[k] = 0.5 * cov[ov_index[name], ov_index[name]]
    _loading_starts(start, rows, lv, ov_index, cov)
    start[pos[var & is_ord]] = 1.0
    means = (op == "~1") & is_ov
    start[pos[means]] = [mean[ov_index[v]] for v in lhs[means]]
    th = dict(zip(gd.stats.th_names, gd.stats.th, strict=True))
    thr = op == "|"
    start[pos[thr]] = [th[f"{a}|{b}"] for a, b in zip(lhs[thr], rhs[thr], strict=True)]
    x = list(mv.ov_x) + list(getattr(mv, "ov_x_random", []))
    exo = (op == "~~") & np.isin(lhs, x) & np.isin(rhs, x)
    pairs = zip(lhs[exo], rhs[exo], strict=True)
    start[pos[exo]] = [cov[ov_index[a], ov_index[b]] for a, b in pairs]
    _single_indicator_starts(start, rows, lv, ov_index, cov)


def _loading_starts(start, rows: pd.DataFrame, lv, ov_index, cov) -> None:
    """FABIN3 loadings of every factor whose indicators are all observed."""
    for f in lv:
        lam_rows = rows[(rows["lhs"] == f) & (rows["op"] == "=~")]
        inds = lam_rows["rhs"].tolist()
        if not inds or any(i in lv for i in inds) or any(i not in ov_index for i in inds):
            continue
        fvar = rows[(rows["lhs"] == f) & (rows["op"] == "~~") & (rows["rhs"] == f)]
        std_lv = len(fvar) > 0 and bool((fvar["free"] == 0).all())
        std_lv = std_lv and bool((fvar["ustart"] == 1).all())
        idx = [ov_index[i] for i in inds]
        lam, neg_triad = fabin3(cov[np.ix_(idx, idx)], std_lv)
        lam = np.where(np.isfinite(lam), lam, 1.0)
        if neg_triad:
            lam = np.full(len(lam), 0.7 if std_lv else 1.0)
        start[lam_rows.index.to_numpy()] = lam


def _single_indicator_starts(start, rows: pd.DataFrame, lv, ov_index, cov) -> None:
    """An exogenous latent variable with one indicator: (1 - theta / var) var, >= 0.05."""
    regressed = set(rows.loc[rows["op"] == "~", "lhs"])
    indicators = set(rows.loc[rows["op"] == "=~", "rhs"])
    for f in lv:
        if f in regressed or f in indicators:
            continue
        ind = rows[(rows["lhs"] == f) & (rows["op"] == "=~")]
        if len(ind) != 1 or ind["rhs"].iloc[0] not in ov_index:
            continue
        y = ind["rhs"].iloc[0]
        res = rows[(rows["op"] == "~~") & (rows["lhs"] == y) & (rows["rhs"] == y)]
        theta = res["ustart"].iloc[0] if len(res) else np.nan
        theta = 1.0 if np.isnan(theta) else theta
        v = cov[ov_index[y], ov_index[y]]
        value = (1 - theta / v) * v
        fvar = rows[(rows["op"] == "~~") & (rows["lhs"] == f) & (rows["rhs"] == f)]
        start[fvar.index.to_numpy()] = value if np.isfinite(value) and value >= 0.05 else 0.05


def _tied_means(pt: pd.DataFrame, start: np.ndarray) -> np.ndarray:
    """One value per free parameter: the mean over the rows that share it."""
    free = pt["free"].to_numpy()
    npar = int(free.max()) if free.size and free.max() > 0 else 0
    on = free > 0
    total = np.bincount(free[on] - 1, weights=start[on], minlength=npar)
    count = np.bincount(free[on] - 1, minlength=npar)
    return total / np.maximum(count, 1)
