"""APA-style number formatting: no leading zero for statistics bounded by 1, p < .001."""

from __future__ import annotations

import math


def num(x, digits: int = 3, leading_zero: bool = True) -> str:
    """Format a number; NaN/None -> empty. ``leading_zero=False`` gives APA's .85 for
    statistics that cannot exceed 1 (r, beta, alpha, CFI, p).

    Example:
        >>> num(0.8512), num(0.8512, leading_zero=False), num(-0.05, 2, False)
        ('0.851', '.851', '-.05')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(x):
        return ""
    text = f"{x:.{digits}f}"
    if not leading_zero and abs(x) < 1:
        text = text.replace("0.", ".", 1)
    if text in ("-0." + "0" * digits, "-." + "0" * digits):
        text = text[1:]
    return text


def pvalue(p) -> str:
    """'< .001' or '.023' (APA 7)."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "< .001" if p < 0.001 else num(p, 3, leading_zero=False)


def stars(p) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


STARS_NOTE = {
    "en": "* p < .05, ** p < .01, *** p < .001.",
    "zh": "* p < .05，** p < .01，*** p < .001。",
}
