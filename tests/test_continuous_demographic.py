"""A continuous demographic (age in years: numeric, no value labels, more than 10 distinct
values) is described by its mean, SD and range in the sample profile, left out of the
group-difference tests, and said so once; each difference table's note carries only the
warnings of its own variable. One analysis of the bfi data's first 400 complete respondents
(no bootstrap), its chapter in both languages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conftest import SURVEYS

from loyaltysem.pipeline.analysis import analyze
from loyaltysem.pipeline.init_model import init_model, propose_model
from loyaltysem.psychometrics.descriptives import (
    CONTINUOUS_MIN_VALUES,
    continuous_demographics,
    is_continuous,
    sample_profile,
)
from loyaltysem.psychometrics.group_differences import group_differences
from loyaltysem.survey.loaders import load

BFI = SURVEYS / "bfi.sav"
TOL = 1e-12


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """bfi head(400) with one respondent of gender 3 (a group of one, so gender's table has a
    warning of its own), analysed without bootstrap; the chapters in English and Chinese."""
    tmp = tmp_path_factory.mktemp("continuous")
    init_model(BFI, out=tmp / "m.toml")
    data = load(BFI).data.dropna().head(400).copy()
    data.iloc[7, data.columns.get_loc("gender")] = 3
    data.to_csv(tmp / "d.csv", index=False)
    res = analyze(tmp / "d.csv", tmp / "m.toml", n_boot=0)
    return res, {lang: res.chapter(lang) for lang in ("en", "zh")}


def _table(chapter, key: str):
    found = [tb for tb in chapter.tables if tb.key == key]
    return found[0] if found else None


# ------------------------------------------------------------------------------ the rule
def test_the_rule_numeric_unlabelled_and_more_than_ten_values() -> None:
    k = CONTINUOUS_MIN_VALUES
    assert k == 10
    assert not is_continuous(pd.Series(np.arange(k, dtype=float)))  # exactly 10 values
    assert is_continuous(pd.Series(np.arange(k + 1, dtype=float)))
    assert is_continuous(pd.Series([*range(k + 1), None], dtype="Float64"))
    assert not is_continuous(pd.Series(np.arange(k + 1)), labels={0: "none"})
    assert not is_continuous(pd.Series([f"c{i}" for i in range(k + 5)]))
    df = pd.DataFrame({"gender": [1, 2] * 20, "age": range(20, 60), "band": [1, 2, 3, 4] * 10})
    assert continuous_demographics(df, ["gender", "age", "band"]) == ["age"]
    assert continuous_demographics(df, ["age"], value_labels={"age": {20: "twenty"}}) == []


def test_profile_row_of_a_continuous_column_with_missing_answers() -> None:
    age = pd.Series([18.0, 19, 22, 25, 30, 31, 33, 40, 41, 52, 60, 67, np.nan, np.nan])
    df = pd.DataFrame({"age": age, "gender": [1, 2] * 7})
    prof = sample_profile(df, ["gender", "age"], missing_label="Missing")
    row = prof[(prof["code"] == "age") & (prof["category"] == "")].iloc[0]
    valid = age.dropna()
    assert row["n"] == 12 and row["percent"] == pytest.approx(100 * 12 / 14, abs=TOL)
    assert row["mean"] == pytest.approx(valid.mean(), abs=TOL)
    assert row["sd"] == pytest.approx(valid.std(ddof=1), abs=TOL)
    assert (row["min"], row["max"]) == (18.0, 67.0)
    miss = prof[(prof["code"] == "age") & (prof["category"] == "Missing")]
    assert miss["n"].tolist() == [2]
    assert prof.loc[prof["code"] == "gender", "mean"].isna().all()  # categories: no moments
    assert len(prof[prof["code"] == "gender"]) == 2


# ------------------------------------------------------------------------------ the pipeline
def test_decided_once_on_the_valid_sample(run) -> None:
    res, _ = run
    assert res.sample.continuous == ["age"]
    assert res.sample.categorical == ["gender", "education"]


def test_profile_row_equals_pandas(run) -> None:
    res, chapters = run
    age = res.survey.data["age"].dropna().astype(float)
    row = res.sample.profile.query("code == 'age'")
    assert len(row) == 1  # one row, not one per year of age
    row = row.iloc[0]
    assert row["n"] == len(age) == 400
    assert row["mean"] == pytest.approx(age.mean(), abs=TOL)
    assert row["sd"] == pytest.approx(age.std(ddof=1), abs=TOL)
    assert row["min"] == pytest.approx(age.min(), abs=TOL)
    assert row["max"] == pytest.approx(age.max(), abs=TOL)
    m, sd = f"{age.mean():.2f}", f"{age.std(ddof=1):.2f}"
    lo, hi = f"{age.min():.0f}", f"{age.max():.0f}"
    expected = {
        "en": (
            f"M (SD) = {m} ({sd}); range {lo}–{hi}",
            f"the mean Age in years is {m} (SD = {sd})",
        ),
        "zh": (f"均值 ± 标准差 = {m} ± {sd}；范围{lo}～{hi}", f"年龄的均值为{m}（标准差为{sd}）"),
    }
    for lang, (cell, prose) in expected.items():
        tb = _table(chapters[lang], "sample_profile")
        cells = tb.data.astype(str).to_numpy().tolist()
        age_rows = [r for r in cells if cell in r]
        assert len(age_rows) == 1 and age_rows[0][2] == "400", (lang, cells)
        assert not any(r[1] == "18" for r in cells)  # no row per year
        assert prose in tb.text, (lang, tb.text)
        assert "largest group by Age" not in tb.text and "年龄以" not in tb.text


def test_no_group_difference_table_for_age(run) -> None:
    res, chapters = run
    gd = res.scores.group_differences
    assert set(gd.tests["variable"]) == {"gender", "education"}
    assert "age" not in set(gd.skipped["variable"]) and "age" not in set(gd.groups["variable"])
    for lang, ch in chapters.items():
        keys = [tb.key for tb in ch.tables]
        assert "differences_gender" in keys and "differences_education" in keys
        assert "differences_age" not in keys, lang
    # the library's default (no variables named) leaves it out too
    assert "age" not in set(group_differences(res.survey.data, res.instrument).tests["variable"])


def test_each_table_note_carries_only_its_own_warnings(run) -> None:
    res, chapters = run
    gd = res.scores.group_differences
    assert [w.fields["variable"] for w in gd.warnings_of("gender")] == ["gender"]
    assert gd.warnings_of("education") == []
    # the variable by its name in the chapter's language, not its column code
    words = {"en": ("Gender = 3: n = 1, fewer than 2", "Age = "),
             "zh": ("性别 = 3：仅1个样本", "年龄 = ")}  # fmt: skip
    for lang, ch in chapters.items():
        own, age = words[lang]
        gender, education = _table(ch, "differences_gender"), _table(ch, "differences_education")
        plain = {k: re.sub(r"\*", "", tb.note) for k, tb in (("g", gender), ("e", education))}
        assert own in plain["g"], (lang, plain["g"])
        assert own not in plain["e"], (lang, plain["e"])
        assert all(age not in re.sub(r"\*", "", tb.note) for tb in ch.tables), lang
        assert age not in ch.summary and "Age in years differ" not in ch.summary


def test_said_once_that_age_is_continuous(run) -> None:
    _, chapters = run
    said = {"en": "Age in years is a continuous variable", "zh": "年龄为连续变量"}
    for lang, ch in chapters.items():
        notes = [tb.key for tb in ch.tables if said[lang] in tb.note]
        assert notes == ["continuous_correlations"], (lang, notes)
        note = _table(ch, "continuous_correlations").note
        assert "mean and SD" in note.replace("*", "") if lang == "en" else "均值和标准差" in note
        assert _table(ch, "sample_profile").label in note


def test_all_demographics_continuous_said_in_the_profile_note(run) -> None:
    """Without the correlation table (and without a categorical demographic) the profile's
    note says it."""
    from dataclasses import replace

    res, _ = run
    inst = res.instrument
    only_age = replace(inst, demographics=[d for d in inst.demographics if d.code == "age"])
    sample = replace(res.sample, instrument=only_age, demographics=["age"])
    scores = replace(res.scores, group_differences=None, continuous=None)
    alone = replace(res, sample=sample, scores=scores)
    for lang, said in (("en", "Age in years is a continuous variable"), ("zh", "年龄为连续变量")):
        ch = alone.chapter(lang)
        assert [tb.key for tb in ch.tables if said in tb.note] == ["sample_profile"], lang
        assert not any(tb.key.startswith("differences_") for tb in ch.tables)


def test_correlations_with_age_equal_pearson(run) -> None:
    """In place of the ANOVA over single years: Pearson r of each construct score with age
    (scipy.stats.pearsonr, the same test as R's cor.test and SPSS's CORRELATIONS)."""
    from scipy import stats

    from loyaltysem.psychometrics.construct_scores import construct_scores

    res, chapters = run
    data = res.survey.data
    scores = construct_scores(data, res.instrument.construct_items)
    cc = res.scores.continuous.set_index("construct")
    assert list(cc.index) == list(scores.columns) and set(cc["variable"]) == {"age"}
    for con in scores.columns:
        ok = scores[con].notna() & data["age"].notna()
        ref = stats.pearsonr(scores.loc[ok, con], data.loc[ok, "age"].astype(float))
        assert cc.loc[con, "r"] == pytest.approx(ref.statistic, abs=1e-12)
        assert cc.loc[con, "pvalue"] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
        assert cc.loc[con, "n"] == ok.sum()
    for lang, header in (("en", "Age in years"), ("zh", "年龄")):
        tb = _table(chapters[lang], "continuous_correlations")
        assert tb is not None and header in tb.title and header in tb.data.columns
        a = cc.loc["A", "r"]
        assert tb.data[header].iloc[0].lstrip("0").startswith(f"{a:.3f}".lstrip("0")), lang


# ------------------------------------------------------------------------------ init
def test_init_says_age_is_continuous() -> None:
    p = propose_model(BFI)
    kinds = {d.column: d.continuous for d in p.demographics}
    age = load(BFI).data["age"]
    assert kinds == {"gender": 0, "education": 0, "age": int(age.nunique())}
    en, zh = init_model(BFI), init_model(BFI, lang="zh")
    assert f"# Continuous ({age.nunique()} distinct values, no value labels)" in en
    block = en.split('code = "age"')[0].rsplit("\n\n", 1)[-1]  # age's comment and header
    assert "# age: a demographic" in block and "mean and SD" in block
    assert f"# 连续变量（{age.nunique()} 个不同取值，无值标签）" in zh
    assert en.count("# Continuous (") == 1 and zh.count("# 连续变量（") == 1
