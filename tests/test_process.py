"""PROCESS (loyaltysem.analyses.process) against pyprocessmacro (fixtures from
tests/fixtures/process/make_process_fixtures.py, 5,000 draws, PROCESS v4 conventions) on the
corporate reputation survey, plus independent checks: HC4 by its formula, R-squared change
tests against statsmodels' nested F tests, Johnson-Neyman points by their definition, seeding
that does not depend on workers or chunks, bad input, and the JSON shape.

Tolerances. OLS numbers and point estimates: 1e-6 absolute (both sides solve the same normal
equations; PROCESS's t critical value differs from the exact quantile by ~3e-7, moving limits
by se * 3e-7). Bootstrap SEs and limits: the two sides draw independent resamples, so they
differ by Monte Carlo error only. For one side, the SE of a limit (a p-quantile of B draws) is
estimated from our own draws by the binomial order-statistic interval (the draws at ranks
B p -/+ sqrt(B p (1 - p)) span about two SEs); the SE of a bootstrap SE is s sqrt((k - 1) / 4B)
with k the draws' kurtosis. The difference of two independent estimates has sqrt(2) times
that SE; we allow 4.5 of those (a false alarm about once in 150,000 comparisons).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.analyses.process import MODELS, process
from loyaltysem.analyses.process.mediation import draw_label
from loyaltysem.analyses.process.ols import ols, t_crit
from loyaltysem.base.errors import InputError

FIX = Path(__file__).parent / "fixtures" / "process"
DATA = Path(__file__).parent / "data" / "surveys" / "corporate_reputation.csv"
TOL = 1e-6
SAME = dict(rtol=1e-10, atol=1e-14)
K_SIGMA = 4.5
RUNS = sorted(p.stem for p in FIX.glob("*.json"))


def survey() -> pd.DataFrame:
    """The fixture script's data: construct means (missing when an item is), -99 missing."""
    d = pd.read_csv(DATA).replace(-99, np.nan)

    def mean(prefix: str, k: int) -> pd.Series:
        return d[[f"{prefix}_{i}" for i in range(1, k + 1)]].mean(axis=1, skipna=False)

    return pd.DataFrame(
        {
            "COMP": mean("comp", 3),
            "LIKE": mean("like", 3),
            "CUSL": mean("cusl", 3),
            "CUSA": d["cusa"],
            "QUAL": mean("qual", 8),
            "PERF": mean("perf", 5),
            "CSOR": mean("csor", 5),
            "servicetype": d["servicetype"],
            "serviceprovider": d["serviceprovider"],
            "age": d["age"],
        }
    )


DF = survey()
FIXTURES = {name: json.loads((FIX / f"{name}.json").read_text()) for name in RUNS}


def _ours(fx: dict):
    return process(DF, **fx["args"], n_boot=fx["boot"], seed=7)


class _Results(dict):
    """Our result of each fixture, computed when a test first asks for it (not at import:
    collection runs in every xdist worker) and then shared by every test of the worker."""

    def __missing__(self, name: str):
        self[name] = _ours(FIXTURES[name])
        return self[name]


RESULTS = _Results()


def test_fixtures_present():
    assert len(RUNS) >= 25, "run tests/fixtures/process/make_process_fixtures.py"
    assert {fx["args"]["model"] for fx in FIXTURES.values()} == set(MODELS)


# ------------------------------------------------------------------------ OLS and points


@pytest.mark.parametrize("name", RUNS)
def test_outcome_models(name):
    fx, res = FIXTURES[name], RESULTS[name]
    assert res.n == fx["n"]
    ours = {o["outcome"]: o for o in res.outcomes}
    assert set(ours) == set(fx["outcomes"])
    for outcome, ref in fx["outcomes"].items():
        o = ours[outcome]
        assert o["df1"] == ref["df1"] and o["df2"] == ref["df2"]
        for key in ("r2", "mse"):
            assert o[key] == pytest.approx(ref[key], abs=TOL), (outcome, key)
        if res.hc is None:  # with HC, PROCESS's F is the robust Wald F (test_hc_f below)
            assert o["F"] == pytest.approx(ref["F"], rel=TOL), outcome
            assert o["pvalue"] == pytest.approx(ref["pvalue"], abs=TOL)
        assert [c["term"] for c in o["coefficients"]] == sorted(
            ref["terms"], key=[c["term"] for c in o["coefficients"]].index
        )
        for c in o["coefficients"]:
            r = ref["coefficients"][c["term"]]
            for key, rkey in (
                ("coeff", "coeff"),
                ("se", "se"),
                ("t", "t"),
                ("pvalue", "pvalue"),
                ("llci", "llci"),
                ("ulci", "ulci"),
            ):
                assert c[key] == pytest.approx(r[rkey], abs=TOL), (outcome, c["term"], key)


@pytest.mark.parametrize("name", RUNS)
def test_probe_values(name):
    fx, res = FIXTURES[name], RESULTS[name]
    assert set(res.probes) == set(fx["probes"])
    for var, vals in fx["probes"].items():
        assert np.allclose(res.probes[var], vals, atol=1e-12), var


def _at(row_w: dict) -> tuple:
    return tuple(sorted((k, round(v, 9)) for k, v in row_w.items()))


@pytest.mark.parametrize("name", RUNS)
def test_direct_and_conditional_effects(name):
    fx, res = FIXTURES[name], RESULTS[name]
    args = fx["args"]
    if MODELS[args["model"]].mediation:
        ours = {(r.get("x", args["x"]), _at(r["w"])): r for r in res.direct}
    else:
        ours = {(r["focal"], _at(r["w"])): r for r in res.conditional_effects}
    refs = fx["effects"]["direct"]
    assert len(ours) == len(refs)
    for ref in refs:
        r = ours[(ref["x"], _at(ref["at"]))]
        for key, rkey in (
            ("effect", "estimate"),
            ("se", "se"),
            ("t", "statistic"),
            ("pvalue", "pvalue"),
            ("llci", "llci"),
            ("ulci", "ulci"),
        ):
            assert r[key] == pytest.approx(ref[rkey], abs=TOL), (ref["x"], ref["at"], key)


def _mc_tolerance(draws: np.ndarray, conf: float) -> tuple[float, float, float]:
    """Allowed differences of (boot SE, lower limit, upper limit) between two independent
    bootstraps of B draws (see the module docstring)."""
    B = len(draws)
    s = np.sort(draws)
    sd = draws.std(ddof=1)
    kurt = float(np.mean((draws - draws.mean()) ** 4) / np.var(draws) ** 2)
    tol_se = K_SIGMA * math.sqrt(2) * sd * math.sqrt(max(kurt - 1, 2.0) / (4 * B))
    out = [tol_se]
    for p in ((1 - conf / 100) / 2, 1 - (1 - conf / 100) / 2):
        half = math.sqrt(B * p * (1 - p))
        lo, hi = int(max(B * p - half, 1)), int(min(B * p + half, B))
        se_q = (s[hi - 1] - s[lo - 1]) / 2
        out.append(K_SIGMA * math.sqrt(2) * se_q)
    return tuple(out)


def _check_boot(ours: dict, ref: dict, draws: np.ndarray, conf: float, what) -> None:
    tol_se, tol_lo, tol_hi = _mc_tolerance(draws, conf)
    assert abs(ours["boot.se"] - ref["se"]) <= tol_se, (what, ours["boot.se"], ref["se"], tol_se)
    assert abs(ours["boot.llci"] - ref["llci"]) <= tol_lo, (what, ours["boot.llci"], ref["llci"])
    assert abs(ours["boot.ulci"] - ref["ulci"]) <= tol_hi, (what, ours["boot.ulci"], ref["ulci"])


def _indirect_refs(fx: dict) -> list[dict]:
    e = fx["effects"]
    return e.get("indirect", []) + e.get("total", [])


@pytest.mark.parametrize("name", [n for n in RUNS if _indirect_refs(FIXTURES[n])])
def test_indirect_effects(name):
    fx, res = FIXTURES[name], RESULTS[name]
    ours = {(r["path"], _at(r["w"])): r for r in res.indirect}
    refs = _indirect_refs(fx)
    for ref in refs:
        r = ours[(ref["path"], _at(ref["at"]))]
        assert r["effect"] == pytest.approx(ref["estimate"], abs=TOL), ref["path"]
        draws = res.draws[draw_label("indirect", r["path"], r["w"])].to_numpy()
        _check_boot(r, ref, draws, res.conf, (ref["path"], ref["at"]))
    for ref in fx["effects"].get("contrast", []):
        sign, label = 1.0, f"({ref['a']}) - ({ref['b']})"
        if (label, ()) not in ours:  # the reference orders the two paths the other way
            sign, label = -1.0, f"({ref['b']}) - ({ref['a']})"
        r = ours[(label, ())]
        flipped = {"se": ref["se"], "llci": ref["llci"], "ulci": ref["ulci"]}
        if sign < 0:
            flipped = {"se": ref["se"], "llci": -ref["ulci"], "ulci": -ref["llci"]}
        assert r["effect"] == pytest.approx(sign * ref["estimate"], abs=TOL)
        _check_boot(
            r, flipped, res.draws[draw_label("indirect", label)].to_numpy(), res.conf, label
        )


@pytest.mark.parametrize("name", [n for n in RUNS if "index_mm" in FIXTURES[n]["effects"]])
def test_index_of_moderated_mediation(name):
    fx, res = FIXTURES[name], RESULTS[name]
    ours = {(r["path"], r["moderator"]): r for r in res.index_moderated_mediation}
    assert len(ours) == len(fx["effects"]["index_mm"])
    for ref in fx["effects"]["index_mm"]:
        r = ours[(ref["path"], ref["moderator"])]
        assert r["index"] == pytest.approx(ref["estimate"], abs=TOL)
        draws = res.draws[draw_label("index", r["path"], moderator=r["moderator"])].to_numpy()
        _check_boot(r, ref, draws, res.conf, ref["path"])


def test_index_with_dichotomous_moderator_on_both_paths():
    """Model 58 with a dichotomous W: PROCESS's index is the difference between the two
    conditional indirect effects (the reference reports those, not the index)."""
    fx, res = FIXTURES["m58_dich"], RESULTS["m58_dich"]
    ind = sorted(fx["effects"]["indirect"], key=lambda r: r["at"]["servicetype"])
    (idx,) = res.index_moderated_mediation
    assert idx["moderator"] == "servicetype"
    assert idx["index"] == pytest.approx(ind[1]["estimate"] - ind[0]["estimate"], abs=TOL)
    lo, hi = idx["boot.llci"], idx["boot.ulci"]
    assert lo < idx["index"] < hi


@pytest.mark.parametrize(
    "name", [n for n in RUNS if {"indirect_cs", "indirect_ps"} & set(FIXTURES[n]["effects"])]
)
def test_standardized_indirect_effects(name):
    fx, res = FIXTURES[name], RESULTS[name]
    kind = "complete" if "indirect_cs" in fx["effects"] else "partial"
    refs = fx["effects"]["indirect_cs" if kind == "complete" else "indirect_ps"]
    ours = {r["path"]: r for r in res.standardized_indirect}
    for ref in refs:
        r = ours[ref["path"]]
        assert r["standardization"] == kind
        assert r["effect"] == pytest.approx(ref["estimate"], abs=TOL)
        draws = res.draws[draw_label(f"standardized ({kind})", r["path"])].to_numpy()
        _check_boot(r, ref, draws, res.conf, ref["path"])


# ------------------------------------------------------------------------ independent checks


def test_johnson_neyman_model_1():
    fx, res = FIXTURES["m1"], RESULTS["m1"]
    assert [r["value"] for r in res.johnson_neyman] == pytest.approx(fx["johnson_neyman"], abs=1e-5)
    w = DF.dropna(subset=["COMP", "CSOR", "QUAL"])["QUAL"].to_numpy()
    for r in res.johnson_neyman:
        assert r["pct_below"] == pytest.approx(100 * np.mean(w < r["value"]))
        assert r["pct_above"] == pytest.approx(100 * np.mean(w > r["value"]))
    _jn_definition(fx, res, "COMP", "COMP*QUAL")


def _jn_definition(fx, res, b1: str, b3: str):
    """At a Johnson-Neyman point the conditional effect's t equals the critical t, from the
    reference's coefficients and covariance matrix."""
    ref = fx["outcomes"][res.variables["y"]]
    terms = ref["terms"]
    i1, i3 = terms.index(b1), terms.index(b3)
    b = [ref["coefficients"][t]["coeff"] for t in terms]
    V = np.array(ref["vcov"])
    crit = t_crit(res.conf, ref["df2"])
    assert res.johnson_neyman
    for r in res.johnson_neyman:
        w = r["value"]
        est = b[i1] + b[i3] * w
        se = math.sqrt(V[i1, i1] + 2 * w * V[i1, i3] + w * w * V[i3, i3])
        assert abs(est) / se == pytest.approx(crit, abs=1e-7)


def test_johnson_neyman_model_3():
    """Model 3: the region of the conditional X*W interaction over Z (PROCESS's jn = 1)."""
    fx, res = FIXTURES["m3"], RESULTS["m3"]
    assert [r["moderator"] for r in res.johnson_neyman] == ["PERF"]
    _jn_definition(fx, res, "COMP*LIKE", "COMP*LIKE*PERF")


def test_hc4_by_its_formula():
    """HC4 (Cribari-Neto 2004) as PROCESS computes it, written out row by row."""
    res = process(DF, 1, x="COMP", y="CSOR", w="QUAL", hc="HC4")
    d = DF.dropna(subset=["COMP", "CSOR", "QUAL"])
    X = np.column_stack([np.ones(len(d)), d.COMP, d.QUAL, d.COMP * d.QUAL])
    y = d.CSOR.to_numpy()
    n, k = X.shape
    inv = np.linalg.inv(X.T @ X)
    e = y - X @ (inv @ X.T @ y)
    meat = np.zeros((k, k))
    for i in range(n):
        h = X[i] @ inv @ X[i]
        delta = min(4.0, n * h / k)
        meat += np.outer(X[i], X[i]) * e[i] ** 2 / (1 - h) ** delta
    se = np.sqrt(np.diag(inv @ meat @ inv))
    ours = [c["se"] for c in res.outcomes[0]["coefficients"]]
    assert np.allclose(ours, se, rtol=1e-10)
    assert res.hc == "HC4"


@pytest.mark.parametrize("name", ["m1_hc0", "m1_hc1", "m1_hc2", "m1_hc3"])
def test_hc_f_is_the_robust_wald_test(name):
    """With hc, PROCESS's model F is the Wald F under the robust covariance (the reference
    reports the classical F), here from the reference's own covariance matrix."""
    fx, res = FIXTURES[name], RESULTS[name]
    ref = fx["outcomes"]["CSOR"]
    b = np.array([ref["coefficients"][t]["coeff"] for t in ref["terms"]])[1:]
    V = np.array(ref["vcov"])[1:, 1:]
    f = float(b @ np.linalg.solve(V, b)) / len(b)
    assert res.outcomes[0]["F"] == pytest.approx(f, rel=1e-8)


@pytest.mark.parametrize("name,hc", [("m2", None), ("m3", None), ("m15", None), ("m1", "HC3")])
def test_interaction_tests_against_statsmodels(name, hc):
    """R-squared change and F of each highest-order interaction: statsmodels' nested-model F
    (standard) or its Wald test under HC3, and the R-squared of the two fits."""
    sm = pytest.importorskip("statsmodels.api")
    fx = FIXTURES[name]
    res = process(DF, **fx["args"], n_boot=0, hc=hc) if hc else RESULTS[name]
    assert res.interaction_tests
    eq_of = {o["outcome"]: o for o in res.outcomes}
    d = DF.dropna(
        subset=[
            v
            for v in [
                fx["args"]["x"],
                fx["args"]["y"],
                *fx["args"].get("m", []),
                fx["args"].get("w"),
                fx["args"].get("z"),
            ]
            if v
        ]
    )
    for test in res.interaction_tests:
        terms = [c["term"] for c in eq_of[test["outcome"]]["coefficients"]]
        X = np.column_stack(
            [
                np.prod([d[f] for f in t.split("*")], axis=0)
                if t != "constant"
                else np.ones(len(d))
                for t in terms
            ]
        )
        labels = [s.strip() for s in test["term"].split(",")]
        drop = [terms.index(t) for t in labels]
        y = d[test["outcome"]].to_numpy()
        full = sm.OLS(y, X).fit(cov_type=hc) if hc else sm.OLS(y, X).fit()
        reduced = sm.OLS(y, np.delete(X, drop, axis=1)).fit()
        R = np.zeros((len(drop), X.shape[1]))
        R[range(len(drop)), drop] = 1
        wald = full.f_test(R)
        assert test["F"] == pytest.approx(float(np.squeeze(wald.fvalue)), rel=1e-8)
        assert test["pvalue"] == pytest.approx(float(wald.pvalue), abs=1e-10)
        assert test["r2_change"] == pytest.approx(full.rsquared - reduced.rsquared, abs=1e-12)
        assert (test["df1"], test["df2"]) == (len(drop), len(y) - X.shape[1])


def test_ols_matches_numpy_least_squares():
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(50), rng.normal(size=(50, 2))])
    y = X @ [1, 2, -1] + rng.normal(size=50)
    fit = ols(y, X)
    assert np.allclose(fit.coef, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-12)


def test_bootstrap_limits_are_processes_order_statistics():
    """PROCESS's percentile limits are the draws ranked round(B (1 - c) / 2) and
    trunc(B c + B (1 - c) / 2) + 1; its BC limits those ranked round(B Phi(2 z0 - z)) and
    trunc(B Phi(2 z0 + z)) + 1 with z0 = Phi^-1(share of draws below the estimate)."""
    from scipy.stats import norm

    from loyaltysem.analyses.process.boot import intervals, percentile_index

    assert percentile_index(5000, 95) == (125, 4876)
    assert percentile_index(1000, 90) == (50, 951)
    draws = np.random.default_rng(5).permutation(np.arange(1.0, 1001.0))
    se, lo, hi = intervals(draws[:, None], np.array([0.0]), 95, "percentile")
    assert (lo[0], hi[0]) == (25.0, 976.0) and se[0] == pytest.approx(draws.std(ddof=1))
    z0, z = norm.ppf(0.6), norm.ppf(0.975)
    want = (round(1000 * norm.cdf(2 * z0 - z)), math.trunc(1000 * norm.cdf(2 * z0 + z)) + 1)
    _, lo, hi = intervals(draws[:, None], np.array([600.5]), 95, "bc")
    assert (lo[0], hi[0]) == (float(want[0]), float(want[1])) == (73.0, 994.0)


# ------------------------------------------------------------------------ bootstrap seeding

_SEEDING = dict(model=7, x="LIKE", y="CUSL", m="CUSA", w="QUAL", n_boot=600, seed=11)


def _boot_numbers(res) -> np.ndarray:
    return res.draws.to_numpy()


def _numbers(obj) -> list[float]:
    """Every number of a result's JSON, in order."""
    if isinstance(obj, dict):
        return [v for k in obj for v in _numbers(obj[k])]
    if isinstance(obj, list):
        return [v for item in obj for v in _numbers(item)]
    return [float(obj)] if isinstance(obj, int | float) and not isinstance(obj, bool) else []


def test_draws_do_not_depend_on_workers_or_chunks():
    base = process(DF, **_SEEDING, n_jobs=1, chunk_size=250)
    for kw in ({"n_jobs": 1, "chunk_size": 7}, {"n_jobs": 2, "chunk_size": 50}):
        other = process(DF, **_SEEDING, **kw)
        assert np.allclose(_boot_numbers(other), _boot_numbers(base), **SAME), kw
        assert np.allclose(_numbers(other.to_dict()), _numbers(base.to_dict()), **SAME), kw


def test_seed_changes_draws_and_default_seed_is_fixed():
    a = process(DF, **{**_SEEDING, "seed": 12})
    b = process(DF, **_SEEDING)
    assert not np.allclose(_boot_numbers(a), _boot_numbers(b))
    kw = {k: v for k, v in _SEEDING.items() if k != "seed"}
    c, d = process(DF, **kw), process(DF, **kw)
    assert np.allclose(_numbers(c.to_dict()), _numbers(d.to_dict()), **SAME)
    assert c.seed == 12345


def test_bad_draws_are_replaced_by_further_children():
    """A resample in which the dichotomous W takes one value cannot be estimated; it is
    replaced by the next child seed, as PROCESS replaces it."""
    i = np.arange(20.0)
    df = pd.DataFrame(
        {
            "x": i % 7,
            "y": np.sqrt(i) + np.cos(i),
            "m": np.sin(i) + i / 10,
            "w": [0.0] * 17 + [1.0] * 3,
        }
    )
    res = process(df, 7, x="x", y="y", m="m", w="w", n_boot=300, seed=1)
    assert res.boot_replaced > 0
    assert res.draws.notna().all().all() and len(res.draws) == 300


# ------------------------------------------------------------------------ bad input


def _error(**kw) -> str:
    args = dict(data=DF, model=7, x="LIKE", y="CUSL", m="CUSA", w="QUAL", n_boot=0)
    args.update(kw)
    with pytest.raises(InputError) as info:
        process(**args)
    text = str(info.value)
    assert "\n" not in text
    return text


def test_nullable_and_integer_columns():
    df = DF.assign(SP=DF["serviceprovider"].astype("Int64"), ST=DF["servicetype"].astype(int))
    df.loc[3, "SP"] = pd.NA
    res = process(df, 1, x="LIKE", y="CUSL", w="SP", mcw="indicator")
    assert res.n_missing == RESULTS["m1_mcw"].n_missing + 1
    assert process(df, 1, x="LIKE", y="CUSL", w="ST").probes == {"ST": [1.0, 2.0]}


def test_bad_input():
    df = DF.assign(TXT="a", CONST=1.0)
    assert "TXT" in _error(data=df, w="TXT") and "numeric" in _error(data=df, w="TXT")
    assert "CONST" in _error(data=df, w="CONST") and "constant" in _error(data=df, w="CONST")
    assert "no moderator Z" in _error(z="PERF")
    assert "no moderator W" in _error(model=4)
    assert "needs a moderator W" in _error(w=None)
    assert "named twice" in _error(w="LIKE")
    assert "named twice" in _error(cov=["CUSA"])
    assert "not built" in _error(model=9) and "59" in _error(model=9)
    assert "NOPE" in _error(x="NOPE")
    assert "mediator" in _error(model=1, m="CUSA", w="QUAL")
    assert "mediators" in _error(model=6, m="CUSA", w=None)
    assert "dichotomous" in _error(y="servicetype")
    assert "HC5" in _error(hc="HC5")
    assert "boot" in _error(n_boot=-1)
    assert "conf" in _error(conf=100)
    assert "ci" in _error(ci="bca")
    assert "single case" in _error(
        data=DF.assign(G=[1.0, 2, 3] + [2.0] * 341), w="G", mcw="indicator"
    )


def test_cli_bad_input_exits_2(tmp_path, capsys):
    from loyaltysem.cli import main

    csv = tmp_path / "d.csv"
    DF.assign(TXT="a").to_csv(csv, index=False)
    base = [str(csv), "--process-model", "7", "--x", "LIKE", "--y", "CUSL", "--m", "CUSA"]
    assert main(["process", *base]) == 2
    assert "needs a moderator W" in capsys.readouterr().err
    assert main(["process", *base, "--w", "TXT"]) == 2
    assert "TXT" in capsys.readouterr().err
    assert main(["process", *base, "--w", "QUAL", "--z", "PERF"]) == 2
    assert main(["process", *base[:2], "12", *base[3:], "--w", "QUAL"]) == 2
    assert "not built" in capsys.readouterr().err


# ------------------------------------------------------------------------ shape and CLI

CONTRACT = [
    "model",
    "n",
    "boot",
    "seed",
    "ci",
    "conf",
    "variables",
    "probes",
    "outcomes",
    "direct",
    "indirect",
    "index_moderated_mediation",
    "conditional_effects",
    "johnson_neyman",
]


def test_json_shape():
    d = RESULTS["m7"].to_dict()
    assert list(d)[: len(CONTRACT)] == CONTRACT
    json.dumps(d, allow_nan=False)
    assert d["variables"] == {"x": "LIKE", "y": "CUSL", "m": ["CUSA"], "w": "QUAL", "z": None}
    assert d["probes"] == {"QUAL": [3.625, 4.875, 5.875]}
    o = d["outcomes"][0]
    assert set(o) >= {"outcome", "r2", "mse", "F", "df1", "df2", "pvalue", "coefficients"}
    assert set(o["coefficients"][0]) == {"term", "coeff", "se", "t", "pvalue", "llci", "ulci"}
    assert o["coefficients"][0]["term"] == "constant"
    assert [c["term"] for c in o["coefficients"]] == ["constant", "LIKE", "QUAL", "LIKE*QUAL"]
    assert set(d["direct"][0]) == {"w", "effect", "se", "t", "pvalue", "llci", "ulci"}
    assert d["direct"][0]["w"] == {}
    ind = d["indirect"][0]
    assert set(ind) == {"path", "w", "effect", "boot.se", "boot.llci", "boot.ulci"}
    assert ind["path"] == "LIKE -> CUSA -> CUSL" and ind["w"] == {"QUAL": 3.625}
    assert set(d["index_moderated_mediation"][0]) == {
        "path",
        "moderator",
        "index",
        "boot.se",
        "boot.llci",
        "boot.ulci",
    }
    ce = d["conditional_effects"][0]
    assert set(ce) >= {"w", "effect", "se", "t", "pvalue", "llci", "ulci"}
    serial = RESULTS["m6_3"].to_dict()["indirect"]
    assert serial[0]["path"] == "total"
    assert "QUAL -> COMP -> LIKE -> CUSA -> CUSL" in [r["path"] for r in serial]
    jn = RESULTS["m1"].to_dict()["johnson_neyman"][0]
    assert set(jn) >= {"moderator", "value", "pct_below"}


def test_text_and_tables():
    res = RESULTS["m7"]
    text = res.summary()
    for part in (
        "Model : 7",
        "Outcome Variable: CUSA",
        "LIKE*QUAL",
        "Index of moderated",
        "percentile bootstrap",
        "16th, 50th, and 84th",
    ):
        assert part in text
    tables = res.tables()
    assert {"model_summary", "coefficients", "indirect"} <= set(tables)
    assert isinstance(tables["coefficients"], pd.DataFrame) and len(tables["coefficients"]) == 7
    frame = res.to_frame()
    assert set(frame["component"]) >= {"coefficient", "conditional", "direct", "indirect", "index"}
    assert "<table" in res._repr_html_()


def test_cli_writes_the_json(tmp_path):
    from loyaltysem.cli import main

    csv = tmp_path / "d.csv"
    DF.fillna(-99).to_csv(csv, index=False)
    out = tmp_path / "out.json"
    code = main(
        [
            "process",
            str(csv),
            "--process-model",
            "4",
            "--x",
            "LIKE",
            "--y",
            "CUSL",
            "--m",
            "CUSA,COMP",
            "--cov",
            "age",
            "--boot",
            "500",
            "--seed",
            "3",
            "--missing-codes",
            "-99",
            "--json",
            str(out),
        ]
    )
    assert code == 0
    got = json.loads(out.read_text())
    want = process(
        DF, 4, x="LIKE", y="CUSL", m=["CUSA", "COMP"], cov=["age"], n_boot=500, seed=3
    ).to_dict()
    assert got == json.loads(json.dumps(want))
    assert got["n"] == want["n"] and got["boot"] == 500 and got["seed"] == 3
