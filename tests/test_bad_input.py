"""Bad input that used to slip through (issue 27): each case is refused with one line (exit
status 2 on the command line, ``InputError`` in the library), or accepted when it is right.

Tracebacks: 1e308 in ``screen`` without a model, a text missing code, an infinite value in
``sem``, ``parse_syntax(None)``. Silently accepted before: a missing code that is an answer,
fractional answers on a rating scale, a latent variable named like a column,
``--group-equal`` without ``--group``, a hypothesis on an unknown construct, more ML factors
than the data identify, ``power --n`` at or below the number of items, a duration column
that is a code, IDs "00001" and "1", model paths holding ``=`` or ``~``, and an argparse
error for a value holding a line break.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import loyaltysem as ls
from loyaltysem.base.errors import InputError
from loyaltysem.cli import main

REPO = Path(__file__).resolve().parents[1]
LOADERS = REPO / "tests" / "data" / "loaders"
CSV = (LOADERS / "small_survey.csv").read_text(encoding="utf-8")
TOML = (LOADERS / "small.toml").read_text(encoding="utf-8")
LAV = "SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3\nTRU ~ SAT\n"
POP = REPO / "models" / "online_loyalty_population.lav"
STRUCTURAL = '\n[structural]\nsyntax = """\nTRU ~ SAT\nLOY ~ TRU + SAT\n"""\n'


def _csv_with(edits: dict[tuple[int, str], str]) -> str:
    """The small survey with cells replaced: {(data row from 1, column): text}."""
    rows = [line.split(",") for line in CSV.splitlines()]
    for (row, column), value in edits.items():
        rows[row][rows[0].index(column)] = value
    return "\n".join(",".join(r) for r in rows) + "\n"


@pytest.fixture()
def work(tmp_path, monkeypatch):
    (tmp_path / "s.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "m.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "m.lav").write_text(LAV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(argv: list[str]) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = main(argv)
    assert "Traceback" not in err.getvalue() + out.getvalue()
    return rc, err.getvalue()


def _refused(argv: list[str], *fragments: str) -> str:
    rc, err = _run(argv)
    assert rc == 2, err
    assert len(err.splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err
    return err


# ---------------------------------------------------------------- former tracebacks


def test_huge_value_without_a_model(work):
    (work / "big.csv").write_text(_csv_with({(1, "TRU2"): "1e308"}), encoding="utf-8")
    _refused(["screen", "big.csv"], "big.csv: column 'TRU2', row 1", "1e+308 is too large")


def test_text_missing_code_in_the_library(work):
    with pytest.raises(InputError, match="missing code 'abc' is not a number"):
        ls.load("s.csv", missing_codes=["abc"])
    assert ls.load("s.csv", missing_codes=-99).n == 40  # one number alone is a list of one


def test_infinite_value_in_sem(work):
    frame = pd.read_csv("s.csv")
    frame.loc[1, "TRU1"] = np.inf
    with pytest.raises(InputError, match=r"column 'TRU1', row 2: infinite value"):
        ls.sem(LAV, frame)


def test_parse_syntax_of_none():
    with pytest.raises(InputError, match="model syntax must be text"):
        ls.parse_syntax(None)


# ---------------------------------------------------------------- missing codes


def test_missing_code_that_is_an_answer_is_refused_unless_forced(work):
    _refused(
        ["screen", "s.csv", "--model", "m.toml", "--missing-codes", "4"],
        "missing code 4 lies inside the scale (1-5)",
        "--force-missing-code",
    )
    argv = ["screen", "s.csv", "--model", "m.toml", "--missing-codes", "4", "--force-missing-code"]
    assert _run(argv)[0] == 0
    survey = ls.load("s.csv", "m.toml", missing_codes=[4], force_missing_code=True)
    assert not (survey.data["SAT1"] == 4).any()


def test_missing_code_inside_the_scale_the_answers_use(work):
    """No scale declared: the answers' own run of whole numbers is the scale; a code beside
    it (9 for 'no answer' next to 1-5) is fine."""
    with pytest.raises(InputError, match=r"inside the scale the answers use \(1-5\)"):
        ls.load("s.csv", "m.lav", missing_codes=[3])
    (work / "nine.csv").write_text(_csv_with({(2, "SAT1"): "9"}), encoding="utf-8")
    survey = ls.load("nine.csv", "m.lav", missing_codes=[9])
    assert np.isnan(survey.data["SAT1"].iloc[1])


def test_negative_code_lists_are_values_not_options(work):
    rc, err = _run(["screen", "s.csv", "--model", "m.toml", "--missing-codes", "-99,-98"])
    assert rc == 0, err


# ---------------------------------------------------------------- answers


def test_fractional_answer_on_a_rating_scale(work):
    (work / "f.csv").write_text(_csv_with({(5, "TRU3"): "4.5"}), encoding="utf-8")
    _refused(
        ["screen", "f.csv", "--model", "m.toml"],
        "f.csv: column 'TRU3', row 5: answer 4.5",
        "not a whole number on the 1-5 rating scale",
        "[scale] continuous = true",
    )
    (work / "c.toml").write_text(TOML.replace("max = 5\n", "max = 5\ncontinuous = true\n"))
    assert ls.load("f.csv", "c.toml").data["TRU3"].iloc[4] == 4.5
    assert ls.load("f.csv", "m.lav").data["TRU3"].iloc[4] == 4.5  # no scale declared
    with pytest.raises(InputError, match="not a whole number"):
        ls.load("f.csv", "m.lav", scale=(1, 5))


def test_continuous_must_be_a_boolean(work):
    (work / "c.toml").write_text(TOML.replace("max = 5\n", 'max = 5\ncontinuous = "yes"\n'))
    with pytest.raises(InputError, match="scale.continuous must be true or false"):
        ls.read_instrument("c.toml")


def test_duration_column_that_is_a_code(work):
    _refused(
        ["screen", "s.csv", "--model", "m.lav", "--duration-column", "gender"],
        "s.csv: column 'gender': only 2 distinct values among",
        "not a completion time",
    )
    (work / "neg.csv").write_text(_csv_with({(3, "duration"): "-5"}), encoding="utf-8")
    _refused(
        ["screen", "neg.csv", "--model", "m.toml"],
        "column 'duration', row 3: negative completion time -5",
    )
    assert _run(["screen", "s.csv", "--model", "m.lav", "--duration-column", "duration"])[0] == 0


# ---------------------------------------------------------------- respondent IDs


def test_ids_are_compared_as_text(work):
    (work / "ids.csv").write_text(_csv_with({(1, "id"): "00001", (2, "id"): "1"}), encoding="utf-8")
    survey = ls.load("ids.csv", "m.toml")
    assert survey.data["id"].iloc[:2].tolist() == ["00001", "1"]
    wb = openpyxl.Workbook()
    ws = wb.active
    for k, line in enumerate(CSV.splitlines()):
        cells = [v if k == 0 else float(v) if v.replace(".", "", 1).isdigit() else v
                 for v in line.split(",")]  # fmt: skip
        if k == 2:
            cells[0] = "1"  # text "1" beside the number 1 in row 1
        if k == 1:
            cells[0] = 1.0
        ws.append(cells)
    wb.save(work / "ids.xlsx")
    with pytest.raises(InputError, match=r"row 2: duplicate respondent ID '1' \(also in row 1"):
        ls.load("ids.xlsx", "m.toml")


def test_init_keeps_ids_with_leading_zeros_apart(work):
    from loyaltysem.pipeline.init_model import propose_model

    (work / "ids.csv").write_text(_csv_with({(1, "id"): "00001", (2, "id"): "1"}), encoding="utf-8")
    assert propose_model("ids.csv").id_column == "id"


# ---------------------------------------------------------------- models


def test_latent_variable_named_like_a_column(work):
    (work / "lat.lav").write_text("SAT1 =~ SAT2 + SAT3 + LOY1\nTRU =~ TRU1 + TRU2 + TRU3\n")
    _refused(
        ["fit", "s.csv", "--model", "lat.lav"],
        "column 'SAT1': 'SAT1' is a latent variable of the model",
        "also a column of the data",
    )


def test_group_equal_needs_a_group(work):
    _refused(
        ["fit", "s.csv", "--model", "m.lav", "--group-equal", "loadings"],
        "--group-equal loadings: equality constraints across groups need a group variable",
    )
    with pytest.raises(InputError, match="need a group variable"):
        ls.sem(LAV, pd.read_csv("s.csv"), group_partial=["SAT =~ SAT2"])


def test_hypothesis_on_an_unknown_construct(work):
    toml = TOML + STRUCTURAL + '\n[[hypotheses]]\nid = "H2"\npath = "XYZ ~ TRU"\n'
    (work / "h.toml").write_text(toml, encoding="utf-8")
    line = toml.splitlines().index('path = "XYZ ~ TRU"') + 1
    for command in ("screen", "reliability"):
        _refused(
            [command, "s.csv", "--model", "h.toml"],
            f"h.toml: line {line}: hypothesis H2: 'XYZ' in path 'XYZ ~ TRU' is not a construct",
        )
    ok = TOML + STRUCTURAL + '\n[[hypotheses]]\nid = "H1"\npath = "LOY ~ TRU"\n'
    (work / "ok.toml").write_text(ok, encoding="utf-8")
    assert [h.id for h in ls.read_instrument("ok.toml").hypotheses] == ["H1"]


def test_more_ml_factors_than_identified(work):
    from loyaltysem.psychometrics.efa import efa, max_ml_factors

    assert max_ml_factors(39) == 30  # (39 - 30)^2 = 81 >= 69; (39 - 31)^2 = 64 < 70
    assert all((p - max_ml_factors(p)) ** 2 >= p + max_ml_factors(p) for p in range(3, 60))
    argv = ["efa", "s.csv", "--model", "m.toml", "--method", "ml", "--n-factors", "6"]
    _refused(argv, "6 factors are more than maximum likelihood can identify from 9 items")
    items = ls.load("s.csv", "m.toml").data[["SAT1", "SAT2", "SAT3", "TRU1", "TRU2", "TRU3"]]
    assert efa(items, 3, "ml").loadings.shape == (6, 3)  # (6 - 3)^2 = 9 >= 9: identified
    with pytest.raises(InputError, match="at most 3"):
        efa(items, 4, "ml")


def test_power_n_at_or_below_the_number_of_items(work):
    _refused(
        ["power", "--model", str(POP), "--n", "20,200", "--reps", "10"],
        "N = 20 is not above the model's 39 observed variables",
    )


def test_model_paths_holding_syntax_characters(work):
    (work / "a=b").mkdir()
    (work / "a=b" / "model.lav").write_text(LAV, encoding="utf-8")
    (work / "my~model.lav").write_text(LAV, encoding="utf-8")
    frame = pd.read_csv("s.csv")
    for path in ("a=b/model.lav", "my~model.lav"):
        assert _run(["fit", "s.csv", "--model", path])[0] == 0
        assert ls.sem(path, frame).fit_measures["df"] == 8
        assert ls.read_instrument(path).construct_items["TRU"] == ["TRU1", "TRU2", "TRU3"]
    with pytest.raises(InputError, match="my~nope.lav: model file not found"):
        ls.sem("my~nope.lav", frame)  # not 'my ~ nope.lav'
    with pytest.raises(InputError, match="a=b: is a folder"):
        ls.sem("a=b", frame)


# ---------------------------------------------------------------- the CLI's error line


@pytest.mark.parametrize("value", ["\n", "a\nb", "\r\n", "x\u2028y"])
def test_argparse_errors_are_one_line(work, value):
    err = _refused(["fit", "missing.csv", "--model", "m.lav", "--steps", value])
    assert err.startswith("loyaltysem")


def test_file_name_with_a_line_break_is_one_line(work):
    _refused(["fit", "a\nb.csv", "--model", "m.lav"], "a\\nb.csv: file not found")
