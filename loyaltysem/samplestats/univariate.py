"""Step 1 of lavaan's two-step sample statistics: one variable at a time.

Ordered item with categories 1..K (codes): thresholds t_1 < ... < t_{K-1} by maximum
likelihood of the probit model with no covariates, which has the closed form
t_k = Phi^-1(cumulative proportion of categories <= k) (lavaan ``lav_uvord_th``; its nlminb
fit starts there with a zero gradient). Continuous variable: mean and ML variance
(divisor N; lavaan ``lav_uvreg_fit``). The casewise scores (derivatives of each respondent's
log-likelihood) feed the Muthen (1984) asymptotic covariance in :mod:`.nacov`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loyaltysem.base.dist import ndtr, ndtri
from loyaltysem.base.dist import norm_pdf as _dnorm

__all__ = ["BIG", "NumericFit", "OrdinalFit", "fit_numeric", "fit_ordinal"]

#: finite stand-in for an infinite threshold (lavaan's o1/o2 offsets of +-100)
BIG = 100.0


@dataclass
class OrdinalFit:
    """Thresholds of one ordered item in one group.

    Attributes:
        codes: the respondents' categories 1..K (int array, length N).
        th: the K - 1 thresholds.
        upper / lower: each respondent's upper and lower threshold (+-BIG at the ends).
    """

    codes: np.ndarray
    th: np.ndarray

    @property
    def ncat(self) -> int:
        return self.th.size + 1

    @property
    def th_ext(self) -> np.ndarray:
        """(-BIG, t_1, ..., t_{K-1}, +BIG): index c gives the upper limit of category c."""
        return np.concatenate(([-BIG], self.th, [BIG]))

    @property
    def upper(self) -> np.ndarray:
        return self.th_ext[self.codes]

    @property
    def lower(self) -> np.ndarray:
        return self.th_ext[self.codes - 1]

    def scores(self) -> np.ndarray:
        """N x (K-1) casewise scores d log P(y_n) / d t_k (lavaan ``lav_uvord_scores``).

        P(y_n = c) = Phi(t_c) - Phi(t_{c-1}); the score of t_k is phi(t_k)/P for c = k and
        -phi(t_k)/P for c = k + 1, zero otherwise.
        """
        n, k = self.codes.size, self.th.size
        ext = self.th_ext
        prob = ndtr(ext[1:]) - ndtr(ext[:-1])
        dens = _dnorm(self.th)
        out = np.zeros((n, k))
        rows = np.arange(n)
        c = self.codes
        up = c <= k  # threshold c is this respondent's upper limit
        out[rows[up], c[up] - 1] = dens[c[up] - 1] / prob[c[up] - 1]
        lo = c >= 2  # threshold c - 1 is the lower limit
        out[rows[lo], c[lo] - 2] = -dens[c[lo] - 2] / prob[c[lo] - 1]
        return out


@dataclass
class NumericFit:
    """Mean and ML variance of a continuous variable in one group (lavaan ``lav_uvreg_fit``)."""

    y: np.ndarray
    mean: float
    var: float

    @property
    def sd(self) -> float:
        return float(np.sqrt(self.var))

    @property
    def z(self) -> np.ndarray:
        return (self.y - self.mean) / self.sd

    def scores(self) -> tuple[np.ndarray, np.ndarray]:
        """Casewise scores of the mean, (y - mu)/v, and of the variance,
        -1/(2v) + (y - mu)^2/(2 v^2) (normal log-likelihood)."""
        res = self.y - self.mean
        return res / self.var, -0.5 / self.var + 0.5 * res * res / (self.var * self.var)


def fit_ordinal(codes: np.ndarray, ncat: int) -> OrdinalFit:
    """Thresholds Phi^-1(cumulative proportions) of codes 1..ncat (every category used)."""
    codes = np.asarray(codes, dtype=np.intp)
    freq = np.bincount(codes, minlength=ncat + 1)[1:]
    cum = np.cumsum(freq)[:-1] / codes.size
    return OrdinalFit(codes=codes, th=ndtri(cum))


def fit_numeric(y: np.ndarray) -> NumericFit:
    """Mean and variance with divisor N."""
    y = np.asarray(y, dtype=float)
    mean = float(y.mean())
    return NumericFit(y=y, mean=mean, var=float(np.mean((y - mean) ** 2)))
