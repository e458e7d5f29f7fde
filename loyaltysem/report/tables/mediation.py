"""The mediation tables: the covariance-based decomposition of effects per predictor-outcome
pair (total, direct, specific and total indirect effects with their intervals and shares)
and, in :mod:`.pls`, the PLS-SEM specific indirect effects. The type of every mediation is
judgment's (:mod:`loyaltysem.judgment.mediation`, stored by the pipeline); this module
words it, in both chapters the same way."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.judgment.mediation import MEDIATED, is_full, label_key
from loyaltysem.report.chapter import Ctx, Table
from loyaltysem.report.i18n import col, t, title
from loyaltysem.report.notes import draws_phrase
from loyaltysem.report.tables.measurement import _sem_n_text

SHARE_MARK = "‡"
#: the rows of a pair, in the order of Chinese mediation tables (温忠麟 & 叶宝娟 2014)
_ORDER = {"total": 0, "direct": 1, "indirect": 2, "total indirect": 3}


def chain_label(ctx: Ctx, name: str) -> str:
    """ "Payment → Trust → Loyalty" from "PAY -> TRU -> LOY"."""
    nodes = name.split(" (")[0].replace("=>", "->").split(" -> ")
    return " → ".join(ctx.label(v) for v in nodes)


def mediators(ctx: Ctx, name: str) -> str:
    """ "Satisfaction → Trust": the mediators of a chain "X -> M1 -> M2 -> Y"."""
    nodes = name.split(" (")[0].replace("=>", "->").split(" -> ")
    return " → ".join(ctx.label(v) for v in nodes[1:-1])


def carried_by(ctx: Ctx, v, n_specific: int, key: str = "judge.med.via") -> str:
    """ ", via Trust": the mediators whose specific indirect effect is significant, named
    when only some of the pair's specific indirect effects are (else "")."""
    carriers = v.values.get("carriers") or []
    if v.outcome not in MEDIATED or not carriers or len(carriers) >= n_specific:
        return ""
    via = ctx.join([ctx.t("judge.med.via_one", m=mediators(ctx, c)) for c in carriers])
    return ctx.t(key, which=via)


def verdict_text(ctx: Ctx, v, n_specific: int) -> str:
    """The words of a pair's verdict, with the mediators that carry it when only some of
    its specific indirect effects are significant ("Indirect effect (no direct path), via
    Trust")."""
    return ctx.t(label_key(v)) + carried_by(ctx, v, n_specific)


def pair_name(ctx: Ctx, x: str, y: str) -> str:
    return f"{ctx.label(x)} → {ctx.label(y)}"


def _share(ctx: Ctx, e) -> tuple[str, bool]:
    if e["kind"] == "total" or not np.isfinite(e["share"]):
        return "", False
    outside = not (-1e-12 <= e["share"] <= 1 + 1e-12)
    return ctx.n(100 * e["share"], 1) + "%" + (SHARE_MARK if outside else ""), outside


def _med_row(ctx: Ctx, e, first: bool, verdict: str, row_verdict: str) -> tuple[dict, bool]:
    lang, kind = ctx.lang, e["kind"]
    label = (ctx.t("med.via", path=mediators(ctx, e["effect"])) if kind == "indirect"
             else ctx.t(f"med.{kind.replace(' ', '_')}"))  # fmt: skip
    share, outside = _share(ctx, e)
    return {
        col("path", lang): pair_name(ctx, e["from"], e["to"]) if first else "",
        col("effect_type", lang): label,
        col("effect_value", lang): ctx.n(e["est"], 3),
        col("boot_se", lang): ctx.n(e["se"], 3),
        col("ci", lang): f"[{ctx.n(e['ci.lower'], 3)}, {ctx.n(e['ci.upper'], 3)}]",
        col("share", lang): share,
        col("result", lang): verdict if first else row_verdict,
    }, outside  # fmt: skip


def _pair_rows(ctx: Ctx, part: pd.DataFrame, v, specific: dict) -> tuple[list, bool]:
    """The rows of one pair: total, direct, each specific indirect (its own type when the
    pair has several) and the total indirect effect when there are several."""
    n_spec = int((part["kind"] == "indirect").sum())
    keep = part[(part["kind"] != "total indirect") | (n_spec > 1)]
    keep = keep.assign(_o=keep["kind"].map(_ORDER)).sort_values("_o", kind="mergesort")
    names = [n for n in part.loc[part["kind"] == "indirect", "effect"] if n in specific]
    # each specific effect's own type, where the pair's specific effects differ in type
    own = len({label_key(specific[n]) for n in names} | {label_key(v)}) > 1
    rows, outside = [], False
    for k, (_, e) in enumerate(keep.iterrows()):
        row_verdict = ""
        if e["kind"] == "indirect" and own and e["effect"] in specific:
            row_verdict = ctx.t(label_key(specific[e["effect"]]))
        row, out = _med_row(ctx, e, k == 0, verdict_text(ctx, v, n_spec), row_verdict)
        rows.append(row)
        outside = outside or out
    return rows, outside


def typed_sentences(ctx: Ctx, named: list[tuple[str, object]]) -> str:
    """One sentence per mediation type with the effects of that type ((name, verdict)
    pairs), in the order full, indirect-only with the total not significant, complementary,
    competitive, indirect effect without a direct path."""
    groups: dict[str, list[str]] = {}
    for name, v in named:
        if v.outcome in MEDIATED:
            groups.setdefault(label_key(v).replace("judge.med.", ""), []).append(name)
    text = ""
    for key in ("indirect_only", "indirect_only.total_ns", "complementary", "competitive",
                "indirect"):  # fmt: skip
        if key in groups:
            text += ctx.t(f"judge.para.med.{key}", which=ctx.join(groups[key]))
    return text


def _paragraph(ctx: Ctx, pairs: dict, med, kind_name: str) -> str:
    """The paragraph: how many pairs carry an indirect effect, then each type with its
    pairs (full mediation only where judgment allows it), offsetting indirect paths and
    shares outside 0-100% explained."""
    props = med.pairs.set_index(["from", "to"])
    named, offset, shares = [], [], []
    for (x, y), v in pairs.items():
        n_spec = int(props.loc[(x, y), "n_indirect"]) if (x, y) in props.index else 1
        name = pair_name(ctx, x, y) + carried_by(ctx, v, n_spec, "judge.med.via_para")
        if v.outcome == "complementary" and (x, y) in props.index:
            name += ctx.paren(ctx.n(100 * props.loc[(x, y), "proportion.est"], 1) + "%")
        ratio = v.values.get("ratio_indirect_direct", np.nan)
        if v.outcome == "competitive" and np.isfinite(ratio):
            name += ctx.paren("|a×b / c′| = " + ctx.n(ratio, 2))
        named.append((name, v))
        if "total_indirect_ns" in v.caveats:
            offset.append(pair_name(ctx, x, y))
        if "share_outside" in v.caveats:
            shares.append(pair_name(ctx, x, y))
    s = sum(v.outcome in MEDIATED for v in pairs.values())
    if not s:
        return ctx.t("judge.para.mediation.none", k=len(pairs), kind=kind_name)
    text = ctx.t("judge.para.mediation", k=len(pairs), s=s, kind=kind_name)
    text += typed_sentences(ctx, named)
    if offset:
        text += ctx.t("judge.para.med.total_indirect_ns", which=ctx.join(offset))
    if shares:
        text += ctx.t("judge.para.med.share", which=ctx.join(shares))
    return text


def mediation_decomposition(res, ctx: Ctx) -> Table | None:
    """Total, direct, specific indirect and total indirect effects per predictor-outcome
    pair with their intervals, effect shares (outside 0-100% marked and explained) and the
    verdict judgment stored (the mediators that carry it named)."""
    if res.structural is None:  # a model with no structural paths yet
        return None
    med = res.structural.mediation
    if med is None or not len(med.pairs):
        return None
    judged = res.structural.verdicts.get("mediation", {})
    pairs, specific = judged.get("pairs", {}), judged.get("specific", {})
    lang, rows, outside = ctx.lang, [], False
    eff = med.effects[med.effects["kind"] != "proportion mediated"]
    for (x, y), part in eff.groupby(["from", "to"], sort=False):
        r, out = _pair_rows(ctx, part, pairs[(x, y)], specific)
        rows += r
        outside = outside or out
    ci_name = ctx.t(f"ci.{med.ci}") if med.ci != "delta" else ctx.t("ci.delta")
    if med.n_boot:
        note = ctx.t("note.mediation.boot", draws=_draws(res, ctx, ci_name))
    else:
        note = ctx.t("note.mediation.delta")
    note += " " + ctx.t("judge.med.rule")
    if outside:
        note += " " + ctx.t("judge.med.share_mark")
    text = _paragraph(ctx, pairs, med, ci_name)
    s = sum(v.outcome in MEDIATED for v in pairs.values())
    return Table(
        "mediation", title("mediation", lang), pd.DataFrame(rows), note,
        _raw(med, pairs, specific), text=text, n=res.structural.sem.n,
        n_text=_sem_n_text(res, ctx), warnings=_boot_warnings(res),
        summary=ctx.t("judge.sum.mediation", s=s, k=len(pairs)),
    )  # fmt: skip


def _raw(med, pairs: dict, specific: dict) -> pd.DataFrame:
    """The numbers with the verdict codes: each row's pair verdict, the carriers, its
    caveats and, for a specific indirect effect, its own type."""
    raw = med.effects.copy()  # the data file names the interval in English in both languages
    raw["ci.type"] = raw["ci.type"].map(lambda code: t(f"ci.type.{code}", "en"))
    keys = list(zip(raw["from"], raw["to"], strict=True))
    raw["verdict"] = [pairs[k].outcome if k in pairs else None for k in keys]
    raw["full_mediation"] = [is_full(pairs[k]) if k in pairs else False for k in keys]
    raw["carried_by"] = [" ; ".join(pairs[k].values.get("carriers") or []) if k in pairs else ""
                         for k in keys]  # fmt: skip
    raw["caveats"] = [";".join(pairs[k].caveats) if k in pairs else "" for k in keys]
    raw["specific_type"] = [specific[n].outcome if (kd == "indirect" and n in specific) else None
                            for n, kd in zip(raw["effect"], raw["kind"], strict=True)]  # fmt: skip
    return raw


def _draws(res, ctx: Ctx, kind: str) -> str:
    """The draws of the mediation bootstrap: count, interval, seed and the failed draws."""
    boot, med = res.structural.bootstrap, res.structural.mediation
    if boot is None:
        return draws_phrase(ctx, med.n_boot, res.options.seed, kind)
    return draws_phrase(ctx, boot.n_boot, boot.seed, kind, boot.warnings)


def _boot_warnings(res) -> list:
    boot = res.structural.bootstrap
    return list(boot.warnings) if boot is not None else []
