"""std.nox (the std.all that leaves exogenous observed covariates on their raw scale) against
lavaan 0.6.14: parameterEstimates(standardized = TRUE)'s std.lv / std.all / std.nox columns
and standardizedSolution(type = "std.nox" / "std.all" / "std.lv") with delta-method SEs, for a
model with covariates, a defined parameter and a residual covariance (ML, MLR, FIML,
multi-group MLR, fixed.x = FALSE). Fixture: tests/fixtures/R/std_nox.R.

Tolerances as tests/test_covariates_fiml.py: standardized values and SEs within 1e-3
relative (1e-5 absolute near zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import REPO, close, fixture, frame

from loyaltysem.semcore.estimation import sem

CASES = fixture("std_nox")
KEY = ["lhs", "op", "rhs", "group"]


def _kwargs(args: dict) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in args.items()}


@pytest.fixture(scope="module")
def fits():
    out = {}
    for name, case in CASES.items():
        df = pd.read_csv(REPO / case["data_file"])
        out[name] = (case, sem(case["model"], df, **_kwargs(case["args"])))
    return out


def _bad(m: pd.DataFrame, col: str) -> list:
    rows = m.to_dict("records")
    return [
        (r["lhs"], r["op"], r["rhs"], r[col], r[col + "_lav"])
        for r in rows
        if not close(r[col], r[col + "_lav"], 1e-3, 1e-5)
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_estimates_std_columns(fits, name):
    case, fit = fits[name]
    assert fit.n == case["nobs"]
    theirs = frame(case["estimates"])
    m = fit.estimates.merge(theirs, on=KEY, suffixes=("", "_lav"), how="outer", indicator=True)
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", KEY]
    for col in ("est", "std.lv", "std.all", "std.nox"):
        assert not _bad(m, col), (col, _bad(m, col)[:5])


@pytest.mark.parametrize("kind", ["std.nox", "std.all", "std.lv"])
@pytest.mark.parametrize("name", list(CASES))
def test_standardized_solution_ses(fits, name, kind):
    case, fit = fits[name]
    theirs = frame(case[kind])
    m = fit.standardized(kind).merge(theirs, on=KEY, suffixes=("", "_lav"))
    assert len(m) == len(theirs) == len(fit.standardized(kind))
    for col in ("est.std", "se"):
        assert not _bad(m, col), (col, _bad(m, col)[:5])


def test_nox_differs_from_all_only_where_a_covariate_is_scaled(fits):
    """std.nox = std.all except the rows that scale by a covariate's SD: a regression on a
    covariate, the covariates' (co)variances and means, and what is defined from them."""
    _, fit = fits["ml"]
    est = fit.estimates
    x = {"ageyr", "sex"}
    on_x = (est["op"] == "~") & est["rhs"].isin(x)
    of_x = est["op"].isin(["~~", "~1"]) & est["lhs"].isin(x)
    same = ~(on_x | of_x | (est["op"] == ":="))
    assert np.allclose(est.loc[same, "std.nox"], est.loc[same, "std.all"], equal_nan=True)
    assert not np.allclose(est.loc[on_x, "std.nox"], est.loc[on_x, "std.all"])
    with pytest.raises(ValueError, match="type must be"):
        fit.standardized("std.xx")


@pytest.mark.parametrize("name", ["ml", "random_x", "group_mlr"])
def test_modification_indices_sepc(fits, name):
    """sepc.lv / sepc.all / sepc.nox from the same standardization (fixed.x = FALSE too)."""
    from loyaltysem.semcore.modindices import modification_indices

    case, fit = fits[name]
    theirs = frame(case["mi"])
    ours = modification_indices(fit)
    m = ours.merge(theirs, on=KEY, suffixes=("", "_lav"))
    assert len(m) == len(theirs) == len(ours)
    # near-zero MIs differ by lavaan's own convergence noise (~1e-5): absolute floors
    for col, floor in (("mi", 1e-3), ("sepc.lv", 1e-4), ("sepc.all", 1e-4), ("sepc.nox", 1e-4)):
        # an EPC whose MI is ~0 (a path that only re-expresses a free one) is lavaan's noise
        rows = m if col == "mi" else m[m["mi_lav"] > 1e-3]
        bad = [
            (r["lhs"], r["op"], r["rhs"], r[col], r[col + "_lav"])
            for r in rows.to_dict("records")
            if not close(r[col], r[col + "_lav"], 1e-3, floor)
        ]
        assert not bad, (col, bad[:5])
