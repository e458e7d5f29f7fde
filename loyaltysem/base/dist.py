"""Normal, chi-square and noncentral chi-square probabilities for the fit path, without scipy;
the one normal distribution of the package (cdf, sf, pdf, quantile, and ``ndtr`` / ``ndtri``
for large arrays in inner loops) and the bootstrap's BCa pieces (acceleration and levels),
shared by the CB-SEM and the PLS-SEM bootstrap.

Why not scipy: importing ``scipy.special`` costs 0.13-0.15 s (scipy 1.17 loads its array-API
layer, which imports ``numpy.testing`` and ``numpy.f2py``), a quarter of a small
``loyaltysem fit`` (issue 19: faster end to end than Rscript with lavaan). These few functions
are standard and short, and ``tests/test_startup.py`` holds them to ``scipy.stats`` on wide
grids (relative 1e-12 in the body of the distributions, 1e-9 far in the tails).

Sources: the regularized incomplete gamma functions by the power series and Legendre's
continued fraction (Cephes ``igam``/``igamc``; Numerical Recipes 6.2); the noncentral
chi-square as the Poisson mixture of central ones summed from the Poisson mode outwards with
the recurrence P(a + 1, x) = P(a, x) - x^a e^-x / Gamma(a + 1) (Abramowitz & Stegun 26.4.25,
6.5.21; the method of R's ``pnchisq`` for moderate noncentrality); the normal quantile by
Acklam's rational approximation refined with Halley steps on ``erfc``.
Arguments are assumed valid (df > 0, nc >= 0), as on the fit path.
"""

from __future__ import annotations

import math

import numpy as np

_EPS = 1e-16
_BIG = 4503599627370496.0
_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _vectorized(fn):
    """Apply a scalar function elementwise; scalars in give a float out."""
    ufunc = np.frompyfunc(fn, fn.__code__.co_argcount, 1)

    def wrapper(*args):
        if all(np.ndim(a) == 0 for a in args):
            return fn(*(float(a) for a in args))
        return ufunc(*(np.asarray(a, dtype=float) for a in args)).astype(float)

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


# ----------------------------------------------------------------------------- normal


@_vectorized
def norm_sf(x: float) -> float:
    """P(Z > x) = erfc(x / sqrt 2) / 2 (``scipy.stats.norm.sf``)."""
    return 0.5 * math.erfc(x / _SQRT2)


@_vectorized
def norm_cdf(x: float) -> float:
    """P(Z <= x) = erfc(-x / sqrt 2) / 2 (``scipy.stats.norm.cdf``).

    Example:
        >>> round(norm_cdf(1.959963984540054), 12)
        0.975
    """
    return 0.5 * math.erfc(-x / _SQRT2)


def norm_pdf(x):
    """Standard normal density exp(-x^2 / 2) / sqrt(2 pi), elementwise.

    Example:
        >>> round(float(norm_pdf(0.0)), 12)
        0.398942280401
    """
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / _SQRT_2PI


def __getattr__(name: str):
    """``ndtr`` (Phi) and ``ndtri`` (Phi^-1) for large arrays in inner loops (ordered items'
    likelihoods, polychoric correlations): the same functions as :func:`norm_cdf` and
    :func:`norm_ppf` as compiled ufuncs (``scipy.special``, imported on first use so that
    the fit path stays without scipy; ``tests/test_startup.py`` holds both to each other)."""
    if name in ("ndtr", "ndtri"):
        from scipy import special

        globals()[name] = getattr(special, name)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _acklam(p: float) -> float:
    a = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
         -30.66479806614716, 2.506628277459239)  # fmt: skip
    b = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
         -13.28068155288572)  # fmt: skip
    c = (-7.784894002430293e-03, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
         4.374664141464968, 2.938163982698783)  # fmt: skip
    d = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    if 0.02425 <= p <= 0.97575:
        q = p - 0.5
        r = q * q
        num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        return num / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    q = math.sqrt(-2 * math.log(min(p, 1 - p)))
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
        (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
    )
    return x if p < 0.5 else -x


@_vectorized
def norm_ppf(p: float) -> float:
    """Standard normal quantile (``scipy.stats.norm.ppf``)."""
    if math.isnan(p) or p < 0 or p > 1:
        return math.nan
    if p == 0:
        return -math.inf
    if p == 1:
        return math.inf
    x = _acklam(p)
    for _ in range(3):  # Halley on the tail the argument lies in keeps full relative accuracy
        upper = (1 - p) - 0.5 * math.erfc(x / _SQRT2)  # Phi(x) - p, from the upper tail
        e = 0.5 * math.erfc(-x / _SQRT2) - p if x < 0 else upper
        u = e * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
        step = u / (1 + x * u / 2)
        x -= step
        if abs(step) <= 1e-16 * max(1.0, abs(x)):
            break
    return x


# ----------------------------------------------------------------------------- gamma


def _log_prefactor(a: float, x: float) -> float:
    """log(x^a e^-x / Gamma(a))."""
    return a * math.log(x) - x - math.lgamma(a)


def _gamma_series(a: float, x: float) -> float:
    """P(a, x) by its power series (converges fast for x < a + 1)."""
    term = total = 1.0 / a
    r = a
    for _ in range(100_000):
        r += 1
        term *= x / r
        total += term
        if term <= total * _EPS:
            break
    return total * math.exp(_log_prefactor(a, x))


def _gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) by Legendre's continued fraction (Cephes ``igamc``; for x >= a + 1)."""
    y, z, c = 1 - a, x + 2 - a, 0.0
    pkm2, qkm2, pkm1, qkm1 = 1.0, x, x + 1.0, z * x
    ans = pkm1 / qkm1
    for _ in range(100_000):
        c += 1
        y += 1
        z += 2
        yc = y * c
        pk, qk = pkm1 * z - pkm2 * yc, qkm1 * z - qkm2 * yc
        if qk != 0:
            r = pk / qk
            t = abs((ans - r) / r)
            ans = r
        else:
            t = 1.0
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        if abs(pk) > _BIG:
            pkm2, pkm1, qkm2, qkm1 = pkm2 / _BIG, pkm1 / _BIG, qkm2 / _BIG, qkm1 / _BIG
        if t <= _EPS:
            break
    return ans * math.exp(_log_prefactor(a, x))


def _gamma_pq(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)): the series where it converges fast (x < a + 1), else the
    continued fraction; the other as 1 minus it."""
    if math.isnan(a) or math.isnan(x):
        return math.nan, math.nan
    if x <= 0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    if x < a + 1:
        p = min(_gamma_series(a, x), 1.0)
        return p, 1.0 - p
    q = _gamma_fraction(a, x)
    return 1.0 - q, q


def gamma_p(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x)."""
    return _gamma_pq(a, x)[0]


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x)."""
    return _gamma_pq(a, x)[1]


# ----------------------------------------------------------------------------- chi-square


@_vectorized
def chi2_cdf(x: float, df: float) -> float:
    return gamma_p(df / 2, x / 2)


@_vectorized
def chi2_sf(x: float, df: float) -> float:
    return gamma_q(df / 2, x / 2)


@_vectorized
def chi2_ppf(q: float, df: float) -> float:
    """Chi-square quantile: bisection on the log scale, then Newton on the cdf."""
    if math.isnan(q) or q < 0 or q > 1:
        return math.nan
    if q == 0:
        return 0.0
    if q == 1:
        return math.inf
    lo, hi = 0.0, max(df, 1.0)
    while gamma_p(df / 2, hi / 2) < q:
        lo, hi = hi, hi * 2
    x = root_decreasing(lambda v: q - gamma_p(df / 2, v / 2), lo, hi, xtol=0.0)
    return x


def _poisson_window(lam: float) -> tuple[int, int]:
    """Indices j of the Poisson(lam) weights that carry all but ~1e-30 of the mass."""
    mode = int(lam)
    spread = int(13 * math.sqrt(lam) + 30)
    return max(0, mode - spread), mode + spread


def _ncx2_terms(x: float, df: float, nc: float) -> tuple[np.ndarray, np.ndarray]:
    """Poisson weights w_j and the recurrence steps t_j = (x/2)^(a_j) e^(-x/2) / Gamma(a_j+1),
    a_j = df/2 + j, over the window of j (A&S 26.4.25)."""
    lam, h = nc / 2, x / 2
    j0, j1 = _poisson_window(lam)
    j = np.arange(j0, j1 + 1, dtype=float)
    log_w0 = -lam + j0 * math.log(lam) - math.lgamma(j0 + 1)
    log_w = log_w0 + np.concatenate([[0.0], np.cumsum(math.log(lam) - np.log(j[1:]))])
    a = df / 2 + j
    log_t0 = a[0] * math.log(h) - h - math.lgamma(a[0] + 1)
    log_t = log_t0 + np.concatenate([[0.0], np.cumsum(math.log(h) - np.log(a[1:]))])
    return np.exp(log_w), np.exp(log_t)


def ncx2_cdf(x, df, nc):
    """Noncentral chi-square CDF (``scipy.stats.ncx2.cdf``; central when nc = 0)."""
    if nc == 0:
        return chi2_cdf(x, df)
    if x <= 0:
        return 0.0
    w, t = _ncx2_terms(x, df, nc)
    j0 = _poisson_window(nc / 2)[0]
    p = gamma_p(df / 2 + j0, x / 2) - np.concatenate([[0.0], np.cumsum(t[:-1])])
    return float(min(max(np.dot(w, np.maximum(p, 0.0)), 0.0), 1.0))


def ncx2_sf(x, df, nc):
    """Noncentral chi-square survival function (``scipy.stats.ncx2.sf``)."""
    if nc == 0:
        return chi2_sf(x, df)
    if x <= 0:
        return 1.0
    w, t = _ncx2_terms(x, df, nc)
    j0 = _poisson_window(nc / 2)[0]
    q = gamma_q(df / 2 + j0, x / 2) + np.concatenate([[0.0], np.cumsum(t[:-1])])
    return float(min(max(np.dot(w, np.minimum(q, 1.0)), 0.0), 1.0))


def root_decreasing(f, lo: float, hi: float, xtol: float = 1e-12) -> float:
    """Root of a decreasing function with f(lo) >= 0 >= f(hi), bracketed to ``xtol`` (the
    accuracy ``scipy.optimize.brentq`` is asked for on the fit path, without importing
    ``scipy.optimize``): false-position steps with the Illinois modification (Dowell &
    Jarratt 1971), and a bisection step whenever two steps have not halved the bracket, so
    it never takes more steps than about three bisections would; the midpoint of the last
    bracket is returned.

    Example:
        >>> round(root_decreasing(lambda x: 2.0 - x * x, 0.0, 2.0), 12)
        1.414213562373
    """
    eps4 = 4 * np.finfo(float).eps
    f_lo, f_hi = f(lo), f(hi)
    side, stalls = 0, 0
    for _ in range(2000):
        width = hi - lo
        if not width > xtol + eps4 * abs(hi):
            break
        denom = f_lo - f_hi
        bisect = stalls >= 2 or not (math.isfinite(denom) and denom > 0)
        mid = lo + width / 2 if bisect else lo + width * (f_lo / denom)
        if not lo < mid < hi:
            mid, bisect = lo + width / 2, True
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
            if side == 1:
                f_hi /= 2  # Illinois: the end kept twice counts half
            side = 1
        else:
            hi, f_hi = mid, f_mid
            if side == -1:
                f_lo /= 2
            side = -1
        stalls = 0 if bisect or hi - lo <= width / 2 else stalls + 1
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


def bca_levels(t: np.ndarray, t0, accel, level: float) -> np.ndarray:
    """Quantile levels of the bias-corrected (accel = 0) or BCa interval (Efron 1987; Efron &
    Tibshirani 1993, 14.3): Phi(z0 + (z0 + z) / (1 - a (z0 + z))) for z = Phi^-1((1 -+
    level) / 2), z0 = Phi^-1(share of the draws below t0). ``t``: draws (R, m) (non-finite
    ones left out), ``t0`` and ``accel``: (m,). Returns (2, m); NaN where no draw or every
    draw lies below t0. Each bootstrap then reads its own quantiles at these levels (CB-SEM:
    boot's norm.inter, as lavaan; PLS-SEM: R's type 7, as seminr).

    Example:
        >>> t = np.arange(1.0, 101.0)[:, None]  # half the draws below 50.5: z0 = 0
        >>> bca_levels(t, np.array([50.5]), np.array([0.0]), 0.95).ravel().round(4).tolist()
        [0.025, 0.975]
    """
    t = np.asarray(t, dtype=float).reshape(len(t), -1)
    t0 = np.broadcast_to(np.asarray(t0, dtype=float), t.shape[1:])
    accel = np.broadcast_to(np.asarray(accel, dtype=float), t.shape[1:])
    out = np.full((2, t.shape[1]), np.nan)
    za = np.array([norm_ppf((1 - level) / 2), norm_ppf((1 + level) / 2)])
    for j in range(t.shape[1]):
        col = t[:, j][np.isfinite(t[:, j])]
        share = float(np.mean(col < t0[j])) if len(col) else np.nan
        if not 0 < share < 1:
            continue
        z0 = norm_ppf(share)
        out[:, j] = norm_cdf(z0 + (z0 + za) / (1 - accel[j] * (z0 + za)))
    return out
