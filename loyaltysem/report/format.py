"""Number formatting. English follows APA 7 (no leading zero for statistics bounded by 1,
p < .001); Chinese follows GB/T 15835 usage (0.46, p < 0.001)."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"  # the minus sign of typeset English numbers (APA; not the hyphen-minus)
_HYPHEN_MINUS = re.compile(r"(?<![\w.\-–)\]/])-(?=\.?\d)")


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


class Shown(str):
    """A number as the report shows it that keeps the number it shows (``.value``): Excel
    stores the p of "< .001" as the number itself with a display format, not as text.

    Example:
        >>> x = Shown("< .001", 0.00002)
        >>> x, x.value
        ('< .001', 2e-05)
    """

    value: float

    def __new__(cls, text: str, value: float):
        obj = super().__new__(cls, text)
        obj.value = float(value)
        return obj


def pvalue(p, lang: str = "en") -> str:
    """'< .001' / '.023' (APA 7) or '< 0.001' / '0.023' (Chinese).

    Example:
        >>> pvalue(0.0004), pvalue(0.0231, "zh")
        ('< .001', '0.023')
    """
    if _missing(p):
        return ""
    if float(p) < 0.001:
        return Shown("< 0.001" if lang == "zh" else "< .001", p)
    return Shown(bounded(p, lang, 3), p)


def stars(p) -> str:
    if _missing(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def ci_digits(lo, hi, digits: int = 3, most: int = 6) -> int:
    """Decimals for an interval: ``digits``, or more until no limit that is not exactly 0
    prints as 0 ("[0.000, 0.126]" for a limit of 0.0004 hides that the interval excludes 0).

    Example:
        >>> ci_digits(0.0004, 0.126), ci_digits(-0.02, 0.3), ci_digits(0.0, 0.023)
        (4, 3, 3)
    """
    d = digits
    values = [float(v) for v in (lo, hi) if not _missing(v)]
    while d < most and any(v != 0 and float(_half_up(abs(v), d)) == 0 for v in values):
        d += 1
    return d


def ci(lo, hi, lang: str, digits: int = 3, is_bounded: bool = False) -> str:
    """ "[lo, hi]" with the language's leading-zero rule for bounded statistics, and as many
    decimals as :func:`ci_digits` needs so that a limit that excludes 0 never prints as 0.

    Example:
        >>> ci(0.0004, 0.126, "zh"), ci(0.07, 0.29, "en", is_bounded=True)
        ('[0.0004, 0.1260]', '[.070, .290]')
    """
    d = ci_digits(lo, hi, digits)
    f = (lambda v: bounded(v, lang, d)) if is_bounded else (lambda v: num(v, d))
    return f"[{f(lo)}, {f(hi)}]"


def minus_signs(text: str) -> str:
    """English typesetting: the hyphen-minus before a number becomes the minus sign U+2212
    (APA); hyphens inside words and ranges ("1-3 times", "Yuan-Bentler") stay.

    Example:
        >>> minus_signs("b = -0.048, [-.134, .039], 18-24").replace(MINUS, "<minus>")
        'b = <minus>0.048, [<minus>.134, .039], 18-24'
    """
    return _HYPHEN_MINUS.sub(MINUS, text) if "-" in text else text


STARS_NOTE = {
    "en": "* p < .05, ** p < .01, *** p < .001.",
    "zh": "* p < 0.05，** p < 0.01，*** p < 0.001。",
}
