"""Mediation decomposition (中介效应分解) from a fitted SEM and its bootstrap.

For every predictor -> outcome pair with at least one indirect path through the structural
model: the direct effect c', each specific indirect effect (product of its path
coefficients), the total indirect effect (their sum), the total effect c = c' + total
indirect (Alwin & Hauser 1975; Bollen 1987), the share of each in the total effect and the
proportion mediated (total indirect / total; 效应占比), each with a bootstrap confidence
interval of the type asked for (bias-corrected percentile by default; Efron & Tibshirani
1993; Preacher & Hayes 2008). The effects and their draws come from
:mod:`loyaltysem.semcore.inference.effects` and
:mod:`loyaltysem.semcore.resample.bootstrap`; the proportion's interval is computed on the
per-draw ratios.

The type of each mediation (full, partial, competitive, ...) is decided in
:mod:`loyaltysem.judgment.mediation` (Zhao, Lynch & Chen 2010; 温忠麟 & 叶宝娟 2014), from
these numbers; this module computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.semcore.inference.effects import effect_definitions, effects
from loyaltysem.semcore.resample.bootstrap import interval

__all__ = ["CI_TYPES", "MediationResult", "mediation_table"]

#: the interval types (``ci.type`` codes); their words are the report catalogue's
#: ``ci.type.<code>``
CI_TYPES = ("bc", "percentile", "bca", "delta")
_CI_TYPES = ("percentile", "bc", "bca")  # the bootstrap intervals


@dataclass
class MediationResult(ResultMixin):
    """``effects``: the long table, per pair the rows direct, each specific indirect, total
    indirect, total and proportion mediated (columns from, to, effect, kind, est, se (the
    bootstrap SE, or the delta method's without a bootstrap), ci.lower, ci.upper, ci.type
    (the code of ``ci``: bc, percentile, bca or delta), significant, share (of the total
    effect));
    ``pairs``: one row per pair (direct, total indirect, total, proportion mediated with
    their intervals, |indirect/direct| where the model has a direct path);
    ``draws``: per (from, to) the bootstrap draws of direct, each specific indirect, total
    indirect and total effect (one row per successful draw; empty without a bootstrap)."""

    effects: pd.DataFrame
    pairs: pd.DataFrame
    ci: str
    level: float
    n_boot: int | None
    n_failed: int = 0
    scale: str = "est"
    notes: list[str] = field(default_factory=list)  # Notices
    draws: dict = field(default_factory=dict, repr=False)

    _main = "effects"  # class attributes (no annotation): not fields
    _key = ("pairs",)

    def _headline(self) -> str:
        draws = f", {self.n_boot} bootstrap draws" if self.n_boot else ""
        return f"Mediation ({self.ci}{draws}, {100 * self.level:g}% intervals)"

    def _tables(self) -> dict[str, pd.DataFrame]:
        cols = ["from", "to", "indirect.est", "indirect.ci.lower", "indirect.ci.upper",
                "direct.est", "total.est", "proportion.est", "verdict", "type"]  # fmt: skip
        return {"pairs": self.pairs[[c for c in cols if c in self.pairs]]}

    def _warnings(self) -> list:
        return list(self.notes)

    def plot(self, x: str | None = None, y: str | None = None):
        """The bootstrap distribution of the total indirect effect of ``x`` on ``y`` (default:
        the first pair), with its estimate and interval. Returns a matplotlib Figure.

        Example:
            >>> fig = ls.mediation(fit, n_boot=1000).plot("SAT", "LOY")  # doctest: +SKIP
        """
        from loyaltysem.base.plotting import distribution_figure

        if not self.draws:
            raise ValueError("the distribution needs bootstrap draws: mediation(..., n_boot=1000)")
        key = (x, y) if x is not None else next(iter(self.draws))
        if key not in self.draws:
            raise ValueError(f"no mediation of {key[1]} by way of {key[0]} in the model")
        e = self.effects
        row = e[(e["from"] == key[0]) & (e["to"] == key[1]) & (e["kind"] == "total indirect")]
        r = row.iloc[0]
        return distribution_figure(
            self.draws[key]["total indirect"].to_numpy(), float(r["est"]),
            (float(r["ci.lower"]), float(r["ci.upper"])),
            title=f"{key[0]} => {key[1]}: total indirect effect ({self.ci})",
        )  # fmt: skip


def _sig(lo: float, hi: float) -> bool:
    return bool(np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0))


class _Source:
    """Point estimates, draws and intervals of every effect by name."""

    def __init__(self, result, boot, ci: str, scale: str, group: int):
        eff = effects(result, group=group, level=boot.level if boot is not None else 0.95)
        self.est = dict(
            zip(eff["effect"], eff["est" if scale == "est" else "std.all"], strict=True)
        )
        self.boot, self.ci, self.scale = boot, ci, scale
        self.level = boot.level if boot is not None else 0.95
        if boot is None:
            self.delta = eff.set_index("effect")
            return
        t = boot.intervals(ci)
        self.table = t
        rows = np.where((t["op"] == "effect").to_numpy() & (t["scale"] == scale).to_numpy())[0]
        self.col = {t["name"].iloc[j]: j for j in rows}

    def draws(self, name: str) -> np.ndarray | None:
        return None if self.boot is None else self.boot.draws[:, self.col[name]]

    def row(self, name: str) -> dict:
        est = self.est[name]
        if self.boot is None:
            if self.scale != "est":
                return {"est": est, "se": np.nan, "ci.lower": np.nan, "ci.upper": np.nan}
            d = self.delta.loc[name]
            return {"est": est, "se": d["se"], "ci.lower": d["ci.lower"],
                    "ci.upper": d["ci.upper"]}  # fmt: skip
        t, j = self.table, self.col[name]
        return {
            "est": est,
            "se": t["boot.se"].iloc[j],
            "ci.lower": t["ci.lower"].iloc[j],
            "ci.upper": t["ci.upper"].iloc[j],
        }

    def ratio_row(self, num: str, den: str) -> dict:
        est = self.est[num] / self.est[den] if self.est[den] != 0 else np.nan
        if self.boot is None:
            return {"est": est, "se": np.nan, "ci.lower": np.nan, "ci.upper": np.nan}
        with np.errstate(divide="ignore", invalid="ignore"):
            r = self.draws(num) / self.draws(den)
        r = r[np.isfinite(r)]
        kind = "bc" if self.ci == "bca" else self.ci  # no jackknife acceleration for a ratio
        if len(r) and np.all(r == est):  # e.g. no direct path: the proportion is 1 on every draw
            lo, hi = est, est
        elif np.isfinite(est):
            lo, hi = interval(r, est, kind, self.level)
        else:
            lo, hi = np.nan, np.nan
        se = float(np.std(r, ddof=1)) if len(r) > 1 else np.nan
        return {"est": est, "se": se, "ci.lower": lo, "ci.upper": hi}


def _pairs(defs) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for e in defs:
        empty = {"indirect": [], "direct": None, "total indirect": None, "total": None}
        d = out.setdefault((e.source, e.target), empty)
        if e.kind == "indirect":
            d["indirect"].append(e.name)
        else:
            d[e.kind] = e.name
    for d in out.values():
        d["total indirect"] = d["total indirect"] or d["indirect"][0]
        d["total"] = d["total"] or d["total indirect"]
    return out


def _pair_rows(src: _Source, x: str, y: str, d: dict, ci_type: str) -> tuple[list, dict]:
    total = src.est[d["total"]]
    rows = []

    def add(kind: str, label: str, vals: dict, share: float) -> dict:
        row = {"from": x, "to": y, "effect": label, "kind": kind, **vals, "ci.type": ci_type,
               "significant": _sig(vals["ci.lower"], vals["ci.upper"]), "share": share}  # fmt: skip
        rows.append(row)
        return row

    def share(v: float) -> float:
        return v / total if total != 0 else np.nan

    direct = None
    if d["direct"] is not None:
        direct = add("direct", d["direct"], src.row(d["direct"]), share(src.est[d["direct"]]))
    ind = [add("indirect", n, src.row(n), share(src.est[n])) for n in d["indirect"]]
    ti_name = d["total indirect"] if len(ind) > 1 else f"{x} => {y} (total indirect)"
    ti = add(
        "total indirect", ti_name, src.row(d["total indirect"]), share(src.est[d["total indirect"]])
    )
    tot_name = d["total"] if direct is not None else f"{x} => {y} (total)"
    tot = add("total", tot_name, src.row(d["total"]), 1.0)
    prop = add("proportion mediated", f"{x} => {y} (total indirect / total)",
               src.ratio_row(d["total indirect"], d["total"]), np.nan)  # fmt: skip
    prop["significant"] = None  # a share, not an effect: no test against 0
    dsig = None if direct is None else direct["significant"]
    dest = np.nan if direct is None else direct["est"]
    summary = {
        "from": x, "to": y, "n_indirect": len(ind),
        **{f"direct.{k}": (direct or {}).get(k, np.nan) for k in ("est", "ci.lower", "ci.upper")},
        "direct.significant": dsig,
        **{f"indirect.{k}": ti[k] for k in ("est", "ci.lower", "ci.upper", "significant")},
        **{f"total.{k}": tot[k] for k in ("est", "ci.lower", "ci.upper", "significant")},
        **{f"proportion.{k}": prop[k] for k in ("est", "ci.lower", "ci.upper")},
        "ratio_indirect_direct": abs(ti["est"] / dest) if dest and np.isfinite(dest) else np.nan,
        "ci.type": ci_type,
    }  # fmt: skip
    return rows, summary


def _pair_draws(src: _Source, d: dict) -> pd.DataFrame:
    cols = {}
    if d["direct"] is not None:
        cols["direct"] = src.draws(d["direct"])
    for name in d["indirect"]:
        cols[name] = src.draws(name)
    cols["total indirect"] = src.draws(d["total indirect"])
    cols["total"] = src.draws(d["total"])
    return pd.DataFrame(cols)


def mediation_table(
    result, boot=None, *, ci: str = "bc", scale: str = "est", group: int = 1
) -> MediationResult:
    """The mediation decomposition of a fitted SEM (:func:`loyaltysem.semcore.estimation.sem`) with
    intervals from its bootstrap (:func:`loyaltysem.semcore.resample.bootstrap.bootstrap`).

    ``ci``: "bc" (bias-corrected, default), "percentile" or "bca" (needs ``bootstrap(...,
    ci="bca")``); ``scale``: "est" (unstandardized) or "std.all". Without ``boot`` the
    intervals are the delta method's normal ones (unstandardized only; ci.type says so).

    Example:
        >>> fit = sem("models/online_loyalty.toml", survey)            # doctest: +SKIP
        >>> boot = bootstrap(fit, 2000, seed=1)                        # doctest: +SKIP
        >>> med = mediation_table(fit, boot)                           # doctest: +SKIP
        >>> med.pairs[["from", "to", "indirect.est", "total.est"]]   # doctest: +SKIP
    """
    ci = {"perc": "percentile", "bias-corrected": "bc"}.get(ci, ci)
    if ci not in _CI_TYPES:
        raise ValueError(f"ci must be one of {', '.join(_CI_TYPES)}, not '{ci}'")
    if scale not in ("est", "std.all"):
        raise ValueError(f"scale must be 'est' or 'std.all', not '{scale}'")
    if boot is not None and ci == "bca" and boot.accel is None:
        raise ValueError("the bootstrap has no bca intervals (BCa needs bootstrap(..., ci='bca'))")
    notes = []
    src = _Source(result, boot, ci, scale, group)
    ci_key = ci if boot is not None else "delta"
    if ci == "bca" and boot is not None:
        msg = ("the proportion mediated uses the bias-corrected interval (a ratio has no "
                "jackknife acceleration here)")  # fmt: skip
        notes.append(Notice("med.bca_ratio", msg))
    rows, summary, draws = [], [], {}
    for (x, y), d in _pairs(effect_definitions(result.model.pt, group)).items():
        r, s = _pair_rows(src, x, y, d, ci_key)
        rows += r
        summary.append(s)
        if boot is not None:
            draws[(x, y)] = _pair_draws(src, d)
    cols = ["from", "to", "effect", "kind", "est", "se", "ci.lower", "ci.upper", "ci.type",
            "significant", "share"]  # fmt: skip
    return MediationResult(
        effects=pd.DataFrame(rows).reindex(columns=cols),
        pairs=pd.DataFrame(summary),
        ci=ci_key,
        level=src.level,
        n_boot=None if boot is None else boot.n_boot,
        n_failed=0 if boot is None else boot.n_failed,
        scale=scale,
        notes=notes,
        draws=draws,
    )
