"""Tables of the construct scores: means, SDs and correlations, and the demographic
difference tests (same builder signature as tables.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.i18n import col, title
from loyaltysem.report.notes import continuous_note, model_n_text

WELCH = "‡"


def construct_correlations(res, ctx: Ctx) -> Table | None:
    """M, SD and the lower triangle of Pearson r with stars; sqrt(AVE) on the diagonal."""
    ct = res.scores.correlations
    if ct is None:
        return None
    lang, names = ctx.lang, list(ct.r.index)
    d = pd.DataFrame({col("construct", lang): [f"{k}. {ctx.label(c)}" for k, c in
                                                enumerate(names, start=1)]})  # fmt: skip
    d[col("mean", lang)] = [ctx.n(v, 2) for v in ct.descriptives["mean"]]
    d[col("sd", lang)] = [ctx.n(v, 2) for v in ct.descriptives["sd"]]
    for j, b in enumerate(names, start=1):
        cells = []
        for i, a in enumerate(names, start=1):
            if i == j:
                diag = ct.diagonal.get(a, np.nan) if ct.diagonal is not None else 1.0
                cells.append(ctx.b(diag) if np.isfinite(diag) else "1")
            elif i > j:
                cells.append(ctx.b(ct.r.loc[a, b]) + ct.stars.loc[a, b])
            else:
                cells.append("")
        d[str(j)] = cells
    off = ct.r.where(~np.eye(len(names), dtype=bool)).stack().dropna()  # pandas 3 keeps NaN
    sig = ct.p.where(~np.eye(len(names), dtype=bool)).stack().dropna() < 0.05
    m = ct.descriptives["mean"]
    k, total = int(sig.sum()) // 2, len(off) // 2
    text = ctx.tc(
        "para.correlations", k, total, mlo=ctx.n(m.min(), 2), mhi=ctx.n(m.max(), 2),
        rlo=ctx.b(off.min()), rhi=ctx.b(off.max()), k=k, total=total,
    )  # fmt: skip
    if ct.diagonal is not None:
        text += _fornell_larcker_text(res, ctx)
    raw = ct.r.copy()
    raw.insert(0, "sd", ct.descriptives["sd"])
    raw.insert(0, "mean", ct.descriptives["mean"])
    n = int(ct.n.to_numpy().min())
    return Table(
        "construct_correlations", title("construct_scores", lang), d,
        ctx.t("note.correlations") + " " + ctx.t("stars"), raw, text=text, n=n,
        n_text=ctx.t("n_note_pairwise", n=n, nmax=int(ct.n.to_numpy().max()))
        if ct.n.to_numpy().min() != ct.n.to_numpy().max() else "",
    )  # fmt: skip


def _fornell_larcker_text(res, ctx: Ctx) -> str:
    """What the diagonal's sqrt(AVE) shows, read from the Fornell-Larcker verdicts of the
    measurement (CB-SEM: the CFA's latent correlations; PLS-SEM: the construct scores'),
    the decision its own table prints: never judged again on the mean scores here."""
    if res.method == "pls":
        verdicts, ref, basis = res.pls.verdicts, "<T:pls_fornell_larcker>", "pls"
    else:
        verdicts, ref, basis = res.measurement.verdicts, "<T:fornell_larcker>", "cfa"
    judged = verdicts.kind("fornell")
    if not judged:
        return ""
    bad = [ctx.label(verdicts.name(v.subject)) for v in judged if not v.holds]
    basis = ctx.t(f"para.fornell.basis.{basis}")
    if bad:
        return ctx.t("para.correlations.fl_bad", ref=ref, basis=basis, which=ctx.join(bad))
    return ctx.t("para.correlations.fl", ref=ref, basis=basis)


def _named(notice, inst, vname: str, lang: str):
    """A group-difference warning with the variable's and the group's names in ``lang``
    ("性别 = 其他", not "gender = 3")."""
    fields = dict(getattr(notice, "fields", {}))
    if "variable" not in fields:
        return notice
    code = fields["variable"]
    fields["variable"] = vname
    if "value" in fields:
        fields["group"] = _value_label(inst, code, fields["value"], lang)
    return notice.with_fields(**fields)


def _value_label(inst, variable: str, value, lang: str) -> str:
    for d in inst.demographics:
        if d.code == variable:
            try:
                labels = d.values.get(float(value), {})
            except (TypeError, ValueError):
                labels = {}
            text = labels.get(lang) or labels.get("en")
            if text:
                return text
            break
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _posthoc_text(ph: pd.DataFrame, order: list) -> str:
    """ "1 > 3, 2 > 3" for the significant pairs (group numbers as in the header)."""
    out = []
    for _, r in ph[ph["significant"]].iterrows():
        a, b = order.index(r["group_a"]) + 1, order.index(r["group_b"]) + 1
        out.append(f"{a} > {b}" if r["mean_diff"] > 0 else f"{b} > {a}")
    return ", ".join(out)


def _difference_table(res, ctx: Ctx, variable: str, gd) -> Table | None:
    lang = ctx.lang
    tests = gd.tests[gd.tests["variable"] == variable]
    if not len(tests):
        return None
    groups = gd.groups[gd.groups["variable"] == variable]
    order = list(dict.fromkeys(groups["group"]))
    k = len(order)
    rows, sig, sig_names = [], [], []
    for _, tr in tests.iterrows():
        c = tr["construct"]
        row = {col("construct", lang): ctx.label(c)}
        g = groups[groups["construct"] == c].set_index("group")
        for j, v in enumerate(order, start=1):
            head = _value_label(res.instrument, variable, v, lang)
            head = f"({j}) {head}" if k > 2 else head
            m, s = g.loc[v, "mean"], g.loc[v, "sd"]
            row[head] = f"{ctx.n(m, 2)} ± {ctx.n(s, 2)}" if lang == "zh" else (
                f"{ctx.n(m, 2)} ({ctx.n(s, 2)})")  # fmt: skip
        welch = not tr["equal_variances"]
        row["t" if tr["test"] == "t" else "F"] = ctx.n(tr["statistic_used"], 2) + (
            WELCH if welch else "")  # fmt: skip
        row[col("p", lang)] = ctx.p(tr["pvalue_used"])
        row["d" if tr["test"] == "t" else "η²"] = (
            ctx.n(tr["cohen_d"], 2) if tr["test"] == "t" else ctx.b(tr["eta2"])
        )
        if k > 2:
            ph = gd.posthoc[(gd.posthoc["variable"] == variable) & (gd.posthoc["construct"] == c)]
            row[col("posthoc", lang)] = _posthoc_text(ph, order) if tr["significant"] else ""
        if tr["significant"]:
            top = _value_label(res.instrument, variable, g["mean"].idxmax(), lang)
            higher = ctx.t("diff.higher" if k == 2 else "diff.highest", g=top)
            sig_names.append(ctx.label(c))
            sig.append(ctx.label(c) + ctx.paren(
                f"{'t' if tr['test'] == 't' else 'F'} = {ctx.n(tr['statistic_used'], 2)}，"
                f"{ctx.p_eq(tr['pvalue_used'])}；{higher}" if lang == "zh" else
                f"{'t' if tr['test'] == 't' else 'F'} = {ctx.n(tr['statistic_used'], 2)}, "
                f"{ctx.p_eq(tr['pvalue_used'])}; {higher}"))  # fmt: skip
        rows.append(row)
    vname = ctx.label(variable)
    method = tests["posthoc_method"].dropna()
    note = ctx.t("note.differences." + ("t" if k == 2 else "anova"),
                 method=ctx.t(f"posthoc.{method.iloc[0]}") if len(method) else "")  # fmt: skip
    text = ctx.t("para.differences." + ("sig" if sig else "none"), var=vname,
                 which=ctx.join(sig))  # fmt: skip
    wide = groups.pivot_table(index="construct", columns="group", values=["mean", "sd", "n"])
    wide.columns = [f"{a}.{b:g}" if isinstance(b, float) else f"{a}.{b}" for a, b in wide.columns]
    raw = tests.merge(wide, left_on="construct", right_index=True, how="left")
    return Table(
        f"differences_{variable}", ctx.t("title.differences_by", var=vname), pd.DataFrame(rows),
        note, raw, text=text, n=int(tests["n"].max()),
        warnings=[_named(w, res.instrument, vname, lang) for w in gd.warnings_of(variable)],
        summary=ctx.t("sum.differences", var=vname, which=ctx.join(sig_names)) if sig else "",
    )  # fmt: skip


def group_differences(res, ctx: Ctx) -> list[Table] | None:
    """One table per categorical demographic; each note carries the warnings of its own
    variable, the first also that the continuous ones are described in the sample profile."""
    gd = res.scores.group_differences
    if gd is None or not len(gd.tests):
        return None
    variables = list(dict.fromkeys(gd.tests["variable"]))
    return [_difference_table(res, ctx, v, gd) for v in variables]


def continuous_correlations(res, ctx: Ctx) -> Table | None:
    """Pearson r of each construct score with each continuous demographic (age in years),
    in place of a comparison across its single values; the note says so, once."""
    cc = res.scores.continuous
    if cc is None or not len(cc):
        return None
    lang, variables = ctx.lang, list(dict.fromkeys(cc["variable"]))
    constructs = list(dict.fromkeys(cc["construct"]))
    by = cc.set_index(["variable", "construct"])
    d = pd.DataFrame({col("construct", lang): [ctx.label(c) for c in constructs]})
    for v in variables:
        d[ctx.label(v)] = [ctx.b(by.loc[(v, c), "r"]) + by.loc[(v, c), "stars"] for c in constructs]
    names = ctx.join([ctx.label(v) for v in variables])
    text, summary = ctx.t("para.continuous", vars=names), ""
    for v in variables:
        sig = cc[(cc["variable"] == v) & (cc["pvalue"] < 0.05)]
        which = ctx.join([ctx.label(r["construct"]) + ctx.paren(
            f"r = {ctx.b(r['r'])}{'，' if lang == 'zh' else ', '}{ctx.p_eq(r['pvalue'])}")
            for _, r in sig.iterrows()])  # fmt: skip
        text += ctx.tc("para.continuous.var", len(sig), var=ctx.label(v), which=which)
        if len(sig):
            summary += ctx.t("sum.continuous", var=ctx.label(v), which=ctx.join(
                [ctx.label(c) for c in sig["construct"]]))  # fmt: skip
    note = continuous_note(ctx, variables, "note.continuous.correlations") + " " + ctx.t("stars")
    n_lo, n_hi = int(cc["n"].min()), int(cc["n"].max())
    return Table(
        "continuous_correlations", ctx.t("title.continuous_by", var=names), d, note, cc,
        text=text, n=n_lo, summary=summary,
        n_text=ctx.t("n_note_pairwise", n=n_lo, nmax=n_hi) if n_lo != n_hi else "",
    )  # fmt: skip


def method_bias_cfa(res, ctx: Ctx) -> Table | None:
    """Single-factor CFA and ULMC against the measurement model (fit and change in fit)."""
    mb = res.measurement.method_bias
    if mb is None:
        return None
    lang = ctx.lang
    fits = mb.fits.set_index("model")
    changes = mb.changes.set_index("model")
    rows = []
    for model in fits.index:
        f = fits.loc[model]
        row = {
            col("model", lang): ctx.t(f"cmb.model.{model}"),
            "χ²": ctx.n(f["chisq"], 2),
            "df": ctx.n(f["df"], 0),
            "χ²/df": ctx.n(f["chisq/df"], 3),
            **{k.upper(): ctx.b(f[k]) for k in ("cfi", "tli", "rmsea", "srmr")},
        }
        ch = changes.loc[model] if model == "ulmc" and model in changes.index else None
        for k in ("cfi", "tli", "rmsea", "srmr"):
            cell = ""
            if ch is not None:
                cell = ctx.b(ch[f"delta.{k}"]) + ("" if bool(ch[f"ok.{k}"]) else "†")
            row[f"Δ{k.upper()}"] = cell
        rows.append(row)
    verdict = mb.verdict
    u = changes.loc["ulmc"] if "ulmc" in changes.index else None
    one = fits.loc["one_factor"]
    text = ctx.t("para.cmb_cfa", cfi=ctx.b(one["cfi"]), rmsea=ctx.b(one["rmsea"]))
    if u is not None:
        text += ctx.t(
            "para.cmb_cfa.ulmc." + {"no serious common method bias": "ok",
                                    "common method bias": "bad"}.get(verdict, "na"),
            dcfi=ctx.b(u["delta.cfi"]), dtli=ctx.b(u["delta.tli"]),
            drmsea=ctx.b(u["delta.rmsea"]), dsrmr=ctx.b(u["delta.srmr"]),
        )  # fmt: skip
    bad = verdict != "no serious common method bias" and u is not None
    return Table(
        "cmb_cfa", title("cmb_cfa", lang), pd.DataFrame(rows), ctx.t("note.cmb_cfa"),
        mb.fits.merge(mb.changes, on="model", how="left"), text=text,
        n=int(mb.models["measurement"].n) if "measurement" in mb.models else None,
        n_text=model_n_text(ctx, mb.models["measurement"], "n_note" if
                            res.measurement.cfa.options.fiml else "n_note_listwise")
        if "measurement" in mb.models else "",
        warnings=list(mb.warnings), marks=bad,
        failed=[ctx.t("fail.cmb_cfa" if verdict == "common method bias" else "fail.cmb_cfa_na")]
        if bad else [],  # fmt: skip
        summary=ctx.t("sum.cmb_cfa") if not bad and u is not None else "",
    )  # fmt: skip
