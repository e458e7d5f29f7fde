"""Verdicts on the measurement: reliability, reverse keying, factor analysis, convergent and
discriminant validity, each decided once by one rule with its source.

Rules (the catalogue words them; ``[[key]]`` is the citation the chapter prints):

* Cronbach's alpha >= .70 (Nunnally 1978, ``[[nunnally1978]]``); with ordered items the
  verdict is on the coefficient the chapter reports for them, ordinal alpha (Zumbo,
  Gadermann & Zeisser 2007); Cronbach's alpha is then shown for comparison only.
* corrected item-total correlation (CITC) >= .50; alpha if item deleted not above the
  construct's alpha (three or more items).
* reverse keying (psych's ``check.keys``): an item whose loading on the first principal
  component of its construct's items is negative is keyed against the others. Such an item
  that the run reversed as declared (the file probably held it already recoded), or a
  negative alpha, stops the analysis (:func:`keying_error`) unless the user allows it; an
  undeclared one is a warning (probably a reverse-keyed item left unreversed).
* KMO >= .70, tolerated from .60 (Kaiser 1974); Bartlett's test p < .05 (Bartlett 1954).
* Harman's single factor: first unrotated component < 40% of the variance (Podsakoff et al.
  2003; 周浩, 龙立荣 2004).
* cumulative variance of the extracted factors >= 50% (Hair et al. 2019).
* EFA: each item's largest rotated loading >= .50 and no loading >= .40 on a second factor
  (Hair et al. 2019).
* CFA: standardized loading >= .60 (>= .70 under the strict rules; Hair et al. 2019), CR >=
  .70 (Hair et al. 2019; Bagozzi & Yi 1988), AVE >= .50 (Fornell & Larcker 1981).
* Fornell-Larcker: sqrt(AVE) of a construct above the absolute value of each of its latent
  correlations (Fornell & Larcker 1981).
* HTMT < .85 met; .85 <= HTMT < .90 tolerated (the liberal cut-off for conceptually similar
  constructs); >= .90 not met (Henseler, Ringle & Sarstedt 2015).

A verdict's subject is ``"<kind>:<name>"`` (``"alpha:SAT"``, ``"citc:SAT1"``,
``"htmt:SAT|TRU"``); :class:`VerdictSet` holds them and answers by kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.judgment.verdict import Verdict
from loyaltysem.psychometrics.keying import first_component_loadings

__all__ = [
    "CUTOFFS",
    "VerdictSet",
    "cfa_verdicts",
    "efa_verdicts",
    "fornell_larcker_verdicts",
    "STOPS",
    "keying_error",
    "keying_verdicts",
    "reliability_verdicts",
]

#: rule code -> (cut-off, citation keys); the catalogue's ``rule.<code>`` words each rule
CUTOFFS: dict[str, tuple[float, str]] = {
    "alpha": (0.70, "[[nunnally1978]]"),
    "citc": (0.50, "[[nunnally1978]]"),
    "kmo": (0.70, "[[kaiser1974]]"),
    "kmo.floor": (0.60, "[[kaiser1974]]"),
    "bartlett": (0.05, "[[bartlett1954]]"),
    "harman": (40.0, "[[podsakoff2003]]"),
    "variance": (50.0, "[[hair2019]]"),
    "efa.loading": (0.50, "[[hair2019]]"),
    "efa.salient": (0.40, "[[hair2019]]"),
    "loading": (0.60, "[[hair2019]]"),
    "loading.strict": (0.70, "[[hair2019]]"),
    "cr": (0.70, "[[hair2019]][[bagozzi1988]]"),
    "ave": (0.50, "[[fornell1981]]"),
    "htmt": (0.85, "[[henseler2015]]"),
    "htmt.liberal": (0.90, "[[henseler2015]]"),
}


class VerdictSet(dict):
    """Verdicts by subject (``"alpha:SAT"`` -> :class:`Verdict`), asked by kind.

    Example:
        >>> vs = VerdictSet.of([Verdict("alpha:A", "met", "alpha", {"value": .81}),
        ...                     Verdict("alpha:B", "not_met", "alpha", {"value": .64})])
        >>> [v.subject for v in vs.failed("alpha")], vs.name("alpha:B")
        (['alpha:B'], 'B')
    """

    @classmethod
    def of(cls, verdicts) -> VerdictSet:
        return cls({v.subject: v for v in verdicts})

    def kind(self, kind: str) -> list[Verdict]:
        """The verdicts of one kind, in the order they were decided."""
        return [v for s, v in self.items() if s.split(":", 1)[0] == kind]

    def failed(self, kind: str, outcomes=("not_met",)) -> list[Verdict]:
        """The verdicts of ``kind`` whose outcome is one of ``outcomes``."""
        return [v for v in self.kind(kind) if v.outcome in outcomes]

    def outcome(self, subject: str, default: str = "") -> str:
        v = self.get(subject)
        return v.outcome if v is not None else default

    @staticmethod
    def name(subject: str) -> str:
        """The judged thing of a subject ("alpha:SAT" -> "SAT")."""
        return subject.split(":", 1)[1]

    def merged(self, other: VerdictSet | None) -> VerdictSet:
        """This set with ``other``'s verdicts added (``other`` wins on the same subject)."""
        return VerdictSet({**self, **(other or {})})


def _met(ok: bool) -> str:
    return "met" if ok else "not_met"


def _finite(x) -> bool:
    return x is not None and bool(np.isfinite(float(x)))


# --------------------------------------------------------------------------- reliability
def reliability_verdicts(
    constructs: pd.DataFrame, items: pd.DataFrame, ordinal_alpha: pd.Series | None = None
) -> VerdictSet:
    """Alpha per construct, CITC and alpha if item deleted per item.

    ``constructs``: index construct, column ``alpha`` (Cronbach); ``items``: construct, item,
    citc, alpha.if.deleted; ``ordinal_alpha``: construct -> ordinal alpha for the constructs
    of ordered items (their verdict is on it; values keep Cronbach's alpha beside it).
    Outcomes: alpha / citc "met" or "not_met"; aid (alpha if deleted) "not_met" when the
    item's deletion raises the construct's Cronbach alpha (three or more items), else "met".

    Example:
        >>> c = pd.DataFrame({"alpha": [.65, .80]}, index=["A", "B"])
        >>> i = pd.DataFrame({"construct": ["A", "A"], "item": ["a1", "a2"],
        ...                   "citc": [.48, .60], "alpha.if.deleted": [float("nan")] * 2})
        >>> vs = reliability_verdicts(c, i, pd.Series({"A": .72}))
        >>> vs["alpha:A"].outcome, vs["alpha:A"].values["coefficient"], vs["citc:a1"].outcome
        ('met', 'ordinal', 'not_met')
    """
    cut = CUTOFFS["alpha"][0]
    ordinal = {} if ordinal_alpha is None else ordinal_alpha.dropna().to_dict()
    out = []
    for c, row in constructs.iterrows():
        a = row.get("alpha", np.nan)
        if not _finite(a):
            continue  # a single item: no alpha to judge
        value, coef = (ordinal[c], "ordinal") if c in ordinal else (float(a), "cronbach")
        out.append(Verdict(f"alpha:{c}", _met(value >= cut), "alpha",
                           {"value": float(value), "coefficient": coef, "cronbach": float(a),
                            "construct": c}))  # fmt: skip
    alphas = constructs["alpha"].to_dict() if "alpha" in constructs else {}
    k = items.groupby("construct")["item"].count().to_dict() if len(items) else {}
    for _, r in items.iterrows():
        c, item = r["construct"], r["item"]
        out.append(Verdict(f"citc:{item}", _met(r["citc"] >= CUTOFFS["citc"][0]), "citc",
                           {"value": float(r["citc"]), "construct": c}))  # fmt: skip
        raises = bool(k.get(c, 0) > 2 and r["alpha.if.deleted"] > alphas.get(c, np.inf))
        out.append(Verdict(f"aid:{item}", _met(not raises), "aid",
                           {"value": float(r["alpha.if.deleted"]), "alpha": alphas.get(c),
                            "construct": c}))  # fmt: skip
    return VerdictSet.of(out)


# --------------------------------------------------------------------------- reverse keying
def keying_verdicts(
    frame: pd.DataFrame,
    construct_items: dict[str, list[str]],
    reversed_items=(),
    alpha: pd.Series | None = None,
) -> VerdictSet:
    """Is each construct keyed one way after the declared reversal? psych's ``check.keys``
    rule: the loadings of the first principal component of the construct's items (pairwise
    correlations, signed to a non-negative sum); an item loading negatively runs against
    the others.

    Outcome per construct (subject ``keying:<construct>``): "ok"; "recoded" (an item the
    run reversed as declared loads negatively: the file probably held it already recoded);
    "negative_alpha" (Cronbach's alpha below 0); "unreversed" (items that were not declared
    load negatively, alpha not negative: probably reverse-keyed items left unreversed).
    "recoded" and "negative_alpha" stop the analysis (:data:`STOPS`, :func:`keying_error`);
    "unreversed" is a warning in the reliability table's note. ``values``: items (the
    negative ones), declared (the construct's reversed items), loadings, alpha.

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, 1]})
        >>> v = keying_verdicts(d, {"F": ["a", "b", "c"]}, reversed_items=["c"])["keying:F"]
        >>> v.outcome, v.values["items"]
        ('recoded', ['c'])
        >>> keying_verdicts(d, {"F": ["a", "b", "c"]})["keying:F"].outcome
        'unreversed'
    """
    declared = set(reversed_items or ())
    out = []
    for c, its in construct_items.items():
        its = [i for i in its if i in frame.columns]
        if len(its) < 2:
            continue
        lo = first_component_loadings(frame, its)
        negative = [i for i in its if i in lo.index and lo[i] < 0]
        mine = [i for i in its if i in declared]
        a = float(alpha[c]) if alpha is not None and c in alpha and _finite(alpha[c]) else np.nan
        if set(negative) & declared:
            outcome = "recoded"
        elif _finite(a) and a < 0:
            outcome = "negative_alpha"
        elif negative:
            outcome = "unreversed"
        else:
            outcome = "ok"
        out.append(Verdict(f"keying:{c}", outcome, "check_keys",
                           {"items": negative, "declared": mine, "alpha": a,
                            "loadings": {i: float(v) for i, v in lo.items()}}))  # fmt: skip
    return VerdictSet.of(out)


#: keying outcomes that stop the analysis unless the user allows them
STOPS = ("recoded", "negative_alpha")


def keying_error(verdicts: VerdictSet) -> InputError | None:
    """The one-line error that stops the analysis when a construct's keying fails (see
    :func:`keying_verdicts`), naming the constructs, the items and the likely cause; None
    when every construct is keyed one way.

    Example:
        >>> vs = VerdictSet.of([Verdict("keying:DES", "recoded", "check_keys",
        ...     {"items": ["DES4"], "declared": ["DES4"], "alpha": -0.63})])
        >>> "DES4" in str(keying_error(vs)) and "already recoded" in str(keying_error(vs))
        True
    """
    bad = [v for v in verdicts.kind("keying") if v.outcome in STOPS]
    if not bad:
        return None
    parts = []
    for v in bad:
        c, items, mine = VerdictSet.name(v.subject), v.values["items"], v.values["declared"]
        a = v.values["alpha"]
        alpha = f"alpha = {a:.3f}" if _finite(a) else "alpha undefined"
        one = len(items) == 1
        load, it, its = ("loads", "it", "its") if one else ("load", "them", "their")
        what = f"{' and '.join(items)} (construct {c}, {alpha})"
        if v.outcome == "recoded":
            parts.append(f"{what} still {load} against the other items after the declared "
                         f"reversal: the file probably holds {it} already recoded; remove "
                         f"{its} reverse = true")  # fmt: skip
        elif mine:
            parts.append(f"construct {c} has a negative alpha ({a:.3f}) after the declared "
                         f"reversal of {' and '.join(mine)}: the file probably holds them "
                         "already recoded")  # fmt: skip
        elif items:
            parts.append(f"{what} {load} against the other items and the alpha is negative: "
                         f"probably reverse-keyed and not reversed; declare {it} reverse = "
                         "true")  # fmt: skip
        else:
            parts.append(f"construct {c} has a negative alpha ({alpha}): check the coding of "
                         "its items")  # fmt: skip
    return InputError(
        "reverse keying: " + "; ".join(parts) + " (to go on anyway: --allow-negative, or "
        "allow_negative=True in analyze())"
    )


# --------------------------------------------------------------------------- factor analysis
def efa_verdicts(
    kmo: float,
    bartlett_p: float,
    harman_percent: float,
    cumulative_percent: float,
    loadings: pd.DataFrame,
) -> VerdictSet:
    """KMO, Bartlett's test, Harman's single factor, the cumulative variance of the extracted
    factors and each item's rotated loadings (a :func:`loading_table`: blanked below .40,
    column ``flag``). KMO: "met" >= .70, "tolerated" >= .60, else "not_met"; an item
    (``efa:<item>``): "met", "weak" (largest loading below .50), "cross" (salient on two
    factors) or "none" (no salient loading).

    Example:
        >>> lt = pd.DataFrame({"1": [.71, .45], "2": [float("nan"), .42],
        ...                    "flag": ["", "cross-loading"]}, index=["x1", "x2"])
        >>> vs = efa_verdicts(.65, .001, 22.0, 56.0, lt)
        >>> vs["kmo"].outcome, vs["efa:x1"].outcome, vs["efa:x2"].outcome
        ('tolerated', 'met', 'cross')
    """
    ok, floor = CUTOFFS["kmo"][0], CUTOFFS["kmo.floor"][0]
    kmo_out = "met" if kmo >= ok else "tolerated" if kmo >= floor else "not_met"
    out = [
        Verdict("kmo", kmo_out, "kmo", {"value": float(kmo)}),
        Verdict("bartlett", _met(bartlett_p < CUTOFFS["bartlett"][0]), "bartlett",
                {"p": float(bartlett_p)}),
        Verdict("harman", _met(harman_percent < CUTOFFS["harman"][0]), "harman",
                {"value": float(harman_percent)}),
        Verdict("variance", _met(cumulative_percent >= CUTOFFS["variance"][0]), "variance",
                {"value": float(cumulative_percent)}),
    ]  # fmt: skip
    cols = [c for c in loadings.columns if c != "flag"]
    main = loadings[cols].abs().max(axis=1)
    for item in loadings.index:
        flag = loadings.loc[item, "flag"] if "flag" in loadings else ""
        m = float(main[item]) if _finite(main[item]) else np.nan
        if flag == "no salient loading":
            outcome = "none"
        elif flag == "cross-loading":
            outcome = "cross"
        else:
            outcome = "met" if m >= CUTOFFS["efa.loading"][0] else "weak"
        out.append(Verdict(f"efa:{item}", outcome, "efa.loading", {"value": m}))
    return VerdictSet.of(out)


# --------------------------------------------------------------------------- CFA validity
def cfa_verdicts(
    loadings: pd.DataFrame,
    validity: pd.DataFrame,
    fornell_larcker: pd.DataFrame,
    htmt: pd.DataFrame,
) -> VerdictSet:
    """Convergent and discriminant validity of the measurement model.

    ``loadings``: columns lhs (construct), rhs (item), std.all; ``validity``: index
    construct, columns cr, ave; ``fornell_larcker``: latent correlations with sqrt(AVE) on
    the diagonal; ``htmt``: the HTMT matrix. Subjects: ``loading:<item>`` (.60) and
    ``loading.strict:<item>`` (.70), ``cr:<c>``, ``ave:<c>``, ``fornell:<c>`` (values:
    sqrt_ave, r_max and the constructs it is not above), ``htmt:<a>|<b>`` ("met" < .85,
    "tolerated" < .90, else "not_met").

    Example:
        >>> fl = pd.DataFrame([[.70, .75], [.75, .80]], index=["A", "B"], columns=["A", "B"])
        >>> vs = cfa_verdicts(pd.DataFrame(columns=["lhs", "rhs", "std.all"]),
        ...                   pd.DataFrame({"cr": [.8, .8], "ave": [.49, .64]}, index=["A", "B"]),
        ...                   fl, pd.DataFrame([[1, .87], [.87, 1]], index=["A", "B"],
        ...                                    columns=["A", "B"]))
        >>> [v.subject for v in vs.failed("fornell")], vs["htmt:B|A"].outcome
        (['fornell:A'], 'tolerated')
    """
    out = []
    for _, r in loadings.iterrows():
        x = float(r["std.all"])
        for kind in ("loading", "loading.strict"):
            out.append(Verdict(f"{kind}:{r['rhs']}", _met(x >= CUTOFFS[kind][0]), kind,
                               {"value": x, "construct": r["lhs"]}))  # fmt: skip
    for c, r in validity.iterrows():
        for kind in ("cr", "ave"):
            if _finite(r.get(kind)):
                out.append(Verdict(f"{kind}:{c}", _met(r[kind] >= CUTOFFS[kind][0]), kind,
                                   {"value": float(r[kind])}))  # fmt: skip
    out += list(fornell_larcker_verdicts(fornell_larcker).values())
    out += _htmt(htmt)
    return VerdictSet.of(out)


def fornell_larcker_verdicts(fl: pd.DataFrame) -> VerdictSet:
    """Fornell & Larcker (1981) per construct (``fornell:<c>``): "met" when sqrt(AVE) on the
    diagonal of ``fl`` is above the absolute value of every correlation in its row and
    column (a full or a lower-triangular matrix: missing cells are ignored). ``values``:
    sqrt_ave, r_max, above (the constructs whose correlation reaches sqrt(AVE)).

    Example:
        >>> fl = pd.DataFrame([[.70, None], [.75, .80]], index=["A", "B"], columns=["A", "B"])
        >>> vs = fornell_larcker_verdicts(fl)
        >>> vs["fornell:A"].outcome, vs["fornell:A"].values["above"], vs["fornell:B"].outcome
        ('not_met', ['B'], 'met')
    """
    out = []
    names = list(fl.index)
    a = fl.to_numpy(dtype=float)
    for i, c in enumerate(names):
        r = np.delete(np.fmax(np.abs(a[i]), np.abs(a[:, i])), i)
        others = [n for n in names if n != c]
        above = [o for o, v in zip(others, r, strict=True) if v >= a[i, i]]
        r_max = float(np.nanmax(r)) if len(r) else np.nan
        values = {"sqrt_ave": float(a[i, i]), "r_max": r_max, "above": above}
        out.append(Verdict(f"fornell:{c}", _met(not above), "fornell", values))
    return VerdictSet.of(out)


def _htmt(h: pd.DataFrame) -> list[Verdict]:
    strict, liberal = CUTOFFS["htmt"][0], CUTOFFS["htmt.liberal"][0]
    out = []
    for i, a in enumerate(h.index):
        for j, b in enumerate(h.columns):
            if j >= i or not _finite(h.loc[a, b]):
                continue
            x = float(h.loc[a, b])
            outcome = "met" if x < strict else "tolerated" if x < liberal else "not_met"
            out.append(Verdict(f"htmt:{a}|{b}", outcome, "htmt", {"value": x, "pair": (a, b)}))
    return out
