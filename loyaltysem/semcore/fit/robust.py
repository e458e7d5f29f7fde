"""Robust ML (lavaan's ``estimator = "MLR"``): Huber-White standard errors and the
Yuan-Bentler scaled test statistic (Mplus variant), with scaled and robust fit indices, for
complete data and for FIML; and the FIML-corrected robust indices lavaan adds under FIML.

* Standard errors: V = A^-1 B A^-1, A the observed information (Hessian of -logL at the
  estimates), B = sum_i s_i s_i' with s_i the casewise scores (Huber 1967; White 1982;
  lavaan ``se = "robust.huber.white"``, ``information = "observed"``).
* Scaling factor (Yuan & Bentler 2000; Asparouhov & Muthen 2005, lavaan
  ``test = "yuan.bentler.mplus"``): c = [sum_g tr(A1_g^-1 B1_g) - tr(A^-1 B)] / df, with A1_g,
  B1_g the observed and first-order information of the unrestricted (h1) model at the sample
  moments (complete data) or at the EM estimates (incomplete data: the observed-data
  information of the missing-data patterns, Yuan & Bentler 2000), the fixed.x covariates' own
  moments left out (lavaan ``lav_test_yuan_bentler_mplus_trace``).
* Ordered items (WLSMV, ULSMV): the scaled-shifted test (:func:`scaled_shifted`).
* Robust CFI/TLI (Brosseau-Liard & Savalei 2014) and robust RMSEA (Brosseau-Liard, Savalei &
  Li 2012) for complete data; under FIML the FIML-corrected versions of Zhang & Savalei
  (2023), lavaan's ``lav_fit_fiml_corrected`` (V3 with MLR, V6 with ML).
"""

from __future__ import annotations

import numpy as np

from loyaltysem.base import dist as _dist
from loyaltysem.samplestats import h1
from loyaltysem.semcore.model import ram
from loyaltysem.semcore.model.compiled import (
    GroupData,
    ml_discrepancy,
)


def observed_information(result) -> np.ndarray:
    """Observed information of all N cases (the estimator's discrepancy supplies it)."""
    return result.discrepancy.information(result.theta, "observed")


def casewise_scores(result) -> list[np.ndarray]:
    """Per group: N_g x q casewise scores d logL_i / d theta (from the discrepancy)."""
    return result.discrepancy.scores(result.theta)


# ----------------------------------------------------------------------------- h1 matrices


def _h1_group(result, g: int):
    """(observed information A1, first-order information B1, kept positions) of group g's
    unrestricted model at the sample (complete data) or EM (FIML) moments, per observation."""
    gd = result.data[g]
    p = len(gd.cov)
    fiml = result.missing == "fiml"
    ms = result.model.meanstructure
    pats = gd.patterns if fiml else h1.complete_patterns(gd.raw, gd.mean, gd.cov, gd.n)
    A1 = h1.information(h1.pattern_arrays(pats, gd.cov, gd.mean, True), p, ms)
    sc = h1.scores(gd.raw, pats, gd.cov, gd.mean, ms)
    B1 = sc.T @ sc / gd.n
    keep = h1.not_x_index(p, result.model.exo_index, ms)
    return A1, B1, keep


def h1_trace(result) -> tuple[float, int]:
    """sum_g tr(A1_g^-1 B1_g) over the moments that are not the covariates' own, and the
    number of those moments (lavaan's ``h1.ndat``)."""
    key = ("h1_trace",)
    cache = result.model.cache
    if key not in cache:
        total, ndat = 0.0, 0
        for g in range(len(result.data)):
            A1, B1, keep = _h1_group(result, g)
            k = np.ix_(keep, keep)
            total += float(np.trace(np.linalg.solve(A1[k], B1[k])))
            ndat += len(keep)
        cache[key] = (total, ndat)
    return cache[key]


def h0_trace(result) -> float:
    """tr(A^-1 B) of the fitted model (A the observed information, B the outer product of
    the casewise scores), lavaan's sum_g f_g tr(B0_g E^-1)."""
    A = observed_information(result)
    scores = casewise_scores(result)
    B = sum(s.T @ s for s in scores)
    return float(np.trace(np.linalg.solve(A, B)))


def scaling_factor(result, df: float, h1_tr: float | None = None) -> float:
    """Yuan-Bentler (Mplus) scaling factor c of the chi-square (NA when df = 0 or c < 0)."""
    if df <= 0:
        return float("nan")
    if h1_tr is None:
        h1_tr = h1_trace(result)[0]
    c = (h1_tr - h0_trace(result)) / df
    return float(c) if c >= 0 else float("nan")


# ----------------------------------------------------------------------------- FIML-corrected


def _fiml_h1_blocks(result):
    """Per group (reduced to the non-covariate moments): Wm (observed-data h1 information at
    the EM moments), Jm (its first-order version), Wc (complete-data h1 information at the
    EM moments), the kept positions and f_g = N_g / N."""
    out = []
    ntot = result.n
    for g, gd in enumerate(result.data):
        p = len(gd.cov)
        Wm, Jm, keep = _h1_group(result, g)
        pats = h1.complete_patterns(None, gd.mean, gd.cov, gd.n)
        Wc = h1.information(h1.pattern_arrays(pats, gd.cov, gd.mean, False), p, True)
        k = np.ix_(keep, keep)
        out.append((Wm[k], Jm[k], Wc[k], keep, gd.n / ntot))
    return out


def _delta_all(fit, blocks) -> np.ndarray:
    cm = fit.model
    parts = []
    for gs, imp, (_, _, _, keep, _) in zip(cm.groups, fit.implied_moments, blocks, strict=True):
        dS, dm = ram.jacobian(gs, imp, cm.npar)
        parts.append(h1.delta(dS, dm, True)[keep])
    return np.vstack(parts)


def _block_diag(mats) -> np.ndarray:
    n = sum(len(m) for m in mats)
    out = np.zeros((n, n))
    i = 0
    for m in mats:
        out[i : i + len(m), i : i + len(m)] = m
        i += len(m)
    return out


def _fiml_k(fit, blocks, version: str) -> float:
    """k of lav_fit_fiml_corrected for one fitted model (the model or its baseline):
    U = Wm - Wm Delta E^-1 Delta' Wm with E = Delta' Wm Delta (observed.information "h1",
    unstructured); V6: tr(Wc Wm^-1 U Wm^-1); V3: tr(U Wm^-1 Wc Wm^-1 U Gamma) with
    Gamma = blockdiag(f_g^-1 Wm_g^-1 Jm_g Wm_g^-1)."""
    Wm = _block_diag([f * w for w, _, _, _, f in blocks])
    Wmi = _block_diag([np.linalg.inv(w) / f for w, _, _, _, f in blocks])
    Wc = _block_diag([f * c for _, _, c, _, f in blocks])
    D = _delta_all(fit, blocks)
    WD = Wm @ D
    U = Wm - WD @ np.linalg.solve(D.T @ WD, WD.T)
    if version == "V6":
        return float(np.sum((Wc @ Wmi) * (U @ Wmi).T))
    gam = _block_diag([np.linalg.inv(w) @ j @ np.linalg.inv(w) / f for w, j, _, _, f in blocks])
    left = U @ Wmi @ Wc @ Wmi @ U
    return float(np.sum(left * gam.T))


def fiml_corrected(result, version: str) -> dict[str, float]:
    """Zhang & Savalei's FIML-corrected chi-square and scaling factors (lavaan's
    ``lav_fit_fiml_corrected``): XX3 = the model's ML discrepancy at its FIML estimates with
    the EM moments taken as complete-data moments (N F_ML), c.hat3 = k / df, and the same for
    the baseline model."""
    em = [GroupData(d.n, d.cov, d.mean) for d in result.data]
    blocks = _fiml_h1_blocks(result)
    from loyaltysem.semcore.fit.indices import c_hat, degrees_of_freedom

    out = {}
    for tag, fit in (("", result), (".null", result.baseline)):
        df = degrees_of_freedom(fit)
        xx3 = result.n * ml_discrepancy(fit.model, em, fit.theta)
        c3 = c_hat(_fiml_k(fit, blocks, version), df)
        out["XX3" + tag], out["df3" + tag], out["c.hat3" + tag] = xx3, df, c3
    out["XX3.scaled"] = out["XX3"] / out["c.hat3"]
    return out


# ----------------------------------------------------------------------------- WLSMV test


def trace_ugamma(disc, theta: np.ndarray) -> tuple[float, float]:
    """tr(U Gamma) and tr((U Gamma)^2) of a WLS-family fit (lavaan's
    ``lav_test_satorra_bentler_trace_original``; Satorra & Bentler 1994), with
    U = V - V Delta E^-1 Delta' V, V = blockdiag(f_g W_g), Gamma = blockdiag(Gamma_g / f_g),
    E = Delta' V Delta. Expanded so that no product of two m x m matrices is needed:
    tr(U Gamma) = tr(V Gamma) - tr(E^-1 K), tr((U Gamma)^2) = tr((V Gamma)^2)
    - 2 tr(E^-1 L) + tr(E^-1 K E^-1 K), K = Delta' V Gamma V Delta,
    L = Delta' V Gamma V Gamma V Delta (each a sum over groups with weight f_g)."""
    from loyaltysem.semcore.model.ordinal import wls_jacobian

    n = disc.n
    q = disc.model.npar
    E = disc.unit_information(theta)
    K, L = np.zeros((q, q)), np.zeros((q, q))
    tr_vg = tr_vg2 = 0.0
    for gd, (_, D) in zip(disc.data, wls_jacobian(disc.model, theta), strict=True):
        f = gd.n / n
        gam = gd.nacov
        WG = gd.weigh(gam)  # W_g Gamma_g
        tr_vg += float(np.trace(WG))
        tr_vg2 += float(np.sum(WG * WG.T))
        GWD = gam @ gd.weigh(D)  # Gamma W Delta
        K += f * (gd.weigh(D).T @ GWD)
        L += f * (GWD.T @ gd.weigh(GWD))
    EK = np.linalg.solve(E, K)
    tr_ug = tr_vg - float(np.trace(EK))
    tr_ug2 = tr_vg2 - 2.0 * float(np.trace(np.linalg.solve(E, L))) + float(np.sum(EK * EK.T))
    return tr_ug, tr_ug2


def scaled_shifted(disc, theta: np.ndarray, chisq: float, df: float) -> dict[str, float]:
    """lavaan's ``test = "scaled.shifted"`` (WLSMV, ULSMV; Asparouhov & Muthen 2010):
    a = sqrt(df / tr((U Gamma)^2)), T = a chisq + (df - a tr(U Gamma)) on df degrees of
    freedom; scaling.factor = 1 / a, shift.parameter = df - a tr(U Gamma)."""
    if df <= 0:
        nan = float("nan")
        return {"stat": chisq, "scaling.factor": nan, "shift.parameter": nan}
    tr_ug, tr_ug2 = trace_ugamma(disc, theta)
    a = float(np.sqrt(df / tr_ug2))
    shift = df - a * tr_ug
    return {
        "stat": chisq * a + shift,
        "scaling.factor": 1.0 / a,
        "shift.parameter": shift,
        "trace.UGamma": tr_ug,
        "trace.UGamma2": tr_ug2,
    }


def satorra_2000(free, restricted) -> dict[str, float]:
    """Scaled-shifted chi-square difference of two nested WLSMV/ULSMV fits (lavaan's
    ``lavTestLRT`` default for ``test = "scaled.shifted"``: ``lav_test_diff_Satorra2000``
    with ``A.method = "delta"``, Satorra 2000).

    With Delta1, Delta0 the stacked Jacobians of the free and the restricted model (each at
    its own estimates), A spans the orthogonal complement of ginv(Delta1) Delta0, P the free
    model's expected information (per case), M = P^-1 A' (A P^-1 A')^+ A P^-1,
    U = V Delta1 M Delta1' V (V = blockdiag W_g), Gamma = blockdiag(f_g Gamma_g):
    a = sqrt(m / tr((U Gamma)^2)), b = m - a tr(U Gamma), T = (T0 - T1) a + b on m = df0 - df1.
    """
    from scipy import linalg

    from loyaltysem.semcore.model.ordinal import wls_jacobian

    t1, t0 = free.fit_measures["chisq"], restricted.fit_measures["chisq"]
    m = restricted.fit_measures["df"] - free.fit_measures["df"]
    if m <= 0:
        return {"chisq.diff": t0 - t1, "df.diff": m, "pvalue": float("nan")}
    D1 = np.vstack([D for _, D in wls_jacobian(free.model, free.theta)])
    D0 = np.vstack([D for _, D in wls_jacobian(restricted.model, restricted.theta)])
    H = np.linalg.pinv(D1) @ D0
    A = linalg.null_space(H.T).T
    P_inv = np.linalg.inv(free.discrepancy.unit_information(free.theta))
    APA = A @ P_inv @ A.T
    keep = ~((np.abs(APA.sum(0)) < 1e-8) & (np.abs(APA.sum(1)) < 1e-8))
    A = A[keep]
    M = P_inv @ A.T @ np.linalg.pinv(A @ P_inv @ A.T) @ A @ P_inv
    n = free.n
    VD, GVD = [], []
    start = 0
    for gd in free.data:
        rows = slice(start, start + gd.wls_obs.size)
        start += gd.wls_obs.size
        WD = gd.weigh(D1[rows])
        VD.append(WD)
        GVD.append(gd.n / n * (gd.nacov @ WD))
    VD_all, GVD_all = np.vstack(VD), np.vstack(GVD)
    K = VD_all.T @ GVD_all  # Delta1' V Gamma V Delta1
    MK = M @ K
    tr_ug = float(np.trace(MK))
    tr_ug2 = float(np.sum(MK * MK.T))
    a = float(np.sqrt(m / tr_ug2))
    b = m - a * tr_ug
    stat = (t0 - t1) * a + b
    return {"chisq.diff": stat, "df.diff": m, "pvalue": float(_dist.chi2_sf(stat, m))}


# ----------------------------------------------------------------------------- fit measures


def _scaled_stat(x2: float, df: float, c: float) -> float:
    """chisq / c; at df = 0 lavaan's scaled test is the standard one (``lav_test_yuan_bentler``
    returns it with an NA scaling factor)."""
    return x2 if df == 0 else x2 / c


def _p(x: float, df: float) -> float:
    return float(_dist.chi2_sf(x, df)) if df > 0 and x == x else float("nan")


def _scaled_measures(result, fm: dict) -> tuple[dict[str, float], float, float]:
    """chisq.scaled & co. (Yuan-Bentler Mplus) and the scaled incremental and RMSEA indices.
    At df = 0 the scaled statistic is the plain one, its scaling factor and p-value NA, and
    rmsea.scaled NA (lavaan: its df, the trace of UGamma, is missing)."""
    from loyaltysem.semcore.fit.indices import (
        incremental_indices,
        rmsea_ci,
        rmsea_point,
        rmsea_pvalues,
    )

    n, G = result.n, result.model.ngroups
    df, x2 = fm["df"], fm["chisq"]
    df0, x20 = fm["baseline.df"], fm["baseline.chisq"]
    h1_tr, ndat = h1_trace(result)
    nan = float("nan")
    h0_tr = h0_trace(result) if df > 0 else nan
    c = (h1_tr - h0_tr) / df if df > 0 else nan
    c = c if c >= 0 else nan
    c0 = scaling_factor(result.baseline, df0, h1_tr)
    x2s, x20s = _scaled_stat(x2, df, c), _scaled_stat(x20, df0, c0)
    out = {
        "chisq.scaled": x2s,
        "df.scaled": df,
        "pvalue.scaled": _p(x2s, df),
        "chisq.scaling.factor": c,
        "baseline.chisq.scaled": x20s,
        "baseline.df.scaled": df0,
        "baseline.pvalue.scaled": _p(x20s, df0),
        "baseline.chisq.scaling.factor": c0,
        "scaling.factor.h1": h1_tr / ndat if df > 0 else nan,
        "scaling.factor.h0": h0_tr / int((result.pt["free"] > 0).sum()),
    }
    scaled = incremental_indices(x2s, df, x20s, df0)
    for k in ("cfi", "tli", "nnfi", "rfi", "nfi", "pnfi", "ifi", "rni"):
        out[f"{k}.scaled"] = scaled[k]
    # scaled RMSEA: unscaled chi-square on df * c (lavaan's df2 = trace of UGamma; NA if 0)
    df2 = df * c if (np.isfinite(df * c) and df * c != 0) else nan
    out["rmsea.scaled"] = rmsea_point(x2, df2, n, G)
    lo, hi = rmsea_ci(x2, df2, n, G)
    out["rmsea.ci.lower.scaled"], out["rmsea.ci.upper.scaled"] = lo, hi
    p_close, p_not = rmsea_pvalues(x2, df2, n, G)
    out["rmsea.pvalue.scaled"], out["rmsea.notclose.pvalue.scaled"] = p_close, p_not
    return out, c, c0


def robust_fit_measures(result, fm: dict) -> dict[str, float]:
    """The ``.scaled`` (a scaled test: MLR) and ``.robust`` (MLR, and FIML) fit measures
    lavaan adds (``result.options.scaled`` / ``.robust``).

    robust: Brosseau-Liard & Savalei (2014) CFI/TLI/RNI and Brosseau-Liard, Savalei & Li
    (2012) RMSEA, which put the scaling factor into the non-centrality (lavaan's ``c.hat``);
    under FIML lavaan uses the FIML-corrected statistic and scaling factors instead
    (``fiml_corrected``), also for plain ML.
    """
    from loyaltysem.semcore.fit.indices import (
        rmsea_ci,
        rmsea_point,
        rmsea_pvalues,
        robust_incremental,
    )

    n, G = result.n, result.model.ngroups
    df, x2 = fm["df"], fm["chisq"]
    out: dict[str, float] = {}
    c = c0 = float("nan")
    if result.options.scaled:  # MLR's Yuan-Bentler test
        scaled, c, c0 = _scaled_measures(result, fm)
        out.update(scaled)
    if result.options.fiml_version:  # FIML: Zhang & Savalei's correction
        fc = fiml_corrected(result, result.options.fiml_version)
        xx3, c3, xx3_s = fc["XX3"], fc["c.hat3"], fc["XX3.scaled"]
        xx3_0, c3_0 = fc["XX3.null"], fc["c.hat3.null"]
    else:
        xx3, c3, xx3_s = x2, c, out["chisq.scaled"]
        xx3_0, c3_0 = fm["baseline.chisq"], c0
    out.update(robust_incremental(xx3, df, xx3_0, fm["baseline.df"], c3, c3_0))
    out["rmsea.robust"] = rmsea_point(xx3, df, n, G, c_hat=c3)
    lo, hi = rmsea_ci(xx3_s, df, n, G, c_hat=c3)
    out["rmsea.ci.lower.robust"], out["rmsea.ci.upper.robust"] = lo, hi
    p_close, p_not = rmsea_pvalues(xx3_s, df, n, G, c_hat=c3)
    out["rmsea.pvalue.robust"], out["rmsea.notclose.pvalue.robust"] = p_close, p_not
    return out
