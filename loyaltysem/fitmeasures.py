"""Fit measures under lavaan's ``fitMeasures()`` names, with their formulas.

Sources: chi-square and baseline model (Bentler & Bonett 1980); CFI (Bentler 1990); TLI/NNFI
(Tucker & Lewis 1973); NFI, PNFI (James, Mulaik & Brett 1982); IFI (Bollen 1989); RNI
(McDonald & Marsh 1990); RMSEA and its CI (Steiger 1990; Browne & Cudeck 1993); SRMR
(Bentler 1995); GFI, AGFI, PGFI (Joreskog & Sorbom 1984); AIC, BIC, sample-size adjusted BIC
(Sclove 1987); ECVI (Browne & Cudeck 1989); Hoelter's CN (Hoelter 1983); MFI (McDonald
1989). Each formula follows lavaan 0.6 (Rosseel 2012) so the numbers are lavaan's.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

LOG_2PI = math.log(2 * math.pi)


def _n_moments(p: int, meanstructure: bool) -> int:
    return p * (p + 1) // 2 + (p if meanstructure else 0)


def rmsea_ci(
    chisq: float, df: float, n: int, ngroups: int = 1, level: float = 0.90, c_hat: float = 1.0
):
    """RMSEA confidence interval from the noncentral chi-square (Browne & Cudeck 1993).

    Example:
        >>> lo, hi = rmsea_ci(85.3, 24, 301)
        >>> round(lo, 3), round(hi, 3)
        (0.071, 0.114)
    """
    if df <= 0:
        return float("nan"), float("nan")
    upper_p, lower_p = (1 + level) / 2, (1 - level) / 2

    def ncp_for(prob):
        def f(lam):
            if lam > 0:
                return stats.ncx2.cdf(chisq, df, lam) - prob
            return stats.chi2.cdf(chisq, df) - prob

        if f(0.0) < 0:
            return 0.0
        hi = max(chisq, 1.0)
        while f(hi) > 0:
            hi *= 2
        return optimize.brentq(f, 0.0, hi, xtol=1e-12)

    lam_lo = ncp_for(upper_p)
    lam_hi = ncp_for(lower_p)
    scale = math.sqrt(ngroups)
    return (
        math.sqrt(c_hat * lam_lo / (n * df)) * scale,
        math.sqrt(c_hat * lam_hi / (n * df)) * scale,
    )


def _standardized_residual_stats(result):
    """RMR and SRMR (Bentler's, on correlations) over all groups, with and without means."""
    rmr_sum = rmr_n = srmr_sum = srmr_n = 0.0
    rmr_nm_sum = srmr_nm_sum = 0.0
    rmr_nm_n = 0.0
    per_group = []
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        S, Sig = gd.cov, imp.sigma
        p = len(S)
        low = np.tril_indices(p)
        sd = np.sqrt(np.diag(S))
        raw = (S - Sig)[low]
        std = ((S - Sig) / np.outer(sd, sd))[low]
        e_raw = np.sum(raw**2)
        e_std = np.sum(std**2)
        n_el = len(raw)
        m_raw = m_std = 0.0
        if result.model.meanstructure:
            dm = gd.mean - imp.mu
            m_raw = np.sum(dm**2)
            m_std = np.sum((dm / sd) ** 2)
        per_group.append((gd.n, e_raw, e_std, n_el, m_raw, m_std, p))
    ntot = sum(g[0] for g in per_group)
    ms = result.model.meanstructure
    rmr_g, srmr_g, rmr_nm_g, srmr_nm_g = [], [], [], []
    for _n, e_raw, e_std, n_el, m_raw, m_std, p in per_group:
        n_all = n_el + (p if ms else 0)
        rmr_g.append(math.sqrt((e_raw + m_raw) / n_all))
        srmr_g.append(math.sqrt((e_std + m_std) / n_all))
        rmr_nm_g.append(math.sqrt(e_raw / n_el))
        srmr_nm_g.append(math.sqrt(e_std / n_el))
    w = [g[0] / ntot for g in per_group]
    del rmr_sum, rmr_n, srmr_sum, srmr_n, rmr_nm_sum, srmr_nm_sum, rmr_nm_n
    return (
        float(np.dot(w, rmr_g)),
        float(np.dot(w, srmr_g)),
        float(np.dot(w, rmr_nm_g)),
        float(np.dot(w, srmr_nm_g)),
    )


def _gfi(result):
    """GFI in lavaan's WLS form: 1 - e'Ve / s'Vs with s = (ybar, vech S), e = s - (mu, vech Sigma)
    and V the normal-theory weight at the implied moments. Without a mean structure this is
    Joreskog & Sorbom's 1 - tr[(Sigma^-1 S - I)^2] / tr[(Sigma^-1 S)^2]."""
    ntot = result.n
    gfi_w = 0.0
    nel = 0
    if result.missing == "fiml":
        return _gfi_fiml(result)
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        inv = np.linalg.inv(imp.sigma)
        A = inv @ gd.cov
        p = len(A)
        num = 0.5 * np.trace((A - np.eye(p)) @ (A - np.eye(p)))
        den = 0.5 * np.trace(A @ A)
        if result.model.meanstructure:
            d = gd.mean - imp.mu
            num += float(d @ inv @ d)
            den += float(gd.mean @ inv @ gd.mean)
        gfi_w += gd.n / ntot * (1 - num / den)
        nel += _n_moments(p, result.model.meanstructure)
    return gfi_w, nel


def _gfi_fiml(result):
    """GFI under FIML, as lavaan: the weight is the h1 expected information of the incomplete
    data (sum over missing-data patterns of n_k / N times the normal-theory weight of the
    observed part, at the model-implied moments); the "observed" moments are lavaan's sample
    statistics under missing data: available-case means and the pairwise covariance matrix
    rescaled by (N - 1) / N."""
    import pandas as pd

    ntot = result.n
    gfi_w = 0.0
    nel = 0
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        raw = pd.DataFrame(gd.raw)
        mean = raw.mean().to_numpy()
        cov = raw.cov().to_numpy() * (gd.n - 1) / gd.n
        num = den = 0.0
        for pat in gd.patterns:
            o = pat.obs
            P = np.linalg.inv(imp.sigma[np.ix_(o, o)])
            E = (cov - imp.sigma)[np.ix_(o, o)]
            S = cov[np.ix_(o, o)]
            em, sm = (mean - imp.mu)[o], mean[o]
            w = pat.n / gd.n
            num += w * (0.5 * np.trace(P @ E @ P @ E) + em @ P @ em)
            den += w * (0.5 * np.trace(P @ S @ P @ S) + sm @ P @ sm)
        gfi_w += gd.n / ntot * (1 - num / den)
        nel += _n_moments(len(gd.cov), True)
    return gfi_w, nel


def ml_chisq(result) -> float:
    from .compiled import ml_discrepancy

    return result.n * ml_discrepancy(result.model, result.data, result.theta)


def baseline_chisq(result) -> tuple[float, float]:
    """Independence model: free variances (and means), zero covariances (lavaan's baseline)."""
    total = 0.0
    df = 0
    exo = set(result.model.mv.ov_x) if (result.model.pt["exo"] == 1).any() else set()
    ov = result.model.mv.ov
    xi = [i for i, v in enumerate(ov) if v in exo]
    for gd in result.data:
        S = gd.cov
        p = len(S)
        Sig = np.diag(np.diag(S))
        if xi:  # fixed.x: covariances among the covariates stay at their sample values
            Sig[np.ix_(xi, xi)] = S[np.ix_(xi, xi)]
        _, logdet_s = np.linalg.slogdet(S)
        _, logdet = np.linalg.slogdet(Sig)
        f = logdet + np.trace(S @ np.linalg.inv(Sig)) - logdet_s - p
        total += gd.n * f
        nx = len(xi)
        df += p * (p - 1) // 2 - nx * (nx - 1) // 2
    return float(total), float(df)


def loglik(result) -> tuple[float, float]:
    """Model and unrestricted (saturated) log-likelihood, summed over groups."""
    logl = unres = 0.0
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        p = len(gd.cov)
        inv = np.linalg.inv(imp.sigma)
        _, logdet = np.linalg.slogdet(imp.sigma)
        _, logdet_s = np.linalg.slogdet(gd.cov)
        d = gd.mean - imp.mu if result.model.meanstructure else np.zeros(p)
        logl += -gd.n / 2 * (p * LOG_2PI + logdet + np.trace(gd.cov @ inv) + d @ inv @ d)
        unres += -gd.n / 2 * (p * LOG_2PI + logdet_s + p)
    return float(logl), float(unres)


def fit_measures(result) -> dict[str, float]:
    """All fit measures of a fitted model, named as lavaan's ``fitMeasures()``."""
    if result.missing == "fiml":
        from .fiml import fiml_fit_basics

        basics = fiml_fit_basics(result)
    else:
        chisq = ml_chisq(result)
        base, base_df = baseline_chisq(result)
        logl, unres = loglik(result)
        basics = {
            "chisq": chisq,
            "baseline.chisq": base,
            "baseline.df": base_df,
            "logl": logl,
            "unrestricted.logl": unres,
        }
    cm = result.model
    n = result.n
    G = cm.ngroups
    p = cm.p
    nexo = len(cm.mv.ov_x) if (cm.pt["exo"] == 1).any() else 0
    moments = G * (_n_moments(p, cm.meanstructure) - _n_moments(nexo, cm.meanstructure) * 0)
    moments -= G * (nexo * (nexo + 1) // 2 + (nexo if cm.meanstructure else 0))
    npar = cm.npar
    df = float(moments - npar)
    chisq = basics["chisq"]
    base, base_df = basics["baseline.chisq"], basics["baseline.df"]
    out: dict[str, float] = {"npar": float(npar), "fmin": chisq / (2 * n), "chisq": chisq, "df": df}
    out["pvalue"] = float(stats.chi2.sf(chisq, df)) if df > 0 else float("nan")
    out["baseline.chisq"] = base
    out["baseline.df"] = base_df
    out["baseline.pvalue"] = float(stats.chi2.sf(base, base_df))
    out.update(incremental_indices(chisq, df, base, base_df))
    logl, unres = basics["logl"], basics["unrestricted.logl"]
    out["logl"] = logl
    out["unrestricted.logl"] = unres
    out["aic"] = -2 * logl + 2 * npar
    out["bic"] = -2 * logl + npar * math.log(n)
    out["ntotal"] = float(n)
    out["bic2"] = -2 * logl + npar * math.log((n + 2) / 24)
    out.update(rmsea_measures(chisq, df, n, G))
    rmr, srmr, rmr_nm, srmr_nm = _standardized_residual_stats(result)
    out["rmr"] = rmr
    out["rmr_nomean"] = rmr_nm
    out["srmr"] = srmr
    out["srmr_bentler"] = srmr
    out["srmr_bentler_nomean"] = srmr_nm
    gfi, nel = _gfi(result)
    out["gfi"] = gfi
    out["agfi"] = 1 - (nel / df) * (1 - gfi) if df > 0 else float("nan")
    out["pgfi"] = (df / nel) * gfi if nel > 0 else float("nan")
    out["mfi"] = math.exp(-0.5 * (chisq - df) / n)
    out["ecvi"] = chisq / n + 2 * npar / n
    out["cn_05"] = _hoelter(chisq, df, n, 0.05)
    out["cn_01"] = _hoelter(chisq, df, n, 0.01)
    out["chisq/df"] = chisq / df if df > 0 else float("nan")
    if result.estimator == "MLR" and result.missing == "fiml":
        msg = (
            "MLR with FIML: robust standard errors are reported, but the scaled test "
            "statistic and robust fit indices are not computed yet"
        )
        if msg not in result.warnings:
            result.warnings.append(msg)
    elif result.estimator == "MLR":
        from .robust import robust_fit_measures

        out.update(robust_fit_measures(result, out))
    return out


def incremental_indices(chisq, df, base, base_df) -> dict[str, float]:
    """CFI, TLI/NNFI, RFI, NFI, PNFI, IFI, RNI from the model's and the baseline's chi-square."""
    out = {}
    num = max(chisq - df, 0.0)
    den = max(chisq - df, base - base_df, 0.0)
    out["cfi"] = 1.0 if den == 0 else 1 - num / den
    if df > 0 and base_df > 0:
        t1 = base / base_df
        t2 = chisq / df
        out["tli"] = (t1 - t2) / (t1 - 1)
        out["rfi"] = (t1 - t2) / t1
        out["pnfi"] = (df / base_df) * (base - chisq) / base
    else:
        out["tli"] = out["rfi"] = out["pnfi"] = float("nan")
    out["nnfi"] = out["tli"]
    out["nfi"] = (base - chisq) / base
    out["ifi"] = (base - chisq) / (base - df)
    rni_den = base - base_df
    out["rni"] = 1 - (chisq - df) / rni_den if rni_den != 0 else float("nan")
    return out


def rmsea_point(chisq, df, n, ngroups=1, c_hat=1.0) -> float:
    """RMSEA = sqrt(max(chisq / (N df) - c / N, 0)) * sqrt(G) (lavaan's ``lav_fit_rmsea``)."""
    if not df > 0:
        return float("nan")
    return math.sqrt(max(chisq / (n * df) - c_hat / n, 0.0)) * math.sqrt(ngroups)


def rmsea_pvalues(chisq, df, n, ngroups=1, c_hat=1.0, close=0.05, notclose=0.08):
    """p-values of close fit (H0: RMSEA <= .05) and not-close fit (H0: RMSEA >= .08)."""
    if not df > 0:
        return float("nan"), float("nan")
    ncp_close = n * df / c_hat * close**2 / ngroups
    ncp_not = n * df / c_hat * notclose**2 / ngroups
    return float(stats.ncx2.sf(chisq, df, ncp_close)), float(stats.ncx2.cdf(chisq, df, ncp_not))


def rmsea_measures(chisq, df, n, ngroups=1, close=0.05) -> dict[str, float]:
    if df <= 0:
        return {
            k: float("nan")
            for k in (
                "rmsea",
                "rmsea.ci.lower",
                "rmsea.ci.upper",
                "rmsea.pvalue",
                "rmsea.notclose.pvalue",
            )
        }
    lo, hi = rmsea_ci(chisq, df, n, ngroups)
    p_close, p_not = rmsea_pvalues(chisq, df, n, ngroups)
    return {
        "rmsea": rmsea_point(chisq, df, n, ngroups),
        "rmsea.ci.lower": lo,
        "rmsea.ci.upper": hi,
        "rmsea.ci.level": 0.90,
        "rmsea.pvalue": p_close,
        "rmsea.close.h0": close,
        "rmsea.notclose.pvalue": p_not,
        "rmsea.notclose.h0": 0.08,
    }


def _hoelter(chisq, df, n, alpha):
    if chisq <= 0 or df <= 0:
        return float("nan")
    return stats.chi2.ppf(1 - alpha, df) / (chisq / n) + 1
