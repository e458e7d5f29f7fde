"""The typed result of every pipeline stage, and the two results ``analyze`` returns: one
for covariance-based SEM (:class:`AnalysisResult`) and one for PLS-SEM
(:class:`PLSAnalysisResult`). Each stage fills its own object once; nothing edits another
stage's result. The report reads these objects and the decisions in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loyaltysem.base.result import ResultMixin
from loyaltysem.judgment.measurement import VerdictSet
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.semcore.results import SEMResult
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument

FORMATS = ("csv", "md", "html", "xlsx", "docx", "tex")


@dataclass(repr=False)
class SampleStage(ResultMixin):
    """Screening, the valid sample every later table is computed on, the sample profile."""

    survey: Survey  # the valid sample
    instrument: Instrument
    screening: object  # psychometrics.screening.ScreeningResult
    valid_sample: object  # psychometrics.valid_sample.ValidSample
    profile: pd.DataFrame
    demographics: list[str] = field(default_factory=list)


@dataclass(repr=False)
class ItemStage(ResultMixin):
    """Item descriptives, Harman's test, reliability, KMO/Bartlett, parallel analysis, EFA,
    and the verdicts on them (:mod:`loyaltysem.judgment.measurement`: alpha on the
    coefficient the chapter reports, CITC, alpha if deleted, reverse keying, KMO, Bartlett,
    Harman, cumulative variance, EFA loadings)."""

    descriptives: pd.DataFrame
    mardia: dict
    harman: dict
    reliability: object  # psychometrics.reliability.ReliabilityResult
    kmo: dict
    bartlett: dict
    parallel: object
    efa: object
    variance: pd.DataFrame
    loadings: pd.DataFrame
    ordinal_alpha: object = None  # with ordered items: OrdinalAlphaResult
    verdicts: VerdictSet = field(default_factory=VerdictSet)


@dataclass(repr=False)
class ScoreStage(ResultMixin):
    """Construct means, SDs and correlations; demographic difference tests."""

    correlations: object = None  # construct_scores.CorrelationTable
    group_differences: object = None  # group_differences.GroupDifferences


@dataclass(repr=False)
class MeasurementStage(ResultMixin):
    """The CFA and what is judged on it: convergent and discriminant validity, HTMT, the
    CFA-based common method bias tests; with ordered items ordinal alpha and why WLSMV."""

    cfa: SEMResult
    validity: pd.DataFrame
    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    method_bias: object = None
    ordinal: dict = field(default_factory=dict)  # why WLSMV: categories, skewness
    ordinal_alpha: object = None  # psychometrics.ordinal_reliability.OrdinalAlphaResult
    #: CFA loadings, CR, AVE, Fornell-Larcker, HTMT (judgment.measurement.cfa_verdicts)
    verdicts: VerdictSet = field(default_factory=VerdictSet)


@dataclass(repr=False)
class StructuralStage(ResultMixin):
    """The structural model, its hypotheses, the bootstrap and the mediation decomposition."""

    sem: SEMResult
    hypotheses: pd.DataFrame
    bootstrap: object = None  # semcore.resample.bootstrap.BootstrapResult
    effects: pd.DataFrame | None = None
    mediation: object = None  # analyses.mediation.MediationTable


@dataclass(repr=False)
class ModerationStage(ResultMixin):
    """Every probed interaction (analyses.moderation.Moderation) and the declared
    moderators' hypotheses."""

    models: list = field(default_factory=list)
    hypotheses: pd.DataFrame | None = None


@dataclass(repr=False)
class GroupStage(ResultMixin):
    """Measurement invariance across the groups of ``group`` and each path compared."""

    group: str
    invariance: object
    paths: pd.DataFrame
    n: int | None = None


@dataclass(repr=False)
class PLSStage(ResultMixin):
    """The PLS-SEM estimation (seminr's numbers), its hypotheses and the verdicts on its
    measurement (Fornell-Larcker of the reflective constructs)."""

    fit: object  # loyaltysem.pls.PLSResult
    hypotheses: pd.DataFrame
    verdicts: VerdictSet = field(default_factory=VerdictSet)


class _Chapter:
    """What both results share: the report and the warnings."""

    options: RunOptions
    sample: SampleStage
    warnings: list

    @property
    def survey(self) -> Survey:
        return self.sample.survey

    @property
    def instrument(self) -> Instrument:
        return self.sample.instrument

    @property
    def method(self) -> str:
        return self.options.method

    def chapter(self, lang: str = "en", strict: bool | None = None, number: int | None = None):
        """The results chapter in one language (see :mod:`loyaltysem.report.chapter`)."""
        from loyaltysem.report.write import chapter

        return chapter(self, lang, strict=strict, number=number)

    def tables(self, lang: str = "en", strict: bool = False) -> list:
        """Every thesis table, numbered in the order of a results chapter."""
        return self.chapter(lang, strict).tables

    def write_report(self, folder: str | Path, lang: str = "en", formats=FORMATS, **kw) -> dict:
        """Write the results chapter into ``folder`` (never half-written); ``lang="both"``:
        English in ``folder`` and Chinese in ``folder/zh``. See
        :func:`loyaltysem.report.write.write_report`."""
        from loyaltysem.report.write import write_report

        return write_report(self, folder, lang, formats, **kw)

    def _models(self) -> list:
        return []

    def all_warnings(self) -> list:
        """Every warning of the run once, in the order they arose."""
        seen = []
        item_level = list(getattr(self.items.reliability, "warnings", []) or [])
        models = self._models()
        for w in self.warnings + item_level + [w for m in models for w in m.warnings]:
            if w not in seen:
                seen.append(w)
        return seen


@dataclass(repr=False)
class AnalysisResult(_Chapter, ResultMixin):
    """Covariance-based SEM: every stage's result (``analyze(..., method="cb")``)."""

    options: RunOptions
    sample: SampleStage
    items: ItemStage
    scores: ScoreStage
    measurement: MeasurementStage
    structural: StructuralStage | None  # None: the model has no structural paths yet
    moderation: ModerationStage = field(default_factory=ModerationStage)
    groups: GroupStage | None = None
    warnings: list = field(default_factory=list)

    @property
    def sem(self) -> SEMResult:
        """The structural model's fit (the CFA's when the model has no paths yet)."""
        return self.structural.sem if self.structural is not None else self.measurement.cfa

    @property
    def hypotheses(self) -> pd.DataFrame:
        if self.structural is None:
            return pd.DataFrame(columns=["id", "lhs", "rhs", "supported"])
        return self.structural.hypotheses

    def _models(self) -> list:
        fits = [self.measurement.cfa, self.sem]
        return fits + [m.fit for m in self.moderation.models]

    def __repr__(self) -> str:
        hyp = self.hypotheses
        n_sup = int(hyp["supported"].sum()) if len(hyp) else 0
        fm = self.sem.fit_measures
        opts = self.sem.options
        sfx = opts.fit_suffix if opts.categorical else ""  # MLR: the plain CFI, as before
        return (
            f"<AnalysisResult ({self.sem.estimator}): N = {self.sem.n}, "
            f"{len(self.instrument.constructs)} constructs, CFI{sfx} = {fm['cfi' + sfx]:.3f}, "
            f"RMSEA{sfx} = {fm['rmsea' + sfx]:.3f}, "
            f"{n_sup}/{len(hyp)} hypotheses supported>"
        )

    def _repr_html_(self) -> str:
        return self.sem._repr_html_()


@dataclass(repr=False)
class PLSAnalysisResult(_Chapter, ResultMixin):
    """PLS-SEM: every stage's result (``analyze(..., method="pls")``)."""

    options: RunOptions
    sample: SampleStage
    items: ItemStage
    scores: ScoreStage
    pls: PLSStage
    warnings: list = field(default_factory=list)

    @property
    def hypotheses(self) -> pd.DataFrame:
        return self.pls.hypotheses

    def _models(self) -> list:
        return [self.pls.fit]

    def __repr__(self) -> str:
        res, hyp = self.pls.fit, self.hypotheses
        n_sup = int(hyp["supported"].sum()) if len(hyp) else 0
        r2 = ", ".join(f"R2({k}) = {v:.3f}" for k, v in res.r2.items())
        return (
            f"<AnalysisResult (PLS-SEM): N = {res.n}, {len(res.model.constructs)} constructs, "
            f"{r2}, {n_sup}/{len(hyp)} hypotheses supported>"
        )

    def _repr_html_(self) -> str:
        return self.pls.fit._repr_html_()
