"""Rules of thumb for fit indices, with their sources (reporting conventions, table 9): data
only; the verdicts are made in :mod:`loyaltysem.judgment.fit`.

Two sets: the lenient one most theses use, and Hu & Bentler's (1999) strict one. A rule has
a cut-off a value must pass to be met and, for some indices, a wider band in which it is
only tolerated (AGFI between .80 and .90, χ²/df between 3 and 5). ``core`` marks the
indices whose failure means the model does not fit well (CFI, TLI, RMSEA, SRMR). A verdict
is advice, never a reason to hide a value.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How the tables print each fit index (lavaan's names), in the fit table's order:
#: index -> (bounded?, digits); a bounded index (0 to 1) prints without a leading zero.
#: "rmsea.ci" is the 90% interval; AIC and BIC appear in the rival-model table only.
FIT_FORMAT: dict[str, tuple[bool, int]] = {
    "chisq": (False, 3),
    "df": (False, 0),
    "chisq/df": (False, 3),
    "gfi": (True, 3),
    "agfi": (True, 3),
    "nfi": (True, 3),
    "ifi": (True, 3),
    "tli": (True, 3),
    "cfi": (True, 3),
    "rmsea": (True, 3),
    "rmsea.ci": (True, 3),
    "srmr": (True, 3),
    "aic": (False, 2),
    "bic": (False, 2),
}


@dataclass(frozen=True)
class FitCutoff:
    """One fit index's rule: ``better`` "higher" or "lower"; met when the value passes
    ``good`` (``inclusive``: at it too), tolerated when it passes ``tolerated`` only;
    ``text`` the cut-off as the table prints it, ``source`` / ``cite`` its source (plain
    and as catalogue citation keys); ``core``: a failure means poor fit."""

    index: str
    better: str
    good: float
    tolerated: float | None
    text: str
    source: str
    cite: str
    inclusive: bool = False
    core: bool = False


LENIENT: dict[str, FitCutoff] = {
    "chisq/df": FitCutoff("chisq/df", "lower", 3.0, 5.0, "< 3 (< 5 acceptable)",
                          "Kline (2016); Hair et al. (2019)", "[[kline2016]]"),
    "gfi": FitCutoff("gfi", "higher", 0.90, None, "> .90", "Joreskog & Sorbom (1984)",
                     "[[joreskog1984]]"),
    "agfi": FitCutoff("agfi", "higher", 0.90, 0.80, "> .90 (> .80 tolerated)",
                      "Joreskog & Sorbom (1984)", "[[joreskog1984]]"),
    "nfi": FitCutoff("nfi", "higher", 0.90, None, "> .90", "Bentler & Bonett (1980)",
                     "[[bentler1980]]"),
    "ifi": FitCutoff("ifi", "higher", 0.90, None, "> .90", "Bollen (1989)", "[[bollen1989]]"),
    "tli": FitCutoff("tli", "higher", 0.90, None, "> .90", "Tucker & Lewis (1973)",
                     "[[tucker1973]]", core=True),
    "cfi": FitCutoff("cfi", "higher", 0.90, None, "> .90", "Bentler (1990)", "[[bentler1990]]",
                     core=True),
    "rmsea": FitCutoff("rmsea", "lower", 0.08, None, "< .08", "Browne & Cudeck (1993)",
                       "[[browne1993]]", core=True),
    "srmr": FitCutoff("srmr", "lower", 0.08, None, "< .08", "Hu & Bentler (1999)", "[[hu1999]]",
                      core=True),
}  # fmt: skip
STRICT: dict[str, FitCutoff] = {
    **LENIENT,
    "chisq/df": FitCutoff("chisq/df", "lower", 3.0, None, "< 3", "Kline (2016)",
                          "[[kline2016]]"),
    "tli": FitCutoff("tli", "higher", 0.95, None, ">= .95", "Hu & Bentler (1999)", "[[hu1999]]",
                     inclusive=True, core=True),
    "cfi": FitCutoff("cfi", "higher", 0.95, None, ">= .95", "Hu & Bentler (1999)", "[[hu1999]]",
                     inclusive=True, core=True),
    "rmsea": FitCutoff("rmsea", "lower", 0.06, None, "<= .06", "Hu & Bentler (1999)",
                       "[[hu1999]]", inclusive=True, core=True),
}  # fmt: skip


def fit_cutoff(index: str, strict: bool = False) -> FitCutoff | None:
    """The rule of a fit index (None: the index is reported, not judged).

    Example:
        >>> fit_cutoff("agfi").tolerated, fit_cutoff("cfi", strict=True).good
        (0.8, 0.95)
    """
    return (STRICT if strict else LENIENT).get(index)
