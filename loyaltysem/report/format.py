"""Number formatting. English follows APA 7 (no leading zero for statistics bounded by 1,
p < .001); Chinese follows GB/T 15835 usage (0.46, p < 0.001)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _half_up(x: float, digits: int) -> str:
    """Round half away from zero on the shortest decimal form of x, as SPSS and Excel show
    numbers (43.25 -> 43.3; Python's format would give 43.2)."""
    if math.isinf(x):
        return str(x)
    d = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{d:.{digits}f}"


def num(x, digits: int = 3, leading_zero: bool = True) -> str:
    """Format a number; NaN/None -> empty. ``leading_zero=False`` gives APA's .85 for
    statistics that cannot exceed 1 (r, beta, alpha, CFI, p).

    Example:
        >>> num(0.8512), num(0.8512, leading_zero=False), num(-0.05, 2, False)
        ('0.851', '.851', '-.05')
    """
    if _missing(x):
        return ""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    text = _half_up(x, digits)
    if not leading_zero and abs(x) < 1:
        text = text.replace("0.", ".", 1)
    if text in ("-0." + "0" * digits, "-." + "0" * digits):
        text = text[1:]
    return text


def bounded(x, lang: str, digits: int = 3) -> str:
    """A statistic that cannot exceed 1 in absolute value (r, beta, alpha, CFI, loadings):
    ".462" in English (APA), "0.462" in Chinese.

    Example:
        >>> bounded(0.4621, "en"), bounded(0.4621, "zh"), bounded(-0.05, "en", 2)
        ('.462', '0.462', '-.05')
    """
    return num(x, digits, leading_zero=(lang == "zh"))


def pvalue(p, lang: str = "en") -> str:
    """'< .001' / '.023' (APA 7) or '< 0.001' / '0.023' (Chinese).

    Example:
        >>> pvalue(0.0004), pvalue(0.0231, "zh")
        ('< .001', '0.023')
    """
    if _missing(p):
        return ""
    if float(p) < 0.001:
        return "< 0.001" if lang == "zh" else "< .001"
    return bounded(p, lang, 3)


def stars(p) -> str:
    if _missing(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def ci(lo, hi, lang: str, digits: int = 3, is_bounded: bool = False) -> str:
    """ "[lo, hi]" with the language's leading-zero rule for bounded statistics."""
    f = (lambda v: bounded(v, lang, digits)) if is_bounded else (lambda v: num(v, digits))
    return f"[{f(lo)}, {f(hi)}]"


STARS_NOTE = {
    "en": "* p < .05, ** p < .01, *** p < .001.",
    "zh": "* p < 0.05，** p < 0.01，*** p < 0.001。",
}
