"""Thesis tables built from the analysis results (no statistics computed here).

Every builder has one signature, ``builder(result, ctx) -> Table | list[Table] | None``, and
:data:`loyaltysem.report.registry.BUILDERS` lists them in the order of a results chapter
with their section. Each table
carries its display strings, the numbers behind them, a note (cut-offs with ``[[source]]``
markers), the paragraph under it and the criteria it finds not met.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.judgment.measurement import STOPS as KEYING_STOPS
from loyaltysem.judgment.measurement import VerdictSet
from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.i18n import col, t, title
from loyaltysem.report.notes import complete_n_text, continuous_note, model_n_text

DAGGER = "†"


def _mark(text: str, failed: bool) -> str:
    return text + DAGGER if failed and text else text


def _failed_note(ctx: Ctx, criterion: str, sources: str) -> str:
    return ctx.t("failed_mark", criterion=criterion, sources=sources)


def _n_complete(res) -> int:
    items = [i for i in res.instrument.item_codes if i in res.survey.data.columns]
    return int(res.survey.data[items].dropna().shape[0])


def main_fit(res):
    """The CB-SEM fit the chapter's N and missing-data rule refer to: the structural model,
    or the CFA when the model has no structural part yet (a freshly initialised model)."""
    return res.structural.sem if res.structural is not None else res.measurement.cfa


def _missing_rule(res) -> str:
    """How the model handled missing answers: "pls" (mean replacement), "fiml" or
    "listwise"."""
    if res.method == "pls":
        return "pls"
    return "fiml" if main_fit(res).options.fiml else "listwise"


def _model_n(res) -> int:
    """N of the structural model (CB-SEM fit or PLS-SEM)."""
    return int(res.pls.fit.n if res.method == "pls" else main_fit(res).n)


def _model_n_text(res, ctx: Ctx) -> str:
    if res.method == "pls":
        return ctx.t("n_note_pls", n=res.pls.fit.n)
    return _sem_n_text(res, ctx)


def _sem_n_text(res, ctx: Ctx) -> str:
    """N of the structural model's tables, with the respondents listwise deletion left out."""
    fit = main_fit(res)
    return model_n_text(ctx, fit, "n_note" if fit.options.fiml else "n_note_listwise")


# --------------------------------------------------------------------------- sample
def screening(res, ctx: Ctx) -> Table | None:
    """Respondents in the file, flagged careless answering, the N the models used."""
    if res.sample.screening is None or res.sample.valid_sample is not None:
        return None
    flags, n_input, lang = res.sample.screening.flags, res.sample.screening.n_input, ctx.lang
    keys = ["collected", "any_missing", "straightliner", "speeder", "attention_failed", "outlier"]
    counts = [
        n_input,
        int((flags["n_missing"] > 0).sum()),
        *[int(flags[k].sum()) if k in flags else 0 for k in keys[2:]],
    ]
    used_key = f"used_{_missing_rule(res)}{_cfa_only(res)}"
    keys.append(used_key)
    counts.append(_model_n(res))
    d = pd.DataFrame(
        {
            col("statistic", lang): [ctx.t(f"row.{k}") for k in keys],
            col("count", lang): [str(c) for c in counts],
            col("percent", lang): [ctx.n(100 * c / n_input, 1) for c in counts],
        }
    )
    raw = pd.DataFrame({"statistic": keys[:-1] + ["n_used"], "n": counts})
    note = ctx.t("note.screening." + _missing_rule(res) + _cfa_only(res))
    c = dict(zip(keys, counts, strict=True))
    text = ctx.t(
        "para.screening" + _cfa_only(res),
        n=n_input,
        miss=c["any_missing"],
        sl=c["straightliner"],
        sp=c["speeder"],
        att=c["attention_failed"],
        out=c["outlier"],
        used=_model_n(res),
        pct=ctx.n(100 * _model_n(res) / n_input, 1),
    )
    return Table(
        "screening", title("screening", lang), d, note, raw, text=text, n=n_input,
        warnings=list(res.sample.screening.warnings),
        summary=ctx.t("sum.screening" + _cfa_only(res), n=n_input, used=_model_n(res)),
    )  # fmt: skip


def valid_sample_table(res, ctx: Ctx) -> Table | None:
    """Questionnaires collected, flagged and removed per reason, valid N and rate, and the N
    the CFA and SEM used (valid_sample.py)."""
    vs = res.sample.valid_sample
    if vs is None:
        return None
    lang, tab = ctx.lang, vs.table
    rows = []
    for _, r in tab.iterrows():
        flagged = "" if pd.isna(r["flagged"]) else str(int(r["flagged"]))
        rows.append({
            col("item_row", lang): ctx.t(f"vs.{r['key']}"),
            col("flagged", lang): flagged,
            col("count", lang): str(int(r["n"])),
            col("percent", lang): ctx.n(r["percent"], 1),
        })  # fmt: skip
    used_key, n_model = f"used_{_missing_rule(res)}{_cfa_only(res)}", _model_n(res)
    rows.append({col("item_row", lang): ctx.t(f"row.{used_key}"), col("flagged", lang): "",
                 col("count", lang): str(n_model),
                 col("percent", lang): ctx.n(100 * n_model / vs.n_collected, 1)})  # fmt: skip
    kept = [ctx.t(f"vs.{k}") for k, dropped in vs.policy.items() if not dropped]
    flagged_kept = int(sum(tab.loc[tab["key"] == k, "flagged"].fillna(0).sum()
                           for k, d in vs.policy.items() if not d))  # fmt: skip
    note = ctx.t("note.valid." + ("kept" if kept and flagged_kept else "dropped"))
    note += ctx.t("note.missing." + _missing_rule(res) + _cfa_only(res))
    pls = _missing_rule(res) == "pls"
    text = ctx.t("para.valid" + (".pls" if pls else _cfa_only(res)), n=vs.n_collected,
                 removed=vs.n_collected - vs.n_valid, valid=vs.n_valid,
                 rate=ctx.n(vs.valid_rate, 1), used=n_model)  # fmt: skip
    if kept and flagged_kept:
        text += ctx.t("para.valid.kept", k=flagged_kept)
    raw = tab.copy()  # the data file carries the labels in both languages
    raw.insert(1, "label_en", [t(f"vs.label.{k}", "en") for k in tab["key"]])
    raw.insert(2, "label_zh", [t(f"vs.label.{k}", "zh") for k in tab["key"]])
    return Table(
        "valid_sample", title("valid_sample", lang), pd.DataFrame(rows), note, raw, text=text,
        n=vs.n_valid,
        warnings=list(res.sample.screening.warnings) if res.sample.screening else [],
        summary=ctx.t("sum.valid" + (".pls" if pls else _cfa_only(res)), n=vs.n_collected,
                      valid=vs.n_valid, rate=ctx.n(vs.valid_rate, 1), used=n_model),
    )  # fmt: skip


def sample_profile(res, ctx: Ctx) -> Table | None:
    """Frequencies of the demographic variables with the model file's labels; a continuous
    one (age in years) in one row: M (SD), range and its valid n."""
    from loyaltysem.psychometrics.descriptives import sample_profile as profile_of

    inst, data, continuous = res.instrument, res.survey.data, res.sample.continuous
    demo = [d.code for d in inst.demographics if d.code in data.columns]
    if not demo:
        return None
    lang = ctx.lang
    prof = profile_of(data, demo, inst, lang, ctx.t("missing"), continuous=continuous)
    cont = prof["code"].isin(continuous) & (prof["category"] == "")
    d = pd.DataFrame(
        {
            col("variable", lang): prof["variable"].where(~prof["variable"].duplicated(), ""),
            col("category", lang): [_moments(ctx, r) if c else r["category"]
                                    for (_, r), c in zip(prof.iterrows(), cont, strict=True)],
            col("n", lang): prof["n"].astype(int).astype(str),
            col("percent", lang): prof["percent"].map(lambda x: ctx.n(x, 1)),
        }
    )  # fmt: skip
    parts = []
    for var, rows in prof.groupby("variable", sort=False):
        if rows["code"].iloc[0] in continuous:  # its mean, not its most frequent value
            r = rows[rows["category"] == ""].iloc[0]
            parts.append(ctx.t("para.profile.mean", var=var, m=ctx.n(r["mean"], 2),
                               sd=ctx.n(r["sd"], 2)))  # fmt: skip
            continue
        top = rows.sort_values("n", ascending=False).iloc[0]
        parts.append(
            ctx.t("para.profile.part", var=var, cat=top["category"], pct=ctx.n(top["percent"], 1))
        )
    n = len(data)
    text = ctx.t("para.profile", n=n, parts=ctx.t("list_sep").join(parts))
    cc, note = res.scores.continuous, ""
    if continuous and (cc is None or not len(cc)):  # else said in the correlations' note
        note = continuous_note(ctx, continuous, "note.continuous")
    return Table("sample_profile", title("sample_profile", lang), d, note, prof, text=text, n=n)


def _moments(ctx: Ctx, row) -> str:
    """ "M (SD) = 28.42 (10.17); range 15–68" of a continuous demographic's profile row."""
    lo, hi = float(row["min"]), float(row["max"])
    whole = lo.is_integer() and hi.is_integer()
    return ctx.t("row.continuous", m=ctx.n(row["mean"], 2), sd=ctx.n(row["sd"], 2),
                 lo=ctx.n(lo, 0 if whole else 2), hi=ctx.n(hi, 0 if whole else 2))  # fmt: skip


# --------------------------------------------------------------------------- descriptives
def descriptives(res, ctx: Ctx) -> Table:
    from loyaltysem.psychometrics.screening import KURTOSIS_CUTOFF, SKEW_CUTOFF

    desc, m, lang = res.items.descriptives, res.items.mardia, ctx.lang
    bad_s = desc["skew"].abs() >= SKEW_CUTOFF
    bad_k = desc["kurtosis"].abs() >= KURTOSIS_CUTOFF
    d = pd.DataFrame(
        {
            col("item", lang): desc.index,
            col("n", lang): desc["n"].astype(int).astype(str).to_numpy(),
            col("mean", lang): desc["mean"].map(lambda x: ctx.n(x, 2)).to_numpy(),
            col("sd", lang): desc["sd"].map(lambda x: ctx.n(x, 2)).to_numpy(),
            col("min", lang): desc["min"].map(lambda x: ctx.n(x, 0)).to_numpy(),
            col("max", lang): desc["max"].map(lambda x: ctx.n(x, 0)).to_numpy(),
            col("skew", lang): [
                _mark(ctx.n(v, 2), f) for v, f in zip(desc["skew"], bad_s, strict=True)
            ],
            col("kurtosis", lang): [
                _mark(ctx.n(v, 2), f) for v, f in zip(desc["kurtosis"], bad_k, strict=True)
            ],
        }
    )
    note = ctx.t("note.descriptives")
    failed = []
    mardia_text = ""
    if m:
        bad_m = m["kurtosis.z"] >= 5
        note += " " + ctx.t("note.mardia", b2p=ctx.n(m["b2p"], 2), z=ctx.n(m["kurtosis.z"], 2))
        mardia_text = ctx.t(
            "para.mardia." + ("bad" if bad_m else "ok"), z=ctx.n(m["kurtosis.z"], 2)
        )
        if bad_m:  # say what was run, never advise what was not
            run = (
                "pls"
                if res.method == "pls"
                else ("robust" if main_fit(res).options.scaled else "ml")
            )
            mardia_text = ctx.t(f"judge.mardia.{run}", z=ctx.n(m["kurtosis.z"], 2))
        if res.options.ordered:
            mardia_text = ctx.t("para.mardia.ordered", z=ctx.n(m["kurtosis.z"], 2))
        if bad_m and not res.options.ordered:
            failed.append(ctx.t("fail.mardia", z=ctx.n(m["kurtosis.z"], 2)))
    worst_s, worst_k = desc["skew"].abs().max(), desc["kurtosis"].abs().max()
    ok = not (bad_s.any() or bad_k.any())
    if not ok:
        failed.append(ctx.t("fail.normal", items=ctx.join(list(desc.index[bad_s | bad_k]))))
        note += " " + _failed_note(ctx, "|skew| < 3, |kurtosis| < 10", "[[kline2016]]")
    text = (
        ctx.t(
            "para.descriptives." + ("ok" if ok else "bad"),
            mlo=ctx.n(desc["mean"].min(), 2),
            mhi=ctx.n(desc["mean"].max(), 2),
            slo=ctx.n(desc["sd"].min(), 2),
            shi=ctx.n(desc["sd"].max(), 2),
            s=ctx.n(worst_s, 2),
            k=ctx.n(worst_k, 2),
        )
        + mardia_text
        + estimator_text(res, ctx)
    )
    n = int(desc["n"].max())
    return Table(
        "descriptives", title("descriptives", lang), d, note, desc, text=text, n=n,
        failed=failed, marks=not ok,
    )  # fmt: skip


def estimator_text(res, ctx: Ctx) -> str:
    """Which estimator the CFA and SEM use and why, when items are ordered categories."""
    info = res.measurement.ordinal if res.method == "cb" else {}
    if not info:
        return ""
    k, skew = info["categories.max"], info["skew.max"]
    if k <= 5:
        reason = ctx.t("reason.ordered.few")
    elif skew > 1:
        reason = ctx.t("reason.ordered.skew", s=ctx.n(skew, 2))
    else:
        reason = ctx.t("reason.ordered.chosen", k=k)
    return ctx.t("para.estimator.ordered", k=k, reason=reason, est=info["estimator"])


# --------------------------------------------------------------------------- method bias
def harman(res, ctx: Ctx) -> Table:
    h, lang = res.items.harman, ctx.lang
    share = 100 * h["first_factor_share"]
    bad = res.items.verdicts.outcome("harman") == "not_met"
    d = pd.DataFrame(
        {
            col("statistic", lang): [ctx.t("row.harman_share"), ctx.t("row.harman_n_eigen")],
            col("value", lang): [_mark(ctx.n(share, 2), bad), str(h.get("n_eigen_gt1", ""))],
            col("cutoff", lang): ["< 40%", ""],
        }
    )
    note = ctx.t("note.harman")
    text = ctx.t("para.harman." + ("bad" if bad else "ok"), share=ctx.n(share, 2),
                 k=h.get("n_eigen_gt1", ""))  # fmt: skip
    return Table(
        "cmb", title("cmb", lang), d, note, pd.DataFrame([h]), text=text, n=int(h.get("n", 0)),
        failed=[ctx.t("fail.harman", share=ctx.n(share, 2))] if bad else [], marks=bad,
        summary=ctx.t("sum.harman", share=ctx.n(share, 2)) if not bad else "",
    )  # fmt: skip


# --------------------------------------------------------------------------- reliability
def _alpha_label(ctx: Ctx, v) -> str:
    """ "Site information (α = .695)" / "(ordinal α = .64)" for a construct's alpha verdict."""
    sym = ctx.t("ordinal_alpha") if v.values["coefficient"] == "ordinal" else "α"
    return ctx.label(v.values["construct"]) + ctx.paren(f"{sym} = {ctx.b(v.values['value'])}")


def reliability(res, ctx: Ctx) -> Table:
    """Cronbach's α (and ordinal α with ordered items), CITC and α if item deleted, marked and
    worded by the item stage's verdicts (judgment.measurement.reliability_verdicts)."""
    rel, lang, vs = res.items.reliability, ctx.lang, res.items.verdicts
    oa = res.items.ordinal_alpha
    ordinal = None if oa is None else oa.constructs["alpha"].to_dict()
    rows = []
    for c, crow in rel.constructs.iterrows():
        its = rel.items[rel.items["construct"] == c]
        av = vs.get(f"alpha:{c}")
        a_bad = av is not None and not av.holds
        on_ordinal = av is not None and av.values["coefficient"] == "ordinal"
        for k, (_, irow) in enumerate(its.iterrows()):
            item = irow["item"]
            c_bad = vs.outcome(f"citc:{item}") == "not_met"
            d_bad = vs.outcome(f"aid:{item}") == "not_met"
            rows.append({
                col("construct", lang): ctx.label(c) if k == 0 else "",
                col("item", lang): item,
                col("citc", lang): _mark(ctx.b(irow["citc"]), c_bad),
                col("alpha_if_deleted", lang): _mark(ctx.b(irow["alpha.if.deleted"]), d_bad),
                col("alpha", lang): _mark(ctx.b(crow["alpha"]), a_bad and not on_ordinal)
                if k == 0 else "",
            })  # fmt: skip
            if ordinal is not None:
                v = ordinal.get(c)
                rows[-1][col("alpha_ordinal", lang)] = (
                    "" if k or v is None else _mark(ctx.b(v), a_bad and on_ordinal)
                )
    failed_c = [_alpha_label(ctx, v) for v in vs.failed("alpha")]
    failed_i = [VerdictSet.name(v.subject) + ctx.paren(ctx.b(v.values["value"]))
                for v in vs.failed("citc")]  # fmt: skip
    failed_d = [VerdictSet.name(v.subject) for v in vs.failed("aid")]
    text, summary = _reliability_text(res, ctx, failed_c, failed_i, failed_d)
    failed = []
    if failed_c:
        failed.append(ctx.t("fail.alpha", which=ctx.join(failed_c)))
    if failed_i:
        failed.append(ctx.t("fail.citc", which=ctx.join(failed_i)))
    note = ctx.t("note.reliability")
    if ordinal:
        note += " " + ctx.t("note.reliability.ordinal")
    if failed_c or failed_i or failed_d:
        note += " " + _failed_note(ctx, ctx.t("crit.reliability"), "[[nunnally1978]]")
    note += _keying_note(res, ctx)
    raw = rel.items.merge(rel.constructs[["alpha"]], left_on="construct", right_index=True)
    if ordinal:
        raw["alpha.ordinal"] = raw["construct"].map(ordinal)
    n = int(rel.constructs["n"].max()) if "n" in rel.constructs else _n_complete(res)
    return Table(
        "reliability", title("reliability", lang), pd.DataFrame(rows), note, raw, text=text,
        n=n, failed=failed, marks=bool(failed_c or failed_i or failed_d),
        warnings=list(rel.warnings), summary=summary,
    )  # fmt: skip


def _reliability_text(res, ctx: Ctx, failed_c, failed_i, failed_d) -> tuple[str, str]:
    """The paragraph and the summary sentence: the coefficient judged (ordinal α when every
    construct is judged on it), its range and verdict, CITC and α if deleted."""
    vs = res.items.verdicts
    alphas = vs.kind("alpha")
    judged = [v.values["value"] for v in alphas]
    cronbach = res.items.reliability.constructs["alpha"].dropna()
    all_ordinal = bool(alphas) and all(v.values["coefficient"] == "ordinal" for v in alphas)
    lo, hi = (min(judged), max(judged)) if judged else (cronbach.min(), cronbach.max())
    if all_ordinal:
        text = ctx.t("para.reliability.ordinal_judged", lo=ctx.b(lo), hi=ctx.b(hi))
    else:
        text = ctx.t("para.reliability", lo=ctx.b(cronbach.min()), hi=ctx.b(cronbach.max()))
    if failed_c:
        text += ctx.t("para.reliability.alpha_bad", which=ctx.join(failed_c))
    else:
        text += ctx.t("para.reliability.alpha_ok")
    if all_ordinal:
        text += ctx.t("para.reliability.cronbach_compare", lo=ctx.b(cronbach.min()),
                      hi=ctx.b(cronbach.max()))  # fmt: skip
    elif res.items.ordinal_alpha is not None:
        ordinal = [v.values["value"] for v in alphas if v.values["coefficient"] == "ordinal"]
        text += ctx.t("para.reliability.ordinal", lo=ctx.b(min(ordinal)), hi=ctx.b(max(ordinal)))
    if failed_i:
        text += ctx.t("para.reliability.citc_bad", which=ctx.join(failed_i))
    else:
        text += ctx.t("para.reliability.citc_ok")
    if failed_d:
        text += ctx.t("para.reliability.aid_bad", which=ctx.join(failed_d))
    allowed = _allowed(res)
    if allowed:
        text += ctx.t("para.reliability.allowed", which=ctx.join(
            [ctx.label(VerdictSet.name(v.subject)) for v in allowed]))  # fmt: skip
    key = "sum.reliability.ordinal" if all_ordinal else "sum.reliability"
    summary = ctx.t(key, lo=ctx.b(lo), hi=ctx.b(hi))
    return text, summary


def _allowed(res) -> list:
    """The constructs whose reverse keying failed and that the user allowed to go on."""
    return [v for v in res.items.verdicts.kind("keying") if v.outcome in KEYING_STOPS]


def _keying_note(res, ctx: Ctx) -> str:
    """What the reliability note says about reverse keying the run was allowed to go on
    with (each construct, its items and α); the per-item warnings follow as warnings."""
    parts = []
    for v in _allowed(res):
        c = VerdictSet.name(v.subject)
        items = v.values["items"] or v.values["declared"]
        a = v.values["alpha"]
        key = "recoded" if v.outcome == "recoded" or v.values["declared"] else "negative"
        if key == "recoded" and len(items) == 1:
            key = "recoded_one"
        alpha = ctx.b(a) if np.isfinite(a) else "–"
        parts.append(ctx.t(f"note.reliability.allowed.{key}", construct=ctx.label(c),
                           items=ctx.join(items), alpha=alpha))  # fmt: skip
    if not parts:
        return ""
    sep = "；" if ctx.lang == "zh" else "; "
    return " " + ctx.t("note.reliability.allowed", which=sep.join(parts))


# --------------------------------------------------------------------------- validity (EFA)
def kmo_bartlett(res, ctx: Ctx) -> Table:
    """KMO and Bartlett's test, worded by their verdicts (KMO >= .70, tolerated from .60;
    Bartlett p < .05)."""
    k, b, lang, vs = res.items.kmo, res.items.bartlett, ctx.lang, res.items.verdicts
    kmo_out = vs.outcome("kmo", "met")
    kmo_bad = kmo_out != "met"
    bart_ok = vs.outcome("bartlett", "met") == "met"
    d = pd.DataFrame(
        {
            col("statistic", lang): [
                ctx.t("row.kmo"),
                ctx.t("row.bartlett_chisq"),
                ctx.t("row.bartlett_df"),
                ctx.t("row.bartlett_p"),
            ],
            col("value", lang): [
                _mark(ctx.b(k["overall"]), kmo_bad),
                ctx.n(b["chisq"], 2),
                ctx.n(b["df"], 0),
                _mark(ctx.p(b["pvalue"]), not bart_ok),
            ],
        }
    )
    raw = pd.DataFrame([{"kmo": k["overall"], **b}])
    key = {"met": "ok", "tolerated": "bad", "not_met": "poor"}[kmo_out]
    fields = dict(kmo=ctx.b(k["overall"]), chisq=ctx.n(b["chisq"], 2), df=ctx.n(b["df"], 0),
                  p=ctx.p_eq(b["pvalue"]))  # fmt: skip
    text = ctx.t("para.kmo." + (key if bart_ok else "bartlett_ns"), **fields)
    failed = [ctx.t("fail.kmo", kmo=ctx.b(k["overall"]))] if kmo_bad else []
    if not bart_ok:
        failed.append(ctx.t("fail.bartlett", p=ctx.p_eq(b["pvalue"])))
    note = ctx.t("note.kmo")
    if kmo_bad or not bart_ok:
        note += " " + _failed_note(ctx, ctx.t("crit.kmo"), "[[kaiser1974]][[bartlett1954]]")
    return Table(
        "kmo", title("kmo", lang), d, note, raw, text=text,
        n=int(b.get("n", _n_complete(res))), failed=failed, marks=bool(failed),
    )  # fmt: skip


def _method_words(ctx: Ctx, method: str, rotation: str | None) -> tuple[str, str]:
    m = ctx.t(f"efa.method.{method}") if ctx_has(f"efa.method.{method}") else method
    r = ctx.t(f"efa.rotation.{rotation or 'none'}")
    return m, r


def ctx_has(key: str) -> bool:
    from loyaltysem.report.i18n import has

    return has(key)


def variance_explained(res, ctx: Ctx) -> Table:
    """SPSS's "Total Variance Explained", the verdict on the cumulative share, and the scree
    plot of the eigenvalues parallel analysis counts (the factors')."""
    v, lang = res.items.variance, ctx.lang
    k = res.items.efa.loadings.shape[1]
    v = v.iloc[: max(k, 1) + 3]
    d = pd.DataFrame(
        {
            col("component", lang): v.index.astype(str),
            col("eigenvalue", lang): v["eigenvalue"].map(lambda x: ctx.n(x, 3)).to_numpy(),
            col("variance_pct", lang): v["percent"].map(lambda x: ctx.n(x, 2)).to_numpy(),
            col("cumulative_pct", lang): v["cumulative"].map(lambda x: ctx.n(x, 2)).to_numpy(),
        }
    )
    if "rotation.ss" in v:
        d[col("rotation_ss", lang)] = v["rotation.ss"].map(lambda x: ctx.n(x, 3)).to_numpy()
        d[col("rotation_cum", lang)] = (
            v["rotation.cumulative"].map(lambda x: ctx.n(x, 2)).to_numpy()
        )
    verdict = res.items.verdicts["variance"]
    cum, bad = verdict.values["value"], not verdict.holds
    n_eig = int((res.items.variance["eigenvalue"] > 1).sum())
    pa = res.items.parallel
    text = ctx.t("para.variance." + ("bad" if bad else "ok"), k=k, eig=n_eig,
                 cum=ctx.n(cum, 2), pa=pa.n_factors)  # fmt: skip
    if pa.n_factors != k:
        text += ctx.t("para.variance.design", k=k, pa=pa.n_factors)
    scree = Figure(
        "scree", ctx.t("fig.scree"), "scree_plot.png",
        lambda path, r=res, lang=lang: _draw_scree(r, path, lang),
        text=ctx.t("para.fig.scree", pa=pa.n_factors, iters=pa.n_iter,
                   q=ctx.n(100 * pa.quantile, 0)),
    )  # fmt: skip
    note = ctx.t("note.variance", k=k, q=ctx.n(100 * pa.quantile, 0), iters=pa.n_iter,
                 seed=pa.seed)  # fmt: skip
    if bad:
        note += " " + _failed_note(ctx, ctx.t("crit.variance"), "[[hair2019]]")
    return Table(
        "variance", title("variance", lang), d.reset_index(drop=True), note, v, text=text,
        n=res.items.efa.n or _n_complete(res), figures=[scree], marks=False,
        failed=[ctx.t("fail.variance", cum=ctx.n(cum, 2))] if bad else [],
    )  # fmt: skip


def _draw_scree(res, path, lang):
    """The factor eigenvalues parallel analysis compares, the resampled quantile it compares
    them with, and the number it retains (the count the text cites)."""
    from loyaltysem.report import figures

    pa = res.items.parallel
    figures.scree_plot(
        pa.observed_factors, pa.quantile_factors, pa.n_factors, path, lang, quantile=pa.quantile
    )


def loadings(res, ctx: Ctx) -> Table:
    """The rotated loadings, each item's verdict (largest loading >= .50, no cross-loading)
    marked and worded."""
    lt, lang, vs = res.items.loadings, ctx.lang, res.items.verdicts
    cols = [c for c in lt.columns if c != "flag"]
    main = lt[cols].abs().max(axis=1)
    weak = pd.Series({i: vs.outcome(f"efa:{i}") == "weak" for i in lt.index})
    d = pd.DataFrame({col("item", lang): lt.index})
    for j, c in enumerate(cols, start=1):
        vals = []
        for item in lt.index:
            x = lt.loc[item, c]
            vals.append(_mark(ctx.b(x), bool(weak[item]) and abs(x) == main[item]))
        d[str(j)] = vals
    if (lt["flag"] != "").any():
        d[col("flag", lang)] = (
            lt["flag"]
            .map(
                {
                    "": "",
                    "cross-loading": ctx.t("row.cross_loading"),
                    "no salient loading": ctx.t("row.no_salient"),
                }
            )  # fmt: skip
            .fillna("")
            .to_numpy()
        )
    method, rotation = _method_words(ctx, res.items.efa.method, res.items.efa.rotation)
    unit = ctx.t("efa.unit." + ("pca" if res.items.efa.method == "pca" else "fa"))
    note = ctx.t("note.loadings", method=method, rotation=rotation, thr=ctx.b(0.40, 2),
                 k=len(cols), unit=unit)  # fmt: skip
    text = ctx.t("para.loadings", k=len(cols), lo=ctx.b(main.min()), hi=ctx.b(main.max()))
    failed = []
    groups = {o: [VerdictSet.name(v.subject) for v in vs.failed("efa", (o,))]
              for o in ("weak", "cross", "none")}  # fmt: skip
    parts = [ctx.t(f"efa.problem.{o}", which=ctx.join(items))
             for o, items in groups.items() if items]  # fmt: skip
    if parts:
        which = ("，" if lang == "zh" else ", ").join(parts)
        text += ctx.t("para.loadings.bad", which=which)
        failed.append(ctx.t("fail.efa", which=which))
        note += " " + _failed_note(ctx, ctx.t("crit.efa"), "[[hair2019]]")
    else:
        text += ctx.t("para.loadings.ok")
    key = "loadings_pca" if res.items.efa.method == "pca" else "loadings"
    return Table(
        "loadings", title(key, lang), d, note, lt, text=text, n=res.items.efa.n or _n_complete(res),
        warnings=list(res.items.efa.warnings), failed=failed, marks=bool(weak.any()),
    )  # fmt: skip


# --------------------------------------------------------------------------- validity (CFA)
def convergent(res, ctx: Ctx) -> Table:
    """CFA loadings, CR and AVE marked and worded by the measurement stage's verdicts
    (loadings >= .60, or .70 under the strict rules; CR >= .70; AVE >= .50)."""
    est, val, lang = res.measurement.cfa.estimates, res.measurement.validity, ctx.lang
    vs = res.measurement.verdicts
    ordered = bool(res.options.ordered)
    lkind = "loading.strict" if ctx.strict else "loading"
    cut = 0.70 if ctx.strict else 0.60
    rows, raw = [], []
    for c, its in res.instrument.construct_items.items():
        lo = est[(est["op"] == "=~") & (est["lhs"] == c)].set_index("rhs")
        cr, ave = val.loc[c, "cr"], val.loc[c, "ave"]
        cr_bad, ave_bad = vs.outcome(f"cr:{c}") == "not_met", vs.outcome(f"ave:{c}") == "not_met"
        for k, item in enumerate(its):
            r = lo.loc[item]
            fixed = r["se"] == 0
            rows.append(
                {
                    col("construct", lang): ctx.label(c) if k == 0 else "",
                    col("item", lang): item,
                    col("loading", lang): _mark(
                        ctx.b(r["std.all"]), vs.outcome(f"{lkind}:{item}") == "not_met"
                    ),
                    col("se", lang): "" if fixed else ctx.n(r["se"], 3),
                    col("z", lang): "" if fixed else ctx.n(r["z"], 2),
                    col("p", lang): "" if fixed else ctx.p(r["pvalue"]),
                    col("cr", lang): _mark(ctx.b(cr), cr_bad) if k == 0 else "",
                    col("ave", lang): _mark(ctx.b(ave), ave_bad) if k == 0 else "",
                }
            )
            if ordered and "omega" in val:
                rows[-1][col("omega_cat", lang)] = ctx.b(val.loc[c, "omega"]) if k == 0 else ""
            raw.append({"construct": c, "item": item, "std.all": r["std.all"], "se": r["se"],
                        "z": r["z"], "pvalue": r["pvalue"], "cr": cr, "ave": ave})  # fmt: skip
    weak = [VerdictSet.name(v.subject) + ctx.paren(ctx.b(v.values["value"]))
            for v in vs.failed(lkind)]  # fmt: skip
    bad_cr, bad_ave = ([ctx.label(VerdictSet.name(v.subject)) + ctx.paren(ctx.b(v.values["value"]))
                        for v in vs.failed(kind)] for kind in ("cr", "ave"))  # fmt: skip
    loads = est[(est["op"] == "=~") & est["rhs"].isin(res.instrument.item_codes)]["std.all"]
    text = ctx.t("para.convergent", lo=ctx.b(loads.min()), hi=ctx.b(loads.max()),
                 crlo=ctx.b(val["cr"].min()), crhi=ctx.b(val["cr"].max()),
                 avelo=ctx.b(val["ave"].min()), avehi=ctx.b(val["ave"].max()))  # fmt: skip
    failed = []
    for key, which in (("weak", weak), ("cr", bad_cr), ("ave", bad_ave)):
        if which:
            text += ctx.t(f"para.convergent.{key}", which=ctx.join(which), cut=ctx.b(cut, 2))
            failed.append(ctx.t(f"fail.{key}", which=ctx.join(which), cut=ctx.b(cut, 2)))
    if not failed:
        text += ctx.t("para.convergent.ok")
    note = ctx.t("note.convergent", cut=ctx.b(cut, 2))
    if ordered and "omega" in val:
        om = val["omega"].dropna()
        if len(om):
            text += " " + ctx.t("para.convergent.omega_cat", lo=ctx.b(om.min()), hi=ctx.b(om.max()))
        note += " " + ctx.t("note.convergent.ordinal", est=res.measurement.cfa.estimator)
    if failed:
        note += " " + _failed_note(
            ctx, ctx.t("crit.convergent", cut=ctx.b(cut, 2)), "[[hair2019]][[fornell1981]]"
        )
    return Table(
        "convergent", title("convergent", lang), pd.DataFrame(rows), note, pd.DataFrame(raw),
        text=text, n=res.measurement.cfa.n, n_text=_sem_n_text(res, ctx),
        warnings=list(res.measurement.cfa.warnings),
        failed=failed, marks=bool(failed),
    )  # fmt: skip


def _square(
    m: pd.DataFrame, ctx: Ctx, marks: set | None = None, diagonal: bool = True
) -> pd.DataFrame:
    """A lower-triangular matrix the APA way: numbered rows ("1. Satisfaction") and numbered
    columns, so twelve constructs fit on a page."""
    marks = marks or set()
    names = [f"{k}. {ctx.label(c)}" for k, c in enumerate(m.index, start=1)]
    d = pd.DataFrame(
        "", index=range(len(names)), columns=[str(k) for k in range(1, len(names) + 1)]
    )
    for i, a in enumerate(m.index):
        for j, b in enumerate(m.columns):
            if j < i or (j == i and diagonal):
                d.iloc[i, j] = _mark(ctx.b(m.loc[a, b]), (a, b) in marks)
    d.insert(0, col("construct", ctx.lang), names)
    return d


def fornell_larcker_failures(res) -> list[str]:
    """The constructs whose sqrt(AVE) is not above all their latent correlations (the
    measurement stage's Fornell-Larcker verdicts; the correlation table reads them too)."""
    return [VerdictSet.name(v.subject) for v in res.measurement.verdicts.failed("fornell")]


def fornell_larcker(res, ctx: Ctx) -> Table:
    """Latent correlations with sqrt(AVE) on the diagonal; the verdict per construct."""
    fl = res.measurement.fornell_larcker
    bad = fornell_larcker_failures(res)
    which = ctx.join([_fornell_which(res, ctx, c) for c in bad])
    text = ctx.t("para.fornell." + ("bad" if bad else "ok"), which=which,
                 rmax=ctx.b(fl.where(~np.eye(len(fl), dtype=bool)).abs().max().max()),
                 dmin=ctx.b(np.diag(fl).min()))  # fmt: skip
    heat = Figure(
        "heatmap", ctx.t("fig.heatmap"), "construct_correlations.png",
        lambda path, r=res, lang=ctx.lang: _draw_heatmap(r, path, lang),
        text=ctx.t("para.fig.heatmap"),
    )  # fmt: skip
    note = ctx.t("note.fornell")
    hocs = res.instrument.construct_components if res.method == "cb" else {}
    if hocs:  # the correlations among a second-order construct's dimensions are implied by it
        note += " " + ctx.t("ho.note.fornell", hocs=ctx.join([ctx.label(c) for c in hocs]))
    if bad:
        note += " " + _failed_note(ctx, ctx.t("crit.fornell"), "[[fornell1981]]")
    return Table(
        "fornell_larcker", title("fornell_larcker", ctx.lang),
        _square(fl, ctx, {(c, c) for c in bad}), note, fl, text=text, n=res.measurement.cfa.n,
        n_text=_sem_n_text(res, ctx), marks=bool(bad), figures=[heat],
        failed=[ctx.t("fail.fornell", which=ctx.join([ctx.label(c) for c in bad]))] if bad else [],
    )  # fmt: skip


def _fornell_which(res, ctx: Ctx, c: str) -> str:
    """ "Quality (√AVE = .693 < r = .919 with Performance)" for a failing construct."""
    v = res.measurement.verdicts[f"fornell:{c}"]
    fl = res.measurement.fornell_larcker
    other = max(v.values["above"], key=lambda o: max(abs(fl.loc[c, o]), abs(fl.loc[o, c])))
    r = max(abs(fl.loc[c, other]), abs(fl.loc[other, c]))
    return ctx.label(c) + ctx.paren(ctx.t("para.fornell.detail", d=ctx.b(v.values["sqrt_ave"]),
                                          r=ctx.b(r), other=ctx.label(other)))  # fmt: skip


def _draw_heatmap(res, path, lang):
    from loyaltysem.report import figures

    cor = res.measurement.fornell_larcker.copy()
    for c in cor.index:
        cor.loc[c, c] = 1.0  # the table's diagonal holds sqrt(AVE); the figure shows r
    figures.correlation_heatmap(
        cor, path, labels=lambda c: res.instrument.label(c, lang), lang=lang
    )


def htmt_table(res, ctx: Ctx) -> Table:
    """HTMT of every pair, marked and worded by the verdicts (< .85 met, < .90 tolerated for
    conceptually similar constructs, else not met)."""
    h, vs = res.measurement.htmt, res.measurement.verdicts
    pair = lambda v: v.values["pair"]  # noqa: E731
    name = lambda v: f"{ctx.label(pair(v)[0])}–{ctx.label(pair(v)[1])}"  # noqa: E731
    tolerated, failing = vs.failed("htmt", ("tolerated",)), vs.failed("htmt")
    off = h.where(~np.eye(len(h), dtype=bool))
    hmax = ctx.b(off.max().max())
    if failing:
        text = ctx.t("para.htmt.bad", hmax=hmax, which=ctx.join([name(v) for v in failing]))
    else:
        text = ctx.t("para.htmt.ok" if not tolerated else "para.htmt.lead", hmax=hmax)
    if tolerated:
        text += ctx.t("para.htmt.tolerated", which=ctx.join([name(v) for v in tolerated]))
    note = ctx.t("note.htmt")
    if res.options.ordered:
        note += " " + ctx.t("note.htmt.ordinal")
    marked = {pair(v) for v in failing + tolerated}
    if marked:
        note += " " + _failed_note(ctx, ctx.t("crit.htmt"), "[[henseler2015]]")
    failed = []
    if failing:
        failed.append(ctx.t("fail.htmt", which=ctx.join([name(v) for v in failing])))
    if tolerated:
        failed.append(ctx.t("fail.htmt_tolerated", which=ctx.join([name(v) for v in tolerated])))
    return Table(
        "htmt", title("htmt", ctx.lang), _square(h, ctx, marked, diagonal=False), note, h,
        text=text, n=_n_complete(res), n_text=complete_n_text(ctx, _n_complete(res),
                                                             len(res.survey.data)),
        marks=bool(marked), failed=failed,
    )  # fmt: skip


def _cfa_only(res) -> str:
    """ ".cfa" (the wording's key suffix) for a chapter whose model has no structural paths:
    the respondents enter the CFA, not a structural equation model."""
    return ".cfa" if res.measurement_only else ""
