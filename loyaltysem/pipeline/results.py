"""The typed result of every pipeline stage, and the two results ``analyze`` returns: one
for covariance-based SEM (:class:`AnalysisResult`) and one for PLS-SEM
(:class:`PLSAnalysisResult`). Each stage fills its own object once; nothing edits another
stage's result. The report reads these objects and the decisions in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loyaltysem.base.result import ResultMixin, summary_html, summary_text
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
    #: the demographics described by M and SD and left out of the group-difference tests
    #: (psychometrics.descriptives.is_continuous, decided once in pipeline.sample)
    continuous: list[str] = field(default_factory=list)

    @property
    def categorical(self) -> list[str]:
        """The demographics compared across their groups (not continuous)."""
        return [d for d in self.demographics if d not in self.continuous]


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
    #: Pearson r of each construct score with each continuous demographic (age in years),
    #: construct_scores.covariate_correlations; None without a continuous demographic
    continuous: pd.DataFrame | None = None


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
    #: CFA loadings, CR, AVE, Fornell-Larcker, HTMT (judgment.measurement.cfa_verdicts);
    #: with higher-order constructs also loading2:<component>, cr2:<construct>,
    #: ave2:<construct> and second_order:measurement (pipeline.higher_order)
    verdicts: VerdictSet = field(default_factory=VerdictSet)
    #: higher-order constructs: CR, AVE, sqrt.ave, MaxR(H) from the standardized second-order
    #: loadings and omega (semTools compRelSEM(higher =)), one row per construct
    higher_validity: pd.DataFrame | None = None
    #: the first-order model (correlated factors) against the second-order one
    #: (analyses.compare.CompareResult, names "first_order" and "second_order")
    hierarchy: object = None


@dataclass(repr=False)
class StructuralStage(ResultMixin):
    """The structural model, its hypotheses, the bootstrap and the mediation decomposition."""

    sem: SEMResult
    hypotheses: pd.DataFrame
    bootstrap: object = None  # semcore.resample.bootstrap.BootstrapResult
    effects: pd.DataFrame | None = None
    mediation: object = None  # analyses.mediation.MediationTable
    #: judgment's decisions (loyaltysem.judgment): "fit" (judgment.fit.judge_models),
    #: "hypotheses" (id -> Verdict), "mediation" ({"pairs": (x, y) -> Verdict,
    #: "specific": "X -> M -> Y" -> Verdict})
    verdicts: dict = field(default_factory=dict)
    #: the output contract's ``interactions`` block (simple slopes, Johnson-Neyman) of the
    #: model's ``Y ~ X:Z`` rows (analyses.interactions.interaction_summary); sem.json
    interactions: list = field(default_factory=list)


@dataclass(repr=False)
class CompareStage(ResultMixin):
    """The research model against the rival models (``run --compare``): every model fitted
    to the same respondents, lavTestLRT's tests, and which model is kept."""

    result: object  # analyses.compare.CompareResult; names "research", "rival1", ...
    files: dict = field(default_factory=dict)  # name -> model file
    #: "choice": judgment.compare.choose_model's verdict
    verdicts: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.result.models


@dataclass(repr=False)
class ModerationStage(ResultMixin):
    """Every probed interaction (analyses.moderation.Moderation) and the declared
    moderators' hypotheses."""

    models: list = field(default_factory=list)
    hypotheses: pd.DataFrame | None = None
    verdicts: dict = field(default_factory=dict)  # "hypotheses": id -> Verdict


@dataclass(repr=False)
class GroupStage(ResultMixin):
    """Measurement invariance across the groups of ``group`` and each path compared."""

    group: str
    invariance: object
    paths: pd.DataFrame
    n: int | None = None
    #: "invariance": step -> Verdict (judgment.invariance), "paths": (lhs, rhs) -> Verdict
    #: (judgment.groups, Holm-corrected), "correction": the correction's code
    verdicts: dict = field(default_factory=dict)


@dataclass(repr=False)
class PLSStage(ResultMixin):
    """The PLS-SEM estimation (seminr's numbers), its hypotheses and the verdicts on its
    measurement (Fornell-Larcker of the reflective constructs)."""

    fit: object  # loyaltysem.pls.PLSResult
    hypotheses: pd.DataFrame
    #: "hypotheses": id -> Verdict (moderation hypotheses "not_tested"), "mediation" as
    #: StructuralStage's
    verdicts: dict = field(default_factory=dict)


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

    @property
    def measurement_only(self) -> bool:
        """The model has no structural paths yet (``loyaltysem init``'s file): the chapter
        speaks of the measurement model and the CFA, not of an SEM."""
        return getattr(self, "structural", True) is None

    def chapter(self, lang: str = "en", strict: bool | None = None, number: int | None = None):
        """The results chapter in one language (see :mod:`loyaltysem.report.chapter`)."""
        from loyaltysem.report.write import chapter

        return chapter(self, lang, strict=strict, number=number)

    def thesis_tables(self, lang: str = "en", strict: bool = False) -> list:
        """Every thesis table (formatted, with caption and note), numbered in the order of a
        results chapter: ``chapter(lang).tables``. The numbers as DataFrames: ``tables()``."""
        return self.chapter(lang, strict).tables

    def to_frame(self) -> pd.DataFrame:
        """The main table: the hypotheses (path, estimate, SE, p, beta, supported)."""
        return self.hypotheses

    def summary(self) -> str:
        """The headline (estimator, N, fit, hypotheses supported) and the key tables."""
        return summary_text(repr(self).strip("<>"), self._key_tables(), self.all_warnings())

    def _repr_html_(self) -> str:
        return summary_html(repr(self).strip("<>"), self._key_tables(), self.all_warnings())

    def _key_tables(self) -> dict[str, pd.DataFrame]:
        tables = self.tables()
        return {k: tables[k] for k in self._key if k in tables}

    def write_report(self, folder: str | Path, lang: str = "both", formats=FORMATS, **kw) -> dict:
        """Write the results chapter into ``folder`` (never half-written); ``lang="both"``
        (default, as ``loyaltysem run``): English in ``folder`` and Chinese in ``folder/zh``. See
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
    process: object = None  # pipeline.process.ProcessStage ([[process]] models)
    warnings: list = field(default_factory=list)
    compare: CompareStage | None = None  # run --compare: the rival models

    @property
    def sem(self) -> SEMResult:
        """The structural model's fit (the CFA's when the model has no paths yet)."""
        return self.structural.sem if self.structural is not None else self.measurement.cfa

    @property
    def hypotheses(self) -> pd.DataFrame:
        if self.structural is None:
            return pd.DataFrame(columns=["id", "lhs", "rhs", "supported"])
        return self.structural.hypotheses

    _key = ("fit", "hypotheses", "reliability", "mediation")

    def _models(self) -> list:
        fits = [self.measurement.cfa, self.sem]
        return fits + [m.fit for m in self.moderation.models]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's numbers as DataFrames: ``fit`` (CFA and structural model, lavaan's
        names), ``hypotheses``, ``estimates`` (the structural model's), ``reliability`` (per
        construct), ``validity`` (CR, AVE), ``htmt``, ``fornell_larcker``, ``mediation`` and
        ``effects`` (with a bootstrap), ``moderation`` (simple slopes of every probed
        interaction), ``invariance`` (with ``group``), ``second_order`` (CR, AVE, omega of
        each higher-order construct), ``rival_models`` (with ``compare``)."""
        keys = ["chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"]
        sfx = self.sem.options.fit_suffix if self.sem.options.categorical else ""
        fit = pd.DataFrame(
            [{"model": name, "n": m.n, **{k: m.fit_measures.get(k + sfx if k not in ("srmr",)
                                                                 else k) for k in keys}}
             for name, m in (("CFA", self.measurement.cfa), ("SEM", self.sem))]
        )  # fmt: skip
        out = {
            "fit": fit,
            "hypotheses": self.hypotheses,
            "estimates": self.sem.estimates,
            "reliability": getattr(self.items.reliability, "constructs", None),
            "validity": self.measurement.validity,
            "htmt": self.measurement.htmt,
            "fornell_larcker": self.measurement.fornell_larcker,
            "mediation": getattr(self.structural.mediation, "pairs", None),
            "effects": self.structural.effects,
        }
        if self.moderation.models:
            out["moderation"] = pd.concat(
                [m.slopes.assign(term=f"{m.y} ~ {m.term}") for m in self.moderation.models],
                ignore_index=True,
            )
        if self.groups is not None:
            out["invariance"] = getattr(self.groups.invariance, "comparisons", None)
        out["second_order"] = self.measurement.higher_validity
        if self.compare is not None:
            out["rival_models"] = self.compare.result.models
        return {k: v for k, v in out.items() if isinstance(v, pd.DataFrame) and not v.empty}

    def plot(self, lang: str = "en"):
        """The estimated path diagram (the constructs named as in the model file). Returns a
        matplotlib Figure."""
        return self.sem.plot(labels=lambda c: self.instrument.label(c, lang))

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
    process: object = None  # pipeline.process.ProcessStage ([[process]] models)
    warnings: list = field(default_factory=list)

    @property
    def hypotheses(self) -> pd.DataFrame:
        return self.pls.hypotheses

    _key = ("paths", "hypotheses", "reliability")

    def _models(self) -> list:
        return [self.pls.fit]

    def tables(self) -> dict[str, pd.DataFrame]:
        """``hypotheses``, ``paths``, ``reliability`` (alpha, rhoC, rhoA, AVE), ``htmt``,
        ``r2`` and ``estimates`` (every PLS statistic with its bootstrap columns)."""
        fit = self.pls.fit
        est = fit.estimates
        out = {
            "hypotheses": self.hypotheses,
            "paths": est[est["kind"] == "path"].reset_index(drop=True),
            "reliability": fit.reliability,
            "htmt": fit.htmt,
            "r2": pd.DataFrame({"r2": fit.r2, "r2.adj": fit.r2_adj}),
            "estimates": est,
        }
        return {k: v for k, v in out.items() if isinstance(v, pd.DataFrame) and not v.empty}

    def plot(self, lang: str = "en"):
        """The PLS path diagram. Returns a matplotlib Figure."""
        return self.pls.fit.plot(labels=lambda c: self.instrument.label(c, lang))

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
