"""Tables of the PROCESS section (Hayes 2022): per model the regression results of every
outcome (R, R², MSE, F and the coefficients with LLCI/ULCI), the conditional effects of X at
the moderator's 16th/50th/84th percentiles with the Johnson-Neyman region and the simple-
slopes figure, and the direct and indirect effects with BootSE/BootLLCI/BootULCI and the
index of moderated mediation - the tables PROCESS users paste. Numbers from
:mod:`loyaltysem.analyses.process`; the hypothesis verdicts from
:mod:`loyaltysem.judgment.process` (stored on the pipeline's ProcessStage)."""

from __future__ import annotations

import pandas as pd

from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.format import stars
from loyaltysem.report.notes import draws_phrase
from loyaltysem.report.tables.scores import _value_label

_LEVELS = {"percentiles": ("16", "50", "84"), "meansd": ("low", "mean", "high")}


def process_tables(res, ctx: Ctx) -> list[Table] | None:
    """Every PROCESS model of the run, three tables each at most."""
    stage = getattr(res, "process", None)
    if stage is None or not stage.runs:
        return None
    out = []
    for run in stage.runs:
        out.append(_regression(run, ctx))
        out.append(_conditional(run, ctx))
        out.append(_effects(run, ctx))
    return [tb for tb in out if tb is not None]


def _t(ctx: Ctx, key: str, **fields) -> str:
    return ctx.t(f"process.{key}", **fields)


def _term(ctx: Ctx, term: str) -> str:
    if term == "constant":
        return _t(ctx, "constant")
    return " × ".join(ctx.label(part) for part in term.split("*"))


def _ci_cells(ctx: Ctx, lo, hi, boot: bool = False) -> dict:
    low, up = ("col.bootllci", "col.bootulci") if boot else ("col.llci", "col.ulci")
    return {_t(ctx, low): ctx.n(lo, 3), _t(ctx, up): ctx.n(hi, 3)}


def _note(run, ctx: Ctx, boot: bool) -> str:
    r = run.result
    se = _t(ctx, "note.se.hc", hc=r.hc) if r.hc else _t(ctx, "note.se.ols")
    note = _t(ctx, "note.scores", model=r.model, se=se, n=r.n)
    if r.n_missing:  # the rows PROCESS left out (a missing value in one of its variables)
        note += " " + ctx.t("draws.process_lost", k=r.n_missing, n=r.n + r.n_missing)
    if boot and r.boot:
        draws = draws_phrase(ctx, r.boot, r.seed, ctx.t(f"ci.{r.ci}"),
                             replaced=getattr(r, "boot_replaced", 0))  # fmt: skip
        note += " " + _t(ctx, "note.boot", draws=draws)
    return note


# ------------------------------------------------------------------------------ regression
def _regression(run, ctx: Ctx) -> Table:
    r, rows, raw = run.result, [], []
    c_out, c_pred = _t(ctx, "col.outcome"), _t(ctx, "col.predictor")
    for o in r.outcomes:
        line = _t(ctx, "model_line", r=ctx.b(o["r"]), r2=ctx.b(o["r2"]), mse=ctx.n(o["mse"]),
                  df1=o["df1"], df2=o["df2"], f=ctx.n(o["F"], 2),
                  p=_p_text(ctx, o["pvalue"]))  # fmt: skip
        rows.append({c_out: ctx.label(o["outcome"]), c_pred: line})
        for c in o["coefficients"]:
            rows.append({
                c_out: "", c_pred: _term(ctx, c["term"]),
                _t(ctx, "col.coeff"): ctx.n(c["coeff"]) + stars(c["pvalue"]),
                _t(ctx, "col.se"): ctx.n(c["se"]), _t(ctx, "col.t"): ctx.n(c["t"], 2),
                _t(ctx, "col.p"): ctx.p(c["pvalue"]), **_ci_cells(ctx, c["llci"], c["ulci"]),
            })  # fmt: skip
            raw.append({"outcome": o["outcome"], "r2": o["r2"], "F": o["F"], **c})
    return Table(
        f"process{_suffix(run)}_regression", _t(ctx, "title.regression", model=r.model),
        pd.DataFrame(rows).fillna(""), _note(run, ctx, False) + " " + ctx.t("stars"),
        pd.DataFrame(raw), text=_regression_text(run, ctx), n=r.n,
    )  # fmt: skip


def _p_text(ctx: Ctx, p) -> str:
    text = ctx.p(p)
    return text if text.startswith("<") else f"= {text}"


def _regression_text(run, ctx: Ctx) -> str:
    parts = []
    sep = "，" if ctx.lang == "zh" else ", "
    for o in run.result.outcomes:
        f_text = f"F({o['df1']}, {o['df2']}) = {ctx.n(o['F'], 2)}{sep}{ctx.p_eq(o['pvalue'])}"
        part = _t(ctx, "para.regression.outcome", y=ctx.label(o["outcome"]),
                  r2=ctx.b(o["r2"]), f_text=f_text)  # fmt: skip
        for c in o["coefficients"]:
            if "*" in c["term"]:
                sig = _t(ctx, "sig.yes" if c["pvalue"] < 0.05 else "sig.no")
                part += _t(ctx, "para.regression.interaction", term=_term(ctx, c["term"]),
                           sig=sig, b=ctx.n(c["coeff"]), t=ctx.n(c["t"], 2),
                           p=ctx.p_eq(c["pvalue"]))  # fmt: skip
        if parts and ctx.lang == "en":  # a new sentence after the first outcome's
            part = part[:1].upper() + part[1:]
        parts.append(part + ctx.stop())
    text = _t(
        ctx, "para.regression", outcomes=" ".join(parts) if ctx.lang == "en" else "".join(parts)
    )
    v = run.verdict
    if run.spec.id and v is not None and "term" in v.values:  # models 1-3, 5: the interaction
        text += _t(ctx, "para.hypothesis", id=run.spec.id, result=_t(ctx, f"result.{v.outcome}"))
    return text


def _suffix(run) -> str:
    return f"_{run.spec.id}" if run.spec.id else f"_m{run.spec.model}"


# ------------------------------------------------------------------------------ conditional
def _levels(run, ctx: Ctx, w: str) -> list[str]:
    """The moderator's probed values as the table names them: "Low (16th percentile, 3.00)",
    or a dichotomous moderator's value labels."""
    values = run.result.probes.get(w, [])
    keys = _LEVELS.get(run.result.probe, ())
    if len(values) != 3 or not keys:  # a dichotomous moderator: its two values
        return [_value_label(ctx.instrument, w, v, ctx.lang) for v in values]
    return [_t(ctx, f"level.{k}", value=ctx.n(v, 2)) for k, v in zip(keys, values, strict=True)]


def _conditional(run, ctx: Ctx) -> Table | None:
    r = run.result
    if not r.conditional_effects:
        return None
    rows, raw, said = [], [], []
    for ce in r.conditional_effects:
        ((w, value),) = ce["w"].items()
        level = dict(zip(r.probes.get(w, []), _levels(run, ctx, w), strict=False)).get(value)
        level = level or ctx.n(value, 2)
        rows.append({
            _t(ctx, "col.outcome"): ctx.label(ce["outcome"]),
            _t(ctx, "col.w", w=ctx.label(w)): level,
            _t(ctx, "col.effect"): ctx.n(ce["effect"]) + stars(ce["pvalue"]),
            _t(ctx, "col.se"): ctx.n(ce["se"]), _t(ctx, "col.t"): ctx.n(ce["t"], 2),
            _t(ctx, "col.p"): ctx.p(ce["pvalue"]), **_ci_cells(ctx, ce["llci"], ce["ulci"]),
        })  # fmt: skip
        raw.append({"outcome": ce["outcome"], "focal": ce["focal"], "moderator": w,
                    "value": value, **{k: ce[k] for k in ("effect", "se", "t", "pvalue",
                                                          "llci", "ulci")}})  # fmt: skip
        said.append(_t(ctx, "para.conditional.value", level=level, effect=ctx.n(ce["effect"]),
                       lo=ctx.n(ce["llci"]), hi=ctx.n(ce["ulci"])))  # fmt: skip
    first = r.conditional_effects[0]
    ((w, _),) = first["w"].items()
    names = dict(x=ctx.label(first["focal"]), y=ctx.label(first["outcome"]), w=ctx.label(w))
    text = _t(ctx, "para.conditional", values=ctx.join(said), **names) + _jn_text(run, ctx, w)
    dich = len(r.probes.get(w, [])) == 2
    note = (
        _note(run, ctx, False)
        + " "
        + _t(ctx, "note.probes.dichotomous" if dich else "note.probes", w=ctx.label(w))
    )
    fig = Figure(
        f"process{_suffix(run)}_slopes", _t(ctx, "fig.title", **names),
        f"process{_suffix(run)}_slopes.png",
        lambda path, run=run, names=names: _draw(run, path, names, ctx.lang),
        text=_t(ctx, "fig.text", **names),
    )  # fmt: skip
    return Table(
        f"process{_suffix(run)}_conditional",
        _t(ctx, "title.conditional", x=names["x"], w=names["w"], model=r.model),
        pd.DataFrame(rows), note + " " + ctx.t("stars"), pd.DataFrame(raw), text=text, n=r.n,
        figures=[fig],
    )  # fmt: skip


def _jn_text(run, ctx: Ctx, w: str) -> str:
    jn = [j for j in run.result.johnson_neyman if j.get("moderator", w) == w]
    if not run.result.johnson_neyman and run.result.model not in (1, 3):
        return ""
    if not jn:
        return _t(ctx, "para.jn.none", w=ctx.label(w))
    region = ctx.join([f"= {ctx.n(j['value'], 3)}" for j in jn])
    return _t(ctx, "para.jn", w=ctx.label(w), region=region)


def _draw(run, path, names: dict, lang: str) -> list[str]:
    from loyaltysem.report.process_plot import process_plot

    process_plot(run, path, names, lang)
    return []


# ------------------------------------------------------------------------------ effects
def _effects(run, ctx: Ctx) -> Table | None:
    r = run.result
    if not r.indirect and not r.index_moderated_mediation:
        return None
    rows, raw = [], []
    mod = next((k for row in r.indirect + r.direct for k in (row.get("w") or {})), None)
    for d in r.direct:
        rows.append(_effect_row(ctx, "kind.direct", "", d.get("w", {}), d["effect"], d["se"],
                                d["llci"], d["ulci"], boot=False, moderator=mod))  # fmt: skip
        raw.append({"kind": "direct", "path": "", **d})
    for ind in r.indirect:
        kind = "kind.total" if ind["path"] == "total" else (
            "kind.contrast" if " - " in ind["path"] else "kind.indirect")  # fmt: skip
        rows.append(_effect_row(ctx, kind, _path(ctx, ind["path"]), ind.get("w", {}),
                                ind["effect"], ind["boot.se"], ind["boot.llci"],
                                ind["boot.ulci"], moderator=mod))  # fmt: skip
        raw.append({"kind": kind.split(".")[1], **ind})
    for ix in r.index_moderated_mediation:
        rows.append(_effect_row(ctx, "kind.index", _path(ctx, ix["path"]), {}, ix["index"],
                                ix["boot.se"], ix["boot.llci"], ix["boot.ulci"],
                                moderator=mod))  # fmt: skip
        raw.append({"kind": "index", **ix})
    return Table(
        f"process{_suffix(run)}_effects", _t(ctx, "title.effects", model=r.model),
        pd.DataFrame(rows).fillna(""), _note(run, ctx, True), pd.DataFrame(raw),
        text=_effects_text(run, ctx), n=r.n,
    )  # fmt: skip


def _path(ctx: Ctx, path: str) -> str:
    if path == "total":
        return ""
    return " → ".join(ctx.label(v) for v in path.split(" -> "))


def _effect_row(ctx, kind, path, w, est, se, lo, hi, boot=True, moderator=None) -> dict:
    row = {_t(ctx, "col.kind"): _t(ctx, kind), ctx.t("col.path"): path}
    if moderator:
        value = (w or {}).get(moderator)
        row[ctx.label(moderator)] = "" if value is None else ctx.n(value, 2)
    return row | {
        _t(ctx, "col.effect"): ctx.n(est), _t(ctx, "col.se"): ctx.n(se),
        **_ci_cells(ctx, lo, hi),
    }  # fmt: skip


def _effects_text(run, ctx: Ctx) -> str:
    v, spec = run.verdict, run.spec
    if v is None:
        return ""
    if v.outcome == "no_index":
        text = _t(ctx, "para.effects.noindex")
    elif "index" in v.values:
        inside = "outside" if v.values["llci"] > 0 or v.values["ulci"] < 0 else "inside"
        text = _t(ctx, "para.effects.index", w=ctx.label(v.values["moderator"] or spec.w),
                  path=_path(ctx, v.values["path"]), index=ctx.n(v.values["index"]),
                  lo=ctx.n(v.values["llci"]), hi=ctx.n(v.values["ulci"]),
                  inside=_t(ctx, f"para.effects.index.{inside}"),
                  verdict=_t(ctx, "para.effects.index." + ("yes" if inside == "outside"
                                                           else "no")))  # fmt: skip
    elif "effect" in v.values:
        inside = "outside" if v.values["llci"] > 0 or v.values["ulci"] < 0 else "inside"
        text = _t(ctx, "para.effects.indirect", x=ctx.label(spec.x), y=ctx.label(spec.y),
                  path=_path(ctx, v.values["path"]) or _t(ctx, "kind.total"),
                  effect=ctx.n(v.values["effect"]), lo=ctx.n(v.values["llci"]),
                  hi=ctx.n(v.values["ulci"]), inside=_t(ctx, f"para.effects.index.{inside}"),
                  verdict=_t(ctx, "para.effects.indirect." + ("yes" if inside == "outside"
                                                              else "no")))  # fmt: skip
    else:
        return ""
    if spec.id:
        text += _t(ctx, "para.hypothesis", id=spec.id, result=_t(ctx, f"result.{v.outcome}"))
    return text
