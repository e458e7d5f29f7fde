"""Tables of the multi-group analysis: measurement invariance step by step and each
structural path compared across groups. Every decision is judgment's
(:mod:`loyaltysem.judgment.invariance`, :mod:`loyaltysem.judgment.groups`), stored on
``res.groups.verdicts`` by the pipeline; every table states the group sizes."""

from __future__ import annotations

import pandas as pd

from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.format import stars
from loyaltysem.report.i18n import col, title
from loyaltysem.report.notes import listwise_notice, statement
from loyaltysem.report.tables.measurement import _mark


def _value_label(res, g, lang: str) -> str:
    from loyaltysem.report.tables.scores import _value_label as label

    return label(res.instrument, res.groups.group, g, lang)


def _as_value(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def group_sizes(res, ctx: Ctx) -> str:
    """ "Female n = 180, Male n = 186" in the order of the groups."""
    inv = res.groups.invariance
    parts = [ctx.t("judge.groups_n", label=_value_label(res, g, ctx.lang), n=n)
             for g, n in zip(inv.group_labels, inv.group_n, strict=True)]  # fmt: skip
    return ctx.t("list_sep").join(parts)


def _n_text(res, ctx: Ctx) -> str:
    """N with the group sizes and the respondents listwise deletion left out."""
    groups = group_sizes(res, ctx)
    fits = list(res.groups.invariance.steps.values())
    lost = listwise_notice(fits[0]) if fits else None
    if lost is not None:
        groups += ("；" if ctx.lang == "zh" else "; ") + statement(lost, ctx.lang)
    return ctx.t("judge.n_groups", n=res.groups.n, groups=groups)


def _test_name(ctx: Ctx, inv) -> str:
    fit = next(iter(inv.steps.values()))
    method = fit.options.lrt_method
    key = {"satorra.bentler.2001": "scaled", "satorra.2000": "shifted"}.get(method, "standard")
    return ctx.t(f"judge.inv.test.{key}")


def _step_name(ctx: Ctx, name: str, ordered: bool) -> str:
    return ctx.t(f"step.{name}.ordered" if ordered and name == "scalar" else f"step.{name}")


def _decision(ctx: Ctx, v) -> str:
    if v.outcome != "accepted":
        return ctx.t("judge.inv.rejected")
    return ctx.t("judge.inv.accepted" + (".chisq" if "chisq_rejects" in v.caveats else ""))


def _tests(ctx: Ctx, vs: list) -> str:
    return ctx.join([f"Δχ²({ctx.n(v.values['df.diff'], 0)}) = {ctx.n(v.values['chisq.diff'], 3)}"
                     f", {ctx.p_eq(v.values['pvalue'])}" for v in vs])  # fmt: skip


def _invariance_text(res, ctx: Ctx, verdicts: dict, ordered: bool) -> tuple[str, list]:
    inv, lang = res.groups.invariance, ctx.lang
    groups = ctx.join([_value_label(res, g, lang) for g in inv.group_labels])
    group = ctx.instrument.label(res.groups.group, lang)
    failed = [k for k, v in verdicts.items() if v.outcome != "accepted"]
    held = []
    for k, v in verdicts.items():
        if v.outcome != "accepted":
            break
        held.append(k)
    names = {k: ctx.t(f"judge.inv.name.{k}") for k in verdicts}
    if not failed:
        text = ctx.t("judge.para.invariance.ok", group=group, groups=groups,
                     last=names[held[-1]] if held else "")  # fmt: skip
    elif held:
        text = ctx.t("judge.para.invariance.bad", group=group, groups=groups,
                     last=names[held[-1]], which=ctx.join([names[k] for k in failed]))  # fmt: skip
    else:
        text = ctx.t("judge.para.invariance.none", group=group, groups=groups,
                     which=ctx.join([names[k] for k in failed]))  # fmt: skip
    rej = [v for v in verdicts.values() if "chisq_rejects" in v.caveats]
    if rej:
        key = "judge.para.invariance.chisq" + ("1" if len(rej) == 1 else "")
        which = ctx.join([names[v.subject] for v in rej])
        text += ctx.t(key, which=which, tests=_tests(ctx, rej))
    acc = [v for v in verdicts.values() if "chisq_accepts" in v.caveats]
    if acc:
        text += ctx.t(
            "judge.para.invariance.chisq_accepts",
            which=ctx.join([names[v.subject] for v in acc]),
            tests=_tests(ctx, acc),
        )
    return text, [names[k] for k in failed]


def invariance(res, ctx: Ctx) -> Table | None:
    """Each invariance step's fit, Δχ² with its p, ΔCFI and ΔRMSEA, and judgment's
    decision; the rule, the test and the group sizes in the note."""
    inv = res.groups.invariance if res.groups else None
    if inv is None:
        return None
    lang = ctx.lang
    verdicts = res.groups.verdicts.get("invariance", {})
    keys = getattr(inv, "index_keys", {"cfi": "cfi", "rmsea": "rmsea"})
    suffix = {k: ctx.t("fit." + v.split(".")[1]) if "." in v else "" for k, v in keys.items()}
    ordered = bool(res.options.ordered)
    rows = []
    for name, fit in inv.steps.items():
        fm, v = fit.fit_measures, verdicts.get(name)
        vals = v.values if v is not None else {}
        rows.append({
            col("step", lang): _step_name(ctx, name, ordered),
            col("chisq", lang): ctx.n(fm.get("chisq.scaled", fm["chisq"]), 3),
            col("df", lang): ctx.n(fm["df"], 0),
            "CFI" + suffix["cfi"]: ctx.b(fm.get(keys["cfi"])),
            "RMSEA" + suffix["rmsea"]: ctx.b(fm.get(keys["rmsea"])),
            "SRMR": ctx.b(fm.get("srmr")),
            col("delta_chisq", lang): "" if v is None else ctx.n(vals["chisq.diff"], 3),
            col("delta_df", lang): "" if v is None else ctx.n(vals["df.diff"], 0),
            col("p", lang): "" if v is None else ctx.p(vals["pvalue"]),
            col("delta_cfi", lang): "" if v is None else _mark(ctx.b(vals["cfi.diff"]),
                                                               vals["cfi.diff"] < -0.010),
            col("delta_rmsea", lang): "" if v is None else _mark(ctx.b(vals["rmsea.diff"]),
                                                                 vals["rmsea.diff"] > 0.015),
            col("decision", lang): "" if v is None else _decision(ctx, v),
        })  # fmt: skip
    text, failed = _invariance_text(res, ctx, verdicts, ordered)
    note = ctx.t("judge.note.invariance", test=_test_name(ctx, inv))
    small = [v for v in verdicts.values() if "small_groups" in v.caveats]
    if small:
        fails = [ctx.t(f"judge.inv.name.{v.subject}") for v in small
                 if v.outcome == "accepted" and not v.values["strict_accepted"]]  # fmt: skip
        which = (ctx.t("judge.inv.small.fails", which=ctx.join(fails)) if fails
                 else ctx.t("judge.inv.small.all"))  # fmt: skip
        note += ctx.t("judge.note.invariance.small", which=which)
    if ordered:
        note += " " + ctx.t("note.invariance.ordered")
    raw = inv.fit_table.join(inv.comparisons.set_index("to"), how="left", rsuffix=".diff")
    raw["decision"] = [verdicts[k].outcome if k in verdicts else None for k in raw.index]
    raw["caveats"] = [";".join(verdicts[k].caveats) if k in verdicts else "" for k in raw.index]
    for g, n in zip(inv.group_labels, inv.group_n, strict=True):
        raw[f"n.{g}"] = n
    return Table(
        "invariance", title("invariance", lang), pd.DataFrame(rows), note, raw, text=text,
        n=res.groups.n, n_text=_n_text(res, ctx),
        warnings=sorted({w for r in inv.steps.values() for w in r.warnings}),
        failed=[ctx.t("fail.invariance", which=ctx.join(failed))] if failed else [],
        marks=bool(failed),
    )  # fmt: skip


def _path_name(ctx: Ctx, rhs: str, lhs: str) -> str:
    return f"{ctx.label(rhs)} → {ctx.label(lhs)}"


def _p_holm(ctx: Ctx, p: float) -> str:
    label, value = ctx.t("judge.col.p_holm"), ctx.p(p)
    return f"{label} {value}" if value.startswith("<") else f"{label} = {value}"


def _group_paths_text(res, ctx: Ctx, gp, verdicts: dict, has_cr: bool) -> str:
    group = ctx.instrument.label(res.groups.group, ctx.lang)
    keyed = [(r, verdicts[(r["lhs"], r["rhs"])]) for _, r in gp.iterrows()]
    differ = [_path_name(ctx, r["rhs"], r["lhs"]) for r, v in keyed if v.outcome == "different"]
    key = "diff1" if len(differ) == 1 else "diff" if differ else "same"
    text = ctx.t(f"judge.para.group_paths.{key}", k=len(gp), group=group,
                 which=ctx.join(differ))  # fmt: skip
    sep = "，" if ctx.lang == "zh" else ", "
    unc = [_path_name(ctx, r["rhs"], r["lhs"])
           + ctx.paren(ctx.p_eq(r["pvalue"]) + sep + _p_holm(ctx, r["p.adjusted"]))
           for r, v in keyed if "uncorrected_only" in v.caveats]  # fmt: skip
    if unc:
        text += ctx.t("judge.para.group_paths.uncorrected", which=ctx.join(unc))
    if has_cr:
        cr = [(r, _path_name(ctx, r["rhs"], r["lhs"])
               + ctx.paren("C.R. = " + ctx.n(r["cr.diff"], 2))) for r, _ in keyed]  # fmt: skip
        sig = [name for r, name in cr if r["cr.p.adjusted"] < 0.05]
        big = [name for r, name in cr if abs(r["cr.diff"]) > 1.96 and r["cr.p.adjusted"] >= 0.05]
        if sig:
            text += ctx.t("judge.para.group_paths.cr", which=ctx.join(sig))
        if big:
            text += ctx.t("judge.para.group_paths.cr_uncorrected", which=ctx.join(big))
        if not sig and not big:
            text += ctx.t("judge.para.group_paths.cr0")
    return text


def group_paths(res, ctx: Ctx) -> Table | None:
    """Each structural path per group (b with stars, β), the Δχ² test of its equality with
    its p and Holm-adjusted p over the compared paths, with two groups AMOS's critical
    ratio for the difference; a path differs only when judgment says so (adjusted p <
    .05). Group sizes in the note and the N line."""
    if res.structural is None:  # a model with no structural paths yet
        return None
    gp = res.groups.paths if res.groups else None
    if gp is None or not len(gp):
        return None
    lang = ctx.lang
    verdicts = res.groups.verdicts.get("paths", {})
    labels = [c[len("std.all.") :] for c in gp.columns if c.startswith("std.all.")]
    shown = {g: _value_label(res, _as_value(g), lang) for g in labels}
    has_cr = "cr.diff" in gp.columns
    rows = []
    for _, r in gp.iterrows():
        v = verdicts[(r["lhs"], r["rhs"])]
        row = {col("path", lang): _path_name(ctx, r["rhs"], r["lhs"])}
        for g in labels:
            row[ctx.t("col.group_b", g=shown[g])] = ctx.n(r[f"est.{g}"], 3) + stars(
                r[f"pvalue.{g}"]
            )
            row[ctx.t("col.group_beta", g=shown[g])] = ctx.b(r[f"std.all.{g}"])
        row[col("delta_chisq", lang)] = ctx.n(r["chisq.diff"], 3)
        row[col("delta_df", lang)] = ctx.n(r["df.diff"], 0)
        row[col("p", lang)] = ctx.p(r["pvalue"])
        row[ctx.t("judge.col.p_holm")] = ctx.p(r["p.adjusted"])
        if has_cr:
            row[col("cr_diff", lang)] = ctx.n(r["cr.diff"], 2)
        word = ("judge.row.differs" if v.outcome == "different" else
                "judge.row.equal.uncorrected" if v.caveats else "judge.row.equal")  # fmt: skip
        row[col("decision", lang)] = ctx.t(word)
        rows.append(row)
    text = _group_paths_text(res, ctx, gp, verdicts, has_cr)
    order = ctx.t("list_sep").join(shown[g] for g in labels)
    note = ctx.t("judge.note.group_paths", k=len(gp))
    note += " " + ctx.t("stars")
    if has_cr:
        note += " " + ctx.t("judge.note.group_paths.cr", a=shown[labels[0]], b=shown[labels[1]])
    raw = gp.assign(decision=[verdicts[(a, b)].outcome for a, b in zip(gp["lhs"], gp["rhs"],
                                                                        strict=True)])  # fmt: skip
    k = sum(v.outcome == "different" for v in verdicts.values())
    return Table(
        "group_paths", title("group_paths", lang), pd.DataFrame(rows), note, raw, text=text,
        n=res.groups.n, n_text=_n_text(res, ctx),
        summary=ctx.tc("judge.sum.group_paths", k, None, k=k, total=len(gp),
                      group=ctx.instrument.label(res.groups.group, lang), order=order),
    )  # fmt: skip
