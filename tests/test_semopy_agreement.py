"""Our estimation core and semopy's agree on the example data (issue: foundation).

semopy is an independent implementation; agreement to its optimizer's precision shows the
core fits the same model. Measurement rows are compared in lavaan's form (factor =~ item),
which semopy writes as item ~ factor.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import LazyModule

from loyaltysem.examples import example_paths
from loyaltysem.semcore.estimation import sem

semopy = LazyModule("semopy")  # imported by the worker that runs these tests only


def _order(fit, a, b):
    pairs = set(zip(fit.estimates["lhs"], fit.estimates["rhs"], strict=True))
    return (a, b) if (a, b) in pairs else (b, a)


@pytest.fixture(scope="module")
def both(example_frame):
    data = example_frame.dropna(subset=[c for c in example_frame.columns if c[:3].isupper()])
    syntax = example_paths()["model_lav"].read_text(encoding="utf-8")
    ours = sem(syntax, data)
    model = semopy.Model(syntax)
    model.fit(data)
    theirs = model.inspect(std_est=True)
    lv = set(ours.model.mv.lv)
    rows = []
    for _, r in theirs.iterrows():
        lhs, op, rhs = r["lval"], r["op"], r["rval"]
        if op == "~" and rhs in lv and lhs not in lv:
            lhs, op, rhs = rhs, "=~", lhs
        if op == "~~":  # semopy may write a covariance the other way round
            lhs, rhs = _order(ours, lhs, rhs)
        rows.append((lhs, op, rhs, r["Estimate"], r["Std. Err"], r["Est. Std"]))
    theirs = pd.DataFrame(rows, columns=["lhs", "op", "rhs", "est", "se", "std"])
    merged = ours.estimates.merge(theirs, on=["lhs", "op", "rhs"], suffixes=("", "_semopy"))
    return ours, merged


def test_every_parameter_is_matched(both):
    ours, merged = both
    assert len(merged) == len(ours.estimates)


def test_estimates_agree(both):
    _, m = both
    diff = (m["est"] - m["est_semopy"]).abs()
    assert diff.max() < 2e-3, m.loc[diff.idxmax(), ["lhs", "op", "rhs", "est", "est_semopy"]]


def test_standardized_estimates_agree(both):
    _, m = both
    diff = (m["std.all"] - m["std"]).abs()
    assert diff.max() < 2e-3


def test_standard_errors_agree(both):
    _, m = both
    free = m["se_semopy"].notna() & (m["se"] > 0)
    rel = ((m.loc[free, "se"] - m.loc[free, "se_semopy"]) / m.loc[free, "se"]).abs()
    assert rel.max() < 0.02
