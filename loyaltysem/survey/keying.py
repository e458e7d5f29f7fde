"""Reverse-keyed items without a TOML model file.

* :func:`reverse_items`: recode items as (min + max - x), the scale's ends from ``scale``
  ("1-7" or (1, 7)) or, without it, from the observed answers (psych::alpha's rule for
  ``keys``: ``max(x) + min(x) - x`` over the scale's items).
* :func:`reverse_survey`: the same on a loaded :class:`~loyaltysem.survey.data.Survey` (the CLI's
  ``--reverse ITEMS [--scale 1-7]``), recorded in ``survey.recoded`` and ``survey.log``.

Which items run against their construct (psych's ``check.keys`` rule) is decided in
:mod:`loyaltysem.psychometrics.keying` (``check_keys``, ``keying_notices``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError

_SCALE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|:|,|to|\.\.)\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_items(text) -> list[str]:
    """A comma-separated list of item names (or a list) as a clean list.

    Example:
        >>> parse_items(" DES4, LOY4 ,")
        ['DES4', 'LOY4']
    """
    if text is None:
        return []
    parts = text.split(",") if isinstance(text, str) else list(text)
    return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))


def parse_scale(scale) -> tuple[float, float] | None:
    """The scale's ends from "1-7" (also "1:7", "1,7", "0 to 10") or a pair; None stays None.

    Example:
        >>> parse_scale("1-7"), parse_scale((0, 10)), parse_scale("-3:3")
        ((1.0, 7.0), (0.0, 10.0), (-3.0, 3.0))
    """
    if scale is None:
        return None
    if isinstance(scale, str):
        m = _SCALE.match(scale)
        if not m:
            raise InputError(f"--scale '{scale}': write the scale's ends as MIN-MAX, e.g. 1-7")
        lo, hi = float(m.group(1)), float(m.group(2))
    else:
        try:
            lo, hi = (float(v) for v in scale)
        except (TypeError, ValueError):
            raise InputError(f"scale {scale!r}: give the scale's ends as (min, max)") from None
    if not lo < hi:
        raise InputError(f"scale {lo:g}-{hi:g}: the minimum must be below the maximum")
    return lo, hi


def _numeric_item(frame: pd.DataFrame, item: str) -> np.ndarray:
    if item not in frame.columns:
        raise InputError("reverse-keyed item not in the data", column=item)
    col = frame[item]
    if not pd.api.types.is_numeric_dtype(col):
        raise InputError("reverse-keyed item is not numeric", column=item)
    return col.to_numpy(dtype=float)


def reverse_items(
    frame: pd.DataFrame,
    items,
    scale=None,
    scale_items=None,
) -> pd.DataFrame:
    """A copy of ``frame`` with ``items`` recoded as (min + max - x); missing answers stay
    missing.

    ``scale``: the scale's ends ("1-7" or (1, 7)); every answer of a reversed item must lie
    inside it. Without it the ends are the smallest and largest answers observed in
    ``scale_items`` (default: the reversed items), as ``psych::alpha`` recodes keyed items
    with ``max(x) + min(x) - x``; give the scale when nobody used one of its ends.

    Example:
        >>> d = pd.DataFrame({"a": [1, 4, 7], "b": [2, 5, None]})
        >>> reverse_items(d, "b", scale="1-7")["b"].tolist()
        [6.0, 3.0, nan]
        >>> reverse_items(d, ["a"])["a"].tolist()
        [7.0, 4.0, 1.0]
    """
    names = parse_items(items)
    bounds = parse_scale(scale)
    values = {name: _numeric_item(frame, name) for name in names}
    if bounds is None:
        lo, hi = observed_range(frame, list(scale_items or names))
    else:
        lo, hi = bounds
        for name, v in values.items():
            bad = ~np.isnan(v) & ((v < lo) | (v > hi))
            if bad.any():
                pos = int(np.argmax(bad))
                raise InputError(
                    f"value {v[pos]:g} of respondent {pos + 1} is outside the scale "
                    f"{lo:g}-{hi:g} given for the reversal (a missing code? use --missing-codes "
                    "or the model file's [meta] missing_codes)",
                    column=name,
                )
    out = frame.copy()
    for name, v in values.items():
        out[name] = lo + hi - v
    return out


def observed_range(frame: pd.DataFrame, items: list[str]) -> tuple[float, float]:
    """The smallest and largest answer over ``items`` (the scale's ends as observed).

    Example:
        >>> observed_range(pd.DataFrame({"a": [2, 5], "b": [1, None]}), ["a", "b"])
        (1.0, 5.0)
    """
    v = np.concatenate([_numeric_item(frame, i) for i in items])
    v = v[~np.isnan(v)]
    if not len(v):
        raise InputError("the reverse-keyed item has no answers", column=items[0])
    return float(v.min()), float(v.max())


def reverse_survey(survey, items, scale=None):
    """The survey with ``items`` reverse-keyed (see :func:`reverse_items`): a new Survey whose
    ``recoded`` and ``log`` say what was done. ``items`` None or empty returns ``survey``.
    Without ``scale`` the ends are the model file's scale when it declares one, else the
    observed answers of the items' constructs (every item of a construct that has a reversed
    item). An item the model file already reverses is refused (it would be reversed twice).

    Example:
        >>> s = reverse_survey(load("survey.csv", "model.lav"), "DES4", "1-7")  # doctest: +SKIP
    """
    names = parse_items(items)
    if not names:
        return survey
    twice = [n for n in names if n in survey.recoded]
    if twice:
        raise InputError(
            "the item is already reverse-keyed by the model file: reversing it again would "
            "undo that",
            column=twice[0],
        )
    bounds = parse_scale(scale)
    source = "given"
    inst = survey.instrument
    declared = inst is not None and None not in (inst.scale_min, inst.scale_max)
    if bounds is None and declared:
        bounds, source = (inst.scale_min, inst.scale_max), "of the model file"
    scale_items = list(names)
    for its in survey.construct_items.values():
        if any(n in its for n in names):
            scale_items += [i for i in its if i in survey.data.columns]
    scale_items = list(dict.fromkeys(scale_items))
    if bounds is None:
        bounds, source = observed_range(survey.data, scale_items), "observed"
    data = reverse_items(survey.data, names, bounds)
    lo, hi = bounds
    note = (
        f"reverse-keyed items recoded as {lo:g} + {hi:g} - x (scale {lo:g}-{hi:g} {source}"
        + (
            " in the answers; give --scale if nobody used an end of it)"
            if source == "observed"
            else ")"
        )
        + f": {', '.join(names)}"
    )
    return replace(
        survey,
        data=data,
        recoded=list(survey.recoded) + names,
        log=list(survey.log) + [note],
    )
