"""Checking and preparing PROCESS's variables: names and roles, numeric columns, listwise
deletion, indicator codes of a multicategorical X or W, and PROCESS's mean centering.

Rules as PROCESS v4 (Hayes 2022, Appendix A): a variable plays one role; a model's moderators
must be given and no others; a constant variable, a dichotomous mediator or a dichotomous Y
(a logistic model, not built here) is refused; rows missing any variable in use are deleted
listwise; a multicategorical variable has 3 to 9 groups of at least 2 cases, coded by
indicators against its smallest value; ``center`` mean-centres every continuous variable that
enters a product term (X, W, Z and the mediators involved).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.analyses.process.models import MODELS, Codes, ModelSpec, equations
from loyaltysem.base.errors import InputError


@dataclass
class Prepared:
    """The analysis data after deletion, coding and centering."""

    spec: ModelSpec
    x: str
    y: str
    m: list[str]
    w: str | None
    z: str | None
    cov: list[str]
    codes: Codes
    columns: dict[str, np.ndarray]  # every factor column (codes, centered where asked)
    raw: dict[str, np.ndarray]  # each variable as observed (after deletion)
    n: int
    n_missing: int
    levels: dict[str, list[float]] = field(default_factory=dict)  # multicategorical X / W
    centered: list[str] = field(default_factory=list)

    def dichotomous(self, name: str) -> bool:
        """PROCESS's rule: every value is the minimum or the maximum."""
        v = self.raw[name]
        return bool(np.all((v == v.min()) | (v == v.max())))


def _as_list(value, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    try:
        out = [str(v) for v in value]
    except TypeError:
        raise InputError(f"{what} must be a column name or a list of column names") from None
    return out


def spec_for(model) -> ModelSpec:
    """The model's specification; InputError for a model not built here."""
    built = ", ".join(str(k) for k in MODELS)
    if isinstance(model, bool) or not isinstance(model, int | np.integer):
        raise InputError(f"model must be a PROCESS model number ({built}), not {model!r}")
    if int(model) not in MODELS:
        raise InputError(f"PROCESS model {model} is not built; built models: {built}")
    return MODELS[int(model)]


def _check_roles(spec: ModelSpec, roles: dict[str, list[str]]) -> None:
    """Each variable once; mediators, W and Z exactly as the model needs."""
    seen: dict[str, str] = {}
    for role, names in roles.items():
        for name in names:
            if name in seen:
                raise InputError(f"variable '{name}' is named twice (as {seen[name]} and {role})")
            seen[name] = role
    for role in ("x", "y"):
        if len(roles[role]) != 1:
            raise InputError(f"PROCESS needs one {role.upper()} variable")
    lo, hi = spec.mediators
    k = len(roles["m"])
    if not spec.mediation and k:
        raise InputError(f"model {spec.number} has no mediator; m={roles['m']} is not used")
    if spec.mediation and not lo <= k <= hi:
        raise InputError(f"model {spec.number} takes {lo} to {hi} mediators (m), not {k}")
    for letter in ("W", "Z"):
        given = roles[letter.lower()]
        if letter in spec.moderators and not given:
            raise InputError(f"model {spec.number} needs a moderator {letter} ({letter.lower()}=)")
        if letter not in spec.moderators and given:
            raise InputError(
                f"model {spec.number} has no moderator {letter}; {letter.lower()}='{given[0]}' "
                "is not used"
            )
        if len(given) > 1:
            raise InputError(f"{letter} must be one variable, not {given}")


def _numeric(data: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    missing = [c for c in names if c not in data.columns]
    if missing:
        raise InputError("is not a column of the data", column=missing[0])
    out = {}
    for c in names:
        col = data[c]
        if isinstance(col, pd.DataFrame):
            raise InputError("appears more than once in the data", column=c)
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            raise InputError("is not numeric (PROCESS needs numeric variables)", column=c)
        out[c] = col.to_numpy(dtype=float, na_value=np.nan)
    frame = pd.DataFrame(out, index=data.index)
    bad = ~np.isfinite(frame.to_numpy()) & frame.notna().to_numpy()
    if bad.any():
        r, j = np.argwhere(bad)[0]
        raise InputError("holds an infinite value", column=names[j], row=int(r) + 1)
    return frame


def _indicator(values: np.ndarray, name: str) -> tuple[list[float], dict[str, np.ndarray]]:
    """Indicator codes against the smallest value (PROCESS's mcx/mcw = 1)."""
    levels, counts = np.unique(values, return_counts=True)
    if len(levels) < 3:
        raise InputError(
            "has two values: use it as a dichotomous variable, not multicategorical", column=name
        )
    if len(levels) > 9:
        raise InputError(
            f"has {len(levels)} groups; a multicategorical variable has at most 9", column=name
        )
    if counts.min() < 2:
        raise InputError(f"group {levels[counts.argmin()]:g} has a single case", column=name)
    codes = {f"{name}[{lv:g}]": (values == lv).astype(float) for lv in levels[1:]}
    return [float(v) for v in levels], codes


def _coding(kind, name: str) -> bool:
    if kind in (None, False, 0):
        return False
    if kind in (True, 1, "indicator"):
        return True
    raise InputError(f"coding of {name} must be 'indicator' (PROCESS's 1), not {kind!r}")


def prepare(
    data, model, x, y, m=None, w=None, z=None, cov=None, *, mcx=None, mcw=None, center: bool = False
) -> Prepared:
    """Check the variables against the model and return the analysis data.

    Example:
        >>> df = pd.DataFrame({"a": [1., 2, 3, 4, 5, 7], "b": [2., 1, 4, 3, 6, 5]})
        >>> prepare(df, 4, "a", "b", m="a")
        Traceback (most recent call last):
        ...
        loyaltysem.base.errors.InputError: variable 'a' is named twice (as x and m)
    """
    spec = spec_for(model)
    data = getattr(data, "data", data)  # a loaded Survey: its answers
    if not isinstance(data, pd.DataFrame):
        raise InputError("data must be a pandas DataFrame of numeric columns (or a Survey)")
    roles = {
        "x": _as_list(x, "x"),
        "y": _as_list(y, "y"),
        "m": _as_list(m, "m"),
        "w": _as_list(w, "w"),
        "z": _as_list(z, "z"),
        "cov": _as_list(cov, "cov"),
    }
    _check_roles(spec, roles)
    names = [n for r in roles.values() for n in r]
    frame = _numeric(data, names)
    keep = frame.notna().all(axis=1).to_numpy()
    frame = frame[keep]
    raw = {c: frame[c].to_numpy() for c in names}
    n = len(frame)
    if n < 5:
        raise InputError(f"only {n} rows are complete on {', '.join(names)}; PROCESS needs 5")
    for c in names:
        if np.ptp(raw[c]) == 0:
            raise InputError("is constant in the rows analysed", column=c)
    prep = _build(spec, roles, raw, n, int((~keep).sum()), _coding(mcx, "X"), _coding(mcw, "W"))
    _check_dichotomous(prep)
    if center:
        _center(prep)
    return prep


def _build(spec, roles, raw, n, n_missing, mcx: bool, mcw: bool) -> Prepared:
    columns = {c: v.copy() for c, v in raw.items()}
    levels: dict[str, list[float]] = {}
    xname, wname = roles["x"][0], (roles["w"] or [None])[0]
    x_codes, w_codes = [xname], [wname] if wname else []
    if mcx:
        levels[xname], codes = _indicator(raw[xname], xname)
        columns.update(codes)
        x_codes = list(codes)
    if mcw:
        if wname is None:
            raise InputError(f"mcw is set but model {spec.number} has no moderator W")
        levels[wname], codes = _indicator(raw[wname], wname)
        columns.update(codes)
        w_codes = list(codes)
    codes = Codes(x=x_codes, m=roles["m"], w=w_codes, z=roles["z"], cov=roles["cov"])
    return Prepared(
        spec,
        xname,
        roles["y"][0],
        roles["m"],
        wname,
        (roles["z"] or [None])[0],
        roles["cov"],
        codes,
        columns,
        raw,
        n,
        n_missing,
        levels,
    )


def _check_dichotomous(prep: Prepared) -> None:
    if prep.dichotomous(prep.y):
        raise InputError(
            "is dichotomous: PROCESS would fit a logistic model for Y, which is not built here",
            column=prep.y,
        )
    for m in prep.m:
        if prep.dichotomous(m):
            raise InputError("is dichotomous; PROCESS refuses a dichotomous mediator", column=m)


def _center(prep: Prepared) -> None:
    """PROCESS's ``center = 1``: mean-centre X, W, Z and each mediator that enters a product
    term (a multicategorical variable's codes are never centered)."""
    in_products: set[str] = set()
    for eq in equations(prep.spec, prep.codes, prep.y):
        for term in eq.terms:
            if len(term) > 1:
                in_products.update(term)
    targets = [(prep.x, prep.codes.x), (prep.w, prep.codes.w), (prep.z, prep.codes.z)]
    targets += [(m, [m]) for m in prep.m]
    for name, codes in targets:
        if name is None or name in prep.levels or not in_products.intersection(codes):
            continue
        prep.columns[name] = prep.columns[name] - prep.columns[name].mean()
        prep.centered.append(name)
