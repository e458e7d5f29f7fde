"""Tables of the structural part of the chapter: model fit, paths, R², mediation,
multi-group comparison and the hypothesis summary (same builder signature as tables.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loyaltysem.psychometrics.cutoffs import judge_fit
from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.format import stars
from loyaltysem.report.i18n import col, t, title
from loyaltysem.report.tables.measurement import (
    DAGGER,
    _mark,
    _model_n,
    _model_n_text,
    _sem_n_text,
    main_fit,
)

# (row label key, fit-measure keys tried in order, key judged, bounded?, digits)
_ROWS_ML = [
    ("fit.chisq", ["chisq"], None, False, 3),
    ("fit.df", ["df"], None, False, 0),
    ("fit.chisq/df", ["chisq/df"], "chisq/df", False, 3),
    ("fit.gfi", ["gfi"], "gfi", True, 3),
    ("fit.agfi", ["agfi"], "agfi", True, 3),
    ("fit.nfi", ["nfi"], "nfi", True, 3),
    ("fit.ifi", ["ifi"], "ifi", True, 3),
    ("fit.tli", ["tli"], "tli", True, 3),
    ("fit.cfi", ["cfi"], "cfi", True, 3),
    ("fit.rmsea", ["rmsea"], "rmsea", True, 3),
    ("fit.rmsea.ci", ["rmsea.ci"], None, True, 3),
    ("fit.srmr", ["srmr"], "srmr", True, 3),
]


def fit_rows(options) -> list[tuple]:
    """The fit-table rows for a fit's resolved estimator options: with a scaled test the
    scaled chi-square and the indices the project reports for it (``options.fit_suffix``:
    MLR the robust CFI/TLI/RMSEA, Yuan & Bentler 2000 / lavaan's .robust; WLSMV/ULSMV the
    scaled-shifted chi-square and the .scaled indices, as Mplus reports them); FIML and
    ordered items leave out GFI and AGFI (complete continuous data)."""
    rows = list(_ROWS_ML)
    sfx = options.fit_suffix
    if sfx:
        first = {"tli", "cfi", "rmsea", "rmsea.ci"}

        def keys(index: str) -> list[str]:
            return list(dict.fromkeys([f"{index}{sfx}", f"{index}.scaled"]))

        scaled = {
            "fit.chisq": ["chisq.scaled"],
            "fit.df": ["df.scaled", "df"],
            "fit.chisq/df": ["chisq.scaled/df"],
            "fit.nfi": ["nfi.scaled", "nfi"],
            "fit.ifi": ["ifi.scaled", "ifi"],
        } | {f"fit.{i}": keys(i) for i in first}
        rows = [(k, scaled.get(k, ks), j, b, d) for k, ks, j, b, d in rows]
    if options.fiml or options.categorical:
        rows = [r for r in rows if r[0] not in ("fit.gfi", "fit.agfi")]
    return rows


def _fit_value(fm: dict, key: str):
    if key == "chisq.scaled/df":
        df = fm.get("df.scaled", fm.get("df"))
        return fm["chisq.scaled"] / df if "chisq.scaled" in fm and df else None
    if key.startswith("rmsea.ci"):
        suffix = key[len("rmsea.ci") :]
        lo, hi = fm.get(f"rmsea.ci.lower{suffix}"), fm.get(f"rmsea.ci.upper{suffix}")
        return None if lo is None or hi is None else (lo, hi)
    return fm.get(key)


def _fmt_fit(ctx: Ctx, v, is_bounded: bool, digits: int) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        return ctx.ci(v[0], v[1], bounded=True)
    return ctx.b(v, digits) if is_bounded else ctx.n(v, digits)


def _fit_row(ctx: Ctx, spec, fits: dict, strict: bool):
    label_key, keys, judged, is_b, digits = spec
    lang = ctx.lang
    used = None
    row = {}
    verdicts = {}
    for name, fm in fits.items():
        key = next((k for k in keys if _fit_value(fm, k) is not None), None)
        used = used or key
        v = _fit_value(fm, key) if key else None
        ok = judge_fit(judged, strict)[2](v) if judged and v is not None else None
        verdicts[name] = ok
        row[name] = _mark(_fmt_fit(ctx, v, is_b, digits), ok is False)
    label = ctx.t(label_key)
    if used == "chisq.scaled":
        label = ctx.t("fit.chisq.scaled")
    elif used and used.endswith(".robust") and label_key != "fit.rmsea.ci":
        label += ctx.t("fit.robust")
    elif used and used.endswith(".scaled") and label_key not in ("fit.chisq", "fit.df"):
        label += ctx.t("fit.scaled")
    cut = judge_fit(judged, strict)[0] if judged else ""
    if lang == "zh" and cut:
        cut = cut.replace(" .", " 0.").replace("(< 5 acceptable)", "（< 5可接受）")
        cut = cut.replace("(> .80 tolerated)", "（> 0.80可容忍）").replace(
            "(> 0.80 tolerated)", "（> 0.80可容忍）"
        )
    last = verdicts[list(fits)[-1]]
    out = {
        col("index", lang): label,
        **row,
        col("cutoff", lang): cut,
        col("verdict", lang): "" if last is None else ctx.t("acceptable" if last else "poor"),
    }
    return out, used, verdicts  # fmt: skip


def model_fit(res, ctx: Ctx) -> Table:
    lang = ctx.lang
    fits = {ctx.t("measurement_model"): res.measurement.cfa.fit_measures}
    if res.structural is not None:
        fits[ctx.t("structural_model")] = res.structural.sem.fit_measures
    main = main_fit(res)
    rows, raw, failed = [], [], []
    for spec in fit_rows(main.options):
        row, used, verdicts = _fit_row(ctx, spec, fits, ctx.strict)
        rows.append(row)
        for name, fm in fits.items():
            v = _fit_value(fm, used) if used else None
            if isinstance(v, tuple):
                raw += [{"model": name, "index": f"{used}.lower", "value": v[0]},
                        {"model": name, "index": f"{used}.upper", "value": v[1]}]  # fmt: skip
            else:
                raw.append({"model": name, "index": used or spec[1][0], "value": v})
        bad = [m for m, ok in verdicts.items() if ok is False]
        if bad:
            failed.append(ctx.t("fail.fit", index=row[col("index", lang)],
                                models=ctx.join([m.lower() if lang == "en" else m
                                                 for m in bad])))  # fmt: skip
    shown = {r[0] for r in fit_rows(main.options)}
    note = ctx.t(("note.fit.strict" if ctx.strict else "note.fit")
                 + ("" if "fit.gfi" in shown else ".nogfi"))  # fmt: skip
    opts = main.options
    if opts.categorical:  # scaled-shifted (no-op replace for DWLS, WLS, ULS)
        first = rows[0][col("index", lang)]
        rows[0][col("index", lang)] = first.replace(
            ctx.t("fit.chisq.scaled"), ctx.t("fit.chisq.shifted")
        )
    if opts.scaled and opts.likelihood:
        note += " " + ctx.t("note.fit.mlr")
    if opts.categorical:
        note += " " + ctx.t("note.fit.wlsmv", est=opts.estimator)
    if opts.fiml:
        note += " " + ctx.t("note.fit.fiml")
    fm = main.fit_measures
    text = ctx.t("para.fit.intro") + (
        ctx.t("para.fit.bad", which=ctx.join(failed)) if failed else ctx.t("para.fit.ok")
    )
    specs = {s[0]: s for s in fit_rows(main.options)}
    vals = {}
    for k in ("fit.chisq/df", "fit.cfi", "fit.tli", "fit.rmsea", "fit.srmr"):
        s = specs[k]
        key = next((x for x in s[1] if _fit_value(fm, x) is not None), None)
        vals[k.split(".", 1)[1].replace("/", "")] = _fmt_fit(
            ctx, _fit_value(fm, key) if key else None, s[3], s[4]
        )
    text = text.format(**vals) if "{" in text else text
    figure = Figure(
        "research_model", ctx.t("fig.research_model"), "research_model.png",
        lambda path, r=res, lang=lang: _draw_research_model(r, path, lang),
    )  # fmt: skip
    n_h = len(res.hypotheses)
    mh = res.moderation.hypotheses if res.method == "cb" else None
    n_all = n_h + (0 if mh is None else len(mh))
    pre = ctx.t("para.research_model", h=n_all) if n_h else ""
    return Table(
        "fit", title("fit", lang), pd.DataFrame(rows), note, pd.DataFrame(raw), text=text,
        n=main.n, n_text=_sem_n_text(res, ctx),
        warnings=list(dict.fromkeys(res.measurement.cfa.warnings + main.warnings)),
        pre_text=pre, pre_figures=[figure] if n_h else [], failed=failed, marks=bool(failed),
        summary=ctx.t("sum.fit." + ("bad" if failed else "ok")),
    )  # fmt: skip


def _labels(res, lang):
    from loyaltysem.report.chapter import display_label

    return lambda code: display_label(res.instrument, code, lang)


def _draw_research_model(res, path, lang):
    from loyaltysem.report import figures

    hyp = {(h.lhs, h.rhs): h.id for h in res.instrument.hypotheses}
    if len(res.hypotheses) and not hyp:
        hyp = {(r["lhs"], r["rhs"]): r["id"] for _, r in res.hypotheses.iterrows()}
    mods = [(m.z, m.y, m.x, m.hypothesis or "") for m in res.moderation.models
            if m.declared]  # fmt: skip
    return figures.research_model(res.structural.sem.estimates, hyp, path,
                                  labels=_labels(res, lang), lang=lang,
                                  moderators=mods)  # fmt: skip


def _draw_path_diagram(res, path, lang):
    from loyaltysem.report import figures

    warns = []
    for ext in ("png", "svg", "pdf"):
        target = path.with_suffix(f".{ext}")
        warns = figures.path_diagram(
            res.structural.sem.estimates,
            res.structural.sem.r2,
            target,
            labels=_labels(res, lang),
            lang=lang,
        )
    return warns


def _path_name(ctx: Ctx, rhs: str, lhs: str) -> str:
    return f"{ctx.label(rhs)} → {ctx.label(lhs)}"


def paths(res, ctx: Ctx) -> Table | None:
    if res.structural is None:  # a model with no structural paths yet
        return None
    hyp, lang = res.hypotheses, ctx.lang
    if not len(hyp):
        return None
    rows = []
    for _, h in hyp.iterrows():
        rows.append(
            {
                col("hypothesis", lang): h["id"],
                col("path", lang): _path_name(ctx, h["rhs"], h["lhs"]),
                col("estimate", lang): ctx.n(h["est"], 3),
                col("se", lang): ctx.n(h["se"], 3),
                col("z", lang): ctx.n(h["z"], 2),
                col("p", lang): ctx.p(h["pvalue"]),
                col("beta", lang): ctx.b(h["std.all"]) + stars(h["pvalue"]),
                col("result", lang): ctx.t("supported" if h["supported"] else "not_supported"),
            }
        )
    sup = hyp[hyp["supported"]]
    not_sup = hyp[~hyp["supported"]]

    def describe(rows_):
        return ctx.join([
            ctx.t("para.paths.item", id=r["id"], path=_path_name(ctx, r["rhs"], r["lhs"]),
                  beta=ctx.b(r["std.all"]), p=ctx.p_eq(r["pvalue"]))
            for _, r in rows_.iterrows()
        ])  # fmt: skip

    text = ctx.t("para.paths", k=len(hyp), s=len(sup))
    if len(sup):
        text += ctx.t("para.paths.sup", which=describe(sup))
    if len(not_sup):
        text += ctx.t("para.paths.notsup", which=describe(not_sup))
    fig = Figure(
        "path_diagram", ctx.t("fig.path_diagram"), "path_diagram.png",
        lambda path, r=res, lang=lang: _draw_path_diagram(r, path, lang),
        text=ctx.t("para.fig.path_diagram"),
    )  # fmt: skip
    return Table(
        "paths", title("paths", lang), pd.DataFrame(rows),
        ctx.t("note.paths") + " " + ctx.t("stars"), hyp, text=text, n=res.structural.sem.n,
        n_text=_sem_n_text(res, ctx), warnings=list(res.structural.sem.warnings), figures=[fig],
    )  # fmt: skip


def r_squared(res, ctx: Ctx) -> Table | None:
    if res.structural is None:  # a model with no structural paths yet
        return None
    est = res.structural.sem.estimates
    endo = [v for v in res.structural.sem.model.mv.lv if v in set(est.loc[est["op"] == "~", "lhs"])]
    if not endo:
        return None
    r2 = res.structural.sem.r2[endo]
    d = pd.DataFrame(
        {
            col("construct", ctx.lang): [ctx.label(c) for c in r2.index],
            col("r2", ctx.lang): [ctx.b(v) for v in r2.to_numpy()],
        }
    )
    text = ctx.t("para.r2", which=ctx.join([ctx.label(c) + ctx.paren(ctx.b(v))
                                            for c, v in r2.items()]))  # fmt: skip
    return Table(
        "r2", title("r2", ctx.lang), d, ctx.t("note.r2"), r2.rename("r2").to_frame(), text=text,
        n=res.structural.sem.n, n_text=_sem_n_text(res, ctx),
    )  # fmt: skip


def mediation(res, ctx: Ctx) -> Table | None:
    """The mediation table: the decomposition when computed, else the bootstrap's indirect
    effects."""
    if res.structural is None:  # a model with no structural paths yet
        return None
    if res.structural.mediation is not None:
        return mediation_decomposition(res, ctx)
    eff = res.structural.effects
    if eff is None or not len(eff):
        return None
    lang = ctx.lang
    rows = []
    for _, e in eff.iterrows():
        chain = " → ".join(ctx.label(v) for v in e["effect"].split(" -> "))
        sig = e["ci.lower"] > 0 or e["ci.upper"] < 0
        rows.append(
            {
                col("effect", lang): chain,
                col("estimate", lang): ctx.n(e["est"], 3),
                col("boot_se", lang): ctx.n(e["boot.se"], 3),
                col("ci", lang): ctx.ci(e["ci.lower"], e["ci.upper"]),
                col("beta", lang): ctx.b(e["std.all"]),
                col("result", lang): ctx.t("row.significant" if sig else "row.not_significant"),
            }
        )
    kind = ctx.t(f"ci.{res.options.ci}")
    n_boot = res.structural.bootstrap.n_boot if res.structural.bootstrap is not None else 0
    note = ctx.t("note.mediation", n_boot=n_boot, kind=kind)
    sig = [r for r in rows if r[col("result", lang)] == ctx.t("row.significant")]
    text = ctx.t("para.mediation", k=len(rows), s=len(sig), kind=kind, n_boot=n_boot)
    return Table(
        "mediation", title("mediation", lang), pd.DataFrame(rows), note, eff, text=text,
        n=res.structural.sem.n, n_text=_sem_n_text(res, ctx),
        warnings=_boot_warnings(res),
    )  # fmt: skip


def invariance(res, ctx: Ctx) -> Table | None:
    inv = res.groups.invariance if res.groups else None
    if inv is None:
        return None
    lang = ctx.lang
    comp = {r["to"]: r for _, r in inv.comparisons.iterrows()}
    keys = getattr(inv, "index_keys", {"cfi": "cfi", "rmsea": "rmsea"})
    suffix = {k: ctx.t("fit." + v.split(".")[1]) if "." in v else "" for k, v in keys.items()}
    ordered = bool(res.options.ordered)
    rows, failed = [], []
    for name, fit in inv.steps.items():
        fm = fit.fit_measures
        c = comp.get(name)
        step = ctx.t(f"step.{name}.ordered" if ordered and name == "scalar" else f"step.{name}")
        ok = c is None or c["decision"] == "invariant"
        if not ok:
            failed.append(step)
        rows.append({
            col("step", lang): step,
            col("chisq", lang): ctx.n(fm.get("chisq.scaled", fm["chisq"]), 3),
            col("df", lang): ctx.n(fm["df"], 0),
            "CFI" + suffix["cfi"]: ctx.b(fm.get(keys["cfi"])),
            "RMSEA" + suffix["rmsea"]: ctx.b(fm.get(keys["rmsea"])),
            "SRMR": ctx.b(fm.get("srmr")),
            col("delta_chisq", lang): "" if c is None else ctx.n(c["chisq.diff"], 3),
            col("delta_df", lang): "" if c is None else ctx.n(c["df.diff"], 0),
            col("p", lang): "" if c is None else ctx.p(c["pvalue"]),
            col("delta_cfi", lang): "" if c is None else _mark(ctx.b(c["cfi.diff"]),
                                                               c["cfi.diff"] < -0.01),
            col("delta_rmsea", lang): "" if c is None else _mark(ctx.b(c["rmsea.diff"]),
                                                                 c["rmsea.diff"] > 0.015),
            col("decision", lang): "" if c is None else ctx.t(
                "row.invariant" if ok else "row.not_invariant"),
        })  # fmt: skip
    from loyaltysem.report.tables.scores import _value_label

    groups = ctx.join(
        [_value_label(res.instrument, res.groups.group, g, lang) for g in inv.group_labels]
    )
    text = ctx.t("para.invariance." + ("bad" if failed else "ok"),
                 group=ctx.instrument.label(res.groups.group, lang), groups=groups,
                 which=ctx.join(failed))  # fmt: skip
    n = next(iter(inv.steps.values())).n
    return Table(
        "invariance", title("invariance", lang), pd.DataFrame(rows),
        ctx.t("note.invariance") + (" " + ctx.t("note.invariance.ordered") if ordered else ""),
        inv.fit_table.join(inv.comparisons.set_index("to"), how="left", rsuffix=".diff"),
        text=text, n=n,
        warnings=sorted({w for r in inv.steps.values() for w in r.warnings}),
        failed=[ctx.t("fail.invariance", which=ctx.join(failed))] if failed else [],
        marks=bool(failed),
    )  # fmt: skip


def group_paths(res, ctx: Ctx) -> Table | None:
    """Each structural path per group (unstandardized b with stars, standardized β), the
    chi-square difference test of its equality across groups and, with two groups, AMOS's
    critical ratio for the difference (|C.R.| > 1.96: different at p < .05)."""
    if res.structural is None:  # a model with no structural paths yet
        return None
    gp = res.groups.paths if res.groups else None
    if gp is None or not len(gp):
        return None
    lang = ctx.lang
    from loyaltysem.report.tables.scores import _value_label

    labels = [c[len("std.all.") :] for c in gp.columns if c.startswith("std.all.")]
    shown = {g: _value_label(res.instrument, res.groups.group, _as_value(g), lang) for g in labels}
    has_cr = "cr.diff" in gp.columns
    rows, differ = [], []
    for _, r in gp.iterrows():
        row = {col("path", lang): _path_name(ctx, r["rhs"], r["lhs"])}
        for g in labels:
            row[ctx.t("col.group_b", g=shown[g])] = ctx.n(r[f"est.{g}"], 3) + stars(
                r[f"pvalue.{g}"]
            )
            row[ctx.t("col.group_beta", g=shown[g])] = ctx.b(r[f"std.all.{g}"])
        sig = r["pvalue"] < 0.05
        if sig:
            differ.append(_path_name(ctx, r["rhs"], r["lhs"]))
        row[col("delta_chisq", lang)] = ctx.n(r["chisq.diff"], 3)
        row[col("delta_df", lang)] = ctx.n(r["df.diff"], 0)
        row[col("p", lang)] = ctx.p(r["pvalue"])
        if has_cr:
            row[col("cr_diff", lang)] = ctx.n(r["cr.diff"], 2)
        row[col("decision", lang)] = ctx.t("row.differs" if sig else "row.equal")
        rows.append(row)
    key = "diff1" if len(differ) == 1 else "diff" if differ else "same"
    text = ctx.t(
        f"para.group_paths.{key}",
        group=ctx.instrument.label(res.groups.group, lang),
        which=ctx.join(differ),
    )
    if has_cr:
        big = gp[gp["cr.diff"].abs() > 1.96]
        text += ctx.t(
            "para.group_paths.cr" + ("" if len(big) else "0"),
            k=len(big),
            which=ctx.join(
                [
                    _path_name(ctx, r["rhs"], r["lhs"])
                    + ctx.paren("C.R. = " + ctx.n(r["cr.diff"], 2))
                    for _, r in big.iterrows()
                ]
            ),
        )
    order = ctx.t("list_sep").join(shown[g] for g in labels)
    note = ctx.t("note.group_paths") + " " + ctx.t("stars")
    if has_cr:
        note += " " + ctx.t("note.group_paths.cr", a=shown[labels[0]], b=shown[labels[1]])
    return Table(
        "group_paths", title("group_paths", lang), pd.DataFrame(rows), note, gp, text=text,
        n=res.groups.n,
        summary=ctx.tc("sum.group_paths", len(differ), k=len(differ), total=len(gp),
                      group=ctx.instrument.label(res.groups.group, lang), order=order),
    )  # fmt: skip


def _as_value(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def _statement(ctx: Ctx, res, h) -> str:
    inst = res.instrument
    for hyp in list(inst.hypotheses) + list(getattr(inst, "moderators", None) or []):
        if hyp.id == h["id"] and hyp.text.get(ctx.lang):
            return hyp.text[ctx.lang]
    if ":" in str(h["rhs"]):
        x, z = str(h["rhs"]).split(":", 1)
        return ctx.t("hyp.moderation", z=ctx.label(z), x=ctx.label(x), y=ctx.label(h["lhs"]))
    key = {"+": "hyp.positive", "-": "hyp.negative"}.get(h.get("sign", ""), "hyp.effect")
    return ctx.t(key, x=ctx.label(h["rhs"]), y=ctx.label(h["lhs"]))


def _untested(res) -> pd.DataFrame | None:
    """Hypotheses the analysis does not test, with the rows of the summary (PLS-SEM: the
    declared moderators, whose interaction the PLS path model does not estimate)."""
    if res.method != "pls":
        return None
    rows = [{"id": m.id, "lhs": m.y, "rhs": m.term, "sign": m.sign, "pvalue": np.nan,
             "std.all": np.nan, "supported": None}
            for m in getattr(res.instrument, "moderators", None) or [] if m.id]  # fmt: skip
    return pd.DataFrame(rows) if rows else None


def hypothesis_summary(res, ctx: Ctx) -> Table | None:
    """Every hypothesis as stated and its result: the structural paths (CB-SEM or PLS-SEM)
    and the declared moderators' interactions (tested in the moderation model; in a PLS-SEM
    listed as not tested, with the reason, never dropped)."""
    hyp, lang = res.hypotheses, ctx.lang
    cols = ["id", "lhs", "rhs", "sign", "pvalue", "std.all", "supported"]
    mh = res.moderation.hypotheses if res.method == "cb" else None
    extra = ""
    if mh is not None and len(mh):
        hyp = pd.concat([hyp[cols] if len(hyp) else None, mh[cols]], ignore_index=True)
        for n, part in mh.groupby("n", sort=False):
            extra += " " + ctx.t("note.hypotheses.moderation", ids=ctx.join(list(part["id"])),
                                 n=int(n))  # fmt: skip
    untested = _untested(res)
    if untested is not None:
        hyp = pd.concat([hyp[cols] if len(hyp) else None, untested[cols]], ignore_index=True)
    if not len(hyp):
        return None
    tested = hyp["supported"].map(lambda v: v is not None and not pd.isna(v))
    supported = hyp["supported"].map(lambda v: v is True or v == 1)
    d = pd.DataFrame(
        {
            col("hypothesis", lang): hyp["id"].to_numpy(),
            col("statement", lang): [_statement(ctx, res, h) for _, h in hyp.iterrows()],
            col("result", lang): [
                ctx.t("not_tested") if not t_ else ctx.t("supported" if s_ else "not_supported")
                for t_, s_ in zip(tested, supported, strict=True)
            ],
        }
    )
    k, s = int(tested.sum()), int(supported.sum())
    text = ctx.t("para.hypotheses", k=k, s=s, ns=k - s)
    summary_extra = ""
    if untested is not None:
        ids = ctx.join(list(untested["id"]))
        extra += " " + ctx.t("note.hypotheses.untested", ids=ids)
        text += ctx.t("para.hypotheses.untested", ids=ids)
        summary_extra = ctx.t("sum.untested", ids=ids)
    raw = hyp[cols].copy()
    raw["statement"] = d[col("statement", lang)].to_numpy()
    note = ctx.t("note.hypotheses" + (".pls" if res.method == "pls" else "")) + extra
    not_sup = ctx.join(list(hyp.loc[tested & ~supported, "id"]))
    return Table(
        "hypotheses", title("hypotheses", lang), d, note, raw, text=text,
        n=_model_n(res), n_text=_model_n_text(res, ctx),
        summary=ctx.tc("sum.paths", s, k, k=k, s=s, which=not_sup) + summary_extra,
    )  # fmt: skip


__all__ = ["DAGGER", "fit_rows", "math", "np"]


def _chain(ctx: Ctx, name: str) -> str:
    nodes = name.split(" (")[0].replace("=>", "->").split(" -> ")
    return " → ".join(ctx.label(v) for v in nodes[1:-1])


def _med_row(ctx: Ctx, e, first: bool, verdict: str) -> dict:
    lang = ctx.lang
    kind = e["kind"]
    label = (ctx.t("med.via", path=_chain(ctx, e["effect"])) if kind == "indirect"
             else ctx.t(f"med.{kind.replace(' ', '_')}"))  # fmt: skip
    share = "" if kind == "total" or not np.isfinite(e["share"]) else ctx.n(100 * e["share"], 1)
    return {
        col("path", lang): f"{ctx.label(e['from'])} → {ctx.label(e['to'])}" if first else "",
        col("effect_type", lang): label,
        col("effect_value", lang): ctx.n(e["est"], 3),
        col("boot_se", lang): ctx.n(e["se"], 3),
        col("ci", lang): ctx.ci(e["ci.lower"], e["ci.upper"]),
        col("share", lang): share + ("%" if share else ""),
        col("result", lang): verdict if first else "",
    }


def mediation_decomposition(res, ctx: Ctx) -> Table | None:
    """Direct, specific indirect, total indirect and total effects per predictor-outcome
    pair with their intervals, effect shares and the verdict (mediation.py)."""
    if res.structural is None:  # a model with no structural paths yet
        return None
    med = res.structural.mediation
    if med is None or not len(med.pairs):
        return None
    lang, rows, counts = ctx.lang, [], {"full": 0, "partial": 0, "none": 0}
    eff = med.effects[med.effects["kind"] != "proportion mediated"]
    for _, s in med.pairs.iterrows():
        v = s["verdict"] if isinstance(s["verdict"], str) else "none"
        counts[v] = counts.get(v, 0) + 1
        key = "competitive" if s["type"] == "competitive" else v
        verdict = ctx.t(f"med.verdict.{key}")
        pair = eff[(eff["from"] == s["from"]) & (eff["to"] == s["to"])]
        for k, (_, e) in enumerate(pair.iterrows()):
            rows.append(_med_row(ctx, e, k == 0, verdict))
    ci_name = ctx.t(f"ci.{med.ci}") if med.ci != "delta" else ctx.t("ci.delta")
    if med.n_boot:
        note = ctx.t("note.mediation.boot", n_boot=med.n_boot, kind=ci_name)
    else:
        note = ctx.t("note.mediation.delta")
    partial = [f"{ctx.label(s['from'])} → {ctx.label(s['to'])}" + ctx.paren(
        ctx.n(100 * s["proportion.est"], 1) + "%") for _, s in med.pairs.iterrows()
        if s["verdict"] == "partial"]  # fmt: skip
    variant = ("" if counts["full"] and counts["partial"] else ".full" if counts["full"]
               else ".partial" if counts["partial"] else ".none")  # no "0组" in the words
    text = ctx.t("para.mediation.decomp" + variant, k=len(med.pairs),
                 s=counts["full"] + counts["partial"], full=counts["full"],
                 partial=counts["partial"], kind=ci_name)  # fmt: skip
    if partial:
        text += ctx.t("para.mediation.partial", which=ctx.join(partial))
    raw = med.effects.copy()  # the data file names the interval in English in both languages
    raw["ci.type"] = raw["ci.type"].map(lambda code: t(f"ci.type.{code}", "en"))
    return Table(
        "mediation", title("mediation", lang), pd.DataFrame(rows), note,
        raw, text=text, n=res.structural.sem.n, n_text=_sem_n_text(res, ctx),
        warnings=_boot_warnings(res),
        summary=ctx.tc("sum.mediation", counts["full"] + counts["partial"],
                       s=counts["full"] + counts["partial"], k=len(med.pairs)),
    )  # fmt: skip


def _boot_warnings(res) -> list:
    boot = res.structural.bootstrap
    return list(boot.warnings) if boot is not None else []
