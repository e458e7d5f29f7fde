"""The whole chain in one call: survey -> screening -> reliability / EFA -> CFA and SEM ->
fit, paths, effects -> report.

``analyze(survey, model)`` returns an :class:`AnalysisResult` holding every intermediate
result as DataFrames; ``result.write_report(folder)`` writes the results chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .descriptives import describe, mardia, sample_profile
from .efa import (
    bartlett,
    efa,
    harman_single_factor,
    kmo,
    loading_table,
    parallel_analysis,
    variance_explained_table,
)
from .errors import InputError
from .estimation import sem
from .hypotheses import hypothesis_table
from .instrument import Instrument, read_instrument
from .loaders import load
from .reliability import convergent_validity, fornell_larcker, htmt, reliability_table
from .results import SEMResult
from .survey import Survey


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
    cfa: SEMResult
    sem: SEMResult
    validity: pd.DataFrame
    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    hypotheses: pd.DataFrame
    screening: object = None
    effects: pd.DataFrame | None = None
    bootstrap: object = None
    ci: str = "percentile"
    warnings: list[str] = field(default_factory=list)

    def tables(self, lang: str = "en", strict: bool = False) -> list:
        """Every thesis table, numbered in the order of a results chapter."""
        from .report import tables as T

        inst = self.instrument
        demo = [d.code for d in inst.demographics if d.code in self.survey.data.columns]
        out = []
        if demo:
            out.append(T.sample_profile(self.profile, lang))
        if self.screening is not None:
            out.append(
                T.screening(
                    self.screening.flags, self.screening.n_input, self.sem.n, lang, self.sem.missing
                )
            )
        out += [
            T.descriptives(self.descriptives, self.mardia, lang),
            T.harman(self.harman, lang),
            T.reliability(self.reliability, inst, lang),
            T.kmo_bartlett(self.kmo, self.bartlett, lang),
            T.variance_explained(self.variance, self.efa.loadings.shape[1], lang),
            T.loadings(self.loadings, self.efa.method, self.efa.rotation or "none", 0.40, lang),
            T.convergent(self.cfa.estimates, self.validity, inst.construct_items, inst, lang),
            T.fornell_larcker(self.fornell_larcker, inst, lang),
            T.htmt_table(self.htmt, inst, lang),
        ]
        from .report.i18n import t

        fits = {
            t("measurement_model", lang): self.cfa.fit_measures,
            t("structural_model", lang): self.sem.fit_measures,
        }
        out.append(T.model_fit(fits, lang, strict))
        if len(self.hypotheses):
            out.append(T.paths(self.hypotheses, inst, lang))
        if self.effects is not None and len(self.effects):
            out.append(T.mediation(self.effects, inst, lang, self.bootstrap.n_boot, self.ci))
        endo = [
            v
            for v in self.sem.model.mv.lv
            if v in set(self.sem.estimates.query("op == '~'")["lhs"])
        ]
        out.append(T.r_squared(self.sem.r2[endo], inst, lang))
        for k, tb in enumerate(out, start=1):
            tb.number = k
        return out

    def write_report_languages(
        self,
        folder: str | Path,
        langs: tuple[str, ...] = ("en", "zh"),
        formats: tuple[str, ...] = ("csv", "md", "html", "xlsx", "docx"),
    ) -> dict:
        """The report in several languages: the first in ``folder``, each other one in
        ``folder/<lang>``; the whole folder is replaced at once."""
        from .fileio import atomic_directory

        written = {}
        with atomic_directory(folder) as tmp:
            for k, lang in enumerate(langs):
                target = tmp if k == 0 else tmp / lang
                files = self._write(target, lang, formats)
                written.update({(f"{lang}/" if k else "") + n: p for n, p in files.items()})
        return {n: Path(folder) / n for n in written}

    def write_report(
        self,
        folder: str | Path,
        lang: str = "en",
        formats: tuple[str, ...] = ("csv", "md", "html", "xlsx", "docx"),
    ) -> dict:
        """Write the results chapter into ``folder`` (replaced whole, never half-written).
        ``lang="both"``: English in ``folder`` and Chinese in ``folder/zh``."""
        langs = ("en", "zh") if lang == "both" else (lang,)
        return self.write_report_languages(folder, langs, formats)

    def _write(self, tmp: Path, lang: str, formats: tuple[str, ...]) -> dict[str, Path]:
        from .fileio import write_json
        from .report import figures, writers
        from .report.i18n import t

        tmp.mkdir(parents=True, exist_ok=True)
        tables = self.tables(lang)
        title = t("report_title", lang)
        figs = {}
        names = {
            "en": "Structural model with standardized coefficients",
            "zh": "结构模型标准化路径系数",
        }
        pd_path = tmp / "path_diagram.png"

        def labels(code):
            return self.instrument.label(code, lang)

        for w in figures.path_diagram(
            self.sem.estimates, self.sem.r2, pd_path, labels=labels, lang=lang
        ):
            if w not in self.warnings:
                self.warnings.append(w)
        for ext in ("svg", "pdf"):
            figures.path_diagram(
                self.sem.estimates,
                self.sem.r2,
                tmp / f"path_diagram.{ext}",
                labels=labels,
                lang=lang,
            )
        figs[names[lang]] = pd_path
        scree = tmp / "scree_plot.png"
        figures.scree_plot(
            self.parallel.observed_components, self.parallel.simulated_components, scree, lang
        )
        figs[{"en": "Scree plot with parallel analysis", "zh": "碎石图与平行分析"}[lang]] = scree
        heat = tmp / "construct_correlations.png"
        cor = self.fornell_larcker.copy()
        for c in cor.index:
            cor.loc[c, c] = 1.0  # the table's diagonal holds sqrt(AVE); the figure shows r
        figures.correlation_heatmap(cor, heat, labels=labels, lang=lang)
        figs[
            {"en": "Correlations of the constructs (CFA)", "zh": "构念间相关系数（CFA）"}[lang]
        ] = heat
        if "csv" in formats:
            writers.write_csv(tables, tmp)
        if "md" in formats:
            writers.write_markdown(tables, figs, tmp / "report.md", lang, title)
        if "html" in formats:
            writers.write_html(tables, figs, tmp / "report.html", lang, title)
        if "xlsx" in formats:
            writers.write_xlsx(tables, tmp / "tables.xlsx", lang)
        if "docx" in formats:
            writers.write_docx(tables, figs, tmp / "report.docx", lang, title)
        write_json(self.sem.to_dict() | {"warnings": self.all_warnings()}, tmp / "sem.json")
        return {p.name: p for p in tmp.iterdir() if p.is_file()}

    def all_warnings(self) -> list[str]:
        seen = []
        for w in self.warnings + self.cfa.warnings + self.sem.warnings:
            if w not in seen:
                seen.append(w)
        return seen

    def __repr__(self) -> str:
        n_sup = int(self.hypotheses["supported"].sum()) if len(self.hypotheses) else 0
        fm = self.sem.fit_measures
        return (
            f"<AnalysisResult: N = {self.sem.n}, {len(self.instrument.constructs)} constructs, "
            f"CFI = {fm['cfi']:.3f}, RMSEA = {fm['rmsea']:.3f}, "
            f"{n_sup}/{len(self.hypotheses)} hypotheses supported>"
        )

    def _repr_html_(self) -> str:
        return self.sem._repr_html_()


def analyze(
    data,
    model: str | Path | Instrument | None = None,
    *,
    estimator: str = "ML",
    missing: str = "listwise",
    bootstrap: int = 0,
    seed: int | None = None,
    ci: str = "percentile",
    n_jobs: int | None = None,
    progress: bool = False,
) -> AnalysisResult:
    """Run the whole analysis on a survey (or a data file) with its model.

    Example:
        >>> res = analyze("data/online_loyalty.sav", "models/online_loyalty.toml")  # doctest: +SKIP
        >>> res.write_report("report/")  # doctest: +SKIP
    """
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
    items = [i for i in inst.item_codes if i in data.data.columns]
    from .screening import screen

    screened = screen(data, policy="none")  # flags only; nothing is dropped here
    X = data.data[items]
    demo = [d.code for d in inst.demographics if d.code in data.data.columns]
    rel = reliability_table(X, inst.construct_items)
    k, b = kmo(X), bartlett(X)
    pa = parallel_analysis(X, n_iter=20, seed=seed if seed is not None else 0)  # psych default
    n_factors = len(inst.constructs)
    fa = efa(X, n_factors, "minres", "varimax")
    cfa = sem(inst.measurement_syntax(), data, estimator=estimator, missing=missing)
    full = sem(inst.model_syntax(), data, estimator=estimator, missing=missing)
    complete = X.dropna()
    validity = convergent_validity(cfa.estimates, inst.construct_items, complete.cov(ddof=0))
    lv = cfa.model.mv.lv
    cor = cfa.estimates[
        (cfa.estimates["op"] == "~~")
        & cfa.estimates["lhs"].isin(lv)
        & cfa.estimates["rhs"].isin(lv)
    ]
    fc = pd.DataFrame(1.0, index=lv, columns=lv)
    for _, r in cor.iterrows():
        fc.loc[r["lhs"], r["rhs"]] = fc.loc[r["rhs"], r["lhs"]] = r["std.all"]
    result = AnalysisResult(
        survey=data,
        instrument=inst,
        descriptives=describe(X),
        mardia=mardia(X),
        profile=sample_profile(data.data, demo, inst) if demo else pd.DataFrame(),
        harman=harman_single_factor(X),
        reliability=rel,
        kmo=k,
        bartlett=b,
        parallel=pa,
        efa=fa,
        variance=variance_explained_table(X, fa),
        loadings=loading_table(fa),
        cfa=cfa,
        sem=full,
        validity=validity,
        fornell_larcker=fornell_larcker(fc, validity["ave"]),
        htmt=htmt(data.data, inst.construct_items),
        hypotheses=hypothesis_table(full.estimates, inst.hypotheses),
        ci=ci,
        screening=screened,
    )
    if bootstrap:
        from .bootstrap import bootstrap as run_bootstrap

        boot = run_bootstrap(
            full, bootstrap, seed=seed, n_jobs=n_jobs, progress=progress, bca=(ci == "bca")
        )
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
    return result
