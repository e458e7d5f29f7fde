"""Modification indices, expected parameter changes, and residual matrices (lavaan's
``modindices()`` and ``lavResiduals()``/``residuals(type = "cor")``).

A modification index is the score test of freeing one fixed parameter (Sorbom 1989): with g
the gradient of logL / N and I the expected unit information of the model extended by every
candidate, MI_j = N g_j^2 / V_jj, V = I_11 - I_12 I_22^-1 I_21 (1: candidates, 2: free
parameters), and the expected parameter change is EPC_j = g_j / V_jj (Saris, Satorra &
Sorbom 1987). Candidates are lavaan's (``lav_partable_full`` and ``all.free``): every
loading of a factor on a non-covariate item, every covariance among indicators, among
covariates and among factors, every regression among the variables of the structural part,
and every row the model fixes (first loadings, covariates' moments, latent means). Under FIML
I is the expected information of the incomplete data and g the gradient of the FIML
log-likelihood. Candidates with V_jj < eps^(1/3) (parameters that only re-express others)
are dropped, as lavaan does.

With ordered items (WLSMV, ULSMV, WLS, DWLS, ULS) lavaan 0.6.14 uses the WLS family's own
pieces: I = sum_g (N_g / N) Delta_g' W_g Delta_g (W = WLS.V: the diagonal weight for DWLS,
identity for ULS, NACOV^-1 for WLS) and g = sum_g ((N_g - 1) / N) Delta_g' W_g (s_g -
sigma_g) on the thresholds and polychoric correlations, N the total sample size
(:func:`_wls_parts`); the candidates are the same rows, the thresholds and scale factors
stay in the extended model. With observed covariates the model is conditional on them
(lavaan's conditional.x, :mod:`.ordinal_condx`: WLS.obs holds the slopes): the extended
model is compiled as the fit was, its Delta is that of the reduced form, and the candidates
are ``lav_partable_full(strict.exo = TRUE)``'s - no (co)variances or intercepts of the
covariates (their fixed moments stay data) and no regression of a covariate; an
``item ~ covariate`` candidate exists only for an item already in a regression.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.base.blas import single_threaded
from loyaltysem.semcore.inference import standardized as stdz
from loyaltysem.semcore.model.compiled import compile_model, ml_gradient_information
from loyaltysem.semcore.results import SEMResult

_EPS = np.finfo(float).eps ** (1 / 3)
_PARAM_OPS = ["=~", "~", "~~", "~1"]


def _full_rows(result: SEMResult) -> list[tuple[str, str, str]]:
    """lavaan's ``lav_partable_full`` for one group; strict.exo (lavaan's choice when the
    model is conditional on x) drops the covariates' (co)variances and intercepts and every
    regression of a covariate on something."""
    mv = result.model.mv
    pt = result.pt
    strict = _conditional_x(result)
    x = [mv.ov[i] for i in result.model.exo_index]
    if strict:
        x = [v for v in mv.ov if v in set(mv.ov_x)]
    ov_nox = [v for v in mv.ov if v not in x]
    indicators = {i for inds in mv.indicators.values() for i in inds}
    reg = pt[pt["op"] == "~"]
    eqs = list(dict.fromkeys(list(reg["lhs"]) + list(reg["rhs"])))
    rows = [(f, "=~", v) for f in mv.lv for v in ov_nox if v not in eqs]
    other = {v for v in mv.ov if v not in indicators}
    rows += [
        (a, "~~", b)
        for i, a in enumerate(ov_nox)
        for b in ov_nox[i:]
        if a not in other and b not in other
    ]
    if not strict:
        rows += [(a, "~~", b) for i, a in enumerate(x) for b in x[i:]]
    rows += [(a, "~~", b) for i, a in enumerate(mv.lv) for b in mv.lv[i:]]
    lv = set(mv.lv)
    eqs_y = [v for v in eqs if v not in x] if strict else eqs
    rows += [
        (a, "~", b) for a in eqs_y for b in eqs if a != b and not (a in indicators and b in lv)
    ]
    if result.model.meanstructure:
        rows += [(v, "~1", "") for v in (ov_nox if strict else list(mv.ov)) + list(mv.lv)]
    return rows


def _conditional_x(result: SEMResult) -> bool:
    """Ordered items with covariates: the model is conditional on x (lavaan's
    conditional.x, :mod:`.ordinal_condx`)."""
    return bool(getattr(result.model, "conditional_x", False))


def _extended_table(
    result: SEMResult, ops: list[str] = _PARAM_OPS
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The model's rows plus every candidate, all free: the model's own free parameters keep
    their numbers 1..q, the model's fixed rows and the new rows get q+1, ... (lavaan's
    ``lav_object_extended(all.free = TRUE)``). ``ops``: the model's rows kept (with ordered
    items also the thresholds and scale factors). Returns (table, start values, candidate
    row positions)."""
    pt = result.pt
    q = result.npar
    base = pt[pt["op"].isin(ops)].copy()
    base["est"] = stdz.parameter_values(result.model, result.theta)[base.index.to_numpy()]
    base = base.reset_index(drop=True)
    # conditional on x, the covariates' fixed moments are data, not rows of the model: kept
    # fixed (their Delta columns in lavaan are zero: no MI)
    keep_exo = _conditional_x(result) & (base["exo"].fillna(0).to_numpy() == 1)
    rows = []
    for g in sorted(base["group"].unique()):
        have = set()
        for r in base[base["group"] == g].itertuples():
            have.add((r.lhs, r.op, r.rhs))
            if r.op == "~~":
                have.add((r.rhs, r.op, r.lhs))
        for lhs, op, rhs in _full_rows(result):
            if (lhs, op, rhs) not in have:
                rows.append({"lhs": lhs, "op": op, "rhs": rhs, "group": int(g), "est": 0.0})
                have.add((lhs, op, rhs))
    extra = pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group", "est"])
    ext = pd.concat([base, extra.assign(user=10)], ignore_index=True)
    exo = np.concatenate([keep_exo, np.zeros(len(extra), dtype=bool)])
    freed = (ext["free"].fillna(0).to_numpy() == 0) & ~exo  # fixed rows and new rows
    free = ext["free"].fillna(0).to_numpy().astype(int)
    free[freed] = np.arange(q + 1, q + 1 + freed.sum())
    ext["free"] = free
    ext["exo"] = exo.astype(int)
    for col, val in (("ustart", np.nan), ("label", ""), ("plabel", ""), ("start", np.nan)):
        ext[col] = ext[col].fillna(val) if col in ext else val
    ext["id"] = np.arange(1, len(ext) + 1)
    theta = np.zeros(q + int(freed.sum()))
    theta[free[free > 0] - 1] = ext["est"].to_numpy()[free > 0]
    return ext, theta, np.where(freed)[0]


@single_threaded
def modification_indices(result: SEMResult, minimum: float = 0.0, sort: bool = False):
    """lavaan's ``modindices(fit)``: lhs, op, rhs, group, mi, epc, sepc.lv, sepc.all, sepc.nox
    (complete data, FIML, and ordered items under the WLS family: :func:`_wls_parts`).

    Example:
        >>> mi = modification_indices(fit)          # doctest: +SKIP
        >>> mi.sort_values("mi", ascending=False).head()  # doctest: +SKIP
    """
    cols = ["lhs", "op", "rhs", "group", "mi", "epc", "sepc.lv", "sepc.all", "sepc.nox"]
    ordinal = hasattr(result.model, "layouts")
    ops = _PARAM_OPS + ["|", "~*~"] if ordinal else _PARAM_OPS  # thresholds, scale factors
    ext, theta, cand_rows = _extended_table(result, ops)
    if not len(cand_rows):
        return pd.DataFrame(columns=cols)
    n = result.n
    if ordinal:
        info, score = _wls_parts(result, ext, theta)
    else:
        info, score = _ml_parts(result, ext, theta)
    q = result.npar
    m_idx = np.arange(q)
    e_idx = ext["free"].to_numpy()[cand_rows] - 1
    I22 = info[np.ix_(m_idx, m_idx)]
    I12 = info[np.ix_(e_idx, m_idx)]
    V = info[np.ix_(e_idx, e_idx)] - I12 @ np.linalg.solve(I22, I12.T)
    vdiag = np.diag(V).copy()
    vdiag[vdiag < _EPS] = np.nan
    s = score[e_idx]
    mi = n * s * s / vdiag
    d = n * s
    d[np.abs(d) < 1e-15] = 1.0
    epc = mi / d
    out = ext.loc[cand_rows, ["lhs", "op", "rhs", "group"]].reset_index(drop=True)
    out["mi"] = mi
    out["epc"] = epc
    sepc = _standardize_epc(result, ext, cand_rows, epc)
    for k in ("sepc.lv", "sepc.all", "sepc.nox"):
        out[k] = sepc[k]
    out = out[out["mi"].notna()]
    out = out[out["mi"] >= minimum]
    if sort:
        out = out.sort_values("mi", ascending=False)
    return out[cols].reset_index(drop=True)


def _ml_parts(result: SEMResult, ext: pd.DataFrame, theta: np.ndarray):
    """(expected unit information, gradient of logL / N) of the extended ML / FIML model."""
    cm = compile_model(ext, result.model.mv, result.model.meanstructure)
    info = _expected_information(result, cm, theta) / result.n
    if result.missing == "fiml":
        from loyaltysem.semcore.estimate.fiml import gradient as fiml_gradient

        score = -0.5 * fiml_gradient(cm, result.data, theta)  # gradient of logL / N
    else:
        grad_f, _ = ml_gradient_information(cm, result.data, theta, with_hessian=False)
        score = -0.5 * grad_f
    return info, score


def _wls_parts(result: SEMResult, ext: pd.DataFrame, theta: np.ndarray):
    """(E, s) of the extended model with ordered items, as lavaan 0.6.14's ``modindices`` for
    DWLS / ULS / WLS (``lav_model_information_expected``, ``lav_model_gradient``):
    E = sum_g (N_g / N) Delta_g' W_g Delta_g with W_g = WLS.V, and s the negative gradient of
    the WLS fit function, sum_g ((N_g - 1) / N) Delta_g' W_g (s_g - sigma_g); then
    MI = N s^2 / V and EPC = s / V. The extended model frees every fixed row as well: the
    ordered items' residual variances, scale factors, intercepts and the latent means;
    where their Delta columns are zero or re-express thresholds V vanishes and the row is
    dropped (lavaan's NA)."""
    from loyaltysem.semcore.model.compiled import set_exo_values
    from loyaltysem.semcore.model.ordinal import compile_ordinal, wls_jacobian
    from loyaltysem.semcore.model.ordinal_condx import compile_condx

    if _conditional_x(result):  # as estimation.estimate_table compiles conditional data
        cm = compile_condx(ext, result.model.mv, result.data)
        set_exo_values(cm, result.data)
    else:
        cm = compile_ordinal(ext, result.model.mv, result.data)
    n = result.n
    info = np.zeros((cm.npar, cm.npar))
    score = np.zeros(cm.npar)
    for gd, (sigma, D) in zip(result.data, wls_jacobian(cm, theta), strict=True):
        WD = gd.weigh(D)
        info += gd.n / n * (D.T @ WD)
        score += (gd.n - 1) / n * (WD.T @ (gd.wls_obs - sigma))
    return info, score


def _expected_information(result: SEMResult, cm, theta: np.ndarray) -> np.ndarray:
    """sum_g N_g Delta_g' W_g Delta_g with W_g the expected h1 information at the implied
    moments (of the incomplete data under FIML) whose rows for the fixed.x covariates' own
    moments are zero, as lavaan's (``x.idx``)."""
    from loyaltysem.samplestats import h1
    from loyaltysem.semcore.model import ram

    info = np.zeros((cm.npar, cm.npar))
    x_idx = result.model.exo_index
    ms = cm.meanstructure
    for gs, imp, gd in zip(cm.groups, cm.implied(theta), result.data, strict=True):
        p = len(imp.sigma)
        if result.missing == "fiml":
            pats = gd.patterns
        else:
            pats = h1.complete_patterns(None, gd.mean, gd.cov, gd.n)
        W = h1.information(h1.pattern_arrays(pats, imp.sigma, imp.mu, False), p, ms)
        dS, dm = ram.jacobian(gs, imp, cm.npar)
        D = h1.delta(dS, dm, ms)
        keep = h1.not_x_index(p, x_idx, ms)
        D = D[keep]
        info += gd.n * D.T @ W[np.ix_(keep, keep)] @ D
    return info


def _standardize_epc(result: SEMResult, ext: pd.DataFrame, cand_rows, epc: np.ndarray):
    """sepc.lv, sepc.all and sepc.nox as lavaan's ``modindices`` (cov.std = TRUE): |EPC|
    standardised by :func:`loyaltysem.semcore.inference.standardized.standardize_values` with
    the model-implied SDs (std.lv: latent only; std.all: every variable; std.nox: not the
    exogenous observed covariates), a covariance by the two residual SDs taken from the
    current estimates of the variances (the EPC of a candidate covariate variance, NA when
    that is below sqrt(eps)); sign restored; variance candidates with |EPC| < sqrt(eps) get
    0."""
    mv = result.model.mv
    names = mv.ov + mv.lv
    index = {v: i for i, v in enumerate(names)}
    x = {mv.ov[i] for i in result.model.exo_index}  # the fixed.x covariates (exo = 1)
    small = np.sqrt(np.finfo(float).eps)
    EPC = ext["est"].to_numpy(dtype=float).copy()
    EPC[cand_rows] = epc
    is_var = (ext["op"] == "~~").to_numpy() & (ext["lhs"] == ext["rhs"]).to_numpy()
    keep_est = is_var & ~ext["lhs"].isin(x).to_numpy()  # exo == 0 in lavaan's table
    EPC[keep_est] = ext["est"].to_numpy(dtype=float)[keep_est]
    tiny = is_var & (np.abs(EPC) < small)
    EPC[tiny] = np.nan
    groups = ext["group"].to_numpy().astype(int)
    resid = np.full((result.model.ngroups, len(names)), np.nan)
    for k in np.where(is_var)[0]:
        resid[groups[k] - 1, index[ext["lhs"].iat[k]]] = np.sqrt(abs(EPC[k]))
    sds = [np.sqrt(np.diag(imp.sigma_all)) for imp in result.implied_moments]
    arr = {c: ext[c].to_numpy() for c in ("lhs", "op", "rhs", "group")}
    # std.nox leaves lavaan's ov.x raw (the covariates, fixed.x or not)
    plan = stdz.make_std_plan(arr, names, set(mv.lv), set(mv.ov_x), result.model.ngroups)
    E = stdz.sd_vector(sds, list(resid))
    sign = np.sign(epc)
    out = {}
    for kind in stdz.KINDS:
        std = stdz.standardize_values(plan, kind, np.abs(EPC), E)[cand_rows]
        out["s" + kind.replace("std", "epc")] = np.where(tiny[cand_rows], 0.0, sign * std)
    return out


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
