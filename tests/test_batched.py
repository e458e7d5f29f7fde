"""Batched refits (issue 19): every draw of a batched bootstrap or Monte Carlo run equals the
one-at-a-time refit of the same resample (``bootstrap._one_draw``: BFGS, then Newton, then
Fisher scoring; ``power._replicate_one``) within 1e-6, whatever the batch size or the number
of workers; the engine's objective, gradient and information equal ``compiled``'s."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import data_for, fixture

from loyaltysem.analyses import power as pw
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.inference.effects import effect_definitions
from loyaltysem.semcore.model.compiled import (
    GroupData,
    expected_information,
    ml_f_gradient,
    ml_observed_hessian,
)
from loyaltysem.semcore.resample import batched
from loyaltysem.semcore.resample import bootstrap as bt
from loyaltysem.semcore.resample.batched import BatchModel, bfgs_batch, resampled_moments

TOL = 1e-6

# batch size and worker count leave a draw unchanged (bit for bit on every OpenBLAS kernel
# tried); compared with a tolerance so that no assertion rests on the CPU's float kernel
SAME = dict(rtol=1e-10, atol=1e-14)


@pytest.fixture(scope="module")
def project(example_frame):
    return sem("models/online_loyalty.lav", example_frame.dropna())


@pytest.fixture(scope="module")
def poldem():
    fx = fixture("poldem_bootstrap")  # labels, equality constraints, := parameters
    return sem(fx["model"], data_for(fx))


@pytest.fixture(scope="module")
def multigroup():
    fx = fixture("hs_cfa_group")
    return sem(fx["model"], data_for(fx), group="school", group_equal=("loadings", "intercepts"))


@pytest.fixture(scope="module")
def covariates():
    fx = fixture("hs_cov_ml")  # fixed.x covariates: each draw has its own covariate moments
    return sem(fx["model"], data_for(fx))


def _spec(fit, htmt=None):
    pt = fit.model.pt
    keep = ~pt["op"].isin(["==", "<", ">"]).to_numpy()
    pairs = []
    if htmt:
        ov = fit.model.mv.ov
        idx = {c: [ov.index(i) for i in items] for c, items in htmt.items()}
        names = list(idx)
        pairs = [(f"{a}-{b}", idx[a], idx[b]) for i, a in enumerate(names) for b in names[i + 1 :]]
    return bt._Spec(fit.model, effect_definitions(pt), keep, pairs, False)


def _hess_inv(fit):
    return np.linalg.inv(ml_observed_hessian(fit.model, fit.data, fit.theta))


def _compare_draws(fit, n_draws, seed, bollen_stine=False, htmt=None):
    """Batched worker vs the one-at-a-time refit of each draw's resample."""
    spec = _spec(fit, htmt)
    raw = bt._raw_groups(fit)
    if bollen_stine:
        raw = bt._bollen_stine_data(fit, raw)
    hinv = _hess_inv(fit)
    seeds = np.random.SeedSequence(seed).spawn(n_draws)
    k = len(spec.values(fit.theta, raw[0]))
    # the batch alone brings every draw to convergence (no fallback hides a failure)
    rows = [[np.random.default_rng(s).integers(0, len(x), len(x)) for x in raw] for s in seeds]
    _, conv, _ = bt._batched_refits(spec, raw, rows, fit.theta, hinv, k)
    assert conv.all()
    vals, ok, chisq = bt._run_draws(spec, raw, fit.theta, hinv, seeds, bollen_stine)
    for b, s in enumerate(seeds):
        data = bt._resample(raw, np.random.default_rng(s))
        v1, ok1, c1 = bt._one_draw(spec, data, fit.theta, hinv, bollen_stine, k)
        assert ok1 == ok[b]
        np.testing.assert_allclose(vals[b], v1, rtol=0, atol=TOL)
        if bollen_stine:
            assert abs(chisq[b] - c1) < TOL
    return vals


# ----------------------------------------------------------------------------- the engine


@pytest.mark.parametrize("name", ["project", "poldem", "multigroup", "covariates"])
def test_objective_gradient_information_equal_compiled(name, request):
    fit = request.getfixturevalue(name)
    cm, raw = fit.model, bt._raw_groups(fit)
    rng = np.random.default_rng(1)
    rows = [[rng.integers(0, len(x), len(x)) for x in raw] for _ in range(4)]
    mom = resampled_moments(raw, rows)
    theta = fit.theta * (1 + 0.02 * rng.standard_normal((4, cm.npar)))
    bm = BatchModel(cm)
    f, g, ok = bm.f_grad(theta, mom)
    info = bm.expected_information(theta, mom)
    assert ok.all()
    for b in range(4):
        data = [GroupData.from_array(x[ix]) for x, ix in zip(raw, rows[b], strict=True)]
        draw = bt._draw_model(cm, data)
        f1, g1 = ml_f_gradient(draw, data, theta[b])
        assert abs(f[b] - f1) < 1e-10
        np.testing.assert_allclose(g[b], g1, rtol=0, atol=1e-10)
        i1 = expected_information(draw, data, theta[b])
        np.testing.assert_allclose(info[b], i1, rtol=1e-10, atol=1e-10 * np.abs(i1).max())


def test_not_positive_definite_and_heywood_draws(project):
    """A draw whose implied matrix is not PD gets F = inf (as ml_f_gradient); a negative
    residual variance with a PD implied matrix (a Heywood case) is evaluated by Cholesky
    instead of Woodbury's identity, with the same F."""
    cm, raw = project.model, bt._raw_groups(project)
    pt = cm.pt
    resid = pt.index[(pt["op"] == "~~") & (pt["lhs"] == "INF1") & (pt["rhs"] == "INF1")][0]
    k = int(pt.at[resid, "free"]) - 1
    heywood, broken = project.theta.copy(), project.theta.copy()
    heywood[k] = -0.01
    broken[k] = -50.0
    theta = np.stack([project.theta, heywood, broken])
    mom = resampled_moments(raw, [[np.arange(len(raw[0]))]] * 3)
    f, _, ok = BatchModel(cm).f_grad(theta, mom)
    for b in range(3):
        f1, g1 = ml_f_gradient(cm, project.data, theta[b])
        assert (g1 is not None) == ok[b]
        assert f[b] == pytest.approx(f1, abs=1e-10) if ok[b] else f[b] == np.inf
    assert list(ok) == [True, True, False]


def test_bfgs_batch_reaches_the_main_solution(project):
    """Started away from the solution on the full sample, every batched draw lands on the
    main engine's estimates."""
    raw = bt._raw_groups(project)
    mom = resampled_moments(raw, [[np.arange(len(raw[0]))]] * 3)
    start = project.theta * np.array([[1.05], [0.97], [1.02]])
    out = np.empty_like(start)
    for b in range(3):  # each from its own start: one call per start (same seed matrix)
        fit = bfgs_batch(
            BatchModel(project.model), mom.take(np.array([b])), start[b], _hess_inv(project)
        )
        assert fit.converged.all()
        out[b] = fit.theta[0]
    assert np.max(np.abs(out - project.theta)) < TOL


# ----------------------------------------------------------------------------- bootstrap


def test_every_draw_of_the_project_model(project):
    ov = project.model.mv
    htmt = {f: ov.indicators[f] for f in ("INF", "SAT", "TRU", "LOY")}
    _compare_draws(project, 40, seed=11, htmt=htmt)


def test_every_draw_multigroup_with_equality_constraints(multigroup):
    _compare_draws(multigroup, 25, seed=12)


def test_every_draw_with_fixed_x_covariates(covariates):
    _compare_draws(covariates, 60, seed=13)


def test_every_draw_defined_parameters_and_bollen_stine(poldem):
    vals = _compare_draws(poldem, 40, seed=14)
    spec = _spec(poldem)
    defined = np.where(poldem.model.pt["op"].to_numpy()[spec.keep] == ":=")[0]
    assert len(defined) == 2 and np.isfinite(vals[:, defined]).all()
    _compare_draws(poldem, 40, seed=15, bollen_stine=True)


def test_bca_jackknife_batched_equals_one_at_a_time(poldem, monkeypatch):
    spec, raw, hinv = _spec(poldem), bt._raw_groups(poldem), _hess_inv(poldem)
    jack = bt.jackknife_values(spec, raw, poldem.theta, hinv, batch_size=32)
    monkeypatch.setattr(bt, "_batchable", lambda *a: False)
    single = bt.jackknife_values(spec, raw, poldem.theta, hinv)
    assert jack.shape == (75, single.shape[1]) and np.isfinite(single).all()
    np.testing.assert_allclose(jack, single, rtol=0, atol=TOL)


def test_same_draws_whatever_the_batch_size_and_workers(project):
    one = bt.bootstrap(project, 60, seed=7, n_jobs=1, chunk_size=7)
    two = bt.bootstrap(project, 60, seed=7, n_jobs=2, chunk_size=60)
    np.testing.assert_allclose(one.draws, two.draws, **SAME)
    pd.testing.assert_frame_equal(one.table, two.table)


def test_draws_the_batch_misses_are_refitted_one_at_a_time(poldem, monkeypatch):
    """Draws the batched BFGS reports as not converged go the one-at-a-time way and give the
    same values."""
    reference = bt.bootstrap(poldem, 30, seed=3, n_jobs=1)
    real = batched.bfgs_batch

    def half_failing(*args, **kwargs):
        fit = real(*args, **kwargs)
        fit.converged[::2] = False
        return fit

    monkeypatch.setattr(batched, "bfgs_batch", half_failing)
    calls = []
    one_draw = bt._one_draw
    monkeypatch.setattr(bt, "_one_draw", lambda *a: calls.append(1) or one_draw(*a))
    again = bt.bootstrap(poldem, 30, seed=3, n_jobs=1)
    assert len(calls) == 15
    np.testing.assert_allclose(again.draws, reference.draws, rtol=0, atol=TOL)


def test_long_bfgs_histories_switch_to_the_dense_inverse_hessian():
    """A draw with more than DENSE_AFTER (s, y) pairs carries the dense inverse Hessian of
    ``compiled.bfgs_refit``'s update; before and after the switch H g equals that matrix
    times g, for draws of either form in one call."""
    from loyaltysem.semcore.resample.bfgs_history import DENSE_AFTER, History

    rng = np.random.default_rng(4)
    q, b = 6, 3
    a = rng.standard_normal((q, q))
    h0 = np.linalg.inv(a @ a.T + q * np.eye(q))
    hist = History(b, q, h0)
    dense = [h0.copy() for _ in range(b)]
    for step in range(DENSE_AFTER + 12):
        rows = np.array([0, 1]) if step % 3 else np.array([0, 1, 2])
        s = rng.standard_normal((len(rows), q))
        y = s @ (a @ a.T + q * np.eye(q)) + 0.1 * rng.standard_normal((len(rows), q))
        sy = np.einsum("bq,bq->b", s, y)
        hist.push(rows, s, y, sy)
        for k, r in enumerate(rows):
            Hy = dense[r] @ y[k]
            dense[r] = (
                dense[r]
                + ((sy[k] + y[k] @ Hy) / sy[k] ** 2) * np.outer(s[k], s[k])
                - (np.outer(Hy, s[k]) + np.outer(s[k], Hy)) / sy[k]
            )
        g = rng.standard_normal((b, q))
        got = hist.apply(np.arange(b), g)
        want = np.stack([dense[r] @ g[r] for r in range(b)])
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    assert set(hist.dense) == {0, 1}  # draw 2 has fewer pairs: still the two-loop
    hist.reset(np.array([0]))
    np.testing.assert_allclose(hist.apply(np.array([0]), g[:1]), g[:1] @ h0.T, rtol=1e-12)


# ----------------------------------------------------------------------------- power

MEDIATION = (
    "f1 =~ .7*a1 + .7*a2 + .7*a3\nf2 =~ .7*b1 + .7*b2 + .7*b3\nf3 =~ .7*c1 + .7*c2 + .7*c3\n"
    "f2 ~ .3*f1\nf3 ~ .3*f2 + .1*f1"
)


@pytest.mark.parametrize("scale", [(1, 7), None])
def test_every_power_replication_equals_one_at_a_time(scale):
    spec = pw._mc_spec(MEDIATION, scale, 0.05)
    assert len(spec.effects) == 1  # f1 -> f2 -> f3
    seeds = np.random.SeedSequence(5).spawn(50)
    out = pw._replicate(spec, 90, seeds, batch_size=16)
    assert out[:, 0].all()
    for r, s in enumerate(seeds):
        ref = np.full(out.shape[1], np.nan)
        pw._replicate_one(spec, 90, s, ref)
        np.testing.assert_allclose(out[r], ref, rtol=0, atol=TOL)
    again = pw._replicate(spec, 90, seeds, batch_size=50)
    np.testing.assert_allclose(out, again, **SAME)


def test_mlr_fit_bootstraps_the_same_draws(example_frame):
    """MLR changes the standard errors, not the estimates: its draws are the ML fit's."""
    frame = example_frame.dropna()
    ml = sem("models/online_loyalty.lav", frame)
    mlr = sem("models/online_loyalty.lav", frame, estimator="mlr")
    a = bt.bootstrap(ml, 40, seed=9, n_jobs=1)
    b = bt.bootstrap(mlr, 40, seed=9, n_jobs=1)
    np.testing.assert_allclose(a.draws, b.draws, rtol=0, atol=TOL)


# ----------------------------------------------------------------------------- where draws run


def _square(chunk):
    return [x * x for x in chunk]


def test_default_runs_here_unless_the_rest_is_long(monkeypatch):
    from loyaltysem.semcore.resample import parallel

    chunks = [[1, 2], [3], [4, 5]]
    calls = []
    expected = [[1, 4], [9], [16, 25]]
    assert parallel.run_chunks(lambda c: calls.append(c) or _square(c), chunks, n_jobs=None) == (
        expected
    )
    assert calls == chunks  # all three here: the rest is short
    monkeypatch.setattr(parallel, "PARALLEL_AFTER", 0.0)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    used = []

    class FakeParallel:
        def __init__(self, n_jobs, return_as):
            used.append(n_jobs)

        def __call__(self, calls_):
            return [f(*a, **k) for f, a, k in calls_]

    monkeypatch.setattr("joblib.Parallel", FakeParallel)
    assert parallel.run_chunks(_square, chunks, n_jobs=None) == expected
    assert used == [-1]  # the first chunk here, the rest to all cores
    monkeypatch.setattr(parallel, "_cores", lambda: 1)
    used.clear()
    assert parallel.run_chunks(_square, chunks, n_jobs=None) == expected
    assert used == []  # one core: everything here
