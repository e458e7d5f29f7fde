"""Closed-form fit-index formulas shared by the plain and the robust fit measures:
degrees of freedom, the incremental indices (CFI, TLI, NFI, IFI, RNI; Bentler 1990; Tucker &
Lewis 1973; Bentler & Bonett 1980; Bollen 1989; McDonald & Marsh 1990), RMSEA with its CI
and p-values (Steiger 1990; Browne & Cudeck 1993) and Hoelter's critical N (Hoelter 1983),
each as lavaan 0.6.14 computes it (``lav_fit_cfi``, ``lav_fit_tli``, ``lav_fit_rfi``,
``lav_fit_nfi``, ``lav_fit_pnfi``, ``lav_fit_ifi``, ``lav_fit_rni``, ``lav_fit_rmsea``,
``lav_fit_rmsea_ci``, ``lav_fit_rmsea_closefit``, ``lav_fit_cn``), including their rules for
a saturated model (df = 0: CFI/TLI/RFI/NFI 1, PNFI 0, RMSEA and its CI 0, p-values NA) and
for an unavailable statistic (NaN in, NaN out, as R's NA). Pure functions of the test
statistics: no model, no data.
"""

from __future__ import annotations

import math

from loyaltysem.base import dist as _dist

NAN = float("nan")
_ALL_EQUAL_TOL = 1.5e-8  # R's all.equal() tolerance: all.equal(x, 0) is |x| <= 1.5e-8


def _n_moments(p: int, meanstructure: bool) -> int:
    return p * (p + 1) // 2 + (p if meanstructure else 0)


def _na(*xs) -> bool:
    """R's anyNA(): NaN counts, infinities do not; None (an argument not given) is skipped."""
    return any(x is not None and math.isnan(x) for x in xs)


def _rdiv(a: float, b: float) -> float:
    """a / b with R's (IEEE) division by zero: +-Inf, or NaN for 0 / 0."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return NAN
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _zero(x: float) -> bool:
    return abs(x) <= _ALL_EQUAL_TOL


def _c_hats(df, c_hat, c_hat0) -> tuple[float, float]:
    """lavaan uses the scaling factors only when df > 0, both are given and neither is 1."""
    if c_hat is not None and c_hat0 is not None and df > 0 and c_hat != 1 and c_hat0 != 1:
        return c_hat, c_hat0
    return 1.0, 1.0


def cfi(x2, df, x20, df0, c_hat=None, c_hat0=None) -> float:
    """CFI = 1 - max(X2 - c df, 0) / max(X2 - c df, X2_0 - c0 df0, 0); 1 when both are 0."""
    if _na(x2, df, x20, df0, c_hat, c_hat0):
        return NAN
    c, c0 = _c_hats(df, c_hat, c_hat0)
    t1 = max(x2 - c * df, 0.0)
    t2 = max(x2 - c * df, x20 - c0 * df0, 0.0)
    return 1.0 if _zero(t1) and _zero(t2) else 1 - _rdiv(t1, t2)


def tli(x2, df, x20, df0, c_hat=None, c_hat0=None) -> float:
    """TLI/NNFI = 1 - (X2 - c df) df0 / ((X2_0 - c0 df0) df); 1 when df = 0."""
    if _na(x2, df, x20, df0, c_hat, c_hat0):
        return NAN
    c, c0 = _c_hats(df, c_hat, c_hat0)
    t1 = (x2 - c * df) * df0
    t2 = (x20 - c0 * df0) * df
    if df > 0 and abs(t2) > 0:
        return 1 - t1 / t2
    if not (math.isfinite(t1) and math.isfinite(t2)):
        return NAN
    return 1.0


def rfi(x2, df, x20, df0) -> float:
    """RFI = (X2_0/df0 - X2/df) / (X2_0/df0); NA when df > df0, 1 when df = 0 or either
    term is negative."""
    if _na(x2, df, x20, df0) or df > df0:
        return NAN
    if df > 0 and df0 > 0:
        t2 = x20 / df0
        t1 = t2 - x2 / df
        if not (math.isfinite(t1) and math.isfinite(t2)):
            return NAN
        return 1.0 if (t1 < 0 or t2 < 0) else _rdiv(t1, t2)
    return 1.0


def nfi(x2, df, x20, df0) -> float:
    """NFI = (X2_0 - X2) / X2_0; NA when df > df0 or X2_0 = 0, 1 when df = 0."""
    if _na(x2, df, x20, df0) or df > df0 or _zero(x20):
        return NAN
    return (x20 - x2) / x20 if df > 0 else 1.0


def pnfi(x2, df, x20, df0) -> float:
    """PNFI = (df / df0) NFI without the df = 0 rule (0 for a saturated model)."""
    if _na(x2, df, x20, df0) or not (df0 > 0 and x20 > 0):
        return NAN
    return (df / df0) * (x20 - x2) / x20


def ifi(x2, df, x20, df0) -> float:
    """IFI = (X2_0 - X2) / (X2_0 - df); 1 when X2_0 < df, NA when X2_0 = df."""
    if _na(x2, df, x20, df0):
        return NAN
    t1, t2 = x20 - x2, x20 - df
    if not (math.isfinite(t1) and math.isfinite(t2)):
        return NAN
    if t2 < 0:
        return 1.0
    return NAN if _zero(t2) else t1 / t2


def rni(x2, df, x20, df0, c_hat=None, c_hat0=None) -> float:
    """RNI = 1 - (X2 - c df) / (X2_0 - c0 df0); NA when the denominator is 0."""
    if _na(x2, df, x20, df0, c_hat, c_hat0):
        return NAN
    c, c0 = _c_hats(df, c_hat, c_hat0)
    t1, t2 = x2 - c * df, x20 - c0 * df0
    if _zero(t2) or not (math.isfinite(t1) and math.isfinite(t2)):
        return NAN
    return 1 - t1 / t2


def incremental_indices(chisq, df, base, base_df) -> dict[str, float]:
    """CFI, TLI/NNFI, RFI, NFI, PNFI, IFI, RNI from the model's and the baseline's chi-square."""
    args = (chisq, df, base, base_df)
    out = {"cfi": cfi(*args), "tli": tli(*args)}
    out["nnfi"] = out["tli"]
    out.update(rfi=rfi(*args), nfi=nfi(*args), pnfi=pnfi(*args), ifi=ifi(*args), rni=rni(*args))
    return out


def robust_incremental(x2, df, x20, df0, c_hat, c_hat0) -> dict[str, float]:
    """CFI/TLI/NNFI/RNI with the scaling factors in the non-centrality (Brosseau-Liard &
    Savalei 2014; lavaan's ``lav_fit_cfi`` & co. with ``c.hat``) under the ``.robust`` names;
    NaN when a scaling factor is NaN (lavaan's NA)."""
    args = (x2, df, x20, df0, c_hat, c_hat0)
    t = tli(*args)
    return {"cfi.robust": cfi(*args), "tli.robust": t, "nnfi.robust": t, "rni.robust": rni(*args)}


def c_hat(k: float, df: float) -> float:
    """A scaling factor c = k / df (lavaan's ``c.hat3 <- k / df3``). At df = 0 (a saturated
    model, where k is 0 up to rounding) it is +inf, the value lavaan's k / 0 takes whenever its
    rounding leaves k != 0: the indices then use the plain formulas (lavaan uses c.hat only
    when df > 0), chisq / c = 0 and the robust RMSEA and its CI are 0, as lavaan reports."""
    if df == 0:
        return math.inf
    return k / df


def degrees_of_freedom(result) -> float:
    """Sample moments (without the fixed.x covariates' own) minus free parameters."""
    return float(result.model.n_moments - result.npar)


def rmsea_point(chisq, df, n, ngroups=1, c_hat=1.0) -> float:
    """RMSEA = sqrt(max(chisq / (N df) - c / N, 0)) * sqrt(G), 0 when df = 0 and NaN when df
    is NaN (lavaan's ``lav_fit_rmsea``)."""
    if math.isnan(df):
        return NAN
    if not df > 0:
        return 0.0
    val = chisq / (n * df) - c_hat / n
    if math.isnan(val):
        return NAN
    return math.sqrt(max(val, 0.0)) * math.sqrt(ngroups)


def _finite(*xs) -> bool:
    return all(math.isfinite(x) for x in xs)


def rmsea_ci(
    chisq: float, df: float, n: int, ngroups: int = 1, level: float = 0.90, c_hat: float = 1.0
):
    """RMSEA confidence interval from the noncentral chi-square (Browne & Cudeck 1993), as
    lavaan's ``lav_fit_rmsea_ci``: (0, 0) when df < 1; a bound is 0 when its non-centrality
    would be negative, the upper one also when it would exceed max(N, 4 chisq); NaN when
    chisq or df is not finite.

    Example:
        >>> lo, hi = rmsea_ci(85.3, 24, 301)
        >>> round(lo, 3), round(hi, 3)
        (0.071, 0.114)
    """
    if not _finite(chisq, df, n):
        return NAN, NAN
    upper_p, lower_p = (1 + level) / 2, (1 - level) / 2

    def cdf(lam):
        return _dist.ncx2_cdf(chisq, df, lam) if lam > 0 else _dist.chi2_cdf(chisq, df)

    def bound(lam):
        val = math.sqrt(c_hat * lam / (n * df)) if lam == lam else NAN
        return val * math.sqrt(ngroups)

    if df < 1 or cdf(0.0) - upper_p < 0:
        lower = 0.0
    elif cdf(chisq) - upper_p > 0:  # no sign change on [0, chisq]: R's uniroot() fails
        lower = NAN
    else:
        lower = bound(_dist.root_decreasing(lambda lam: cdf(lam) - upper_p, 0.0, chisq, 1e-12))
    n_rmsea = max(n, 4 * chisq)
    if df < 1 or cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0:
        upper = 0.0
    else:
        upper = bound(_dist.root_decreasing(lambda lam: cdf(lam) - lower_p, 0.0, n_rmsea, 1e-12))
    return lower, upper


def rmsea_pvalues(chisq, df, n, ngroups=1, c_hat=1.0, close=0.05, notclose=0.08):
    """p-values of close fit (H0: RMSEA <= .05) and not-close fit (H0: RMSEA >= .08); NaN
    when df = 0 (lavaan's ``lav_fit_rmsea_closefit`` / ``_notclosefit``)."""
    if not _finite(chisq, df, n) or not df > 0 or math.isnan(c_hat):
        return NAN, NAN
    ncp_close = n * df / c_hat * close**2 / ngroups
    ncp_not = n * df / c_hat * notclose**2 / ngroups
    return float(_dist.ncx2_sf(chisq, df, ncp_close)), float(_dist.ncx2_cdf(chisq, df, ncp_not))


def rmsea_measures(chisq, df, n, ngroups=1, close=0.05, notclose=0.08) -> dict[str, float]:
    """rmsea, its 90% CI and the close / not-close p-values under lavaan's names."""
    lo, hi = rmsea_ci(chisq, df, n, ngroups)
    p_close, p_not = rmsea_pvalues(chisq, df, n, ngroups, close=close, notclose=notclose)
    return {
        "rmsea": rmsea_point(chisq, df, n, ngroups),
        "rmsea.ci.lower": lo,
        "rmsea.ci.upper": hi,
        "rmsea.ci.level": 0.90,
        "rmsea.pvalue": p_close,
        "rmsea.close.h0": close,
        "rmsea.notclose.pvalue": p_not,
        "rmsea.notclose.h0": notclose,
    }


def _hoelter(chisq, df, n, alpha):
    """Hoelter's CN = qchisq(1 - alpha, df) / (chisq / N) + 1 (lavaan's ``lav_fit_cn``).

    At df = 0 qchisq(., 0) = 0, so CN is 0 / 0 for an exactly fitting model: lavaan gives NA
    when chisq < machine epsilon and 1 otherwise. A saturated model's chisq is zero up to
    rounding (lavaan's own is 0 or 1e-15..1e-12, depending on the sign of its rounding), so
    the NA is given here whenever chisq is zero up to rounding (< 1.5e-8), and 1 only for a
    df = 0 model that does not fit exactly."""
    if math.isnan(chisq) or math.isnan(df):
        return NAN
    if df == 0:
        return NAN if chisq < _ALL_EQUAL_TOL else 1.0
    q = _dist.chi2_ppf(1 - alpha, df)
    return q / (chisq / n) + 1 if chisq != 0 else math.inf
