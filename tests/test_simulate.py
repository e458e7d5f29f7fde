"""The simulator: population values, reproducibility, and recovery by the estimator."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.examples import example_paths, make_example_data, write_example_data
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.resample.simulate import population_moments, simulate
from loyaltysem.survey.syntax import parse_syntax


def test_population_moments_closed_form():
    # one factor, standardized: cor(x_i, x_j) = l_i * l_j
    names, sigma, r2 = population_moments("f =~ 0.8*x1 + 0.7*x2 + 0.6*x3")
    assert names == ["x1", "x2", "x3"]
    assert np.allclose(np.diag(sigma), 1.0)
    assert sigma[0, 1] == pytest.approx(0.56)
    assert sigma[1, 2] == pytest.approx(0.42)
    assert r2["x1"] == pytest.approx(0.64)


def test_population_moments_structural_r2():
    model = "f1 =~ 0.8*a1 + 0.8*a2\nf2 =~ 0.8*b1 + 0.8*b2\nf2 ~ 0.5*f1"
    _, sigma, r2 = population_moments(model)
    assert r2["f2"] == pytest.approx(0.25)
    assert sigma[0, 2] == pytest.approx(0.8 * 0.5 * 0.8)


def test_population_model_must_be_admissible():
    with pytest.raises(InputError, match="negative residual variance"):
        population_moments("f1 =~ 0.8*a1 + 0.8*a2\nf2 =~ 0.8*b1 + 0.8*b2\nf2 ~ 1.2*f1")


def test_likert_range_and_reverse_items():
    df = simulate("f =~ 0.8*x1 + 0.7*x2 + 0.6*x3", 2000, seed=3, reverse=("x3",))
    assert set(np.unique(df.to_numpy())) <= set(range(1, 8))
    # reverse-keyed as answered: negatively related to the others
    assert np.corrcoef(df["x1"], df["x3"])[0, 1] < -0.2


def test_same_seed_same_data():
    a = make_example_data(seed=11, n=50)
    b = make_example_data(seed=11, n=50)
    c = make_example_data(seed=12, n=50)
    assert a.equals(b)
    assert not a.equals(c)


def test_bundled_example_files_regenerate_byte_identical(tmp_path):
    paths = example_paths()
    out = write_example_data(tmp_path)
    for key, shipped in (("csv", paths["data_csv"]), ("sav", paths["data_sav"])):
        new = hashlib.sha256(out[key].read_bytes()).hexdigest()
        old = hashlib.sha256(shipped.read_bytes()).hexdigest()
        assert new == old, f"regenerating {shipped.name} changed it"


def test_example_data_shape_and_missingness():
    df = make_example_data()
    assert len(df) == 400
    items = df.loc[:, "INF1":"LOY4"]
    assert items.shape[1] == 39
    share = items.isna().any(axis=1).mean()
    assert 0.05 < share < 0.15  # about 10% of respondents have missing answers


def test_pipeline_recovers_population_paths():
    """N = 5000 drawn from the population model: every standardized structural path is
    recovered within +-0.05 (the estimator estimates what it claims to)."""
    paths = example_paths()
    pop = paths["population"].read_text(encoding="utf-8")
    truth = {(r.lhs, r.rhs): r.modifier.fixed[0] for r in parse_syntax(pop) if r.op == "~"}
    df = simulate(pop, 5000, seed=2026)
    fit = sem(paths["model_lav"], df)
    assert fit.converged
    est = fit.estimates.set_index(["lhs", "op", "rhs"])["std.all"]
    devs = {k: est[(k[0], "~", k[1])] - v for k, v in truth.items()}
    assert max(abs(d) for d in devs.values()) < 0.05, devs
    # loadings too: Likert cutting attenuates them a little, so a looser bound
    loads = {(r.lhs, r.rhs): r.modifier.fixed[0] for r in parse_syntax(pop) if r.op == "=~"}
    ldev = [est[(k[0], "=~", k[1])] - v for k, v in loads.items()]
    assert max(abs(d) for d in ldev) < 0.08
