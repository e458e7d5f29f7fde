"""Measurement validity from the CFA against semTools, and residual correlations against
lavaan (issue: SEM results)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import data_for, fixture

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.modindices import residuals


def _constructs(fit):
    est = fit.estimates
    rows = est[est["op"] == "=~"]
    return {f: list(rows.loc[rows["lhs"] == f, "rhs"]) for f in dict.fromkeys(rows["lhs"])}


@pytest.mark.parametrize("name", ["loyalty_cfa", "hs_cfa_ml"])
def test_omega_ave_htmt_match_semtools(name):
    from loyaltysem.psychometrics.reliability import convergent_validity, htmt

    fx = fixture(name)
    data = data_for(fx)
    fit = sem(fx["model"], data)
    ci = _constructs(fit)
    items = [i for its in ci.values() for i in its]
    val = convergent_validity(fit.estimates, ci, data[items].dropna().cov(ddof=0))
    for c, value in fx["compRelSEM"].items():
        assert val.loc[c, "omega"] == pytest.approx(value, rel=1e-4)
    for c, value in fx["AVE"].items():
        assert val.loc[c, "ave.semtools"] == pytest.approx(value, rel=1e-4)
    for key, flag in (("htmt", False), ("htmt2", True)):
        ours = htmt(data, ci, htmt2=flag)
        theirs = np.array(fx[key])
        assert np.allclose(
            ours.to_numpy()[np.tril_indices(len(ci), -1)],
            theirs[np.tril_indices(len(ci), -1)],
            atol=1e-6,
        )


def test_fornell_larcker_cr_from_standardized_loadings():
    from loyaltysem.psychometrics.reliability import (
        average_variance_extracted,
        composite_reliability,
    )

    loadings = [0.8, 0.7, 0.6]
    s = sum(loadings) ** 2
    assert composite_reliability(loadings) == pytest.approx(
        s / (s + sum(1 - x**2 for x in loadings))
    )
    assert average_variance_extracted(loadings) == pytest.approx(np.mean(np.square(loadings)))


def test_residual_correlations_match_lavaan():
    fx = fixture("hs_cfa_ml")
    fit = sem(fx["model"], data_for(fx))
    ours = residuals(fit, "cor")[0]
    theirs = np.array(fx["resid_cor"])
    assert np.allclose(ours.to_numpy(), theirs, atol=1e-6)
    assert isinstance(ours, pd.DataFrame) and list(ours.index) == [f"x{i}" for i in range(1, 10)]
