"""Closed-form fit-index formulas shared by the plain and the robust fit measures:
degrees of freedom, the incremental indices (CFI, TLI, NFI, IFI, RNI; Bentler 1990; Tucker &
Lewis 1973; Bentler & Bonett 1980; Bollen 1989; McDonald & Marsh 1990), RMSEA with its CI
and p-values (Steiger 1990; Browne & Cudeck 1993) and Hoelter's critical N (Hoelter 1983),
each as lavaan 0.6 computes it. Pure functions of the test statistics: no model, no data.
"""

from __future__ import annotations

import math

from .. import _dist


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
                return _dist.ncx2_cdf(chisq, df, lam) - prob
            return _dist.chi2_cdf(chisq, df) - prob

        if f(0.0) < 0:
            return 0.0
        hi = max(chisq, 1.0)
        while f(hi) > 0:
            hi *= 2
        return _dist.root_decreasing(f, 0.0, hi, xtol=1e-12)

    lam_lo = ncp_for(upper_p)
    lam_hi = ncp_for(lower_p)
    scale = math.sqrt(ngroups)
    return (
        math.sqrt(c_hat * lam_lo / (n * df)) * scale,
        math.sqrt(c_hat * lam_hi / (n * df)) * scale,
    )


def degrees_of_freedom(result) -> float:
    """Sample moments (without the fixed.x covariates' own) minus free parameters."""
    return float(result.model.n_moments - result.npar)


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
    return float(_dist.ncx2_sf(chisq, df, ncp_close)), float(_dist.ncx2_cdf(chisq, df, ncp_not))


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
    return _dist.chi2_ppf(1 - alpha, df) / (chisq / n) + 1
