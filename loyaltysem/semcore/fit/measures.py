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

from loyaltysem.base import dist as _dist
from loyaltysem.semcore.fit.indices import (
    _hoelter,
    _n_moments,
    degrees_of_freedom,
    incremental_indices,
    rmsea_measures,
)

LOG_2PI = math.log(2 * math.pi)


def _residual_stats(result) -> dict[str, float]:
    """RMR, SRMR (Bentler), CRMR (Bollen) and SRMR (Mplus), with and without means, as
    lavaan's ``lav_fit_srmr_lavobject``: per group sqrt(mean of squared residuals over the
    lower triangle incl. the diagonal (CRMR: off-diagonal only) and the means), then the
    N_g/N-weighted mean over groups. "Sample" moments are the EM estimates under FIML."""
    ms = result.model.meanstructure
    names = ("rmr", "srmr_bentler", "crmr", "srmr_mplus")
    per_group = {k: [] for k in names}
    per_group.update({k + "_nomean": [] for k in names})
    weights = []
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        S, Sig = gd.cov, imp.sigma
        p = len(S)
        low = np.tril_indices(p)
        off = np.tril_indices(p, -1)
        sd = np.sqrt(np.diag(S))
        sd_m = np.sqrt(np.diag(Sig))
        cor_s, cor_m = S / np.outer(sd, sd), Sig / np.outer(sd_m, sd_m)
        cov_parts = {
            "rmr": (S - Sig)[low],
            "srmr_bentler": ((S - Sig) / np.outer(sd, sd))[low],
            "crmr": (cor_s - cor_m)[off],
            "srmr_mplus": np.concatenate(
                [(cor_s - cor_m)[off], (np.diag(S) - np.diag(Sig)) / np.diag(S)]
            ),
        }
        mean_parts = {}
        if ms:
            dm = gd.mean - imp.mu
            mean_parts = {
                "rmr": dm,
                "srmr_bentler": dm / sd,
                "crmr": dm / sd,
                "srmr_mplus": gd.mean / sd - imp.mu / sd_m,
            }
        for k in names:
            c = cov_parts[k]
            per_group[k + "_nomean"].append(math.sqrt(np.mean(c**2)))
            both = np.concatenate([c, mean_parts[k]]) if ms else c
            per_group[k].append(math.sqrt(np.mean(both**2)))
        weights.append(gd.n)
    w = np.array(weights, dtype=float) / sum(weights)
    return {k: float(np.dot(w, v)) for k, v in per_group.items()}


def _gfi_terms(P, S, E, s_mean, e_mean, x_idx):
    """(e'We, s'Ws) with W the normal-theory weight (P = Sigma^-1) and the fixed.x
    covariates' own moments left out (lavaan zeroes their rows of W)."""
    if len(x_idx):
        S, E = S.copy(), E.copy()
        S[np.ix_(x_idx, x_idx)] = 0.0
        E[np.ix_(x_idx, x_idx)] = 0.0
        if s_mean is not None:
            s_mean, e_mean = s_mean.copy(), e_mean.copy()
            s_mean[x_idx] = 0.0
            e_mean[x_idx] = 0.0
    PS, PE = P @ S, P @ E
    num = 0.5 * np.sum(PE * PE.T)
    den = 0.5 * np.sum(PS * PS.T)
    if s_mean is not None:
        num += float(e_mean @ P @ e_mean)
        den += float(s_mean @ P @ s_mean)
    return num, den


def _gfi(result):
    """GFI in lavaan's WLS form: 1 - e'We / s'Ws with s = (ybar, vech S), e = s - (mu, vech
    Sigma) and W the normal-theory weight at the implied moments (``lav_fit_gfi``); without
    a mean structure this is Joreskog & Sorbom's 1 - tr[(Sigma^-1 S - I)^2] /
    tr[(Sigma^-1 S)^2]. nel counts every element of s (the covariates' too)."""
    if result.missing == "fiml":
        return _gfi_fiml(result)
    ntot = result.n
    x_idx = result.model.exo_index
    ms = result.model.meanstructure
    gfi_w = 0.0
    nel = 0
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        P = np.linalg.inv(imp.sigma)
        em = gd.mean - imp.mu if ms else None
        num, den = _gfi_terms(P, gd.cov, gd.cov - imp.sigma, gd.mean if ms else None, em, x_idx)
        gfi_w += gd.n / ntot * (1 - num / den)
        nel += _n_moments(len(P), ms)
    return gfi_w, nel


def _gfi_fiml(result):
    """GFI under FIML, as lavaan: the weight is the h1 expected information of the incomplete
    data (sum over missing-data patterns of n_k / N times the normal-theory weight of the
    observed part, at the model-implied moments); the "observed" moments are lavaan's sample
    statistics under missing data: available-case means and the pairwise covariance matrix
    rescaled by (N - 1) / N."""
    import pandas as pd

    ntot = result.n
    x_idx = result.model.exo_index
    gfi_w = 0.0
    nel = 0
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        raw = pd.DataFrame(gd.raw)
        mean = raw.mean().to_numpy()
        cov = raw.cov().to_numpy() * (gd.n - 1) / gd.n
        p = len(mean)
        num = den = 0.0
        for pat in gd.patterns:
            o = pat.obs
            P = np.zeros((p, p))
            P[np.ix_(o, o)] = np.linalg.inv(imp.sigma[np.ix_(o, o)])
            a, b = _gfi_terms(P, cov, cov - imp.sigma, mean, mean - imp.mu, x_idx)
            w = pat.n / gd.n
            num += w * a
            den += w * b
        gfi_w += gd.n / ntot * (1 - num / den)
        nel += _n_moments(p, True)
    return gfi_w, nel


def ml_chisq(result) -> float:
    """sum_g N_g max(F_ML,g, 0): lavaan's ``estimator.ML`` sets a group's negative
    discrepancy (rounding, in a group the model reproduces exactly) to 0."""
    from loyaltysem.semcore.model.compiled import _group_terms

    total = 0.0
    for imp, gd in zip(result.model.implied(result.theta), result.data, strict=True):
        t = _group_terms(result.model, imp, gd)
        if t is None:  # implied matrix not positive definite
            return float("inf")
        total += gd.n * max(t.f, 0.0)
    return float(total)


def chisq_statistic(result) -> float:
    """lavaan's chi-square: N F_ML (complete data) or 2 (logL_h1 - logL) (FIML), each
    group's part at least 0 (lavaan's ``estimator.ML`` / ``estimator.FIML``)."""
    if result.missing == "fiml":
        from loyaltysem.semcore.estimate.fiml import loglik as pattern_loglik

        return float(
            sum(
                max(2 * (gd.h1_logl - pattern_loglik(gd, imp.sigma, imp.mu)), 0.0)
                for imp, gd in zip(result.implied_moments, result.data, strict=True)
            )
        )
    return ml_chisq(result)


def loglik(result) -> tuple[float, float]:
    """Model and unrestricted (saturated) log-likelihood, summed over groups; with fixed.x
    covariates both are conditional on them (the covariates' own log-likelihood at their
    sample moments is subtracted, lavaan's ``lav_mvnorm_loglik_samplestats``)."""
    from loyaltysem.semcore.estimate.fiml import exo_loglik, fiml_loglik

    if result.missing == "fiml":
        return fiml_loglik(result)
    logl = unres = 0.0
    for gd, imp in zip(result.data, result.implied_moments, strict=True):
        p = len(gd.cov)
        inv = np.linalg.inv(imp.sigma)
        _, logdet = np.linalg.slogdet(imp.sigma)
        d = gd.mean - imp.mu if result.model.meanstructure else np.zeros(p)
        logl += -gd.n / 2 * (p * LOG_2PI + logdet + np.trace(gd.cov @ inv) + d @ inv @ d)
        unres += -gd.n / 2 * (p * LOG_2PI + gd.logdet + p)
    x = exo_loglik(result.data, result.model.exo_index)
    return float(logl - x), float(unres - x)


#: measures that are counts: plain ints (when whole)
COUNTS = ("npar", "df", "baseline.df", "ntotal", "ngroups", "nobs")


def plain_measures(values: dict) -> dict:
    """Fit measures as plain Python numbers: ints for the counts (``npar``, ``df``, ...), floats
    for the rest (never ``np.float64``), None kept.

    Example:
        >>> import numpy as np
        >>> plain_measures({"npar": np.float64(12.0), "cfi": np.float64(0.95), "x": None})
        {'npar': 12, 'cfi': 0.95, 'x': None}
    """
    out = {}
    for k, v in values.items():
        if v is None or isinstance(v, bool | str):
            out[k] = v
            continue
        v = float(v)
        out[k] = int(v) if k in COUNTS and math.isfinite(v) and v.is_integer() else v
    return out


def fit_measures(result) -> dict[str, float]:
    """All fit measures of a fitted model, named as lavaan's ``fitMeasures()``, as plain
    Python floats (ints for ``npar``, ``df`` and the other counts)."""
    if hasattr(result.model, "layouts"):  # ordered items: the WLS family
        from loyaltysem.semcore.fit.ordinal import ordinal_fit_measures

        return plain_measures(ordinal_fit_measures(result))
    return plain_measures(_fit_measures(result))


def _fit_measures(result) -> dict[str, float]:
    cm = result.model
    n = result.n
    G = cm.ngroups
    npar = cm.npar
    df = degrees_of_freedom(result)
    chisq = chisq_statistic(result)
    base_fit = result.baseline
    base, base_df = chisq_statistic(base_fit), degrees_of_freedom(base_fit)
    out: dict[str, float] = {"npar": float(npar), "fmin": chisq / (2 * n), "chisq": chisq, "df": df}
    out["pvalue"] = float(_dist.chi2_sf(chisq, df)) if df > 0 else float("nan")
    out["baseline.chisq"] = base
    out["baseline.df"] = base_df
    out["baseline.pvalue"] = float(_dist.chi2_sf(base, base_df))
    out.update(incremental_indices(chisq, df, base, base_df))
    logl, unres = loglik(result)
    out["logl"] = logl
    out["unrestricted.logl"] = unres
    out["aic"] = -2 * logl + 2 * npar
    out["bic"] = -2 * logl + npar * math.log(n)
    out["ntotal"] = float(n)
    out["bic2"] = -2 * logl + npar * math.log((n + 2) / 24)
    out.update(rmsea_measures(chisq, df, n, G))
    out.update(_residual_stats(result))
    out["srmr"] = out["srmr_bentler"]
    gfi, nel = _gfi(result)
    out["gfi"] = gfi
    out["agfi"] = 1 - (nel / df) * (1 - gfi) if df > 0 else 1.0
    out["pgfi"] = (df / nel) * gfi if nel > 0 else float("nan")
    out["mfi"] = math.exp(-0.5 * (chisq - df) / n)
    out["ecvi"] = chisq / n + 2 * npar / n
    out["cn_05"] = _hoelter(chisq, df, n, 0.05)
    out["cn_01"] = _hoelter(chisq, df, n, 0.01)
    out["chisq/df"] = chisq / df if df > 0 else float("nan")
    if result.options.robust:  # MLR, and FIML (lavaan's robust.flag)
        from loyaltysem.semcore.fit.robust import robust_fit_measures

        out.update(robust_fit_measures(result, out))
    return out
