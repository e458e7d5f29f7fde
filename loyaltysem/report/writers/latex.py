"""The chapter as LaTeX (``report.tex``): booktabs three-line tables in ``longtable`` (header
repeated, "续表" / "continued" on later pages), wide tables in ``landscape``, figures with
their captions, xeCJK with the Noto SC fonts for Chinese. Compile with ``xelatex report.tex``.
"""

from __future__ import annotations

import re
from pathlib import Path

from loyaltysem.base.fileio import atomic_write_text
from loyaltysem.report.chapter import Chapter, Figure, Table
from loyaltysem.report.i18n import t

_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}  # fmt: skip
_MATH = {"χ": r"$\chi$", "²": r"\textsuperscript{2}", "≥": r"$\geq$", "≤": r"$\leq$",
         "β": r"$\beta$", "α": r"$\alpha$", "Δ": r"$\Delta$", "√": r"$\surd$", "†": r"\dag{}",
         "–": "--", "→": r"$\rightarrow$", "±": r"$\pm$", "η": r"$\eta$", "−": "--",
         "～": r"$\sim$"}  # fmt: skip


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


def _packaged_fonts() -> tuple[Path, Path] | None:
    """Noto Serif SC / Noto Sans SC of the pylopdf-fonts-zh-cn package (a dependency)."""
    try:
        import pylopdf_fonts_zh_cn as fonts
    except ImportError:  # pragma: no cover
        return None
    serif, sans = Path(fonts.serif_path()), Path(fonts.sans_path())
    return (serif, sans) if serif.exists() and sans.exists() else None


def _cjk_font(cmd: str, system: list[str], packaged: Path | None, fandol: str) -> str:
    """``\\setCJK...font`` trying the system fonts, then the packaged file, then Fandol."""
    if packaged is not None:
        fallback = f"\\{cmd}{{{packaged.name}}}[Path={packaged.parent.as_posix()}/]"
    else:
        fallback = f"\\{cmd}{{{fandol}}}"
    out = fallback
    for name in reversed(system):
        out = f"\\IfFontExistsTF{{{name}}}{{\\{cmd}{{{name}}}}}{{{out}}}"
    return out + "\n"


def _preamble(lang: str) -> str:
    cjk = ""
    if lang == "zh":
        fonts = _packaged_fonts()
        cjk = (
            "\\usepackage{xeCJK}\n"
            + _cjk_font("setCJKmainfont", ["SimSun", "Noto Serif CJK SC"],
                        fonts[0] if fonts else None, "FandolSong-Regular.otf")
            + _cjk_font("setCJKsansfont", ["SimHei", "Noto Sans CJK SC"],
                        fonts[1] if fonts else None, "FandolHei-Regular.otf")
        )  # fmt: skip
    return (
        "\\documentclass[a4paper,11pt]{article}\n"
        "\\usepackage[margin=2.5cm]{geometry}\n"
        "\\usepackage{fontspec}\n"
        "\\IfFontExistsTF{Times New Roman}{\\setmainfont{Times New Roman}}"
        "{\\IfFontExistsTF{TeX Gyre Termes}{\\setmainfont{TeX Gyre Termes}}{}}\n"
        f"{cjk}"
        "\\usepackage{booktabs,longtable,pdflscape,graphicx,caption,array}\n"
        "\\captionsetup{font=small,labelsep=space,justification=centering}\n"
        "\\setlength{\\parindent}{2em}\n"
        "\\renewcommand{\\arraystretch}{1.1}\n"
    )


def _row(values) -> str:
    return " & ".join(tex_escape(v) for v in values) + r" \\"


def _table(tb: Table, lang: str, chapter: int, wide: bool) -> str:
    cols = "l" + "c" * (len(tb.data.columns) - 1)
    label = f"{tb.label} {tb.title}"
    cont = (f"续{tb.label} {tb.title}" if lang == "zh"
            else f"{tb.label} {t('continued', lang)}")  # fmt: skip
    header = _row(tb.data.columns)
    body = "\n".join(_row(r) for r in tb.data.itertuples(index=False))
    size = "\\small" if not wide else "\\footnotesize"
    out = (
        f"{{{size}\\setlength{{\\tabcolsep}}{{4pt}}\n"
        f"\\begin{{longtable}}{{{cols}}}\n"
        f"\\caption*{{\\textbf{{{tex_escape(label)}}}}}\\\\\n\\toprule\n{header}\n\\midrule\n"
        "\\endfirsthead\n"
        f"\\caption*{{\\textbf{{{tex_escape(cont)}}}}}\\\\\n\\toprule\n{header}\n\\midrule\n"
        "\\endhead\n\\bottomrule\n\\endlastfoot\n"
        f"{body}\n\\end{{longtable}}}}\n"
        f"{{\\small {tex_escape(t('note', lang))} {tex_escape(tb.note)}\\par}}\n\n"
    )
    if wide:
        out = f"\\begin{{landscape}}\n{out}\\end{{landscape}}\n"
    return out


def _figure(fig: Figure) -> str:
    text = f"{tex_escape(fig.text)}\n\n" if fig.text else ""
    return (
        f"{text}\\begin{{figure}}[htbp]\\centering\n"
        f"\\includegraphics[width=0.9\\textwidth]{{{fig.filename}}}\n"
        f"\\caption*{{{tex_escape(fig.label)} {tex_escape(fig.title)}}}\n\\end{{figure}}\n\n"
    )


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
                parts.append(tex_escape(tb.pre_text) + "\n\n")
            parts += [_figure(f) for f in tb.pre_figures]
            _, landscape, _ = plan_table(tb.data)
            parts.append(_table(tb, lang, chap.number, landscape))
            parts.append(tex_escape(tb.text) + "\n\n")
            parts += [_figure(f) for f in tb.figures]
    k = len(chap.sections) + 1
    parts.append(f"\\subsection*{{{tex_escape(chap.heading(k, t('sec.summary', lang)))}}}\n")
    parts.append(tex_escape(chap.summary) + "\n\n")
    parts.append(f"\\subsection*{{{tex_escape(t('references', lang))}}}\n")
    parts += [f"\\noindent\\hangindent=2em {tex_escape(r)}\\par\n" for r in chap.references]
    parts.append("\\end{document}\n")
    atomic_write_text(path, re.sub(r"\n{3,}", "\n\n", "".join(parts)))
    return path
