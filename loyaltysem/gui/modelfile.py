"""The model the page edits (a plain JSON "document") and the project's TOML model file.

The document is the TOML model file (``models/online_loyalty.toml``, schema in
:mod:`loyaltysem.survey.schema`) in a shape a web page edits easily::

    {"meta": {...}, "scale": {...}, "constructs": [...], "demographics": [...],
     "paths": [{"from": "SAT", "to": "LOY", "id": "H1", "sign": "+"}, ...],
     "moderators": [{"z": "SWC", "x": "SAT", "y": "LOY", "id": "H15", "sign": "-"}],
     "syntax": "<further lavaan lines>", "other": {<sections kept as they are>}}

* ``paths`` are the ``Y ~ X`` statements of ``[structural]``; a path's hypothesis (id, sign
  "+", "-" or "two-sided", en/zh text) rides on it; sign "" means no hypothesis;
* a moderator ``z`` is a construct of ``constructs`` (written as a latent ``[[moderators]]``
  entry with its items, out of the main model, as the schema wants) or a data column
  (an observed moderator);
* ``syntax`` holds the structural lines that are not plain paths (covariances, labels,
  defined parameters), ``other`` the sections the page does not edit (attention checks,
  screening, analysis) and hypotheses on paths of ``syntax``, so a model file loaded and
  saved again keeps them.

:func:`document_from_toml` and :func:`document_to_toml` convert; every model text written is
checked against the schema and read back by :func:`loyaltysem.survey.instrument.read_instrument`
before it is handed out.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from loyaltysem.base.errors import InputError, InstrumentError
from loyaltysem.survey.instrument import Instrument, read_instrument, read_model_text
from loyaltysem.survey.schema import validate_model_toml

__all__ = ["PageError", "document_from_toml", "document_from_file", "document_to_toml"]

_IDENT = re.compile(r"^[A-Za-z_][\w.]*$")
_PLAIN_PATH = re.compile(
    r"^\s*([A-Za-z_][\w.]*)\s*~\s*([A-Za-z_][\w.]*(?:\s*\+\s*[A-Za-z_][\w.]*)*)\s*$"
)
SIGNS = ("+", "-", "two-sided", "")
_OTHER = ("attention_checks", "screening", "analysis")


class PageError(InputError):
    """A problem with what was entered on the page: ``key`` names its message in the page's
    catalogue (``loyaltysem/gui/messages/*.toml``, section ``errors``), ``params`` fill it;
    the English text is the exception's message.

    Example:
        >>> str(PageError("path_twice", "The path {x} -> {y} is there twice.", x="A", y="B"))
        'The path A -> B is there twice.'
    """

    def __init__(self, key: str, text: str, **params):
        self.key, self.params = key, {k: str(v) for k, v in params.items()}
        super().__init__(text.format(**self.params))


# ------------------------------------------------------------------------------ reading


def _names(raw, code: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {"en": raw, "zh": raw}
    raw = dict(raw or {})
    en = raw.get("en") or raw.get("zh") or code
    return {"en": en, "zh": raw.get("zh") or en}


def _item(it) -> dict:
    if isinstance(it, str):
        return {"code": it, "reverse": False}
    out = {"code": it["code"], "reverse": bool(it.get("reverse", False))}
    for key in ("column", "en", "zh"):
        if it.get(key):
            out[key] = str(it[key])
    return out


def _construct(c: dict) -> dict:
    out = {
        "code": c["code"],
        "name": _names(c.get("name"), c["code"]),
        "items": [_item(it) for it in c.get("items", [])],
    }
    if "mode" in c:
        out["mode"] = c["mode"]
    return out


def _texts(h: dict) -> dict:
    return {k: str(h[k]) for k in ("en", "zh") if h.get(k)}


def split_structural(syntax: str, constructs: set[str]) -> tuple[list[tuple[str, str]], str]:
    """The plain paths ``(x, y)`` of lavaan ``syntax`` (lines ``Y ~ X1 + X2`` between
    constructs) and the other lines as text.

    Example:
        >>> split_structural("LOY ~ SAT + TRU\\nSAT ~~ TRU", {"SAT", "TRU", "LOY"})
        ([('SAT', 'LOY'), ('TRU', 'LOY')], 'SAT ~~ TRU')
    """
    paths, rest = [], []
    for line in syntax.splitlines():
        code = line.split("#", 1)[0].strip()
        if not code:
            continue
        parts = [p for p in code.split(";") if p.strip()]
        found = []
        for part in parts:
            m = _PLAIN_PATH.match(part)
            xs = [x.strip() for x in m.group(2).split("+")] if m else []
            if not m or m.group(1) not in constructs or not set(xs) <= constructs:
                found = None
                break
            found += [(x, m.group(1)) for x in xs]
        if found is None:
            rest.append(line.rstrip())
        else:
            paths += [p for p in found if p not in paths]
    return paths, "\n".join(rest)


def _paths(raw: dict, constructs: set[str]) -> tuple[list[dict], str, list]:
    syntax = str(raw.get("structural", {}).get("syntax", ""))
    pairs, rest = split_structural(syntax, constructs)
    hyps = {(h["path"].split("~")[1].strip(), h["path"].split("~")[0].strip()): h
            for h in raw.get("hypotheses", [])}  # fmt: skip
    paths = []
    for x, y in pairs:
        h = hyps.pop((x, y), None)
        entry = {"from": x, "to": y, "id": "", "sign": ""}
        if h is not None:
            entry |= {"id": str(h["id"]), "sign": str(h.get("sign", "+"))} | _texts(h)
        paths.append(entry)
    return paths, rest, list(hyps.values())


def _moderators(raw: dict) -> tuple[list[dict], list[dict]]:
    """(moderator entries, constructs of the latent moderators)."""
    mods, extra = [], []
    for m in raw.get("moderators", []):
        x, y = m.get("x"), m.get("y")
        if "path" in m:
            y, x = (s.strip() for s in str(m["path"]).split("~", 1))
        sign = str(m.get("sign", "two-sided")) if m.get("id") else ""
        entry = {"z": m["code"], "x": x, "y": y, "id": str(m.get("id", "")), "sign": sign}
        entry |= _texts(m)
        if m.get("type", "latent") == "latent":
            extra.append(_construct({"code": m["code"], "name": m.get("name"),
                                     "items": m.get("items", [])}))  # fmt: skip
        else:
            entry["name"] = _names(m.get("name"), m["code"])
        mods.append(entry)
    return mods, extra


def document_from_toml(text: str, file: str = "model.toml") -> dict:
    """The page's document of a TOML model file's text (checked against the schema first).

    Example:
        >>> doc = document_from_toml(open("models/online_loyalty.toml").read())
        >>> doc["paths"][0], doc["moderators"][0]["z"]
        ({'from': 'INF', 'to': 'SAT', 'id': 'H1', 'sign': '+', 'en': '...', 'zh': '...'}, 'SWC')
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"not a valid TOML model file ({exc})", file=file) from None
    validate_model_toml(raw, text, file)
    constructs = [_construct(c) for c in raw["constructs"]]
    mods, mod_constructs = _moderators(raw)
    paths, rest, other_hyps = _paths(raw, {c["code"] for c in constructs})
    scale = dict(raw.get("scale", {}))
    other = {k: raw[k] for k in _OTHER if k in raw}
    if other_hyps:
        other["hypotheses"] = other_hyps
    return {
        "meta": dict(raw.get("meta", {})),
        "scale": {"min": scale.get("min"), "max": scale.get("max"),
                  "labels": list(scale.get("labels", [])), "ordered": scale.get("ordered", False)},
        "constructs": constructs + mod_constructs,
        "demographics": [{"code": d["code"], "name": _names(d.get("name"), d["code"]),
                          "values": list(d.get("values", []))}
                         for d in raw.get("demographics", [])],
        "paths": paths,
        "moderators": mods,
        "syntax": rest,
        "other": other,
    }  # fmt: skip


def _document_from_instrument(inst: Instrument) -> dict:
    """A lavaan-syntax model file's document: constructs (=~) and the structural lines."""
    constructs = [{"code": c.code, "name": _names(c.name, c.code),
                   "items": [{"code": it.code, "reverse": False} for it in c.items]}
                  for c in inst.constructs]  # fmt: skip
    pairs, rest = split_structural(inst.structural, {c.code for c in inst.constructs})
    return {
        "meta": {}, "scale": {"min": None, "max": None, "labels": [], "ordered": False},
        "constructs": constructs, "demographics": [],
        "paths": [{"from": x, "to": y, "id": "", "sign": ""} for x, y in pairs],
        "moderators": [], "syntax": rest, "other": {},
    }  # fmt: skip


def document_from_file(path: str | Path) -> dict:
    """The document of a model file on disk: TOML (the project's schema) or lavaan syntax;
    read by :func:`read_instrument` first, so every check of the command line applies."""
    path = Path(path)
    inst = read_instrument(path)
    if path.suffix.lower() != ".toml":
        return _document_from_instrument(inst)
    return document_from_toml(read_model_text(path), path.name)


# ------------------------------------------------------------------------------ checking


def _fail(key: str, text: str, **params):
    raise PageError(key, text, **params)


def _check_codes(doc: dict) -> set[str]:
    codes: set[str] = set()
    items: set[str] = set()
    for c in doc.get("constructs", []):
        code = str(c.get("code", ""))
        if not _IDENT.match(code):
            _fail("bad_code", "'{code}' is not a valid construct code (letters, digits and _, "
                  "starting with a letter).", code=code)  # fmt: skip
        if code in codes:
            _fail("construct_twice", "Two constructs are called {code}.", code=code)
        codes.add(code)
        if not c.get("items"):
            _fail("no_items", "Construct {code} has no items.", code=code)
        for it in c["items"]:
            icode = str(it.get("code", ""))
            if not _IDENT.match(icode):
                _fail("bad_item", "'{code}' is not a valid item code (letters, digits and _, "
                      "starting with a letter).", code=icode)  # fmt: skip
            if icode in items or icode in codes:
                _fail("item_twice", "The name {code} is used twice.", code=icode)
            items.add(icode)
    if not codes:
        _fail("no_constructs", "The model has no constructs.")
    return codes


def _check_paths(doc: dict, codes: set[str]) -> None:
    seen, ids = set(), set()
    for p in doc.get("paths", []):
        x, y = p.get("from"), p.get("to")
        if x not in codes or y not in codes:
            _fail("path_unknown", "The path {x} -> {y} names a construct that is not in the model.",
                  x=x, y=y)  # fmt: skip
        if x == y:
            _fail("path_self", "A path from {x} to itself is not possible.", x=x)
        if (x, y) in seen:
            _fail("path_twice", "The path {x} -> {y} is there twice.", x=x, y=y)
        seen.add((x, y))
        if p.get("sign", "") not in SIGNS:
            _fail("bad_sign", "The sign of a hypothesis is +, - or two-sided.")
    for h in list(doc.get("paths", [])) + list(doc.get("moderators", [])):
        if h.get("sign"):
            hid = str(h.get("id") or "").strip()
            if not hid:
                _fail("no_id", "Every hypothesis needs a name such as H1.")
            if hid in ids:
                _fail("id_twice", "Two hypotheses are called {id}.", id=hid)
            ids.add(hid)


def _check_moderators(doc: dict, codes: set[str]) -> None:
    on_paths = {n for p in doc.get("paths", []) for n in (p["from"], p["to"])}
    paths = {(p["from"], p["to"]) for p in doc.get("paths", [])}
    seen = set()
    for m in doc.get("moderators", []):
        z, x, y = m.get("z"), m.get("x"), m.get("y")
        if (x, y) not in paths:
            _fail("moderated_path", "{z} moderates {x} -> {y}, which is not a path of the model.",
                  z=z, x=x, y=y)  # fmt: skip
        if z in on_paths:
            _fail("moderator_on_path", "{z} is on a path: a moderator stays out of the paths.",
                  z=z)  # fmt: skip
        if z in seen:
            _fail("moderator_twice", "{z} moderates two paths: one moderated path each.", z=z)
        if not z or not isinstance(z, str) or not z.strip():
            _fail("moderator_missing", "Choose the moderator.")
        seen.add(z)


def check_document(doc: dict) -> None:
    """Raise :class:`PageError` for a document that cannot become a model file (codes,
    paths, hypotheses, moderators); the schema's own checks follow in
    :func:`document_to_toml`.

    Example:
        >>> check_document({"constructs": []})
        Traceback (most recent call last):
        ...
        loyaltysem.gui.modelfile.PageError: The model has no constructs.
    """
    if not isinstance(doc, dict):
        _fail("bad_document", "The model sent by the page is not readable.")
    try:
        codes = _check_codes(doc)
        _check_paths(doc, codes)
        _check_moderators(doc, codes)
    except (TypeError, KeyError, AttributeError):  # not the shape the page sends
        _fail("bad_document", "The model sent by the page is not readable.")


# ------------------------------------------------------------------------------ writing


def _q(text) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(k: str) -> str:
    return k if re.match(r"^[A-Za-z0-9_-]+$", k) else _q(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, str):
        return _q(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        inner = ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise PageError("bad_document", "The model sent by the page is not readable.")


def _table(name: str, entries: dict, array: bool = False) -> list[str]:
    head = f"[[{name}]]" if array else f"[{name}]"
    out = [head]
    for k, v in entries.items():
        if v is None or (isinstance(v, list) and not v and k in ("labels", "values", "items")):
            continue
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            out += [f"{_key(k)} = ["] + [f"  {_value(x)}," for x in v] + ["]"]
        else:
            out.append(f"{_key(k)} = {_value(v)}")
    return out + [""]


def _clean_item(it: dict) -> dict:
    out = {"code": it["code"]}
    if it.get("column") and it["column"] != it["code"]:
        out["column"] = it["column"]
    out |= {k: it[k] for k in ("en", "zh") if it.get(k)}
    if it.get("reverse"):
        out["reverse"] = True
    return out


def _structural(doc: dict) -> str:
    outcomes: dict[str, list[str]] = {}
    for p in doc.get("paths", []):
        outcomes.setdefault(p["to"], []).append(p["from"])
    lines = [f"{y} ~ {' + '.join(xs)}" for y, xs in outcomes.items()]
    extra = str(doc.get("syntax") or "").strip()
    return "\n".join(lines + ([extra] if extra else []))


def _syntax_block(syntax: str) -> list[str]:
    if not syntax:
        return []
    if "'''" not in syntax:
        return ["[structural]", "syntax = '''", syntax, "'''", ""]
    return ["[structural]", f"syntax = {_q(syntax)}", ""]


def _hypothesis_tables(doc: dict) -> list[str]:
    out = []
    for p in doc.get("paths", []):
        if p.get("sign"):
            entry = {"id": str(p["id"]).strip(), "path": f"{p['to']} ~ {p['from']}",
                     "sign": p["sign"]} | _texts(p)  # fmt: skip
            out += _table("hypotheses", entry, array=True)
    for h in doc.get("other", {}).get("hypotheses", []):
        out += _table("hypotheses", h, array=True)
    return out


def _moderator_tables(doc: dict, by_code: dict) -> list[str]:
    out = []
    for m in doc.get("moderators", []):
        z = m["z"]
        entry: dict = {"code": z}
        if z in by_code:
            entry["name"] = by_code[z]["name"]
            entry["type"] = "latent"
            entry["items"] = [_clean_item(it) for it in by_code[z]["items"]]
        else:
            entry["name"] = m.get("name") or {"en": z, "zh": z}
            entry["type"] = "observed"
        entry["path"] = f"{m['y']} ~ {m['x']}"
        if m.get("sign"):
            entry |= {"id": str(m["id"]).strip(), "sign": m["sign"]} | _texts(m)
        out += _table("moderators", entry, array=True)
    return out


def _scale(doc: dict) -> dict:
    s = doc.get("scale") or {}
    out = {}
    if s.get("min") is not None and s.get("max") is not None:
        out |= {"min": float(s["min"]), "max": float(s["max"])}
        if s.get("labels"):
            out["labels"] = list(s["labels"])
    if s.get("ordered"):
        out["ordered"] = s["ordered"]
    return out


def render_document(doc: dict) -> str:
    """The TOML text of a checked document (no schema check; see :func:`document_to_toml`)."""
    moderators = {m["z"] for m in doc.get("moderators", [])}
    by_code = {c["code"]: c for c in doc["constructs"]}
    lines = ["# Model file written by the loyaltysem local web page (loyaltysem gui).", ""]
    meta = {k: v for k, v in (doc.get("meta") or {}).items() if v not in (None, "")}
    if meta:
        lines += _table("meta", meta)
    scale = _scale(doc)
    if scale:
        lines += _table("scale", scale)
    for c in doc["constructs"]:
        if c["code"] in moderators:
            continue
        entry = {"code": c["code"], "name": c["name"]}
        entry |= {"mode": c["mode"]} if c.get("mode") else {}
        entry["items"] = [_clean_item(it) for it in c["items"]]
        lines += _table("constructs", entry, array=True)
    lines += _syntax_block(_structural(doc))
    lines += _hypothesis_tables(doc)
    lines += _moderator_tables(doc, by_code)
    for d in doc.get("demographics", []):
        entry = {"code": d["code"], "name": d.get("name") or {"en": d["code"]},
                 "values": list(d.get("values") or [])}  # fmt: skip
        lines += _table("demographics", entry, array=True)
    other = doc.get("other") or {}
    for a in other.get("attention_checks", []):
        lines += _table("attention_checks", a, array=True)
    for section in ("screening", "analysis"):
        if other.get(section):
            lines += _table(section, other[section])
    return "\n".join(lines).rstrip("\n") + "\n"


def document_to_toml(doc: dict, check_path: str | Path) -> str:
    """The TOML model file of the page's document, checked three ways: the page's rules
    (:func:`check_document`), the schema, and :func:`read_instrument` on the text written to
    ``check_path`` (the session's folder), so the command line reads it as the page meant.

    Example:
        >>> doc = document_from_toml(open("models/online_loyalty.toml").read())
        >>> "[[moderators]]" in document_to_toml(doc, "/tmp/check.toml")  # doctest: +SKIP
        True
    """
    check_document(doc)
    text = render_document(doc)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the writer's own bug
        raise InstrumentError(f"not a valid TOML model file ({exc})") from None
    name = Path(check_path).name
    validate_model_toml(raw, text, name)
    check_path = Path(check_path)
    check_path.write_text(text, encoding="utf-8")
    try:
        read_instrument(check_path)
    except InputError as exc:
        raise InstrumentError(str(exc).replace(str(check_path), name)) from None
    return text
