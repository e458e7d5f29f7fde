"""Standard errors by the options' ``se`` and ``information`` (lavaan's ``lav_model_vcov``);
which estimator uses which is decided once, in :mod:`loyaltysem.semcore.estimate.options`.

``standard``: the inverse information; ``robust.huber.white``: the sandwich A^-1 B A^-1 with
A the information and B the cross-product of the casewise scores (Huber 1967; White 1982);
``robust.sem``: the same sandwich with B the discrepancy's ``robust_meat`` (for the WLS
family N Delta' W Gamma W Delta, Muthen, du Toit & Spisic 1997; lavaan
``lav_model_nvcov_robust_sem``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from loyaltysem.base.errors import EstimationError
from loyaltysem.semcore.estimate.discrepancy import Discrepancy
from loyaltysem.semcore.estimate.options import Options

SINGULAR = (
    "could not compute standard errors: the information matrix could not be inverted, a "
    "symptom that the model is not identified (or empirically under-identified on these data)"
)


def invert(info: np.ndarray) -> np.ndarray:
    """The inverse of an information matrix; EstimationError when it is singular as R's
    ``solve()`` judges it (reciprocal condition number below machine epsilon), where lavaan
    gives no standard errors."""
    try:
        rcond = 1.0 / np.linalg.cond(info, 1) if info.size else 1.0
        if not rcond >= np.finfo(float).eps:
            raise np.linalg.LinAlgError
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise EstimationError(SINGULAR) from None


def vcov_warning(vcov: np.ndarray) -> str | None:
    """lavaan's check of the estimates' covariance matrix (``lav_model_vcov``, check.vcov):
    a smallest eigenvalue below eps^(3/4) is a symptom of a model that is not identified."""
    if vcov.size == 0 or not np.all(np.isfinite(vcov)):
        return None
    smallest = float(np.linalg.eigvalsh((vcov + vcov.T) / 2).min())
    if smallest >= np.finfo(float).eps ** 0.75:
        return None
    where = "close to zero" if smallest > 0 else "smaller than zero"
    return (
        "the covariance matrix of the estimates (vcov) does not appear to be positive "
        f"definite: its smallest eigenvalue ({smallest:.6e}) is {where}, a symptom that the "
        "model is not identified"
    )


def sandwich(information: np.ndarray, scores: list[np.ndarray]) -> np.ndarray:
    """Huber-White covariance A^-1 B A^-1, B = sum of the casewise score cross-products."""
    return sandwich_meat(information, sum(s.T @ s for s in scores))


def sandwich_meat(information: np.ndarray, meat: np.ndarray) -> np.ndarray:
    """A^-1 B A^-1 for a given middle matrix B."""
    A_inv = invert(information)
    return A_inv @ meat @ A_inv


def _standard(disc: Discrepancy, theta: np.ndarray, info: np.ndarray) -> np.ndarray:
    return invert(info)


def _robust_sem(disc: Discrepancy, theta: np.ndarray, info: np.ndarray) -> np.ndarray:
    return sandwich_meat(info, disc.robust_meat(theta))


def _huber_white(disc: Discrepancy, theta: np.ndarray, info: np.ndarray) -> np.ndarray:
    return sandwich(info, disc.scores(theta))


#: lavaan's ``se =`` -> how the covariance matrix is formed from the information
SE_KINDS: dict[str, Callable[[Discrepancy, np.ndarray, np.ndarray], np.ndarray]] = {
    "standard": _standard,
    "robust.sem": _robust_sem,
    "robust.huber.white": _huber_white,
}


def vcov(disc: Discrepancy, theta: np.ndarray, options: Options) -> np.ndarray:
    """Covariance matrix of the free parameters with the options' ``se`` and
    ``information`` (lavaan's ``lav_model_vcov``).

    Example:
        >>> V = vcov(fit.discrepancy, fit.theta, fit.options)           # doctest: +SKIP
    """
    info = disc.information(theta, options.information)
    return SE_KINDS[options.se](disc, theta, info)
