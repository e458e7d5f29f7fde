"""The instrument: constructs, items, scale, reverse-keyed items, demographics, hypotheses.

An instrument comes from the project's rich model file (TOML, see
``models/online_loyalty.toml``) or from plain lavaan syntax, where the constructs are the
factors defined with ``=~`` and their items the indicators (no wording, no scale).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from loyaltysem.base.errors import InstrumentError
from loyaltysem.survey.schema import validate_model_toml
from loyaltysem.survey.spec import LANGS, Construct, Demographic, Hypothesis, Item, _names


@dataclass
class Instrument:
    """Constructs and items of a questionnaire, with everything the report needs to name them."""

    constructs: list[Construct]
    scale_min: float | None = None
    scale_max: float | None = None
    scale_labels: dict[float, dict[str, str]] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    structural: str = ""
    hypotheses: list[Hypothesis] = field(default_factory=list)
    demographics: list[Demographic] = field(default_factory=list)
    id_column: str | None = None
    duration_column: str | None = None
    #: [meta] missing_codes: answers that mean "no answer" in every numeric column (-99)
    missing_codes: tuple[float, ...] = ()
    attention_checks: dict[str, float] = field(default_factory=dict)
    source: str | None = None
    moderators: list = field(default_factory=list)  # moderation.Moderator ([[moderators]])
    #: items answered on ordered categories ([scale] ordered): estimated with WLSMV
    ordered: tuple[str, ...] = ()
    #: higher-order constructs, measured by constructs (``components``) instead of items; kept
    #: out of ``constructs`` so that item lists, reverse keying and reliability blocks see
    #: first-order constructs only
    higher_order: list[Construct] = field(default_factory=list)
    #: PROCESS models on construct scores ([[process]], survey.process_spec.ProcessSpec)
    process: list = field(default_factory=list)
    #: [scale] continuous = true: answers may be fractional (a slider), not whole numbers
    continuous: bool = False

    @property
    def items(self) -> list[Item]:
        return [it for c in self.constructs for it in c.items]

    @property
    def item_codes(self) -> list[str]:
        return [it.code for it in self.items]

    @property
    def reverse_items(self) -> list[str]:
        return [it.code for it in self.items if it.reverse]

    @property
    def construct_items(self) -> dict[str, list[str]]:
        return {c.code: [it.code for it in c.items] for c in self.constructs}

    @property
    def rename_map(self) -> dict[str, str]:
        """Data column -> item code, for items whose column differs from the code."""
        return {it.column: it.code for it in self.items if it.column and it.column != it.code}

    @property
    def construct_components(self) -> dict[str, list[str]]:
        """Higher-order construct -> the constructs that measure it (``{"SQ": ["INF", ...]}``)."""
        return {c.code: list(c.components) for c in self.higher_order}

    @property
    def all_constructs(self) -> list[Construct]:
        """First-order constructs, then higher-order ones."""
        return [*self.constructs, *self.higher_order]

    def construct(self, code: str) -> Construct:
        for c in self.all_constructs:
            if c.code == code:
                return c
        raise KeyError(code)

    def measurement_syntax(self, higher_order: bool = True) -> str:
        """The ``=~`` lines: first-order constructs by their items, then (``higher_order``)
        higher-order constructs by their component constructs."""
        lines = [f"{c.code} =~ " + " + ".join(it.code for it in c.items) for c in self.constructs]
        if higher_order:
            lines += [f"{c.code} =~ " + " + ".join(c.components) for c in self.higher_order]
        return "\n".join(lines)

    def model_syntax(self) -> str:
        """Full lavaan syntax: the measurement model plus the structural model."""
        return (self.measurement_syntax() + "\n" + self.structural.strip()).strip() + "\n"

    def label(self, code: str, lang: str = "en") -> str:
        """Display name of a construct, item or demographic in the language asked for."""
        for c in self.all_constructs:
            if c.code == code:
                return c.label(lang)
        for d in self.demographics:
            if d.code == code:
                return d.name.get(lang) or d.name.get("en") or code
        return code


def _value_labels(raw: list, where: str, file: str) -> dict[float, dict[str, str]]:
    out: dict[float, dict[str, str]] = {}
    for entry in raw or []:
        if not isinstance(entry, dict) or "value" not in entry:
            raise InstrumentError(f"{where}: each label needs a 'value'", file=file)
        out[float(entry["value"])] = {k: str(v) for k, v in entry.items() if k in LANGS}
    return out


_PATH = re.compile(
    r"^\s*([A-Za-z_][\w.]*)\s*~\s*([A-Za-z_][\w.]*(?:\s*:\s*[A-Za-z_][\w.]*)?)\s*$"
)  # "SAT ~ INF", or an interaction "LOY ~ SAT:SWC"
#: an interaction term X:Z (not the := of a defined parameter)
_INTERACTION = re.compile(r"(?<![\w.])([A-Za-z_.][\w.]*)\s*:(?!=)\s*([A-Za-z_.][\w.]*)")


def _without_interactions(text: str) -> str:
    """X:Z written X.Z, so that the syntax parser checks the rest of a statement (the model
    is fitted with the X:Z terms, :mod:`loyaltysem.semcore.model.product_indicators`)."""
    return _INTERACTION.sub(r"\1.\2", text)


def read_instrument(path: str | Path) -> Instrument:
    """Read an instrument from the project's TOML model file or from a lavaan-syntax file.

    Example:
        >>> inst = read_instrument("models/online_loyalty.toml")
        >>> inst.construct_items["SAT"]
        ['SAT1', 'SAT2', 'SAT3']
    """
    if not isinstance(path, str | Path):
        raise InstrumentError(f"a model file path is expected, not {type(path).__name__}")
    path = Path(path)
    file = str(path)
    text = read_model_text(path)
    if path.suffix.lower() != ".toml":
        from loyaltysem.survey.syntax import parse_syntax

        return instrument_from_syntax(text, source=file, parse=parse_syntax)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"not a valid TOML model file ({exc})", file=file) from None
    validate_model_toml(raw, text, file)
    inst = _instrument_from_toml(raw, file)
    _check_structural(inst, text, file)
    return inst


_DATA_SUFFIXES = {
    ".csv",
    ".tsv",
    ".tab",
    ".dat",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".sav",
    ".zsav",
    ".por",
    ".dta",
    ".sas7bdat",
    ".xpt",
}


def read_model_text(path: str | Path) -> str:
    """The text of a model file, with a one-line error for a missing file, a folder, a file
    too large to be a model, or one that is not UTF-8 text."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InstrumentError("model file not found", file=file)
    if path.is_dir():
        raise InstrumentError("is a folder, not a model file", file=file)
    if not path.is_file():
        raise InstrumentError("is not a regular file (a device?), not a model file", file=file)
    if path.suffix.lower() in _DATA_SUFFIXES:
        raise InstrumentError(
            "is a data file, not a model file (lavaan syntax .lav/.txt or a .toml model)",
            file=file,
        )
    if path.stat().st_size > 5 * 2**20:
        raise InstrumentError(
            "is over 5 MB: not a model file (a data file given as --model?)", file=file
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError("is not UTF-8 text: not a model file", file=file) from None
    except OSError as exc:
        raise InstrumentError(f"cannot read the model file ({exc.strerror})", file=file) from None
    if "\x00" in text:
        raise InstrumentError("contains NUL bytes: not a model file", file=file)
    return text


def _check_structural(inst: Instrument, text: str, file: str) -> None:
    """Parse [structural] syntax on its own so an error names the TOML file's own line."""
    from loyaltysem.base.errors import ModelSyntaxError
    from loyaltysem.survey.syntax import parse_syntax

    if not inst.structural.strip():
        return
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^\s*syntax\s*=", line)), None)
    offset = 0
    if start is not None:
        opener = lines[start].split("=", 1)[1].strip()
        offset = start + (1 if opener in ('"""', "'''") else 0)
    try:
        parse_syntax(_without_interactions(inst.structural), file=file)
    except ModelSyntaxError as exc:
        line = None if exc.line is None else exc.line + offset
        msg = str(exc).split(": ", 1)[-1]
        if exc.line is not None:
            msg = msg.split(f"line {exc.line}: ", 1)[-1]
        raise InstrumentError(
            f"line {line}: [structural] syntax: {msg}" if line else f"[structural]: {msg}",
            file=file,
        ) from None


def _constructs(
    raw: list, codes: list, higher: list[Construct], file: str
) -> tuple[list[Construct], set[str]]:
    """The first-order [[constructs]] with their items, and the set of item codes."""
    constructs: list[Construct] = []
    seen: set[str] = set()
    for i, c in enumerate(raw, start=1):
        code = c.get("code")
        if not code:
            raise InstrumentError(f"construct #{i} has no 'code'", file=file)
        if any(h.code == code for h in higher):
            continue
        items = _construct_items(c, code, codes, seen, file)
        name = _names(c.get("name"), f"construct {code}", file) or {"en": code}
        constructs.append(Construct(code, name, tuple(items)))
    if not constructs:
        raise InstrumentError("no [[constructs]] defined", file=file)
    return constructs, seen


def _construct_items(c: dict, code: str, codes: list, seen: set[str], file: str) -> list[Item]:
    """A construct's items (codes, or tables with wording, ``reverse`` and ``column``);
    each item code is added to ``seen`` and may appear once in the file."""
    items = []
    for j, it in enumerate(c.get("items", []), start=1):
        icode = it.get("code") if isinstance(it, dict) else it
        if not icode:
            raise InstrumentError(f"construct {code}: item #{j} has no 'code'", file=file)
        if icode in seen:
            raise InstrumentError(f"item {icode} appears twice", file=file)
        if icode in codes:
            raise InstrumentError(
                f"construct {code} names both items and the construct {icode}: a "
                "higher-order construct is measured by constructs only",
                file=file,
            )
        seen.add(icode)
        if isinstance(it, dict):
            text = {k: str(v) for k, v in it.items() if k in LANGS}
            items.append(Item(icode, code, text, bool(it.get("reverse", False)), it.get("column")))
        else:
            items.append(Item(icode, code))
    if not items:
        raise InstrumentError(f"construct {code} has no items", file=file)
    return items


def _hypotheses(raw: list, file: str) -> list[Hypothesis]:
    """The [[hypotheses]]: id, path ``Y ~ X`` (or ``Y ~ X:Z``), sign and wording."""
    hyps = []
    for h in raw:
        m = _PATH.match(str(h.get("path", "")))
        if not m or not h.get("id"):
            raise InstrumentError(
                f"hypothesis {h.get('id', '?')}: needs id and path like 'SAT ~ INF' "
                "(or 'LOY ~ SAT:SWC')",
                file=file,
            )
        sign = str(h.get("sign", "+"))
        if sign not in {"+", "-", "two-sided"}:
            raise InstrumentError(
                f"hypothesis {h['id']}: sign must be +, - or two-sided", file=file
            )
        text = {k: str(v) for k, v in h.items() if k in LANGS}
        rhs = re.sub(r"\s*:\s*", ":", m.group(2))  # the estimates name it X:Z
        hyps.append(Hypothesis(str(h["id"]), m.group(1), rhs, sign, text))
    return hyps


def _instrument_from_toml(raw: dict, file: str) -> Instrument:
    meta = raw.get("meta", {})
    scale = raw.get("scale", {})
    codes = [c.get("code") for c in raw.get("constructs", [])]
    higher = _higher_order_constructs(raw.get("constructs", []), codes, file)
    constructs, seen = _constructs(raw.get("constructs", []), codes, higher, file)
    hyps = _hypotheses(raw.get("hypotheses", []), file)
    demos = [
        Demographic(
            str(d["code"]),
            _names(d.get("name"), f"demographic {d.get('code')}", file) or {"en": d["code"]},
            _value_labels(d.get("values", []), f"demographic {d.get('code')}", file),
        )
        for d in raw.get("demographics", [])
    ]
    checks = {str(a["item"]): float(a["expected"]) for a in raw.get("attention_checks", [])}
    from loyaltysem.survey.moderation import moderators_from_toml
    from loyaltysem.survey.process_spec import process_specs_from_toml

    return Instrument(
        constructs=constructs,
        scale_min=scale.get("min"),
        scale_max=scale.get("max"),
        scale_labels=_value_labels(scale.get("labels", []), "scale", file),
        name=_names(meta.get("name"), "meta.name", file),
        structural=str(raw.get("structural", {}).get("syntax", "")),
        hypotheses=hyps,
        demographics=demos,
        id_column=meta.get("id_column"),
        duration_column=meta.get("duration_column"),
        missing_codes=tuple(float(c) for c in meta.get("missing_codes", [])),
        attention_checks=checks,
        source=file,
        moderators=moderators_from_toml(
            raw.get("moderators", []), file, [*constructs, *higher], seen
        ),
        ordered=_ordered_items(scale.get("ordered", False), constructs, file),
        higher_order=higher,
        process=process_specs_from_toml(raw.get("process"), file),
        continuous=bool(scale.get("continuous", False)),
    )


def _higher_order_constructs(raw: list, codes: list, file: str) -> list[Construct]:
    """The [[constructs]] whose items name other constructs (every one of them): higher-order
    constructs, in file order. A component may measure one higher-order construct only, and
    the components may not loop back (SQ of A and A of SQ)."""
    known = set(codes)
    out: list[Construct] = []
    owner: dict[str, str] = {}
    for c in raw:
        names = [it.get("code") if isinstance(it, dict) else it for it in c.get("items", [])]
        if not names or not all(n in known for n in names):
            continue
        code = c["code"]
        for n, it in zip(names, c["items"], strict=True):
            if n == code:
                raise InstrumentError(f"construct {code} cannot measure itself", file=file)
            if isinstance(it, dict) and (set(it) - {"code"}):
                raise InstrumentError(
                    f"construct {code}: '{n}' is a construct, so it takes no "
                    f"{', '.join(sorted(set(it) - {'code'}))} (only items have wording and "
                    "reverse keying)",
                    file=file,
                )
            if n in owner:
                raise InstrumentError(
                    f"construct {n} is a component of both {owner[n]} and {code}", file=file
                )
            owner[n] = code
        name = _names(c.get("name"), f"construct {code}", file) or {"en": code}
        out.append(Construct(code, name, (), tuple(names)))
    _check_no_cycle(owner, file)
    return out


def _check_no_cycle(owner: dict[str, str], file: str) -> None:
    for start in owner:
        seen, node = {start}, owner[start]
        while node in owner:
            if node in seen:
                raise InstrumentError(
                    f"higher-order constructs loop back on themselves ({start} ... {node})",
                    file=file,
                )
            seen.add(node)
            node = owner[node]


def _ordered_items(value: bool | list, constructs: list[Construct], file: str) -> tuple:
    """``[scale] ordered``: true (every item), false, or a list of item codes."""
    codes = [it.code for c in constructs for it in c.items]
    if value is True:
        return tuple(codes)
    if not value:
        return ()
    unknown = [v for v in value if v not in codes]
    if unknown:
        raise InstrumentError(
            f"scale.ordered names '{unknown[0]}', which is not an item of a construct", file=file
        )
    return tuple(v for v in codes if v in set(value))


def instrument_from_syntax(text: str, source: str | None = None, parse=None) -> Instrument:
    """Constructs from the ``=~`` lines of lavaan syntax; everything else is the structural part."""
    if parse is None:
        from loyaltysem.survey.syntax import parse_syntax as parse
    rows = parse(_without_interactions(text), file=source)  # X:Z terms are structural
    constructs: dict[str, list[str]] = {}
    for r in rows:
        if r.op == "=~":
            constructs.setdefault(r.lhs, []).append(r.rhs)
    if not constructs:
        raise InstrumentError("the model defines no construct (no '=~' line)", file=source)
    structural = "\n".join(line for line in text.splitlines() if "=~" not in line.split("#", 1)[0])
    # a factor measured by factors is a higher-order construct (its indicators are no items)
    higher = {c: inds for c, inds in constructs.items() if all(i in constructs for i in inds)}
    for c, inds in constructs.items():
        mixed = [i for i in inds if i in constructs]
        if mixed and c not in higher:
            raise InstrumentError(
                f"construct {c} is measured by items and by the construct {mixed[0]}: give "
                "the items a construct of their own (a higher-order construct is measured by "
                "constructs only)",
                file=source,
            )
    return Instrument(
        constructs=[
            Construct(c, {"en": c}, tuple(Item(i, c) for i in items))
            for c, items in constructs.items()
            if c not in higher
        ],
        structural=structural,
        source=source,
        higher_order=[Construct(c, {"en": c}, (), tuple(inds)) for c, inds in higher.items()],
    )
