"""Sample statistics for ordered items (WLSMV / ULSMV / WLS), per group, as lavaan 0.6.14.

>>> import pandas as pd
>>> from loyaltysem.samplestats import ordinal_sample_stats
>>> df = pd.DataFrame({"a": [1, 2, 2, 3, 3, 3, 1, 2], "b": [1, 1, 2, 3, 2, 3, 1, 3]})
>>> st = ordinal_sample_stats(df, ["a", "b"])
>>> st.groups[0].th_names
['a|t1', 'a|t2', 'b|t1', 'b|t2']

Data rules (lavaan's where it has one):

* rows with a missing value in a used column are dropped (lavaan's ``missing = "listwise"``,
  the default for categorical data);
* an ordered item's categories are its distinct observed values over all groups, in numeric
  order (or the order of an ordered pandas Categorical); unused values in between do not
  count, as in lavaan (``ordered()``);
* one observed category, or more than 20, is an :class:`~loyaltysem.base.errors.InputError`
  naming the item (lavaan only warns above 12); text values too;
* a category used in some group but empty in another: lavaan stops ("some categories of
  variable ... are empty in group ..."). Here it is an :class:`OrdinalDataWarning` naming
  the item and the group, and that group's statistics are computed with the item's observed
  categories there: the threshold above the empty category (below it for the top category)
  is left out of that group's ``th_names`` / ``wls_obs`` / NACOV, its remaining thresholds
  keep the pooled names (``O4|t1`` .. ``O4|t4`` when category 6 is empty). The estimator
  must then not model the dropped threshold in that group (or constrain it across groups);
* a correlation above 0.99 in absolute value gets lavaan's warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.samplestats.bivariate import OrdinalDataWarning
from loyaltysem.samplestats.nacov import TwoStep, two_step
from loyaltysem.samplestats.univariate import OrdinalFit, fit_numeric, fit_ordinal

__all__ = [
    "MAX_CATEGORIES",
    "WEIGHT_KINDS",
    "OrdinalSampleStats",
    "WeightKind",
    "ordinal_sample_stats",
    "weight_kind",
]

#: more categories than this: treat the item as continuous
MAX_CATEGORIES = 20


@dataclass(frozen=True)
class WeightKind:
    """How one of lavaan's weight matrices (WLS.V) is made from the two-step statistics
    (``lav_samplestats_from_data``): from NACOV (``nacov``), from its diagonal alone
    (``diagonal``: DWLS), or as ones (ULS, no NACOV needed)."""

    nacov: bool
    diagonal: bool


#: lavaan's WLS.V by name (``Options.weights``: WLSMV and DWLS use DWLS, ULSMV and ULS use
#: ULS, WLS uses WLS)
WEIGHT_KINDS: dict[str, WeightKind] = {
    "WLS": WeightKind(nacov=True, diagonal=False),
    "DWLS": WeightKind(nacov=True, diagonal=True),
    "ULS": WeightKind(nacov=False, diagonal=False),
}


def weight_kind(weights: str) -> WeightKind:
    """The :class:`WeightKind` of a weight matrix name ("WLS", "DWLS" or "ULS")."""
    try:
        return WEIGHT_KINDS[weights]
    except KeyError:
        raise ValueError(
            f"no weight matrix {weights!r}: one of {', '.join(WEIGHT_KINDS)}"
        ) from None


class GroupedStats:
    """Per-group two-step statistics (``groups``): counts and lavaan's weight matrices."""

    @property
    def ngroups(self) -> int:
        return len(self.groups)

    @property
    def nobs(self) -> list[int]:
        return [g.nobs for g in self.groups]

    def wls_v(self, weights: str = "DWLS") -> list[np.ndarray]:
        """Weight matrix per group as lavaan builds it (``weights``, the fit's
        ``Options.weights``): DWLS the vector 1/diag(NACOV) (WLS.VD), ULS a vector of ones,
        WLS the full inverse of NACOV."""
        kind = weight_kind(weights)
        if not kind.nacov:
            return [np.ones(g.wls_obs.size) for g in self.groups]
        if kind.diagonal:
            return [g.wls_v_diag for g in self.groups]
        return [np.linalg.inv(g.nacov) for g in self.groups]


@dataclass
class OrdinalSampleStats(GroupedStats, ResultMixin):
    """Two-step sample statistics of every group (``groups[g]`` is a :class:`TwoStep`).

    Attributes:
        ov: the variables in model order; ordered: the ordered ones among them.
        levels: the pooled category values of every ordered item (code k = levels[k - 1]).
        group / group_labels: the grouping column and its values (order of appearance).
        n_dropped: rows removed listwise.
        empty_categories: (item, group label, category value) for every warned empty cell.
    """

    ov: list[str]
    ordered: list[str]
    levels: dict[str, list]
    groups: list[TwoStep]
    group: str | None = None
    group_labels: list = field(default_factory=lambda: [None])
    n_dropped: int = 0
    empty_categories: list[tuple[str, object, object]] = field(default_factory=list)

    def sampstat(self, g: int = 0) -> dict:
        """lavaan's ``lavInspect(fit, "sampstat")`` of group g: cov, mean and th (no means)."""
        st = self.groups[g]
        keep = st.th_idx > 0
        return {
            "cov": pd.DataFrame(st.cov, index=st.ov, columns=st.ov),
            "mean": pd.Series(st.mean, index=st.ov),
            "th": pd.Series(
                st.th[keep], index=[n for n, k in zip(st.th_names, keep, strict=True) if k]
            ),
        }


def _category_values(col: pd.Series, name: str) -> list:
    """Sorted distinct observed values of an ordered item (InputError for text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        if not col.cat.ordered:
            raise InputError(
                "ordered item is an unordered categorical; give numbers or an ordered Categorical",
                column=name,
            )
        used = set(col.dropna().unique())
        return [c for c in col.cat.categories if c in used]
    if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
        sample = ", ".join(repr(v) for v in col.dropna().unique()[:3])
        raise InputError(
            f"ordered item has text values ({sample}); recode them as numbers",
            column=name,
        )
    return sorted(col.dropna().unique().tolist())


def _codes(col: pd.Series, values: list) -> np.ndarray:
    """Category codes 1..K of an item whose distinct values are ``values``."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        lookup = {val: k + 1 for k, val in enumerate(values)}
        return col.map(lookup).to_numpy(dtype=np.intp)
    return np.searchsorted(np.asarray(values, dtype=float), col.to_numpy(dtype=float)) + 1


def _check_levels(name: str, values: list) -> None:
    if len(values) < 2:
        shown = values[0] if values else "none"
        raise InputError(
            f"ordered item has a single observed category ({shown}); it carries no "
            "information - drop it from the model",
            column=name,
        )
    if len(values) > MAX_CATEGORIES:
        raise InputError(
            f"ordered item has {len(values)} categories (more than {MAX_CATEGORIES}); "
            "treat it as continuous",
            column=name,
        )


def _group_fit(
    name: str, codes: np.ndarray, values: list, label, empty: list
) -> tuple[OrdinalFit, list[str]]:
    """Thresholds of one item in one group; warns and recodes when a category is empty."""
    ncat = len(values)
    used = np.flatnonzero(np.bincount(codes, minlength=ncat + 1)[1:]) + 1
    if used.size < 2:
        raise InputError(
            f"ordered item has a single observed category in group '{label}'; "
            "it cannot be analysed in that group",
            column=name,
        )
    labels = [f"t{c}" for c in used[:-1]]
    if used.size == ncat:
        return fit_ordinal(codes, ncat), labels
    missing = [values[m - 1] for m in range(1, ncat + 1) if m not in set(used.tolist())]
    empty += [(name, label, m) for m in missing]
    dropped = [f"t{k}" for k in range(1, ncat) if f"t{k}" not in labels]
    categories, thresholds = ", ".join(map(str, missing)), ", ".join(dropped)
    msg = (
        f"item {name}: category {categories} is empty in group '{label}' but used in another "
        f"group; lavaan stops here - {name}'s threshold(s) {thresholds} are left out in that "
        "group"
    )
    notice = Notice(
        "ordinal.empty_category_in_group", msg, item=name, categories=categories,
        group=str(label), thresholds=thresholds,
    )  # fmt: skip
    warnings.warn(notice, OrdinalDataWarning, stacklevel=4)
    recoded = np.searchsorted(used, codes) + 1
    return fit_ordinal(recoded, used.size), labels


def _codes_and_groups(frame: pd.DataFrame, ord_list: list[str], group):
    """Each ordered item's pooled category values and codes (checked), the group labels in
    order of appearance and each group's rows."""
    levels, codes = {}, {}
    for v in ord_list:
        levels[v] = _category_values(frame[v], v)
        _check_levels(v, levels[v])
        codes[v] = _codes(frame[v], levels[v])
    if group is None:
        return levels, codes, [None], [np.arange(len(frame))]
    gcol = frame[group].to_numpy()
    labels = list(pd.unique(frame[group]))
    return levels, codes, labels, [np.flatnonzero(gcol == g) for g in labels]


def _prepare(data: pd.DataFrame, variables: list[str], ordered: list[str], group: str | None):
    cols = variables + ([group] if group else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise InputError("column not found in the data", column=missing[0])
    frame = data[cols]
    keep = frame.notna().all(axis=1).to_numpy()
    frame = frame[keep]
    for v in variables:
        if v not in ordered:
            col = frame[v]
            if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
                raise InputError("continuous variable is not numeric", column=v)
            if col.nunique() < 2:
                raise InputError("continuous variable has no variance", column=v)
    return frame, int((~keep).sum())


def ordinal_sample_stats(
    data: pd.DataFrame,
    variables: Sequence[str],
    ordered: Sequence[str] | bool = True,
    *,
    group: str | None = None,
    nacov: bool = True,
) -> OrdinalSampleStats:
    """Thresholds, polychoric/polyserial correlations, WLS.obs and NACOV of every group.

    Args:
        data: one row per respondent.
        variables: the model's observed variables, in lavaan's order (their order of
            appearance in the model syntax); the statistics follow this order.
        ordered: the ordered items among them (``True``: all); the others are continuous.
        group: grouping column, groups in order of appearance (lavaan's ``group =``).
        nacov: also compute NACOV (Gamma) and the casewise influence matrix (needed by
            DWLS/WLS weights, robust SEs and the scaled test; not by ULS estimates).

    Raises:
        InputError: a missing column, text in an ordered item, an item with one or more than
            20 categories (or one category in a group), a non-numeric or constant continuous
            variable.
    """
    variables = list(variables)
    ord_list = list(variables) if ordered is True else [v for v in variables if v in ordered]
    if ordered is not True and not isinstance(ordered, bool):
        unknown = [v for v in ordered if v not in variables]
        if unknown:
            raise InputError("ordered item is not among the model's variables", column=unknown[0])
    frame, n_dropped = _prepare(data, variables, ord_list, group)
    levels, codes, labels, members = _codes_and_groups(frame, ord_list, group)
    empty: list = []
    out = []
    for label, rows in zip(labels, members, strict=True):
        fits, th_labels = [], []
        for v in variables:
            if v in levels:
                fit, labs = _group_fit(v, codes[v][rows], levels[v], label, empty)
            else:
                fit, labs = fit_numeric(frame[v].to_numpy(dtype=float)[rows]), []
            fits.append(fit)
            th_labels.append(labs)
        st = two_step(fits, variables, th_labels=th_labels, with_nacov=nacov)
        st.group = label
        _warn_near_one(st, label)
        out.append(st)
    return OrdinalSampleStats(
        ov=variables,
        ordered=ord_list,
        levels=levels,
        groups=out,
        group=group,
        group_labels=labels,
        n_dropped=n_dropped,
        empty_categories=empty,
    )


def _warn_near_one(st: TwoStep, label) -> None:
    i, j = np.nonzero(np.tril(np.abs(st.cor) > 0.99, k=-1))
    where = "" if label is None else f" in group '{label}'"
    for a, b in zip(i, j, strict=True):
        msg = f"correlation between {st.ov[a]} and {st.ov[b]} is (nearly) 1.0{where}"
        if label is None:
            notice = Notice("ordinal.correlation_near_one", msg, a=st.ov[a], b=st.ov[b])
        else:
            notice = Notice(
                "ordinal.correlation_near_one_group", msg, a=st.ov[a], b=st.ov[b], group=str(label)
            )
        warnings.warn(notice, OrdinalDataWarning, stacklevel=3)
