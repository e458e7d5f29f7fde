"""Examiner rules for the prose, APA style, layout and files of the chapter (issue 23, items 5
and 6), on the shared examiner runs (tests/examiner_runs.py), both languages.

Tool names: a thesis names methods by their authors, never the software that computed them.
Banned in chapter sentences: lavaan, semTools, psych, seminr, scipy, SmartPLS, Mplus, AMOS,
SPSS, PROCESS (Hayes' macro; the method is cited as Hayes), GPArotation, pyprocessmacro, and
option or function names (``--reverse``, check.keys, compRelSEM, fixed.x, ``.scaled``, "model
file"). "PLS-SEM" (the method) and author names (Hayes, Rosseel as an author) are fine. The
reference list is exempt: a source's title may name software (Byrne's "... with AMOS").
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest
from examiner_runs import read_docx, read_xlsx

RUNS = ("example", "group", "ordered", "pls", "own", "double_reversal_allowed")
LANGS = ("en", "zh")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
TOOLS = re.compile(
    r"\b(lavaan|semTools|psych|seminr|scipy|SmartPLS|Mplus|AMOS|SPSS|PROCESS|GPArotation|"
    r"pyprocessmacro|statsmodels|numpy|pandas)\b|--[a-z]|check\.keys|compRelSEM|fixed\.x|"
    r"\.scaled\b|\bmodel file\b|模型文件|ordered设定|ordered ="
)
STUDENT_NOTES = (
    "to be discussed", "in the thesis", "see the console", "console output", "second look",
    "consider removing", "consider policy", "需要在论文中", "在论文中说明", "控制台", "请",
)  # fmt: skip


def _run(examiner, name: str):
    run = examiner(name)
    if run.status != 0 or not run.path("report.docx").exists():
        pytest.skip(f"run {name} made no chapter (exit {run.status})")
    return run


def _chapter(run, lang: str) -> str:
    """The chapter text up to the reference list (sentences, notes and table cells)."""
    text = run.docx_text(lang)
    head = "参考文献" if lang == "zh" else "References"
    return text.split("\n" + head + "\n")[0]


def _paragraphs(run, lang: str, headings: bool = True) -> list[str]:
    """The chapter's paragraphs (no table cells, no reference list)."""

    doc = read_docx(run.path("report.docx", lang))
    out = []
    for p in doc.paragraphs:
        if p.text in ("References", "参考文献"):
            break
        if headings or not p.style.name.startswith("Heading"):
            out.append(p.text)
    return out


def _summary(run, lang: str) -> str:
    paras = _paragraphs(run, lang)
    k = next(i for i, p in enumerate(paras) if p.endswith(("Chapter Summary", "本章小结")))
    return paras[k + 1]


# ------------------------------------------------------------------------------ wording
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_no_tool_or_option_names(examiner, name, lang):
    hits = sorted({m.group(0) for m in TOOLS.finditer(_chapter(_run(examiner, name), lang))})
    assert not hits, f"software or option names in the chapter: {hits}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_no_parenthesised_plurals(examiner, name, lang):
    text = _chapter(_run(examiner, name), lang)
    assert "(s)" not in text and "（s）" not in text


@pytest.mark.parametrize("name", RUNS)
def test_no_english_sentence_opens_with_a_numeral(examiner, name):
    bad = []
    for p in _paragraphs(_run(examiner, name), "en", headings=False):
        bad += [p[max(0, m.start() - 30) : m.end() + 30]
                for m in re.finditer(r"(?:^|(?<=[.!?])\s+)[0-9]", p)]  # fmt: skip
    assert not bad, bad


_SYMBOLS = {"b", "p", "n", "t", "z", "r", "d", "df", "f", "k"}  # a sentence may open with one
_ABBREVIATIONS = re.compile(r"(?:e\.g|i\.e|al|vs|cf|pp|p|Std|ed|eds|Vol|No)\.$")


@pytest.mark.parametrize("name", RUNS)
def test_no_english_sentence_opens_in_lower_case(examiner, name):
    """ "... (p = .177). the regression model of Loyalty ...": a sentence after a full stop
    starts with a capital (abbreviations such as "e.g." and "et al." aside)."""
    bad = []
    for p in _paragraphs(_run(examiner, name), "en", headings=False):
        for m in re.finditer(r"(\S+)\s+([a-z]\w*)", p):
            if m.group(2) in _SYMBOLS or re.fullmatch(r"(?:[A-Z]\.)+", m.group(1)):
                continue  # "Note. b = unstandardized ...", "C.R. of difference"
            if m.group(1).endswith((".", "!", "?")) and not _ABBREVIATIONS.search(m.group(1)):
                bad.append(p[max(0, m.start() - 30) : m.end() + 30])
    assert not bad, bad


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_no_notes_to_the_student(examiner, name, lang):
    text = _chapter(_run(examiner, name), lang)
    assert not [s for s in STUDENT_NOTES if s in text]


@pytest.mark.parametrize("name", RUNS)
def test_chinese_counts_of_none_are_words(examiner, name):
    """ "0个显著" reads as a machine wrote it: 均不显著 / 没有."""
    text = _chapter(_run(examiner, name), "zh")
    assert not re.findall(r"(?<![\d.])0[个组条项]", text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_summary_shortfalls_are_sentences(examiner, name, lang):
    """Each shortfall the summary lists says what fell short ("NFI (测量模型和结构模型)"
    is a fragment), and no Chinese sentence holds a half-width parenthesis."""
    summary = _summary(_run(examiner, name), lang)
    verbs = (r"低于|高于|未|不|超过|大于|小于|≥|<|>" if lang == "zh"
             else r"below|above|not |exceed|beyond|outside|≥|<|>")  # fmt: skip
    intro = re.search(r"(not met|未达到)[^:：]*[:：]", summary)
    if intro:
        items = re.split(r"；|; ", summary[intro.end() :])
        assert all(re.search(verbs, it) for it in items), items
    if lang == "zh":
        assert not re.findall(r"\S \([\u4e00-\u9fff]", summary)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_summary_counts_every_hypothesis(examiner, name, lang):
    run = _run(examiner, name)
    rows = [ln.split(" | ") for ln in _chapter(run, lang).splitlines()]
    results = {"Supported", "Not supported", "Partly supported", "Not tested",
               "支持", "不支持", "部分支持", "未检验"}  # fmt: skip
    hyp = {r[0]: r[-1] for r in rows if re.fullmatch(r"H\d+[a-z]?", r[0]) and r[-1] in results}
    if not hyp:
        pytest.skip("no hypotheses")
    k, s = len(hyp), sum(v in ("Supported", "支持") for v in hyp.values())
    summary = _summary(run, lang)
    if lang == "zh":
        found = re.search(r"(\d+)条研究假设(?:中(\d+)条得到支持|均未得到支持)", summary)
        assert found and int(found.group(1)) == k, summary
        assert int(found.group(2) or 0) == s, summary
    else:
        found = re.search(r"[Oo]f the (\d+) hypotheses, (\w+) (?:is|are) supported", summary)
        assert found and int(found.group(1)) == k, summary
        assert found.group(2) in (str(s), {0: "none"}.get(s, str(s))), summary


@pytest.mark.parametrize("lang", LANGS)
def test_no_hypothesis_is_dropped_silently(examiner, lang):
    """The PLS-SEM estimates no interaction: the moderation hypothesis H15 stays in the
    summary table, marked as not tested, with the reason in the note."""
    example = _chapter(_run(examiner, "example"), lang)
    pls = _chapter(_run(examiner, "pls"), lang)
    ids = lambda text: set(re.findall(r"^(H\d+) \|", text, re.M))  # noqa: E731
    assert ids(example) <= ids(pls)
    row = next(ln for ln in pls.splitlines() if ln.startswith("H15 |"))
    assert row.endswith(("Not tested", "未检验"))
    assert "interaction term" in pls or "交互项" in pls


# ------------------------------------------------------------------------------ APA
def _italic_spans(paragraph) -> tuple[str, list[bool]]:
    text, flags = "", []
    for r in paragraph.runs:
        text += r.text
        flags += [bool(r.italic)] * len(r.text)
    return text, flags


def _all_paragraphs(doc):
    yield from doc.paragraphs
    for tb in doc.tables:
        for row in tb.rows:
            for cell in row.cells:
                yield from cell.paragraphs


@pytest.mark.parametrize("name", ("example", "group", "pls"))
def test_statistical_symbols_are_italic(examiner, name):
    """APA 7: p, z, t, N, M, SD, SE, ... in italics, in running text, notes and headers, in
    every format (Word runs, <i> in HTML, \\textit in LaTeX, *p* in Markdown)."""

    run = _run(examiner, name)
    doc = read_docx(run.path("report.docx"))
    seen, roman = 0, []
    sym = re.compile(r"(?<![\w'’.])(p|z|N|t|SD|SE)(?= [=<>≤≥])")
    for para in _all_paragraphs(doc):
        text, flags = _italic_spans(para)
        if text in ("p", "z", "t", "SD", "SE", "M", "N", "n", "F"):  # a column header
            seen += 1
            if not all(flags):
                roman.append(text)
        for m in sym.finditer(text):
            seen += 1
            if not flags[m.start()]:
                roman.append(text[max(0, m.start() - 20) : m.end() + 10])
    assert seen > 20
    assert not roman, roman[:10]
    assert "<i>p</i>" in run.text("report.html")
    assert "\\textit{p}" in run.text("report.tex")
    assert "*p*" in run.text("report.md")


@pytest.mark.parametrize("name", ("example", "group", "own"))
def test_english_negative_numbers_use_the_minus_sign(examiner, name):
    text = _chapter(_run(examiner, name), "en")
    hyphens = [text[max(0, m.start() - 15) : m.end() + 8]
               for m in re.finditer(r"(?<![\w.\-–])-(?=\.?\d)", text)]  # fmt: skip
    assert not hyphens, hyphens[:10]
    assert "−" in text


def _picture_neighbours(path):

    doc = read_docx(path)
    paras = doc.paragraphs
    out = []
    for k, p in enumerate(paras):
        if p._p.xpath(".//w:drawing"):
            before = next((q.text for q in reversed(paras[:k]) if q.text.strip()), "")
            after = next((q.text for q in paras[k + 1 :] if q.text.strip()), "")
            out.append((before, after))
    return out


@pytest.mark.parametrize("name", ("example", "pls"))
def test_figure_captions_above_in_english_below_in_chinese(examiner, name):
    run = _run(examiner, name)
    en = _picture_neighbours(run.path("report.docx"))
    zh = _picture_neighbours(run.path("report.docx", "zh"))
    assert en and len(en) == len(zh)
    assert all(re.match(r"Figure \d+\.\d+", before) for before, _ in en), en
    assert all(re.match(r"图\d+-\d+", after) for _, after in zh), zh
    html = run.text("report.html")
    assert html.index("<figcaption") < html.index("<img")


@pytest.mark.parametrize("name", RUNS)
def test_english_chapter_has_no_chinese(examiner, name):
    """Chinese sources are cited by romanised names in English (Wen & Ye, 2014); Chinese
    characters appear only in the original titles of the reference list."""
    text = _chapter(_run(examiner, name), "en")
    assert not CJK.findall(text), sorted(set(CJK.findall(text)))


def test_every_chinese_source_has_its_romanised_entry():
    from loyaltysem.report.references import SOURCES, apa, in_text

    for key, s in SOURCES.items():
        if s.zh:
            assert not CJK.search(in_text(key, "en")), key
            entry = apa(s)
            assert re.search(r"\[[A-Z][^\]]+\]", entry), entry  # [English title]
            assert not CJK.search(entry.split(". ", 1)[0]), entry  # authors romanised


# ------------------------------------------------------------------------------ numbers
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", RUNS)
def test_interval_limits_do_not_print_as_zero(examiner, name, lang):
    """A limit that excludes 0 by a hair shows enough decimals ("[0.000, 0.126] 显著" is
    wrong); the only exact zero is the lower limit of RMSEA's interval."""
    bad = []
    for line in _chapter(_run(examiner, name), lang).splitlines():
        for m in re.finditer(r"\[([−-]?\d*\.\d+), ([−-]?\d*\.\d+)\]", line):
            zero = [float(v.replace("−", "-")) == 0 for v in m.groups()]
            if any(zero) and not line.startswith("RMSEA"):
                bad.append(line)
    assert not bad, bad


@pytest.mark.parametrize("lang", LANGS)
def test_johnson_neyman_bounds_lie_in_the_observed_range(examiner, lang):
    run = _run(examiner, "example")
    rows = list(csv.DictReader(io.StringIO(run.text("22_moderation.csv"))))
    jn = next(r for r in rows if r["part"] == "johnson-neyman")
    lo, hi = float(jn["observed.min"]), float(jn["observed.max"])
    text = _chapter(run, lang)
    lines = [ln for ln in text.splitlines() if "Johnson" in ln or "J-N" in ln]
    assert lines
    for ln in lines:
        for v in re.findall(r"(?<![\d.])[−-]?\d+\.\d{3}(?!\d)", ln):
            assert lo - 5e-4 <= float(v.replace("−", "-")) <= hi + 5e-4, (v, ln)


# ------------------------------------------------------------------------------ layout
def _docx_tables_by_section(path):
    """(landscape?, table) for every table, in document order."""
    from docx.table import Table as DocxTable

    doc = read_docx(path)
    body = doc.element.body
    blocks, pending = [], []
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            pending.append(DocxTable(el, doc))
        sect = el.find(".//{*}sectPr") if tag == "p" else (el if tag == "sectPr" else None)
        if sect is not None:
            size = sect.find("{*}pgSz")
            w = int(size.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
            h = int(size.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}h"))
            blocks += [(w > h, t) for t in pending]
            pending = []
    return blocks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("example", "pls", "group"))
def test_landscape_only_for_tables_too_wide_for_portrait(examiner, name, lang):
    """A landscape page is for a table whose cells do not fit the portrait text width at
    9 pt even with labels and headers wrapped between words (numbers never wrap); a table
    that fits stays in portrait (no landscape page for a three-row table)."""
    from loyaltysem.report.writers.docx import CELL_PAD_PT, text_width

    def narrowest(values: list[str]) -> float:
        def unbreakable(v: str) -> float:
            if re.fullmatch(r"[\s\d.,()\[\]<>=*†‡%±−-]*", v):  # a number or interval
                return text_width(v, 9)
            words = re.findall(r"[^\s\u2e80-\uffef]+", v)
            longest = max([text_width(w, 9) for w in words] + [0.0])
            n_cjk = len(CJK.findall(v))  # Chinese text in two lines, a long one in three
            lines = 3 if n_cjk > 12 else 2 if n_cjk > 6 else 1
            return max(longest, text_width(v, 9) / lines) if n_cjk else longest

        return max([unbreakable(v) for v in values] + [0.0]) + CELL_PAD_PT

    portrait = (21.0 - 5.0) / 2.54 * 72
    path = _run(examiner, name).path("report.docx", lang)
    small, tables = [], []
    for land, tb in _docx_tables_by_section(path):  # a continued part joins its table
        rows = [[c.text for c in row.cells] for row in tb.rows]
        if tables and tables[-1][1][0] == rows[0] and tables[-1][0] == land:
            tables[-1][1].extend(rows[1:])
        else:
            tables.append((land, rows))
    for land, rows in tables:
        cols = list(zip(*rows, strict=True))
        if land and sum(narrowest(list(c)) for c in cols) <= portrait:
            small.append(rows[0])
    assert not small, small


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("example", "group", "pls", "own"))
def test_row_group_labels_stay_with_their_rows(examiner, name, lang):
    """A row that opens a group (a label in the first column followed by rows with an empty
    first column) keeps with the next row, and no table part ends on such a row."""

    doc = read_docx(_run(examiner, name).path("report.docx", lang))
    loose, orphans = [], []
    for tb in doc.tables:
        rows = tb.rows[1:]
        for k, row in enumerate(rows[:-1]):
            first, nxt = row.cells[0].text, rows[k + 1].cells[0].text
            keep = row.cells[0].paragraphs[0].paragraph_format.keep_with_next
            heading = first and not any(c.text for c in row.cells[1:])
            if (first and not nxt or heading) and not keep:
                loose.append(first)
    tables = doc.tables
    for a, b in zip(tables, tables[1:], strict=False):
        head_a = [c.text for c in a.rows[0].cells]
        head_b = [c.text for c in b.rows[0].cells]
        if head_a == head_b and len(b.rows) > 1 and not b.rows[1].cells[0].text:
            last = a.rows[-1].cells[0].text
            if last and len(a.rows) > 2:
                orphans.append(last)
    assert not loose, loose[:5]
    assert not orphans, orphans


# ------------------------------------------------------------------------------ files
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("example", "group", "pls", "own"))
def test_xlsx_stores_numbers_as_numbers(examiner, name, lang):

    wb = read_xlsx(_run(examiner, name).path("tables.xlsx", lang))
    numberish = re.compile(  # a number, percentage, interval, M (SD) or "< .001" as text
        r"^\s*[−-]?\d*\.?\d+[*†‡]*\s*$|^\s*[−-]?\d+(\.\d+)?\s*(%|\(|±)|^\s*\[[−-]?\d|"
        r"^\s*<\s*0?\.\d+\s*$"
    )
    bad = []
    for ws in wb:
        last = ws.max_row
        criteria = {c.column for c in ws[3] if c.value in ("Cut-off", "参考标准")}  # text
        for row in ws.iter_rows(min_row=4, max_row=last - 1):
            for c in row:
                if c.column in criteria:
                    continue
                if isinstance(c.value, str) and numberish.search(c.value):
                    bad.append(f"{ws.title}!{c.coordinate}={c.value}")
    assert not bad, bad[:10]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("example", "pls"))
def test_csv_values_are_plain(examiner, name, lang):
    run = _run(examiner, name)
    folder = run.path("", lang)
    for path in sorted(folder.glob("*.csv")):
        cells = [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
                 for c in row]  # fmt: skip
        assert "'+" not in cells and "'-" not in cells, path.name


@pytest.mark.parametrize("name", ("example", "pls", "group", "own"))
def test_chinese_csv_files_have_chinese_headers(examiner, name):
    """Every column header of a Chinese CSV is Chinese, a statistical symbol or a code of the
    model (a construct or item code); English labels in the cells are translated."""
    run = _run(examiner, name)
    folder = run.path("", "zh")
    symbols = {
        "",
        "n",
        "N",
        "M",
        "SD",
        "SE",
        "p",
        "z",
        "t",
        "F",
        "d",
        "r",
        "df",
        "χ²",
        "β",
        "b",
        "R²",
        "f²",
        "Q²",
        "CR",
        "AVE",
        "HTMT",
        "CFI",
        "TLI",
        "RMSEA",
        "SRMR",
        "GFI",
        "AGFI",
        "NFI",
        "IFI",
        "VIF",
        "CITC",
        "KMO",
        "η²",
        "ω²",
        "ρA",
        "ρC",
        "α",
        "ω",
    }
    english = []
    for path in sorted(folder.glob("*.csv")):
        head = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        for h in head:
            if h.lstrip("Δ") in symbols | {"χ²/df"} or CJK.search(h):
                continue
            if re.fullmatch(r"[A-Z][A-Z0-9_]*\d*|F\d+", h):
                continue
            english.append(f"{path.name}: {h}")
    assert not english, english[:20]
    en = (run.folder / "01_valid_sample.csv").read_bytes()
    assert (folder / "01_valid_sample.csv").read_bytes() != en


@pytest.mark.parametrize("lang", LANGS)
def test_tex_names_its_fonts_and_no_machine_path(examiner, lang):
    tex = _run(examiner, "example").text("report.tex", lang)
    assert not re.search(r"[A-Za-z]:\\|(?<![\w.])/(usr|home|work|tmp|opt|root|Users|var)/", tex)
    assert "\\usepackage{xeCJK}" in tex
    assert re.search(r"\\IfFontExistsTF\{Noto Serif CJK SC\}", tex)
    assert "\\setCJKmainfont{FandolSong-Regular.otf}" in tex  # TeX Live's own fallback


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_tex_compiles_with_xelatex(examiner, lang, tmp_path):
    run = _run(examiner, "example")
    src = run.path("", lang)
    for f in src.iterdir():
        if f.is_file() and f.suffix in (".tex", ".png"):
            shutil.copy(f, tmp_path / f.name)
    proc = subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    log = (tmp_path / "report.log").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, log[-3000:]
    missing = sorted(set(re.findall(r"Missing character: There is no (\S+)", log)))
    assert not missing, missing
    assert (tmp_path / "report.pdf").stat().st_size > 50_000
