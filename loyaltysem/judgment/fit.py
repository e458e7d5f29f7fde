"""Model fit: each index judged by its rule (:mod:`loyaltysem.psychometrics.cutoffs`), and
whether the model fits well enough for its paths to be read without a caveat.

Each judged index is **met** (past its cut-off), **tolerated** (in the band some authors
accept: AGFI between .80 and .90, Jöreskog & Sörbom 1984; χ²/df between 3 and 5, Kline 2016)
or **not met**. The model is judged **poor** when any core index fails its cut-off - CFI or
TLI below .90, RMSEA or SRMR above .08 (with ``strict``: Hu & Bentler 1999, CFI / TLI below
.95, RMSEA above .06) - and then every hypothesis decided on it carries the caveat
"poor_fit" naming the failing indices (reporting conventions, "Model fit caveat").

The value judged is the one the fit table prints: with a scaled test the robust or scaled
version of CFI, TLI and RMSEA and the scaled χ² (``options.fit_suffix``).
"""

from __future__ import annotations

import math

from loyaltysem.judgment.verdict import Verdict
from loyaltysem.psychometrics.cutoffs import fit_cutoff

RULE = "fit_cutoffs"
#: the indices judged, in the order of the fit table
JUDGED = ("chisq/df", "gfi", "agfi", "nfi", "ifi", "tli", "cfi", "rmsea", "srmr")


def index_keys(options) -> dict[str, list[str]]:
    """Index -> the fit-measure names tried in order for a fit's resolved estimator
    options (with a scaled test: MLR's robust CFI/TLI/RMSEA, Yuan & Bentler 2000; WLSMV /
    ULSMV the scaled-shifted χ² and the .scaled indices, as Mplus reports them).

    Example:
        >>> from types import SimpleNamespace as NS
        >>> index_keys(NS(fit_suffix=".robust"))["cfi"]
        ['cfi.robust', 'cfi.scaled']
    """
    keys = {i: [i] for i in ("chisq", "df", "chisq/df", "gfi", "agfi", "nfi", "ifi", "tli",
                             "cfi", "rmsea", "rmsea.ci", "srmr")}  # fmt: skip
    sfx = getattr(options, "fit_suffix", "")
    if sfx:
        keys |= {"chisq": ["chisq.scaled"], "df": ["df.scaled", "df"],
                 "chisq/df": ["chisq.scaled/df"], "nfi": ["nfi.scaled", "nfi"],
                 "ifi": ["ifi.scaled", "ifi"]}  # fmt: skip
        for i in ("tli", "cfi", "rmsea", "rmsea.ci"):
            keys[i] = list(dict.fromkeys([f"{i}{sfx}", f"{i}.scaled"]))
    return keys


def fit_value(fm: dict, key: str):
    """A fit measure by name; "chisq.scaled/df" and "rmsea.ci[.robust]" (a (lower, upper)
    pair) are computed from the measures.

    Example:
        >>> fit_value({"chisq.scaled": 30.0, "df.scaled": 10}, "chisq.scaled/df")
        3.0
    """
    if key == "chisq.scaled/df":
        df = fm.get("df.scaled", fm.get("df"))
        return fm["chisq.scaled"] / df if "chisq.scaled" in fm and df else None
    if key.startswith("rmsea.ci"):
        suffix = key[len("rmsea.ci") :]
        lo, hi = fm.get(f"rmsea.ci.lower{suffix}"), fm.get(f"rmsea.ci.upper{suffix}")
        return None if lo is None or hi is None else (lo, hi)
    return fm.get(key)


def reported(fm: dict, index: str, options) -> tuple[str | None, object]:
    """(name, value) of the version of ``index`` the fit table reports for ``options``.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> reported({"cfi": .95}, "cfi", NS(fit_suffix=""))
        ('cfi', 0.95)
    """
    for key in index_keys(options)[index]:
        v = fit_value(fm, key)
        if v is not None:
            return key, v
    return None, None


def judge_index(index: str, value, strict: bool = False, key: str | None = None) -> Verdict | None:
    """Met / tolerated / not met for one index (None when the index has no rule or no
    value).

    Example:
        >>> judge_index("agfi", 0.893).outcome, judge_index("agfi", 0.95).outcome
        ('tolerated', 'met')
        >>> judge_index("cfi", 0.803).outcome
        'not_met'
    """
    rule = fit_cutoff(index, strict)
    if rule is None or value is None or isinstance(value, tuple):
        return None
    v = float(value)
    if not math.isfinite(v):
        return None

    def passes(cut: float) -> bool:
        if rule.better == "higher":
            return v >= cut if rule.inclusive else v > cut
        return v <= cut if rule.inclusive else v < cut

    if passes(rule.good):
        outcome = "met"
    elif rule.tolerated is not None and passes(rule.tolerated):
        outcome = "tolerated"
    else:
        outcome = "not_met"
    values = {"value": v, "key": key or index, "good": rule.good, "tolerated": rule.tolerated,
              "better": rule.better, "core": rule.core, "strict": bool(strict)}  # fmt: skip
    return Verdict(index, outcome, rule.cite.strip("[]") or RULE, values)


def judge_fit(fm: dict, options, strict: bool = False) -> dict[str, Verdict]:
    """Index -> verdict of every judged index of one model's fit measures.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> v = judge_fit({"cfi": .803, "agfi": .893}, NS(fit_suffix=""))
        >>> v["cfi"].outcome, v["agfi"].outcome
        ('not_met', 'tolerated')
    """
    out = {}
    for index in JUDGED:
        key, value = reported(fm, index, options)
        v = judge_index(index, value, strict, key)
        if v is not None:
            out[index] = v
    return out


def fit_caveat(verdicts: dict[str, Verdict], subject: str = "structural model") -> Verdict:
    """ "poor" when a core index (CFI, TLI, RMSEA, SRMR) fails its cut-off, else "good";
    ``values["failing"]`` the failing core indices with their values.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> v = fit_caveat(judge_fit({"cfi": .803, "rmsea": .12, "srmr": .05}, NS(fit_suffix="")))
        >>> v.outcome, [i for i, _ in v.values["failing"]]
        ('poor', ['cfi', 'rmsea'])
    """
    failing = [(i, v.values["value"]) for i, v in verdicts.items()
               if v.values.get("core") and v.outcome == "not_met"]  # fmt: skip
    outcome = "poor" if failing else "good"
    return Verdict(subject, outcome, RULE, {"failing": failing},
                   ("poor_fit",) if failing else ())  # fmt: skip


def judge_models(fits: dict[str, dict], options) -> dict:
    """The fit table's verdicts for both cut-off sets: ``{"lenient": {model: {index:
    verdict}}, "strict": ..., "caveat": {"lenient": verdict, "strict": verdict}}``, the
    caveat judged on the last model of ``fits`` (the structural model).

    Example:
        >>> from types import SimpleNamespace as NS
        >>> j = judge_models({"structural": {"cfi": .96}}, NS(fit_suffix=""))
        >>> j["caveat"]["strict"].outcome
        'good'
    """
    out: dict = {"caveat": {}}
    for name, strict in (("lenient", False), ("strict", True)):
        out[name] = {m: judge_fit(fm, options, strict) for m, fm in fits.items()}
        last = list(fits)[-1]
        out["caveat"][name] = fit_caveat(out[name][last], last)
    return out
