"""The cleaning every data format shares once it is read (see
:func:`loyaltysem.survey.loaders.read_table`): names and text stripped, :data:`MISSING_TOKENS`
as NaN, numeric text as numbers, numbers as float64 (integers too long for it stay int64),
booleans kept as text, empty rows dropped.
"""

from __future__ import annotations

from collections.abc import Container

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError

#: Cell contents read as missing in text files and spreadsheets (after stripping spaces).
#: "(跳过)" (skipped) and "(空)" (empty) are what 问卷星/Wenjuanxin exports for unanswered
#: questions; "." is SAS/Stata's missing; "NA" is R's.
MISSING_TOKENS = (
    "",
    "NA",
    "N/A",
    "n/a",
    "NaN",
    "nan",
    "NULL",
    "null",
    "#N/A",
    ".",
    "(跳过)",
    "(空)",
)

_FLOAT_SAFE = 2**53  # integers beyond this would lose digits as float64 (long IDs stay int64)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_unique_names(names: list[str], file: str) -> None:
    """A non-empty column name that occurs twice is an error naming it."""
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError("duplicate column name", file=file, column=name)
        seen.add(name)


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def to_number(s: pd.Series) -> pd.Series:
    """Text that is a finite number becomes that number; anything else NaN."""
    out = pd.to_numeric(s, errors="coerce")
    out = out.astype(float) if out.dtype != float else out
    return out.where(np.isfinite(out))


def _keeps_text(s: pd.Series) -> bool:
    """IDs such as "007" or "0451" lose their leading zeros as numbers: keep them as text."""
    return bool(
        s.map(lambda v: isinstance(v, str) and len(v) > 1 and v[0] == "0" and v[1] != ".").any()
    )


def _booleans_as_text(s: pd.Series) -> pd.Series:
    """TRUE/FALSE cells (Excel booleans, "True" in a CSV) are not answers: keep them as text
    so an item holding one is rejected by name instead of being read as 1 or 0."""
    if pd.api.types.is_bool_dtype(s):
        return s.map(lambda v: ("TRUE" if v else "FALSE") if pd.notna(v) else v).astype(object)
    if s.dtype == object and s.map(lambda v: isinstance(v, bool | np.bool_)).any():
        return s.map(lambda v: ("TRUE" if v else "FALSE") if isinstance(v, bool | np.bool_) else v)
    return s


def normalize_frame(
    df: pd.DataFrame, file: str, log: list[str], text_columns: Container[str] = ()
) -> tuple[pd.DataFrame, np.ndarray]:
    """Same frame for every format: names stripped, text stripped with missing tokens as NaN,
    numeric text as numbers, numbers as float64 (unless too long for it), empty rows dropped.
    Booleans stay text; ``text_columns`` (the respondent ID) stay text when a value has a
    leading zero. Returns the frame and the file row number (1 = first data row) of each row
    kept."""
    names = [str(c).strip() for c in df.columns]
    df.columns = names
    out: dict[str, pd.Series] = {}
    dropped_empty = []
    tokens = set(MISSING_TOKENS)
    for i, name in enumerate(names):
        s = _booleans_as_text(df.iloc[:, i])
        if _is_text(s):
            s = s.map(lambda v: v.strip() if isinstance(v, str) else v)
            s = s.map(lambda v: np.nan if isinstance(v, str) and v in tokens else v)
            non_missing = s.notna()
            nums = to_number(s.map(lambda v: v if isinstance(v, (str, int, float)) else None))
            if name in text_columns and _keeps_text(s):
                s = s.astype(object).where(non_missing, np.nan)
                log.append(f"column {name} kept as text (values with leading zeros)")
            elif non_missing.any() and (nums.notna() == non_missing).all():
                s = nums
            elif not non_missing.any():
                s = pd.Series(np.nan, index=s.index)
            else:
                s = s.astype(object).where(non_missing, np.nan)
        elif pd.api.types.is_bool_dtype(s):
            s = s.astype(float)
        elif pd.api.types.is_integer_dtype(s):
            if len(s) == 0 or s.abs().max() < _FLOAT_SAFE:
                s = s.astype(float)
        elif pd.api.types.is_float_dtype(s):
            s = s.astype(float)
            if not np.isfinite(s.fillna(0).to_numpy()).all():
                row = int(np.argmax(~np.isfinite(s.fillna(0).to_numpy()))) + 1
                raise InputError("infinite value", file=file, column=name or None, row=row)
        if (not name or name.startswith("Unnamed:")) and s.isna().all():
            dropped_empty.append(i + 1)
            continue
        if not name:
            raise InputError(f"column {i + 1} has answers but no name in the header", file=file)
        out[name] = s
    if dropped_empty:
        log.append(f"skipped {len(dropped_empty)} unnamed empty column(s)")
    frame = pd.DataFrame(out)
    frame.index = pd.RangeIndex(len(frame))
    rows = np.arange(1, len(frame) + 1)
    empty = frame.isna().all(axis=1).to_numpy() if frame.shape[1] else np.ones(len(frame), bool)
    if empty.any():
        log.append(
            f"skipped {int(empty.sum())} empty row(s): "
            + ", ".join(str(r) for r in rows[empty][:10])
            + (" ..." if empty.sum() > 10 else "")
        )
        frame = frame.loc[~empty].reset_index(drop=True)
        rows = rows[~empty]
    if frame.empty:
        raise InputError("the file has no rows with any answer", file=file)
    return frame, rows
