"""One result protocol: every result object has

* ``summary()``: plain text, a few lines (the headline numbers, then the key tables);
* ``to_frame()``: its main table as a DataFrame;
* ``tables()``: every table as a dict of DataFrames;
* ``to_dict()``: JSON-ready (NaN -> None);
* ``_repr_html_()``: the short summary in Jupyter (headline, key tables cut to a few rows),
  never a table of hundreds of rows.

A result class that has its own version of one of these keeps it; :class:`ResultMixin`
supplies the rest from the result's fields: its DataFrames and Series as tables, its
numbers, strings and flags as values, nested results by their own ``to_dict()``. A class
names its main table in ``_main`` (else the first table is) and may restrict the tables
shown in a summary with ``_key``. Results with a natural figure also have ``plot()``,
returning a ``matplotlib.figure.Figure`` (see :mod:`loyaltysem.base.plotting`).
"""

from __future__ import annotations

import dataclasses
import html
from typing import ClassVar

import pandas as pd

from loyaltysem.base.fileio import to_jsonable

#: rows of a table shown in a summary or in Jupyter (``tables()`` has every row)
SHOWN_ROWS = 12


def _fields(obj) -> dict:
    if dataclasses.is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.repr}
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


def _plain(value):
    """A JSON-ready value, or None for what has no plain form (models, data, callables)."""
    if isinstance(value, pd.DataFrame | pd.Series | dict | list | tuple | str | int | float):
        return to_jsonable(value)
    if value is None or isinstance(value, bool):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, pd.Index):
        try:
            return to_jsonable(to_dict())
        except TypeError:
            return None
    return None


def frame_tables(values: dict) -> dict[str, pd.DataFrame]:
    """The non-empty DataFrames (and Series, as one-column frames) among ``values``."""
    out = {}
    for name, value in values.items():
        if isinstance(value, pd.Series):
            value = value.to_frame()
        if isinstance(value, pd.DataFrame) and not value.empty:
            out[name] = value
    return out


def _cut(table: pd.DataFrame, rows: int = SHOWN_ROWS) -> tuple[pd.DataFrame, int]:
    """The first ``rows`` rows, rounded for display, and how many were left out."""
    shown = table.head(rows)
    numeric = shown.select_dtypes("number").columns
    shown = shown.copy()
    shown[numeric] = shown[numeric].round(3)
    return shown, max(0, len(table) - rows)


def summary_text(head: str, tables: dict[str, pd.DataFrame], warnings=(), rows=SHOWN_ROWS) -> str:
    """``head``, then each table cut to ``rows`` rows, then the warnings."""
    lines = [head]
    for name, table in tables.items():
        shown, more = _cut(table, rows)
        lines += ["", name, shown.to_string(na_rep="")]
        if more:
            lines.append(f"... {more} more rows (tables()[{name!r}])")
    lines += [f"warning: {w}" for w in warnings]
    return "\n".join(lines)


def summary_html(head: str, tables: dict[str, pd.DataFrame], warnings=(), rows=SHOWN_ROWS) -> str:
    """The same as :func:`summary_text` in HTML (Jupyter's display of a result)."""
    parts = [f"<div><p><b>{html.escape(head).replace(chr(10), '<br>')}</b></p>"]
    for name, table in tables.items():
        shown, more = _cut(table, rows)
        parts.append(f"<p><i>{html.escape(name)}</i></p>")
        parts.append(shown.to_html(na_rep=""))
        if more:
            parts.append(f"<p>... {more} more rows (<code>tables()[{name!r}]</code>)</p>")
    if warnings:
        items = "".join(f"<li>{html.escape(str(w))}</li>" for w in warnings)
        parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts) + "</div>"


class ResultMixin:
    """``summary``, ``to_frame``, ``tables``, ``to_dict`` and ``_repr_html_`` from the
    result's fields."""

    #: the main table's name (``to_frame()``); None: the first table
    _main: ClassVar[str | None] = None
    #: the tables a summary shows; None: every table
    _key: ClassVar[tuple[str, ...] | None] = None

    def to_dict(self) -> dict:
        out = {}
        for name, value in _fields(self).items():
            plain = _plain(value)
            if plain is not None or value is None:
                out[name] = plain
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the result, by name."""
        return frame_tables(_fields(self))

    def to_frame(self) -> pd.DataFrame:
        """The main table."""
        tables = self.tables()
        if self._main is not None and self._main in tables:
            return tables[self._main]
        return next(iter(tables.values()), pd.DataFrame())

    def _tables(self) -> dict[str, pd.DataFrame]:
        """The key tables a summary shows."""
        tables = self.tables()
        if self._key is None:
            return tables
        return {k: tables[k] for k in self._key if k in tables}

    def _values(self) -> dict:
        return {
            k: v
            for k, v in _fields(self).items()
            if isinstance(v, str | int | float | bool) and not isinstance(v, pd.DataFrame)
        }

    def _headline(self) -> str:
        values = ", ".join(
            f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}"
            for k, v in self._values().items()
        )
        return f"{type(self).__name__}" + (f": {values}" if values else "")

    def _warnings(self) -> list:
        return list(getattr(self, "warnings", None) or [])

    def summary(self) -> str:
        return summary_text(self._headline(), self._tables(), self._warnings())

    def _repr_html_(self) -> str:
        return summary_html(self._headline(), self._tables(), self._warnings())
