"""Stage 4 of covariance-based SEM: the structural model, its hypotheses, the bootstrap of
the indirect effects and the mediation decomposition."""

from __future__ import annotations

import pandas as pd

from loyaltysem.analyses.hypotheses import hypothesis_table
from loyaltysem.analyses.interactions import interaction_summary
from loyaltysem.analyses.mediation import mediation_table
from loyaltysem.base.notice import Notice, prefixed
from loyaltysem.judgment import fit as judge_fit
from loyaltysem.judgment import hypotheses as judge_hyp
from loyaltysem.judgment.mediation import judge_mediation_table
from loyaltysem.pipeline.measurement import fit_options
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import SampleStage, StructuralStage
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.model.product_indicators import interaction_terms
from loyaltysem.semcore.resample.bootstrap import bootstrap
from loyaltysem.survey.instrument import Hypothesis, Instrument


def structural_stage(
    sample: SampleStage, opts: RunOptions, warnings: list, cfa=None
) -> StructuralStage:
    """Fit the model, bootstrap it (``opts.n_boot`` draws), decompose the mediation with
    the bootstrap's intervals (delta method without draws) and decide (judgment): the fit
    of the measurement model ``cfa`` and of the structural model, the hypotheses (with the
    poor-fit caveat) and the type of every mediation."""
    inst = sample.instrument
    full = sem(inst.model_syntax(), sample.survey, **fit_options(opts))
    stage = StructuralStage(
        sem=full, hypotheses=hypothesis_table(full.estimates, model_hypotheses(inst, full))
    )
    if interaction_terms(full):  # the output contract's block, written into sem.json
        stage.interactions = interaction_summary(full)
    if opts.n_boot:
        _bootstrap(stage, opts, warnings)
    try:
        stage.mediation = mediation_table(full, stage.bootstrap, ci=opts.ci)
    except (ValueError, NotImplementedError) as exc:
        msg = f"mediation table not computed: {exc}"
        warnings.append(Notice("med.not_computed", msg, error=str(exc)))
    judge_structural(stage, opts, cfa)
    return stage


def judge_structural(stage: StructuralStage, opts: RunOptions, cfa=None) -> None:
    """Store judgment's decisions on ``stage.verdicts``: "fit" (both cut-off sets, the
    measurement model ``cfa`` beside the structural one), "hypotheses" (supported or not,
    with "poor_fit" when a core fit index fails) and "mediation" (pairs and specific
    indirect effects)."""
    full = stage.sem
    fits = {"measurement": cfa.fit_measures} if cfa is not None else {}
    fits["structural"] = full.fit_measures
    fit = judge_fit.judge_models(fits, full.options)
    caveat = fit["caveat"]["strict" if opts.strict else "lenient"]
    stage.hypotheses, hyp = judge_hyp.decide(stage.hypotheses, caveat.caveats)
    stage.verdicts.update(fit=fit, hypotheses=hyp)
    if stage.mediation is not None:
        pairs, specific = judge_mediation_table(stage.mediation)
        stage.verdicts["mediation"] = {"pairs": pairs, "specific": specific}


def model_hypotheses(inst: Instrument, fit) -> list:
    """The model file's hypotheses; a plain lavaan model gets one (two-sided) hypothesis per
    structural path, H1, H2, ... in the order of the syntax."""
    if inst.hypotheses:
        return inst.hypotheses
    est = fit.estimates
    paths = est[(est["op"] == "~") & (est["group"].isin([0, 1]))]
    return [
        Hypothesis(f"H{k}", r["lhs"], r["rhs"], "two-sided")
        for k, (_, r) in enumerate(paths.iterrows(), start=1)
    ]


def _bootstrap(stage: StructuralStage, opts: RunOptions, warnings: list) -> None:
    try:
        boot = bootstrap(
            stage.sem, opts.n_boot, seed=opts.seed, n_jobs=opts.n_jobs,
            progress=opts.progress, ci=opts.ci,
        )  # fmt: skip
    except (ValueError, NotImplementedError) as exc:  # e.g. FIML: no complete raw data
        msg = f"bootstrap not run ({exc}); delta-method intervals used"
        warnings.append(Notice("boot.not_run", msg, error=str(exc)))
        return
    stage.bootstrap = boot
    tab = boot.table
    eff = tab[(tab["op"] == "effect") & (tab["kind"] == "indirect")]
    est = eff[eff["scale"] == "est"].reset_index(drop=True)
    std = eff[eff["scale"] == "std.all"].reset_index(drop=True)
    stage.effects = pd.DataFrame(
        {
            "effect": est["name"],
            "est": est["est"],
            "boot.se": est["boot.se"],
            "ci.lower": est["ci.lower"],
            "ci.upper": est["ci.upper"],
            "std.all": std["est"],
        }
    )
    warnings += [prefixed("mediation bootstrap", w) for w in boot.warnings]  # which one
