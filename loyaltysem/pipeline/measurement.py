"""Stage 3 of covariance-based SEM: the measurement model (CFA) and what is judged on it -
convergent and discriminant validity (Fornell-Larcker, HTMT), the CFA-based common method
bias tests, and with ordered items ordinal alpha, categorical omega and why WLSMV."""

from __future__ import annotations

import pandas as pd

from loyaltysem.analyses.method_bias import common_method_cfa
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.judgment.measurement import cfa_verdicts
from loyaltysem.pipeline.higher_order import higher_order_stage
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import ItemStage, MeasurementStage, SampleStage
from loyaltysem.psychometrics.ordinal_reliability import ordinal_cfa_reliability
from loyaltysem.psychometrics.reliability import convergent_validity, fornell_larcker, htmt
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.results import SEMResult


def fit_options(opts: RunOptions) -> dict:
    """The keyword arguments every CB-SEM fit of the run shares."""
    return dict(estimator=opts.estimator, missing=opts.missing, ordered=opts.ordered_items or False)


def measurement_stage(
    sample: SampleStage, items: ItemStage, opts: RunOptions, warnings: list
) -> MeasurementStage:
    """The CFA of the instrument's constructs, the validity tables built on it and their
    verdicts (loadings, CR, AVE, Fornell-Larcker, HTMT)."""
    inst, data = sample.instrument, sample.survey
    cfa = sem(inst.measurement_syntax(), data, **fit_options(opts))
    X = data.data[[i for i in inst.item_codes if i in data.data.columns]]
    cov = None if opts.ordered else X.dropna().cov(ddof=0)
    validity = convergent_validity(cfa.estimates, inst.construct_items, cov)
    stage = MeasurementStage(
        cfa=cfa,
        validity=validity,
        fornell_larcker=fornell_larcker(factor_correlations(cfa), validity["ave"]),
        htmt=htmt(data.data, inst.construct_items, cor=_polychoric(cfa) if opts.ordered else None),
    )
    if opts.ordered:
        _ordinal(stage, sample, items, opts)
    est = cfa.estimates
    loadings = est[(est["op"] == "=~") & est["rhs"].isin(inst.item_codes)]
    stage.verdicts = cfa_verdicts(loadings, stage.validity, stage.fornell_larcker, stage.htmt)
    higher_order_stage(stage, sample, opts, fit_options(opts), warnings)
    stage.method_bias = _method_bias(stage.cfa, sample, opts, warnings)
    return stage


def factor_correlations(cfa: SEMResult) -> pd.DataFrame:
    """The CFA's model-implied latent correlations as a square matrix (lavaan's
    ``lavInspect(fit, "cor.lv")``): in a correlated-factors CFA the standardized factor
    covariances; under a second-order factor the correlations it implies between its
    first-order factors (which have no covariance parameter of their own).

    Example:
        >>> factor_correlations(sem("A =~ a1 + a2 + a3; B =~ b1 + b2 + b3", df))  # doctest: +SKIP
    """
    lv = list(cfa.model.mv.lv)
    return cfa.cor_lv().loc[lv, lv].astype(float)


def _polychoric(fit: SEMResult) -> pd.DataFrame:
    """The polychoric (and polyserial) correlations a fit with ordered items was fitted to."""
    ov = list(fit.model.mv.ov)
    return pd.DataFrame(fit.data[0].cov, index=ov, columns=ov)


def _ordinal(stage: MeasurementStage, sample: SampleStage, items: ItemStage, opts) -> None:
    """Ordinal alpha per construct (the item stage's), the CFA's categorical omega (semTools
    compRelSEM) and AVE into the validity table, and why the ordered items were estimated
    with WLSMV: their number of categories and skewness (Rhemtulla, Brosseau-Liard & Savalei
    2012: categorical estimation beats ML with five or fewer categories or asymmetric
    thresholds)."""
    ordered = opts.ordered_items
    stage.ordinal_alpha = items.ordinal_alpha
    cat = ordinal_cfa_reliability(stage.cfa).set_index("construct")
    stage.validity["omega"] = cat["omega"].reindex(stage.validity.index)
    stage.validity["ave.semtools"] = cat["ave"].reindex(stage.validity.index)
    cats = sample.survey.data[ordered].nunique()
    skew = items.descriptives.loc[ordered, "skew"]  # as the descriptives table
    stage.ordinal = {
        "items": list(ordered),
        "categories.min": int(cats.min()),
        "categories.max": int(cats.max()),
        "skew.max": float(skew.abs().max()),
        "estimator": stage.cfa.estimator,
    }


def _method_bias(cfa: SEMResult, sample: SampleStage, opts: RunOptions, warnings: list):
    """Single-factor CFA and ULMC against the measurement model (CFA-based method bias).
    Under FIML the three models are fitted to the complete answers (three FIML fits of up
    to 183 parameters would take about a minute); the table's note states that N."""
    refit = opts.missing != "listwise"
    try:
        return common_method_cfa(
            sample.survey, sample.instrument.construct_items,
            measurement=None if refit else cfa, estimator=cfa.estimator,
            missing="listwise", ordered=opts.ordered_items or None,
        )  # fmt: skip
    except InputError as exc:
        msg = f"common method bias (CFA) not tested: {exc}"
        warnings.append(Notice("cmb.not_tested", msg, error=str(exc)))
        return None
