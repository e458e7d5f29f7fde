"""Data screening: missing answers, careless responding, normality, outliers, sample profile.

:func:`screen` runs every check on a loaded :class:`~loyaltysem.survey.data.Survey` and returns a
:class:`ScreeningResult` with one DataFrame per table and the screened survey. Checks only
*flag* respondents; they are dropped only when asked (``drop_straightliners=True``, ...), and
the missing-data policy says what happens to incomplete answers:

* ``"listwise"``: drop every respondent with any missing item answer;
* ``"max_missing"``: drop respondents who left more than ``max_missing_share`` of the items
  unanswered, keep the rest (their remaining gaps go to FIML or pairwise methods later);
* ``"fiml"`` (alias ``"none"``): drop nobody for missingness (full-information ML estimation
  uses every answer).

Each removal is listed in ``result.removed`` (row, ID, reason) and in ``survey.log``.

Harman's single-factor test (common method bias) lives in :mod:`loyaltysem.psychometrics.efa`
(``harman_single_factor``) and is not run here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.psychometrics.descriptives import (
    KURTOSIS_CUTOFF,
    MARDIA_CR_CUTOFF,
    SKEW_CUTOFF,
    describe,
    mahalanobis_outliers,
    mardia,
    sample_profile,
)
from loyaltysem.survey.data import Survey

__all__ = [
    "POLICIES",
    "ScreeningResult",
    "attention_failures",
    "missing_by_respondent",
    "missing_summary",
    "sample_profile",
    "screen",
    "speeders",
    "straightliners",
]

POLICIES = ("listwise", "max_missing", "fiml", "none")


# ------------------------------------------------------------------- plain functions


def _items_of(df: pd.DataFrame, items: list[str] | None) -> list[str]:
    if items is None:
        return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    absent = [c for c in items if c not in df.columns]
    if absent:
        raise InputError("item is not in the data", column=absent[0])
    return list(items)


def _matrix(df: pd.DataFrame, items: list[str]) -> np.ndarray:
    try:
        return df[items].to_numpy(dtype=float)
    except (TypeError, ValueError):
        for c in items:
            if not pd.api.types.is_numeric_dtype(df[c]):
                raise InputError("the item is not numeric", column=c) from None
        raise


def missing_summary(df: pd.DataFrame, items: list[str] | None = None) -> pd.DataFrame:
    """Missing answers per item: n (answered), n_missing and percent_missing (of all rows).

    ``items`` defaults to the numeric columns.

    Example:
        >>> missing_summary(pd.DataFrame({"a": [1.0, None], "b": [1.0, 2.0]}))["n_missing"].tolist()
        [1, 0]
    """
    items = _items_of(df, items)
    miss = np.isnan(_matrix(df, items)).sum(axis=0) if len(df) else np.zeros(len(items), int)
    total = len(df)
    out = pd.DataFrame(
        {
            "n": total - miss,
            "n_missing": miss.astype(int),
            "percent_missing": 100 * miss / total if total else np.nan,
        },
        index=pd.Index(items, name="item"),
    )
    return out


def missing_by_respondent(df: pd.DataFrame, items: list[str] | None = None) -> pd.DataFrame:
    """How many respondents left 0, 1, 2, ... items unanswered (n and percent).

    Example:
        >>> missing_by_respondent(pd.DataFrame({"a": [1.0, None], "b": [None, None]}))
        ... # doctest: +SKIP
    """
    items = _items_of(df, items)
    counts = np.isnan(_matrix(df, items)).sum(axis=1)
    vc = pd.Series(counts).value_counts().sort_index()
    out = pd.DataFrame(
        {
            "n_missing": vc.index.astype(int),
            "share_of_items": vc.index / max(len(items), 1),
            "respondents": vc.to_numpy().astype(int),
            "percent": 100 * vc.to_numpy() / max(len(df), 1),
        }
    )
    return out


def straightliners(
    df: pd.DataFrame, items: list[str] | None = None, min_answered: int = 2
) -> pd.DataFrame:
    """Straight-lining: the same answer to every answered Likert item.

    Per row: ``answered`` (items answered), ``longstring`` (longest run of identical
    consecutive answers in the given item order; Johnson 2005) and ``straightliner`` (all
    answered items identical and at least ``min_answered`` answered). Pass the answers *as
    given* (before reverse-keyed items were recoded), or a straight-liner is missed;
    :func:`screen` does that for you.

    Example:
        >>> straightliners(pd.DataFrame({"a": [3.0, 1], "b": [3.0, 2]}))["straightliner"].tolist()
        [True, False]
    """
    items = _items_of(df, items)
    x = _matrix(df, items)
    n, k = x.shape
    ok = ~np.isnan(x)
    answered = ok.sum(axis=1)
    if k == 0 or n == 0:
        same = np.zeros(n, bool)
        longest = np.zeros(n, int)
    else:
        with np.errstate(invalid="ignore"):
            hi = np.where(ok, x, -np.inf).max(axis=1)
            lo = np.where(ok, x, np.inf).min(axis=1)
        same = (answered >= min_answered) & (hi == lo)
        run = ok[:, 0].astype(int)
        longest = run.copy()
        for j in range(1, k):
            cont = ok[:, j] & ok[:, j - 1] & (x[:, j] == x[:, j - 1])
            run = np.where(cont, run + 1, ok[:, j].astype(int))
            np.maximum(longest, run, out=longest)
    return pd.DataFrame(
        {"answered": answered, "longstring": longest, "straightliner": same}, index=df.index
    )


#: A completion time takes many values: a column with at most this many distinct values
#: among at least DURATION_MIN_ANSWERS answers is a code (gender, age band), not a duration.
DURATION_MAX_DISTINCT = 10
DURATION_MIN_ANSWERS = 20


def _durations(df: pd.DataFrame, column: str, file: str | None = None) -> pd.Series:
    """The completion times, refused when the column cannot be one: absent, not numeric,
    negative, or a code with few distinct values (at most 10 among 20 or more answers)."""
    if column not in df.columns:
        raise InputError("the duration column is not in the data", file=file, column=column)
    d = df[column]
    if not pd.api.types.is_numeric_dtype(d):
        raise InputError("the duration column is not numeric", file=file, column=column)
    d = d.astype(float)
    negative = (d < 0).to_numpy()
    if negative.any():
        pos = int(np.argmax(negative))
        raise InputError(
            f"negative completion time {d.iloc[pos]:g}: not a duration",
            file=file,
            column=column,
            row=pos + 1,
        )
    answered, distinct = int(d.notna().sum()), int(d.nunique())
    if answered >= DURATION_MIN_ANSWERS and distinct <= DURATION_MAX_DISTINCT:
        raise InputError(
            f"only {distinct} distinct values among {answered} answers: a code (such as gender "
            "or an age band), not a completion time (a duration column has a value per "
            "respondent, in seconds)",
            file=file,
            column=column,
        )
    return d


def speeders(
    df: pd.DataFrame,
    duration_column: str,
    min_duration: float | None = None,
    fraction: float = 1 / 3,
    *,
    file: str | None = None,
) -> pd.DataFrame:
    """Respondents who finished implausibly fast.

    The threshold is ``min_duration`` (same unit as the column, usually seconds) when given,
    else ``fraction`` times the median completion time (a common rule of thumb: faster than
    a third of the median; some use a half). Per row: ``duration``, ``threshold``,
    ``speeder`` (duration < threshold; a missing duration is never a speeder). A column that
    cannot hold completion times is refused: not numeric, a negative value, or at most 10
    distinct values among 20 or more answers (a code such as gender).

    Example:
        >>> speeders(pd.DataFrame({"t": [300.0, 320, 40]}), "t")["speeder"].tolist()
        [False, False, True]
    """
    d = _durations(df, duration_column, file)
    if min_duration is None:
        if not 0 < fraction <= 1:
            raise InputError(f"speeder fraction must be in (0, 1], got {fraction}")
        med = float(np.nanmedian(d)) if d.notna().any() else np.nan
        threshold = fraction * med
    else:
        threshold = float(min_duration)
    flag = (
        (d < threshold).fillna(False).astype(bool) if np.isfinite(threshold) else d.isna() & False
    )
    return pd.DataFrame({"duration": d, "threshold": threshold, "speeder": flag}, index=df.index)


def attention_failures(df: pd.DataFrame, checks: dict[str, float]) -> pd.DataFrame:
    """Attention-check items ("please choose Agree"): one boolean column per check, True when
    the answer differs from the expected one (a missing answer fails), and ``failed`` = any.

    Example:
        >>> attention_failures(pd.DataFrame({"ATT1": [4.0, 2.0]}), {"ATT1": 4})["failed"].tolist()
        [False, True]
    """
    out = pd.DataFrame(index=df.index)
    for col, expected in checks.items():
        if col not in df.columns:
            raise InputError("the attention-check item is not in the data", column=col)
        s = pd.to_numeric(df[col], errors="coerce")
        out[col] = ~(s == float(expected))
    out["failed"] = out.any(axis=1) if len(checks) else False
    return out


# ------------------------------------------------------------------------- screen()


@dataclass
class ScreeningResult(ResultMixin):
    """Everything :func:`screen` found. DataFrames are indexed by respondent position."""

    survey: Survey  # the screened survey (respondents kept, log extended)
    policy: str
    n_input: int
    missing_by_item: pd.DataFrame
    missing_by_respondent: pd.DataFrame
    flags: pd.DataFrame  # one row per input respondent
    removed: pd.DataFrame  # row, id, reason for each respondent dropped
    removed_counts: dict[str, int]
    descriptives: pd.DataFrame
    mardia: dict | None
    outliers: pd.DataFrame
    profile: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    _main = "flags"  # class attributes (no annotation): not fields
    _key = ("removed", "descriptives")

    @property
    def n(self) -> int:
        return self.survey.n

    def _headline(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        """The JSON form written by ``loyaltysem screen --json`` (see the command's help)."""
        f = self.flags

        def who(mask: pd.Series) -> list:
            cols = ["row"] + (["id"] if "id" in f.columns else [])
            return f.loc[mask, cols].to_dict(orient="records")

        return {
            "n": self.n,
            "n_input": self.n_input,
            "warnings": list(self.warnings),
            "policy": self.policy,
            "settings": self.settings,
            "log": list(self.survey.log),
            "recoded": list(self.survey.recoded),
            "removed_counts": dict(self.removed_counts),
            "removed": self.removed.to_dict(orient="records"),
            "missing": {
                "by_item": self.missing_by_item.reset_index().to_dict(orient="records"),
                "by_respondent": self.missing_by_respondent.to_dict(orient="records"),
            },
            "flags": {
                "straightliners": who(f["straightliner"]),
                "speeders": who(f["speeder"]),
                "attention_failed": who(f["attention_failed"]),
                "outliers": who(f["outlier"]),
            },
            "descriptives": self.descriptives.reset_index().to_dict(orient="records"),
            "mardia": self.mardia,
            "profile": self.profile.to_dict(orient="records"),
        }

    def summary(self) -> str:
        """A few lines for the terminal."""
        f = self.flags
        lines = [
            f"respondents: {self.n_input} read, {self.n} kept ({self.policy})",
            f"missing answers: {int(self.missing_by_item['n_missing'].sum())} in "
            f"{int((f['n_missing'] > 0).sum())} respondents",
            f"flagged: {int(f['straightliner'].sum())} straight-liners, "
            f"{int(f['speeder'].sum())} speeders, {int(f['attention_failed'].sum())} failed "
            f"attention checks, {int(f['outlier'].sum())} multivariate outliers (p < .001)",
        ]
        for reason, k in self.removed_counts.items():
            lines.append(f"removed {k}: {reason}")
        if self.mardia:
            m = self.mardia
            lines.append(
                f"Mardia: b1p = {m['b1p']:.2f} (p = {m['skew.pvalue']:.3g}), "
                f"b2p = {m['b2p']:.2f}, z = {m['kurtosis.z']:.2f} (p = {m['kurtosis.pvalue']:.3g})"
            )
        return "\n".join(lines)


def _raw_answers(survey: Survey, items: list[str]) -> pd.DataFrame:
    """The answers as given: reverse-keyed items un-recoded (min + max - x again)."""
    x = survey.data[items].astype(float)
    inst = survey.instrument
    if survey.recoded and inst is not None and inst.scale_min is not None:
        lo, hi = inst.scale_min, inst.scale_max
        for c in survey.recoded:
            if c in x.columns:
                x[c] = lo + hi - x[c]
    return x


@dataclass(frozen=True)
class ScreeningOptions:
    """What :func:`screen` flags and drops (every field is also a keyword of ``screen``)."""

    items: list[str] | None = None
    policy: str = "listwise"
    max_missing_share: float = 0.2
    drop_straightliners: bool = False
    drop_speeders: bool = False
    min_duration: float | None = None
    speeder_fraction: float = 1 / 3
    duration_column: str | None = None
    drop_attention: bool = False
    drop_outliers: bool = False
    outlier_alpha: float = 0.001
    demographics: list[str] | None = None
    lang: str = "en"
    #: the sample profile's word for a missing answer (the report's catalogue has it in zh)
    missing_label: str = "Missing"
    #: the items are analysed as ordered categories (WLSMV): Mardia's warning then advises
    #: no MLR
    ordered: bool = False

    def check(self) -> None:
        if self.policy not in POLICIES:
            raise InputError(f"unknown missing-data policy '{self.policy}' ({', '.join(POLICIES)})")
        if not 0 <= self.max_missing_share <= 1:
            raise InputError(
                f"max_missing_share must be between 0 and 1, got {self.max_missing_share}"
            )
        if not 0 < self.outlier_alpha < 1:
            raise InputError(f"outlier alpha must be between 0 and 1, got {self.outlier_alpha}")


def screen(
    survey: Survey | pd.DataFrame, options: ScreeningOptions | None = None, **overrides
) -> ScreeningResult:
    """Screen a survey: flag, then drop what the policy and the options ask for.

    ``options`` (or the same names as keywords, see :class:`ScreeningOptions`). Steps, in
    order: missing answers per item and per respondent; straight-lining (on the answers as
    given, before reverse recoding), speeders (``duration_column`` or the instrument's,
    threshold ``min_duration`` or ``speeder_fraction`` x median) and failed attention checks
    (the instrument's ``[[attention_checks]]``) are flagged and dropped only when ``drop_*``
    is set; then the missing-data ``policy`` (see the module doc); then Mahalanobis
    distances on the complete rows (flagged at p < ``outlier_alpha``, dropped with
    ``drop_outliers``); finally descriptives (psych::describe type 3), Mardia's tests and
    the sample profile of the respondents kept.

    Raises :class:`~loyaltysem.base.errors.InputError` for a bad option or a column that is
    absent; statistics that cannot be computed (e.g. Mardia on too few complete rows)
    become ``warnings``.

    Example:
        >>> from loyaltysem.survey.loaders import load
        >>> s = load("data/online_loyalty.csv", "models/online_loyalty.toml")
        >>> res = screen(s, policy="max_missing", drop_straightliners=True)
        >>> res.removed_counts  # doctest: +SKIP
    """
    opts = replace(options or ScreeningOptions(), **overrides)
    if isinstance(survey, pd.DataFrame):
        survey = Survey(survey.reset_index(drop=True))
    if not isinstance(survey, Survey):
        raise InputError(f"screen() needs a Survey or a DataFrame, not {type(survey).__name__}")
    opts.check()
    data = survey.data.reset_index(drop=True)
    survey = replace(survey, data=data)
    items = _items_of(data, opts.items if opts.items is not None else survey.items)
    if not items:
        raise InputError("no items to screen", file=survey.source)
    warnings: list[str] = []
    flags, speed_rule, checks = _flag_careless(survey, items, opts, warnings)
    drops = _Drops(len(data), list(survey.log))
    _drop_careless_and_missing(drops, flags, opts, speed_rule, checks)
    outl = _flag_outliers(data.loc[drops.keep, items], data.index, len(items), opts, warnings)
    flags["mahalanobis_d2"] = outl["d2"]
    flags["mahalanobis_p"] = outl["pvalue"]
    flags["outlier"] = outl["outlier"]
    if opts.drop_outliers:
        drops.drop(
            outl["outlier"].to_numpy(),
            f"multivariate outlier (Mahalanobis p < {opts.outlier_alpha:g})",
        )
    flags["removed"] = ~drops.keep
    flags["reason"] = drops.reason
    return _result(survey, items, opts, flags, drops, outl, speed_rule, warnings)


@dataclass
class _Drops:
    """Who is kept, why the others were removed, and the log of each step."""

    n: int
    log: list[str]

    def __post_init__(self):
        self.keep = np.ones(self.n, bool)
        self.reason = np.array([""] * self.n, dtype=object)
        self.counts: dict[str, int] = {}

    def drop(self, mask: np.ndarray, why: str) -> None:
        new = self.keep & mask
        k = int(new.sum())
        if k:
            self.reason[new] = why
            self.keep[new] = False
        self.counts[why] = k
        self.log.append(f"screening: removed {k} respondent(s): {why}")


def _flag_careless(survey: Survey, items: list[str], opts: ScreeningOptions, warnings: list):
    """Missing answers, straight-lining, speeding and attention checks, per respondent."""
    data, inst, file = survey.data, survey.instrument, survey.source
    flags = pd.DataFrame({"row": np.arange(1, len(data) + 1)}, index=data.index)
    id_col = inst.id_column if inst is not None else None
    if id_col and id_col in data.columns:
        flags["id"] = data[id_col]
    n_miss = np.isnan(_matrix(data, items)).sum(axis=1)
    flags["n_missing"] = n_miss
    flags["share_missing"] = n_miss / len(items)
    sl = straightliners(_raw_answers(survey, items), items)
    flags["longstring"] = sl["longstring"]
    flags["straightliner"] = sl["straightliner"]
    speed_rule = _flag_speeders(flags, survey, opts, warnings)
    checks = dict(inst.attention_checks) if inst is not None else {}
    if checks:
        absent = [c for c in checks if c not in data.columns]
        if absent:
            raise InputError(
                "the attention-check item declared in the model is not in the data",
                file=file,
                column=absent[0],
            )
        flags["attention_failed"] = attention_failures(data, checks)["failed"]
    else:
        flags["attention_failed"] = False
        if opts.drop_attention:
            warnings.append(
                Notice("screen.no_attention_item", "the model declares no attention-check item")
            )
    return flags, speed_rule, checks


def _flag_speeders(flags, survey: Survey, opts: ScreeningOptions, warnings: list) -> str | None:
    data, inst, file = survey.data, survey.instrument, survey.source
    dur_col = opts.duration_column or (inst.duration_column if inst is not None else None)
    if opts.duration_column and opts.duration_column not in data.columns:
        raise InputError("the duration column is not in the data", file=file, column=dur_col)
    if opts.min_duration is not None and dur_col is None:
        raise InputError("--min-duration needs a duration column (none is declared)", file=file)
    if not (dur_col and dur_col in data.columns):
        flags["speeder"] = False
        if opts.drop_speeders:
            msg = "no duration column: speeders could not be checked"
            warnings.append(Notice("screen.no_duration", msg))
        return None
    sp = speeders(data, dur_col, opts.min_duration, opts.speeder_fraction, file=file)
    flags["duration"] = sp["duration"]
    flags["speeder"] = sp["speeder"]
    cut = float(sp["threshold"].iloc[0])
    if opts.min_duration is not None:
        return f"duration < {opts.min_duration:g}"
    return f"duration < {opts.speeder_fraction:.3g} x median ({cut:.4g})"


def _drop_careless_and_missing(drops: _Drops, flags, opts, speed_rule, checks) -> None:
    if opts.drop_straightliners:
        drops.drop(
            flags["straightliner"].to_numpy(), "straight-lining (identical answers to all items)"
        )
    if opts.drop_speeders and speed_rule:
        drops.drop(flags["speeder"].to_numpy(), f"speeder ({speed_rule})")
    if opts.drop_attention and checks:
        drops.drop(flags["attention_failed"].to_numpy(), "failed attention check")
    if opts.policy == "listwise":
        drops.drop(flags["n_missing"].to_numpy() > 0, "missing answers (listwise deletion)")
    elif opts.policy == "max_missing":
        drops.drop(
            flags["share_missing"].to_numpy() > opts.max_missing_share,
            f"more than {100 * opts.max_missing_share:g}% of the items unanswered",
        )
    else:
        drops.log.append("screening: no respondent removed for missing answers (kept for FIML)")


def _flag_outliers(kept: pd.DataFrame, index, n_items: int, opts, warnings: list):
    """Mahalanobis distances of the respondents still kept (complete rows)."""
    outl = pd.DataFrame(
        {"d2": np.nan, "df": n_items, "pvalue": np.nan, "outlier": False}, index=index
    )
    try:
        part = mahalanobis_outliers(kept, alpha=opts.outlier_alpha)
        outl.loc[part.index, ["d2", "pvalue"]] = part[["d2", "pvalue"]].to_numpy()
        outl.loc[part.index, "outlier"] = part["outlier"].to_numpy()
    except InputError as exc:
        msg = f"Mahalanobis distances not computed: {exc}"
        warnings.append(Notice("screen.mahalanobis_failed", msg, error=str(exc)))
    outl["outlier"] = outl["outlier"].astype(bool)
    return outl


def _quality_warnings(
    desc, m, mi, counts: dict, policy: str, n_input: int, lost: int, ordered: bool = False
) -> list:
    """The warnings a careful reader wants: zero variance, non-normality, heavy missingness."""
    out = []
    zero = desc.index[(desc["sd"] == 0) | desc["sd"].isna()].tolist()
    if zero:
        items = ", ".join(map(str, zero))
        msg = f"items with zero variance after screening: {items}"
        out.append(Notice("screen.zero_variance", msg, items=items))
    bad = desc.index[~desc["normal.ok"] & desc["sd"].gt(0)].tolist()
    if bad:
        items = ", ".join(map(str, bad))
        msg = (
            f"items beyond |skew| {SKEW_CUTOFF:g} or |kurtosis| {KURTOSIS_CUTOFF:g} "
            f"(Kline 2016): {items}"
        )
        out.append(Notice("screen.nonnormal_items", msg, skew=SKEW_CUTOFF,
                          kurtosis=KURTOSIS_CUTOFF, items=items))  # fmt: skip
    if m is not None and not m["kurtosis.ok"]:
        z = float(m["kurtosis.z"])
        msg = (
            f"Mardia's multivariate kurtosis critical ratio {z:.2f} > {MARDIA_CR_CUTOFF:g} "
            "(Bentler 2005)"
        )
        if ordered:
            out.append(Notice("screen.mardia", msg, z=z, cutoff=MARDIA_CR_CUTOFF))
        else:
            msg += ": consider a robust estimator (MLR)"
            out.append(Notice("screen.mardia_mlr", msg, z=z, cutoff=MARDIA_CR_CUTOFF))
    heavy = mi.index[mi["percent_missing"] > 10].tolist()
    if heavy:
        items = ", ".join(heavy)
        msg = f"items with more than 10% missing answers: {items}"
        out.append(Notice("screen.heavy_missing", msg, items=items))
    listwise = counts.get("missing answers (listwise deletion)", 0)
    if policy == "listwise" and listwise > 0.1 * n_input:
        msg = (
            f"listwise deletion removed more than 10% of the respondents ({listwise}); "
            "consider policy 'fiml'"
        )
        out.append(Notice("screen.listwise_over_10pct", msg, k=int(listwise)))
    if lost:
        msg = f"{lost} of {n_input} respondents removed by screening"
        out.append(Notice("screen.removed", msg, k=int(lost), n=int(n_input)))
    return out


def _result(survey, items, opts, flags, drops: _Drops, outl, speed_rule, warnings):
    data, inst, file = survey.data, survey.instrument, survey.source
    n_input = len(data)
    cols = ["row"] + (["id"] if "id" in flags.columns else []) + ["reason"]
    removed = flags.loc[~drops.keep, cols].reset_index(drop=True)
    kept = data.loc[drops.keep].reset_index(drop=True)
    if not len(kept):
        raise InputError("screening removed every respondent; relax the options", file=file)
    X = kept[items]
    desc = describe(X)
    m = None
    try:
        m = mardia(X)
    except InputError as exc:
        msg = f"Mardia's test not computed: {exc}"
        warnings.append(Notice("screen.mardia_failed", msg, error=str(exc)))
    demo = opts.demographics
    if demo is None and inst is not None:
        demo = [d.code for d in inst.demographics if d.code in kept.columns]
    profile = (
        sample_profile(kept, list(demo or []), inst, opts.lang, opts.missing_label)
        if demo
        else pd.DataFrame()
    )
    mi = missing_summary(data, items)
    warnings += _quality_warnings(
        desc, m, mi, drops.counts, opts.policy, n_input, n_input - len(kept), opts.ordered
    )
    settings = {
        "items": items,
        "max_missing_share": opts.max_missing_share if opts.policy == "max_missing" else None,
        "drop_straightliners": opts.drop_straightliners,
        "drop_speeders": opts.drop_speeders,
        "speeder_rule": speed_rule,
        "drop_attention": opts.drop_attention,
        "drop_outliers": opts.drop_outliers,
        "outlier_alpha": opts.outlier_alpha,
        "skew_cutoff": SKEW_CUTOFF,
        "kurtosis_cutoff": KURTOSIS_CUTOFF,
        "definitions": "skew and excess kurtosis as psych::describe type 3 (m3/s^3, m4/s^4-3)",
    }
    return ScreeningResult(
        survey=replace(survey, data=kept, log=drops.log),
        policy=opts.policy,
        n_input=n_input,
        missing_by_item=mi,
        missing_by_respondent=missing_by_respondent(data, items),
        flags=flags,
        removed=removed,
        removed_counts=drops.counts,
        descriptives=desc,
        mardia=m,
        outliers=outl[outl["outlier"]],
        profile=profile,
        warnings=warnings,
        settings=settings,
    )
