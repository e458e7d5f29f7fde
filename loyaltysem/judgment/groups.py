"""Structural paths compared across groups: which differ, after a stated correction.

Rule: each path's equality across groups is tested by the chi-square difference between
the model with the path constrained equal and the free multi-group model (and, with two
groups, by the critical ratio for the difference, Byrne 2010); because k paths are tested
at once, the p values are adjusted by Holm's (1979) step-down procedure, which keeps the
family-wise error rate at alpha, and a path differs only when its adjusted p < alpha.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.judgment.verdict import Verdict

RULE = "holm1979"
ALPHA = 0.05
CORRECTIONS = ("holm", "bonferroni", "none")


def holm(pvalues) -> np.ndarray:
    """Holm's (1979) adjusted p values (R's ``p.adjust(p, "holm")``): sorted ascending,
    p_(i) * (m - i + 1), made monotone and capped at 1; NaN stays NaN and is not counted.

    Example:
        >>> holm([0.01, 0.04, 0.03, 0.005]).round(3).tolist()
        [0.03, 0.06, 0.06, 0.02]
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    q = p[ok]
    m = len(q)
    if not m:
        return out
    order = np.argsort(q, kind="mergesort")
    adj = np.minimum(1.0, np.maximum.accumulate(q[order] * (m - np.arange(m))))
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out


def adjust(pvalues, method: str = "holm") -> np.ndarray:
    """p values adjusted by ``method`` ("holm", "bonferroni" or "none").

    Example:
        >>> adjust([0.01, 0.04], "bonferroni").tolist()
        [0.02, 0.08]
    """
    p = np.asarray(pvalues, dtype=float)
    if method == "holm":
        return holm(p)
    if method == "bonferroni":
        return np.minimum(1.0, p * np.isfinite(p).sum())
    if method == "none":
        return p.copy()
    raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, not '{method}'")


def cr_pvalue(cr) -> np.ndarray:
    """Two-sided normal p of a critical ratio for a difference.

    Example:
        >>> round(float(cr_pvalue([1.96])[0]), 3)
        0.05
    """
    return 2 * stats.norm.sf(np.abs(np.asarray(cr, dtype=float)))


def judge_group_paths(paths: pd.DataFrame, correction: str = "holm", alpha: float = ALPHA) -> dict:
    """(lhs, rhs) -> verdict ("different" / "equal") for every compared path of
    ``paths`` (columns lhs, rhs, pvalue of the Δχ² test; ``p.adjusted`` and, with two
    groups, ``cr.diff`` / ``cr.p.adjusted`` as :func:`add_adjusted` adds them).

    Example:
        >>> gp = add_adjusted(pd.DataFrame({"lhs": ["T", "S"], "rhs": ["R", "I"],
        ...                                 "pvalue": [0.034, 0.18]}))
        >>> judge_group_paths(gp)[("T", "R")].outcome
        'equal'
    """
    out = {}
    for _, r in paths.iterrows():
        p_adj = float(r.get("p.adjusted", r["pvalue"]))
        different = math.isfinite(p_adj) and p_adj < alpha
        caveats = ()
        if not different and float(r["pvalue"]) < alpha:
            caveats = ("uncorrected_only",)
        values = {"pvalue": float(r["pvalue"]), "p.adjusted": p_adj, "correction": correction,
                  "alpha": alpha, "k": len(paths)}  # fmt: skip
        if "cr.diff" in r:
            values |= {"cr.diff": float(r["cr.diff"]),
                       "cr.p.adjusted": float(r.get("cr.p.adjusted", math.nan))}  # fmt: skip
        out[(r["lhs"], r["rhs"])] = Verdict(
            f"{r['rhs']} -> {r['lhs']}", "different" if different else "equal", RULE,
            values, caveats,
        )  # fmt: skip
    return out


def add_adjusted(paths: pd.DataFrame, correction: str = "holm") -> pd.DataFrame:
    """``paths`` with ``p.adjusted`` (the Δχ² tests' p adjusted over the compared paths)
    and, where there is a ``cr.diff`` column, ``cr.p`` and ``cr.p.adjusted``.

    Example:
        >>> add_adjusted(pd.DataFrame({"pvalue": [0.01, 0.04]}))["p.adjusted"].tolist()
        [0.02, 0.04]
    """
    out = paths.copy()
    out["p.adjusted"] = adjust(out["pvalue"], correction)
    if "cr.diff" in out.columns:
        out["cr.p"] = cr_pvalue(out["cr.diff"])
        out["cr.p.adjusted"] = adjust(out["cr.p"], correction)
    return out
