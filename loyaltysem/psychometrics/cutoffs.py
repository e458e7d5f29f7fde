"""Rules of thumb for fit indices, with their sources (reporting conventions, table 9).

Two sets: the lenient one most theses use, and Hu & Bentler's (1999) strict one. A verdict is
advice, never a reason to hide a value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

# (lavaan name, display label, leading zero?, digits)
FIT_CUTOFFS = [
    ("chisq", "χ²", True, 3),
    ("df", "df", True, 0),
    ("chisq/df", "χ²/df", True, 3),
    ("gfi", "GFI", False, 3),
    ("agfi", "AGFI", False, 3),
    ("nfi", "NFI", False, 3),
    ("ifi", "IFI", False, 3),
    ("tli", "TLI (NNFI)", False, 3),
    ("cfi", "CFI", False, 3),
    ("rmsea", "RMSEA", False, 3),
    ("rmsea.ci.lower", "RMSEA 90% CI lower", False, 3),
    ("rmsea.ci.upper", "RMSEA 90% CI upper", False, 3),
    ("srmr", "SRMR", False, 3),
]

_LENIENT: dict[str, tuple[str, str, Callable[[float], bool]]] = {
    "chisq/df": ("< 3 (< 5 acceptable)", "Kline (2016); Hair et al. (2019)", lambda v: v < 5),
    "gfi": ("> .90", "Joreskog & Sorbom (1984)", lambda v: v > 0.90),
    "agfi": ("> .90 (> .80 tolerated)", "Joreskog & Sorbom (1984)", lambda v: v > 0.80),
    "nfi": ("> .90", "Bentler & Bonett (1980)", lambda v: v > 0.90),
    "ifi": ("> .90", "Bollen (1989)", lambda v: v > 0.90),
    "tli": ("> .90", "Tucker & Lewis (1973)", lambda v: v > 0.90),
    "cfi": ("> .90", "Bentler (1990)", lambda v: v > 0.90),
    "rmsea": ("< .08", "Browne & Cudeck (1993)", lambda v: v < 0.08),
    "srmr": ("< .08", "Hu & Bentler (1999)", lambda v: v < 0.08),
}
_STRICT = {
    **_LENIENT,
    "chisq/df": ("< 3", "Kline (2016)", lambda v: v < 3),
    "tli": (">= .95", "Hu & Bentler (1999)", lambda v: v >= 0.95),
    "cfi": (">= .95", "Hu & Bentler (1999)", lambda v: v >= 0.95),
    "rmsea": ("<= .06", "Hu & Bentler (1999)", lambda v: v <= 0.06),
}


def judge_fit(key: str, strict: bool = False):
    """(cut-off text, source, verdict function returning True/False/None) for a fit measure."""
    rules = _STRICT if strict else _LENIENT
    if key not in rules:
        return "", "", lambda v: None
    text, source, ok = rules[key]

    def verdict(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return bool(ok(v))

    return text, source, verdict


def fit_verdicts(fit: dict[str, float], strict: bool = False) -> pd.DataFrame:
    """Each judged fit measure with its value, cut-off, source and verdict.

    Example:
        >>> fit_verdicts({"cfi": .96, "rmsea": .05})["ok"].tolist()
        [True, True]
    """
    rows = []
    for key in fit:
        text, source, verdict = judge_fit(key, strict)
        if text:
            rows.append(
                {
                    "index": key,
                    "value": fit[key],
                    "cutoff": text,
                    "source": source,
                    "ok": verdict(fit[key]),
                }
            )
    return pd.DataFrame(rows)
