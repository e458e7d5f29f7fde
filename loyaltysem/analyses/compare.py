"""Competing models compared on the same respondents (lavaan's ``lavTestLRT``).

Every model is fitted to the same rows: listwise deletion over the union of the models'
observed variables (with ``missing="fiml"``: the rows that answer at least one variable of
every model), so the chi-squares, AIC and BIC refer to one sample. The models are listed in
``lavTestLRT``'s order (ascending df; ties keep the order given), and each is tested against
the one before it, as ``lavTestLRT`` does:

* ML: the chi-square difference (``method = "standard"``), with lavaan's RMSEA of the
  difference, sqrt(G) sqrt(max(0, (dT / N) / ddf - 1 / N));
* MLR: the Satorra-Bentler (2001) scaled difference (``"satorra.bentler.2001"``, lavaan's
  default for a scaled test);
* WLSMV / ULSMV (ordered items): the scaled-shifted difference of Satorra (2000)
  (``"satorra.2000"``);

the code shared with the invariance steps (:func:`loyaltysem.analyses.invariance.lrt`).

**Nesting.** ``lavTestLRT`` does not check that the models are nested. Here a pair is tested
only if it is: the nesting and equivalence test of Bentler & Satorra (2010), as semTools'
``net()`` implements it. The less restricted model (fewer df) is fitted by ML to the
model-implied moments of the more restricted one (same N); the pair is nested when that
chi-square is below 1e-4 (semTools' ``crit``), which holds whenever every covariance
structure (and mean structure) the restricted model can produce the other can produce too.
Models on different observed variables are not nested. A pair that is not nested has
``nested = False`` and no test values. With ordered items the less restricted model is
refitted by its WLS weights to the other's model-implied thresholds and polychoric
correlations (semTools passes them with WLS.V and NACOV); ``nested = None`` when a refit does
not converge (then the test values are given, as ``lavTestLRT`` gives them).

**Target coefficient.** When one model is the other with its higher-order factors taken out
(the first-order factors then freely correlated), Marsh & Hocevar's (1985) target
coefficient T = chisq(first-order) / chisq(higher-order) (standard chi-squares; at most 1)
is the share of the first-order model's fit that the higher-order structure keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.analyses.invariance import lrt, lrt_method
from loyaltysem.base.errors import InputError
from loyaltysem.base.result import ResultMixin
from loyaltysem.semcore.estimate.options import resolve_missing, resolve_options
from loyaltysem.semcore.estimation import model_syntax, sem
from loyaltysem.semcore.model.partable import model_variables
from loyaltysem.semcore.model.product_indicators import expand_for_sem
from loyaltysem.survey.data import as_frame

MODEL_KEYS = ["npar", "df", "chisq", "aic", "bic", "cfi", "tli", "rmsea", "srmr"]
#: the robust versions lavaan reports for a scaled test (MLR, WLSMV), kept beside them
ROBUST_KEYS = ["chisq.scaled", "df.scaled", "pvalue.scaled", "cfi.robust", "tli.robust",
               "rmsea.robust"]  # fmt: skip
NESTING_CRIT = 1e-4  # semTools net()'s crit


@dataclass
class CompareResult(ResultMixin):
    """Fit of each model (in lavTestLRT's order), the tests of consecutive pairs and the
    target coefficients."""

    n: int
    models: pd.DataFrame
    tests: pd.DataFrame
    target: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)
    fits: dict = field(default_factory=dict, repr=False)  # name -> SEMResult

    def to_dict(self) -> dict:
        """The ``compare`` JSON of the output contract (plus ``target`` and ``warnings``)."""
        from loyaltysem.base.fileio import to_jsonable

        keys = ["model1", "model2", "nested", "chisq.diff", "df.diff", "pvalue", "method"]
        models = self.models.to_dict(orient="records")
        for rec in models:
            for k in ("npar", "df"):
                rec[k] = int(rec[k])
        return to_jsonable(
            {
                "n": self.n,
                "models": models,
                "tests": self.tests[keys].to_dict(orient="records") if len(self.tests) else [],
                "target": self.target.to_dict(orient="records"),
                "warnings": list(self.warnings),
            }
        )

    def summary(self) -> str:
        lines = [f"Model comparison (N = {self.n})", self.models.round(4).to_string(index=False)]
        if len(self.tests):
            lines += ["", self.tests.round(4).to_string(index=False)]
        if len(self.target):
            lines += ["", "Target coefficient (Marsh & Hocevar 1985):"]
            lines += [self.target.round(4).to_string(index=False)]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def compare(
    data,
    models: Sequence,
    *,
    names: Sequence[str] | None = None,
    estimator: str | None = None,
    missing: str = "listwise",
    ordered=None,
    group: str | None = None,
    parameterization: str | None = None,
) -> CompareResult:
    """Fit competing models to the same rows and compare them as ``lavTestLRT`` does
    (module docstring: rows, order, tests, nesting, target coefficient).

    ``models``: lavaan syntax, model files (.lav / TOML) or Instruments; ``names`` label them
    (default: the file name, else "model 1", ...). The other options are :func:`sem`'s.

    Example:
        >>> res = compare(df, ["cfa.lav", "second_order.lav"], estimator="MLR")  # doctest: +SKIP
        >>> res.tests[["model1", "model2", "chisq.diff", "df.diff", "pvalue"]]  # doctest: +SKIP
    """
    if len(models) < 2:
        raise InputError("compare needs at least two models")
    labels = _labels(models, names)
    frame = as_frame(data)
    keep, warnings = _common_rows(frame, models, missing, group)
    fits = {}
    for label, m in zip(labels, models, strict=True):
        fits[label] = sem(m, frame[keep].reset_index(drop=True), estimator=estimator,
                          missing=missing, ordered=ordered, group=group,
                          parameterization=parameterization)  # fmt: skip
        warnings += [f"{label}: {w}" for w in fits[label].warnings]
    order = sorted(labels, key=lambda k: fits[k].fit_measures["df"])  # stable, as order()
    table = pd.DataFrame([_model_row(k, fits[k]) for k in order])
    rows = [_test_row(a, b, fits) for a, b in zip(order, order[1:], strict=False)]
    tests = pd.DataFrame(rows)
    tests["nested"] = pd.Series([r["nested"] for r in rows], dtype=object)  # True/False/None
    target = _targets(order, fits)
    n = next(iter(fits.values())).n
    return CompareResult(n, table, tests, target, warnings, fits)


def _labels(models: Sequence, names: Sequence[str] | None) -> list[str]:
    if names is not None:
        if len(names) != len(models):
            raise InputError(f"{len(names)} names for {len(models)} models")
        labels = [str(x) for x in names]
    else:
        labels = []
        for i, m in enumerate(models, start=1):
            source = model_syntax(m)[1]
            labels.append(Path(source).name if source else f"model {i}")
    if len(set(labels)) != len(labels):
        labels = [f"{k} ({i})" for i, k in enumerate(labels, start=1)]
    return labels


def _variables(frame: pd.DataFrame, model) -> list[str]:
    """The data columns a model uses (parents of product indicators included)."""
    syntax, source = model_syntax(model)
    rows = expand_for_sem(syntax, frame, file=source)[0]
    return [v for v in model_variables(rows).ov if v in frame.columns]


def _common_rows(frame: pd.DataFrame, models, missing: str, group: str | None):
    """The rows every model is fitted to, and the warning that says how many were left out."""
    per_model = [_variables(frame, m) for m in models]
    union = list(dict.fromkeys(v for vs in per_model for v in vs))
    values = frame[union].apply(pd.to_numeric, errors="coerce")
    if resolve_missing(missing) == "fiml":
        keep = np.all([values[vs].notna().any(axis=1) for vs in per_model], axis=0)
        why = "who answer no variable of some model"
    else:
        keep = values.notna().all(axis=1).to_numpy()
        why = "with a missing answer in a variable of some model (listwise deletion)"
    if group is not None and group in frame.columns:
        keep = keep & frame[group].notna().to_numpy()
    dropped = int((~keep).sum())
    warnings = [] if not dropped else [
        f"{dropped} of {len(frame)} respondents {why} were left out of every model"
    ]  # fmt: skip
    return keep, warnings


def _model_row(label: str, fit) -> dict:
    fm = fit.fit_measures
    row = {"model": label, **{k: fm.get(k, np.nan) for k in MODEL_KEYS}}
    if lrt_method(fit) != "standard":
        row.update({k: fm[k] for k in ROBUST_KEYS if k in fm})
    return row


def _test_row(free_label: str, restricted_label: str, fits: dict) -> dict:
    free, restricted = fits[free_label], fits[restricted_label]
    nested = nesting(free, restricted)
    method = lrt_method(restricted)
    row = {"model1": free_label, "model2": restricted_label, "nested": nested,
           "chisq.diff": np.nan, "df.diff": np.nan, "pvalue": np.nan, "method": method,
           "rmsea.d": np.nan}  # fmt: skip
    if nested is False:
        return row
    row.update(lrt(restricted, free))
    if method == "standard" and row["df.diff"] > 0:
        n, g = free.n, free.model.ngroups
        x = max(row["chisq.diff"] / n / row["df.diff"] - 1.0 / n, 0.0)
        row["rmsea.d"] = float(np.sqrt(x) * np.sqrt(g))  # lavaan's lav_fit_rmsea
    return row


def nesting(free, restricted) -> bool | None:
    """Whether ``restricted`` (more df) is nested in (or equivalent to) ``free``: Bentler &
    Satorra's (2010) test as semTools' ``net()`` (``x.within.y``) makes it. ``free`` is fitted
    by ML to ``restricted``'s model-implied moments; nested when that chi-square is below
    1e-4 (ordered items: :func:`_nested_wls`). None when that fit does not converge; False
    for models on different observed variables or respondents."""
    from loyaltysem.semcore.estimation import estimate_table
    from loyaltysem.semcore.model.compiled import GroupData, ml_discrepancy

    ov_free, ov_restricted = list(free.model.mv.ov), list(restricted.model.mv.ov)
    if sorted(ov_free) != sorted(ov_restricted):
        return False
    if [d.n for d in free.data] != [d.n for d in restricted.data]:
        return False
    if hasattr(free.data[0], "weight"):  # ordered items: WLS on the two-step statistics
        return _nested_wls(free, restricted)
    pos = [ov_restricted.index(v) for v in ov_free]
    data_g = []
    for d, imp in zip(restricted.data, restricted.implied_moments, strict=True):
        sigma = imp.sigma[np.ix_(pos, pos)]
        mean = np.asarray(imp.mu, dtype=float)[pos] if len(imp.mu) else np.zeros(len(pos))
        data_g.append(GroupData(d.n, sigma, mean))
    try:
        refit = estimate_table(
            free.model.pt,
            free.model.mv,
            data_g,
            options=resolve_options(meanstructure=free.model.meanstructure),  # ML
        )
    except Exception:  # noqa: BLE001 (a failed refit leaves the question open, as net()'s NA)
        return None
    if not refit.converged:
        return None
    chisq = sum(d.n for d in data_g) * ml_discrepancy(refit.model, data_g, refit.theta)
    return bool(chisq < NESTING_CRIT)


class _ImpliedStatistics:
    """A group's WLS data with the restricted model's implied thresholds and polychoric
    correlations in place of the sample's (semTools' ``x.within.y`` passes sample.th,
    sample.cov, WLS.V and NACOV of the restricted model's fit)."""

    def __init__(self, data, wls_obs: np.ndarray):
        self._data = data
        self.wls_obs = wls_obs

    def __getattr__(self, name: str):
        return getattr(self._data, name)


def _nested_wls(free, restricted) -> bool | None:
    """The nesting test with ordered items: ``free`` refitted by its own WLS weights to
    ``restricted``'s model-implied statistics; nested when N F is below 1e-4. None where the
    statistics are not laid out alike (another variable order, covariates)."""
    from loyaltysem.semcore.estimate.discrepancy import discrepancy
    from loyaltysem.semcore.estimate.optimizer import minimize
    from loyaltysem.semcore.model import ordinal as om

    conditional = hasattr(free.model, "wls_moments") or hasattr(restricted.model, "wls_moments")
    if conditional or list(free.model.mv.ov) != list(restricted.model.mv.ov):
        return None
    target = om.wls_moments(restricted.model, restricted.theta)
    if any(len(t) != len(d.wls_obs) for t, d in zip(target, free.data, strict=True)):
        return None
    data = [_ImpliedStatistics(d, t) for d, t in zip(free.data, target, strict=True)]
    disc = discrepancy(free.model, data)
    theta, converged, _ = minimize(disc, free.theta)
    if not converged:
        return None
    return bool(free.n * disc.objective(theta) < NESTING_CRIT)


def _targets(order: list[str], fits: dict) -> pd.DataFrame:
    """Marsh & Hocevar's target coefficient of every (first-order, higher-order) pair."""
    rows = []
    for a in order:
        for b in order:
            if a != b and _first_order_of(fits[a], fits[b]):
                t = fits[a].fit_measures["chisq"] / fits[b].fit_measures["chisq"]
                rows.append({"first_order": a, "higher_order": b, "t": float(t)})
    return pd.DataFrame(rows, columns=["first_order", "higher_order", "t"])


def _first_order_of(first, higher) -> bool:
    """``first`` is ``higher`` without its higher-order factors (and nested in it)."""
    lv_h = set(higher.model.mv.lv)
    top = {f for f, inds in higher.model.mv.indicators.items() if inds and set(inds) <= lv_h}
    if not top or set(first.model.mv.lv) & top:
        return False

    def user_rows(fit, drop: set[str]) -> set:
        pt = fit.pt[(fit.pt["user"] == 1) & (fit.pt["group"] <= 1)]
        return {(r.lhs, r.op, r.rhs) for r in pt.itertuples() if not {r.lhs, r.rhs} & drop}

    if user_rows(first, set()) != user_rows(higher, top):
        return False
    return nesting(first, higher) is not False
