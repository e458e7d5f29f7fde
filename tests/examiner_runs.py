"""The runs the examiner tests read, made once per test session and shared by the pytest-xdist
workers (the first worker to need a run makes it under a file lock; the others read it).

Each run is the CLI's ``loyaltysem run`` as a user types it, both languages, every format.
Draws are fewer than the default (the rules do not depend on their number) to keep the suite
fast. ``docx_text`` reads a Word report as an examiner reads it: every paragraph and every
table cell, in document order.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SURVEYS = REPO / "tests" / "data" / "surveys"
OWN = REPO / "tests" / "data" / "own"
EXAMPLE_MODEL = REPO / "models" / "online_loyalty.toml"

#: name -> the arguments after ``loyaltysem run`` (``--out`` is added)
RUNS: dict[str, list[str]] = {
    "example": ["--bootstrap", "100"],
    "group": ["--group", "gender", "--bootstrap", "100"],
    "ordered": ["--ordered", "all", "--bootstrap", "60"],
    "pls": ["--method", "pls", "--bootstrap", "100"],
    "own": [
        str(SURVEYS / "corporate_reputation.csv"),
        "--model",
        str(OWN / "reputation_model.toml"),
        "--missing-codes",
        "-99",
        "--bootstrap",
        "100",
    ],  # fmt: skip
    # the double reversal: items recoded in the file and declared reverse = true
    "double_reversal": [
        str(OWN / "loyalty_recoded.csv"),
        "--model",
        str(EXAMPLE_MODEL),
        "--bootstrap",
        "0",
    ],  # fmt: skip
    "double_reversal_allowed": [
        str(OWN / "loyalty_recoded.csv"),
        "--model",
        str(EXAMPLE_MODEL),
        "--bootstrap",
        "0",
        "--allow-negative",
    ],  # fmt: skip
}


class Run:
    """One finished ``loyaltysem run``: its exit status, console output and report folder."""

    def __init__(self, folder: Path, status: int, stdout: str, stderr: str):
        self.folder, self.status, self.stdout, self.stderr = folder, status, stdout, stderr

    def path(self, name: str, lang: str = "en") -> Path:
        return self.folder / name if lang == "en" else self.folder / lang / name

    def docx_text(self, lang: str = "en") -> str:
        return docx_text(self.path("report.docx", lang))

    def text(self, name: str, lang: str = "en") -> str:
        return self.path(name, lang).read_text(encoding="utf-8-sig")

    def json(self, name: str = "sem.json", lang: str = "en") -> dict:
        return json.loads(self.text(name, lang))


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a Word document, in document order, one per line."""
    path = Path(path)
    return _docx_text(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _docx_text(path: str, mtime: int) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = read_docx(path)
    lines = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, doc).text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def read_docx(path):
    """The Word document at ``path``, parsed once per worker while the file is unchanged
    (the examiner tests read the same reports many times; they never change them)."""
    path = Path(path)
    return _read_docx(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _read_docx(path: str, mtime: int):
    import docx

    return docx.Document(path)


def read_xlsx(path):
    """The workbook at ``path`` (openpyxl), parsed once per worker while the file is unchanged."""
    path = Path(path)
    return _read_xlsx(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _read_xlsx(path: str, mtime: int):
    import openpyxl

    return openpyxl.load_workbook(path)


def _run_cli(args: list[str], out: Path) -> tuple[int, str, str]:
    from loyaltysem.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main(["run", *args, "--out", str(out)])
        except SystemExit as exc:  # argparse errors
            status = exc.code if isinstance(exc.code, int) else 2
    return int(status or 0), stdout.getvalue(), stderr.getvalue()


def make_run(name: str, root: Path) -> Run:
    """The run ``name``, made once under ``root`` (shared by the xdist workers)."""
    out = root / name
    done = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            status, stdout, stderr = _run_cli(RUNS[name], out)
            done.write_text(json.dumps([status, stdout, stderr]), encoding="utf-8")
        status, stdout, stderr = json.loads(done.read_text(encoding="utf-8"))
    return Run(out, status, stdout, stderr)


@pytest.fixture(scope="session")
def runs_root(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session shares."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent
    folder = root / "examiner_runs"
    folder.mkdir(exist_ok=True)
    return folder


#: when the whole suite runs, each xdist worker makes its share of the runs before its first
#: test (two shares of about equal time), so that neither waits on the lock of a run the
#: other is still making
SHARES = (
    ("ordered", "own", "double_reversal"),
    ("group", "example", "pls", "double_reversal_allowed"),
)


@pytest.fixture(scope="session", autouse=True)
def _premade_runs(runs_root, request) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and len(request.session.items) > 1000:
        for name in SHARES[int(worker[2:]) % len(SHARES)]:
            make_run(name, runs_root)


@pytest.fixture(scope="session")
def examiner(runs_root):
    """``examiner("example")`` -> the finished :class:`Run`."""
    return lambda name: make_run(name, runs_root)
