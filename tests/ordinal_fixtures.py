"""Shared by the ordered-item tests: the committed lavaan fixtures of
tests/fixtures/ordinal/ (written by tests/fixtures/R/ordinal*.R) and their data, psych::bfi's
first 500 complete rows (tests/fixtures/ordinal/bfi500.csv)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

FIX = Path(__file__).parent / "fixtures" / "ordinal"


def ordinal_fixture(name: str) -> dict:
    return json.loads((FIX / f"{name}.json").read_text())


def bfi_frame(*, female: bool = False, labels: bool = True) -> pd.DataFrame:
    """bfi500.csv; ``female`` adds the 0/1 covariate gender - 1, ``labels`` gives gender
    lavaan's factor labels ("male", "female") as the grouping column."""
    df = pd.read_csv(FIX / "bfi500.csv")
    if female:
        df["female"] = df["gender"] - 1
    if labels:
        df["gender"] = df["gender"].map({1: "male", 2: "female"})
    return df
