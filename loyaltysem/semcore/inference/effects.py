"""Direct, specific indirect, total indirect and total effects from a fitted model's paths.

Every directed path X -> M1 -> ... -> Y through the structural (``~``) part of the model is a
specific indirect effect whose size is the product of its coefficients; the total indirect
effect is their sum and the total effect adds the direct path (Alwin & Hauser 1975;
Bollen 1987). Standardized effects multiply the std.all coefficients. Standard errors and
z-tests use the delta method, as lavaan does for ``:=`` parameters (Sobel 1982); bootstrap
intervals come from :mod:`loyaltysem.semcore.resample.bootstrap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyaltysem.base import dist as _dist
from loyaltysem.base.errors import EstimationError
from loyaltysem.semcore.inference import standardized as stdz


@dataclass(frozen=True)
class Effect:
    name: str  # e.g. "INF -> SAT -> LOY"
    kind: str  # "direct", "indirect", "total indirect", "total"
    source: str
    target: str
    paths: tuple[tuple[str, ...], ...]  # each a chain of variables from source to target


def _edges(pt: pd.DataFrame, group: int = 1) -> dict[str, list[str]]:
    rows = pt[(pt["op"] == "~") & (pt["group"] == group)]
    out: dict[str, list[str]] = {}
    for lhs, rhs in zip(rows["lhs"], rows["rhs"], strict=True):
        out.setdefault(rhs, []).append(lhs)  # rhs -> lhs
    return out


def _all_paths(edges: dict[str, list[str]], start: str) -> list[tuple[str, ...]]:
    paths = []

    def walk(node, chain):
        for nxt in edges.get(node, []):
            if nxt in chain:
                raise EstimationError(
                    f"the structural model has a feedback loop ({' -> '.join(chain + (nxt,))}); "
                    "indirect effects are defined for recursive models only"
                )
            new = chain + (nxt,)
            paths.append(new)
            walk(nxt, new)

    walk(start, (start,))
    return paths


def effect_definitions(pt: pd.DataFrame, group: int = 1) -> list[Effect]:
    """All indirect effects of the model (and the direct/total effects of the same pairs).

    Example:
        >>> from loyaltysem.semcore.model.partable import build_partable
        >>> pt = build_partable("m =~ a1 + a2 + a3\\ny =~ b1 + b2 + b3\\nx =~ c1 + c2 + c3\\n"
        ...                     "m ~ x\\ny ~ m + x")
        >>> [e.name for e in effect_definitions(pt)]
        ['x -> m -> y', 'x -> y (direct)', 'x => y (total)']
    """
    edges = _edges(pt, group)
    sources = list(dict.fromkeys(list(edges)))
    out: list[Effect] = []
    for x in sources:
        by_target: dict[str, list[tuple[str, ...]]] = {}
        for path in _all_paths(edges, x):
            by_target.setdefault(path[-1], []).append(path)
        for y, paths in by_target.items():
            indirect = [p for p in paths if len(p) > 2]
            if not indirect:
                continue
            for p in indirect:
                out.append(Effect(" -> ".join(p), "indirect", x, y, (p,)))
            if len(indirect) > 1:
                out.append(
                    Effect(f"{x} => {y} (total indirect)", "total indirect", x, y, tuple(indirect))
                )
            direct = [p for p in paths if len(p) == 2]
            if direct:  # without a direct path the total effect is the total indirect one
                out.append(Effect(f"{x} -> {y} (direct)", "direct", x, y, tuple(direct)))
                out.append(Effect(f"{x} => {y} (total)", "total", x, y, tuple(paths)))
    return out


def _coefficients(pt, values: np.ndarray, group: int) -> dict[tuple[str, str], float]:
    """(from, to) -> coefficient of every regression in the group. ``pt`` is the parameter
    table or its column arrays (``standardized.table_arrays``)."""
    op, grp = np.asarray(pt["op"]), np.asarray(pt["group"])
    lhs, rhs = np.asarray(pt["lhs"]), np.asarray(pt["rhs"])
    idx = np.where((op == "~") & (grp == group))[0]
    return {(rhs[k], lhs[k]): values[k] for k in idx}


def effect_values(pt, values: np.ndarray, defs: list[Effect], group: int = 1) -> np.ndarray:
    """Size of every effect given the value of every parameter-table row."""
    coef = _coefficients(pt, values, group)
    out = np.empty(len(defs))
    for k, e in enumerate(defs):
        total = 0.0
        for path in e.paths:
            prod = 1.0
            for a, b in zip(path, path[1:], strict=False):
                prod *= coef[(a, b)]
            total += prod
        out[k] = total
    return out


def effect_jacobian(
    pt, values: np.ndarray, defs: list[Effect], npar: int, group: int = 1
) -> np.ndarray:
    """d effect / d theta by the product rule (each path coefficient is one free parameter or
    a fixed value); exact, unlike a numerical Jacobian, and cheap."""
    op, grp = np.asarray(pt["op"]), np.asarray(pt["group"])
    lhs, rhs, free = np.asarray(pt["lhs"]), np.asarray(pt["rhs"]), np.asarray(pt["free"])
    index = {}
    for k in np.where((op == "~") & (grp == group))[0]:
        index[(rhs[k], lhs[k])] = (values[k], free[k] - 1)
    J = np.zeros((len(defs), npar))
    for e, d in enumerate(defs):
        for path in d.paths:
            edges = list(zip(path, path[1:], strict=False))
            coefs = [index[edge][0] for edge in edges]
            for j, edge in enumerate(edges):
                theta_idx = index[edge][1]
                if theta_idx >= 0:
                    J[e, theta_idx] += np.prod(coefs[:j] + coefs[j + 1 :])
    return J


def effects(result, group: int = 1, level: float = 0.95) -> pd.DataFrame:
    """Effects table: effect, kind, from, to, est, se, z, pvalue, ci.lower, ci.upper, std.all.

    SEs by the delta method (lavaan's ``:=``); use
    :func:`loyaltysem.semcore.resample.bootstrap.bootstrap` for
    bootstrap intervals, which are what reviewers expect for indirect effects.
    """
    cm, theta, vcov = result.model, result.theta, result.vcov
    pt = cm.pt
    defs = effect_definitions(pt, group)
    if not defs:
        return pd.DataFrame(
            columns=[
                "effect",
                "kind",
                "from",
                "to",
                "est",
                "se",
                "z",
                "pvalue",
                "ci.lower",
                "ci.upper",
                "std.all",
            ]
        )

    arr = stdz.table_arrays(cm)
    vals = stdz.all_values(cm, theta)
    est = effect_values(arr, vals, defs, group)
    se = stdz.delta_se(effect_jacobian(arr, vals, defs, cm.npar, group), vcov)
    std = effect_values(arr, stdz.standardize(cm, theta, "std.all"), defs, group)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    crit = _dist.norm_ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "effect": [e.name for e in defs],
            "kind": [e.kind for e in defs],
            "from": [e.source for e in defs],
            "to": [e.target for e in defs],
            "est": est,
            "se": se,
            "z": z,
            "pvalue": 2 * _dist.norm_sf(np.abs(z)),
            "ci.lower": est - crit * se,
            "ci.upper": est + crit * se,
            "std.all": std,
        }
    )
