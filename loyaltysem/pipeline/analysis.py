"""The whole chain in one call: survey -> screening -> reliability / EFA -> CFA and SEM ->
fit, paths, effects -> moderation and groups. ``analyze`` composes the stages (one module
each in this package, each returning its own typed result) into an
:class:`~loyaltysem.pipeline.results.AnalysisResult` (CB-SEM) or a
:class:`~loyaltysem.pipeline.results.PLSAnalysisResult`; ``result.write_report(folder)``
writes the results chapter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loyaltysem.analyses.moderation import probe_moderation
from loyaltysem.base.blas import single_threaded
from loyaltysem.base.errors import InputError
from loyaltysem.judgment.hypotheses import decide
from loyaltysem.pipeline.compare import compare_stage
from loyaltysem.pipeline.groups import group_stage, score_stage
from loyaltysem.pipeline.measurement import fit_options, measurement_stage
from loyaltysem.pipeline.options import RunOptions, run_options
from loyaltysem.pipeline.pls import analyze_pls
from loyaltysem.pipeline.process import ProcessStage, process_stage
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
from loyaltysem.survey.process_spec import ProcessSpec, process_spec


@single_threaded  # small matrices throughout: BLAS threads only spin (2 s CPU of a WLSMV run)
def analyze(
    data,
    model: str | Path | Instrument | None = None,
    *,
    estimator: str | None = None,
    missing: str = "listwise",
    ordered=None,
    n_boot: int | None = None,
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
    process=(),
    on_step: Callable[[str], None] | None = None,
    allow_negative: bool = False,
    compare=(),
) -> AnalysisResult | PLSAnalysisResult:
    """Run the whole analysis on a survey (or a data file) with its model.

    The defaults are ``loyaltysem run``'s: ``n_boot``: bootstrap draws for the mediation
    intervals (None: 1000, 0 under FIML, 5000 with ``method="pls"``; 0: the delta method's
    intervals), ``ci``: "bc" bias-corrected (or "percentile", "bca"), ``seed``: 12345
    (``loyaltysem.base.validate.DEFAULT_SEED``); the report's language is
    ``write_report``'s ``lang`` ("both");
    ``drop_careless``: remove straight-liners, speeders and failed attention checks before
    the analysis (None: the model file's ``[screening]`` setting, else keep them flagged);
    ``group``: a column whose groups get the invariance steps and the per-path comparison;
    ``efa_method``: "minres" (psych's default) or "pca" (principal components + varimax, as
    SPSS users report it); ``chapter``: the chapter number of the report's captions;
    ``method``: "cb" (covariance-based SEM, lavaan's numbers) or "pls" (PLS-SEM, seminr's
    numbers; ``n_boot`` draws for its t values and intervals); ``moderation``: probe the
    model's ``X:Z`` terms and the model file's ``[[moderators]]`` (simple slopes,
    Johnson-Neyman, moderated mediation with the same bootstrap draws); ``ordered``: items
    answered on ordered categories (True: every item; None: the model file's
    ``[scale] ordered``; False: none), estimated with ``estimator`` WLSMV by default (lavaan's
    ``ordered =``), with ordinal alpha and categorical omega beside the usual reliability;
    ``process``: PROCESS models on construct scores beside the model file's ``[[process]]``
    (a dict such as ``{"model": 7, "x": "SAT", "m": "TRU", "y": "LOY", "w": "SWC"}`` or a
    list of them); ``estimator``: "ML" (default for continuous items), "MLR", or for ordered
    items "WLSMV", "ULSMV", "WLS", "DWLS", "ULS"; ``on_step``: called with each stage's name as it
    starts ("sample", "items", "measurement", "scores", "groups", "structural", "moderation",
    "process"; "pls" for PLS-SEM), e.g. by the local web page; ``progress`` may also be a
    callable ``progress(done, total, what)`` called after each chunk of bootstrap draws;
    ``allow_negative``: go on when a construct's Cronbach's alpha is negative or an item
    reversed as declared still runs against its construct (otherwise a one-line InputError
    names the construct, the items and the likely cause: the file already holds them
    recoded); the chapter's reliability note then says so; ``compare``: rival model files
    (.lav or TOML; one path or a list) fitted to the same respondents as the model and
    compared with it (χ² difference tests as lavTestLRT, AIC, BIC, fit indices; the chapter's
    rival-model table), covariance-based SEM only.

    Example:
        >>> res = analyze("data/online_loyalty.sav", "models/online_loyalty.toml")  # doctest: +SKIP
        >>> res.write_report("report/")  # doctest: +SKIP
    """
    kw = dict(method=method, missing=missing, n_boot=n_boot, seed=seed, ci=ci,
              n_jobs=n_jobs, progress=progress, group=group, efa_method=efa_method,
              drop_careless=drop_careless, moderation=moderation, chapter=chapter,
              strict=strict, process=_process_specs(process),
              allow_negative=allow_negative, compare=compare)  # fmt: skip
    step = on_step or (lambda name: None)
    if method == "pls":
        step("pls")
        return analyze_pls(data, model, run_options(**kw))
    data, inst = prepare(data, model)
    items = ordered_choice(inst, ordered)
    fit = resolve_options(estimator, missing, ordered=bool(items))
    opts = run_options(**kw, estimator=fit.estimator, fit=fit, ordered=tuple(items))
    return _cb_stages(step, data, inst, opts)


def _cb_stages(
    step: Callable[[str], None], data, inst: Instrument, opts: RunOptions
) -> AnalysisResult:
    """The covariance-based chain, stage by stage: sample, items, measurement, scores,
    groups, structural, rival models, moderation, PROCESS."""
    warnings: list = []
    sample = _stage(step, "sample", sample_stage, data, inst, opts)
    item_res = _stage(step, "items", item_stage, sample, opts)
    measurement = _stage(step, "measurement", measurement_stage, sample, item_res, opts, warnings)
    scores = _stage(step, "scores", score_stage, sample, measurement.validity["ave"])
    groups = _stage(step, "groups", group_stage, sample, opts) if opts.group else None
    # A model without structural paths (as `loyaltysem init` writes it) gets the
    # measurement chapter; the student adds the paths and runs again.
    structural = None
    if inst.structural.strip():
        structural = _stage(step, "structural", structural_stage, sample, opts, warnings,
                            measurement.cfa)  # fmt: skip
    rivals = None
    if opts.compare:
        main_n = (structural.sem if structural is not None else measurement.cfa).n
        rivals = _stage(step, "compare", compare_stage, sample, opts, fit_options(opts),
                        warnings, main_n)  # fmt: skip
    mods = None
    if opts.moderation and structural is not None:
        mods = _stage(step, "moderation", _moderation_stage, sample, structural, opts, warnings)
    return AnalysisResult(
        options=opts, sample=sample, items=item_res, scores=scores, measurement=measurement,
        structural=structural, moderation=mods or ModerationStage(), groups=groups,
        process=_stage(step, "process", run_process, sample, opts), warnings=warnings,
        compare=rivals,
    )  # fmt: skip


def _process_specs(process) -> tuple:
    """PROCESS models given to ``analyze``: ProcessSpec objects or dicts of their keys."""
    if not process:
        return ()
    items = [process] if isinstance(process, dict | ProcessSpec) else list(process)
    return tuple(p if isinstance(p, ProcessSpec) else process_spec(p, "process") for p in items)


def run_process(sample: SampleStage, opts: RunOptions) -> ProcessStage | None:
    """The model file's [[process]] models and those given to ``analyze``, on the valid
    sample (None when there are none)."""
    specs = [*sample.instrument.process, *opts.process]
    if not specs:
        return None
    return process_stage(sample.survey, sample.instrument, specs, opts.seed, opts.n_jobs)


def _stage(step: Callable[[str], None], name: str, stage: Callable, *args):
    """``stage(*args)``, after telling ``step`` its name (``analyze``'s ``on_step``)."""
    step(name)
    return stage(*args)


def _moderation_stage(
    sample: SampleStage, structural: StructuralStage, opts: RunOptions, warnings: list
) -> ModerationStage:
    """Probe the model's ``X:Z`` terms and the declared moderators; the moderation models
    stay ML with ordered items (product indicators of ordered items are not ordered)."""
    models, hyp, more = probe_moderation(
        structural.sem, sample.instrument, sample.survey, structural.hypotheses,
        estimator=opts.moderation_estimator, missing=opts.missing,
        n_boot=opts.n_boot, seed=opts.seed, n_jobs=opts.n_jobs, progress=opts.progress,
        ci=opts.ci,
    )  # fmt: skip
    warnings += [w for w in more if w not in warnings]
    verdicts = {}
    if hyp is not None:  # the declared moderators' hypotheses, with the model's fit caveat
        caveat = structural.verdicts["fit"]["caveat"]["strict" if opts.strict else "lenient"]
        hyp, verdicts = decide(hyp, caveat.caveats)
    return ModerationStage(models, hyp, {"hypotheses": verdicts})


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
