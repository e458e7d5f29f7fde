"""Models compared on the same respondents: the rival-model table (``run --compare``) and the
rows it shares with the first-order / second-order comparison (:mod:`.higher_order`). The
numbers are :func:`loyaltysem.analyses.compare.compare`'s (lavTestLRT's order and tests); the
model kept is judgment's (:func:`loyaltysem.judgment.compare.choose_model`), stored on
``res.compare.verdicts["choice"]``."""

from __future__ import annotations

import math

import pandas as pd

from loyaltysem.judgment import fit as judge_fit
from loyaltysem.psychometrics.cutoffs import FIT_FORMAT
from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.i18n import col
from loyaltysem.report.tables.measurement import _sem_n_text

#: (column key or header, fit index (judgment.fit's names), bounded?, digits)
_COLUMNS = [
    (index if index in ("chisq", "df", "chisq/df") else index.upper(), index, *FIT_FORMAT[index])
    for index in ("chisq", "df", "chisq/df", "cfi", "tli", "rmsea", "srmr", "aic", "bic")
]


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def difference_test_name(ctx: Ctx, method: str | None) -> str:
    """The difference test named as the invariance table names it."""
    key = {"satorra.bentler.2001": "scaled", "satorra.2000": "shifted"}.get(method, "standard")
    return ctx.t(f"judge.inv.test.{key}")


def _header(ctx: Ctx, key: str, options) -> str:
    if key == "chisq":
        return col("chisq", ctx.lang)
    if key == "df":
        return col("df", ctx.lang)
    if key == "chisq/df":
        return ctx.t("fit.chisq/df")
    sfx = judge_fit.index_keys(options)[key.lower()][0].partition(".")[2] if key in (
        "CFI", "TLI", "RMSEA") else ""  # fmt: skip
    return key + (ctx.t(f"fit.{sfx}") if sfx else "")


def fit_row(ctx: Ctx, fit) -> tuple[dict, dict]:
    """(display, raw) values of one model's χ², df, χ²/df, CFI, TLI, RMSEA, SRMR, AIC, BIC as
    the fit table reports them (with a scaled test the scaled χ² and robust indices)."""
    fm, opts = fit.fit_measures, fit.options
    shown, raw = {}, {}
    for key, index, bounded, digits in _COLUMNS:
        if index in ("aic", "bic"):
            name, v = index, fm.get(index)
        else:
            name, v = judge_fit.reported(fm, index, opts)
        head = _header(ctx, key, opts)
        ok = _finite(v)
        shown[head] = "" if not ok else ctx.b(v, digits) if bounded else ctx.n(v, digits)
        raw[name or index] = float(v) if ok else math.nan
    return shown, raw


def comparison_rows(ctx: Ctx, cmp, display: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per model in lavTestLRT's order (``cmp``: a CompareResult; ``display``: model
    name -> its name in the table), each with its Δχ² test against the row above (the less
    restricted model), "not nested" where the pair is not nested."""
    lang = ctx.lang
    tests = {r["model2"]: r for _, r in cmp.tests.iterrows()}
    rows, raw = [], []
    for name in cmp.models["model"]:
        shown, values = fit_row(ctx, cmp.fits[name])
        r = tests.get(name)
        delta, p = "", ""
        if r is not None and r["nested"] is False:
            delta = ctx.t("rival.not_nested")
        elif r is not None and _finite(r["chisq.diff"]):
            delta = ctx.n(r["chisq.diff"], 3) + ctx.paren(ctx.n(r["df.diff"], 0))
            p = ctx.p(r["pvalue"]) if _finite(r["pvalue"]) else ""
        rows.append({col("model", lang): display[name], **shown,
                     ctx.t("rival.col.delta"): delta, col("p", lang): p})  # fmt: skip
        test = {} if r is None else {
            "vs": r["model1"], "nested": r["nested"], "chisq.diff": r["chisq.diff"],
            "df.diff": r["df.diff"], "pvalue": r["pvalue"], "method": r["method"]}  # fmt: skip
        raw.append({"model": name, **values, **test})
    return pd.DataFrame(rows), pd.DataFrame(raw)


def delta_text(ctx: Ctx, chisq: float, df: float, p: float) -> str:
    """ "Δχ²(33) = 124.095, p < .001"."""
    return f"Δχ²({ctx.n(df, 0)}) = {ctx.n(chisq, 3)}, {ctx.p_eq(p)}"


def model_names(res, ctx: Ctx, text: bool = False) -> dict[str, str]:
    """Model name -> its name in the table ("Research model", "Rival model 1", ...) or, with
    ``text``, in running text ("the research model", "rival model 1")."""
    sfx = "_text" if text else ""
    out = {}
    for name in res.compare.files:
        if name == "research":
            out[name] = ctx.t("rival.research" + sfx)
        else:
            out[name] = ctx.t("rival.rival" + sfx, k=name.removeprefix("rival"))
    return out


def describe(res, ctx: Ctx, name: str, path) -> str:
    """A model as the note names it: its model file's title ([meta] name) in the report's
    language, else the file name."""
    from pathlib import Path

    from loyaltysem.survey.instrument import read_instrument

    if name == "research":
        title = res.instrument.name
    elif path and Path(str(path)).suffix.lower() == ".toml":
        title = read_instrument(path).name
    else:
        title = {}
    return title.get(ctx.lang) or title.get("en") or (Path(str(path)).name if path else "—")


def _choice_text(res, ctx: Ctx, names: dict) -> tuple[str, list[str]]:
    """The paragraph's verdict: which model is kept and why; the summary's failure, if any."""
    v = res.compare.verdicts["choice"]
    vals = v.values
    aic, bic = names.get(vals["aic_best"], ""), names.get(vals["bic_best"], "")
    if v.outcome == "undecided":
        key = {"variables": "rival.para.variables", "no_ic": "rival.para.no_ic"}.get(
            v.rule, "rival.para.undecided"
        )
        return ctx.t(key, aic=aic, bic=bic), [ctx.t("rival.fail.undecided")]
    chosen = names[vals["model"]]
    if v.rule == "ic":
        text = ctx.t("rival.para.ic", model=chosen)
    else:
        tests = {(r["model1"], r["model2"]): r for _, r in res.compare.result.tests.iterrows()}
        text = ""
        for step in vals["steps"]:
            r = tests[(step["model1"], step["model2"])]
            key = "rival.para.rejects" if step["rejects"] else "rival.para.keeps"
            text += ctx.t(
                key,
                free=names[step["model1"]],
                restricted=names[step["model2"]],
                test=delta_text(ctx, r["chisq.diff"], r["df.diff"], r["pvalue"]),
            )
        text += ctx.t("rival.para.lrt", model=chosen)
        if v.caveats:
            text += ctx.t("rival.para.ic_other", aic=aic, bic=bic)
        elif aic and bic:  # (no AIC or BIC without a likelihood: WLSMV)
            text += ctx.t("rival.para.ic_same")
    failed = [] if vals["model"] == "research" else [ctx.t("rival.fail.rival", model=chosen)]
    return text, failed


def rival_models(res, ctx: Ctx) -> Table | None:
    """χ², df, χ²/df, CFI, TLI, RMSEA, SRMR, AIC and BIC of the research model and each
    rival model (``run --compare``), the Δχ² tests of nested pairs, and the model kept."""
    if res.method != "cb" or getattr(res, "compare", None) is None:
        return None
    cmp, names = res.compare.result, model_names(res, ctx)
    data, raw = comparison_rows(ctx, cmp, names)
    files = ctx.t("rival.sep").join(
        [f"{names[k]}{ctx.t('rival.colon')}{describe(res, ctx, k, f)}"
         for k, f in res.compare.files.items()])  # fmt: skip
    method = cmp.tests["method"].iloc[0] if len(cmp.tests) else None
    note = ctx.t("rival.note", files=files, test=difference_test_name(ctx, method))
    note += scaled_note(ctx, cmp)
    text, failed = _choice_text(res, ctx, model_names(res, ctx, text=True))
    v = res.compare.verdicts["choice"]
    words = model_names(res, ctx, text=True)
    summary = (ctx.t("rival.sum", model=words[v.values["model"]]) if v.outcome == "chosen"
               else ctx.t("rival.sum.undecided"))  # fmt: skip
    raw["chosen"] = raw["model"] == v.values.get("model")
    return Table(
        "rival_models", ctx.t("rival.title"), data, note, raw,
        text=ctx.t("rival.para.intro" + ("1" if len(cmp.models) == 2 else "")) + text,
        n=cmp.n,
        n_text=_sem_n_text(res, ctx) if cmp.n == res.sem.n else "",
        warnings=fit_warnings(cmp), failed=failed, summary=summary,
    )  # fmt: skip


def scaled_note(ctx: Ctx, cmp) -> str:
    """What χ² and the indices are under a scaled test (MLR; WLSMV with ordered items)."""
    opts = next(iter(cmp.fits.values())).options
    if opts.categorical:
        return " " + ctx.t("rival.note.shifted", est=opts.estimator)
    return " " + ctx.t("rival.note.scaled") if opts.scaled else ""


def fit_warnings(cmp) -> list:
    """The fits' own warnings (their codes kept for the Chinese note), each once."""
    return list(dict.fromkeys(w for f in cmp.fits.values() for w in f.warnings))
