"""Every bad input gets a one-line InputError naming file, column and row; the CLI exits 2
without a traceback; the input file is never modified."""

from __future__ import annotations

import contextlib
import hashlib
import io
from pathlib import Path

import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.survey.loaders import load

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "loaders"
MODEL = DATA / "small.toml"
CSV = (DATA / "small_survey.csv").read_text(encoding="utf-8")
LINES = CSV.splitlines()
HEADER = LINES[0].split(",")
TRUNCATED = CSV[: CSV.index("\n", 900) + 8]  # cut inside a row


def _edit(row: int, column: str, value: str) -> str:
    """The reference CSV with one cell replaced (row 1 = first data row)."""
    lines = list(LINES)
    cells = lines[row].split(",")
    cells[HEADER.index(column)] = value
    lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"


def _column(column: str, value: str) -> str:
    lines = [LINES[0]]
    for line in LINES[1:]:
        cells = line.split(",")
        cells[HEADER.index(column)] = value
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _truncated(name: str) -> bytes:
    raw = (DATA / name).read_bytes()
    return raw[: len(raw) // 2]


# name -> (file name, content, kwargs, expected message part, column, row)
CASES = {
    "empty": ("s.csv", b"", {}, "the file is empty", None, None),
    "blank": ("s.csv", b"  \n\n", {}, "the file is empty", None, None),
    "header_only": ("s.csv", LINES[0] + "\n", {}, "header but no data rows", None, None),
    "duplicate_column": (
        "s.csv",
        CSV.replace("SAT2", "SAT1", 1),
        {},
        "duplicate column name",
        "SAT1",
        None,
    ),
    "absent_item": (
        "s.csv",
        CSV.replace("TRU2", "TRUST2", 1),
        {},
        "item TRU2 is named in the instrument but is not in the data",
        "TRU2",
        None,
    ),
    "text_in_item": (
        "s.csv",
        _edit(7, "SAT3", "abc"),
        {},
        "text 'abc' in a numeric item",
        "SAT3",
        7,
    ),
    "out_of_scale": ("s.csv", _edit(4, "TRU1", "-99"), {}, "outside the scale 1-5", "TRU1", 4),
    "entirely_missing": ("s.csv", _column("LOY2", ""), {}, "entirely missing", "LOY2", None),
    "zero_variance": ("s.csv", _column("SAT1", "3"), {}, "zero variance", "SAT1", None),
    "duplicate_id": (
        "s.csv",
        _edit(9, "id", "1003"),
        {},
        "duplicate respondent ID '1003'",
        "id",
        9,
    ),
    "ragged_row": (
        "s.csv",
        _edit(5, "city", "北京,x"),
        {},
        "has 16 fields but the header has 15",
        None,
        5,
    ),
    "truncated_csv": ("s.csv", TRUNCATED, {}, "truncated", None, TRUNCATED.count("\n")),
    "corrupt_sav": ("s.sav", _truncated("small_survey.sav"), {}, "not a readable SPSS", None, None),
    "garbage_sav": ("s.sav", b"this is not spss" * 40, {}, "not a readable SPSS", None, None),
    "corrupt_xlsx": (
        "s.xlsx",
        _truncated("small_survey.xlsx"),
        {},
        "not a readable Excel",
        None,
        None,
    ),
    "corrupt_dta": (
        "s.dta",
        _truncated("small_survey.dta"),
        {},
        "not a readable Stata",
        None,
        None,
    ),
    "wrong_encoding": (
        "s.csv",
        (DATA / "small_survey_gbk.csv").read_bytes(),
        {"encoding": "utf-8"},
        "cannot decode the file as utf-8",
        None,
        None,
    ),
    "unknown_encoding": ("s.csv", CSV, {"encoding": "klingon"}, "unknown encoding", None, None),
    "no_such_sheet": (
        "s.xlsx",
        (DATA / "small_survey.xlsx").read_bytes(),
        {"sheet": "Sheet9"},
        "no sheet named 'Sheet9'",
        None,
        None,
    ),
    "unknown_type": ("s.pdf", b"%PDF-1.4", {}, "unknown file type '.pdf'", None, None),
}


def _write(tmp_path: Path, case: str) -> tuple[Path, dict, str, str | None, int | None]:
    name, content, kwargs, message, column, row = CASES[case]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path, kwargs, message, column, row


@pytest.mark.parametrize("case", sorted(CASES))
def test_api_raises_input_error(tmp_path, case):
    path, kwargs, message, column, row = _write(tmp_path, case)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputError) as exc:
        load(path, MODEL, **kwargs)
    err = exc.value
    assert message in str(err)
    assert str(err).startswith(f"{path}: ")
    assert err.file == str(path)
    assert err.column == column
    assert err.row == row
    assert "\n" not in str(err)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_exits_2_with_one_line(tmp_path, case):
    from loyaltysem.cli import main

    path, kwargs, message, column, row = _write(tmp_path, case)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    argv = ["screen", str(path), "--model", str(MODEL), "--out", str(tmp_path / "out")]
    for key, value in kwargs.items():
        argv += [f"--{key}", value]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = main(argv)
    assert rc == 2
    text = err.getvalue()
    assert "Traceback" not in text
    assert text.count("\n") == 1
    assert text.startswith("loyaltysem screen: error: ")
    assert message in text
    if column:
        assert f"column '{column}'" in text
    if row:
        assert f"row {row}" in text
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "out").exists()


def test_cli_subprocess_no_traceback(tmp_path):
    import subprocess
    import sys

    path, *_ = _write(tmp_path, "text_in_item")
    proc = subprocess.run(
        [sys.executable, "-m", "loyaltysem", "screen", str(path), "--model", str(MODEL)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith(
        "column 'SAT3', row 7: text 'abc' in a numeric item (respondent ID 1007), and no value "
        "label or scale label explains it"
    )
