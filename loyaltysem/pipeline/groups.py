"""Stages for ``--group``: measurement invariance across the groups of a column and each
structural path compared between them; and the construct scores with the demographic
difference tests (both methods)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.analyses.invariance import compare_paths, measurement_invariance
from loyaltysem.base.errors import InputError
from loyaltysem.judgment.groups import add_adjusted, judge_group_paths
from loyaltysem.judgment.invariance import judge_invariance
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import GroupStage, SampleStage, ScoreStage
from loyaltysem.psychometrics.construct_scores import (
    construct_correlations,
    construct_scores,
    covariate_correlations,
)
from loyaltysem.psychometrics.group_differences import group_differences
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.results import SEMResult


def group_stage(sample: SampleStage, opts: RunOptions, correction: str = "holm") -> GroupStage:
    """Invariance steps of the measurement model and the per-group paths with AMOS's
    critical ratio for their difference, the p values adjusted over the compared paths
    (``correction``: Holm's by default); judgment decides every step and every path."""
    group, survey, inst = opts.group, sample.survey, sample.instrument
    if group not in survey.data.columns:
        raise InputError("the grouping column is not in the data", column=group)
    estimator, ordered = opts.estimator, opts.ordered_items or None
    invariance = measurement_invariance(
        inst.measurement_syntax(), survey, group, estimator=estimator, missing=opts.missing,
        ordered=ordered,
    )  # fmt: skip
    n = next(iter(invariance.steps.values())).n
    verdicts = {"invariance": judge_invariance(invariance.comparisons, invariance.group_n),
                "paths": {}, "correction": correction}  # fmt: skip
    if not inst.structural.strip():  # measurement model only: no paths to compare
        return GroupStage(group, invariance, pd.DataFrame(), n, verdicts)
    paths = compare_paths(inst.model_syntax(), survey, group, estimator=estimator, ordered=ordered)
    free = sem(inst.model_syntax(), survey, group=group, estimator=estimator, ordered=ordered)
    paths = add_adjusted(critical_ratio_of_differences(paths, free), correction)
    for g, k in zip(free.group_labels, free.data, strict=True):
        paths[f"n.{g}"] = int(k.n)
    verdicts["paths"] = judge_group_paths(paths, correction)
    return GroupStage(group, invariance, paths, n, verdicts)


def critical_ratio_of_differences(paths: pd.DataFrame, free: SEMResult) -> pd.DataFrame:
    """Add each group's standard error (``se.<group>``) and, with two groups, AMOS's critical
    ratio for the difference of a path between them, ``cr.diff`` = (b2 - b1) /
    sqrt(SE1² + SE2²) (independent samples; Arbuckle's "critical ratios for differences",
    Byrne 2010, ch. 7), from the unconstrained multi-group fit ``free``."""
    out = paths.copy()
    est = free.estimates[free.estimates["op"] == "~"]
    labels = [str(g) for g in free.group_labels]
    for k, g in enumerate(labels, start=1):
        sel = est[est["group"] == k].set_index(["lhs", "rhs"])
        out[f"se.{g}"] = [float(sel.loc[(a, b), "se"]) for a, b in zip(out["lhs"], out["rhs"],
                                                                       strict=True)]  # fmt: skip
    if len(labels) == 2:
        a, b = labels
        out["cr.diff"] = (out[f"est.{b}"] - out[f"est.{a}"]) / np.sqrt(
            out[f"se.{a}"] ** 2 + out[f"se.{b}"] ** 2
        )
    return out


def score_stage(sample: SampleStage, ave: pd.Series) -> ScoreStage:
    """Construct means, SDs and correlations (sqrt(AVE) of the CFA or the PLS model on the
    diagonal); demographic difference tests on the categorical demographics; a continuous
    one (age in years) is correlated with the construct scores instead."""
    inst, data = sample.instrument, sample.survey.data
    scores = construct_scores(data, inst.construct_items)
    stage = ScoreStage(correlations=construct_correlations(scores, ave))
    if sample.categorical:
        stage.group_differences = group_differences(data, inst, variables=sample.categorical)
    if sample.continuous:
        stage.continuous = covariate_correlations(scores, data[sample.continuous])
    return stage
