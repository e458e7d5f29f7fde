"""Reliability of ordered (Likert) items: ordinal alpha and semTools' categorical omega.

* :func:`ordinal_alpha` - Cronbach's alpha of the polychoric correlation matrix (Zumbo,
  Gadermann & Zeisser 2007; Gadermann, Guhn & Zumbo 2012), the numbers of
  ``psych::alpha(R, n.obs = N)`` for R the polychoric matrix of a construct's items.
  R is lavaan's two-step polychoric matrix (``lavInspect(cfa(..., ordered = items),
  "sampstat")$cov``; :mod:`loyaltysem.samplestats`), the matrix the WLSMV CFA fits, so ordinal
  alpha and the categorical omega below use one and the same polychoric matrix. The recipe in
  Gadermann et al. uses ``psych::polychoric(x)$rho``; psych adds 0.5 to empty cells
  (``correct = .5``) and maximises with ``optimize()`` (tolerance about 1e-4), so its matrix
  differs from lavaan's in the fourth to sixth decimal; on bfi500 the alphas agree to 6e-6
  (tests/test_ordinal_reliability.py shows both).
* :func:`comp_rel_sem` - ``semTools::compRelSEM()`` (0.5.6) of a fitted model, per factor and
  group, with its switches ``obs_var``, ``tau_eq`` and ``ord_scale``. For a factor whose items
  are all ordered, the default (``ord_scale=True``) is Green & Yang's (2009) categorical omega:
  the reliability of the sum of the observed category scores,

      omega = sum_jj' [sum_cc' Phi2(t_jc, t_j'c'; (l l')_jj' phi) - S_j S_j']
              / sum_jj' [sum_cc' Phi2(t_jc, t_j'c'; rho_jj') - S_j S_j'],   S_j = sum_c Phi(t_jc)

  with l the unstandardized loadings, phi the factor variance (``cov.lv``), t the estimated
  thresholds and rho the polychoric correlations (``obs_var=True``, semTools' default; the
  model-implied ones with ``obs_var=False``), every quantity rescaled by lavaan's scale
  factors delta (1 under the default delta parameterization). ``ord_scale=False``: omega of
  the latent responses, (1'l)^2 phi / 1'R1; ``tau_eq=True, ord_scale=False``: alpha of R
  (equal to :func:`ordinal_alpha`); a factor with continuous indicators only: (1'l)^2 phi / 1'S1.
  A factor with both ordered and continuous indicators gets NaN, as in semTools.
* :func:`ave_sem` - ``semTools::AVE()``: sum(l^2) phi / sum(diag S) with S the polychoric
  (``obs_var=True``) or the model-implied matrix, rescaled by the scale factors; NaN for a
  factor with a cross-loading item.
* :func:`ordinal_cfa_reliability` - the three in one table per factor (what a results chapter
  reports for a WLSMV CFA).
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.dist import ndtr
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice, from_warning, prefixed
from loyaltysem.base.result import ResultMixin
from loyaltysem.samplestats import bvn_cdf, ordinal_sample_stats

__all__ = [
    "OrdinalAlphaResult",
    "alpha_from_correlation",
    "ave_sem",
    "comp_rel_sem",
    "ordinal_alpha",
    "ordinal_cfa_reliability",
    "polychoric_matrix",
]

POLYCHORIC_SOURCE = (
    "lavaan's two-step polychoric correlations (thresholds from the margins, then one "
    "correlation per pair by maximum likelihood; lavInspect(fit, 'sampstat')$cov)"
)


# ----------------------------------------------------------------------------- ordinal alpha
def polychoric_matrix(data: pd.DataFrame, items: Sequence[str]) -> tuple[pd.DataFrame, int, list]:
    """lavaan's polychoric correlation matrix of ``items`` (rows with a missing answer to one of
    them dropped, as lavaan's listwise default), the number of rows used and the warnings
    (empty categories, correlations near 1) as text."""
    items = list(items)
    absent = [c for c in items if c not in data.columns]
    if absent:
        raise InputError("item is not a column of the data", column=absent[0])
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        st = ordinal_sample_stats(data[items], items, ordered=True, nacov=False)
    R = pd.DataFrame(st.groups[0].cor, index=items, columns=items)
    return R, st.groups[0].nobs, [from_warning(w) for w in caught]


def _smc(R: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 - 1 / diag(R^-1) (``psych::smc``)."""
    return 1.0 - 1.0 / np.diag(np.linalg.pinv(R))


def _alpha1(R: np.ndarray, n_obs: int | None) -> dict[str, float]:
    """psych::alpha's inner ``alpha.1`` for a correlation matrix (C = R)."""
    k = R.shape[0]
    s = R.sum()
    alpha = (1 - k / s) * k / (k - 1)
    av_r = (s - k) / (k * (k - 1))
    low = R[np.tril_indices(k, -1)]
    tr = float(k)
    q = (2 * k**2 / ((k - 1) ** 2 * s**3)) * (
        s * (np.trace(R @ R) + tr**2) - 2 * tr * (R @ R).sum()
    )
    return {
        "raw_alpha": float(alpha),
        "std.alpha": float(alpha),
        "G6(smc)": float(1 - (k - _smc(R).sum()) / s),
        "average_r": float(av_r),
        "S/N": float(k * av_r / (1 - av_r)),
        "ase": float(np.sqrt(q / n_obs)) if n_obs else np.nan,
        "var.r": float(np.var(low, ddof=1)) if low.size > 1 else np.nan,
        "median_r": float(np.median(low)),
    }


def alpha_from_correlation(
    R: pd.DataFrame, n_obs: int | None = None
) -> tuple[dict[str, float], pd.DataFrame]:
    """``psych::alpha(R, n.obs = n_obs)`` of a correlation matrix: the totals (raw_alpha =
    std.alpha, G6(smc), average_r, S/N, ase = sqrt(Q / n_obs), median_r) and one row per item
    with ``item.stats`` (r, r.cor, r.drop) and ``alpha.drop`` (the values without the item,
    suffixed ``.if.deleted``). With two items alpha.drop is NaN (one item has no alpha)."""
    names = list(R.columns)
    M = R.to_numpy(dtype=float)
    k = len(names)
    if k < 2:
        raise InputError("alpha needs at least two items", column=names[0] if names else None)
    total = _alpha1(M, n_obs)
    total.pop("var.r")
    s = M.sum()
    RC = M.copy()
    np.fill_diagonal(RC, _smc(M))
    rows = []
    for i, name in enumerate(names):
        rest = [j for j in range(k) if j != i]
        row = {
            "item": name,
            "r": M[:, i].sum() / np.sqrt(s),
            "r.cor": RC[:, i].sum() / np.sqrt(RC.sum()),
            "r.drop": (M[:, i].sum() - M[i, i]) / np.sqrt(M[i, i] * M[np.ix_(rest, rest)].sum()),
        }
        drop = _alpha1(M[np.ix_(rest, rest)], n_obs) if k > 2 else {}
        for key in ("raw_alpha", "G6(smc)", "average_r", "S/N", "ase", "var.r", "median_r"):
            row[f"{key}.if.deleted"] = drop.get(key, np.nan)
        rows.append(row)
    return total, pd.DataFrame(rows)


@dataclass
class OrdinalAlphaResult(ResultMixin):
    """Ordinal alpha per construct and per item (:func:`ordinal_alpha`).

    ``constructs`` (index: construct): n_items, n (rows used), alpha (psych's raw_alpha =
    std.alpha of the polychoric matrix), G6(smc), average_r, S/N, ase, median_r.
    ``items``: construct, item, r, r.cor, citc (psych's r.drop on the polychoric matrix),
    alpha.if.deleted, G6(smc).if.deleted, average_r.if.deleted, S/N.if.deleted,
    ase.if.deleted, var.r.if.deleted, median_r.if.deleted.
    ``polychoric``: the matrix of each construct; ``warnings``; ``source``: which polychoric.
    """

    constructs: pd.DataFrame
    items: pd.DataFrame
    polychoric: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    warnings: list[str] = field(default_factory=list)
    source: str = POLYCHORIC_SOURCE


def ordinal_alpha(
    data: pd.DataFrame, construct_items: Mapping[str, Sequence[str]]
) -> OrdinalAlphaResult:
    """Ordinal alpha of every construct: ``psych::alpha()`` applied to lavaan's polychoric
    correlation matrix of its items (Zumbo, Gadermann & Zeisser 2007, J. Mod. Appl. Stat.
    Methods 6(1); Gadermann, Guhn & Zumbo 2012, PARE 17(3)). Each construct uses the rows that
    answered all of its items (lavaan's listwise rule for ordered data). Single-item
    constructs are skipped with a warning.

    Example:
        >>> res = ordinal_alpha(df, {"A": ["A1", "A2", "A3"]})  # doctest: +SKIP
        >>> res.constructs.loc["A", "alpha"]  # doctest: +SKIP
    """
    rows, items, mats, msgs = {}, [], {}, []
    for c, its in construct_items.items():
        its = list(its)
        if len(its) < 2:
            msgs.append(Notice("reliability.ordinal_single_item", f"{c}: one item, no ordinal "
                               "alpha", construct=c))  # fmt: skip
            continue
        R, n, w = polychoric_matrix(data, its)
        msgs += [prefixed(c, m) for m in w]
        total, per_item = alpha_from_correlation(R, n)
        rows[c] = {"n_items": len(its), "n": n, "alpha": total.pop("raw_alpha")}
        total.pop("std.alpha")
        rows[c].update(total)
        per_item = per_item.rename(
            columns={"r.drop": "citc", "raw_alpha.if.deleted": "alpha.if.deleted"}
        )
        per_item.insert(0, "construct", c)
        items.append(per_item)
        mats[c] = R
    constructs = pd.DataFrame.from_dict(rows, orient="index")
    if not constructs.empty:
        constructs = constructs.astype({"n_items": int, "n": int})
    table = pd.concat(items, ignore_index=True) if items else pd.DataFrame()
    return OrdinalAlphaResult(constructs, table, mats, msgs)


# ----------------------------------------------------------------------------- compRelSEM
@dataclass
class _Block:
    """One group of a fitted model, as semTools reads it from lavInspect()."""

    label: object
    ov: list[str]
    lam: pd.DataFrame  # ov x lv, unstandardized loadings (EST$lambda)
    phi: pd.DataFrame  # lavInspect(fit, "cov.lv")
    sigma: pd.DataFrame  # sampstat or fitted cov, divided by the scale factors
    scales: pd.Series  # EST$delta[, "scales"] (1 for continuous variables)
    tau: dict[str, np.ndarray]  # estimated thresholds of every ordered item
    ordered: set[str]
    beta: pd.DataFrame | None = None  # lv x lv: EST$beta (factor-on-factor loadings, paths)
    phi_all: pd.DataFrame | None = None  # cov.lv of every latent variable


def _blocks(fit, obs_var: bool) -> list[_Block]:
    """Per group the pieces compRelSEM and AVE take from a fitted model."""
    cm = fit.model
    ov, lv = list(cm.mv.ov), list(cm.mv.lv)
    est = fit.estimates
    th_rows = est[est["op"] == "|"]
    ordered = set(th_rows["lhs"])
    out = []
    for g, (imp, dat) in enumerate(zip(fit.implied_moments, fit.data, strict=True), start=1):
        e = est[est["group"] == g]
        lam = pd.DataFrame(0.0, index=ov, columns=lv)
        for r in e[(e["op"] == "=~") & e["rhs"].isin(ov)].itertuples():
            lam.loc[r.rhs, r.lhs] = r.est
        lam = lam.loc[:, (lam != 0).any()]
        names = ov + lv
        pos = [names.index(f) for f in lam.columns]
        phi = pd.DataFrame(imp.sigma_all[np.ix_(pos, pos)], index=lam.columns, columns=lam.columns)
        scales = pd.Series(1.0, index=ov)
        for r in e[e["op"] == "~*~"].itertuples():
            scales[r.lhs] = r.est
        d = scales.to_numpy()
        cov = np.asarray(dat.cov, dtype=float) if obs_var else d[:, None] * imp.sigma * d
        sigma = pd.DataFrame(cov / np.outer(d, d), index=ov, columns=ov)
        tau = {v: th.sort_index()["est"].to_numpy() for v, th in _thresholds(e)}
        beta = pd.DataFrame(0.0, index=lv, columns=lv)
        for r in e[(e["op"] == "=~") & e["rhs"].isin(lv)].itertuples():
            beta.loc[r.rhs, r.lhs] = r.est  # lavaan's BETA: the indicator's row
        for r in e[(e["op"] == "~") & e["lhs"].isin(lv) & e["rhs"].isin(lv)].itertuples():
            beta.loc[r.lhs, r.rhs] = r.est
        lv_pos = [names.index(f) for f in lv]
        phi_all = pd.DataFrame(imp.sigma_all[np.ix_(lv_pos, lv_pos)], index=lv, columns=lv)
        out.append(
            _Block(fit.group_labels[g - 1], ov, lam, phi, sigma, scales, tau, ordered, beta,
                   phi_all)
        )  # fmt: skip
    return out


def _thresholds(e: pd.DataFrame):
    th = e[e["op"] == "|"]
    for v in dict.fromkeys(th["lhs"]):
        rows = th[th["lhs"] == v]
        yield v, rows.set_index(rows["rhs"].str.slice(1).astype(int))


def omega_categorical(
    truevar: np.ndarray, denom: np.ndarray, thresholds: Sequence[np.ndarray], scales: np.ndarray
) -> float:
    """Green & Yang's (2009, Psychometrika 74(1)) omega for ordered items, semTools'
    ``omegaCat``: the true-score and total covariances of the summed category scores from
    bivariate normal probabilities at the thresholds (module docstring)."""
    s = np.asarray(scales, dtype=float)
    Rt = s[:, None] * truevar * s
    d = np.sqrt(np.diag(denom))
    Rd = denom / np.outer(d, d)
    ts = [np.asarray(t, dtype=float) * s[j] for j, t in enumerate(thresholds)]
    marg = np.array([ndtr(t).sum() for t in ts])
    num = den = 0.0
    k = len(ts)
    for j in range(k):
        for jp in range(k):
            h, kk = np.meshgrid(ts[j], ts[jp], indexing="ij")
            num += _p2(h, kk, Rt[j, jp]).sum() - marg[j] * marg[jp]
            den += _p2(h, kk, Rd[j, jp]).sum() - marg[j] * marg[jp]
    return float(num / den)


def _p2(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """P(X < h, Y < k; r) with the limits r = +-1 (a diagonal term of the denominator)."""
    if r >= 1.0:
        return ndtr(np.minimum(h, k))
    if r <= -1.0:
        return np.maximum(ndtr(h) + ndtr(k) - 1.0, 0.0)
    return bvn_cdf(h, k, r)


def _factor_value(b: _Block, f: str, tau_eq: bool, ord_scale: bool) -> tuple[float, str]:
    lf = b.lam[f]
    its = list(lf.index[lf != 0])
    n_ord = sum(v in b.ordered for v in its)
    kind = "ordered" if n_ord == len(its) else "continuous" if n_ord == 0 else "mixed"
    total = b.sigma.loc[its, its].to_numpy()
    if tau_eq:
        if kind == "mixed" and not ord_scale:
            return np.nan, kind
        k = len(its)
        return float(k / (k - 1) * (1 - np.trace(total) / total.sum())), kind
    if kind == "mixed":
        return np.nan, kind
    l = lf[its].to_numpy()
    common = np.outer(l, l) * b.phi.loc[f, f]
    if kind == "ordered" and ord_scale:
        th = [b.tau[v] for v in its]
        return omega_categorical(common, total, th, b.scales[its].to_numpy()), kind
    return float(common.sum() / total.sum()), kind


def comp_rel_sem(
    fit,
    *,
    obs_var: bool = True,
    tau_eq: bool = False,
    ord_scale: bool = True,
    higher: Sequence[str] = (),
) -> pd.DataFrame:
    """``semTools::compRelSEM(fit, obs.var, tau.eq, ord.scale, higher)`` (semTools 0.5.6) per
    factor with two or more indicators and per group (the module docstring gives the
    formulas). ``higher`` names higher-order factors: each gets semTools' omega of the
    higher-order factor, the proportion of the variance of the total score of all the items
    of its first-order factors explained by the higher-order factor (the hierarchical omega,
    omega_ho; McDonald 1999, Zinbarg et al. 2005),
    1' L B Phi B' L' 1 / 1'S1 over those items, L the item loadings, B the factor-on-factor
    loadings (lavaan's BETA) and Phi the latent covariance matrix (``cov.lv``); with ordered
    items only on the latent-response scale (``ord_scale=False``): semTools 0.5.6 stops on
    its default ``ord.scale = TRUE`` there, and so this gives NaN.

    Returns a DataFrame with columns group (the group label, None for one group), construct,
    n_items, items ("ordered", "continuous" or "mixed"), reliability.

    Raises:
        InputError: ``tau_eq=True`` with ``ord_scale=True`` for a model with ordered items
            (semTools then takes alpha of the raw item scores: use
            :func:`loyaltysem.psychometrics.reliability.cronbach_alpha`).

    Example:
        >>> fit = sem("A =~ A1 + A2 + A3", df, ordered=True)  # doctest: +SKIP
        >>> comp_rel_sem(fit)  # Green & Yang's categorical omega   # doctest: +SKIP
    """
    blocks = _blocks(fit, obs_var)
    if tau_eq and ord_scale and blocks and blocks[0].ordered:
        raise InputError(
            "tau_eq with ord_scale is alpha of the raw item scores: use cronbach_alpha, "
            "or ord_scale=False for alpha of the polychoric correlations"
        )
    rows = []
    for b in blocks:
        for f in b.lam.columns:
            n = int((b.lam[f] != 0).sum())
            if n < 2:
                continue  # semTools' dropSingle
            value, kind = _factor_value(b, f, tau_eq, ord_scale)
            rows.append(
                {"group": b.label, "construct": f, "n_items": n, "items": kind,
                 "reliability": value}
            )  # fmt: skip
        for hf in higher:
            n, kind, value = _higher_value(b, hf, ord_scale)
            rows.append(
                {"group": b.label, "construct": hf, "n_items": n, "items": kind,
                 "reliability": value}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=["group", "construct", "n_items", "items", "reliability"])


def _higher_value(b: _Block, hf: str, ord_scale: bool) -> tuple[int, str, float]:
    """compRelSEM's ``higher =`` omega of one higher-order factor in one group."""
    if b.beta is None or hf not in b.beta.columns:
        raise InputError(f"higher: '{hf}' is not a latent variable of the model")
    lower = [f for f in b.beta.index if b.beta.loc[f, hf] != 0]
    if not lower:
        raise InputError(f"higher: '{hf}' is not measured by other latent variables")
    facs = [hf, *lower]
    lam = b.lam.reindex(columns=facs, fill_value=0.0)
    its = [v for v in b.ov if (lam.loc[v] != 0).any()]
    n_ord = sum(v in b.ordered for v in its)
    kind = "ordered" if n_ord == len(its) else "continuous" if n_ord == 0 else "mixed"
    if kind != "continuous" and ord_scale:
        return len(its), kind, float("nan")
    L = lam.loc[its].to_numpy()
    B = b.beta.loc[facs, facs].to_numpy()
    phi = b.phi_all.loc[facs, facs].to_numpy()
    common = float(np.sum(L @ B @ phi @ B.T @ L.T))
    return len(its), kind, common / float(b.sigma.loc[its, its].to_numpy().sum())


def ave_sem(fit, *, obs_var: bool = True) -> pd.DataFrame:
    """``semTools::AVE(fit, obs.var)``: sum(l^2) phi / sum(diag S) per factor with two or more
    indicators and per group, S the observed (polychoric for ordered items) or model-implied
    covariance matrix divided by the scale factors; NaN when one of the factor's items loads
    on another factor too. Columns: group, construct, n_items, ave."""
    rows = []
    for b in _blocks(fit, obs_var):
        multi = b.lam.columns[(b.lam != 0).sum() > 1]
        cross = (b.lam[multi].round(5) != 0).sum(axis=1) > 1
        for f in multi:
            its = list(b.lam.index[b.lam[f] != 0])
            if cross[its].any():
                value = np.nan
            else:
                common = float((b.lam.loc[its, f] ** 2).sum() * b.phi.loc[f, f])
                value = common / float(np.diag(b.sigma.loc[its, its]).sum())
            rows.append({"group": b.label, "construct": f, "n_items": len(its), "ave": value})
    return pd.DataFrame(rows, columns=["group", "construct", "n_items", "ave"])


def ordinal_cfa_reliability(fit) -> pd.DataFrame:
    """Per factor and group of a CFA with ordered items: ``omega`` (semTools' default
    compRelSEM: categorical omega, Green & Yang 2009), ``omega.latent`` (``ord.scale =
    FALSE``: omega of the latent responses), ``alpha.polychoric`` (``tau.eq = TRUE, ord.scale
    = FALSE``: ordinal alpha of the fitted rows) and ``ave`` (semTools::AVE). Columns: group,
    construct, n_items, items, omega, omega.latent, alpha.polychoric, ave."""
    out = comp_rel_sem(fit).rename(columns={"reliability": "omega"})
    out["omega.latent"] = comp_rel_sem(fit, ord_scale=False)["reliability"].to_numpy()
    out["alpha.polychoric"] = comp_rel_sem(fit, tau_eq=True, ord_scale=False)[
        "reliability"
    ].to_numpy()
    out["ave"] = ave_sem(fit)["ave"].to_numpy()  # same factors in the same order
    return out
