"""Higher-order constructs against lavaan 0.6.14 / semTools 0.5.6 (issue 24); fixtures from
tests/fixtures/R/higher_order.R.

A first-order factor that measures a second-order factor is endogenous: lavaan gives it a
residual variance and frees no covariance between it and other latent variables. Every
``fitMeasures()`` value within 1e-4 relative, estimates and std.all within 1e-4, standard
errors within 1e-3 (1e-6 absolute near zero).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from lavaan_fixtures import LAVAAN, REPO, close, frame

from loyaltysem.semcore.estimation import sem

CASES = json.loads((LAVAAN / "higher_order.json").read_text(encoding="utf-8"))
#: models whose second-order part is not identified in lavaan either (see the R script)
NOT_IDENTIFIED = {"hs2_two", "hs2_group_scalar"}
IDENTIFIED = [c for c in CASES if c not in NOT_IDENTIFIED]


def case_data(fx: dict) -> pd.DataFrame:
    df = pd.read_csv(REPO / fx["data_file"])
    if fx["data_file"] == "data/online_loyalty.csv":  # reverse-keyed items, as R recodes them
        df["DES4"] = 8 - df["DES4"]
        df["LOY4"] = 8 - df["LOY4"]
    return df


def sem_kwargs(args: dict) -> dict:
    """lavaan's cfa() arguments as sem() keywords."""
    names = {"std.lv": "std_lv", "group.equal": "group_equal"}
    out = {}
    for key, value in args.items():
        key = names.get(key, key)
        if key in ("group_equal", "ordered") and isinstance(value, str):
            value = [value]  # jsonlite unboxes length-1 vectors
        out[key] = value
    return out


_FITS: dict = {}


def fitted(name: str):
    if name not in _FITS:
        fx = CASES[name]
        _FITS[name] = sem(fx["model"], case_data(fx), **sem_kwargs(fx["args"]))
    return _FITS[name]


def merged(name: str) -> pd.DataFrame:
    fx, fit = CASES[name], fitted(name)
    theirs = frame(fx["estimates"])
    m = fit.estimates.merge(
        theirs, on=["lhs", "op", "rhs", "group"], suffixes=("", "_lav"), how="outer",
        indicator=True,
    )  # fmt: skip
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", ["lhs", "op", "rhs"]]
    return m


@pytest.mark.parametrize("name", list(CASES))
def test_parameter_table_is_lavaans(name):
    """Free and fixed rows (and fixed values) as lavaan's lavaanify makes them."""
    fx, fit = CASES[name], fitted(name)
    theirs = frame(fx["partable"])
    theirs = theirs[theirs["op"].isin(["=~", "~", "~~", "~1", "|", "~*~"])]
    ours = fit.pt[fit.pt["op"].isin(["=~", "~", "~~", "~1", "|", "~*~"])]
    m = ours.merge(theirs, on=["lhs", "op", "rhs", "group"], suffixes=("", "_lav"), how="outer",
                   indicator=True)  # fmt: skip
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", ["lhs", "op", "rhs"]]
    assert ((m["free"] > 0) == (m["free_lav"] > 0)).all()
    fixed = m[m["free"] == 0]
    both = fixed["ustart_lav"].notna()
    np.testing.assert_allclose(fixed.loc[both, "ustart"], fixed.loc[both, "ustart_lav"])
    # distinct free parameters: lavaan numbers tied rows separately (equality constraints)
    assert fit.npar == fx["fit"]["npar"]


@pytest.mark.parametrize("name", list(CASES))
def test_fit_measures(name):
    fx, fit = CASES[name], fitted(name)
    fm = fit.fit_measures
    assert fit.converged and fit.n == fx["nobs"]
    missing = [k for k in fx["fit"] if k not in fm]
    assert not missing, missing
    bad = [(k, fm[k], v) for k, v in fx["fit"].items() if not close(fm[k], v, 1e-4, 1e-6)]
    assert not bad, bad


@pytest.mark.parametrize("name", IDENTIFIED)
def test_estimates_standard_errors_std_all(name):
    m = merged(name)
    for col, rel in (("est", 1e-4), ("std.all", 1e-4), ("std.lv", 1e-4), ("se", 1e-3)):
        bad = [
            (r["lhs"], r["op"], r["rhs"], r[col], r[col + "_lav"])
            for r in m.to_dict("records")
            if not close(r[col], r[col + "_lav"], rel, 1e-6)
        ]
        assert not bad, (col, bad[:5])


@pytest.mark.parametrize("name", sorted(NOT_IDENTIFIED))
def test_not_identified_second_order_part_is_reported(name):
    """Two first-order factors (or free latent intercepts of first-order factors under
    equal intercepts): lavaan warns that the model may not be identified; so do we, and give
    no standard errors, as lavaan does when the information matrix cannot be inverted."""
    fx, fit = CASES[name], fitted(name)
    assert any("identified" in w for w in fx["warnings"])
    est = fit.estimates
    assert any("not identified" in w for w in fit.warnings)
    free = est["se"] != 0.0  # fixed rows have se 0, as in lavaan
    assert free.any() and est.loc[free, "se"].isna().all()
    assert fit.to_dict()["warnings"] == fit.warnings


def test_two_first_order_factors_equal_loadings_are_identified():
    """``g =~ a*visual + a*textual``: the label ties textual's loading to the marker's, so
    both are fixed at 1 (lavaan's lavaanify) and the model is identified."""
    fit = fitted("hs2_two_equal")
    rows = fit.pt[(fit.pt["lhs"] == "g") & (fit.pt["op"] == "=~")]
    assert (rows["free"] == 0).all() and (rows["ustart"] == 1).all()
    assert not fit.warnings


# ----------------------------------------------------------------------------- bootstrap


def test_bootstrap_draws_of_a_second_order_model():
    """The batched bootstrap path (factor-on-factor loadings in the LISREL layout) gives
    every draw the one-at-a-time refit's estimates, and the defined indirect effect a
    finite interval."""
    from test_batched import _compare_draws

    from loyaltysem.semcore.resample.bootstrap import bootstrap

    fit = fitted("loy_sem")
    _compare_draws(fit, 20, seed=24)
    boot = bootstrap(fit, 40, seed=1, n_jobs=1, progress=False)
    assert boot.n_failed == 0
    t = boot.table
    ind = t[(t["op"] == ":=") & (t["lhs"] == "ind") & (t["scale"] == "est")]
    assert len(ind) == 1 and np.isfinite(ind[["ci.lower", "ci.upper"]].to_numpy()).all()


@pytest.mark.parametrize("name", ["hs2_fiml", "bfi2_wlsmv", "hs2_group"])
def test_bootstrap_other_estimators(name):
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    boot = bootstrap(fitted(name), 6, seed=3, n_jobs=1, progress=False)
    assert boot.n_failed == 0
    g = boot.table[boot.table["op"] == "=~"]
    assert np.isfinite(g["ci.lower"]).all() and (g["boot.se"] > 0).any()


# ----------------------------------------------------------------------------- the CLI

LOY_TOML = """
[scale]
min = 1
max = 7

[[constructs]]
code = "INF"
name = { en = "Site information", zh = "网站信息" }
items = ["INF1", "INF2", "INF3"]

[[constructs]]
code = "SQ"
name = { en = "Service quality", zh = "服务质量" }
items = ["INF", "PRD", "CON"]

[[constructs]]
code = "PRD"
name = { en = "Product", zh = "产品" }
items = ["PRD1", "PRD2", "PRD3"]

[[constructs]]
code = "CON"
name = { en = "Convenience", zh = "便利性" }
items = ["CON1", "CON2", "CON3"]

[[constructs]]
code = "SAT"
name = { en = "Satisfaction", zh = "满意度" }
items = ["SAT1", "SAT2", "SAT3"]

[[constructs]]
code = "LOY"
name = { en = "Loyalty", zh = "忠诚度" }
items = ["LOY1", "LOY2", "LOY3", { code = "LOY4", reverse = true }]

[structural]
syntax = '''
SAT ~ a*SQ
LOY ~ b*SAT + c*SQ
ind := a*b
total := c + a*b
'''

[[hypotheses]]
id = "H1"
path = "SAT ~ SQ"
sign = "+"
en = "Service quality raises satisfaction."
"""


def _cli_json(tmp_path, name: str) -> dict:
    from loyaltysem.cli import main

    fx = CASES[name]
    args = dict(fx["args"])
    if name.startswith("loy"):
        model = tmp_path / "model.toml"
        model.write_text(LOY_TOML, encoding="utf-8")
    else:
        model = tmp_path / "model.lav"
        model.write_text(fx["model"] + "\n", encoding="utf-8")
    argv = ["fit", str(REPO / fx["data_file"]), "--model", str(model)]
    if "estimator" in args:
        argv += ["--estimator", args["estimator"].lower()]
    if "missing" in args:
        argv += ["--missing", args["missing"]]
    if "group" in args:
        equal = args["group.equal"]
        argv += ["--group", args["group"], "--group-equal", ",".join(np.atleast_1d(equal))]
    if "ordered" in args:
        argv += ["--ordered", ",".join(args["ordered"])]
    out = tmp_path / "fit.json"
    assert main([*argv, "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["hs2_ml", "hs2_mlr", "hs2_fiml", "hs2_group", "bfi2_wlsmv", "loy_sem"]
)
def test_cli_fit_json_equals_lavaan(tmp_path, name):
    """``loyaltysem fit DATA --model FILE --json OUT`` (a .lav file; the loyalty case as a
    TOML model file whose construct SQ lists the constructs INF, PRD and CON as its items)."""
    fx = CASES[name]
    out = _cli_json(tmp_path, name)
    assert out["n"] == fx["nobs"]
    bad = [(k, out["fit"].get(k), v) for k, v in fx["fit"].items()
           if not close(out["fit"].get(k, np.nan), v, 1e-4, 1e-6)]  # fmt: skip
    assert not bad, bad
    ours = pd.DataFrame(out["estimates"]).fillna({"rhs": ""})
    m = ours.merge(frame(fx["estimates"]), on=["lhs", "op", "rhs", "group"], suffixes=("", "_lav"))
    assert len(m) == len(fx["estimates"]["lhs"] if isinstance(fx["estimates"], dict)
                         else fx["estimates"])  # fmt: skip
    for col, rel in (("est", 1e-4), ("std.all", 1e-4), ("se", 1e-3)):
        bad = [(r["lhs"], r["op"], r["rhs"]) for r in m.to_dict("records")
               if not close(r[col], r[col + "_lav"], rel, 1e-6)]  # fmt: skip
        assert not bad, (col, bad[:5])


# ----------------------------------------------------------------------------- model files


def test_toml_second_order_construct(tmp_path):
    """A construct whose items name constructs is higher-order: named in both languages,
    kept out of the item lists, reverse keying and reliability blocks."""
    from loyaltysem.survey.instrument import read_instrument

    path = tmp_path / "m.toml"
    path.write_text(LOY_TOML, encoding="utf-8")
    inst = read_instrument(path)
    assert [c.code for c in inst.constructs] == ["INF", "PRD", "CON", "SAT", "LOY"]
    assert inst.construct_components == {"SQ": ["INF", "PRD", "CON"]}
    assert inst.label("SQ", "zh") == "服务质量" and inst.construct("SQ").higher_order
    assert "SQ" not in inst.construct_items and "INF" not in inst.item_codes
    assert inst.reverse_items == ["LOY4"]
    assert "SQ =~ INF + PRD + CON" in inst.model_syntax()
    assert "SQ" not in inst.measurement_syntax(higher_order=False)
    assert inst.hypotheses[0].rhs == "SQ"


BAD = {
    "mixed": ('items = ["INF", "PRD", "X1"]', "names both items and the construct"),
    "reverse": ('items = ["INF", { code = "PRD", reverse = true }, "CON"]', "takes no reverse"),
    "itself": ('items = ["INF", "SQ", "CON"]', "cannot measure itself"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_toml_bad_higher_order_constructs(tmp_path, case):
    from loyaltysem.base.errors import InstrumentError
    from loyaltysem.survey.instrument import read_instrument

    items, message = BAD[case]
    text = LOY_TOML.replace('items = ["INF", "PRD", "CON"]', items)
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=message):
        read_instrument(path)


def test_toml_component_of_two_and_loops(tmp_path):
    from loyaltysem.base.errors import InstrumentError
    from loyaltysem.survey.instrument import read_instrument

    two = LOY_TOML + '\n[[constructs]]\ncode = "Q2"\nitems = ["INF", "SAT"]\n'
    path = tmp_path / "m.toml"
    path.write_text(two, encoding="utf-8")
    with pytest.raises(InstrumentError, match="component of both SQ and Q2"):
        read_instrument(path)
    loop = LOY_TOML.replace('items = ["INF", "PRD", "CON"]', 'items = ["INF", "PRD", "Q2"]')
    loop += '\n[[constructs]]\ncode = "Q2"\nitems = ["SQ", "CON"]\n'
    path.write_text(loop, encoding="utf-8")
    with pytest.raises(InstrumentError, match="loop back"):
        read_instrument(path)


def test_lavaan_syntax_model_file_with_a_second_order_factor(tmp_path):
    """A .lav file: the factor measured by factors is higher-order and the loader no longer
    asks for columns named after the first-order factors."""
    from loyaltysem.survey.instrument import read_instrument
    from loyaltysem.survey.loaders import load

    path = tmp_path / "m.lav"
    path.write_text(CASES["hs2_ml"]["model"] + "\n", encoding="utf-8")
    inst = read_instrument(path)
    assert inst.construct_components == {"g": ["visual", "textual", "speed"]}
    assert inst.item_codes == [f"x{i}" for i in range(1, 10)]
    survey = load(REPO / "tests/fixtures/data/hs.csv", path)
    assert survey.n == 301


# ----------------------------------------------------------------------------- reliability

RELIABILITY = [
    n for n in CASES if "compRelSEM" in CASES[n] or "compRelSEM_ord_scale_false" in CASES[n]
]


def _semtools_rows(value, group_labels) -> dict:
    """compRelSEM()/AVE() as JSON: a named vector, or per group a data frame's columns."""
    if "group" in value:
        return {
            (str(g), k): v[i]
            for k, v in value.items()
            if k != "group"
            for i, g in enumerate(value["group"])
        }
    return {(None, k): v for k, v in value.items()}


def _ours(table: pd.DataFrame, col: str) -> dict:
    return {
        (None if g is None else str(g), c): v
        for g, c, v in zip(table["group"], table["construct"], table[col], strict=True)
    }


@pytest.mark.parametrize("name", RELIABILITY)
def test_comp_rel_sem_higher_and_ave_equal_semtools(name):
    """``compRelSEM(fit, higher = "g")``: omega of every first-order factor and the
    hierarchical omega of the second-order factor; ``AVE(fit)`` (none for the second-order
    factor, as in semTools); ``obs.var = FALSE`` and, with ordered items, ``ord.scale =
    FALSE`` (semTools 0.5.6 stops on its default there: NaN here)."""
    from loyaltysem.psychometrics.ordinal_reliability import ave_sem, comp_rel_sem

    fx, fit = CASES[name], fitted(name)
    higher = [f for f, inds in fit.model.mv.indicators.items() if inds[0] in fit.model.mv.lv]
    checks = [("compRelSEM", {}), ("compRelSEM_obs_var_false", {"obs_var": False}),
              ("compRelSEM_ord_scale_false", {"ord_scale": False})]  # fmt: skip
    done = 0
    for key, kw in checks:
        if key not in fx:
            continue
        ours = _ours(comp_rel_sem(fit, higher=higher, **kw), "reliability")
        theirs = _semtools_rows(fx[key], fit.group_labels)
        assert set(ours) == set(theirs)
        for k, v in theirs.items():
            assert ours[k] == pytest.approx(v, rel=1e-4), (key, k)
        done += 1
    assert done >= 1
    if "compRelSEM_error" in fx:  # semTools stops; we give NaN
        assert "non-conformable" in fx["compRelSEM_error"]
        table = comp_rel_sem(fit, higher=higher)
        assert table.loc[table["construct"].isin(higher), "reliability"].isna().all()
    ours = _ours(ave_sem(fit), "ave")
    theirs = _semtools_rows(fx["AVE"], fit.group_labels)
    assert set(ours) == set(theirs) and not any(k[1] in higher for k in ours)
    for k, v in theirs.items():
        assert ours[k] == pytest.approx(v, rel=1e-4), k


def test_convergent_validity_of_a_second_order_construct():
    """CR and AVE of a second-order construct from its standardized second-order loadings
    (lavaan's std.all), next to the first-order constructs' (from their items)."""
    from loyaltysem.psychometrics.reliability import convergent_validity

    fx, fit = CASES["hs2_ml"], fitted("hs2_ml")
    blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
              "speed": ["x7", "x8", "x9"], "g": ["visual", "textual", "speed"]}  # fmt: skip
    cov = case_data(fx)[[f"x{i}" for i in range(1, 10)]].cov(ddof=0)
    table = convergent_validity(fit.estimates, blocks, cov)
    est = frame(fx["estimates"])
    lam = est[(est["lhs"] == "g") & (est["op"] == "=~")]["std.all"].to_numpy()
    cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert table.loc["g", "cr"] == pytest.approx(cr, rel=1e-4)
    assert table.loc["g", "ave"] == pytest.approx(np.mean(lam**2), rel=1e-4)
    assert np.isnan(table.loc["g", "omega"]) and np.isfinite(table.loc["visual", "omega"])
    assert table.loc["visual", "omega"] == pytest.approx(fx["compRelSEM"]["visual"], rel=1e-4)


def test_latent_correlations_implied_by_the_second_order_factor():
    """cor.lv of first-order factors = the product of their standardized second-order
    loadings (lavaan's std.all); the Fornell-Larcker table keeps the factors with an AVE."""
    from loyaltysem.psychometrics.reliability import fornell_larcker

    fx, fit = CASES["hs2_ml"], fitted("hs2_ml")
    est = frame(fx["estimates"])
    g = est[(est["lhs"] == "g") & (est["op"] == "=~")].set_index("rhs")["std.all"]
    cor = fit.cor_lv()
    assert cor.loc["visual", "textual"] == pytest.approx(g["visual"] * g["textual"], rel=1e-4)
    assert cor.loc["g", "speed"] == pytest.approx(g["speed"], rel=1e-4)
    fl = fornell_larcker(cor, pd.Series({"visual": 0.4, "textual": 0.7, "speed": 0.5}))
    assert list(fl.index) == ["visual", "textual", "speed"]
