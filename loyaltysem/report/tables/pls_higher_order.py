"""The PLS-SEM chapter's table of the higher-order constructs (two-stage approach): each
higher-order construct with the scores of its lower-order constructs as indicators, assessed
as Sarstedt, Hair, Cheah, Becker & Ringle (2019) lay it out: reflective-reflective (mode A)
by its outer loadings, rhoA, rhoC and AVE; reflective-formative (mode B) by its outer weights
with bootstrap tests and the indicators' VIF. Numbers from the stage-2 estimates of
:class:`loyaltysem.pls.PLSResult` (``res.pls.fit``); None without higher-order constructs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.i18n import col
from loyaltysem.report.tables.measurement import _mark
from loyaltysem.report.tables.pls import (
    LOADING_CUT,
    _boot_note,
    _ci,
    _fit_warnings,
    _get,
    _n_text,
    _pls,
    _rows,
    boot_warnings,
)


def _hoc_rows(p, h: str, ctx: Ctx, cut: float) -> tuple[list, list, list]:
    """Display rows, raw rows and the criteria one higher-order construct misses."""
    lang, mode = ctx.lang, p.model.modes[h]
    kind = "loading" if mode == "A" else "weight"
    boot = _rows(p.estimates, kind).set_index(["lhs", "rhs"])
    rel = p.reliability.loc[h]
    vif = p.vif_items.get(h, pd.Series(dtype=float))
    bad_rel = {k: bool(np.isfinite(rel[k]) and not 0.70 <= rel[k] <= 0.95)
               for k in ("alpha", "rhoA", "rhoC")} if mode == "A" else {}  # fmt: skip
    if mode == "A":
        bad_rel["AVE"] = bool(rel["AVE"] < 0.50)
    rows, raw, missed = [], [], []
    for j, d in enumerate(p.model.constructs[h]):
        r = boot.loc[(h, d)] if (h, d) in boot.index else pd.Series(dtype=float)
        lo, w, v = float(p.loadings.loc[d, h]), float(p.weights.loc[d, h]), float(vif.get(d))
        pval = _get(r, "pvalue")
        weak = mode == "A" and lo < LOADING_CUT
        high = mode == "B" and v >= cut
        drop = mode == "B" and np.isfinite(pval) and pval >= 0.05 and lo < 0.50
        if weak or high or drop:
            missed.append(f"{ctx.label(h)} — {ctx.label(d)}")
        first = j == 0
        rows.append({
            col("construct", lang): ctx.label(h) if first else "",
            col("lower_order", lang): ctx.label(d),
            col("outer_loading", lang): _mark(ctx.b(lo), weak or drop),
            col("outer_weight", lang): ctx.b(w),
            "t": ctx.n(_get(r, "t"), 2),
            col("p", lang): ctx.p(pval),
            col("ci", lang): _ci(ctx, _get(r, "ci.lower"), _get(r, "ci.upper")),
            "VIF": _mark(ctx.n(v, 2), high),
            **{lab: (_mark(ctx.b(rel[k]), bad_rel[k]) if first else "") if mode == "A" else ""
               for k, lab in (("alpha", "α"), ("rhoA", "ρA"), ("rhoC", "ρC"),
                              ("AVE", col("ave", lang)))},
        })  # fmt: skip
        raw.append({"construct": h, "lower_order": d, "mode": mode, "loading": lo, "weight": w,
                    "tested": kind, "t": _get(r, "t"), "pvalue": pval,
                    "ci.lower": _get(r, "ci.lower"), "ci.upper": _get(r, "ci.upper"), "vif": v,
                    **{k: float(rel[k]) for k in ("alpha", "rhoA", "rhoC", "AVE")}})  # fmt: skip
    missed += [ctx.t(f"pls.fail.{k}", which=ctx.label(h)) for k, b in bad_rel.items() if b]
    return rows, raw, missed


def _sentence(p, h: str, ctx: Ctx) -> str:
    dims = p.model.constructs[h]
    locs = ctx.join([ctx.label(d) for d in dims])
    rel = p.reliability.loc[h]
    if p.model.modes[h] == "A":
        lo = [float(p.loadings.loc[d, h]) for d in dims]
        return ctx.t("pls.hoc.para.A", hoc=ctx.label(h), locs=locs, lo=ctx.b(min(lo)),
                     hi=ctx.b(max(lo)), rho=ctx.b(rel["rhoA"]), rc=ctx.b(rel["rhoC"]),
                     ave=ctx.b(rel["AVE"]))  # fmt: skip
    w = [float(p.weights.loc[d, h]) for d in dims]
    vmax = float(p.vif_items[h].max())
    return ctx.t("pls.hoc.para.B", hoc=ctx.label(h), locs=locs, lo=ctx.b(min(w)),
                 hi=ctx.b(max(w)), vmax=ctx.n(vmax, 2))  # fmt: skip


def higher_order(res, ctx: Ctx) -> Table | None:
    """Higher-order constructs: their lower-order construct scores as indicators (outer
    loadings and weights, bootstrap tests, VIF, alpha, rhoA, rhoC, AVE) and the note naming
    the two-stage variant."""
    p = _pls(res)
    if p is None or not p.model.higher_order or not p.higher_order:
        return None
    cut = 3.0 if ctx.strict else 5.0
    rows, raw, missed = [], [], []
    for h in p.model.higher_order:
        r, w, m = _hoc_rows(p, h, ctx, cut)
        rows += r
        raw += w
        missed += m
    text = ctx.t("pls.hoc.para") + "".join(_sentence(p, h, ctx) for h in p.model.higher_order)
    failed = [ctx.t("pls.hoc.fail", which=ctx.join(missed))] if missed else []
    text += (
        ctx.t("pls.hoc.para.bad", which=ctx.join(missed)) if missed else ctx.t("pls.hoc.para.ok")
    )
    note = (ctx.t("pls.hoc.note", cut=ctx.n(cut, 0)) + " " + _boot_note(res, ctx)
            + (" " + ctx.t("pls.note.failed") if missed else ""))  # fmt: skip
    data = pd.DataFrame(rows)
    rel_cols = ["α", "ρA", "ρC", col("ave", ctx.lang)]
    data = data.drop(columns=[c for c in rel_cols if (data[c] == "").all()])
    return Table(
        "pls_higher_order", ctx.t("title.pls_higher_order"), data, note,
        pd.DataFrame(raw), text=text, n=p.n, n_text=_n_text(res, ctx), failed=failed,
        marks=bool(missed),
        warnings=[*boot_warnings(res), *_fit_warnings(p, ("pls.hoc_no_predict",))],
    )  # fmt: skip
