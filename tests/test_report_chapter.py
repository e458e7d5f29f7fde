"""The results chapter (issue 13, report side of issue 12): every table's numbers from the
result objects, failed cut-offs marked, a fully Chinese zh report, thesis layout in Word,
LaTeX, numeric Excel cells, neutralised outputs and warnings in every format."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from render_check import docx_to_pdf_text

from loyaltysem.examples import example_paths
from loyaltysem.report.format import bounded


@pytest.fixture(scope="module")
def result(example_analysis):
    return example_analysis


@pytest.fixture(scope="module")
def chapters(result):
    return {lang: result.chapter(lang) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def report(result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("chapter") / "report"
    result.write_report(folder, lang="both")
    return folder


def _table(chap, key):
    return next(tb for tb in chap.tables if tb.key == key)


def _texts(chap):
    """Every sentence the chapter prints outside table cells."""
    out = [chap.summary, *chap.references]
    for tb in chap.tables:
        out += [tb.title, tb.note, tb.text, tb.pre_text]
        out += [f.title + " " + f.text for f in tb.figures + tb.pre_figures]
    return out


# --------------------------------------------------------------------------- numbers
def test_failed_cutoffs_are_marked_with_their_source(chapters, result):
    en = chapters["en"]
    rel = _table(en, "reliability").data
    assert ".695†" in set(rel["Cronbach's α"])
    assert {".494†", ".490†", ".480†"} <= set(rel["CITC"])
    conv = _table(en, "convergent").data
    assert {".442†", ".498†"} <= set(conv["AVE"])
    assert ".518†" in set(conv["Std. loading"])
    assert "† Criterion not met: loading ≥ .60" in _table(en, "convergent").note
    assert "(Hair et al., 2019" in _table(en, "convergent").note
    zh = chapters["zh"]
    text = _table(zh, "reliability").text
    assert "网站信息（α = 0.695）低于0.70" in text and "由表4-" in text
    assert "LOY4（0.518）的载荷低于0.60" in _table(zh, "convergent").text
    failed = " ".join(f for tb in en.tables for f in tb.failed)
    assert "AVE of Site information (.442) and Loyalty (.498)" in failed
    assert "criteria were not met" in en.summary and "AVE" in en.summary


def test_construct_correlation_table_matches_pearson(chapters, result):
    from loyaltysem.psychometrics.construct_scores import construct_scores

    tb = _table(chapters["en"], "construct_correlations")
    scores = construct_scores(result.survey.data, result.instrument.construct_items)
    r = scores.corr()  # pandas: pairwise Pearson, an independent computation
    names = list(result.instrument.construct_items)
    i, j = names.index("LOY"), names.index("SAT")
    cell = tb.data.iloc[i][str(j + 1)]
    assert cell.rstrip("*") == bounded(r.loc["LOY", "SAT"], "en")
    assert cell.endswith("***")
    assert tb.data.iloc[i]["M"] == f"{scores['LOY'].mean():.2f}"
    assert tb.data.iloc[i][str(i + 1)] == bounded(
        np.sqrt(result.measurement.validity.loc["LOY", "ave"]), "en"
    )


def test_group_difference_tables_match_scipy(chapters, result):
    from scipy import stats

    from loyaltysem.psychometrics.construct_scores import construct_scores

    tb = _table(chapters["zh"], "differences_gender")
    scores = construct_scores(result.survey.data, result.instrument.construct_items)
    g = result.survey.data["gender"]
    t, p = stats.ttest_ind(scores.loc[g == 1, "PAY"], scores.loc[g == 2, "PAY"])
    row = tb.data[tb.data["变量"] == "支付"].iloc[0]
    assert row["t"].rstrip("‡") == f"{t:.2f}" and row["p"] == f"{p:.3f}"
    assert list(tb.data.columns[1:3]) == ["男", "女"]  # value labels of the model file
    age = _table(chapters["zh"], "differences_age_band")
    f, p = stats.f_oneway(*[scores.loc[result.survey.data["age_band"] == k, "PRD"]
                            for k in (1, 2, 3, 4)])  # fmt: skip
    row = age.data[age.data["变量"] == "产品"].iloc[0]
    assert row["F"] == f"{f:.2f}" and row["p"] == f"{p:.3f}" and row["事后比较"] != ""
    # the text names the group with the higher mean
    higher = "女" if scores.loc[g == 2, "PAY"].mean() > scores.loc[g == 1, "PAY"].mean() else "男"
    assert f"{higher}较高" in tb.text
    means = scores.groupby(result.survey.data["age_band"])["PRD"].mean()
    top = _table(chapters["en"], "differences_age_band")
    label = {1: "18-24", 2: "25-30", 3: "31-40", 4: "41 and over"}[int(means.idxmax())]
    assert f"{label} highest" in top.text


def test_method_bias_table_matches_the_fits(chapters, result):
    tb = _table(chapters["en"], "cmb_cfa")
    fits = result.measurement.method_bias.fits.set_index("model")
    assert list(tb.data["χ²"]) == [f"{v:.2f}" for v in fits["chisq"]]
    ulmc = tb.data.iloc[2]
    dcfi = result.measurement.method_bias.changes.set_index("model").loc["ulmc", "delta.cfi"]
    assert ulmc["ΔCFI"] == bounded(dcfi, "en")
    assert "no serious" not in tb.text or "not serious" in tb.text


def test_hypothesis_summary_quotes_the_model_file(chapters, result):
    tb = _table(chapters["zh"], "hypotheses")
    first = result.instrument.hypotheses[0]
    assert tb.data.iloc[0]["假设内容"] == first.text["zh"]
    decided = list(result.hypotheses["supported"])
    if result.moderation.hypotheses is not None:  # [[moderators]]: H15 after the paths
        decided += list(result.moderation.hypotheses["supported"])
    # [[process]]: H16 closes the table
    decided += [r.verdict.outcome == "supported" for r in result.process.runs if r.spec.id]
    assert list(tb.data["结论"]) == ["支持" if s else "不支持" for s in decided]


def test_fit_table_under_mlr_and_fiml():
    from loyaltysem.pipeline import analyze

    p = example_paths()
    mlr = analyze(p["data_sav"], p["model"], estimator="MLR", n_boot=0, moderation=False)
    tb = _table(mlr.chapter("en"), "fit")
    labels = list(tb.data["Index"])
    assert "CFI (robust)" in labels and "χ² (Yuan-Bentler scaled)" in labels
    cfi = tb.data[tb.data["Index"] == "CFI (robust)"].iloc[0]["Structural model"]
    assert cfi.rstrip("†") == bounded(mlr.sem.fit_measures["cfi.robust"], "en")
    assert "Robust maximum likelihood" in tb.note
    fiml = analyze(p["data_sav"], p["model"], missing="fiml", n_boot=0, moderation=False)
    chap = fiml.chapter("zh")
    tb = _table(chap, "fit")
    assert "GFI" not in set(tb.data["指标"]) and "AGFI" not in set(tb.data["指标"])
    assert "全信息极大似然" in tb.note and "N = 400" in tb.note
    screen = _table(chap, "valid_sample")
    assert "列表删除" not in screen.note and "FIML" in screen.note


def test_valid_sample_table_and_drop_careless():
    from loyaltysem.pipeline import analyze

    p = example_paths()
    res = analyze(p["data_sav"], p["model"], drop_careless=True, n_boot=0, moderation=False)
    tb = _table(res.chapter("zh"), "valid_sample")
    rows = dict(zip(tb.data["项目"], tb.data["数量"], strict=True))
    assert rows["回收问卷"] == "400" and rows["有效问卷"] == "390"
    assert rows["进入CFA与SEM的样本（作答完整）"] == str(res.sem.n) == "357"
    assert res.survey.n == 390 and "有效回收率为97.5%" in tb.text
    assert all("N = " in t.note for t in res.chapter("en").tables)


def test_every_note_states_n(chapters):
    for chap in chapters.values():
        for tb in chap.tables:
            assert "N = " in tb.note, tb.key


def test_chapter_number_and_references(result):
    chap = result.chapter("zh", number=3)
    assert chap.tables[0].label == "表3-1" and "由表3-" in chap.tables[0].text
    refs = " ".join(chap.references)
    assert "[J]" in refs and "温忠麟, 侯杰泰, 马什赫伯特, 2004" in refs
    for tb in chap.tables:  # every citation in the text is in the list
        for name in re.findall(r"（([^（）]*?), \d{4}", tb.note):
            first = name.split("；")[-1].split("、")[0].split(" ")[0].split(",")[0].rstrip("等")
            assert first.lower() in refs.lower(), name
    en = result.chapter("en")
    assert any(r.startswith("Fornell, C., & Larcker, D. F. (1981).") for r in en.references)


# --------------------------------------------------------------------------- language
_ALLOWED = {
    "CFI", "TLI", "NNFI", "RMSEA", "SRMR", "GFI", "AGFI", "NFI", "IFI", "KMO", "AVE", "CR",
    "CITC", "HTMT", "ULMC", "CFA", "SEM", "FIML", "MLR", "Cronbach", "Fornell", "Larcker",
    "Harman", "Bootstrap", "Levene", "Welch", "Tukey", "HSD", "LSD", "Scheff", "Games",
    "Howell", "Mardia", "df", "SE", "Yuan", "Bentler", "scipy", "Cohen", "R", "C", "N",
    "Cronbach's", "Pearson", "Cohen's", "C.R", "Boot", "delta",
    "LLCI", "ULCI", "MSE", "BootSE", "BootLLCI", "BootULCI",  # as theses print them
}  # fmt: skip


def _english_words(text: str, codes: set[str]) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'.]+", text)
    return [w for w in words if w.strip(".'") not in _ALLOWED and w.rstrip("0123456789")
            not in codes and w not in codes]  # fmt: skip


def test_no_english_words_in_chinese_table_cells(chapters, result):
    inst = result.instrument
    codes = (
        set(inst.item_codes) | set(inst.construct_items) | {"H"} | {h.id for h in inst.hypotheses}
    )
    codes |= {c.rstrip("0123456789") for c in codes}
    for tb in chapters["zh"].tables:
        cells = [str(c) for c in tb.data.columns] + [str(v) for v in tb.data.to_numpy().ravel()]
        bad = [w for c in cells + [tb.title] for w in _english_words(c, codes)]
        assert not bad, (tb.key, bad[:5])


def test_no_tool_internals_in_any_text(chapters):
    for chap in chapters.values():
        for text in _texts(chap):
            assert not re.search(r"(?<![\w-])--[a-z]", text), text
            assert not re.search(r"\w::\w|\w\(\)", text), text
            assert "loyaltysem" not in text and "lavaan" not in text, text


def test_chinese_notes_have_no_english_sentences(chapters, result):
    inst = result.instrument
    codes = set(inst.item_codes) | set(inst.construct_items)
    for tb in chapters["zh"].tables:
        note = re.sub(r"（[^（）]*\d{4}[^（）]*）", "", tb.note)  # citations name authors
        bad = _english_words(note, codes)
        assert not bad, (tb.key, bad[:5])


def test_chinese_figures_have_every_glyph(result, tmp_path):
    from loyaltysem.report import figures

    assert figures.cjk_font() == "Noto Sans SC"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures.scree_plot(
            result.items.parallel.observed_factors,
            result.items.parallel.quantile_factors,
            result.items.parallel.n_factors,
            tmp_path / "s.png",
            "zh",
        )
        figures.path_diagram(
            result.sem.estimates,
            result.sem.r2,
            tmp_path / "p.png",
            labels=lambda c: result.instrument.label(c, "zh"),
            lang="zh",
        )
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]


# --------------------------------------------------------------------------- files
def test_word_layout_a4_fonts_fields_and_repeated_headers(report):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(report / "zh" / "report.docx"))
    sec = doc.sections[0]
    assert abs(sec.page_width.cm - 21.0) < 0.01 and abs(sec.page_height.cm - 29.7) < 0.01
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 10.5 and normal.font.name == "Times New Roman"
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "SimSun"
    body = doc.element.body.xml
    assert " SEQ 表 \\* ARABIC " in body and " SEQ 图 \\* ARABIC " in body
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        width = sum(c.width for c in table.columns)
        page = [s for s in doc.sections if True][0]
        assert width <= max(s.page_width - s.left_margin - s.right_margin
                            for s in doc.sections) + 5000  # fmt: skip
        assert page is not None
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    captions = [p for p in doc.paragraphs if re.match(r"^表4-\d+ ", p.text)]
    assert len(captions) >= 20
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in captions)  # centred


def test_word_cells_never_wrap_inside_a_word():
    """Column widths leave room for every cell's text on one line."""
    from loyaltysem.report.writers.docx import CELL_PAD_PT, plan_table, text_width

    d = pd.DataFrame(
        {"判断": ["可接受", "不支持"], "假设内容": ["网站信息对满意度有正向影响。"] * 2}
    )
    pt, _, widths = plan_table(d)
    for j, c in enumerate(d.columns):
        assert widths[j] >= max(text_width(v, pt) for v in d[c]) + CELL_PAD_PT


def test_zh_docx_renders_without_missing_glyphs(report, tmp_path):
    pdf, text = docx_to_pdf_text(report / "zh" / "report.docx", tmp_path)
    assert "表4-1" in text.replace(" ", "") and "数据分析与结果" in text.replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # all embedded
    png = subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf),
                          str(tmp_path / "page")], capture_output=True)  # fmt: skip
    assert png.returncode == 0 and list(tmp_path.glob("page*.png"))


def test_excel_cells_are_numbers_with_formats(report):
    import openpyxl

    wb = openpyxl.load_workbook(report / "tables.xlsx")
    ws = next(wb[s] for s in wb.sheetnames if s.endswith("_reliability"))
    values = [c.value for row in ws.iter_rows(min_row=4) for c in row]
    numbers = [v for v in values if isinstance(v, float)]
    assert 0.695 in [round(v, 3) for v in numbers]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if c.value == 0.695)
    assert cell.number_format == '.000"†"'
    zh = openpyxl.load_workbook(report / "zh" / "tables.xlsx")
    ws = next(zh[s] for s in zh.sheetnames if s.endswith("_reliability"))
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if c.value == 0.695)
    assert cell.number_format == '0.000"†"'


def test_latex_is_written_and_compiles_where_xelatex_is_installed(report, tmp_path):
    tex = (report / "zh" / "report.tex").read_text(encoding="utf-8")
    assert "\\usepackage{xeCJK}" in tex and "\\toprule" in tex and "续表4-" in tex
    assert "\\usepackage{booktabs" in tex
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    work = tmp_path / "tex"
    shutil.copytree(report / "zh", work)
    res = subprocess.run(["xelatex", "-interaction=nonstopmode", "report.tex"], cwd=work,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert (work / "report.pdf").exists(), res.stdout[-2000:]
    log = (work / "report.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)[:3]


def test_outputs_are_neutralised(result, tmp_path):
    """Labels from a hostile model file reach CSV/Excel as text and Markdown escaped."""
    import openpyxl

    inst = result.instrument
    evil = replace(inst.constructs[0], name={"en": "<script>alert(1)</script>",
                                             "zh": "=HYPERLINK(\"x\")"})  # fmt: skip
    gender = replace(
        inst.demographics[0],
        values={1.0: {"en": "@SUM(1)", "zh": "@SUM(1)"}, 2.0: {"en": "-2+3", "zh": "-2+3"}},
    )
    hostile = replace(result, sample=replace(result.sample, instrument=replace(
        inst, constructs=[evil, *inst.constructs[1:]], demographics=[gender])))  # fmt: skip
    files = hostile.write_report(tmp_path / "r", lang="both", formats=("md", "xlsx", "csv"))
    md = files["report.md"].read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    wb = openpyxl.load_workbook(files["zh/tables.xlsx"])
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert '\'=HYPERLINK("x")' in cells
    csv = (tmp_path / "r" / "02_sample_profile.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(1)" in csv and "'-2+3" in csv


def test_warnings_travel_into_every_format(result, tmp_path):
    from loyaltysem.base.notice import Notice

    heywood = Notice(
        "sem.heywood",
        "Heywood case: the (residual) variance of 'LOY4' is negative "
        "(-0.0123); the solution is not admissible",
        var="LOY4",
        value=-0.0123,
    )
    sem = replace(result.sem, warnings=[*result.sem.warnings, heywood])  # fmt: skip
    res = replace(result, structural=replace(result.structural, sem=sem))
    files = res.write_report(tmp_path / "w", lang="en",
                             formats=("md", "html", "xlsx", "docx", "tex"))  # fmt: skip
    files["zh/report.md"] = res.write_report(tmp_path / "zh", lang="zh", formats=("md",))[
        "report.md"
    ]
    import docx
    import openpyxl

    for name in ("report.md", "report.html", "report.tex"):
        assert "Heywood case: the (residual) variance of LOY4" in files[name].read_text(
            encoding="utf-8"
        ), name
    assert "出现Heywood现象：LOY4" in files["zh/report.md"].read_text(encoding="utf-8")
    doc = docx.Document(str(files["report.docx"]))
    assert any("Heywood case" in p.text for p in doc.paragraphs)
    wb = openpyxl.load_workbook(files["tables.xlsx"])
    ws = next(wb[s] for s in wb.sheetnames if s.endswith("_fit"))
    assert any("Heywood" in str(c.value) for row in ws.iter_rows() for c in row)


def test_principal_components_against_the_eigendecomposition(result):
    from loyaltysem.psychometrics.components import principal_components

    X = result.survey.data[result.instrument.item_codes].dropna()
    pc = principal_components(X, 12, "varimax")
    R = np.corrcoef(X.to_numpy(), rowvar=False)
    vals, vecs = np.linalg.eigh(R)
    top = np.argsort(vals)[::-1][:12]
    approx = (vecs[:, top] * vals[top]) @ vecs[:, top].T  # rank-12 reconstruction
    L = pc.loadings.to_numpy()
    assert np.allclose(L @ L.T, approx, atol=1e-8)  # a rotation keeps L L'
    assert np.isclose(pc.communalities.sum(), vals[top].sum())
    T = np.linalg.lstsq(pc.unrotated.to_numpy(), L, rcond=None)[0]
    assert np.allclose(T.T @ T, np.eye(12), atol=1e-6)  # orthogonal rotation (varimax)


def test_mediation_decomposition_table(result):
    """Every default analysis has the decomposition; with a bootstrap its intervals are the
    bootstrap's bias-corrected ones and the rows add up."""
    from loyaltysem.analyses.mediation import mediation_table
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    res = replace(result, structural=replace(result.structural))
    res.structural.bootstrap = bootstrap(res.sem, 200, seed=3, n_jobs=1)
    res.structural.mediation = mediation_table(res.sem, res.structural.bootstrap, ci="bc")
    tb = _table(res.chapter("en"), "mediation")
    row = res.structural.mediation.effects.query(
        "`from` == 'SAT' and to == 'LOY' and kind == 'indirect'"
    )
    pair = tb.data.index[tb.data["Path"] == "Satisfaction → Loyalty"][0]
    block = tb.data.loc[pair:]
    shown = block[block["Effect"] == "Indirect via Trust"].iloc[0]
    assert shown["Estimate"] == f"{row['est'].iloc[0]:.3f}"
    assert shown["95% CI"] == f"[{row['ci.lower'].iloc[0]:.3f}, {row['ci.upper'].iloc[0]:.3f}]"
    assert tb.data.loc[pair, "Result"] == "Complementary (partial mediation)"  # judgment
    assert "200 bootstrap resamples (bias-corrected percentile CI, seed 3)" in tb.note
    total = res.structural.mediation.pairs.query("`from` == 'SAT' and to == 'LOY'").iloc[0]
    assert np.isclose(total["direct.est"] + total["indirect.est"], total["total.est"])
    assert _table(result.chapter("zh"), "mediation").note.count("delta法") == 1  # no draws


def test_parallel_analysis_note_states_its_seed(chapters):
    """The parallel analysis resamples the data: its note states the seed, as a bootstrap's."""
    from loyaltysem.base.validate import DEFAULT_SEED

    seed = DEFAULT_SEED
    said = {"en": f"resampled data sets (seed {seed}", "zh": f"（随机种子为{seed}）"}
    for lang, chap in chapters.items():
        assert said[lang] in _table(chap, "variance").note
