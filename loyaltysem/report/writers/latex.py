"""The chapter as LaTeX (``report.tex``): booktabs three-line tables in ``longtable`` (header
repeated, "续表" / "continued" on later pages), wide tables in ``landscape``, figures with
their captions (above in English, APA; below in Chinese, GB/T 7713), statistical symbols in
italics. Compile with ``xelatex report.tex`` on any TeX Live with xeCJK (both languages set
up CJK: the English reference list may hold Chinese sources).

Fonts are named, never a path of the machine that wrote the file: SimSun / SimHei (Windows),
Noto Serif / Sans CJK SC (Linux), Songti / Heiti SC (macOS); failing those the Noto SC files
of the PyPI package pylopdf-fonts-zh-cn (a dependency of loyaltysem) when they are copied into
a ``fonts`` folder beside report.tex (``python -c "import pylopdf_fonts_zh_cn as f;
print(f.serif_path(), f.sans_path())"`` prints where they are); failing that TeX Live's own
Fandol fonts.
"""

from __future__ import annotations

import re
from pathlib import Path

from loyaltysem.base.fileio import atomic_write_text
from loyaltysem.report.chapter import Chapter, Figure, Table
from loyaltysem.report.i18n import t
from loyaltysem.report.symbols import italic_spans

_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}  # fmt: skip
_MATH = {"χ": r"$\chi$", "²": r"\textsuperscript{2}", "≥": r"$\geq$", "≤": r"$\leq$",
         "β": r"$\beta$", "α": r"$\alpha$", "Δ": r"$\Delta$", "√": r"$\surd$", "†": r"\dag{}",
         "–": "--", "→": r"$\rightarrow$", "±": r"$\pm$", "η": r"$\eta$", "−": r"\textminus{}",
         "～": r"$\sim$", "‡": r"\ddag{}", "∞": r"$\infty$", "∪": r"$\cup$", "≠": r"$\neq$",
         "ω": r"$\omega$", "ρ": r"$\rho$", "×": r"$\times$",
         "⁻": r"\textsuperscript{\textminus}", "⁷": r"\textsuperscript{7}",
         "γ": r"$\gamma$", "λ": r"$\lambda$"}  # fmt: skip


def tex_escape(text) -> str:
    """Escape LaTeX specials; Greek letters and symbols become math or text commands.

    Example:
        >>> tex_escape("50% of a_b {x} χ²")
        '50\\\\% of a\\\\_b \\\\{x\\\\} $\\\\chi$\\\\textsuperscript{2}'
    """
    out = []
    for ch in str(text):
        out.append(_SPECIAL.get(ch) or _MATH.get(ch) or ch)
    return "".join(out)


_CJK_FONTS = {  # (command, system fonts by name in order, packaged file, TeX Live's own)
    "main": ("setCJKmainfont", ["SimSun", "Noto Serif CJK SC", "Source Han Serif SC",
                                "Songti SC"], "NotoSerifSC-Regular.otf", "FandolSong-Regular.otf"),
    "sans": ("setCJKsansfont", ["SimHei", "Noto Sans CJK SC", "Source Han Sans SC",
                                "Heiti SC"], "NotoSansSC-Regular.otf", "FandolHei-Regular.otf"),
}  # fmt: skip


def _cjk_font(cmd: str, system: list[str], packaged: str, fandol: str) -> str:
    """``\\setCJK...font`` by name: the system fonts in order, then the PyPI package's file
    in ``fonts/`` beside the .tex, then TeX Live's Fandol font."""
    out = (f"\\IfFileExists{{fonts/{packaged}}}{{\\{cmd}{{{packaged}}}[Path=fonts/]}}"
           f"{{\\{cmd}{{{fandol}}}}}")  # fmt: skip
    for name in reversed(system):
        out = f"\\IfFontExistsTF{{{name}}}{{\\{cmd}{{{name}}}}}{{{out}}}"
    return out + "\n"


def _preamble(lang: str) -> str:
    cjk = (
        "% CJK fonts by name (see the docstring of loyaltysem.report.writers.latex): the\n"
        "% system's, else the Noto SC files of pylopdf-fonts-zh-cn copied into fonts/ beside\n"
        "% this file, else TeX Live's Fandol fonts.\n"
        "\\usepackage{xeCJK}\n" + "".join(_cjk_font(*spec) for spec in _CJK_FONTS.values())
    )
    return (
        "\\documentclass[a4paper,11pt]{article}\n"
        "\\usepackage[margin=2.5cm]{geometry}\n"
        "\\usepackage{fontspec}\n"
        "\\IfFontExistsTF{Times New Roman}{\\setmainfont{Times New Roman}}"
        "{\\IfFontExistsTF{TeX Gyre Termes}{\\setmainfont{TeX Gyre Termes}}{}}\n"
        f"{cjk}"
        "\\usepackage{booktabs,longtable,pdflscape,graphicx,caption,array}\n"
        "\\captionsetup{font=small,labelsep=space,justification=centering}\n"
        + (
            "\\captionsetup[longtable]{justification=raggedright,singlelinecheck=false}\n"
            if lang == "en"
            else ""
        )  # fmt: skip
        + "\\setlength{\\parindent}{2em}\n"
        "\\renewcommand{\\arraystretch}{1.1}\n"
    )


def tex_text(text, header: bool = False) -> str:
    """:func:`tex_escape` with the statistical symbols in italics (``\\textit{p}``)."""
    return "".join(f"\\textit{{{tex_escape(x)}}}" if ital else tex_escape(x)
                   for x, ital in italic_spans(str(text), header))  # fmt: skip


def _row(values) -> str:
    return " & ".join(tex_text(v, header=True) for v in values) + r" \\"


def _columns(tb: Table) -> str:
    """Column types: l / c, or a paragraph column (p{..}) where the label must wrap to fit
    the page (the same plan as the Word table)."""
    from loyaltysem.report.writers.docx import CELL_PAD_PT, plan_table, text_width

    pt, _, widths = plan_table(tb.data)
    out = []
    for j, (c, w) in enumerate(zip(tb.data.columns, widths, strict=True)):
        natural = max([text_width(v, pt) for v in tb.data.iloc[:, j]] + [text_width(c, pt)])
        if natural + CELL_PAD_PT <= w + 0.5:
            out.append("l" if j == 0 else "c")
        else:
            align = "\\raggedright" if j == 0 else "\\centering"
            out.append(f">{{{align}\\arraybackslash}}p{{{w - CELL_PAD_PT:.0f}pt}}")
    return "".join(out)


def _body(tb: Table) -> str:
    """The rows; inside a row group (a label and its rows) ``\\\\*`` forbids a page break,
    so a label never ends a page without its rows."""
    from loyaltysem.report.writers.docx import row_groups

    last = {g[-1] for g in row_groups(tb.data)}
    rows = list(tb.data.itertuples(index=False))
    out = []
    for i, r in enumerate(rows):
        line = _row(r)
        if i not in last and i < len(rows) - 1:
            line = line[: -len(r" \\")] + r" \\*"
        out.append(line)
    return "\n".join(out)


def _table(tb: Table, lang: str, chapter: int, wide: bool) -> str:
    cols = _columns(tb)
    label = f"{tb.label} {tb.title}"
    cont = (f"续{tb.label} {tb.title}" if lang == "zh"
            else f"{tb.label} {t('continued', lang)}")  # fmt: skip
    header = _row(tb.data.columns)
    body = _body(tb)
    from loyaltysem.report.writers.docx import plan_table

    pt = plan_table(tb.data)[0]  # the Word table's size: 10.5 / 9 / 8 pt
    size = {10.5: "\\small", 9.0: "\\footnotesize"}.get(pt, "\\scriptsize")
    note = tex_escape(t("note", lang))
    note = f"\\textit{{{note}}}" if lang == "en" else note
    first = f"\\textbf{{{tex_escape(label)}}}"
    if lang == "en":  # APA: the number in bold, the title in italics on the next line
        first = f"\\textbf{{{tex_escape(tb.label)}}}\\\\\\textit{{{tex_escape(tb.title)}}}"
    out = (
        f"{{{size}\\setlength{{\\tabcolsep}}{{4pt}}\n"
        f"\\begin{{longtable}}{{{cols}}}\n"
        f"\\caption*{{{first}}}\\\\\n\\toprule\n{header}\n\\midrule\n"
        "\\endfirsthead\n"
        f"\\caption*{{\\textbf{{{tex_escape(cont)}}}}}\\\\\n\\toprule\n{header}\n\\midrule\n"
        "\\endhead\n\\bottomrule\n\\endlastfoot\n"
        f"{body}\n\\end{{longtable}}}}\n"
        f"{{\\small {note} {tex_text(tb.note)}\\par}}\n\n"
    )
    if wide:
        out = f"\\begin{{landscape}}\n{out}\\end{{landscape}}\n"
    return out


def _figure(fig: Figure, lang: str = "en") -> str:
    """The figure with its number and title above it in English (APA: bold number, italic
    title), below it in Chinese (GB/T 7713)."""
    text = f"{tex_text(fig.text)}\n\n" if fig.text else ""
    image = f"\\includegraphics[width=0.9\\textwidth]{{{fig.filename}}}\n"
    if lang == "en":
        cap = (f"\\raggedright\\textbf{{{tex_escape(fig.label)}}}\\\\"
               f"\\textit{{{tex_escape(fig.title)}}}\\par\\centering\n")  # fmt: skip
        inner = cap + image
    else:
        inner = image + f"\\caption*{{{tex_escape(fig.label)} {tex_escape(fig.title)}}}\n"
    return f"{text}\\begin{{figure}}[htbp]\\centering\n{inner}\\end{{figure}}\n\n"


def write_latex(chap: Chapter, path: Path) -> Path:
    from loyaltysem.report.writers.docx import plan_table

    lang = chap.lang
    parts = [_preamble(lang), "\\begin{document}\n"]
    head = f"第{chap.number}章 {chap.title}" if lang == "zh" else f"{chap.number} {chap.title}"
    parts.append(f"\\section*{{{tex_escape(head)}}}\n")
    for k, (name, tables) in enumerate(chap.sections, start=1):
        parts.append(f"\\subsection*{{{tex_escape(chap.heading(k, name))}}}\n")
        for tb in tables:
            if tb.pre_text:
                parts.append(tex_text(tb.pre_text) + "\n\n")
            parts += [_figure(f, lang) for f in tb.pre_figures]
            _, landscape, _ = plan_table(tb.data)
            parts.append(_table(tb, lang, chap.number, landscape))
            parts.append(tex_text(tb.text) + "\n\n")
            parts += [_figure(f, lang) for f in tb.figures]
    k = len(chap.sections) + 1
    parts.append(f"\\subsection*{{{tex_escape(chap.heading(k, t('sec.summary', lang)))}}}\n")
    parts.append(tex_text(chap.summary) + "\n\n")
    parts.append(f"\\subsection*{{{tex_escape(t('references', lang))}}}\n")
    parts += [f"\\noindent\\hangindent=2em {tex_escape(r)}\\par\n" for r in chap.references]
    parts.append("\\end{document}\n")
    atomic_write_text(path, re.sub(r"\n{3,}", "\n\n", "".join(parts)))
    return path
