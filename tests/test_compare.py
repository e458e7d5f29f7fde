"""Competing models (issue 24): ``compare`` against lavaan 0.6.14's ``lavTestLRT`` on the
fixtures of tests/fixtures/R/higher_order.R (ML, MLR, FIML, WLSMV; first-order vs
second-order CFA, correlated vs orthogonal factors, three models), within 1e-4 relative."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import LAVAAN, REPO, close

from loyaltysem.analyses.compare import compare

CASES = json.loads((LAVAAN / "higher_order_lrt.json").read_text(encoding="utf-8"))
METHOD = {"MLR": "satorra.bentler.2001"}


def _data(fx: dict) -> pd.DataFrame:
    df = pd.read_csv(REPO / fx["data_file"])
    if fx["data_file"] == "data/online_loyalty.csv":
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    return df


def _kwargs(fx: dict) -> dict:
    return {k: v for k, v in fx["args"].items() if k in ("estimator", "missing", "ordered")}


_RESULTS: dict = {}


def result(name: str):
    if name not in _RESULTS:
        fx = CASES[name]
        models = fx["models"]
        _RESULTS[name] = compare(_data(fx), list(models.values()), names=list(models),
                                 **_kwargs(fx))  # fmt: skip
    return _RESULTS[name]


def _method(fx: dict) -> str:
    if "ordered" in fx["args"]:
        return "satorra.2000"
    return METHOD.get(fx["args"].get("estimator", "ML"), "standard")


@pytest.mark.parametrize("name", list(CASES))
def test_tests_equal_lavtestlrt(name):
    fx, res = CASES[name], result(name)
    lav = pd.DataFrame(fx["lrt"])
    assert list(res.models["model"]) == list(lav["model"])  # lavTestLRT's order (by df)
    for row, ref in zip(res.tests.to_dict("records"), lav.iloc[1:].to_dict("records"),
                        strict=True):  # fmt: skip
        assert row["model2"] == ref["model"] and row["method"] == _method(fx)
        assert row["nested"] is True
        assert close(row["chisq.diff"], ref["Chisq diff"], 1e-4, 1e-6)
        assert row["df.diff"] == ref["Df diff"]
        assert close(row["pvalue"], ref["Pr(>Chisq)"], 1e-4, 1e-12)
        if "RMSEA" in ref:  # the difference's RMSEA, standard tests only
            assert close(row["rmsea.d"], ref["RMSEA"], 1e-4, 1e-8)


@pytest.mark.parametrize("name", list(CASES))
def test_model_rows_equal_fitmeasures(name):
    fx, res = CASES[name], result(name)
    for row in res.models.to_dict("records"):
        ref = fx["fit"][row["model"]]
        for k in ("npar", "df", "chisq", "aic", "bic", "cfi", "tli", "rmsea", "srmr"):
            assert close(row[k], ref.get(k), 1e-4, 1e-6), (row["model"], k)  # WLSMV: no AIC
        for k in ("chisq.scaled", "cfi.robust", "rmsea.robust"):
            if k in row and k in ref:
                assert close(row[k], ref[k], 1e-4, 1e-6), (row["model"], k)
    assert res.n == fx["fit"][res.models["model"].iloc[0]].get("ntotal", 500)  # bfi500


def test_target_coefficient_first_vs_second_order():
    """Marsh & Hocevar's T = chisq(first-order) / chisq(second-order), for the pair only."""
    fx, res = CASES["loy_three_ml"], result("loy_three_ml")
    assert res.target[["first_order", "higher_order"]].values.tolist() == [["first", "second"]]
    t = fx["fit"]["first"]["chisq"] / fx["fit"]["second"]["chisq"]
    assert res.target["t"].iloc[0] == pytest.approx(t, rel=1e-4)
    out = res.to_dict()
    assert set(out) >= {"n", "models", "tests"} and out["target"][0]["t"] == pytest.approx(t)
    assert set(out["tests"][0]) == {"model1", "model2", "nested", "chisq.diff", "df.diff",
                                    "pvalue", "method"}  # fmt: skip
    assert set(out["models"][0]) == {"model", "npar", "df", "chisq", "aic", "bic", "cfi",
                                     "tli", "rmsea", "srmr"}  # fmt: skip


HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"


def test_non_nested_pair_is_named_and_not_tested():
    """A correlated residual (df 23) and a cross-loading with one covariance fixed (df 24):
    neither reproduces the other, so the pair is not tested."""
    data = pd.read_csv(REPO / "tests/fixtures/data/hs.csv")
    a = HS + "x7 ~~ x8\n"
    b = HS + "visual =~ x9\ntextual ~~ 0*speed\n"
    res = compare(data, [b, a], names=["cross", "resid"])
    (test,) = res.tests.to_dict("records")
    assert (test["model1"], test["model2"], test["nested"]) == ("resid", "cross", False)
    assert all(np.isnan(test[k]) for k in ("chisq.diff", "df.diff", "pvalue"))
    assert res.to_dict()["tests"][0]["pvalue"] is None


def test_non_nested_ordered_items():
    """With ordered items the nesting test refits the WLS model to the other's implied
    thresholds and polychoric correlations."""
    fx = CASES["bfi_wlsmv"]
    cor = fx["models"]["correlated"]
    a = cor + "\nA1 ~~ A2"
    b = cor + "\nC =~ E1\nA ~~ 0*C"
    res = compare(_data(fx), [a, b], names=["resid", "cross"], ordered=fx["args"]["ordered"])
    (test,) = res.tests.to_dict("records")
    assert test["nested"] is False and test["method"] == "satorra.2000"
    assert np.isnan(test["chisq.diff"])


def test_equivalent_models_and_same_rows():
    """First-order and second-order CFA with three factors are equivalent (nested both ways,
    df difference 0, T = 1); rows missing in either model's variables are left out of both."""
    data = pd.read_csv(REPO / "tests/fixtures/data/hs_missing.csv")
    second = HS + "g =~ visual + textual + speed\n"
    small = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nvisual ~~ 0*textual\n"
    res = compare(data, [HS, second], names=["first", "second"])
    (test,) = res.tests.to_dict("records")
    assert test["nested"] is True and test["df.diff"] == 0 and np.isnan(test["pvalue"])
    assert res.target["t"].iloc[0] == pytest.approx(1.0, abs=1e-8)
    both = compare(data, [HS, small], names=["nine", "six"])
    complete = int(data[[f"x{i}" for i in range(1, 10)]].notna().all(axis=1).sum())
    assert both.n == complete and all(f.n == complete for f in both.fits.values())
    assert both.tests["nested"].iloc[0] is False  # different variables
    assert any("left out of every model" in w for w in both.warnings)


def test_cli_compare_json(tmp_path):
    """``loyaltysem compare DATA --model A --model B --estimator mlr --json OUT``."""
    from loyaltysem.cli import main

    fx = CASES["hs_orth_mlr"]
    paths = []
    for name, text in fx["models"].items():
        path = tmp_path / f"{name}.lav"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    out = tmp_path / "cmp.json"
    argv = ["compare", str(REPO / fx["data_file"])]
    for p in reversed(paths):  # given in the other order: sorted by df
        argv += ["--model", str(p)]
    assert main([*argv, "--estimator", "mlr", "--json", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    assert [m["model"] for m in got["models"]] == ["correlated.lav", "orthogonal.lav"]
    ref = fx["lrt"][1]
    (test,) = got["tests"]
    assert test["method"] == "satorra.bentler.2001" and test["nested"] is True
    assert close(test["chisq.diff"], ref["Chisq diff"], 1e-4, 1e-6)
    assert close(test["pvalue"], ref["Pr(>Chisq)"], 1e-4, 1e-12)
    assert main(["compare", str(REPO / fx["data_file"]), "--model", str(paths[0])]) == 2
