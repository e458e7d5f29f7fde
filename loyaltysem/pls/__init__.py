"""PLS-SEM beside CB-SEM: the PLS path algorithm and its assessment as SmartPLS and R's seminr
compute them (Hair, Hult, Ringle & Sarstedt 2022), on a compact numpy core.

>>> from loyaltysem.pls import pls                                           # doctest: +SKIP
>>> res = pls(survey, "models/corp_rep.lav", bootstrap=5000, seed=1)          # doctest: +SKIP
>>> res.summary()                                                             # doctest: +SKIP

Names are imported lazily so bootstrap worker processes start without pandas and scipy.stats.
"""

from __future__ import annotations

import importlib

_API = {
    "PLSBootstrap": "bootstrap",
    "PLSModel": "model",
    "PLSResult": "result",
    "PredictResult": "predict",
    "blindfolding": "predict",
    "mean_replace": "core",
    "model_from_instrument": "model",
    "parse_pls_syntax": "model",
    "pls": "core",
    "pls_predict": "predict",
    "prepare_data": "core",
    "read_pls_model": "model",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
