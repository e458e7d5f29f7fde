"""screen(): flags, policies, removals with reasons, JSON and the screen command."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.screening import (
    attention_failures,
    missing_summary,
    screen,
    speeders,
    straightliners,
)
from loyaltysem.survey.loaders import load

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "loaders"
MODEL = DATA / "small.toml"


@pytest.fixture(scope="module")
def survey():
    return load(DATA / "small_survey.csv", MODEL)


def test_flags_on_the_small_survey(survey):
    res = screen(survey, policy="fiml")
    f = res.flags
    # planted in make_loader_data.py (0-based rows 5, 17; 3, 14, 28; 7, 25)
    assert f.index[f["straightliner"]].tolist() == [5, 17]  # found despite LOY3's recoding
    assert f.index[f["speeder"]].tolist() == [3, 14, 28]
    assert f.index[f["attention_failed"]].tolist() == [7, 25]
    assert res.n == 40 and len(res.removed) == 0
    assert res.missing_by_item.loc["SAT2", "n_missing"] == 3
    assert res.missing_by_respondent["respondents"].sum() == 40


def test_listwise_and_drops_with_reasons(survey):
    res = screen(survey, drop_straightliners=True, drop_speeders=True, drop_attention=True)
    assert res.removed_counts == {
        "straight-lining (identical answers to all items)": 2,
        "speeder (duration < 0.333 x median (179.2))": 3,
        "failed attention check": 2,
        "missing answers (listwise deletion)": 6,
    }
    assert res.n == 40 - 13
    assert res.survey.data[survey.items].notna().all().all()
    assert set(res.removed["row"]) == set(res.flags.loc[res.flags["removed"], "row"])
    assert res.removed.loc[res.removed["id"] == 1006, "reason"].item().startswith("straight")
    assert any("removed 2 respondent(s): failed attention check" in x for x in res.survey.log)
    assert survey.n == 40  # the input survey is untouched


def test_max_missing_policy(survey):
    res = screen(survey, policy="max_missing", max_missing_share=0.5)
    assert res.n == 39  # only the respondent who skipped 6 of 9 items
    assert res.removed["id"].tolist() == [1013]


def test_descriptives_describe_the_kept_sample(survey):
    res = screen(survey, policy="listwise")
    assert (res.descriptives["n"] == res.n).all()
    assert res.mardia["n"] == res.n
    assert res.profile["code"].unique().tolist() == ["gender", "age_band"]


def test_json_is_strict_and_complete(survey):
    from loyaltysem.base.fileio import to_jsonable

    d = to_jsonable(screen(survey, drop_speeders=True).to_dict())
    text = json.dumps(d, allow_nan=False, ensure_ascii=False)
    back = json.loads(text)
    assert back["n"] == 31 and back["n_input"] == 40
    assert isinstance(back["warnings"], list)
    assert [x["id"] for x in back["flags"]["speeders"]] == [1004, 1015, 1029]


def test_plain_functions():
    df = pd.DataFrame(
        {"a": [3.0, 1, np.nan, 2], "b": [3.0, 2, np.nan, 2], "t": [300, 10, 290, 280]}
    )
    assert straightliners(df, ["a", "b"])["straightliner"].tolist() == [True, False, False, True]
    assert missing_summary(df, ["a", "b"])["n_missing"].tolist() == [1, 1]
    assert speeders(df, "t")["speeder"].tolist() == [False, True, False, False]
    assert speeders(df, "t", min_duration=285)["speeder"].tolist() == [False, True, False, True]
    assert attention_failures(df, {"a": 3})["failed"].tolist() == [False, True, True, True]


def test_bad_options(survey):
    with pytest.raises(InputError, match="policy"):
        screen(survey, policy="pairwise")
    with pytest.raises(InputError, match="max_missing_share"):
        screen(survey, policy="max_missing", max_missing_share=2)
    with pytest.raises(InputError, match="duration column"):
        screen(survey, duration_column="nope")


def test_screen_command_json_and_out(tmp_path):
    from loyaltysem.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(
            ["screen", str(DATA / "small_survey.sav"), "--model", str(MODEL), "--policy",
             "fiml", "--drop-straightliners", "--json", str(tmp_path / "s.json"),
             "--out", str(tmp_path / "screen")]
        )  # fmt: skip
    assert rc == 0
    assert "respondents: 40 read, 38 kept (fiml)" in out.getvalue()
    d = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert d["n"] == 38 and d["recoded"] == ["LOY3"]
    files = sorted(p.name for p in (tmp_path / "screen").iterdir())
    assert "descriptives.csv" in files and "screened_data.csv" in files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp leftovers
    kept = pd.read_csv(tmp_path / "screen" / "screened_data.csv", encoding="utf-8-sig")
    assert len(kept) == 38 and kept["city"].iloc[0] == "北京"
