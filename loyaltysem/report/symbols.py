"""Statistical symbols in italics (APA 7, 6.45; GB 3102.11 sets quantity symbols in italics
too): where in a sentence, note, caption or table cell a symbol such as *p*, *z*, *t*, *F*,
*N*, *M*, *SD*, *SE*, *df*, *R*², *χ*² stands, so that every writer can set it in italics
(Word runs, ``<i>`` in HTML, ``\\textit`` in LaTeX, ``*p*`` in Markdown).

The catalogue stays plain text: symbols are found by a known list *and* a context that makes
them symbols (a relation sign after them, "Cohen's d", "1 SD", "M (SD)", a table header that
is the symbol), so that a letter inside a word or a label ("Model M", an item "N1") is never
touched. Greek letters stay upright (APA), except χ.
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar

__all__ = ["italic_spans", "literal_words", "SYMBOLS"]

SYMBOLS = ("p", "z", "t", "F", "r", "M", "N", "n", "b", "d", "k", "SD", "SE", "df", "R", "f", "Q")
_ONE = "|".join(sorted(SYMBOLS, key=len, reverse=True))
# not inside a Latin word, an abbreviation or a hyphenated name (Chinese text and Greek
# letters may touch a symbol: "t检验", "Δdf")
_EDGE_L = r"(?<![A-Za-z0-9'’.\-])"
_EDGE_R = r"(?![A-Za-z0-9'’])"
_PATTERNS = [
    # a symbol before a relation or its degrees of freedom: p < .05, N = 400, t(398)
    rf"{_EDGE_L}(?:{_ONE}){_EDGE_R}(?=\s?[=<>≤≥≠]|\(\d)",
    r"(?<=Cohen's )d\b",  # Cohen's d
    r"(?<=Cohen’s )d\b",
    rf"{_EDGE_L}(?:SD|SE)(?=s?{_EDGE_R})",  # SD, SE, SEs wherever they stand
    r"(?<![A-Za-z0-9'’.])M(?= [−+-] \d)",  # M − 1 SD
    r"(?<=\()M(?=\))",  # (M)
    r"(?<![A-Za-z0-9'’.])M(?= \(SD\))",  # M (SD)
    rf"{_EDGE_L}(?:R|f|Q|χ)(?=²)",  # R², f², Q², χ²
    rf"{_EDGE_L}df{_EDGE_R}",  # df
    r"(?<![A-Za-z0-9'’.])[tzF](?=[ -]?tests?\b|检验)",  # t test, z tests, F test, t检验
]
_ANY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
# a table header that is a symbol, or a symbol with its qualifier: "p", "z (C.R.)", "b (Male)"
_HEADER = re.compile(rf"^(?:{_ONE})(?=$| ?[(（])")


def italic_spans(text: str, header: bool = False) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, italic?) pieces, the statistical symbols italic; ``header``:
    the text is a table cell (a lone "p", "n" or "M" is a symbol there).

    Example:
        >>> italic_spans("N = 366; Cohen's d.")
        [('N', True), (" = 366; Cohen's ", False), ('d', True), ('.', False)]
        >>> italic_spans("z (C.R.)", header=True)
        [('z', True), (' (C.R.)', False)]
        >>> italic_spans("Model M and item N1")
        [('Model M and item N1', False)]
    """
    marks = [(m.start(), m.end()) for m in _ANY.finditer(text)]
    if header and text not in _LITERALS.get():
        m = _HEADER.match(text)
        if m:
            marks.append((m.start(), m.end()))
    if not marks:
        return [(text, False)] if text else []
    out, pos = [], 0
    for start, end in sorted(set(marks)):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# names of the model (construct codes and names) that are never symbols, though a table cell
# may hold one alone: a construct coded "N" or "F" is not the sample size or an F statistic
_LITERALS: ContextVar[frozenset[str]] = ContextVar("literals", default=frozenset())


@contextlib.contextmanager
def literal_words(words):
    """Within the block, a table cell that is one of ``words`` is set upright.

    Example:
        >>> with literal_words({"N"}):
        ...     italic_spans("N", header=True)
        [('N', False)]
        >>> italic_spans("N", header=True)
        [('N', True)]
    """
    token = _LITERALS.set(frozenset(words))
    try:
        yield
    finally:
        _LITERALS.reset(token)
