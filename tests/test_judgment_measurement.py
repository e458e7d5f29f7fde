"""The measurement verdicts (loyaltysem.judgment.measurement): each rule on constructed numbers
at and around its cut-off; the reverse-keying warning by psych's check.keys rule (bfi:
exactly the 7 items psych 2.2.9 reverses, tests/fixtures/psych/check_keys.json); the
double-reversal error; the scree plot's data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, REPO, SURVEYS

from loyaltysem.base.errors import InputError
from loyaltysem.judgment.measurement import (
    cfa_verdicts,
    efa_verdicts,
    fornell_larcker_verdicts,
    keying_error,
    keying_verdicts,
    reliability_verdicts,
)
from loyaltysem.psychometrics.keying import keying_notices
from loyaltysem.psychometrics.reliability import reliability_table
from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load, read_table

PSYCH = json.loads((FIXTURES / "psych" / "check_keys.json").read_text(encoding="utf-8"))
BFI_SCALES = {k: v["items"] for k, v in PSYCH["bfi"]["scales"].items()}
EXAMPLE_MODEL = REPO / "models" / "online_loyalty.toml"
RECODED = REPO / "tests" / "data" / "own" / "loyalty_recoded.csv"


# --------------------------------------------------------------------------- reliability
def _items(rows):
    return pd.DataFrame(rows, columns=["construct", "item", "citc", "alpha.if.deleted"])


def test_alpha_cutoff_is_seventy_and_ordinal_alpha_decides_when_given():
    c = pd.DataFrame({"alpha": [0.70, 0.6999, 0.65, np.nan]}, index=["A", "B", "C", "S"])
    vs = reliability_verdicts(c, _items([]), pd.Series({"C": 0.724}))
    assert vs["alpha:A"].outcome == "met"  # alpha >= .70 (Nunnally 1978)
    assert vs["alpha:B"].outcome == "not_met"
    # ordered items: the verdict is on ordinal alpha, Cronbach's kept beside it
    assert vs["alpha:C"].outcome == "met"
    assert vs["alpha:C"].values == {"value": 0.724, "coefficient": "ordinal", "cronbach": 0.65,
                                    "construct": "C"}  # fmt: skip
    assert "alpha:S" not in vs  # a single item has no alpha to judge
    assert [v.subject for v in vs.failed("alpha")] == ["alpha:B"]


def test_citc_and_alpha_if_deleted():
    c = pd.DataFrame({"alpha": [0.80, 0.75]}, index=["A", "B"])
    items = _items([("A", "a1", 0.50, 0.79), ("A", "a2", 0.4999, 0.81), ("A", "a3", 0.6, 0.70),
                    ("B", "b1", 0.6, 0.90), ("B", "b2", 0.6, 0.90)])  # fmt: skip
    vs = reliability_verdicts(c, items)
    assert [vs.outcome(f"citc:{i}") for i in ("a1", "a2", "a3")] == ["met", "not_met", "met"]
    assert vs.outcome("aid:a2") == "not_met" and vs.outcome("aid:a1") == "met"
    # two items: alpha if deleted is undefined as a criterion
    assert vs.outcome("aid:b1") == "met"


# --------------------------------------------------------------------------- factor analysis
def _loading_table():
    return pd.DataFrame(
        {"1": [0.71, 0.4999, 0.45, np.nan], "2": [np.nan, np.nan, 0.42, np.nan],
         "flag": ["", "", "cross-loading", "no salient loading"]},
        index=["x1", "x2", "x3", "x4"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kmo", "outcome"),
    [(0.70, "met"), (0.6999, "tolerated"), (0.60, "tolerated"), (0.59, "not_met")],
)
def test_kmo_bands(kmo, outcome):
    assert efa_verdicts(kmo, 0.001, 20.0, 60.0, _loading_table())["kmo"].outcome == outcome


def test_bartlett_harman_variance_and_efa_items():
    vs = efa_verdicts(0.8, 0.05, 40.0, 49.99, _loading_table())
    assert vs["bartlett"].outcome == "not_met"  # p < .05 needed
    assert vs["harman"].outcome == "not_met"  # first factor < 40%
    assert vs["variance"].outcome == "not_met"  # cumulative >= 50%
    ok = efa_verdicts(0.8, 0.0499, 39.99, 50.0, _loading_table())
    assert [ok[k].outcome for k in ("bartlett", "harman", "variance")] == ["met"] * 3
    assert [ok.outcome(f"efa:{i}") for i in ("x1", "x2", "x3", "x4")] == [
        "met", "weak", "cross", "none"
    ]  # fmt: skip


# --------------------------------------------------------------------------- CFA validity
def _square(values, names):
    return pd.DataFrame(values, index=names, columns=names, dtype=float)


def test_loadings_cr_ave():
    lo = pd.DataFrame(
        {"lhs": ["A"] * 3, "rhs": ["a1", "a2", "a3"], "std.all": [0.60, 0.5999, 0.70]}
    )
    val = pd.DataFrame({"cr": [0.70, 0.6999], "ave": [0.4999, 0.50]}, index=["A", "B"])
    fl = _square([[0.7, 0.1], [0.1, 0.8]], ["A", "B"])
    vs = cfa_verdicts(lo, val, fl, _square([[1, 0.1], [0.1, 1]], ["A", "B"]))
    assert [vs.outcome(f"loading:{i}") for i in ("a1", "a2", "a3")] == ["met", "not_met", "met"]
    assert [vs.outcome(f"loading.strict:{i}") for i in ("a1", "a2", "a3")] == [
        "not_met", "not_met", "met"
    ]  # fmt: skip
    assert (vs.outcome("cr:A"), vs.outcome("cr:B")) == ("met", "not_met")
    assert (vs.outcome("ave:A"), vs.outcome("ave:B")) == ("not_met", "met")


def test_fornell_larcker_row_and_column_and_ties():
    # A: sqrt(AVE) .70 below r(A, B) = .75 -> not met; B: .80 above it; C: tie -> not met
    fl = _square([[0.70, np.nan, np.nan], [0.75, 0.80, np.nan], [0.20, 0.60, 0.60]],
                 ["A", "B", "C"])  # fmt: skip
    vs = fornell_larcker_verdicts(fl)
    assert [vs.outcome(f"fornell:{c}") for c in "ABC"] == ["not_met", "met", "not_met"]
    assert vs["fornell:A"].values["above"] == ["B"] and vs["fornell:C"].values["above"] == ["B"]
    # negative correlations count by their absolute value
    neg = fornell_larcker_verdicts(_square([[0.7, -0.8], [-0.8, 0.9]], ["A", "B"]))
    assert neg.outcome("fornell:A") == "not_met"


@pytest.mark.parametrize(
    ("h", "outcome"),
    [(0.8499, "met"), (0.85, "tolerated"), (0.8999, "tolerated"), (0.90, "not_met")],
)
def test_htmt_strict_and_liberal(h, outcome):
    vs = cfa_verdicts(
        pd.DataFrame(columns=["lhs", "rhs", "std.all"]), pd.DataFrame(columns=["cr", "ave"]),
        _square([[0.9, h], [h, 0.9]], ["A", "B"]), _square([[1, h], [h, 1]], ["A", "B"]),
    )  # fmt: skip
    assert vs["htmt:B|A"].outcome == outcome


# --------------------------------------------------------------------------- reverse keying
def _bfi() -> pd.DataFrame:
    return read_table(SURVEYS / "bfi.sav")[0]


def test_keying_warnings_on_unreversed_bfi_are_psychs_seven_items():
    """psych::alpha(check.keys = TRUE) reverses A1 C4 C5 E1 E2 O2 O5; the old rule (negative
    corrected item-total correlation) told the user to reverse 13 items on the same data."""
    bfi = _bfi()
    notes = keying_notices(bfi, BFI_SCALES)
    assert [w.fields["item"] for w in notes] == ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]
    assert {w.code for w in notes} == {"keying.negative"}
    for w in notes:
        ref = PSYCH["bfi"]["scales"][w.fields["construct"]]["loadings"][w.fields["item"]]
        assert w.fields["loading"] == pytest.approx(ref, abs=1e-10)
        assert "reverse = true" in w and "already recoded" not in w
    rel = reliability_table(bfi[[i for its in BFI_SCALES.values() for i in its]], BFI_SCALES)
    assert [w.fields["item"] for w in rel.warnings if getattr(w, "code", "") == "keying.negative"
            ] == ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]  # fmt: skip
    vs = keying_verdicts(bfi, BFI_SCALES)
    assert {vs.name(v.subject): v.outcome for v in vs.kind("keying")} == {
        "A": "unreversed", "C": "unreversed", "E": "unreversed", "N": "ok", "O": "unreversed"
    }  # fmt: skip
    assert keying_error(vs) is None  # not declared: a warning, the analysis goes on


def test_declared_item_still_against_the_others_is_advised_as_already_recoded():
    bfi = _bfi()
    recoded = bfi.assign(A1=7 - bfi["A1"])  # A1 recoded in the file ...
    twice = recoded.assign(A1=7 - recoded["A1"])  # ... and reversed again as declared
    (w,) = keying_notices(twice, {"A": BFI_SCALES["A"]}, reversed_items=["A1"])
    assert w.code == "keying.recoded" and "already recoded" in w
    assert "Remove reverse = true" in w and "Reverse it" not in w
    assert keying_notices(recoded, {"A": BFI_SCALES["A"]}, reversed_items=["A1"]) == []


def _double_reversal():
    survey = load(RECODED, EXAMPLE_MODEL)  # DES4, LOY4 recoded in the file and declared reverse
    inst = read_instrument(EXAMPLE_MODEL)
    return survey, inst.construct_items


def test_double_reversal_error_names_items_constructs_and_cause():
    survey, ci = _double_reversal()
    assert set(survey.recoded) == {"DES4", "LOY4"}
    rel = reliability_table(survey.data[[i for v in ci.values() for i in v]], ci)
    vs = keying_verdicts(survey.data, ci, survey.recoded, rel.constructs["alpha"])
    bad = {vs.name(v.subject): v for v in vs.kind("keying") if v.outcome != "ok"}
    assert set(bad) == {"DES", "LOY"} and bad["DES"].outcome == "recoded"
    assert bad["DES"].values["items"] == ["DES4"] and bad["LOY"].values["items"] == ["LOY4"]
    err = keying_error(vs)
    msg = str(err)
    assert isinstance(err, InputError) and "\n" not in msg
    for word in ("DES4", "LOY4", "DES", "LOY", "already recoded", "--allow-negative"):
        assert word in msg, word
    assert "declare it reverse = true" not in msg


def test_negative_alpha_stops_whatever_was_declared():
    d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1], "c": [2, 1, 4, 3, 5]})
    vs = keying_verdicts(d, {"F": ["a", "b"]}, alpha=pd.Series({"F": -0.9}))
    assert vs["keying:F"].outcome == "negative_alpha"
    assert "F" in str(keying_error(vs)) and "negative" in str(keying_error(vs))


def test_analyze_stops_on_the_double_reversal_unless_allowed():
    from loyaltysem.pipeline import analyze

    with pytest.raises(InputError, match="already recoded") as err:
        analyze(str(RECODED), str(EXAMPLE_MODEL), moderation=False)
    assert "DES4" in str(err.value) and "LOY4" in str(err.value)


# --------------------------------------------------------------------------- scree plot
def test_scree_plot_draws_what_parallel_analysis_counts(tmp_path):
    from PIL import Image

    from loyaltysem.psychometrics.efa import parallel_analysis
    from loyaltysem.report import figures

    survey, ci = _double_reversal()
    X = survey.data[ci["SAT"] + ci["TRU"] + ci["LOY"] + ci["SER"]]
    pa = parallel_analysis(X, n_iter=20, seed=1)
    for lang in ("en", "zh"):
        data = figures.scree_plot(pa.observed_factors, pa.quantile_factors, pa.n_factors,
                                  tmp_path / f"{lang}.png", lang)  # fmt: skip
        stored = json.loads(Image.open(tmp_path / f"{lang}.png").text["Description"])
        assert stored == data and data["retained"] == pa.n_factors
        above = np.array(data["observed"]) > np.array(data["threshold"])
        leading = int(np.argmin(above)) if not above.all() else len(above)
        assert leading == pa.n_factors  # the figure's crossing is the text's count
        np.testing.assert_allclose(data["observed"], pa.observed_factors, atol=1e-6)
