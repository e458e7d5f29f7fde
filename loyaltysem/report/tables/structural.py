"""Tables of the structural part of the chapter: model fit, paths, R², mediation,
multi-group comparison and the hypothesis summary (same builder signature as tables.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loyaltysem.judgment import fit as judge_fit
from loyaltysem.psychometrics.cutoffs import FIT_FORMAT, fit_cutoff
from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.format import stars
from loyaltysem.report.i18n import col, title
from loyaltysem.report.notes import draws_phrase
from loyaltysem.report.tables.measurement import (
    DAGGER,
    _mark,
    _model_n,
    _model_n_text,
    _sem_n_text,
    main_fit,
)

# (row label key, index (its fit-measure keys from judgment.fit.index_keys), bounded?, digits)
_ROWS_ML = [
    (f"fit.{index}", index, bounded, digits)
    for index, (bounded, digits) in FIT_FORMAT.items()
    if index not in ("aic", "bic")
]


def fit_rows(options) -> list[tuple]:
    """The fit-table rows (label key, fit-measure keys tried in order, index judged,
    bounded?, digits) for a fit's resolved estimator options: the keys are judgment's
    (:func:`loyaltysem.judgment.fit.index_keys`: with a scaled test the scaled χ² and the
    robust / scaled indices); FIML and ordered items leave out GFI and AGFI (complete
    continuous data)."""
    keys = judge_fit.index_keys(options)
    rows = [(k, keys[i], i if i in judge_fit.JUDGED else None, b, d) for k, i, b, d in _ROWS_ML]
    if options.fiml or options.categorical:
        rows = [r for r in rows if r[0] not in ("fit.gfi", "fit.agfi")]
    return rows


_fit_value = judge_fit.fit_value


def _fmt_fit(ctx: Ctx, v, is_bounded: bool, digits: int) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        return ctx.ci(v[0], v[1], bounded=True)
    return ctx.b(v, digits) if is_bounded else ctx.n(v, digits)


def fit_judgment(res) -> dict:
    """The fit verdicts stored by the pipeline (judgment.fit.judge_models); a model with no
    structural part yet has its CFA judged here, by the same function."""
    if res.structural is not None and "fit" in res.structural.verdicts:
        return res.structural.verdicts["fit"]
    cfa = res.measurement.cfa
    return judge_fit.judge_models({"measurement": cfa.fit_measures}, cfa.options)


def _band(ctx: Ctx, v) -> str:
    """ "> .80" / "> 0.80": the tolerated band of a verdict's rule."""
    sign = ">" if v.values["better"] == "higher" else "<"
    tol = v.values["tolerated"]
    return f"{sign} {ctx.b(tol, 2) if tol < 1 else ctx.n(tol, 0)}"


def verdict_word(ctx: Ctx, v) -> str:
    """Met / Tolerated (> .80) / Not met for one index verdict."""
    if v is None:
        return ""
    if v.outcome == "tolerated":
        return ctx.t("judge.fit.tolerated", band=_band(ctx, v))
    return ctx.t(f"judge.fit.{v.outcome}")


def _fit_row(ctx: Ctx, spec, fits: dict, judged: dict):
    label_key, keys, index, is_b, digits = spec
    lang = ctx.lang
    used = None
    row, verdicts = {}, {}
    for name, fm in fits.items():
        key = next((k for k in keys if _fit_value(fm, k) is not None), None)
        used = used or key
        v = _fit_value(fm, key) if key else None
        verdict = judged[name].get(index) if index else None
        verdicts[name] = verdict
        row[ctx.t(f"{name}_model")] = _mark(
            _fmt_fit(ctx, v, is_b, digits), verdict is not None and verdict.outcome == "not_met"
        )
    label = ctx.t(label_key)
    if used == "chisq.scaled":
        label = ctx.t("fit.chisq.scaled")
    elif used and used.endswith(".robust") and label_key != "fit.rmsea.ci":
        label += ctx.t("fit.robust")
    elif used and used.endswith(".scaled") and label_key not in ("fit.chisq", "fit.df"):
        label += ctx.t("fit.scaled")
    rule = fit_cutoff(index, ctx.strict) if index else None
    cut = rule.text if rule else ""
    if lang == "zh" and cut:
        cut = cut.replace(" .", " 0.").replace("(< 5 acceptable)", "（< 5可接受）")
        cut = cut.replace("(> 0.80 tolerated)", "（> 0.80可容忍）")
    last = verdicts[list(fits)[-1]]
    out = {
        col("index", lang): label,
        **row,
        col("cutoff", lang): cut,
        col("verdict", lang): verdict_word(ctx, last),
    }
    return out, used, verdicts  # fmt: skip


def failing_text(ctx: Ctx, caveat) -> str:
    """ "CFI = .803 and RMSEA = .112": the failing core indices of a fit caveat."""
    return ctx.join([f"{ctx.t('fit.' + i)} = {ctx.b(v)}" for i, v in caveat.values["failing"]])


def poor_fit(res, ctx: Ctx):
    """The structural model's fit caveat for the chapter's cut-off set (None: the model
    fits, or there is no structural model)."""
    if res.method != "cb" or res.structural is None or "fit" not in res.structural.verdicts:
        return None
    caveat = res.structural.verdicts["fit"]["caveat"]["strict" if ctx.strict else "lenient"]
    return caveat if caveat.outcome == "poor" else None


def model_fit(res, ctx: Ctx) -> Table:
    lang = ctx.lang
    fits = {"measurement": res.measurement.cfa.fit_measures}
    if res.structural is not None:
        fits["structural"] = res.structural.sem.fit_measures
    judged = fit_judgment(res)["strict" if ctx.strict else "lenient"]
    main = main_fit(res)
    rows, raw, tolerated = [], [], []
    failing: dict[tuple, list[str]] = {}  # the models that miss a cut-off -> their indices
    for spec in fit_rows(main.options):
        row, used, verdicts = _fit_row(ctx, spec, fits, judged)
        rows.append(row)
        raw += _raw_fit_rows(ctx, spec, fits, used, verdicts)
        label = row[col("index", lang)]
        bad = [ctx.t(f"{m}_model") for m, v in verdicts.items() if v and v.outcome == "not_met"]
        if bad:
            failing.setdefault(tuple(bad), []).append(label)
        last = verdicts[list(fits)[-1]]
        if last is not None and last.outcome == "tolerated":
            tolerated.append(_tolerated_item(ctx, label, last, spec))
    failed = [_failed_fit(ctx, models, labels) for models, labels in failing.items()]
    shown = {r[0] for r in fit_rows(main.options)}
    model = _judged_model(res, ctx)
    note = ctx.t(("note.fit.strict" if ctx.strict else "note.fit")
                 + ("" if "fit.gfi" in shown else ".nogfi"), model=model)  # fmt: skip
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
    text = _fit_paragraph(ctx, main, failed, tolerated, model)
    poor = poor_fit(res, ctx)
    if poor is not None:
        text += ctx.t("judge.fit.poor_para", which=failing_text(ctx, poor))
        note += " " + ctx.t("judge.fit.poor_note", which=failing_text(ctx, poor))
    figure = Figure(
        "research_model", ctx.t("fig.research_model"), "research_model.png",
        lambda path, r=res, lang=lang: _draw_research_model(r, path, lang),
    )  # fmt: skip
    n_h = len(res.hypotheses)
    mh = res.moderation.hypotheses if res.method == "cb" else None
    n_all = n_h + (0 if mh is None else len(mh))
    pre = ctx.t("para.research_model", h=n_all) + _hierarchy_words(res, ctx, "research_model") \
        if n_h else ""  # fmt: skip
    return Table(
        "fit", title("fit", lang), pd.DataFrame(rows), note, pd.DataFrame(raw), text=text,
        n=main.n, n_text=_sem_n_text(res, ctx),
        warnings=list(dict.fromkeys(res.measurement.cfa.warnings + main.warnings)),
        pre_text=pre, pre_figures=[figure] if n_h else [], failed=failed, marks=bool(failed),
        summary=ctx.t("sum.fit." + ("bad" if failed else "ok")),
    )  # fmt: skip


def _failed_fit(ctx: Ctx, models: tuple, labels: list[str]) -> str:
    """ "GFI, AGFI and CFI beyond their cut-offs (measurement model)": one clause for the
    indices that the same models miss."""
    key = "fail.fit" if len(labels) == 1 else "fail.fit_many"
    names = [m.lower() if ctx.lang == "en" else m for m in models]
    return ctx.t(key, index=ctx.join(labels), models=ctx.join(names))


def _raw_fit_rows(ctx: Ctx, spec, fits: dict, used, verdicts: dict) -> list[dict]:
    """One index's raw values for each model (an interval as its two ends) and verdicts."""
    raw = []
    for name, fm in fits.items():
        model = ctx.t(f"{name}_model")
        v = _fit_value(fm, used) if used else None
        verdict = verdicts[name]
        word = verdict.outcome if verdict is not None else None
        if isinstance(v, tuple):
            raw += [{"model": model, "index": f"{used}.lower", "value": v[0], "verdict": None},
                    {"model": model, "index": f"{used}.upper", "value": v[1],
                     "verdict": None}]  # fmt: skip
        else:
            raw.append({"model": model, "index": used or spec[1][0], "value": v,
                        "verdict": word})  # fmt: skip
    return raw


def _tolerated_item(ctx: Ctx, label: str, verdict, spec) -> str:
    """ "AGFI = .853 (cut-off .90, tolerated > .80)": one tolerated index in the paragraph."""
    return ctx.t(
        "judge.fit.tolerated_item",
        index=label,
        band=_band(ctx, verdict),
        value=_fmt_fit(ctx, verdict.values["value"], spec[3], spec[4]),
        good=_fmt_fit(ctx, verdict.values["good"], spec[3], 2 if spec[3] else 0),
    )


def _judged_model(res, ctx: Ctx) -> str:
    """ "structural model", or "measurement model" in a chapter without structural paths."""
    name = ctx.t("measurement_model" if res.measurement_only else "structural_model")
    return name.lower() if ctx.lang == "en" else name


def _fit_paragraph(ctx: Ctx, main, failed: list[str], tolerated: list[str], model: str) -> str:
    """The fit paragraph: the main model's key indices, then the failed and the tolerated."""
    fm = main.fit_measures
    text = ctx.t("para.fit.intro") + (
        ctx.t("para.fit.bad", which=ctx.join(failed)) if failed else ctx.t("para.fit.ok")
    )
    specs = {s[0]: s for s in fit_rows(main.options)}
    vals = {"model": model}
    for k in ("fit.chisq/df", "fit.cfi", "fit.tli", "fit.rmsea", "fit.srmr"):
        s = specs[k]
        key = next((x for x in s[1] if _fit_value(fm, x) is not None), None)
        vals[k.split(".", 1)[1].replace("/", "")] = _fmt_fit(
            ctx, _fit_value(fm, key) if key else None, s[3], s[4]
        )
    text = text.format(**vals) if "{" in text else text
    if tolerated:
        key = "judge.fit.tolerated_para" + ("1" if len(tolerated) == 1 else "")
        text += ctx.t(key, which=ctx.join(tolerated))
    return text


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

    return figures.path_diagram(
        res.structural.sem.estimates,
        res.structural.sem.r2,
        [path.with_suffix(f".{ext}") for ext in ("png", "svg", "pdf")],
        labels=_labels(res, lang),
        lang=lang,
    )


def _hierarchy_words(res, ctx: Ctx, figure: str) -> str:
    """What the arrows from a second-order construct to its dimensions show in ``figure``
    ("research_model", "path_diagram"), if the model has one."""
    hocs = res.instrument.construct_components
    if not hocs:
        return ""
    return ctx.t(f"ho.fig.{figure}", hocs=ctx.join([ctx.label(c) for c in hocs]))


def _path_name(ctx: Ctx, rhs: str, lhs: str) -> str:
    return f"{ctx.label(rhs)} → {ctx.label(lhs)}"


def hypothesis_verdicts(res) -> dict:
    """Every hypothesis verdict of the chapter in order (id -> Verdict): the structural
    paths, then the declared moderators' (CB-SEM: tested in the moderation model; PLS-SEM:
    not tested), as the pipeline stored them."""
    if res.method == "pls":
        out = dict(res.pls.verdicts.get("hypotheses", {}))
    else:
        out = dict(res.structural.verdicts.get("hypotheses", {})) if res.structural else {}
        out.update(res.moderation.verdicts.get("hypotheses", {}) if res.moderation else {})
    out.update({r.spec.id: r.verdict for r in _process_runs(res) if r.spec.id})
    return out


def _process_runs(res) -> list:
    """The PROCESS models of the chapter (pipeline.process.ProcessRun), if any."""
    stage = getattr(res, "process", None)
    return list(stage.runs) if stage is not None else []


def _process_rows(res) -> pd.DataFrame:
    """The PROCESS models' hypotheses as rows of the summary (decided in judgment.process)."""
    rows = [{"id": r.spec.id, "lhs": r.spec.y, "rhs": r.spec.x, "sign": r.spec.sign,
             "pvalue": float("nan"), "std.all": float("nan"),
             "supported": r.verdict.outcome == "supported"}
            for r in _process_runs(res) if r.spec.id]  # fmt: skip
    return pd.DataFrame(rows)


def hypotheses_summary_sentence(res, ctx: Ctx) -> str:
    """The chapter summary's count of the hypotheses (every hypothesis of the chapter, the
    moderation hypotheses included) and the poor-fit caveat."""
    from loyaltysem.judgment.hypotheses import count

    verdicts = hypothesis_verdicts(res)
    if not verdicts:
        return ""
    c = count(verdicts)
    ns = [k for k, v in verdicts.items() if v.outcome == "not_supported"]
    nt = [k for k, v in verdicts.items() if v.outcome == "not_tested"]
    fields = dict(k=c["total"], s=c["supported"], which=ctx.join(ns) or ctx.t("none"),
                  untested=ctx.join(nt))  # fmt: skip
    if nt:
        text = ctx.t("judge.sum.hypotheses.untested", **fields)
    else:  # "none is supported" / "all of them", not "0 of" or an empty list
        text = ctx.tc("judge.sum.hypotheses", c["supported"], c["total"], **fields)
    poor = poor_fit(res, ctx)
    if poor is not None:
        text += ctx.t("judge.sum.poor", which=failing_text(ctx, poor))
    return text


def paths(res, ctx: Ctx) -> Table | None:
    if res.structural is None:  # a model with no structural paths yet
        return None
    hyp, lang = res.hypotheses, ctx.lang
    if not len(hyp):
        return None
    verdicts = res.structural.verdicts.get("hypotheses", {})
    sup_ids = {k for k, v in verdicts.items() if v.outcome == "supported"}
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
                col("result", lang): ctx.t(
                    "supported" if h["id"] in sup_ids else "not_supported"),
            }
        )  # fmt: skip
    sup = hyp[hyp["id"].isin(sup_ids)]
    not_sup = hyp[~hyp["id"].isin(sup_ids)]

    def describe(rows_):
        return ctx.join([
            ctx.t("para.paths.item", id=r["id"], path=_path_name(ctx, r["rhs"], r["lhs"]),
                  beta=ctx.b(r["std.all"]), p=ctx.p_eq(r["pvalue"]))
            for _, r in rows_.iterrows()
        ])  # fmt: skip

    poor = poor_fit(res, ctx)
    text = ctx.t("judge.paths.poor", which=failing_text(ctx, poor)) if poor is not None else ""
    others = [k for k in hypothesis_verdicts(res) if k not in set(hyp["id"])]
    if others:  # the chapter has more hypotheses than the paths in this table
        text += ctx.t("judge.para.paths.others", k=len(hyp), s=len(sup), ids=ctx.join(others))
    else:
        text += ctx.t("para.paths", k=len(hyp), s=len(sup))
    if len(sup):
        text += ctx.t("para.paths.sup", which=describe(sup))
    if len(not_sup):
        text += ctx.t("para.paths.notsup", which=describe(not_sup))
    note = ctx.t("note.paths") + " " + ctx.t("stars")
    if poor is not None:
        note += " " + ctx.t("judge.fit.poor_note", which=failing_text(ctx, poor))
    fig = Figure(
        "path_diagram", ctx.t("fig.path_diagram"), "path_diagram.png",
        lambda path, r=res, lang=lang: _draw_path_diagram(r, path, lang),
        text=ctx.t("para.fig.path_diagram") + _hierarchy_words(res, ctx, "path_diagram"),
    )  # fmt: skip
    raw = hyp.assign(verdict=[verdicts[i].outcome if i in verdicts else None for i in hyp["id"]],
                     caveats=[";".join(verdicts[i].caveats) if i in verdicts else ""
                              for i in hyp["id"]])  # fmt: skip
    return Table(
        "paths", title("paths", lang), pd.DataFrame(rows), note, raw, text=text,
        n=res.structural.sem.n, n_text=_sem_n_text(res, ctx),
        warnings=list(res.structural.sem.warnings), figures=[fig],
        summary=hypotheses_summary_sentence(res, ctx),
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
        from loyaltysem.report.tables.mediation import mediation_decomposition

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
    boot = res.structural.bootstrap
    if boot is not None:
        note = ctx.t("note.mediation", draws=draws_phrase(ctx, boot.n_boot, boot.seed, kind,
                                                         boot.warnings))  # fmt: skip
    else:
        note = ctx.t("note.mediation.delta")
    sig = [r for r in rows if r[col("result", lang)] == ctx.t("row.significant")]
    text = ctx.t("para.mediation", k=len(rows), s=len(sig), kind=kind)
    return Table(
        "mediation", title("mediation", lang), pd.DataFrame(rows), note, eff, text=text,
        n=res.structural.sem.n, n_text=_sem_n_text(res, ctx),
        warnings=list(res.structural.bootstrap.warnings) if res.structural.bootstrap else [],
    )  # fmt: skip


def _statement(ctx: Ctx, res, h) -> str:
    inst = res.instrument
    specs = [r.spec for r in _process_runs(res)]
    for hyp in list(inst.hypotheses) + list(getattr(inst, "moderators", None) or []) + specs:
        if hyp.id == h["id"] and hyp.text.get(ctx.lang):
            return hyp.text[ctx.lang]
    if ":" in str(h["rhs"]):
        x, z = str(h["rhs"]).split(":", 1)
        return ctx.t("hyp.moderation", z=ctx.label(z), x=ctx.label(x), y=ctx.label(h["lhs"]))
    key = {"+": "hyp.positive", "-": "hyp.negative"}.get(h.get("sign", ""), "hyp.effect")
    return ctx.t(key, x=ctx.label(h["rhs"]), y=ctx.label(h["lhs"]))


def _untested_rows(res, verdicts: dict) -> pd.DataFrame:
    """Rows for the hypotheses the method did not test (a PLS-SEM chapter's moderation
    hypotheses), with the moderator for the note."""
    rows = []
    for mod in getattr(res.instrument, "moderators", None) or []:
        v = verdicts.get(mod.id)
        if v is not None and v.outcome == "not_tested":
            rows.append({"id": mod.id, "lhs": mod.y, "rhs": mod.term, "sign": mod.sign,
                         "pvalue": np.nan, "std.all": np.nan, "supported": False,
                         "moderator": mod.code})  # fmt: skip
    return pd.DataFrame(rows)


def hypothesis_summary(res, ctx: Ctx) -> Table | None:
    """Every hypothesis as stated and its result (judgment's verdicts): the structural
    paths (CB-SEM or PLS-SEM) and the declared moderators' interactions (tested in the
    moderation model; in a PLS-SEM chapter listed as not tested, with the reason)."""
    hyp, lang = res.hypotheses, ctx.lang
    cols = ["id", "lhs", "rhs", "sign", "pvalue", "std.all", "supported"]
    mh = res.moderation.hypotheses if res.method == "cb" else None
    verdicts = hypothesis_verdicts(res)
    extra = ""
    if mh is not None and len(mh):
        hyp = pd.concat([hyp[cols] if len(hyp) else None, mh[cols]], ignore_index=True)
        for n, part in mh.groupby("n", sort=False):
            extra += " " + ctx.t("note.hypotheses.moderation", ids=ctx.join(list(part["id"])),
                                 n=int(n))  # fmt: skip
    untested = _untested_rows(res, verdicts) if res.method == "pls" else pd.DataFrame()
    if len(untested):
        hyp = pd.concat([hyp[cols] if len(hyp) else None, untested[cols]], ignore_index=True)
        for z, part in untested.groupby("moderator", sort=False):
            extra += " " + ctx.t("judge.hyp.pls_moderation", ids=ctx.join(list(part["id"])),
                                 z=ctx.label(z))  # fmt: skip
    proc = _process_rows(res)
    if len(proc):
        hyp = pd.concat([hyp[cols] if len(hyp) else None, proc[cols]], ignore_index=True)
    if not len(hyp):
        return None
    outcome = [verdicts[i].outcome if i in verdicts else "not_supported" for i in hyp["id"]]
    word = {"supported": "supported", "not_supported": "not_supported",
            "not_tested": "judge.hyp.not_tested"}  # fmt: skip
    d = pd.DataFrame(
        {
            col("hypothesis", lang): hyp["id"].to_numpy(),
            col("statement", lang): [_statement(ctx, res, h) for _, h in hyp.iterrows()],
            col("result", lang): [ctx.t(word[o]) for o in outcome],
        }
    )
    s = outcome.count("supported")
    nt = [i for i, o in zip(hyp["id"], outcome, strict=True) if o == "not_tested"]
    if nt:
        text = ctx.t("judge.para.hypotheses.untested", k=len(hyp), s=s, nt=len(nt),
                     ns=outcome.count("not_supported"), ids=ctx.join(nt))  # fmt: skip
    else:
        text = ctx.t("para.hypotheses", k=len(hyp), s=s, ns=len(hyp) - s)
    raw = hyp[cols].copy()
    raw["supported"] = [o == "supported" for o in outcome]
    raw["verdict"] = outcome
    raw["statement"] = d[col("statement", lang)].to_numpy()
    note = ctx.t("note.hypotheses" + (".pls" if res.method == "pls" else "")) + extra
    poor = poor_fit(res, ctx)
    if poor is not None:
        text += ctx.t("judge.hypotheses.poor", which=failing_text(ctx, poor))
    return Table(
        "hypotheses", title("hypotheses", lang), d, note, raw, text=text,
        n=_model_n(res), n_text=_model_n_text(res, ctx),
    )  # fmt: skip


__all__ = ["DAGGER", "fit_rows", "math", "np"]
