"""The verdict on a PROCESS model's key effect (Hayes 2022).

* Moderated mediation (models 7, 8, 14, 15, 58, 59): the index of moderated mediation
  (Hayes 2015); moderated when its percentile bootstrap interval excludes 0. With more
  than one index (several mediators or moderators) the model's hypothesis holds when any
  index excludes 0 with the expected sign. Where the indirect effect is not a linear
  function of the moderator (models 58 and 59 with a continuous moderator) PROCESS gives no
  index: the verdict is "no_index" and the chapter reads the conditional indirect effects.
* Mediation (models 4 and 6): the total indirect effect (the only one with one mediator);
  an indirect effect exists when its bootstrap interval excludes 0 (Preacher & Hayes 2008).
* Moderation (models 1, 2, 3, 5): the highest-order interaction's coefficient in the
  outcome's equation, by its t test at p < .05 (Hayes 2022, ch. 7).

A directional hypothesis (sign "+" or "-") is supported only with an effect of that sign.
"""

from __future__ import annotations

from loyaltysem.judgment.verdict import Verdict

INDEX_MODELS = frozenset({7, 8, 14, 15, 58, 59})
MEDIATION_MODELS = frozenset({4, 6})


def _signed(sign: str, value: float) -> bool:
    return sign == "two-sided" or (value > 0 if sign == "+" else value < 0)


def _excludes_zero(lo, hi) -> bool:
    return lo is not None and hi is not None and (lo > 0 or hi < 0)


def process_verdict(spec, res) -> Verdict:
    """The verdict on ``spec``'s key effect in the :class:`ProcessResult` ``res``.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> spec = NS(model=4, id="H9", sign="+", x="SAT", y="LOY")
        >>> res = NS(indirect=[{"path": "SAT -> TRU -> LOY", "effect": 0.12, "w": {},
        ...                     "boot.llci": 0.05, "boot.ulci": 0.2}])
        >>> process_verdict(spec, res).outcome
        'supported'
    """
    subject = spec.id or f"PROCESS model {spec.model}"
    if spec.model in INDEX_MODELS:
        return _index(subject, spec, res)
    if spec.model in MEDIATION_MODELS:
        return _indirect(subject, spec, res)
    return _interaction(subject, spec, res)


def _index(subject: str, spec, res) -> Verdict:
    rows = list(res.index_moderated_mediation)
    if not rows:
        return Verdict(subject, "no_index", "hayes2015")
    hits = [r for r in rows if _excludes_zero(r["boot.llci"], r["boot.ulci"])]
    ok = [r for r in hits if _signed(spec.sign, r["index"])]
    key = (ok or hits or rows)[0]
    values = {"index": key["index"], "llci": key["boot.llci"], "ulci": key["boot.ulci"],
              "path": key["path"], "moderator": key.get("moderator")}  # fmt: skip
    caveats = ("opposite_sign",) if hits and not ok else ()
    return Verdict(subject, "supported" if ok else "not_supported", "hayes2015", values, caveats)


def _indirect(subject: str, spec, res) -> Verdict:
    rows = [r for r in res.indirect if not r.get("w")]
    total = [r for r in rows if r["path"] == "total"]
    paths = [r for r in rows if r["path"] != "total" and " - " not in r["path"]]
    key = (total or paths)[0]
    sig = _excludes_zero(key["boot.llci"], key["boot.ulci"])
    ok = sig and _signed(spec.sign, key["effect"])
    values = {"effect": key["effect"], "llci": key["boot.llci"], "ulci": key["boot.ulci"],
              "path": key["path"]}  # fmt: skip
    caveats = ("opposite_sign",) if sig and not ok else ()
    return Verdict(subject, "supported" if ok else "not_supported", "preacher2008", values, caveats)


def _interaction(subject: str, spec, res) -> Verdict:
    outcome = next(o for o in res.outcomes if o["outcome"] == spec.y)
    products = [c for c in outcome["coefficients"] if "*" in c["term"]]
    key = max(products, key=lambda c: c["term"].count("*"))  # the highest-order term
    sig = key["pvalue"] < 0.05
    ok = sig and _signed(spec.sign, key["coeff"])
    values = {"term": key["term"], "coeff": key["coeff"], "t": key["t"], "p": key["pvalue"],
              "llci": key["llci"], "ulci": key["ulci"]}  # fmt: skip
    caveats = ("opposite_sign",) if sig and not ok else ()
    return Verdict(subject, "supported" if ok else "not_supported", "hayes2022", values, caveats)
