"""Interactions wherever a model is written (issue 24): ``X:Z`` in a TOML ``[structural]``
section and in a hypothesis's path give the numbers of the same model as lavaan syntax (.lav)
and as a declared ``[[moderators]]`` entry; ``fit --json`` carries the contract's
``interactions`` block (simple slopes and Johnson-Neyman, semTools' probe2WayMC's numbers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.analyses.hypotheses import hypothesis_table
from loyaltysem.analyses.interactions import interaction_summary
from loyaltysem.semcore.estimation import sem
from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load
from loyaltysem.survey.moderation import moderation_hypotheses, moderation_syntax

REPO = Path(__file__).resolve().parents[1]
TOML = REPO / "models" / "online_loyalty.toml"
DATA = REPO / "data" / "online_loyalty.csv"

SWC = """[[constructs]]
code = "SWC"
name = { en = "Switching cost", zh = "转换成本" }
items = ["SWC1", "SWC2", "SWC3"]

[structural]"""

H15 = """
[[hypotheses]]
id = "H15"
path = "LOY ~ SAT:SWC"
sign = "-"
en = "Switching cost weakens the positive effect of satisfaction on loyalty."
zh = "转换成本削弱满意度对忠诚度的正向影响。"
"""


def _structural_form(tmp_path: Path) -> Path:
    """The example model with SWC as a construct, the interaction in [structural] and H15
    in [[hypotheses]] (the [[moderators]] entry taken out)."""
    text = TOML.read_text(encoding="utf-8")
    text = re.sub(r"\n# A moderator stays out.*?(?=\n\[\[demographics\]\])", "\n", text, flags=re.S)
    assert "[[moderators]]" not in text
    text = text.replace("[structural]", SWC, 1)
    text = text.replace("LOY ~ SAT + TRU\n", "LOY ~ SAT + TRU + SWC + SAT:SWC\n", 1)
    path = tmp_path / "structural.toml"
    path.write_text(text + H15, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms")
    toml = _structural_form(tmp)
    original = read_instrument(TOML)
    lav = tmp / "moderated.lav"
    lav.write_text(moderation_syntax(original), encoding="utf-8")
    survey = load(DATA, TOML)
    fits = {
        "structural": sem(toml, load(DATA, toml)),
        "lav": sem(lav, survey),
        "moderators": sem(moderation_syntax(original), survey),
    }
    return toml, original, fits


def _merged(a, b) -> pd.DataFrame:
    key = ["lhs", "op", "rhs", "group"]
    m = a.estimates.merge(b.estimates, on=key, suffixes=("", "_b"), how="outer", indicator=True)
    assert (m["_merge"] == "both").all()
    return m


@pytest.mark.parametrize("other", ["lav", "moderators"])
def test_structural_interaction_equals_lav_and_moderators_forms(forms, other):
    _, _, fits = forms
    a, b = fits["structural"], fits[other]
    assert a.n == b.n and a.npar == b.npar
    for k in ("chisq", "df", "cfi", "rmsea", "srmr", "aic"):
        assert a.fit_measures[k] == pytest.approx(b.fit_measures[k], rel=1e-7)
    m = _merged(a, b)
    for col in ("est", "se", "std.all"):
        np.testing.assert_allclose(m[col], m[col + "_b"], rtol=1e-6, atol=1e-8, err_msg=col)
    row = m[(m["lhs"] == "LOY") & (m["op"] == "~") & (m["rhs"] == "SAT:SWC")]
    assert len(row) == 1 and row["est"].iloc[0] < 0


def test_hypothesis_on_the_interaction(forms):
    """``path = "LOY ~ SAT:SWC"`` with sign "-" is decided as the moderator's H15."""
    toml, original, fits = forms
    inst = read_instrument(toml)
    h = [x for x in inst.hypotheses if x.id == "H15"]
    assert [(x.lhs, x.rhs, x.sign) for x in h] == [("LOY", "SAT:SWC", "-")]
    from loyaltysem.judgment.hypotheses import decide

    ours = decide(hypothesis_table(fits["structural"].estimates, h))[0]
    theirs = decide(
        hypothesis_table(fits["moderators"].estimates, moderation_hypotheses(original))
    )[0]
    assert ours[["id", "path", "sign", "supported"]].values.tolist() == (
        theirs[["id", "path", "sign", "supported"]].values.tolist()
    )
    assert ours["est"].iloc[0] == pytest.approx(theirs["est"].iloc[0], rel=1e-6)


def test_spaces_around_the_colon_and_bad_paths(tmp_path):
    from loyaltysem.base.errors import InstrumentError

    text = _structural_form(tmp_path).read_text(encoding="utf-8")
    path = tmp_path / "spaces.toml"
    path.write_text(text.replace('"LOY ~ SAT:SWC"', '"LOY ~ SAT : SWC"'), encoding="utf-8")
    assert read_instrument(path).hypotheses[-1].rhs == "SAT:SWC"
    path.write_text(text.replace('"LOY ~ SAT:SWC"', '"LOY ~ SAT::SWC"'), encoding="utf-8")
    with pytest.raises(InstrumentError, match="needs id and path"):
        read_instrument(path)
    bad = text.replace("SAT:SWC\n", "SAT:SWC +\n", 1)
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"\[structural\]"):
        read_instrument(path)


def test_cli_fit_json_interactions_block(forms, tmp_path):
    """``fit --json`` of the TOML model with an ``X:Z`` term: the contract's block, equal to
    interaction_summary() of the same model written as a declared moderator."""
    from loyaltysem.cli import main

    toml, _, fits = forms
    out = tmp_path / "fit.json"
    assert main(["fit", str(DATA), "--model", str(toml), "--json", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    (block,) = got["interactions"]
    (ref,) = interaction_summary(fits["moderators"])
    assert (block["y"], block["x"], block["z"]) == ("LOY", "SAT", "SWC")
    assert [s["z_sd"] for s in block["simple_slopes"]] == [-1.0, 0.0, 1.0]
    for s, r in zip(block["simple_slopes"], ref["simple_slopes"], strict=True):
        for k in ("est", "se", "z"):
            assert s[k] == pytest.approx(r[k], rel=1e-6)
    assert set(block["johnson_neyman"]) >= {"lower", "upper"}
    plain = tmp_path / "plain.json"
    assert main(["fit", str(DATA), "--model", str(TOML), "--json", str(plain)]) == 0
    assert "interactions" not in json.loads(plain.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ["bfi_latent", "bfi_observed", "bfi_mixed"])
def test_cli_interactions_equal_probe2waymc(tmp_path, case):
    """The block's simple slopes are semTools' probe2WayMC() at -1/0/+1 SD (fixtures of
    tests/fixtures/R/interactions.R), within 1e-4 relative."""
    from loyaltysem.cli import main

    fx = json.loads((REPO / f"tests/fixtures/lavaan/interaction_{case}.json").read_text())
    model = tmp_path / "m.lav"
    model.write_text(fx["python_model"] + "\n", encoding="utf-8")
    out = tmp_path / "fit.json"
    assert main(["fit", str(REPO / fx["data_file"]), "--model", str(model), "--json",
                 str(out)]) == 0  # fmt: skip
    p = fx["probe"]
    blocks = json.loads(out.read_text(encoding="utf-8"))["interactions"]
    (block,) = [b for b in blocks if (b["y"], b["x"], b["z"]) == (p["y"], p["x"], p["z"])]
    ref = pd.DataFrame(p["simple_slopes"])
    assert block["z_sd_value"] == pytest.approx(p["z_sd"], rel=1e-4)
    for s, (_, r) in zip(block["simple_slopes"], ref.iterrows(), strict=True):
        for k in ("est", "se", "z"):
            assert s[k] == pytest.approx(r[k], rel=1e-4), k
        assert s["pvalue"] == pytest.approx(r["pvalue"], rel=1e-3, abs=1e-12)
