"""std.lv = TRUE with group.equal (lavaan 0.6.14's lav_partable_flat): equal loadings free the
latent variances of groups 2+; fixture tests/fixtures/R/std_lv_groups.R."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from loyaltysem.semcore.estimation import sem

FIX = Path(__file__).parent / "fixtures"
CASES = json.loads((FIX / "std_lv_groups.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_std_lv_group_equal_matches_lavaan(case):
    ref = CASES[case]
    data = pd.read_csv(FIX / "ordinal" / "bfi500.csv")
    equal = ref["group_equal"]
    equal = [equal] if isinstance(equal, str) else equal  # jsonlite unboxes length-1 vectors
    fit = sem(ref["model"], data, group="gender", group_equal=equal, std_lv=True)
    for key, value in ref["fit"].items():
        assert fit.fit_measures[key] == pytest.approx(value, rel=1e-5, abs=1e-6), key
    ours = fit.estimates.assign(rhs=fit.estimates["rhs"].fillna(""))
    want = pd.DataFrame(ref["estimates"]).fillna({"rhs": ""})
    merged = want.merge(ours, on=["lhs", "op", "rhs", "group"], suffixes=("_r", ""))
    assert len(merged) == len(want)
    assert (merged["est"] - merged["est_r"]).abs().max() < 1e-4
    assert (merged["se"] - merged["se_r"]).abs().max() < 1e-4
