"""Stages 1 and 2: the data and its model, screening and the valid sample, then what is
checked on the items before any model is fitted (descriptives, Harman's test, reliability,
KMO/Bartlett, parallel analysis and EFA). CB-SEM and PLS-SEM share both stages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.judgment.measurement import (
    efa_verdicts,
    keying_error,
    keying_verdicts,
    reliability_verdicts,
)
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import ItemStage, SampleStage
from loyaltysem.psychometrics.components import principal_components
from loyaltysem.psychometrics.descriptives import (
    continuous_demographics,
    describe,
    mardia,
    sample_profile,
)
from loyaltysem.psychometrics.efa import (
    bartlett,
    efa,
    harman_single_factor,
    kmo,
    loading_table,
    parallel_analysis,
    variance_explained_table,
)
from loyaltysem.psychometrics.ordinal_reliability import ordinal_alpha
from loyaltysem.psychometrics.reliability import reliability_table
from loyaltysem.psychometrics.screening import screen
from loyaltysem.psychometrics.valid_sample import valid_sample
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument, read_instrument
from loyaltysem.survey.loaders import load


def prepare(data, model) -> tuple[Survey, Instrument]:
    """The survey and its model: a file is loaded with the model's items (reverse keying,
    missing codes), a DataFrame wrapped; the model is read from its file when a path."""
    if isinstance(data, str | Path):
        data = load(data, model)
    if not isinstance(data, Survey):
        data = Survey(pd.DataFrame(data))
    if isinstance(model, Instrument):
        inst = model
    else:
        inst = read_instrument(model) if model is not None else data.instrument
    if inst is None:
        raise InputError("a model (constructs and their items) is needed")
    return data, inst


def demographics(inst: Instrument, data: Survey) -> list[str]:
    """The model's demographic columns that are in the data."""
    return [d.code for d in inst.demographics if d.code in data.data.columns]


def sample_stage(data: Survey, inst: Instrument, opts: RunOptions) -> SampleStage:
    """Flag careless respondents (kept unless ``drop_careless``), the valid sample and its
    profile. Which demographics are continuous (described by M and SD, not compared across
    groups) is decided here, once, on the valid sample."""
    screened = screen(data, policy="none", ordered=bool(opts.ordered))
    valid = valid_sample(screened, instrument=inst, drop_careless=opts.drop_careless)
    survey = valid.survey  # every later table is on the valid sample
    demo = demographics(inst, survey)
    continuous = continuous_demographics(survey.data, demo, inst, survey.value_labels)
    profile = sample_profile(survey.data, demo, inst, continuous=continuous) if demo else (
        pd.DataFrame())  # fmt: skip
    return SampleStage(survey, inst, screened, valid, profile, demo, continuous)


def item_stage(sample: SampleStage, opts: RunOptions, blocks: dict | None = None) -> ItemStage:
    """Descriptives and Harman's test on every item; reliability (ordinal alpha too with
    ordered items), KMO/Bartlett, parallel analysis and the EFA on the items of ``blocks``
    (construct -> items; PLS: the multi-item mode A constructs, as formative items need not
    correlate), and the verdicts on them. Stops with a one-line InputError when a
    construct's reverse keying fails (:func:`~loyaltysem.judgment.measurement.keying_error`)
    unless ``opts.allow_negative``."""
    inst, survey = sample.instrument, sample.survey
    data = survey.data
    X = data[[i for i in inst.item_codes if i in data.columns]]
    blocks = inst.construct_items if blocks is None else blocks
    Xr = X[[i for its in blocks.values() for i in its if i in X.columns]]
    rel = reliability_table(Xr, blocks, reversed_items=survey.recoded)
    keying = keying_verdicts(Xr, blocks, survey.recoded, rel.constructs["alpha"])
    error = keying_error(keying)
    if error is not None and not opts.allow_negative:
        raise error
    oa = _ordinal_alpha(data, blocks, opts)
    pa = parallel_analysis(Xr, n_iter=20, seed=opts.seed)  # psych's default of 20 sets
    if opts.efa_method == "pca":
        fa = principal_components(Xr, len(blocks), "varimax")
    else:
        fa = efa(Xr, len(blocks), opts.efa_method, "varimax")
    variance, loadings, harman, k, b = (variance_explained_table(Xr, fa), loading_table(fa),
                                        harman_single_factor(X), kmo(Xr), bartlett(Xr))  # fmt: skip
    ordinal = None if oa is None else oa.constructs["alpha"]
    verdicts = (
        reliability_verdicts(rel.constructs, rel.items, ordinal)
        .merged(keying)
        .merged(efa_verdicts(k["overall"], b["pvalue"], harman["percent"],
                             extracted_variance(variance, fa.loadings.shape[1]), loadings))
    )  # fmt: skip
    return ItemStage(
        descriptives=describe(X), mardia=mardia(X), harman=harman, reliability=rel, kmo=k,
        bartlett=b, parallel=pa, efa=fa, variance=variance, loadings=loadings,
        ordinal_alpha=oa, verdicts=verdicts,
    )  # fmt: skip


def _ordinal_alpha(data: pd.DataFrame, blocks: dict, opts: RunOptions):
    """Ordinal alpha of the constructs whose items are all ordered (None without any)."""
    ordered = set(opts.ordered_items)
    chosen = {c: its for c, its in blocks.items() if ordered and set(its) <= ordered}
    return ordinal_alpha(data, chosen) if chosen else None


def extracted_variance(variance: pd.DataFrame, k: int) -> float:
    """The cumulative % of variance of the ``k`` extracted factors: after rotation when the
    table has it (SPSS's "Rotation Sums of Squared Loadings"), else of the first ``k``
    eigenvalues.

    Example:
        >>> v = pd.DataFrame({"cumulative": [40.0, 60.0, 70.0],
        ...                   "rotation.cumulative": [30.0, 55.0, float("nan")]})
        >>> extracted_variance(v, 2), extracted_variance(v.drop(columns="rotation.cumulative"), 2)
        (55.0, 60.0)
    """
    k = max(int(k), 1)
    cum = float(variance["cumulative"].iloc[k - 1])
    if "rotation.cumulative" in variance and pd.notna(variance["rotation.cumulative"].iloc[k - 1]):
        cum = float(variance["rotation.cumulative"].iloc[k - 1])
    return cum
