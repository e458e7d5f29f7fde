"""Checks of the answers once a data file is read (see :func:`loyaltysem.survey.loaders.load`).

Each refuses, with one :class:`~loyaltysem.base.errors.InputError` naming the file, the column
and the row, a value that would otherwise be analysed silently as if it were an answer:

* a missing code that is itself an answer on the scale (``--missing-codes 4`` on a 1-7 scale
  would wipe every 4) unless forced;
* an answer outside the scale, a fractional answer (4.5) on a rating scale, an item that
  never varies (infinite and absurdly large numbers: ``base.validate.finite_values``);
* values far from the rating scale the other answers form when no scale is declared (-99
  beside 1-7: a missing code nobody declared);
* a respondent ID that appears twice, IDs compared as the text the file holds ("00001" and
  "1" are two respondents, 1 and "1" one).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError


def respondent(data: pd.DataFrame, id_column: str | None, pos: int) -> str:
    """' (respondent ID 1002)' for the row at position ``pos``, or '' without an ID column."""
    if id_column and id_column in data.columns:
        v = data[id_column].iloc[pos]
        if pd.notna(v):
            v = int(v) if isinstance(v, float) and v.is_integer() else v
            return f" (respondent ID {v})"
    return ""


def rating_core(values: np.ndarray) -> tuple[float, float] | None:
    """The answer scale as the data show it: the run of consecutive whole numbers (no gap)
    around the median of all answers pooled over the items; None when the answers are not
    whole numbers or the run is wider than a rating scale (more than 11 points).

    Example:
        >>> rating_core(np.array([1.0, 2, 3, 4, 5, 6, 7, 7, -99]))
        (1.0, 7.0)
    """
    v = values[~np.isnan(values)]
    if v.size == 0 or not np.all(v == np.round(v)):
        return None
    uniq = np.unique(v)
    med = np.median(v)
    k = int(np.searchsorted(uniq, med))
    k = min(k, len(uniq) - 1)
    lo = hi = k
    while lo > 0 and uniq[lo] - uniq[lo - 1] <= 2:
        lo -= 1
    while hi < len(uniq) - 1 and uniq[hi + 1] - uniq[hi] <= 2:
        hi += 1
    if uniq[hi] - uniq[lo] > 10:
        return None
    return float(uniq[lo]), float(uniq[hi])


def missing_code_list(missing_codes) -> list[float]:
    """``missing_codes`` as numbers: a list of numbers or numeric text, or one number.

    Example:
        >>> missing_code_list(["-99", 99])
        [-99.0, 99.0]
    """
    if missing_codes is None:
        return []
    if isinstance(missing_codes, str | numbers.Number):
        missing_codes = [missing_codes]
    out = []
    for code in missing_codes:
        try:
            value = float(code) if not isinstance(code, bool) else None
        except (TypeError, ValueError):
            value = None
        if value is None or not np.isfinite(value):
            raise InputError(
                f"missing code {str(code)!r} is not a number (codes are the numbers that mean "
                "'no answer', e.g. -99; empty cells and NA are missing already)"
            )
        out.append(value)
    return out


def check_missing_codes(
    data: pd.DataFrame,
    items: list[str],
    codes: list[float],
    scale: tuple[float, float] | None,
    *,
    force: bool = False,
    file: str | None = None,
) -> None:
    """Refuse a missing code that is an answer on the scale (``scale``, else the run of whole
    numbers the other answers form): every such answer would be wiped. ``force`` accepts it.

    Example:
        >>> check_missing_codes(pd.DataFrame({"A": [1.0, 4, 5]}), ["A"], [-99], (1, 5))
    """
    if not codes or force:
        return
    inferred = scale is None
    if inferred:
        block = data[items].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        scale = rating_core(np.where(np.isin(block, codes), np.nan, block).ravel())
        if scale is None:
            return
    lo, hi = scale
    inside = [c for c in codes if lo <= c <= hi]
    if not inside:
        return
    c = f"{inside[0]:g}"
    which = "the scale the answers use" if inferred else "the scale"
    raise InputError(
        f"missing code {c} lies inside {which} ({lo:g}-{hi:g}): every answer {c} would be "
        f"set to missing; give --force-missing-code (force_missing_code=True) if {c} "
        "really means 'no answer'",
        file=file,
    )


def check_codes_in_answers(
    data: pd.DataFrame, items: list[str], file: str, rows: np.ndarray, id_col: str | None
) -> None:
    """With no scale declared, values far from the rating scale the other answers form
    (-99, 99, 999 beside answers 1-7) are missing codes or typos: refuse them by name rather
    than analyse them as answers."""
    block = data[items].to_numpy(dtype=float)
    core = rating_core(block.ravel())
    if core is None:
        return
    lo, hi = core
    outside = ~np.isnan(block) & ((block < lo) | (block > hi))
    if not outside.any() or outside.mean() > 0.05:
        return
    r, c = np.argwhere(outside)[0]
    rows_hit = np.flatnonzero(outside[:, c])
    shown = ", ".join(str(int(rows[k])) for k in rows_hit[:5]) + (
        " ..." if len(rows_hit) > 5 else ""
    )
    value = block[r, c]
    raise InputError(
        f"value {value:g}{respondent(data, id_col, int(r))} lies outside the {lo:g}-{hi:g} "
        f"scale the other answers use (rows {shown}): a missing code? Declare it with "
        f"--missing-codes {value:g}, or give the scale with --scale",
        file=file,
        column=items[c],
        row=int(rows[r]),
    )


def check_items(
    data: pd.DataFrame,
    items: list[str],
    scale: tuple[float, float] | None,
    file: str,
    check_scale: bool,
    rows: np.ndarray,
    id_col: str | None,
    whole: bool = False,
) -> None:
    """Every item answered at least once, inside ``scale`` (when ``check_scale``), a whole
    number when ``whole`` (a rating scale), and varying."""
    lo, hi = scale if scale is not None else (None, None)
    for name in items:
        values = data[name].to_numpy(dtype=float)
        ok = ~np.isnan(values)
        if not ok.any():
            raise InputError("the column is entirely missing", file=file, column=name)
        if check_scale and lo is not None and hi is not None:
            bad = ok & ((values < lo) | (values > hi))
            if bad.any():
                pos = int(np.argmax(bad))
                raise InputError(
                    f"value {values[pos]:g}{respondent(data, id_col, pos)} is outside the "
                    f"scale {lo:g}-{hi:g} (a missing code? use --missing-codes or the model "
                    "file's [meta] missing_codes)",
                    file=file,
                    column=name,
                    row=int(rows[pos]),
                )
            if whole:
                _whole_answers(values, ok, name, (lo, hi), file, rows, data, id_col)
        v = values[ok]
        if v.min() == v.max():
            raise InputError(
                f"the item has zero variance (every answer is {v[0]:g})", file=file, column=name
            )


def _whole_answers(values, ok, name, scale, file, rows, data, id_col) -> None:
    """A rating scale has whole-number answers: 4.5 or 6.99 is a typo or a computed value."""
    bad = ok & (values != np.round(values))
    if not bad.any():
        return
    pos = int(np.argmax(bad))
    raise InputError(
        f"answer {values[pos]:g}{respondent(data, id_col, pos)} is not a whole number on the "
        f"{scale[0]:g}-{scale[1]:g} rating scale (a typo, or a score computed from answers?); "
        "if the item is answered on a continuous scale (a slider), declare "
        "[scale] continuous = true in the model file",
        file=file,
        column=name,
        row=int(rows[pos]),
    )


def _id_text(v) -> str:
    """An ID as the text the file holds: a whole number without its '.0', text stripped."""
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def check_ids(ids: pd.Series, file: str, id_col: str, rows: np.ndarray) -> None:
    """Each respondent ID once. IDs are compared as the text the file holds: "00001" and
    "1" are two respondents (the loader keeps leading zeros as text), a number 1 and the
    text "1" one."""
    present = ids.notna()
    keys = ids.map(_id_text).where(present)
    dup = keys.duplicated(keep=False) & present
    if not dup.any():
        return
    second = keys.duplicated(keep="first") & present
    pos = int(np.argmax(second.to_numpy()))
    value = keys.iloc[pos]
    first = int(np.argmax((keys == value).to_numpy()))
    raise InputError(
        f"duplicate respondent ID '{value}' (also in row {int(rows[first])}; "
        f"{int(second.sum())} duplicate(s) in all)",
        file=file,
        column=id_col,
        row=int(rows[pos]),
    )
