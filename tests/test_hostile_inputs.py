"""Hostile inputs through the CLI: each row gives argv, the expected exit status and a
fragment of the one-line message. Every case also checks that no traceback is printed,
that no file outside the output folder was created, changed or deleted, and that an error
is exactly one line.

Families: output paths (data loss), option values (bounds, abbreviations), TOML model files
(types, keys, lines), data files (ragged rows, missing codes, spreadsheets, binary), model
paths and syntax, and escape sequences from the data.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from loyaltysem.cli import main

REPO = Path(__file__).resolve().parents[1]
LOADERS = REPO / "tests" / "data" / "loaders"
TOML = (LOADERS / "small.toml").read_text(encoding="utf-8")
CSV = (LOADERS / "small_survey.csv").read_text(encoding="utf-8")
LAV = "SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3\nTRU ~ SAT\n"
POP = (
    "SAT =~ 0.8*SAT1 + 0.7*SAT2 + 0.7*SAT3\nTRU =~ 0.8*TRU1 + 0.7*TRU2 + 0.6*TRU3\nTRU ~ 0.3*SAT\n"
)


def _cells(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def _csv_with(row: int, column: str, value: str) -> str:
    rows = _cells(CSV)
    rows[row][rows[0].index(column)] = value
    return "\n".join(",".join(r) for r in rows) + "\n"


def _csv_short_row(row: int) -> str:
    rows = _cells(CSV)
    rows[row] = rows[row][:-1]
    return "\n".join(",".join(r) for r in rows) + "\n"


def _toml(old: str, new: str) -> str:
    assert old in TOML, old
    return TOML.replace(old, new, 1)


def _xlsx(path: Path, edit) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in _cells(CSV):
        ws.append([float(v) if v.replace(".", "", 1).isdigit() else v for v in r])
    edit(ws)
    wb.save(path)


@pytest.fixture()
def work(tmp_path, monkeypatch):
    """A user's folder: data, models, a foreign file and a data sub-folder."""
    (tmp_path / "survey.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "model.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "model.lav").write_text(LAV, encoding="utf-8")
    (tmp_path / "pop.lav").write_text(POP, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("my thesis notes\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    shutil.copy(tmp_path / "survey.csv", tmp_path / "data" / "survey.csv")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _run(argv: list[str]) -> tuple[int, str, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


D, M, L = "survey.csv", "model.toml", "model.lav"
FIT = ["fit", D, "--model", L]

# id -> (files to write {name: text | callable(path)}, argv, exit status, message fragment)
CASES: dict[str, tuple[dict, list[str], int, str]] = {
    # ---- output paths: never lose a user's file
    "out_is_data_folder": (
        {},
        ["screen", "data/survey.csv", "--model", M, "--out", "data"],
        2,
        "holds files loyaltysem did not write",
    ),
    "out_is_cwd": ({}, ["screen", D, "--model", M, "--out", "."], 2, "did not write"),
    "out_is_a_file": ({}, ["screen", D, "--model", M, "--out", "notes.txt"], 2, "is a file"),
    "out_is_dev_null": ({}, ["screen", D, "--model", M, "--out", "/dev/null"], 2, "not a folder"),
    "run_out_is_cwd": ({}, ["run", D, "--model", M, "--out", "."], 2, "did not write"),
    "power_out_is_cwd": ({}, ["power", "--model", "pop.lav", "--out", "."], 2, "did not write"),
    "json_over_data": ({}, [*FIT, "--json", D], 2, "is an input file"),
    "json_over_model": ({}, [*FIT, "--json", L], 2, "is an input file"),
    "json_over_foreign": ({}, [*FIT, "--json", "notes.txt"], 2, "not written by loyaltysem"),
    "json_is_folder": ({}, [*FIT, "--json", "empty"], 2, "is a folder"),
    "json_dev_null": ({}, [*FIT, "--json", "/dev/null"], 2, "not a regular file"),
    "screen_json_over_data": ({}, ["screen", D, "--model", M, "--json", D], 2, "input file"),
    "out_holds_input": (
        {"res/survey.csv": CSV, "res/.loyaltysem-output": "{}"},
        ["screen", "res/survey.csv", "--model", M, "--out", "res"],
        2,
        "holds the input file",
    ),
    # ---- option values
    "bootstrap_negative": ({}, [*FIT, "--bootstrap", "-1"], 2, "--bootstrap -1 must be"),
    "bootstrap_huge": ({}, [*FIT, "--bootstrap", "1000000000"], 2, "at most 100,000"),
    "bootstrap_text": ({}, [*FIT, "--bootstrap", "many"], 2, "invalid int value"),
    "seed_negative": ({}, [*FIT, "--seed", "-1"], 2, "--seed -1 must be"),
    "jobs_zero": ({}, [*FIT, "--jobs", "0"], 2, "--jobs 0 must be at least 1"),
    "n_iter_zero": ({}, ["efa", D, "--model", M, "--n-iter", "0"], 2, "--n-iter 0"),
    "reps_zero": ({}, ["power", "--model", "pop.lav", "--reps", "0"], 2, "--reps 0"),
    "power_n_huge": ({}, ["power", "--model", "pop.lav", "--n", "100000000"], 2, "--n"),
    "power_alpha": ({}, ["power", "--model", "pop.lav", "--alpha", "2"], 2, "--alpha 2 must be"),
    "steps_empty": (
        {},
        ["invariance", D, "--model", L, "--group", "gender", "--steps", ""],
        2,
        "--steps",
    ),
    "steps_unknown": (
        {},
        ["invariance", D, "--model", L, "--group", "gender", "--steps", "configural,weak"],
        2,
        "weak",
    ),
    "run_ordered_unknown_item": (
        {},
        ["run", "--ordered", "SAT1,NOPE9", "--out", "rep"],
        2,
        "'NOPE9'",
    ),
    "run_ordered_with_ml": (
        {},
        ["run", "--ordered", "all", "--estimator", "ml", "--out", "rep"],
        2,
        "WLSMV",
    ),
    "abbreviated_option": (
        {},
        ["fit", D, "--model", L, "--miss", "fiml"],
        2,
        "unrecognized arguments",
    ),
    "unknown_estimator": ({}, [*FIT, "--estimator", "gls"], 2, "invalid choice"),
    # ---- TOML model files: types, keys, lines
    "toml_constructs_text": (
        {"bad.toml": 'constructs = "SAT"\n'},
        ["screen", D, "--model", "bad.toml"],
        2,
        "line 1",
    ),
    "toml_items_number": (
        {"bad.toml": _toml('items = ["SAT1", "SAT2", "SAT3"]', "items = 5")},
        ["screen", D, "--model", "bad.toml"],
        2,
        "'items' must be a list",
    ),
    "toml_code_number": (
        {"bad.toml": _toml('code = "SAT"', "code = 17")},
        ["screen", D, "--model", "bad.toml"],
        2,
        "code must be a construct",
    ),
    "toml_min_text": (
        {"bad.toml": _toml("min = 1", 'min = "one"')},
        ["screen", D, "--model", "bad.toml"],
        2,
        "scale.min must be a number",
    ),
    "toml_reverse_no": (
        {"bad.toml": _toml("reverse = true", 'reverse = "no"')},
        ["screen", D, "--model", "bad.toml"],
        2,
        "reverse must be true or false",
    ),
    "toml_item_without_code": (
        {"bad.toml": _toml('{ code = "LOY1" }', "{ reverse = false }")},
        ["screen", D, "--model", "bad.toml"],
        2,
        "has no 'code'",
    ),
    "toml_unknown_item_key": (
        {"bad.toml": _toml("reverse = true", "revers = true")},
        ["screen", D, "--model", "bad.toml"],
        2,
        "unknown key 'revers'",
    ),
    "toml_bad_sign": (
        {"bad.toml": TOML + '[[hypotheses]]\nid = "H1"\npath = "LOY ~ SAT"\nsign = "up"\n'},
        ["screen", D, "--model", "bad.toml"],
        2,
        "sign must be",
    ),
    "toml_label_value_text": (
        {"bad.toml": _toml('{ value = 1, en = "Male"', '{ value = "m", en = "Male"')},
        ["screen", D, "--model", "bad.toml"],
        2,
        "value must be a number",
    ),
    "toml_structural_syntax": (
        {"bad.toml": TOML + '[structural]\nsyntax = """\nLOY ~ SAT\nTRU => SAT\n"""\n'},
        ["screen", D, "--model", "bad.toml"],
        2,
        f"line {TOML.count(chr(10)) + 4}",
    ),
    "toml_not_toml": (
        {"bad.toml": "[[constructs]\n"},
        ["screen", D, "--model", "bad.toml"],
        2,
        "not a valid TOML",
    ),
    # ---- data files
    "short_row_in_middle": (
        {"s.csv": _csv_short_row(5)},
        ["screen", "s.csv", "--model", M],
        2,
        "row 5: the row has 14 fields",
    ),
    "minus_99_plain_model": (
        {"s.csv": _csv_with(3, "SAT2", "-99")},
        ["reliability", "s.csv", "--model", L],
        2,
        "--missing-codes -99",
    ),
    "huge_value_plain_model": (
        {"s.csv": _csv_with(3, "SAT2", "1e308")},
        ["reliability", "s.csv", "--model", L],
        2,
        "outside the 1-5",
    ),
    "huge_value_scale": (
        {"s.csv": _csv_with(3, "SAT2", "1e308")},
        ["screen", "s.csv", "--model", M],
        2,
        "outside the scale",
    ),
    "random_bytes": (
        {"s.csv": bytes(range(256)) * 40},
        ["screen", "s.csv", "--model", M],
        2,
        "binary data",
    ),
    "excel_boolean": (
        {"s.xlsx": lambda p: _xlsx(p, lambda ws: ws.cell(4, 5, True))},
        ["screen", "s.xlsx", "--model", M],
        2,
        "TRUE/FALSE",
    ),
    "excel_formula": (
        {"s.xlsx": lambda p: _xlsx(p, lambda ws: ws.cell(4, 5, "=F4+1"))},
        ["screen", "s.xlsx", "--model", M],
        2,
        "formula with no saved value",
    ),
    "excel_merged": (
        {"s.xlsx": lambda p: _xlsx(p, lambda ws: ws.merge_cells("E3:E5"))},
        ["screen", "s.xlsx", "--model", M],
        2,
        "merged cell",
    ),
    "escape_in_cell": (
        {"s.csv": _csv_with(2, "SAT1", "\x1b[31mred")},
        ["screen", "s.csv", "--model", M],
        2,
        "[31mred",
    ),
    "declared_column_absent": (
        {"col.toml": _toml('{ code = "LOY1" }', '{ code = "LOY1", column = "Q7" }')},
        ["screen", D, "--model", "col.toml"],
        2,
        "column Q7",
    ),
    # ---- model paths and syntax
    "model_is_folder": ({}, [*FIT[:3], "data"], 2, "is a folder"),
    "model_missing": ({}, [*FIT[:3], "nope.lav"], 2, "model file not found"),
    "model_is_data": ({}, [*FIT[:3], D], 2, "model"),
    "model_syntax_start_text": (
        {"m.lav": "SAT =~ start(abc)*SAT1 + SAT2 + SAT3\n"},
        [*FIT[:3], "m.lav"],
        2,
        "line 1",
    ),
    "data_missing": ({}, ["fit", "nope.csv", "--model", L], 2, "file not found"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input(work, case):
    files, argv, status, fragment = CASES[case]
    for name, content in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = _snapshot(work)
    rc, out, err = _run(argv)
    assert rc == status, (rc, err)
    assert "Traceback" not in err + out
    assert fragment in err, err
    if status == 2:
        assert err.count("\n") == 1, err
        assert "\x1b" not in err
    assert _snapshot(work) == before  # nothing created, changed or deleted


def test_output_folder_rule_keeps_foreign_files(work):
    """A folder loyaltysem wrote may be written again; files the user added there stay."""
    argv = ["screen", D, "--model", M, "--out", "res"]
    assert _run(argv)[0] == 0
    assert (work / "res" / ".loyaltysem-output").is_file()
    (work / "res" / "my_notes.txt").write_text("keep me", encoding="utf-8")
    assert _run(argv)[0] == 0
    assert (work / "res" / "my_notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not [p for p in work.iterdir() if "loyaltysem-tmp" in p.name]


def test_json_may_replace_its_own_file(work):
    argv = ["reliability", D, "--model", M, "--json", "rel.json"]
    assert _run(argv)[0] == 0
    assert _run(argv)[0] == 0


def test_jobs_capped_with_a_note(work):
    rc, _, err = _run([*FIT, "--jobs", "500"])
    assert rc == 0
    assert f"capped at the machine's {os.cpu_count()} cores" in err


def test_leading_zero_ids_stay_text(work):
    from loyaltysem.survey.loaders import load

    text = CSV.replace("\n1001.0,", "\n0001,", 1)
    (work / "ids.csv").write_text(text, encoding="utf-8")
    survey = load(work / "ids.csv", work / M)
    assert survey.data["id"].iloc[0] == "0001"


def test_path_with_syntax_characters_is_a_file(work):
    (work / "a=b~c.lav").write_text(LAV, encoding="utf-8")
    rc, _, err = _run(["fit", D, "--model", "a=b~c.lav"])
    assert rc == 0, err


def test_stale_temporary_folders_are_removed(work):
    stale = work / ".res.loyaltysem-tmp-999999999-abc"
    stale.mkdir()
    (stale / "half.csv").write_text("x", encoding="utf-8")
    assert _run(["screen", D, "--model", M, "--out", "res"])[0] == 0
    assert not stale.exists()


# ---------------------------------------------------------------- the library API


def _api_cases(work: Path):
    import pandas as pd

    import loyaltysem as ls
    from loyaltysem.analyses.power import monte_carlo_power
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    frame = pd.read_csv(work / D)
    fit = ls.sem(LAV, frame[["SAT1", "SAT2", "SAT3", "TRU1", "TRU2", "TRU3"]])
    return {
        "load_dataframe": lambda: ls.load(frame),
        "read_instrument_dataframe": lambda: ls.read_instrument(frame),
        "sem_model_none": lambda: ls.sem(None, frame),
        "sem_model_dataframe": lambda: ls.sem(frame, frame),
        "sem_model_folder": lambda: ls.sem(work / "data", frame),
        "sem_empty_syntax": lambda: ls.sem("   \n ", frame),
        "bootstrap_text": lambda: bootstrap(fit, "100"),
        "bootstrap_huge": lambda: bootstrap(fit, 10**9),
        "bootstrap_seed_negative": lambda: bootstrap(fit, 10, seed=-1),
        "power_reps_text": lambda: monte_carlo_power(POP, [100], reps="5"),
    }


API_CASES = [
    "load_dataframe",
    "read_instrument_dataframe",
    "sem_model_none",
    "sem_model_dataframe",
    "sem_model_folder",
    "sem_empty_syntax",
    "bootstrap_text",
    "bootstrap_huge",
    "bootstrap_seed_negative",
    "power_reps_text",
]


@pytest.mark.parametrize("case", API_CASES)
def test_api_raises_documented_errors(work, case):
    from loyaltysem.base.errors import InputError

    call = _api_cases(work)[case]
    before = _snapshot(work)
    with pytest.raises(InputError) as exc:
        call()
    assert "\n" not in str(exc.value)
    assert _snapshot(work) == before


def test_write_report_refuses_a_foreign_folder(work):
    from loyaltysem.base.errors import OutputError
    from loyaltysem.base.fileio import atomic_directory

    before = _snapshot(work)
    with pytest.raises(OutputError), atomic_directory(work / "data") as tmp:
        (tmp / "x.csv").write_text("x", encoding="utf-8")
    assert _snapshot(work) == before
    assert not [p for p in work.iterdir() if "loyaltysem-tmp" in p.name]


# ---------------------------------------------------------------- property tests

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(row=st.integers(1, 39), drop=st.integers(1, 3), extra=st.booleans())
def test_ragged_rows_are_refused_with_their_row(tmp_path_factory, row, drop, extra):
    from loyaltysem.base.errors import InputError
    from loyaltysem.survey.loaders import load

    rows = _cells(CSV)
    rows[row] = rows[row] + ["x"] * drop if extra else rows[row][:-drop]
    path = tmp_path_factory.mktemp("ragged") / "s.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(path, LOADERS / "small.toml")
    assert exc.value.row == row


_VALUES = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(max_size=5),
    st.lists(st.integers(0, 3), max_size=2),
)
_KEYS = ["code", "items", "reverse", "min", "max", "value", "sign", "column", "name", "path"]


def _toml_value(v) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return repr(v)


@_SETTINGS
@given(key=st.sampled_from(_KEYS), value=_VALUES, nth=st.integers(0, 3))
def test_random_toml_types_give_instrument_errors(tmp_path_factory, key, value, nth):
    """Replace the nth occurrence of a key's value with a value of a random type: the
    result is a valid instrument or an InstrumentError, never another exception."""
    import re

    from loyaltysem.base.errors import InstrumentError
    from loyaltysem.survey.instrument import read_instrument

    hits = list(re.finditer(rf"\b{key} = ([^,\n}}]+)", TOML))
    if not hits:
        return
    m = hits[nth % len(hits)]
    text = TOML[: m.start(1)] + _toml_value(value) + TOML[m.end(1) :]
    path = tmp_path_factory.mktemp("toml") / "m.toml"
    path.write_text(text, encoding="utf-8")
    try:
        read_instrument(path)
    except InstrumentError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith(str(path))


_OPTIONS = ["--bootstrap", "--seed", "--jobs", "--n-iter", "--reps", "--alpha", "--steps"]


@_SETTINGS
@given(
    command=st.sampled_from(["fit", "efa", "reliability", "screen", "invariance", "power"]),
    option=st.sampled_from(_OPTIONS),
    value=st.one_of(st.integers(-(10**12), 10**12).map(str), st.text(max_size=6), st.just("")),
)
def test_random_option_values_never_trace_back(command, option, value):
    """Any value of any numeric option: exit 0 or 2 and never a traceback. The data file
    does not exist, so a value that passes validation stops at 'file not found'."""
    argv = [command, "missing.csv", "--model", "missing.lav", option, value]
    if command == "power":
        argv = ["power", "--model", "missing.lav", option, value]
    if command == "invariance":
        argv += ["--group", "g"]
    rc, out, err = _run(argv)
    assert rc == 2
    assert "Traceback" not in err + out
    assert [line for line in err.splitlines() if ": note: " not in line] == [
        err.splitlines()[-1]
    ], err


# ---------------------------------------------------------------- signals and pipes


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_sigterm_stops_workers_and_leaves_nothing(work):
    import signal
    import subprocess
    import sys
    import time

    argv = [sys.executable, "-m", "loyaltysem", "fit", D, "--model", L, "--bootstrap", "100000"]
    argv += ["--jobs", "2", "--seed", "1", "--json", "out.json"]
    before = _snapshot(work)
    proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    time.sleep(2)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()]
    assert not alive, f"worker processes left running: {alive}"
    assert _snapshot(work) == before


def test_closed_pipe_ends_quietly(work):
    """``loyaltysem ... --json - | head``: the reader is gone before the JSON is written."""
    import subprocess
    import sys

    argv = [sys.executable, "-m", "loyaltysem", "reliability", D, "--model", M, "--json", "-"]
    proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like head after its first lines: every write now fails
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err
    assert "BrokenPipe" not in err
    assert proc.returncode == 0


def test_disk_full_is_one_line_and_leaves_no_part_file(work, monkeypatch):
    import errno
    import os as _os

    real = _os.fdopen

    def full(fd, *args, **kwargs):
        fh = real(fd, *args, **kwargs)

        def write(data):
            raise OSError(errno.ENOSPC, "No space left on device")

        fh.write = write
        return fh

    monkeypatch.setattr("loyaltysem.base.fileio.os.fdopen", full)
    before = _snapshot(work)
    rc, _, err = _run(["reliability", D, "--model", M, "--json", "rel.json"])
    assert rc == 2
    assert "No space left on device" in err and err.count("\n") == 1
    assert _snapshot(work) == before


def test_estimation_error_names_the_files(work):
    (work / "bad.lav").write_text("F =~ SAT1 + SAT2\n", encoding="utf-8")
    rc, _, err = _run(["fit", D, "--model", "bad.lav"])
    if rc == 0:
        pytest.skip("this model happened to be estimable")
    assert rc == 2
    assert "survey.csv" in err and "bad.lav" in err


def test_scale_option_checks_answers(work):
    (work / "s.csv").write_text(_csv_with(3, "SAT2", "6"), encoding="utf-8")
    rc, _, err = _run(["reliability", "s.csv", "--model", L, "--scale", "1-5"])
    assert rc == 2 and "outside the scale 1-5" in err and "row 3" in err
    rc, _, err = _run(["reliability", "s.csv", "--model", L, "--scale", "1-7"])
    assert rc == 0, err


def test_formula_text_in_data_is_neutralised_in_csv_outputs(work):
    text = CSV.replace("北京", '=HYPERLINK("http://x")', 1).replace("上海", "@SUM(A1)", 1)
    (work / "s.csv").write_text(text, encoding="utf-8")
    assert _run(["screen", "s.csv", "--model", M, "--out", "res"])[0] == 0
    written = (work / "res" / "screened_data.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in written and "'@SUM" in written
    assert ",=HYPERLINK" not in written and ",@SUM" not in written
