"""Saturated models (df = 0): every fitMeasures() value lavaan 0.6.14 gives, for just-identified
path models and three-item one-factor CFAs under ML, MLR, FIML, MLR + FIML, two groups,
std.lv = TRUE and ordered items (WLSMV, ULSMV), and lavaan's index functions themselves
(lav_fit_cfi, _tli, _nnfi, _rni with and without c.hat, _rfi, _nfi, _pnfi, _ifi, _rmsea,
_rmsea_ci, _rmsea_closefit, _rmsea_notclosefit, _cn) on a grid of statistics with df = 0, NA
and Inf. Fixture: tests/fixtures/R/saturated.R -> tests/fixtures/saturated.json.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.fit import indices as fi

FIX = Path(__file__).parent / "fixtures"
REF = json.loads((FIX / "saturated.json").read_text())
TOL = 1e-6  # absolute, relative above 1
EPS = float(np.finfo(float).eps)
# Hoelter's CN at df = 0 is 0 / 0: lavaan gives NA when its chisq < machine epsilon and 1
# otherwise, i.e. by the sign of its rounding (0 after its clip at 0 in one group, 1e-15 ..
# 4e-13 with two groups or ordered items). loyaltysem gives NA whenever chisq is zero up to
# rounding (fitindices._hoelter); where lavaan's rounding left chisq above epsilon its 1 is
# not compared (the test checks that lavaan's chisq there is rounding, < 1e-12).
CN = ("cn_05", "cn_01")


def _num(v) -> float:
    """A fixture value: "NA"/"NaN" (R's NA, NaN) -> nan, "Inf"/"-Inf" -> +-inf."""
    if isinstance(v, str):
        return {"Inf": math.inf, "-Inf": -math.inf}.get(v, math.nan)
    return math.nan if v is None else float(v)


def _same(ours: float, ref, tol: float = TOL) -> bool:
    r = _num(ref)
    if math.isnan(r) or math.isinf(r):
        return ours == r or (math.isnan(r) and math.isnan(ours))
    return not math.isnan(ours) and abs(ours - r) <= tol * max(1.0, abs(r))


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    b = pd.read_csv(FIX / "ordinal" / "bfi500.csv")
    b["gender"] = b["gender"].map({1: "male", 2: "female"})
    bm = b.copy()
    for col, rows in REF["blank"].items():  # 1-based row numbers, as in the R script
        bm.loc[[r - 1 for r in rows], col] = np.nan
    return {"B": b, "BM": bm}


def _fit(case: dict, data: dict):
    args = case["args"] or {}  # R writes an empty list as []
    kw = {"std_lv": bool(args.get("std.lv", False))}
    for r_name, py_name in (("estimator", "estimator"), ("missing", "missing"), ("group", "group")):
        if r_name in args:
            kw[py_name] = args[r_name]
    if args.get("ordered"):
        kw["ordered"] = ["A1", "A2", "A3"]
    return sem(case["model"], data[case["data"]], **kw)


@pytest.fixture(scope="module")
def fits(data):
    return {name: _fit(case, data) for name, case in REF["cases"].items()}


@pytest.mark.parametrize("name", list(REF["cases"]))
def test_fit_measures_equal_lavaan(fits, name):
    ref = REF["cases"][name]["fit"]
    fm = fits[name].fit_measures
    assert fm["df"] == 0 == ref["df"]
    rounding_only = _num(ref["chisq"]) >= EPS
    if rounding_only:
        assert _num(ref["chisq"]) < 1e-12
    compared = [k for k in ref if k in fm and not (rounding_only and k in CN)]
    bad = {k: (fm[k], ref[k]) for k in compared if not _same(fm[k], ref[k])}
    assert not bad, bad
    assert len(compared) >= 40


@pytest.mark.parametrize("name", list(REF["cases"]))
def test_every_lavaan_measure_given(fits, name):
    assert not set(REF["cases"][name]["fit"]) - set(fits[name].fit_measures)


def test_saturated_values_named_in_the_issue(fits):
    fm = fits["path_ml"].fit_measures
    for k in ("tli", "nnfi", "rfi", "nfi", "gfi", "agfi", "mfi", "cfi"):
        assert fm[k] == pytest.approx(1, abs=1e-9), k
    for k in ("pnfi", "pgfi", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper"):
        assert fm[k] == 0, k
    for k in ("pvalue", "rmsea.pvalue", "cn_05", "cn_01"):
        assert math.isnan(fm[k]), k
    mlr = fits["path_mlr"].fit_measures
    assert mlr["cfi.scaled"] == pytest.approx(1) and math.isnan(mlr["cfi.robust"])
    assert math.isnan(mlr["rmsea.scaled"]) and mlr["rmsea.robust"] == 0
    assert mlr["chisq.scaled"] == mlr["chisq"] and math.isnan(mlr["chisq.scaling.factor"])


# ----------------------------------------------------------------------------- the functions


def _opt(v):
    return None if v is None else _num(v)


_CHATS = {"none": None, "both": (1.3, 1.1), "one": (1.0, 1.2), "na": (math.nan, 1.2),
          "inf": (math.inf, 1.2), "below": (0.7, 0.9)}  # fmt: skip


def test_incremental_functions_equal_lavaan():
    bad = []
    for row in REF["functions"]["incremental"]:
        args = tuple(_num(row[k]) for k in ("X2", "df", "X2.null", "df.null"))
        ch = _CHATS[row["chat"]]
        extra = {} if ch is None else {"c_hat": ch[0], "c_hat0": ch[1]}
        for f in ("cfi", "tli", "nnfi", "rni", "rfi", "nfi", "pnfi", "ifi"):
            if f not in row:
                continue
            fun = getattr(fi, "tli" if f == "nnfi" else f)
            ours = fun(*args, **extra) if f in ("cfi", "tli", "nnfi", "rni") else fun(*args)
            if not _same(ours, row[f], 1e-12):
                bad.append((f, row, ours))
    assert not bad, bad[:5]


def test_rmsea_functions_equal_lavaan():
    bad = []
    for row in REF["functions"]["rmsea"]:
        x2, df, n, g, c = (_num(row[k]) for k in ("X2", "df", "N", "G", "c.hat"))
        g = int(g)
        ours = {
            "rmsea": fi.rmsea_point(x2, df, n, g, c_hat=c),
            "close": fi.rmsea_pvalues(x2, df, n, g, c_hat=c)[0],
            "notclose": fi.rmsea_pvalues(x2, df, n, g, c_hat=c)[1],
        }
        ours["lower"], ours["upper"] = fi.rmsea_ci(x2, df, n, g, c_hat=c)
        for k, v in ours.items():
            # R's uniroot() stops at |d lambda| ~ 1e-4: CI bounds to 1e-5
            if not _same(v, row[k], 1e-5 if k in ("lower", "upper") else 1e-9):
                bad.append((k, row, v))
    assert not bad, bad[:5]


def test_hoelter_equal_lavaan():
    for row in REF["functions"]["cn"]:
        x2, df, n = (_num(row[k]) for k in ("X2", "df", "N"))
        assert _same(fi._hoelter(x2, df, n, 0.05), row["cn_05"], 1e-9), row
        assert _same(fi._hoelter(x2, df, n, 0.01), row["cn_01"], 1e-9), row
