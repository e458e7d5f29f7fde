"""The chapter as a Word document laid out for a thesis.

A4 with 2.5 cm margins; body Times New Roman + 宋体 (SimSun) 五号 (10.5 pt), headings
Times New Roman + 黑体 (SimHei); three-line tables (三线表) with the caption above, figures
with the caption below, numbered by chapter with Word SEQ fields (表4-1 / Table 4.1); table
columns sized from their text so that no cell wraps inside a word, the header row repeated on
every page; a table too wide for the page gets a landscape section, one too long for a page
starts on a new page and continues under a "续表" / "(continued)" caption. Chinese numbers
keep the leading zero (GB/T 15835), English follows APA 7.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from loyaltysem.base.fileio import atomic_write_zip
from loyaltysem.report.chapter import Chapter, Figure, Table
from loyaltysem.report.i18n import t
from loyaltysem.report.symbols import italic_spans

PAGE_W, PAGE_H, MARGIN = 21.0, 29.7, 2.5  # cm
BODY_PT, SMALL_PT, TINY_PT = 10.5, 9.0, 8.0  # 五号, 小五, the smallest a wide table gets
CELL_PAD_PT = 11.5  # Word's default left + right cell margins (0.08 in each)
ROW_PT = 15.0  # estimated height of a one-line table row at 10.5 pt (9 pt: x 0.9)
SONG, HEI, LATIN = "SimSun", "SimHei", "Times New Roman"


# --------------------------------------------------------------------------- text metrics
def char_em(ch: str) -> float:
    """Approximate advance width of a character in em (Times New Roman / 宋体)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch.isdigit() or ch in "+-=<>()[]*†":
        return 0.5
    if ch == " ":
        return 0.25
    if ch in ".,;:'|!":
        return 0.28
    if ch.isupper():
        return 0.70
    return 0.50


def text_width(s: str, pt: float) -> float:
    return _em_width(str(s)) * pt


@functools.lru_cache(maxsize=65536)
def _em_width(s: str) -> float:  # the same cells are measured at every size a table tries
    return sum(char_em(c) for c in s)


def _header_min(s: str, pt: float) -> float:
    """Narrowest width a header may wrap to: Chinese text in up to three lines, never
    breaking a Latin word."""
    s = str(s)
    latin = re.findall(r"[^\s\u2e80-\uffef]+", s)
    longest = max([text_width(w, pt) for w in latin] + [0.0])
    cjk = sum(1 for c in s if unicodedata.east_asian_width(c) in ("W", "F"))
    if cjk > 6:  # long Chinese headers may wrap (never inside a Latin word)
        return max(longest, text_width(s, pt) / (2 if cjk <= 12 else 3))
    if cjk:
        return text_width(s, pt)
    return longest


_NUMERIC = re.compile(r"^[\s\d.,()\[\]<>=*†‡%±−+\-]*$")


def _body_min(v, pt: float, wrap: bool) -> float:
    """Narrowest width of a body cell: its full width, or with ``wrap`` its longest Latin
    word, Chinese text as a header wraps (a number or interval never wraps)."""
    v = str(v)
    if not wrap or _NUMERIC.match(v):
        return text_width(v, pt)
    latin = re.findall(r"[^\s\u2e80-\uffef]+", v)
    longest = max([text_width(w, pt) for w in latin] + [0.0])
    if any(unicodedata.east_asian_width(c) in ("W", "F") for c in v):
        return _header_min(v, pt)  # in two or three lines, short ones not at all
    return longest


def column_widths(data, avail_pt: float, pt: float, wrap: bool = False) -> list[float] | None:
    """Column widths (pt) filling ``avail_pt`` with no body cell wrapping (``wrap``: labels
    may wrap between words, numbers never), or None when the cells need more room than that
    at font size ``pt``."""
    need, full = [], []
    for j, c in enumerate(data.columns):
        cells = list(data.iloc[:, j])
        body = max([_body_min(v, pt, wrap) for v in cells] + [0.0])
        whole = max([text_width(v, pt) for v in cells] + [0.0])
        need.append(max(body, _header_min(c, pt)) + CELL_PAD_PT)
        full.append(max(whole, text_width(c, pt)) + CELL_PAD_PT)
    total = sum(need)
    if total > avail_pt:
        return None
    extra = avail_pt - total
    widths = list(need)
    want = {j: full[j] - need[j] for j in range(len(need)) if full[j] > need[j]}
    while extra > 1e-9 and want:  # max-min fair: a column that wants little gets all of it,
        share = extra / len(want)  # the others share the rest equally
        small = [j for j, w in want.items() if w <= share]
        for j in small or list(want):
            give = want.pop(j) if small else share
            widths[j] += give
            extra -= give
        if not small:
            break
    return [w + extra * w / sum(widths) for w in widths]


def plan_table(data) -> tuple[float, bool, list[float]]:
    """(font size, landscape?, widths): portrait at 10.5 or 9 pt if it fits, then portrait
    at 9 and 8 pt with the labels wrapped between words; landscape only for a table that
    does not fit portrait even so (10.5 / 9 pt, then wrapped, then 8 pt)."""
    portrait = (PAGE_W - 2 * MARGIN) / 2.54 * 72
    landscape = (PAGE_H - 2 * MARGIN) / 2.54 * 72
    tries = [(portrait, False, BODY_PT, False), (portrait, False, SMALL_PT, False),
             (portrait, False, SMALL_PT, True), (portrait, False, TINY_PT, True),
             (landscape, True, BODY_PT, False), (landscape, True, SMALL_PT, False),
             (landscape, True, SMALL_PT, True)]  # fmt: skip
    for avail, land, pt, wrap in tries:
        widths = column_widths(data, avail, pt, wrap)
        if widths:
            return pt, land, widths
    widths = column_widths(data, landscape, 8.0, True) or [landscape / len(data.columns)] * len(
        data.columns
    )
    return 8.0, True, widths


def row_lines(data, widths: list[float], pt: float) -> list[float]:
    """Estimated height of each row at these widths, in one-line rows (a wrapped label adds
    about 0.8 of a row per extra line: the cell margins come once)."""
    out = []
    for row in data.itertuples(index=False):
        lines = 1
        for v, w in zip(row, widths, strict=True):
            room = max(w - CELL_PAD_PT, 1.0)
            lines = max(lines, int(-(-(text_width(v, pt) - 0.5) // room)))  # 0.5: rounding
        out.append(1 + 0.8 * (lines - 1))
    return out


def row_groups(data) -> list[list[int]]:
    """Rows that belong together: a row with a label in the first column and the rows after
    it whose first column is empty (a construct and its items, a path and its effects); a
    heading row (a label alone, "Simple slopes of X") joins the group after it."""
    groups: list[list[int]] = []
    heading = False  # the previous group is a heading row (a label and nothing else)
    for i, row in enumerate(data.itertuples(index=False)):
        first = str(row[0]).strip() if len(row) else ""
        if (first and not heading) or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
        heading = bool(first) and not any(str(v).strip() for v in row[1:])
    return groups


def rows_per_page(pt: float, landscape: bool) -> int:
    usable = ((PAGE_W if landscape else PAGE_H) - 2 * MARGIN) / 2.54 * 72
    return int((usable - 90) / (ROW_PT * pt / BODY_PT))


def page_chunks(data, pt: float, landscape: bool, widths: list[float]) -> list[list[int]]:
    """The rows of each page of a long table, broken between row groups (a group label never
    ends a page without its rows), a group longer than a page split where it must."""
    per_page = rows_per_page(pt, landscape)
    lines = row_lines(data, widths, pt)
    chunks, cur, used = [], [], 0
    for group in row_groups(data):
        size = sum(lines[i] for i in group)
        if cur and used + size > per_page:
            chunks.append(cur)
            cur, used = [], 0
        for i in group:
            if cur and used + lines[i] > per_page:
                chunks.append(cur)
                cur, used = [], 0
            cur.append(i)
            used += lines[i]
    return [*chunks, cur] if cur else chunks or [[]]


# --------------------------------------------------------------------------- low-level XML
def _fonts(run, lang: str, east: str = SONG, size: float | None = None, bold=None, italic=None):
    run.font.name = LATIN
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def _runs(
    paragraph,
    text: str,
    lang: str,
    east: str = SONG,
    size: float | None = None,
    bold=None,
    italic=None,
    header: bool = False,
    symbols: bool = True,
) -> None:
    """``text`` as runs, its statistical symbols in italics (APA 7; :mod:`..symbols`)."""
    pieces = italic_spans(text, header) if symbols else [(text, False)]
    for piece, ital in pieces:
        _fonts(paragraph.add_run(piece), lang, east, size, bold, True if ital else italic)


def _seq_field(paragraph, name: str, value: int, lang: str, east: str, size, bold) -> None:
    """A Word SEQ field (numbering Word updates) with its current result cached."""

    def run_with(el):
        r = paragraph.add_run()
        _fonts(r, lang, east, size, bold)
        r._element.append(el)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" SEQ {name} \\* ARABIC "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    _fonts(paragraph.add_run(str(value)), lang, east, size, bold)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _cell_props(cell, width_pt: float, edges: dict[str, int], nowrap: bool = True) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        size = edges.get(edge, 0)
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if size else "nil")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tc_pr.append(borders)
    if nowrap:
        tc_pr.append(OxmlElement("w:noWrap"))
    cell.width = Pt(width_pt)


def _row_flags(row, header: bool) -> None:
    """Rows never split; the header row repeats on every page of a long table."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


# --------------------------------------------------------------------------- blocks
def _paragraph(
    doc, text: str, lang: str, *, indent=True, size=BODY_PT, align=None, symbols: bool = True, **kw
):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if lang == "zh" and indent:
        fmt.first_line_indent = Pt(2 * size)
    elif indent:
        fmt.first_line_indent = Cm(1.27)
    if align is not None:
        p.alignment = align
    fmt.keep_with_next = kw.pop("keep", False)
    _runs(p, text, lang, size=size, symbols=symbols, **kw)
    return p


def _caption(doc, lang: str, kind: str, label_number: int, chapter: int, title: str,
             continued: bool = False, page_break: bool = False):  # fmt: skip
    """Caption: tables above (zh: centred, 黑体; en APA: bold number, italic title on the
    next line); figures below in Chinese (GB/T 7713), above in English (APA 7, 7.4)."""
    word = t(kind, lang)
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.keep_with_next = kind == "table"
    fmt.page_break_before = page_break
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(3)
    if lang == "zh":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        prefix = ("续" if continued else "") + f"{word}{chapter}-"
        _fonts(p.add_run(prefix), lang, HEI, BODY_PT, True)
        if continued:
            _fonts(p.add_run(str(label_number)), lang, HEI, BODY_PT, True)
        else:
            _seq_field(p, word, label_number, lang, HEI, BODY_PT, True)
        _fonts(p.add_run(" " + title), lang, HEI, BODY_PT, True)
        return p
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.keep_with_next = True  # APA: number and title above the table or figure
    _fonts(p.add_run(f"{word} {chapter}."), lang, SONG, BODY_PT, True)
    if continued:
        _fonts(p.add_run(f"{label_number} {t('continued', lang)}"), lang, SONG, BODY_PT, True)
        return p
    _seq_field(p, word, label_number, lang, SONG, BODY_PT, True)
    p.add_run().add_break(WD_BREAK.LINE)
    _fonts(p.add_run(title), lang, SONG, BODY_PT, False, True)
    return p


def _word_table(doc, data, lang: str, pt: float, widths: list[float], keep: bool) -> None:
    """A three-line table; ``keep``: the whole table on one page, else each row group
    (a label and its rows) kept together."""
    table = doc.add_table(rows=len(data) + 1, cols=len(data.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = [[str(c) for c in data.columns]] + [[str(v) for v in r] for r in data.itertuples(
        index=False)]  # fmt: skip
    n = len(cells)
    last_of_group = {g[-1] + 1 for g in row_groups(data)}  # row numbers, header = 0
    natural = [max([text_width(v, pt) for v in col] + [0.0]) + CELL_PAD_PT
               for col in zip(*cells[1:], strict=True)] if n > 1 else []  # fmt: skip
    nowrap = [not natural or natural[j] <= w + 0.5 for j, w in enumerate(widths)]
    # a column of sentences (the hypotheses as stated) is left-aligned, numbers centred
    cols = list(zip(*cells[1:], strict=True)) if n > 1 else []
    prose = [any(len(v) > 24 and not _NUMERIC.match(v) for v in col) for col in cols]
    done: dict[tuple, object] = {}  # a finished cell of each kind, copied for the next ones
    for i, (row, values) in enumerate(zip(table.rows, cells, strict=True)):
        _row_flags(row, header=(i == 0))
        keep_row = keep or (0 < i < n - 1 and i not in last_of_group)
        for j, (tc, v, w) in enumerate(zip(row._tr.tc_lst, values, widths, strict=True)):
            pieces = italic_spans(v, header=True)  # a lone "p" or "M" cell is the symbol
            centred = i == 0 or (j > 0 and not (prose and prose[j]))
            kind = (i == 0, i == n - 1, nowrap[j] if i else True, centred, w, keep_row,
                    tuple((ital, _text_kind(p)) for p, ital in pieces))  # fmt: skip
            if kind in done:
                copy = deepcopy(done[kind])
                for el, (piece, _) in zip(copy.iter(qn("w:t")), pieces, strict=True):
                    el.text = piece
                tc.getparent().replace(tc, copy)
                continue
            _word_cell(_Cell(tc, table), pieces, lang, pt, w, kind)
            if not any(k == "special" for _, k in kind[-1]):
                done[kind] = tc
    for column, w in zip(table.columns, widths, strict=True):
        column.width = Pt(w)  # the grid (w:gridCol) is what LibreOffice and Word lay out by


def _text_kind(piece: str) -> str:
    """How python-docx writes a run's text: one w:t, one w:t with xml:space="preserve", or
    tabs and breaks ("special": a cell with one is never copied)."""
    if any(c in piece for c in "\t\r\n"):
        return "special"
    return "preserve" if len(piece.strip()) < len(piece) else "plain"


def _word_cell(cell, pieces, lang: str, pt: float, w: float, kind: tuple) -> None:
    """One table cell: borders (top rule over the header, a rule under it and under the last
    row), width, wrapping, no spacing, alignment, its text as runs (symbols in italics)."""
    header, last, nowrap, centred, _, keep_row = kind[:6]
    edges = {"top": 12, "bottom": 6} if header else {}
    if last:
        edges["bottom"] = 12
    _cell_props(cell, w, edges, nowrap=nowrap)
    para = cell.paragraphs[0]
    fmt = para.paragraph_format
    if keep_row:
        fmt.keep_with_next = True
    fmt.space_after = fmt.space_before = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Pt(0)
    if centred:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece, ital in pieces:
        _fonts(para.add_run(piece), lang, SONG, pt, None, True if ital else None)
    _mark_size(para, pt)


def _mark_size(para, pt: float) -> None:
    """The paragraph mark in the table's size too: an empty cell's line height is the mark's,
    which is the body size otherwise and makes rows with empty cells taller."""
    r_pr = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(round(2 * pt))))
        r_pr.append(el)
    para._p.get_or_add_pPr().append(r_pr)


def _section(doc, landscape: bool) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(sec, landscape)


def _page(sec, landscape: bool) -> None:
    w, h = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(w), Cm(h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(MARGIN))


def is_long(tb: Table) -> bool:
    """A table that takes more than half a page starts on a page of its own."""
    pt, landscape, widths = plan_table(tb.data)
    return sum(row_lines(tb.data, widths, pt)) > rows_per_page(pt, landscape) // 2


class _Orientation:
    """The orientation of the current section; a section break only when it changes."""

    def __init__(self):
        self.landscape = False

    def set(self, doc, landscape: bool) -> None:
        if landscape != self.landscape:
            _section(doc, landscape)
            self.landscape = landscape


def add_table(
    doc, tb: Table, lang: str, chapter: int, orient: _Orientation, new_page: bool = False
) -> None:
    """Caption, table (split across pages with 续表 when long), note and paragraph."""
    pt, landscape, widths = plan_table(tb.data)
    orient.set(doc, landscape)
    long = is_long(tb)
    chunks = [tb.data.iloc[rows] for rows in page_chunks(tb.data, pt, landscape, widths)]
    for k, chunk in enumerate(chunks):
        _caption(doc, lang, "table", tb.number, chapter, tb.title, continued=k > 0,
                 page_break=k > 0 or (new_page and not orient.landscape))  # fmt: skip
        _word_table(doc, chunk, lang, pt, widths, keep=not long)
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(2)
    _fonts(note.add_run(t("note", lang)), lang, size=SMALL_PT, italic=(lang == "en"))
    _runs(note, ("" if lang == "zh" else " ") + tb.note, lang, size=SMALL_PT)
    if tb.text:
        _paragraph(doc, tb.text, lang)
    for fig in tb.figures:
        orient.set(doc, False)
        add_figure(doc, fig, lang, chapter)


def add_figure(doc, fig: Figure, lang: str, chapter: int) -> None:
    if fig.text:
        _paragraph(doc, fig.text, lang, keep=True)
    if fig.path is None or not Path(fig.path).exists():
        return
    if lang == "en":  # APA: the number and title above the figure
        _caption(doc, lang, "figure", fig.number, chapter, fig.title)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = lang != "en"
    p.paragraph_format.first_line_indent = Pt(0)
    p.add_run().add_picture(str(fig.path), width=Cm(min(fig.width_cm, PAGE_W - 2 * MARGIN)))
    if lang != "en":  # GB/T 7713: 图 captions under the figure
        _caption(doc, lang, "figure", fig.number, chapter, fig.title)


def _styles(doc, lang: str) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr()
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        normal.element.rPr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), SONG)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):
        st = doc.styles[name]
        st.font.name = LATIN
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        r_pr = st.element.get_or_add_rPr()
        f = r_pr.find(qn("w:rFonts"))
        if f is None:
            f = OxmlElement("w:rFonts")
            r_pr.insert(0, f)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            f.set(qn(attr), HEI if attr == "w:eastAsia" else LATIN)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            f.attrib.pop(qn(attr), None)
        st.paragraph_format.space_before = Pt(12)
        st.paragraph_format.space_after = Pt(6)


def _heading(doc, text: str, level: int, lang: str):
    h = doc.add_heading(level=level)
    if level == 1:
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h.paragraph_format.keep_with_next = True
    _fonts(h.add_run(text), lang, HEI, 16 if level == 1 else 14, True)
    return h


def write_docx(chap: Chapter, path: Path) -> Path:
    lang, number = chap.lang, chap.number
    doc = Document()
    _page(doc.sections[0], False)
    _styles(doc, lang)
    head = f"第{number}章 {chap.title}" if lang == "zh" else f"{number} {chap.title}"
    _heading(doc, head, 1, lang)
    orient = _Orientation()
    for k, (name, tables) in enumerate(chap.sections, start=1):
        first = tables[0] if tables else None
        wide_first = first is not None and not first.pre_text and plan_table(first.data)[1]
        if wide_first:
            orient.set(doc, True)
        elif orient.landscape:
            orient.set(doc, False)
        h = _heading(doc, chap.heading(k, name), 2, lang)
        if first is not None and not first.pre_text and is_long(first) and not wide_first:
            h.paragraph_format.page_break_before = True
        for j, tb in enumerate(tables):
            if tb.pre_text:
                orient.set(doc, False)
                _paragraph(doc, tb.pre_text, lang, keep=True)
            for fig in tb.pre_figures:
                add_figure(doc, fig, lang, number)
            new_page = bool(j and is_long(tb) and not plan_table(tb.data)[1])
            add_table(doc, tb, lang, number, orient, new_page)
    orient.set(doc, False)
    _heading(doc, chap.heading(len(chap.sections) + 1, t("sec.summary", lang)), 2, lang)
    _paragraph(doc, chap.summary, lang)
    _heading(doc, t("references", lang), 2, lang)
    for ref in chap.references:
        p = _paragraph(doc, ref, lang, indent=False, symbols=False)
        p.paragraph_format.left_indent = Cm(0.75)
        p.paragraph_format.first_line_indent = Cm(-0.75)
    buf = io.BytesIO()  # no time stamps: the same chapter gives the same bytes
    doc.save(buf)
    atomic_write_zip(path, buf.getvalue())
    return path
