"""Second-order constructs in the CB-SEM chapter: the second-order loadings with CR, AVE and
ω of each second-order construct (after the first-order convergent-validity table), and the
second-order measurement model against the first-order model with correlated factors (Δχ²
and Marsh & Hocevar's target coefficient). The numbers are the measurement stage's
(:mod:`loyaltysem.pipeline.higher_order`), the verdicts judgment's, stored on
``res.measurement.verdicts``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.judgment.measurement import VerdictSet
from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.i18n import col
from loyaltysem.report.tables.compare import (
    comparison_rows,
    delta_text,
    difference_test_name,
    fit_warnings,
    scaled_note,
)
from loyaltysem.report.tables.measurement import _failed_note, _mark, _sem_n_text


def _components(res) -> dict[str, list[str]]:
    return res.instrument.construct_components if res.method == "cb" else {}


def _loadings(res, c: str, comps: list[str]) -> pd.DataFrame:
    est = res.measurement.cfa.estimates
    lo = est[(est["op"] == "=~") & (est["lhs"] == c) & est["rhs"].isin(comps)]
    return lo.set_index("rhs").reindex(comps)


def second_order(res, ctx: Ctx) -> Table | None:
    """γ (unstandardized, SE, z, p) and the standardized second-order loadings of every
    second-order construct, with its CR, AVE (from the standardized loadings) and ω
    (compRelSEM's ``higher =``), marked and worded by the stored verdicts."""
    comps = _components(res)
    if not comps or res.measurement.higher_validity is None:
        return None
    lang, vs, val = ctx.lang, res.measurement.verdicts, res.measurement.higher_validity
    kind = "loading2.strict" if ctx.strict else "loading2"
    cut = 0.70 if ctx.strict else 0.60
    rows, raw = [], []
    for c, parts in comps.items():
        lo = _loadings(res, c, parts)
        v = val.loc[c]
        cr_bad, ave_bad = vs.outcome(f"cr2:{c}") == "not_met", vs.outcome(f"ave2:{c}") == "not_met"
        for k, (dim, r) in enumerate(lo.iterrows()):
            fixed = not (r["se"] > 0)
            first = k == 0
            rows.append({
                ctx.t("ho.col.second"): ctx.label(c) if first else "",
                ctx.t("ho.col.first"): ctx.label(dim),
                col("estimate", lang): ctx.n(r["est"], 3),
                col("se", lang): "" if fixed else ctx.n(r["se"], 3),
                col("z", lang): "" if fixed else ctx.n(r["z"], 2),
                col("p", lang): "" if fixed else ctx.p(r["pvalue"]),
                col("loading", lang): _mark(ctx.b(r["std.all"]),
                                            vs.outcome(f"{kind}:{dim}") == "not_met"),
                col("cr", lang): _mark(ctx.b(v["cr"]), cr_bad) if first else "",
                col("ave", lang): _mark(ctx.b(v["ave"]), ave_bad) if first else "",
                ctx.t("ho.col.omega"): ctx.b(v["omega"]) if first else "",
            })  # fmt: skip
            raw.append({"construct": c, "component": dim, "est": r["est"], "se": r["se"],
                        "z": r["z"], "pvalue": r["pvalue"], "std.all": r["std.all"],
                        "cr": v["cr"], "ave": v["ave"], "omega": v["omega"]})  # fmt: skip
    text, failed = _loadings_text(res, ctx, comps, kind, cut)
    note = ctx.t("ho.note.loadings", cut=ctx.b(cut, 2))
    if res.options.ordered:
        note += " " + ctx.t("ho.note.ordered")
    if failed:
        note += " " + _failed_note(ctx, ctx.t("crit.convergent", cut=ctx.b(cut, 2)),
                                   "[[hair2019]][[fornell1981]]")  # fmt: skip
    return Table(
        "second_order", ctx.t("ho.title.loadings"), pd.DataFrame(rows), note, pd.DataFrame(raw),
        text=text, n=res.measurement.cfa.n, n_text=_sem_n_text(res, ctx), failed=failed,
        marks=bool(failed),
    )  # fmt: skip


def _loadings_text(res, ctx: Ctx, comps: dict, kind: str, cut: float) -> tuple[str, list]:
    vs, val = res.measurement.verdicts, res.measurement.higher_validity
    text, failed = "", []
    for c, parts in comps.items():
        lo = _loadings(res, c, parts)
        free = lo[lo["se"] > 0]
        ns = [ctx.label(d) for d, r in free.iterrows() if not r["pvalue"] < 0.05]
        pmax = float(free["pvalue"].max()) if len(free) else float("nan")
        p = ctx.p_eq(pmax) if pmax < 0.001 else f"p ≤ {ctx.p(pmax)}"
        sig = ctx.t("ho.para.sig", p=p) if not ns else ctx.t("ho.para.ns", which=ctx.join(ns))
        v = val.loc[c]
        text += ctx.t("ho.para.loadings", c=ctx.label(c),
                      lo=ctx.b(lo["std.all"].min()), hi=ctx.b(lo["std.all"].max()), sig=sig,
                      cr=ctx.b(v["cr"]), ave=ctx.b(v["ave"]), omega=ctx.b(v["omega"]))  # fmt: skip
    weak = [ctx.label(VerdictSet.name(v.subject)) + ctx.paren(ctx.b(v.values["value"]))
            for v in vs.failed(kind)]  # fmt: skip
    bad_cr, bad_ave = ([ctx.label(VerdictSet.name(v.subject)) + ctx.paren(ctx.b(v.values["value"]))
                        for v in vs.failed(k)] for k in ("cr2", "ave2"))  # fmt: skip
    for key, which in (("weak", weak), ("cr", bad_cr), ("ave", bad_ave)):
        if which:
            text += ctx.t(f"ho.para.{key}", which=ctx.join(which), cut=ctx.b(cut, 2))
            failed.append(ctx.t(f"ho.fail.{key}", which=ctx.join(which), cut=ctx.b(cut, 2)))
    if not failed:
        text += ctx.t("ho.para.ok")
    return text, failed


def second_order_fit(res, ctx: Ctx) -> Table | None:
    """The first-order model (correlated factors) against the second-order model: χ², df,
    χ²/df, CFI, TLI, RMSEA, SRMR, AIC, BIC, the Δχ² test and the target coefficient T, with
    judgment's verdict on the second-order structure."""
    cmp = res.measurement.hierarchy if res.method == "cb" else None
    v = res.measurement.verdicts.get("second_order:measurement") if cmp is not None else None
    if v is None:
        return None
    names = {"first_order": ctx.t("ho.first_model"), "second_order": ctx.t("ho.second_model")}
    data, raw = comparison_rows(ctx, cmp, names)
    vals = v.values
    raw["t"] = [np.nan if m == "first_order" else vals["t"] for m in raw["model"]]
    data["T"] = ["" if m == "first_order" else ctx.b(vals["t"]) for m in raw["model"]]
    method = cmp.tests["method"].iloc[0] if len(cmp.tests) else None
    tmin = ctx.b(vals["t_min"], 2)
    note = ctx.t("ho.note.fit", test=difference_test_name(ctx, method), tmin=tmin)
    if cmp.fits["second_order"].options.scaled:
        note += scaled_note(ctx, cmp) + " " + ctx.t("ho.note.t_standard")
    fm2 = cmp.fits["second_order"].fit_measures
    hocs = ctx.join([ctx.label(c) for c in _components(res)])
    text = ctx.t(
        "ho.para.fit.unscaled" if cmp.fits["second_order"].options.scaled else "ho.para.fit",
        hocs=hocs,
        t=ctx.b(vals["t"]),
        chisq1=ctx.n(cmp.fits["first_order"].fit_measures["chisq"], 3),
        chisq2=ctx.n(fm2["chisq"], 3),
    )
    test = (delta_text(ctx, vals["chisq.diff"], vals["df.diff"], vals["pvalue"])
            if v.outcome != "equivalent" else "")  # fmt: skip
    text += ctx.t(f"ho.para.{v.outcome}", test=test, tmin=ctx.b(vals["t_min"], 2))
    for caveat in v.caveats:
        text += ctx.t(f"ho.para.{caveat}", test=test)
    if v.outcome == "accepted" and not v.caveats:
        text += ctx.t("ho.para.chisq_ok", test=test)
    failed = [ctx.t("ho.fail.t", t=ctx.b(vals["t"]), tmin=ctx.b(vals["t_min"], 2))
              ] if v.outcome == "not_accepted" else []  # fmt: skip
    summary = ctx.t(f"ho.sum.{v.outcome}", hocs=hocs, t=ctx.b(vals["t"]))
    return Table(
        "second_order_fit", ctx.t("ho.title.fit"), data, note, raw, text=text, n=cmp.n,
        n_text=_sem_n_text(res, ctx) if cmp.n == res.measurement.cfa.n else "",
        warnings=fit_warnings(cmp), failed=failed, marks=False, summary=summary,
    )  # fmt: skip
