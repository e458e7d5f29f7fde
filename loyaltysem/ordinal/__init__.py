"""Ordered categorical items (lavaan's ``ordered =``): the two-step sample statistics that
WLSMV, ULSMV and WLS fit to - thresholds, polychoric and polyserial correlations, and their
asymptotic covariance (NACOV, Muthen 1984) - per group, as lavaan 0.6.14 computes them.

>>> from loyaltysem.ordinal import ordinal_sample_stats                       # doctest: +SKIP
>>> st = ordinal_sample_stats(df, items, ordered=True, group="gender")        # doctest: +SKIP
>>> st.groups[0].wls_obs, st.groups[0].nacov, st.wls_v("DWLS")                # doctest: +SKIP

With exogenous covariates (lavaan's conditional.x): :func:`conditional_sample_stats`.
"""

from .bivariate import OrdinalDataWarning, polychoric, polyserial
from .bvn import bvn_cdf, bvn_pdf
from .conditional import CondXSampleStats, CondXStats, conditional_sample_stats
from .nacov import TwoStep, two_step
from .samplestats import MAX_CATEGORIES, OrdinalSampleStats, ordinal_sample_stats
from .univariate import NumericFit, OrdinalFit, fit_numeric, fit_ordinal

__all__ = [
    "CondXSampleStats",
    "CondXStats",
    "MAX_CATEGORIES",
    "NumericFit",
    "OrdinalDataWarning",
    "OrdinalFit",
    "OrdinalSampleStats",
    "TwoStep",
    "bvn_cdf",
    "bvn_pdf",
    "conditional_sample_stats",
    "fit_numeric",
    "fit_ordinal",
    "ordinal_sample_stats",
    "polychoric",
    "polyserial",
    "two_step",
]
