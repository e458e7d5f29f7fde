"""The datasets of the psych/semTools fixtures (tests/fixtures/psych/*.json), loaded as the
R script loaded them. The real surveys are in tests/data/surveys."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PSYCH = REPO / "tests" / "fixtures" / "psych"
DATASETS = ["example", "ecsi", "reputation", "hs"]


@cache
def _load(name: str):
    fx = json.loads((PSYCH / f"{name}.json").read_text(encoding="utf-8"))
    rel = fx["data_file"]
    path = REPO / rel
    return fx, path


def case(name: str):
    """(fixture dict, DataFrame)."""
    fx, path = _load(name)
    df = pd.read_csv(path)
    if name == "example":  # reverse-keyed items, recoded as the fixture script does
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    if name == "reputation":
        df = df.replace(-99, np.nan)
    return fx, df


def items_of(fx) -> list[str]:
    return [i for its in fx["constructs"].values() for i in its]
