"""Moderation and group comparison in the results chapter (issue 17): the moderation table
against the fit and an independent slope computation, the moderated-mediation table against
semcore's own moderated_mediation() and the bootstrap draws, H15 in the hypothesis summary,
a plain lavaan model with Y ~ X + Z + X:Z, `run --group gender` with b per group and the
critical ratio for differences, both languages, no English in Chinese cells, no tool
internals in any text, the zh figure and docx without missing glyphs."""

from __future__ import annotations

import re
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
from render_check import docx_to_pdf_text
from report_cells import bounded, en_ci, num
from scipy import stats
from test_report_chapter import _english_words, _texts

from loyaltysem.examples import example_paths
from loyaltysem.report.format import num as _num
from loyaltysem.report.format import pvalue

PATHS = example_paths()
PLAIN = """
INF =~ INF1 + INF2 + INF3
PRD =~ PRD1 + PRD2 + PRD3
SAT =~ SAT1 + SAT2 + SAT3
TRU =~ TRU1 + TRU2 + TRU3
LOY =~ LOY1 + LOY2 + LOY3 + LOY4
SWC =~ SWC1 + SWC2 + SWC3
SAT ~ INF + PRD
TRU ~ SAT
LOY ~ SAT + TRU + SWC + SAT:SWC
"""


@pytest.fixture(scope="module")
def result():
    from loyaltysem.pipeline import analyze

    return analyze(PATHS["data_sav"], PATHS["model"], group="gender", n_boot=0)


@pytest.fixture(scope="module")
def chapters(result):
    return {lang: result.chapter(lang) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def booted():
    """The example with 80 bootstrap draws (main model and moderation model)."""
    from loyaltysem.pipeline import analyze

    return analyze(PATHS["data_sav"], PATHS["model"], n_boot=80, seed=3, ci="percentile")


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    from loyaltysem.pipeline import analyze

    model = tmp_path_factory.mktemp("plain") / "moderated.lav"
    model.write_text(PLAIN, encoding="utf-8")
    return analyze(PATHS["data_csv"], model, n_boot=0)


def _tables(chap, key):
    return [tb for tb in chap.tables if tb.key == key]


def _row(tb, first_col: str, label: str) -> pd.Series:
    hit = tb.data[tb.data[first_col] == label]
    assert len(hit) == 1, (label, list(tb.data[first_col]))
    return hit.iloc[0]


# --------------------------------------------------------------------------- numbers
def test_moderation_table_equals_the_fit(chapters, result):
    (mod,) = result.moderation.models
    assert (mod.y, mod.x, mod.z, mod.hypothesis, mod.declared) == ("LOY", "SAT", "SWC", "H15", True)
    (tb,) = _tables(chapters["en"], "moderation")
    est = mod.fit.estimates
    for term, label in (("SAT", "Satisfaction"), ("SWC", "Switching cost"),
                        ("SAT:SWC", "Satisfaction × Switching cost (H15)")):  # fmt: skip
        r = est[(est["lhs"] == "LOY") & (est["op"] == "~") & (est["rhs"] == term)].iloc[0]
        shown = _row(tb, "Effect", label)
        assert shown["Estimate"] == num(r["est"]) and shown["SE"] == num(r["se"])
        assert shown["z (C.R.)"] == num(r["z"], 2) and shown["p"] == pvalue(r["pvalue"])
        assert shown["β"].rstrip("*") == bounded(r["std.all"], "en")
    assert tb.n == mod.fit.n == 357 and "N = 357" in tb.note
    assert "Marsh et al., 2004" in tb.note and "Johnson & Neyman, 1936" in tb.note


def test_simple_slopes_and_johnson_neyman_from_the_slope_formula(chapters, result):
    """b1 + b3 w with Var = v11 + 2 w v13 + w² v33 at w = -1, 0, +1 SD of the latent SWC
    (its variance from the fit), computed here from the estimates and vcov."""
    (mod,) = result.moderation.models
    fit = mod.fit
    pt = fit.pt
    idx = {t: int(pt[(pt["lhs"] == "LOY") & (pt["op"] == "~") & (pt["rhs"] == t)]["free"]
                  .iloc[0]) - 1 for t in ("SAT", "SAT:SWC")}  # fmt: skip
    est = fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    b1, b3 = est[("LOY", "~", "SAT")], est[("LOY", "~", "SAT:SWC")]
    v = fit.vcov
    v11, v13, v33 = v[idx["SAT"], idx["SAT"]], v[idx["SAT"], idx["SAT:SWC"]], v[
        idx["SAT:SWC"], idx["SAT:SWC"]]  # fmt: skip
    sd = float(np.sqrt(est[("SWC", "~~", "SWC")]))
    assert mod.z_sd == pytest.approx(sd, rel=1e-9)
    (tb,) = _tables(chapters["en"], "moderation")
    for k, label in ((-1, "Low Switching cost (M − 1 SD)"), (0, "Mean Switching cost (M)"),
                     (1, "High Switching cost (M + 1 SD)")):  # fmt: skip
        w = k * sd
        slope, se = b1 + b3 * w, np.sqrt(v11 + 2 * w * v13 + w**2 * v33)
        shown = _row(tb, "Effect", label)
        assert shown["Estimate"] == num(slope) and shown["SE"] == num(se)
        assert shown["p"] == pvalue(2 * stats.norm.sf(abs(slope / se)))
        assert shown["95% CI"] == en_ci(slope - 1.959964 * se, slope + 1.959964 * se)
    # Johnson-Neyman: at each bound the Wald z is exactly 1.96
    jn = mod.johnson_neyman
    for w in (jn["lower"], jn["upper"]):
        zv = (b1 + b3 * w) / np.sqrt(v11 + 2 * w * v13 + w**2 * v33)
        assert abs(zv) == pytest.approx(stats.norm.ppf(0.975), abs=1e-8)
    assert jn["region"] == "inside"  # significant between the bounds
    # the region within the moderator's observed range: a boundary outside it (here the lower,
    # M - 6.45 SD on a 1-7 scale) is said to lie outside, never printed; not in the CI column
    lo, hi = mod.observed
    assert lo < 0 < hi
    region = tb.data[tb.data["Effect"].str.startswith("Johnson–Neyman region")].iloc[0]
    assert region["95% CI"] == ""
    assert not lo <= jn["lower"] <= hi and lo <= jn["upper"] <= hi
    assert num(jn["upper"]) in region["Effect"] and num(jn["upper"]) in tb.text
    assert num(abs(jn["lower"])) not in tb.text + region["Effect"]
    assert "outside the observed range" in tb.text
    assert f"M + {num(jn['upper_sd'], 2)} SD" in tb.text


def test_moderated_mediation_equals_semcores_moderated_mediation(chapters, result):
    """One chain of the table against interactions.moderated_mediation(), which labels the
    paths itself (INF -> SAT -> LOY, SWC on the second stage)."""
    from loyaltysem.analyses.interactions import moderated_mediation
    from loyaltysem.survey.moderation import moderation_syntax

    (mod,) = result.moderation.models
    tab = mod.conditional
    assert set(tab["mediator"]) == {"SAT"} and set(tab["to"]) == {"LOY"}
    assert set(tab["from"]) == {"INF", "PRD", "CON", "DES", "PAY", "LOG", "SER", "REP", "PER"}
    syntax = moderation_syntax(result.instrument)
    ref = moderated_mediation(syntax, result.survey, x="INF", m="SAT", y="LOY", w="SWC",
                              stage="second", n_boot=0).table  # fmt: skip
    mine = tab[tab["from"] == "INF"].reset_index(drop=True)
    np.testing.assert_allclose(mine["est"], ref["est"], rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(mine["se"], ref["se"], rtol=1e-5, atol=1e-9)
    # the index is a * b3 from the fit's estimates
    est = mod.fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    index = est[("SAT", "~", "INF")] * est[("LOY", "~", "SAT:SWC")]
    assert mine.loc[mine["kind"] == "index", "est"].iloc[0] == pytest.approx(index, rel=1e-9)
    (tb,) = _tables(chapters["en"], "moderated_mediation")
    first = tb.data.iloc[0]
    assert first["Path"] == "Site information → Satisfaction → Loyalty"
    assert first["Estimate"] == num(mine["est"].iloc[0]) and first["SE"] == num(mine["se"].iloc[0])
    assert "delta-method" in tb.note and len(tb.data) == 36


def test_moderated_mediation_intervals_are_the_bootstraps(booted):
    (mod,) = booted.moderation.models
    tab = mod.conditional
    assert mod.n_boot == 80 and mod.ci == "percentile"
    draws_ok = tab["ci.lower"] < tab["ci.upper"]
    assert draws_ok.all() and tab["boot.se"].gt(0).all()
    chap = booted.chapter("en")
    (tb,) = _tables(chap, "moderated_mediation")
    assert "80 bootstrap resamples (percentile CI, seed " in tb.note
    row = tab.iloc[1]  # INF, low SWC
    assert tb.data.iloc[1]["Boot SE"] == num(row["boot.se"])
    assert tb.data.iloc[1]["95% CI"] == en_ci(row["ci.lower"], row["ci.upper"])
    # the moderation model is bootstrapped on its own: main-model numbers are unchanged
    assert booted.hypotheses["est"].tolist() == pytest.approx(
        booted.sem.estimates.set_index(["lhs", "op", "rhs"])
        .loc[[(h.lhs, "~", h.rhs) for h in booted.instrument.hypotheses], "est"]
        .tolist()
    )


def test_h15_follows_the_path_hypotheses_in_the_summary(chapters, result):
    mh = result.moderation.hypotheses
    assert list(mh["id"]) == ["H15"] and mh["rhs"].iloc[0] == "SAT:SWC"
    est = result.moderation.models[0].coefficients.set_index("term").loc["SAT:SWC"]
    assert bool(mh["supported"].iloc[0]) == bool(est["pvalue"] < 0.05 and est["est"] < 0)
    for lang, text in (("zh", "转换成本削弱满意度对忠诚度的正向影响。"),
                       ("en", "Switching cost weakens the positive effect")):  # fmt: skip
        (tb,) = _tables(chapters[lang], "hypotheses")
        # H1..H14, H15 (the declared moderator), H16 (the model file's PROCESS model)
        assert list(tb.data.iloc[:, 0])[-2:] == ["H15", "H16"]
        assert tb.data.iloc[-2].iloc[1].startswith(text)
        assert "N = 357" in tb.note
    # H1..H14 keep the numbers of the model without the moderator
    assert len(result.hypotheses) == 14


def test_plain_lavaan_model_with_an_interaction(plain):
    (mod,) = plain.moderation.models
    assert not mod.declared and mod.fit is plain.sem and mod.hypothesis == "H7"
    zh = plain.chapter("zh")
    (tb,) = _tables(zh, "moderation")
    assert tb.data.iloc[3, 0] == "SAT × SWC（H7）"
    paths = _tables(zh, "paths")[0].data
    assert "SAT × SWC → LOY" in set(paths["路径"])
    (mm,) = _tables(zh, "moderated_mediation")
    assert {"INF → SAT → LOY", "PRD → SAT → LOY"} <= set(mm.data["路径"])
    hyp = _tables(zh, "hypotheses")[0].data
    assert hyp.iloc[-1]["假设内容"] == "SWC调节SAT对LOY的影响。"


def test_labelled_syntax_refits_to_the_same_model(result):
    from loyaltysem.analyses.moderation import labelled_syntax
    from loyaltysem.semcore.estimation import sem
    from loyaltysem.survey.moderation import moderation_syntax

    text, labels = labelled_syntax(moderation_syntax(result.instrument),
                                   {("LOY", "SAT:SWC"): "b3", ("SAT", "INF"): "a"})  # fmt: skip
    assert labels == {("LOY", "SAT:SWC"): "b3", ("SAT", "INF"): "a"}
    assert "LOY ~ b3*SAT:SWC" in text and "SAT ~ a*INF" in text
    refit = sem(text, result.survey)
    a = refit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    b = result.moderation.models[0].fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    np.testing.assert_allclose(a.loc[b.index], b, atol=1e-7)


# --------------------------------------------------------------------------- groups
def test_group_paths_table_b_beta_chisq_and_critical_ratio(chapters, result):
    gp = result.groups.paths
    groups = [c[len("se.") :] for c in gp.columns if c.startswith("se.")]
    assert len(groups) == 2
    a, b = groups
    cr = (gp[f"est.{b}"] - gp[f"est.{a}"]) / np.sqrt(gp[f"se.{a}"] ** 2 + gp[f"se.{b}"] ** 2)
    np.testing.assert_allclose(gp["cr.diff"], cr)
    # SEs of the unconstrained multi-group fit, refitted here
    from loyaltysem.semcore.estimation import sem

    free = sem(result.instrument.model_syntax(), result.survey, group="gender")
    e = free.estimates[(free.estimates["op"] == "~") & (free.estimates["group"] == 1)]
    first = e.set_index(["lhs", "rhs"]).loc[(gp["lhs"].iloc[0], gp["rhs"].iloc[0])]
    assert gp[f"se.{a}"].iloc[0] == pytest.approx(first["se"])
    assert gp[f"est.{a}"].iloc[0] == pytest.approx(first["est"])
    for lang in ("en", "zh"):
        (tb,) = _tables(chapters[lang], "group_paths")
        crcol = "C.R. of difference" if lang == "en" else "差异临界比（C.R.）"
        shown = [num(v, 2) if lang == "en" else _num(v, 2) for v in gp["cr.diff"]]  # − in en
        assert list(tb.data[crcol]) == shown
        # path, b and β per group, Δχ², Δdf, p, p (Holm), C.R., result
        assert len(tb.data.columns) == 11
        assert "Byrne" in tb.note
        (inv,) = _tables(chapters[lang], "invariance")
        assert len(inv.data) == 4
    en = _tables(chapters["en"], "group_paths")[0]
    assert "Reputation → Trust" in en.text and "C.R. = −2.15" in en.text  # the minus sign (APA)


# --------------------------------------------------------------------------- language


def test_no_english_words_in_chinese_cells_and_notes(chapters, result):
    inst = result.instrument
    codes = set(inst.item_codes) | set(inst.construct_items) | {h.id for h in inst.hypotheses}
    codes |= {"H", "H15", "SWC"}
    for key in ("moderation", "moderated_mediation", "group_paths", "invariance", "hypotheses"):
        for tb in _tables(chapters["zh"], key):
            cells = [str(c) for c in tb.data.columns] + [str(v) for v in tb.data.to_numpy().ravel()]
            bad = [w for c in cells + [tb.title] for w in _english_words(c, codes)]
            note = re.sub(r"（[^（）]*\d{4}[^（）]*）", "", tb.note)
            bad += _english_words(note, codes)
            assert not bad, (key, bad[:5])
    figs = [f for tb in chapters["zh"].tables for f in tb.figures if f.key.startswith("inter")]
    assert figs and not _english_words(figs[0].title, codes)


def test_no_tool_internals_in_any_text(chapters):
    for chap in chapters.values():
        for text in _texts(chap):
            assert not re.search(r"(?<![\w-])--[a-z]", text), text
            assert not re.search(r"\w::\w|\w\(\)", text), text
            assert "loyaltysem" not in text and "lavaan" not in text, text
            assert "semTools" not in text and "probe2WayMC" not in text, text


def test_chinese_interaction_plot_has_every_glyph(result, tmp_path):
    from loyaltysem.report.tables.moderation import _draw

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw(result, result.moderation.models[0], tmp_path / "i.png", "zh")
    assert (tmp_path / "i.png").stat().st_size > 10_000
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]


# --------------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def cli_report(examiner):
    """``loyaltysem run --group gender`` (the examiner runs' shared "group" run)."""
    run = examiner("group")
    assert run.status == 0, run.stderr[-2000:]
    return run.folder


def test_run_group_gender_writes_both_languages(cli_report):
    for folder in (cli_report, cli_report / "zh"):
        names = {p.name for p in folder.iterdir()}
        assert {"report.docx", "report.md", "tables.xlsx", "interaction_SAT_SWC.png"} <= names
        csvs = {re.sub(r"^\d+_", "", n) for n in names if n.endswith(".csv")}
        assert {"moderation.csv", "moderated_mediation.csv", "invariance.csv",
                "group_paths.csv", "hypotheses.csv"} <= csvs  # fmt: skip
    zh = (cli_report / "zh" / "report.md").read_text(encoding="utf-8")
    assert "转换成本的调节效应检验" in zh and "有调节的中介效应检验" in zh
    assert "跨群组测量不变性" in zh and "差异临界比" in zh


def test_zh_docx_renders_without_missing_glyphs(cli_report, tmp_path):
    pdf, text = docx_to_pdf_text(cli_report / "zh" / "report.docx", tmp_path)
    flat = text.replace(" ", "")
    assert "调节效应检验" in flat and "J-N法显著区域" in flat and "差异临界比" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts


def test_model_without_moderators_has_no_moderation_tables(tmp_path):
    from loyaltysem.pipeline import analyze

    res = analyze(PATHS["data_csv"], PATHS["model_lav"], n_boot=0)
    assert res.moderation.models == [] and res.moderation.hypotheses is None
    assert not [tb for tb in res.chapter("en").tables if tb.key.startswith("moderat")]
