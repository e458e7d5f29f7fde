"""Load questionnaire data from CSV/TSV, Excel, SPSS, Stata and SAS into a :class:`Survey`.

The loader never modifies the input file and never changes a response silently: missing
codes become missing, Likert answers exported as text are mapped through value labels or the
instrument's scale labels (or rejected), reverse-keyed items are recoded once as
(min + max - x), and every such step is written to ``survey.log``. Any problem is an
:class:`~loyaltysem.errors.InputError` naming the file, the column and the row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .instrument import Instrument, read_instrument
from .survey import Survey

CSV_EXT = {".csv", ".txt", ".tsv", ".dat"}
EXCEL_EXT = {".xlsx", ".xlsm", ".xls"}
SPSS_EXT = {".sav", ".zsav", ".por"}
STATA_EXT = {".dta"}
SAS_EXT = {".sas7bdat", ".xpt"}
ENCODINGS = ("utf-8-sig", "gb18030")  # tried in order when none is given


def _decode(raw: bytes, file: str, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode the file as {encoding} ({exc})", file=file) from None
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the file as UTF-8 or GB18030/GBK; pass --encoding", file=file)


def _read_csv(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    file = str(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("the file is empty", file=file)
    text = _decode(raw, file, encoding)
    first = text.splitlines()[0] if text.splitlines() else ""
    sep = "\t" if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    if sep == "," and first.count(";") > first.count(","):
        sep = ";"
    header = next(csv.reader([first], delimiter=sep))
    header = [h.strip() for h in header]
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise InputError("duplicate column name", file=file, column=dup[0])
    try:
        df = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except pd.errors.ParserError as exc:
        raise InputError(f"cannot parse the file ({str(exc).splitlines()[0]})", file=file) from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError("the file has a header but no rows", file=file)
    df = df.apply(lambda s: s.str.strip())
    df = df.replace({"": np.nan})
    return df, {}


def _read_excel(path: Path, sheet) -> tuple[pd.DataFrame, dict]:
    file = str(path)
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    try:
        df = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
    except ValueError as exc:
        raise InputError(f"cannot read the sheet ({exc})", file=file) from None
    except Exception as exc:  # noqa: BLE001 - corrupt workbooks raise many types
        raise InputError(
            f"not a readable Excel workbook ({type(exc).__name__})", file=file
        ) from None
    names = [str(c).strip() for c in df.columns]
    dup = sorted({h for h in names if names.count(h) > 1 or h.endswith(".1")})
    if any(n.endswith(".1") and n[:-2] in names for n in names):
        raise InputError("duplicate column name", file=file, column=dup[0].removesuffix(".1"))
    df.columns = names
    if df.empty:
        raise InputError("the sheet has a header but no rows", file=file)
    return df, {}


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
    kwargs = {}
    if ext in (".sav", ".zsav"):
        kwargs["user_missing"] = False  # SPSS user-defined missing codes become NaN
    if encoding and ext in (".sav", ".zsav", ".dta", ".sas7bdat", ".xpt"):
        kwargs["encoding"] = encoding
    try:
        df, meta = readers[ext](file, **kwargs)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises its own error types
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a readable {ext} file ({msg})", file=file) from None
    info = {
        "variable_labels": {
            k: v for k, v in zip(meta.column_names, meta.column_labels or [], strict=False) if v
        },
        "value_labels": {
            k: {float(code): str(lab) for code, lab in v.items()}
            for k, v in (meta.variable_value_labels or {}).items()
        },
    }
    if df.empty:
        raise InputError("the file has no rows", file=file)
    return df, info


def read_table(
    path: str | Path, *, encoding: str | None = None, sheet=None
) -> tuple[pd.DataFrame, dict]:
    """Read any supported data file as it is, with its variable and value labels.

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
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=file)
    if ext in CSV_EXT or ext == "":
        return _read_csv(path, encoding)
    if ext in EXCEL_EXT:
        return _read_excel(path, sheet)
    if ext in SPSS_EXT | STATA_EXT | SAS_EXT:
        return _read_stat(path, encoding)
    raise InputError(
        f"unknown file type '{ext}' (CSV/TSV, Excel, SPSS, Stata or SAS expected)", file=file
    )


def _text_to_numbers(
    col: pd.Series, name: str, file: str, labels: dict[float, str], scale_labels: dict
) -> pd.Series:
    """Numbers stay numbers; text answers are mapped through value or scale labels."""
    as_num = pd.to_numeric(col, errors="coerce")
    text = col.notna() & as_num.isna()
    if not text.any():
        return as_num.astype(float)
    lookup: dict[str, float] = {}
    for code, lab in labels.items():
        lookup[str(lab).strip().lower()] = float(code)
    for code, langs in scale_labels.items():
        for lab in langs.values():
            lookup[str(lab).strip().lower()] = float(code)
    out = as_num.astype(float).copy()
    for pos in np.where(text.to_numpy())[0]:
        value = str(col.iloc[pos]).strip()
        code = lookup.get(value.lower())
        if code is None:
            raise InputError(
                f"text '{value}' in a numeric item, and no value label explains it",
                file=file,
                column=name,
                row=pos + 1,
            )
        out.iloc[pos] = code
    return out


def load(
    path: str | Path,
    instrument: Instrument | str | Path | None = None,
    *,
    encoding: str | None = None,
    missing_codes: list[float] | tuple[float, ...] | None = None,
    sheet=None,
    recode_reverse: bool = True,
    check_scale: bool = True,
) -> Survey:
    """Load a survey file and map it onto the instrument.

    ``instrument`` may be an :class:`Instrument`, a model file (TOML or lavaan syntax) or
    None (every numeric column is an item). Rows are numbered from 1 in messages.

    Example:
        >>> s = load("data/online_loyalty.csv", "models/online_loyalty.toml")
        >>> s.n, s.recoded
        (400, ['DES4', 'LOY4'])
    """
    file = str(path)
    df, meta = read_table(path, encoding=encoding, sheet=sheet)
    if isinstance(instrument, (str, Path)):
        instrument = read_instrument(instrument)
    log: list[str] = [f"read {len(df)} rows and {df.shape[1]} columns from {Path(file).name}"]
    value_labels = dict(meta.get("value_labels", {}))
    if instrument is not None and instrument.rename_map:
        df = df.rename(columns=instrument.rename_map)
        value_labels = {instrument.rename_map.get(k, k): v for k, v in value_labels.items()}
        log.append(
            "renamed columns: " + ", ".join(f"{a} -> {b}" for a, b in instrument.rename_map.items())
        )
    codes = [float(c) for c in (missing_codes or [])]
    items = instrument.item_codes if instrument is not None else None
    if items is not None:
        absent = [c for c in items if c not in df.columns]
        if absent:
            raise InputError(
                "item named in the instrument is not in the data"
                + (f" ({len(absent) - 1} more missing)" if len(absent) > 1 else ""),
                file=file,
                column=absent[0],
            )
    scale_labels = instrument.scale_labels if instrument is not None else {}
    data = df.copy()
    numeric_cols = items if items is not None else list(df.columns)
    for name in numeric_cols:
        col = data[name]
        labels = value_labels.get(name, {})
        if items is None and col.dtype == object:
            converted = pd.to_numeric(col, errors="coerce")
            if converted.isna().sum() > col.isna().sum() and not labels:
                continue  # a text column (e.g. a comment), not an item
        data[name] = _text_to_numbers(col, name, file, labels, scale_labels)
    if codes:
        n_before = int(data[numeric_cols].isna().sum().sum())
        for name in data.columns:
            if pd.api.types.is_numeric_dtype(data[name]):
                data[name] = data[name].where(~data[name].isin(codes))
        n_after = int(data[numeric_cols].isna().sum().sum())
        log.append(
            f"missing codes {', '.join(f'{c:g}' for c in codes)}: {n_after - n_before} "
            "answers set to missing"
        )
    if items is not None:
        _check_items(data, items, instrument, file, check_scale)
        if instrument.id_column and instrument.id_column in data.columns:
            ids = data[instrument.id_column]
            dup = ids[ids.duplicated() & ids.notna()]
            if len(dup):
                row = int(np.where(ids.duplicated().to_numpy())[0][0]) + 1
                raise InputError(
                    f"duplicate respondent ID '{dup.iloc[0]}'",
                    file=file,
                    column=instrument.id_column,
                    row=row,
                )
    recoded: list[str] = []
    if recode_reverse and instrument is not None and instrument.reverse_items:
        lo, hi = instrument.scale_min, instrument.scale_max
        if lo is None or hi is None:
            raise InputError(
                "reverse-keyed items need the scale's min and max in the model file", file=file
            )
        for name in instrument.reverse_items:
            data[name] = lo + hi - data[name]
            recoded.append(name)
        log.append(f"reverse-keyed items recoded as {lo:g} + {hi:g} - x: {', '.join(recoded)}")
    return Survey(
        data=data,
        instrument=instrument,
        source=file,
        variable_labels=meta.get("variable_labels", {}),
        value_labels=value_labels,
        recoded=recoded,
        log=log,
    )


def _check_items(data: pd.DataFrame, items, instrument, file: str, check_scale: bool) -> None:
    lo, hi = instrument.scale_min, instrument.scale_max
    for name in items:
        col = data[name]
        if col.notna().sum() == 0:
            raise InputError("the column is entirely missing", file=file, column=name)
        if check_scale and lo is not None and hi is not None:
            bad = col.notna() & ((col < lo) | (col > hi))
            if bad.any():
                row = int(np.argmax(bad.to_numpy()))
                raise InputError(
                    f"value {col.iloc[row]:g} is outside the scale {lo:g}-{hi:g} "
                    "(a missing code? use --missing-codes)",
                    file=file,
                    column=name,
                    row=row + 1,
                )
        if col.nunique(dropna=True) < 2:
            raise InputError(
                "the item has zero variance (every respondent gave the same answer)",
                file=file,
                column=name,
            )
