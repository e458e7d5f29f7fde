"""Reading the committed lavaan fixtures (made by tests/fixtures/make_fixtures.R)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
LAVAAN = REPO / "tests" / "fixtures" / "lavaan"

# fitMeasures() names the SEM issue requires to agree with lavaan
CORE_FIT = [
    "npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "nnfi",
    "nfi", "ifi", "rni", "pnfi", "rfi", "logl", "unrestricted.logl", "aic", "bic", "bic2",
    "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "rmsea.notclose.pvalue",
    "rmr", "rmr_nomean", "srmr", "srmr_bentler", "srmr_bentler_nomean", "gfi", "agfi",
    "pgfi", "mfi", "ecvi", "cn_05", "cn_01", "fmin",
]  # fmt: skip
ROBUST_FIT = [
    "chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor",
    "baseline.chisq.scaled", "baseline.chisq.scaling.factor", "cfi.scaled", "tli.scaled",
    "nnfi.scaled", "rfi.scaled", "nfi.scaled", "pnfi.scaled", "ifi.scaled", "rni.scaled",
    "cfi.robust", "tli.robust", "nnfi.robust", "rni.robust", "rmsea.scaled",
    "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled", "rmsea.robust",
    "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "rmsea.pvalue.robust",
]  # fmt: skip


@cache
def fixture(name: str) -> dict:
    path = LAVAAN / f"{name}.json"
    if not path.exists():  # a committed fixture: its absence is a failure, not a skip
        raise FileNotFoundError(f"fixture {path.name} missing (run: make fixtures)")
    return json.loads(path.read_text(encoding="utf-8"))


def frame(rows) -> pd.DataFrame:
    """A list-of-records or column-dict JSON table as a DataFrame ('' labels for null)."""
    df = pd.DataFrame(rows)
    if "op" in df and "group" not in df:  # single-group lavaan tables have no group column
        df["group"] = np.where(df["op"] == ":=", 0, 1)
    for c in ("label", "rhs"):
        if c in df:
            df[c] = df[c].fillna("")
    return df


def data_for(fx: dict) -> pd.DataFrame:
    path = REPO / fx["data_file"]
    df = pd.read_csv(path)
    if fx["data_file"] == "data/online_loyalty.csv":
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    return df


def close(ours, theirs, rel: float, abs_: float) -> bool:
    if theirs is None or (isinstance(theirs, float) and np.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and np.isnan(ours))
    return abs(ours - theirs) <= max(abs_, rel * abs(theirs))
