"""The catalogue is data (report/i18n/en.toml, zh.toml) and warnings are Notices with codes
(base/notice.py): both languages have the same keys, placeholders and citations; every code a
module emits is translated with the fields it gives; no module below the report holds words
of the report in Chinese."""

from __future__ import annotations

import ast
import copy
import pickle
import re
import string
import tomllib
import warnings
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from loyaltysem.base.notice import Notice, from_warning, prefixed
from loyaltysem.report.i18n import LANGS, catalogue, t, warning_text
from loyaltysem.report.references import SOURCES

PACKAGE = Path(__file__).resolve().parents[1] / "loyaltysem"
CITATION = re.compile(r"\[\[([^\[\]]+)\]\]")
FORMATTER = string.Formatter()

# Differences between the languages that the texts have on purpose (or had when the catalogue
# became data: the values were moved byte for byte): key -> why.
KNOWN_DIFFERENCES = {
    "mod.level_col": "the Chinese column header is 水平 (level), the English one the moderator",
    "note.mediation": "the Chinese note cites no [[efron1993]]",
    "note.screening.pls": "the Chinese note also cites [[hair2022]]",
}


def _placeholders(text: str) -> list[tuple[str, str]]:
    """(name, format spec) of every ``{field}``."""
    return sorted((name, spec) for _, name, spec, _ in FORMATTER.parse(text) if name is not None)


def _citations(text: str) -> Counter:
    return Counter(CITATION.findall(text))


def _tables(lang: str) -> dict:
    return tomllib.loads(
        files("loyaltysem.report.i18n").joinpath(f"{lang}.toml").read_text("utf-8")
    )


# ------------------------------------------------------------------------------ the catalogue
def test_both_languages_have_exactly_the_same_keys():
    en, zh = _tables("en"), _tables("zh")
    assert list(en) == list(zh)  # the same tables, in the same order
    for table in en:
        assert set(en[table]) == set(zh[table]), table
        assert all(isinstance(v, str) and v for v in en[table].values()), table
        assert all(isinstance(v, str) and v for v in zh[table].values()), table
    cat = catalogue()
    assert len(cat) > 600 and all(set(v) == set(LANGS) for v in cat.values())


def test_placeholders_are_the_same_in_both_languages():
    differ = {
        key
        for key, text in catalogue().items()
        if _placeholders(text["en"]) != _placeholders(text["zh"])
    }
    assert differ <= set(KNOWN_DIFFERENCES), differ - set(KNOWN_DIFFERENCES)


def test_citations_are_the_same_in_both_languages_and_exist():
    """The Chinese text may add Chinese-language sources (``Source.zh``); nothing else
    differs, apart from the known differences."""
    differ = set()
    for key, text in catalogue().items():
        en, zh = _citations(text["en"]), _citations(text["zh"])
        for cited in en | zh:
            assert cited in SOURCES, f"{key} cites [[{cited}]], not in report/references.py"
        extra_zh = {k for k in zh - en if not SOURCES[k].zh}
        if en - zh or extra_zh:
            differ.add(key)
    assert differ <= set(KNOWN_DIFFERENCES), differ - set(KNOWN_DIFFERENCES)


def test_the_known_differences_are_still_there():
    """A key fixed in both languages leaves the list (so the list does not hide new ones)."""
    cat = catalogue()
    for key in KNOWN_DIFFERENCES:
        en, zh = cat[key]["en"], cat[key]["zh"]
        zh_only = {k for k in _citations(zh) - _citations(en) if not SOURCES[k].zh}
        assert (
            _placeholders(en) != _placeholders(zh) or _citations(en) - _citations(zh) or zh_only
        ), key


def test_t_fills_fields_and_falls_back_to_english():
    assert t("n_note", "zh", n=12) == "N = 12。"
    assert t("title.fit", "fr") == t("title.fit", "en")
    with pytest.raises(KeyError):
        t("no.such.key", "en")


# ------------------------------------------------------------------------------ warnings
def _notice_calls() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, keyword names or None with **fields) of every ``Notice(...)``."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Notice"):
                continue
            first = node.args[0] if node.args else None
            if rel == "base/notice.py":  # the class itself re-makes Notices from their code
                continue
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{rel}:{node.lineno}: give the code as a literal (Notice('area.what', ...))"
            )
            names = {k.arg for k in node.keywords}
            out.append((rel, node.lineno, first.value, None if None in names else names))
    return out


def test_every_emitted_code_is_translated_with_the_fields_it_gives():
    calls = _notice_calls()
    assert len({code for _, _, code, _ in calls}) >= 40
    cat = catalogue()
    for rel, line, code, names in calls:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+", code), f"{rel}:{line}: code {code!r}"
        key = f"warn.{code}"
        assert key in cat, f"{rel}:{line}: {code} has no [warn] entry in en.toml / zh.toml"
        if names is None:
            continue
        for lang in LANGS:
            wanted = {name for name, _ in _placeholders(cat[key][lang])}
            assert wanted <= names, f"{rel}:{line}: {code} ({lang}) needs {wanted - names}"


# codes whose entry is ready for a warning still made as a plain string in pipeline/analysis.py
# (the report shows those as today until they become Notices): code -> where
PENDING: dict[str, str] = {}


def test_every_warn_entry_is_emitted_somewhere():
    emitted = {code for _, _, code, _ in _notice_calls()}
    entries = {k.removeprefix("warn.") for k in catalogue() if k.startswith("warn.")}
    assert entries == emitted | set(PENDING)
    assert not emitted & set(PENDING), "emitted now: take it off PENDING"


def test_every_warn_entry_renders():
    """Format specs and fields fit: each entry filled with numbers renders in both languages."""
    for key, text in catalogue().items():
        if not key.startswith("warn."):
            continue
        fields = {name: 1.5 for name, _ in _placeholders(text["en"])}
        notice = Notice(key.removeprefix("warn."), "an English line", **fields)
        for lang in LANGS:
            out = warning_text(notice, lang)
            assert "{" not in out and out.strip(), (key, lang, out)
        assert warning_text(notice, "en")[:1] == warning_text(notice, "en")[:1].upper()


def test_warning_text_by_code_not_by_wording():
    w = Notice("boot.not_converged", "reworded: three draws failed", k=3, n=50)
    assert warning_text(w, "zh") == "50次Bootstrap抽样中有3次未收敛，已排除。"
    assert warning_text(w, "en") == "Of 50 bootstrap draws, 3 did not converge and were left out."
    # a prefix (the model a warning came from) keeps the code
    p = prefixed("ulmc", w)
    assert str(p) == "ulmc: reworded: three draws failed" and warning_text(p, "zh") == (
        warning_text(w, "zh")
    )
    # a plain string, or a code without an entry: English as it is, Chinese points to the
    # console
    unfit = Notice("sem.heywood", "Heywood case without its fields")
    for plain in (
        "mediation table not computed: no paths",
        Notice("x.unknown", "odd thing"),
        unfit,
    ):
        assert warning_text(plain, "en") == plain[:1].upper() + plain[1:] + "."
        assert warning_text(plain, "zh") == t("warning_other", "zh")


def test_a_notice_is_its_english_text():
    w = Notice("sem.heywood", "Heywood case: x", var="x", value=-0.1, group=None)
    assert w == "Heywood case: x" and "Heywood" in w and hash(w) == hash("Heywood case: x")
    assert str(w) == w.text == "Heywood case: x" and type(str(w)) is str
    for clone in (pickle.loads(pickle.dumps(w)), copy.deepcopy(w)):
        assert clone.code == w.code and dict(clone.fields) == dict(w.fields)
    with pytest.raises(AttributeError):
        w.code = "other"
    with pytest.raises(TypeError):
        w.fields["var"] = "y"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(w, UserWarning, stacklevel=1)
    assert from_warning(caught[0]).code == "sem.heywood"
    assert str(caught[0].message) == "Heywood case: x"


# ------------------------------------------------------------------------------ no Chinese below
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

# The rule: outside loyaltysem/report/ a string literal holds no Chinese (CJK) text, because
# the words the report and the console show in Chinese live in report/i18n/zh.toml. Not
# counted: docstrings and other bare string statements (documentation may name a Chinese
# term), and comments. Allowed on purpose, file -> the literals (None: every literal):
CJK_ALLOWED: dict[str, set[str] | None] = {
    # the init-model comments (to move to the catalogue when pipeline/ settles)
    "pipeline/init_model_text.py": None,
    # input, not output: the Chinese column labels `init` recognises in users' files
    "pipeline/init_model.py": None,
    # input: what Chinese survey platforms export for a skipped or empty answer
    "survey/cleaning.py": {"(跳过)", "(空)"},
    # a bibliographic record: the authors' names as published
    "psychometrics/efa.py": {"Podsakoff, MacKenzie, Lee & Podsakoff (2003); 周浩 & 龙立荣 (2004)"},
    # the bundled example's bilingual codebook (data about the example data)
    "examples.py": {
        "| column | construct | wording (en) | 中文 | coding |",
        "| id | - | Respondent ID | 编号 | 1..N |",
        "| duration_sec | - | Completion time (seconds) | 答题时长（秒） | seconds |",
    },
    # help text showing the Chinese caption the option numbers
    "cli/run.py": {"chapter number of the report's captions and headings (default 4: 表4-1)"},
}


def _data_literals(tree: ast.AST) -> list[ast.Constant]:
    docs = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_chinese_string_literals_below_the_report():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("report/"):
            continue
        allowed = CJK_ALLOWED.get(rel, set())
        if allowed is None:
            continue
        for node in _data_literals(ast.parse(path.read_text(encoding="utf-8"))):
            if CJK.search(node.value) and node.value not in allowed:
                found.append(f"{rel}:{node.lineno}: {node.value[:50]!r}")
    assert not found, "Chinese words belong in report/i18n/zh.toml:\n" + "\n".join(found)
