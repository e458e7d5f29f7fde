"""One small survey saved in every supported format loads to the same frame.

The files are made by tests/data/loaders/make_loader_data.py (committed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load, read_table

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "loaders"
MODEL = DATA / "small.toml"
ITEMS = ["SAT1", "SAT2", "SAT3", "TRU1", "TRU2", "TRU3", "LOY1", "LOY2", "LOY3"]

# file -> columns the format cannot carry (SPSS portable and SAS transport are ASCII-only)
FORMATS = {
    "small_survey_bom.csv": set(),
    "small_survey_gbk.csv": set(),
    "small_survey.tsv": set(),
    "small_survey.xlsx": set(),
    "small_survey.sav": set(),
    "small_survey.zsav": set(),
    "small_survey.por": {"city"},
    "small_survey.dta": set(),
    "small_survey.xpt": {"city"},
    "small_survey.sas7bdat": {"city"},
    "small_survey_labels_zh.csv": set(),
    "small_survey_labels_en.csv": set(),
}
LABELLED = ["small_survey.sav", "small_survey.zsav", "small_survey.dta"]


@pytest.fixture(scope="module")
def base():
    return load(DATA / "small_survey.csv", MODEL)


def test_reference_csv(base):
    df = base.data
    assert df.shape == (40, 15)
    assert (df[ITEMS].dtypes == np.float64).all()
    assert base.recoded == ["LOY3"]
    assert any("recoded as 1 + 5 - x: LOY3" in line for line in base.log)
    raw = pd.read_csv(DATA / "small_survey.csv")
    np.testing.assert_array_equal(df["LOY3"].to_numpy(), 6 - raw["LOY3"].to_numpy())
    assert int(df[ITEMS].isna().sum().sum()) == int(raw[ITEMS].isna().sum().sum()) == 12
    assert df["city"].iloc[:5].tolist() == ["北京", "上海", "广州", "深圳", "成都"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_gives_the_same_frame(base, name):
    sheet = "data" if name.endswith(".xlsx") else None
    s = load(DATA / name, MODEL, sheet=sheet)
    expected = base.data.drop(columns=sorted(FORMATS[name]))
    pd.testing.assert_frame_equal(s.data, expected)
    assert s.recoded == ["LOY3"]


@pytest.mark.parametrize("name", LABELLED)
def test_labels_survive(name):
    s = load(DATA / name, MODEL)
    assert s.variable_labels["duration"] == "Completion time (seconds)"
    assert s.variable_labels["city"] == "City"
    assert s.value_labels["gender"] == {1.0: "Male", 2.0: "Female"}
    assert s.value_labels["SAT1"][5.0] == "Strongly agree"


def test_variable_labels_in_transport_formats():
    for name in ("small_survey.por", "small_survey.xpt"):
        s = load(DATA / name, MODEL)
        assert s.variable_labels["SAT1"] == "Item SAT1"
        assert s.variable_labels["ATT1"] == "Attention check: choose Agree"


def test_spss_user_missing_is_missing_and_logged():
    s = load(DATA / "small_survey.sav", MODEL)
    assert s.data["SAT2"].isna().sum() == 3
    assert any("user-defined missing values: 3" in line for line in s.log)


def test_text_labels_are_mapped_and_logged():
    s = load(DATA / "small_survey_labels_zh.csv", MODEL)
    assert any("text answers mapped" in line for line in s.log)
    assert s.data["gender"].dropna().isin([1.0, 2.0]).all()


def test_text_labels_off_rejects_text():
    from loyaltysem.base.errors import InputError

    with pytest.raises(InputError, match="text '.*' in a numeric item") as exc:
        load(DATA / "small_survey_labels_en.csv", MODEL, text_labels=False)
    assert exc.value.column == "SAT1" and exc.value.row == 1


def test_rename_map_from_the_instrument(tmp_path, base):
    text = MODEL.read_text(encoding="utf-8")
    head = text[: text.index("[[constructs]]")]
    tail = text[text.index("[[attention_checks]]") :]
    body = ""
    for k, code in enumerate(["SAT", "TRU", "LOY"]):
        entries = []
        for i, item in enumerate(ITEMS[3 * k : 3 * k + 3], start=3 * k):
            rev = ", reverse = true" if item == "LOY3" else ""
            entries.append(f'{{ code = "{item}", column = "Q{i + 5}_1"{rev} }}')
        body += f'[[constructs]]\ncode = "{code}"\nitems = [{", ".join(entries)}]\n\n'
    model = tmp_path / "renamed.toml"
    model.write_text(head + body + tail, encoding="utf-8")
    inst = read_instrument(model)
    assert inst.rename_map["Q5_1"] == "SAT1"
    s = load(DATA / "small_survey_platform.csv", inst)
    pd.testing.assert_frame_equal(s.data, base.data)
    assert s.recoded == ["LOY3"]
    assert any(line.startswith("renamed columns: Q5_1 -> SAT1") for line in s.log)


def test_missing_codes_every_column(tmp_path):
    p = tmp_path / "codes.csv"
    p.write_text("id,a,b,note\n1,5,-99,x\n2,-99,3,-99\n3,4,2,y\n", encoding="utf-8")
    s = load(p, missing_codes=[-99])
    assert s.data["a"].isna().tolist() == [False, True, False]
    assert s.data["b"].isna().tolist() == [True, False, False]
    assert s.data["note"].isna().tolist() == [False, True, False]
    assert any("missing codes -99: 3 answers" in line for line in s.log)


def test_shared_reputation_minus_99():
    s = load(REPO / "tests/data/surveys/corporate_reputation.csv", missing_codes=[-99])
    assert int(s.data.isna().sum().sum()) == 70
    assert (s.data.dtypes == np.float64).all()


def test_missing_tokens_and_blank_rows(tmp_path):
    p = tmp_path / "tokens.csv"
    p.write_text("a,b\n1,NA\n,\n(跳过),2\n3, 4 \n", encoding="utf-8")
    s = load(p)
    assert s.n == 3  # the empty row is skipped and logged
    assert s.data["a"].isna().tolist() == [False, True, False]
    assert s.data["b"].tolist()[1:] == [2.0, 4.0]
    assert any("skipped 1 empty row" in line for line in s.log)


def test_input_is_not_modified(tmp_path):
    import hashlib

    for name in FORMATS:
        path = DATA / name
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        load(path, MODEL, sheet="data" if name.endswith("xlsx") else None)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_lavaan_syntax_instrument(tmp_path, base):
    lav = tmp_path / "m.lav"
    lav.write_text("SAT =~ SAT1 + SAT2 + SAT3\nLOY =~ LOY1 + LOY2\nLOY ~ SAT\n", encoding="utf-8")
    s = load(DATA / "small_survey.csv", lav)
    assert s.items == ["SAT1", "SAT2", "SAT3", "LOY1", "LOY2"]
    assert s.recoded == []


def test_long_ids_keep_their_digits(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("rid,a\n202311221234567891,1\n202311221234567892,2\n", encoding="utf-8")
    df, _ = read_table(p)
    assert df["rid"].tolist() == [202311221234567891, 202311221234567892]
