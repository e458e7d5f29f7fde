"""``loyaltysem init`` / :func:`loyaltysem.pipeline.init_model.init_model`: the proposed model file.

psych's answers (reverse keys and alphas with check.keys = TRUE) are in
tests/fixtures/psych/check_keys.json (tests/fixtures/R/check_keys.R)."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, REPO, SURVEYS

from loyaltysem.base.errors import InputError, OutputError
from loyaltysem.cli import main
from loyaltysem.pipeline.init_model import init_model, propose_model
from loyaltysem.psychometrics.reliability import reliability_table
from loyaltysem.survey.instrument import read_instrument
from loyaltysem.survey.loaders import load

BFI = SURVEYS / "bfi.sav"
LOYALTY_SAV = REPO / "data" / "online_loyalty.sav"
LOYALTY_CSV = REPO / "data" / "online_loyalty.csv"
PSYCH = json.loads((FIXTURES / "psych" / "check_keys.json").read_text(encoding="utf-8"))
BFI_REVERSED = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]
LOYALTY_12 = ["INF", "PRD", "CON", "DES", "PAY", "LOG", "SER", "REP", "PER", "SAT", "TRU", "LOY"]


@pytest.fixture(scope="module")
def bfi_model(tmp_path_factory) -> tuple[str, object]:
    out = tmp_path_factory.mktemp("init") / "bfi_model.toml"
    text = init_model(BFI, out=out)
    return text, read_instrument(out)


def test_bfi_constructs_items_and_reverse_keys(bfi_model) -> None:
    _, inst = bfi_model
    assert inst.construct_items == {c: [f"{c}{k}" for k in range(1, 6)] for c in "ACENO"}
    assert inst.reverse_items == BFI_REVERSED
    psych = [i for s in PSYCH["bfi"]["scales"].values() for i in s["reversed"]]
    assert inst.reverse_items == psych


def test_bfi_labels_scale_and_demographics(bfi_model) -> None:
    text, inst = bfi_model
    a1 = inst.construct("A").items[0]
    assert a1.text["en"] == "Am indifferent to the feelings of others."
    assert inst.construct("A").name == {"en": "A", "zh": "A"}
    assert (inst.scale_min, inst.scale_max) == (1, 6)
    assert inst.scale_labels[1.0]["en"] == "Very Inaccurate"
    assert inst.scale_labels[6.0]["en"] == "Very Accurate"
    demo = {d.code: d for d in inst.demographics}
    assert list(demo) == ["gender", "education", "age"]
    assert {k: v["en"] for k, v in demo["gender"].values.items()} == {1.0: "Males", 2.0: "Females"}
    # common English labels get their Chinese (the zh chapter's profile); others stay English
    assert {k: v.get("zh") for k, v in demo["gender"].values.items()} == {1.0: "男", 2.0: "女"}
    assert "zh" not in demo["education"].values[5.0]
    ask = '# Add zh = "..." to the values below for the Chinese chapter.'
    assert text.count(ask) == 1 and text.index(ask) < text.index('code = "education"')
    assert text.index(ask) > text.index('code = "gender"')  # 男/女 given there
    assert sorted(demo["education"].values) == [1.0, 2.0, 3.0, 4.0, 5.0]  # 9 is user-missing
    assert demo["education"].values[5.0]["en"] == "Graduate degree"
    assert demo["age"].values == {}
    assert demo["gender"].name == {"en": "Gender", "zh": "性别"}
    # the SPSS user-missing code, the rule and the commented template are in the comments
    assert '#   education: 9 ("No answer")' in text
    assert "check.keys rule" in text and "confirm" in text
    assert "# [structural]" in text and "# [[hypotheses]]" in text
    assert inst.structural == "" and inst.hypotheses == []


def test_bfi_alphas_with_the_proposed_keying_equal_psych(bfi_model, tmp_path) -> None:
    """The loader recodes the proposed reverse-keyed items (1 + 6 - x); alpha of every
    construct then equals psych::alpha(check.keys = TRUE) on the raw items."""
    _, inst = bfi_model
    survey = load(BFI, inst)
    assert survey.recoded == BFI_REVERSED
    rel = reliability_table(survey.data[inst.item_codes], inst.construct_items).constructs
    for c, ref in PSYCH["bfi"]["scales"].items():
        assert rel.loc[c, "alpha"] == pytest.approx(ref["alpha"], abs=1e-10)
        assert rel.loc[c, "alpha.std"] == pytest.approx(ref["alpha_std"], abs=1e-10)


def test_online_loyalty_sav() -> None:
    p = propose_model(LOYALTY_SAV)
    codes = list(p.construct_items)
    # the 12 constructs of models/online_loyalty.toml, and the moderator SWC (its items are
    # numbered like the others; the file cannot tell a moderator from a construct)
    assert codes == [*LOYALTY_12, "SWC"]
    model = read_instrument(REPO / "models" / "online_loyalty.toml")
    assert {c: p.construct_items[c] for c in LOYALTY_12} == model.construct_items
    assert p.reverse_items == ["DES4", "LOY4"]
    assert (p.id_column, p.duration_column) == ("id", "duration_sec")
    assert [d.column for d in p.demographics] == ["gender", "age_band", "frequency", "education"]
    assert p.scale == (1.0, 7.0) and p.scale_from == "labels"
    assert p.unused == []


def test_csv_without_labels(tmp_path) -> None:
    out = tmp_path / "m.toml"
    text = init_model(LOYALTY_CSV, out=out)
    inst = read_instrument(out)
    assert list(inst.construct_items)[:12] == LOYALTY_12
    assert inst.reverse_items == ["DES4", "LOY4"]
    assert (inst.scale_min, inst.scale_max) == (1, 7) and inst.scale_labels == {}
    assert all(not it.text for it in inst.items)
    assert "from the answers observed (1 to 7)" in text
    assert inst.id_column == "id"
    load(LOYALTY_CSV, inst)  # the proposed file reads the data


def test_chinese_comments_same_model(tmp_path) -> None:
    en, zh = init_model(BFI), init_model(BFI, lang="zh")
    assert "反向计分" in zh and "结构模型" in zh
    assert tomllib.loads(en) == tomllib.loads(zh)


def _survey_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    f = rng.normal(size=(120, 2))

    def item(k: int, sign: float = 1.0) -> np.ndarray:
        x = 3 + sign * f[:, k] + rng.normal(scale=0.8, size=120)
        return np.clip(np.rint(x), 1, 5)

    df = pd.DataFrame(
        {
            "RespondentID": np.arange(1, 121),
            "SAT_1": item(0),
            "SAT_2": item(0),
            "SAT_3": item(0, -1.0),
            "sat.total": item(0) * 3,  # a total score named like SAT's items
            "score": rng.normal(size=120),
            "Q1_1": item(1),
            "Q1_2": item(1),
            "Q1_3": item(1),
            "满意1": item(0),
            "满意2": item(0),
            "Q7": item(1),  # a single numbered item
            "性别": rng.integers(1, 3, size=120).astype(float),
            "comment": ["ok"] * 120,
            "用时": rng.integers(100, 900, size=120).astype(float),
        }
    )
    df.loc[3, "SAT_2"] = -99.0
    return df


def test_naming_variants_dataframe() -> None:
    p = propose_model(_survey_frame())
    assert p.construct_items == {
        "SAT": ["SAT_1", "SAT_2", "SAT_3"],
        "Q1": ["Q1_1", "Q1_2", "Q1_3"],
        "F3": ["F3_1", "F3_2"],
    }
    chinese = p.constructs[2]
    assert [it.column for it in chinese.items] == ["满意1", "满意2"] and chinese.stem == "满意"
    assert p.reverse_items == ["SAT_3"]
    assert p.id_column == "RespondentID" and p.duration_column == "用时"
    assert [d.column for d in p.demographics] == ["性别"]
    assert dict(p.unused) == {
        "sat.total": "stem",
        "score": "other",
        "Q7": "single",
        "comment": "text",
    }
    assert p.suspected_codes == {"SAT_2": [-99.0]}
    assert p.scale == (1.0, 5.0)
    text = init_model(_survey_frame(), lang="zh")
    inst_raw = tomllib.loads(text)
    f3 = inst_raw["constructs"][2]
    assert f3["name"] == {"en": "F3", "zh": "满意"}
    assert f3["items"][0] == {"code": "F3_1", "column": "满意1"}
    assert inst_raw["meta"]["missing_codes"] == [-99] and "#   Q7: " in text


def test_missing_codes_given(tmp_path) -> None:
    reputation = SURVEYS / "corporate_reputation.csv"
    assert propose_model(reputation).suspected_codes["cusl_1"] == [-99.0]
    p = propose_model(reputation, missing_codes=[-99])
    assert p.suspected_codes == {} and p.missing_codes == [-99.0]
    demo = {d.column: d for d in p.demographics}
    assert -99.0 not in demo["education"].values
    assert ("csor_global", "stem") in p.unused and ("cusa", "other") in p.unused


def test_declared_missing_codes_are_read_as_missing(tmp_path) -> None:
    """init declares the -99s it finds in [meta] missing_codes; loading the data with that
    file reads them as missing without --missing-codes (SPSS users declare them once)."""
    reputation = SURVEYS / "corporate_reputation.csv"
    model = tmp_path / "m.toml"
    init_model(reputation, out=model)
    assert read_instrument(model).missing_codes == (-99.0,)
    raw = pd.read_csv(reputation)
    survey = load(reputation, instrument=model)
    assert survey.data["cusl_1"].isna().sum() == (raw["cusl_1"] == -99).sum() > 0
    assert (survey.data.select_dtypes("number") == -99).sum().sum() == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(model.read_text(encoding="utf-8").replace(
        "missing_codes = [-99]", 'missing_codes = "-99"'), encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match="meta.missing_codes must be a list of numbers"):
        read_instrument(bad)


@pytest.mark.parametrize(
    "content, match",
    [
        (None, "file not found"),
        ("", "empty"),
        ("name,city\nAnna,Rome\nBo,Oslo\n", "no items found"),
        ("x1,y\n1,2\n3,4\n", "no items found"),
    ],
)
def test_bad_files(tmp_path, content, match) -> None:
    path = tmp_path / "survey.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        init_model(path)


def test_bad_arguments(tmp_path) -> None:
    (tmp_path / "survey.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown file type"):
        init_model(tmp_path / "survey.json")
    with pytest.raises(InputError, match="not a readable SPSS"):
        (tmp_path / "broken.sav").write_bytes(b"$FL2 not really")
        init_model(tmp_path / "broken.sav")
    with pytest.raises(InputError, match="DataFrame"):
        init_model(42)
    with pytest.raises(InputError, match="empty"):
        init_model(pd.DataFrame())
    with pytest.raises(InputError, match="unknown language"):
        init_model(BFI, lang="fr")


def test_output_rule(tmp_path) -> None:
    out = tmp_path / "m.toml"
    init_model(BFI, out=out)
    first = out.read_text(encoding="utf-8")
    assert first.startswith("# loyaltysem init, from bfi.sav")
    init_model(BFI, out=out)  # its own unedited file: replaced
    out.write_text(first + "# my note\n", encoding="utf-8")
    with pytest.raises(OutputError, match="edited since"):
        init_model(BFI, out=out)
    foreign = tmp_path / "notes.toml"
    foreign.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(OutputError, match="not written by loyaltysem"):
        init_model(BFI, out=foreign)
    assert foreign.read_text(encoding="utf-8") == "x = 1\n"
    data = tmp_path / "survey.csv"
    data.write_bytes(LOYALTY_CSV.read_bytes())
    with pytest.raises(OutputError, match="input file"):
        init_model(data, out=data)


def test_cli(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", str(BFI)]) == 0
    out = tmp_path / "bfi_model.toml"
    assert read_instrument(out).reverse_items == BFI_REVERSED
    said = capsys.readouterr().out
    assert "A1, C4, C5, E1, E2, O2, O5" in said and "gender, education, age" in said
    assert main(["init", str(BFI), "--lang", "zh", "--out", "zh.toml"]) == 0
    assert "反向计分" in (tmp_path / "zh.toml").read_text(encoding="utf-8")
    (tmp_path / "mine.toml").write_text("x = 1\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", str(BFI), "--out", "mine.toml"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not written by loyaltysem" in err
    assert main(["init", "missing.sav"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "loyaltysem init: error: missing.sav: file not found"
    assert main(["init", str(BFI), "--out", "-"]) == 0
    assert "[[constructs]]" in capsys.readouterr().out


def test_awkward_column_names_stay_valid_toml() -> None:
    rng = np.random.default_rng(3)
    f = rng.normal(size=150)

    def item() -> np.ndarray:
        return np.clip(np.rint(3 + f + rng.normal(size=150)), 1, 5)

    df = pd.DataFrame(
        {
            "A": item(),  # a column named like the construct A1, A2 would get
            "A1": item(),
            "A2": item(),
            "SAT 1": item(),
            "SAT 2": item(),
            'q"x\\1': item(),
            'q"x\\2': item(),
            "bad\x1bname": ["x"] * 150,
        }
    )
    text = init_model(df)
    raw = tomllib.loads(text)
    assert [c["code"] for c in raw["constructs"]] == ["A_F", "SAT", "F3"]
    assert raw["constructs"][1]["items"][0] == {"code": "SAT_1", "column": "SAT 1"}
    assert raw["constructs"][2]["items"][1] == {"code": "F3_2", "column": 'q"x\\2'}
    assert "\x1b" not in text and "#   bad name: text answers" in text


def test_spss_codes_kept_out_of_the_scale(tmp_path) -> None:
    """Answers 1-4 on a labelled 1-7 scale; -99 labelled "No answer" but not declared
    missing (suspected), 99 declared user-missing: the scale is the labels' 1-7."""
    import pyreadstat

    rng = np.random.default_rng(2)
    f = rng.normal(size=300)
    df = pd.DataFrame(
        {f"T{k}": np.clip(np.rint(3 + f + rng.normal(size=300)), 1, 4) for k in (1, 2, 3)}
    )
    df["sex"] = rng.integers(1, 3, size=300).astype(float)
    df.loc[5, "T1"], df.loc[6, "T2"] = -99.0, 99.0
    scale = {k: f"L{k}" for k in range(1, 8)} | {-99: "No answer"}
    path = tmp_path / "codes.sav"
    pyreadstat.write_sav(
        df,
        path,
        column_labels={"T1": "我很满意", "T2": "Item two", "T3": None, "sex": "性别"},
        variable_value_labels={"T1": scale, "T2": scale, "T3": scale, "sex": {1: "男", 2: "女"}},
        missing_ranges={"T2": [99]},
    )
    p = propose_model(path)
    assert p.scale == (1.0, 7.0) and p.scale_from == "labels" and len(p.scale_labels) == 7
    assert p.suspected_codes == {"T1": [-99.0]} and p.user_missing == {"T2": "99"}
    raw = tomllib.loads(init_model(path))
    assert raw["constructs"][0]["items"][:2] == [
        {"code": "T1", "zh": "我很满意"},
        {"code": "T2", "en": "Item two"},
    ]
    assert raw["demographics"][0]["values"] == [
        {"value": 1, "zh": "男"},
        {"value": 2, "zh": "女"},
    ]


def test_run_on_the_generated_file_writes_the_measurement_chapter(bfi_model, tmp_path) -> None:
    """`run` on the file as `init` wrote it (no structural paths yet): the measurement part
    of the chapter - screening, reliability, EFA, CFA, validity, demographics - and no
    structural tables."""
    from loyaltysem.cli import main

    model = tmp_path / "bfi_model.toml"
    model.write_text(bfi_model[0], encoding="utf-8")
    data = tmp_path / "bfi400.csv"  # 400 respondents keep the run short
    load(BFI).data.dropna().head(400).to_csv(data, index=False)
    out = tmp_path / "report"
    assert main(["run", str(data), "--model", str(model), "--out", str(out), "--lang", "en",
                 "--bootstrap", "0"]) == 0  # fmt: skip
    md = (out / "report.md").read_text(encoding="utf-8")
    for title in ("Reliability", "Total Variance Explained", "Rotated Factor Matrix",
                  "Convergent Validity", "Sample Profile"):  # fmt: skip
        assert title in md, title
    assert "Path Coefficients" not in md and "Mediation" not in md
    # the words follow the model: its fit is the measurement model's, nobody enters an SEM
    assert "Model Fit of the Measurement Model" in md and "the measurement model has" in md
    assert "The verdict refers to the measurement model" in md
    body = md.split("## References")[0]  # reference titles may say "structural equation"
    assert "structural equation model" not in body and "the structural model has" not in body
    assert "CFA and SEM" not in body and "used in the CFA (complete answers)" in body
    assert json.loads((out / "sem.json").read_text(encoding="utf-8"))["n"] == 400
