"""The survey: the response data plus what is known about it (labels, instrument, history)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loyaltysem.survey.instrument import Instrument


@dataclass
class Survey:
    """Questionnaire responses ready for analysis.

    ``data`` holds one row per respondent; item columns are numeric (float, NaN = missing) and
    reverse-keyed items are already recoded. ``log`` records, in order, every change made to
    the data on the way here (recoding, rows dropped and why), so the report can state it.
    """

    data: pd.DataFrame
    instrument: Instrument | None = None
    source: str | None = None
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    recoded: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.data)

    @property
    def items(self) -> list[str]:
        if self.instrument is None:
            return [c for c in self.data.columns if pd.api.types.is_numeric_dtype(self.data[c])]
        return [c for c in self.instrument.item_codes if c in self.data.columns]

    @property
    def construct_items(self) -> dict[str, list[str]]:
        if self.instrument is None:
            return {}
        return self.instrument.construct_items

    def item_data(self) -> pd.DataFrame:
        return self.data[self.items]

    def __repr__(self) -> str:
        src = f" from {self.source}" if self.source else ""
        k = len(self.construct_items)
        return f"<Survey{src}: {self.n} respondents, {len(self.items)} items, {k} constructs>"


def as_frame(data) -> pd.DataFrame:
    """The data frame of a :class:`Survey` or a DataFrame; anything else is an InputError."""
    from loyaltysem.base.errors import InputError

    if isinstance(data, Survey):
        return data.data
    if isinstance(data, pd.DataFrame):
        return data
    raise InputError("data must be a pandas DataFrame or a loaded Survey")
