"""Reading CSV/TSV text files and Excel workbooks as they are (see
:func:`loyaltysem.survey.loaders.read_table`): the separator sniffed, the encoding detected,
ragged rows, binary content, formula cells without a value and merged cells named by file,
column and row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Container
from pathlib import Path

import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.survey.cleaning import MISSING_TOKENS, check_unique_names, first_line
from loyaltysem.survey.text import decode_bytes


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


def _decode(path: Path, encoding: str | None) -> tuple[str, str, str]:
    """The file's text (a leading BOM dropped), its encoding and how that was found; binary
    content and empty files are errors."""
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
    return text, enc, how


def _header(text: str, ext: str, file: str) -> tuple[str, list[str]]:
    """The separator (sniffed from the first line) and the stripped, unique column names."""
    head = text[:65536]
    first = head.lstrip("\r\n").splitlines()[0] if head.strip() else ""
    sep = _sniff_sep(first, ext)
    try:
        header = next(csv.reader(io.StringIO(head.lstrip("\r\n")), delimiter=sep))
    except (csv.Error, StopIteration) as exc:
        raise InputError(f"cannot read the header line ({first_line(exc)})", file=file) from None
    names = [h.strip() for h in header]
    check_unique_names(names, file)
    return sep, names


def _parse_error(exc: BaseException, file: str) -> InputError:
    """The parser's complaint as an error naming the row where it names one."""
    msg = first_line(exc)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        return InputError(
            f"the row has {m.group(3)} fields but the header has {m.group(1)} "
            f"(line {m.group(2)} of the file; a separator inside an unquoted answer?)",
            file=file,
            row=int(m.group(2)) - 1,
        )
    if "EOF inside string" in msg:
        m = re.search(r"row (\d+)", msg)
        return InputError(
            "a quoted field is never closed (truncated file?)",
            file=file,
            row=int(m.group(1)) if m else None,
        )
    return InputError(f"cannot parse the file ({msg})", file=file)


def _parse(
    text: str, sep: str, names: list[str], text_columns: Container[str], file: str
) -> pd.DataFrame:
    """The table below the header, with the header's names and at least one data row."""
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
        raise _parse_error(exc, file) from None
    if len(df.columns) != len(names):
        raise InputError(
            f"the header has {len(names)} names but the data {len(df.columns)} columns", file=file
        )
    df.columns = names
    if df.empty:
        raise InputError("the file has a header but no data rows", file=file)
    return df


def _check_ragged(text: str, sep: str, ncol: int, nrow: int, file: str) -> None:
    """A row with more or fewer fields than the header is an error naming that row."""
    ragged = _field_count_problem(text, sep, ncol) if ncol > 1 else None
    if ragged:
        row, n = ragged
        why = (
            "truncated file?"
            if row >= nrow and n < ncol
            else "a missing or extra separator would shift the later answers into the wrong columns"
        )
        raise InputError(
            f"the row has {n} fields but the header has {ncol} ({why})", file=file, row=row
        )


def read_csv_file(
    path: Path, encoding: str | None, text_columns: Container[str] = ()
) -> tuple[pd.DataFrame, dict]:
    """A CSV/TSV file as read (columns not yet cleaned) and its meta (format, encoding, log).

    The encoding is detected unless given (:func:`loyaltysem.survey.text.decode_bytes`), the
    separator sniffed from the header line (comma, tab, semicolon or bar); ``text_columns``
    are read as text. Binary content, duplicate names and ragged rows are errors.

    Example:
        >>> df, meta = read_csv_file(Path("data/online_loyalty.csv"), None)  # doctest: +SKIP
        >>> meta["format"]  # doctest: +SKIP
        'csv'
    """
    file = str(path)
    text, enc, how = _decode(path, encoding)
    sep, names = _header(text, path.suffix.lower(), file)
    df = _parse(text, sep, names, text_columns, file)
    _check_ragged(text, sep, len(names), len(df), file)
    sep_name = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[sep]
    log = [f"text encoding {enc} ({how}), {sep_name}-separated"]
    return df, {"format": "csv", "encoding": enc, "log": log}


def read_excel_file(path: Path, sheet) -> tuple[pd.DataFrame, dict]:
    """A sheet of an .xlsx workbook as read (columns not yet cleaned) and its meta.

    ``sheet`` is a name, a 0-based index or a 1-based number as text ("2"), default the
    first; the header is the first non-empty row. ``meta["cells"]`` lists formula cells
    without a saved value and hidden parts of merged cells ({kind: {column: [rows]}}), which
    :func:`check_cells` turns into errors for items.

    Example:
        >>> df, meta = read_excel_file(Path("data/online_loyalty.xlsx"), None)  # doctest: +SKIP
        >>> meta["log"]  # doctest: +SKIP
        ["Excel sheet 'Sheet1'"]
    """
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
            f"not a readable Excel workbook, corrupt or truncated ({first_line(exc)})",
            file=file,
        ) from None
    name = sheets[sheet] if isinstance(sheet, int) else sheet
    if df.empty or df.dropna(how="all").empty:
        raise InputError(f"sheet '{name}' is empty", file=file)
    first = int(df.notna().any(axis=1).idxmax())
    problems = _excel_cell_problems(path, name, df, first)
    df = df.loc[first:]  # start at the first non-empty row
    header = ["" if pd.isna(v) else _cell_name(v) for v in df.iloc[0]]
    check_unique_names(header, file)
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


def check_cells(meta: dict, items: list[str], file: str, log: list[str]) -> None:
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
