"""Hayes' PROCESS (v4 conventions) on a compact numpy implementation: models 1, 2, 3, 4, 5, 6,
7, 8, 14, 15, 58 and 59 by OLS, with seeded, worker-independent bootstrap intervals.

>>> from loyaltysem.analyses.process import process                        # doctest: +SKIP
>>> res = process(df, 7, x="LIKE", y="CUSL", m="CUSA", w="QUAL", seed=1)    # doctest: +SKIP
>>> print(res.summary())                                                    # doctest: +SKIP

Modules: ``models`` (equations of each model), ``inputs`` (checks, deletion, coding,
centering), ``ols`` (OLS with HC0-HC4), ``probes`` (moderator values, Johnson-Neyman),
``effects`` and ``mediation`` (direct, conditional and indirect effects, index of moderated
mediation), ``boot`` (the seeded bootstrap and its intervals), ``result`` and ``text``.
"""

from __future__ import annotations

from loyaltysem.analyses.process.analysis import process
from loyaltysem.analyses.process.models import MODELS
from loyaltysem.analyses.process.result import ProcessResult

__all__ = ["MODELS", "ProcessResult", "process"]
