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

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^(?P<sign>-?)(?P<int>\d*)(?:\.(?P<dec>\d+))?(?P<suffix>[*†‡]*)$")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading quote; numbers
    (and text that is a plain number such as "-.05") stay as they are.

    Example:
        >>> neutralise("=HYPERLINK(1)"), neutralise("-0.5"), neutralise(-3), neutralise("@x")
        ("'=HYPERLINK(1)", '-0.5', -3, "'@x")
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
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


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    out = []
    for tb in tables:
        path = folder / f"{tb.number:02d}_{tb.key}.csv"
        raw = neutralise_frame(tb.raw)
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


def _md_table(df: pd.DataFrame) -> str:
    cols = [md_escape(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] * len(cols)) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(md_escape(v) for v in row) + " |")
    return "\n".join(lines)


def write_markdown(chap: Chapter, path: Path) -> Path:
    lang = chap.lang
    parts = [f"# {md_escape(chapter_heading(chap))}", ""]
    for k, (name, tables) in enumerate(chap.sections, start=1):
        parts += [f"## {chap.heading(k, md_escape(name))}", ""]
        for tb in tables:
            if tb.pre_text:
                parts += [md_escape(tb.pre_text), ""]
            for fig in tb.pre_figures:
                parts += _md_figure(fig)
            parts += [f"**{md_escape(caption(tb, lang))}**", "", _md_table(tb.data), ""]
            parts += [f"*{t('note', lang)}* {md_escape(tb.note)}", "", md_escape(tb.text), ""]
            for fig in tb.figures:
                parts += _md_figure(fig)
    k = len(chap.sections) + 1
    summary = chap.heading(k, md_escape(t("sec.summary", lang)))
    parts += [f"## {summary}", "", md_escape(chap.summary), ""]
    parts += [f"## {md_escape(t('references', lang))}", ""]
    parts += [md_escape(r) + "  " for r in chap.references]
    atomic_write_text(path, "\n".join(parts) + "\n")
    return path


def _md_figure(fig) -> list[str]:
    out = []
    if fig.text:
        out += [md_escape(fig.text), ""]
    out += [f"![{md_escape(fig.title)}]({fig.filename})", "",
            f"**{md_escape(fig.label)}** {md_escape(fig.title)}", ""]  # fmt: skip
    return out


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
figcaption{text-align:center}.para{text-indent:2em}
"""


def _html_figure(fig) -> str:
    data = base64.b64encode(Path(fig.path).read_bytes()).decode() if fig.path else ""
    text = f"<p class='para'>{html.escape(fig.text)}</p>" if fig.text else ""
    return (
        f"{text}<figure><img alt='{html.escape(fig.title)}' src='data:image/png;base64,{data}'>"
        f"<figcaption>{html.escape(fig.label)} {html.escape(fig.title)}</figcaption></figure>"
    )


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
                parts.append(f"<p class='para'>{esc(tb.pre_text)}</p>")
            parts += [_html_figure(f) for f in tb.pre_figures]
            parts.append(f"<p class='cap {lang}'>{esc(caption(tb, lang))}</p>")
            parts.append(tb.data.to_html(index=False, border=0, escape=True))
            parts.append(f"<p class='note'><i>{t('note', lang)}</i> {esc(tb.note)}</p>")
            parts.append(f"<p class='para'>{esc(tb.text)}</p>")
            parts += [_html_figure(f) for f in tb.figures]
    k = len(chap.sections) + 1
    parts.append(f"<h2>{esc(chap.heading(k, t('sec.summary', lang)))}</h2>")
    parts.append(f"<p class='para'>{esc(chap.summary)}</p>")
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
    value = float(f"{m['sign']}{m['int'] or '0'}.{m['dec'] or '0'}")
    fmt = ("0" if m["int"] else "") + (("." + "0" * len(m["dec"])) if m["dec"] else "")
    fmt = fmt or "0"
    if m["suffix"]:
        fmt += f'"{m["suffix"]}"'
    return value, fmt


def write_xlsx(tables: list[Table], path: Path, lang: str) -> Path:
    """One sheet per table: caption, header, the cells as numbers with number formats that
    show them as in the report (.462 / 0.462, stars), the note."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    thick, thin = Side(style="medium"), Side(style="thin")
    for tb in tables:
        ws = wb.create_sheet(f"{tb.number:02d}_{tb.key}"[:31])
        ws.cell(1, 1, neutralise(caption(tb, lang))).font = Font(bold=True)
        for j, c in enumerate(tb.data.columns, start=1):
            cell = ws.cell(3, j, neutralise(str(c)))
            cell.border = Border(top=thick, bottom=thin)
            cell.alignment = Alignment(horizontal="center")
        n = len(tb.data)
        for i, row in enumerate(tb.data.itertuples(index=False), start=4):
            for j, v in enumerate(row, start=1):
                value, fmt = excel_value(v)
                cell = ws.cell(i, j, value)
                if fmt:
                    cell.number_format = fmt
                if i == n + 3:
                    cell.border = Border(bottom=thick)
        ws.cell(n + 5, 1, neutralise(f"{t('note', lang)} {tb.note}"))
        for j, c in enumerate(tb.data.columns, start=1):
            width = max([len(str(c))] + [len(str(v)) for v in tb.data.iloc[:, j - 1]])
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
        write_csv(tables, folder)
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
