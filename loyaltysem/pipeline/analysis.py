"""The whole chain in one call: survey -> screening -> reliability / EFA -> CFA and SEM ->
fit, paths, effects -> report.

``analyze(survey, model)`` returns an :class:`AnalysisResult` holding every intermediate
result as DataFrames; ``result.write_report(folder)`` writes the results chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.analyses.hypotheses import hypothesis_table
from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.descriptives import describe, mardia, sample_profile
from loyaltysem.psychometrics.efa import (
    bartlett,
    efa,
    harman_single_factor,
    kmo,
    loading_table,
    parallel_analysis,
    variance_explained_table,
)
from loyaltysem.psychometrics.reliability import (
    convergent_validity,
    fornell_larcker,
    htmt,
    reliability_table,
)
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.results import SEMResult
from loyaltysem.survey.data import Survey
from loyaltysem.survey.instrument import Instrument, read_instrument
from loyaltysem.survey.loaders import load

FORMATS = ("csv", "md", "html", "xlsx", "docx", "tex")


@dataclass
class AnalysisResult:
    survey: Survey
    instrument: Instrument
    descriptives: pd.DataFrame
    mardia: dict
    profile: pd.DataFrame
    harman: dict
    reliability: object
    kmo: dict
    bartlett: dict
    parallel: object
    efa: object
    variance: pd.DataFrame
    loadings: pd.DataFrame
    cfa: SEMResult | None  # None under method="pls"
    sem: SEMResult | None
    validity: pd.DataFrame | None
    fornell_larcker: pd.DataFrame | None
    htmt: pd.DataFrame | None
    hypotheses: pd.DataFrame
    screening: object = None
    effects: pd.DataFrame | None = None
    bootstrap: object = None
    ci: str = "percentile"
    warnings: list[str] = field(default_factory=list)

    # report options (set by analyze / write_report; the chapter number of 表4-1)
    chapter_number: int = 4
    strict: bool = False
    group: str | None = None
    invariance: object = None
    group_paths: pd.DataFrame | None = None
    group_n: int | None = None
    correlations: object = None  # construct_scores.CorrelationTable
    group_differences: object = None  # group_differences.GroupDifferences
    mediation: object = None  # mediation decomposition (when computed)
    method_bias: object = None  # CFA-based common method bias tests (when computed)
    valid_sample: object = None  # valid-questionnaire table (when computed)
    method: str = "cb"  # "cb" (covariance-based SEM) or "pls" (PLS-SEM)
    pls: object = None  # loyaltysem.pls.PLSResult under method="pls"
    moderation: list = field(default_factory=list)  # Moderation per probed X:Z term
    moderation_hypotheses: pd.DataFrame | None = None  # hypotheses of [[moderators]]
    ordered: list[str] = field(default_factory=list)  # items estimated as ordered categories
    ordinal: dict = field(default_factory=dict)  # why WLSMV: categories, skewness (ordered)
    ordinal_alpha: object = None  # semcore.ordinal_reliability.OrdinalAlphaResult (ordered)

    def chapter(self, lang: str = "en", strict: bool | None = None, number: int | None = None):
        """The results chapter in one language (see :mod:`loyaltysem.report.chapter`)."""
        from loyaltysem.report.chapter import assemble
        from loyaltysem.report.registry import builders

        return assemble(
            self,
            builders(self.method),
            lang,
            self.chapter_number if number is None else number,
            self.strict if strict is None else strict,
        )

    def tables(self, lang: str = "en", strict: bool = False) -> list:
        """Every thesis table, numbered in the order of a results chapter."""
        return self.chapter(lang, strict).tables

    def group_label(self, lang: str) -> str:
        return self.instrument.label(self.group, lang) if self.group else ""

    def write_report_languages(
        self,
        folder: str | Path,
        langs: tuple[str, ...] = ("en", "zh"),
        formats: tuple[str, ...] = FORMATS,
        inputs: tuple = (),
    ) -> dict:
        """The report in several languages: the first in ``folder``, each other one in
        ``folder/<lang>``; the folder is written whole or not at all (output-folder rule)."""
        from loyaltysem.base.fileio import atomic_directory

        written = {}
        with atomic_directory(folder, inputs=inputs) as tmp:
            for k, lang in enumerate(langs):
                target = tmp if k == 0 else tmp / lang
                files = self._write(target, lang, formats)
                written.update({(f"{lang}/" if k else "") + n: p for n, p in files.items()})
        return {n: Path(folder) / n for n in written}

    def write_report(
        self,
        folder: str | Path,
        lang: str = "en",
        formats: tuple[str, ...] = FORMATS,
        *,
        chapter: int | None = None,
        strict: bool | None = None,
        inputs: tuple = (),
    ) -> dict:
        """Write the results chapter into ``folder`` (never half-written).
        ``lang="both"``: English in ``folder`` and Chinese in ``folder/zh``; ``chapter`` is
        the number of the chapter (表4-1 for 4)."""
        if chapter is not None:
            self.chapter_number = int(chapter)
        if strict is not None:
            self.strict = bool(strict)
        langs = ("en", "zh") if lang == "both" else (lang,)
        return self.write_report_languages(folder, langs, formats, inputs)

    def _write(self, tmp: Path, lang: str, formats: tuple[str, ...]) -> dict[str, Path]:
        from loyaltysem.base.fileio import write_json
        from loyaltysem.report.writers import files as writers

        tmp.mkdir(parents=True, exist_ok=True)
        chap = self.chapter(lang)
        for fig in chap.figures:
            for w in fig.draw(tmp / fig.filename) or []:
                if w not in self.warnings:
                    self.warnings.append(w)
        writers.write_all(chap, tmp, formats)
        if self.pls is not None:
            write_json(self.pls.to_dict() | {"warnings": self.all_warnings()}, tmp / "pls.json")
        else:
            write_json(self.sem.to_dict() | {"warnings": self.all_warnings()}, tmp / "sem.json")
        return {p.name: p for p in tmp.iterdir() if p.is_file()}

    def all_warnings(self) -> list[str]:
        seen = []
        item_level = list(getattr(self.reliability, "warnings", []) or [])
        models = [m for m in (self.cfa, self.sem, self.pls) if m is not None]
        models += [m.fit for m in self.moderation]
        for w in self.warnings + item_level + [w for m in models for w in m.warnings]:
            if w not in seen:
                seen.append(w)
        return seen

    def __repr__(self) -> str:
        n_sup = int(self.hypotheses["supported"].sum()) if len(self.hypotheses) else 0
        if self.pls is not None:
            r2 = ", ".join(f"R2({k}) = {v:.3f}" for k, v in self.pls.r2.items())
            return (
                f"<AnalysisResult (PLS-SEM): N = {self.pls.n}, "
                f"{len(self.pls.model.constructs)} constructs, {r2}, "
                f"{n_sup}/{len(self.hypotheses)} hypotheses supported>"
            )
        fm = self.sem.fit_measures
        sfx = ".scaled" if self.sem.estimator in ("WLSMV", "ULSMV") else ""
        return (
            f"<AnalysisResult ({self.sem.estimator}): N = {self.sem.n}, "
            f"{len(self.instrument.constructs)} constructs, CFI{sfx} = {fm['cfi' + sfx]:.3f}, "
            f"RMSEA{sfx} = {fm['rmsea' + sfx]:.3f}, "
            f"{n_sup}/{len(self.hypotheses)} hypotheses supported>"
        )

    def _repr_html_(self) -> str:
        return (self.pls if self.pls is not None else self.sem)._repr_html_()


def _prepare(data, model) -> tuple[Survey, Instrument]:
    if isinstance(data, (str, Path)):
        data = load(data, model)
    if not isinstance(data, Survey):
        data = Survey(pd.DataFrame(data))
    inst = (
        model
        if isinstance(model, Instrument)
        else (read_instrument(model) if model is not None else data.instrument)
    )
    if inst is None:
        raise InputError("a model (instrument + structural paths) is needed")
    if not inst.structural.strip():
        raise InputError("the model has no structural part (no '~' paths)", file=inst.source)
    return data, inst


def _hypotheses(inst: Instrument, estimates: pd.DataFrame) -> list:
    """The model file's hypotheses; a plain lavaan model gets one (two-sided) hypothesis per
    structural path, H1, H2, ... in the order of the syntax."""
    if inst.hypotheses:
        return inst.hypotheses
    from loyaltysem.survey.instrument import Hypothesis

    paths = estimates[(estimates["op"] == "~") & (estimates["group"].isin([0, 1]))]
    return [
        Hypothesis(f"H{k}", r["lhs"], r["rhs"], "two-sided")
        for k, (_, r) in enumerate(paths.iterrows(), start=1)
    ]


def _factor_correlations(cfa: SEMResult) -> pd.DataFrame:
    lv = cfa.model.mv.lv
    est = cfa.estimates
    cor = est[(est["op"] == "~~") & est["lhs"].isin(lv) & est["rhs"].isin(lv)]
    fc = pd.DataFrame(1.0, index=lv, columns=lv)
    for _, r in cor.iterrows():
        fc.loc[r["lhs"], r["rhs"]] = fc.loc[r["rhs"], r["lhs"]] = r["std.all"]
    return fc


def _exploratory(X: pd.DataFrame, n_factors: int, method: str, seed):
    pa = parallel_analysis(X, n_iter=20, seed=seed if seed is not None else 0)  # psych default
    if method == "pca":
        from loyaltysem.psychometrics.components import principal_components

        fa = principal_components(X, n_factors, "varimax")
    else:
        fa = efa(X, n_factors, method, "varimax")
    return pa, fa


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
) -> AnalysisResult:
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
    "ULSMV", "WLS", "DWLS", "ULS".

    Example:
        >>> res = analyze("data/online_loyalty.sav", "models/online_loyalty.toml")  # doctest: +SKIP
        >>> res.write_report("report/")  # doctest: +SKIP
    """
    if method not in ("cb", "pls"):
        raise InputError(f"method must be 'cb' or 'pls', not '{method}'")
    if method == "pls":
        if missing != "listwise":
            raise InputError(
                "PLS-SEM replaces missing answers by the item mean (as SmartPLS and seminr); "
                "FIML is for covariance-based SEM"
            )
        if group:
            raise InputError("the multi-group comparison is available for covariance-based SEM")
        return _analyze_pls(data, model, bootstrap=bootstrap, seed=seed, n_jobs=n_jobs,
                            progress=progress, efa_method=efa_method, chapter=chapter,
                            strict=strict, drop_careless=drop_careless)  # fmt: skip
    data, inst = _prepare(data, model)
    items = ordered_choice(inst, ordered)
    estimator = _estimator_for(estimator, items)
    base = _common_part(data, inst, efa_method, seed, drop_careless, ordered=bool(items))
    data = base["survey"]
    opts = dict(estimator=estimator, missing=missing, ordered=items or False)
    cfa = sem(inst.measurement_syntax(), data, **opts)
    full = sem(inst.model_syntax(), data, **opts)
    X = data.data[[i for i in inst.item_codes if i in data.data.columns]]
    cov = None if items else X.dropna().cov(ddof=0)
    validity = convergent_validity(cfa.estimates, inst.construct_items, cov)
    result = AnalysisResult(
        **base,
        cfa=cfa,
        sem=full,
        validity=validity,
        fornell_larcker=fornell_larcker(_factor_correlations(cfa), validity["ave"]),
        htmt=htmt(data.data, inst.construct_items, cor=_polychoric(cfa) if items else None),
        hypotheses=hypothesis_table(full.estimates, _hypotheses(inst, full.estimates)),
        ci=ci,
        chapter_number=int(chapter),
        strict=bool(strict),
        ordered=items,
    )
    if items:
        _add_ordinal(result)
    _add_scores(result, _demographics(inst, data), validity["ave"])
    _add_method_bias(result, estimator, missing)
    if group:
        _add_groups(result, group, estimator, missing)
    if bootstrap:
        _add_bootstrap(result, bootstrap, seed, n_jobs, progress, ci)
    _add_mediation(result, ci)
    if moderation:
        from loyaltysem.analyses.moderation import add_moderation

        mod_estimator = "ML" if items else estimator  # product indicators are not ordered
        add_moderation(result, estimator=mod_estimator, missing=missing, n_boot=bootstrap,
                       seed=seed, n_jobs=n_jobs, progress=progress, ci=ci)  # fmt: skip
    return result


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


def _estimator_for(estimator: str | None, items: list[str]) -> str:
    if estimator is None:
        return "WLSMV" if items else "ML"
    if items and estimator.upper() in ("ML", "MLR"):
        raise InputError(
            f"estimator {estimator.upper()} treats the items as continuous; ordered items are "
            "estimated with WLSMV (default), ULSMV, WLS, DWLS or ULS"
        )
    return estimator


def _polychoric(fit: SEMResult) -> pd.DataFrame:
    """The polychoric (and polyserial) correlations a fit with ordered items was fitted to."""
    ov = list(fit.model.mv.ov)
    return pd.DataFrame(fit.data[0].cov, index=ov, columns=ov)


def _add_ordinal(result: AnalysisResult) -> None:
    """Ordinal alpha per construct, the CFA's categorical omega (semTools compRelSEM) and AVE
    into the validity table, and why the ordered items were estimated with WLSMV: their
    number of categories and skewness (Rhemtulla, Brosseau-Liard & Savalei 2012: categorical
    estimation beats ML with five or fewer categories or asymmetric thresholds)."""
    from loyaltysem.psychometrics.ordinal_reliability import ordinal_alpha, ordinal_cfa_reliability

    inst = result.instrument
    blocks = {c: its for c, its in inst.construct_items.items() if set(its) <= set(result.ordered)}
    if blocks:
        result.ordinal_alpha = ordinal_alpha(result.survey.data, blocks)
    cat = ordinal_cfa_reliability(result.cfa).set_index("construct")
    result.validity["omega"] = cat["omega"].reindex(result.validity.index)
    result.validity["ave.semtools"] = cat["ave"].reindex(result.validity.index)
    X = result.survey.data[result.ordered]
    cats = X.nunique()
    skew = result.descriptives.loc[result.ordered, "skew"]  # as the descriptives table
    result.ordinal = {
        "items": list(result.ordered),
        "categories.min": int(cats.min()),
        "categories.max": int(cats.max()),
        "skew.max": float(skew.abs().max()),
        "estimator": result.sem.estimator,
    }


def _demographics(inst: Instrument, data: Survey) -> list[str]:
    return [d.code for d in inst.demographics if d.code in data.data.columns]


def _common_part(
    data: Survey,
    inst: Instrument,
    efa_method: str,
    seed,
    drop_careless,
    reflective=None,
    ordered: bool = False,
) -> dict:
    """What the CB-SEM and the PLS-SEM chapters share: screening and the valid sample, the
    sample profile, item descriptives, Harman's test, reliability, KMO/Bartlett and EFA.
    ``reflective`` (construct -> items): the constructs reliability and EFA apply to (PLS:
    the multi-item mode A constructs; formative items need not correlate)."""
    from loyaltysem.psychometrics.screening import screen
    from loyaltysem.psychometrics.valid_sample import valid_sample

    items = [i for i in inst.item_codes if i in data.data.columns]
    screened = screen(data, policy="none", ordered=ordered)  # flags only; valid sample drops
    valid = valid_sample(screened, instrument=inst, drop_careless=drop_careless)
    data = valid.survey  # every later table is on the valid sample
    X = data.data[items]
    demo = _demographics(inst, data)
    blocks = inst.construct_items if reflective is None else reflective
    Xr = X[[i for its in blocks.values() for i in its if i in X.columns]]
    pa, fa = _exploratory(Xr, len(blocks), efa_method, seed)
    return dict(
        survey=data,
        instrument=inst,
        descriptives=describe(X),
        mardia=mardia(X),
        profile=sample_profile(data.data, demo, inst) if demo else pd.DataFrame(),
        harman=harman_single_factor(X),
        reliability=reliability_table(Xr, blocks),
        kmo=kmo(Xr),
        bartlett=bartlett(Xr),
        parallel=pa,
        efa=fa,
        variance=variance_explained_table(Xr, fa),
        loadings=loading_table(fa),
        screening=screened,
        valid_sample=valid,
    )


def _analyze_pls(data, model, *, bootstrap, seed, n_jobs, progress, efa_method, chapter,
                 strict, drop_careless) -> AnalysisResult:  # fmt: skip
    """The PLS-SEM chapter's analysis: the shared part, then ``loyaltysem.pls.pls`` on the
    valid sample (path weighting, mean replacement, ``bootstrap`` draws with percentile
    intervals, Q² by blindfolding) and PLSpredict (10 folds, as SmartPLS)."""
    from loyaltysem.pls import pls
    from loyaltysem.pls.model import as_model

    if model is None and isinstance(data, Survey) and data.instrument is not None:
        model = data.instrument
    if model is None:
        raise InputError("a model (constructs + structural paths) is needed")
    pmodel = as_model(model)
    if not pmodel.paths:
        raise InputError("the model has no structural part (no '~' paths)", file=pmodel.source)
    inst = pmodel.to_instrument()
    if isinstance(data, (str, Path)):
        data = load(data, inst)
    if not isinstance(data, Survey):
        data = Survey(pd.DataFrame(data))
    reflective = {c: its for c, its in pmodel.constructs.items()
                  if pmodel.modes[c] == "A" and len(its) > 1}  # fmt: skip
    base = _common_part(data, inst, efa_method, seed, drop_careless, reflective or None)
    res = pls(base["survey"], pmodel, bootstrap=bootstrap, seed=seed, n_jobs=n_jobs,
              progress=progress)  # fmt: skip
    if res.n >= 20:
        res.run_predict(folds=10, seed=seed if seed is not None else 0)
    result = AnalysisResult(
        **base,
        cfa=None,
        sem=None,
        validity=None,
        fornell_larcker=None,
        htmt=None,
        hypotheses=pls_hypothesis_table(res, _pls_hypotheses(inst, pmodel)),
        ci="percentile",
        chapter_number=int(chapter),
        strict=bool(strict),
        method="pls",
        pls=res,
    )
    ave = res.reliability["AVE"].where(res.reliability.index.isin(list(reflective)))
    _add_scores(result, _demographics(inst, result.survey), ave)
    return result


def _pls_hypotheses(inst: Instrument, pmodel) -> list:
    """The model file's hypotheses, else one (two-sided) per path, H1, H2, ... in the order
    of the model's paths."""
    from loyaltysem.survey.instrument import Hypothesis

    if inst.hypotheses:
        return list(inst.hypotheses)
    return [Hypothesis(f"H{k}", t, s, "two-sided")
            for k, (s, t) in enumerate(pmodel.paths, start=1)]  # fmt: skip


def pls_hypothesis_table(res, hypotheses: list, alpha: float = 0.05) -> pd.DataFrame:
    """One row per hypothesis on a PLS path: the path coefficient, its bootstrap SD, t, p
    (t with N - 1 df, as seminr), percentile 95% CI and f²; supported when p < ``alpha`` and
    the sign is as expected (Hair et al. 2022, ch. 6). Without a bootstrap there is no test
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
        sig = bool(p < alpha)
        supported = sig and (b > 0 if h.sign == "+" else b < 0 if h.sign == "-" else True)
        rows.append({
            "id": h.id, "path": f"{h.rhs} -> {h.lhs}", "lhs": h.lhs, "rhs": h.rhs,
            "sign": h.sign, "est": b, "se": float(r.get("se", np.nan)),
            "t": float(r.get("t", np.nan)), "pvalue": p,
            "ci.lower": float(r.get("ci.lower", np.nan)),
            "ci.upper": float(r.get("ci.upper", np.nan)),
            "f2": float(res.f2.get((h.lhs, h.rhs), np.nan)), "std.all": b,
            "supported": supported,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _add_mediation(result: AnalysisResult, ci: str) -> None:
    """The mediation decomposition with the bootstrap's intervals (delta method without)."""
    from loyaltysem.analyses.mediation import mediation_table

    try:
        result.mediation = mediation_table(result.sem, result.bootstrap, ci=ci)
    except (ValueError, NotImplementedError) as exc:
        result.warnings.append(f"mediation table not computed: {exc}")


def _add_scores(result: AnalysisResult, demo: list[str], ave: pd.Series) -> None:
    """Construct means, SDs and correlations (sqrt(AVE) of the CFA or the PLS model on the
    diagonal); demographic difference tests."""
    from loyaltysem.psychometrics.construct_scores import construct_correlations, construct_scores

    inst, data = result.instrument, result.survey.data
    scores = construct_scores(data, inst.construct_items)
    result.correlations = construct_correlations(scores, ave)
    if demo:
        from loyaltysem.psychometrics.group_differences import group_differences

        result.group_differences = group_differences(data, inst)


def _add_method_bias(result: AnalysisResult, estimator: str, missing: str) -> None:
    """Single-factor CFA and ULMC against the measurement model (CFA-based method bias).
    Under FIML the three models are fitted to the complete answers (three FIML fits of up
    to 183 parameters would take about a minute); the table's note states that N."""
    from loyaltysem.analyses.method_bias import common_method_cfa

    listwise = missing != "listwise"
    try:
        result.method_bias = common_method_cfa(
            result.survey, result.instrument.construct_items,
            measurement=None if listwise else result.cfa, estimator=estimator,
            missing="listwise", ordered=result.ordered or None,
        )  # fmt: skip
    except InputError as exc:
        result.warnings.append(f"common method bias (CFA) not tested: {exc}")


def _add_groups(result: AnalysisResult, group: str, estimator: str, missing: str) -> None:
    """Measurement invariance across the groups of ``group`` and each path compared."""
    from loyaltysem.analyses.invariance import compare_paths, measurement_invariance

    if group not in result.survey.data.columns:
        raise InputError("the grouping column is not in the data", column=group)
    inst = result.instrument
    result.group = group
    ordered = result.ordered or None
    result.invariance = measurement_invariance(
        inst.measurement_syntax(), result.survey, group, estimator=estimator, missing=missing,
        ordered=ordered,
    )  # fmt: skip
    paths = compare_paths(
        inst.model_syntax(), result.survey, group, estimator=estimator, ordered=ordered
    )
    free = sem(
        inst.model_syntax(), result.survey, group=group, estimator=estimator, ordered=ordered
    )
    result.group_paths = critical_ratio_of_differences(paths, free)
    result.group_n = next(iter(result.invariance.steps.values())).n


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


def _add_bootstrap(result, n_boot, seed, n_jobs, progress, ci) -> None:
    from loyaltysem.semcore.resample.bootstrap import bootstrap as run_bootstrap

    try:
        boot = run_bootstrap(
            result.sem, n_boot, seed=seed, n_jobs=n_jobs, progress=progress, bca=(ci == "bca")
        )
    except (ValueError, NotImplementedError) as exc:  # e.g. FIML: no complete raw data
        result.warnings.append(f"bootstrap not run ({exc}); delta-method intervals used")
        return
    result.bootstrap = boot
    tab = boot.table
    prefix = {"percentile": "perc", "bc": "bc", "bca": "bca"}[ci]
    eff = tab[(tab["op"] == "effect") & (tab["kind"] == "indirect")]
    est = eff[eff["scale"] == "est"].reset_index(drop=True)
    std = eff[eff["scale"] == "std.all"].reset_index(drop=True)
    result.effects = pd.DataFrame(
        {
            "effect": est["name"],
            "est": est["est"],
            "boot.se": est["boot.se"],
            "ci.lower": est[f"{prefix}.lower"],
            "ci.upper": est[f"{prefix}.upper"],
            "std.all": std["est"],
        }
    )
    result.warnings += boot.warnings
