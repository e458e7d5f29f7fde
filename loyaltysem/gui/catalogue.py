"""The page's own words, one TOML file per language (``loyaltysem/gui/messages/en.toml``,
``zh.toml``): sections of ``key = "text"`` with ``{name}`` placeholders, and ``[[library]]``
entries that translate whole one-line messages of the library (a regular expression and its
text, ``{1}``... for its groups). Messages without a translation stay in English."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGS = ("en", "zh")
_DIR = Path(__file__).resolve().parent / "messages"


@cache
def catalogue(lang: str) -> dict:
    """The words of ``lang``: {"words": {"section.key": text}, "library": [[pattern, text]]}.

    Example:
        >>> catalogue("zh")["words"]["run.run"]
        '运行分析'
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    raw = tomllib.loads((_DIR / f"{lang}.toml").read_text(encoding="utf-8"))
    words = {}
    for section, entries in raw.items():
        if isinstance(entries, dict):
            words |= {f"{section}.{k}": str(v) for k, v in entries.items()}
    library = [[e["pattern"], e["text"]] for e in raw.get("library", [])]
    return {"words": words, "library": library}


def all_catalogues() -> dict:
    """Every language's catalogue, as the page loads it once."""
    return {lang: catalogue(lang) for lang in LANGS}
