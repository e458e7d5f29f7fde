"""Sample statistics the estimators fit to.

* Ordered categorical items (lavaan's ``ordered =``): the two-step statistics that WLSMV,
  ULSMV and WLS fit to - thresholds, polychoric and polyserial correlations, and their
  asymptotic covariance (NACOV, Muthen 1984) - per group, as lavaan 0.6.14 computes them
  (``ordinal``, ``univariate``, ``bivariate``, ``bvn``, ``nacov``; with exogenous covariates,
  lavaan's conditional.x, ``conditional``).
* The saturated (h1) normal model of complete or incomplete data (``h1``).

>>> from loyaltysem.samplestats import ordinal_sample_stats                    # doctest: +SKIP
>>> st = ordinal_sample_stats(df, items, ordered=True, group="gender")        # doctest: +SKIP
>>> st.groups[0].wls_obs, st.groups[0].nacov, st.wls_v("DWLS")                # doctest: +SKIP

Names are imported lazily: the continuous-data fit path (which needs only ``h1``) starts
without scipy.
"""

from __future__ import annotations

import importlib

_API = {
    "OrdinalDataWarning": "bivariate",
    "polychoric": "bivariate",
    "polyserial": "bivariate",
    "bvn_cdf": "bvn",
    "bvn_pdf": "bvn",
    "CondXSampleStats": "conditional",
    "CondXStats": "conditional",
    "conditional_sample_stats": "conditional",
    "TwoStep": "nacov",
    "two_step": "nacov",
    "MAX_CATEGORIES": "ordinal",
    "OrdinalSampleStats": "ordinal",
    "ordinal_sample_stats": "ordinal",
    "WEIGHT_KINDS": "ordinal",
    "WeightKind": "ordinal",
    "weight_kind": "ordinal",
    "NumericFit": "univariate",
    "OrdinalFit": "univariate",
    "fit_numeric": "univariate",
    "fit_ordinal": "univariate",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
