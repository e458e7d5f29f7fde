"""Ordered items under lavaan's ``parameterization = "theta"`` and partial threshold invariance
(issue 16) against lavaan 0.6.14 (tests/fixtures/R/ordinal_theta.R on psych::bfi):
estimates, standard errors, standardizedSolution() and every fitMeasures() value; lavaan's
Delta; the parameter-table rules (which residual variances / scale factors are free, what a
group.partial threshold frees); the invariance sequence; the CLI options and their errors."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture

from loyaltysem.base.errors import InputError, ModelSyntaxError
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.model.partable import build_partable

FIX = Path(__file__).parent / "fixtures" / "ordinal"
TOL_EST = 1e-5  # estimates, standardized values, fit measures
TOL_SE = 1e-4  # standard errors, relative
CASES = [
    "theta_cfa5",
    "theta_group2",
    "theta_group2_th_load",
    "theta_group2_strict",
    "theta_partial_delta",
    "theta_partial_theta",
    "theta_polyserial",
    "theta_ordered_predictor",
]
ACN = [f"{f}{i}" for f in "ACN" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


def _kwargs(ref: dict) -> dict:
    args = ref["args"]
    kw = {"estimator": args["estimator"][0], "ordered": ref["ordered"]}
    for key, name in (("group", "group"), ("parameterization", "parameterization")):
        if key in args:
            kw[name] = args[key][0]
    for key, name in (("group.equal", "group_equal"), ("group.partial", "group_partial")):
        if key in args:
            kw[name] = args[key]
    return kw


@pytest.fixture(scope="module")
def fits(bfi):
    out = {}
    for name in CASES:
        ref = _fixture(name)
        out[name] = (ref, sem(ref["model"], bfi, **_kwargs(ref)))
    return out


def _merged(want: pd.DataFrame, got: pd.DataFrame) -> pd.DataFrame:
    if "group" not in want:
        want = want.assign(group=1)
    m = want.merge(got, on=["lhs", "op", "rhs", "group"], suffixes=("_lav", ""))
    assert len(m) == len(want) == len(got)
    return m


@pytest.mark.parametrize("name", CASES)
def test_estimates_against_lavaan(fits, name):
    ref, fit = fits[name]
    assert fit.converged
    assert fit.model.parameterization == ref["options"]["parameterization"]
    m = _merged(pd.DataFrame(ref["estimates"]), fit.estimates)
    # lavaan's npar counts tied rows apart: the same free rows
    assert int((fit.pt["free"] > 0).sum()) == ref["npar"]
    assert fit.npar == ref["npar"] or "group.equal" in ref["args"]
    for col in ("est", "std.lv", "std.all"):
        lav = m[f"{col}_lav"].astype(float).to_numpy()
        np.testing.assert_allclose(m[col].to_numpy(), lav, rtol=0, atol=TOL_EST, err_msg=col)
    se_lav = m["se_lav"].astype(float).to_numpy()
    np.testing.assert_allclose(m["se"].to_numpy(), se_lav, rtol=TOL_SE, atol=1e-8)


@pytest.mark.parametrize("name", CASES)
def test_fit_measures_against_lavaan(fits, name):
    ref, fit = fits[name]
    fm = fit.fit_measures
    assert list(fm) == list(ref["fit"])
    for key, lav in ref["fit"].items():
        if lav is None:  # e.g. the catML robust indices under equal thresholds
            assert math.isnan(fm[key]), key
            continue
        assert fm[key] == pytest.approx(lav, rel=TOL_EST, abs=TOL_EST), key


@pytest.mark.parametrize("name", CASES)
def test_standardized_solution_against_lavaan(fits, name):
    ref, fit = fits[name]
    want = pd.DataFrame(ref["std_solution"])
    got = fit.standardized_solution
    m = want.assign(group=want.get("group", 1)).merge(
        got, on=["lhs", "op", "rhs", "group"], suffixes=("_lav", "")
    )
    assert len(m) == len(want)
    np.testing.assert_allclose(m["est.std"], m["est.std_lav"].astype(float), atol=TOL_EST)
    # lavaan gives these SEs only for its default fit where the estimates came from its
    # ceq.simple refit (fixture note): then they sit at estimates up to 1e-3 away
    tol = TOL_SE if ref["std_solution_se_from"] == "best" else 2e-3
    se_lav = m["se_lav"].astype(float)
    np.testing.assert_allclose(m["se"], se_lav, rtol=tol, atol=1e-7)


# ----------------------------------------------------------------------------- theta model


def test_theta_scale_factors_are_derived(fits):
    """Theta: the ordered residual variances of group 1 are 1 (fixed), the ~*~ rows carry
    delta = 1 / sqrt(diag(Sigma**)) with SE 0, and Sigma_hat of the ordered items is a
    correlation matrix."""
    ref, fit = fits["theta_group2_th_load"]
    est = fit.estimates
    res = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"]) & est["lhs"].isin(ACN)]
    g1, g2 = res[res["group"] == 1], res[res["group"] == 2]
    assert (g1["est"] == 1).all() and (g1["se"] == 0).all()
    assert (g2["se"] > 0).all() and not np.allclose(g2["est"], 1)  # free in group 2
    scale = est[est["op"] == "~*~"]
    assert (scale["se"] == 0).all() and (scale["std.all"] == 1).all()
    pairs = zip(fit.model.layouts, fit.implied_moments, strict=True)
    for g, (lay, imp) in enumerate(pairs, start=1):
        var = np.diag(imp.sigma)[lay.ordered]
        rows = scale[scale["group"] == g].set_index("lhs").loc[[ACN[k] for k in lay.ordered]]
        np.testing.assert_allclose(rows["est"], 1 / np.sqrt(var), rtol=1e-12)
        d = fit.model.scale_factors(fit.theta)[g - 1]
        sig = imp.sigma * np.outer(d, d)
        np.testing.assert_allclose(np.diag(sig)[lay.ordered], 1.0, rtol=1e-12)


@pytest.mark.parametrize("name", ["theta_polyserial", "theta_ordered_predictor"])
def test_jacobian_is_lavaans(fits, name):
    """Delta = d sigma / d theta' under theta (lavaan's computeDelta: the cov2cor chain rule
    and the thresholds' delta term), with a continuous variable and an ordered predictor."""
    ref, fit = fits[name]
    ((_, D),) = om.wls_jacobian(fit.model, fit.theta)
    # lavaan's Delta is taken at its default fit, whose estimates are up to 5e-5 away
    np.testing.assert_allclose(D, np.array(ref["delta"]), rtol=1e-5, atol=2e-6)


def test_jacobian_matches_finite_differences(bfi):
    """Two groups with free residual variances in group 2 and a partial threshold, away from
    the solution."""
    fit = sem(
        "A =~ A1 + A2 + A3 + A4 + A5\nage ~ A",
        bfi,
        ordered=[f"A{i}" for i in range(1, 6)],
        group="gender",
        group_equal=["thresholds", "loadings"],
        group_partial=["A2|t3"],
        parameterization="theta",
    )
    cm, theta = fit.model, fit.theta + 0.01
    analytic = [D for _, D in om.wls_jacobian(cm, theta)]
    h = 1e-6
    for k in range(cm.npar):
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        pairs = zip(om.wls_moments(cm, tp), om.wls_moments(cm, tm), strict=True)
        for g, (sp, sm) in enumerate(pairs):
            np.testing.assert_allclose(analytic[g][:, k], (sp - sm) / (2 * h), atol=2e-6)


def test_lrt_theta(bfi):
    """lavTestLRT(configural, thresholds + loadings) under theta (satorra.2000)."""
    from loyaltysem.analyses.invariance import lrt

    ref = _fixture("theta_group2_lrt")["lrt"][1]
    model = _fixture("theta_group2")["model"]
    kw = {"ordered": ACN, "group": "gender", "parameterization": "theta"}
    conf = sem(model, bfi, **kw)
    inv = sem(model, bfi, group_equal=["thresholds", "loadings"], **kw)
    test = lrt(inv, conf)
    assert test["df.diff"] == ref["Df diff"]
    assert test["chisq.diff"] == pytest.approx(ref["Chisq diff"], rel=1e-5)
    assert test["pvalue"] == pytest.approx(ref["Pr(>Chisq)"], rel=1e-4)


# ----------------------------------------------------------------------------- parameter table


def _row(pt, g, lhs, op, rhs=""):
    t = pt[(pt["group"] == g) & (pt["lhs"] == lhs) & (pt["op"] == op) & (pt["rhs"] == rhs)]
    return t.iloc[0]


@pytest.mark.parametrize("parameterization", ["delta", "theta"])
def test_partable_partial_thresholds(parameterization):
    """group.partial "y1|t2": that threshold gets its own parameter in group 2, the others
    stay tied; equal thresholds free the scale factors (delta) or the ordered residual
    variances (theta) of group 2, never of group 1."""
    pt = build_partable(
        "f =~ y1 + y2 + y3",
        ordered={"y1": ["t1", "t2"], "y2": ["t1", "t2"], "y3": ["t1"]},
        ngroups=2,
        group_equal=("thresholds", "loadings"),
        group_partial=("y1 | t2",),
        parameterization=parameterization,
    )
    assert _row(pt, 1, "y1", "|", "t2")["free"] != _row(pt, 2, "y1", "|", "t2")["free"]
    assert _row(pt, 1, "y1", "|", "t1")["free"] == _row(pt, 2, "y1", "|", "t1")["free"]
    assert _row(pt, 1, "y2", "|", "t2")["free"] == _row(pt, 2, "y2", "|", "t2")["free"]
    for item in ("y1", "y2", "y3"):
        scale, resid = _row(pt, 2, item, "~*~", item), _row(pt, 2, item, "~~", item)
        assert (scale["free"] > 0) == (parameterization == "delta")
        assert (resid["free"] > 0) == (parameterization == "theta")
        assert _row(pt, 1, item, "~*~", item)["free"] == 0
        assert _row(pt, 1, item, "~~", item)["ustart"] == 1
    assert _row(pt, 2, "f", "~1")["free"] > 0


def test_partable_theta_rules():
    """Theta: without equal thresholds group 2 keeps unit residual variances; equal
    residuals fix the freed group-2 ones back to group 1's 1 (lavaan: a tied set with a
    fixed member is fixed)."""
    kw = {"ordered": {"y1": ["t1"], "y2": ["t1"], "y3": ["t1"]}, "ngroups": 2}
    kw["parameterization"] = "theta"
    metric = build_partable("f =~ y1 + y2 + y3", group_equal=("loadings",), **kw)
    strict = build_partable(
        "f =~ y1 + y2 + y3", group_equal=("thresholds", "loadings", "residuals"), **kw
    )
    for pt in (metric, strict):
        r = _row(pt, 2, "y2", "~~", "y2")
        assert r["free"] == 0 and r["ustart"] == 1
    assert _row(strict, 2, "f", "~1")["free"] > 0


def test_bad_parameterization_and_partial(bfi):
    model = "A =~ A1 + A2 + A3 + A4 + A5"
    with pytest.raises(InputError, match="ordered items only"):
        sem(model, bfi, parameterization="theta")
    with pytest.raises(InputError, match="'delta' or 'theta'"):
        sem(model, bfi, ordered=True, parameterization="gamma")
    with pytest.raises(ModelSyntaxError, match="'A1\\|t9' is not a parameter"):
        sem(model, bfi, ordered=True, group="gender", group_equal=["thresholds", "loadings"],
            group_partial=["A1|t9"])  # fmt: skip
    fit = sem(model, bfi, ordered=True, parameterization="THETA")
    assert fit.model.parameterization == "theta"


# ----------------------------------------------------------------------------- invariance, CLI


def test_invariance_theta_steps(bfi, fits):
    """Theta: configural, metric, scalar and strict; scalar is lavaan's thresholds +
    loadings model; the partial threshold frees A1|t2 in every constrained step."""
    from loyaltysem.analyses.invariance import measurement_invariance

    model = _fixture("theta_group2")["model"]
    res = measurement_invariance(model, bfi, "gender", ordered=ACN, parameterization="theta")
    assert list(res.steps) == ["configural", "metric", "scalar", "strict"]
    ref = _fixture("theta_group2_th_load")["fit"]
    assert res.steps["scalar"].fit_measures["chisq"] == pytest.approx(ref["chisq"], rel=1e-6)
    conf = _fixture("theta_group2")["fit"]
    assert res.steps["configural"].fit_measures["chisq"] == pytest.approx(conf["chisq"], rel=1e-6)
    assert len(res.comparisons) == 3
    part = measurement_invariance(
        model, bfi, "gender", ordered=ACN, steps=("configural", "scalar"),
        group_partial=("A1|t2", "C3|t4"),
    )  # fmt: skip
    want = _fixture("theta_partial_delta")["fit"]["chisq"]
    assert part.steps["scalar"].fit_measures["chisq"] == pytest.approx(want, rel=1e-6)


@pytest.fixture
def two_factor(tmp_path) -> Path:
    model = tmp_path / "m.lav"
    model.write_text("A =~ A1 + A2 + A3 + A4 + A5\nC =~ C1 + C2 + C3 + C4 + C5\n")
    return model


def test_cli_fit_theta_json(tmp_path, two_factor, bfi):
    from loyaltysem.cli import main

    out = tmp_path / "fit.json"
    args = ["fit", str(FIX / "bfi500.csv"), "--model", str(two_factor), "--json", str(out)]
    assert main([*args, "--ordered", "all", "--parameterization", "theta"]) == 0
    got = json.loads(out.read_text())
    lib = sem(two_factor.read_text(), bfi, ordered=True, parameterization="theta")
    assert got["fit"]["chisq"] == pytest.approx(lib.fit_measures["chisq"], rel=1e-9)
    scale = [r for r in got["estimates"] if r["op"] == "~*~"]
    assert len(scale) == 10 and all(0 < r["est"] < 1 for r in scale)  # derived, not 1
    loading = next(r for r in got["estimates"] if r["op"] == "=~" and r["rhs"] == "A2")
    delta = sem(two_factor.read_text(), bfi, ordered=True).estimates
    assert loading["est"] > delta.loc[(delta["rhs"] == "A2") & (delta["op"] == "=~"), "est"].item()


@pytest.mark.parametrize("command", ["fit", "invariance"])
def test_cli_parameterization_needs_ordered(tmp_path, two_factor, command, capsys):
    from loyaltysem.cli import main

    args = [command, str(FIX / "bfi500.csv"), "--model", str(two_factor)]
    if command == "invariance":
        args += ["--group", "gender"]
    assert main([*args, "--parameterization", "theta"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and re.search("ordered items only.*--ordered", err), err


def test_cli_invariance_theta_partial(tmp_path, two_factor):
    from loyaltysem.cli import main

    out = tmp_path / "inv.json"
    args = ["invariance", str(FIX / "bfi500.csv"), "--model", str(two_factor), "--group",
            "gender", "--ordered", "all", "--parameterization", "theta",
            "--group-partial", "A1|t2, C3 | t4", "--json", str(out)]  # fmt: skip
    assert main(args) == 0
    got = json.loads(out.read_text())
    assert list(got["steps"]) == ["configural", "metric", "scalar", "strict"]
    scalar = pd.DataFrame(got["steps"]["scalar"]["estimates"])
    th = scalar[(scalar["op"] == "|") & (scalar["lhs"] == "A1")].set_index(["group", "rhs"])
    assert th.loc[(1, "t1"), "est"] == pytest.approx(th.loc[(2, "t1"), "est"], abs=1e-12)
    assert abs(th.loc[(1, "t2"), "est"] - th.loc[(2, "t2"), "est"]) > 1e-3  # freed
    res = scalar[(scalar["op"] == "~~") & (scalar["lhs"] == "A1") & (scalar["rhs"] == "A1")]
    assert res.set_index("group").loc[2, "se"] > 0
    strict = pd.DataFrame(got["steps"]["strict"]["estimates"])
    res = strict[(strict["op"] == "~~") & (strict["lhs"] == "A1") & (strict["rhs"] == "A1")]
    assert (res["est"] == 1).all()
