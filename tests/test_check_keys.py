"""psych's check.keys rule (loyaltysem.psychometrics.keying) against psych 2.2.9
(tests/fixtures/psych/check_keys.json, written by tests/fixtures/R/check_keys.R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, REPO, SURVEYS

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.keying import check_keys, first_component_loadings
from loyaltysem.survey.loaders import read_table

FX = json.loads((FIXTURES / "psych" / "check_keys.json").read_text(encoding="utf-8"))


def _bfi() -> pd.DataFrame:
    return read_table(SURVEYS / "bfi.sav")[0]


def _frame(case: str) -> pd.DataFrame:
    if case == "online_loyalty":
        return pd.read_csv(REPO / "data" / "online_loyalty.csv")
    df = _bfi()
    if case == "bfi_recoded":
        df["A1"] = 7 - df["A1"]
        df["C4"] = 7 - df["C4"]
    if case == "bfi_constant":
        df["A6"] = 3.0
    return df


def test_bfi_reverse_keys_are_psychs() -> None:
    scales = {k: v["items"] for k, v in FX["bfi"]["scales"].items()}
    keys = check_keys(_bfi(), scales)
    assert [i for its in keys.values() for i in its] == ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]
    assert keys["N"] == []


@pytest.mark.parametrize(
    "case", ["bfi", "online_loyalty", "bfi_recoded", "bfi_minority", "bfi_constant"]
)
def test_check_keys_and_loadings_equal_psych(case: str) -> None:
    df = _frame(case)
    scales = FX[case]["scales"]
    keys = check_keys(df, {k: v["items"] for k, v in scales.items()})
    for name, s in scales.items():
        assert keys[name] == s["reversed"], name
        mine = first_component_loadings(df, s["items"])
        ref = pd.Series(s["loadings"])
        assert list(mine.index) == list(ref.index)  # the constant item is left out
        np.testing.assert_allclose(mine.to_numpy(), ref.to_numpy(), atol=1e-10)


def test_online_loyalty_reverses_des4_and_loy4() -> None:
    keys = FX["online_loyalty"]["scales"]
    got = check_keys(_frame("online_loyalty"), {k: v["items"] for k, v in keys.items()})
    assert {i for its in got.values() for i in its} == {"DES4", "LOY4"}


def test_pairwise_correlations_not_listwise() -> None:
    """bfi has missing answers: the loadings come from pairwise correlations (psych's
    default); on the complete rows they differ by more than the tolerance above."""
    df = _bfi()
    items = FX["bfi"]["scales"]["A"]["items"]
    ref = pd.Series(FX["bfi"]["scales"]["A"]["loadings"])
    listwise = first_component_loadings(df[items].dropna())
    assert np.abs(listwise - ref).max() > 1e-4


def test_single_item_and_errors() -> None:
    df = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 2, 1], "t": ["x", "y", "z"]})
    assert check_keys(df, {"F": ["a"]}) == {"F": []}
    with pytest.raises(InputError, match="not in the data"):
        check_keys(df, {"F": ["a", "zz"]})
    with pytest.raises(InputError, match="not numeric"):
        check_keys(df, {"F": ["a", "t"]})
    gaps = pd.DataFrame({"a": [1.0, 2, np.nan, np.nan], "b": [np.nan, np.nan, 1, 2]})
    with pytest.raises(InputError, match="too few answers in common"):
        check_keys(gaps, {"F": ["a", "b"]})
