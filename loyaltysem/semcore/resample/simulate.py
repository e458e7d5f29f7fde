"""Simulate questionnaire responses from a population model written in lavaan syntax.

The population model gives standardized values (``SAT ~ 0.2*INF``, ``INF =~ 0.78*INF1``,
``INF ~~ 0.3*PRD``), as lavaan's ``simulateData(standardized = TRUE)`` reads them: every
latent and observed variable has variance 1 and the residual variances are whatever makes it
so. Continuous responses are drawn from the implied normal distribution and cut into Likert
categories at fixed thresholds (the probabilities of the categories for a standard normal
item), the usual way Likert data are simulated (e.g. Rhemtulla, Brosseau-Liard & Savalei
2012).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.base.dist import ndtri
from loyaltysem.base.errors import InputError
from loyaltysem.semcore.model import ram
from loyaltysem.semcore.model.partable import build_partable, model_variables
from loyaltysem.survey.syntax import parse_syntax

# Share of answers in each category of a 7-point agreement item: skewed towards agreement,
# as satisfaction surveys are.
DEFAULT_CATEGORY_PROBS_7 = (0.03, 0.06, 0.11, 0.20, 0.26, 0.21, 0.13)


def population_moments(model: str) -> tuple[list[str], np.ndarray, dict[str, float]]:
    """Observed names, their implied correlation matrix, and the R^2 of every endogenous variable.

    Example:
        >>> names, sigma, r2 = population_moments("f =~ 0.8*x1 + 0.7*x2 + 0.6*x3")
        >>> round(float(sigma[0, 1]), 2)
        0.56
    """
    rows = parse_syntax(model)
    for r in rows:
        is_variance = r.op == "~~" and r.lhs == r.rhs
        if r.op in ("=~", "~", "~~") and not r.modifier.fixed and not is_variance:
            raise InputError(
                f"population model: '{r.lhs} {r.op} {r.rhs}' (line {r.line}) needs a value"
            )
    mv = model_variables(rows)
    pt = build_partable(rows)
    # every value in a population model is fixed; variances are solved below
    pt["free"] = 0
    pt["ustart"] = pt["ustart"].fillna(0.0)
    # lavaan's auto.fix.first would fix the first loading to 1: the user's value wins
    for r in rows:
        mask = (pt["lhs"] == r.lhs) & (pt["op"] == r.op) & (pt["rhs"] == r.rhs)
        if r.modifier.fixed and r.modifier.fixed[0] is not None:
            pt.loc[mask, "ustart"] = float(r.modifier.fixed[0])
    gs = ram.group_structure(pt, 1, mv, meanstructure=False)
    A, S, _ = ram.fill(gs, np.zeros(0))
    names = mv.ov + mv.lv
    n = len(names)
    has_parent = np.abs(A).sum(axis=1) > 0
    for i in range(n):
        if not has_parent[i]:
            S[i, i] = 1.0  # exogenous: variance 1
    B = np.linalg.inv(np.eye(n) - A)
    for _ in range(n + 1):  # residual variances, fixed point in topological order
        sigma_all = B @ S @ B.T
        for i in np.where(has_parent)[0]:
            S[i, i] += 1.0 - sigma_all[i, i]
    sigma_all = B @ S @ B.T
    r2 = {}
    for i in np.where(has_parent)[0]:
        if S[i, i] <= 0:
            raise InputError(
                f"population model: '{names[i]}' would need a negative residual variance "
                f"(its predictors explain {1 - S[i, i]:.2f} of a variance of 1)"
            )
        r2[names[i]] = 1.0 - S[i, i]
    if np.linalg.eigvalsh(sigma_all).min() <= 0:
        raise InputError(
            "population model: the implied correlation matrix is not positive definite"
        )
    p = len(mv.ov)
    return mv.ov, sigma_all[:p, :p], r2


def likert_thresholds(probs: tuple[float, ...]) -> np.ndarray:
    """Normal thresholds that cut a standard normal variable into categories with ``probs``."""
    probs = np.asarray(probs, dtype=float)
    return ndtri(np.cumsum(probs / probs.sum())[:-1])


def simulate(
    model: str,
    n: int,
    *,
    seed: int | None = None,
    scale: tuple[int, int] | None = (1, 7),
    category_probs: tuple[float, ...] | None = None,
    reverse: tuple[str, ...] = (),
    missing_share_respondents: float = 0.0,
    max_missing_per_respondent: int = 3,
) -> pd.DataFrame:
    """Draw ``n`` questionnaire responses from a standardized population model.

    ``scale=None`` returns the continuous normal responses. Reverse-keyed items are stored as a
    respondent would answer them (min + max - x). A share of respondents gets 1 to
    ``max_missing_per_respondent`` answers missing completely at random.

    Example:
        >>> df = simulate("f =~ 0.8*x1 + 0.7*x2 + 0.6*x3", 100, seed=1)
        >>> df.shape, int(df.min().min()) >= 1, int(df.max().max()) <= 7
        ((100, 3), True, True)
    """
    if n < 1:
        raise InputError("the number of respondents must be at least 1")
    names, sigma, _ = population_moments(model)
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(np.zeros(len(names)), sigma, size=n, method="cholesky")
    if scale is None:
        out = pd.DataFrame(z, columns=names)
    else:
        lo, hi = scale
        k = hi - lo + 1
        probs = category_probs
        if probs is None:
            probs = DEFAULT_CATEGORY_PROBS_7 if k == 7 else tuple([1.0 / k] * k)
        if len(probs) != k:
            raise InputError(f"category_probs has {len(probs)} values for a {k}-point scale")
        cuts = likert_thresholds(tuple(probs))
        codes = np.searchsorted(cuts, z) + lo
        for name in reverse:
            j = names.index(name)
            codes[:, j] = lo + hi - codes[:, j]
        out = pd.DataFrame(codes.astype(float), columns=names)
    if missing_share_respondents > 0:
        who = rng.random(n) < missing_share_respondents
        for i in np.where(who)[0]:
            k = rng.integers(1, max_missing_per_respondent + 1)
            cols = rng.choice(len(names), size=k, replace=False)
            out.iloc[i, cols] = np.nan
    return out
