"""Tables of the PLS-SEM chapter in the order of Hair, Hult, Ringle & Sarstedt (2022):
measurement model (reflective: outer loadings, indicator reliability, alpha, rhoA, rhoC,
AVE; formative: outer weights with bootstrap tests and outer VIF), discriminant validity
(HTMT with bootstrap CI, Fornell-Larcker, cross-loadings), structural model (inner VIF,
paths with bootstrap t, p and CI, R², adjusted R², f², Q², PLSpredict) and the specific
indirect effects. Numbers from :class:`loyaltysem.pls.PLSResult` (``res.pls.fit``); same builder
signature as tables.py, each returns None for a CB-SEM result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.format import stars
from loyaltysem.report.i18n import col
from loyaltysem.report.notes import draws_phrase
from loyaltysem.report.tables.measurement import _mark, _square
from loyaltysem.report.tables.structural import hypotheses_summary_sentence

LOADING_CUT = 0.708  # Hair et al. 2022: the construct explains > 50% of the item's variance
HTMT_CUT = 0.85  # Henseler, Ringle & Sarstedt 2015 (strict; .90 for similar constructs)


def _pls(res):
    return res.pls.fit if res.method == "pls" else None


def _reflective(p) -> list[str]:
    """The multi-item mode A constructs: the ones reliability, convergent and discriminant
    validity apply to (Hair et al. 2022, ch. 4; formative and single-item constructs are
    assessed otherwise)."""
    pm = p.model
    hoc = pm.higher_order  # measured by lower-order scores: assessed in their own table
    return [c for c in pm.constructs
            if pm.modes[c] == "A" and len(pm.constructs[c]) > 1 and c not in hoc]  # fmt: skip


def _n_text(res, ctx: Ctx) -> str:
    return ctx.t("n_note_pls", n=res.pls.fit.n)


def _rows(est: pd.DataFrame, kind: str) -> pd.DataFrame:
    return est[est["kind"] == kind]


def _get(row, key: str) -> float:
    v = row.get(key, np.nan) if hasattr(row, "get") else np.nan
    return float(v) if v is not None else np.nan


def _ci(ctx: Ctx, lo: float, hi: float, bounded: bool = True) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    return ctx.ci(lo, hi, bounded=bounded)


def _boot_note(res, ctx: Ctx) -> str:
    """The draws of the bootstrap tests: count, interval, seed and the failed draws."""
    b = res.pls.fit.bootstrap
    if b is None:
        return ctx.t("pls.note.noboot")
    kind = ctx.t(f"ci.{b.ci}")
    return ctx.t("pls.note.boot", draws=draws_phrase(ctx, b.n_boot, b.seed, kind, b.warnings))


def boot_warnings(res) -> list:
    """The bootstrap's failed draws (stated by :func:`_boot_note` in the tables it serves)."""
    b = res.pls.fit.bootstrap
    return list(b.warnings) if b is not None else []


#: warnings of the PLS fit that belong to a table other than the measurement table
_ELSEWHERE = ("pls.boot_failed", "pls.omission_multiple", "pls.hoc_no_predict")


def _fit_warnings(p, codes=None) -> list:
    """The PLS fit's warnings with one of ``codes`` (None: those of no other table)."""
    code = lambda w: getattr(w, "code", None)  # noqa: E731
    if codes is None:
        return [w for w in p.warnings if code(w) not in _ELSEWHERE]
    return [w for w in p.warnings if code(w) in codes]


# --------------------------------------------------------------------------- measurement
def measurement(res, ctx: Ctx) -> Table | None:
    """Reflective (mode A) constructs: outer loadings, indicator reliability (loading²),
    Cronbach's alpha, rhoA, rhoC and AVE, values beyond their cut-offs marked."""
    p = _pls(res)
    if p is None:
        return None
    lang, pm, rel = ctx.lang, p.model, p.reliability
    refl = _reflective(p)
    if not refl:
        return None
    single = [c for c in pm.constructs if pm.modes[c] == "A" and len(pm.constructs[c]) == 1]
    rows, raw, weak, bad = [], [], [], {"alpha": [], "rhoA": [], "rhoC": [], "AVE": []}
    for c in refl:
        items = pm.constructs[c]
        r = rel.loc[c]
        flags = {k: bool(np.isfinite(r[k]) and not 0.70 <= r[k] <= 0.95)
                 for k in ("alpha", "rhoA", "rhoC")}  # fmt: skip
        flags["AVE"] = bool(r["AVE"] < 0.50)
        for k, f in flags.items():
            if f:
                bad[k].append(ctx.label(c) + ctx.paren(ctx.b(r[k])))
        for j, item in enumerate(items):
            lo = float(p.loadings.loc[item, c])
            w = lo < LOADING_CUT
            if w:
                weak.append(item + ctx.paren(ctx.b(lo)))
            first = j == 0
            rows.append({
                col("construct", lang): ctx.label(c) if first else "",
                col("item", lang): item,
                col("outer_loading", lang): _mark(ctx.b(lo), w),
                col("indicator_rel", lang): ctx.b(lo**2),
                "α": _mark(ctx.b(r["alpha"]), flags["alpha"]) if first else "",
                "ρA": _mark(ctx.b(r["rhoA"]), flags["rhoA"]) if first else "",
                "ρC": _mark(ctx.b(r["rhoC"]), flags["rhoC"]) if first else "",
                col("ave", lang): _mark(ctx.b(r["AVE"]), flags["AVE"]) if first else "",
            })  # fmt: skip
            raw.append(
                {
                    "construct": c,
                    "item": item,
                    "loading": lo,
                    "indicator.reliability": lo**2,
                    **{k: float(r[k]) for k in ("alpha", "rhoA", "rhoC", "AVE")},
                }
            )
    sub = rel.loc[refl]
    loads = [float(p.loadings.loc[i, c]) for c in refl for i in pm.constructs[c]]
    text = ctx.t("pls.para.measurement", lo=ctx.b(min(loads)), hi=ctx.b(max(loads)),
                 alo=ctx.b(sub["alpha"].min()), ahi=ctx.b(sub["alpha"].max()),
                 rlo=ctx.b(sub["rhoA"].min()), rhi=ctx.b(sub["rhoA"].max()),
                 clo=ctx.b(sub["rhoC"].min()), chi=ctx.b(sub["rhoC"].max()),
                 vlo=ctx.b(sub["AVE"].min()), vhi=ctx.b(sub["AVE"].max()))  # fmt: skip
    failed = []
    if weak:
        text += ctx.t("pls.para.measurement.weak", which=ctx.join(weak))
        failed.append(ctx.t("pls.fail.loading", which=ctx.join(weak)))
    for k in ("alpha", "rhoA", "rhoC", "AVE"):
        if bad[k]:
            text += ctx.t(f"pls.para.measurement.{k}", which=ctx.join(bad[k]))
            failed.append(ctx.t(f"pls.fail.{k}", which=ctx.join(bad[k])))
    if not failed:
        text += ctx.t("pls.para.measurement.ok")
    note = ctx.t("pls.note.algorithm", scheme=ctx.t(f"pls.scheme.{p.scheme}"),
                 it=p.iterations) + " " + ctx.t("pls.note.measurement")  # fmt: skip
    if single:
        note += " " + ctx.t("pls.note.single", which=ctx.join([ctx.label(c) for c in single]))
    if p.n_missing:
        note += " " + ctx.t("pls.note.missing", k=p.n_missing)
    if failed:
        note += " " + ctx.t("pls.note.failed")
    return Table(
        "pls_measurement", ctx.t("title.pls_measurement"), pd.DataFrame(rows), note,
        pd.DataFrame(raw), text=text, n=p.n, n_text=_n_text(res, ctx),
        warnings=_fit_warnings(p),  # the mean replacement: stated by note.missing
        failed=failed, marks=bool(failed),
        summary=ctx.t("pls.sum.measurement", clo=ctx.b(sub["rhoC"].min()),
                      chi=ctx.b(sub["rhoC"].max()), vlo=ctx.b(sub["AVE"].min())),
    )  # fmt: skip


def formative(res, ctx: Ctx) -> Table | None:
    """Formative (mode B) constructs: outer weights with bootstrap t, p and 95% CI, outer
    loadings and the indicators' VIF (Hair et al. 2022, ch. 5)."""
    p = _pls(res)
    if p is None:
        return None
    lang, pm = ctx.lang, p.model
    form = [c for c in pm.constructs if pm.modes[c] == "B" and c not in pm.higher_order]
    if not form:
        return None
    cut = 3.0 if ctx.strict else 5.0
    w = _rows(p.estimates, "weight").set_index(["lhs", "rhs"])
    rows, raw, high, drop = [], [], [], []
    for c in form:
        vif = p.vif_items.get(c, pd.Series(dtype=float))
        for j, item in enumerate(pm.constructs[c]):
            r = w.loc[(c, item)] if (c, item) in w.index else pd.Series(dtype=float)
            lo = float(p.loadings.loc[item, c])
            v = float(vif.get(item, np.nan))
            pval = _get(r, "pvalue")
            v_bad = np.isfinite(v) and v >= cut
            d_bad = np.isfinite(pval) and pval >= 0.05 and lo < 0.50
            if v_bad:
                high.append(item + ctx.paren(ctx.n(v, 2)))
            if d_bad:
                drop.append(item)
            rows.append({
                col("construct", lang): ctx.label(c) if j == 0 else "",
                col("item", lang): item,
                col("outer_weight", lang): ctx.b(_get(r, "est")),
                "t": ctx.n(_get(r, "t"), 2),
                col("p", lang): ctx.p(pval),
                col("ci", lang): _ci(ctx, _get(r, "ci.lower"), _get(r, "ci.upper")),
                col("outer_loading", lang): _mark(ctx.b(lo), d_bad),
                "VIF": _mark(ctx.n(v, 2), v_bad),
            })  # fmt: skip
            raw.append({"construct": c, "item": item, "weight": _get(r, "est"),
                        "t": _get(r, "t"), "pvalue": pval, "ci.lower": _get(r, "ci.lower"),
                        "ci.upper": _get(r, "ci.upper"), "loading": lo, "vif": v})  # fmt: skip
    text = ctx.t("pls.para.formative", which=ctx.join([ctx.label(c) for c in form]))
    failed = []
    if high:
        text += ctx.t("pls.para.formative.vif", which=ctx.join(high), cut=ctx.n(cut, 0))
        failed.append(ctx.t("pls.fail.vif_outer", which=ctx.join(high)))
    else:
        text += ctx.t("pls.para.formative.vif_ok", cut=ctx.n(cut, 0))
    if drop:
        text += ctx.t("pls.para.formative.drop", which=ctx.join(drop))
        failed.append(ctx.t("pls.fail.weight", which=ctx.join(drop)))
    note = ctx.t("pls.note.formative", cut=ctx.n(cut, 0)) + " " + _boot_note(res, ctx)
    return Table(
        "pls_formative", ctx.t("title.pls_formative"), pd.DataFrame(rows), note,
        pd.DataFrame(raw), text=text, n=p.n, n_text=_n_text(res, ctx), failed=failed,
        marks=bool(failed), warnings=boot_warnings(res),
    )  # fmt: skip


# --------------------------------------------------------------------------- discriminant
def _others_note(res, ctx: Ctx, shown: list[str]) -> str:
    """ "Formative and single-item constructs are not shown" when there are any."""
    pm = res.pls.fit.model
    rest = [c for c in pm.constructs if c not in shown and c not in pm.higher_order]
    if not rest:
        return ""
    return " " + ctx.t("pls.note.reflective_only", which=ctx.join([ctx.label(c) for c in rest]))


def htmt(res, ctx: Ctx) -> Table | None:
    """HTMT of every pair of constructs with its bootstrap percentile 95% CI; a ratio or an
    upper bound at or above .85 is marked (Henseler et al. 2015)."""
    p = _pls(res)
    if p is None:
        return None
    lang, pm = ctx.lang, p.model
    # mode A higher-order constructs too, against every construct but their own dimensions
    shown = set(_reflective(p)) | {h for h in pm.higher_order if pm.modes[h] == "A"}
    cons = [c for c in pm.constructs if c in shown]
    if len(cons) < 2:
        return None
    boot = _rows(p.estimates, "htmt").set_index(["lhs", "rhs"])
    rows, raw, bad = [], [], []
    own = {frozenset((h, d)) for h, dims in pm.higher_order.items() for d in dims}
    for i, a in enumerate(cons):
        for b in cons[i + 1 :]:
            if frozenset((a, b)) in own:
                continue
            v = float(p.htmt.loc[a, b])
            if not np.isfinite(v):
                continue
            r = boot.loc[(a, b)] if (a, b) in boot.index else pd.Series(dtype=float)
            lo, hi = _get(r, "ci.lower"), _get(r, "ci.upper")
            v_bad, hi_bad = v >= HTMT_CUT, np.isfinite(hi) and hi >= HTMT_CUT
            pair = f"{ctx.label(a)} — {ctx.label(b)}"
            if v_bad or hi_bad:
                bad.append(pair)
            ci_text = _ci(ctx, lo, hi)
            rows.append({
                col("pair", lang): pair,
                "HTMT": _mark(ctx.b(v), v_bad),
                col("ci", lang): _mark(ci_text, hi_bad),
            })  # fmt: skip
            raw.append({"a": a, "b": b, "htmt": v, "ci.lower": lo, "ci.upper": hi})
    raw = pd.DataFrame(raw)
    top = raw.sort_values("htmt").iloc[-1]
    text = ctx.t("pls.para.htmt", k=len(raw), hmax=ctx.b(top["htmt"]),
                 pair=f"{ctx.label(top['a'])} — {ctx.label(top['b'])}")  # fmt: skip
    if p.bootstrap is not None:
        text += (ctx.t("pls.para.htmt.bad", which=ctx.join(bad)) if bad
                 else ctx.t("pls.para.htmt.ok", umax=ctx.b(raw["ci.upper"].max())))  # fmt: skip
    elif bad:
        text += ctx.t("pls.para.htmt.bad", which=ctx.join(bad))
    note = ctx.t("pls.note.htmt") + " " + _boot_note(res, ctx) + _others_note(res, ctx, cons)
    failed = [ctx.t("pls.fail.htmt", which=ctx.join(bad))] if bad else []
    return Table(
        "pls_htmt", ctx.t("title.pls_htmt"), pd.DataFrame(rows), note, raw, text=text, n=p.n,
        n_text=_n_text(res, ctx), failed=failed, marks=bool(bad), warnings=boot_warnings(res),
    )  # fmt: skip


def fornell_larcker(res, ctx: Ctx) -> Table | None:
    """Correlations of the construct scores with sqrt(AVE) on the diagonal."""
    p = _pls(res)
    if p is None:
        return None
    cons = _reflective(p)
    if len(cons) < 2:
        return None
    fl = p.fornell_larcker.loc[cons, cons]
    full = fl.combine_first(fl.T)
    bad = [c for c in cons if res.pls.verdicts.outcome(f"fornell:{c}") == "not_met"]
    off = full.where(~np.eye(len(full), dtype=bool))
    text = ctx.t("pls.para.fornell." + ("bad" if bad else "ok"),
                 which=ctx.join([ctx.label(c) for c in bad]),
                 rmax=ctx.b(off.abs().max().max()), dmin=ctx.b(np.diag(fl).min()))  # fmt: skip
    note = ctx.t("pls.note.fornell") + _others_note(res, ctx, cons)
    failed = ([ctx.t("fail.fornell", which=ctx.join([ctx.label(c) for c in bad]))]
              if bad else [])  # fmt: skip
    return Table(
        "pls_fornell_larcker", ctx.t("title.pls_fornell"),
        _square(fl, ctx, {(c, c) for c in bad}), note, fl, text=text, n=p.n,
        n_text=_n_text(res, ctx), failed=failed, marks=bool(bad),
    )  # fmt: skip


def cross_loadings(res, ctx: Ctx) -> Table | None:
    """Each item's correlation with every construct score (columns numbered as in the
    note); an item loading higher on another construct than on its own is marked."""
    p = _pls(res)
    if p is None:
        return None
    lang, pm = ctx.lang, p.model
    cons = _reflective(p)
    if len(cons) < 2:
        return None
    cl = p.cross_loadings.loc[[i for c in cons for i in pm.constructs[c]], cons]
    rows, bad = [], []
    for c in cons:
        for j, item in enumerate(pm.constructs[c]):
            own = float(cl.loc[item, c])
            other = cl.loc[item].drop(c).abs().max()
            b = other >= abs(own)
            if b:
                bad.append(item)
            row = {col("construct", lang): ctx.label(c) if j == 0 else "",
                   col("item", lang): item}  # fmt: skip
            for k, d in enumerate(cons, start=1):
                row[str(k)] = _mark(ctx.b(cl.loc[item, d]), b and d == c)
            rows.append(row)
    key = ctx.t("list_sep").join(f"{k} = {ctx.label(c)}" for k, c in enumerate(cons, start=1))
    note = ctx.t("pls.note.cross", cols=key) + _others_note(res, ctx, cons)
    text = ctx.t("pls.para.cross." + ("bad" if bad else "ok"), which=ctx.join(bad))
    failed = [ctx.t("pls.fail.cross", which=ctx.join(bad))] if bad else []
    return Table(
        "pls_cross_loadings", ctx.t("title.pls_cross"), pd.DataFrame(rows), note, cl,
        text=text, n=p.n, n_text=_n_text(res, ctx), failed=failed, marks=bool(bad),
    )  # fmt: skip


# --------------------------------------------------------------------------- structural
def collinearity(res, ctx: Ctx) -> Table | None:
    """Inner VIF of every predictor of each endogenous construct (< 5; < 3 strict)."""
    p = _pls(res)
    if p is None or not p.vif_inner:
        return None
    lang, cut = ctx.lang, (3.0 if ctx.strict else 5.0)
    rows, raw, high = [], [], []
    for target, s in p.vif_inner.items():
        for src, v in s.items():
            b = v >= cut
            if b:
                high.append(f"{ctx.label(src)} → {ctx.label(target)}" + ctx.paren(ctx.n(v, 2)))
            rows.append({col("path", lang): f"{ctx.label(src)} → {ctx.label(target)}",
                         "VIF": _mark(ctx.n(v, 3), b)})  # fmt: skip
            raw.append({"target": target, "predictor": src, "vif": float(v)})
    raw = pd.DataFrame(raw)
    text = ctx.t("pls.para.vif", lo=ctx.n(raw["vif"].min(), 3), hi=ctx.n(raw["vif"].max(), 3))
    text += (ctx.t("pls.para.vif.bad", which=ctx.join(high), cut=ctx.n(cut, 0)) if high
             else ctx.t("pls.para.vif.ok", cut=ctx.n(cut, 0)))  # fmt: skip
    return Table(
        "pls_vif", ctx.t("title.pls_vif"), pd.DataFrame(rows),
        ctx.t("pls.note.vif", cut=ctx.n(cut, 0)), raw, text=text, n=p.n,
        n_text=_n_text(res, ctx), marks=bool(high),
        failed=[ctx.t("pls.fail.vif_inner", which=ctx.join(high))] if high else [],
    )  # fmt: skip


def _f2_size(f2: float) -> str:
    if not np.isfinite(f2) or f2 < 0.02:
        return "none"
    return "large" if f2 >= 0.35 else "medium" if f2 >= 0.15 else "small"


def pls_estimates(p) -> pd.DataFrame:
    """The PLS paths in the form of lavaan's estimates (``=~`` rows for the constructs,
    ``~`` rows with the path coefficient as std.all and the bootstrap p), for the figures."""
    rows = [
        {
            "lhs": c,
            "op": "=~",
            "rhs": i,
            "group": 1,
            "std.all": float(p.loadings.loc[i, c]),
            "pvalue": np.nan,
        }
        for c, items in p.model.constructs.items()
        for i in items
        if i not in p.model.constructs  # a HOC's LOCs: not drawn as its indicators
    ]
    paths = _rows(p.estimates, "path")
    for _, r in paths.iterrows():
        rows.append({"lhs": r["lhs"], "op": "~", "rhs": r["rhs"], "group": 1,
                     "std.all": float(r["est"]), "pvalue": _get(r, "pvalue")})  # fmt: skip
    return pd.DataFrame(rows)


def _draw_paths(res, path, lang):
    from loyaltysem.report import figures
    from loyaltysem.report.tables.structural import _labels

    p = res.pls.fit
    warns = []
    for ext in ("png", "svg", "pdf"):
        warns = figures.path_diagram(pls_estimates(p), p.r2, path.with_suffix(f".{ext}"),
                                     labels=_labels(res, lang), lang=lang)  # fmt: skip
    return warns


def _draw_research(res, path, lang):
    from loyaltysem.report import figures
    from loyaltysem.report.tables.structural import _labels

    hyp = {(r["lhs"], r["rhs"]): r["id"] for _, r in res.hypotheses.iterrows()}
    return figures.research_model(pls_estimates(res.pls.fit), hyp, path,
                                  labels=_labels(res, lang), lang=lang)  # fmt: skip


def paths(res, ctx: Ctx) -> Table | None:
    """Path coefficients with bootstrap SD, t, p and 95% CI, f² and the hypothesis decision;
    the research model before the table and the estimated model after it."""
    p = _pls(res)
    hyp = res.hypotheses
    if p is None or not len(hyp):
        return None
    lang = ctx.lang
    rows = []
    for _, h in hyp.iterrows():
        rows.append({
            col("hypothesis", lang): h["id"],
            col("path", lang): f"{ctx.label(h['rhs'])} → {ctx.label(h['lhs'])}",
            "β": ctx.b(h["est"]) + stars(h["pvalue"]),
            col("boot_sd", lang): ctx.n(h["se"], 3),
            "t": ctx.n(h["t"], 2),
            col("p", lang): ctx.p(h["pvalue"]),
            col("ci", lang): _ci(ctx, h["ci.lower"], h["ci.upper"]),
            "f²": ctx.n(h["f2"], 3),
            col("result", lang): ctx.t("supported" if h["supported"] else "not_supported"),
        })  # fmt: skip
    sup, ns = hyp[hyp["supported"]], hyp[~hyp["supported"]]

    def describe(part):
        return ctx.join([ctx.t("pls.para.paths.item", id=r["id"], beta=ctx.b(r["est"]),
                               path=f"{ctx.label(r['rhs'])} → {ctx.label(r['lhs'])}",
                               t=ctx.n(r["t"], 2), p=ctx.p_eq(r["pvalue"]))
                         for _, r in part.iterrows()])  # fmt: skip

    text = ctx.t("pls.para.paths", k=len(hyp), s=len(sup))
    if len(sup):
        text += ctx.t("para.paths.sup", which=describe(sup))
    if len(ns):
        text += ctx.t("para.paths.notsup", which=describe(ns))
    sizes = {k: [f"{ctx.label(r['rhs'])} → {ctx.label(r['lhs'])}" for _, r in hyp.iterrows()
                 if _f2_size(r["f2"]) == k] for k in ("large", "medium", "small")}  # fmt: skip
    parts = [ctx.t(f"pls.f2.{k}", which=ctx.join(v)) for k, v in sizes.items() if v]
    text += ctx.t("pls.para.f2", which=ctx.t("list_sep").join(parts) or ctx.t("none"))
    pre = Figure("research_model", ctx.t("fig.research_model"), "research_model.png",
                 lambda path, r=res, lang=lang: _draw_research(r, path, lang))  # fmt: skip
    fig = Figure("pls_path_diagram", ctx.t("fig.pls_paths"), "path_diagram.png",
                 lambda path, r=res, lang=lang: _draw_paths(r, path, lang),
                 text=ctx.t("pls.para.fig.paths"))  # fmt: skip
    note = ctx.t("pls.note.paths") + " " + _boot_note(res, ctx) + " " + ctx.t("stars")
    return Table(
        "pls_paths", ctx.t("title.pls_paths"), pd.DataFrame(rows), note, hyp, text=text,
        n=p.n, n_text=_n_text(res, ctx), pre_text=ctx.t("para.research_model", h=len(hyp)),
        pre_figures=[pre], figures=[fig], warnings=boot_warnings(res),
        summary=hypotheses_summary_sentence(res, ctx),
    )  # fmt: skip


def _r2_level(r2: float) -> str:
    return (
        "substantial"
        if r2 >= 0.75
        else "moderate"
        if r2 >= 0.50
        else ("weak" if r2 >= 0.25 else "very_weak")
    )


def explanatory_power(res, ctx: Ctx) -> Table | None:
    """R², adjusted R² and Q² (blindfolding) of each endogenous construct."""
    p = _pls(res)
    if p is None or not len(p.r2):
        return None
    lang = ctx.lang
    q2 = p.q2 if p.q2 is not None else pd.Series(dtype=float)
    rows, raw, bad = [], [], []
    for c, r2 in p.r2.items():
        q = float(q2.get(c, np.nan))
        q_bad = np.isfinite(q) and q <= 0
        if q_bad:
            bad.append(ctx.label(c))
        rows.append({col("construct", lang): ctx.label(c), "R²": ctx.b(r2),
                     col("r2_adj", lang): ctx.b(p.r2_adj[c]), "Q²": _mark(ctx.b(q), q_bad),
                     col("r2_level", lang): ctx.t(f"pls.r2.{_r2_level(r2)}")})  # fmt: skip
        raw.append({"construct": c, "r2": float(r2), "r2.adj": float(p.r2_adj[c]), "q2": q})
    which = ctx.join([ctx.label(c) + ctx.paren(ctx.b(v)) for c, v in p.r2.items()])
    text = ctx.t("pls.para.r2", which=which)
    if len(q2):
        text += (ctx.t("pls.para.q2.bad", which=ctx.join(bad)) if bad
                 else ctx.t("pls.para.q2.ok", lo=ctx.b(q2.min()), hi=ctx.b(q2.max())))  # fmt: skip
    return Table(
        "pls_r2", ctx.t("title.pls_r2"), pd.DataFrame(rows), ctx.t("pls.note.r2", d=7),
        pd.DataFrame(raw), text=text, n=p.n, n_text=_n_text(res, ctx), marks=bool(bad),
        failed=[ctx.t("pls.fail.q2", which=ctx.join(bad))] if bad else [],
        warnings=_fit_warnings(p, ("pls.omission_multiple",)),
    )  # fmt: skip


def predict(res, ctx: Ctx) -> Table | None:
    """PLSpredict: out-of-sample RMSE and MAE of every indicator of the endogenous
    constructs, PLS-SEM against the linear-model benchmark (Shmueli et al. 2019)."""
    p = _pls(res)
    if p is None or p.predict is None:
        return None
    lang, tab = ctx.lang, p.predict.table
    owner = {i: c for c, items in p.model.constructs.items() for i in items}
    rows, worse = [], []
    for item, r in tab.iterrows():
        w = r["PLS.RMSE"] >= r["LM.RMSE"]
        if w:
            worse.append(item)
        rows.append({col("construct", lang): ctx.label(owner.get(item, "")), col("item", lang):
                     item, col("pls_rmse", lang): _mark(ctx.n(r["PLS.RMSE"], 3), w),
                     col("pls_mae", lang): ctx.n(r["PLS.MAE"], 3),
                     col("lm_rmse", lang): ctx.n(r["LM.RMSE"], 3),
                     col("lm_mae", lang): ctx.n(r["LM.MAE"], 3)})  # fmt: skip
    d = pd.DataFrame(rows)
    d[col("construct", lang)] = d[col("construct", lang)].where(
        ~d[col("construct", lang)].duplicated(), ""
    )
    k, better = len(tab), len(tab) - len(worse)
    level = ("high" if better == k else "medium" if better > k / 2 else "low" if better
             else "none")  # fmt: skip
    text = ctx.t("pls.para.predict", k=k, s=better, level=ctx.t(f"pls.predict.{level}"))
    if worse:
        text += ctx.t("pls.para.predict.worse", which=ctx.join(worse))
    note = ctx.t("pls.note.predict", folds=p.predict.folds, reps=p.predict.reps,
                 seed=p.predict.seed)  # fmt: skip
    return Table(
        "pls_predict", ctx.t("title.pls_predict"), d, note, tab, text=text, n=p.n,
        n_text=_n_text(res, ctx), marks=bool(worse),
        summary=ctx.t("pls.sum.predict", level=ctx.t(f"pls.predict.{level}")),
    )  # fmt: skip


# --------------------------------------------------------------------------- mediation
def mediation(res, ctx: Ctx) -> Table | None:
    """Specific indirect effects with bootstrap SD, t, p and 95% CI, the direct and total
    effects and the type of mediation judgment decided (the same rules as the
    covariance-based chapter: :mod:`loyaltysem.judgment.mediation`)."""
    from loyaltysem.judgment.mediation import MEDIATED, label_key
    from loyaltysem.report.tables.mediation import chain_label, typed_sentences

    p = _pls(res)
    if p is None:
        return None
    ind = _rows(p.estimates, "indirect")
    if not len(ind):
        return None
    lang = ctx.lang
    specific = res.pls.verdicts.get("mediation", {}).get("specific", {})
    direct = _rows(p.estimates, "path").set_index(["lhs", "rhs"])
    total = _rows(p.estimates, "total").set_index(["lhs", "rhs"])
    rows, named, codes = [], [], []
    for _, r in ind.iterrows():
        name = " -> ".join([r["rhs"], *str(r["through"]).split(" -> "), r["lhs"]])
        v = specific[name]
        d = direct.loc[(r["lhs"], r["rhs"])] if (r["lhs"], r["rhs"]) in direct.index else None
        tot = total.loc[(r["lhs"], r["rhs"])]
        label = chain_label(ctx, name)
        if v.outcome == "complementary" and _get(tot, "est"):
            label += ctx.paren(ctx.n(100 * float(r["est"]) / _get(tot, "est"), 1) + "%")
        named.append((label, v))
        codes.append(v.outcome)
        rows.append({
            col("path", lang): chain_label(ctx, name),
            col("effect_value", lang): ctx.n(r["est"], 3),
            col("boot_sd", lang): ctx.n(_get(r, "se"), 3),
            "t": ctx.n(_get(r, "t"), 2),
            col("p", lang): ctx.p(_get(r, "pvalue")),
            col("ci", lang): _ci(ctx, _get(r, "ci.lower"), _get(r, "ci.upper"), bounded=False),
            col("direct", lang): "—" if d is None else ctx.n(_get(d, "est"), 3) + stars(
                _get(d, "pvalue")),
            ctx.t("med.total"): ctx.n(_get(tot, "est"), 3) + stars(_get(tot, "pvalue")),
            col("med_type", lang): ctx.t(label_key(v)),
        })  # fmt: skip
    s = sum(c in MEDIATED for c in codes)
    text = ctx.t("judge.pls.para.mediation.judged", k=len(ind), s=s) + typed_sentences(ctx, named)
    note = (ctx.t("judge.pls.note.mediation.judged") + " " + ctx.t("judge.med.rule") + " "
            + _boot_note(res, ctx) + " " + ctx.t("stars"))  # fmt: skip
    raw = ind.reset_index(drop=True).assign(verdict=codes)
    return Table(
        "pls_mediation", ctx.t("title.pls_mediation"), pd.DataFrame(rows), note, raw,
        text=text, n=p.n, n_text=_n_text(res, ctx), warnings=boot_warnings(res),
        summary=ctx.tc("pls.sum.mediation", s, len(ind), s=s, k=len(ind)),
    )  # fmt: skip
