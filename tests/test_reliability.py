"""Reliability against R's psych and semTools on committed fixtures (issue: reliability and
EFA): closed-form statistics to 1e-6, iterative ones (omega total) to 1e-4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from psych_cases import DATASETS, case, items_of

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.reliability import (
    ave,
    ave_semtools,
    composite_reliability,
    cronbach_alpha,
    fornell_larcker,
    fornell_larcker_ok,
    htmt,
    item_total,
    maxr_h,
    omega_from_cfa,
    omega_total,
    reliability_table,
)


@pytest.mark.parametrize("name", DATASETS)
def test_alpha_std_alpha_citc_alpha_if_deleted(name):
    fx, df = case(name)
    for c, items in fx["constructs"].items():
        ref = fx["reliability"][c]
        a = cronbach_alpha(df[items])
        assert a["alpha"] == pytest.approx(ref["alpha"], abs=1e-6)
        assert a["alpha.std"] == pytest.approx(ref["alpha_std"], abs=1e-6)
        assert a["average_r"] == pytest.approx(ref["average_r"], abs=1e-6)
        it = item_total(df[items])
        for item in items:
            assert it.loc[item, "citc"] == pytest.approx(ref["r_drop"][item], abs=1e-6)
            assert it.loc[item, "raw.r"] == pytest.approx(ref["raw_r"][item], abs=1e-6)
            if len(items) > 2:  # psych prints cov/var as "alpha" of a single remaining item
                assert it.loc[item, "alpha.if.deleted"] == pytest.approx(
                    ref["alpha_drop"][item], abs=1e-6
                )
            else:
                assert np.isnan(it.loc[item, "alpha.if.deleted"])


@pytest.mark.parametrize("name", DATASETS)
def test_feldt_and_duhachek_intervals(name):
    fx, df = case(name)
    for c, items in fx["constructs"].items():
        ref = fx["reliability"][c]
        a = cronbach_alpha(df[items])
        assert [a["feldt.lower"], a["feldt.upper"]] == pytest.approx(ref["feldt"], abs=1e-6)
        assert [a["duhachek.lower"], a["duhachek.upper"]] == pytest.approx(
            ref["duhachek"], abs=1e-6
        )
        assert a["ase"] == pytest.approx(ref["ase"], abs=1e-8)
        # Feldt is the default interval
        assert (a["alpha.ci.lower"], a["alpha.ci.upper"]) == (a["feldt.lower"], a["feldt.upper"])
        d = cronbach_alpha(df[items], ci="duhachek")
        assert d["alpha.ci.lower"] == a["duhachek.lower"]


@pytest.mark.parametrize("name", DATASETS)
def test_omega_total_from_data_matches_psych_omega(name):
    fx, df = case(name)
    for c, items in fx["constructs"].items():
        ref = fx["reliability"][c]["omega_tot"]
        if len(items) < 3:
            assert ref is None
            with pytest.raises(InputError, match="at least three items"):
                omega_total(df[items])
            continue
        assert omega_total(df[items]) == pytest.approx(ref, abs=1e-4)


def _cfa_parts(fx):
    L = pd.DataFrame(fx["cfa"]["loadings"])
    S = pd.DataFrame(fx["cfa"]["sample_cov"])
    items = items_of(fx)
    S.index = S.columns = items  # lavaan orders the observed variables as the model does
    return L, pd.Series(fx["cfa"]["theta"]), pd.Series(fx["cfa"]["psi"]), S


@pytest.mark.parametrize("name", DATASETS)
def test_omega_from_cfa_matches_semtools_compRelSEM(name):
    fx, _ = case(name)
    L, theta, psi, S = _cfa_parts(fx)
    L = L.rename(columns={"est": "loading"})
    ours = omega_from_cfa(L, theta, psi, observed_cov=S)
    for c, v in fx["compRelSEM"].items():
        assert ours[c] == pytest.approx(v, abs=1e-6)
    model_based = omega_from_cfa(L, theta, psi)
    for c, v in fx["compRelSEM_model"].items():
        assert model_based[c] == pytest.approx(v, abs=1e-6)


@pytest.mark.parametrize("name", DATASETS)
def test_cr_ave_maxr_from_standardized_loadings(name):
    fx, _ = case(name)
    L, theta, psi, S = _cfa_parts(fx)
    std = L[["construct", "item", "std"]].rename(columns={"std": "loading"})
    cr, av, h = composite_reliability(std), ave(std), maxr_h(std)
    for c, g in std.groupby("construct"):
        lam = g["loading"].to_numpy()
        s = lam.sum() ** 2
        assert cr[c] == pytest.approx(s / (s + np.sum(1 - lam**2)), abs=1e-12)
        assert av[c] == pytest.approx(np.mean(lam**2), abs=1e-12)
        assert h[c] == pytest.approx(1 / (1 + 1 / np.sum(lam**2 / (1 - lam**2))), abs=1e-12)
        assert composite_reliability(lam) == pytest.approx(cr[c])
        # semTools::AVE divides by the observed variances
        u = L[L["construct"] == c]
        its = list(u["item"])
        assert ave_semtools(
            u["est"].to_numpy(), psi[c], np.diag(S.loc[its, its].to_numpy())
        ) == pytest.approx(fx["AVE"][c], abs=1e-6)


@pytest.mark.parametrize("name", DATASETS)
def test_htmt_and_htmt2_match_semtools(name):
    fx, df = case(name)
    for key, flag in (("htmt", False), ("htmt2", True)):
        ours = htmt(df, fx["constructs"], htmt2=flag).to_numpy()
        theirs = np.array(fx[key], dtype=float)
        low = np.tril_indices(len(theirs), -1)
        assert np.allclose(ours[low], theirs[low], atol=1e-6)
        assert np.allclose(ours, ours.T, equal_nan=True)


def test_fornell_larcker_table_and_verdict():
    r = pd.DataFrame([[1, 0.75], [0.75, 1]], index=["A", "B"], columns=["A", "B"])
    t = fornell_larcker(r, pd.Series({"A": 0.64, "B": 0.49}))
    assert t.loc["A", "A"] == pytest.approx(0.8) and t.loc["B", "B"] == pytest.approx(0.7)
    assert fornell_larcker_ok(t).to_dict() == {"A": True, "B": False}


def test_reliability_table_verdicts_cutoffs_and_json_form():
    fx, df = case("ecsi")
    res = reliability_table(df, fx["constructs"], citc_cutoff=0.30)
    assert set(res.cutoffs.index) >= {"alpha", "citc", "cr", "ave"}
    assert res.cutoffs.loc["citc", "cutoff"] == 0.30
    assert "Nunnally" in res.cutoffs.loc["alpha", "source"]
    assert "Fornell" in res.cutoffs.loc["ave", "source"]
    cuex = res.constructs.loc["CUEX"]
    assert cuex["alpha"] == pytest.approx(fx["reliability"]["CUEX"]["alpha"], abs=1e-9)
    assert cuex["alpha.ok"] == (cuex["alpha"] >= 0.70)
    items = res.items.set_index("item")
    assert (items["citc.ok"] == (items["citc"] >= 0.30)).all()
    strict = reliability_table(df, fx["constructs"]).items.set_index("item")
    assert (strict["citc.ok"] == (strict["citc"] >= 0.50)).all()
    d = res.to_dict()
    assert d["PERQ"]["alpha.ci"][0] < d["PERQ"]["alpha"] < d["PERQ"]["alpha.ci"][1]
    # two-item construct: alpha if deleted does not exist -> null, never NaN
    assert d["PERV"]["items"]["PERV1"]["alpha.if.deleted"] is None


def test_single_item_constant_item_and_unknown_item_messages():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 3, 4, 4, 5], "c": [3, 3, 3, 3, 3]})
    with pytest.raises(InputError, match="never varies") as err:
        cronbach_alpha(df)
    assert err.value.column == "c"
    with pytest.raises(InputError, match="construct X.*never varies") as err:
        reliability_table(df, {"X": ["a", "b", "c"]})
    assert err.value.column == "c"
    with pytest.raises(InputError, match="undefined for a single item"):
        cronbach_alpha(df[["a"]])
    res = reliability_table(df, {"X": ["a", "b"], "Y": ["a"]})
    assert "single item" in res.constructs.loc["Y", "note"]
    assert any("construct Y has a single item" in w for w in res.warnings)
    assert res.to_dict()["Y"]["alpha"] is None
    with pytest.raises(InputError, match="not in the data") as err:
        reliability_table(df, {"X": ["a", "zz"]})
    assert err.value.column == "zz"
