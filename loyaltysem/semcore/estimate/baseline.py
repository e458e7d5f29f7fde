"""lavaan's baseline (independence) model: the one baseline every fit measure uses.

Free variances (and means) of every observed variable, no covariances; fixed.x covariates
keep their sample moments (``lav_object_independence``); ordered items keep free thresholds
with unit variances (correlations 0). It is fitted with the same
estimator and missing-data rule as the model, by the fitting function the model's result
carries (so this module needs no import of the estimation stage above it).
"""

from __future__ import annotations

from loyaltysem.semcore.model.partable import ModelVariables, independence_partable


def fit_baseline(result):
    """The baseline model of ``result`` fitted to the same data (an SEMResult)."""
    mv = result.model.mv
    x = [mv.ov[i] for i in result.model.exo_index]
    base_mv = ModelVariables(lv=[], ov=list(mv.ov), indicators={}, ov_x=x)
    meanstructure = result.model.meanstructure
    ordered = getattr(result.model, "thresholds", None)  # ordered items, per group
    pt = independence_partable(base_mv, result.model.ngroups, meanstructure, ordered)
    if hasattr(result.model, "baseline_partable"):  # its own (ordinal_condx: slopes on x)
        pt, base_mv = result.model.baseline_partable()
    return result.fit_table(
        pt,
        base_mv,
        result.data,
        options=result.options,
        group=result.group,
        group_labels=result.group_labels,
    )
