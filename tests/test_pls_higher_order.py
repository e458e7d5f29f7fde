"""Higher-order constructs in PLS-SEM (issue 24): the disjoint two-stage approach against R's
seminr 2.3.1 ``higher_composite(..., method = two_stage)`` (fixtures from
tests/fixtures/make_pls_hoc_fixtures.R: seminr's own higher-order demo, with PLSc, two
higher-order constructs, and the corporate-reputation model of Sarstedt et al. 2019 as
reflective-reflective and reflective-formative), bootstrap draws on seminr's resamples, and
by construction: stage 1 is the one-stage estimation of the lower-order model, stage 2 the
one-stage estimation of a model whose higher-order indicators are the stage-1 scores fed as
data columns."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.pls import PLSModel, parse_pls_syntax, pls, read_pls_model
from loyaltysem.pls.algorithm import case_weight_correlations
from loyaltysem.pls.assess import stat_spec, stat_values
from loyaltysem.pls.bootstrap import summarize
from loyaltysem.pls.higher_order import estimate_two_stage, make_plan, stage1_paths

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "pls"
SURVEYS = HERE / "data" / "surveys"
TOML = HERE / "data" / "own" / "reputation_hoc_model.toml"
TOL = 1e-6  # seminr's numbers are reproduced to ~1e-14
CASES = {
    "hoc_mobi_demo": "ecsi_mobi",
    "hoc_mobi_plsc": "ecsi_mobi",
    "hoc_mobi_two": "ecsi_mobi",
    "hoc_corp_rr": "corporate_reputation",
    "hoc_corp_rf": "corporate_reputation",
}
SAME = dict(rtol=1e-10, atol=1e-14)


def mat(d: dict) -> pd.DataFrame:
    vals = [[np.nan if v is None else v for v in row] for row in d["values"]]
    return pd.DataFrame(vals, index=d["rows"], columns=d["cols"], dtype=float)


def close(mine: pd.DataFrame, ref: pd.DataFrame, tol: float = TOL) -> None:
    sub = mine.loc[ref.index, ref.columns].to_numpy(float)
    ok = ~np.isnan(ref.to_numpy())
    np.testing.assert_allclose(sub[ok], ref.to_numpy()[ok], atol=tol, rtol=0)


def sym(m: pd.DataFrame) -> pd.DataFrame:
    """A lower / upper triangle filled to the full symmetric matrix."""
    return m.combine_first(m.T)


@pytest.fixture(scope="module")
def fitted():
    out = {}
    for case, data in CASES.items():
        fx = json.loads((FIX / f"{case}.json").read_text())
        df = pd.read_csv(SURVEYS / f"{data}.csv")
        res = pls(df, fx["model"], scheme=fx["scheme"], consistent=fx["consistent"],
                  missing_codes=[-99])  # fmt: skip
        out[case] = (fx, df, res)
    return out


# ----------------------------------------------------------------------------- seminr


@pytest.mark.parametrize("case", list(CASES))
def test_estimates_match_seminr(fitted, case):
    fx, _, res = fitted[case]
    assert fx["hoc_method"] == "two_stage" and res.higher_order["variant"] == "disjoint"
    assert res.n == fx["n"]
    assert res.iterations == fx["iterations"]
    assert res.higher_order["stage1_iterations"] == fx["stage1"]["iterations"]
    close(res.weights, mat(fx["weights"]))
    close(res.loadings, mat(fx["loadings"]))
    close(res.paths, mat(fx["paths"]))
    close(pd.DataFrame([res.r2, res.r2_adj], index=["Rsq", "AdjRsq"]), mat(fx["r2"]))
    close(res.total_effects, mat(fx["total_effects"]))
    close(res.total_effects - res.paths, mat(fx["total_indirect"]))
    ref = mat(fx["scores_head"])
    close(res.scores.head(5).set_axis(ref.index), ref)


@pytest.mark.parametrize("case", list(CASES))
def test_assessment_matches_seminr(fitted, case):
    """summary() of seminr's HOC model: every construct of both stages, the HOC's from its
    lower-order scores as indicators."""
    fx, _, res = fitted[case]
    close(res.reliability, mat(fx["reliability"]))
    close(sym(res.htmt), sym(mat(fx["htmt"])))
    close(sym(res.fornell_larcker), sym(mat(fx["fornell_larcker"])))
    close(res.cross_loadings, mat(fx["cross_loadings"]))
    for c, vifs in fx["vif_items"].items():
        np.testing.assert_allclose(res.vif_items[c][list(vifs)], list(vifs.values()), atol=TOL)
    for t, vifs in fx["vif_antecedents"].items():
        for s, v in vifs.items():
            if v is not None:
                assert res.vif_inner[t][s] == pytest.approx(v, abs=TOL)
    f2 = mat(fx["f2"])
    assert len(res.f2) == len(res.model.paths)
    for (t, s), v in res.f2.items():
        assert v == pytest.approx(f2.loc[s, t], abs=TOL), (s, t)


@pytest.mark.parametrize("case", list(CASES))
def test_stage1_model_matches_seminr(fitted, case):
    """Stage 1 (seminr's first_stage_model): the lower-order constructs take the HOC's
    antecedents and outcomes; its R² and the LOCs' weights and loadings."""
    fx, _, res = fitted[case]
    st = fx["stage1"]
    structural = np.array(st["structural"]["values"], dtype=object)
    assert set(map(tuple, structural)) == set(res.higher_order["stage1_paths"])
    r2 = mat(st["r2"])
    for c, v in res.higher_order["stage1_r2"].items():
        assert v == pytest.approx(r2.loc["Rsq", c], abs=TOL)
    locs = list(res.model.lower_order)
    w1, l1 = mat(st["weights"]), mat(st["loadings"])
    close(res.weights.loc[w1.index, locs], w1[locs])
    close(res.loadings.loc[l1.index, locs], l1[locs])


def test_seminr_published_demo_numbers(fitted):
    """seminr's own test of its higher-order demo (tests/testthat/test-hoc.R, fixture
    hoc-paths.csv of seminr 2.3.1), to the digits it stores: 15."""
    _, _, res = fitted["hoc_mobi_demo"]
    p = res.paths
    assert p.loc["Expectation", "Satisfaction"] == pytest.approx(0.103641382040823, abs=1e-13)
    assert p.loc["Quality", "Satisfaction"] == pytest.approx(0.720064333276669, abs=1e-13)
    assert p.loc["Satisfaction", "Complaints"] == pytest.approx(0.486257317953653, abs=1e-13)
    assert p.loc["Satisfaction", "Loyalty"] == pytest.approx(0.627602841720655, abs=1e-13)


def _draw_S(fx, df, res):
    X = df[res.model.items].replace(-99, np.nan).to_numpy(float)
    obs = ~np.isnan(X)
    xc = np.where(obs, X - np.nanmean(X, axis=0), 0.0)
    draws = fx["bootstrap"]["draws"]
    w = np.stack([np.bincount(np.array(d["index"]) - 1, minlength=len(X)) for d in draws])
    return case_weight_correlations(xc, obs, w)[0], draws


@pytest.mark.parametrize("case", ["hoc_mobi_demo", "hoc_corp_rf"])
def test_bootstrap_draws_repeat_both_stages_as_seminr(fitted, case):
    """seminr's bootstrap_model re-runs both stages on each resample (set.seed(seed + i)):
    same resamples, same paths, weights, loadings and HTMT in every draw."""
    fx, df, res = fitted[case]
    S, draws = _draw_S(fx, df, res)
    plan = make_plan(res.model)
    est, Sc, *_ = estimate_two_stage(S, plan, res.scheme, res.consistent)
    cons, items = list(plan.lay.constructs), list(plan.lay.items)
    stage2 = list(res.paths.index)
    from loyaltysem.pls.algorithm import htmt

    ht = htmt(Sc, plan.lay)
    for b, d in enumerate(draws):
        paths = pd.DataFrame(est.paths[b], index=cons, columns=cons).loc[stage2, stage2]
        close(paths, mat(d["paths"]))
        close(pd.DataFrame(est.W[b], index=items, columns=cons), mat(d["weights"]))
        close(pd.DataFrame(est.L[b], index=items, columns=cons), mat(d["loadings"]))
        close(sym(pd.DataFrame(ht[b], index=cons, columns=cons)), sym(mat(d["htmt"])))


def test_bootstrap_summary_matches_seminr(fitted):
    """Mean, SD, t and percentile limits of seminr's summary(boot) of the HOC model."""
    fx, df, res = fitted["hoc_corp_rf"]
    S, _ = _draw_S(fx, df, res)
    plan = make_plan(res.model)
    spec = stat_spec(plan.lay, res.model.paths)
    est, Sc, *_ = estimate_two_stage(S, plan)
    table = summarize(spec, res.estimates["est"].to_numpy(), stat_values(spec, est, Sc, plan.lay),
                      0.95, None)  # fmt: skip
    for key, kind in (("paths", "path"), ("weights", "weight")):
        ref = mat(fx["bootstrap"][key])
        for name, row in ref.iterrows():
            s, t = (x.strip() for x in name.split("->"))  # source -> target, item -> construct
            sel = (table["kind"] == kind) & (table["lhs"] == t) & (table["rhs"] == s)
            r = table[sel].iloc[0]
            got = [r["est"], r["boot.mean"], r["se"], r["t"], r["ci.lower"], r["ci.upper"]]
            np.testing.assert_allclose(got, row.to_numpy(), atol=TOL, err_msg=name)


def test_bootstrap_same_for_any_worker_count(fitted):
    """One SeedSequence child per draw: the draws of both stages do not depend on the
    number of worker processes; the HOC's weights on its LOC scores are bootstrapped."""
    fx, df, _ = fitted["hoc_corp_rf"]
    kw = dict(missing_codes=[-99], q2=False, n_boot=24, seed=5)
    one = pls(df, fx["model"], n_jobs=1, **kw)
    two = pls(df, fx["model"], n_jobs=2, **kw)
    np.testing.assert_allclose(one.bootstrap.draws, two.bootstrap.draws, **SAME)
    t = one.estimates
    w = t[(t["kind"] == "weight") & (t["lhs"] == "REP")]
    assert list(w["rhs"]) == ["COMP", "LIKE"] and (w["se"] > 0).all()
    assert {("REP", "COMP"), ("REP", "LIKE")} <= set(zip(t["lhs"], t["rhs"], strict=True))


# ----------------------------------------------------------------------------- construction


def test_stage1_is_the_one_stage_lower_order_model(fitted):
    """(a) Stage 1 = our own one-stage estimation (at seminr parity, test_pls.py) of the model
    with the LOCs in place of the HOC."""
    fx, df, res = fitted["hoc_corp_rf"]
    m = res.model
    cons = {c: i for c, i in m.constructs.items() if c not in m.higher_order}
    one = pls(df, PLSModel(cons, {c: m.modes[c] for c in cons}, stage1_paths(m)),
              missing_codes=[-99], q2=False)  # fmt: skip
    locs = list(m.lower_order)
    items = [i for c in locs for i in m.constructs[c]]
    close(res.weights.loc[items, locs], one.weights.loc[items, locs], 1e-12)
    close(res.loadings.loc[items, locs], one.loadings.loc[items, locs], 1e-12)
    close(res.scores[locs], one.scores[locs], 1e-12)
    close(res.reliability.loc[locs], one.reliability.loc[locs], 1e-12)
    for c, v in one.r2.items():
        assert res.higher_order["stage1_r2"][c] == pytest.approx(v, abs=1e-12)


def test_stage2_is_pls_on_the_lower_order_scores_as_data(fitted):
    """(b) Stage 2 = pls() on a data frame that carries the stage-1 LOC scores as columns,
    the HOC measured by them (mode B here)."""
    fx, df, res = fitted["hoc_corp_rf"]
    m = res.model
    locs = list(m.lower_order)
    data = df.replace(-99, np.nan).copy()
    for c in locs:
        data[c] = res.scores[c].to_numpy()
    cons = {c: i for c, i in m.constructs.items() if c not in locs}
    two = pls(data, PLSModel(cons, dict(m.modes), list(m.paths)), q2=True)
    stage2 = list(cons)
    close(res.paths, two.paths.loc[stage2, stage2], 1e-10)
    close(res.weights.loc[two.weights.index, stage2], two.weights, 1e-10)
    close(res.loadings.loc[two.loadings.index, stage2], two.loadings, 1e-10)
    close(res.reliability.loc[stage2], two.reliability, 1e-10)
    close(res.scores[stage2], two.scores, 1e-10)
    np.testing.assert_allclose(res.r2[two.r2.index], two.r2, atol=1e-10)
    np.testing.assert_allclose(res.q2[two.q2.index], two.q2, atol=1e-10)
    close(sym(res.htmt.loc[stage2, stage2]), sym(two.htmt), 1e-10)
    assert res.vif_items["REP"].to_dict() == pytest.approx(two.vif_items["REP"].to_dict())


# ----------------------------------------------------------------------------- model files


def test_toml_model_with_a_higher_order_construct(fitted):
    """The TOML example (REP of COMP and LIKE, mode B) is the reflective-formative case."""
    fx, df, ref = fitted["hoc_corp_rf"]
    m = read_pls_model(TOML)
    assert m.higher_order == {"REP": ["COMP", "LIKE"]} and m.modes["REP"] == "B"
    assert "COMP" not in m.items and len(m.items) == 31
    inst = m.to_instrument()
    assert inst.construct_components == {"REP": ["COMP", "LIKE"]}
    res = pls(df, m, missing_codes=[-99], q2=False)
    close(res.paths, ref.paths, 1e-12)
    close(res.weights.loc[ref.weights.index, ref.weights.columns], ref.weights, 1e-12)


def test_syntax_without_toml_builds_the_instrument():
    m = parse_pls_syntax("A =~ a1 + a2\nB =~ b1 + b2\nH <~ A + B\nY =~ y1 + y2\nY ~ H")
    assert m.higher_order == {"H": ["A", "B"]} and m.lower_order == {"A": "H", "B": "H"}
    assert m.items == ["a1", "a2", "b1", "b2", "y1", "y2"] and m.modes["H"] == "B"
    inst = m.to_instrument()
    assert [c.code for c in inst.constructs] == ["A", "B", "Y"]
    assert inst.construct_components == {"H": ["A", "B"]}


@pytest.mark.parametrize(
    "text, msg",
    [
        ("A =~ a1 + a2\nB =~ b1 + b2\nH =~ A + B\nY =~ y1\nY ~ H + A", "also in a structural"),
        ("A =~ a1 + a2\nB =~ b1 + b2\nH =~ A + B\nG =~ H + A\nY =~ y1\nY ~ G", "itself higher"),
        ("A =~ a1 + a2\nB =~ b1\nH =~ A + B\nG =~ A + B\nY =~ y1\nY ~ G + H", "both H and G"),
        ("A =~ a1 + a2\nH =~ A + h1\nY =~ y1\nY ~ H", "measured by items and by the"),
        ("A =~ a1\nB =~ b1\nH =~ A + B\nX =~ x1\nY =~ y1\nY ~ X", "H is in no structural"),
    ],
)
def test_bad_higher_order_models_name_the_construct(text, msg):
    with pytest.raises(InputError, match=msg):
        parse_pls_syntax(text)


def test_result_json_names_the_variant_and_refuses_plspredict(fitted):
    _, _, res = fitted["hoc_corp_rf"]
    d = res.to_dict()
    json.dumps(d, allow_nan=False, default=float)
    h = d["higher_order"]
    assert h["method"] == "two-stage" and h["variant"] == "disjoint"
    assert h["components"] == {"REP": ["COMP", "LIKE"]} and h["modes"] == {"REP": "B"}
    assert {"lhs": "COMP", "op": "~", "rhs": "QUAL"} in h["stage1"]["paths"]
    w = next(r for r in d["weights"] if r["construct"] == "REP" and r["item"] == "LIKE")
    assert w["mode"] == "B"
    assert "disjoint two-stage" in res.summary()
    with pytest.raises(InputError, match="higher-order"):
        res.run_predict(folds=5)
    plain = fitted["hoc_mobi_demo"][2]
    assert "higher_order" in plain.to_dict()


def test_cli_pls_with_a_toml_higher_order_model(tmp_path):
    from loyaltysem.cli import main

    out = tmp_path / "o.json"
    rc = main(["pls", str(SURVEYS / "corporate_reputation.csv"), "--model", str(TOML),
               "--missing-codes", "-99", "--json", str(out)])  # fmt: skip
    d = json.loads(out.read_text())
    assert rc == 0 and d["predict"] is None and d["higher_order"]["variant"] == "disjoint"
    assert any("PLSpredict was not run" in w for w in d["warnings"])
    assert d["reliability"]["REP"]["rhoA"] == 1.0 and "COMP" in d["reliability"]


# ----------------------------------------------------------------------------- chapter


@pytest.fixture(scope="module")
def chapter_rf():
    """``run --method pls`` on the TOML example (REP mode B of COMP and LIKE)."""
    from loyaltysem.pipeline import analyze

    df = pd.read_csv(SURVEYS / "corporate_reputation.csv").replace(-99, np.nan)
    res = analyze(df, str(TOML), method="pls", n_boot=30, seed=2)
    return res, {lang: res.chapter(lang) for lang in ("en", "zh")}


def _table(chap, key):
    return next((tb for tb in chap.tables if tb.key == key), None)


def test_chapter_measures_the_hoc_by_its_lower_order_scores(chapter_rf):
    res, chaps = chapter_rf
    fit = res.pls.fit
    keys = [tb.key for tb in chaps["en"].tables]
    assert keys.index("pls_formative") < keys.index("pls_higher_order") < keys.index("pls_htmt")
    tb = _table(chaps["en"], "pls_higher_order")
    raw = tb.raw.set_index("lower_order")
    assert list(raw.index) == ["COMP", "LIKE"] and set(raw["construct"]) == {"REP"}
    np.testing.assert_allclose(raw["weight"], fit.weights.loc[["COMP", "LIKE"], "REP"])
    np.testing.assert_allclose(raw["loading"], fit.loadings.loc[["COMP", "LIKE"], "REP"])
    np.testing.assert_allclose(raw["vif"], fit.vif_items["REP"][["COMP", "LIKE"]])
    w = fit.estimates.set_index(["kind", "lhs", "rhs"]).loc[("weight", "REP", "LIKE")]
    assert raw.loc["LIKE", "pvalue"] == pytest.approx(w["pvalue"])
    assert raw.loc["LIKE", "ci.upper"] == pytest.approx(w["ci.upper"])
    assert list(tb.data["Lower-order construct"]) == ["Competence", "Likeability"]
    assert "α" not in tb.data.columns  # mode B: no reliability
    assert "Disjoint two-stage approach" in tb.note and "Sarstedt et al., 2019" in tb.note
    assert "reflective-formative" in tb.text
    form = _table(chaps["en"], "pls_formative").raw
    assert "REP" not in set(form["construct"])  # the HOC has its own table
    assert "COMP" in set(_table(chaps["en"], "pls_measurement").raw["construct"])
    zh = _table(chaps["zh"], "pls_higher_order")
    assert "分离式两阶段法" in zh.note and "0.708" in zh.note and "低阶构念" in zh.data.columns
    assert any("PLSpredict" in w for w in fit.warnings) and fit.predict is None


def test_chapter_htmt_of_a_mode_a_hoc_leaves_out_its_own_dimensions(fitted):
    from loyaltysem.pipeline import analyze

    fx, df, ref = fitted["hoc_mobi_demo"]
    res = analyze(df, fx["model"], method="pls", n_boot=0, seed=1)
    chap = res.chapter("en")
    ht = _table(chap, "pls_htmt").raw
    pairs = {frozenset(p) for p in zip(ht["a"], ht["b"], strict=True)}
    assert frozenset(("Quality", "Satisfaction")) in pairs
    assert not pairs & {frozenset(("Satisfaction", "Image")), frozenset(("Satisfaction", "Value"))}
    row = ht[(ht["a"] == "Quality") & (ht["b"] == "Satisfaction")].iloc[0]
    assert row["htmt"] == pytest.approx(ref.htmt.loc["Quality", "Satisfaction"], abs=1e-12)
    tb = _table(chap, "pls_higher_order")
    r = tb.raw.iloc[0]
    rel = ref.reliability.loc["Satisfaction"]
    assert (r["alpha"], r["rhoA"], r["rhoC"], r["AVE"]) == pytest.approx(tuple(rel[
        ["alpha", "rhoA", "rhoC", "AVE"]]), abs=1e-12)  # fmt: skip
    assert "reflective-reflective" in tb.text and "ρA" in tb.data.columns
    assert "Satisfaction" not in set(_table(chap, "pls_measurement").raw["construct"])
