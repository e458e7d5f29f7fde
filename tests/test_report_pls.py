"""The PLS-SEM chapter (issue 18): every PLS table's numbers against an independent
loyaltysem.pls.pls() run on the same respondents, failed cut-offs marked with their sources,
the order of Hair et al. (2022), formative constructs (corporate-reputation model), both
languages, no English in Chinese cells, no tool internals in any text, `run --method pls`
and the zh docx rendered without missing glyphs."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from render_check import docx_to_pdf_text
from report_cells import bounded, en_ci, num
from test_report_chapter import _english_words, _texts

from loyaltysem.examples import example_paths
from loyaltysem.report.format import pvalue

PATHS = example_paths()
SURVEYS = Path(__file__).parent / "data" / "surveys"
CORP = Path(__file__).parent / "fixtures" / "pls" / "corp_rep_ext.json"
# statistic names a Chinese PLS chapter writes as they are (like CFI or HTMT)
PLS_WORDS = {"PLS", "VIF", "RMSE", "MAE"}


@pytest.fixture(scope="module")
def result():
    from loyaltysem.pipeline import analyze

    return analyze(PATHS["data_sav"], PATHS["model"], method="pls", n_boot=200, seed=7)


@pytest.fixture(scope="module")
def reference(result):
    """loyaltysem.pls.pls() called directly on the chapter's respondents."""
    from loyaltysem.pls import model_from_instrument, pls

    res = pls(result.survey, model_from_instrument(result.instrument), n_boot=200, seed=7)
    res.run_predict(folds=10, seed=7)
    return res


@pytest.fixture(scope="module")
def chapters(result):
    return {lang: result.chapter(lang) for lang in ("en", "zh")}


def _table(chap, key):
    return next(tb for tb in chap.tables if tb.key == key)


def _est(ref, kind):
    e = ref.estimates
    return e[e["kind"] == kind]


# --------------------------------------------------------------------------- order
def test_chapter_order_follows_hair_et_al(chapters):
    keys = [tb.key for tb in chapters["en"].tables]
    order = ["valid_sample", "reliability", "loadings", "pls_measurement", "pls_htmt",
             "pls_fornell_larcker", "pls_cross_loadings", "pls_vif", "pls_paths", "pls_r2",
             "pls_predict", "pls_mediation", "hypotheses"]  # fmt: skip
    pos = [keys.index(k) for k in order]
    assert pos == sorted(pos)
    assert not {"fit", "convergent", "cmb_cfa", "paths", "moderation"} & set(keys)
    assert keys[-1] == "hypotheses"
    sections = [name for name, _ in chapters["zh"].sections]
    assert sections.index("测量模型评估（PLS-SEM）") < sections.index("区分效度（PLS-SEM）")


# --------------------------------------------------------------------------- numbers
def test_measurement_table_equals_pls(chapters, reference):
    tb = _table(chapters["en"], "pls_measurement")
    d = tb.data.set_index("Item")
    for c, items in reference.model.constructs.items():
        rel = reference.reliability.loc[c]
        for k, i in enumerate(items):
            lo = reference.loadings.loc[i, c]
            assert d.loc[i, "Outer loading"].rstrip("†") == bounded(lo, "en")
            assert d.loc[i, "Indicator reliability"] == bounded(lo**2, "en")
            if k == 0:
                assert d.loc[i, "ρC"].rstrip("†") == bounded(rel["rhoC"], "en")
                assert d.loc[i, "ρA"].rstrip("†") == bounded(rel["rhoA"], "en")
                assert d.loc[i, "α"].rstrip("†") == bounded(rel["alpha"], "en")
                assert d.loc[i, "AVE"].rstrip("†") == bounded(rel["AVE"], "en")


def test_failed_cutoffs_are_marked_with_their_sources(chapters, reference):
    tb = _table(chapters["en"], "pls_measurement")
    d = tb.data.set_index("Item")
    weak = [i for c, its in reference.model.constructs.items() for i in its
            if reference.loadings.loc[i, c] < 0.708]  # fmt: skip
    assert weak == ["DES4", "LOY4"]
    assert all(d.loc[i, "Outer loading"].endswith("†") for i in weak)
    assert d.loc["INF1", "α"].endswith("†")  # alpha .694 < .70
    assert "Hair et al., 2022" in tb.note and "† Beyond the cut-off." in tb.note
    assert any("DES4" in f for f in tb.failed)
    htmt = _table(chapters["en"], "pls_htmt")
    assert "Henseler et al., 2015" in htmt.note
    pred = _table(chapters["en"], "pls_predict")
    assert "Shmueli et al., 2019" in pred.note
    assert "folds drawn with seed 7" in pred.note  # the random folds: their seed is stated
    assert "分折的随机种子为7" in _table(chapters["zh"], "pls_predict").note
    refs = "\n".join(chapters["en"].references)
    for source in ("A primer on partial least squares", "Guidelines for using PLSpredict",
                   "A new criterion for assessing discriminant validity"):  # fmt: skip
        assert source in refs
    assert "DES4 (.663) and LOY4 (.639) below .708" in chapters["en"].summary


def test_htmt_fornell_larcker_cross_loadings_equal_pls(chapters, reference):
    ht = _table(chapters["en"], "pls_htmt")
    boot = _est(reference, "htmt").set_index(["lhs", "rhs"])
    assert len(ht.data) == 66
    first = ht.data.iloc[0]
    assert first["Constructs"] == "Site information — Product"
    assert first["HTMT"] == bounded(reference.htmt.loc["INF", "PRD"], "en")
    b = boot.loc[("INF", "PRD")]
    assert first["95% CI"] == en_ci(b["ci.lower"], b["ci.upper"], True)
    fl = _table(chapters["en"], "pls_fornell_larcker").data
    assert fl.iloc[0, 1] == bounded(np.sqrt(reference.reliability.loc["INF", "AVE"]), "en")
    assert fl.iloc[1, 1] == bounded(reference.fornell_larcker.loc["PRD", "INF"], "en")
    cl = _table(chapters["en"], "pls_cross_loadings").data.set_index("Item")
    assert cl.loc["SAT2", "10"] == bounded(reference.cross_loadings.loc["SAT2", "SAT"], "en")
    assert cl.loc["SAT2", "1"] == bounded(reference.cross_loadings.loc["SAT2", "INF"], "en")


def test_structural_tables_equal_pls(chapters, reference, result):
    vif = _table(chapters["en"], "pls_vif").data.set_index("Path")
    assert vif.loc["Satisfaction → Trust", "VIF"] == num(reference.vif_inner["TRU"]["SAT"])
    paths = _table(chapters["en"], "pls_paths")
    d = paths.data.set_index("Hypothesis")
    e = _est(reference, "path").set_index(["lhs", "rhs"])
    for h in result.instrument.hypotheses:
        r = e.loc[(h.lhs, h.rhs)]
        row = d.loc[h.id]
        assert row["β"].rstrip("*") == bounded(r["est"], "en")
        assert row["SD (bootstrap)"] == num(r["se"]) and row["t"] == num(r["t"], 2)
        assert row["p"] == pvalue(r["pvalue"])
        assert row["95% CI"] == en_ci(r["ci.lower"], r["ci.upper"], True)
        assert row["f²"] == num(reference.f2[(h.lhs, h.rhs)])
        supported = r["pvalue"] < 0.05 and (r["est"] > 0 if h.sign == "+" else r["est"] < 0)
        assert row["Result"] == ("Supported" if supported else "Not supported")
    assert {f.key for f in paths.pre_figures + paths.figures} == {
        "research_model", "pls_path_diagram"}  # fmt: skip
    r2 = _table(chapters["en"], "pls_r2").data.set_index("Construct")
    for c in reference.r2.index:
        label = result.instrument.label(c)
        assert r2.loc[label, "R²"] == bounded(reference.r2[c], "en")
        assert r2.loc[label, "Adjusted R²"] == bounded(reference.r2_adj[c], "en")
        assert r2.loc[label, "Q²"] == bounded(reference.q2[c], "en")
    pred = _table(chapters["en"], "pls_predict").data.set_index("Item")
    t = reference.predict.table
    assert pred.loc["LOY2", "RMSE (LM)"] == num(t.loc["LOY2", "LM.RMSE"])
    assert pred.loc["LOY2", "MAE (PLS-SEM)"] == num(t.loc["LOY2", "PLS.MAE"])
    better = int((t["PLS.RMSE"] < t["LM.RMSE"]).sum())
    assert (
        f"predicts {better} of the {len(t)} indicators"
        in _table(chapters["en"], "pls_predict").text
    )


def test_mediation_table_equals_pls(chapters, reference):
    tb = _table(chapters["en"], "pls_mediation")
    ind = _est(reference, "indirect").reset_index(drop=True)
    assert len(tb.data) == len(ind) == 30
    for k in (0, 7, 29):
        r, row = ind.iloc[k], tb.data.iloc[k]
        assert row["Estimate"] == num(r["est"]) and row["t"] == num(r["t"], 2)
        assert row["95% CI"] == en_ci(r["ci.lower"], r["ci.upper"])
    # SAT -> TRU -> LOY: indirect significant with a significant direct path of the same sign
    row = tb.data[tb.data["Path"] == "Satisfaction → Trust → Loyalty"].iloc[0]
    assert row["Type of mediation"] == "Complementary (partial mediation)"
    sig = ((ind["ci.lower"] > 0) | (ind["ci.upper"] < 0)).sum()
    assert f"{sig} of the 30 specific indirect effects are significant" in tb.text


def test_hypothesis_summary_and_valid_sample(chapters, result, reference):
    tb = _table(chapters["zh"], "hypotheses")
    process = [
        "支持" if r.verdict.outcome == "supported" else "不支持" for r in result.process.runs
    ]
    assert (
        list(tb.data["结论"])
        == ["支持" if s else "不支持" for s in result.hypotheses["supported"]]
        + ["未检验"]
        + process
    )  # H15 (moderation): not tested in PLS-SEM, said so; H16: PROCESS
    assert "N = 400" in tb.note and "Bootstrap" in tb.note
    vs = _table(chapters["en"], "valid_sample")
    assert vs.data.iloc[-1, 0] == "used in the PLS-SEM (missing answers mean-replaced)"
    assert vs.data.iloc[-1, 2] == str(reference.n) == "400"


# --------------------------------------------------------------------------- language
def test_no_english_words_in_chinese_cells_and_notes(chapters, result):
    inst = result.instrument
    codes = set(inst.item_codes) | set(inst.construct_items) | {h.id for h in inst.hypotheses}
    codes |= {"H"} | PLS_WORDS
    for tb in chapters["zh"].tables:
        cells = [str(c) for c in tb.data.columns] + [str(v) for v in tb.data.to_numpy().ravel()]
        bad = [w for c in cells + [tb.title] for w in _english_words(c, codes)]
        note = re.sub(r"（[^（）]*\d{4}[^（）]*）", "", tb.note)
        bad += _english_words(note, codes)
        assert not bad, (tb.key, bad[:5])


def test_no_tool_internals_in_any_text(chapters):
    for chap in chapters.values():
        for text in _texts(chap):
            assert not re.search(r"(?<![\w-])--[a-z]", text), text
            assert not re.search(r"\w::\w|\w\(\)", text), text
            assert "loyaltysem" not in text and "seminr" not in text, text
            assert "lavaan" not in text, text


# --------------------------------------------------------------------------- formative
def test_formative_constructs_corporate_reputation(tmp_path):
    import pandas as pd

    from loyaltysem.pipeline import analyze
    from loyaltysem.pls import pls

    model = tmp_path / "corp.lav"
    model.write_text(json.loads(CORP.read_text())["model"], encoding="utf-8")
    data = pd.read_csv(SURVEYS / "corporate_reputation.csv").replace(-99, np.nan)
    res = analyze(data, model, method="pls", n_boot=300, seed=2)
    ref = pls(res.survey, model, n_boot=300, seed=2)
    chap = res.chapter("en")
    form = _table(chap, "pls_formative").data.set_index("Item")
    w = _est(ref, "weight").set_index(["lhs", "rhs"])
    for c, i in (("QUAL", "qual_1"), ("ATTR", "attr_3"), ("PERF", "perf_2")):
        assert form.loc[i, "Outer weight"] == bounded(w.loc[(c, i), "est"], "en")
        assert form.loc[i, "t"] == num(w.loc[(c, i), "t"], 2)
        assert form.loc[i, "VIF"].rstrip("†") == num(ref.vif_items[c][i], 2)
    assert res.pls.fit.paths.loc["QUAL", "COMP"] == pytest.approx(0.4297, abs=1e-4)  # the primer
    meas = _table(chap, "pls_measurement")
    assert set(meas.data["Item"]) == {"comp_1", "comp_2", "comp_3", "like_1", "like_2",
                                      "like_3", "cusl_1", "cusl_2", "cusl_3"}  # fmt: skip
    assert "CUSA: measured by a single item" in meas.note
    ht = _table(chap, "pls_htmt")
    assert len(ht.data) == 3 and "QUAL, PERF, CSOR, ATTR and CUSA are not shown" in ht.note
    rel = _table(chap, "reliability").raw
    assert set(rel["construct"]) == {"COMP", "LIKE", "CUSL"}


# --------------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def cli_report(examiner):
    """``loyaltysem run --method pls --bootstrap 100`` (the examiner runs' shared "pls" run)."""
    run = examiner("pls")
    assert run.status == 0, run.stderr[-2000:]
    return run.folder


def test_run_method_pls_writes_both_languages(cli_report):
    for folder in (cli_report, cli_report / "zh"):
        names = {p.name for p in folder.iterdir()}
        assert {"report.docx", "report.md", "tables.xlsx", "pls.json", "path_diagram.png",
                "research_model.png"} <= names  # fmt: skip
        assert "sem.json" not in names
    d = json.loads((cli_report / "pls.json").read_text())
    assert d["n"] == 400 and d["bootstrap"]["draws"] == 100 and d["scheme"] == "path"
    zh = (cli_report / "zh" / "report.md").read_text(encoding="utf-8")
    for title in ("反映型测量模型", "区分效度：HTMT及其Bootstrap置信区间", "交叉载荷",
                  "结构模型共线性检验", "样本外预测能力检验", "特定间接效应"):  # fmt: skip
        assert title in zh


def test_run_method_pls_refuses_cb_only_options(tmp_path, capsys):
    from loyaltysem.cli import main

    for extra in (["--missing", "fiml"], ["--group", "gender"]):
        rc = main(["run", "--method", "pls", "--out", str(tmp_path / "x"), *extra])
        assert rc == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_zh_docx_renders_without_missing_glyphs(cli_report, tmp_path):
    pdf, text = docx_to_pdf_text(cli_report / "zh" / "report.docx", tmp_path)
    flat = text.replace(" ", "")
    assert "反映型测量模型" in flat and "PLS-SEM结构模型路径系数" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts
