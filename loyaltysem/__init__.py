"""loyaltysem: survey research on online shoppers' loyalty, from raw data to a results chapter.

Typical use::

    import loyaltysem as ls
    survey = ls.load("data/online_loyalty.sav", instrument="models/online_loyalty.toml")
    result = ls.analyze(survey, "models/online_loyalty.toml")
    result.write_report("report/")

The public names are imported lazily so that ``import loyaltysem`` stays fast.
"""

from __future__ import annotations

import importlib

from loyaltysem.base.errors import (
    EstimationError,
    IdentificationError,
    InputError,
    InstrumentError,
    LimitError,
    LoyaltysemError,
    ModelSyntaxError,
    OutputError,
)

__version__ = "0.1.0"

_API = {
    "load": "survey.loaders",
    "read_instrument": "survey.instrument",
    "Instrument": "survey.instrument",
    "Survey": "survey.data",
    "parse_syntax": "survey.syntax",
    "sem": "semcore.estimation",
    "cfa": "semcore.estimation",
    "simulate": "semcore.resample.simulate",
    "analyze": "pipeline",
    "example_paths": "examples",
}

__all__ = [
    "EstimationError",
    "IdentificationError",
    "InputError",
    "InstrumentError",
    "LimitError",
    "LoyaltysemError",
    "ModelSyntaxError",
    "OutputError",
    "__version__",
    *_API,
]


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'loyaltysem' has no attribute {name!r}")
