"""Examiner rule "reproducible by default" (issue 23, "What to build" item 2): the same
``loyaltysem run`` gives the same report whatever the number of worker processes - run once
in this process (the default for 100 draws) and once with ``--jobs 2`` (the draws in worker
processes), without a seed (the default seed). "The same" means every file of both folders
(English and zh) byte for byte; the contents are compared first, so a failure names what
differs: the Word report as the text an examiner reads, tables.xlsx cell by cell, every CSV,
sem.json (docs/architecture.md, "Randomness")."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from examiner_runs import RUNS, _run_cli, docx_text


@pytest.fixture(scope="module")
def two_runs(examiner, tmp_path_factory) -> tuple[Path, Path]:
    """The shared example run (its 100 draws in this process, the default) and the same run
    with ``--jobs 2``."""
    one = examiner("example")
    assert one.status == 0, one.stderr[-2000:]
    folder = tmp_path_factory.mktemp("repro") / "jobs2"
    status, _, stderr = _run_cli([*RUNS["example"], "--jobs", "2"], folder)
    assert status == 0, stderr[-2000:]
    return one.folder, folder


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _diff(a: str, b: str) -> str:
    return "\n".join(list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm=""))[:20])


def _cells(path: Path) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in wb]


@pytest.mark.slow
def test_same_files(two_runs):
    a, b = two_runs
    assert _files(a) == _files(b)
    assert any(name.startswith("zh/") for name in _files(a))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_same_chapter_text(two_runs, lang):
    a, b = two_runs
    ta, tb = docx_text(a / f"{lang}report.docx"), docx_text(b / f"{lang}report.docx")
    assert ta == tb, _diff(ta, tb)
    for name in ("report.md", "report.tex", "report.html"):
        ta, tb = (a / f"{lang}{name}").read_text("utf-8"), (b / f"{lang}{name}").read_text("utf-8")
        assert ta == tb, f"{lang}{name}:\n{_diff(ta, tb)}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_same_numbers(two_runs, lang):
    a, b = two_runs
    csvs = [n for n in _files(a) if n.endswith(".csv") and n.startswith(lang) and
            (lang or "/" not in n)]  # fmt: skip
    assert csvs
    for name in csvs:
        ta, tb = (a / name).read_text("utf-8-sig"), (b / name).read_text("utf-8-sig")
        assert ta == tb, f"{name}:\n{_diff(ta, tb)}"
    ja, jb = (json.loads((x / f"{lang}sem.json").read_text("utf-8")) for x in (a, b))
    assert ja == jb
    assert _cells(a / f"{lang}tables.xlsx") == _cells(b / f"{lang}tables.xlsx")


@pytest.mark.slow
def test_same_bytes(two_runs):
    """Every file, the Word and Excel files and the figures too: no time stamp (the zip
    members' times, Office's created / modified properties, SVG and PDF dates) nor random id
    (SVG) in any of them."""
    a, b = two_runs
    differ = [n for n in _files(a) if (a / n).read_bytes() != (b / n).read_bytes()]
    assert not differ, f"files that differ byte for byte: {differ}"


def test_office_files_carry_no_time():
    """A Word file written twice, a second apart: the same bytes (zip members stamped
    1980-01-01, no created / modified property, no writing library named)."""
    import io
    import time
    import zipfile

    import docx

    from loyaltysem.base.fileio import ZIP_TIME, stable_zip

    def written() -> bytes:
        buf = io.BytesIO()
        doc = docx.Document()
        doc.add_paragraph("表4-1")
        doc.core_properties.modified = __import__("datetime").datetime.now()
        doc.save(buf)
        return stable_zip(buf.getvalue())

    first = written()
    time.sleep(1.1)
    assert written() == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {ZIP_TIME}
    core = archive.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert "python-docx" not in core
    assert docx.Document(io.BytesIO(first)).paragraphs[0].text == "表4-1"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_carry_no_time_nor_random_ids(fmt):
    import io
    import time

    from loyaltysem.base import plotting

    def written() -> bytes:
        fig = plotting.figure(2, 2)
        ax = fig.add_subplot()
        ax.plot([1, 2, 3], [2, 1, 3])
        ax.set_title("Loyalty")
        buf = io.BytesIO()
        plotting.savefig(fig, buf, fmt)
        return buf.getvalue()

    first = written()
    time.sleep(1.1)
    assert written() == first
