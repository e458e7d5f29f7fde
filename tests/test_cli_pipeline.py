"""The CLI and the one-command pipeline (issue: foundation; output contract)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from loyaltysem.cli import main
from loyaltysem.examples import example_paths


def test_fit_json_follows_the_output_contract(tmp_path, capsys):
    paths = example_paths()
    out = tmp_path / "fit.json"
    code = main(["fit", str(paths["data_csv"]), "--model", str(paths["model"]), "--json", str(out)])
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"n", "converged", "warnings", "fit", "estimates", "r2"} <= set(doc)
    assert doc["n"] == 366 and doc["converged"] is True
    for key in (
        "npar",
        "chisq",
        "df",
        "pvalue",
        "baseline.chisq",
        "baseline.df",
        "cfi",
        "tli",
        "nfi",
        "ifi",
        "rni",
        "rmsea",
        "rmsea.ci.lower",
        "rmsea.ci.upper",
        "rmsea.pvalue",
        "srmr",
        "gfi",
        "agfi",
        "logl",
        "aic",
        "bic",
    ):
        counts = key in ("npar", "df", "baseline.df")  # whole numbers, as in the contract
        assert isinstance(doc["fit"][key], int if counts else float), key
    rows = doc["estimates"]
    cols = {
        "lhs",
        "op",
        "rhs",
        "group",
        "label",
        "est",
        "se",
        "z",
        "pvalue",
        "ci.lower",
        "ci.upper",
        "std.lv",
        "std.all",
    }
    assert all(cols <= set(r) for r in rows)
    first = rows[0]
    assert (first["lhs"], first["op"], first["rhs"]) == ("INF", "=~", "INF1")  # not item ~ factor
    assert first["se"] == 0 and first["z"] is None and first["pvalue"] is None  # fixed: null
    assert {"SAT", "TRU", "LOY"} <= set(doc["r2"])
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text and '"NA"' not in text


def test_fit_with_mlr_has_scaled_and_robust_measures(tmp_path):
    paths = example_paths()
    out = tmp_path / "fit.json"
    assert (
        main(
            [
                "fit",
                str(paths["data_csv"]),
                "--model",
                str(paths["model_lav"]),
                "--estimator",
                "mlr",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    fit = json.loads(out.read_text())["fit"]
    assert {"chisq.scaled", "cfi.robust", "rmsea.robust", "tli.scaled"} <= set(fit)


def test_fit_with_bootstrap_fills_the_intervals(tmp_path):
    data = tmp_path / "d.csv"
    import pandas as pd

    pd.read_csv("tests/fixtures/data/poldem.csv").to_csv(data, index=False)
    model = tmp_path / "m.lav"
    model.write_text(
        "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\ndem60 ~ a*ind60\nhalf := a/2\n",
        encoding="utf-8",
    )
    out = tmp_path / "fit.json"
    assert (
        main(
            [
                "fit",
                str(data),
                "--model",
                str(model),
                "--bootstrap",
                "50",
                "--seed",
                "1",
                "--jobs",
                "1",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text())
    half = next(r for r in doc["estimates"] if r["op"] == ":=")
    assert half["ci.lower"] < half["est"] < half["ci.upper"]
    assert doc["bootstrap"]["draws"] == 50


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["fit", "missing.csv", "--model", "models/online_loyalty.lav"],
            "missing.csv: file not found",
        ),
        (["fit", "data/online_loyalty.csv"], "--model MODEL is required"),
        (["fit", "data/online_loyalty.csv", "--model", "nope.lav"], "nope.lav"),
    ],
)
def test_bad_input_one_line_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_model_syntax_error_names_the_line(tmp_path, capsys):
    model = tmp_path / "bad.lav"
    model.write_text("SAT =~ SAT1 + SAT2 + SAT3\nLOY => SAT\n", encoding="utf-8")
    assert main(["fit", "data/online_loyalty.csv", "--model", str(model)]) == 2
    err = capsys.readouterr().err
    assert "bad.lav: line 2: unknown operator '=>'" in err


def test_help_on_every_command():
    for cmd in ("run", "fit", "invariance", "screen", "reliability", "efa"):
        res = subprocess.run(
            [sys.executable, "-m", "loyaltysem", cmd, "--help"], capture_output=True, text=True
        )
        assert res.returncode == 0 and "usage: loyaltysem" in res.stdout, cmd


def test_run_writes_the_whole_report(examiner):
    run = examiner("example")  # `loyaltysem run --bootstrap 100`, shared with the examiner tests
    assert run.status == 0, run.stderr[-2000:]
    out = run.folder
    names = {p.name for p in out.iterdir()}
    assert {
        "report.docx",
        "tables.xlsx",
        "report.html",
        "report.md",
        "path_diagram.png",
        "path_diagram.svg",
        "path_diagram.pdf",
        "scree_plot.png",
        "construct_correlations.png",
        "sem.json",
    } <= names
    assert any(n.endswith("_paths.csv") for n in names)
    assert any(n.endswith("_fit.csv") for n in names)
    from loyaltysem.base.fileio import OUTPUT_MARKER

    assert not any(n.startswith(".") and n != OUTPUT_MARKER for n in names)  # no leftovers
    zh = (out / "zh" / "report.md").read_text(encoding="utf-8")  # both languages by default
    assert "路径系数与假设检验" in zh and (out / "zh" / "report.docx").exists()


@pytest.fixture(scope="module")
def example_result(example_analysis):
    return example_analysis


@pytest.fixture(scope="module")
def en_files(example_result, tmp_path_factory):
    """The English Word report and workbook of the example, written once for these tests."""
    folder = tmp_path_factory.mktemp("en") / "r"
    return example_result.write_report(folder, lang="en", formats=("docx", "xlsx"))


def test_report_numbers_come_from_the_results(en_files, example_result):
    import docx
    import openpyxl

    res, files = example_result, en_files
    h1 = res.hypotheses.set_index("id").loc["H1"]
    doc = docx.Document(str(files["report.docx"]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert f"{h1['est']:.3f}" in cells
    wb = openpyxl.load_workbook(files["tables.xlsx"])
    assert any("paths" in s for s in wb.sheetnames)
    cfi = f"{res.sem.fit_measures['cfi']:.3f}".lstrip("0")
    assert cfi in cells


def test_every_table_is_in_word_and_excel_with_its_numbers(en_files, example_result):
    """Each table of the results chapter is a real Word table (caption above it) and an Excel
    sheet, and its cells are the formatted numbers of the result objects."""
    import docx
    import openpyxl

    from loyaltysem.report.writers.docx import page_chunks, plan_table
    from loyaltysem.report.writers.files import excel_frame

    res, files = example_result, en_files
    tables = res.thesis_tables("en")
    doc = docx.Document(str(files["report.docx"]))
    captions = [p.text for p in doc.paragraphs if re.match(r"^Table \d+\.\d+\n", p.text)]
    assert captions == [f"{t.label}\n{t.title}" for t in tables]  # APA: number, then title
    wb = openpyxl.load_workbook(files["tables.xlsx"])
    assert len(wb.sheetnames) == len(tables)
    word_tables = iter(doc.tables)
    for tb, sheet in zip(tables, wb.sheetnames, strict=True):
        pt, landscape, widths = plan_table(tb.data)
        body = []
        for _ in page_chunks(tb.data, pt, landscape, widths):  # long tables continue (续表)
            word = [[c.text for c in row.cells] for row in next(word_tables).rows]
            assert word[0] == [str(c) for c in tb.data.columns], tb.key  # header repeated
            body += word[1:]
        assert body == [[str(v) for v in row] for row in tb.data.itertuples(index=False)]
        ws = wb[sheet]
        header = [c.value for c in ws[3]]
        shown = excel_frame(tb.data, "en")[0]  # an interval column in two: lower, upper
        assert header[: len(shown)] == shown, tb.key
    assert next(word_tables, None) is None


def test_docx_converts_to_pdf_with_libreoffice(tmp_path, en_files):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    files = en_files
    res = subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(files["report.docx"]),
        ],
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert res.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000


def test_chinese_report(tmp_path, example_result):
    res = example_result
    files = res.write_report(tmp_path / "zh", lang="zh", formats=("md",))
    text = files["report.md"].read_text(encoding="utf-8")
    assert "路径系数与假设检验" in text and "满意度" in text and "支持" in text
    assert "问卷回收与有效问卷" in text and "| 规律作答（所有题项答案相同） | 4 | 0 |" in text
