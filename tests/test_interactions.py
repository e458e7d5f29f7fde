"""Latent and observed interactions against lavaan 0.6.14 / semTools 0.5.6
(tests/fixtures/R/interactions.R): product indicators as indProd(), estimates and SEs as
lavaan's sem() on them, simple slopes as probe2WayMC(), the Johnson-Neyman interval from the
slope formula, moderated mediation's := rows, and the example data's switching-cost moderator.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

import loyaltysem as ls
from loyaltysem.analyses import interactions as I
from loyaltysem.base.errors import InputError

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures" / "lavaan"
CASES = ["bfi_latent", "bfi_unmatched", "bfi_mixed", "bfi_observed", "reputation_unmatched"]


def _fixture(case: str) -> dict:
    return json.loads((FIX / f"interaction_{case}.json").read_text(encoding="utf-8"))


def _data(fx: dict) -> pd.DataFrame:
    rel = fx["data_file"]
    df = pd.read_csv(REPO / rel)
    return df.replace(-99, np.nan) if "reputation" in rel else df


_FITS: dict = {}


def _fit(case: str):
    if case not in _FITS:
        fx = _fixture(case)
        df = _data(fx)
        if "unmatched" in case:
            fit = I.fit(fx["python_model"], df, match=False)
        else:
            fit = ls.sem(fx["python_model"], df)  # the hook in loyaltysem.sem
        _FITS[case] = (fx, df, fit)
    return _FITS[case]


def _r_estimates(fx: dict) -> pd.DataFrame:
    p = fx["probe"]
    r = pd.DataFrame(fx["estimates"])
    dotted, colon = f"{p['x']}.{p['z']}", f"{p['x']}:{p['z']}"
    return r.replace({"lhs": {dotted: colon}, "rhs": {dotted: colon}})


@pytest.mark.parametrize("case", CASES)
def test_product_indicators_equal_indprod(case):
    fx = _fixture(case)
    df = _data(fx)
    p = fx["probe"]
    ex = I.expand_interactions(fx["python_model"], df, match="unmatched" not in case)
    assert [c for it in ex.interactions for c in it.products] == fx["product_columns"]
    head = pd.DataFrame(fx["product_head"]).astype(float)
    ours = ex.data[fx["product_columns"]].iloc[:5].reset_index(drop=True)
    np.testing.assert_allclose(ours.to_numpy(), head.to_numpy(), atol=1e-10)
    means = ex.data[fx["product_columns"]].mean()
    np.testing.assert_allclose(means.to_numpy(), list(fx["product_means"].values()), atol=1e-10)
    assert f"{p['x']}.{p['z']}" in ex.syntax  # lavaan-ready syntax names the product X.Z


@pytest.mark.parametrize("case", CASES)
def test_estimates_and_fit_equal_lavaan(case):
    fx, _, fit = _fit(case)
    assert fit.n == fx["nobs"]
    r = _r_estimates(fx)
    m = fit.estimates.merge(r, on=["lhs", "op", "rhs"], suffixes=("", "_r"))
    assert len(m) == len(r) == len(fit.estimates)
    assert np.abs(m["est"] - m["est_r"]).max() < 1e-3
    assert np.abs(m["se"] - m["se_r"]).max() < 1e-3
    assert np.abs(m["std.all"] - m["std.all_r"]).max() < 1e-3
    p = fx["probe"]
    row = m[(m["op"] == "~") & (m["rhs"] == f"{p['x']}:{p['z']}")]
    assert len(row) == 1  # the interaction is reported as Y ~ X:Z
    for key in ("chisq", "cfi", "rmsea", "srmr"):
        assert fit.fit_measures[key] == pytest.approx(fx["fit"][key], abs=1e-3)
    assert fit.fit_measures["df"] == fx["fit"]["df"]


@pytest.mark.parametrize("case", CASES)
def test_simple_slopes_equal_probe2waymc(case):
    fx, _, fit = _fit(case)
    p = fx["probe"]
    assert I.moderator_sd(fit, p["z"]) == pytest.approx(p["z_sd"], abs=1e-4)
    ours = I.simple_slopes(fit, p["y"], p["x"], p["z"])
    r = pd.DataFrame(p["simple_slopes"])
    np.testing.assert_allclose(ours["z_value"], r["value"], atol=1e-3)
    for col in ("est", "se", "z", "pvalue"):
        np.testing.assert_allclose(ours[col], r[col], atol=1e-3, err_msg=col)


@pytest.mark.parametrize("case", ["bfi_latent", "reputation_unmatched"])
def test_johnson_neyman_from_the_slope_formula(case):
    """Boundaries found by root search on R's own b1, b3 and their vcov."""
    fx, _, fit = _fit(case)
    p = fx["probe"]
    r = _r_estimates(fx)
    b = {
        k: float(r[(r["op"] == "~") & (r["lhs"] == p["y"]) & (r["rhs"] == rhs)]["est"].iloc[0])
        for k, rhs in (("b1", p["x"]), ("b3", f"{p['x']}:{p['z']}"))
    }
    v = np.array(p["vcov_b1_b3"])
    crit = stats.norm.ppf(0.975)

    def excess(w):  # |z(w)| - 1.96
        se = np.sqrt(v[0, 0] + 2 * w * v[0, 1] + w**2 * v[1, 1])
        return abs(b["b1"] + b["b3"] * w) / se - crit

    jn = I.johnson_neyman(fit, p["y"], p["x"], p["z"])
    grid = np.linspace(-400, 400, 400001)
    vals = np.array([excess(w) for w in grid[::100]])
    signs = np.where(np.diff(np.sign(vals)) != 0)[0]
    roots = [optimize.brentq(excess, grid[::100][i], grid[::100][i + 1]) for i in signs]
    assert len(roots) == 2
    assert jn["lower"] == pytest.approx(roots[0], rel=1e-3)
    assert jn["upper"] == pytest.approx(roots[1], rel=1e-3)
    inside_sig = excess((roots[0] + roots[1]) / 2) > 0
    assert jn["region"] == ("inside" if inside_sig else "outside")
    at = I.simple_slopes(fit, p["y"], p["x"], p["z"], values=[jn["lower"], jn["upper"]])
    np.testing.assert_allclose(np.abs(at["z"]), crit, atol=1e-9)


def test_johnson_neyman_everywhere_and_nowhere():
    # a slope that is never significant: small b1 and b3, large sampling variances
    never = I.SlopeParts(b1=0.01, b3=0.01, v11=0.04, v13=0.0, v33=0.04, sd=1.0)
    assert I._johnson_neyman(never) == {
        "lower": None, "upper": None, "lower_sd": None, "upper_sd": None, "region": "nowhere"
    }  # fmt: skip
    always = I.SlopeParts(b1=0.5, b3=0.0, v11=0.01, v13=0.0, v33=0.0, sd=1.0)
    assert I._johnson_neyman(always)["region"] == "everywhere"
    # significant only between the roots when the interaction itself is not significant
    inside = I._johnson_neyman(I.SlopeParts(0.3, 0.05, 0.01, 0.0, 0.01, 2.0))
    assert inside["region"] == "inside" and inside["lower"] < 0 < inside["upper"]
    assert inside["lower_sd"] == pytest.approx(inside["lower"] / 2.0)


def test_summary_follows_the_output_contract():
    _, _, fit = _fit("bfi_latent")
    (s,) = I.interaction_summary(fit)
    assert (s["y"], s["x"], s["z"]) == ("AGR", "EXT", "NEU")
    assert [r["z_sd"] for r in s["simple_slopes"]] == [-1.0, 0.0, 1.0]
    assert set(s["simple_slopes"][0]) == {"z_sd", "est", "se", "z", "pvalue"}
    assert set(s["johnson_neyman"]) >= {"lower", "upper"}
    json.dumps(s)


def test_sem_hook_records_lavaan_syntax_and_names_the_term():
    fx, _, fit = _fit("bfi_latent")
    assert "EXT.NEU =~ E1.N1 + E2.N2 + E3.N3 + E4.N4 + E5.N5" in fit.syntax
    assert "EXT:NEU" in fit.model.mv.lv
    assert I.interaction_terms(fit) == [("AGR", "EXT", "NEU")]


def test_bad_interaction_input_is_one_line():
    df = pd.read_csv(REPO / "tests" / "fixtures" / "data" / "bfi_ext_neu_agr.csv")
    m = "EXT =~ E1 + E2 + E3\nNEU =~ N1 + N2 + N3 + N4\nAGR =~ A1 + A2 + A3\n"
    with pytest.raises(InputError, match="match=False"):
        ls.sem(m + "AGR ~ EXT + NEU + EXT:NEU", df)
    with pytest.raises(InputError, match="neither a construct"):
        ls.sem(m + "AGR ~ EXT + NEU + EXT:XYZ", df)
    assert not I.has_interaction("a := b*c  # x:y in a comment")
    assert I.has_interaction("y ~ x + z + x:z")


def test_interaction_plot_writes_png(tmp_path):
    from loyaltysem.report.interaction_plot import interaction_lines, interaction_plot

    fx, _, fit = _fit("bfi_latent")
    lines = interaction_lines(fit, "AGR", "EXT", "NEU")
    slopes = I.simple_slopes(fit, "AGR", "EXT", "NEU")
    for k, slope in zip((-1.0, 0.0, 1.0), slopes["est"], strict=True):
        part = lines[lines["z_sd"] == k]
        rise = np.diff(part["y_hat"].to_numpy())[0] / np.diff(part["x_value"].to_numpy())[0]
        assert rise == pytest.approx(slope, rel=1e-9)  # each line's slope is the simple slope
    out = interaction_plot(
        fit, "AGR", "EXT", "NEU", tmp_path / "zh" / "ip.png", x_label="外向性",
        y_label="宜人性", legend_labels=("低", "平均", "高"), legend_title="神经质",
    )  # fmt: skip
    assert out.exists() and out.stat().st_size > 5000


def test_moderated_mediation_equals_lavaan_defined_parameters():
    fx = _fixture("bfi_modmed")
    df = _data(fx)
    res = I.moderated_mediation(
        fx["python_model"], df, x=fx["x"], m=fx["m"], y=fx["y"], w=fx["w"], n_boot=0
    )
    assert res.w_sd == pytest.approx(fx["w_sd"], abs=1e-4)
    r = pd.DataFrame(fx["defined"]).set_index("lhs")
    t = res.table.set_index("name").loc[r.index]
    for col in ("est", "se", "z", "pvalue"):
        np.testing.assert_allclose(t[col], r[col], atol=1e-3, err_msg=col)
    assert fx["fit"]["chisq"] == pytest.approx(res.fit.fit_measures["chisq"], abs=1e-3)


def test_moderated_mediation_bootstrap_and_second_stage():
    fx = _fixture("bfi_modmed")
    df = _data(fx).iloc[:400]
    res = I.moderated_mediation(
        fx["python_model"], df, x="EXT", m="AGR", y="CON", w="NEU", n_boot=60, seed=3
    )
    t = res.table
    assert list(t["name"]) == ["index_modmed", "ind_w_low", "ind_w_mean", "ind_w_high"]
    assert (t["ci.lower"] < t["est"]).all() and (t["est"] < t["ci.upper"]).all()
    # conditional indirect effects are linear in W: high - low = 2 SD * index
    d = t.set_index("name")["est"]
    assert d["ind_w_high"] - d["ind_w_low"] == pytest.approx(2 * res.w_sd * d["index_modmed"])
    second = fx["python_model"].replace(
        "AGR ~ EXT + NEU + EXT:NEU\nCON ~ AGR + EXT", "AGR ~ EXT\nCON ~ AGR + EXT + NEU + AGR:NEU"
    )
    res2 = I.moderated_mediation(
        second, df, x="EXT", m="AGR", y="CON", w="NEU", stage="second", n_boot=0
    )
    est = res2.fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    a, b3 = est[("AGR", "~", "EXT")], est[("CON", "~", "AGR:NEU")]
    assert res2.table["est"].iloc[0] == pytest.approx(a * b3, rel=1e-9)
    with pytest.raises(InputError, match="needs the path"):
        I.moderated_mediation(second, df, x="EXT", m="AGR", y="CON", w="NEU", n_boot=0)


# ----------------------------------------------------------------------------- example moderator

# SHA-256 of data/online_loyalty.csv restricted to its 45 columns before the moderator was
# added (header + rows joined by "," and "\n", cells as written), and of the .sav's values
OLD_CSV_COLUMNS_SHA = "880454369cf07d5bcfcd4f0517412d2f0cc3f1532a6dd25a87f89a10750af024"
OLD_SAV_VALUES_SHA = "741d6a7bb42257ed38783294f6c3b09740bb5a563658a7d1b2d2f164ce52f91d"


def _old_columns() -> list[str]:
    from loyaltysem.examples import example_paths
    from loyaltysem.survey.instrument import read_instrument

    inst = read_instrument(example_paths()["model"])
    demo = ["gender", "age_band", "frequency", "education", "duration_sec"]
    return ["id", *inst.item_codes, *demo]


def test_example_data_gain_swc_and_keep_every_old_byte():
    import csv
    import hashlib

    import pyreadstat

    from loyaltysem.examples import example_paths

    paths = example_paths()
    with open(paths["data_csv"], newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    assert head[head.index("LOY4") + 1 : head.index("LOY4") + 4] == ["SWC1", "SWC2", "SWC3"]
    old = _old_columns()
    assert [h for h in head if h not in ("SWC1", "SWC2", "SWC3")] == old
    idx = [head.index(c) for c in old]
    text = "\n".join(",".join(r[i] for i in idx) for r in rows)
    assert hashlib.sha256(text.encode()).hexdigest() == OLD_CSV_COLUMNS_SHA
    sav, meta = pyreadstat.read_sav(str(paths["data_sav"]))
    values = sav[old].to_csv(index=False)
    assert hashlib.sha256(values.encode()).hexdigest() == OLD_SAV_VALUES_SHA
    assert meta.variable_value_labels["SWC2"][7.0] == "Strongly agree"
    swc = sav[["SWC1", "SWC2", "SWC3"]]
    answered = swc.to_numpy()[swc.notna().to_numpy()]
    assert np.isin(answered, range(1, 8)).all() and 0 < swc.isna().any(axis=1).sum() < 30


def test_moderator_draw_replays_the_item_scores():
    """moderator_answers checks that it rebuilt simulate()'s continuous scores; with other
    items it refuses."""
    from loyaltysem.examples import (
        EXAMPLE_SEED,
        example_paths,
        make_example_data,
        moderator_answers,
    )

    df = make_example_data()
    pop = example_paths()["population"].read_text(encoding="utf-8")
    items = df.loc[:, "INF1":"LOY4"]
    again = moderator_answers(items, pop, EXAMPLE_SEED, len(df))
    pd.testing.assert_frame_equal(again, df[["SWC1", "SWC2", "SWC3"]])
    with pytest.raises(RuntimeError, match="simulate"):
        moderator_answers(items, pop, EXAMPLE_SEED + 1, len(df))


def test_large_sample_recovers_the_population_interaction():
    """N = 5000 from the population: the standardized interaction SAT x SWC -> LOY and the main
    effect of SWC are recovered within +-0.05 (Likert cuts attenuate them a little)."""
    from loyaltysem.examples import make_example_data, moderator_population

    spec = moderator_population()
    assert (spec["b"], spec["g"]) == (0.20, -0.15)
    df = make_example_data(seed=2027, n=5000)
    df["LOY4"] = 8 - df["LOY4"]
    model = (
        "SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3\nSWC =~ SWC1 + SWC2 + SWC3\n"
        "LOY =~ LOY1 + LOY2 + LOY3 + LOY4\nLOY ~ SAT + TRU + SWC + SAT:SWC"
    )
    fit = ls.sem(model, df)
    std = fit.estimates.set_index(["lhs", "op", "rhs"])["std.all"]
    assert std[("LOY", "~", "SAT:SWC")] == pytest.approx(spec["g"], abs=0.05)
    assert std[("LOY", "~", "SWC")] == pytest.approx(spec["b"], abs=0.05)
    assert std[("LOY", "~", "SAT")] == pytest.approx(0.35, abs=0.05)
    slopes = I.simple_slopes(fit, "LOY", "SAT", "SWC")
    assert slopes["est"].is_monotonic_decreasing and (slopes["pvalue"] < 0.001).all()


def test_model_file_declares_the_moderator_without_touching_h1_h14():
    from loyaltysem.examples import example_paths
    from loyaltysem.survey.instrument import read_instrument
    from loyaltysem.survey.moderation import moderation_hypotheses, moderation_syntax

    inst = read_instrument(example_paths()["model"])
    assert [h.id for h in inst.hypotheses] == [f"H{i}" for i in range(1, 15)]
    assert "SWC" not in inst.construct_items and "SWC1" not in inst.item_codes
    (mod,) = inst.moderators
    assert (mod.code, mod.x, mod.y, mod.kind, mod.item_codes) == (
        "SWC", "SAT", "LOY", "latent", ["SWC1", "SWC2", "SWC3"]
    )  # fmt: skip
    assert mod.label("zh") == "转换成本" and mod.items[0].text["zh"].startswith("转到")
    (h,) = moderation_hypotheses(inst)
    assert (h.id, h.path, h.sign) == ("H15", "LOY ~ SAT:SWC", "-")
    syntax = moderation_syntax(inst)
    assert syntax.startswith(inst.model_syntax().rstrip("\n"))
    assert syntax.endswith("SWC =~ SWC1 + SWC2 + SWC3\nLOY ~ SWC + SAT:SWC\n")


@pytest.mark.parametrize(
    "entry, message",
    [
        ('code = "SWC"\npath = "LOY ~ SAT"', "needs items"),
        ('code = "SWC"\ntype = "mixed"\nitems = ["A"]\npath = "LOY ~ SAT"', "type must be"),
        ('code = "SWC"\nitems = ["A"]\npath = "LOY -> SAT"', "path must be"),
        ('code = "SWC"\nitems = ["A"]', "needs the path"),
        ('code = "SWC"\nitems = ["A"]\npath = "LOY ~ SAT"\nsign = "neg"', "sign must be"),
        ('code = "SWC"\nitems = ["A"]\npath = "LOY ~ XXX"', "not a construct"),
        ('code = "SWC"\nitems = ["S1"]\npath = "LOY ~ SAT"', "appears twice"),
        ('code = "SWC"\nitems = ["A"]\npath = "LOY ~ SAT"\nz = "W"', "z ("),
    ],
)
def test_bad_moderator_entries_are_one_line_errors(tmp_path, entry, message):
    from loyaltysem.base.errors import InstrumentError
    from loyaltysem.survey.instrument import read_instrument

    text = (
        '[[constructs]]\ncode = "SAT"\nitems = ["S1", "S2", "S3"]\n'
        '[[constructs]]\ncode = "LOY"\nitems = ["L1", "L2", "L3"]\n'
        '[structural]\nsyntax = "LOY ~ SAT"\n'
        f"[[moderators]]\n{entry}\n"
    )
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=message.replace("(", r"\(")) as err:
        read_instrument(path)
    assert "\n" not in str(err.value) and "m.toml" in str(err.value)


def test_mixed_interaction_warns_about_lavaans_zero_covariance():
    fx = _fixture("bfi_mixed")
    fit = I.fit(fx["python_model"], _data(fx))
    assert any("'EXT ~~ neu'" in w for w in fit.warnings)
    pt = fit.pt
    assert pt[(pt["lhs"] == "EXT") & (pt["op"] == "~~") & (pt["rhs"] == "neu")].empty
