"""Which items of a scale are reverse-keyed: psych's ``check.keys`` rule.

``psych::alpha(x, check.keys = TRUE)`` (psych 2.2.9) decides per scale as follows, and
:func:`check_keys` does the same:

1. items without variance (standard deviation 0 or undefined) are deleted first;
2. R = the items' correlation matrix from pairwise complete answers (``cor(x, use =
   "pairwise")``, the default of ``psych::principal``, which alpha calls on the raw data);
3. the loadings of the first principal component are l = v sqrt(lambda), (lambda, v) the
   largest eigenvalue of R and its eigenvector, signed so that sum(l) >= 0 (psych's
   convention for one component: ``if (sum(loadings) < 0) loadings <- -loadings``);
4. an item with l < 0 is reverse-keyed.

Because of step 3 the reversed items are the minority direction of the scale: in a scale of
two negatively worded items and one positive item, the positive item is "reversed". The rule
proposes; the questionnaire decides.

:func:`keying_notices` turns the rule into warnings after the declared reversal: an item
still keyed against its construct was either left unreversed or, when it was declared
reverse-keyed, already recoded in the file (then the declaration reversed it back).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice

__all__ = ["check_keys", "first_component_loadings", "keying_notices"]


def _scale_items(frame: pd.DataFrame, items: list[str], construct: str = "") -> pd.DataFrame:
    what = f"item of construct {construct}" if construct else "item"
    missing = [i for i in items if i not in frame.columns]
    if missing:
        raise InputError(f"{what} is not in the data", column=missing[0])
    sub = frame[list(items)]
    for name in sub.columns:
        if not pd.api.types.is_numeric_dtype(sub[name]):
            raise InputError(f"{what} is not numeric", column=name)
    return sub.astype(float)


def first_component_loadings(frame: pd.DataFrame, items: list[str] | None = None) -> pd.Series:
    """Loadings of the first principal component of the items' pairwise correlations, signed
    as ``psych::principal(x, nfactors = 1)`` signs them (sum >= 0). Items without variance
    are left out (``psych::alpha`` deletes them before calling principal).

    l = v sqrt(lambda) with lambda the largest eigenvalue of R and v its eigenvector
    (Jolliffe 2002, sec. 2.1; psych::principal).

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, 1]})
        >>> first_component_loadings(d).round(3).tolist()
        [0.98, 0.903, -0.98]
    """
    items = list(frame.columns) if items is None else list(items)
    sub = _scale_items(frame, items)
    sd = sub.std(skipna=True)
    kept = [i for i in items if np.isfinite(sd[i]) and sd[i] > 0]
    if not kept:
        return pd.Series(dtype=float, name="PC1")
    R = sub[kept].corr(min_periods=2).to_numpy()
    if np.isnan(R).any():
        i, j = np.argwhere(np.isnan(R))[0]
        raise InputError(
            f"items {kept[i]} and {kept[j]} have too few answers in common to correlate "
            "(psych stops here too: drop one of them)",
            column=kept[i],
        )
    values, vectors = np.linalg.eigh(R)
    lam = max(values[-1], np.finfo(float).eps)  # psych floors the eigenvalues at eps
    loadings = vectors[:, -1] * np.sqrt(lam)
    if loadings.sum() < 0:
        loadings = -loadings
    return pd.Series(loadings, index=kept, name="PC1")


def check_keys(frame: pd.DataFrame, constructs: dict[str, list[str]]) -> dict[str, list[str]]:
    """The reverse-keyed items of each construct by psych's ``check.keys`` rule: an item is
    reversed when its loading on the first principal component of its construct's items
    (pairwise correlations, signed to a non-negative sum; see
    :func:`first_component_loadings`) is negative, as ``psych::alpha(check.keys = TRUE)``
    decides per scale. Returns every construct, with [] when nothing is reversed; the items
    in the construct's order. Constant items are never reversed (psych deletes them).

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, 1]})
        >>> check_keys(d, {"F": ["a", "b", "c"]})
        {'F': ['c']}
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"check_keys takes a DataFrame, not {type(frame).__name__}")
    out: dict[str, list[str]] = {}
    for construct, items in constructs.items():
        items = list(items)
        _scale_items(frame, items, construct)
        if len(items) < 2:
            out[construct] = []
            continue
        loadings = first_component_loadings(frame, items)
        out[construct] = [i for i in items if i in loadings.index and loadings[i] < 0]
    return out


def keying_notices(
    frame: pd.DataFrame, constructs: dict[str, list[str]], reversed_items=()
) -> list[Notice]:
    """One warning per item that psych's ``check.keys`` rule marks as keyed against its
    construct (a negative loading on the first principal component; see :func:`check_keys`),
    with advice that depends on what was declared:

    * ``keying.negative``: the item was not declared reverse-keyed: it probably is and was
      left unreversed; reverse it (``--reverse ITEM``, or ``reverse = true`` in the TOML
      model) before reading alpha, CR and the loadings;
    * ``keying.recoded``: the item was declared reverse-keyed and reversed (it is in
      ``reversed_items``), yet it still runs against the others: the file probably holds it
      already recoded, and the declaration reversed it back; remove the declaration.

    Constructs with fewer than two items in ``frame`` are skipped.

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, 1]})
        >>> [w.code for w in keying_notices(d, {"F": ["a", "b", "c"]}, reversed_items=["c"])]
        ['keying.recoded']
    """
    declared = set(reversed_items or ())
    out: list[Notice] = []
    for construct, items in constructs.items():
        items = [i for i in items if i in frame.columns]
        if len(items) < 2:
            continue
        loadings = first_component_loadings(frame, items)
        for item in items:
            if item in loadings.index and loadings[item] < 0:
                out.append(_keying_notice(construct, item, float(loadings[item]), declared))
    return out


def _keying_notice(construct: str, item: str, loading: float, declared: set) -> Notice:
    where = (f"item {item} loads negatively ({loading:.2f}) on the first principal component "
             f"of the items of {construct} (psych's check.keys rule)")  # fmt: skip
    if item in declared:
        msg = (f"{where} although it was declared reverse-keyed and reversed: the data file "
               "probably holds it already recoded, and the declaration reversed it back. "
               f"Remove reverse = true (or --reverse) for {item}")  # fmt: skip
        return Notice("keying.recoded", msg, item=item, construct=construct, loading=loading)
    msg = (f"{where}: it is probably reverse-keyed and not reversed. Reverse it (--reverse "
           f"{item}, or reverse = true in the TOML model) before reading alpha, CR and the "
           "loadings")  # fmt: skip
    return Notice("keying.negative", msg, item=item, construct=construct, loading=loading)
