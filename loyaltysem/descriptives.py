"""Item descriptives, multivariate normality and the sample profile.

* describe(): n, mean, sd (n - 1), min, max, skew and excess kurtosis as psych::describe's
  default type 3: skew b1 = m3 / s^3, kurtosis b2 - 3 = m4 / s^4 - 3 with s the n - 1 standard
  deviation (Joanes & Gill 1998); cut-offs |skew| < 3 and |kurtosis| < 10 (Kline 2016).
* mardia(): Mardia's (1970) multivariate skewness b1p and kurtosis b2p with their tests, as
  psych::mardia (complete cases).
* sample_profile(): counts and percentages of each demographic category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SKEW_CUTOFF = 3.0  # Kline (2016)
KURTOSIS_CUTOFF = 10.0  # Kline (2016)


def describe(df: pd.DataFrame) -> pd.DataFrame:
    """psych::describe (type 3) for every column.

    Example:
        >>> describe(pd.DataFrame({"a": [1.0, 2, 3, 4, 10]})).loc["a", "skew"].round(4)
        np.float64(0.9843)
    """
    rows = {}
    for name in df.columns:
        x = pd.to_numeric(df[name], errors="coerce").dropna().to_numpy(dtype=float)
        n = len(x)
        if n == 0:
            rows[name] = {"n": 0}
            continue
        mean = x.mean()
        sd = x.std(ddof=1) if n > 1 else np.nan
        d = x - mean
        skew = np.mean(d**3) / sd**3 if n > 2 and sd > 0 else np.nan
        kurt = np.mean(d**4) / sd**4 - 3 if n > 3 and sd > 0 else np.nan
        rows[name] = {
            "n": n,
            "mean": mean,
            "sd": sd,
            "median": float(np.median(x)),
            "min": x.min(),
            "max": x.max(),
            "skew": skew,
            "kurtosis": kurt,
            "se": sd / np.sqrt(n),
        }
    out = pd.DataFrame(rows).T
    out["n"] = out["n"].astype(int)
    out["normal.ok"] = (out["skew"].abs() < SKEW_CUTOFF) & (out["kurtosis"].abs() < KURTOSIS_CUTOFF)
    return out


def mardia(df: pd.DataFrame) -> dict[str, float]:
    """Mardia's multivariate skewness and kurtosis (psych::mardia, complete cases).

    b1p = sum_ij (d_i' S^-1 d_j)^3 / n^2, b2p = sum_i (d_i' S^-1 d_i)^2 / n, with S the
    covariance divided by n - 1; skew statistic n b1p / 6 ~ chi2(p(p+1)(p+2)/6); kurtosis
    z = (b2p - p(p+2)) / sqrt(8 p (p+2) / n).
    """
    x = df.dropna().to_numpy(dtype=float)
    n, p = x.shape
    d = x - x.mean(axis=0)
    S = d.T @ d / (n - 1)  # psych::mardia uses cov(), the n - 1 covariance
    G = d @ np.linalg.solve(S, d.T)
    b1p = float(np.sum(G**3) / n**2)
    b2p = float(np.sum(np.diag(G) ** 2) / n)
    skew = n * b1p / 6
    dof = p * (p + 1) * (p + 2) / 6
    kz = (b2p - p * (p + 2)) / np.sqrt(8 * p * (p + 2) / n)
    return {
        "n": n,
        "b1p": b1p,
        "b2p": b2p,
        "skew": skew,
        "skew.df": dof,
        "skew.pvalue": float(stats.chi2.sf(skew, dof)),
        "kurtosis.z": float(kz),
        "kurtosis.pvalue": float(2 * stats.norm.sf(abs(kz))),
    }


def sample_profile(
    df: pd.DataFrame, columns: list[str], instrument=None, lang: str = "en"
) -> pd.DataFrame:
    """Frequencies and percentages of each category of the demographic columns."""
    demos = {d.code: d for d in (instrument.demographics if instrument else [])}
    rows = []
    for col in columns:
        counts = df[col].value_counts(dropna=False).sort_index()
        total = counts.sum()
        d = demos.get(col)
        for value, count in counts.items():
            if pd.isna(value):
                label = "missing" if lang == "en" else "缺失"
            elif d and float(value) in d.values:
                label = d.values[float(value)].get(lang) or d.values[float(value)].get("en")
            else:
                label = str(value)
            rows.append(
                {
                    "variable": (d.name.get(lang) or d.name.get("en")) if d else col,
                    "category": label,
                    "n": int(count),
                    "percent": 100 * count / total,
                }
            )
    return pd.DataFrame(rows)
