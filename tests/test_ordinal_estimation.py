"""Ordered items, the estimator step (issue 16): WLSMV / ULSMV / WLS fits against lavaan 0.6.14
(tests/fixtures/R/ordinal.R on psych::bfi) - estimates, standard errors, the standardized
solution and every fitMeasures() value - plus the syntax and parameter-table defaults, the
analytic Jacobian against finite differences, and the one-line errors for bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture

from loyaltysem.base.errors import InputError, ModelSyntaxError
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.model.partable import build_partable, model_variables
from loyaltysem.survey.syntax import parse_syntax

FIX = Path(__file__).parent / "fixtures" / "ordinal"
TOL_EST = 1e-3  # estimates, standardized values and fit measures (the tolerance)
TOL_SE = 1e-2  # standard errors
ITEMS = [f"{f}{i}" for f in "ACENO" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


def _binary(bfi: pd.DataFrame, cuts: dict) -> pd.DataFrame:
    rows = bfi.iloc[:120]
    return pd.DataFrame({k: (rows[k] >= v).astype(int) for k, v in cuts.items()})


def _fit(name: str, bfi: pd.DataFrame):
    ref = _fixture(name)
    args = ref.get("args") or {}
    kw = {"estimator": args.get("estimator", ["WLSMV"])[0]}
    if "group" in args:
        kw["group"] = args["group"][0]
    if "group.equal" in args:
        kw["group_equal"] = args["group.equal"]
    ov = model_variables(parse_syntax(ref["model"])).ov
    if name == "bfi_binary":
        cuts = {k: (v[0] if isinstance(v, list) else v) for k, v in ref["cuts"].items()}
        return ref, sem(ref["model"], _binary(bfi, cuts), ordered=True, **kw)
    ordered = ref.get("ordered") or [v for v in ITEMS if v in ov]
    return ref, sem(ref["model"], bfi, ordered=ordered, **kw)


CASES = [
    "bfi_cfa5",
    "bfi_cfa5_ulsmv",
    "bfi_sem5",
    "bfi_polyserial",
    "bfi_polyserial_wls",
    "bfi_mixed_numeric",
    "bfi_binary",
    "bfi_group2",
    "bfi_group2_th_load",
    "bfi_ordered_predictor",
]


@pytest.fixture(scope="module")
def fits(bfi):
    return {name: _fit(name, bfi) for name in CASES}


@pytest.mark.parametrize("name", CASES)
def test_estimates_against_lavaan(fits, name):
    ref, fit = fits[name]
    assert fit.converged
    want = pd.DataFrame(ref["estimates"])
    if "group" not in want:
        want["group"] = 1
    got = fit.estimates
    assert len(got) == len(want)  # the same rows: thresholds, ~*~, fixed residuals, means
    m = want.merge(got, on=["lhs", "op", "rhs", "group"], suffixes=("_lav", ""))
    assert len(m) == len(want)
    assert fit.npar == ref["fit"]["npar"]  # lavInspect "npar" counts tied rows apart
    for col, tol in (("est", TOL_EST), ("std.lv", TOL_EST), ("std.all", TOL_EST), ("se", TOL_SE)):
        lav = m[f"{col}_lav"].astype(float).to_numpy()
        np.testing.assert_allclose(m[col].to_numpy(), lav, rtol=0, atol=tol, err_msg=col)
    # much closer than the tolerance in practice
    np.testing.assert_allclose(m["est"], m["est_lav"].astype(float), rtol=2e-6, atol=5e-5)
    se_lav = m["se_lav"].astype(float)
    np.testing.assert_allclose(m["se"], se_lav, rtol=5e-5, atol=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_fit_measures_against_lavaan(fits, name):
    ref, fit = fits[name]
    fm = fit.fit_measures
    assert list(fm) == list(ref["fit"])  # lavaan's names, in fitMeasures() order
    for key, lav in ref["fit"].items():
        got = fm[key]
        if lav is None:
            assert math.isnan(got), key
            continue
        assert got == pytest.approx(lav, rel=TOL_EST, abs=TOL_EST), key
        assert got == pytest.approx(lav, rel=1e-5, abs=1e-6), key


def test_thresholds_are_item_t_rows(fits):
    _, fit = fits["bfi_cfa5"]
    est = fit.estimates
    th = est[est["op"] == "|"]
    assert list(th["lhs"].iloc[:5] + "|" + th["rhs"].iloc[:5]) == [f"A1|t{k}" for k in range(1, 6)]
    # delta parameterization: unit scale factors, residual variances 1 - lambda^2 psi (fixed)
    res = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"]) & est["lhs"].isin(ITEMS)]
    assert (res["se"] == 0).all()
    np.testing.assert_allclose(res["std.all"], 1 - fit.r2[res["lhs"]].to_numpy(), atol=1e-12)
    assert (est.loc[est["op"] == "~*~", "est"] == 1).all()
    d = fit.to_dict()
    assert any(r["op"] == "|" and r["lhs"] == "A1" and r["rhs"] == "t1" for r in d["estimates"])
    assert d["fit"]["chisq.scaled"] == pytest.approx(fit.fit_measures["chisq.scaled"])


def test_standardized_solution_delta(fits):
    """Group 2 of the threshold + loading invariance model has free scale factors: lavaan's
    std.all of a threshold is est * delta, of a scale factor 1."""
    _, fit = fits["bfi_group2_th_load"]
    est = fit.estimates
    g2 = est[est["group"] == 2]
    delta = g2[g2["op"] == "~*~"].set_index("lhs")["est"]
    th = g2[(g2["op"] == "|") & (g2["lhs"] == "A1")]
    np.testing.assert_allclose(th["std.all"], th["est"] * delta["A1"], rtol=1e-10)
    np.testing.assert_allclose(g2.loc[g2["op"] == "~*~", "std.all"], 1.0, atol=1e-12)
    sol = fit.standardized_solution
    assert (sol["op"] == "|").any() and np.isfinite(sol["est.std"]).all()


def test_ulsmv_pvalue_is_na(fits):
    """lavaan gives no reference distribution for the plain ULS statistic."""
    _, fit = fits["bfi_cfa5_ulsmv"]
    assert math.isnan(fit.fit_measures["pvalue"])
    assert fit.fit_measures["pvalue.scaled"] >= 0


# ----------------------------------------------------------------------------- Jacobian


@pytest.mark.parametrize(
    ("model", "group_equal"),
    [
        ("F =~ A1 + A2 + A3 + A4\nA5 ~ F\nage ~ F", ()),  # ordered outcome, polyserial
        ("F =~ A1 + A2 + A3 + A4 + A5", ("thresholds", "loadings")),  # free scale factors
    ],
)
def test_jacobian_matches_finite_differences(bfi, model, group_equal):
    """Delta = d sigma / d theta' (through the scale factors, thresholds and means)
    against central differences of the implied WLS moments."""
    kw = {"group": "gender", "group_equal": group_equal} if group_equal else {}
    fit = sem(model, bfi, ordered=[f"A{i}" for i in range(1, 6)], **kw)
    cm, theta = fit.model, fit.theta + 0.01  # away from the solution, too
    analytic = [D for _, D in om.wls_jacobian(cm, theta)]
    h = 1e-6
    for k in range(cm.npar):
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        for g, (sp, sm) in enumerate(
            zip(om.wls_moments(cm, tp), om.wls_moments(cm, tm), strict=True)
        ):
            np.testing.assert_allclose(analytic[g][:, k], (sp - sm) / (2 * h), atol=1e-6)


def test_delta_of_an_ordered_predictor_is_lavaans(fits):
    """A5 ~ A1 with both ordered: lavaan holds the ordered residual variances fixed in Delta
    (and its A5 residual leaves A1's out, Var(A5*) = 1.0104); both are reproduced."""
    ref, fit = fits["bfi_ordered_predictor"]
    ((_, D),) = om.wls_jacobian(fit.model, fit.theta)
    np.testing.assert_allclose(D, np.array(ref["delta"]), atol=1e-5)
    a5 = fit.model.mv.ov.index("A5")
    assert fit.implied_moments[0].sigma[a5, a5] == pytest.approx(1.0104194, abs=1e-6)


def test_implied_ystar_variances_are_one_over_delta_squared(fits):
    _, fit = fits["bfi_group2_th_load"]
    for lay, imp in zip(fit.model.layouts, fit.implied_moments, strict=True):
        d = lay.delta(fit.theta)[lay.ordered]
        np.testing.assert_allclose(np.diag(imp.sigma)[lay.ordered], 1 / d**2, rtol=1e-12)


# ----------------------------------------------------------------------------- syntax, table


def test_threshold_syntax_and_labels():
    rows = parse_syntax("f =~ y1 + y2 + y3\ny1 | a*t1 + 0.5*t2")
    th = [(r.lhs, r.op, r.rhs, r.modifier.label, r.modifier.fixed) for r in rows if r.op == "|"]
    assert th == [("y1", "|", "t1", ["a"], []), ("y1", "|", "t2", [], [0.5])]
    with pytest.raises(ModelSyntaxError, match="thresholds are named t1"):
        parse_syntax("f =~ y1 + y2\ny1 | u1")
    pt = build_partable(
        "f =~ y1 + y2 + y3\ny1 | a*t1 + 0.5*t2",
        ordered={"y1": ["t1", "t2"], "y2": ["t1"], "y3": ["t1"]},
    )
    th = pt[pt["op"] == "|"]
    assert list(th["lhs"] + "|" + th["rhs"]) == ["y1|t1", "y1|t2", "y2|t1", "y3|t1"]
    assert list(th["label"])[0] == "a" and th["free"].iloc[1] == 0
    assert th["ustart"].iloc[1] == 0.5


def test_partable_delta_defaults():
    pt = build_partable(
        "f =~ y1 + y2 + y3\ny3 ~~ y3",
        ordered={"y1": ["t1"], "y2": ["t1", "t2"]},
        ngroups=2,
        group_equal=("thresholds", "loadings"),
    )
    g1, g2 = pt[pt["group"] == 1], pt[pt["group"] == 2]

    def row(t, lhs, op, rhs=""):
        return t[(t["lhs"] == lhs) & (t["op"] == op) & (t["rhs"] == rhs)].iloc[0]

    assert row(g1, "y1", "~~", "y1")["free"] == 0  # ordered residual: not a parameter
    assert row(g1, "y3", "~~", "y3")["free"] > 0  # continuous: free
    assert row(g1, "y1", "~1")["free"] == 0 and row(g1, "y1", "~1")["ustart"] == 0
    assert row(g1, "y3", "~1")["free"] > 0
    assert row(g1, "y1", "~*~", "y1")["free"] == 0 and row(g1, "y1", "~*~", "y1")["ustart"] == 1
    assert row(g2, "y1", "~*~", "y1")["free"] > 0  # free with equal thresholds
    assert row(g2, "f", "~1")["free"] > 0 and row(g1, "f", "~1")["free"] == 0
    assert row(g1, "y2", "|", "t2")["free"] == row(g2, "y2", "|", "t2")["free"]
    assert "~*~" not in set(pt.loc[pt["lhs"] == "y3", "op"])


# ----------------------------------------------------------------------------- errors


def test_estimator_choice(bfi):
    model = "A =~ A1 + A2 + A3 + A4 + A5"
    fit = sem(model, bfi, ordered=True, estimator="ulsmv")
    assert fit.estimator == "ULSMV" and fit.discrepancy.name == "ULS"
    assert sem(model, bfi, ordered=True).estimator == "WLSMV"
    with pytest.raises(InputError, match="not available for ordered items"):
        sem(model, bfi, ordered=True, estimator="MLR")
    with pytest.raises(InputError, match="fiml"):
        sem(model, bfi, ordered=True, missing="fiml")
    with pytest.raises(InputError, match="ordered items: ordered="):
        sem(model, bfi, estimator="WLSMV")


def test_single_category_and_too_many_categories(bfi):
    df = bfi.copy()
    df["A1"] = 3
    with pytest.raises(InputError, match="A1.*single observed category"):
        sem("A =~ A1 + A2 + A3", df, ordered=True)
    df = bfi.copy()
    df["A2"] = np.arange(len(df)) % 25
    with pytest.raises(InputError, match="A2.*more than 20"):
        sem("A =~ A1 + A2 + A3", df, ordered=True)


# ----------------------------------------------------------------------------- CLI


@pytest.fixture
def two_factor(tmp_path) -> Path:
    model = tmp_path / "m.lav"
    model.write_text("A =~ A1 + A2 + A3 + A4 + A5\nC =~ C1 + C2 + C3 + C4 + C5\n")
    return model


def test_cli_fit_ordered_json(tmp_path, two_factor, bfi, capsys):
    from loyaltysem.cli import main

    out = tmp_path / "fit.json"
    args = ["fit", str(FIX / "bfi500.csv"), "--model", str(two_factor), "--json", str(out)]
    assert main([*args, "--ordered", "all"]) == 0
    got = json.loads(out.read_text())
    lib = sem(two_factor.read_text(), bfi, ordered=True)
    for key in ("chisq", "df", "chisq.scaled", "df.scaled", "pvalue.scaled", "cfi", "tli",
                "rmsea", "cfi.scaled", "tli.scaled", "rmsea.scaled", "cfi.robust",
                "tli.robust", "rmsea.robust", "srmr"):  # fmt: skip
        assert got["fit"][key] == pytest.approx(lib.fit_measures[key], rel=1e-9), key
    th = [r for r in got["estimates"] if r["op"] == "|"]
    assert (th[0]["lhs"], th[0]["rhs"]) == ("A1", "t1") and len(th) == 50
    assert "WLSMV" in capsys.readouterr().out
    out2 = tmp_path / "fit2.json"
    ulsmv = ["--ordered", "A1,A2,A3,A4,A5,C1,C2,C3,C4,C5", "--estimator", "ULSMV"]
    assert main([*args[:-1], str(out2), *ulsmv]) == 0
    assert json.loads(out2.read_text())["fit"]["chisq"] != got["fit"]["chisq"]


@pytest.mark.parametrize(
    ("change", "options", "message"),
    [
        ({"A3": lambda d: (d.index % 25) + 1}, ["--ordered", "all"], "'A3'.*more than 20"),
        ({}, ["--ordered", "A1,Z9"], "'Z9'.*not an observed variable"),
        ({}, ["--ordered", "all", "--estimator", "mlr"], "not available for ordered"),
        ({}, ["--estimator", "wlsmv"], "--ordered"),
        ({}, ["--ordered", "all", "--missing", "fiml"], "fiml"),
    ],
)
def test_cli_bad_ordered_input_exit_2(tmp_path, two_factor, change, options, message, capsys):
    import re

    from loyaltysem.cli import main

    df = pd.read_csv(FIX / "bfi500.csv")
    for col, fn in change.items():
        df[col] = fn(df)
    data = tmp_path / "d.csv"
    df.to_csv(data, index=False)
    assert main(["fit", str(data), "--model", str(two_factor), *options]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and re.search(message, err), err


def test_ordinal_lrt_satorra_2000(bfi):
    """lavTestLRT(configural, thresholds + loadings) under WLSMV: lavaan's scaled-shifted
    difference (method "satorra.2000")."""
    from loyaltysem.analyses.invariance import lrt

    ref = _fixture("bfi_group2_lrt")["lrt"][1]
    model = _fixture("bfi_group2")["model"]
    items = [f"{f}{i}" for f in "ACN" for i in range(1, 6)]
    conf = sem(model, bfi, ordered=items, group="gender")
    inv = sem(model, bfi, ordered=items, group="gender", group_equal=["thresholds", "loadings"])
    test = lrt(inv, conf)
    assert test["df.diff"] == ref["Df diff"]
    assert test["chisq.diff"] == pytest.approx(ref["Chisq diff"], rel=1e-6)
    assert test["pvalue"] == pytest.approx(ref["Pr(>Chisq)"], rel=1e-5)


def test_cli_invariance_ordered(tmp_path, two_factor, capsys):
    from loyaltysem.cli import main

    out = tmp_path / "inv.json"
    data = str(FIX / "bfi500.csv")
    args = ["invariance", data, "--model", str(two_factor), "--group", "gender"]
    assert main([*args, "--ordered", "all", "--json", str(out)]) == 0
    got = json.loads(out.read_text())
    assert list(got["steps"]) == ["configural", "metric", "scalar"]
    scalar = got["steps"]["scalar"]["estimates"]
    assert any(r["op"] == "~*~" and r["group"] == 2 and r["se"] > 0 for r in scalar)
    assert all(np.isfinite(c["chisq.diff"]) for c in got["comparisons"])
    assert main([*args, "--ordered", "all", "--steps", "configural,strict"]) == 2
    assert "not defined for ordered items" in capsys.readouterr().err
