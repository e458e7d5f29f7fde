"""The PROCESS section of the chapter: [[process]] / run --process on construct scores, the
tables PROCESS users paste, their numbers equal the analysis', the hypothesis decided by the
chapter's rule, in both languages."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from loyaltysem.analyses.process import process
from loyaltysem.base.errors import InputError, InstrumentError
from loyaltysem.examples import example_paths
from loyaltysem.pipeline.process import score_frame
from loyaltysem.survey.loaders import load
from loyaltysem.survey.process_spec import process_spec

PATHS = example_paths()
SPECS = [
    {"model": 7, "x": "SAT", "m": ["TRU"], "y": "LOY", "w": "SWC", "id": "H17", "sign": "+",
     "boot": 500, "en": "Switching cost moderates the indirect effect.",
     "zh": "转换成本调节间接效应。"},
    {"model": 1, "x": "SAT", "y": "LOY", "w": "gender", "boot": 0},
]  # fmt: skip


@pytest.fixture(scope="module")
def result():
    from loyaltysem.pipeline import analyze

    return analyze(PATHS["data_csv"], PATHS["model"], n_boot=0, moderation=False,
                   process=SPECS)  # fmt: skip


@pytest.fixture(scope="module")
def chapters(result):
    return {lang: result.chapter(lang) for lang in ("en", "zh")}


def _tables(chap, prefix):
    return [t for t in chap.tables if t.key.startswith(prefix)]


def test_construct_scores_are_item_means_after_reverse_keying():
    survey = load(PATHS["data_csv"], PATHS["model"])
    frame, scored = score_frame(survey, survey.instrument, ["LOY", "SWC", "gender"])
    assert scored == ["LOY", "SWC"]
    raw = pd.read_csv(PATHS["data_csv"])
    loy = pd.concat([raw[["LOY1", "LOY2", "LOY3"]], 8 - raw["LOY4"]], axis=1).mean(axis=1)
    pd.testing.assert_series_equal(frame["LOY"], loy, check_names=False)
    assert frame["gender"].equals(survey.data["gender"])
    with pytest.raises(InputError, match="XYZ"):
        score_frame(survey, survey.instrument, ["XYZ"])


def test_section_tables_equal_the_process_result(result, chapters):
    run = result.process.runs[1]  # runs[0]: the model file's own H16 (5,000 draws)
    frame, _ = score_frame(result.survey, result.instrument, run.spec.variables)
    ref = process(frame, 7, x="SAT", y="LOY", m=["TRU"], w="SWC", n_boot=500,
                  seed=result.options.seed)  # fmt: skip
    pd.testing.assert_frame_equal(run.result.to_frame(), ref.to_frame(), rtol=1e-10)
    en = chapters["en"]
    keys = [t.key for t in _tables(en, "process")]
    assert keys == [f"process_{h}_{part}" for h in ("H16", "H17")
                    for part in ("regression", "conditional", "effects")] + [
        "process_m1_regression", "process_m1_conditional"]  # fmt: skip
    reg = _tables(en, "process_H17_regression")[0]
    coef = {(c["term"]): c for o in ref.outcomes if o["outcome"] == "TRU"
            for c in o["coefficients"]}  # fmt: skip
    row = reg.data[reg.data["Predictor"] == "Satisfaction × Switching cost"].iloc[0]

    def minus(x):  # English tables print a true minus sign (APA)
        return f"{x:.3f}".replace("-", "\u2212")

    assert row["Coeff."].rstrip("*") == minus(coef["SAT*SWC"]["coeff"])
    assert row["LLCI"] == minus(coef["SAT*SWC"]["llci"])
    eff = _tables(en, "process_H17_effects")[0]
    index = ref.index_moderated_mediation[0]
    last = eff.data.iloc[-1]
    assert last["Type"] == "Index of moderated mediation"
    assert (last["Effect"], last["LLCI"], last["ULCI"]) == (
        minus(index["index"]),
        minus(index["boot.llci"]),
        minus(index["boot.ulci"]),
    )
    assert "500 bootstrap resamples (percentile CI, seed 12345)" in eff.note


def test_hypothesis_follows_the_index_interval(result, chapters):
    run = result.process.runs[1]
    lo, hi = run.verdict.values["llci"], run.verdict.values["ulci"]
    supported = lo > 0 or hi < 0
    assert run.verdict.outcome == ("supported" if supported else "not_supported")
    en = _tables(chapters["en"], "process_H17_effects")[0].text
    zh = _tables(chapters["zh"], "process_H17_effects")[0].text
    assert ("H17 is supported" if supported else "H17 is not supported") in en
    assert ("H17得到支持" if supported else "H17未得到支持") in zh


def test_chinese_section_is_chinese_and_probes_are_named(chapters):
    zh = _tables(chapters["zh"], "process")
    assert zh[0].title.startswith("条件过程模型7")
    cond = _tables(chapters["zh"], "process_H16_conditional")[0]
    assert "第16百分位数" in cond.text and "第84百分位数" in cond.text
    dich = _tables(chapters["zh"], "process_m1_conditional")[0]
    assert "男" in dich.text and "女" in dich.text  # the dichotomous moderator's labels
    for tb in zh:
        for text in (tb.title, tb.text, tb.note):
            assert not re.search(r"\b(Effect|Outcome|Constant|Type)\b", text), text


def test_run_process_option_and_toml(tmp_path):
    from loyaltysem.cli import main

    out = tmp_path / "r"
    assert main(["run", "--out", str(out), "--bootstrap", "0", "--lang", "en", "--process",
                 "4", "--x", "SAT", "--m", "TRU", "--y", "LOY"]) == 0  # fmt: skip
    assert (out / "24_process_m4_effects.csv").exists() or any(
        p.name.endswith("process_m4_effects.csv") for p in out.iterdir()
    )
    assert main(["run", "--out", str(tmp_path / "bad"), "--x", "SAT"]) == 2
    with pytest.raises(InstrumentError, match="model must be one of"):
        process_spec({"model": 9, "x": "A", "y": "B"})


def test_process_command_scores_constructs_with_model(tmp_path, capsys):
    import json

    from loyaltysem.cli import main

    out = tmp_path / "p.json"
    assert main(["process", str(PATHS["data_csv"]), "--model", str(PATHS["model"]),
                 "--process-model", "4", "--x", "SAT", "--m", "TRU", "--y", "LOY",
                 "--boot", "200", "--json", str(out)]) == 0  # fmt: skip
    js = json.loads(out.read_text(encoding="utf-8"))
    assert js["variables"]["x"] == "SAT" and js["n"] == 400


def test_process_hypothesis_in_the_summary_table_and_counts(result, chapters):
    for lang, word in (("en", ("Supported", "Not supported")), ("zh", ("支持", "不支持"))):
        tb = next(t for t in chapters[lang].tables if t.key == "hypotheses")
        row = tb.data[tb.data.iloc[:, 0] == "H17"]
        assert len(row) == 1
        supported = result.process.runs[1].verdict.outcome == "supported"
        assert row.iloc[0, 2] == word[0 if supported else 1]
        assert str(len(tb.data)) in tb.text or lang == "zh"
