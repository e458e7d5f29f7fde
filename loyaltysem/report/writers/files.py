"""Write the chapter: CSV (raw numbers), Markdown, one self-contained HTML page, Excel (one
sheet per table, numbers as numbers), Word (docx_writer) and LaTeX (latex).

Outputs are neutralised (issue 12): text cells of spreadsheets and CSVs that start with
= + - @ (or a tab / carriage return) get a leading single quote so that no spreadsheet runs
them as formulas; Markdown escapes markup characters so a label such as ``<script>`` arrives as
text; HTML escapes everything. Every file is written to a temporary name first (see fileio).
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

import pandas as pd

from loyaltysem.base.fileio import atomic_file, atomic_write_text, atomic_write_zip
from loyaltysem.report.chapter import Chapter, Table
from loyaltysem.report.i18n import t
from loyaltysem.report.symbols import italic_spans

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^(?P<sign>[-−]?)(?P<int>\d*)(?:\.(?P<dec>\d+))?(?P<suffix>[*†‡]*)$")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading quote; numbers
    (and text that is a plain number such as "-.05") stay as they are.

    Example:
        >>> neutralise("=HYPERLINK(1)"), neutralise("-0.5"), neutralise(-3), neutralise("@x")
        ("'=HYPERLINK(1)", '-0.5', -3, "'@x")
        >>> neutralise("+"), neutralise("-2+3")
        ('+', "'-2+3")
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if value in ("+", "-"):  # a sign alone ("+" / "-" of a hypothesis) is no formula
            return value
        if _NUMBER.match(value) and any(ch.isdigit() for ch in value):
            return value
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    out.columns = [neutralise(str(c)) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(neutralise)
    return out


def chapter_heading(chap: Chapter) -> str:
    """ "第4章 数据分析与结果" / "4 Data Analysis and Results"."""
    if chap.lang == "zh":
        return f"第{chap.number}章 {chap.title}"
    return f"{chap.number} {chap.title}"


def caption(table: Table, lang: str) -> str:
    """ "表4-1 样本描述性统计" / "Table 4.1 Sample Profile"."""
    label = table.label or (f"{t('table', lang)} {table.number}")
    return f"{label} {table.title}" if lang == "en" else f"{label} {table.title}"


def write_csv(tables: list[Table], folder: Path, lang: str = "en", instrument=None
              ) -> list[Path]:  # fmt: skip
    """One CSV per table: the numbers behind it, plain values; Chinese headers and labels
    in a Chinese chapter (:mod:`.datafile`)."""
    from loyaltysem.report.writers.datafile import localise

    out = []
    for tb in tables:
        path = folder / f"{tb.number:02d}_{tb.key}.csv"
        raw = neutralise_frame(localise(tb.raw, lang, instrument))
        with atomic_file(path) as tmp:
            raw.to_csv(
                tmp,
                index=raw.index.name is not None
                or not raw.index.equals(raw.reset_index(drop=True).index),
                encoding="utf-8-sig",
            )
        out.append(path)
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Escape Markdown markup and HTML in a cell, caption or note.

    Example:
        >>> md_escape("<script>alert(1)</script> *a* |b|")
        '&lt;script&gt;alert(1)&lt;/script&gt; \\\\*a\\\\* \\\\|b\\\\|'
    """
    text = html.escape(str(text), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", " ")


def md_text(text, header: bool = False) -> str:
    """Escaped Markdown with the statistical symbols in italics (*p*)."""
    return "".join(f"*{md_escape(x)}*" if ital else md_escape(x)
                   for x, ital in italic_spans(str(text), header))  # fmt: skip


def _md_table(df: pd.DataFrame) -> str:
    cols = [md_text(c, header=True) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] * len(cols)) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(md_text(v, header=True) for v in row) + " |")
    return "\n".join(lines)


def write_markdown(chap: Chapter, path: Path) -> Path:
    lang = chap.lang
    parts = [f"# {md_escape(chapter_heading(chap))}", ""]
    for k, (name, tables) in enumerate(chap.sections, start=1):
        parts += [f"## {chap.heading(k, md_escape(name))}", ""]
        for tb in tables:
            if tb.pre_text:
                parts += [md_text(tb.pre_text), ""]
            for fig in tb.pre_figures:
                parts += _md_figure(fig, lang)
            parts += [f"**{md_escape(caption(tb, lang))}**", "", _md_table(tb.data), ""]
            parts += [f"*{t('note', lang)}* {md_text(tb.note)}", "", md_text(tb.text), ""]
            for fig in tb.figures:
                parts += _md_figure(fig, lang)
    k = len(chap.sections) + 1
    summary = chap.heading(k, md_escape(t("sec.summary", lang)))
    parts += [f"## {summary}", "", md_text(chap.summary), ""]
    parts += [f"## {md_escape(t('references', lang))}", ""]
    parts += [md_escape(r) + "  " for r in chap.references]
    atomic_write_text(path, "\n".join(parts) + "\n")
    return path


def _md_figure(fig, lang: str = "en") -> list[str]:
    """The figure with its number and title above it in English (APA), below in Chinese
    (GB/T 7713: 图 captions under the figure)."""
    out = [md_text(fig.text), ""] if fig.text else []
    cap = [f"**{md_escape(fig.label)}** {md_escape(fig.title)}", ""]
    image = [f"![{md_escape(fig.title)}]({fig.filename})", ""]
    return out + (cap + image if lang == "en" else image + cap)


_CSS = """
@page{size:A4;margin:2.5cm}
body{font-family:"Times New Roman","SimSun","Songti SC","Noto Serif SC",serif;font-size:10.5pt;
max-width:16cm;margin:2em auto;line-height:1.5}
h1,h2{font-family:"Times New Roman","SimHei","Heiti SC","Noto Sans SC",sans-serif}
table{border-collapse:collapse;margin:.3em auto;font-size:9pt}
thead tr{border-top:1.5px solid #000;border-bottom:.75px solid #000}
tbody tr:last-child{border-bottom:1.5px solid #000}
thead{display:table-header-group}
td,th{padding:.15em .6em;text-align:center;white-space:nowrap;font-weight:normal}
td:first-child,th:first-child{text-align:left}
.cap{text-align:center;font-weight:bold;margin:1.2em 0 .2em}.cap.en{text-align:left}
.note{font-size:9pt}figure{text-align:center;margin:1em 0}img{max-width:100%}
figcaption{text-align:center}figure.en figcaption{text-align:left;font-weight:bold}
.para{text-indent:2em}
"""


def html_text(text, header: bool = False) -> str:
    """Escaped HTML with the statistical symbols in italics (<i>p</i>)."""
    return "".join(f"<i>{html.escape(x)}</i>" if ital else html.escape(x)
                   for x, ital in italic_spans(str(text), header))  # fmt: skip


def _html_table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html_text(c, header=True)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html_text(v, header=True)}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_figure(fig, lang: str = "en") -> str:
    """Number and title above the figure in English (APA), below it in Chinese."""
    data = base64.b64encode(Path(fig.path).read_bytes()).decode() if fig.path else ""
    text = f"<p class='para'>{html_text(fig.text)}</p>" if fig.text else ""
    cap = f"<figcaption>{html.escape(fig.label)} {html.escape(fig.title)}</figcaption>"
    img = f"<img alt='{html.escape(fig.title)}' src='data:image/png;base64,{data}'>"
    inner = cap + img if lang == "en" else img + cap
    return f"{text}<figure class='{lang}'>{inner}</figure>"


def write_html(chap: Chapter, path: Path) -> Path:
    lang = chap.lang
    esc = html.escape
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{esc(chap.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(chapter_heading(chap))}</h1>",
    ]
    for k, (name, tables) in enumerate(chap.sections, start=1):
        parts.append(f"<h2>{esc(chap.heading(k, name))}</h2>")
        for tb in tables:
            if tb.pre_text:
                parts.append(f"<p class='para'>{html_text(tb.pre_text)}</p>")
            parts += [_html_figure(f, lang) for f in tb.pre_figures]
            parts.append(f"<p class='cap {lang}'>{esc(caption(tb, lang))}</p>")
            parts.append(_html_table(tb.data))
            parts.append(f"<p class='note'><i>{t('note', lang)}</i> {html_text(tb.note)}</p>")
            parts.append(f"<p class='para'>{html_text(tb.text)}</p>")
            parts += [_html_figure(f, lang) for f in tb.figures]
    k = len(chap.sections) + 1
    parts.append(f"<h2>{esc(chap.heading(k, t('sec.summary', lang)))}</h2>")
    parts.append(f"<p class='para'>{html_text(chap.summary)}</p>")
    parts.append(f"<h2>{esc(t('references', lang))}</h2>")
    parts += [f"<p class='ref'>{esc(r)}</p>" for r in chap.references]
    parts.append("</body></html>")
    atomic_write_text(path, "\n".join(parts))
    return path


def excel_value(text):
    """A display string as Excel should hold it: (number, number format) for numbers such as
    ".462", "0.462", "-1.25", "366" or ".46***" (the stars and † kept by the format), else
    (neutralised text, None).

    Example:
        >>> excel_value(".462"), excel_value("0.46**"), excel_value("< .001")
        ((0.462, '.000'), (0.46, '0.00"**"'), ('< .001', None))
    """
    if not isinstance(text, str):
        return text, None
    m = _NUMBER.match(text.strip())
    if not m or not (m["int"] or m["dec"]):
        return neutralise(text), None
    value = float(f"{m['sign'] and '-'}{m['int'] or '0'}.{m['dec'] or '0'}")
    fmt = ("0" if m["int"] else "") + (("." + "0" * len(m["dec"])) if m["dec"] else "")
    fmt = fmt or "0"
    if m["suffix"]:
        fmt += f'"{m["suffix"]}"'
    return value, fmt


_NUM = r"[-−]?\d*\.?\d+[*†‡]*"
_PAIR = {
    "interval": re.compile(rf"^\[({_NUM}), ({_NUM})\]$"),
    "msd": re.compile(rf"^({_NUM}) (?:\(({_NUM})\)|± ({_NUM}))$"),
}
_PERCENT = re.compile(r"^([-−]?\d*\.?(\d*))%(?P<mark>[*†‡]*)$")


def _p_format(lang: str) -> str:
    """The p-value display format: the number itself, shown as "< .001" below .001."""
    lead = "0" if lang == "zh" else ""
    return f'[<0.001]"< {lead}.001";{lead}.000'


def excel_cells(value, lang: str = "en") -> tuple[str, list[tuple]]:
    """A display cell as Excel cells: (kind, [(value, number format), ...]); kind "interval"
    and "msd" (M (SD), M ± SD) give two numbers, a percentage a number with a % format, a
    p value (:class:`~loyaltysem.report.format.Shown`) its own number with the "< .001"
    format.

    Example:
        >>> excel_cells("[-0.134, 0.039]")
        ('interval', [(-0.134, '0.000'), (0.039, '0.000')])
        >>> excel_cells("34.8%"), excel_cells("4.68 (1.15)")[0]
        (('number', [(0.348, '0.0%')]), 'msd')
    """
    from loyaltysem.report.format import Shown

    if isinstance(value, Shown):
        return "number", [(value.value, _p_format(lang))]
    if isinstance(value, str):
        text = value.strip()
        for kind, rx in _PAIR.items():
            m = rx.match(text)
            if m:
                a, b = (g for g in m.groups() if g is not None)
                return kind, [excel_value(a), excel_value(b)]
        m = _PERCENT.match(text)
        if m and any(ch.isdigit() for ch in m.group(1)):
            number, fmt = excel_value(m.group(1))
            places = len(m.group(2))
            mark = f'"{m["mark"]}"' if m["mark"] else ""  # a share marked ‡ (suppression)
            fmt = "0" + ("." + "0" * places if places else "") + "%" + mark
            return "number", [(round(number / 100, places + 2), fmt)]
    return "number", [excel_value(value)]


def excel_frame(data: pd.DataFrame, lang: str) -> tuple[list[str], list[list[tuple]]]:
    """Headers and rows of (value, format) cells: a column holding intervals or M (SD)
    pairs becomes two columns (lower and upper limit, M and SD)."""
    headers, columns = [], []
    for j, name in enumerate(data.columns):
        cells = [excel_cells(v, lang) for v in data.iloc[:, j]]
        kinds = {k for k, _ in cells if k != "number"}
        if not kinds:
            headers.append(str(name))
            columns.append([c[0] for _, c in cells])
            continue
        kind = "interval" if "interval" in kinds else "msd"
        pure = all(k != "number" or c[0][0] in ("", None) for k, c in cells)
        first, second = (t(f"xlsx.{kind}.{part}", lang, col=name) for part in ("a", "b"))
        headers += [first if pure else str(name), second]
        columns.append([c[0] for _, c in cells])
        columns.append([c[1] if len(c) > 1 else ("", None) for _, c in cells])
    return headers, [list(r) for r in zip(*columns, strict=True)] if columns else []


def write_xlsx(tables: list[Table], path: Path, lang: str) -> Path:
    """One sheet per table: caption, header, the cells as numbers with number formats that
    show them as in the report (.462 / 0.462, stars, "< .001", %), intervals and M (SD) in
    two columns, the note."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    thick, thin = Side(style="medium"), Side(style="thin")
    for tb in tables:
        ws = wb.create_sheet(f"{tb.number:02d}_{tb.key}"[:31])
        ws.cell(1, 1, neutralise(caption(tb, lang))).font = Font(bold=True)
        headers, rows = excel_frame(tb.data, lang)
        for j, c in enumerate(headers, start=1):
            cell = ws.cell(3, j, neutralise(c))
            cell.border = Border(top=thick, bottom=thin)
            cell.alignment = Alignment(horizontal="center")
        n = len(rows)
        for i, row in enumerate(rows, start=4):
            for j, (value, fmt) in enumerate(row, start=1):
                cell = ws.cell(i, j, None if value == "" else value)
                if fmt:
                    cell.number_format = fmt
                if i == n + 3:
                    cell.border = Border(bottom=thick)
        ws.cell(n + 5, 1, neutralise(f"{t('note', lang)} {tb.note}"))
        for j, c in enumerate(headers, start=1):
            width = max([len(str(c))] + [len(str(r[j - 1][0])) for r in rows])
            ws.column_dimensions[ws.cell(3, j).column_letter].width = min(40, width + 3)
    buf = io.BytesIO()  # no time stamps: the same chapter gives the same bytes
    wb.save(buf)
    atomic_write_zip(path, buf.getvalue())
    return path


def write_all(chap: Chapter, folder: Path, formats) -> None:
    """Every asked format of the chapter into ``folder`` (figures are already drawn)."""
    for fig in chap.figures:
        fig.path = folder / fig.filename
    tables = chap.tables
    if "csv" in formats:
        write_csv(tables, folder, chap.lang, chap.instrument)
    if "md" in formats:
        write_markdown(chap, folder / "report.md")
    if "html" in formats:
        write_html(chap, folder / "report.html")
    if "xlsx" in formats:
        write_xlsx(tables, folder / "tables.xlsx", chap.lang)
    if "docx" in formats:
        from loyaltysem.report.writers.docx import write_docx

        write_docx(chap, folder / "report.docx")
    if "tex" in formats:
        from loyaltysem.report.writers.latex import write_latex

        write_latex(chap, folder / "report.tex")
