"""The parameter table: lavaan's single source of every later table.

``build_partable`` turns parsed syntax into lavaan's full parameter table for ``sem()`` /
``cfa()``: the user's rows plus the parameters lavaan adds by default (Rosseel 2012;
``lavaan::lavaanify`` with auto.fix.first, auto.fix.single, auto.var, auto.cov.lv.x,
auto.cov.y, int.ov.free, fixed.x). Columns: id, lhs, op, rhs, user, group, free, ustart, label,
plabel, exo. ``free`` numbers the free parameters 1..npar after equality constraints (rows that
share a label share a number); 0 is fixed.

Ordered items (lavaan's ``ordered =``; ``lav_partable_flat``): free thresholds ``item | t1``
..., the item's residual variance fixed to 1, a scale factor ``item ~*~ item`` fixed to 1, the
item's intercept fixed to 0, and a mean structure (latent means 0; free in groups 2+ with equal
thresholds or intercepts). ``parameterization = "delta"``: the residual variance is not a
parameter (the model sets it to 1/delta^2 minus the explained variance) and the scale factors
are free in groups 2+ when ``"thresholds"`` is in group.equal. ``"theta"``: the residual
variance is a parameter, free in groups 2+ when ``"thresholds"`` is in group.equal, and the
scale factors are derived (1/sqrt of the implied variance).

``group.equal`` / ``group.partial`` follow ``lav_partable_labels``: a group-1 row of an equal
kind (fixed rows too) ties the same row of every other group unless its name (``lhs op rhs``
without spaces, e.g. ``"A1|t2"``, ``"f=~x3"``) is in group.partial; a set of tied rows with a
fixed member is fixed at that value (lavaan's ``lavaanify``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import IdentificationError, ModelSyntaxError
from loyaltysem.survey.syntax import SyntaxRow, expression_names, parse_syntax


@dataclass
class ModelVariables:
    """Names lavaan derives from the syntax (``lavNames``)."""

    lv: list[str]
    ov: list[str]
    indicators: dict[str, list[str]]
    ov_x: list[str] = field(default_factory=list)  # exogenous observed covariates
    lv_x: list[str] = field(default_factory=list)  # exogenous latent variables
    endogenous: list[str] = field(default_factory=list)
    # exogenous observed variables whose (co)variance or intercept the syntax specifies:
    # lavaan treats them as random, not as fixed.x covariates (with a warning)
    ov_x_random: list[str] = field(default_factory=list)


def _unique(seq):
    out = []
    for s in seq:
        if s not in out:
            out.append(s)
    return out


def model_variables(rows: list[SyntaxRow]) -> ModelVariables:
    """Latent and observed names in lavaan's order (indicators first, then other observed)."""
    lv = _unique(r.lhs for r in rows if r.op == "=~")
    indicators: dict[str, list[str]] = {f: [] for f in lv}
    for r in rows:
        if r.op == "=~" and r.rhs not in indicators[r.lhs]:
            indicators[r.lhs].append(r.rhs)
    ov_ind = _unique(r.rhs for r in rows if r.op == "=~" and r.rhs not in lv)
    others = []
    for r in rows:
        if r.op in ("~", "~~", "~1"):
            for name in (r.lhs, r.rhs):
                if name and name not in lv and name not in ov_ind:
                    others.append(name)
    # lavaan: dependent observed (ov.y) come before pure covariates (ov.x)
    regress_lhs = {r.lhs for r in rows if r.op == "~"}
    regress_rhs = {r.rhs for r in rows if r.op == "~"}
    others = _unique(others)
    ov_y = [v for v in others if v in regress_lhs]
    rest = [v for v in others if v not in regress_lhs]
    ov = ov_ind + ov_y + rest
    lhs_of_regression = regress_lhs
    ov_x = [v for v in rest if v in regress_rhs and v not in lhs_of_regression and v not in ov_ind]
    # lavaan (lav_partable_vnames "ov.x"): a variance/covariance/intercept formula makes a
    # covariate random
    in_formulas = {n for r in rows if r.op in ("~~", "~1") for n in (r.lhs, r.rhs) if n}
    ov_x_random = [v for v in ov_x if v in in_formulas]
    ov_x = [v for v in ov_x if v not in in_formulas]
    endogenous = [v for v in lv + ov if v in lhs_of_regression]
    # lavaan (lav_partable_vnames "lv.x"): a latent variable is exogenous unless it is
    # regressed on something or measures another latent variable (a first-order factor of a
    # higher-order factor is endogenous: it gets a residual variance, no free covariances)
    lv_ind = {r.rhs for r in rows if r.op == "=~" and r.rhs in indicators}
    lv_x = [f for f in lv if f not in lhs_of_regression and f not in lv_ind]
    return ModelVariables(lv, ov, indicators, ov_x, lv_x, endogenous, ov_x_random)


@dataclass
class Row:
    lhs: str
    op: str
    rhs: str
    group: int
    user: int
    fixed: float | None = None
    free: bool = True
    label: str = ""
    start: float | None = None
    exo: int = 0


Thresholds = Mapping[str, Sequence[str]]  # ordered item -> its threshold names t1, t2, ...
PARAMETERIZATIONS = ("delta", "theta")  # lavaan's, for ordered items


def build_partable(
    model: str | list[SyntaxRow],
    *,
    ngroups: int = 1,
    meanstructure: bool = False,
    std_lv: bool = False,
    fixed_x: bool = True,
    group_equal: tuple[str, ...] = (),
    group_partial: tuple[str, ...] = (),
    file: str | None = None,
    ordered: Thresholds | Sequence[Thresholds] | None = None,
    parameterization: str = "delta",
) -> pd.DataFrame:
    """lavaan's parameter table for ``sem()``/``cfa()`` with their defaults.

    ``ordered`` maps every ordered item to its threshold names (``{"y1": ["t1", "t2"]}``),
    or is a list of such mappings, one per group (a category empty in one group has no
    threshold there). Items given thresholds in the syntax (``y1 | t1 + t2``) are ordered too.
    ``parameterization``: "delta" or "theta" (lavaan's, for ordered items; see the module
    docstring).

    Example:
        >>> pt = build_partable("visual =~ x1 + x2 + x3")
        >>> pt[["lhs", "op", "rhs", "free", "ustart"]].head(2).values.tolist()
        [['visual', '=~', 'x1', 0, 1.0], ['visual', '=~', 'x2', 1, nan]]
        >>> pt = build_partable("f =~ y1 + y2 + y3", ordered={"y1": ["t1", "t2"]})
        >>> pt.loc[pt["lhs"] == "y1", ["op", "rhs", "free", "ustart"]].values.tolist()[:3]
        [['|', 't1', 3, nan], ['|', 't2', 4, nan], ['~~', 'y1', 0, 1.0]]
    """
    rows = parse_syntax(model, file=file) if isinstance(model, str) else model
    mv = model_variables(rows)
    lv = mv.lv
    for r in rows:
        if r.op == "=~" and r.rhs in lv and r.rhs == r.lhs:
            raise ModelSyntaxError(f"'{r.lhs}' cannot measure itself", line=r.line, file=file)
    param_rows = [r for r in rows if r.op in ("=~", "~", "~~", "~1", "|")]
    constraint_rows = [r for r in rows if r.op in (":=", "==", "<", ">")]
    ord_groups = _ordered_per_group(ordered, rows, mv, ngroups, file)
    if any(ord_groups):
        meanstructure = True  # lavaan: categorical data always have a mean structure

    table: list[Row] = []
    for g in range(1, ngroups + 1):
        table.extend(
            _group_rows(param_rows, mv, g, ngroups, meanstructure, std_lv, fixed_x)
            if not ord_groups[g - 1]
            else _ordered_group_rows(param_rows, mv, g, ngroups, std_lv, fixed_x, ord_groups[g - 1])
        )

    if parameterization not in PARAMETERIZATIONS:
        raise ModelSyntaxError(
            f"parameterization must be 'delta' or 'theta', not '{parameterization}'", file=file
        )
    _apply_group_equal(table, mv, ngroups, group_equal, group_partial, parameterization, std_lv)
    _fix_tied_sets(table)
    pt = _number_free(table)
    pt = _add_constraints(pt, constraint_rows, file)
    return pt


def _ordered_per_group(ordered, rows, mv: ModelVariables, ngroups: int, file) -> list[dict]:
    """The ordered items' threshold names of every group (checked against the model)."""
    if ordered is None:
        per_group: list[dict] = [{} for _ in range(ngroups)]
    elif isinstance(ordered, Mapping):
        per_group = [{k: list(v) for k, v in ordered.items()} for _ in range(ngroups)]
    else:
        per_group = [{k: list(v) for k, v in o.items()} for o in ordered]
        if len(per_group) != ngroups:
            raise ModelSyntaxError(
                f"ordered: {len(per_group)} threshold sets for {ngroups} groups", file=file
            )
    for r in rows:
        if r.op != "|":
            continue
        if r.lhs not in mv.ov:
            raise ModelSyntaxError(
                f"thresholds given for '{r.lhs}', which the model does not use",
                line=r.line,
                file=file,
            )
        for thr in per_group:
            labels = thr.setdefault(r.lhs, [])
            if r.rhs not in labels and not ordered:
                labels.append(r.rhs)
    x = set(mv.ov_x)
    for thr in per_group:
        for item in thr:
            if item not in mv.ov:
                raise ModelSyntaxError(f"ordered item '{item}' is not in the model", file=file)
            if item in x:
                raise ModelSyntaxError(
                    f"ordered item '{item}' is an exogenous covariate: covariates enter the "
                    "probit regressions as numbers (lavaan's conditional.x); recode it as 0/1 "
                    "dummies or make it an indicator",
                    file=file,
                )
    return per_group


def _ordered_group_rows(rows, mv, g, ngroups, std_lv, fixed_x, thresholds: dict) -> list[Row]:
    """lavaan's rows for a group with ordered items (delta parameterization): the default
    rows with the thresholds before the variances, the ordered items' residual variances
    and intercepts fixed, and a scale factor ``~*~`` (fixed to 1) per ordered item."""
    base = _group_rows(rows, mv, g, ngroups, True, std_lv, fixed_x)
    user = [r for r in base if r.user == 1]
    rest = [r for r in base if r.user == 0]
    given = {(r.lhs, r.rhs) for r in user if r.op == "|"}
    for r in user:
        if r.op == "|" and r.rhs not in thresholds.get(r.lhs, []):
            raise ModelSyntaxError(
                f"'{r.lhs} | {r.rhs}': the item has thresholds "
                f"{', '.join(thresholds.get(r.lhs, [])) or 'none'} in group {g}"
            )
    th_rows = [
        Row(v, "|", t, g, user=0)
        for v in mv.ov
        if v in thresholds
        for t in thresholds[v]
        if (v, t) not in given
    ]
    for r in rest:
        if r.lhs in thresholds and r.op in ("~~", "~1") and r.lhs == (r.rhs or r.lhs):
            r.fixed, r.free = (1.0 if r.op == "~~" else 0.0), False
    first_mean = next((k for k, r in enumerate(rest) if r.op == "~1"), len(rest))
    scale = [Row(v, "~*~", v, g, user=0, fixed=1.0, free=False) for v in mv.ov if v in thresholds]
    return user + th_rows + rest[:first_mean] + scale + rest[first_mean:]


def _modifier_for_group(values: list, g: int, ngroups: int, what: str, row: SyntaxRow):
    if not values:
        return None, False
    if len(values) == 1:
        return values[0], True
    if len(values) != ngroups:
        raise ModelSyntaxError(
            f"{what} vector has {len(values)} values but the model has {ngroups} groups",
            line=row.line,
        )
    return values[g - 1], True


def _key(lhs: str, op: str, rhs: str) -> tuple[str, str, str]:
    """A row's identity: ``a ~~ b`` and ``b ~~ a`` are the same parameter."""
    if op == "~~":
        a, b = sorted((lhs, rhs))
        return (a, op, b)
    return (lhs, op, rhs)


def _user_rows(rows, g, ngroups, std_lv) -> tuple[list[Row], set[tuple[str, str, str]]]:
    """The rows the syntax gives for group ``g`` (modifiers applied, the first loading of
    each factor fixed to 1 unless ``std_lv``: lavaan's auto.fix.first) and their keys."""
    out: list[Row] = []
    specified: set[tuple[str, str, str]] = set()
    first_indicator_done: set[str] = set()
    for r in rows:
        k = _key(r.lhs, r.op, r.rhs)
        if k in specified:
            # lavaan merges duplicates; a repeated row is a user error we report clearly
            raise ModelSyntaxError(f"'{r.lhs} {r.op} {r.rhs}' is specified twice", line=r.line)
        specified.add(k)
        row = Row(r.lhs, r.op, r.rhs, g, user=1)
        fixed, has_fixed = _modifier_for_group(r.modifier.fixed, g, ngroups, "value", r)
        label, _ = _modifier_for_group(r.modifier.label, g, ngroups, "label", r)
        start, _ = _modifier_for_group(r.modifier.start, g, ngroups, "start", r)
        row.label = label or ""
        row.start = start
        if has_fixed and fixed is not None:
            row.fixed, row.free = float(fixed), False
        elif r.op == "=~" and r.lhs not in first_indicator_done and not std_lv and not has_fixed:
            row.fixed, row.free = 1.0, False  # auto.fix.first
        if r.op == "=~":
            first_indicator_done.add(r.lhs)
        out.append(row)
    return out, specified


def _variance_rows(mv: ModelVariables, g, specified, std_lv, x_fixed: set[str]) -> list[Row]:
    """lavaan's auto.var: variances of observed then latent variables not in the syntax."""
    lv, ov = mv.lv, mv.ov
    # single-indicator latent variables: residual variance of the indicator fixed to 0
    single = {f: inds[0] for f, inds in mv.indicators.items() if len(inds) == 1}
    out: list[Row] = []
    for v in ov:
        if _key(v, "~~", v) not in specified:
            if v in x_fixed:
                out.append(Row(v, "~~", v, g, user=0, free=False, exo=1))
            elif v in single.values() and v not in lv:
                out.append(Row(v, "~~", v, g, user=0, fixed=0.0, free=False))
            else:
                out.append(Row(v, "~~", v, g, user=0))
    for f in lv:
        if _key(f, "~~", f) not in specified:
            if std_lv:  # lavaan fixes every (residual) latent variance to 1
                out.append(Row(f, "~~", f, g, user=0, fixed=1.0, free=False))
            else:
                out.append(Row(f, "~~", f, g, user=0))
    return out


def _covariance_rows(names: list[str], specified, g, **fields) -> list[Row]:
    """``a ~~ b`` for every pair of ``names`` the syntax does not give, in lavaan's order."""
    return [
        Row(a, "~~", b, g, user=0, **fields)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if _key(a, "~~", b) not in specified
    ]


def _mean_rows(mv: ModelVariables, g, specified, x_fixed: set[str]) -> list[Row]:
    """Intercepts of the observed variables (fixed covariates' fixed) and latent means
    fixed to 0, where the syntax gives none."""
    out: list[Row] = []
    for v in mv.ov:
        if (v, "~1", "") not in specified:
            if v in x_fixed:
                out.append(Row(v, "~1", "", g, user=0, free=False, exo=1))
            else:
                out.append(Row(v, "~1", "", g, user=0))
    for f in mv.lv:
        if (f, "~1", "") not in specified:
            out.append(Row(f, "~1", "", g, user=0, fixed=0.0, free=False))
    return out


def _group_rows(rows, mv: ModelVariables, g, ngroups, meanstructure, std_lv, fixed_x) -> list[Row]:
    """Group ``g``'s parameter rows: the syntax's, then lavaan's automatic ones (auto.var,
    auto.cov.lv.x, fixed.x covariances, auto.cov.y, intercepts), in lavaan's order."""
    ov = mv.ov
    out, specified = _user_rows(rows, g, ngroups, std_lv)
    x_fixed = set(mv.ov_x) if fixed_x else set()
    out += _variance_rows(mv, g, specified, std_lv, x_fixed)
    # auto.cov.lv.x: covariances among exogenous latent variables
    out += _covariance_rows(mv.lv_x, specified, g)
    # fixed.x: covariances among exogenous observed covariates (fixed at sample values)
    out += _covariance_rows([v for v in ov if v in x_fixed], specified, g, free=False, exo=1)
    if not fixed_x:
        out += _covariance_rows([v for v in ov if v in mv.ov_x], specified, g)
    # auto.cov.y: residual covariances among dependent variables that predict nothing
    # (lavaan's lv.y and ov.y: neither predictors nor indicators, latent ones included)
    predictors = {r.rhs for r in rows if r.op == "~"}
    ys = [v for v in mv.endogenous if v not in predictors and v not in ov_indicator_set(mv)]
    out += _covariance_rows(ys, specified, g)
    if meanstructure:
        out += _mean_rows(mv, g, specified, x_fixed)
    return out


def ov_indicator_set(mv: ModelVariables) -> set[str]:
    return {i for inds in mv.indicators.values() for i in inds}


_GROUP_EQUAL_OPS = {
    "loadings": ("=~",),
    "thresholds": ("|",),
    "intercepts": ("~1",),
    "means": ("~1",),
    "residuals": ("~~",),
    "residual.covariances": ("~~",),
    "lv.variances": ("~~",),
    "lv.covariances": ("~~",),
    "regressions": ("~",),
}


def _equal_kind(row: Row, lv: set[str]) -> str | None:
    if row.op == "=~":
        return "loadings"
    if row.op == "|":
        return "thresholds"
    if row.op == "~":
        return "regressions"
    if row.op == "~1":
        return "means" if row.lhs in lv else "intercepts"
    if row.op == "~~":
        both_lv = row.lhs in lv and row.rhs in lv
        if row.lhs == row.rhs:
            return "lv.variances" if both_lv else "residuals"
        return "lv.covariances" if both_lv else "residual.covariances"
    return None


def _apply_group_equal(
    table, mv, ngroups, group_equal, group_partial, parameterization="delta", std_lv=False
):
    if ngroups < 2 or not group_equal:
        return
    unknown = set(group_equal) - set(_GROUP_EQUAL_OPS)
    if unknown:
        raise ModelSyntaxError(f"unknown group.equal value(s): {', '.join(sorted(unknown))}")
    partial = {"".join(p.split()) for p in group_partial}
    names = {f"{r.lhs}{r.op}{r.rhs}" for r in table}
    absent = sorted(partial - names)
    if absent:
        raise ModelSyntaxError(
            f"group.partial: '{absent[0]}' is not a parameter of the model (write lhs op rhs, "
            "e.g. 'f =~ x3', 'x3 ~1' or 'y1|t2')"
        )
    lv = set(mv.lv)
    equal_location = "intercepts" in group_equal or "thresholds" in group_equal
    if equal_location and "means" not in group_equal:
        # lavaan: with equal intercepts (or thresholds) the latent means are free in every
        # group but the first
        for row in table:
            if row.group > 1 and row.op == "~1" and row.lhs in lv and row.user == 0:
                row.fixed, row.free = None, True
    if std_lv and "loadings" in group_equal and "lv.variances" not in group_equal:
        # lavaan (lav_partable_flat): with std.lv and equal loadings the latent variances
        # are identified, and free, in every group but the first
        for row in table:
            lv_variance = row.op == "~~" and row.lhs == row.rhs and row.lhs in lv
            if row.group > 1 and lv_variance and row.user == 0:
                row.fixed, row.free = None, True
    if "thresholds" in group_equal:
        _free_ordered_scale(table, parameterization)
    for row in table:
        if row.group != 1 or row.exo:
            continue
        kind = _equal_kind(row, lv)
        name = f"{row.lhs}{row.op}{row.rhs}"
        if kind not in group_equal or name in partial or row.label:
            continue
        others = [
            o
            for o in table
            if o.group > 1
            and (o.lhs, o.op, o.rhs) == (row.lhs, row.op, row.rhs)
            and not o.label
            and not o.exo
        ]
        fixed = [r for r in (row, *others) if not r.free and r.fixed is not None]
        if fixed:  # lavaan (lavaanify): a tied set with a fixed member is fixed at its value
            for member in (row, *others):
                member.fixed, member.free = fixed[0].fixed, False
            continue
        row.label = f".p{row.lhs}{row.op}{row.rhs}."
        for other in others:
            other.label = row.label


def _fix_tied_sets(table: list[Row]) -> None:
    """lavaan (``lavaanify``): rows that share a label with a fixed row are all fixed at the
    first fixed value (``g =~ a*f1 + a*f2`` with f1's loading fixed by auto.fix.first fixes
    f2's at 1 too)."""
    fixed: dict[str, float] = {}
    for r in table:
        if r.label and not r.free and r.fixed is not None and r.label not in fixed:
            fixed[r.label] = r.fixed
    for r in table:
        if r.label in fixed and not r.exo:
            r.fixed, r.free = fixed[r.label], False


def _free_ordered_scale(table: list[Row], parameterization: str) -> None:
    """Equal thresholds (lavaan's ``lav_partable_flat``): groups 2+ get free scale factors
    (delta) or free residual variances of the ordered items (theta)."""
    ordered = {(r.group, r.lhs) for r in table if r.op == "~*~"}
    for row in table:
        if row.group == 1 or row.user != 0:
            continue
        if parameterization == "delta":
            frees = row.op == "~*~"
        else:
            frees = row.op == "~~" and row.lhs == row.rhs and (row.group, row.lhs) in ordered
        if frees:
            row.fixed, row.free = None, True


def _number_free(table: list[Row]) -> pd.DataFrame:
    free_index: dict[str, int] = {}
    first_plabel: dict[str, str] = {}
    counter = 0
    records = []
    for i, r in enumerate(table, start=1):
        free = 0
        if r.free and not r.exo:
            if r.label and r.label in free_index:
                free = free_index[r.label]
            else:
                counter += 1
                free = counter
                if r.label:
                    free_index[r.label] = free
                    first_plabel[r.label] = f".p{i}."
        label = r.label
        if label.startswith(".p") and label in first_plabel:
            label = first_plabel[label]  # lavaan shows group.equal constraints as .pN.
        records.append(
            {
                "id": i,
                "lhs": r.lhs,
                "op": r.op,
                "rhs": r.rhs,
                "user": r.user,
                "group": r.group,
                "free": free,
                "ustart": np.nan if r.fixed is None else r.fixed,
                "exo": r.exo,
                "label": label,
                "plabel": f".p{i}.",
                "start": np.nan if r.start is None else r.start,
            }
        )
    return pd.DataFrame.from_records(records)


def _add_constraints(pt: pd.DataFrame, rows: list[SyntaxRow], file) -> pd.DataFrame:
    labels = set(pt["label"][pt["label"] != ""]) | set(pt["plabel"])
    defined: list[str] = []
    extra = []
    for r in rows:
        names = expression_names(r.rhs, r.line, file)
        if r.op != ":=":
            names += expression_names(r.lhs, r.line, file)
        for n in names:
            if n not in labels and n not in defined:
                raise ModelSyntaxError(
                    f"'{n}' is not a parameter label (label a path first, e.g. a*x)",
                    line=r.line,
                    file=file,
                )
        if r.op == ":=":
            if r.lhs in labels or r.lhs in defined:
                raise ModelSyntaxError(f"'{r.lhs}' is already defined", line=r.line, file=file)
            defined.append(r.lhs)
        extra.append(
            {
                "id": len(pt) + len(extra) + 1,
                "lhs": r.lhs,
                "op": r.op,
                "rhs": r.rhs,
                "user": 1,
                "group": 0,
                "free": 0,
                "ustart": np.nan,
                "exo": 0,
                "label": r.lhs if r.op == ":=" else "",
                "plabel": "",
                "start": np.nan,
            }
        )
    if extra:
        pt = pd.concat([pt, pd.DataFrame.from_records(extra)], ignore_index=True)
    return pt


def check_identification(pt: pd.DataFrame, n_moments: int) -> None:
    npar = int(pt["free"].max()) if len(pt) else 0
    if npar > n_moments:
        raise IdentificationError(
            f"the model is not identified: {npar} free parameters but only "
            f"{n_moments} sample moments (df = {n_moments - npar})"
        )


def independence_partable(
    mv: ModelVariables,
    ngroups: int,
    meanstructure: bool,
    ordered: Sequence[Thresholds] | None = None,
) -> pd.DataFrame:
    """lavaan's baseline (independence) model (``lav_partable_independence``): per group a
    free variance (and, with a mean structure, a free intercept) for every observed variable
    that is not a fixed.x covariate; the covariates (``mv.ov_x``) keep their variances,
    covariances and means fixed at the sample values (``exo = 1``). Equality constraints of
    the model are not carried over. Ordered items (``ordered``: per group, item -> threshold
    names) get free thresholds, a fixed unit variance and scale factor, and intercept 0."""
    x = [v for v in mv.ov if v in set(mv.ov_x)]
    table: list[Row] = []
    for g in range(1, ngroups + 1):
        thr = dict(ordered[g - 1]) if ordered else {}
        if thr:
            _independence_ordered(table, mv, g, thr)
            continue
        for v in mv.ov:
            if v in x:
                table.append(Row(v, "~~", v, g, user=0, free=False, exo=1))
            else:
                table.append(Row(v, "~~", v, g, user=0))
        for i, a in enumerate(x):
            for b in x[i + 1 :]:
                table.append(Row(a, "~~", b, g, user=0, free=False, exo=1))
        if meanstructure:
            for v in mv.ov:
                if v in x:
                    table.append(Row(v, "~1", "", g, user=0, free=False, exo=1))
                else:
                    table.append(Row(v, "~1", "", g, user=0))
    return _number_free(table)


def _independence_ordered(table: list[Row], mv: ModelVariables, g: int, thr: dict) -> None:
    """One group of the baseline model with ordered items (continuous ones as above)."""
    table.extend(Row(v, "|", t, g, user=0) for v in mv.ov if v in thr for t in thr[v])
    for v in mv.ov:
        if v in thr:
            table.append(Row(v, "~~", v, g, user=0, fixed=1.0, free=False))
        else:
            table.append(Row(v, "~~", v, g, user=0))
    table.extend(Row(v, "~*~", v, g, user=0, fixed=1.0, free=False) for v in mv.ov if v in thr)
    for v in mv.ov:
        if v in thr:
            table.append(Row(v, "~1", "", g, user=0, fixed=0.0, free=False))
        else:
            table.append(Row(v, "~1", "", g, user=0))
