"""The PLS path model: constructs, their items and measurement mode, and the inner paths.

Written in lavaan syntax (the project's model files): ``C =~ x1 + x2`` is a mode A
(reflective / correlation weights) construct, ``F <~ x1 + x2`` a mode B (formative /
regression weights) construct, ``Y ~ X1 + X2`` the structural paths X1 -> Y and X2 -> Y.
``~~``, ``~1``, ``:=`` and labels are accepted and ignored (PLS has no such parameters).
The project's TOML model files work too; a construct there is formative with
``mode = "B"`` (or ``formative = true``). Mode B in SmartPLS / seminr terms: Hair, Hult,
Ringle & Sarstedt (2022), A Primer on PLS-SEM, ch. 2.

A construct measured by constructs (``SQ =~ INF + PRD``; in TOML, a construct whose
``items`` name constructs) is a higher-order construct (HOC) with the named lower-order
constructs (LOCs) as its dimensions, estimated by the two-stage approach
(:mod:`loyaltysem.pls.higher_order`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from loyaltysem.base.errors import InputError, ModelSyntaxError
from loyaltysem.survey.instrument import Construct, Instrument, Item, read_instrument
from loyaltysem.survey.syntax import _strip_comment, names_a_file, parse_syntax

MODES = ("A", "B")


@dataclass
class PLSModel:
    """Constructs (name -> items, in order), their modes ("A"/"B") and paths (source, target)."""

    constructs: dict[str, list[str]]
    modes: dict[str, str]
    paths: list[tuple[str, str]]
    source: str | None = None
    instrument: Instrument | None = field(default=None, repr=False)
    ignored: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        validate(self)

    @property
    def names(self) -> list[str]:
        return list(self.constructs)

    @property
    def higher_order(self) -> dict[str, list[str]]:
        """Higher-order construct -> its lower-order constructs (constructs measured by
        constructs)."""
        return {
            c: list(items)
            for c, items in self.constructs.items()
            if items and all(i in self.constructs for i in items)
        }

    @property
    def lower_order(self) -> dict[str, str]:
        """Lower-order construct -> the higher-order construct it measures."""
        return {d: h for h, dims in self.higher_order.items() for d in dims}

    @property
    def items(self) -> list[str]:
        """The observed items (data columns): the indicators of first-order constructs."""
        hoc = self.higher_order
        return [i for c, items in self.constructs.items() if c not in hoc for i in items]

    @property
    def endogenous(self) -> list[str]:
        targets = {t for _, t in self.paths}
        return [c for c in self.constructs if c in targets]

    def predecessors(self, target: str) -> list[str]:
        """Antecedents of ``target`` in construct order."""
        src = {s for s, t in self.paths if t == target}
        return [c for c in self.constructs if c in src]

    def without_path(self, source: str, target: str) -> PLSModel:
        paths = [p for p in self.paths if p != (source, target)]
        return PLSModel(dict(self.constructs), dict(self.modes), paths, self.source)

    def restricted_to_paths(self, paths: list[tuple[str, str]]) -> PLSModel:
        """The model with only ``paths`` and the constructs they link (with the lower-order
        constructs of a higher-order one kept)."""
        used = {n for p in paths for n in p}
        used |= {d for h, dims in self.higher_order.items() if h in used for d in dims}
        cons = {c: list(i) for c, i in self.constructs.items() if c in used}
        return PLSModel(cons, {c: self.modes[c] for c in cons}, list(paths), self.source)

    def to_instrument(self) -> Instrument:
        """The instrument the loaders check the data against (items of every construct)."""
        if self.instrument is not None:
            return self.instrument
        hoc = self.higher_order
        cons = [
            Construct(c, {"en": c}, tuple(Item(i, c) for i in items))
            for c, items in self.constructs.items()
            if c not in hoc
        ]
        higher = [Construct(c, {"en": c}, (), tuple(d)) for c, d in hoc.items()]
        return Instrument(constructs=cons, source=self.source, higher_order=higher)

    def syntax(self) -> str:
        lines = []
        for c, items in self.constructs.items():
            op = "=~" if self.modes[c] == "A" else "<~"
            lines.append(f"{c} {op} " + " + ".join(items))
        for t in self.endogenous:
            lines.append(f"{t} ~ " + " + ".join(self.predecessors(t)))
        return "\n".join(lines) + "\n"


def validate(model: PLSModel) -> None:
    """Reject models PLS cannot estimate, naming the construct or item at fault."""
    file = model.source
    seen: dict[str, str] = {}
    hoc = model.higher_order
    _check_higher_order(model, hoc)
    for c, items in model.constructs.items():
        if not items:
            raise InputError(f"construct {c} has no items", file=file)
        if model.modes.get(c) not in MODES:
            raise InputError(f"construct {c}: mode must be 'A' (=~) or 'B' (<~)", file=file)
        if c in hoc:
            continue
        for i in items:
            if i in model.constructs:
                raise InputError(
                    f"construct {c} is measured by items and by the construct {i}: give the "
                    "items a construct of their own (a higher-order construct is measured by "
                    "constructs only)",
                    file=file,
                )
            if i in seen:
                raise InputError(
                    f"item {i} measures both {seen[i]} and {c} (PLS needs each item in one "
                    "construct)",
                    file=file,
                )
            seen[i] = c
    if not model.paths:
        raise InputError("the model has no structural path ('Y ~ X' line)", file=file)
    for s, t in model.paths:
        for name in (s, t):
            if name not in model.constructs:
                what = "an item" if name in seen else "not defined"
                raise InputError(
                    f"construct {name} has no items ({what}; define it with "
                    f"'{name} =~ item1 + ...' or '<~')",
                    file=file,
                )
        if s == t:
            raise InputError(f"path {t} ~ {s} regresses a construct on itself", file=file)
    in_paths = {n for p in model.paths for n in p}
    for c in model.constructs:
        if c not in in_paths and c not in model.lower_order:
            raise InputError(
                f"construct {c} is in no structural path (PLS needs every construct linked)",
                file=file,
            )
    _check_acyclic(model)


def _check_higher_order(model: PLSModel, hoc: dict[str, list[str]]) -> None:
    """A lower-order construct measures one higher-order construct, is itself measured by
    items (two levels only) and is in no structural path of its own (the higher-order
    construct stands for it in the structural model)."""
    file = model.source
    owner: dict[str, str] = {}
    in_paths = {n for p in model.paths for n in p}
    for h, dims in hoc.items():
        if h in dims:
            raise InputError(f"construct {h} cannot measure itself", file=file)
        if len(set(dims)) < len(dims):
            raise InputError(f"construct {h} names a lower-order construct twice", file=file)
        for d in dims:
            if d in hoc:
                raise InputError(
                    f"construct {h}: its dimension {d} is itself higher-order (the two-stage "
                    "approach takes two levels: items -> lower-order -> higher-order)",
                    file=file,
                )
            if d in owner:
                raise InputError(
                    f"construct {d} is a dimension of both {owner[d]} and {h}", file=file
                )
            owner[d] = h
            if d in in_paths:
                raise InputError(
                    f"construct {d} is a dimension of {h} and also in a structural path: "
                    f"link {h} instead (the two-stage approach replaces {h} by its dimensions)",
                    file=file,
                )


def _check_acyclic(model: PLSModel) -> None:
    names = model.names
    k = len(names)
    adj = np.zeros((k, k))
    for s, t in model.paths:
        adj[names.index(s), names.index(t)] = 1
    reach = adj.copy()
    for _ in range(k):
        reach = np.minimum(1, reach + reach @ adj)
    loops = [names[i] for i in range(k) if reach[i, i]]
    if loops:
        raise InputError(
            f"the structural model has a feedback loop through {', '.join(loops)} "
            "(PLS path models must be recursive)",
            file=model.source,
        )


def _formative_lhs(text: str) -> set[str]:
    """Names on the left of ``<~`` in lavaan syntax (the parser does not accept ``<~``)."""
    out = set()
    for raw in text.splitlines():
        for m in re.finditer(r"([A-Za-z_.][\w.]*)\s*<~", _strip_comment(raw)):
            out.add(m.group(1))
    return out


def _parse(text: str, file: str | None):
    """parse_syntax, with 'nothing after =~' turned into 'construct X has no items'."""
    lines = [_strip_comment(x).strip() for x in text.splitlines()]
    for k, line in enumerate(lines):
        m = re.fullmatch(r"([A-Za-z_.][\w.]*)\s*=~", line)
        if m:
            rest = [x for x in lines[k + 1 :] if x]
            if not rest or "~" in rest[0]:  # the next line is a statement of its own
                raise ModelSyntaxError(
                    f"construct {m.group(1)} has no items", line=k + 1, file=file
                )
    try:
        return parse_syntax(text, file=file)
    except ModelSyntaxError as exc:
        lines = text.splitlines()
        if "nothing after" in exc.message and exc.line and exc.line <= len(lines):
            m = re.search(r"([A-Za-z_.][\w.]*)\s*=~\s*$", _strip_comment(lines[exc.line - 1]))
            if m:
                raise ModelSyntaxError(
                    f"construct {m.group(1)} has no items", line=exc.line, file=file
                ) from None
        raise


def parse_pls_syntax(text: str, file: str | None = None) -> PLSModel:
    """Read a PLS path model from lavaan syntax (``=~`` mode A, ``<~`` mode B, ``~`` paths).

    Example:
        >>> m = parse_pls_syntax("X <~ x1 + x2\\nY =~ y1 + y2\\nY ~ X")
        >>> m.modes, m.paths
        ({'X': 'B', 'Y': 'A'}, [('X', 'Y')])
    """
    formative = _formative_lhs(text)
    rows = _parse(text.replace("<~", "=~"), file)
    constructs: dict[str, list[str]] = {}
    modes: dict[str, str] = {}
    paths: list[tuple[str, str]] = []
    ignored: list[str] = []
    for r in rows:
        if r.op == "=~":
            constructs.setdefault(r.lhs, []).append(r.rhs)
            modes[r.lhs] = "B" if r.lhs in formative else "A"
        elif r.op == "~":
            if (r.rhs, r.lhs) not in paths:
                paths.append((r.rhs, r.lhs))
        else:
            ignored.append(f"{r.lhs} {r.op} {r.rhs}".strip())
    for s, t in paths:
        for name in (s, t):
            if name not in constructs:
                raise ModelSyntaxError(
                    f"construct {name} has no items: define it with '{name} =~ item1 + ...' "
                    f"(mode A) or '{name} <~ item1 + ...' (mode B)",
                    file=file,
                )
    return PLSModel(constructs, modes, paths, file, ignored=ignored)


def _toml_modes(path: Path) -> dict[str, str]:
    raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    modes = {}
    for c in raw.get("constructs", []):
        code = c.get("code")
        mode = str(c.get("mode", "B" if c.get("formative") else "A")).upper()
        if mode not in MODES:
            raise InputError(f"construct {code}: mode must be 'A' or 'B'", file=str(path))
        modes[code] = mode
    return modes


def read_pls_model(path: str | Path) -> PLSModel:
    """A PLS model from a lavaan-syntax file or the project's TOML model file."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError("model file not found", file=file)
    if path.suffix.lower() != ".toml":
        return parse_pls_syntax(path.read_text(encoding="utf-8-sig"), file=file)
    inst = read_instrument(path)
    modes = _toml_modes(path)
    return model_from_instrument(inst, modes)


def model_from_instrument(inst: Instrument, modes: dict[str, str] | None = None) -> PLSModel:
    """Constructs from the instrument, paths from its structural syntax (``Y ~ X`` lines)."""
    modes = modes or {}
    constructs = {**inst.construct_items, **inst.construct_components}
    text = inst.structural.replace("<~", "=~")
    paths: list[tuple[str, str]] = []
    if text.strip():
        for r in parse_syntax(text, file=inst.source):
            if r.op == "~" and (r.rhs, r.lhs) not in paths:
                paths.append((r.rhs, r.lhs))
    model = PLSModel(
        dict(constructs),
        {c: modes.get(c, "A") for c in constructs},
        paths,
        inst.source,
        instrument=inst,
    )
    return model


def as_model(model: PLSModel | str | Path) -> PLSModel:
    """A PLSModel from a model object, a model file or lavaan syntax text."""
    if isinstance(model, PLSModel):
        return model
    if isinstance(model, Instrument):
        return model_from_instrument(model)
    text = str(model)
    if isinstance(model, Path) or names_a_file(text):
        return read_pls_model(text)
    return parse_pls_syntax(text)
