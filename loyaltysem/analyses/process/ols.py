"""OLS as PROCESS v4 computes it: coefficients, the standard or a heteroskedasticity-
consistent covariance (HC0-HC4), t tests, intervals, R, R-squared, MSE, the model F test, and
the R-squared change test of an interaction.

Sources: PROCESS v4's OLS routine (Hayes 2022, Appendix A; Hayes & Cai 2007 for HC0-HC4):
V = (X'X)^-1 X' diag(e_i^2 / (1 - h_i)^d_i) X (X'X)^-1 with d = 0 (HC0, HC1 then times
n / (n - k)), 1 (HC2), 2 (HC3), min(4, n h_i / k) (HC4, Cribari-Neto 2004). The model F and
the tests of interactions are Wald F tests b' L (L'VL)^-1 L' b / q with the covariance in use
(so they become F(HCk) with ``hc``); the R-squared change is that of dropping the product
terms. Interval critical values are PROCESS's: t from the normal quantile by Hill's (1970)
approximation, sqrt(df (exp((df - 5/6) (z / (df - 2/3 + 0.11/df))^2) - 1)), and z by Odeh &
Evans's (1974) rational approximation; they differ from the exact quantiles by about 3e-7
at df = 340.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special  # not scipy.stats: 0.3 s less to import

from loyaltysem.base.errors import EstimationError, InputError

HC_TYPES = ("HC0", "HC1", "HC2", "HC3", "HC4")

_P = (-0.322232431088, -1.0, -0.342242088547, -0.0204231210245, -0.0000453642210148)
_Q = (0.0993484626060, 0.588581570495, 0.531103462366, 0.103537752850, 0.0038560700634)


def probit_oe(p: float) -> float:
    """The normal quantile by Odeh & Evans (1974), as PROCESS computes it (|error| < 1.5e-8).

    Example:
        >>> round(probit_oe(0.975), 6)
        1.959964
    """
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    pp = min(p, 1.0 - p)
    y = math.sqrt(-2.0 * math.log(pp))
    num = (((y * _P[4] + _P[3]) * y + _P[2]) * y + _P[1]) * y + _P[0]
    den = (((y * _Q[4] + _Q[3]) * y + _Q[2]) * y + _Q[1]) * y + _Q[0]
    x = y + num / den
    return x if p > 0.5 else -x


def z_crit(conf: float) -> float:
    """PROCESS's two-sided normal critical value for ``conf`` percent."""
    return probit_oe(1.0 - (1.0 - conf / 100.0) / 2.0)


def t_crit(conf: float, df: float) -> float:
    """PROCESS's two-sided t critical value (Hill's approximation from ``z_crit``).

    Example:
        >>> round(t_crit(95, 340), 5)
        1.96697
    """
    z = z_crit(conf)
    a = z / (df - 2.0 / 3.0 + 0.11 / df)
    return math.sqrt(df * (math.exp((df - 5.0 / 6.0) * a * a) - 1.0))


def hc_number(hc) -> int | None:
    """``None`` for the standard covariance, else 0-4 from "HC3", "hc3" or 3."""
    if hc is None or hc is False:
        return None
    if isinstance(hc, bool):
        raise InputError(f"hc must be one of {', '.join(HC_TYPES)}, not {hc!r}")
    text = str(hc).strip().upper()
    if text in HC_TYPES:
        return int(text[2])
    if text in {"0", "1", "2", "3", "4"}:
        return int(text)
    raise InputError(f"hc must be one of {', '.join(HC_TYPES)}, not {hc!r}")


@dataclass
class OLSFit:
    """One outcome's regression (arrays in the order of the design's columns)."""

    coef: np.ndarray
    vcov: np.ndarray
    r2: float
    mse: float
    F: float
    df1: int
    df2: int
    pvalue: float
    tcrit: float

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.vcov))

    def table(self) -> np.ndarray:
        """(k, 6): coeff, se, t, p, LLCI, ULCI."""
        se = self.se
        t = self.coef / se
        p = 2.0 * special.stdtr(self.df2, -np.abs(t))
        return np.column_stack(
            [self.coef, se, t, p, self.coef - self.tcrit * se, self.coef + self.tcrit * se]
        )

    def linear(self, g: np.ndarray) -> tuple[float, float, float, float, float, float]:
        """g'b with its se, t, p and interval (a conditional effect)."""
        est = float(g @ self.coef)
        se = float(math.sqrt(max(g @ self.vcov @ g, 0.0)))
        t = est / se if se > 0 else math.nan
        p = float(2.0 * special.stdtr(self.df2, -abs(t))) if se > 0 else math.nan
        return est, se, t, p, est - self.tcrit * se, est + self.tcrit * se

    def wald(self, idx: list[int]) -> tuple[float, float]:
        """Wald F test that the coefficients ``idx`` are zero: (F, p) on (len(idx), df2)."""
        b = self.coef[idx]
        v = self.vcov[np.ix_(idx, idx)]
        f = float(b @ np.linalg.solve(v, b)) / len(idx)
        return f, float(special.fdtrc(len(idx), self.df2, f))


def _vcov(X: np.ndarray, resid: np.ndarray, xtx_inv: np.ndarray, mse: float, hc: int | None):
    if hc is None:
        return mse * xtx_inv
    n, k = X.shape
    h = np.einsum("ij,jk,ik->i", X, xtx_inv, X)
    if hc in (0, 1):
        d = np.zeros(n)
    elif hc in (2, 3):
        d = np.full(n, float(hc - 1))
    else:
        d = np.minimum(4.0, n * h / k)
    u = resid / (1.0 - h) ** (d / 2.0)
    meat = (X * u[:, None]).T @ (X * u[:, None])
    v = xtx_inv @ meat @ xtx_inv
    return v * (n / (n - k)) if hc == 1 else v


def ols(y: np.ndarray, X: np.ndarray, *, hc: int | None = None, conf: float = 95) -> OLSFit:
    """OLS of ``y`` on ``X`` (whose first column is the constant), as PROCESS.

    Example:
        >>> X = np.column_stack([np.ones(5), [1., 2, 3, 4, 5]])
        >>> fit = ols(np.array([1., 3, 2, 5, 4]), X)
        >>> [round(float(v), 3) for v in fit.coef], round(fit.r2, 3)
        ([0.6, 0.8], 0.64)
    """
    n, k = X.shape
    xtx = X.T @ X
    if np.linalg.matrix_rank(xtx) < k:
        raise EstimationError(
            "the design matrix is singular (a predictor is a combination of the others)"
        )
    xtx_inv = np.linalg.inv(xtx)
    coef = xtx_inv @ (X.T @ y)
    resid = y - X @ coef
    df2 = n - k
    sse = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    mse = sse / df2
    vcov = _vcov(X, resid, xtx_inv, mse, hc)
    fit = OLSFit(
        coef, vcov, (sst - sse) / sst, mse, math.nan, k - 1, df2, math.nan, t_crit(conf, df2)
    )
    if k > 1:
        fit.F, fit.pvalue = fit.wald(list(range(1, k)))
    return fit


def r2_change(y: np.ndarray, X: np.ndarray, full_r2: float, drop: list[int]) -> float:
    """R-squared lost when the columns ``drop`` leave the model (PROCESS's R2-chng)."""
    keep = [j for j in range(X.shape[1]) if j not in drop]
    Xr = X[:, keep]
    coef, *_ = np.linalg.lstsq(Xr, y, rcond=None)
    resid = y - Xr @ coef
    sst = float(((y - y.mean()) ** 2).sum())
    return full_r2 - (sst - float(resid @ resid)) / sst
