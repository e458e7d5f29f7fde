"""One result shape: every result object has ``to_dict()`` (JSON-ready, NaN -> None),
``summary()`` (plain text) and ``_repr_html_()`` (tables in Jupyter). A result class that
has its own version of one of these keeps it; the mixin supplies the rest from the
result's fields: its DataFrames and Series as tables, its numbers, strings and dicts as
values, nested results by their own ``to_dict()``."""

from __future__ import annotations

import dataclasses
import html

import pandas as pd

from loyaltysem.base.fileio import to_jsonable


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


class ResultMixin:
    """``to_dict``, ``summary`` and ``_repr_html_`` from the result's fields."""

    def to_dict(self) -> dict:
        out = {}
        for name, value in _fields(self).items():
            plain = _plain(value)
            if plain is not None or value is None:
                out[name] = plain
        return out

    def _tables(self) -> dict[str, pd.DataFrame]:
        out = {}
        for name, value in _fields(self).items():
            if isinstance(value, pd.Series):
                value = value.to_frame()
            if isinstance(value, pd.DataFrame) and not value.empty:
                out[name] = value
        return out

    def _values(self) -> dict:
        return {
            k: v
            for k, v in _fields(self).items()
            if isinstance(v, str | int | float | bool) and not isinstance(v, pd.DataFrame)
        }

    def summary(self) -> str:
        lines = [type(self).__name__]
        lines += [
            f"  {k}: {v:.4g}" if isinstance(v, float) else f"  {k}: {v}"
            for k, v in self._values().items()
        ]
        for name, table in self._tables().items():
            lines += ["", name, table.round(3).to_string()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f"<h4>{html.escape(type(self).__name__)}</h4>"]
        values = self._values()
        if values:
            items = "".join(
                f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>" for k, v in values.items()
            )
            parts.append(f"<ul>{items}</ul>")
        for name, table in self._tables().items():
            parts.append(f"<p><b>{html.escape(name)}</b></p>")
            parts.append(table.round(3).to_html(max_rows=60))
        return "\n".join(parts)
