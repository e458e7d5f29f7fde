"""Problems in a fit are surfaced, never swallowed (issue: SEM results)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import EstimationError, IdentificationError, InputError
from loyaltysem.semcore.estimation import sem


def _heywood_data():
    rng = np.random.default_rng(3)
    n = 60
    f = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x1": f + rng.normal(0, 0.05, n),
            "x2": 0.5 * f + rng.normal(0, 1, n),
            "x3": 0.5 * f + rng.normal(0, 1, n),
            "x4": 0.4 * f + rng.normal(0, 1, n),
        }
    )


def test_heywood_case_is_warned_and_in_the_json():
    fit = sem("f =~ x1 + x2 + x3 + x4", _heywood_data())
    assert fit.converged
    assert any("Heywood case" in w and "'x1'" in w for w in fit.warnings)
    assert any("Heywood" in w for w in fit.to_dict()["warnings"])


def test_clean_fit_has_no_warnings(example_frame):
    fit = sem("SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3", example_frame.dropna())
    assert fit.warnings == []


def test_listwise_deletion_is_reported(example_frame):
    fit = sem("SAT =~ SAT1 + SAT2 + SAT3", example_frame)
    assert any("listwise deletion" in w for w in fit.warnings)
    assert fit.n == int(example_frame[["SAT1", "SAT2", "SAT3"]].dropna().shape[0])


def test_singular_sample_covariance_is_an_error():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(50, 3)), columns=["a", "b", "c"])
    df["d"] = df["a"] + df["b"]  # a linear combination
    with pytest.raises(EstimationError, match="not positive definite"):
        sem("f =~ a + b + c + d", df)


def test_unidentified_model_is_an_error():
    df = _heywood_data()
    with pytest.raises(IdentificationError):
        sem("f =~ x1 + x2\ng =~ x3 + x4\nf ~~ g\nx1 ~~ x3\nx2 ~~ x4\nx1 ~~ x4\nx2 ~~ x3", df)


def test_missing_column_and_text_values_are_input_errors():
    df = _heywood_data()
    with pytest.raises(InputError, match="'x9'"):
        sem("f =~ x1 + x2 + x9", df)
    bad = df.astype(object)
    bad.loc[5, "x2"] = "agree"
    with pytest.raises(InputError, match="row 6"):
        sem("f =~ x1 + x2 + x3", bad)


def test_constant_item_in_a_group_names_the_group():
    df = _heywood_data()
    df["g"] = np.repeat([1, 2], 30)
    df.loc[df["g"] == 2, "x3"] = 1.0
    with pytest.raises(InputError, match="in group '2'"):
        sem("f =~ x1 + x2 + x3", df, group="g")


def test_small_group_names_the_group():
    df = _heywood_data()
    df["g"] = [1] * 57 + [2] * 3
    with pytest.raises(InputError, match="too few respondents in group '2': 3 for 4 items"):
        sem("f =~ x1 + x2 + x3 + x4", df, group="g")
