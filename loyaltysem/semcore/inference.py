"""Standard errors chosen by options, as lavaan maps its estimator to ``se`` and
``information`` (``lav_options_set``): one place for every estimator.

| estimator | missing  | se                  | information |
|-----------|----------|---------------------|-------------|
| ML        | listwise | standard            | expected    |
| ML        | fiml     | standard            | observed    |
| MLR       | any      | robust.huber.white  | observed    |

``standard``: the inverse information; ``robust.huber.white``: the sandwich A^-1 B A^-1 with
A the information and B the cross-product of the casewise scores (Huber 1967; White 1982).
"""

from __future__ import annotations

import numpy as np

from ..errors import EstimationError
from .discrepancy import Discrepancy

SE_OPTIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("ML", "listwise"): ("standard", "expected"),
    ("ML", "fiml"): ("standard", "observed"),
    ("MLR", "listwise"): ("robust.huber.white", "observed"),
    ("MLR", "fiml"): ("robust.huber.white", "observed"),
}


def se_options(estimator: str, missing: str) -> tuple[str, str]:
    """lavaan's (se, information) for an estimator and missing-data rule."""
    return SE_OPTIONS[(estimator.upper(), missing)]


def invert(info: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise EstimationError(
            "the information matrix is singular: the model is not identified (or empirically "
            "under-identified on these data)"
        ) from None


def sandwich(information: np.ndarray, scores: list[np.ndarray]) -> np.ndarray:
    """Huber-White covariance A^-1 B A^-1, B = sum of the casewise score cross-products."""
    B = sum(s.T @ s for s in scores)
    A_inv = invert(information)
    return A_inv @ B @ A_inv


def vcov(disc: Discrepancy, theta: np.ndarray, estimator: str, missing: str) -> np.ndarray:
    """Covariance matrix of the free parameters under lavaan's defaults for the estimator."""
    se, kind = se_options(estimator, missing)
    info = disc.information(theta, kind)
    if se == "standard":
        return invert(info)
    return sandwich(info, disc.scores(theta))
