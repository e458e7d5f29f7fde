"""Measurement invariance across groups and cross-group path comparison.

The sequence configural -> metric (equal loadings) -> scalar (+ equal intercepts) -> strict
(+ equal residual variances) is fitted as multi-group models with one likelihood (Meredith
1993; Vandenberg & Lance 2000). Successive steps are compared by the chi-square difference
test (lavaan's ``lavTestLRT()``; under MLR the Satorra-Bentler (2001) scaled difference) and by
the change in CFI and in RMSEA; whether a step holds is decided in
:mod:`loyaltysem.judgment.invariance` (Cheung & Rensvold 2002; Chen 2007).

With ordered items (WLSMV) the steps are configural -> metric (equal loadings) -> scalar
(equal loadings and thresholds: lavaan's ``group.equal = c("thresholds", "loadings")``, which
frees the scale factors and latent means of groups 2+); strict invariance is not defined under
the delta parameterization. Under ``parameterization = "theta"`` scalar invariance frees the
ordered items' residual variances of groups 2+ instead, and strict invariance (+ equal residual
variances: all fixed to 1, as lavaan fixes a tied set with a fixed member) is a fourth step,
in the default sequence too. Steps are compared by lavaan's scaled-shifted difference test
(``lavTestLRT``, Satorra 2000) and by the robust CFI/RMSEA where lavaan gives them (else the
scaled ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.result import ResultMixin
from loyaltysem.semcore.estimation import instrument_ordered, sem

STEPS = {
    "configural": (),
    "metric": ("loadings",),
    "scalar": ("loadings", "intercepts"),
    "strict": ("loadings", "intercepts", "residuals"),
}
STEPS_ORDERED = {
    "configural": (),
    "metric": ("loadings",),
    "scalar": ("loadings", "thresholds", "intercepts"),
}
STEPS_ORDERED_THETA = {
    **STEPS_ORDERED,
    "strict": ("loadings", "thresholds", "intercepts", "residuals"),
}
ORDERED_DEFAULT_STEPS = ("configural", "metric", "scalar")


def lrt_method(fit) -> str:
    """lavTestLRT's default ``method`` for a fit: "satorra.2000" (scaled-shifted test:
    WLSMV, ULSMV), "satorra.bentler.2001" (scaled test: MLR) or "standard"."""
    return fit.options.lrt_method


def lrt(restricted, free) -> dict[str, float]:
    """Chi-square difference test of two nested fits (lavaan's ``lavTestLRT``) by the
    method the fits' test implies (``options.lrt_method``: "standard"; under MLR
    "satorra.bentler.2001"; under WLSMV / ULSMV "satorra.2000").

    Satorra & Bentler (2001): c_d = (df1 c1 - df0 c0) / (df1 - df0), T_d = (T1 - T0) / c_d
    (lavaan's ``lav_test_diff_SatorraBentler2001``: c0 = 1 for a saturated free model, no
    scaling for equal df, NaN for a negative c_d).
    """
    return LRT_METHODS[lrt_method(restricted)](restricted, free)


def _lrt_satorra_2000(restricted, free) -> dict[str, float]:
    from loyaltysem.semcore.fit.robust import satorra_2000

    return satorra_2000(free, restricted)


def _difference(restricted, free, scale: bool) -> dict[str, float]:
    f1, f0 = restricted.fit_measures, free.fit_measures
    ddf = f1["df"] - f0["df"]
    diff = f1["chisq"] - f0["chisq"]
    if scale and "chisq.scaling.factor" in f1 and "chisq.scaling.factor" in f0 and ddf != 0:
        c0 = 1.0 if f0["df"] == 0 else f0["chisq.scaling.factor"]
        cd = (f1["df"] * f1["chisq.scaling.factor"] - f0["df"] * c0) / ddf
        diff = diff / cd if cd >= 0 else float("nan")
    p = float(stats.chi2.sf(diff, ddf)) if ddf > 0 else float("nan")
    return {"chisq.diff": float(diff), "df.diff": float(ddf), "pvalue": p}


def _lrt_standard(restricted, free) -> dict[str, float]:
    return _difference(restricted, free, scale=False)


def _lrt_satorra_bentler_2001(restricted, free) -> dict[str, float]:
    return _difference(restricted, free, scale=True)


#: lavTestLRT's ``method`` -> the difference test
LRT_METHODS = {
    "standard": _lrt_standard,
    "satorra.bentler.2001": _lrt_satorra_bentler_2001,
    "satorra.2000": _lrt_satorra_2000,
}


@dataclass
class InvarianceResult(ResultMixin):
    group_labels: list
    steps: dict = field(default_factory=dict)  # name -> SEMResult
    comparisons: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the fitMeasures() name behind cfi.diff / rmsea.diff ("cfi.robust", "cfi.scaled", "cfi")
    index_keys: dict = field(default_factory=lambda: {"cfi": "cfi", "rmsea": "rmsea"})

    _main = "comparisons"  # class attributes (no annotation): not fields

    def tables(self) -> dict[str, pd.DataFrame]:
        """``fit`` (one row per step) and ``comparisons`` (each step against the one before)."""
        return {"fit": self.fit_table, "comparisons": self.comparisons}

    def _headline(self) -> str:
        return (
            f"Measurement invariance across {len(self.group_labels)} groups "
            f"({', '.join(map(str, self.group_labels))}): {', '.join(self.steps)}"
        )

    @property
    def group_n(self) -> list[int]:
        """The size of each group (in the order of ``group_labels``)."""
        first = next(iter(self.steps.values()))
        return [int(d.n) for d in first.data]

    @property
    def fit_table(self) -> pd.DataFrame:
        keys = ["npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"]
        keys += [k for k in self.index_keys.values() if k not in keys]
        rows = {name: {k: r.fit_measures.get(k) for k in keys} for name, r in self.steps.items()}
        return pd.DataFrame(rows).T

    def to_dict(self) -> dict:
        first = next(iter(self.steps.values()))
        return {
            "n": first.n,
            "group_n": self.group_n,
            "warnings": sorted({w for r in self.steps.values() for w in r.warnings}),
            "group_labels": [str(g) for g in self.group_labels],
            "steps": {
                name: {
                    "fit": r.fit_measures,
                    "estimates": r.estimates.to_dict(orient="records"),
                }
                for name, r in self.steps.items()
            },
            "comparisons": self.comparisons.to_dict(orient="records"),
            "index_keys": dict(self.index_keys),
        }


def measurement_invariance(
    model,
    data,
    group: str,
    *,
    steps: tuple[str, ...] | None = None,
    estimator: str | None = None,
    missing: str = "listwise",
    group_partial: tuple[str, ...] = (),
    ordered=None,
    parameterization: str | None = None,
) -> InvarianceResult:
    """Fit each invariance step and compare each with the one before.

    ``parameterization``: lavaan's for ordered items, "delta" (default) or "theta" (which
    adds the strict step); ``group_partial`` frees rows in every step but the configural one,
    thresholds included (``"A1|t2"``).

    Example:
        >>> res = measurement_invariance("f =~ x1 + x2 + x3", df, "school")  # doctest: +SKIP
        >>> res.comparisons[["from", "to", "chisq.diff", "pvalue", "cfi.diff"]]  # doctest: +SKIP
    """
    from loyaltysem.base.errors import InputError

    if ordered is None:  # the model file's [scale] ordered
        ordered = instrument_ordered(model)
    theta = str(parameterization or "delta").lower() == "theta"
    table = (STEPS_ORDERED_THETA if theta else STEPS_ORDERED) if ordered else STEPS
    if steps is None:
        steps = tuple(table) if theta or not ordered else ORDERED_DEFAULT_STEPS
    unknown = [s for s in steps if s not in table]
    if unknown:
        why = (
            " (not defined for ordered items under the delta parameterization: use "
            "parameterization='theta')"
            if ordered and "strict" in unknown
            else ""
        )
        raise InputError(f"unknown invariance step(s): {', '.join(unknown)}{why}")
    fits = {}
    for name in steps:
        fits[name] = sem(
            model,
            data,
            group=group,
            estimator=estimator,
            missing=missing,
            group_equal=table[name],
            group_partial=group_partial if name != "configural" else (),
            ordered=ordered,
            parameterization=parameterization,
        )
    rows = []
    names = list(fits)
    keys = {k: index_key([f.fit_measures for f in fits.values()], k) for k in ("cfi", "rmsea")}
    for a, b in zip(names, names[1:], strict=False):
        test = lrt(fits[b], fits[a])
        fa, fb = fits[a].fit_measures, fits[b].fit_measures
        cfi_diff = float(fb[keys["cfi"]] - fa[keys["cfi"]])
        rmsea_diff = float(fb[keys["rmsea"]] - fa[keys["rmsea"]])
        rows.append({"from": a, "to": b, **test, "cfi.diff": cfi_diff, "rmsea.diff": rmsea_diff})
    first = fits[names[0]]
    return InvarianceResult(first.group_labels, fits, pd.DataFrame(rows), keys)


def index_key(fit_measures: list[dict], index: str) -> str:
    """The version of an index every step has: robust, else scaled (ordered items: lavaan
    gives no robust index once thresholds are equal across groups), else plain; one version
    for all steps, so the changes compare like with like."""
    for key in (f"{index}.robust", f"{index}.scaled"):
        values = [fm.get(key) for fm in fit_measures]
        if all(v is not None and np.isfinite(v) for v in values):
            return key
    return index


def compare_paths(
    model, data, group: str, *, estimator: str | None = "ML", ordered=None
) -> pd.DataFrame:
    """Each structural path per group and a likelihood-ratio test that it is equal across
    groups (the path constrained equal vs. free; G - 1 degrees of freedom; with ``ordered``
    items lavaan's scaled-shifted difference test).

    Example:
        >>> compare_paths("models/online_loyalty.lav", df, "gender")  # doctest: +SKIP
    """
    import copy

    from loyaltysem.semcore.estimation import model_syntax
    from loyaltysem.survey.syntax import parse_syntax

    syntax, source = model_syntax(model)
    rows = parse_syntax(syntax, file=source)
    free = sem(rows, data, group=group, estimator=estimator, ordered=ordered)
    est = free.estimates
    paths = est[est["op"] == "~"]
    ngroups = len(free.group_labels)
    out = []
    for k, r in enumerate(rows):
        if r.op != "~":
            continue
        constrained_rows = copy.deepcopy(rows)
        constrained_rows[k].modifier.label = [f".eq.{r.lhs}.{r.rhs}."] * ngroups
        constrained = sem(constrained_rows, data, group=group, estimator=estimator, ordered=ordered)
        row = {"lhs": r.lhs, "op": "~", "rhs": r.rhs}
        for g, glabel in enumerate(free.group_labels, start=1):
            sel = paths[(paths["lhs"] == r.lhs) & (paths["rhs"] == r.rhs) & (paths["group"] == g)]
            row[f"est.{glabel}"] = float(sel["est"].iloc[0])
            row[f"std.all.{glabel}"] = float(sel["std.all"].iloc[0])
            row[f"pvalue.{glabel}"] = float(sel["pvalue"].iloc[0])
        row.update(lrt(constrained, free))
        out.append(row)
    return pd.DataFrame(out)
