"""The parts of a model specification the instrument and its moderators share: items,
constructs, hypotheses and demographics (plain frozen dataclasses, no reading logic)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loyaltysem.base.errors import InstrumentError

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Item:
    code: str
    construct: str
    text: dict[str, str] = field(default_factory=dict)
    reverse: bool = False
    column: str | None = None  # the data column, when the platform exports another name

    @property
    def source_column(self) -> str:
        return self.column or self.code


@dataclass(frozen=True)
class Construct:
    code: str
    name: dict[str, str]
    items: tuple[Item, ...]
    #: a higher-order construct: the constructs that measure it (lavaan ``SQ =~ INF + PRD``);
    #: it has no items of its own
    components: tuple[str, ...] = ()

    @property
    def higher_order(self) -> bool:
        return bool(self.components)

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.code


@dataclass(frozen=True)
class Hypothesis:
    id: str
    lhs: str  # the outcome (lavaan's lhs of ~)
    rhs: str  # the predictor
    sign: str = "+"
    text: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.lhs} ~ {self.rhs}"


@dataclass(frozen=True)
class Demographic:
    code: str
    name: dict[str, str]
    values: dict[float, dict[str, str]]


def _names(raw: object, where: str, file: str) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {"en": raw}
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    raise InstrumentError(f"{where}: expected a name or {{en = ..., zh = ...}}", file=file)
