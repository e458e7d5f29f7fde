"""Write report tables: CSV (raw numbers), Markdown, one self-contained HTML page, Excel (one
sheet per table) and Word (three-line tables, numbered captions, figures embedded).
Every file is written to a temporary name first (see fileio)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from ..fileio import atomic_file, atomic_write_text
from .i18n import t
from .tables import Table


def caption(table: Table, lang: str) -> str:
    sep = " " if lang == "en" else ""
    return f"{t('table', lang)}{sep}{table.number}{' ' if lang == 'en' else ' '}{table.title}"


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    out = []
    for tb in tables:
        path = folder / f"{tb.number:02d}_{tb.key}.csv"
        with atomic_file(path) as tmp:
            tb.raw.to_csv(
                tmp,
                index=tb.raw.index.name is not None
                or not tb.raw.index.equals(tb.raw.reset_index(drop=True).index),
                encoding="utf-8-sig",
            )
        out.append(path)
    return out


def _md_table(df) -> str:
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] * len(cols)) + "|"]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def write_markdown(tables, figures: dict[str, Path], path: Path, lang: str, title: str) -> Path:
    parts = [f"# {title}", ""]
    for tb in tables:
        parts += [
            f"**{caption(tb, lang)}**",
            "",
            _md_table(tb.data),
            "",
            f"*{t('note', lang)}* {tb.note}",
            "",
        ]
    for k, (name, fig) in enumerate(figures.items(), start=1):
        parts += [f"**{t('figure', lang)} {k}** {name}", "", f"![{name}]({fig.name})", ""]
    atomic_write_text(path, "\n".join(parts))
    return path


_CSS = """
body{font-family:"Times New Roman","SimSun","Songti SC",serif;max-width:60em;margin:2em auto}
table{border-collapse:collapse;margin:.5em 0}
thead tr{border-top:2px solid #000;border-bottom:1px solid #000}
tbody tr:last-child{border-bottom:2px solid #000}
td,th{padding:.2em .8em;text-align:center}td:first-child,th:first-child{text-align:left}
.cap{font-weight:bold;margin-top:2em}.note{font-size:.9em}img{max-width:100%}
"""


def write_html(tables, figures, path: Path, lang: str, title: str) -> Path:
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for tb in tables:
        parts.append(f"<p class='cap'>{html.escape(caption(tb, lang))}</p>")
        parts.append(tb.data.to_html(index=False, border=0, escape=True))
        parts.append(f"<p class='note'><i>{t('note', lang)}</i> {html.escape(tb.note)}</p>")
    for k, (name, fig) in enumerate(figures.items(), start=1):
        if fig.suffix.lower() == ".png":
            data = base64.b64encode(fig.read_bytes()).decode()
            parts.append(
                f"<p class='cap'>{t('figure', lang)} {k} {html.escape(name)}</p>"
                f"<img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>"
            )
    parts.append("</body></html>")
    atomic_write_text(path, "\n".join(parts))
    return path


def write_xlsx(tables, path: Path, lang: str) -> Path:
    import pandas as pd

    with atomic_file(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for tb in tables:
            sheet = f"{tb.number:02d}_{tb.key}"[:31]
            pd.DataFrame({0: [caption(tb, lang)]}).to_excel(
                xw, sheet_name=sheet, index=False, header=False
            )
            tb.data.to_excel(xw, sheet_name=sheet, index=False, startrow=2)
            pd.DataFrame({0: [f"{t('note', lang)} {tb.note}"]}).to_excel(
                xw, sheet_name=sheet, index=False, header=False, startrow=len(tb.data) + 4
            )
    return path


def _three_line(table) -> None:
    """Booktabs/三线表: top and bottom rules, a rule under the header, no vertical lines."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def borders(cell, **edges):
        tc_pr = cell._tc.get_or_add_tcPr()
        tc_borders = OxmlElement("w:tcBorders")
        for edge, size in edges.items():
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "single" if size else "nil")
            el.set(qn("w:sz"), str(size or 0))
            el.set(qn("w:color"), "000000")
            tc_borders.append(el)
        tc_pr.append(tc_borders)

    n = len(table.rows)
    for i, row in enumerate(table.rows):
        for cell in row.cells:
            edges = {"left": 0, "right": 0, "top": 0, "bottom": 0}
            if i == 0:
                edges["top"], edges["bottom"] = 12, 6
            if i == n - 1:
                edges["bottom"] = 12
            borders(cell, **edges)


def _column_widths(d, total) -> list[int]:
    """Widths proportional to each column's longest entry (header words may wrap), so labels
    are not squeezed into equal columns."""
    need = []
    for j, c in enumerate(d.columns):
        cells = [len(str(v)) for v in d.iloc[:, j]] or [0]
        header = max(len(w) for w in str(c).split()) if str(c).split() else 1
        need.append(max(max(cells), header, 3) + 2)  # + cell margins
    need = [min(x, 30) for x in need]
    scale = total / sum(need)
    return [int(x * scale) for x in need]


def write_docx(tables, figures, path: Path, lang: str, title: str) -> Path:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # 宋体 for Chinese characters
    doc.add_heading(title, level=1)
    for tb in tables:
        p = doc.add_paragraph()
        p.add_run(caption(tb, lang)).bold = True
        d = tb.data
        table = doc.add_table(rows=len(d) + 1, cols=len(d.columns))
        table.autofit = False
        size = Pt(9) if len(d.columns) <= 8 else Pt(7)
        widths = _column_widths(d, Inches(6.3))
        rows = table.rows  # table.cell(i, j) re-walks the table: fetch each row's cells once
        all_rows = [[str(c) for c in d.columns]] + [
            [str(v) for v in values] for values in d.itertuples(index=False)
        ]
        for row, values in zip(rows, all_rows, strict=True):
            for cell, v, w in zip(row.cells, values, widths, strict=True):
                cell.width = w
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(0)
                para.paragraph_format.space_before = Pt(0)
                para.add_run(v).font.size = size
        for col, w in zip(table.columns, widths, strict=True):
            col.width = w  # the grid (w:gridCol) is what LibreOffice and Word lay out by
        _three_line(table)
        note = doc.add_paragraph()
        note.add_run(t("note", lang)).italic = True
        note.add_run(" " + tb.note).font.size = Pt(9)
    for k, (name, fig) in enumerate(figures.items(), start=1):
        if fig.suffix.lower() == ".png":
            doc.add_picture(str(fig), width=Inches(6.3))
            doc.add_paragraph(f"{t('figure', lang)} {k} {name}")
    with atomic_file(path) as tmp:
        doc.save(str(tmp))
    return path
