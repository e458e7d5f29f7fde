"""PLS-SEM beside CB-SEM: the PLS path algorithm and its assessment as SmartPLS and R's seminr
compute them (Hair, Hult, Ringle & Sarstedt 2022), on a compact numpy core.

>>> from loyaltysem.pls import pls                                           # doctest: +SKIP
>>> res = pls(survey, "models/corp_rep.lav", bootstrap=5000, seed=1)          # doctest: +SKIP
>>> res.summary()                                                             # doctest: +SKIP
"""

from .core import mean_replace, pls, prepare_data
from .model import PLSModel, model_from_instrument, parse_pls_syntax, read_pls_model
from .predict import PredictResult, blindfolding, pls_predict
from .result import PLSResult

__all__ = [
    "PLSModel",
    "PLSResult",
    "PredictResult",
    "blindfolding",
    "mean_replace",
    "model_from_instrument",
    "parse_pls_syntax",
    "pls",
    "pls_predict",
    "prepare_data",
    "read_pls_model",
]
