"""Construct scores, means/SDs and their correlation matrix against scipy.stats.pearsonr."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.construct_scores import (
    construct_correlations,
    construct_descriptives,
    construct_scores,
    stars,
)
from loyaltysem.survey.instrument import read_instrument


@pytest.fixture(scope="module")
def inst():
    return read_instrument("models/online_loyalty.toml")


def test_scores_are_item_means_with_reversed_items(example_frame, inst):
    sc = construct_scores(example_frame, inst.construct_items)
    assert list(sc.columns) == [c.code for c in inst.constructs]
    # LOY4 is reverse-keyed; example_frame already holds 8 - x (as the loader does)
    row = example_frame.loc[0, ["LOY1", "LOY2", "LOY3", "LOY4"]].astype(float)
    assert sc.loc[0, "LOY"] == pytest.approx(row.dropna().mean())
    complete = construct_scores(example_frame, inst.construct_items, missing="complete")
    some_missing = example_frame[inst.construct_items["SER"]].isna().any(axis=1)
    assert complete.loc[some_missing, "SER"].isna().all()
    assert sc.loc[some_missing, "SER"].notna().all()  # SPSS MEAN(): answered items


def test_descriptives_are_pandas_mean_and_sd(example_frame, inst):
    sc = construct_scores(example_frame, inst.construct_items)
    d = construct_descriptives(sc)
    for c in sc.columns:
        x = sc[c].dropna().to_numpy()
        assert d.loc[c, "mean"] == pytest.approx(x.mean(), abs=1e-12)
        assert d.loc[c, "sd"] == pytest.approx(np.std(x, ddof=1), abs=1e-12)
        assert d.loc[c, "n"] == len(x)


def test_correlations_and_p_values_equal_scipy_pearsonr(example_frame, inst):
    sc = construct_scores(example_frame, inst.construct_items)
    sc.loc[:9, "SAT"] = np.nan  # pairwise deletion must be handled
    ct = construct_correlations(sc)
    names = list(sc.columns)
    for i, a in enumerate(names):
        assert ct.r.loc[a, a] == 1.0 and ct.stars.loc[a, a] == ""
        for b in names[:i]:
            ok = sc[a].notna() & sc[b].notna()
            ref = stats.pearsonr(sc.loc[ok, a], sc.loc[ok, b])
            assert ct.r.loc[a, b] == pytest.approx(ref.statistic, abs=1e-12)
            assert ct.p.loc[a, b] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
            assert ct.r.loc[b, a] == ct.r.loc[a, b]
            assert ct.n.loc[a, b] == ok.sum()
            p = ref.pvalue
            mark = "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
            assert ct.stars.loc[a, b] == mark
    assert ct.n.loc["SAT", "LOY"] == sc["LOY"].notna().sum() - sc.loc[:9, "LOY"].notna().sum()


def test_small_sample_p_values_and_stars():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 3))
    x[:, 1] += 0.8 * x[:, 0]
    sc = pd.DataFrame(x, columns=["A", "B", "C"])
    ct = construct_correlations(sc)
    for a, b in (("B", "A"), ("C", "A"), ("C", "B")):
        ref = stats.pearsonr(sc[a], sc[b])
        assert ct.p.loc[a, b] == pytest.approx(ref.pvalue, rel=1e-9)
        assert ct.stars.loc[a, b] == stars(ref.pvalue)
    assert stars(0.05) == "" and stars(0.0499) == "*" and stars(0.00099) == "***"
    assert stars(float("nan")) == ""


def test_sqrt_ave_on_the_diagonal_and_the_printed_matrix(example_frame, inst):
    sc = construct_scores(example_frame, inst.construct_items)[["SAT", "TRU", "LOY"]]
    ct = construct_correlations(sc, ave={"SAT": 0.64, "TRU": 0.49})
    assert ct.diagonal["SAT"] == pytest.approx(0.8) and ct.diagonal["TRU"] == pytest.approx(0.7)
    assert np.isnan(ct.diagonal["LOY"]) and "LOY" in ct.notes[0]
    m = ct.matrix(decimals=3)
    assert m.loc["SAT", "SAT"] == ".800" and m.loc["LOY", "LOY"] == "1"
    assert m.loc["SAT", "TRU"] == ""  # upper triangle empty
    r = ct.r.loc["TRU", "SAT"]
    assert m.loc["TRU", "SAT"] == f"{r:.3f}".replace("0.", ".") + ct.stars.loc["TRU", "SAT"]
    assert m.loc["SAT", "M"] == f"{sc['SAT'].mean():.3f}"
    zh = ct.matrix(decimals=2, leading_zero=True)
    assert zh.loc["SAT", "SAT"] == "0.80"


def test_absent_or_text_items_raise_input_error():
    df = pd.DataFrame({"a1": [1.0, 2], "a2": ["x", "y"]})
    with pytest.raises(InputError, match="a3"):
        construct_scores(df, {"A": ["a1", "a3"]})
    with pytest.raises(InputError, match="a2"):
        construct_scores(df, {"A": ["a1", "a2"]})
