"""Product indicators for ``X:Z`` terms (the expansion ``loyaltysem.sem`` applies before
it builds the parameter table).

**Latent X and Z** (double-mean centring; Marsh, Wen & Hau 2004; Lin et al. 2010): the items
of X and Z are mean-centred, multiplied in matched pairs (x1*z1, x2*z2, ... in the order of
the ``=~`` statements) or in all pairs (``match=False``: x1*z1, x1*z2, ..., x2*z1, ...), and
the products are centred again. This is semTools' ``indProd(data, var1, var2, match,
meanC = TRUE, residualC = FALSE, doubleMC = TRUE)``: centring uses each column's mean over the
available answers, a product is missing when either answer is, and the product columns are
named ``x1.z1``. A product factor ``X.Z =~ x1.z1 + ...`` replaces the ``X:Z`` term; product
indicators that share a parent item of a latent factor get correlated residuals (Marsh et al.
2004: they share that item's measurement error). With an observed moderator (a data column
without measurement error) the products are ``x1.Z, x2.Z, ...`` and share no error.

**Observed X and Z**: the single product column ``X.Z`` of the mean-centred X and Z (centred
again), used as an observed predictor; X and Z themselves enter uncentred, so the
coefficient of X is its slope at the mean of Z (as with product indicators).

``expand_interactions`` returns the augmented data and lavaan syntax that R's lavaan fits to
the same numbers. ``loyaltysem.sem`` accepts ``X:Z`` directly (``expand_for_sem``); its
estimates name the product term ``X:Z`` (``Y ~ X:Z``), as lavaan names observed
interactions. The bootstrap of such a fit resamples rows of the augmented data, as lavaan's
bootstrap of a model fitted on ``indProd()`` data does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.survey.data import as_frame
from loyaltysem.survey.syntax import SyntaxRow, _strip_comment, parse_syntax

_TERM = re.compile(r"(?<![\w.])([A-Za-z_.][\w.]*)\s*:(?!=)\s*([A-Za-z_.][\w.]*)")


@dataclass
class Interaction:
    """One ``X:Z`` term: its parts, the product columns and (latent case) the product factor."""

    x: str
    z: str
    x_items: list[str]
    z_items: list[str]
    x_latent: bool
    z_latent: bool
    products: list[str]  # product columns (indicators of the factor, or the single column)
    pairs: list[tuple[str, str]]  # parent items of each product column
    syntax_name: str  # the name in the lavaan syntax: 'X.Z' (factor or column)

    @property
    def name(self) -> str:
        """The name in loyaltysem's estimates: ``X:Z``."""
        return f"{self.x}:{self.z}"

    @property
    def latent(self) -> bool:
        return self.x_latent or self.z_latent


@dataclass
class Expansion:
    """Augmented data and lavaan syntax for a model with ``X:Z`` terms."""

    data: pd.DataFrame
    syntax: str
    interactions: list[Interaction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def renames(self) -> dict[str, str]:
        """Syntax name -> reported name (``X.Z`` -> ``X:Z``)."""
        return {it.syntax_name: it.name for it in self.interactions}


def interaction_terms(result) -> list[tuple[str, str, str]]:
    """(y, x, z) of every ``Y ~ X:Z`` row of a fitted model."""
    pt = result.pt
    out = []
    for r in pt[(pt["op"] == "~") & pt["rhs"].str.contains(":", regex=False)].itertuples():
        x, z = r.rhs.split(":", 1)
        if (r.lhs, x, z) not in out:
            out.append((r.lhs, x, z))
    return out


def has_interaction(syntax: str) -> bool:
    """Whether lavaan syntax has an ``X:Z`` term (``:=`` and comments do not count)."""
    return any(_TERM.search(_strip_comment(line)) for line in syntax.splitlines())


def _rewrite(syntax: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace each ``X:Z`` by ``X.Z`` (comments kept, lines unchanged); the pairs in order."""
    pairs: list[tuple[str, str]] = []

    def sub(m: re.Match) -> str:
        pair = (m.group(1), m.group(2))
        if pair not in pairs:
            pairs.append(pair)
        return f"{pair[0]}.{pair[1]}"

    out = []
    for line in syntax.splitlines():
        code = _strip_comment(line)
        out.append(_TERM.sub(sub, code) + line[len(code) :])
    return "\n".join(out), pairs


def _centre(values: pd.DataFrame) -> pd.DataFrame:
    """``scale(x, scale = FALSE)``: subtract each column's mean over the available values."""
    return values - values.mean(axis=0, skipna=True)


def _numeric(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = frame[cols].apply(pd.to_numeric, errors="coerce")
    bad = out.isna() & frame[cols].notna()
    if bad.any().any():
        col = bad.any().idxmax()
        row = int(np.argmax(bad[col].to_numpy()))
        raise InputError(f"non-numeric value '{frame[col].iloc[row]}'", column=col, row=row + 1)
    return out.astype(float)


def product_indicators(
    data: pd.DataFrame,
    var1: list[str],
    var2: list[str],
    *,
    match: bool = True,
    mean_centre: bool = True,
    double_centre: bool = True,
) -> pd.DataFrame:
    """Product columns as semTools ``indProd(data, var1, var2, match, meanC, residualC = FALSE,
    doubleMC)``: matched pairs (var1[i] * var2[i]) or all pairs (var1 outer, var2 inner),
    named ``var1.var2``; returns only the product columns.

    Example:
        >>> d = pd.DataFrame({"x1": [1.0, 2, 3, 6], "z1": [2.0, 1, 4, 5]})
        >>> product_indicators(d, ["x1"], ["z1"])["x1.z1"].tolist()
        [-0.5, -0.5, -2.5, 3.5]
    """
    a = _numeric(data, list(var1))
    b = _numeric(data, list(var2))
    if mean_centre:
        a, b = _centre(a), _centre(b)
    if match:
        if len(var1) != len(var2):
            raise InputError(
                f"matched-pair products need as many items in each set ({len(var1)} vs "
                f"{len(var2)}): use match=False (all pairs)"
            )
        pairs = list(zip(var1, var2, strict=True))
    else:
        pairs = [(u, v) for u in var1 for v in var2]
    prod = pd.DataFrame(
        {f"{u}.{v}": a[u].to_numpy() * b[v].to_numpy() for u, v in pairs}, index=data.index
    )
    if double_centre:
        prod = _centre(prod)
    return prod


def _parts(name: str, rows: list[SyntaxRow], data: pd.DataFrame) -> tuple[list[str], bool]:
    """Items of a latent variable (and True), or the observed column itself (and False)."""
    items = [r.rhs for r in rows if r.op == "=~" and r.lhs == name]
    if items:
        lv = {r.lhs for r in rows if r.op == "=~"}
        nested = [i for i in items if i in lv]
        if nested:
            raise InputError(
                f"interaction with '{name}': its indicator '{nested[0]}' is a factor "
                "(product indicators need observed items)"
            )
        return list(dict.fromkeys(items)), True
    if name in data.columns:
        return [name], False
    raise InputError(
        f"'{name}' in an interaction term is neither a construct of the model (=~) nor a "
        "column of the data",
        column=name,
    )


def _shared_error_pairs(inters: list[Interaction]) -> list[tuple[str, str]]:
    """Product indicators sharing a parent item that has measurement error (Marsh et al.
    2004): their residuals covary."""
    owners: list[tuple[str, set[str]]] = []
    for it in inters:
        if not it.latent:
            continue
        for prod, (u, v) in zip(it.products, it.pairs, strict=True):
            noisy = set()
            if it.x_latent:
                noisy.add(u)
            if it.z_latent:
                noisy.add(v)
            owners.append((prod, noisy))
    out = []
    for i, (p, a) in enumerate(owners):
        for q, b in owners[i + 1 :]:
            if a & b and (p, q) not in out:
                out.append((p, q))
    return out


def expand_interactions(
    model: str,
    data,
    *,
    match: bool = True,
    double_centre: bool = True,
    orthogonal: bool = False,
    correlate_shared: bool = True,
) -> Expansion:
    """Expand ``X:Z`` terms of lavaan syntax into product indicators (see the module notes).

    ``match=False`` uses all pairs of items; ``orthogonal=True`` fixes the covariances of the
    product factor with X and Z to 0 (``X.Z ~~ 0*X + 0*Z``, as semTools' example; implied by
    double-mean centring under normality); ``correlate_shared=False`` leaves out the
    residual covariances of product indicators that share an item.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> df = pd.DataFrame(rng.integers(1, 8, (50, 9)).astype(float),
        ...     columns=[f"{c}{i}" for c in ("SAT", "SWC", "LOY") for i in (1, 2, 3)])
        >>> ex = expand_interactions(
        ...     "SAT =~ SAT1 + SAT2 + SAT3\\nSWC =~ SWC1 + SWC2 + SWC3\\n"
        ...     "LOY =~ LOY1 + LOY2 + LOY3\\nLOY ~ SAT + SWC + SAT:SWC", df)
        >>> ex.syntax.splitlines()[3:5]
        ['LOY ~ SAT + SWC + SAT.SWC', 'SAT.SWC =~ SAT1.SWC1 + SAT2.SWC2 + SAT3.SWC3']
    """
    frame = as_frame(data)
    text, pairs = _rewrite(model)
    rows = parse_syntax(text)
    known = {r.lhs for r in rows} | {r.rhs for r in rows}
    inters: list[Interaction] = []
    new_cols: dict[str, pd.Series] = {}
    warnings: list[str] = []
    for x, z in pairs:
        xi, xl = _parts(x, rows, frame)
        zi, zl = _parts(z, rows, frame)
        both = xl and zl
        prod = product_indicators(frame, xi, zi, match=match and both, double_centre=double_centre)
        cols = list(prod.columns)
        name = f"{x}.{z}"
        if (xl or zl) and (name in frame.columns or any(r.lhs == name for r in rows)):
            raise InputError(
                f"the product factor '{name}' of {x}:{z} clashes with a column or "
                "construct of that name"
            )
        if not (xl or zl):
            prod.columns = [name]
            cols = [name]
        pairs_used = _pairs_of(xi, zi, match and both)
        for c in cols:
            new_cols[c] = prod[c]
        inters.append(Interaction(x, z, xi, zi, xl, zl, cols, pairs_used, name))
        warnings += _observed_in_latent(x, z, xl, zl)
    for c in new_cols:
        if c in known and c not in [it.syntax_name for it in inters]:
            raise InputError(f"the product column '{c}' clashes with a name in the model")
    out = frame.copy()
    for c, s in new_cols.items():
        out[c] = s
    syntax = _expanded_syntax(text, inters, orthogonal, correlate_shared)
    return Expansion(out, syntax, inters, warnings)


def _observed_in_latent(x: str, z: str, xl: bool, zl: bool) -> list[Notice]:
    """A notice when an observed variable meets a latent one in ``x:z``: its covariance with
    the latent predictors is 0 unless the model frees it."""
    obs = [v for v, lat in ((x, xl), (z, zl)) if not lat]
    if not ((xl or zl) and obs):
        return []
    latent = x if xl else z
    msg = (
        f"'{obs[0]}' is an observed variable in the latent interaction {x}:{z}: as in "
        f"lavaan, its covariance with the latent predictors is 0 unless the model "
        f"says otherwise (e.g. '{latent} ~~ {obs[0]}')"
    )
    return [Notice("sem.observed_in_latent_interaction", msg, var=obs[0], x=x, z=z, latent=latent)]


def _expanded_syntax(
    text: str, inters: list[Interaction], orthogonal: bool, correlate_shared: bool
) -> str:
    """The rewritten syntax plus each product factor's indicators (``X.Z =~ x1.z1 + ...``),
    its zero covariances with X and Z when ``orthogonal``, and the residual covariances of
    product indicators sharing an item when ``correlate_shared``."""
    lines = [text.rstrip("\n")]
    for it in inters:
        if not it.latent:
            continue
        lines.append(f"{it.syntax_name} =~ " + " + ".join(it.products))
        if orthogonal:
            lines.append(f"{it.syntax_name} ~~ 0*{it.x} + 0*{it.z}")
    if correlate_shared:
        lines += [f"{p} ~~ {q}" for p, q in _shared_error_pairs(inters)]
    return "\n".join(lines) + "\n"


def _pairs_of(xi: list[str], zi: list[str], match: bool) -> list[tuple[str, str]]:
    if match:
        return list(zip(xi, zi, strict=True))
    return [(u, v) for u in xi for v in zi]


def _rename_rows(rows: list[SyntaxRow], renames: dict[str, str]) -> list[SyntaxRow]:
    out = []
    for r in rows:
        out.append(
            SyntaxRow(
                renames.get(r.lhs, r.lhs),
                r.op,
                renames.get(r.rhs, r.rhs) if r.op != ":=" else r.rhs,
                r.line,
                r.modifier,
            )
        )
    return out


def expand_for_sem(syntax: str, data, file: str | None = None, **options):
    """The hook of :func:`loyaltysem.sem`: parsed rows, the data and the syntax to record.

    Without an ``X:Z`` term this is ``parse_syntax``. With one, the rows are those of the
    expanded syntax with the product factor (or column) renamed ``X:Z``, the data gain the
    product columns (an observed product is named ``X:Z`` there too), and the syntax
    returned is the expanded lavaan syntax (``X.Z``), which R's lavaan fits to the same
    numbers.
    """
    rows, frame, text, _ = _expand(syntax, data, file, **options)
    return rows, frame, text


def _expand(syntax: str, data, file: str | None = None, **options):
    """expand_for_sem's work, plus the expansion's warnings."""
    if not has_interaction(syntax):
        return parse_syntax(syntax, file=file), data, syntax, []
    try:
        parse_syntax(_rewrite(syntax)[0], file=file)  # syntax errors name the user's line
        ex = expand_interactions(syntax, data, **options)
    except InputError as exc:
        if file and not exc.file:
            exc.file = str(file)
            exc.args = (exc._format(),)
        raise
    rows = _rename_rows(parse_syntax(ex.syntax, file=file), ex.renames)
    frame = ex.data
    for it in ex.interactions:
        if not it.latent:
            frame = frame.assign(**{it.name: frame[it.syntax_name]})
    return rows, frame, ex.syntax, ex.warnings
