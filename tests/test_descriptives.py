"""describe / mardia / mahalanobis_outliers against R (psych 2.x, stats) on committed fixtures.

Fixtures: tests/fixtures/screening/*.json, written by tests/fixtures/R/screening_fixtures.R.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.descriptives import (
    describe,
    mahalanobis_outliers,
    mardia,
    sample_profile,
)
from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures" / "screening"


def _fixture(name: str) -> tuple[dict, pd.DataFrame]:
    fx = json.loads((FIX / f"{name}.json").read_text(encoding="utf-8"))
    src = Path(fx["source"])
    path = REPO / src
    if name == "small":
        survey = load(path, REPO / "tests/data/loaders/small.toml")
    else:
        survey = load(path, missing_codes=fx["missing_codes"])
    return fx, survey.data[fx["columns"]]


CASES = ["small", "ecsi", "reputation"]


@pytest.mark.parametrize("name", CASES)
def test_describe_matches_psych(name):
    fx, X = _fixture(name)
    got = describe(X)
    for item, ref in fx["describe"].items():
        for key, value in ref.items():
            assert got.loc[item, key] == pytest.approx(value, rel=1e-9, abs=1e-12), (item, key)


@pytest.mark.parametrize("name", CASES)
def test_mardia_matches_psych(name):
    fx, X = _fixture(name)
    got = mardia(X)
    ref = fx["mardia"]
    pairs = {
        "n": "n", "p": "p", "b1p": "b1p", "b2p": "b2p", "skew": "skew",
        "small.skew": "small.skew", "skew.pvalue": "p.skew", "small.skew.pvalue": "p.small",
        "kurtosis.z": "kurtosis", "kurtosis.pvalue": "p.kurt",
    }  # fmt: skip
    for ours, theirs in pairs.items():
        assert got[ours] == pytest.approx(ref[theirs], rel=1e-8, abs=1e-14), ours


@pytest.mark.parametrize("name", CASES)
def test_mahalanobis_matches_r(name):
    fx, X = _fixture(name)
    got = mahalanobis_outliers(X)
    rows = np.asarray(fx["mahalanobis"]["rows"]) - 1
    np.testing.assert_allclose(got["d2"].to_numpy()[rows], fx["mahalanobis"]["d2"], rtol=1e-9)
    np.testing.assert_allclose(
        got["pvalue"].to_numpy()[rows], fx["mahalanobis"]["p"], rtol=1e-7, atol=1e-300
    )
    assert got["d2"].isna().sum() == len(X) - len(rows)
    assert (got["outlier"] == (got["pvalue"] < 0.001)).all()


def test_mardia_large_n_path_equals_direct():
    import loyaltysem.psychometrics.descriptives as D

    rng = np.random.default_rng(1)
    z = D._whiten(rng.gamma(2.0, size=(700, 6)), "t")
    direct = float(np.sum((z @ z.T) ** 3))
    assert D._sum_cubed_gram(z, chunk=128) == pytest.approx(direct, rel=1e-10)


def test_describe_definitions():
    d = describe(pd.DataFrame({"a": [1.0, 2, 3, 4, 10], "b": ["x", None, None, None, None]}))
    x = np.array([1.0, 2, 3, 4, 10])
    m = x - x.mean()
    s = x.std(ddof=1)
    assert d.loc["a", "skew"] == pytest.approx(np.mean(m**3) / s**3)
    assert d.loc["a", "kurtosis"] == pytest.approx(np.mean(m**4) / s**4 - 3)
    assert d.loc["b", "n"] == 0 and np.isnan(d.loc["b", "mean"])
    assert bool(d.loc["a", "normal.ok"])


def test_mardia_errors_are_input_errors():
    with pytest.raises(InputError, match="too few"):
        mardia(pd.DataFrame({"a": [1.0, 2], "b": [2.0, 1]}))
    with pytest.raises(InputError, match="singular"):
        mardia(pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0, 4, 6, 8, 10, 12]}))


def test_sample_profile_labels_and_missing():
    inst = read_instrument(REPO / "tests/data/loaders/small.toml")
    df = pd.DataFrame({"gender": [1.0, 2, 2, np.nan], "age_band": [1.0, 1, 3, 3]})
    prof = sample_profile(df, ["gender", "age_band"], inst, lang="zh", missing_label="缺失")
    g = prof[prof["code"] == "gender"]
    assert g["category"].tolist() == ["男", "女", "缺失"]
    assert g["n"].tolist() == [1, 2, 1]
    assert g["percent"].sum() == pytest.approx(100)
    a = prof[prof["code"] == "age_band"]
    assert a["n"].tolist() == [2, 0, 2]  # declared but unchosen categories are shown
    assert (prof["variable"].iloc[0]) == "性别"
