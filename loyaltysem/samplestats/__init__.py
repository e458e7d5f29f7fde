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

from loyaltysem.base.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "bivariate": ["OrdinalDataWarning", "polychoric", "polyserial"],
        "bvn": ["bvn_cdf", "bvn_pdf"],
        "conditional": ["CondXSampleStats", "CondXStats", "conditional_sample_stats"],
        "nacov": ["TwoStep", "two_step"],
        "ordinal": [
            "MAX_CATEGORIES",
            "OrdinalSampleStats",
            "WEIGHT_KINDS",
            "WeightKind",
            "ordinal_sample_stats",
            "weight_kind",
        ],
        "univariate": ["NumericFit", "OrdinalFit", "fit_numeric", "fit_ordinal"],
    },
)
