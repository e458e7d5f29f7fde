"""PLS-SEM beside CB-SEM: the PLS path algorithm and its assessment as SmartPLS and R's seminr
compute them (Hair, Hult, Ringle & Sarstedt 2022), on a compact numpy core.

>>> from loyaltysem.pls import pls                                           # doctest: +SKIP
>>> res = pls(survey, "models/corp_rep.lav", bootstrap=5000, seed=1)          # doctest: +SKIP
>>> res.summary()                                                             # doctest: +SKIP

Names are imported lazily so bootstrap worker processes start without pandas and scipy.stats.
"""

from __future__ import annotations

from loyaltysem.base.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "bootstrap": ["PLSBootstrap"],
        "core": ["mean_replace", "pls", "prepare_data"],
        "model": ["PLSModel", "model_from_instrument", "parse_pls_syntax", "read_pls_model"],
        "predict": ["PredictResult", "blindfolding", "pls_predict"],
        "result": ["PLSResult"],
    },
)
