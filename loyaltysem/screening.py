"""Data screening: missing data, straight-lining, speeders, attention checks, outliers.

Respondents are flagged, and dropped only when asked; every drop is counted in the result and
in ``survey.log``. Mahalanobis outliers: D^2 above the chi-square(p) quantile at p < .001
(Tabachnick & Fidell 2013).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .descriptives import describe, mardia
from .errors import InputError
from .survey import Survey


def missing_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Missing answers per item: count and share."""
    n = len(df)
    miss = df.isna().sum()
    return pd.DataFrame({"missing": miss, "share": miss / n if n else np.nan})


def straightliners(df: pd.DataFrame) -> pd.Series:
    """True where a respondent gave the identical answer to every item answered (>= 2)."""
    answered = df.notna().sum(axis=1)
    return (df.nunique(axis=1, dropna=True) == 1) & (answered >= 2)


def speeders(duration: pd.Series, min_duration: float | None = None) -> pd.Series:
    """True where completion time is below ``min_duration`` seconds (default: a third of the
    median, a common rule)."""
    d = pd.to_numeric(duration, errors="coerce")
    cut = min_duration if min_duration is not None else d.median() / 3
    return d < cut


def mahalanobis_outliers(df: pd.DataFrame, alpha: float = 0.001) -> pd.DataFrame:
    """D^2 of each complete respondent and whether it exceeds the chi-square(p) quantile."""
    x = df.dropna()
    d = x.to_numpy(dtype=float) - x.to_numpy(dtype=float).mean(axis=0)
    S = np.cov(d, rowvar=False)
    d2 = np.einsum("ij,ij->i", d @ np.linalg.pinv(S), d)
    p = x.shape[1]
    return pd.DataFrame(
        {"d2": d2, "pvalue": stats.chi2.sf(d2, p), "outlier": stats.chi2.sf(d2, p) < alpha},
        index=x.index,
    )


@dataclass
class ScreeningResult:
    survey: Survey  # the screened survey
    missing_by_item: pd.DataFrame
    flags: pd.DataFrame  # one row per respondent
    removed: dict[str, int] = field(default_factory=dict)
    descriptives: pd.DataFrame | None = None
    mardia: dict | None = None

    def to_dict(self) -> dict:
        return {
            "n": self.survey.n,
            "warnings": [],
            "removed": self.removed,
            "missing_by_item": self.missing_by_item.to_dict(orient="index"),
            "flags": {
                c: int(self.flags[c].sum())
                for c in self.flags.columns
                if self.flags[c].dtype == bool
            },
            "descriptives": None
            if self.descriptives is None
            else self.descriptives.to_dict(orient="index"),
            "mardia": self.mardia,
            "log": self.survey.log,
        }


def screen(
    survey: Survey,
    *,
    policy: str = "listwise",
    max_missing_share: float = 0.2,
    drop_straightliners: bool = False,
    drop_speeders: bool = False,
    min_duration: float | None = None,
) -> ScreeningResult:
    """Flag problem respondents, apply the missing-data policy, describe the items.

    policy: ``listwise`` (drop respondents with any missing item), ``max_missing`` (drop
    respondents missing more than ``max_missing_share`` of the items), or ``none`` (keep all,
    e.g. for FIML).
    """
    if policy not in ("listwise", "max_missing", "none"):
        raise InputError("policy must be listwise, max_missing or none")
    items = survey.items
    if not items:
        raise InputError("no items to screen (no numeric columns)")
    data = survey.data
    X = data[items]
    flags = pd.DataFrame(index=data.index)
    flags["missing"] = X.isna().sum(axis=1)
    flags["straightliner"] = straightliners(X)
    inst = survey.instrument
    dur_col = inst.duration_column if inst else None
    if dur_col and dur_col in data.columns:
        flags["speeder"] = speeders(data[dur_col], min_duration)
    if inst and inst.attention_checks:
        ok = pd.Series(True, index=data.index)
        for item, expected in inst.attention_checks.items():
            if item in data.columns:
                ok &= data[item] == expected
        flags["failed_attention"] = ~ok
    keep = pd.Series(True, index=data.index)
    removed: dict[str, int] = {}
    log = list(survey.log)
    for name, on, col in (
        ("straight-lining", drop_straightliners, "straightliner"),
        ("speeding", drop_speeders, "speeder"),
    ):
        if on and col in flags:
            hit = flags[col] & keep
            removed[name] = int(hit.sum())
            keep &= ~flags[col]
            log.append(f"dropped {removed[name]} respondents for {name}")
    if policy == "listwise":
        hit = (flags["missing"] > 0) & keep
        removed["missing (listwise)"] = int(hit.sum())
        keep &= flags["missing"] == 0
    elif policy == "max_missing":
        hit = (flags["missing"] / len(items) > max_missing_share) & keep
        removed[f"missing > {max_missing_share:.0%}"] = int(hit.sum())
        keep &= ~(flags["missing"] / len(items) > max_missing_share)
    if policy != "none":
        log.append(
            f"missing-data policy {policy}: removed "
            f"{sum(v for k, v in removed.items() if 'missing' in k)} respondents"
        )
    screened = Survey(
        data[keep].copy(),
        inst,
        survey.source,
        survey.variable_labels,
        survey.value_labels,
        survey.recoded,
        log,
    )
    Xs = screened.data[items]
    return ScreeningResult(
        screened,
        missing_summary(X),
        flags,
        removed,
        describe(Xs),
        mardia(Xs) if Xs.dropna().shape[0] > len(items) else None,
    )
