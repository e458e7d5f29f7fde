"""Indirect effects of a PROCESS result: per path (conditional on the moderators of its
links), the total and pairwise contrasts of unmoderated paths, the index of moderated
mediation, and the standardized indirect effects, each with bootstrap SE and limits.
Formulas: :mod:`loyaltysem.analyses.process.effects`; intervals: :mod:`.boot`."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from loyaltysem.analyses.process import boot as bootmod
from loyaltysem.analyses.process.effects import Path, draw_sd, grid, index_plan, path_value


def draw_label(kind: str, path: str, w: dict | None = None, moderator: str | None = None) -> str:
    """The column of ``ProcessResult.draws`` holding one effect's bootstrap draws, e.g.
    ``"indirect: X -> M -> Y | W=3.625"``."""
    at = ", ".join(f"{k}={v:g}" for k, v in (w or {}).items())
    if moderator:
        at = f"by {moderator}"
    return f"{kind}: {path}" + (f" | {at}" if at else "")


def _stats(
    est: float, draws, conf: float, ci: str, store: dict | None = None, label: str = ""
) -> dict:
    if draws is None:
        return {"boot.se": None, "boot.llci": None, "boot.ulci": None}
    if store is not None:
        store[label] = draws
    se, lo, hi = bootmod.intervals(draws[:, None], np.array([est]), conf, ci)
    return {"boot.se": float(se[0]), "boot.llci": float(lo[0]), "boot.ulci": float(hi[0])}


def _value(fn, point, draws):
    return float(fn(point)), (None if draws is None else fn(draws))


def indirect_effects(
    res, prep, path_list: list[Path], terms, point, draws, G, keys, probes, kinds
) -> None:
    """Fill ``res.indirect``, ``res.index_moderated_mediation`` and
    ``res.standardized_indirect``."""
    conf, ci = res.conf, res.ci
    store: dict[str, np.ndarray] = {}
    unmoderated: list[tuple[str, float, np.ndarray | None]] = []
    for path in path_list:
        for pt in grid(path.letters, probes):
            est, dr = _value(
                lambda c, pt=pt, path=path: path_value(c, terms, path, pt.codes), point, draws
            )
            if not path.letters:
                unmoderated.append((path.label, est, dr))
            lab = draw_label("indirect", path.label, pt.shown)
            res.indirect.append(
                {
                    "path": path.label,
                    "w": dict(pt.shown),
                    "effect": est,
                    **_stats(est, dr, conf, ci, store, lab),
                }
            )
        for code, fn in index_plan(path, probes, kinds.get("W", "continuous")):
            est, dr = _value(lambda c, fn=fn: fn(c, terms), point, draws)
            lab = draw_label("index", path.label, moderator=code or prep.w)
            res.index_moderated_mediation.append(
                {
                    "path": path.label,
                    "moderator": code or prep.w,
                    "index": est,
                    **_stats(est, dr, conf, ci, store, lab),
                }
            )
    if path_list and not any(p.letters for p in path_list):
        rows = unmoderated
        if len(prep.codes.x) == 1 and len(rows) > 1:
            total, *contrasts = _total_and_contrasts(rows)
            rows = [total, *rows, *contrasts]
            res.indirect = [
                {
                    "path": p,
                    "w": {},
                    "effect": e,
                    **_stats(e, d, conf, ci, store, draw_label("indirect", p)),
                }
                for p, e, d in rows
            ]
        res.standardized_indirect = _standardized(prep, rows, G, keys, conf, ci, store)
    if draws is not None:
        import pandas as pd

        res.draws = pd.DataFrame(store)


def _total_and_contrasts(rows):
    """The total of the paths, then every pairwise difference (PROCESS's order: C1 = Ind1 -
    Ind2, C2 = Ind1 - Ind3, ...)."""
    total_d = None if rows[0][2] is None else sum(r[2] for r in rows)
    out = [("total", sum(r[1] for r in rows), total_d)]
    for (pa, ea, da), (pb, eb, db) in combinations(rows, 2):
        out.append((f"({pa}) - ({pb})", ea - eb, None if da is None else da - db))
    return out


def _standardized(prep, rows, G, keys, conf, ci, store) -> list[dict]:
    """Completely standardized (continuous X) or partially standardized (dichotomous or
    multicategorical X) indirect effects, standardized within each draw."""
    y_sd = float(prep.raw[prep.y].std(ddof=1))
    partial = prep.x in prep.levels or prep.dichotomous(prep.x)
    scale = 1.0 / y_sd if partial else float(prep.raw[prep.x].std(ddof=1)) / y_sd
    boot_scale = None
    if G is not None:
        boot_scale = 1.0 / draw_sd(G, keys.index((prep.y,)))
        if not partial:
            boot_scale = boot_scale * draw_sd(G, keys.index((prep.x,)))
    out = []
    for path, est, dr in rows:
        e = est * scale
        d = None if dr is None else dr * boot_scale
        kind = "partial" if partial else "complete"
        out.append(
            {
                "path": path,
                "standardization": kind,
                "effect": e,
                **_stats(e, d, conf, ci, store, draw_label(f"standardized ({kind})", path)),
            }
        )
    return out
