"""Reading SPSS (.sav/.zsav/.por), Stata (.dta) and SAS (.sas7bdat/.xpt) files with their
variable labels, value labels and SPSS user-defined missing values (see
:func:`loyaltysem.survey.loaders.read_table`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.survey.cleaning import first_line

_KIND = {".sav": "SPSS", ".zsav": "SPSS", ".por": "SPSS portable", ".dta": "Stata"}


def _read(path: Path, encoding: str | None):
    """The frame and pyreadstat's metadata, SPSS user-missing values kept as values."""
    import pyreadstat

    file = str(path)
    ext = path.suffix.lower()
    readers = {
        ".sav": pyreadstat.read_sav,
        ".zsav": pyreadstat.read_sav,
        ".por": pyreadstat.read_por,
        ".dta": pyreadstat.read_dta,
        ".sas7bdat": pyreadstat.read_sas7bdat,
        ".xpt": pyreadstat.read_xport,
    }
    kwargs: dict = {}
    if ext in (".sav", ".zsav"):
        kwargs["user_missing"] = True  # applied below, so the log can count them
    if encoding and ext in (".sav", ".zsav", ".dta", ".sas7bdat", ".xpt"):
        kwargs["encoding"] = encoding
    try:
        return readers[ext](file, **kwargs)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises its own error types
        raise InputError(
            f"not a readable {_KIND.get(ext, 'SAS')} {ext} file, corrupt or truncated "
            f"({first_line(exc)})",
            file=file,
        ) from None


def _apply_user_missing(df: pd.DataFrame, meta, log: list[str]) -> None:
    """SPSS user-defined missing values (ranges, or discrete text codes) become NaN."""
    n_user = 0
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        if col not in df.columns:
            continue
        s = df[col]
        hit = pd.Series(False, index=s.index)
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if pd.api.types.is_numeric_dtype(s):
                if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
                    hit |= (s >= lo) & (s <= hi)
            else:
                hit |= s.astype("string").str.strip() == str(lo).strip()
        n = int(hit.sum())
        if n:
            df[col] = s.where(~hit)
            n_user += n
    if n_user:
        log.append(f"SPSS user-defined missing values: {n_user} answers set to missing")


def _numeric_value_labels(meta) -> dict[str, dict[float, str]]:
    """{column: {code: label}} for numeric codes (labels of text codes map no answer)."""
    value_labels = {}
    for col, labels in (meta.variable_value_labels or {}).items():
        out = {}
        for code, lab in labels.items():
            try:
                out[float(code)] = str(lab)
            except (TypeError, ValueError):
                continue  # labels of string codes do not map answers to numbers
        if out:
            value_labels[col] = out
    return value_labels


def read_stat_file(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    """An SPSS, Stata or SAS file as read (columns not yet cleaned) and its meta.

    The meta holds ``format``, ``log``, ``variable_labels``, ``value_labels`` (numeric codes
    only) and ``missing_ranges`` (the SPSS user-defined missing values, which are set to NaN
    here). Unreadable files, duplicate names and files without rows are errors.

    Example:
        >>> df, meta = read_stat_file(Path("data/online_loyalty.sav"), None)  # doctest: +SKIP
        >>> meta["variable_labels"]["id"]  # doctest: +SKIP
        'Respondent ID'
    """
    file = str(path)
    kind = _KIND.get(path.suffix.lower(), "SAS")
    df, meta = _read(path, encoding)
    names = [str(c) for c in df.columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError("duplicate column name", file=file, column=name)
        seen.add(name)
    log = [f"{kind} file"]
    _apply_user_missing(df, meta, log)
    info = {
        "format": kind,
        "log": log,
        "variable_labels": {
            k: str(v)
            for k, v in zip(meta.column_names, meta.column_labels or [], strict=False)
            if v
        },
        "value_labels": _numeric_value_labels(meta),
        # {column: [{"lo": .., "hi": ..}, ...]}: the SPSS user-defined missing values
        "missing_ranges": dict(getattr(meta, "missing_ranges", None) or {}),
    }
    if df.empty:
        raise InputError("the file has no rows", file=file)
    return df, info
