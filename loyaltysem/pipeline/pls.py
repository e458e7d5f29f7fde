"""The PLS-SEM chapter's analysis: the shared sample and item stages, then the PLS path
model on the valid sample (path weighting, mean replacement, bootstrap draws with
percentile intervals, Q² by blindfolding) and PLSpredict (10 folds, as SmartPLS)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.judgment import hypotheses as judge_hyp
from loyaltysem.judgment.measurement import VerdictSet, fornell_larcker_verdicts
from loyaltysem.judgment.mediation import judge_pls_mediation
from loyaltysem.pipeline.groups import score_stage
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.process import process_stage
from loyaltysem.pipeline.results import PLSAnalysisResult, PLSStage
from loyaltysem.pipeline.sample import item_stage, sample_stage
from loyaltysem.pls import pls
from loyaltysem.pls.model import as_model
from loyaltysem.pls.result import no_predict_notice
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Hypothesis, Instrument
from loyaltysem.survey.loaders import load


def analyze_pls(data, model, opts: RunOptions) -> PLSAnalysisResult:
    """Every stage of the PLS-SEM chapter."""
    if model is None and isinstance(data, Survey) and data.instrument is not None:
        model = data.instrument
    if model is None:
        raise InputError("a model (constructs + structural paths) is needed")
    pmodel = as_model(model)
    if not pmodel.paths:
        raise InputError("the model has no structural part (no '~' paths)", file=pmodel.source)
    inst = pmodel.to_instrument()
    if isinstance(data, str | Path):
        data = load(data, inst)
    if not isinstance(data, Survey):
        data = Survey(pd.DataFrame(data))
    hoc = pmodel.higher_order  # measured by lower-order scores, not by items
    reflective = {c: its for c, its in pmodel.constructs.items()
                  if pmodel.modes[c] == "A" and len(its) > 1 and c not in hoc}  # fmt: skip
    sample = sample_stage(data, inst, opts)
    items = item_stage(sample, opts, reflective or None)
    res = pls(sample.survey, pmodel, n_boot=opts.n_boot, seed=opts.seed,
              n_jobs=opts.n_jobs, progress=opts.progress)  # fmt: skip
    if res.higher_order:
        res.warnings.append(no_predict_notice())
    elif res.n >= 20:
        res.run_predict(folds=10, seed=opts.seed)
    hyp, verdicts = judge_hyp.decide(pls_hypothesis_table(res, pls_hypotheses(inst, pmodel)))
    for mod in getattr(inst, "moderators", None) or []:  # no interaction terms in PLS here
        if mod.id and mod.id not in verdicts:
            verdicts[mod.id] = judge_hyp.not_tested(mod.id, "pls_moderation")
    pairs, specific = judge_pls_mediation(res.estimates)
    mediation = {"pairs": pairs, "specific": specific}
    stage = PLSStage(res, hyp, VerdictSet({"hypotheses": verdicts, "mediation": mediation}))
    ave = res.reliability["AVE"].where(res.reliability.index.isin(list(reflective)))
    cons = list(reflective)
    verdicts = fornell_larcker_verdicts(res.fornell_larcker.loc[cons, cons])
    stage.verdicts.update(verdicts)
    specs = [*inst.process, *opts.process]
    process = process_stage(sample.survey, inst, specs, opts.seed, opts.n_jobs) if specs else None
    return PLSAnalysisResult(
        options=opts, sample=sample, items=items, scores=score_stage(sample, ave), pls=stage,
        process=process,
    )  # fmt: skip


def pls_hypotheses(inst: Instrument, pmodel) -> list:
    """The model file's hypotheses, else one (two-sided) per path, H1, H2, ... in the order
    of the model's paths."""
    if inst.hypotheses:
        return list(inst.hypotheses)
    return [Hypothesis(f"H{k}", t, s, "two-sided")
            for k, (s, t) in enumerate(pmodel.paths, start=1)]  # fmt: skip


def pls_hypothesis_table(res, hypotheses: list) -> pd.DataFrame:
    """One row per hypothesis on a PLS path: the path coefficient, its bootstrap SD, t, p
    (t with N - 1 df, as seminr), percentile 95% CI and f²; judgment.hypotheses decides
    which are supported (Hair et al. 2022, ch. 6). Without a bootstrap there is no test
    and nothing is supported."""
    est = res.estimates
    paths = est[est["kind"] == "path"].set_index(["lhs", "rhs"])
    rows = []
    for h in hypotheses:
        if (h.lhs, h.rhs) not in paths.index:
            raise InputError(f"hypothesis {h.id} names the path '{h.path}', which is not in "
                             "the PLS model")  # fmt: skip
        r = paths.loc[(h.lhs, h.rhs)]
        b, p = float(r["est"]), float(r.get("pvalue", np.nan))
        rows.append({
            "id": h.id, "path": f"{h.rhs} -> {h.lhs}", "lhs": h.lhs, "rhs": h.rhs,
            "sign": h.sign, "est": b, "se": float(r.get("se", np.nan)),
            "t": float(r.get("t", np.nan)), "pvalue": p,
            "ci.lower": float(r.get("ci.lower", np.nan)),
            "ci.upper": float(r.get("ci.upper", np.nan)),
            "f2": float(res.f2.get((h.lhs, h.rhs), np.nan)), "std.all": b,
        })  # fmt: skip
    return pd.DataFrame(rows)
