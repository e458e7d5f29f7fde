"""Modification indices, expected parameter changes, and residual matrices (lavaan's
``modindices()`` and ``lavResiduals()``/``residuals(type = "cor")``).

A modification index is the score test of freeing one fixed-to-zero parameter (Sorbom 1989):
with g the gradient of logL / N and I the expected unit information of the model extended by
every candidate, MI_j = N g_j^2 / V_jj, V = I_11 - I_12 I_22^-1 I_21 (1: candidates, 2: free
parameters), and the expected parameter change is EPC_j = g_j / V_jj (Saris, Satorra &
Sorbom 1987). Candidates are lavaan's: every loading of every factor on every item, every
regression between factors, every covariance between items and between factors. Candidates
that would only re-express a parameter already in the model have V_jj ~ 0 and are dropped, as
lavaan does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._blas import single_threaded
from .compiled import compile_model, expected_information, ml_gradient_information
from .results import SEMResult

_EPS = np.finfo(float).eps ** (1 / 3)


def _candidates(result: SEMResult) -> pd.DataFrame:
    pt = result.pt
    mv = result.model.mv
    rows = []
    for g in sorted(pt.loc[pt["group"] > 0, "group"].unique()):
        have = set()
        for _, r in pt[pt["group"] == g].iterrows():
            have.add((r["lhs"], r["op"], r["rhs"]))
            if r["op"] == "~~":
                have.add((r["rhs"], r["op"], r["lhs"]))
        cand = [(f, "=~", v) for f in mv.lv for v in mv.ov]
        ov, lv = mv.ov, mv.lv
        cand += [(a, "~~", b) for i, a in enumerate(ov) for b in ov[i + 1 :]]
        cand += [(a, "~~", b) for i, a in enumerate(lv) for b in lv[i + 1 :]]
        cand += [(a, "~", b) for a in lv for b in lv if a != b]
        rows += [(lhs, op, rhs, int(g)) for lhs, op, rhs in cand if (lhs, op, rhs) not in have]
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group"])


@single_threaded
def modification_indices(result: SEMResult, minimum: float = 0.0, sort: bool = False):
    """lavaan's ``modindices(fit)``: lhs, op, rhs, group, mi, epc, sepc.lv, sepc.all.

    Example:
        >>> mi = modification_indices(fit)          # doctest: +SKIP
        >>> mi.sort_values("mi", ascending=False).head()  # doctest: +SKIP
    """
    if result.missing == "fiml":
        raise NotImplementedError("modification indices under FIML are not available yet")
    cand = _candidates(result)
    cols = ["lhs", "op", "rhs", "group", "mi", "epc", "sepc.lv", "sepc.all"]
    if cand.empty:
        return pd.DataFrame(columns=cols)
    pt = result.pt
    q = result.npar
    extra = cand.assign(
        id=np.arange(len(pt) + 1, len(pt) + len(cand) + 1),
        user=10,
        free=np.arange(q + 1, q + len(cand) + 1),
        ustart=np.nan,
        exo=0,
        label="",
        plabel="",
        start=np.nan,
    )
    pt_ext = pd.concat([pt[pt["op"].isin(["=~", "~", "~~", "~1"])], extra], ignore_index=True)
    cm = compile_model(pt_ext, result.model.mv, result.model.meanstructure)
    cm.exo_values = _shift_exo(result, pt_ext)
    theta = np.concatenate([result.theta, np.zeros(len(cand))])
    n = result.n
    info = expected_information(cm, result.data, theta) / n
    grad_f, _ = ml_gradient_information(cm, result.data, theta, with_hessian=False)
    score = -0.5 * grad_f  # gradient of logL / N
    m_idx = np.arange(q)
    e_idx = np.arange(q, q + len(cand))
    I22 = info[np.ix_(m_idx, m_idx)]
    I12 = info[np.ix_(e_idx, m_idx)]
    V = info[np.ix_(e_idx, e_idx)] - I12 @ np.linalg.solve(I22, I12.T)
    vdiag = np.diag(V).copy()
    vdiag[vdiag < _EPS] = np.nan
    s = score[e_idx]
    mi = n * s * s / vdiag
    epc = s / vdiag
    out = cand.copy()
    out["mi"] = mi
    out["epc"] = epc
    out["sepc.lv"], out["sepc.all"] = _standardize_epc(result, cand, epc)
    out = out[out["mi"].notna()]
    out = out[out["mi"] >= minimum]
    if sort:
        out = out.sort_values("mi", ascending=False)
    return out.reset_index(drop=True)


def _shift_exo(result: SEMResult, pt_ext: pd.DataFrame):
    """fixed.x values keyed by row position in the extended table (same rows come first)."""
    values = []
    base = result.pt.reset_index(drop=True)
    keep = base["op"].isin(["=~", "~", "~~", "~1"]).to_numpy()
    pos_map = {old: new for new, old in enumerate(np.where(keep)[0])}
    for exo in result.model.exo_values or []:
        values.append({pos_map[k]: v for k, v in exo.items() if k in pos_map})
    return values


def _standardize_epc(result: SEMResult, cand: pd.DataFrame, epc: np.ndarray):
    """sepc.lv and sepc.all as lavaan (cov.std = TRUE: covariances scaled by the estimated
    (residual) variances of the two variables)."""
    mv = result.model.mv
    names = mv.ov + mv.lv
    index = {v: i for i, v in enumerate(names)}
    lv = set(mv.lv)
    est = result.estimates
    sepc_lv = np.full(len(cand), np.nan)
    sepc_all = np.full(len(cand), np.nan)
    for g, imp in enumerate(result.implied_moments, start=1):
        sd = np.sqrt(np.diag(imp.sigma_all))
        rows = est[(est["group"] == g) & (est["op"] == "~~") & (est["lhs"] == est["rhs"])]
        var = dict(zip(rows["lhs"], rows["est"], strict=True))
        for k, (lhs, op, rhs, grp) in enumerate(cand.itertuples(index=False)):
            if grp != g:
                continue
            e = epc[k]
            if op == "=~":
                s_lv = sd[index[lhs]]
                sepc_lv[k] = e * s_lv
                sepc_all[k] = e * s_lv / sd[index[rhs]]
            elif op == "~":
                sepc_lv[k] = e * sd[index[rhs]] / sd[index[lhs]]
                sepc_all[k] = sepc_lv[k]
            else:
                denom = np.sqrt(abs(var.get(lhs, np.nan) * var.get(rhs, np.nan)))
                sepc_all[k] = e / denom
                sepc_lv[k] = e / denom if (lhs in lv and rhs in lv) else e
    return sepc_lv, sepc_all


def residuals(result: SEMResult, kind: str = "cor") -> list[pd.DataFrame]:
    """Residual matrices per group: ``raw`` (S - Sigma) or ``cor`` (sample minus model-implied
    correlations, lavaan's ``residuals(fit, type = "cor")``, Bollen 1989)."""
    out = []
    ov = result.model.mv.ov
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        if kind == "raw":
            mat = gd.cov - imp.sigma
        elif kind == "cor":
            s_sd = np.sqrt(np.diag(gd.cov))
            m_sd = np.sqrt(np.diag(imp.sigma))
            mat = gd.cov / np.outer(s_sd, s_sd) - imp.sigma / np.outer(m_sd, m_sd)
        else:
            raise ValueError("kind must be 'raw' or 'cor'")
        out.append(pd.DataFrame(mat, index=ov, columns=ov))
    return out
