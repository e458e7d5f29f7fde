"""``run --ordered`` / ``[scale] ordered`` (issue 16): the chain with ordered items.

The WLSMV numbers themselves are held to lavaan in test_ordinal_estimation.py, ordinal alpha
and categorical omega to psych / semTools in test_ordinal_reliability.py; here: that the
chain uses them (estimator, tables, the TOML setting, the CLI) and says why."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import InputError, InstrumentError
from loyaltysem.cli import main
from loyaltysem.pipeline import analyze
from loyaltysem.psychometrics.ordinal_reliability import ordinal_alpha, ordinal_cfa_reliability
from loyaltysem.semcore.estimation import sem
from loyaltysem.survey.instrument import read_instrument

FIXTURES = Path(__file__).parent / "fixtures"

BFI = FIXTURES / "ordinal" / "bfi500.csv"

TOML = """
[scale]
min = 1
max = 6
{ordered}

[[constructs]]
code = "A"
name = {{ en = "Agreeableness", zh = "宜人性" }}
items = ["A1", "A2", "A3", "A4", "A5"]

[[constructs]]
code = "C"
name = {{ en = "Conscientiousness", zh = "尽责性" }}
items = ["C1", "C2", "C3", "C4", "C5"]

[[constructs]]
code = "E"
name = {{ en = "Extraversion", zh = "外向性" }}
items = ["E1", "E2", "E3", "E4", "E5"]

[structural]
syntax = '''
C ~ A
E ~ A + C
'''

[[hypotheses]]
id = "H1"
path = "C ~ A"
"""


def _model(tmp_path, ordered: str = "ordered = true"):
    path = tmp_path / "bfi.toml"
    path.write_text(TOML.format(ordered=ordered), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ordered_result(tmp_path_factory):
    model = _model(tmp_path_factory.mktemp("ord"))
    return analyze(str(BFI), str(model), n_boot=0, moderation=False)


def test_toml_ordered_setting_is_read_and_checked(tmp_path):
    inst = read_instrument(_model(tmp_path, 'ordered = ["A1", "C2"]'))
    assert inst.ordered == ("A1", "C2")
    assert read_instrument(_model(tmp_path)).ordered[:2] == ("A1", "A2")
    with pytest.raises(InstrumentError, match="scale.ordered"):
        read_instrument(_model(tmp_path, 'ordered = "yes"'))
    with pytest.raises(InstrumentError, match="'X9'"):
        read_instrument(_model(tmp_path, 'ordered = ["X9"]'))


def test_sem_follows_the_model_file(tmp_path):
    model = _model(tmp_path)
    data = pd.read_csv(BFI)
    fit = sem(str(model), data)
    assert fit.estimator == "WLSMV"
    assert (fit.estimates["op"] == "|").sum() == 15 * 5
    assert sem(str(model), data, ordered=False).estimator == "ML"


def test_chain_uses_wlsmv_with_ordinal_reliability(ordered_result):
    res = ordered_result
    assert res.sem.estimator == res.measurement.cfa.estimator == "WLSMV"
    assert res.options.ordered_items == [f"{f}{k}" for f in "ACE" for k in range(1, 6)]
    assert res.measurement.ordinal["categories.max"] == 6
    blocks = res.instrument.construct_items
    alpha = ordinal_alpha(res.survey.data, blocks).constructs["alpha"]
    pd.testing.assert_series_equal(
        res.measurement.ordinal_alpha.constructs["alpha"], alpha, check_names=False
    )
    omega = ordinal_cfa_reliability(res.measurement.cfa).set_index("construct")["omega"]
    assert res.measurement.validity["omega"].to_dict() == pytest.approx(omega.to_dict(), abs=1e-12)
    assert res.measurement.method_bias.fits["chisq"].iloc[0] == pytest.approx(
        res.measurement.method_bias.models["one_factor"].fit_measures["chisq.scaled"]
    )


def test_tables_report_the_ordinal_numbers(ordered_result):
    tables = {t.key: t for t in ordered_result.thesis_tables("en")}
    rel = tables["reliability"]
    assert "Ordinal α" in rel.data.columns
    assert rel.raw["alpha.ordinal"].notna().all()
    fit = tables["fit"]
    fm = ordered_result.sem.fit_measures
    raw = fit.raw[fit.raw["model"] == fit.raw["model"].iloc[-1]].set_index("index")["value"]
    assert raw["chisq.scaled"] == pytest.approx(fm["chisq.scaled"])
    assert raw["cfi.scaled"] == pytest.approx(fm["cfi.scaled"])
    assert "gfi" not in raw.index
    labels = fit.data.iloc[:, 0].tolist()
    assert labels[0] == "χ² (scaled-shifted)"
    assert "WLSMV" in fit.note and "GFI >" not in fit.note
    assert "ordered categories" in tables["descriptives"].text
    assert "WLSMV" in tables["descriptives"].text
    zh = {t.key: t for t in ordered_result.thesis_tables("zh")}
    assert "有序分类变量" in zh["descriptives"].text and "有序α" in zh["reliability"].data.columns


def test_ml_with_ordered_items_is_refused(tmp_path):
    with pytest.raises(InputError, match="WLSMV"):
        analyze(str(BFI), str(_model(tmp_path)), estimator="ML", moderation=False, n_boot=0)


def test_cli_run_ordered(tmp_path, capsys):
    out = tmp_path / "rep"
    model = _model(tmp_path, "")
    code = main(["run", str(BFI), "--model", str(model), "--ordered", "all", "--bootstrap",
                 "0", "--lang", "en", "--out", str(out)])  # fmt: skip
    assert code == 0
    assert "WLSMV" in capsys.readouterr().out
    assert "Ordinal α" in (out / "report.md").read_text(encoding="utf-8")
    bad = ["run", str(BFI), "--model", str(model), "--ordered", "A1,ZZ9", "--out",
           str(tmp_path / "x")]  # fmt: skip
    assert main(bad) == 2
    assert "'ZZ9'" in capsys.readouterr().err


def test_every_warning_of_the_ordered_chapter_is_translated(ordered_result):
    from loyaltysem.report.i18n import warning_text

    warnings = set(ordered_result.all_warnings())
    for table in ordered_result.thesis_tables("en"):
        warnings |= set(table.warnings)
    assert warnings  # the Mardia warning at least
    for w in warnings:
        assert "其他警告" not in warning_text(w, "zh"), w
        assert "consider a robust estimator (MLR)" not in w  # WLSMV is used


def test_invariance_compares_one_index_version_across_steps():
    """Once thresholds are equal across groups lavaan gives no robust CFI/RMSEA, so every
    step is compared on the scaled ones (and the table says so)."""
    from loyaltysem.analyses.invariance import measurement_invariance

    data = pd.read_csv(BFI)
    model = "A =~ A1 + A2 + A3 + A4 + A5\nC =~ C1 + C2 + C3 + C4 + C5"
    inv = measurement_invariance(model, data, "gender", ordered=True)
    assert inv.index_keys == {"cfi": "cfi.scaled", "rmsea": "rmsea.scaled"}
    scalar = inv.steps["scalar"].fit_measures
    assert np.isnan(scalar["cfi.robust"])
    for _, row in inv.comparisons.iterrows():
        a, b = inv.steps[row["from"]].fit_measures, inv.steps[row["to"]].fit_measures
        assert row["cfi.diff"] == pytest.approx(b["cfi.scaled"] - a["cfi.scaled"], abs=1e-12)
        assert row["rmsea.diff"] == pytest.approx(b["rmsea.scaled"] - a["rmsea.scaled"])
    continuous = measurement_invariance(model, data, "gender", steps=("configural", "metric"))
    assert continuous.index_keys == {"cfi": "cfi", "rmsea": "rmsea"}
