"""Normal, chi-square and noncentral chi-square probabilities for the fit path, from
``scipy.special`` alone.

``scipy.stats`` costs about 0.3-0.7 s to import, more than a small ``loyaltysem fit`` spends
on everything else; these are the very functions ``scipy.stats`` evaluates
(``norm._sf = ndtr(-x)``, ``norm._ppf = ndtri``, ``chi2._cdf = chdtr``, ``chi2._sf = chdtrc``,
``chi2._ppf = 2 gammaincinv(df/2, p)``, ``ncx2._cdf = chndtr``, ``ncx2._sf`` Boost's
noncentral chi-square survival function), so the numbers are the same to the last bit.
Arguments are assumed valid (df > 0, nc >= 0), as on the fit path.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special


def norm_sf(x):
    """P(Z > x) (``scipy.stats.norm.sf``)."""
    return special.ndtr(-np.asarray(x, dtype=float))


def norm_ppf(q):
    """Standard normal quantile (``scipy.stats.norm.ppf``)."""
    return special.ndtri(q)


def chi2_cdf(x, df):
    return special.chdtr(df, x)


def chi2_sf(x, df):
    return special.chdtrc(df, x)


def chi2_ppf(q, df):
    return 2.0 * special.gammaincinv(np.asarray(df) / 2.0, q)


def ncx2_cdf(x, df, nc):
    """Noncentral chi-square CDF (``scipy.stats.ncx2.cdf``; central when nc = 0)."""
    if nc == 0:
        return chi2_cdf(x, df)
    with np.errstate(over="ignore"):
        return special.chndtr(x, df, nc)


def ncx2_sf(x, df, nc):
    """Noncentral chi-square survival function (``scipy.stats.ncx2.sf``)."""
    if nc == 0:
        return chi2_sf(x, df)
    try:
        from scipy.special._ufuncs import _ncx2_sf
    except ImportError:  # another scipy layout: the public route
        from scipy import stats

        return stats.ncx2.sf(x, df, nc)
    with np.errstate(over="ignore"):
        return _ncx2_sf(x, df, nc)


def root_decreasing(f, lo: float, hi: float, xtol: float = 1e-12) -> float:
    """Root of a decreasing function with f(lo) >= 0 >= f(hi) by bisection to ``xtol`` (the
    accuracy ``scipy.optimize.brentq`` is asked for on the fit path, without importing
    ``scipy.optimize``)."""
    f_lo = f(lo)
    for _ in range(2000):
        if hi - lo <= xtol + 4 * np.finfo(float).eps * abs(hi):
            break
        mid = lo + (hi - lo) / 2
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return lo + (hi - lo) / 2 if math.isfinite(lo + hi) else float("nan")


def bca_acceleration(jack: np.ndarray) -> np.ndarray:
    """BCa acceleration per column of jackknife values (Efron & Tibshirani 1993, 14.15):
    a = sum(d^3) / (6 (sum d^2)^1.5), d = mean(jack) - jack_i; 0 where the values do not vary.
    Shared by the CB-SEM and the PLS-SEM bootstrap."""
    d = np.nanmean(jack, axis=0) - jack
    num = np.nansum(d**3, axis=0)
    den = 6 * np.nansum(d**2, axis=0) ** 1.5
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, 0.0)
