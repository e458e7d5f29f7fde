"""The schema of the project's TOML model file, checked key by key before anything is read.

Every problem is one :class:`~loyaltysem.base.errors.InstrumentError` naming the file, the key
(``constructs[2].items[4].reverse``) and the line it stands on, so a typo such as
``reverse = "no"`` (a string, not the boolean ``false``) or ``items = 5`` is caught at once
instead of being taken as true or failing later with a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loyaltysem.base.errors import InstrumentError

LANGS = ("en", "zh")
_IDENT = re.compile(r"^[A-Za-z_][\w.]*$")

SECTIONS = {
    "meta": dict,
    "scale": dict,
    "constructs": list,
    "structural": dict,
    "hypotheses": list,
    "demographics": list,
    "attention_checks": list,
    "screening": dict,
    "analysis": dict,
    "moderators": list,
    "process": list,  # checked by survey.process_spec
}
ITEM_KEYS = {"code", "reverse", "column", *LANGS}
CONSTRUCT_KEYS = {"code", "name", "items", "mode"}
HYPOTHESIS_KEYS = {"id", "path", "sign", *LANGS}
DEMOGRAPHIC_KEYS = {"code", "name", "values"}
LABEL_KEYS = {"value", *LANGS}
META_KEYS = {"name", "id_column", "duration_column", "missing_codes", "author", "title", "version",
             "description"}  # fmt: skip
SCALE_KEYS = {"min", "max", "labels", "ordered", "continuous"}


class _Where:
    """Finds the line of a key in the TOML text, to name it in the message."""

    def __init__(self, text: str, file: str):
        self.lines = text.splitlines()
        self.file = file

    def _block(self, section: str, index: int | None) -> tuple[int, int]:
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
        starts = [i for i, line in enumerate(self.lines) if header.match(line)]
        if not starts:
            return 0, len(self.lines)
        k = min(index or 0, len(starts) - 1)
        end = next(
            (
                i
                for i in range(starts[k] + 1, len(self.lines))
                if re.match(r"^\s*\[", self.lines[i])
            ),
            len(self.lines),
        )
        return starts[k], end

    def line(self, section: str, index: int | None = None, key: str | None = None, code=None):
        lo, hi = self._block(section, index)
        found = lo
        if code is not None:
            pat = re.compile(rf"""code\s*=\s*["']{re.escape(str(code))}["']""")
            found = next((i for i in range(lo, hi) if pat.search(self.lines[i])), lo)
            if key and not re.search(rf"\b{re.escape(key)}\s*=", self.lines[found]):
                return found + 1
        elif key:
            pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
            found = next((i for i in range(lo, hi) if pat.match(self.lines[i])), lo)
        return found + 1

    def error(self, message: str, line: int) -> InstrumentError:
        return InstrumentError(f"line {line}: {message}", file=self.file)


def _type_name(v: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "text"}.get(
        type(v), "a list" if isinstance(v, list) else "a table" if isinstance(v, dict) else "?"
    )


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _check_name(v: object, key: str, fail: Callable[[str], None]) -> None:
    if isinstance(v, str):
        return
    if isinstance(v, dict) and all(isinstance(x, str) for x in v.values()):
        unknown = set(v) - set(LANGS)
        if unknown:
            fail(f"{key}: unknown language '{sorted(unknown)[0]}' (use en and zh)")
        return
    fail(f'{key} must be text or {{ en = "...", zh = "..." }}, not {_type_name(v)}')


def _check_keys(table: dict, allowed: set[str], key: str, fail) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        fail(f"{key}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")


def _check_text_keys(table: dict, key: str, fail) -> None:
    for lang in LANGS:
        if lang in table and not isinstance(table[lang], str):
            fail(f"{key}.{lang} must be text, not {_type_name(table[lang])}")


def _check_item(it: object, ckey: str, j: int, where: _Where, ci: int) -> None:
    code = it.get("code") if isinstance(it, dict) else it
    line = where.line("constructs", ci, "code" if code is None else None, code=code)

    def fail(msg: str) -> None:
        raise where.error(msg, line)

    key = f"{ckey}.items[{j}]"
    if isinstance(it, str):
        if not _IDENT.match(it):
            fail(f"{key}: '{it}' is not a valid item name (letters, digits, _ and .)")
        return
    if not isinstance(it, dict):
        fail(f'{key} must be an item code or {{ code = "...", ... }}, not {_type_name(it)}')
    _check_keys(it, ITEM_KEYS, key, fail)
    if "code" not in it:
        fail(f"{key} has no 'code'")
    if not isinstance(it["code"], str) or not _IDENT.match(it["code"]):
        fail(f"{key}.code must be a name (letters, digits, _ and .), not {it['code']!r}")
    if "reverse" in it and not isinstance(it["reverse"], bool):
        fail(f"{key}.reverse must be true or false (no quotes), not {it['reverse']!r}")
    if "column" in it and (not isinstance(it["column"], str) or not it["column"].strip()):
        fail(f"{key}.column must be the data column's name as text")
    _check_text_keys(it, key, fail)


def _check_constructs(raw: object, where: _Where) -> None:
    if not isinstance(raw, list) or not raw:
        line = where.line("constructs")
        raise where.error(
            "'constructs' must be [[constructs]] tables, each with a code and items", line
        )
    for ci, c in enumerate(raw):
        line = where.line("constructs", ci)
        key = f"constructs[{ci + 1}]"

        def fail(msg: str, line=line) -> None:
            raise where.error(msg, line)

        if not isinstance(c, dict):
            fail(f"{key} must be a table with code, name and items, not {_type_name(c)}")
        _check_keys(c, CONSTRUCT_KEYS, key, fail)
        code = c.get("code")
        if not isinstance(code, str) or not _IDENT.match(code):
            fail(f'{key}.code must be a construct name such as "SAT", not {code!r}')
        if "name" in c:
            _check_name(c["name"], f"{key}.name", fail)
        items = c.get("items")
        if not isinstance(items, list):
            fail(f"construct {code}: 'items' must be a list, not {_type_name(items)}")
        if not items:
            fail(f"construct {code} has no items")
        for j, it in enumerate(items, start=1):
            _check_item(it, f"construct {code}", j, where, ci)


def _check_labels(raw: object, key: str, fail) -> None:
    if not isinstance(raw, list):
        fail(f'{key} must be a list of {{ value = 1, en = "...", zh = "..." }}')
    for k, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or "value" not in entry:
            fail(f"{key}[{k}] needs a 'value'")
        _check_keys(entry, LABEL_KEYS, f"{key}[{k}]", fail)
        if not _is_number(entry["value"]):
            fail(f"{key}[{k}].value must be a number, not {entry['value']!r}")
        _check_text_keys(entry, f"{key}[{k}]", fail)


def _check_scale(raw: dict, where: _Where) -> None:
    def fail(msg: str, key: str | None = None) -> None:
        raise where.error(msg, where.line("scale", key=key))

    _check_keys(raw, SCALE_KEYS, "scale", fail)
    for key in ("min", "max"):
        if key in raw and not _is_number(raw[key]):
            fail(f"scale.{key} must be a number, not {raw[key]!r}", key)
    if ("min" in raw) != ("max" in raw):
        fail("scale needs both min and max")
    if "min" in raw and raw["min"] >= raw["max"]:
        fail(f"scale.min ({raw['min']}) must be below scale.max ({raw['max']})", "min")
    if "labels" in raw:
        _check_labels(raw["labels"], "scale.labels", lambda m: fail(m, "labels"))
    if not isinstance(raw.get("continuous", False), bool):
        fail(
            f"scale.continuous must be true or false (no quotes), not {raw['continuous']!r}",
            "continuous",
        )
    ordered = raw.get("ordered", False)
    if not isinstance(ordered, bool) and not (
        isinstance(ordered, list) and all(isinstance(v, str) and v for v in ordered)
    ):
        fail(
            f"scale.ordered must be true, false or a list of item codes, not {_type_name(ordered)}",
            "ordered",
        )


def _check_tables(raw: object, section: str, allowed: set[str], where: _Where) -> None:
    if not isinstance(raw, list):
        raise where.error(f"'{section}' must be [[{section}]] tables", where.line(section))
    for k, entry in enumerate(raw):
        line = where.line(section, k)
        key = f"{section}[{k + 1}]"

        def fail(msg: str, line=line) -> None:
            raise where.error(msg, line)

        if not isinstance(entry, dict):
            fail(f"{key} must be a table, not {_type_name(entry)}")
        _check_keys(entry, allowed, key, fail)
        _check_text_keys(entry, key, fail)
        _SECTION_CHECKS[section](entry, key, fail)


def _hypothesis(h: dict, key: str, fail) -> None:
    for k in ("id", "path"):
        if not isinstance(h.get(k), str) or not h[k].strip():
            fail(f'{key} needs {k} as text (e.g. id = "H1", path = "SAT ~ INF")')
    sign = h.get("sign", "+")
    if sign not in ("+", "-", "two-sided"):
        fail(f'hypothesis {h["id"]}: sign must be "+", "-" or "two-sided", not {sign!r}')


def _demographic(d: dict, key: str, fail) -> None:
    if not isinstance(d.get("code"), str) or not d["code"].strip():
        fail(f"{key} needs code as text (the data column)")
    if "name" in d:
        _check_name(d["name"], f"{key}.name", fail)
    if "values" in d:
        _check_labels(d["values"], f"{key}.values", fail)


def _attention(a: dict, key: str, fail) -> None:
    if not isinstance(a.get("item"), str):
        fail(f"{key} needs item as text (the data column)")
    if not _is_number(a.get("expected")):
        fail(f"{key}.expected must be the number a careful respondent answers")


def _moderator(m: dict, key: str, fail) -> None:
    """A moderator (see loyaltysem.survey.moderation): code, type, items, the path it moderates."""
    code = m.get("code")
    if not isinstance(code, str) or not _IDENT.match(code):
        fail(f'{key} needs code as a name (e.g. code = "SWC"), not {code!r}')
    if "z" in m and m["z"] != code:
        fail(f"{key}: z ({m['z']!r}) must be the moderator's code ({code!r}) or left out")
    kind = m.get("type", "latent")
    if kind not in ("latent", "observed"):
        fail(f'moderator {code}: type must be "latent" (items) or "observed", not {kind!r}')
    items = m.get("items")
    if kind == "latent" and (not isinstance(items, list) or not items):
        fail(f"moderator {code}: a latent moderator needs items = [...]")
    if kind == "observed" and items is not None:
        fail(f"moderator {code}: an observed moderator is a data column and has no items")
    for j, it in enumerate(items or [], start=1):
        ikey = f"moderator {code}.items[{j}]"
        icode = it.get("code") if isinstance(it, dict) else it
        if not isinstance(icode, str) or not _IDENT.match(icode):
            fail(f"{ikey} must be an item code (letters, digits, _ and .), not {icode!r}")
        if isinstance(it, dict):
            _check_keys(it, ITEM_KEYS, ikey, fail)
            _check_text_keys(it, ikey, fail)
            if "reverse" in it and not isinstance(it["reverse"], bool):
                fail(f"{ikey}.reverse must be true or false (no quotes)")
    if "name" in m:
        _check_name(m["name"], f"{key}.name", fail)
    path = m.get("path")
    if path is not None and not (isinstance(path, str) and re.match(_PATH, path)):
        fail(f'moderator {code}: path must be "Y ~ X" (the moderated path), not {path!r}')
    if path is None and not all(isinstance(m.get(k), str) and m[k] for k in ("x", "y")):
        fail(f'moderator {code} needs the path it moderates: path = "Y ~ X" (or x and y)')
    if "id" in m and (not isinstance(m["id"], str) or not m["id"].strip()):
        fail(f'moderator {code}: id must be text such as "H15"')
    if m.get("sign", "two-sided") not in ("+", "-", "two-sided"):
        fail(f'moderator {code}: sign must be "+", "-" or "two-sided", not {m["sign"]!r}')


_PATH = r"^\s*[A-Za-z_][\w.]*\s*~\s*[A-Za-z_][\w.]*\s*$"


_SECTION_CHECKS = {
    "hypotheses": _hypothesis,
    "demographics": _demographic,
    "attention_checks": _attention,
    "moderators": _moderator,
}


def _check_meta(raw: dict, where: _Where) -> None:
    def fail(msg: str, key: str | None = None) -> None:
        raise where.error(msg, where.line("meta", key=key))

    _check_keys(raw, META_KEYS, "meta", fail)
    if "name" in raw:
        _check_name(raw["name"], "meta.name", lambda m: fail(m, "name"))
    for key in ("id_column", "duration_column"):
        if key in raw and not isinstance(raw[key], str):
            fail(f"meta.{key} must be a column name as text, not {raw[key]!r}", key)
    codes = raw.get("missing_codes", [])
    if not isinstance(codes, list) or not all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in codes
    ):
        fail(f"meta.missing_codes must be a list of numbers such as [-99], not {codes!r}",
             "missing_codes")  # fmt: skip


def _check_plain_table(raw: dict, section: str, where: _Where) -> None:
    for key, value in raw.items():
        if not isinstance(value, bool | int | float | str | list):
            raise where.error(
                f"{section}.{key} must be a value, not {_type_name(value)}",
                where.line(section, key=key),
            )


def validate_model_toml(raw: dict, text: str, file: str) -> None:
    """Check a parsed TOML model file against the schema; raise InstrumentError on the first
    problem, naming the file, the key and its line.

    Example:
        >>> validate_model_toml({"constructs": "SAT"}, 'constructs = "SAT"', "m.toml")
        Traceback (most recent call last):
        ...
        loyaltysem.base.errors.InstrumentError: m.toml: line 1: 'constructs' must be ...
    """
    where = _Where(text, file)
    for section, value in raw.items():
        if section not in SECTIONS:
            raise where.error(
                f"unknown section '{section}' (allowed: {', '.join(SECTIONS)})",
                where.line(section),
            )
        if not isinstance(value, SECTIONS[section]):
            kind = f"[{section}]" if SECTIONS[section] is dict else f"[[{section}]] tables"
            raise where.error(
                f"'{section}' must be {kind}, not {_type_name(value)}",
                where.line(section, key=section),
            )
    if "constructs" not in raw:
        raise where.error("no [[constructs]] defined", 1)
    _check_constructs(raw["constructs"], where)
    _check_meta(raw.get("meta", {}), where)
    _check_scale(raw.get("scale", {}), where)
    structural = raw.get("structural", {})
    if "syntax" in structural and not isinstance(structural["syntax"], str):
        raise where.error(
            "structural.syntax must be text (lavaan syntax in triple quotes)",
            where.line("structural", key="syntax"),
        )
    for section in ("hypotheses", "demographics", "attention_checks", "moderators"):
        if section in raw:
            _check_tables(raw[section], section, _ALLOWED[section], where)
    for section in ("screening", "analysis"):
        if section in raw:
            _check_plain_table(raw[section], section, where)
    _check_hypothesis_names(raw, where)


_WORD = re.compile(r"[A-Za-z_][\w.]*")
_PATH_NAMES = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*~\s*([A-Za-z_][\w.]*)\s*$")


def _check_hypothesis_names(raw: dict, where: _Where) -> None:
    """Each variable a hypothesis names is a construct, a moderator or a name the
    [structural] syntax uses: 'XYZ ~ TRU' with no construct XYZ is a typo, refused here
    rather than by the commands that test hypotheses only (the others would run silently)."""
    known = {c["code"] for c in raw["constructs"]}
    known |= {m["code"] for m in raw.get("moderators", [])}
    known |= set(_WORD.findall(str(raw.get("structural", {}).get("syntax", ""))))
    for k, h in enumerate(raw.get("hypotheses", [])):
        m = _PATH_NAMES.match(h["path"])
        unknown = [v for v in (m.groups() if m else ()) if v not in known]
        if unknown:
            constructs = ", ".join(c["code"] for c in raw["constructs"])
            raise where.error(
                f"hypothesis {h['id']}: '{unknown[0]}' in path '{h['path']}' is not a construct "
                f"of the model (constructs: {constructs})",
                where.line("hypotheses", k, "path"),
            )


_ALLOWED = {
    "hypotheses": HYPOTHESIS_KEYS,
    "demographics": DEMOGRAPHIC_KEYS,
    "attention_checks": {"item", "expected"},
    "moderators": {"code", "name", "x", "z", "y", "type", "id", "path", "items", "sign", *LANGS},
}
