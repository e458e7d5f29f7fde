"""PROCESS models declared in the TOML model file (``[[process]]``) or on the command line
(``run --process N --x X --y Y ...``): Hayes' conditional process models on construct scores.

::

    [[process]]
    model = 7                   # PROCESS model number
    x = "SAT"                   # constructs (scored as item means) or data columns
    m = ["TRU"]
    y = "LOY"
    w = "SWC"
    id = "H16"                  # optional: the hypothesis the model tests
    sign = "+"
    en = "Switching cost moderates the indirect effect of satisfaction on loyalty via trust."
    zh = "转换成本调节满意度通过信任对忠诚度的间接影响。"

The hypothesis is about the model's key effect: the index of moderated mediation (models
with a moderated indirect effect), the total indirect effect (models 4 and 6) or the
highest-order interaction (models 1, 2, 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loyaltysem.base.errors import InstrumentError

LANGS = ("en", "zh")
MODELS = (1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 58, 59)
KEYS = {"model", "x", "y", "m", "w", "z", "cov", "boot", "id", "sign", *LANGS}


@dataclass(frozen=True)
class ProcessSpec:
    """One PROCESS model of the chapter."""

    model: int
    x: str
    y: str
    m: tuple[str, ...] = ()
    w: str | None = None
    z: str | None = None
    cov: tuple[str, ...] = ()
    boot: int = 5000
    id: str | None = None
    sign: str = "two-sided"
    text: dict[str, str] = field(default_factory=dict)

    @property
    def variables(self) -> list[str]:
        """Every variable the model uses, each once, X first."""
        names = [self.x, *self.m, self.y, self.w, self.z, *self.cov]
        return list(dict.fromkeys(v for v in names if v))


def _names(value, key: str, fail) -> tuple[str, ...]:
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        fail(f'{key} must be a name or a list of names (e.g. ["TRU", "SAT"])')
    return tuple(values)


def process_spec(raw: dict, where: str = "[[process]]", file: str | None = None) -> ProcessSpec:
    """A checked :class:`ProcessSpec` from a ``[[process]]`` table (or the CLI's options).

    Example:
        >>> process_spec({"model": 4, "x": "SAT", "m": "TRU", "y": "LOY"}).m
        ('TRU',)
    """

    def fail(message: str) -> None:
        raise InstrumentError(f"{where}: {message}", file=file)

    unknown = sorted(set(raw) - KEYS)
    if unknown:
        fail(f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(KEYS))})")
    model = raw.get("model")
    if isinstance(model, bool) or model not in MODELS:
        fail(f"model must be one of {', '.join(map(str, MODELS))}, not {model!r}")
    for key in ("x", "y"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            fail(f'{key} must name a construct or a data column (e.g. {key} = "SAT")')
    for key in ("w", "z", "id"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key]):
            fail(f"{key} must be text, not {raw[key]!r}")
    boot = raw.get("boot", 5000)
    if isinstance(boot, bool) or not isinstance(boot, int) or boot < 0:
        fail(f"boot must be a whole number of bootstrap draws, not {boot!r}")
    sign = raw.get("sign", "two-sided")
    if sign not in ("+", "-", "two-sided"):
        fail(f'sign must be "+", "-" or "two-sided", not {sign!r}')
    text = {k: str(raw[k]) for k in LANGS if k in raw}
    return ProcessSpec(
        model=int(model), x=raw["x"], y=raw["y"], m=_names(raw.get("m"), "m", fail),
        w=raw.get("w"), z=raw.get("z"), cov=_names(raw.get("cov"), "cov", fail), boot=boot,
        id=raw.get("id"), sign=sign, text=text,
    )  # fmt: skip


def process_specs_from_toml(raw: object, file: str | None = None) -> list[ProcessSpec]:
    """The ``[[process]]`` tables of a model file, checked (one-line InstrumentError)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise InstrumentError("'process' must be [[process]] tables", file=file)
    return [process_spec(r, f"[[process]] {k}", file) for k, r in enumerate(raw, start=1)]
