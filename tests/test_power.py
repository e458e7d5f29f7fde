"""Sample-size planning (issue: Monte Carlo and RMSEA power)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from loyaltysem.analyses.power import monte_carlo_power, rmsea_power, rmsea_sample_size

FIX = Path(__file__).resolve().parent / "fixtures" / "power" / "rmsea.json"
TWO_FACTOR = "f1 =~ .7*a1 + .7*a2 + .7*a3\nf2 =~ .7*b1 + .7*b2 + .7*b3\nf2 ~ .25*f1"


def test_rmsea_power_and_sample_size_match_semtools():
    fx = json.loads(FIX.read_text())
    for r in pd.DataFrame(fx["power"]).to_dict("records"):
        ours = float(rmsea_power(r["rmsea0"], r["rmseaA"], r["df"], r["n"]))
        assert ours == pytest.approx(r["power"], abs=1e-10), r
    for r in pd.DataFrame(fx["samplesize"]).to_dict("records"):
        assert rmsea_sample_size(r["rmsea0"], r["rmseaA"], r["df"]) == r["n"], r


def _wald_power(n: int, alpha: float = 0.05) -> float:
    """Closed form: the z test of the path with its SE from the expected information of the
    population model at N (the test's asymptotic power)."""
    from loyaltysem.analyses.power import analysis_syntax
    from loyaltysem.semcore.estimate.optimizer import fisher_scoring
    from loyaltysem.semcore.estimation import sem
    from loyaltysem.semcore.model.compiled import GroupData, expected_information
    from loyaltysem.semcore.resample.simulate import population_moments

    names, sigma, _ = population_moments(TWO_FACTOR)
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.multivariate_normal(np.zeros(6), sigma, 500), columns=names)
    fit = sem(analysis_syntax(TWO_FACTOR), df)
    exact = [GroupData(n, sigma, np.zeros(6))]
    theta, _, _ = fisher_scoring(fit.model, exact, fit.theta)
    vcov = np.linalg.inv(expected_information(fit.model, exact, theta))
    k = int(fit.pt.loc[fit.pt["op"] == "~", "free"].iloc[0]) - 1
    z = theta[k] / np.sqrt(vcov[k, k])
    crit = stats.norm.isf(alpha / 2)
    return float(stats.norm.sf(crit - z) + stats.norm.cdf(-crit - z))


@pytest.mark.slow
def test_monte_carlo_power_matches_the_closed_form():
    """R = 600 replications: the Monte Carlo power has SE sqrt(p(1-p)/R) (about .02); we
    allow 4 SEs."""
    n, reps = 120, 600
    expected = _wald_power(n)
    res = monte_carlo_power(TWO_FACTOR, [n], reps, seed=11, scale=None, n_jobs=1)
    got = res.table.loc[res.table["parameter"] == "f2 ~ f1", "power"].iloc[0]
    se = np.sqrt(expected * (1 - expected) / reps)
    assert abs(got - expected) < 4 * se, (got, expected)
    cov = res.table["coverage"].iloc[0]
    assert abs(cov - 0.95) < 4 * np.sqrt(0.95 * 0.05 / reps)


def test_same_seed_same_result_whatever_the_workers():
    a = monte_carlo_power(TWO_FACTOR, [80, 150], 40, seed=3, n_jobs=1, chunk_size=7)
    b = monte_carlo_power(TWO_FACTOR, [80, 150], 40, seed=3, n_jobs=2, chunk_size=20)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert list(a.min_n.columns) == ["parameter", "min.n", "power.at.max.n"]


def test_power_command(tmp_path):
    from loyaltysem.cli import main

    model = tmp_path / "pop.lav"
    model.write_text(TWO_FACTOR + "\n", encoding="utf-8")
    out = tmp_path / "power.json"
    folder = tmp_path / "power"
    args = ["power", "--model", str(model), "--n", "60,120", "--reps", "20", "--seed", "1"]
    assert main([*args, "--jobs", "1", "--json", str(out), "--out", str(folder)]) == 0
    doc = json.loads(out.read_text())
    assert {"power", "fit", "min_n", "rmsea", "warnings"} <= set(doc)
    assert {r["n"] for r in doc["power"]} == {60, 120}
    names = {p.name for p in folder.iterdir()}
    assert {"power.csv", "min_n.csv", "rmsea_power.csv", "power_curves.png"} <= names
