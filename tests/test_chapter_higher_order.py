"""Second-order constructs and rival models in the CB-SEM chapter, and the interactions block
of sem.json (issue 24).

* a second-order model of the example data (tests/data/own/esq_second_order.toml: e-service
  quality over seven dimensions) analysed with the first-order example model as its rival:
  the second-order loadings table equals the CFA's estimates, CR / AVE the formula on its
  standardized loadings and omega compRelSEM(higher =); the Fornell-Larcker correlations
  are the model-implied latent correlations (cor.lv), not 1; the first- / second-order
  comparison and the rival-model table equal analyses.compare; every paragraph reads the
  stored verdict, in both languages;
* ``loyaltysem run --compare`` on an interaction model (X:Z in the TOML's [structural]): the
  rival-model table in both languages and sem.json's ``interactions`` equal to ``fit --json``.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from examiner_runs import docx_text
from scipy import stats

from loyaltysem.analyses.compare import compare
from loyaltysem.judgment import compare as judge
from loyaltysem.judgment.verdict import Verdict
from loyaltysem.pipeline.analysis import analyze
from loyaltysem.psychometrics.ordinal_reliability import comp_rel_sem

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "online_loyalty.csv"
OWN = REPO / "tests" / "data" / "own"
SECOND_ORDER = OWN / "esq_second_order.toml"
RIVAL = REPO / "models" / "online_loyalty.toml"
INTERACTION = OWN / "interaction_model.toml"
INTERACTION_RIVAL = OWN / "interaction_rival.lav"
DIMS = ["INF", "PRD", "CON", "DES", "PAY", "LOG", "SER"]


@pytest.fixture(scope="module")
def ho(tmp_path_factory):
    """The second-order analysis (no bootstrap) and its report in both languages."""
    res = analyze(str(DATA), str(SECOND_ORDER), n_boot=0, moderation=False,
                  compare=[str(RIVAL)])  # fmt: skip
    folder = tmp_path_factory.mktemp("ho") / "report"
    res.write_report(folder, formats=("docx", "csv"))
    return res, folder


def _table(res, key: str, lang: str = "en"):
    return next(tb for tb in res.chapter(lang).tables if tb.key == key)


def _cli(args: list[str]) -> tuple[int, str]:
    from loyaltysem.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return int(status or 0), err.getvalue()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """``run --compare`` of the interaction model and ``fit --json`` of the same model."""
    root = tmp_path_factory.mktemp("xz")
    status, err = _cli(
        [
            "run",
            str(DATA),
            "--model",
            str(INTERACTION),
            "--compare",
            str(INTERACTION_RIVAL),
            "--bootstrap",
            "0",
            "--out",
            str(root / "r"),
        ]
    )
    assert status == 0, err
    status, err = _cli(["fit", str(DATA), "--model", str(INTERACTION), "--json",
                        str(root / "fit.json")])  # fmt: skip
    assert status == 0, err
    return root


# ------------------------------------------------------------------ the second-order tables
def test_second_order_loadings_equal_the_cfa_and_comp_rel_sem(ho):
    res, _ = ho
    raw = _table(res, "second_order").raw.set_index("component")
    est = res.measurement.cfa.estimates
    lo = est[(est["op"] == "=~") & (est["lhs"] == "SQ")].set_index("rhs").loc[DIMS]
    assert list(raw.index) == DIMS
    for k in ("est", "se", "std.all"):
        np.testing.assert_allclose(raw[k], lo[k], rtol=1e-12, atol=1e-12)
    free = lo["se"] > 0
    np.testing.assert_allclose(raw.loc[free, "z"], lo.loc[free, "z"], rtol=1e-12)
    np.testing.assert_allclose(raw.loc[free, "pvalue"], lo.loc[free, "pvalue"], rtol=1e-9)
    l = lo["std.all"].to_numpy()  # noqa: E741 (the loadings' usual name)
    cr = l.sum() ** 2 / (l.sum() ** 2 + (1 - l**2).sum())  # Fornell & Larcker (1981)
    assert raw["cr"].iloc[0] == pytest.approx(cr, rel=1e-12)
    assert raw["ave"].iloc[0] == pytest.approx(np.mean(l**2), rel=1e-12)
    rel = comp_rel_sem(res.measurement.cfa, higher=["SQ"]).set_index("construct")
    assert raw["omega"].iloc[0] == pytest.approx(rel.loc["SQ", "reliability"], rel=1e-12)
    assert 0 < raw["omega"].iloc[0] < 1


def test_second_order_table_shows_its_numbers_in_both_languages(ho):
    res, folder = ho
    for lang, title, ave in (
        ("en", "Second-Order Construct: Loadings, CR and AVE", ".281†"),
        ("zh", "二阶构念的因子载荷、组合信度与平均方差抽取量", "0.281†"),
    ):
        text = docx_text(folder / "report.docx" if lang == "en" else folder / "zh/report.docx")
        assert title in text
        assert ave in text  # the AVE below .50, marked
        tb = _table(res, "second_order", lang)
        assert len(tb.data) == len(DIMS)
        assert tb.number == _table(res, "convergent", lang).number + 1  # after convergent


def test_factor_correlations_under_a_second_order_factor_are_cor_lv(ho):
    res, folder = ho
    fl = res.measurement.fornell_larcker
    cor = res.measurement.cfa.cor_lv().loc[fl.index, fl.columns]
    off = ~np.eye(len(fl), dtype=bool)
    np.testing.assert_allclose(fl.to_numpy()[off], cor.to_numpy()[off], rtol=1e-12)
    assert fl.loc[DIMS, DIMS].to_numpy()[~np.eye(len(DIMS), dtype=bool)].max() < 0.9
    # implied by the second-order factor: r(INF, PRD) = std(γ_INF) std(γ_PRD)
    est = res.measurement.cfa.estimates
    g = est[(est["op"] == "=~") & (est["lhs"] == "SQ")].set_index("rhs")["std.all"]
    assert fl.loc["INF", "PRD"] == pytest.approx(g["INF"] * g["PRD"], rel=1e-9)
    text = docx_text(folder / "report.docx")
    block = text[text.index("Fornell-Larcker Criterion") : text.index("HTMT")]
    assert "1.000" not in block
    assert "implies" in block  # the note says where the correlations come from


def test_first_versus_second_order_equals_compare(ho):
    res, _ = ho
    inst = res.instrument
    ref = compare(
        res.survey,
        [inst.measurement_syntax(higher_order=False), inst.measurement_syntax()],
        names=["first", "second"],
    )
    raw = _table(res, "second_order_fit").raw.set_index("model")
    for a, b in (("first_order", "first"), ("second_order", "second")):
        fm = ref.fits[b].fit_measures
        for k in ("chisq", "df", "cfi", "tli", "rmsea", "srmr", "aic", "bic"):
            assert raw.loc[a, k] == pytest.approx(fm[k], rel=1e-6), k
    c1, c2 = ref.fits["first"].fit_measures, ref.fits["second"].fit_measures
    second = raw.loc["second_order"]
    assert second["chisq.diff"] == pytest.approx(c2["chisq"] - c1["chisq"], rel=1e-6)
    assert second["df.diff"] == c2["df"] - c1["df"] == 44
    p = stats.chi2.sf(c2["chisq"] - c1["chisq"], 44)
    assert second["pvalue"] == pytest.approx(p, rel=1e-4)
    assert second["t"] == pytest.approx(c1["chisq"] / c2["chisq"], rel=1e-6)  # Marsh & Hocevar
    v = res.measurement.verdicts["second_order:measurement"]
    assert v.outcome == "not_accepted" and v.values["t"] == pytest.approx(second["t"])


def test_rival_table_equals_compare(ho):
    res, folder = ho
    ref = compare(res.survey, [res.instrument, str(RIVAL)], names=["research", "rival1"])
    raw = _table(res, "rival_models").raw.set_index("model")
    assert list(raw.index) == list(ref.models["model"])  # lavTestLRT's order (by df)
    for name, fit in ref.fits.items():
        for k in ("chisq", "df", "cfi", "tli", "rmsea", "srmr", "aic", "bic"):
            assert raw.loc[name, k] == pytest.approx(fit.fit_measures[k], rel=1e-6), k
    t = ref.tests.iloc[0]
    assert raw.loc["research", "chisq.diff"] == pytest.approx(t["chisq.diff"], rel=1e-6)
    assert raw.loc["research", "pvalue"] == pytest.approx(t["pvalue"], rel=1e-4)
    assert bool(raw.loc["research", "nested"]) is True
    csv = pd.read_csv(next(folder.glob("*_rival_models.csv")), encoding="utf-8-sig")
    assert csv.set_index("model").loc["research", "chisq"] == pytest.approx(
        ref.fits["research"].fit_measures["chisq"], rel=1e-9
    )


# ------------------------------------------------------------------ the verdicts in the text
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_paragraphs_read_the_stored_verdicts(ho, lang):
    res, folder = ho
    text = docx_text(folder / "report.docx" if lang == "en" else folder / "zh/report.docx")
    words = {
        "en": ("T is below .90", "The model retained is therefore rival model 1", "Rival Models"),
        "zh": ("T低于0.90", "据此保留竞争模型1", "竞争模型比较"),
    }[lang]
    for w in words:
        assert w in text, w
    # the text follows the verdict, not a rule of its own: another verdict, another text
    saved = dict(res.measurement.verdicts)
    try:
        v = saved["second_order:measurement"]
        res.measurement.verdicts["second_order:measurement"] = Verdict(
            v.subject, "accepted", v.rule, v.values, ("chisq_rejects",)
        )
        para = _table(res, "second_order_fit", lang).text
        assert ("T reaches .90" if lang == "en" else "T达到0.90") in para
        assert ("Δχ² test rejects" if lang == "en" else "Δχ²检验拒绝二阶约束") in para
    finally:
        res.measurement.verdicts.clear()
        res.measurement.verdicts.update(saved)


def test_rival_choice_follows_the_verdict(ho):
    res, _ = ho
    saved = res.compare.verdicts["choice"]
    try:
        res.compare.verdicts["choice"] = Verdict(
            "rival_models",
            "undecided",
            "ic",
            {"aic_best": "rival1", "bic_best": "research", "steps": [], "model": None},
        )
        tb = _table(res, "rival_models")
        assert "AIC is lowest for rival model 1 and BIC for the research model" in tb.text
        assert "rests on theory" in tb.text and tb.failed
    finally:
        res.compare.verdicts["choice"] = saved


def test_hierarchy_drawn_in_both_figures(ho):
    from matplotlib.patches import FancyArrowPatch

    from loyaltysem.base.plotting import not_significant, path_figure

    res, folder = ho
    est = res.structural.sem.estimates
    n_paths = int((est["op"] == "~").sum())
    fig = path_figure(est, label_of=lambda r: f"{r['std.all']:.2f}", dashed_of=not_significant)
    ax = fig.axes[0]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == n_paths + len(DIMS)
    texts = {t.get_text() for t in ax.texts}
    assert set(DIMS) <= texts  # every first-order construct is a node
    g = est[(est["op"] == "=~") & (est["lhs"] == "SQ")]
    assert {f"{v:.2f}" for v in g["std.all"]} <= texts  # with its loading
    for name in ("research_model.png", "path_diagram.png", "zh/path_diagram.png"):
        assert (folder / name).stat().st_size > 10_000


# ------------------------------------------------------------------ run --compare, sem.json
def test_sem_json_interactions_equal_fit_json(small):
    sem = json.loads((small / "r" / "sem.json").read_text(encoding="utf-8"))
    fit = json.loads((small / "fit.json").read_text(encoding="utf-8"))
    assert "interactions" in sem and "interactions" in fit
    a, b = sem["interactions"], fit["interactions"]
    assert [(x["y"], x["x"], x["z"]) for x in a] == [(x["y"], x["x"], x["z"]) for x in b] == [
        ("LOY", "SAT", "SWC")]  # fmt: skip
    for x, y in zip(a, b, strict=True):
        assert x["z_sd_value"] == pytest.approx(y["z_sd_value"], rel=1e-9)
        for s, t in zip(x["simple_slopes"], y["simple_slopes"], strict=True):
            for k in ("z_sd", "est", "se", "z", "pvalue"):
                assert s[k] == pytest.approx(t[k], rel=1e-7, abs=1e-12), k
        for k in ("lower", "upper", "lower_sd", "upper_sd"):
            assert x["johnson_neyman"][k] == pytest.approx(y["johnson_neyman"][k], rel=1e-7)
        assert x["johnson_neyman"]["region"] == y["johnson_neyman"]["region"]


def test_sem_json_has_no_interactions_without_an_interaction(ho):
    _, folder = ho
    assert "interactions" not in json.loads((folder / "sem.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_compare_names_models_that_are_not_comparable(small, lang):
    folder = small / "r"
    text = docx_text(folder / "report.docx" if lang == "en" else folder / "zh/report.docx")
    title, not_nested, why = {
        "en": ("Rival Models", "Not nested", "fitted to different observed variables"),
        "zh": ("竞争模型比较", "非嵌套", "所用的观测变量不同"),
    }[lang]
    assert title in text and not_nested in text and why in text
    raw = pd.read_csv(next(folder.glob("*_rival_models.csv")), encoding="utf-8-sig")
    assert (
        raw.set_index("model").loc["research", "nested"] is False
        or str(raw.set_index("model").loc["research", "nested"]) == "False"
    )


def test_run_compare_refuses_a_missing_rival(tmp_path):
    status, err = _cli(["run", str(DATA), "--model", str(INTERACTION), "--compare",
                        str(tmp_path / "none.lav"), "--bootstrap", "0", "--out",
                        str(tmp_path / "r")])  # fmt: skip
    assert status == 2 and "rival model file not found" in err
    assert len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------ the rules
def test_choose_model_rules():
    m = pd.DataFrame(
        {
            "model": ["A", "B", "C"],
            "df": [10, 12, 15],
            "aic": [100.0, 99.0, 101.0],
            "bic": [140.0, 135.0, 133.0],
        }
    )
    t = pd.DataFrame(
        {
            "model1": ["A", "B"],
            "model2": ["B", "C"],
            "nested": [True, True],
            "chisq.diff": [1.2, 9.9],
            "df.diff": [2, 3],
            "pvalue": [0.55, 0.019],
        }
    )
    v = judge.choose_model(m, t)  # C rejected against B, B kept against A
    assert (v.outcome, v.rule, v.values["model"]) == ("chosen", "lrt", "B")
    assert [s["rejects"] for s in v.values["steps"]] == [True, False]
    assert v.caveats == ("bic_other",)
    t2 = t.assign(nested=[True, False], pvalue=[0.55, np.nan])
    assert judge.choose_model(m, t2).outcome == "undecided"  # AIC B, BIC C
    m2 = m.assign(bic=[140.0, 130.0, 133.0])
    v2 = judge.choose_model(m2, t2)
    assert (v2.outcome, v2.rule, v2.values["model"]) == ("chosen", "ic", "B")
    assert judge.choose_model(m2, t2, same_variables=False).rule == "variables"
    m3 = m2.assign(aic=np.nan, bic=np.nan)  # WLSMV: no likelihood
    assert judge.choose_model(m3, t2).rule == "no_ic"
    assert judge.choose_model(m3, t).caveats == ()  # the Δχ² chain decides alone


def test_second_order_rule():
    assert judge.second_order(0.95, 10.0, 14, 0.8).outcome == "accepted"
    assert judge.second_order(0.95, 40.0, 14, 0.001).caveats == ("chisq_rejects",)
    assert judge.second_order(0.85, 20.0, 14, 0.12).caveats == ("chisq_accepts",)
    assert judge.second_order(0.899, 40.0, 14, 0.001).outcome == "not_accepted"
    assert judge.second_order(1.0, 0.0, 0, np.nan).outcome == "equivalent"
