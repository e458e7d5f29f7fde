"""Parser for lavaan model syntax.

Supported: ``=~`` (measured by), ``~`` (regression), ``~~`` (variance/covariance), ``~ 1``
(intercept), ``|`` (thresholds of an ordered item: ``item | t1 + t2``, rows named
``item|t1`` as lavaan names them), ``:=`` (defined parameter), ``==`` (equality constraint),
comments (``#``, ``!``),
several statements on one line separated by ``;``, statements continued over lines after an
operator or ``+``. Modifiers before a variable: fixed values (``1*x``), free (``NA*x``),
labels (``a*x``, ``label("a")*x``), starting values (``start(.5)*x``), and per-group
vectors ``c(a, b)*x`` / ``c(1, NA)*x``. Reference: Rosseel (2012), lavaan model syntax.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from loyaltysem.base.errors import ModelSyntaxError

OPERATORS = ("=~", "~~", ":=", "==", "<~", "~", "<", ">", "|")
_NAME = re.compile(r"^[A-Za-z_.][\w.]*$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_THRESHOLD = re.compile(r"^t[1-9]\d*$")


@dataclass
class Modifier:
    """What the syntax said about one parameter; lists have one entry per group."""

    fixed: list[float | None] = field(default_factory=list)  # None = free (NA)
    label: list[str] = field(default_factory=list)
    start: list[float] = field(default_factory=list)


@dataclass
class SyntaxRow:
    lhs: str
    op: str
    rhs: str
    line: int
    modifier: Modifier = field(default_factory=Modifier)


def _strip_comment(line: str) -> str:
    out = []
    quote = None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "#!":
            break
        out.append(ch)
    return "".join(out)


def _statements(text: str) -> list[tuple[int, str]]:
    """Split text into (line number, statement), joining continued lines."""
    pieces: list[tuple[int, str]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        for part in _strip_comment(raw).split(";"):
            part = part.strip()
            if part:
                pieces.append((lineno, part))
    statements: list[tuple[int, str]] = []
    for lineno, part in pieces:
        if statements:
            prev_line, prev = statements[-1]
            incomplete = prev.rstrip().endswith(("+", "*", "=~", "~", ":=", "==", ","))
            continues = part.startswith(("+", "*"))
            if incomplete or continues or prev.count("(") > prev.count(")"):
                statements[-1] = (prev_line, prev + " " + part)
                continue
        statements.append((lineno, part))
    return statements


_BAD_OPERATORS = ("=>", "->", "<-", "~>", "=~~", "~=")


def _split_op(stmt: str, lineno: int, file: str | None) -> tuple[str, str, str]:
    for bad in _BAD_OPERATORS:
        if bad in stmt:
            raise ModelSyntaxError(
                f"unknown operator '{bad}' (use =~, ~, ~~, ~ 1 or :=)", line=lineno, file=file
            )
    # find the first operator outside parentheses, longest match first
    depth = 0
    i = 0
    while i < len(stmt):
        ch = stmt[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            for op in OPERATORS:
                if stmt.startswith(op, i):
                    return stmt[:i].strip(), op, stmt[i + len(op) :].strip()
        i += 1
    raise ModelSyntaxError(f"no operator (=~, ~, ~~, :=) in '{stmt}'", line=lineno, file=file)


def _split_terms(rhs: str) -> list[str]:
    terms, depth, cur = [], 0, []
    for ch in rhs:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "+" and depth == 0:
            terms.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    terms.append("".join(cur).strip())
    return terms


def _start_value(tok: str, lineno: int, file: str | None) -> float:
    try:
        return float(_atom(tok, lineno, file)[1])
    except (TypeError, ValueError):
        raise ModelSyntaxError(
            f"start({tok}): a start value must be a number", line=lineno, file=file
        ) from None


def _parse_value(tok: str, lineno: int, file: str | None, mod: Modifier, ngroups_hint: int = 1):
    tok = tok.strip()
    if tok.startswith("c(") and tok.endswith(")"):
        parts = [p.strip() for p in tok[2:-1].split(",")]
        vals = [_atom(p, lineno, file) for p in parts]
        kinds = {k for k, _ in vals}
        if kinds <= {"fixed", "free"}:
            mod.fixed = [v if k == "fixed" else None for k, v in vals]
        elif kinds == {"label"}:
            mod.label = [v for _, v in vals]
        else:
            raise ModelSyntaxError(f"mixed values in '{tok}'", line=lineno, file=file)
        return
    m = re.fullmatch(r"(start|label|equal)\((.*)\)", tok)
    if m:
        inner = [p.strip() for p in _split_commas(m.group(2))]
        if m.group(1) == "start":
            mod.start = [_start_value(p, lineno, file) for p in inner]
        else:
            mod.label = [p.strip("\"'") for p in inner]
        return
    kind, val = _atom(tok, lineno, file)
    if kind == "fixed":
        mod.fixed = [val]
    elif kind == "free":
        mod.fixed = [None]
    else:
        mod.label = [val]


def _split_commas(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("c(") and text.endswith(")"):
        text = text[2:-1]
    return [p for p in text.split(",") if p.strip()]


def _atom(tok: str, lineno: int, file: str | None) -> tuple[str, object]:
    tok = tok.strip()
    if _NUMBER.match(tok):
        return "fixed", float(tok)
    if tok in ("NA", "NaN"):
        return "free", None
    if (tok.startswith('"') and tok.endswith('"')) or (tok.startswith("'") and tok.endswith("'")):
        return "label", tok[1:-1]
    if _NAME.match(tok):
        return "label", tok
    raise ModelSyntaxError(f"cannot read modifier '{tok}'", line=lineno, file=file)


def _parse_term(term: str, lineno: int, file: str | None) -> tuple[str, Modifier]:
    if not term:
        raise ModelSyntaxError("empty term (two '+' in a row?)", line=lineno, file=file)
    parts = _split_star(term)
    var = parts[-1].strip()
    mod = Modifier()
    for tok in parts[:-1]:
        _parse_value(tok, lineno, file, mod)
    return var, mod


def _split_star(term: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in term:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "*" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


_ALLOWED_AST = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.Call,
)
_FUNCS = {"sqrt", "exp", "log", "abs"}


def expression_names(expr: str, lineno: int | None = None, file: str | None = None) -> list[str]:
    """Labels used in a ``:=`` / ``==`` expression (R's ``^`` is accepted for powers)."""
    try:
        tree = ast.parse(expr.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ModelSyntaxError(f"cannot read expression '{expr}'", line=lineno, file=file) from None
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_AST):
            raise ModelSyntaxError(f"unsupported expression '{expr}'", line=lineno, file=file)
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in _FUNCS):
                raise ModelSyntaxError(f"unsupported function in '{expr}'", line=lineno, file=file)
        elif isinstance(node, ast.Name) and node.id not in _FUNCS and node.id not in names:
            names.append(node.id)
    return names


def _threshold_rows(lhs: str, rhs: str, lineno: int, file: str | None) -> list[SyntaxRow]:
    """``item | t1 + a*t2 + 0.5*t3``: one row per threshold (lavaan's ``item|t1`` ...)."""
    if not _NAME.match(lhs):
        raise ModelSyntaxError(
            f"'{lhs}' before '|' must be one ordered item", line=lineno, file=file
        )
    if not rhs:
        raise ModelSyntaxError("nothing after '|' (thresholds t1, t2, ...)", line=lineno, file=file)
    out = []
    for term in _split_terms(rhs):
        var, mod = _parse_term(term, lineno, file)
        if not _THRESHOLD.match(var):
            raise ModelSyntaxError(
                f"'{lhs} | {var}': thresholds are named t1, t2, ...", line=lineno, file=file
            )
        out.append(SyntaxRow(lhs, "|", var, lineno, mod))
    return out


#: Suffixes of model files: a one-line model argument ending in one is a path, never syntax.
MODEL_SUFFIXES = (".lav", ".toml", ".txt", ".model")


def names_a_file(text: str) -> bool:
    """Whether a one-line model argument is a file path rather than lavaan syntax: it names
    an existing file or folder (whatever characters the path holds: ``a=b/m.lav``,
    ``my~model.lav``), ends in a model file's suffix (a path that does not exist is then
    "not found", not parsed as ``my ~ model.lav``) or holds no operator.

    Example:
        >>> names_a_file("my~model.lav"), names_a_file("SAT =~ SAT1 + SAT2 + SAT3")
        (True, False)
    """
    from pathlib import Path

    if "\n" in text:
        return False
    try:
        if Path(text).exists():
            return True
    except (OSError, ValueError):  # too long for a file name, or a NUL byte
        return False
    if text.strip().lower().endswith(MODEL_SUFFIXES):
        return True
    return not any(op in text for op in "~=")


def parse_syntax(text: str, file: str | None = None) -> list[SyntaxRow]:
    """Parse lavaan model syntax into rows (lhs, op, rhs, line, modifier).

    Example:
        >>> rows = parse_syntax("visual =~ x1 + a*x2 + x3\\nvisual ~~ 1*visual")
        >>> [(r.lhs, r.op, r.rhs, r.modifier.label) for r in rows][:2]
        [('visual', '=~', 'x1', []), ('visual', '=~', 'x2', ['a'])]
    """
    if not isinstance(text, str):
        raise ModelSyntaxError(
            f"model syntax must be text (lavaan syntax), not {type(text).__name__}", file=file
        )
    rows: list[SyntaxRow] = []
    for lineno, stmt in _statements(text):
        lhs, op, rhs = _split_op(stmt, lineno, file)
        if op == "<~":
            raise ModelSyntaxError(
                f"operator '{op}' (formative indicators) is not supported",
                line=lineno,
                file=file,
            )
        if op == "|":
            rows.extend(_threshold_rows(lhs, rhs, lineno, file))
            continue
        if op in (":=", "==", "<", ">"):
            if op == ":=" and not _NAME.match(lhs):
                raise ModelSyntaxError(f"'{lhs}' is not a valid name", line=lineno, file=file)
            if not rhs:
                raise ModelSyntaxError(f"nothing after '{op}'", line=lineno, file=file)
            expression_names(rhs, lineno, file)
            if op != ":=":
                expression_names(lhs, lineno, file)
            rows.append(SyntaxRow(lhs, op, "".join(rhs.split()), lineno))  # lavaan's form
            continue
        lhs_names = [s.strip() for s in lhs.split("+")]
        for name in lhs_names:
            if not _NAME.match(name):
                raise ModelSyntaxError(
                    f"'{name}' is not a valid variable name", line=lineno, file=file
                )
        if not rhs:
            raise ModelSyntaxError(f"nothing after '{op}'", line=lineno, file=file)
        for term in _split_terms(rhs):
            var, mod = _parse_term(term, lineno, file)
            if op == "~" and _NUMBER.match(var):
                if float(var) != 1.0:
                    raise ModelSyntaxError(
                        f"'~ {var}': only '~ 1' (intercept)", line=lineno, file=file
                    )
                for name in lhs_names:
                    rows.append(SyntaxRow(name, "~1", "", lineno, mod))
                continue
            if not _NAME.match(var):
                raise ModelSyntaxError(
                    f"'{var}' is not a valid variable name", line=lineno, file=file
                )
            for name in lhs_names:
                rows.append(SyntaxRow(name, op, var, lineno, mod))
    if not rows:
        raise ModelSyntaxError("the model is empty", file=file)
    return rows
