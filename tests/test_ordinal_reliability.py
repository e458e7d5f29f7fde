"""Reliability of ordered items (issue 16) against R (tests/fixtures/R/ordinal_reliability.R):
ordinal alpha = psych::alpha() of lavaan's polychoric matrix (and how far psych::polychoric's
matrix moves it), semTools::compRelSEM() with its switches (Green & Yang's categorical omega by
default) and semTools::AVE() for WLSMV CFAs on bfi500, and the reliability command's
--ordered option."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture

from loyaltysem.base.errors import InputError
from loyaltysem.cli import main
from loyaltysem.psychometrics.ordinal_reliability import (
    alpha_from_correlation,
    ave_sem,
    comp_rel_sem,
    omega_categorical,
    ordinal_alpha,
    ordinal_cfa_reliability,
)
from loyaltysem.psychometrics.reliability import cronbach_alpha
from loyaltysem.semcore.estimation import sem

FIX = Path(__file__).parent / "fixtures" / "ordinal"
#: the same definition on the same matrix: polychoric correlations agree with lavaan to 2e-8
TOL_DEF = 1e-6
#: compRelSEM / AVE of a fitted model: our WLSMV estimates agree with lavaan's to ~1e-6
#: (lavaan's optimizer stops there), which moves omega by up to 1.2e-6
TOL_FIT = 1e-5
SWITCHES = {
    "default": {},
    "obs_var_false": {"obs_var": False},
    "ord_scale_false": {"ord_scale": False},
    "tau_eq_ord_scale_false": {"tau_eq": True, "ord_scale": False},
}


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


@pytest.fixture(scope="module")
def alpha_ref() -> dict:
    return _fixture("rel_ordinal_alpha")["factors"]


def test_ordinal_alpha_equals_psych_alpha_of_lavaan_polychoric(bfi, alpha_ref):
    res = ordinal_alpha(bfi, {f: v["items"] for f, v in alpha_ref.items()})
    total_cols = {"alpha": "raw_alpha", "G6(smc)": "G6(smc)", "average_r": "average_r",
                  "S/N": "S/N", "ase": "ase", "median_r": "median_r"}  # fmt: skip
    drop_cols = {"alpha.if.deleted": "raw_alpha", "G6(smc).if.deleted": "G6(smc)",
                 "average_r.if.deleted": "average_r", "S/N.if.deleted": "S/N",
                 "ase.if.deleted": "alpha se", "var.r.if.deleted": "var.r",
                 "median_r.if.deleted": "med.r"}  # fmt: skip
    for f, ref in alpha_ref.items():
        lav = ref["alpha_lavaan"]
        np.testing.assert_allclose(res.polychoric[f], ref["polychoric_lavaan"], atol=1e-7)
        row = res.constructs.loc[f]
        assert row["n"] == ref["n"] and row["n_items"] == len(ref["items"])
        for ours, theirs in total_cols.items():
            assert row[ours] == pytest.approx(lav["total"][theirs], abs=TOL_DEF), (f, ours)
        assert lav["total"]["std.alpha"] == lav["total"]["raw_alpha"]  # R is a correlation
        # semTools' alpha of lavaan's polychoric matrix is the same number
        assert row["alpha"] == pytest.approx(ref["semtools_alpha_polychoric"], abs=TOL_DEF)
        items = res.items[res.items["construct"] == f].set_index("item")
        stats = pd.DataFrame(lav["item_stats"]).set_index("item")
        drop = pd.DataFrame(lav["alpha_drop"]).set_index("item")
        np.testing.assert_allclose(items["r"], stats["r"], atol=TOL_DEF)
        np.testing.assert_allclose(items["r.cor"], stats["r.cor"], atol=TOL_DEF)
        np.testing.assert_allclose(items["citc"], stats["r.drop"], atol=TOL_DEF)
        for ours, theirs in drop_cols.items():
            want = drop[theirs].to_numpy(dtype=float)  # var.r of two items is NA in psych
            np.testing.assert_allclose(items[ours], want, atol=TOL_DEF, err_msg=f"{f} {ours}")
        # above the ordinary alpha of the raw scores, as Zumbo et al. report
        assert row["alpha"] > ref["alpha_raw"]


def test_psych_polychoric_gives_nearly_the_same_alpha(bfi, alpha_ref):
    """psych::polychoric (0.5 added to empty cells, optimize() to ~1e-4) differs from lavaan's
    matrix by up to ~1e-4; ordinal alpha moves by less than 1e-5 on bfi500. Both are recorded;
    loyaltysem uses lavaan's (the matrix the WLSMV CFA fits)."""
    res = ordinal_alpha(bfi, {f: v["items"] for f, v in alpha_ref.items()})
    for f, ref in alpha_ref.items():
        psych_r = np.array(ref["polychoric_psych"])
        assert 0 < np.abs(psych_r - np.array(ref["polychoric_lavaan"])).max() < 5e-3, f
        psy = ref["alpha_psych"]["total"]["raw_alpha"]
        assert res.constructs.loc[f, "alpha"] == pytest.approx(psy, abs=1e-5), f
        # and our psych::alpha of psych's own matrix is psych's number
        total, _ = alpha_from_correlation(pd.DataFrame(psych_r), ref["n"])
        assert total["raw_alpha"] == pytest.approx(psy, abs=1e-10)


def _fit(name: str, bfi: pd.DataFrame):
    ref = _fixture(name)
    kw = {"group": "gender"} if ref["args"] else {}
    return ref, sem(ref["model"], bfi, ordered=ref["ordered"], **kw)


def _flat(blocks: list[dict]) -> np.ndarray:
    return np.array([np.nan if v is None else v for b in blocks for v in b.values()], dtype=float)


@pytest.mark.parametrize(
    "name", ["rel_comprel_cfa5", "rel_comprel_two", "rel_comprel_mixed", "rel_comprel_group"]
)
def test_comp_rel_sem_and_ave_match_semtools(bfi, name):
    ref, fit = _fit(name, bfi)
    for key, kw in SWITCHES.items():
        got = comp_rel_sem(fit, **kw)
        want_names = [(i, c) for i, b in enumerate(ref[key]) for c in b]
        assert list(got["construct"]) == [c for _, c in want_names], key
        np.testing.assert_allclose(got["reliability"], _flat(ref[key]), atol=TOL_FIT, err_msg=key)
    for key, kw in {"ave": {}, "ave_obs_var_false": {"obs_var": False}}.items():
        np.testing.assert_allclose(ave_sem(fit, **kw)["ave"], _flat(ref[key]), atol=TOL_FIT)
    if ref["group_labels"]:
        assert list(dict.fromkeys(comp_rel_sem(fit)["group"])) == ref["group_labels"]
    table = ordinal_cfa_reliability(fit)
    assert list(table.columns) == ["group", "construct", "n_items", "items", "omega",
                                   "omega.latent", "alpha.polychoric", "ave"]  # fmt: skip
    np.testing.assert_allclose(table["omega"], _flat(ref["default"]), atol=TOL_FIT)


def test_mixed_factor_kinds(bfi):
    _, fit = _fit("rel_comprel_mixed", bfi)
    kinds = comp_rel_sem(fit).set_index("construct")["items"]
    assert kinds.to_dict() == {"Agr": "continuous", "N": "ordered"}


def test_categorical_omega_formula_on_lavaan_estimates():
    """Green & Yang's omega from lavaan's own estimates and polychoric matrix (bfi_cfa5.json,
    the same WLSMV CFA) equals semTools' to 1e-9: the definition, without optimizer noise."""
    fx = _fixture("bfi_cfa5")
    est = pd.DataFrame(fx["estimates"])
    ss = fx["sampstats"][0]
    S = pd.DataFrame(ss["cov"], index=ss["ov"], columns=ss["ov"])
    want = _fixture("rel_comprel_cfa5")["default"][0]
    for f, value in want.items():
        lam = est[(est["op"] == "=~") & (est["lhs"] == f)]
        its = list(lam["rhs"])
        phi = est[(est["op"] == "~~") & (est["lhs"] == f) & (est["rhs"] == f)]["est"].iloc[0]
        l = lam["est"].to_numpy(dtype=float)
        th = [est[(est["op"] == "|") & (est["lhs"] == v)]["est"].to_numpy(float) for v in its]
        got = omega_categorical(np.outer(l, l) * phi, S.loc[its, its].to_numpy(), th,
                                np.ones(len(its)))  # fmt: skip
        assert got == pytest.approx(value, abs=1e-9), f


def test_tau_eq_with_ord_scale_is_raw_alpha(bfi):
    """semTools' tau.eq = TRUE (ord.scale = TRUE) is alpha of the raw item scores: refused
    here with a pointer to cronbach_alpha, which gives semTools' number."""
    ref, fit = _fit("rel_comprel_cfa5", bfi)
    with pytest.raises(InputError, match="cronbach_alpha"):
        comp_rel_sem(fit, tau_eq=True)
    for f, value in ref["tau_eq"][0].items():
        its = [f"{f}{i}" for i in range(1, 6)]
        assert cronbach_alpha(bfi[its])["alpha"] == pytest.approx(value, abs=1e-10)


def test_reliability_cli_ordered(tmp_path):
    data = FIX / "bfi500.csv"
    model = tmp_path / "bfi.lav"
    model.write_text("A =~ A1 + A2 + A3 + A4 + A5\nN =~ N1 + N2 + N3 + N4 + N5\n")
    out = tmp_path / "rel.json"
    args = ["reliability", str(data), "--model", str(model), "--ordered", "all"]
    assert main([*args, "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    alpha_ref = _fixture("rel_ordinal_alpha")["factors"]
    a = doc["constructs"]["A"]
    assert a["alpha.ordinal"] == pytest.approx(alpha_ref["A"]["alpha_lavaan"]["total"]["raw_alpha"],
                                               abs=TOL_DEF)  # fmt: skip
    assert a["items"]["A2"]["alpha.ordinal.if.deleted"] == pytest.approx(
        alpha_ref["A"]["alpha_lavaan"]["alpha_drop"][1]["raw_alpha"], abs=TOL_DEF
    )
    assert {"omega.categorical", "omega.latent", "ave.categorical"} <= set(a)
    assert doc["ordered"]["items"] == [f"{f}{i}" for f in "AN" for i in range(1, 6)]
    assert doc["ordered"]["cfa"]["estimator"] == "WLSMV" and doc["cfa"]["estimator"] == "ML"
    bad = main([*args[:-1], "A1,NOPE", "--json", str(tmp_path / "x.json")])
    assert bad == 2
