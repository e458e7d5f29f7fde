"""Fit measures of a model with ordered items (WLSMV, ULSMV, WLS, DWLS, ULS), under
lavaan 0.6.14's ``fitMeasures()`` names and formulas.

* chisq = N F = sum_g (N_g - 1) e_g' W_g e_g (F the WLS discrepancy at the estimates,
  lavaan's ``lav_model_test``), fmin = F / 2; p-value NA under ULS; the baseline model
  with free thresholds and zero correlations (:mod:`loyaltysem.semcore.estimate.baseline`);
* WLSMV / ULSMV: the mean-and-variance adjusted ("scaled-shifted") test (Asparouhov &
  Muthen 2010; :func:`loyaltysem.semcore.fit.robust.scaled_shifted`) for the model and the
  baseline; ``.scaled`` incremental indices from the scaled statistics, ``rmsea.scaled`` from
  chisq.scaled on df (lavaan ``lav_fit_rmsea_lavobject``);
* ``.robust`` CFI/TLI/RNI/RMSEA: Savalei (2021), lavaan's ``lav_fit_catml_dwls``: the ML
  discrepancy of the polychoric correlations at the WLS estimates (catML), XX3 = N F_ML,
  with c = tr(U' V U Gamma) / df, U = I - Delta E^-1 Delta' W over the correlations, V the
  normal-theory weight at the implied correlations; baseline XX3 = -N log|R|,
  c0 = tr(Gamma_cor) / p*. Only when every variable is ordered, no scale factor is free and
  no threshold is tied to another (NA otherwise, as lavaan's fit returns: its catML refit
  drops the thresholds and then fails on their equality constraints);
* RMR/SRMR/CRMR over the off-diagonal correlation residuals (and the thresholds of the
  ordered items), the diagonal counted (``lav_residuals_summary``), srmr =
  srmr_bentler_nomean; GFI/AGFI/PGFI with the estimator's weight (``lav_fit_gfi``);
  WRMR = sqrt(chisq / #WLS.obs of the first group) (lavaan's ``fitMeasures``); NFI and RFI
  are NA when df exceeds the baseline's df and IFI is 1 when chisq0 < df (lavaan's
  ``lav_fit_nfi``, ``lav_fit_rfi``, ``lav_fit_ifi``).

RMSEA, Hoelter's CN and MFI use N - G (lavaan's ``lav_utils_get_ntotal`` for estimators
that are not likelihood-based).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from loyaltysem.semcore.fit.indices import (
    _hoelter,
    c_hat,
    incremental_indices,
    rmsea_ci,
    rmsea_point,
    rmsea_pvalues,
    robust_incremental,
)
from loyaltysem.semcore.fit.indices import rmsea_measures as _rmsea_measures
from loyaltysem.semcore.model import ordinal as om

_OTHER = ("nnfi", "rfi", "nfi", "pnfi", "ifi", "rni")


def _chisq(fit) -> tuple[float, float]:
    F = fit.discrepancy.objective(fit.theta)
    return fit.n * F, float(fit.model.n_moments - fit.npar)


def ordinal_fit_measures(result) -> dict[str, float]:
    """All fit measures of a WLS-family fit with ordered items (lavaan's names and order)."""
    from loyaltysem.semcore.fit.robust import scaled_shifted

    G = result.model.ngroups
    n = result.n - G  # lav_utils_get_ntotal
    chisq, df = _chisq(result)
    base = result.baseline
    chisq0, df0 = _chisq(base)
    scaled = result.options.scaled  # WLSMV, ULSMV: the scaled-shifted test
    out: dict[str, float] = {"npar": float(result.npar), "fmin": chisq / (2 * result.n)}
    uls = not result.options.chisq_pvalue  # ULS: no reference distribution (lavaan)
    out.update(chisq=chisq, df=df, pvalue=float("nan") if uls else _p(chisq, df))
    if scaled:
        t = scaled_shifted(result.discrepancy, result.theta, chisq, df)
        t0 = scaled_shifted(base.discrepancy, base.theta, chisq0, df0)
        out.update({
            "chisq.scaled": t["stat"], "df.scaled": df, "pvalue.scaled": _p(t["stat"], df),
            "chisq.scaling.factor": t["scaling.factor"],
        })  # fmt: skip
    p0 = float("nan") if uls else _p(chisq0, df0)
    out.update({"baseline.chisq": chisq0, "baseline.df": df0, "baseline.pvalue": p0})
    if scaled:
        out.update({
            "baseline.chisq.scaled": t0["stat"], "baseline.df.scaled": df0,
            "baseline.pvalue.scaled": _p(t0["stat"], df0),
            "baseline.chisq.scaling.factor": t0["scaling.factor"],
        })  # fmt: skip
    plain = _incremental(chisq, df, chisq0, df0)
    out["cfi"], out["tli"] = plain["cfi"], plain["tli"]
    if scaled:
        sc = _incremental(t["stat"], df, t0["stat"], df0)
        out["cfi.scaled"], out["tli.scaled"] = sc["cfi"], sc["tli"]
        rob = catml_robust(result, df, df0)
        out.update({k: rob[k] for k in ("cfi.robust", "tli.robust")})
    out.update({k: plain[k] for k in _OTHER})
    if scaled:
        out.update({f"{k}.scaled": sc[k] for k in _OTHER})
        out["nnfi.robust"], out["rni.robust"] = rob["nnfi.robust"], rob["rni.robust"]
    out.update(_rmsea_measures(chisq, df, n, G))
    if scaled:
        out.update(_rmsea_scaled(t["stat"], df, n, G))
        out.update(_rmsea_robust(rob, n, G))
    out.update(residual_summary(result))
    out["cn_05"] = _hoelter(chisq, df, n, 0.05)
    out["cn_01"] = _hoelter(chisq, df, n, 0.01)
    gfi, nel = _gfi(result)
    out["gfi"] = gfi
    out["agfi"] = 1 - (nel / df) * (1 - gfi) if df > 0 else 1.0
    out["pgfi"] = (df / nel) * gfi if nel > 0 else float("nan")
    out["mfi"] = math.exp(-0.5 * (chisq - df) / n)
    nel1 = result.data[0].wls_obs.size
    out["wrmr"] = math.sqrt(chisq / nel1) if nel1 > 0 else float("nan")
    return out


def _incremental(x2: float, df: float, x20: float, df0: float) -> dict[str, float]:
    """The incremental indices with lavaan's rules (NFI/RFI NA when df exceeds the baseline's
    df, IFI 1 when chisq0 < df, the df = 0 values; :mod:`loyaltysem.semcore.fit.indices`)."""
    return incremental_indices(x2, df, x20, df0)


def _p(x: float, df: float) -> float:
    return float(stats.chi2.sf(x, df)) if df > 0 else float("nan")


def _rmsea_scaled(x2: float, df: float, n: int, G: int) -> dict[str, float]:
    lo, hi = rmsea_ci(x2, df, n, G)
    p_close, p_not = rmsea_pvalues(x2, df, n, G)
    return {
        "rmsea.scaled": rmsea_point(x2, df, n, G),
        "rmsea.ci.lower.scaled": lo,
        "rmsea.ci.upper.scaled": hi,
        "rmsea.pvalue.scaled": p_close,
        "rmsea.notclose.pvalue.scaled": p_not,
    }


def _rmsea_robust(rob: dict, n: int, G: int) -> dict[str, float]:
    """lavaan's robust RMSEA from catML (NaN where catML is not available; 0 and a CI of
    (0, 0) at df = 0)."""
    x3, df3, c3, x3s = rob["XX3"], rob["df3"], rob["c.hat3"], rob["XX3.scaled"]
    lo, hi = rmsea_ci(x3s, df3, n, G, c_hat=c3)
    p_close, p_not = rmsea_pvalues(x3s, df3, n, G, c_hat=c3)
    return {
        "rmsea.robust": rmsea_point(x3, df3, n, G, c_hat=c3),
        "rmsea.ci.lower.robust": lo,
        "rmsea.ci.upper.robust": hi,
        "rmsea.pvalue.robust": p_close,
        "rmsea.notclose.pvalue.robust": p_not,
    }


# ----------------------------------------------------------------------------- catML


def _catml_available(result) -> bool:
    cm = result.model
    if getattr(cm, "conditional_x", False):  # lavaan: NA with conditional.x
        return False
    all_ordered = all(lay.num.size == 0 for lay in cm.layouts)
    free_scale = bool(((cm.pt["op"] == "~*~") & (cm.pt["free"] > 0)).any())
    free = cm.pt["free"]
    tied = free[(free > 0) & free.duplicated(keep=False)]
    tied_location = bool(cm.pt.loc[tied.index, "op"].isin(["|", "~1"]).any())
    pd_ok = all(np.linalg.eigvalsh(gd.cov).min() >= np.sqrt(np.finfo(float).eps)
                for gd in result.data)  # fmt: skip
    return all_ordered and not free_scale and not tied_location and pd_ok


def catml_robust(result, df: float, df0: float) -> dict[str, float]:
    """Savalei's (2021) robust CFI/TLI/RNI ingredients for categorical data (see the module
    docstring) and the indices themselves."""
    nan = float("nan")
    keys = ("XX3", "df3", "c.hat3", "XX3.scaled", "XX3.null", "df3.null", "c.hat3.null")
    out = dict.fromkeys(keys, nan)
    if _catml_available(result):
        out.update(_catml(result))
    inc = robust_incremental(
        out["XX3"], df, out["XX3.null"], df0, out["c.hat3"], out["c.hat3.null"]
    )
    out.update(inc)
    return out


def _catml(result) -> dict[str, float]:
    cm, theta, n = result.model, result.theta, result.n
    disc = result.discrepancy
    E = disc.unit_information(theta)  # sum_g f_g Delta' W Delta
    E_inv = np.linalg.inv(E)
    jac = om.wls_jacobian(cm, theta)
    xx3 = xx3_null = kbs = 0.0
    ndat = 0
    D_all, W_all, V_all, G_all = [], [], [], []
    for gd, imp, lay, (_, D) in zip(result.data, cm.implied(theta), cm.layouts, jac, strict=True):
        f = gd.n / n
        d = om.scale_factors(lay, imp, theta)
        R, Sig = gd.cov, imp.sigma * np.outer(d, d)  # the implied correlations
        p = len(R)
        _, ld_sig = np.linalg.slogdet(Sig)
        _, ld_r = np.linalg.slogdet(R)
        xx3 += gd.n * (ld_sig - ld_r + np.trace(R @ np.linalg.inv(Sig)) - p)
        xx3_null += -gd.n * ld_r
        cor = np.arange(lay.th_var.size + lay.num.size, lay.size)
        ndat += cor.size
        Wg = gd.weight[cor] if gd.weight.ndim == 1 else gd.weight[np.ix_(cor, cor)]
        D_all.append(D[cor])
        W_all.append(f * (np.diag(Wg) if Wg.ndim == 1 else Wg))
        V_all.append(f * _cor_weight(np.linalg.inv(Sig), lay.ii, lay.jj))
        gam = gd.nacov[np.ix_(cor, cor)] / f
        G_all.append(gam)
        kbs += float(np.trace(gam))
    D, W = np.vstack(D_all), _bdiag(W_all)
    WiU = np.eye(len(D)) - D @ E_inv @ D.T @ W
    ks = float(np.sum((WiU.T @ _bdiag(V_all) @ WiU) * _bdiag(G_all).T))
    other = cm.pt["free"][~cm.pt["op"].isin(["|", "~1"]) & (cm.pt["free"] > 0)]
    df3 = float(ndat - other.nunique())  # catML drops the thresholds (and means)
    c3 = c_hat(ks, df3)
    return {
        "XX3": xx3, "df3": df3, "c.hat3": c3, "XX3.scaled": xx3 / c3,
        "XX3.null": xx3_null, "df3.null": float(ndat), "c.hat3.null": kbs / ndat,
    }  # fmt: skip


def _cor_weight(P: np.ndarray, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """Normal-theory weight of the off-diagonal correlations: P_ik P_jl + P_il P_jk."""
    return P[np.ix_(ii, ii)] * P[np.ix_(jj, jj)] + P[np.ix_(ii, jj)] * P[np.ix_(jj, ii)]


def _bdiag(mats) -> np.ndarray:
    size = sum(len(m) for m in mats)
    out = np.zeros((size, size))
    i = 0
    for m in mats:
        out[i : i + len(m), i : i + len(m)] = m
        i += len(m)
    return out


# ----------------------------------------------------------------------------- residuals


def residual_summary(result) -> dict[str, float]:
    """rmr, srmr (Bentler) and crmr (Bollen), with and without thresholds, as lavaan's
    ``lav_residuals_summary`` for categorical data: per group sqrt(sum of squared residuals
    / count), the count including the p diagonal zeros except for crmr; N_g/N-weighted."""
    if hasattr(result.model, "residual_groups"):  # its own residuals (conditional.x)
        return residual_indices(result.model.residual_groups(result))
    groups = []
    for gd, imp, lay, s_th in zip(
        result.data, result.implied_moments, result.model.layouts,
        om.wls_moments(result.model, result.theta), strict=True,
    ):  # fmt: skip
        delta = om.scale_factors(lay, imp, result.theta)
        S, Sig = gd.cov, imp.sigma * np.outer(delta, delta)
        th = np.flatnonzero(~lay.th_num)  # thresholds only, not -means
        th_res = gd.wls_obs[th] - s_th[th]
        groups.append((S, Sig, (lay.ii, lay.jj), th_res, lay.th_var[th], len(S), gd.n))
    return residual_indices(groups)


def residual_indices(groups: list[tuple]) -> dict[str, float]:
    """The rmr / srmr / crmr family from per-group (S, Sigma, off-diagonal index, threshold
    residuals, the thresholds' variable rows in S, lavaan's extra count nvar, N_g):
    sqrt(sum of squared residuals / (count + nvar; crmr without nvar)), N_g/N-weighted."""
    names = ("rmr", "srmr_bentler", "crmr")
    acc = {k: [] for k in names + tuple(k + "_nomean" for k in names)}
    w = []
    for S, Sig, off, th_res, th_rows, nvar, n in groups:
        sd_s, sd_m = np.sqrt(np.diag(S)), np.sqrt(np.diag(Sig))
        th_sd = sd_s[th_rows]
        parts = {
            "rmr": ((S - Sig)[off], th_res),
            "srmr_bentler": (((S - Sig) / np.outer(sd_s, sd_s))[off], th_res / th_sd),
            "crmr": ((S / np.outer(sd_s, sd_s) - Sig / np.outer(sd_m, sd_m))[off], th_res / th_sd),
        }
        for k, (cov_r, th_r) in parts.items():
            extra = 0 if k == "crmr" else nvar
            acc[k + "_nomean"].append(math.sqrt(np.sum(cov_r**2) / (cov_r.size + extra)))
            tot = np.concatenate([cov_r, th_r])
            acc[k].append(math.sqrt(np.sum(tot**2) / (tot.size + extra)))
        w.append(n)
    wt = np.array(w, dtype=float) / sum(w)
    out = {k: float(np.dot(wt, v)) for k, v in acc.items()}
    return {
        "rmr": out["rmr"], "rmr_nomean": out["rmr_nomean"], "srmr": out["srmr_bentler_nomean"],
        "srmr_bentler": out["srmr_bentler"], "srmr_bentler_nomean": out["srmr_bentler_nomean"],
        "crmr": out["crmr"], "crmr_nomean": out["crmr_nomean"],
        "srmr_mplus": float("nan"), "srmr_mplus_nomean": float("nan"),
    }  # fmt: skip


def _gfi(result) -> tuple[float, int]:
    """lavaan's ``lav_fit_gfi``: 1 - e'We / s'Ws per group with the estimator's W (N-weighted
    over groups), and the number of WLS.obs elements."""
    vals, ns, nel = [], [], 0
    for gd, s in zip(result.data, om.wls_moments(result.model, result.theta), strict=True):
        e = gd.wls_obs - s
        vals.append(1 - float(e @ gd.weigh(e)) / float(gd.wls_obs @ gd.weigh(gd.wls_obs)))
        ns.append(gd.n)
        nel += gd.wls_obs.size
    return float(np.dot(ns, vals) / sum(ns)), nel
