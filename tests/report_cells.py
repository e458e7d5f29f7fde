"""The report's cell formats as the English tables print them (the true minus U+2212, APA),
for tests that rebuild a cell from a number."""

from __future__ import annotations

from loyaltysem.report.format import bounded as _bounded
from loyaltysem.report.format import ci, minus_signs
from loyaltysem.report.format import num as _num


def num(*args) -> str:
    return minus_signs(_num(*args))


def bounded(x, lang, *args) -> str:
    return minus_signs(_bounded(x, lang, *args))


def en_ci(lo, hi, is_bounded: bool = False) -> str:
    return minus_signs(ci(lo, hi, "en", is_bounded=is_bounded))
