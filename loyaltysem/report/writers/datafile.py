"""The data files (CSV) of a chapter in its language: the English files keep the analysis'
column names (for scripts); the Chinese ones carry Chinese headers (catalogue ``[csv]``) and
Chinese labels (the model's names of constructs, demographics and categories, and the
catalogue's words for verdicts and effect kinds). Numbers are never touched.
"""

from __future__ import annotations

import re

import pandas as pd

from loyaltysem.report.i18n import catalogue, has, t

_SUFFIX = re.compile(r"^(?P<base>.+?)\.(?P<tag>\d+(?:\.\d+)?)$")  # mean.1, est.2.0
_CODE_KEYS = ("med.label.{}", "med.{}", "row.{}", "step.{}", "cmb.model.{}", "vs.{}")


def header(name, lang: str) -> str:
    """A column name of a data file in ``lang``: ``csv.<name>``, a numbered column ("mean.2",
    "est.1.0") as its name with the number, a compound ("welch_df1") from its parts.

    Example:
        >>> header("ci.lower", "zh"), header("mean.2", "zh"), header("ci.lower", "en")
        ('置信区间下限', '均值（2）', 'ci.lower')
    """
    text = str(name)
    if lang == "en" or not text:
        return text
    if has(f"csv.{text}"):
        return t(f"csv.{text}", lang)
    m = _SUFFIX.match(text)
    if m and has(f"csv.{m['base']}"):
        return f"{t('csv.' + m['base'], lang)}（{m['tag']}）"
    parts = re.split(r"[._]", text)
    if len(parts) > 1 and all(has(f"csv.{p}") or not p.isalpha() for p in parts):
        return "".join(t(f"csv.{p}", lang) if has(f"csv.{p}") else p for p in parts)
    return text


def _labels(instrument) -> dict[str, str]:
    """English -> Chinese names the model file gives (constructs, moderators, demographics
    and their categories)."""
    out: dict[str, str] = {}

    def add(names) -> None:
        if isinstance(names, dict) and names.get("en") and names.get("zh"):
            out[str(names["en"])] = str(names["zh"])

    if instrument is None:
        return out
    for group in ("constructs", "higher_order", "moderators", "demographics"):
        for obj in getattr(instrument, group, None) or []:
            add(getattr(obj, "name", None))
            for names in (getattr(obj, "values", None) or {}).values():
                add(names)
    for names in (getattr(instrument, "scale_labels", None) or {}).values():
        add(names)
    return out


def _words() -> dict[str, str]:
    """English -> Chinese of the catalogue's short texts (no fields to fill in)."""
    out = {}
    for entry in catalogue().values():
        en, zh = entry.get("en"), entry.get("zh")
        if en and zh and "{" not in en and "[[" not in en and len(en) < 80:
            out.setdefault(en, zh)
    return out


def localise(raw: pd.DataFrame, lang: str, instrument=None) -> pd.DataFrame:
    """``raw`` with headers and text labels in ``lang`` (unchanged in English)."""
    if lang == "en":
        return raw
    words = _words() | _labels(instrument)

    def cell(v):
        if not isinstance(v, str):
            return v
        if v in words:
            return words[v]
        for key in _CODE_KEYS:
            k = key.format(v.replace(" ", "_"))
            if has(k) and "{" not in t(k, "en"):
                return t(k, lang)
        return v

    out = raw.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(cell)
    heads = [header(c, lang) for c in out.columns]
    seen = {h for h in heads if heads.count(h) > 1}
    out.columns = [f"{h}（{c}）" if h in seen else h for h, c in zip(heads, raw.columns,
                                                                  strict=True)]  # fmt: skip
    if out.index.name is not None:
        out.index.name = header(out.index.name, lang)
    if out.index.dtype == object:
        out.index = out.index.map(cell)
    return out
