"""The valid sample (问卷回收与有效问卷): questionnaires collected, removed per reason, valid N
and valid rate, and the respondents kept.

Starts from :func:`loyaltysem.psychometrics.screening.screen`'s result, which flags straight-liners,
speeders and failed attention checks on every respondent read (and may already have removed
some, e.g. incomplete answers under listwise deletion). The drop policy says which careless
respondents are removed: by default the model file's ``[screening]`` table
(``drop_careless = true`` for all three, or ``drop_straightliners``, ``drop_speeders``,
``drop_attention`` one by one), else nothing; arguments override the file.

A respondent with several reasons is counted once, under the first reason in the order
straight-lining, speeding, failed attention check, then whatever :func:`screen` removed
(incomplete answers, multivariate outliers); ``flagged`` counts every flag, overlaps
included, and ``overlap`` how many removed respondents had more than one reason.
Valid rate = valid N / collected x 100.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError, InstrumentError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin

__all__ = ["CARELESS", "ValidSample", "drop_policy", "screening_settings", "valid_sample"]

# flag column in ScreeningResult.flags -> key in the table (and the [screening] option)
CARELESS = {
    "straightliner": "drop_straightliners",
    "speeder": "drop_speeders",
    "attention_failed": "drop_attention",
}
_ORDER = ["straightliner", "speeder", "attention_failed", "incomplete", "outlier", "other"]


def screening_settings(instrument) -> dict:
    """The ``[screening]`` table of the instrument's TOML model file ({} for lavaan syntax,
    a DataFrame-only survey or a file without the table).

    Example:
        >>> from loyaltysem.survey.instrument import read_instrument
        >>> screening_settings(read_instrument("models/online_loyalty.toml"))  # doctest: +SKIP
        {}
    """
    source = getattr(instrument, "source", None)
    if not source or Path(source).suffix.lower() != ".toml" or not Path(source).exists():
        return {}
    try:
        raw = tomllib.loads(Path(source).read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    table = raw.get("screening", {})
    return dict(table) if isinstance(table, dict) else {}


def drop_policy(
    instrument=None,
    *,
    drop_careless: bool | None = None,
    drop_straightliners: bool | None = None,
    drop_speeders: bool | None = None,
    drop_attention: bool | None = None,
) -> dict[str, bool]:
    """Which careless flags remove a respondent: flag -> bool.

    Precedence: a specific argument, then ``drop_careless``, then the model file's specific
    key, then its ``drop_careless``, then False.

    Example:
        >>> drop_policy(drop_careless=True, drop_speeders=False)
        {'straightliner': True, 'speeder': False, 'attention_failed': True}
    """
    settings = screening_settings(instrument)
    for key in ("drop_careless", *CARELESS.values()):
        if key in settings and not isinstance(settings[key], bool):
            raise InstrumentError(
                f"screening.{key} must be true or false, not {settings[key]!r}",
                file=getattr(instrument, "source", None),
            )
    given = {
        "drop_straightliners": drop_straightliners,
        "drop_speeders": drop_speeders,
        "drop_attention": drop_attention,
    }
    out = {}
    for flag, key in CARELESS.items():
        for value in (given[key], drop_careless, settings.get(key), settings.get("drop_careless")):
            if value is not None:
                out[flag] = bool(value)
                break
        else:
            out[flag] = False
    return out


@dataclass
class ValidSample(ResultMixin):
    """``table``: one row per line of the valid-sample table (key: collected, a reason of
    ``_ORDER``, removed or valid; flagged, removed, n, percent of collected, dropped (the
    policy, for the careless rows)); the words of the keys are the report catalogue's
    (``vs.label.<key>``);
    ``kept``: the valid respondents' data; ``survey``: the screened survey with only them
    (log extended); ``removed``: row, id, reason (the one counted) and reasons (all)."""

    table: pd.DataFrame
    kept: pd.DataFrame
    survey: object
    removed: pd.DataFrame
    n_collected: int
    n_valid: int
    valid_rate: float
    overlap: int
    policy: dict[str, bool]
    notes: list[str] = field(default_factory=list)


def _screen_reason_key(reason: str) -> str:
    r = str(reason)
    if r.startswith("straight-lining"):
        return "straightliner"
    if r.startswith("speeder"):
        return "speeder"
    if r.startswith("failed attention"):
        return "attention_failed"
    if r.startswith("missing answers") or "unanswered" in r:
        return "incomplete"
    if r.startswith("multivariate outlier"):
        return "outlier"
    return "other"


def _reasons(flags: pd.DataFrame, policy: dict[str, bool]) -> pd.DataFrame:
    """One boolean column per reason in _ORDER: is this respondent removed for it?"""
    out = pd.DataFrame(False, index=flags.index, columns=_ORDER)
    for flag in CARELESS:
        if flag in flags:
            out[flag] = flags[flag].fillna(False).astype(bool) & policy[flag]
    by_screen = flags["removed"].astype(bool) if "removed" in flags else out["other"]
    for i in flags.index[by_screen.to_numpy()]:
        out.loc[i, _screen_reason_key(flags.loc[i, "reason"])] = True
    return out


def _table(flags, reasons, policy, n: int) -> pd.DataFrame:
    removed = reasons.any(axis=1)
    first = reasons.idxmax(axis=1).where(removed)
    rows = [{"key": "collected", "flagged": np.nan, "removed": np.nan, "n": n, "percent": 100.0}]
    for key in _ORDER:
        counted = int((first == key).sum())
        if key in CARELESS:
            flagged = int(flags[key].fillna(False).astype(bool).sum()) if key in flags else 0
        else:
            flagged = int(reasons[key].sum())
            if not flagged:
                continue
        rows.append({"key": key, "flagged": flagged, "removed": counted, "n": counted,
                     "percent": 100 * counted / n, "dropped": policy.get(key, True)})  # fmt: skip
    k = int(removed.sum())
    rows.append({"key": "removed", "flagged": np.nan, "removed": k, "n": k, "percent": 100 * k / n})
    rows.append({"key": "valid", "flagged": np.nan, "removed": np.nan, "n": n - k,
                 "percent": 100 * (n - k) / n})  # fmt: skip
    return pd.DataFrame(rows)


def valid_sample(
    screening,
    *,
    instrument=None,
    drop_careless: bool | None = None,
    drop_straightliners: bool | None = None,
    drop_speeders: bool | None = None,
    drop_attention: bool | None = None,
) -> ValidSample:
    """The valid-sample table and the kept respondents from a :class:`ScreeningResult`.

    ``instrument`` (default: the screened survey's) supplies the ``[screening]`` defaults;
    the ``drop_*`` arguments override them (see :func:`drop_policy`).

    Example:
        >>> from loyaltysem.survey.loaders import load
        >>> from loyaltysem.psychometrics.screening import screen
        >>> s = load("data/online_loyalty.csv", instrument="models/online_loyalty.toml")
        >>> vs = valid_sample(screen(s, policy="fiml"), drop_careless=True)
        >>> vs.n_collected, vs.n_valid, round(vs.valid_rate, 1)
        (400, 390, 97.5)
    """
    flags = screening.flags
    n = int(screening.n_input)
    if len(flags) != n:
        raise InputError("the screening flags do not cover every respondent read")
    inst = instrument if instrument is not None else getattr(screening.survey, "instrument", None)
    policy = drop_policy(
        inst,
        drop_careless=drop_careless,
        drop_straightliners=drop_straightliners,
        drop_speeders=drop_speeders,
        drop_attention=drop_attention,
    )
    reasons = _reasons(flags, policy)
    removed = reasons.any(axis=1)
    by_screen = flags["removed"].astype(bool).to_numpy()
    screened = screening.survey.data
    if len(screened) != int((~by_screen).sum()):
        raise InputError("the screened data do not match the screening flags")
    keep_local = ~removed.to_numpy()[~by_screen]
    kept = screened.loc[keep_local].reset_index(drop=True)
    table = _table(flags, reasons, policy, n)
    first = reasons.idxmax(axis=1)
    cols = ["row"] + (["id"] if "id" in flags else [])
    out = flags.loc[removed, cols].copy()
    out["reason"] = first[removed]
    out["reasons"] = [", ".join(k for k in _ORDER if reasons.loc[i, k]) for i in out.index]
    notes = _notes(screening, policy)
    log = list(screening.survey.log)
    extra = int(removed.sum()) - int(by_screen.sum())
    log.append(
        f"valid sample: removed {extra} careless respondent(s) "
        f"({', '.join(k for k, v in policy.items() if v) or 'none dropped'}); "
        f"{len(kept)} of {n} valid"
    )
    return ValidSample(
        table=table, kept=kept, survey=replace(screening.survey, data=kept, log=log),
        removed=out.reset_index(drop=True), n_collected=n, n_valid=len(kept),
        valid_rate=100 * len(kept) / n if n else float("nan"),
        overlap=int((reasons.sum(axis=1) > 1).sum()), policy=policy, notes=notes,
    )  # fmt: skip


def _notes(screening, policy: dict[str, bool]) -> list[str]:
    """What the table cannot show (Notices): no duration column, the speeder rule, no
    attention-check item."""
    notes = []
    settings = getattr(screening, "settings", {}) or {}
    if policy["speeder"] and not settings.get("speeder_rule"):
        msg = "no duration column: speeders could not be checked"
        notes.append(Notice("screen.no_duration", msg))
    elif settings.get("speeder_rule"):
        rule = settings["speeder_rule"]
        notes.append(Notice("screen.speeder_rule", f"speeders: {rule}", rule=rule))
    inst = getattr(screening.survey, "instrument", None)
    if policy["attention_failed"] and not getattr(inst, "attention_checks", None):
        msg = "the model declares no attention-check item"
        notes.append(Notice("screen.no_attention_item", msg))
    return notes
