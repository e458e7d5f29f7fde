"""Tables of the moderation analysis: the interaction with its simple slopes and the
Johnson-Neyman region (with the interaction plot), and the moderated mediation (index and
conditional indirect effects). Numbers from :mod:`loyaltysem.analyses.moderation`; same
builder signature as tables.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.report.chapter import Ctx, Figure, Table
from loyaltysem.report.format import stars
from loyaltysem.report.i18n import col
from loyaltysem.report.notes import draws_phrase, model_n_text
from loyaltysem.report.tables.structural import hypothesis_verdicts

_LEVELS = {-1.0: "low", 0.0: "mean", 1.0: "high"}


def _level(w_sd) -> str:
    return _LEVELS.get(round(float(w_sd), 6), "mean")


def _n_text(res, ctx: Ctx, mod) -> str:
    """N of the moderation model, with the respondents listwise deletion left out."""
    fit = mod.fit
    if fit.missing == "fiml":
        return ctx.t("n_note", n=fit.n)
    return model_n_text(ctx, fit, "mod.n_note", "draws.mod_n_lost")


def _modmed_warnings(mod) -> list:
    """The warnings of the moderated mediation's intervals (its bootstrap's failed draws, or
    why it was not run); the moderation table carries the others (and these, when there is
    no moderated mediation table)."""
    return [w for w in mod.warnings if str(getattr(w, "code", "")).startswith("boot.")]


def _moderation_warnings(mod) -> list:
    has_modmed = mod.conditional is not None and len(mod.conditional)
    own = [w for w in mod.warnings if not has_modmed or w not in _modmed_warnings(mod)]
    return list(dict.fromkeys([*mod.fit.warnings, *own]))


def _sig(lo: float, hi: float) -> bool:
    return bool(lo > 0 or hi < 0)


def _ci(ctx: Ctx, lo: float, hi: float) -> str:
    return ctx.ci(lo, hi)


def _w(ctx: Ctx, value: float, sd_units: float) -> str:
    """A moderator value in its centred metric with its SD units: "2.156 (M + 1.70 SD)"."""
    sign = "+" if sd_units >= 0 else "−"
    unit = ctx.t("mod.sd_unit")
    return f"{ctx.n(value, 3)}{ctx.paren(f'M {sign} {ctx.n(abs(sd_units), 2)}{unit}')}".strip()


def _segments(mod) -> tuple[list[tuple[float, float]], tuple[float, float], bool]:
    """Where the slope of X is significant within the moderator's observed range [a, b]:
    the segments, the range, and whether a Johnson-Neyman boundary lies outside it."""
    jn = mod.johnson_neyman
    a, b = mod.observed or (-np.inf, np.inf)
    lo, hi, region = jn.get("lower"), jn.get("upper"), jn.get("region")
    sets = {
        "everywhere": [(-np.inf, np.inf)],
        "nowhere": [],
        "inside": [(lo, hi)],
        "outside": [(-np.inf, lo), (hi, np.inf)],
        "above": [(lo if lo is not None else hi, np.inf)],
        "below": [(-np.inf, hi if hi is not None else lo)],
    }.get(region, [])
    segs = [(max(l_, a), min(u, b)) for l_, u in sets if max(l_, a) < min(u, b)]
    bounds = [v for v in (lo, hi) if v is not None]
    cut = any(v < a or v > b for v in bounds)
    return segs, (a, b), cut


def jn_region(ctx: Ctx, mod) -> str:
    """Where the slope of X is significant, in words and values of the moderator, within
    its observed range (a boundary outside it describes no respondent and is not given as a
    number)."""
    z = ctx.label(mod.z)
    segs, (a, b), _ = _segments(mod)
    sd = mod.z_sd if mod.z_sd else np.nan

    def w(v: float) -> str:
        return _w(ctx, v, v / sd)

    parts = []
    for lo, hi in segs:
        if lo == a and hi == b:
            return ctx.t("mod.jn.all_observed", z=z)
        if lo == a:
            parts.append(f"{z} < {w(hi)}")
        elif hi == b:
            parts.append(f"{z} > {w(lo)}")
        else:
            parts.append(f"{w(lo)} < {z} < {w(hi)}")
    return ctx.t("mod.or").join(parts) if parts else ctx.t("mod.jn.none_observed", z=z)


def _range_text(ctx: Ctx, mod) -> str:
    a, b = mod.observed
    return ctx.t("mod.jn.range", z=ctx.label(mod.z), a=ctx.n(a, 3), b=ctx.n(b, 3))


def jn_set(ctx: Ctx, mod) -> str:
    """The Johnson-Neyman row of the table: the region in words within the observed range
    (not an interval in the CI column: its values are moderator values, not limits)."""
    jn = mod.johnson_neyman
    region = jn.get("region")
    if mod.observed is None and region in ("everywhere", "nowhere"):
        return ctx.t(f"mod.jn.{region}")
    return jn_region(ctx, mod)


def _coef_rows(ctx: Ctx, mod) -> list[dict]:
    lang, rows = ctx.lang, []
    x, z = ctx.label(mod.x), ctx.label(mod.z)
    names = {mod.x: x, mod.z: z, mod.term: f"{x} × {z}"}
    rows.append(_panel(ctx, ctx.t("mod.panel.coef", y=ctx.label(mod.y))))
    for _, r in mod.coefficients.iterrows():
        name = names[r["term"]]
        if r["term"] == mod.term and mod.hypothesis:
            name += ctx.paren(mod.hypothesis)
        rows.append({
            col("effect", lang): name,
            col("estimate", lang): ctx.n(r["est"], 3),
            col("se", lang): ctx.n(r["se"], 3),
            col("z", lang): ctx.n(r["z"], 2),
            col("p", lang): ctx.p(r["pvalue"]),
            col("beta", lang): ctx.b(r["std.all"]) + stars(r["pvalue"]),
            col("ci", lang): _ci(ctx, r["ci.lower"], r["ci.upper"]),
        })  # fmt: skip
    return rows


def _panel(ctx: Ctx, text: str) -> dict:
    lang = ctx.lang
    keys = ("effect", "estimate", "se", "z", "p", "beta", "ci")
    return {col(k, lang): (text if k == "effect" else "") for k in keys}


def _slope_rows(ctx: Ctx, mod) -> list[dict]:
    lang, z = ctx.lang, ctx.label(mod.z)
    rows = [_panel(ctx, ctx.t("mod.panel.slopes", x=ctx.label(mod.x), y=ctx.label(mod.y)))]
    for _, s in mod.slopes.iterrows():
        level = _level(s["z_sd"])
        rows.append({
            col("effect", lang): ctx.t(f"mod.level.{level}", z=z),
            col("estimate", lang): ctx.n(s["est"], 3),
            col("se", lang): ctx.n(s["se"], 3),
            col("z", lang): ctx.n(s["z"], 2),
            col("p", lang): ctx.p(s["pvalue"]),
            col("beta", lang): "",
            col("ci", lang): _ci(ctx, s["ci.lower"], s["ci.upper"]),
        })  # fmt: skip
    rows.append(_panel(ctx, ctx.t("mod.jn", z=z) + ctx.t("mod.jn.sep") + jn_set(ctx, mod)))
    return rows


def _raw(mod) -> pd.DataFrame:
    coef = mod.coefficients.assign(part="coefficient")
    slopes = mod.slopes.rename(columns={"z_sd": "w_sd", "z_value": "w_value"})
    slopes = slopes.assign(part="simple slope", term=mod.x)
    jn = mod.johnson_neyman
    lo, hi = mod.observed or (np.nan, np.nan)
    jrow = pd.DataFrame([{"part": "johnson-neyman", "term": jn.get("region"),
                          "ci.lower": jn.get("lower"), "ci.upper": jn.get("upper"),
                          "w_sd": jn.get("lower_sd"), "w_value": jn.get("upper_sd"),
                          "observed.min": lo, "observed.max": hi}])  # fmt: skip
    return pd.concat([coef, slopes, jrow], ignore_index=True)


def _hyp_row(res, mod):
    """The decided hypothesis on ``y ~ x:z`` (declared moderator or main model)."""
    for frame in (res.moderation.hypotheses, res.hypotheses):
        if frame is None or not len(frame):
            continue
        hit = frame[(frame["lhs"] == mod.y) & (frame["rhs"] == mod.term)]
        if len(hit):
            return hit.iloc[0]
    return None


def _moderation_text(ctx: Ctx, mod, h, verdicts: dict | None = None) -> str:
    c = mod.coefficients.set_index("term").loc[mod.term]
    sig = c["pvalue"] < 0.05
    x, y, z = ctx.label(mod.x), ctx.label(mod.y), ctx.label(mod.z)
    main = mod.coefficients.set_index("term").loc[mod.x]
    direction = "weakens" if c["est"] * main["est"] < 0 else "strengthens"
    text = ctx.t("mod.para." + ("sig" if sig else "ns"), x=x, y=y, z=z, b=ctx.n(c["est"], 3),
                 se=ctx.n(c["se"], 3), zv=ctx.n(c["z"], 2), p=ctx.p_eq(c["pvalue"]),
                 beta=ctx.b(c["std.all"]))  # fmt: skip
    if sig:
        text += ctx.t(f"mod.para.{direction}", x=x, y=y, z=z)
    if h is not None:
        v = (verdicts or {}).get(str(h["id"]))  # judgment's decision, stored by the pipeline
        sup = v.outcome == "supported" if v is not None else bool(h["supported"])
        text += ctx.t("mod.para.hyp." + ("sup" if sup else "notsup"), id=h["id"])
    s = mod.slopes
    parts = [
        ctx.t(f"mod.slope.{_level(r['z_sd'])}", z=z, b=ctx.n(r["est"], 3), p=ctx.p_eq(r["pvalue"]))
        for _, r in s.iterrows()
    ]
    text += ctx.t("mod.para.slopes", x=x, y=y, which=ctx.join(parts))
    region = mod.johnson_neyman.get("region")
    if mod.observed is None and region in ("everywhere", "nowhere"):
        return text + ctx.t(f"mod.para.jn.{region}", x=x)
    segs, (a, b), _ = _segments(mod)
    if not segs or segs == [(a, b)]:
        key = "mod.para.jn.none_observed" if not segs else "mod.para.jn.all_observed"
        text += ctx.t(key, x=x, z=z)
    else:
        text += ctx.t("mod.para.jn.region", x=x, region=jn_region(ctx, mod))
    if mod.observed is not None:
        key = "mod.para.jn.cut" if _segments(mod)[2] else "mod.para.jn.range"
        text += " " + ctx.t(key, range=_range_text(ctx, mod))
    return text


def moderation(res, ctx: Ctx) -> list[Table] | None:
    """One table per probed interaction: the coefficients of Y on X, Z and X × Z, the simple
    slopes of X at M - 1 SD, M and M + 1 SD of Z, and the Johnson-Neyman region; the
    interaction plot follows the paragraph."""
    mods = res.moderation.models or []
    out = []
    for k, mod in enumerate(mods):
        h = _hyp_row(res, mod)
        rows = _coef_rows(ctx, mod) + _slope_rows(ctx, mod)
        x, y, z = ctx.label(mod.x), ctx.label(mod.y), ctx.label(mod.z)
        latent = mod.term in set(mod.fit.estimates.loc[mod.fit.estimates["op"] == "=~", "lhs"])
        note = ctx.t("mod.note." + ("latent" if latent else "observed"), x=x, z=z,
                     sd=ctx.n(mod.z_sd, 3)) + " " + ctx.t("stars")  # fmt: skip
        if mod.declared:
            note = ctx.t("mod.note.separate", z=z) + " " + note
        if res.options.ordered:
            note += " " + ctx.t("mod.note.ordered")
        if mod.observed is not None and _segments(mod)[2]:  # a J-N boundary not observed
            note += " " + ctx.t("mod.para.jn.cut", range=_range_text(ctx, mod))
        fig = Figure(
            f"interaction_{k + 1}", ctx.t("fig.interaction", x=x, y=y, z=z),
            f"interaction_{mod.x}_{mod.z}.png".replace(":", "_"),
            lambda path, m=mod, lang=ctx.lang: _draw(res, m, path, lang),
            text=ctx.t("mod.para.fig", z=z, x=x, y=y), width_cm=11.0,
        )  # fmt: skip
        c = mod.coefficients.set_index("term").loc[mod.term]
        out.append(Table(
            "moderation", ctx.t("title.moderation", z=z), pd.DataFrame(rows), note, _raw(mod),
            text=_moderation_text(ctx, mod, h, hypothesis_verdicts(res)), n=mod.n,
            n_text=_n_text(res, ctx, mod),
            warnings=_moderation_warnings(mod), figures=[fig],
            summary=ctx.t("mod.sum." + ("sig" if c["pvalue"] < 0.05 else "ns"), x=x, y=y, z=z),
        ))  # fmt: skip
    return out or None


def _draw(res, mod, path, lang: str):
    from loyaltysem.report.chapter import display_label
    from loyaltysem.report.i18n import t
    from loyaltysem.report.interaction_plot import interaction_plot

    def label(code):
        return display_label(res.instrument, code, lang)

    z = label(mod.z)
    interaction_plot(
        mod.fit, mod.y, mod.x, mod.z, path, x_label=label(mod.x), y_label=label(mod.y),
        legend_labels=tuple(t(f"fig.mod.{k}", lang, z=z) for k in ("low", "mean", "high")),
        legend_title=z, x_tick_labels=(t("fig.mod.x_low", lang), t("fig.mod.x_high", lang)),
    )  # fmt: skip
    return []


def _chain_name(ctx: Ctx, r) -> str:
    return " → ".join(ctx.label(v) for v in (r["from"], r["mediator"], r["to"]))


def moderated_mediation(res, ctx: Ctx) -> list[Table] | None:
    """Per chain through the moderated path: the index of moderated mediation and the
    conditional indirect effects at M - 1 SD, M and M + 1 SD of the moderator (Hayes 2015),
    with bootstrap (or delta-method) SEs and 95% CIs."""
    out = []
    for mod in res.moderation.models or []:
        tab = mod.conditional
        if tab is None or not len(tab):
            continue
        lang, z = ctx.lang, ctx.label(mod.z)
        rows, sig_index, stages = [], [], set()
        for (_, _, _), part in tab.groupby(["from", "mediator", "to"], sort=False):
            first = part.iloc[0]
            stages.add(first["stage"])
            for k, (_, r) in enumerate(part.iterrows()):
                sig = _sig(r["ci.lower"], r["ci.upper"])
                if r["kind"] == "index" and sig:
                    sig_index.append(_chain_name(ctx, r))
                index = r["kind"] == "index"
                label = ctx.t("mod.index") if index else (ctx.t("mod.cond") if k == 1 else "")
                rows.append({
                    col("path", lang): _chain_name(ctx, r) if k == 0 else "",
                    col("effect", lang): label,
                    ctx.t("mod.level_col", z=z): "" if index else ctx.t(
                        f"mod.at.{_level(r['w_sd'])}"),
                    col("effect_value", lang): ctx.n(r["est"], 3),
                    col("boot_se" if mod.n_boot else "se", lang):
                        ctx.n(r["boot.se"] if mod.n_boot else r["se"], 3),
                    col("ci", lang): _ci(ctx, r["ci.lower"], r["ci.upper"]),
                    col("result", lang): ctx.t("row.significant" if sig else
                                               "row.not_significant"),
                })  # fmt: skip
        kind = ctx.t(f"ci.{mod.ci}")
        if mod.n_boot:
            draws = draws_phrase(ctx, mod.n_boot, mod.seed, kind, mod.warnings)
            note = ctx.t("mod.note.modmed.boot", draws=draws, z=z)
        else:
            note = ctx.t("mod.note.modmed.delta", z=z)
        if res.options.ordered:
            note += " " + ctx.t("mod.note.ordered")
        if mod.observed is not None and _segments(mod)[2]:  # a J-N boundary not observed
            note += " " + ctx.t("mod.para.jn.cut", range=_range_text(ctx, mod))
        stage = ctx.t("mod.stage." + ("both" if len(stages) > 1 else next(iter(stages))))
        k = tab["kind"].eq("index").sum()
        text = ctx.t("mod.para.modmed", z=z, stage=stage, k=k, s=len(sig_index))
        text += (ctx.t("mod.para.modmed.sig", which=ctx.join(sig_index)) if sig_index
                 else ctx.t("mod.para.modmed.none", z=z))  # fmt: skip
        out.append(Table(
            "moderated_mediation", ctx.t("title.moderated_mediation", z=z), pd.DataFrame(rows),
            note, tab, text=text, n=mod.n, n_text=_n_text(res, ctx, mod),
            warnings=_modmed_warnings(mod),
            summary=ctx.tc("mod.sum.modmed", len(sig_index), s=len(sig_index), k=k, z=z),
        ))  # fmt: skip
    return out or None


__all__ = ["moderation", "moderated_mediation", "jn_region", "np"]
