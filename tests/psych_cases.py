"""The datasets of the psych/semTools fixtures (tests/fixtures/psych/*.json), loaded as the
R script loaded them. The real surveys live beside the repository in ../shared/datasets."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
PSYCH = REPO / "tests" / "fixtures" / "psych"
SHARED = REPO.parent / "shared" / "datasets"
DATASETS = ["example", "ecsi", "reputation", "hs"]


@cache
def _load(name: str):
    fx = json.loads((PSYCH / f"{name}.json").read_text(encoding="utf-8"))
    rel = fx["data_file"]
    path = SHARED / Path(rel).name if rel.startswith("../shared/") else REPO / rel
    return fx, path


def case(name: str):
    """(fixture dict, DataFrame); skips when the dataset is absent."""
    fx, path = _load(name)
    if not path.exists():
        pytest.skip(f"dataset {path} not found (the shared datasets live in {SHARED})")
    df = pd.read_csv(path)
    if name == "example":  # reverse-keyed items, recoded as the fixture script does
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    if name == "reputation":
        df = df.replace(-99, np.nan)
    return fx, df


def items_of(fx) -> list[str]:
    return [i for its in fx["constructs"].values() for i in its]
