"""Every word the report prints, in English and Chinese: data, not code.

The catalogue is one TOML file per language next to this module (``en.toml``, ``zh.toml``,
the same keys in both; read once, on first use, with :mod:`tomllib` through
:mod:`importlib.resources`, so they ship inside the wheel). A key is ``table.name``:
``title.*`` table titles, ``col.*`` column headers, ``row.*`` row labels, ``note.*`` table
notes, ``para.*`` the paragraph under a table, ``fig.*`` figure titles and axis words,
``sec.*`` section headings, ``warn.*`` the warnings by their code
(:class:`loyaltysem.base.notice.Notice`), ...; the keys in the files' ``[general]`` table
have no prefix (``t("table", lang)``).

``t(key, lang, **fields)`` looks a key up and fills ``{fields}`` (``str.format``, so
``{value:.4f}`` works). Citations are written ``[[key]]`` and become "(Author, year)" with an
entry in the reference list (see :mod:`loyaltysem.report.references`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

__all__ = ["LANGS", "catalogue", "col", "has", "t", "title", "warning_text"]

LANGS = ("en", "zh")
_GENERAL = "general"  # the TOML table of the keys without a prefix


@cache
def _load(lang: str) -> dict[str, str]:
    """The flat catalogue of one language (``table.name`` -> text)."""
    text = files(__package__).joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    flat: dict[str, str] = {}
    for table, entries in tomllib.loads(text).items():
        for name, value in entries.items():
            flat[name if table == _GENERAL else f"{table}.{name}"] = value
    return flat


def t(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang`` (English when there is no translation), filled in.

    Example:
        >>> t("n_note", "zh", n=366)
        'N = 366。'
    """
    en = _load("en")
    text = (_load(lang).get(key) if lang in LANGS else None) or en[key]
    return text.format(**fields) if fields else text


def col(key: str, lang: str) -> str:
    """A column header (``col.<key>``)."""
    return t(f"col.{key}", lang)


def title(key: str, lang: str) -> str:
    """A table title (``title.<key>``)."""
    return t(f"title.{key}", lang)


def has(key: str) -> bool:
    """Is ``key`` in the catalogue?"""
    return key in _load("en")


def _sentence(text: str) -> str:
    """An English warning as a sentence: capital first letter, one full stop at the end."""
    text = text[:1].upper() + text[1:]
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text if text.endswith(".") else text + "."


def warning_text(message: str, lang: str) -> str:
    """A warning in the report's language: a :class:`~loyaltysem.base.notice.Notice` by its
    code (``warn.<code>`` filled with its fields); a plain string, or a Notice whose code
    has no entry, as it is in English and as a pointer to the console in Chinese.

    Example:
        >>> from loyaltysem.base.notice import Notice
        >>> w = Notice("boot.not_converged", "3 of 50 draws did not converge", k=3, n=50)
        >>> warning_text(w, "zh")
        '50次Bootstrap抽样中有3次未收敛，已排除。'
        >>> warning_text("the sky fell", "en")
        'The sky fell.'
    """
    code = getattr(message, "code", None)
    key = f"warn.{code}"
    if code is not None and has(key):
        try:
            text = t(key, lang).format(**message.fields)
        except (KeyError, IndexError, ValueError):  # a Notice made without its fields
            text = None
        if text is not None:
            return _sentence(text) if lang == "en" else text
    if lang == "en":
        return _sentence(str(message))
    return t("warning_other", lang)


def catalogue() -> dict[str, dict[str, str]]:
    """The whole catalogue, key -> {language: text} (for tests and translators)."""
    by_lang = {lang: _load(lang) for lang in LANGS}
    keys = dict.fromkeys(k for lang in LANGS for k in by_lang[lang])
    return {k: {lang: by_lang[lang][k] for lang in LANGS if k in by_lang[lang]} for k in keys}
