"""Construct scores (mean of a construct's items), their means and SDs, and the Pearson
correlation matrix of the scores with p-values, significance stars and, optionally,
sqrt(AVE) on the diagonal (Fornell & Larcker 1981).

This is the "descriptive statistics and correlation analysis" table (描述性统计与相关分析) of a
results chapter. Scores are unweighted means of the items as the loader left them, i.e. with
reverse-keyed items already recoded (SPSS ``COMPUTE X = MEAN(x1, x2, x3)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError

__all__ = [
    "CorrelationTable",
    "construct_correlations",
    "construct_descriptives",
    "construct_scores",
    "stars",
]

STAR_LEVELS = ((0.001, "***"), (0.01, "**"), (0.05, "*"))


def construct_scores(
    data: pd.DataFrame,
    construct_items: dict[str, list[str]],
    *,
    missing: str = "available",
) -> pd.DataFrame:
    """One column per construct: the mean of its items, one row per respondent.

    ``missing="available"`` averages the answered items (SPSS ``MEAN(x1, x2, x3)``; NaN only
    when every item is missing); ``missing="complete"`` gives NaN when any item is missing.
    Reverse-keyed items must already be recoded (the loader does this).

    Example:
        >>> df = pd.DataFrame({"a1": [1.0, 2], "a2": [3.0, None]})
        >>> construct_scores(df, {"A": ["a1", "a2"]})["A"].tolist()
        [2.0, 2.0]
    """
    if missing not in ("available", "complete"):
        raise InputError(f"missing must be 'available' or 'complete', not '{missing}'")
    out = {}
    for code, items in construct_items.items():
        absent = [i for i in items if i not in data.columns]
        if absent:
            raise InputError(f"item of construct {code} is not in the data", column=absent[0])
        try:
            x = data[items].astype(float)
        except (TypeError, ValueError):
            bad = next(i for i in items if not pd.api.types.is_numeric_dtype(data[i]))
            raise InputError("the item is not numeric", column=bad) from None
        out[code] = x.mean(axis=1, skipna=(missing == "available"))
    return pd.DataFrame(out, index=data.index)


def construct_descriptives(scores: pd.DataFrame) -> pd.DataFrame:
    """n, mean, SD (n - 1 denominator), min and max of each construct score.

    Example:
        >>> construct_descriptives(pd.DataFrame({"A": [1.0, 2, 3]}))["sd"].tolist()
        [1.0]
    """
    return pd.DataFrame(
        {
            "n": scores.notna().sum().astype(int),
            "mean": scores.mean(),
            "sd": scores.std(ddof=1),
            "min": scores.min(),
            "max": scores.max(),
        },
        index=pd.Index(scores.columns, name="construct"),
    )
