"""The results chapter: sections of numbered tables and figures, a paragraph under every
table, a chapter summary and the reference list, in one language.

A table is made by a *builder* ``f(result, ctx) -> Table | list[Table] | None`` (None: not
applicable to this analysis). :data:`loyaltysem.report.registry.BUILDERS` lists them in the
order of a thesis chapter with their section; adding a table means adding one builder there.
Numbering, citations, N and warnings in the notes are filled in here, once for all tables;
"<T>" in a text is its own table's label, "<T:key>" the label of the table ``key``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loyaltysem.report.format import bounded, ci, minus_signs, num, pvalue
from loyaltysem.report.i18n import has, t, warning_text
from loyaltysem.report.notes import disclosure, stated_in
from loyaltysem.report.references import cite, reference_list


@dataclass
class Figure:
    key: str
    title: str
    filename: str  # PNG written into the report folder
    draw: Callable[[Path], list[str] | None]  # writes the PNG (and companions), warnings back
    text: str = ""  # paragraph that cites it; "<F>" is this figure's label
    number: int = 0
    label: str = ""
    width_cm: float = 15.0
    path: Path | None = None  # set when drawn into a report folder


@dataclass
class Table:
    key: str
    title: str
    data: pd.DataFrame  # display strings
    note: str
    raw: pd.DataFrame  # the numbers behind it (CSV, Excel checks, tests)
    number: int = 0
    text: str = ""  # paragraph under the table; "<T>" is this table's label
    n: int | None = None  # N the table is based on (stated in the note)
    n_text: str = ""  # how N came about, when it differs from the valid sample
    warnings: list[str] = field(default_factory=list)  # console warnings for the note
    pre_text: str = ""  # paragraph before the caption (e.g. introducing a figure)
    pre_figures: list[Figure] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)  # after the paragraph
    failed: list[str] = field(default_factory=list)  # criteria not met (for the summary)
    summary: str = ""  # one sentence for the chapter summary
    section: str = ""
    label: str = ""  # "表4-1" / "Table 4.1"
    marks: bool = False  # the table marks failed values with a dagger


@dataclass
class Ctx:
    """Language and options every builder gets, with the number formats of the language."""

    lang: str
    chapter: int = 4
    strict: bool = False
    instrument: object = None

    def t(self, key: str, **fields) -> str:
        return t(key, self.lang, **fields)

    def tc(self, key: str, count: int, of: int | None = None, **fields) -> str:
        """``key`` worded for ``count``: ``key.none`` for 0 ("none is significant", 均不显著
        rather than "0个显著"), ``key.one`` for 1, ``key.all`` when ``count == of``, where
        the catalogue has them; else ``key``."""
        for variant, hit in (("none", count == 0), ("one", count == 1),
                             ("all", of is not None and count == of)):  # fmt: skip
            if hit and has(f"{key}.{variant}"):
                return t(f"{key}.{variant}", self.lang, **fields)
        return t(key, self.lang, **fields)

    def b(self, x, digits: int = 3) -> str:
        """Bounded statistic: .46 (en) / 0.46 (zh)."""
        return bounded(x, self.lang, digits)

    def n(self, x, digits: int = 3) -> str:
        return num(x, digits)

    def p(self, p) -> str:
        return pvalue(p, self.lang)

    def ci(self, lo, hi, digits: int = 3, bounded: bool = False) -> str:
        """ "[lo, hi]" with enough decimals that a limit excluding 0 never prints as 0."""
        return ci(lo, hi, self.lang, digits, bounded)

    def p_eq(self, p) -> str:
        """ "p < .001" / "p = .023" (Chinese: 0.023) for running text."""
        text = pvalue(p, self.lang)
        return f"p {text}" if text.startswith("<") else f"p = {text}"

    def label(self, code: str) -> str:
        return display_label(self.instrument, code, self.lang)

    def join(self, parts: list[str]) -> str:
        """ "a, b and c" / "a、b和c"."""
        parts = [p for p in parts if p]
        if len(parts) <= 1:
            return "".join(parts)
        return t("list_sep", self.lang).join(parts[:-1]) + t("and", self.lang) + parts[-1]

    def paren(self, text: str) -> str:
        """ "（0.518）" in Chinese, " (.518)" in English."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def stop(self) -> str:
        return t("full_stop", self.lang)


def display_label(inst, code: str, lang: str) -> str:
    """The name of a construct, moderator or demographic in ``lang``; an interaction term
    ``X:Z`` as "X × Z"."""
    if inst is None:
        return code
    if ":" in code:
        return " × ".join(display_label(inst, part, lang) for part in code.split(":"))
    for mod in getattr(inst, "moderators", None) or []:
        if mod.code == code:
            return mod.label(lang)
    return inst.label(code, lang)


@dataclass
class Chapter:
    lang: str
    number: int
    title: str
    sections: list[tuple[str, list[Table]]]
    summary: str
    references: list[str]
    warnings: list[str] = field(default_factory=list)
    instrument: object = None  # the model's names (labels of the Chinese data files)

    @property
    def tables(self) -> list[Table]:
        return [tb for _, tbs in self.sections for tb in tbs]

    @property
    def figures(self) -> list[Figure]:
        return [f for tb in self.tables for f in tb.pre_figures + tb.figures]

    def heading(self, k: int, name: str) -> str:
        return f"{self.number}.{k} {name}"


def table_label(number: int, chapter: int, lang: str) -> str:
    return f"表{chapter}-{number}" if lang == "zh" else f"Table {chapter}.{number}"


def figure_label(number: int, chapter: int, lang: str) -> str:
    return f"图{chapter}-{number}" if lang == "zh" else f"Figure {chapter}.{number}"


def _finish_note(tb: Table, lang: str) -> None:
    parts = [tb.note.strip()] if tb.note.strip() else []
    if tb.n is not None and "N = " not in tb.note:
        parts.append(tb.n_text or t("n_note", lang, n=tb.n))
    said = " ".join(parts)
    seen = []
    for w in tb.warnings:
        if stated_in(w, said, lang):  # in the note's own words (its draws, its N)
            continue
        text = warning_text(w, lang)
        if text not in seen:
            seen.append(text)
    if seen:
        sep = "" if lang == "zh" else " "
        parts.append(t("warning", lang) + sep + sep.join(seen))
    tb.note = ("" if lang == "zh" else " ").join(parts)


def _carry_the_rest(result, tables: list[Table], lang: str) -> None:
    """Every warning of the run reaches a note: one that no table carries (it concerns the
    data as a whole, or no table of this chapter) goes to the first table's, the sample's."""
    if not tables or not hasattr(result, "all_warnings"):
        return
    carried = {disclosure(w, lang) for tb in tables for w in tb.warnings}
    rest = [w for w in result.all_warnings() if disclosure(w, lang) not in carried]
    tables[0].warnings = [*tables[0].warnings, *rest]


def _tidy_zh(text: str) -> str:
    """No space after Chinese punctuation (sentences joined with spaces in English)."""
    return re.sub(r"([。；：，）])[ \t]+", r"\1", text).strip()


def _typeset_en(tb: Table) -> None:
    """English numbers take the minus sign U+2212 (APA), in the cells, texts and notes (the
    CSV and Excel numbers are numbers)."""
    tb.data = tb.data.map(lambda v: minus_signs(v) if isinstance(v, str) else v)
    for attr in ("text", "pre_text", "note"):
        setattr(tb, attr, re.sub(r"(?<=\S)  +", " ", minus_signs(getattr(tb, attr))).strip())
    for fig in tb.pre_figures + tb.figures:
        fig.text = minus_signs(fig.text)


def assemble(result, builders, lang: str, chapter: int = 4, strict: bool = False) -> Chapter:
    """Run the builders, number tables and figures in order of appearance, fill in labels,
    citations, N and warnings, and write the summary and the reference list."""
    ctx = Ctx(lang, chapter, strict, result.instrument)
    sections: dict[str, list[Table]] = {}
    for section, builder in builders:
        made = builder(result, ctx)
        for tb in made if isinstance(made, list) else [made]:
            if tb is not None:
                tb.section = section
                sections.setdefault(section, []).append(tb)
    cited: list[str] = []
    k_tab = k_fig = 0
    ordered = [(t(f"sec.{'sem_cfa' if s == 'sem' and result.measurement_only else s}", lang), tbs)
               for s, tbs in sections.items()]  # fmt: skip
    for _, tbs in ordered:
        for tb in tbs:
            k_tab += 1
            tb.number, tb.label = k_tab, table_label(k_tab, chapter, lang)
            for fig in tb.pre_figures + tb.figures:
                k_fig += 1
                fig.number, fig.label = k_fig, figure_label(k_fig, chapter, lang)
    _carry_the_rest(result, [tb for _, tbs in ordered for tb in tbs], lang)
    labels = {}  # "<T:key>": another table's label (the first table of that key)
    for _, tbs in ordered:
        for tb in tbs:
            labels.setdefault(f"<T:{tb.key}>", tb.label)
    for _, tbs in ordered:
        for tb in tbs:
            figs = {f"<F:{f.key}>": f.label for f in tb.pre_figures + tb.figures}
            for attr in ("text", "pre_text", "note"):
                value = getattr(tb, attr).replace("<T>", tb.label)
                value = re.sub(r"<T:\w+>", lambda m: labels.get(m.group(0), m.group(0)), value)
                for mark, lab in figs.items():
                    value = value.replace(mark, lab)
                setattr(tb, attr, cite(value, lang, cited))
            for fig in tb.pre_figures + tb.figures:
                fig.text = cite(fig.text.replace("<F>", fig.label), lang, cited)
            _finish_note(tb, lang)
            if lang == "en":
                _typeset_en(tb)
            if lang == "zh":
                for attr in ("text", "pre_text", "note"):
                    setattr(tb, attr, _tidy_zh(getattr(tb, attr)))
    from loyaltysem.report.text import chapter_summary

    tables = [tb for _, tbs in ordered for tb in tbs]
    summary = cite(chapter_summary(tables, ctx), lang, cited)
    summary = _tidy_zh(summary) if lang == "zh" else minus_signs(summary)
    return Chapter(
        lang, chapter, t("report_title", lang), ordered, summary, reference_list(cited, lang),
        instrument=result.instrument,
    )  # fmt: skip
