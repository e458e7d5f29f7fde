"""Bootstrap of effects and parameters (issue: mediation with bootstrap intervals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import data_for, fixture, frame

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.inference.effects import effects
from loyaltysem.semcore.model.compiled import bfgs_refit, ml_observed_hessian, newton_refit
from loyaltysem.semcore.resample.bootstrap import bootstrap, fill_intervals, norm_inter


@pytest.fixture(scope="module")
def poldem():
    fx = fixture("poldem_bootstrap")
    return fx, sem(fx["model"], data_for(fx))


def test_fast_paths_reach_the_main_engines_solution(example_frame):
    """Both refit paths, started away from the solution on the full sample, land on the
    main engine's estimates to 1e-6."""
    fit = sem("models/online_loyalty.lav", example_frame.dropna())
    hinv = np.linalg.inv(ml_observed_hessian(fit.model, fit.data, fit.theta))
    start = fit.theta * 1.05
    a, ok_a, _ = bfgs_refit(fit.model, fit.data, start, hinv, tol=1e-10)
    b, ok_b, _ = newton_refit(fit.model, fit.data, start, tol=1e-10)
    assert ok_a and ok_b
    assert np.max(np.abs(a - fit.theta)) < 1e-6
    assert np.max(np.abs(b - fit.theta)) < 1e-6


def test_same_seed_same_intervals_whatever_the_workers(poldem):
    _, fit = poldem
    one = bootstrap(fit, 60, seed=7, n_jobs=1, chunk_size=7)
    two = bootstrap(fit, 60, seed=7, n_jobs=2, chunk_size=25)
    pd.testing.assert_frame_equal(one.table, two.table)
    other = bootstrap(fit, 60, seed=8, n_jobs=1)
    assert not one.table["ci.lower"].equals(other.table["ci.lower"])


def test_intervals_agree_with_lavaan_within_monte_carlo_error(poldem):
    """lavaan's and our 1,000-draw intervals use different random resamples, so they differ by
    Monte Carlo error: a 2.5% quantile of R = 1000 draws has a standard error of about
    sqrt(.025 * .975 / R) / phi(1.96) = 0.085 bootstrap SEs, so two independent runs differ by
    about 0.12 SEs (SD). We allow 0.5 bootstrap SEs (about 4 SDs) for each bound, and the
    bootstrap SEs themselves within 10%."""
    fx, fit = poldem
    boot = bootstrap(fit, 1000, seed=1, n_jobs=1)
    ours = fill_intervals(fit.estimates, boot, "percentile")
    ours_bc = fill_intervals(fit.estimates, boot, "bc")
    key = ["lhs", "op", "rhs", "group"]
    for kind, table in (("perc", ours), ("bc", ours_bc)):
        theirs = frame(fx[kind])
        m = table.merge(theirs, on=key, suffixes=("", "_lav"))
        defined = m[m["op"] == ":="]
        assert len(defined) == 2
        for r in defined.to_dict("records"):
            tol = 0.5 * r["se_lav"]
            assert abs(r["ci.lower"] - r["ci.lower_lav"]) < tol, (kind, r["lhs"])
            assert abs(r["ci.upper"] - r["ci.upper_lav"]) < tol, (kind, r["lhs"])
            assert abs(r["boot.se"] - r["se_lav"]) < 0.10 * r["se_lav"], (kind, r["lhs"])


def test_indirect_effects_are_in_the_table(example_frame):
    fit = sem("models/online_loyalty.lav", example_frame.dropna())
    eff = effects(fit)
    row = eff[eff["effect"] == "SAT -> TRU -> LOY"].iloc[0]
    est = fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    assert row["est"] == pytest.approx(est[("TRU", "~", "SAT")] * est[("LOY", "~", "TRU")])
    boot = bootstrap(fit, 40, seed=3, n_jobs=1)
    names = set(boot.table["name"])
    assert "SAT -> TRU -> LOY" in names and "SER -> SAT -> TRU -> LOY" in names
    assert boot.n_failed == 0


def test_norm_inter_matches_plain_order_statistics_when_exact():
    t = np.arange(1, 1000, dtype=float)  # R = 999: (R + 1) * .025 = 25 exactly
    lo, hi = norm_inter(t, np.array([0.025, 0.975]))
    assert lo == 25.0 and hi == 975.0


def test_bca_and_bollen_stine(poldem):
    _, fit = poldem
    boot = bootstrap(fit, 80, seed=2, n_jobs=1, ci="bca", bollen_stine=True)
    assert (boot.table["ci"] == "bca").all() and boot.ci == "bca"
    perc = boot.intervals("percentile")  # the other types from the same draws
    assert {"ci.lower", "ci.upper"} <= set(perc.columns) and (perc["ci"] == "percentile").all()
    assert not np.allclose(perc["ci.lower"], boot.table["ci.lower"], equal_nan=True)
    assert 0.0 <= boot.bollen_stine_pvalue <= 1.0
    plain = bootstrap(fit, 20, seed=2, n_jobs=1)
    with pytest.raises(ValueError, match="BCa"):
        plain.intervals("bca")


@pytest.mark.slow
def test_runs_on_a_dask_cluster(poldem):
    distributed = pytest.importorskip("dask.distributed")
    _, fit = poldem
    local = bootstrap(fit, 40, seed=5, n_jobs=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = bootstrap(fit, 40, seed=5, client=client)
    pd.testing.assert_frame_equal(local.table, remote.table)


def test_htmt_bootstrap_intervals(example_frame):
    from loyaltysem.psychometrics.reliability import htmt

    ci = {
        "SAT": ["SAT1", "SAT2", "SAT3"],
        "TRU": ["TRU1", "TRU2", "TRU3"],
        "LOY": ["LOY1", "LOY2", "LOY3", "LOY4"],
    }
    model = "\n".join(f"{c} =~ {' + '.join(i)}" for c, i in ci.items())
    data = example_frame.dropna()
    fit = sem(model, data)
    boot = bootstrap(fit, 60, seed=4, n_jobs=1, htmt=ci)
    rows = boot.table[boot.table["kind"] == "htmt"].set_index("name")
    point = htmt(data, ci)
    assert rows.loc["HTMT SAT-TRU", "est"] == pytest.approx(point.loc["SAT", "TRU"])
    assert rows.loc["HTMT SAT-TRU", "ci.lower"] < rows.loc["HTMT SAT-TRU", "est"]
    assert rows.loc["HTMT SAT-TRU", "ci.upper"] > rows.loc["HTMT SAT-TRU", "est"]
