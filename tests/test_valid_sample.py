"""Valid-sample table on the example (4 straight-liners and 6 speeders are planted), checked
against the raw CSV directly; overlaps counted once; the drop policy from the model file."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

from loyaltysem.base.errors import InstrumentError
from loyaltysem.psychometrics.screening import screen
from loyaltysem.psychometrics.valid_sample import drop_policy, valid_sample
from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load

MODEL = REPO / "models" / "online_loyalty.toml"


@pytest.fixture(scope="module")
def survey():
    return load(REPO / "data" / "online_loyalty.csv", instrument=MODEL)


@pytest.fixture(scope="module")
def raw() -> tuple[pd.DataFrame, set, set, set]:
    """The CSV as stored and, computed from it directly, the planted respondents' ids."""
    df = pd.read_csv(REPO / "data" / "online_loyalty.csv")
    items = read_instrument(MODEL).item_codes
    x = df[items]
    straight = set(df.loc[x.nunique(axis=1) == 1, "id"])  # same answer to every answered item
    speed = set(df.loc[df["duration_sec"] < df["duration_sec"].median() / 3, "id"])
    incomplete = set(df.loc[x.isna().any(axis=1), "id"])
    return df, straight, speed, incomplete


def _row(vs, key):
    return vs.table.set_index("key").loc[key]


def test_planted_careless_respondents_are_removed(survey, raw):
    df, straight, speed, _ = raw
    assert (len(straight), len(speed)) == (4, 6)
    vs = valid_sample(screen(survey, policy="fiml"), drop_careless=True)
    assert (_row(vs, "straightliner")["flagged"], _row(vs, "straightliner")["removed"]) == (4, 4)
    assert (_row(vs, "speeder")["flagged"], _row(vs, "speeder")["removed"]) == (6, 6)
    assert _row(vs, "attention_failed")["removed"] == 0
    bad = straight | speed
    assert vs.n_collected == len(df) == 400
    assert vs.n_valid == _row(vs, "valid")["n"] == 400 - len(bad) == 390
    assert vs.valid_rate == pytest.approx(97.5)
    assert _row(vs, "valid")["percent"] == pytest.approx(97.5)
    assert _row(vs, "speeder")["percent"] == pytest.approx(1.5)
    assert set(vs.kept["id"]) == set(df["id"]) - bad
    assert set(vs.removed["id"]) == bad and vs.overlap == 0
    assert len(vs.survey.data) == 390 and "valid sample" in vs.survey.log[-1]


def test_overlaps_with_incomplete_answers_are_counted_once(survey, raw):
    df, straight, speed, incomplete = raw
    vs = valid_sample(screen(survey, policy="listwise"), drop_careless=True)
    bad = straight | speed | incomplete
    assert vs.n_valid == 400 - len(bad) == 357
    both = (straight | speed) & incomplete
    assert vs.overlap == len(both) == 1
    # careless reasons come first: the incomplete speeder is counted as a speeder
    assert _row(vs, "incomplete")["flagged"] == len(incomplete) == 34
    assert _row(vs, "incomplete")["removed"] == len(incomplete - straight - speed) == 33
    assert _row(vs, "removed")["n"] == len(bad)
    keys = ("straightliner", "speeder", "attention_failed", "incomplete")
    assert _row(vs, "removed")["n"] == sum(_row(vs, k)["removed"] for k in keys)
    assert set(vs.kept["id"]) == set(df["id"]) - bad


def test_default_keeps_careless_respondents_unless_the_model_file_says_so(survey, tmp_path):
    vs = valid_sample(screen(survey, policy="fiml"))
    assert vs.n_valid == 400 and not any(vs.policy.values())
    assert _row(vs, "straightliner")["flagged"] == 4 and _row(vs, "straightliner")["removed"] == 0
    text = MODEL.read_text(encoding="utf-8")
    model = tmp_path / "m.toml"
    model.write_text(text + "\n[screening]\ndrop_careless = true\ndrop_speeders = false\n", "utf-8")
    inst = read_instrument(model)
    assert drop_policy(inst) == {"straightliner": True, "speeder": False, "attention_failed": True}
    vs = valid_sample(screen(survey, policy="fiml"), instrument=inst)
    assert vs.n_valid == 396
    # an argument overrides the file
    vs = valid_sample(screen(survey, policy="fiml"), instrument=inst, drop_speeders=True)
    assert vs.n_valid == 390
    model.write_text(text + '\n[screening]\ndrop_careless = "yes"\n', "utf-8")
    with pytest.raises(InstrumentError, match="drop_careless"):
        drop_policy(read_instrument(model))


def test_attention_checks_and_a_triple_overlap(survey, raw):
    df, straight, speed, _ = raw
    data = survey.data.copy()
    data["ATT1"] = 4.0
    fail_ids = [sorted(straight)[0], sorted(speed)[0], 100]  # one overlaps each flag
    data.loc[data["id"].isin(fail_ids), "ATT1"] = 2.0
    inst = replace(survey.instrument, attention_checks={"ATT1": 4.0})
    s2 = replace(survey, data=data, instrument=inst)
    vs = valid_sample(screen(s2, policy="fiml"), drop_careless=True)
    att = _row(vs, "attention_failed")
    assert (att["flagged"], att["removed"]) == (3, 1)  # two were counted under other reasons
    assert vs.overlap == 2
    assert vs.n_valid == 400 - len(straight | speed | set(fail_ids)) == 389
    r = vs.removed.set_index("id")
    assert r.loc[fail_ids[0], "reasons"] == "straightliner, attention_failed"
    assert r.loc[fail_ids[0], "reason"] == "straightliner"
    assert np.isclose(vs.valid_rate, 100 * 389 / 400)
