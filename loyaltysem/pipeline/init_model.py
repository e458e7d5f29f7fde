"""``loyaltysem init``: the first model file, proposed from the data file alone.

A student with a raw SPSS (or CSV, Excel, Stata, SAS) file gets a commented TOML model file in
the project's schema (``models/online_loyalty.toml``) that runs as a measurement model:

* constructs from the item names: the part before the number (SAT1..SAT4 -> SAT; SAT_1,
  sat.1 and Q1_1 -> Q1 alike), two or more rating items each, in file order; SPSS variable
  labels become the item wording, value labels the scale labels;
* the answer scale from the items' value labels, else from the answers observed;
* reverse-keyed items by psych's check.keys rule
  (:func:`loyaltysem.psychometrics.keying.check_keys`), marked ``reverse = true`` with a
  comment asking to confirm them against the questionnaire;
* demographics (a name such as gender / age / 性别 / 学历, value labels, or few categories),
  the respondent ID and the completion-time column;
* SPSS user-defined missing values, values that look like missing codes, and the columns the
  naming cannot place, as comments; a commented ``[structural]`` template.

Nothing is analysed beyond that; the file is a proposal to check against the questionnaire.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.pipeline.init_model_text import TEXT, reason_text
from loyaltysem.psychometrics.descriptives import is_continuous
from loyaltysem.psychometrics.keying import check_keys

__all__ = ["ModelProposal", "init_model", "propose_model", "render_model", "write_model"]

_NUMBERED = re.compile(r"^(?P<stem>.*?)(?P<sep>[_.\- ]?)(?P<num>\d+)$")
_ASCII_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKENS = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")

#: demographic name keywords (a word of the column name) -> (English, Chinese) name
DEMOGRAPHIC_WORDS = {
    word: names
    for names, words in {
        ("Gender", "性别"): ("gender", "sex"),
        ("Age", "年龄"): ("age",),
        ("Education", "学历"): ("education", "edu"),
        ("Income", "收入"): ("income", "salary"),
        ("Occupation", "职业"): ("occupation", "job"),
        ("Marital status", "婚姻状况"): ("marital",),
        ("Grade", "年级"): ("grade",),
        ("Major", "专业"): ("major",),
        ("Region", "地区"): ("region",),
        ("Province", "省份"): ("province",),
        ("City", "城市"): ("city",),
    }.items()
    for word in words
}
#: the same in Chinese (found anywhere in the column name)
DEMOGRAPHIC_ZH = {
    "性别": ("Gender", "性别"),
    "年龄": ("Age", "年龄"),
    "学历": ("Education", "学历"),
    "教育": ("Education", "受教育程度"),
    "收入": ("Income", "收入"),
    "职业": ("Occupation", "职业"),
    "婚姻": ("Marital status", "婚姻状况"),
    "年级": ("Grade", "年级"),
    "专业": ("Major", "专业"),
    "地区": ("Region", "地区"),
    "城市": ("City", "城市"),
}
_ID_NAMES = {"id", "respondent", "respondentid", "respid", "responseid", "caseid", "case"}
_ID_ZH = ("编号", "序号", "答卷编号")
_DURATION_WORDS = {"duration", "seconds", "secs", "timetaken"}
_DURATION_ZH = ("所用时间", "用时", "时长", "答题时间")
_FEW = 6  # at most this many categories make an unlabelled column a demographic


@dataclass
class ProposedItem:
    column: str
    code: str
    text: str | None = None
    reverse: bool = False


@dataclass
class ProposedConstruct:
    code: str
    stem: str
    items: list[ProposedItem]


@dataclass
class ProposedDemographic:
    column: str
    name: dict[str, str]
    values: dict[float, str]
    why: str  # "name", "labels" or "few"
    text: bool = False  # answers are text
    #: distinct answers of a continuous demographic (psychometrics.descriptives.is_continuous:
    #: age in years), 0 for a categorical one
    continuous: int = 0


@dataclass
class ModelProposal:
    """What ``init`` read from the data: the content of the model file it writes."""

    source: str
    n_rows: int
    constructs: list[ProposedConstruct]
    scale: tuple[float, float]
    scale_labels: dict[float, str]
    scale_from: str  # "labels" or "answers"
    demographics: list[ProposedDemographic] = field(default_factory=list)
    id_column: str | None = None
    duration_column: str | None = None
    user_missing: dict[str, str] = field(default_factory=dict)  # column -> codes as text
    suspected_codes: dict[str, list[float]] = field(default_factory=dict)
    missing_codes: list[float] = field(default_factory=list)
    unused: list[tuple[str, str]] = field(default_factory=list)  # (column, reason key)
    scale_notes: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def construct_items(self) -> dict[str, list[str]]:
        return {c.code: [it.code for it in c.items] for c in self.constructs}

    @property
    def reverse_items(self) -> list[str]:
        return [it.code for c in self.constructs for it in c.items if it.reverse]


# ----------------------------------------------------------------------------- reading


def _read(data, encoding, sheet) -> tuple[pd.DataFrame, dict, str]:
    from loyaltysem.survey.cleaning import normalize_frame
    from loyaltysem.survey.loaders import read_table

    if isinstance(data, pd.DataFrame):
        if data.shape[1] == 0 or data.shape[0] == 0:
            raise InputError("the DataFrame is empty")
        if len(set(map(str, data.columns))) != data.shape[1]:
            raise InputError("the DataFrame has duplicate column names")
        log: list[str] = []
        df, _ = normalize_frame(data.copy(), "DataFrame", log, _IdColumns())
        meta = {"variable_labels": {}, "value_labels": {}, "missing_ranges": {}}
        return df, meta, "DataFrame"
    if not isinstance(data, str | Path):
        raise InputError(f"init takes a data file or a DataFrame, not {type(data).__name__}")
    df, meta = read_table(data, encoding=encoding, sheet=sheet, text_columns=_IdColumns())
    return df, meta, Path(data).name


def _missing_text(ranges: list, labels: dict) -> str:
    """SPSS user-missing ranges as text: '9 ("No answer")', '-99 to -97'."""
    parts = []
    for r in ranges or []:
        lo, hi = r.get("lo"), r.get("hi")
        if isinstance(lo, int | float) and isinstance(hi, int | float):
            text = f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g}"
            label = labels.get(float(lo)) if lo == hi else None
            parts.append(f"{text} ({json.dumps(label, ensure_ascii=False)})" if label else text)
        else:
            parts.append(json.dumps(str(lo), ensure_ascii=False))
    return ", ".join(parts)


def _in_ranges(code: float, ranges: list) -> bool:
    for r in ranges or []:
        lo, hi = r.get("lo"), r.get("hi")
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo <= code <= hi:
            return True
    return False


# ------------------------------------------------------------------------ classification


def _kind(s: pd.Series) -> tuple[str, list[float]]:
    """'rating' (whole numbers on a scale of at most 11 points, with the values that lie far
    outside it as suspected missing codes), 'text', 'numeric' (other numbers), 'constant' or
    'empty'."""
    from loyaltysem.survey.answers import rating_core as _rating_core

    if s.notna().sum() == 0:
        return "empty", []
    if not pd.api.types.is_numeric_dtype(s):
        return "text", []
    v = s.to_numpy(dtype=float)
    v = v[~np.isnan(v)]
    if np.unique(v).size < 2:
        return "constant", []
    core = _rating_core(v)
    if core is None:
        return "numeric", []
    outside = (v < core[0]) | (v > core[1])
    if outside.mean() > 0.05:
        return "numeric", []
    if np.unique(v[~outside]).size < 2:
        return "constant", []
    return "rating", sorted(float(x) for x in np.unique(v[outside]))


def _words(name: str) -> list[str]:
    return [w.lower() for w in _TOKENS.split(name) if w]


def _demographic_name(column: str) -> tuple[str, str] | None:
    words = _words(column)
    for w in words:
        if w in DEMOGRAPHIC_WORDS:
            return DEMOGRAPHIC_WORDS[w]
    joined = "".join(words)
    for key in ("agegroup", "ageband", "agerange"):
        if joined.startswith(key):
            return DEMOGRAPHIC_WORDS["age"]
    for key, names in DEMOGRAPHIC_ZH.items():
        if key in column:
            return names
    return None


def _id_named(column: str) -> bool:
    """Named as a respondent ID: id, respondent_id, RespID, 编号, ..."""
    words = _words(str(column))
    return (
        "".join(words) in _ID_NAMES or words[-1:] == ["id"] or any(k in str(column) for k in _ID_ZH)
    )


class _IdColumns:
    """The columns named as IDs, as the loader's ``text_columns``: they keep their text as
    read, so "00001" and "1" stay two respondents instead of both becoming 1."""

    def __contains__(self, column: object) -> bool:
        return _id_named(str(column))


def _is_id(column: str, s: pd.Series) -> bool:
    """A respondent ID: named so (id, respondent_id, RespID, 编号, ...) with unique values."""
    return _id_named(column) and bool(s.notna().all()) and not s.duplicated().any()


def _is_duration(column: str, s: pd.Series) -> bool:
    words = set(_words(column)) | {"".join(_words(column))}
    named = bool(words & _DURATION_WORDS) or any(k in column for k in _DURATION_ZH)
    return named and pd.api.types.is_numeric_dtype(s)


def _split(column: str) -> tuple[str, str] | None:
    """(stem, number) of a numbered item name, or None."""
    m = _NUMBERED.match(column)
    if not m or not m.group("stem") or not re.search(r"[^\W\d_]", m.group("stem")):
        return None
    return m.group("stem"), m.group("num")


# ----------------------------------------------------------------------------- proposal


def _groups(df: pd.DataFrame, skip: set[str], kinds: dict) -> tuple[dict, list]:
    """Numbered rating columns grouped by stem (file order); the numbered columns left over."""
    groups: dict[str, list[tuple[str, str]]] = {}
    unused: list[tuple[str, str]] = []
    for col in df.columns:
        parts = _split(col) if col not in skip else None
        if parts is None:
            continue
        if _demographic_name(col) is not None and kinds[col][0] != "rating":
            continue
        groups.setdefault(parts[0], []).append((col, parts[1]))
    kept: dict[str, list[tuple[str, str]]] = {}
    for stem, cols in groups.items():
        rating = [(c, n) for c, n in cols if kinds[c][0] == "rating"]
        for c, _ in cols:
            if kinds[c][0] != "rating":
                unused.append((c, kinds[c][0]))
        if len(rating) >= 2:
            kept[stem] = rating
        else:
            unused += [(c, "single") for c, _ in rating]
    return kept, unused


def _constructs(groups: dict, columns: list[str], labels: dict) -> list[ProposedConstruct]:
    taken = set(columns)
    out = []
    for k, (stem, cols) in enumerate(groups.items(), start=1):
        code = stem if _ASCII_IDENT.match(stem) else f"F{k}"
        while code in taken:
            code += "_F"
        taken.add(code)
        items = []
        for col, num in cols:
            icode = col if _ASCII_IDENT.match(col) else f"{code}_{num}"
            while icode != col and icode in taken:
                icode += "_"
            taken.add(icode)
            items.append(ProposedItem(col, icode, labels.get(col)))
        out.append(ProposedConstruct(code, stem, items))
    return out


def _scale(df, constructs, value_labels, ranges, suspected) -> tuple[tuple, dict, str, list]:
    """The answer scale: the items' most common value-label set (without missing codes,
    declared, suspected in any item, or labelled far from the other labels) widened to the
    answers observed, else the answers observed; and the constructs whose answers span a
    narrower range."""
    from loyaltysem.survey.answers import rating_core as _rating_core

    cols = [it.column for c in constructs for it in c.items]
    values = df[cols].to_numpy(dtype=float)
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    codes = {v for vs in suspected.values() for v in vs}
    sets: Counter = Counter()
    for col in cols:
        labs = {
            float(k): str(v)
            for k, v in value_labels.get(col, {}).items()
            if not _in_ranges(k, ranges.get(col)) and float(k) not in codes
        }
        if labs and max(labs) - min(labs) > 10:  # e.g. -99 "no answer" beside 1..7
            core = _rating_core(np.array(list(labs)))
            labs = {k: v for k, v in labs.items() if core and core[0] <= k <= core[1]}
        if labs:
            sets[tuple(sorted(labs.items()))] += 1
    labels: dict[float, str] = {}
    source = "answers"
    if sets:
        best = dict(sets.most_common(1)[0][0])
        if max(best) - min(best) <= 10:
            labels, source = best, "labels"
            lo, hi = min(lo, min(best)), max(hi, max(best))
    notes = []
    for c in constructs:
        block = df[[it.column for it in c.items]].to_numpy(dtype=float)
        clo, chi = float(np.nanmin(block)), float(np.nanmax(block))
        if (hi - lo) - (chi - clo) >= 2:
            notes.append((c.code, clo, chi))
    return (lo, hi), labels, source, notes


def _demographic(col: str, s: pd.Series, codes: list[float], meta: dict, ranges: dict):
    """A ProposedDemographic for a column recognised by its name, its value labels or its
    few categories (2 to 6 whole numbers; ``codes``, suspected missing codes, left out);
    None otherwise."""
    labs = {
        float(k): str(v)
        for k, v in meta["value_labels"].get(col, {}).items()
        if not _in_ranges(k, ranges.get(col)) and float(k) not in codes
    }
    named = _demographic_name(col)
    label = meta["variable_labels"].get(col)
    numeric = pd.api.types.is_numeric_dtype(s)
    answers = s[~s.isin(codes)].dropna() if numeric else s.dropna()
    whole = numeric and bool((answers == np.round(answers)).all())
    few = whole and 2 <= answers.nunique() <= _FEW
    if named:
        why = "name"
    elif labs and numeric:
        why = "labels"
    elif few:
        why = "few"
    else:
        return None
    en, zh = named or (col, None)
    if label:
        en, zh = (en, _one_line(label)) if _CJK.search(label) else (_one_line(label), zh)
    zh = zh or en  # no Chinese name known: the English one until the student writes it
    values = labs
    if not values and few:
        values = {float(v): f"{v:g}" for v in sorted(answers.unique())}
    k = int(answers.nunique()) if is_continuous(answers, values) else 0
    return ProposedDemographic(col, {"en": en, "zh": zh}, values, why, text=not numeric,
                               continuous=k)  # fmt: skip


def _stem_of(col: str, stems: set[str]) -> str | None:
    """The construct stem a column is named after without being a numbered item of it
    (csor_global beside csor_1..csor_5, or a total score named SAT or sat.total; any case)."""
    low = col.lower()
    for stem in stems:
        if low == stem.lower() or (low.startswith(stem.lower()) and low[len(stem)] in "_.-"):
            return stem
    return None


def _other_columns(df, used, kinds, meta, ranges, stems) -> tuple[list, list, dict]:
    """Demographics, unused columns (column, reason) and suspected missing codes of the
    columns that are neither items nor ID nor completion time."""
    demographics, unused, suspected = [], [], {}
    for col in df.columns:
        if col in used:
            continue
        kind, codes = kinds[col]
        d = None
        if _demographic_name(col) is not None or _stem_of(col, stems) is None:
            d = _demographic(col, df[col], codes, meta, ranges)
        if d is not None:
            demographics.append(d)
            if codes:
                suspected[col] = codes
        elif _stem_of(col, stems) is not None:
            unused.append((col, "stem"))
        else:
            unused.append((col, "other" if kind in ("rating", "numeric") else kind))
    return demographics, unused, suspected


def propose_model(
    data,
    *,
    missing_codes=None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> ModelProposal:
    """Read ``data`` (a data file in any format the loader reads, or a DataFrame) and propose
    a model: constructs from the item names, the answer scale, reverse-keyed items by psych's
    check.keys rule, demographics, ID and completion-time columns, missing-value codes and
    the columns left unused (see the module docstring).

    Example:
        >>> p = propose_model("tests/data/surveys/bfi.sav")
        >>> list(p.construct_items), p.reverse_items[:3]
        (['A', 'C', 'E', 'N', 'O'], ['A1', 'C4', 'C5'])
    """
    df, meta, source = _read(data, encoding, sheet)
    codes = [float(c) for c in (missing_codes or [])]
    if codes:
        for col in df.columns:
            if pd.api.types.is_numeric_dtype(df[col]):
                df[col] = df[col].where(~df[col].isin(codes))
    ranges = meta.get("missing_ranges") or {}
    kinds = {col: _kind(df[col]) for col in df.columns}
    id_col = next((c for c in df.columns if _is_id(c, df[c])), None)
    dur_col = next((c for c in df.columns if c != id_col and _is_duration(c, df[c])), None)
    skip = {c for c in (id_col, dur_col) if c}
    groups, unused = _groups(df, skip, kinds)
    if not groups:
        raise InputError(
            "no items found: init groups columns named by a construct code and a number "
            "(SAT1 SAT2 ..., SAT_1, sat.1, Q1_1), two or more rating items per construct",
            file=None if source == "DataFrame" else str(data),
        )
    constructs = _constructs(groups, list(df.columns), meta["variable_labels"])
    suspected = {
        it.column: kinds[it.column][1] for c in constructs for it in c.items if kinds[it.column][1]
    }
    work = df.copy()
    for col, bad in suspected.items():
        work[col] = work[col].where(~work[col].isin(bad))
    scale, labels, scale_from, notes = _scale(
        work, constructs, meta["value_labels"], ranges, suspected
    )
    rename = {it.column: it.code for c in constructs for it in c.items}
    keys = check_keys(
        work.rename(columns=rename), {c.code: [i.code for i in c.items] for c in constructs}
    )
    for c in constructs:
        for it in c.items:
            it.reverse = it.code in keys[c.code]
    used = skip | set(rename) | {c for c, _ in unused}
    demographics, others, more_codes = _other_columns(
        df, used, kinds, meta, ranges, {c.stem for c in constructs}
    )
    unused += others
    order = {c: k for k, c in enumerate(df.columns)}
    return ModelProposal(
        source=source,
        n_rows=len(df),
        constructs=constructs,
        scale=scale,
        scale_labels=labels,
        scale_from=scale_from,
        demographics=demographics,
        id_column=id_col,
        duration_column=dur_col,
        user_missing={
            c: _missing_text(r, meta["value_labels"].get(c, {}))
            for c, r in ranges.items()
            if c in df.columns and r
        },
        suspected_codes=suspected | more_codes,
        missing_codes=codes,
        unused=sorted(unused, key=lambda u: order[u[0]]),
        scale_notes=notes,
    )


# ----------------------------------------------------------------------------- writing


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL escaped too)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(text: str) -> str:
    """One line without control characters (a TOML comment allows none but tab)."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _texts(text: str | None) -> str:
    """``, en = "..."`` (or zh for Chinese text) for an item's or label's wording."""
    if not text or not _one_line(text):
        return ""
    key = "zh" if _CJK.search(text) else "en"
    return f", {key} = {_q(_one_line(text))}"


#: the Chinese of common English value labels of demographics (the zh chapter's profile)
LABELS_ZH = {
    **dict.fromkeys(("male", "males", "man", "men"), "男"),
    **dict.fromkeys(("female", "females", "woman", "women"), "女"),
    "other": "其他",
    "yes": "是",
    "no": "否",
}


def _labels(values: dict[float, str], key: str, translate: bool = False) -> list[str]:
    lines = [f"{key} = ["]
    for v, t in values.items():
        zh = LABELS_ZH.get(_one_line(t).lower()) if translate and t else None
        both = f", zh = {_q(zh)}" if zh and not _CJK.search(t) else ""
        lines.append(f"  {{ value = {_num(v)}{_texts(t)}{both} }},")
    return lines + ["]"]


def _comment_lines(p: ModelProposal, t: dict, lang: str) -> list[str]:
    out: list[str] = []
    if p.unused:
        out += [t["unused"].format(n=len(p.unused))]
        out += [f"#   {_one_line(c)}: {reason_text(r, lang)}" for c, r in p.unused]
        out.append("")
    if p.user_missing:
        out.append(t["user_missing"])
        out += [f"#   {_one_line(c)}: {_one_line(v)}" for c, v in p.user_missing.items()]
        out += [t["user_missing_tail"], ""]
    if p.suspected_codes:
        allc = sorted({v for vs in p.suspected_codes.values() for v in vs})
        out.append(t["suspected"])
        out += [f"#   {c}: {', '.join(_num(v) for v in vs)}" for c, vs in p.suspected_codes.items()]
        out += [t["suspected_tail"].format(codes=",".join(_num(v) for v in allc)), ""]
    if p.missing_codes:
        codes = ",".join(_num(v) for v in p.missing_codes)
        out += [t["given_codes"].format(codes=codes), ""]
    return out


def _meta_lines(p: ModelProposal, t: dict) -> list[str]:
    stem = Path(p.source).stem if p.source != "DataFrame" else "survey"
    out = [t["meta"], "[meta]", f"name = {{ en = {_q(stem)}, zh = {_q(stem)} }}"]
    if p.id_column:
        out.append(f"id_column = {_q(p.id_column)}  # {t['id_column']}")
    if p.duration_column:
        out.append(f"duration_column = {_q(p.duration_column)}  # {t['duration_column']}")
    codes = sorted({*p.missing_codes, *(v for vs in p.suspected_codes.values() for v in vs)})
    if codes:
        listed = ", ".join(_num(v) for v in codes)
        out.append(f"missing_codes = [{listed}]  # {t['missing_codes']}")
    return out + [""]


def _scale_lines(p: ModelProposal, t: dict) -> list[str]:
    lo, hi = p.scale
    head = t["scale_labels"] if p.scale_from == "labels" else t["scale_answers"]
    out = [head.format(lo=lo, hi=hi)]
    out += [t["scale_note"].format(code=c, lo=a, hi=b) for c, a, b in p.scale_notes]
    out += ["[scale]", f"min = {_num(lo)}", f"max = {_num(hi)}"]
    if p.scale_labels:
        out += _labels(p.scale_labels, "labels")
    return out + [""]


def _construct_lines(c: ProposedConstruct, t: dict) -> list[str]:
    first, last = c.items[0].code, c.items[-1].code
    out = [t["construct"].format(code=c.code, n=len(c.items), first=first, last=last)]
    reversed_ = [it.code for it in c.items if it.reverse]
    if reversed_:
        out.append(t["reverse"].format(items=", ".join(reversed_)))
    zh = c.stem if _CJK.search(c.stem) else c.code
    out += [
        "[[constructs]]",
        f"code = {_q(c.code)}",
        f"name = {{ en = {_q(c.code)}, zh = {_q(zh)} }}",
    ]
    out.append("items = [")
    for it in c.items:
        column = f", column = {_q(it.column)}" if it.column != it.code else ""
        entry = f"  {{ code = {_q(it.code)}{column}{_texts(it.text)}"
        if it.reverse:
            out.append(f"{entry}, reverse = true }},  # {t['reverse_item']}")
        else:
            out.append(f"{entry} }},")
    return out + ["]", ""]


def _untranslated(label: str | None) -> bool:
    """An English value label init has no Chinese for (the zh chapter would show it)."""
    text = _one_line(label or "")
    return bool(text) and not _CJK.search(text) and text.lower() not in LABELS_ZH


def _demographic_lines(d: ProposedDemographic, t: dict) -> list[str]:
    why = t[f"demographic_{d.why}"].format(code=_one_line(d.column), n=len(d.values))
    out = [why] + ([t["demographic_text"]] if d.text else [])
    if d.continuous:
        out += t["demographic_continuous"].format(n=d.continuous).splitlines()
    if d.values and all(text == f"{v:g}" for v, text in d.values.items()):
        out.append(t["demographic_unnamed"])
    elif any(_untranslated(text) for text in d.values.values()):
        out.append(t["demographic_add_zh"])
    name = f"{{ en = {_q(_one_line(d.name['en']))}, zh = {_q(_one_line(d.name['zh']))} }}"
    out += ["[[demographics]]", f"code = {_q(d.column)}", f"name = {name}"]
    if d.values:
        out += _labels(d.values, "values", translate=True)
    return out + [""]


def _template(p: ModelProposal, t: dict) -> list[str]:
    codes = [c.code for c in p.constructs]
    if len(codes) >= 2:
        y, x = codes[1], codes[0]
        rhs = " + ".join([x] + codes[2:3])
    else:
        y, x, rhs = "Y", "X", "X"
    return t["template"].format(syntax=f"{y} ~ {rhs}", path=f"{y} ~ {x}", x=x, y=y).splitlines()


def render_model(p: ModelProposal, lang: str = "en") -> str:
    """The commented TOML model file of a proposal (comments in ``lang``: en or zh). The text
    is checked against the model-file schema before it is returned.

    Example:
        >>> text = render_model(propose_model("tests/data/surveys/bfi.sav"))
        >>> 'code = "A1"' in text and "reverse = true" in text
        True
    """
    from loyaltysem.survey.schema import validate_model_toml

    if lang not in TEXT:
        raise InputError(f"unknown language '{lang}': use en or zh")
    t = TEXT[lang]
    n_items = sum(len(c.items) for c in p.constructs)
    lines = (
        t["header"]
        .format(
            source=_one_line(p.source),
            n_rows=p.n_rows,
            n_constructs=len(p.constructs),
            n_items=n_items,
        )
        .splitlines()
    )
    lines.append("")
    if p.reverse_items:
        lines += t["reverse_rule"].splitlines() + [""]
    lines += _comment_lines(p, t, lang)
    lines += _meta_lines(p, t) + _scale_lines(p, t)
    for c in p.constructs:
        lines += _construct_lines(c, t)
    for d in p.demographics:
        lines += _demographic_lines(d, t)
    lines += _template(p, t)
    text = "\n".join(lines) + "\n"
    validate_model_toml(tomllib.loads(text), text, "init")
    return text


def write_model(text: str, out: str | Path, source: str, inputs: tuple = (), lang: str = "en"):
    """Write a model file from :func:`render_model` to ``out`` (``-``: standard output) by
    the output-file rule of :mod:`loyaltysem.base.fileio`: a new file, or one init wrote and
    nobody edited since; never an input file or any other file (OutputError).

    Example:
        >>> write_model(text, "bfi_model.toml", "bfi.sav")  # doctest: +SKIP
    """
    from loyaltysem.base.fileio import write_stamped_text

    stamp = TEXT.get(lang, TEXT["en"])["stamp"].format(source=_one_line(source))
    write_stamped_text(out, text, stamp, inputs=inputs)


def init_model(
    data,
    lang: str = "en",
    out: str | Path | None = None,
    *,
    missing_codes=None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> str:
    """The model file proposed for ``data`` (a data file or a DataFrame) as TOML text, with
    comments in ``lang`` (en or zh); written to ``out`` too when given (see
    :func:`write_model`: never over an input file, nor over a file init did not write or
    that was edited since). What it proposes: :func:`propose_model`.

    Example:
        >>> text = init_model("tests/data/surveys/bfi.sav", lang="zh")
        >>> "[[constructs]]" in text and "反向计分" in text
        True
    """
    if lang not in TEXT:
        raise InputError(f"unknown language '{lang}': use en or zh")
    inputs = (str(data),) if isinstance(data, str | Path) else ()
    if out is not None:
        from loyaltysem.base.fileio import check_output_file, is_unedited_stamped

        check_output_file(out, inputs, is_ours=is_unedited_stamped)
    proposal = propose_model(data, missing_codes=missing_codes, encoding=encoding, sheet=sheet)
    text = render_model(proposal, lang)
    if out is not None:
        write_model(text, out, proposal.source, inputs, lang)
    return text
