"""The type of a mediation, decided once for covariance-based and PLS-SEM alike.

Rule (Zhao, Lynch & Chen 2010; 温忠麟 & 叶宝娟 2014; Hair et al. 2022, ch. 7): every effect is
tested by its (bootstrap) confidence interval - significant when the interval excludes 0.

* indirect significant, direct path in the model and significant with the same sign:
  **complementary** (partial) mediation;
* indirect and direct significant with opposite signs: **competitive** mediation
  (suppression, 遮掩效应; |indirect / direct| is reported instead of a share);
* indirect significant, direct path in the model and not significant: **indirect-only**
  (full) mediation - called full only when the total effect is significant too; with a
  total effect whose interval includes 0 the indirect effect is reported as indirect-only
  without the word "full" (温忠麟 & 叶宝娟 2014 step 1: c not significant -> argue by
  suppression, not by mediation);
* indirect significant and no direct path in the model: an **indirect** effect (the direct
  path was not estimated, so full and partial do not apply);
* indirect not significant: **direct-only** (direct significant) or **no effect**; without a
  direct path: **no indirect effect**.

A predictor-outcome pair with several mediators is judged on its specific indirect effects:
its verdict names the mediators whose specific indirect effect is significant (the
carriers) and never contradicts one of them - a total indirect effect that is not
significant beside a significant specific one is a caveat ("total_indirect_ns"), not "no
mediation". Specific indirect effects of opposite signs that are both significant are
competitive (inconsistent mediation; MacKinnon, Krull & Lockwood 2000).

A share of the total effect outside 0-100% arises when the components of the total have
opposite signs; it is never a proportion, and the verdict carries the caveat
"share_outside" for the report to explain it as suppression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from loyaltysem.judgment.verdict import Verdict

RULE = "zhao2010"

#: every outcome a mediation verdict can have
OUTCOMES = ("indirect_only", "complementary", "competitive", "indirect", "direct_only",
            "no_effect", "no_indirect")  # fmt: skip
#: outcomes meaning an indirect effect exists
MEDIATED = frozenset({"indirect_only", "complementary", "competitive", "indirect"})


@dataclass(frozen=True)
class Effect:
    """An effect with its interval: significant when the interval excludes 0.

    Example:
        >>> Effect(0.118, 0.053, 0.205).significant, Effect(0.1, -0.02, 0.3).significant
        (True, False)
    """

    est: float
    lo: float
    hi: float

    @property
    def significant(self) -> bool:
        lo, hi = float(self.lo), float(self.hi)
        return bool(math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0))

    def values(self, prefix: str) -> dict:
        """The effect as ``{prefix}.est``, ``.ci.lower``, ``.ci.upper``, ``.significant``."""
        return {
            f"{prefix}.est": float(self.est),
            f"{prefix}.ci.lower": float(self.lo),
            f"{prefix}.ci.upper": float(self.hi),
            f"{prefix}.significant": self.significant,
        }


def _outcome(ind_sig: bool, ind_est: float, direct: Effect | None) -> str:
    if direct is None:
        return "indirect" if ind_sig else "no_indirect"
    if not ind_sig:
        return "direct_only" if direct.significant else "no_effect"
    if not direct.significant:
        return "indirect_only"
    return "complementary" if ind_est * float(direct.est) > 0 else "competitive"


def _share_outside(parts: list[float], total: float) -> bool:
    """Is any part's share of ``total`` outside [0, 1]?"""
    if not math.isfinite(total) or total == 0:
        return False
    return any(math.isfinite(p) and not (-1e-12 <= p / total <= 1 + 1e-12) for p in parts)


def mediation_type(
    indirect: Effect, direct: Effect | None, total: Effect | None = None, subject: str = ""
) -> Verdict:
    """The type of one (specific or total) indirect effect; ``direct`` None: the model has
    no direct path for the pair; ``total``: the total effect (for the "total_ns" caveat).

    Example:
        >>> mediation_type(Effect(.2, .1, .3), Effect(.05, -.1, .2), Effect(.25, .1, .4)).outcome
        'indirect_only'
        >>> v = mediation_type(Effect(.2, .1, .3), Effect(-.3, -.5, -.1), Effect(-.1, -.3, .1))
        >>> v.outcome, v.caveats
        ('competitive', ('suppression', 'total_ns'))
        >>> mediation_type(Effect(.2, .1, .3), None).outcome
        'indirect'
    """
    outcome = _outcome(indirect.significant, float(indirect.est), direct)
    values = indirect.values("indirect")
    caveats = []
    if direct is not None:
        values |= direct.values("direct")
        if outcome == "competitive":
            caveats.append("suppression")
            values["ratio_indirect_direct"] = abs(float(indirect.est) / float(direct.est))
    if total is not None:
        values |= total.values("total")
        if outcome in MEDIATED and not total.significant:
            caveats.append("total_ns")
    return Verdict(subject, outcome, RULE, values, tuple(caveats))


def judge_pair(
    x: str,
    y: str,
    specific: dict[str, Effect],
    total_indirect: Effect,
    direct: Effect | None,
    total: Effect,
) -> Verdict:
    """The verdict of a predictor-outcome pair from its specific indirect effects (name ->
    effect, e.g. "X -> M -> Y"), total indirect, direct (None: no direct path) and total
    effect. ``values["carriers"]`` lists the specific effects that are significant.

    Example:
        >>> sp = {"PAY -> SAT -> LOY": Effect(-.04, -.12, .04),
        ...       "PAY -> TRU -> LOY": Effect(.118, .053, .205)}
        >>> v = judge_pair("PAY", "LOY", sp, Effect(.06, -.07, .22), None, Effect(.06, -.07, .22))
        >>> v.outcome, v.values["carriers"], v.caveats
        ('indirect', ['PAY -> TRU -> LOY'], ('total_indirect_ns', 'total_ns', 'share_outside'))
    """
    carriers = [name for name, e in specific.items() if e.significant]
    signs = {math.copysign(1, float(specific[c].est)) for c in carriers}
    if carriers:
        basis = sum(float(specific[c].est) for c in carriers)
        outcome = _outcome(True, basis, direct)
        if len(signs) > 1:  # significant indirect effects of opposite signs
            outcome = "competitive"
    else:
        outcome = _outcome(total_indirect.significant, float(total_indirect.est), direct)
    caveats = []
    if len(signs) > 1 or (outcome == "competitive"):
        caveats.append("suppression")
    if carriers and not total_indirect.significant:
        caveats.append("total_indirect_ns")
    if outcome in MEDIATED and not total.significant:
        caveats.append("total_ns")
    parts = [float(e.est) for e in specific.values()] + [float(total_indirect.est)]
    if direct is not None:
        parts.append(float(direct.est))
    if _share_outside(parts, float(total.est)):
        caveats.append("share_outside")
    values = {"from": x, "to": y, "carriers": carriers, **total_indirect.values("indirect"),
              **total.values("total")}  # fmt: skip
    if direct is not None:
        values |= direct.values("direct")
        if outcome == "competitive" and float(direct.est) != 0:
            basis = (
                sum(float(specific[c].est) for c in carriers)
                if carriers
                else float(total_indirect.est)
            )
            values["ratio_indirect_direct"] = abs(basis / float(direct.est))
    return Verdict(f"{x} -> {y}", outcome, RULE, values, tuple(dict.fromkeys(caveats)))


def is_full(v: Verdict) -> bool:
    """May the verdict be called full mediation? Indirect-only with a direct path tested
    and a significant total effect.

    Example:
        >>> is_full(Verdict("X -> Y", "indirect_only", RULE, {}, ("total_ns",)))
        False
    """
    return v.outcome == "indirect_only" and "total_ns" not in v.caveats


def label_key(v: Verdict) -> str:
    """The catalogue key that words a mediation verdict (``judge.med.<outcome>``, with
    ``.total_ns`` for an indirect-only effect whose total effect is not significant).

    Example:
        >>> label_key(Verdict("X -> Y", "indirect_only", RULE, {}, ("total_ns",)))
        'judge.med.indirect_only.total_ns'
    """
    key = f"judge.med.{v.outcome}"
    if v.outcome == "indirect_only" and "total_ns" in v.caveats:
        key += ".total_ns"
    return key


def judge_mediation_table(med) -> tuple[dict, dict]:
    """Verdicts of a covariance-based decomposition (analyses.mediation.MediationResult):
    ``(pairs, specific)``, ``pairs[(x, y)]`` the pair's verdict and ``specific[name]`` the
    verdict of each specific indirect effect (name "X -> M -> Y").

    Example:
        >>> pairs, specific = judge_mediation_table(med)  # doctest: +SKIP
    """
    pairs, specific = {}, {}
    eff = med.effects
    for (x, y), part in eff.groupby(["from", "to"], sort=False):

        def one(kind: str, part=part) -> Effect | None:
            rows = part[part["kind"] == kind]
            if not len(rows):
                return None
            r = rows.iloc[0]
            return Effect(float(r["est"]), float(r["ci.lower"]), float(r["ci.upper"]))

        direct, total = one("direct"), one("total")
        ind = part[part["kind"] == "indirect"]
        sp = {r["effect"]: Effect(float(r["est"]), float(r["ci.lower"]), float(r["ci.upper"]))
              for _, r in ind.iterrows()}  # fmt: skip
        for name, e in sp.items():
            specific[name] = mediation_type(e, direct, total, subject=name)
        pairs[(x, y)] = judge_pair(x, y, sp, one("total indirect"), direct, total)
    return pairs, specific


def judge_pls_mediation(estimates) -> tuple[dict, dict]:
    """The same verdicts for a PLS path model (``PLSResult.estimates``: kinds path,
    indirect, total_indirect, total with percentile bootstrap intervals)."""

    def eff(r) -> Effect:
        return Effect(float(r["est"]), float(r.get("ci.lower", math.nan)),
                      float(r.get("ci.upper", math.nan)))  # fmt: skip

    def table(kind: str) -> dict:
        rows = estimates[estimates["kind"] == kind]
        return {(r["lhs"], r["rhs"]): eff(r) for _, r in rows.iterrows()}

    paths, tind, tot = table("path"), table("total_indirect"), table("total")
    ind = estimates[estimates["kind"] == "indirect"]
    pairs, specific = {}, {}
    for (y, x), part in ind.groupby(["lhs", "rhs"], sort=False):
        sp = {}
        for _, r in part.iterrows():
            name = " -> ".join([x, *str(r["through"]).split(" -> "), y])
            sp[name] = eff(r)
        direct, total = paths.get((y, x)), tot.get((y, x))
        if total is None:
            total = Effect(math.nan, math.nan, math.nan)
        for name, e in sp.items():
            specific[name] = mediation_type(e, direct, total, subject=name)
        ti = tind.get((y, x), next(iter(sp.values())))
        pairs[(x, y)] = judge_pair(x, y, sp, ti, direct, total)
    return pairs, specific
