"""Where PROCESS probes a moderator, and the Johnson-Neyman region of significance.

Probe values (PROCESS v4; Hayes 2022, sec. 7.3 and Appendix A): a dichotomous moderator at
its two values; a continuous one at its 16th, 50th and 84th percentiles, computed as PROCESS
does from the sorted values at position p(n + 1) with linear interpolation (Hyndman & Fan's
type 6), or with ``probe="meansd"`` at the mean and one standard deviation either side (a
value beyond the data replaced by the minimum or maximum, as PROCESS's ``moments = 1``); a
multicategorical moderator in each of its groups.

Johnson-Neyman (Johnson & Neyman 1936; Hayes & Matthes 2009): the moderator values where the
conditional effect b1 + b3 w is just significant, the roots within the observed range of
(b1 + b3 w)^2 = t^2 (v11 + 2 w v13 + w^2 v33), with the percentage of cases below and above
each root, as PROCESS's ``jn = 1``.
"""

from __future__ import annotations

import math

import numpy as np

PERCENTILES = (16.0, 50.0, 84.0)


def percentiles(values: np.ndarray, pcts=PERCENTILES) -> list[float]:
    """PROCESS's percentiles: sorted values interpolated at position p(n + 1).

    Example:
        >>> percentiles(np.arange(1.0, 11.0))
        [1.76, 5.5, 9.24]
    """
    v = np.sort(np.asarray(values, dtype=float))
    n = len(v)
    out = []
    for p in pcts:
        pos = p / 100.0 * (n + 1)
        low = math.trunc(pos)
        frac = pos - low
        lo = v[min(max(low, 1), n) - 1]
        hi = v[min(max(low + 1, 1), n) - 1]
        out.append(float(lo + (hi - lo) * frac))
    return out


def mean_sd(values: np.ndarray) -> tuple[list[float], list[str]]:
    """Mean and one SD either side, clamped to the observed range; notes when clamped."""
    v = np.asarray(values, dtype=float)
    m, s = float(v.mean()), float(v.std(ddof=1))
    out, notes = [m - s, m, m + s], []
    if out[0] < v.min():
        out[0] = float(v.min())
        notes.append("one SD below the mean is below the minimum; the minimum is used")
    if out[2] > v.max():
        out[2] = float(v.max())
        notes.append("one SD above the mean is above the maximum; the maximum is used")
    return out, notes


def is_dichotomous(values: np.ndarray) -> bool:
    v = np.asarray(values)
    return bool(np.all((v == v.min()) | (v == v.max())))


def moderator_values(
    values: np.ndarray, rule: str = "percentiles"
) -> tuple[list[float], str, list[str]]:
    """(probe values, how they were chosen, notes) for one continuous or dichotomous moderator.

    Example:
        >>> moderator_values(np.array([1., 2, 1, 2, 2]))
        ([1.0, 2.0], 'dichotomous', [])
    """
    v = np.asarray(values, dtype=float)
    if is_dichotomous(v):
        return [float(v.min()), float(v.max())], "dichotomous", []
    if rule == "meansd":
        vals, notes = mean_sd(v)
        return vals, "meansd", notes
    return percentiles(v), "percentiles", []


def johnson_neyman(
    b1: float, b3: float, v11: float, v13: float, v33: float, tcrit: float, moderator: np.ndarray
) -> list[dict]:
    """Johnson-Neyman points of b1 + b3 w within the moderator's observed range.

    Example:
        >>> w = np.linspace(0, 10, 101)
        >>> [round(r["value"], 4) for r in johnson_neyman(-1, 0.5, 0.04, 0, 0.0004, 2, w)]
        [1.1943, 2.8315]
    """
    crit = tcrit * tcrit
    a = crit * v33 - b3 * b3
    b = 2.0 * (crit * v13 - b1 * b3)
    c = crit * v11 - b1 * b1
    disc = b * b - 4.0 * a * c
    lo, hi = float(np.min(moderator)), float(np.max(moderator))
    out: list[dict] = []
    if disc < 0 or a == 0:
        return out
    for root in ((-b + math.sqrt(disc)) / (2 * a), (-b - math.sqrt(disc)) / (2 * a)):
        if lo <= root <= hi:
            out.append(
                {
                    "value": float(root),
                    "pct_below": float(np.mean(moderator < root) * 100.0),
                    "pct_above": float(np.mean(moderator > root) * 100.0),
                }
            )
    return out
