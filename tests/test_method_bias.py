"""CFA-based common method bias: single-factor CFA and ULMC, against the same models fitted
directly and against lavaan 0.6.14 (tests/fixtures/R/method_bias.R)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from loyaltysem.analyses.method_bias import (
    common_method_cfa,
    method_bias_comparison,
    one_factor_syntax,
    ulmc_syntax,
)
from loyaltysem.base.notice import Notice
from loyaltysem.semcore.estimate.options import Options, resolve_options
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model.partable import build_partable
from loyaltysem.survey.instrument import read_instrument

LAVAAN = json.loads((FIXTURES / "lavaan" / "method_bias.json").read_text(encoding="utf-8"))
INDICES = ("chisq", "df", "cfi", "tli", "rmsea", "srmr")
ROBUST = {"chisq": "chisq.scaled", "df": "df.scaled", "cfi": "cfi.robust",
          "tli": "tli.robust", "rmsea": "rmsea.robust", "srmr": "srmr"}  # fmt: skip


@pytest.fixture(scope="module")
def ci() -> dict[str, list[str]]:
    return read_instrument("models/online_loyalty.toml").construct_items


@pytest.fixture(scope="module")
def results(example_frame, ci):
    return {est: common_method_cfa(example_frame, ci, estimator=est) for est in ("ML", "MLR")}


def test_ulmc_syntax_frees_every_method_loading_and_fixes_the_rest(ci):
    syn = ulmc_syntax(ci)
    pt = build_partable(syn)
    items = [i for its in ci.values() for i in its]
    m = pt[(pt["lhs"] == "M") & (pt["op"] == "=~")]
    assert list(m["rhs"]) == items and (m["free"] > 0).all()
    var = pt[(pt["lhs"] == "M") & (pt["op"] == "~~") & (pt["rhs"] == "M")]
    assert (var["free"] == 0).all() and (var["ustart"] == 1).all()
    cov = pt[(pt["op"] == "~~") & (pt["lhs"] == "M") & pt["rhs"].isin(list(ci))]
    assert len(cov) == len(ci) and (cov["free"] == 0).all() and (cov["ustart"] == 0).all()
    # the traits keep their marker loading and covary freely
    for f, its in ci.items():
        first = pt[(pt["lhs"] == f) & (pt["op"] == "=~") & (pt["rhs"] == its[0])]
        assert first["free"].iloc[0] == 0
    assert one_factor_syntax(ci) == "CMV =~ " + " + ".join(items)
    # a construct already called M or CMV gets another name for the method factor
    assert ulmc_syntax({"M": ["a", "b", "c"]}).splitlines()[1].startswith("M2 =~ NA*a")
    assert one_factor_syntax({"CMV": ["a", "b", "c"]}).startswith("CMV2 =~")


def test_fit_values_equal_the_models_fitted_directly(results, example_frame):
    res = results["ML"]
    fits = res.fits.set_index("model")
    for name in ("one_factor", "measurement"):
        direct = sem(res.syntax[name], example_frame).fit_measures
        for k in INDICES:
            assert fits.loc[name, k] == pytest.approx(direct[k], abs=1e-10)
    # the ULMC fitted from the plain syntax with the same start values
    direct = res.models["ulmc"].fit_measures
    for k in INDICES:
        assert fits.loc["ulmc", k] == pytest.approx(direct[k], abs=1e-10)
    ch = res.changes.set_index("model")
    for k in ("cfi", "tli", "rmsea", "srmr"):
        assert ch.loc["ulmc", f"delta.{k}"] == pytest.approx(
            fits.loc["ulmc", k] - fits.loc["measurement", k], abs=1e-12
        )
        assert ch.loc["measurement", f"delta.{k}"] == pytest.approx(
            fits.loc["measurement", k] - fits.loc["one_factor", k], abs=1e-12
        )
    assert fits.loc["ulmc", "chisq/df"] == pytest.approx(
        fits.loc["ulmc", "chisq"] / fits.loc["ulmc", "df"]
    )


@pytest.mark.parametrize("estimator", ["ML", "MLR"])
def test_fit_measures_equal_lavaan(results, estimator):
    res, lav = results[estimator], LAVAAN[estimator]
    fits = res.fits.set_index("model")
    keys = ROBUST if estimator == "MLR" else {k: k for k in INDICES}
    for name in ("one_factor", "measurement", "ulmc"):
        assert lav[name]["converged"]
        assert fits.loc[name, "converged"] and fits.loc[name, "admissible"]
        for ours, theirs in keys.items():
            want = lav[name]["fit"][theirs]
            tol = 1e-4 * max(1.0, abs(want)) if ours == "chisq" else 1e-4
            assert fits.loc[name, ours] == pytest.approx(want, abs=tol), (name, ours)
    ch = res.changes.set_index("model")
    for row, key in (("measurement", "lrt_measurement_vs_one_factor"),
                     ("ulmc", "lrt_ulmc_vs_measurement")):  # fmt: skip
        assert ch.loc[row, "chisq.diff"] == pytest.approx(lav[key]["chisq.diff"], rel=1e-4)
        assert ch.loc[row, "df.diff"] == lav[key]["df.diff"]
        assert ch.loc[row, "pvalue"] == pytest.approx(lav[key]["pvalue"], abs=1e-4)


def test_method_loadings_equal_lavaan(results):
    lav = LAVAAN["ML"]["ulmc"]["method_loadings"]
    ours = results["ML"].method_loadings.set_index("item")
    assert list(ours.index) == lav["item"]
    assert np.allclose(ours["est"], lav["est"], atol=1e-3)
    assert np.allclose(ours["std.all"], lav["std.all"], atol=1e-3)


def test_verdict_on_the_example(results):
    for est in ("ML", "MLR"):
        res = results[est]
        assert res.verdict == "no serious common method bias"
        u = res.changes.set_index("model").loc["ulmc"]
        assert all(u[f"ok.{k}"] for k in ("cfi", "tli", "rmsea", "srmr"))
        assert not res.warnings


# ----------------------------------------------------------------- verdict logic


@dataclass
class _Fit:
    fit_measures: dict
    converged: bool = True
    estimator: str = "ML"
    warnings: list = field(default_factory=list)
    options: Options = field(default_factory=resolve_options)  # as SEMResult carries them


def _fm(chisq, df, cfi, tli, rmsea, srmr, npar=10):
    return {"chisq": chisq, "df": df, "pvalue": 0.01, "cfi": cfi, "tli": tli, "rmsea": rmsea,
            "srmr": srmr, "npar": npar}  # fmt: skip


@pytest.mark.parametrize(
    ("ulmc", "verdict"),
    [
        (_Fit(_fm(120, 40, 0.94, 0.92, 0.05, 0.05)), "no serious common method bias"),
        (_Fit(_fm(60, 40, 0.99, 0.98, 0.03, 0.04)), "common method bias"),  # delta CFI .14
        (_Fit(_fm(100, 40, 0.96, 0.95, 0.04, -0.01)), "common method bias"),  # delta SRMR .06
        (_Fit(_fm(100, 40, 0.96, 0.95, 0.04, 0.05), converged=False), "not interpretable"),
        (_Fit(_fm(100, 40, 0.96, 0.95, 0.04, 0.05),
              warnings=[Notice("sem.heywood", "Heywood case: ...")]), "not interpretable"),
    ],
)  # fmt: skip
def test_verdict_logic(ulmc, verdict):
    one = _Fit(_fm(900, 54, 0.40, 0.35, 0.20, 0.15))
    meas = _Fit(_fm(150, 51, 0.85, 0.83, 0.07, 0.05))
    fits, changes = method_bias_comparison(one, meas, ulmc)
    assert changes.set_index("model").loc["ulmc", "verdict"] == verdict
    assert list(fits["model"]) == ["one_factor", "measurement", "ulmc"]


def test_a_planted_method_factor_is_found():
    """Three traits, three items each, plus a strong method factor on every item."""
    rng = np.random.default_rng(11)
    n = 600
    traits = rng.multivariate_normal(np.zeros(3), [[1, 0.3, 0.3], [0.3, 1, 0.3], [0.3, 0.3, 1]], n)
    method = rng.normal(size=n)
    lam_m = np.array([0.9, 0.2, 0.8, 0.1, 0.9, 0.3, 0.7, 0.1, 0.9])
    cols = {}
    for j in range(9):
        f = j // 3
        cols[f"x{j + 1}"] = 0.7 * traits[:, f] + lam_m[j] * method + rng.normal(0, 0.6, n)
    df = pd.DataFrame(cols)
    ci = {"A": ["x1", "x2", "x3"], "B": ["x4", "x5", "x6"], "C": ["x7", "x8", "x9"]}
    res = common_method_cfa(df, ci)
    assert res.verdict == "common method bias"
    ml = res.method_loadings.set_index("item")["est"].abs()
    assert np.corrcoef(ml, lam_m)[0, 1] > 0.9


def test_lavaan_default_start_is_inadmissible_on_the_example():
    """Why the ULMC starts from the measurement model: from lavaan's defaults it ends on a
    flat ridge with negative trait variances (documented by the fixture)."""
    d = LAVAAN["ML"]["ulmc_default_start"]
    assert min(v for k, v in d["lv_variances"].items() if k != "M") < 0
    assert d["iterations"] > 10 * LAVAAN["ML"]["ulmc"]["iterations"]
    assert min(LAVAAN["ML"]["ulmc"]["lv_variances"].values()) > 0


def test_reusing_a_measurement_fit_and_a_mismatched_one(results, example_frame, ci):
    from loyaltysem.base.errors import InputError

    meas = results["ML"].models["measurement"]
    res = common_method_cfa(example_frame, ci, measurement=meas, ulmc=False)
    assert list(res.fits["model"]) == ["one_factor", "measurement"]
    assert res.verdict == "not tested" and "ulmc" not in res.syntax
    with pytest.raises(InputError, match="respondents"):
        common_method_cfa(example_frame.iloc[:300], ci, measurement=meas, ulmc=False)
