"""The whole chain in one call: survey -> screening -> reliability / EFA -> CFA and SEM ->
fit, paths, effects -> moderation and groups. ``analyze`` composes the stages (one module
each in this package, each returning its own typed result) into an
:class:`~loyaltysem.pipeline.results.AnalysisResult` (CB-SEM) or a
:class:`~loyaltysem.pipeline.results.PLSAnalysisResult`; ``result.write_report(folder)``
writes the results chapter.
"""

from __future__ import annotations

from pathlib import Path

from loyaltysem.analyses.moderation import probe_moderation
from loyaltysem.base.errors import InputError
from loyaltysem.pipeline.groups import group_stage, score_stage
from loyaltysem.pipeline.measurement import measurement_stage
from loyaltysem.pipeline.options import RunOptions, run_options
from loyaltysem.pipeline.pls import analyze_pls
from loyaltysem.pipeline.results import (
    AnalysisResult,
    ModerationStage,
    PLSAnalysisResult,
    SampleStage,
    StructuralStage,
)
from loyaltysem.pipeline.sample import item_stage, prepare, sample_stage
from loyaltysem.pipeline.structural import structural_stage
from loyaltysem.semcore.estimate.options import resolve_options
from loyaltysem.survey.instrument import Instrument


def analyze(
    data,
    model: str | Path | Instrument | None = None,
    *,
    estimator: str | None = None,
    missing: str = "listwise",
    ordered=None,
    bootstrap: int = 0,
    seed: int | None = None,
    ci: str = "bc",
    n_jobs: int | None = None,
    progress: bool = False,
    group: str | None = None,
    efa_method: str = "minres",
    chapter: int = 4,
    strict: bool = False,
    drop_careless: bool | None = None,
    method: str = "cb",
    moderation: bool = True,
    allow_negative: bool = False,
) -> AnalysisResult | PLSAnalysisResult:
    """Run the whole analysis on a survey (or a data file) with its model.

    ``bootstrap``: draws for the mediation intervals (``ci``: "bc" bias-corrected,
    "percentile" or "bca"; without draws the intervals are the delta method's);
    ``drop_careless``: remove straight-liners, speeders and failed attention checks before
    the analysis (None: the model file's ``[screening]`` setting, else keep them flagged);
    ``group``: a column whose groups get the invariance steps and the per-path comparison;
    ``efa_method``: "minres" (psych's default) or "pca" (principal components + varimax, as
    SPSS users report it); ``chapter``: the chapter number of the report's captions;
    ``method``: "cb" (covariance-based SEM, lavaan's numbers) or "pls" (PLS-SEM, seminr's
    numbers; ``bootstrap`` draws for its t values and intervals); ``moderation``: probe the
    model's ``X:Z`` terms and the model file's ``[[moderators]]`` (simple slopes,
    Johnson-Neyman, moderated mediation with the same bootstrap draws); ``ordered``: items
    answered on ordered categories (True: every item; None: the model file's
    ``[scale] ordered``; False: none), estimated with ``estimator`` WLSMV by default (lavaan's
    ``ordered =``), with ordinal alpha and categorical omega beside the usual reliability;
    ``estimator``: "ML" (default for continuous items), "MLR", or for ordered items "WLSMV",
    "ULSMV", "WLS", "DWLS", "ULS"; ``allow_negative``: go on when a construct's Cronbach's
    alpha is negative or an item reversed as declared still runs against its construct
    (otherwise a one-line InputError names the construct, the items and the likely cause:
    the file already holds them recoded); the chapter's reliability note then says so.

    Example:
        >>> res = analyze("data/online_loyalty.sav", "models/online_loyalty.toml")  # doctest: +SKIP
        >>> res.write_report("report/")  # doctest: +SKIP
    """
    kw = dict(method=method, missing=missing, bootstrap=bootstrap, seed=seed, ci=ci,
              n_jobs=n_jobs, progress=progress, group=group, efa_method=efa_method,
              drop_careless=drop_careless, moderation=moderation, chapter=chapter,
              strict=strict, allow_negative=allow_negative)  # fmt: skip
    if method == "pls":
        return analyze_pls(data, model, run_options(**kw))
    data, inst = prepare(data, model)
    items = ordered_choice(inst, ordered)
    fit = resolve_options(estimator, missing, ordered=bool(items))
    opts = run_options(**kw, estimator=fit.estimator, fit=fit, ordered=tuple(items))
    warnings: list = []
    sample = sample_stage(data, inst, opts)
    item_res = item_stage(sample, opts)
    measurement = measurement_stage(sample, item_res, opts, warnings)
    scores = score_stage(sample, measurement.validity["ave"])
    groups = group_stage(sample, opts) if opts.group else None
    # A model without structural paths (as `loyaltysem init` writes it) gets the
    # measurement chapter; the student adds the paths and runs again.
    structural = structural_stage(sample, opts, warnings) if inst.structural.strip() else None
    mods = None
    if opts.moderation and structural is not None:
        mods = _moderation_stage(sample, structural, opts, warnings)
    return AnalysisResult(
        options=opts, sample=sample, items=item_res, scores=scores, measurement=measurement,
        structural=structural, moderation=mods or ModerationStage(), groups=groups,
        warnings=warnings,
    )  # fmt: skip


def _moderation_stage(
    sample: SampleStage, structural: StructuralStage, opts: RunOptions, warnings: list
) -> ModerationStage:
    """Probe the model's ``X:Z`` terms and the declared moderators; the moderation models
    stay ML with ordered items (product indicators of ordered items are not ordered)."""
    models, hyp, more = probe_moderation(
        structural.sem, sample.instrument, sample.survey, structural.hypotheses,
        estimator=opts.moderation_estimator, missing=opts.missing,
        n_boot=opts.bootstrap, seed=opts.seed, n_jobs=opts.n_jobs, progress=opts.progress,
        ci=opts.ci,
    )  # fmt: skip
    warnings += [w for w in more if w not in warnings]
    return ModerationStage(models, hyp)


def ordered_choice(inst: Instrument, ordered) -> list[str]:
    """The items analyzed as ordered categories: ``ordered`` True (every item), a list of
    item codes, False (none) or None (the model file's ``[scale] ordered``)."""
    if ordered is None:
        return list(inst.ordered)
    if ordered is False:
        return []
    if ordered is True:
        return list(inst.item_codes)
    chosen = [ordered] if isinstance(ordered, str) else list(ordered)
    unknown = [v for v in chosen if v not in inst.item_codes]
    if unknown:
        raise InputError("ordered item is not an item of the model", column=unknown[0])
    return [v for v in inst.item_codes if v in set(chosen)]
