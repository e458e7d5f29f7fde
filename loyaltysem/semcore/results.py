"""The fitted model and the tables derived from its parameter table (lavaan's names).

Everything a report shows comes from ``SEMResult.estimates`` (lavaan's
``parameterEstimates(standardized = TRUE)``), ``fit_measures`` (``fitMeasures()``) and
``r2`` (``lavInspect(fit, "r2")``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from loyaltysem.base import dist as _dist
from loyaltysem.base.blas import single_threaded
from loyaltysem.base.errors import EstimationError
from loyaltysem.base.result import ResultMixin
from loyaltysem.semcore.estimate.baseline import fit_baseline
from loyaltysem.semcore.estimate.discrepancy import discrepancy
from loyaltysem.semcore.estimate.options import Options
from loyaltysem.semcore.inference import standardized as stdz
from loyaltysem.semcore.inference import vcov as inference
from loyaltysem.semcore.model.compiled import CompiledModel

ESTIMATE_COLUMNS = [
    "lhs", "op", "rhs", "group", "label", "est", "se", "z", "pvalue",
    "ci.lower", "ci.upper", "std.lv", "std.all", "std.nox",
]  # fmt: skip


@dataclass(repr=False)
class SEMResult(ResultMixin):
    """A fitted model: ``estimates``, ``fit_measures``, ``r2`` (lavaan's names); ``summary()``,
    ``to_frame()`` (the estimates), ``tables()``, ``to_dict()`` (the ``fit`` JSON), ``plot()``
    (the path diagram)."""

    model: CompiledModel
    data: list
    theta: np.ndarray
    converged: bool
    iterations: int
    #: what the estimator means, resolved once (:mod:`loyaltysem.semcore.estimate.options`)
    options: Options
    group: str | None
    group_labels: list
    warnings: list[str] = field(default_factory=list)
    syntax: str = ""
    n_total_rows: int = 0
    level: float = 0.95
    fit_table: Callable | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ basics
    @property
    def estimator(self) -> str:
        """The estimator's canonical name ("ML", "MLR", "WLSMV", ...): ``options.estimator``."""
        return self.options.estimator

    @property
    def missing(self) -> str:
        """ "listwise" or "fiml": ``options.missing``."""
        return self.options.missing

    @property
    def pt(self) -> pd.DataFrame:
        return self.model.pt

    @property
    def n(self) -> int:
        return int(sum(d.n for d in self.data))

    @property
    def npar(self) -> int:
        return self.model.npar

    @cached_property
    def discrepancy(self):
        """The estimator's discrepancy on these data (objective, gradient, information,
        scores): see :mod:`loyaltysem.semcore.estimate.discrepancy`."""
        return discrepancy(self.model, self.data, self.missing)

    @cached_property
    @single_threaded
    def vcov(self) -> np.ndarray:
        """Covariance matrix of the free parameters by the options' ``se`` and ``information``
        (:mod:`loyaltysem.semcore.inference.vcov`)."""
        try:
            out = inference.vcov(self.discrepancy, self.theta, self.options)
        except EstimationError as err:
            if str(err) != inference.SINGULAR:
                raise
            self._warn(inference.SINGULAR)  # lavaan: no standard errors (NA)
            return np.full((self.npar, self.npar), np.nan)
        self._warn(inference.vcov_warning(out))
        return out

    def _warn(self, message: str | None) -> None:
        if message and message not in self.warnings:
            self.warnings.append(message)

    @cached_property
    def baseline(self) -> SEMResult:
        """lavaan's baseline (independence) model fitted to the same data
        (:func:`loyaltysem.semcore.estimate.baseline.fit_baseline`)."""
        return fit_baseline(self)

    @cached_property
    def implied_moments(self):
        return self.model.implied(self.theta)

    def cov_lv(self, group: int = 1) -> pd.DataFrame:
        """The model-implied covariance matrix of the latent variables (lavaan's
        ``lavInspect(fit, "cov.lv")``): with a higher-order factor the first-order factors'
        covariances are implied by it, not parameters."""
        mv = self.model.mv
        p = len(mv.ov)
        sigma = self.implied_moments[group - 1].sigma_all[p:, p:]
        return pd.DataFrame(sigma, index=mv.lv, columns=mv.lv)

    def cor_lv(self, group: int = 1) -> pd.DataFrame:
        """``lavInspect(fit, "cor.lv")``: :meth:`cov_lv` as correlations."""
        cov = self.cov_lv(group)
        sd = np.sqrt(np.diag(cov.to_numpy()))
        return cov / np.outer(sd, sd)

    # ------------------------------------------------------------------ tables
    @cached_property
    @single_threaded
    def _duals(self):
        """Row values and implied SDs carrying d/dtheta for the delta method
        (:func:`loyaltysem.semcore.inference.standardized.model_duals`)."""
        return stdz.model_duals(self.model, self.theta)

    @single_threaded
    def _value_se(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Every row's value and delta-method SE: "est" (a ``:=`` row's SE) or a
        standardized kind."""
        cache = self.__dict__.setdefault("_value_se_cache", {})
        if kind not in cache:
            cache[kind] = stdz.values_and_se(
                self.model, self.theta, self.vcov, (kind,), self._duals
            )[kind]
        return cache[kind]

    @cached_property
    @single_threaded
    def estimates(self) -> pd.DataFrame:
        """lavaan's ``parameterEstimates(fit, standardized = TRUE)`` (95% normal CIs)."""
        pt = self.pt
        vcov = self.vcov
        defined = pt["op"].to_numpy() == ":="
        if defined.any():
            est, se_def = self._value_se("est")
        else:
            est, se_def = stdz.all_values(self.model, self.theta), np.zeros(len(pt))
        std = stdz.standardize_kinds(self.model, self.theta)
        se = np.full(len(pt), np.nan)
        free = pt["free"].to_numpy() > 0
        diag = np.sqrt(np.clip(np.diag(vcov), 0, None))
        se[free] = diag[pt["free"].to_numpy()[free] - 1]
        se[defined] = se_def[defined]
        # lavaan reports se = 0 for fixed parameters and NA for z/p
        se_out = np.where(free | defined, se, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(free | defined, est / se, np.nan)
        pvalue = 2 * _dist.norm_sf(np.abs(z))
        crit = _dist.norm_ppf(0.5 + self.level / 2)
        lo = np.where(free | defined, est - crit * se, est)
        hi = np.where(free | defined, est + crit * se, est)
        df = pd.DataFrame(
            {
                "lhs": pt["lhs"],
                "op": pt["op"],
                "rhs": pt["rhs"],
                "group": pt["group"],
                "label": pt["label"],
                "est": est,
                "se": se_out,
                "z": z,
                "pvalue": pvalue,
                "ci.lower": lo,
                "ci.upper": hi,
                "std.lv": std["std.lv"],
                "std.all": std["std.all"],
                "std.nox": std["std.nox"],
            }
        )
        df = df[~df["op"].isin(["==", "<", ">"])].reset_index(drop=True)
        df.loc[df["op"] == ":=", "group"] = 0
        return df

    @cached_property
    def standardized_solution(self) -> pd.DataFrame:
        """lavaan's ``standardizedSolution()``: est.std (std.all) with delta-method SEs."""
        return self.standardized("std.all")

    def standardized(self, type: str = "std.all") -> pd.DataFrame:  # noqa: A002 - lavaan's
        """lavaan's ``standardizedSolution(fit, type = type)`` for "std.all", "std.lv" or
        "std.nox": est.std with delta-method SEs, z, p and normal CIs.

        Example:
            >>> fit.standardized("std.nox")  # doctest: +SKIP
        """
        if type not in stdz.KINDS:
            raise ValueError(f"type must be one of {', '.join(stdz.KINDS)}")
        pt = self.pt
        keep = ~pt["op"].isin(["==", "<", ">"]).to_numpy()
        est, se = (a[keep] for a in self._value_se(type))
        # a fixed parameter can still have a standardized SE (it depends on free ones)
        se = np.where(se < 1e-12, 0.0, se)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, est / se, np.nan)
        crit = _dist.norm_ppf(0.5 + self.level / 2)
        return pd.DataFrame(
            {
                "lhs": pt["lhs"][keep].to_numpy(),
                "op": pt["op"][keep].to_numpy(),
                "rhs": pt["rhs"][keep].to_numpy(),
                "group": pt["group"][keep].to_numpy(),
                "label": pt["label"][keep].to_numpy(),
                "est.std": est,
                "se": se,
                "z": z,
                "pvalue": 2 * _dist.norm_sf(np.abs(z)),
                "ci.lower": np.where(se > 0, est - crit * se, est),
                "ci.upper": np.where(se > 0, est + crit * se, est),
            }
        )

    @cached_property
    @single_threaded
    def r2(self) -> pd.Series:
        """R-squared of every endogenous variable and indicator (lavaan's
        ``lavInspect(fit, "r2")``); multi-group: index (group, name)."""
        out = {}
        names = self.model.mv.ov + self.model.mv.lv
        pt = self.pt
        for g, imp in enumerate(self.implied_moments, start=1):
            rows = pt[pt["group"] == g]
            targets = list(
                dict.fromkeys(
                    list(rows.loc[rows["op"] == "=~", "rhs"])
                    + list(rows.loc[rows["op"] == "~", "lhs"])
                )
            )
            for v in names:
                if v not in targets:
                    continue
                i = names.index(v)
                total = imp.sigma_all[i, i]
                resid = imp.S[i, i]
                key = v if self.model.ngroups == 1 else (g, v)
                out[key] = 1.0 - resid / total if total > 0 else np.nan
        return pd.Series(out, dtype=float)

    @cached_property
    @single_threaded
    def fit_measures(self) -> dict[str, float]:
        """lavaan's ``fitMeasures()`` under lavaan's names."""
        from loyaltysem.semcore.fit.measures import fit_measures

        return fit_measures(self)

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict:
        """The ``fit`` JSON of the output contract."""
        estimates = self.estimates  # first: the standard errors may add a warning
        out = {
            "n": self.n,
            "converged": self.converged,
            "warnings": list(self.warnings),
            "fit": self.fit_measures,
            "estimates": estimates.to_dict(orient="records"),
            "r2": {str(k): v for k, v in self.r2.items()},
        }
        if self.model.ngroups > 1:
            out["group_labels"] = [str(g) for g in self.group_labels]
        return out

    def summary(self, parameters: bool = False) -> str:
        """The fit in a few lines: estimator, N, the chi-square test and CFI/TLI/RMSEA/SRMR,
        then every scaled or robust index that was computed (lavaan's names, e.g.
        ``chisq.scaled``, ``chisq.scaling.factor``, ``cfi.robust``, ``rmsea.robust`` under
        MLR), the warnings, and with ``parameters=True`` a compact parameter table (lhs op rhs
        est se z pvalue std.all, plus group when there are several)."""
        fm = self.fit_measures
        lines = [
            f"loyaltysem SEM ({self.estimator}, missing = {self.missing}): "
            f"{'converged' if self.converged else 'NOT converged'} after {self.iterations} "
            f"iterations",
            f"  N = {self.n}, free parameters = {self.npar}",
            f"  chisq = {fm['chisq']:.3f}, df = {fm['df']:.0f}, p = {fm['pvalue']:.3f}; "
            f"CFI = {fm['cfi']:.3f}, TLI = {fm['tli']:.3f}, RMSEA = {fm['rmsea']:.3f}, "
            f"SRMR = {fm.get('srmr', float('nan')):.3f}",
        ]
        robust = [
            ("chisq.scaled", ".3f"), ("df.scaled", ".0f"), ("pvalue.scaled", ".3f"),
            ("chisq.scaling.factor", ".3f"), ("cfi.scaled", ".3f"), ("tli.scaled", ".3f"),
            ("rmsea.scaled", ".3f"), ("cfi.robust", ".3f"), ("tli.robust", ".3f"),
            ("rmsea.robust", ".3f"), ("rmsea.ci.lower.robust", ".3f"),
            ("rmsea.ci.upper.robust", ".3f"),
        ]  # fmt: skip
        shown = [
            f"{k} = {float(fm[k]):{f}}"
            for k, f in robust
            if fm.get(k) is not None and np.isfinite(float(fm[k]))
        ]
        for i in range(0, len(shown), 4):
            lines.append(("  robust: " if i == 0 else "          ") + ", ".join(shown[i : i + 4]))
        lines += [f"  warning: {w}" for w in self.warnings]
        if parameters:
            cols = ["lhs", "op", "rhs", "est", "se", "z", "pvalue", "std.all"]
            if self.model.ngroups > 1:
                cols.insert(3, "group")
            table = self.estimates[cols].to_string(
                index=False, na_rep="", float_format=lambda v: f"{v:.3f}"
            )
            lines += ["", "Parameter estimates (lavaan's parameterEstimates):", table]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The main table: ``estimates`` (lavaan's ``parameterEstimates()``)."""
        return self.estimates

    def tables(self) -> dict[str, pd.DataFrame]:
        """``estimates``, ``fit`` (one row per fit measure: measure, value) and ``r2``."""
        fm = self.fit_measures
        return {
            "estimates": self.estimates,
            "fit": pd.DataFrame({"measure": list(fm), "value": list(fm.values())}),
            "r2": self.r2.rename("r2").to_frame(),
        }

    def __repr__(self) -> str:
        return self.summary()

    def _key_tables(self) -> dict[str, pd.DataFrame]:
        """Structural paths (else the loadings) and defined parameters, with R²."""
        est = self.estimates
        cols = ["lhs", "op", "rhs", "est", "se", "z", "pvalue", "std.all"]
        if self.model.ngroups > 1:
            cols.insert(3, "group")
        paths = est[est["op"] == "~"]
        out = {
            "paths" if len(paths) else "loadings": (
                paths if len(paths) else est[est["op"] == "=~"]
            )[cols]
        }
        defined = est[est["op"] == ":="]
        if len(defined):
            out["defined"] = defined[cols]
        if len(self.r2):
            out["r2"] = self.r2.rename("r2").to_frame()
        return {k: v.reset_index(drop=True) if k != "r2" else v for k, v in out.items()}

    def _repr_html_(self) -> str:
        """The fit in a few lines and the key tables (paths, defined parameters, R²); every
        row is in ``estimates``."""
        from loyaltysem.base.result import summary_html

        head = self.summary()
        return summary_html(head, self._key_tables(), rows=30)

    def plot(self, *, group: int = 1, labels=None):
        """The path diagram of the structural model: standardized coefficients (std.all) with
        stars on the arrows, non-significant paths dashed, R² in the endogenous constructs.
        Returns a matplotlib Figure (``fig.savefig("model.png")`` to keep it).

        Example:
            >>> fig = ls.sem(model, survey).plot()  # doctest: +SKIP
        """
        from loyaltysem.base.plotting import not_significant, path_figure, stars

        r2 = self.r2
        if self.model.ngroups > 1:
            r2 = pd.Series({k[1]: v for k, v in r2.items() if k[0] == group}, dtype=float)
        return path_figure(
            self.estimates,
            label_of=lambda r: f"{r['std.all']:.2f}".replace("-", "\u2212") + stars(r["pvalue"]),
            dashed_of=not_significant,
            labels=labels,
            r2_text={n: f"R² = {v:.2f}" for n, v in r2.items()},
            legend=[("p < .05", "-"), ("not significant", "--"),
                    ("* p < .05, ** p < .01, *** p < .001", "none")],
            group=group,
        )  # fmt: skip
