"""Construct scores (mean of a construct's items), their means and SDs, and the Pearson
correlation matrix of the scores with p-values, significance stars and, optionally,
sqrt(AVE) on the diagonal (Fornell & Larcker 1981); and the correlations of the scores with
continuous covariates such as age in years (:func:`covariate_correlations`).

This is the "descriptive statistics and correlation analysis" table (描述性统计与相关分析) of a
results chapter. Scores are unweighted means of the items as the loader left them, i.e. with
reverse-keyed items already recoded (SPSS ``COMPUTE X = MEAN(x1, x2, x3)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.errors import InputError
from loyaltysem.base.result import ResultMixin

__all__ = [
    "CorrelationTable",
    "construct_correlations",
    "construct_descriptives",
    "construct_scores",
    "covariate_correlations",
    "pearson",
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


def stars(p, levels=STAR_LEVELS) -> str | list[str]:
    """Significance stars of a two-sided p: *** p < .001, ** p < .01, * p < .05 (APA).

    Example:
        >>> stars(0.004), stars([0.0004, 0.2])
        ('**', ['***', ''])
    """
    if np.ndim(p):
        return [stars(x, levels) for x in np.asarray(p, dtype=float).ravel()]
    if p is None or not np.isfinite(p):
        return ""
    for cut, mark in levels:
        if p < cut:
            return mark
    return ""


@dataclass
class CorrelationTable(ResultMixin):
    """Pearson correlations of construct scores (pairwise complete observations).

    ``r``, ``p`` (two-sided), ``n`` and ``stars`` are square DataFrames indexed by construct;
    ``diagonal`` holds sqrt(AVE) when AVE was given (else None); ``descriptives`` the n, mean,
    SD of each score. :meth:`matrix` gives the printed lower-triangle table.
    """

    r: pd.DataFrame
    p: pd.DataFrame
    n: pd.DataFrame
    stars: pd.DataFrame
    descriptives: pd.DataFrame
    diagonal: pd.Series | None = None
    notes: list[str] = field(default_factory=list)

    def matrix(self, decimals: int = 3, leading_zero: bool = False) -> pd.DataFrame:
        """Strings: M and SD columns, then the lower triangle of r with stars; the diagonal
        holds sqrt(AVE) (when given) or 1 (APA: no leading zero unless asked).

        Example:
            >>> sc = pd.DataFrame({"A": [1.0, 2, 3, 4], "B": [1.0, 3, 2, 4]})
            >>> construct_correlations(sc).matrix(2).loc["B", "A"]
            '.80'
        """

        def num(x: float) -> str:
            text = f"{x:.{decimals}f}"
            if not leading_zero:
                text = text.replace("0.", ".", 1) if abs(x) < 1 else text
            return text

        names = list(self.r.index)
        out = pd.DataFrame("", index=names, columns=["M", "SD"] + names, dtype=object)
        out["M"] = [f"{v:.{decimals}f}" for v in self.descriptives["mean"]]
        out["SD"] = [f"{v:.{decimals}f}" for v in self.descriptives["sd"]]
        for i, a in enumerate(names):
            for b in names[:i]:
                out.loc[a, b] = num(self.r.loc[a, b]) + self.stars.loc[a, b]
            diag = self.diagonal.get(a, np.nan) if self.diagonal is not None else 1.0
            out.loc[a, a] = num(diag) if np.isfinite(diag) else "1"
        return out


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """r, two-sided p and n of two vectors on their pairwise complete observations.

    t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df (the test of scipy.stats.pearsonr, SPSS's
    CORRELATIONS and R's cor.test).

    Example:
        >>> r, p, n = pearson(np.array([1.0, 2, 3, 4]), np.array([1.0, 3, 2, 4]))
        >>> round(r, 4), round(p, 4), n
        (0.8, 0.2, 4)
    """
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(ok.sum())
    if n < 3:
        return np.nan, np.nan, n
    xc, yc = x - x.mean(), y - y.mean()
    den = np.sqrt((xc**2).sum() * (yc**2).sum())
    if den == 0:
        return np.nan, np.nan, n
    r = float(np.clip((xc * yc).sum() / den, -1.0, 1.0))
    if abs(r) == 1:
        return r, 0.0, n
    t = r * np.sqrt((n - 2) / (1 - r**2))
    return r, float(2 * stats.t.sf(abs(t), n - 2)), n


def construct_correlations(
    scores: pd.DataFrame, ave: pd.Series | dict | None = None
) -> CorrelationTable:
    """Means, SDs and the Pearson correlation matrix of construct scores with p-values and
    stars; with ``ave`` (construct -> AVE, e.g. from the CFA), sqrt(AVE) goes on the diagonal
    (Fornell & Larcker 1981: it should exceed the construct's correlations).

    Note that these are correlations of observed mean scores; the Fornell-Larcker table of the
    measurement model uses the latent (CFA) correlations, which are larger (disattenuated).

    Example:
        >>> sc = pd.DataFrame({"A": [1.0, 2, 3, 4], "B": [1.0, 3, 2, 4]})
        >>> round(float(construct_correlations(sc, {"A": 0.64}).diagonal["A"]), 2)
        0.8
    """
    names = list(scores.columns)
    k = len(names)
    x = scores.to_numpy(dtype=float)
    r = np.eye(k)
    p = np.zeros((k, k))
    n = np.zeros((k, k), dtype=int)
    for i in range(k):
        n[i, i] = int(np.isfinite(x[:, i]).sum())
        for j in range(i):
            r[i, j], p[i, j], n[i, j] = pearson(x[:, i], x[:, j])
            r[j, i], p[j, i], n[j, i] = r[i, j], p[i, j], n[i, j]
    frame = lambda a: pd.DataFrame(a, index=names, columns=names)  # noqa: E731
    st = pd.DataFrame([[stars(p[i, j]) if i != j else "" for j in range(k)] for i in range(k)],
                      index=names, columns=names)  # fmt: skip
    diagonal, notes = None, []
    if ave is not None:
        ave = pd.Series(ave, dtype=float)
        absent = [c for c in names if c not in ave.index]
        if absent:
            notes.append(f"no AVE for {', '.join(absent)}: diagonal shows 1")
        diagonal = np.sqrt(ave.reindex(names))
    return CorrelationTable(
        r=frame(r), p=frame(p), n=frame(n), stars=st,
        descriptives=construct_descriptives(scores), diagonal=diagonal, notes=notes,
    )  # fmt: skip


def covariate_correlations(scores: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """Pearson r of every construct score with every covariate (a continuous demographic such
    as age in years, SPSS's CORRELATIONS), each pair on its pairwise complete rows.

    One row per (variable, construct): ``r``, two-sided ``pvalue`` (t on n - 2 df, as
    :func:`pearson`), ``n`` and ``stars``. ``covariates`` has the same rows as ``scores``.

    Example:
        >>> sc = pd.DataFrame({"SAT": [1.0, 2, 3, 4]})
        >>> out = covariate_correlations(sc, pd.DataFrame({"age": [20, 40, 30, 50]}))
        >>> out[["variable", "construct", "r", "n"]].to_dict("records")
        [{'variable': 'age', 'construct': 'SAT', 'r': 0.8, 'n': 4}]
    """
    if len(scores) != len(covariates):
        raise InputError("scores and covariates must have the same respondents (rows)")
    rows = []
    for var in covariates.columns:
        y = pd.to_numeric(covariates[var], errors="coerce").to_numpy(dtype=float)
        for con in scores.columns:
            r, p, n = pearson(scores[con].to_numpy(dtype=float), y)
            rows.append({"variable": var, "construct": con, "r": r, "pvalue": p, "n": n,
                         "stars": stars(p)})  # fmt: skip
    return pd.DataFrame(rows, columns=["variable", "construct", "r", "pvalue", "n", "stars"])
