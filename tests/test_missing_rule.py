"""One missing-data rule for reliability, KMO, Bartlett, parallel analysis and EFA (issue 14,
items 5-7): psych's default calls on incomplete data (pairwise correlations, n = all rows) and
psych on the complete rows (``--missing listwise``), from tests/fixtures/R/psych_missing.R;
reverse keying with --reverse/--scale; the unreversed-item warning (psych's check.keys rule);
both HTMT versions.
Tolerances as tests/test_reliability.py and tests/test_efa.py: closed forms 1e-6, omega 1e-4,
loadings/communalities/Phi 1e-3 after aligning order and signs, SS loadings relative 2e-3."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache

import numpy as np
import pandas as pd
import pytest
from psych_cases import PSYCH, REPO
from test_efa import _align

from loyaltysem.base.errors import InputError
from loyaltysem.cli import main
from loyaltysem.psychometrics.descriptives import apply_missing_rule, pairwise_counts
from loyaltysem.psychometrics.efa import (
    bartlett,
    efa,
    kmo,
    parallel_analysis,
    variance_explained_table,
)
from loyaltysem.psychometrics.keying import keying_notices
from loyaltysem.psychometrics.reliability import reliability_table
from loyaltysem.survey.keying import parse_scale, reverse_items

CASES = ["example", "reputation"]
RULES = ["pairwise", "listwise"]
EXAMPLE_CSV = REPO / "data" / "online_loyalty.csv"
EXAMPLE_TOML = REPO / "models" / "online_loyalty.toml"


@cache
def _fixture(name):
    return json.loads((PSYCH / f"missing_{name}.json").read_text(encoding="utf-8"))


def case(name):
    fx = _fixture(name)
    if name == "example":
        df = pd.read_csv(EXAMPLE_CSV)
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    else:
        path = REPO / "tests/data/surveys/corporate_reputation.csv"
        df = pd.read_csv(path).replace(-99, np.nan)
    items = [i for its in fx["constructs"].values() for i in its]
    return fx, df, items


def test_the_fixtures_have_missing_answers():
    for name in CASES:
        fx, df, items = case(name)
        assert fx["n_complete"] < fx["n_rows"] == len(df)
        assert int(df[items].notna().all(axis=1).sum()) == fx["n_complete"]


# --------------------------------------------------------------------------- reliability
@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("rule", RULES)
def test_reliability_equals_psych_alpha(name, rule):
    fx, df, items = case(name)
    ref = fx[rule]
    res = reliability_table(df, fx["constructs"], missing=rule)
    assert res.missing == rule and res.n == ref["n"]
    assert res.n_complete == fx["n_complete"] and res.n_rows == fx["n_rows"]
    it = res.items.set_index("item")
    for c, its in fx["constructs"].items():
        r, row = ref["reliability"][c], res.constructs.loc[c]
        assert row["n"] == r["n"] and row["missing"] == rule
        assert row["alpha"] == pytest.approx(r["alpha"], abs=1e-6)
        assert row["alpha.std"] == pytest.approx(r["alpha_std"], abs=1e-6)
        assert row["average_r"] == pytest.approx(r["average_r"], abs=1e-6)
        assert [row["alpha.ci.lower"], row["alpha.ci.upper"]] == pytest.approx(r["feldt"], abs=1e-6)
        assert [row["duhachek.lower"], row["duhachek.upper"]] == pytest.approx(
            r["duhachek"], abs=1e-6
        )
        if r["omega_tot"] is not None:
            assert row["omega.total"] == pytest.approx(r["omega_tot"], abs=1e-4)
        for i in its:
            assert it.loc[i, "n"] == r["item_n"][i]
            assert it.loc[i, "citc"] == pytest.approx(r["r_drop"][i], abs=1e-6)
            assert it.loc[i, "raw.r"] == pytest.approx(r["raw_r"][i], abs=1e-6)
            if len(its) > 2:
                assert it.loc[i, "alpha.if.deleted"] == pytest.approx(r["alpha_drop"][i], abs=1e-6)
    d = res.to_dict()
    c0, i0 = next(iter(fx["constructs"].items()))
    assert d[c0]["missing"] == rule and d[c0]["n"] == ref["n"]
    assert d[c0]["items"][i0[0]]["n"] == ref["reliability"][c0]["item_n"][i0[0]]


def test_pairwise_and_listwise_differ_where_rows_are_incomplete():
    """A guard that the two rules are not the same computation: CUSL has the missing answers."""
    fx, df, _ = case("reputation")
    pw = reliability_table(df, fx["constructs"]).constructs.loc["CUSL"]
    lw = reliability_table(df, fx["constructs"], missing="listwise").constructs.loc["CUSL"]
    assert (pw["n"], lw["n"]) == (344, 336)
    assert abs(pw["alpha"] - lw["alpha"]) > 1e-4
    assert pw["alpha"] == pytest.approx(fx["pairwise"]["reliability"]["CUSL"]["alpha"], abs=1e-6)


# --------------------------------------------------------------------------- factorability
@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("rule", RULES)
def test_kmo_and_bartlett_equal_psych(name, rule):
    fx, df, items = case(name)
    ref = fx[rule]
    k = kmo(df[items], missing=rule)
    assert (k["missing"], k["n"]) == (rule, ref["n"])
    assert k["overall"] == pytest.approx(ref["kmo"]["overall"], abs=1e-6)
    assert np.allclose(k["items"][items], [ref["kmo"]["items"][i] for i in items], atol=1e-6)
    b = bartlett(df[items], missing=rule)
    assert (b["missing"], b["n"]) == (rule, ref["n"])
    chisq = ref["bartlett"]["chisq"]
    assert b["chisq"] == pytest.approx(chisq, abs=1e-6 * chisq)
    assert b["df"] == ref["bartlett"]["df"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("rule", RULES)
def test_parallel_analysis_equals_psych(name, rule):
    """Observed eigenvalues exactly; the counts as psych's with psych's default 20 draws
    (psych's answer is the same under its seeds 1-5 here). On the example data the 9th
    component eigenvalue (1.313 pairwise) sits on the resampled 95th percentile (~1.306), so
    a single draw can say 8 components: there the modal count over seeds must be psych's."""
    fx, df, items = case(name)
    ref = fx[rule]["parallel"]
    pa = parallel_analysis(df[items], n_iter=20, seed=0, missing=rule)
    assert (pa.missing, pa.n) == (rule, fx[rule]["n"])
    assert np.allclose(pa.observed_components, ref["pc_values"], atol=1e-6)
    assert np.allclose(pa.observed_factors, ref["fa_values"], atol=1e-4)
    nfact = {s[0] for s in ref["seeds"]}
    ncomp = {s[1] for s in ref["seeds"]}
    assert len(nfact) == 1 and len(ncomp) == 1
    assert pa.n_factors == nfact.pop()
    if name == "reputation":
        assert pa.n_components == ncomp.pop()
    else:
        runs = [parallel_analysis(df[items], n_iter=20, seed=s, missing=rule) for s in range(1, 6)]
        counts = Counter(r.n_components for r in runs)
        assert counts.most_common(1)[0][0] == ncomp.pop()


# --------------------------------------------------------------------------- EFA
@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("method,rotation", [("minres", "varimax"), ("ml", "promax")])
def test_efa_equals_psych_fa(name, rule, method, rotation):
    fx, df, items = case(name)
    ref = fx[rule]["fa"][f"{method}_{rotation}"]
    res = efa(df[items], len(fx["constructs"]), method, rotation, missing=rule)
    assert (res.missing, res.n) == (rule, ref["n_obs"])
    assert res.pairwise_n_min == ref["np_obs_min"]
    assert res.item_n.to_dict() == fx[rule]["item_n"]
    d, perm, signs = _align(res.loadings.to_numpy(), np.array(ref["loadings"]))
    assert d < 1e-3
    assert np.allclose(res.communalities.to_numpy(), ref["communality"], atol=1e-3)
    assert np.allclose(res.uniquenesses.to_numpy(), ref["uniquenesses"], atol=1e-3)
    ss = np.array(ref["vaccounted"])[0]
    assert np.allclose(res.variance["ss_loadings"].to_numpy()[perm], ss, rtol=2e-3, atol=0)
    assert np.allclose(res.eigenvalues, ref["e_values"], atol=1e-6)
    if ref["phi"] is not None:
        phi = res.phi.to_numpy()[np.ix_(perm, perm)] * np.outer(signs, signs)
        assert np.allclose(phi, np.array(ref["phi"]), atol=1e-3)


@pytest.mark.parametrize("rule", RULES)
def test_scree_and_variance_table_come_from_the_same_matrix(rule):
    fx, df, items = case("example")
    X = df[items]
    res = efa(X, 12, missing=rule)
    pa = parallel_analysis(X, n_iter=2, seed=0, missing=rule)
    table = variance_explained_table(X, res)
    assert np.allclose(table["eigenvalue"], pa.observed_components, atol=1e-12)
    assert np.allclose(table["eigenvalue"], fx[rule]["fa"]["minres_varimax"]["e_values"], atol=1e-6)
    alone = variance_explained_table(X, missing=rule)
    assert np.allclose(alone["eigenvalue"], table["eigenvalue"], atol=1e-12)


def test_missing_rule_helper():
    d = pd.DataFrame({"a": [1.0, 2, 3, np.nan], "b": [2.0, np.nan, 3, 4], "c": [1.0, 2, 3, 4]})
    _, pw = apply_missing_rule(d)
    assert (pw["missing"], pw["n"], pw["n_complete"], pw["pairwise_n_min"]) == (
        "pairwise",
        4,
        2,
        2,
    )
    assert pw["item_n"] == {"a": 3, "b": 3, "c": 4}
    assert "pairwise" in pw["message"] and "2 of them" in pw["message"]
    used, lw = apply_missing_rule(d, "listwise")
    assert len(used) == lw["n"] == 2 and "left out" in lw["message"]
    assert pairwise_counts(d).loc["a", "b"] == 2
    with pytest.raises(InputError, match="pairwise or listwise"):
        apply_missing_rule(d, "fiml")


# --------------------------------------------------------------------------- CLI
def _run(args, tmp_path, name="out.json"):
    out = tmp_path / name
    assert main([*map(str, args), "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule", RULES)
def test_efa_command_states_rule_and_n(tmp_path, rule):
    fx, _, _ = case("example")
    ref = fx[rule]
    args = ["efa", EXAMPLE_CSV, "--model", EXAMPLE_TOML, "--n-factors", "12"]
    args += ["--n-iter", "5", "--missing", rule]
    doc = _run(args, tmp_path)
    assert (doc["missing"], doc["n"]) == (rule, ref["n"])
    assert doc["n_complete"] == 366 and doc["n_rows"] == 400
    for part in ("kmo", "bartlett", "parallel"):
        assert (doc[part]["missing"], doc[part]["n"]) == (rule, ref["n"])
    assert doc["kmo"]["overall"] == pytest.approx(ref["kmo"]["overall"], abs=1e-6)
    assert doc["bartlett"]["chisq"] == pytest.approx(ref["bartlett"]["chisq"], rel=1e-6)
    assert np.allclose(doc["eigenvalues"], ref["parallel"]["pc_values"], atol=1e-6)
    assert doc["item_n"] == ref["item_n"]
    said = " ".join(doc["warnings"])
    if rule == "pairwise":
        assert "pairwise" in said and "listwise" not in said.split("--missing")[0]
    else:
        assert "34 of 400 rows" in said and "listwise" in said


@pytest.mark.parametrize("rule", RULES)
def test_reliability_command_states_rule_n_and_both_htmt(tmp_path, rule):
    fx, _, _ = case("example")
    doc = _run(["reliability", EXAMPLE_CSV, "--model", EXAMPLE_TOML, "--missing", rule], tmp_path)
    assert (doc["missing"], doc["n"]) == (rule, fx[rule]["n"])
    sat = doc["constructs"]["SAT"]
    ref = fx[rule]["reliability"]["SAT"]
    assert sat["alpha"] == pytest.approx(ref["alpha"], abs=1e-6)
    assert sat["n"] == ref["n"] and sat["items"]["SAT1"]["n"] == ref["item_n"]["SAT1"]
    # CFA and HTMT are listwise (lavaan's and semTools' default), and say so
    assert doc["cfa"]["missing"] == "listwise" and doc["cfa"]["n"] == 366
    assert doc["htmt_info"]["missing"] == "listwise" and doc["htmt_info"]["n"] == 366
    # both HTMT versions, checked against semTools 0.5.6 (tests/fixtures/psych/example.json)
    sem = json.loads((PSYCH / "example.json").read_text(encoding="utf-8"))
    names = list(sem["constructs"])
    for key in ("htmt", "htmt2"):
        ref_m = np.array(sem[key], dtype=float)
        for a in range(len(names)):
            for b in range(a):
                got = doc[key][names[a]][names[b]]
                assert got == pytest.approx(ref_m[a, b], abs=1e-6), (key, a, b)
    assert "Henseler" in doc["htmt_info"]["htmt"] and "geometric" in doc["htmt_info"]["htmt2"]


def _lav_model(tmp_path):
    text = "\n".join(
        f"{c} =~ {' + '.join(its)}"
        for c, its in {
            "DES": ["DES1", "DES2", "DES3", "DES4"],
            "LOY": ["LOY1", "LOY2", "LOY3", "LOY4"],
            "SAT": ["SAT1", "SAT2", "SAT3"],
        }.items()
    )
    path = tmp_path / "m.lav"
    path.write_text(text + "\nLOY ~ SAT + DES\n", encoding="utf-8")
    return path


def test_unreversed_items_warn_as_psych_check_keys(tmp_path):
    """The raw file with a plain lavaan model: DES4 and LOY4 are not reversed. psych::alpha
    warns for exactly those constructs and check.keys names those items (negative first-PC
    loading); loyaltysem warns naming each item with that loading (psych 2.2.9,
    tests/fixtures/psych/check_keys.json)."""
    fx = _fixture("example")
    keys = json.loads((PSYCH / "check_keys.json").read_text(encoding="utf-8"))
    model = _lav_model(tmp_path)
    doc = _run(["reliability", EXAMPLE_CSV, "--model", model], tmp_path)
    warned = [w for w in doc["warnings"] if "loads negatively" in w]
    psych_named = sorted(i for v in fx["unreversed"].values() for i in v["negative_pc"])
    assert psych_named == ["DES4", "LOY4"]
    for item in psych_named:
        c = item[:3]
        assert fx["unreversed"][c]["warned"]
        loading = keys["online_loyalty"]["scales"][c]["loadings"][item]
        assert any(f"item {item} " in w and f"({loading:.2f})" in w for w in warned)
        assert doc["constructs"][c]["alpha"] == pytest.approx(fx["unreversed"][c]["alpha"], 1e-6)
    assert len(warned) == 2
    fit = _run(["fit", EXAMPLE_CSV, "--model", model], tmp_path, "fit.json")
    assert sum("loads negatively" in w for w in fit["warnings"]) == 2


@pytest.mark.parametrize("scale", [None, "1-7"])
def test_reverse_option_equals_psych_on_the_reversed_items(tmp_path, scale):
    """--reverse DES4,LOY4 on the raw file with a plain lavaan model gives psych's alpha of
    the reversed data (tests/fixtures/psych/example.json) and no warning."""
    sem = json.loads((PSYCH / "example.json").read_text(encoding="utf-8"))
    model = _lav_model(tmp_path)
    args = ["reliability", EXAMPLE_CSV, "--model", model, "--reverse", "DES4,LOY4"]
    doc = _run(args + (["--scale", scale] if scale else []), tmp_path)
    assert not [w for w in doc["warnings"] if "loads negatively" in w]
    for c in ("DES", "LOY"):
        assert doc["constructs"][c]["alpha"] == pytest.approx(
            sem["reliability"][c]["alpha"], abs=1e-6
        )
        for i, v in sem["reliability"][c]["r_drop"].items():
            assert doc["constructs"][c]["items"][i]["citc"] == pytest.approx(v, abs=1e-6)
    efa_doc = _run(
        ["efa", EXAMPLE_CSV, "--model", model, "--reverse", "DES4,LOY4", "--n-iter", "3"],
        tmp_path,
        "efa.json",
    )
    assert not [w for w in efa_doc["warnings"] if "loads negatively" in w]


def test_reverse_items_function_and_errors():
    d = pd.DataFrame({"a": [1.0, 4, 7], "b": [2.0, 5, np.nan], "c": [3.0, 3, 9]})
    assert reverse_items(d, "b", scale="1-7")["b"].tolist()[:2] == [6.0, 3.0]
    # observed ends over the given scale items (psych: max(x) + min(x) - x)
    assert reverse_items(d, ["b"], scale_items=["a", "b"])["b"].tolist()[:2] == [6.0, 3.0]
    assert reverse_items(d, ["b"])["b"].tolist()[:2] == [5.0, 2.0]
    assert d["b"].tolist()[0] == 2.0  # the input is not changed
    assert parse_scale("0 to 10") == (0.0, 10.0)
    with pytest.raises(InputError, match="MIN-MAX"):
        parse_scale("seven")
    with pytest.raises(InputError, match="below the maximum"):
        parse_scale("7-1")
    with pytest.raises(InputError, match="not in the data") as err:
        reverse_items(d, "zz")
    assert err.value.column == "zz"
    with pytest.raises(InputError, match="outside the scale 1-7") as err:
        reverse_items(d, "c", scale="1-7")
    assert err.value.column == "c"
    # two items keyed against each other: psych's sign convention (non-negative sum) marks
    # the one with the smaller loading, here a tie broken by the eigenvector's sign
    w = keying_notices(d.assign(c=[9.0, 5, 1]), {"F": ["a", "c"]})
    assert len(w) == 1 and w[0].code == "keying.negative" and w[0].fields["item"] in ("a", "c")


def test_reverse_refuses_an_item_the_toml_already_reverses(tmp_path, capsys):
    code = main(
        ["reliability", str(EXAMPLE_CSV), "--model", str(EXAMPLE_TOML), "--reverse", "DES4"]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "DES4" in err and "already reverse-keyed" in err and "\n" not in err


def test_fit_prints_parameter_table_and_robust_indices(tmp_path, capsys):
    model = _lav_model(tmp_path)
    args = ["fit", str(EXAMPLE_CSV), "--model", str(model), "--reverse", "DES4,LOY4"]
    assert main([*args, "--estimator", "mlr"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.split()[:3] == ["lhs", "op", "rhs"])
    assert header.split() == ["lhs", "op", "rhs", "est", "se", "z", "pvalue", "std.all"]
    assert any(line.split()[:3] == ["LOY", "~", "SAT"] for line in out.splitlines())
    for key in ("chisq.scaled", "cfi.robust", "tli.robust", "rmsea.robust", "chisq.scaling.factor"):
        assert key in out
    assert main(args) == 0
    plain = capsys.readouterr().out
    assert "cfi.robust" not in plain and "std.all" in plain


def test_non_positive_definite_pairwise_matrix_names_the_rule():
    """Correlations from different subsets of rows need not fit together: a = b, b = c and
    a = -c in three disjoint blocks. psych would go on; loyaltysem says why it cannot and that
    --missing listwise is the way out."""
    x = np.random.default_rng(5).normal(size=(3, 40))
    nan = np.full(40, np.nan)
    a = np.concatenate([x[0], nan, x[2]])
    b = np.concatenate([x[0] + 0.1 * x[1], x[1], nan])
    c = np.concatenate([nan, x[1] + 0.1 * x[0], -x[2]])
    d = pd.DataFrame({"a": a, "b": b, "c": c, "e": np.random.default_rng(6).normal(size=120)})
    with pytest.raises(InputError, match="not positive definite.*--missing listwise"):
        kmo(d)
    with pytest.raises(InputError, match="fewer than three rows"):
        efa(d, 1, missing="listwise")
