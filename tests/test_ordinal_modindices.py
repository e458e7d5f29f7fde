"""Modification indices of models with ordered items (issue 16) against lavaan 0.6.14's
``modindices(fit)`` (tests/fixtures/R/ordinal_mi.R on psych::bfi): WLSMV, ULSMV and WLS,
CFA and SEM, one group and two groups (configural, and equal thresholds and loadings), a
continuous variable beside ordered items (polyserial), and an ordered item predicting another.

Every candidate row lavaan lists is compared, twice: at lavaan's own estimates (the
formula: the information, gradient and scaling lavaan uses) and at loyaltysem's estimates
(what a user sees; lavaan stops its optimizer earlier, its chi-square is up to 2e-5 above
ours, which moves a few MIs by up to 2e-4 relative)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.modindices import modification_indices

FIX = Path(__file__).parent / "fixtures" / "ordinal"
KEY = ["lhs", "op", "rhs", "group"]
SEPC = ["sepc.lv", "sepc.all", "sepc.nox"]
CASES = [
    "mi_cfa5_wlsmv",
    "mi_cfa3_ulsmv",
    "mi_cfa2_wls",
    "mi_sem5_wlsmv",
    "mi_group2_wlsmv",
    "mi_group2_th_load",
    "mi_polyserial",
    "mi_ordered_predictor",
]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


@pytest.fixture(scope="module")
def fits(bfi):
    out = {}
    for name in CASES:
        ref = json.loads((FIX / f"{name}.json").read_text())
        args = ref["args"]
        kw = {"estimator": args["estimator"][0]}
        if "group" in args:
            kw["group"] = args["group"][0]
        if "group.equal" in args:
            kw["group_equal"] = args["group.equal"]
        out[name] = (ref, sem(ref["model"], bfi, ordered=ref["ordered"], **kw))
    return out


def _at_lavaan_solution(ref: dict, fit):
    """The same fit with lavaan's free estimates."""
    pt = fit.pt
    pos = {(r.lhs, r.op, r.rhs, int(r.group)): int(r.free) for r in pt.itertuples()}
    theta = np.full(fit.npar, np.nan)
    for r in pd.DataFrame(ref["free"]).itertuples():
        free = pos[(r.lhs, r.op, r.rhs, int(r.group))]
        assert free > 0, (r.lhs, r.op, r.rhs)
        theta[free - 1] = r.est
    assert not np.isnan(theta).any()
    return dataclasses.replace(fit, theta=theta)


def _merged(ref: dict, fit) -> pd.DataFrame:
    return _merged_frames(pd.DataFrame(ref["modindices"]), modification_indices(fit))


def _merged_frames(want: pd.DataFrame, got: pd.DataFrame) -> pd.DataFrame:
    """lavaan's rows beside ours (suffix _r: lavaan); the same rows on both sides."""
    assert len(got) == len(want)
    m = want.merge(got, on=KEY, how="outer", suffixes=("_r", ""), indicator=True)
    missing = m[m["_merge"] != "both"]
    assert missing.empty, missing[KEY + ["_merge"]].to_string()
    return m


def _check(m: pd.DataFrame, mi_abs: float, mi_rel: float, epc: float) -> None:
    err = (m["mi"] - m["mi_r"]).abs()
    bad = m[(err > mi_abs) & (err > mi_rel * m["mi_r"].abs())]
    assert bad.empty, bad[KEY + ["mi_r", "mi"]].to_string()
    for col in ["epc", *SEPC]:
        err = (m[col] - m[f"{col}_r"]).abs()
        bad = m[err > epc]
        assert bad.empty, bad[KEY + [f"{col}_r", col]].to_string()


@pytest.mark.parametrize("name", CASES)
def test_modindices_at_lavaan_solution(fits, name):
    ref, fit = fits[name]
    m = _merged(ref, _at_lavaan_solution(ref, fit))
    _check(m, mi_abs=1e-4, mi_rel=1e-5, epc=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_modindices_at_own_solution(fits, name):
    ref, fit = fits[name]
    m = _merged(ref, fit)
    _check(m, mi_abs=1e-3, mi_rel=5e-4, epc=1e-4)


def test_cli_fit_mi_ordered(tmp_path, capsys):
    """``loyaltysem fit --ordered ... --mi`` writes lavaan's modindices() into the JSON."""
    from loyaltysem.cli import main

    ref = json.loads((FIX / "mi_cfa2_wls.json").read_text())
    model = tmp_path / "m.lav"
    model.write_text(ref["model"] + "\n")
    out = tmp_path / "fit.json"
    args = ["fit", str(FIX / "bfi500.csv"), "--model", str(model), "--json", str(out)]
    assert main([*args, "--ordered", "all", "--estimator", "wls", "--mi"]) == 0
    got = json.loads(out.read_text())
    assert list(got["modindices"][0]) == [*KEY, "mi", "epc", *SEPC]
    m = _merged_frames(pd.DataFrame(ref["modindices"]), pd.DataFrame(got["modindices"]))
    _check(m, mi_abs=1e-3, mi_rel=5e-4, epc=1e-4)
    printed = capsys.readouterr().out
    assert "Modification indices (the 10 largest of 55)" in printed
    assert "A1 ~~  A2" in printed  # the largest
