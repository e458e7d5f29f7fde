"""Higher-order constructs in the measurement stage of covariance-based SEM: the validity of
each second-order construct and the second-order model against the first-order model with
correlated factors (reporting conventions, "Higher-order constructs and rival models").

* CR, AVE, sqrt(AVE) and MaxR(H) of a second-order construct come from its standardized
  second-order loadings, the first-order constructs as its indicators
  (:func:`loyaltysem.psychometrics.reliability.convergent_validity` with
  ``Instrument.construct_components``): CR = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)),
  AVE = mean(l^2) (Fornell & Larcker 1981), 1 - l^2 being the standardized disturbance of
  a first-order construct.
* omega: semTools' ``compRelSEM(fit, higher = )`` (:func:`comp_rel_sem`), the share of the
  variance of the total score of the construct's items that the second-order factor explains
  (omega of the higher-order factor; McDonald 1999, Zinbarg et al. 2005); with ordered items
  on the latent-response scale (semTools stops on its default scale there).
* the first-order model (the same first-order constructs, freely correlated) against the
  second-order model: :func:`loyaltysem.analyses.compare.compare` (Δχ² as lavTestLRT, the
  target coefficient T of Marsh & Hocevar 1985), judged by
  :func:`loyaltysem.judgment.compare.second_order`.
"""

from __future__ import annotations

import math

import pandas as pd

from loyaltysem.analyses.compare import compare
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.judgment import compare as judge
from loyaltysem.judgment.measurement import CUTOFFS, VerdictSet
from loyaltysem.judgment.verdict import Verdict
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import MeasurementStage, SampleStage
from loyaltysem.psychometrics.ordinal_reliability import comp_rel_sem
from loyaltysem.psychometrics.reliability import convergent_validity

FIRST, SECOND = "first_order", "second_order"


def higher_order_stage(
    stage: MeasurementStage, sample: SampleStage, opts: RunOptions, fit_kw: dict, warnings: list
) -> None:
    """Fill ``stage.higher_validity``, ``stage.hierarchy`` and the verdicts on them (nothing
    when the instrument has no higher-order construct). ``fit_kw``: the run's fit options."""
    inst = sample.instrument
    comps = inst.construct_components
    if not comps:
        return
    stage.higher_validity = higher_validity(stage.cfa, comps, ordered=bool(opts.ordered))
    try:
        stage.hierarchy = compare(
            sample.survey, [inst.measurement_syntax(higher_order=False),
                            inst.measurement_syntax()],
            names=[FIRST, SECOND], **fit_kw,
        )  # fmt: skip
    except InputError as exc:
        msg = f"first-order and second-order models not compared: {exc}"
        warnings.append(Notice("ho.not_compared", msg, error=str(exc)))
    stage.verdicts = stage.verdicts.merged(higher_order_verdicts(stage, comps))


def higher_validity(cfa, components: dict[str, list[str]], ordered: bool = False) -> pd.DataFrame:
    """CR, AVE, sqrt.ave, maxr_h (from the standardized second-order loadings) and omega
    (compRelSEM's ``higher =``) of every higher-order construct of the fitted ``cfa``.

    Example:
        >>> higher_validity(cfa, {"SQ": ["INF", "PRD", "CON"]})  # doctest: +SKIP
    """
    val = convergent_validity(cfa.estimates, components)[["cr", "ave", "sqrt.ave", "maxr_h"]]
    rel = comp_rel_sem(cfa, higher=list(components), ord_scale=not ordered)
    rel = rel[rel["construct"].isin(list(components))].set_index("construct")["reliability"]
    val["omega"] = rel.reindex(val.index).astype(float)
    val.index.name = "construct"
    return val


def hierarchy_test(cmp) -> dict:
    """T, Δχ², Δdf, p and the test method of the second-order model against the first-order
    one in a :class:`~loyaltysem.analyses.compare.CompareResult` named as here."""
    t = cmp.target
    row = t[(t["first_order"] == FIRST) & (t["higher_order"] == SECOND)]
    fm1, fm2 = cmp.fits[FIRST].fit_measures, cmp.fits[SECOND].fit_measures
    target = float(row["t"].iloc[0]) if len(row) else fm1["chisq"] / fm2["chisq"]
    tests = cmp.tests
    test = tests[(tests["model1"] == FIRST) & (tests["model2"] == SECOND)]
    if test.empty:  # equal df: lavTestLRT's order keeps the order given
        test = tests
    r = test.iloc[0] if len(test) else pd.Series(dtype=object)

    def get(key: str) -> float:
        v = r.get(key)
        return float(v) if v is not None and pd.notna(v) else math.nan

    return {"t": target, "chisq.diff": get("chisq.diff"), "df.diff": get("df.diff"),
            "pvalue": get("pvalue"), "method": r.get("method")}  # fmt: skip


def higher_order_verdicts(stage: MeasurementStage, components: dict) -> VerdictSet:
    """``loading2:<component>`` (standardized second-order loading >= .60, and
    ``loading2.strict`` >= .70, Hair et al. 2019, as the first-order loadings), ``cr2:<c>``
    (>= .70) and ``ave2:<c>`` (>= .50) of every higher-order construct, and
    ``second_order:measurement`` (:func:`loyaltysem.judgment.compare.second_order`)."""
    est = stage.cfa.estimates
    out = []
    for c, comps in components.items():
        lo = est[(est["op"] == "=~") & (est["lhs"] == c) & est["rhs"].isin(comps)]
        for _, r in lo.iterrows():
            x = float(r["std.all"])
            for kind, cut in (("loading2", "loading"), ("loading2.strict", "loading.strict")):
                ok = x >= CUTOFFS[cut][0]
                out.append(Verdict(f"{kind}:{r['rhs']}", "met" if ok else "not_met", cut,
                                   {"value": x, "construct": c}))  # fmt: skip
        row = stage.higher_validity.loc[c]
        for kind in ("cr", "ave"):
            v = float(row[kind])
            if math.isfinite(v):
                ok = v >= CUTOFFS[kind][0]
                out.append(Verdict(f"{kind}2:{c}", "met" if ok else "not_met", kind,
                                   {"value": v}))  # fmt: skip
    if stage.hierarchy is not None:
        h = hierarchy_test(stage.hierarchy)
        out.append(judge.second_order(h["t"], h["chisq.diff"], h["df.diff"], h["pvalue"],
                                      subject="second_order:measurement"))  # fmt: skip
    return VerdictSet.of(out)
