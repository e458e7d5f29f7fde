"""The PROCESS stage: Hayes' conditional process models (``[[process]]`` in the model file,
or ``run --process N ...``) on construct scores - each construct the mean of its items after
reverse keying, as SPSS's MEAN() computes it for PROCESS users - with the seeded bootstrap of
:func:`loyaltysem.analyses.process.process`, and the hypothesis each model tests decided by
the chapter's rule (:mod:`loyaltysem.judgment.process`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loyaltysem.analyses.process import process
from loyaltysem.base.errors import InputError
from loyaltysem.base.result import ResultMixin
from loyaltysem.judgment.process import process_verdict
from loyaltysem.psychometrics.construct_scores import construct_scores
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument
from loyaltysem.survey.process_spec import ProcessSpec


@dataclass(repr=False)
class ProcessRun(ResultMixin):
    """One PROCESS model of the chapter: what was asked, its result and its verdict."""

    spec: ProcessSpec
    result: object  # analyses.process.ProcessResult
    verdict: object = None  # judgment.verdict.Verdict of the model's hypothesis (or None)
    scored: list[str] = field(default_factory=list)  # the variables scored from items
    means: dict = field(default_factory=dict)  # of the variables, on the rows analysed
    quantiles: dict = field(default_factory=dict)  # 16th and 84th percentiles of X


@dataclass(repr=False)
class ProcessStage(ResultMixin):
    runs: list[ProcessRun] = field(default_factory=list)


def score_frame(survey: Survey, inst: Instrument, names: list[str]) -> tuple[pd.DataFrame, list]:
    """The named variables as columns: a construct (or a declared moderator with items) as
    the mean of its items (reverse-keyed items recoded by the loader; the answered items
    of each respondent), any other name as the data column. Returns the frame and the
    names that were scored.

    Example:
        >>> from loyaltysem.survey.loaders import load
        >>> from loyaltysem.examples import example_paths
        >>> p = example_paths()
        >>> s = load(p["data_csv"], p["model"])
        >>> frame, scored = score_frame(s, s.instrument, ["SAT", "gender"])
        >>> scored, list(frame.columns)
        (['SAT'], ['SAT', 'gender'])
    """
    blocks = dict(inst.construct_items)
    blocks.update({m.code: m.item_codes for m in inst.moderators if m.items})
    higher = {c.code for c in inst.higher_order}
    out, scored = {}, []
    for name in names:
        if name in higher:
            raise InputError(
                f"{name} is a higher-order construct; PROCESS takes its first-order "
                "constructs or a column of scores"
            )
        if name in blocks:
            out[name] = construct_scores(survey.data, {name: blocks[name]})[name]
            scored.append(name)
        elif name in survey.data.columns:
            out[name] = survey.data[name]
        else:
            raise InputError(
                f"PROCESS variable {name} is neither a construct of the model nor a data column"
            )
    return pd.DataFrame(out), scored


def process_stage(
    survey: Survey, inst: Instrument, specs: list[ProcessSpec], seed: int, n_jobs=None
) -> ProcessStage:
    """Every PROCESS model on the valid sample."""
    stage = ProcessStage()
    for spec in specs:
        frame, scored = score_frame(survey, inst, spec.variables)
        res = process(
            frame, spec.model, x=spec.x, y=spec.y, m=list(spec.m) or None, w=spec.w, z=spec.z,
            cov=list(spec.cov) or None, n_boot=spec.boot, seed=seed, n_jobs=n_jobs,
        )  # fmt: skip
        used = frame.dropna()
        quant = {spec.x: [float(used[spec.x].quantile(q)) for q in (0.16, 0.84)]}
        stage.runs.append(ProcessRun(spec, res, process_verdict(spec, res), scored,
                                     used.mean().to_dict(), quant))  # fmt: skip
    return stage
