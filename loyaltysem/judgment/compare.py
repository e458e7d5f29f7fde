"""Rival models and second-order structures: which model the chapter keeps, decided once.

Rules (reporting conventions, "Higher-order constructs and rival models"; the catalogue words
them and cites ``[[key]]``):

* **Nested rival models** (every consecutive pair in lavTestLRT's order, by df, is nested):
  the χ² difference test (Satorra & Bentler 2001's scaled difference under MLR, Satorra 2000's
  scaled-shifted one with ordered items). Starting from the most restricted model, the next
  less restricted model is preferred while the test rejects (p < .05): a significant Δχ²
  says the constraints worsen the fit; a non-significant one keeps the more parsimonious
  model. Where the chosen model does not also have the lowest AIC (Akaike 1974) or BIC
  (Schwarz 1978), the verdict says so (caveats "aic_other", "bic_other").
* **Rival models not all nested**: the information criteria. The model with the lowest AIC
  and the lowest BIC is chosen; when AIC and BIC favour different models, none is chosen by
  them (outcome "undecided": theory decides). Models fitted to different observed variables
  (e.g. one with the product indicators of an interaction, one without) have likelihoods of
  different data, so AIC and BIC cannot compare them either: "undecided", rule "variables";
  so are models without a likelihood (WLSMV: no AIC or BIC), rule "no_ic".
* **Second-order model** against the first-order model with correlated factors (Marsh &
  Hocevar 1985): the target coefficient T = χ²(first-order) / χ²(second-order) (at most 1)
  is the share of the first-order model's fit the second-order structure keeps. The
  second-order model is accepted when T is close to 1, read here as T >= .90 (Marsh &
  Hocevar give no cut-off; .90 is this project's reading, stated in the note). The Δχ² test
  is reported beside it; where it rejects although T >= .90 the verdict carries the caveat
  "chisq_rejects" (Δχ² grows with N). With three first-order factors the second-order model
  has the same df as the first-order one (an equivalent model, T = 1): outcome
  "equivalent", nothing to test.
"""

from __future__ import annotations

import math

import pandas as pd

from loyaltysem.judgment.verdict import Verdict

ALPHA = 0.05
#: T at or above this: the second-order model keeps the first-order model's fit ("close to 1")
TARGET_MIN = 0.90


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _best(models: pd.DataFrame, key: str) -> str | None:
    vals = models[["model", key]].dropna() if key in models else pd.DataFrame()
    if vals.empty:
        return None
    return str(vals.loc[vals[key].astype(float).idxmin(), "model"])


def choose_model(models: pd.DataFrame, tests: pd.DataFrame, alpha: float = ALPHA,
                 same_variables: bool = True) -> Verdict:  # fmt: skip
    """The model the chapter keeps among rival models (``models``: model, df, aic, bic in
    lavTestLRT's order; ``tests``: model1 (less restricted), model2, nested, chisq.diff,
    df.diff, pvalue between consecutive models, as :func:`loyaltysem.analyses.compare.compare`
    gives them; ``same_variables``: every model has the same observed variables). Outcome
    "chosen" (``values["model"]``) or "undecided"; rule "lrt" (a chain of nested models),
    "ic" (information criteria) or "variables" (not nested and on different observed
    variables: nothing on the data decides); ``values["steps"]``: the tests read (model1,
    model2, p, rejects) from the most restricted model up.

    Example:
        >>> m = pd.DataFrame({"model": ["A", "B"], "df": [10, 12], "aic": [100., 104.],
        ...                   "bic": [140., 138.]})
        >>> t = pd.DataFrame({"model1": ["A"], "model2": ["B"], "nested": [True],
        ...                   "chisq.diff": [9.1], "df.diff": [2], "pvalue": [0.011]})
        >>> v = choose_model(m, t)
        >>> v.outcome, v.values["model"], v.rule, v.caveats
        ('chosen', 'A', 'lrt', ('bic_other',))
    """
    aic, bic = _best(models, "aic"), _best(models, "bic")
    values = {"aic_best": aic, "bic_best": bic, "steps": []}
    chain = len(tests) > 0 and all(
        r["nested"] is not False and _finite(r["pvalue"]) and float(r["df.diff"]) > 0
        for _, r in tests.iterrows()
    )
    if chain:
        chosen = str(models["model"].iloc[-1])
        for _, r in tests.iloc[::-1].iterrows():
            if str(r["model2"]) != chosen:
                break
            rejects = bool(float(r["pvalue"]) < alpha)
            values["steps"].append({"model1": str(r["model1"]), "model2": chosen,
                                    "pvalue": float(r["pvalue"]), "rejects": rejects})  # fmt: skip
            if not rejects:
                break
            chosen = str(r["model1"])
        caveats = tuple(c for c, best in (("aic_other", aic), ("bic_other", bic))
                        if best is not None and best != chosen)  # fmt: skip
        return Verdict("rival_models", "chosen", "lrt", values | {"model": chosen}, caveats)
    if not same_variables:
        return Verdict("rival_models", "undecided", "variables", values | {"model": None})
    if aic is None or bic is None:  # no likelihood (WLSMV): nothing on the data decides
        return Verdict("rival_models", "undecided", "no_ic", values | {"model": None})
    if aic == bic:
        return Verdict("rival_models", "chosen", "ic", values | {"model": aic})
    return Verdict("rival_models", "undecided", "ic", values | {"model": None})


def second_order(target: float, chisq_diff: float, df_diff: float, pvalue: float,
                 subject: str = "second_order") -> Verdict:  # fmt: skip
    """Is the second-order structure kept? Marsh & Hocevar's (1985) target coefficient
    ``target`` (T >= .90: "accepted", else "not_accepted"), with the Δχ² test of the
    second-order model against the first-order one beside it (caveat "chisq_rejects" when it
    rejects although T >= .90); "equivalent" when the two models have the same df (three
    first-order factors: the second-order model only re-expresses their correlations).

    Example:
        >>> v = second_order(0.93, 41.2, 14, 0.0002)
        >>> v.outcome, v.caveats
        ('accepted', ('chisq_rejects',))
        >>> second_order(0.71, 180.0, 14, 1e-30).outcome
        'not_accepted'
        >>> second_order(1.0, 0.0, 0, float("nan")).outcome
        'equivalent'
    """
    values = {"t": float(target), "chisq.diff": float(chisq_diff), "df.diff": float(df_diff),
              "pvalue": float(pvalue), "t_min": TARGET_MIN}  # fmt: skip
    if not _finite(df_diff) or float(df_diff) <= 0:
        return Verdict(subject, "equivalent", "marsh1985", values)
    ok = _finite(target) and float(target) >= TARGET_MIN - 1e-12
    caveats = ()
    if _finite(pvalue):
        if ok and float(pvalue) < ALPHA:
            caveats = ("chisq_rejects",)
        elif not ok and float(pvalue) >= ALPHA:
            caveats = ("chisq_accepts",)
    return Verdict(subject, "accepted" if ok else "not_accepted", "marsh1985", values, caveats)
