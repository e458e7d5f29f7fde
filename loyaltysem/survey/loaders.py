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

The formats are read in ``csv_excel`` (CSV/TSV, Excel) and ``stat_files`` (SPSS, Stata, SAS);
``cleaning`` makes one frame of any of them; this module picks the reader and maps the
answers onto the instrument.
"""

from __future__ import annotations

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
from loyaltysem.survey.cleaning import MISSING_TOKENS as MISSING_TOKENS
from loyaltysem.survey.cleaning import first_line, normalize_frame, to_number
from loyaltysem.survey.csv_excel import check_cells, read_csv_file, read_excel_file
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument, read_instrument
from loyaltysem.survey.keying import parse_scale, reverse_survey
from loyaltysem.survey.stat_files import read_stat_file
from loyaltysem.survey.text import normalize_label

CSV_EXT = {".csv", ".txt", ".tsv", ".tab", ".dat"}
EXCEL_EXT = {".xlsx", ".xlsm"}
SPSS_EXT = {".sav", ".zsav", ".por"}
STATA_EXT = {".dta"}
SAS_EXT = {".sas7bdat", ".xpt"}
SUPPORTED = CSV_EXT | EXCEL_EXT | SPSS_EXT | STATA_EXT | SAS_EXT


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
        raise InputError(f"cannot read the file ({first_line(exc)})", file=file) from None
    if size == 0:
        raise InputError("the file is empty", file=file)
    try:
        if ext in CSV_EXT or ext == "":
            df, meta = read_csv_file(path, encoding, text_columns)
        elif ext in EXCEL_EXT:
            df, meta = read_excel_file(path, sheet)
        else:
            df, meta = read_stat_file(path, encoding)
    except (PermissionError, IsADirectoryError) as exc:
        raise InputError(f"cannot read the file ({first_line(exc)})", file=file) from None
    except MemoryError:
        raise InputError("the file is too large to load into memory", file=file) from None
    log = list(meta.get("log", []))
    df, rows = normalize_frame(df, file, log, text_columns)
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
    as_num = to_number(col.map(lambda v: v if isinstance(v, (str, int, float)) else None))
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
    numeric = to_number(present.map(lambda v: v if isinstance(v, str | int | float) else None))
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
    out float64 with NaN for missing; ``missing_codes`` (and the model file's ``[meta]
    missing_codes``) become NaN in every numeric column;
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
    scale = parse_scale(scale)
    _require_path(path)
    file = str(path)
    inst = _as_instrument(instrument)
    df, meta, log = _read_onto_instrument(
        path, inst, encoding=encoding, sheet=sheet, id_column=id_column
    )
    _clean_answers(
        df,
        inst,
        meta,
        log,
        file=file,
        codes=_codes(missing_codes, inst),
        scale=scale,
        force_missing_code=force_missing_code,
        text_labels=text_labels,
        check_scale=check_scale,
        id_col=id_column or (inst.id_column if inst is not None else None),
    )
    recoded = _recode_reverse(df, inst, log) if recode_reverse else []
    survey = Survey(
        data=df,
        instrument=inst,
        source=file,
        variable_labels=meta["variable_labels"],
        value_labels=meta["value_labels"],
        recoded=recoded,
        log=log,
    )
    return reverse_survey(survey, reverse, scale) if reverse else survey


def _require_path(path) -> None:
    """load() reads files; a DataFrame is an error pointing at the fitting functions."""
    if not isinstance(path, str | Path):
        raise InputError(
            f"load() takes the path of a data file, not {type(path).__name__} "
            "(a DataFrame goes straight to ls.sem(model, data))"
        )


def _read_onto_instrument(
    path: str | Path,
    inst: Instrument | None,
    *,
    encoding: str | None,
    sheet: str | int | None,
    id_column: str | None,
) -> tuple[pd.DataFrame, dict, list[str]]:
    """The file read with its columns renamed to the instrument's item codes (the labels
    following them) and every item present; returns the frame, the meta and the log."""
    file = str(path)
    id_guess = id_column or (inst.id_column if inst is not None else None)
    df, meta = read_table(
        path, encoding=encoding, sheet=sheet, text_columns=(id_guess,) if id_guess else ()
    )
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
    if id_column and id_column not in df.columns:
        raise InputError("the respondent ID column is not in the data", file=file, column=id_column)
    meta = {**meta, "value_labels": value_labels, "variable_labels": variable_labels}
    return df, meta, log


def _clean_answers(
    df: pd.DataFrame,
    inst: Instrument | None,
    meta: dict,
    log: list[str],
    *,
    file: str,
    codes: list[float],
    scale: tuple[float, float] | None,
    force_missing_code: bool,
    text_labels: bool,
    check_scale: bool,
    id_col: str | None,
) -> None:
    """Missing codes set to NaN, text answers mapped to numbers, then the answers checked
    (on the scale - ``scale``, else the instrument's -, whole numbers, finite, IDs unique):
    in place, each step logged."""
    rows, value_labels = meta["rows"], meta["value_labels"]
    if scale is None and inst is not None and inst.scale_min is not None:
        scale = (inst.scale_min, inst.scale_max)
    items, _ = _answer_columns(df, inst, value_labels)
    check_missing_codes(df, items, codes, scale, force=force_missing_code, file=file)
    _apply_missing_codes(df, codes, log)

    items, extra = _answer_columns(df, inst, value_labels)
    _answers_as_numbers(df, items + extra, inst, file, value_labels, text_labels, rows, id_col, log)
    if not items:
        raise InputError("no numeric column to analyse", file=file)
    check_cells(meta, items + extra, file, log)
    whole = scale is not None and not (inst is not None and inst.continuous)
    check_items(df, items, scale, file, check_scale, rows, id_col, whole=whole)
    if check_scale and scale is None and inst is not None:
        check_codes_in_answers(df, items, file, rows, id_col)
    finite_values(df, items, file=file, rows=rows)  # 1e308 or inf where no scale caught it
    if id_col and id_col in df.columns:
        check_ids(df[id_col], file, id_col, rows)


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
            pos = int(np.argmax((dur.notna() & to_number(dur).isna()).to_numpy()))
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
        nums = to_number(s.map(lambda v: v if isinstance(v, (str, int, float)) else None))
        mapped = s.map(
            lambda v, lk=lookup: lk.get(normalize_label(v), np.nan) if pd.notna(v) else v
        )
        mapped = mapped.where(nums.isna(), nums)
        if (mapped.notna() == s.notna()).all():
            df[d.code] = mapped.astype(float)
            log.append(f"demographic {d.code}: text answers mapped to their codes")


def _codes(missing_codes, inst: Instrument | None) -> list[float]:
    """The missing codes given (``--missing-codes``) and those the model file declares."""
    given = missing_code_list(missing_codes)
    declared = list(inst.missing_codes) if inst is not None else []
    return given + [c for c in declared if c not in given]
