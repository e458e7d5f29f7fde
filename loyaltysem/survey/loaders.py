"""Load questionnaire data from CSV/TSV, Excel, SPSS, Stata and SAS into a :class:`Survey`.

The loader never modifies the input file and never changes a response silently:

* missing codes (``missing_codes=[-99]``) and SPSS user-defined missing values become NaN, and
  the log says how many answers that touched;
* empty cells and the tokens in :data:`MISSING_TOKENS` ("NA", ".", 问卷星's "(跳过)", ...) are
  missing; any other text in an item is mapped to a number through the file's value labels or
  the instrument's scale labels ("非常同意" -> 7, "Strongly agree" -> 7) or rejected;
* reverse-keyed items are recoded once as (min + max - x) and listed in ``survey.recoded``;
* rows that are entirely empty are skipped (and logged); nothing else is dropped here -
  dropping respondents is :func:`loyaltysem.psychometrics.screening.screen`'s job.

Every problem is an :class:`~loyaltysem.base.errors.InputError` (the only exception this module
raises on bad input) naming the file, the column and the row. Rows are numbered as
respondents: row 1 is the first data row below the header (the SPSS/Stata case number).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Container
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.validate import finite_values
from loyaltysem.survey.answers import (
    check_codes_in_answers,
    check_ids,
    check_items,
    check_missing_codes,
    missing_code_list,
)
from loyaltysem.survey.answers import respondent as _respondent
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument, read_instrument
from loyaltysem.survey.keying import parse_scale, reverse_survey
from loyaltysem.survey.text import decode_bytes, normalize_label

CSV_EXT = {".csv", ".txt", ".tsv", ".tab", ".dat"}
EXCEL_EXT = {".xlsx", ".xlsm"}
SPSS_EXT = {".sav", ".zsav", ".por"}
STATA_EXT = {".dta"}
SAS_EXT = {".sas7bdat", ".xpt"}
SUPPORTED = CSV_EXT | EXCEL_EXT | SPSS_EXT | STATA_EXT | SAS_EXT

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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ---------------------------------------------------------------------------- readers


def _sniff_sep(header: str, ext: str) -> str:
    if ext in (".tsv", ".tab"):
        return "\t"
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\ufffd]")


def _check_is_text(head: str, file: str) -> None:
    """Binary content (control characters, undecodable bytes) is not a CSV file."""
    bad = len(_CONTROL_CHARS.findall(head))
    if bad > max(3, len(head) // 200):
        raise InputError(
            "the file holds binary data, not text: not a CSV/TSV file (or a wrong --encoding)",
            file=file,
        )


def _field_count_problem(text: str, sep: str, ncol: int) -> tuple[int, int] | None:
    """The first data row (1-based) whose field count differs from the header's, and its
    count. pandas pads short rows with missing values and shifts nothing visibly, so a row
    that lost a separator would move every later answer one column left."""
    body = text.lstrip("\r\n")
    if '"' not in body:
        for k, line in enumerate(body.splitlines()):
            if k == 0 or not line.strip():
                continue
            n = line.count(sep) + 1
            if n != ncol:
                return k, n
        return None
    for k, fields in enumerate(csv.reader(io.StringIO(body), delimiter=sep)):
        if k == 0 or not any(f.strip() for f in fields):
            continue
        if len(fields) != ncol:
            return k, len(fields)
    return None


def _read_csv(
    path: Path, encoding: str | None, text_columns: Container[str] = ()
) -> tuple[pd.DataFrame, dict]:
    file = str(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("the file is empty", file=file)
    if not encoding and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _check_is_text(raw[:65536].decode("latin-1"), file)
    text, enc, how = decode_bytes(raw, file, encoding)
    del raw
    if "\x00" in text[:100_000]:
        raise InputError(
            "the file contains NUL bytes: not a text (CSV) file, or a wrong --encoding", file=file
        )
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("the file is empty", file=file)
    _check_is_text(text[:65536], file)
    head = text[:65536]
    first = head.lstrip("\r\n").splitlines()[0] if head.strip() else ""
    sep = _sniff_sep(first, path.suffix.lower())
    try:
        header = next(csv.reader(io.StringIO(head.lstrip("\r\n")), delimiter=sep))
    except (csv.Error, StopIteration) as exc:
        raise InputError(f"cannot read the header line ({_first_line(exc)})", file=file) from None
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError("duplicate column name", file=file, column=name)
        seen.add(name)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            keep_default_na=False,
            na_values=list(MISSING_TOKENS),
            skipinitialspace=True,
            skip_blank_lines=True,
            low_memory=False,
            dtype={c: str for c in names if c in text_columns} or None,
        )
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty", file=file) from None
    except (pd.errors.ParserError, csv.Error, ValueError, OverflowError) as exc:
        msg = _first_line(exc)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            raise InputError(
                f"the row has {m.group(3)} fields but the header has {m.group(1)} "
                f"(line {m.group(2)} of the file; a separator inside an unquoted answer?)",
                file=file,
                row=int(m.group(2)) - 1,
            ) from None
        if "EOF inside string" in msg:
            m = re.search(r"row (\d+)", msg)
            raise InputError(
                "a quoted field is never closed (truncated file?)",
                file=file,
                row=int(m.group(1)) if m else None,
            ) from None
        raise InputError(f"cannot parse the file ({msg})", file=file) from None
    if len(df.columns) != len(names):
        raise InputError(
            f"the header has {len(names)} names but the data {len(df.columns)} columns", file=file
        )
    df.columns = names
    if df.empty:
        raise InputError("the file has a header but no data rows", file=file)
    ragged = _field_count_problem(text, sep, len(names)) if len(names) > 1 else None
    if ragged:
        row, n = ragged
        why = (
            "truncated file?"
            if row >= len(df) and n < len(names)
            else "a missing or extra separator would shift the later answers into the wrong columns"
        )
        raise InputError(
            f"the row has {n} fields but the header has {len(names)} ({why})", file=file, row=row
        )
    sep_name = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[sep]
    log = [f"text encoding {enc} ({how}), {sep_name}-separated"]
    return df, {"format": "csv", "encoding": enc, "log": log}


def _read_excel(path: Path, sheet) -> tuple[pd.DataFrame, dict]:
    file = str(path)
    import zipfile

    if not zipfile.is_zipfile(path):
        raise InputError(
            "not a readable Excel workbook (corrupt or truncated .xlsx, or another format "
            "renamed; old .xls files must be saved as .xlsx)",
            file=file,
        )
    if isinstance(sheet, str) and sheet.strip().isdigit():
        sheet = int(sheet) - 1  # sheets are numbered from 1 on the command line
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
        sheets = list(book.sheet_names)
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int) and not 0 <= sheet < len(sheets):
            raise InputError(
                f"the workbook has {len(sheets)} sheet(s); sheet {sheet + 1} does not exist "
                f"(sheets: {', '.join(sheets)})",
                file=file,
            )
        if isinstance(sheet, str) and sheet not in sheets:
            raise InputError(f"no sheet named '{sheet}' (sheets: {', '.join(sheets)})", file=file)
        df = book.parse(sheet_name=sheet, header=None, dtype=object)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - corrupt workbooks raise many types
        raise InputError(
            f"not a readable Excel workbook, corrupt or truncated ({_first_line(exc)})",
            file=file,
        ) from None
    name = sheets[sheet] if isinstance(sheet, int) else sheet
    if df.empty or df.dropna(how="all").empty:
        raise InputError(f"sheet '{name}' is empty", file=file)
    first = int(df.notna().any(axis=1).idxmax())
    problems = _excel_cell_problems(path, name, df, first)
    df = df.loc[first:]  # start at the first non-empty row
    header = ["" if pd.isna(v) else _cell_name(v) for v in df.iloc[0]]
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise InputError("duplicate column name", file=file, column=h)
        seen.add(h)
    df = df.iloc[1:].reset_index(drop=True)
    df.columns = header
    if df.empty:
        raise InputError(f"sheet '{name}' has a header but no data rows", file=file)
    problems = {
        kind: {header[c]: rows for c, rows in cols.items() if c < len(header) and header[c]}
        for kind, cols in problems.items()
    }
    return df, {"format": "excel", "log": [f"Excel sheet '{name}'"], "cells": problems}


def _excel_cell_problems(path: Path, sheet: str, values: pd.DataFrame, header_row: int) -> dict:
    """Cells whose value pandas cannot see: formulas saved without their computed value (a
    file written by a script, never opened in Excel) and the hidden parts of merged cells.
    Returns {"formula": {col index: [data rows]}, "merged": {...}}; data row 1 is the row
    below the header."""
    from openpyxl import load_workbook

    out: dict[str, dict[int, list[int]]] = {"formula": {}, "merged": {}}
    if path.stat().st_size > 50 * 2**20:
        return out
    try:
        ws = load_workbook(path, data_only=False)[sheet]
    except Exception:  # noqa: BLE001 - pandas read it already; this pass only adds detail
        return out
    nrow, ncol = values.shape
    for row in ws.iter_rows(min_row=header_row + 2):
        for cell in row:
            r, c = cell.row - 1, cell.column - 1
            if cell.data_type == "f" and r < nrow and c < ncol and pd.isna(values.iat[r, c]):
                out["formula"].setdefault(c, []).append(cell.row - 1 - header_row)
    for rng in ws.merged_cells.ranges:
        for r in range(max(rng.min_row, header_row + 2), rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    out["merged"].setdefault(c - 1, []).append(r - 1 - header_row)
    return out


def _check_cells(meta: dict, items: list[str], file: str, log: list[str]) -> None:
    """Formula cells without a saved value and merged cells in an item are errors (their
    answers would silently become missing); elsewhere they are logged."""
    what = {
        "formula": "a formula with no saved value (open and save the file in Excel, or "
        "paste the values)",
        "merged": "part of a merged cell (unmerge the cells and fill in every answer)",
    }
    for kind, cols in meta.get("cells", {}).items():
        for col, rows in cols.items():
            if col in items:
                raise InputError(what[kind], file=file, column=col, row=int(rows[0]))
            log.append(f"column {col}: {len(rows)} cell(s) are {what[kind].split(' (')[0]}")


def _cell_name(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _read_stat(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
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
    kind = {".sav": "SPSS", ".zsav": "SPSS", ".por": "SPSS portable", ".dta": "Stata"}.get(
        ext, "SAS"
    )
    kwargs: dict = {}
    if ext in (".sav", ".zsav"):
        kwargs["user_missing"] = True  # applied below, so the log can count them
    if encoding and ext in (".sav", ".zsav", ".dta", ".sas7bdat", ".xpt"):
        kwargs["encoding"] = encoding
    try:
        df, meta = readers[ext](file, **kwargs)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises its own error types
        raise InputError(
            f"not a readable {kind} {ext} file, corrupt or truncated ({_first_line(exc)})",
            file=file,
        ) from None
    names = [str(c) for c in df.columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError("duplicate column name", file=file, column=name)
        seen.add(name)
    log = [f"{kind} file"]
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
    info = {
        "format": kind,
        "log": log,
        "variable_labels": {
            k: str(v)
            for k, v in zip(meta.column_names, meta.column_labels or [], strict=False)
            if v
        },
        "value_labels": value_labels,
        # {column: [{"lo": .., "hi": ..}, ...]}: the SPSS user-defined missing values
        "missing_ranges": dict(getattr(meta, "missing_ranges", None) or {}),
    }
    if df.empty:
        raise InputError("the file has no rows", file=file)
    return df, info


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def _to_number(s: pd.Series) -> pd.Series:
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


def _normalize(
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
            nums = _to_number(s.map(lambda v: v if isinstance(v, (str, int, float)) else None))
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


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
    text_columns: Container[str] = (),
) -> tuple[pd.DataFrame, dict]:
    """Read any supported data file as it is, with its variable and value labels.

    Columns are normalized the same way for every format (so one survey saved as CSV, Excel,
    SPSS, Stata or SAS gives the same frame): names and text stripped, :data:`MISSING_TOKENS`
    and SPSS user-missing values as NaN, numeric columns as float64 (integers too long for
    float64, e.g. 18-digit response IDs, stay int64), entirely empty rows skipped. The
    ``text_columns`` (respondent IDs: any container of names) keep their text as read when a
    value has a leading zero ("00001" and "1" stay two IDs).

    Returns ``(frame, meta)``; ``meta`` has ``variable_labels`` ({column: label}),
    ``value_labels`` ({column: {code: label}}), ``missing_ranges`` (SPSS user-defined
    missing values, {column: [{"lo": ..., "hi": ...}]}), ``format``, ``encoding`` (text files),
    ``rows`` (the file row number of each row kept, 1 = first data row) and ``log``.

    Example:
        >>> df, meta = read_table("data/online_loyalty.sav")
        >>> meta["variable_labels"]["id"]
        'Respondent ID'
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError("file not found", file=file)
    if path.is_dir():
        raise InputError("is a folder, not a data file", file=file)
    ext = path.suffix.lower()
    if ext == ".xls":
        raise InputError(
            "old Excel .xls files are not supported: save the sheet as .xlsx", file=file
        )
    if ext not in SUPPORTED and ext != "":
        raise InputError(
            f"unknown file type '{ext}' (CSV/TSV, Excel .xlsx, SPSS .sav/.zsav/.por, "
            "Stata .dta or SAS .sas7bdat/.xpt expected)",
            file=file,
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({_first_line(exc)})", file=file) from None
    if size == 0:
        raise InputError("the file is empty", file=file)
    try:
        if ext in CSV_EXT or ext == "":
            df, meta = _read_csv(path, encoding, text_columns)
        elif ext in EXCEL_EXT:
            df, meta = _read_excel(path, sheet)
        else:
            df, meta = _read_stat(path, encoding)
    except (PermissionError, IsADirectoryError) as exc:
        raise InputError(f"cannot read the file ({_first_line(exc)})", file=file) from None
    except MemoryError:
        raise InputError("the file is too large to load into memory", file=file) from None
    log = list(meta.get("log", []))
    df, rows = _normalize(df, file, log, text_columns)
    meta.setdefault("variable_labels", {})
    meta.setdefault("value_labels", {})
    meta.setdefault("missing_ranges", {})
    meta["log"] = log
    meta["rows"] = rows
    return df, meta


# ---------------------------------------------------------------------------- mapping


def _label_lookup(labels: dict[float, str], scale_labels: dict) -> dict[str, float]:
    lookup: dict[str, float] = {}
    for code, langs in scale_labels.items():
        for lab in langs.values():
            lookup.setdefault(normalize_label(lab), float(code))
    for code, lab in labels.items():  # the file's own value labels take precedence
        lookup[normalize_label(lab)] = float(code)
    return lookup


def _text_to_numbers(
    col: pd.Series,
    name: str,
    file: str,
    labels: dict[float, str],
    scale_labels: dict,
    *,
    text_labels: bool,
    rows: np.ndarray,
    data: pd.DataFrame,
    id_column: str | None,
) -> tuple[pd.Series, int]:
    """An item as float: numbers stay numbers, text answers are mapped through the value
    labels (or the instrument's scale labels); returns the column and how many were mapped."""
    if pd.api.types.is_numeric_dtype(col):
        return col.astype(float), 0
    if pd.api.types.is_datetime64_any_dtype(col):
        raise InputError("dates in a numeric item", file=file, column=name, row=int(rows[0]))
    as_num = _to_number(col.map(lambda v: v if isinstance(v, (str, int, float)) else None))
    text = col.notna() & as_num.isna()
    if not text.any():
        return as_num, 0
    lookup = _label_lookup(labels, scale_labels) if text_labels else {}
    mapped = col[text].map(lambda v: lookup.get(normalize_label(v), np.nan))
    bad = mapped.isna()
    if bad.any():
        pos = int(np.flatnonzero(text.to_numpy())[int(np.argmax(bad.to_numpy()))])
        value = str(col.iloc[pos])
        if len(value) > 40:
            value = value[:37] + "..."
        why = (
            "and no value label or scale label explains it"
            if text_labels
            else "(text labels are not mapped: text_labels=False)"
        )
        if value in ("TRUE", "FALSE"):
            why = "a TRUE/FALSE (boolean) cell where a numeric answer belongs"
        raise InputError(
            f"text '{value}' in a numeric item{_respondent(data, id_column, pos)}, {why}",
            file=file,
            column=name,
            row=int(rows[pos]),
        )
    out = as_num.copy()
    out[text] = mapped.astype(float)
    return out, int(text.sum())


def _mostly_numbers(s: pd.Series) -> bool:
    """A column of numbers with a few stray texts (TRUE, "n.a.") is an item with bad cells,
    not a text column: it is checked like an item instead of silently left out."""
    present = s.dropna()
    if present.empty:
        return False
    numeric = _to_number(present.map(lambda v: v if isinstance(v, str | int | float) else None))
    return bool(numeric.notna().mean() >= 0.8)


def _as_instrument(instrument) -> Instrument | None:
    if instrument is None or isinstance(instrument, Instrument):
        return instrument
    if isinstance(instrument, (str, Path)):
        return read_instrument(instrument)
    raise InputError(f"instrument must be an Instrument or a model file, not {type(instrument)}")


def _match_case(
    df: pd.DataFrame, inst: Instrument, log: list[str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """SPSS portable files store names in upper case: give them the instrument's spelling."""
    wanted = [it.source_column for it in inst.items] + list(inst.attention_checks)
    wanted += [d.code for d in inst.demographics]
    wanted += [c for c in (inst.id_column, inst.duration_column) if c]
    upper = {c.upper(): c for c in df.columns}
    renames = {}
    for w in wanted:
        c = upper.get(w.upper())
        if c is not None and c != w and w not in df.columns:
            renames[c] = w
    if renames:
        log.append("SPSS portable names matched to the instrument's spelling")
    return df.rename(columns=renames), renames


def _rename(df: pd.DataFrame, inst: Instrument, file: str, log: list[str]) -> pd.DataFrame:
    renames = {}
    for it in inst.items:
        src = it.source_column
        if src == it.code:
            continue
        if src not in df.columns and it.code in df.columns:
            raise InputError(
                f"item {it.code} is declared as column {src}, which is not in the data "
                f"(a column named {it.code} is: fix or remove the item's column =)",
                file=file,
                column=src,
            )
        if src in df.columns:
            if it.code in df.columns:
                raise InputError(
                    f"both '{src}' (declared as item {it.code}) and a column named "
                    f"{it.code} are in the data",
                    file=file,
                    column=it.code,
                )
            renames[src] = it.code
    if renames:
        df = df.rename(columns=renames)
        log.append("renamed columns: " + ", ".join(f"{a} -> {b}" for a, b in renames.items()))
    return df


def _absent_items(df: pd.DataFrame, inst: Instrument, file: str) -> None:
    absent = [it for it in inst.items if it.code not in df.columns]
    if not absent:
        return
    it = absent[0]
    col = it.source_column
    lower = {c.lower(): c for c in df.columns}
    hint = ""
    if col.lower() in lower:
        hint = f"; did you mean '{lower[col.lower()]}'? (names are case-sensitive)"
    elif it.code.lower() in lower:
        hint = f"; did you mean '{lower[it.code.lower()]}'? (names are case-sensitive)"
    more = f" ({len(absent) - 1} more item(s) missing too)" if len(absent) > 1 else ""
    what = f"item {it.code}" if col == it.code else f"item {it.code} (column {col})"
    raise InputError(
        f"{what} is named in the instrument but is not in the data{more}{hint}",
        file=file,
        column=col,
    )


def load(
    path: str | Path,
    instrument: Instrument | str | Path | None = None,
    *,
    encoding: str | None = None,
    missing_codes: list[float] | tuple[float, ...] | None = None,
    sheet: str | int | None = None,
    recode_reverse: bool = True,
    text_labels: bool = True,
    check_scale: bool = True,
    id_column: str | None = None,
    scale: str | tuple[float, float] | None = None,
    reverse=None,
    force_missing_code: bool = False,
) -> Survey:
    """Load a survey file and map it onto the instrument.

    ``instrument`` may be an :class:`Instrument`, a model file (TOML or lavaan syntax) or
    None (then every numeric column is an item and nothing is recoded). Item columns come
    out float64 with NaN for missing; ``missing_codes`` become NaN in every numeric column;
    text answers in items are mapped through value labels or the instrument's scale labels
    when ``text_labels`` (else rejected); answers outside the instrument's scale are rejected
    when ``check_scale``; reverse-keyed items are recoded once as (min + max - x) when
    ``recode_reverse``. ``survey.log`` lists every step, ``survey.recoded`` the recoded items.
    A missing code that is an answer on the scale (4 on 1-7) is refused unless
    ``force_missing_code``; on a declared scale (the model file's or ``scale``) answers must
    be whole numbers unless the model file declares ``[scale] continuous = true``.

    ``reverse`` and ``scale`` are the CLI's ``--reverse`` and ``--scale``: ``reverse`` names
    reverse-keyed items (a list or "DES4,LOY4") to recode as (min + max - x) when the model
    file does not (plain lavaan syntax); ``scale`` ("1-7" or (1, 7)) is the answer scale:
    answers outside it are refused and ``reverse`` uses its ends (default: the model file's
    scale, else the answers observed; see :func:`loyaltysem.survey.keying.reverse_survey`).

    Raises :class:`~loyaltysem.base.errors.InputError` (file, column, row) for: unreadable, empty
    or header-only files, duplicate column names, items absent from the data, unexplained
    text, out-of-scale values, entirely missing items, zero-variance items and duplicate
    respondent IDs (``id_column``, default the instrument's ``meta.id_column``).

    Example:
        >>> s = load("data/online_loyalty.csv", "models/online_loyalty.toml")
        >>> s.n, s.recoded
        (400, ['DES4', 'LOY4'])
        >>> s = load("data/online_loyalty.csv", "models/online_loyalty.lav",
        ...          reverse=["DES4", "LOY4"], scale="1-7")  # doctest: +SKIP
    """
    scale = given = parse_scale(scale)
    if not isinstance(path, str | Path):
        raise InputError(
            f"load() takes the path of a data file, not {type(path).__name__} "
            "(a DataFrame goes straight to ls.sem(model, data))"
        )
    file = str(path)
    inst = _as_instrument(instrument)
    id_guess = id_column or (inst.id_column if inst is not None else None)
    df, meta = read_table(
        path, encoding=encoding, sheet=sheet, text_columns=(id_guess,) if id_guess else ()
    )
    rows = meta["rows"]
    log = [f"read {len(df)} rows and {df.shape[1]} columns from {Path(file).name}"]
    log += meta["log"]
    value_labels = dict(meta["value_labels"])
    variable_labels = dict(meta["variable_labels"])
    if inst is not None and meta["format"] == "SPSS portable":
        df, renames = _match_case(df, inst, log)
        value_labels = {renames.get(k, k): v for k, v in value_labels.items()}
        variable_labels = {renames.get(k, k): v for k, v in variable_labels.items()}
    if inst is not None:
        df = _rename(df, inst, file, log)
        back = {it.source_column: it.code for it in inst.items}
        value_labels = {back.get(k, k): v for k, v in value_labels.items()}
        variable_labels = {back.get(k, k): v for k, v in variable_labels.items()}
        _absent_items(df, inst, file)
    id_col = id_column or (inst.id_column if inst is not None else None)
    if id_column and id_column not in df.columns:
        raise InputError("the respondent ID column is not in the data", file=file, column=id_column)

    if scale is None and inst is not None and inst.scale_min is not None:
        scale = (inst.scale_min, inst.scale_max)
    codes = missing_code_list(missing_codes)
    items, _ = _answer_columns(df, inst, value_labels)
    check_missing_codes(df, items, codes, scale, force=force_missing_code, file=file)
    _apply_missing_codes(df, codes, log)

    items, extra = _answer_columns(df, inst, value_labels)
    _answers_as_numbers(df, items + extra, inst, file, value_labels, text_labels, rows, id_col, log)
    if not items:
        raise InputError("no numeric column to analyse", file=file)
    _check_cells(meta, items + extra, file, log)
    whole = scale is not None and not (inst is not None and inst.continuous)
    check_items(df, items, scale, file, check_scale, rows, id_col, whole=whole)
    if check_scale and scale is None and inst is not None:
        check_codes_in_answers(df, items, file, rows, id_col)
    finite_values(df, items, file=file, rows=rows)  # 1e308 or inf where no scale caught it
    if id_col and id_col in df.columns:
        check_ids(df[id_col], file, id_col, rows)

    recoded = _recode_reverse(df, inst, log) if recode_reverse else []
    survey = Survey(
        data=df,
        instrument=inst,
        source=file,
        variable_labels=variable_labels,
        value_labels=value_labels,
        recoded=recoded,
        log=log,
    )
    return reverse_survey(survey, reverse, given) if reverse else survey


def _apply_missing_codes(df: pd.DataFrame, codes: list[float], log: list[str]) -> None:
    """Values (numbers, or their text in text columns) that mean missing become NaN."""
    if not codes:
        return
    n_set = 0
    code_text = {f"{c:g}" for c in codes} | {str(c) for c in codes}
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_numeric_dtype(s):
            hit = s.isin(codes)
        else:
            hit = s.map(lambda v: isinstance(v, str) and v in code_text).astype(bool)
        n = int(hit.sum())
        if n:
            df[name] = s.where(~hit, np.nan)
            n_set += n
    log.append(
        f"missing codes {', '.join(f'{c:g}' for c in codes)}: {n_set} answers set to missing"
    )


def _answer_columns(df: pd.DataFrame, inst, value_labels: dict) -> tuple[list[str], list[str]]:
    """The items (the instrument's, else every numeric column) and other answer columns
    checked the same way (attention checks; labelled or mostly numeric text columns)."""
    if inst is not None:
        items = list(inst.item_codes)
        extra = [c for c in inst.attention_checks if c in df.columns and c not in items]
        return items, extra
    items = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    text_cols = [c for c in df.columns if c not in items and c in value_labels]
    extra = text_cols + [c for c in df.columns if c not in items and _mostly_numbers(df[c])]
    return items, extra


def _answers_as_numbers(df, columns, inst, file, value_labels, text_labels, rows, id_col, log):
    """Text answers mapped through the value/scale labels; demographics and the duration
    column checked."""
    scale_labels = inst.scale_labels if inst is not None else {}
    n_mapped = 0
    for name in columns:
        col, k = _text_to_numbers(
            df[name],
            name,
            file,
            value_labels.get(name, {}),
            scale_labels,
            text_labels=text_labels,
            rows=rows,
            data=df,
            id_column=id_col,
        )
        df[name] = col
        n_mapped += k
    if n_mapped:
        log.append(f"{n_mapped} text answers mapped to numbers through the scale/value labels")
    if inst is None:
        return
    _map_demographics(df, inst, value_labels, log)
    if inst.duration_column and inst.duration_column in df.columns:
        dur = df[inst.duration_column]
        if not pd.api.types.is_numeric_dtype(dur):
            pos = int(np.argmax((dur.notna() & _to_number(dur).isna()).to_numpy()))
            raise InputError(
                f"text '{dur.iloc[pos]}' in the duration column (seconds expected)",
                file=file,
                column=inst.duration_column,
                row=int(rows[pos]),
            )


def _recode_reverse(df: pd.DataFrame, inst, log: list[str]) -> list[str]:
    """Reverse-keyed items recoded once as (min + max - x)."""
    if inst is None or not inst.reverse_items:
        return []
    lo, hi = inst.scale_min, inst.scale_max
    if lo is None or hi is None:
        raise InputError(
            "reverse-keyed items need the scale's min and max in the model file",
            file=inst.source,
        )
    for name in inst.reverse_items:
        df[name] = lo + hi - df[name]
    log.append(
        f"reverse-keyed items recoded as {lo:g} + {hi:g} - x: {', '.join(inst.reverse_items)}"
    )
    return list(inst.reverse_items)


def _map_demographics(df: pd.DataFrame, inst: Instrument, value_labels: dict, log: list) -> None:
    """Demographics exported as text ("女") become their codes when every answer matches."""
    for d in inst.demographics:
        if d.code not in df.columns or pd.api.types.is_numeric_dtype(df[d.code]):
            continue
        lookup = _label_lookup(value_labels.get(d.code, {}), d.values)
        s = df[d.code]
        nums = _to_number(s.map(lambda v: v if isinstance(v, (str, int, float)) else None))
        mapped = s.map(
            lambda v, lk=lookup: lk.get(normalize_label(v), np.nan) if pd.notna(v) else v
        )
        mapped = mapped.where(nums.isna(), nums)
        if (mapped.notna() == s.notna()).all():
            df[d.code] = mapped.astype(float)
            log.append(f"demographic {d.code}: text answers mapped to their codes")
