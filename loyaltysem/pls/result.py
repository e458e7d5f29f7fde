"""The result of a PLS path model: estimates, assessment, bootstrap, JSON and display."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base.result import ResultMixin, summary_html
from loyaltysem.pls.algorithm import Layout
from loyaltysem.pls.model import PLSModel


def no_predict_notice():
    """The notice that PLSpredict was skipped for a model with higher-order constructs."""
    from loyaltysem.base.notice import Notice

    msg = "PLSpredict was not run: it has no published procedure for higher-order constructs"
    return Notice("pls.hoc_no_predict", msg)


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if not np.isfinite(x) else x


@dataclass(repr=False)
class PLSResult(ResultMixin):
    """Estimates and assessment of a PLS path model (names as seminr / SmartPLS).

    ``paths`` is K x K with [source, target]; ``weights`` and ``loadings`` are items x
    constructs (0 outside a construct's block); ``estimates`` has one row per reported
    statistic (kind path/weight/loading/indirect/total_indirect/total/htmt/r2) with the
    bootstrap columns (boot.mean, se, t, pvalue, ci.lower, ci.upper and ci, the interval
    type) when bootstrapped.
    """

    model: PLSModel
    n: int
    scheme: str
    consistent: bool
    iterations: int
    converged: bool
    n_missing: int
    weights: pd.DataFrame
    loadings: pd.DataFrame
    paths: pd.DataFrame
    r2: pd.Series
    r2_adj: pd.Series
    f2: dict
    reliability: pd.DataFrame
    construct_correlations: pd.DataFrame
    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    cross_loadings: pd.DataFrame
    vif_items: dict
    vif_inner: dict
    total_effects: pd.DataFrame
    estimates: pd.DataFrame
    scores: pd.DataFrame = field(repr=False)
    warnings: list[str] = field(default_factory=list)
    q2: pd.Series | None = None
    predict: object | None = None
    bootstrap: object | None = None
    layout: Layout | None = field(default=None, repr=False)
    data: np.ndarray | None = field(default=None, repr=False)
    #: higher-order constructs (two-stage approach): method, variant, components, modes,
    #: stage-1 paths, iterations, convergence and R^2; None without higher-order constructs
    higher_order: dict | None = None

    # ------------------------------------------------------------------ derived tables

    @property
    def effects(self) -> pd.DataFrame:
        """Specific indirect, total indirect and total effects (with bootstrap columns)."""
        kinds = ("indirect", "total_indirect", "total")
        return self.estimates[self.estimates["kind"].isin(kinds)].reset_index(drop=True)

    def run_predict(self, folds: int = 10, reps: int = 1, seed: int | None = None, **kw):
        """PLSpredict (k-fold RMSE/MAE against the LM benchmark); stored in ``predict``.
        Not for models with higher-order constructs (no published procedure; seminr refuses
        them too)."""
        from loyaltysem.base.errors import InputError
        from loyaltysem.pls.predict import pls_predict

        if self.higher_order:
            raise InputError(
                "PLSpredict has no published procedure for higher-order constructs "
                "(use --predict-folds 0)"
            )

        self.predict = pls_predict(
            self.data, self.layout, folds=folds, reps=reps, seed=seed, scheme=self.scheme,
            consistent=self.consistent, **kw,
        )  # fmt: skip
        return self.predict

    def _contract_estimates(self) -> pd.DataFrame:
        """The estimates as the JSON has them: percentile ``ci.*`` and BCa ``bca.*``."""
        b = self.bootstrap
        if b is None:
            return self.estimates
        est = b.intervals("percentile")
        if b.accel is not None:
            bca = b.intervals("bca")
            est["bca.lower"], est["bca.upper"] = bca["ci.lower"], bca["ci.upper"]
        return est

    def _rows(self, kind: str, table: pd.DataFrame | None = None) -> list[dict]:
        table = self._contract_estimates() if table is None else table
        t = table[table["kind"] == kind]
        cols = ["se", "t", "pvalue", "ci.lower", "ci.upper", "bca.lower", "bca.upper"]
        out = []
        for _, r in t.iterrows():
            row = {"lhs": r["lhs"], "op": r["op"], "rhs": r["rhs"], "est": _num(r["est"])}
            if kind == "indirect":
                row["through"] = r["through"].split(" -> ")
            for c in cols:
                if c in t.columns:
                    row[c] = _num(r[c])
                elif not c.startswith("bca"):
                    row[c] = None
            out.append(row)
        return out

    # ------------------------------------------------------------------ output contract

    def to_dict(self) -> dict:
        """The JSON of the output contract (``loyaltysem pls``); NaN becomes None. Rows carry
        the percentile interval in ``ci.lower``/``ci.upper`` and, with a bootstrap, the BCa
        interval in ``bca.lower``/``bca.upper`` (the contract's keys)."""
        est = self._contract_estimates()
        paths = self._rows("path", est)
        for row in paths:
            row["f2"] = _num(self.f2.get((row["lhs"], row["rhs"])))
        measure = {}
        for kind in ("weight", "loading"):
            rows = self._rows(kind, est)
            for row in rows:
                row["construct"] = row.pop("lhs")
                row["item"] = row.pop("rhs")
                row["mode"] = "B" if row.pop("op") == "<~" else "A"
            measure[kind + "s"] = rows
        cons = list(self.reliability.index)
        ht = self.htmt
        out = {
            "n": self.n,
            "warnings": list(self.warnings),
            "iterations": self.iterations,
            "converged": self.converged,
            "scheme": self.scheme,
            "consistent": self.consistent,
            "n.missing": self.n_missing,
            "paths": paths,
            **measure,
            "r2": {k: _num(v) for k, v in self.r2.items()},
            "r2.adj": {k: _num(v) for k, v in self.r2_adj.items()},
            "reliability": {
                c: {k: _num(self.reliability.loc[c, k]) for k in ("alpha", "rhoC", "rhoA", "AVE")}
                for c in cons
            },
            "htmt": {
                a: {b: _num(ht.loc[a, b]) for b in cons[i + 1 :]} for i, a in enumerate(cons[:-1])
            },
            "fornell_larcker": {
                a: {b: _num(self.fornell_larcker.loc[a, b]) for b in cons[: i + 1]}
                for i, a in enumerate(cons)
            },
            "cross_loadings": {
                i: {c: _num(v) for c, v in row.items()} for i, row in self.cross_loadings.iterrows()
            },
            "vif": {t: {k: _num(v) for k, v in s.items()} for t, s in self.vif_inner.items()},
            "vif.items": {c: {k: _num(v) for k, v in s.items()} for c, s in self.vif_items.items()},
            "effects": [
                r for k in ("indirect", "total_indirect", "total") for r in self._rows(k, est)
            ],  # fmt: skip
            "q2": None if self.q2 is None else {k: _num(v) for k, v in self.q2.items()},
            "predict": None if self.predict is None else self.predict.to_dict(),
            "bootstrap": None,
        }
        if self.higher_order:
            h = self.higher_order
            out["higher_order"] = {
                **{k: h[k] for k in ("method", "variant", "components", "modes")},
                "stage1": {
                    "paths": [{"lhs": t, "op": "~", "rhs": s} for s, t in h["stage1_paths"]],
                    "iterations": h["stage1_iterations"],
                    "converged": h["stage1_converged"],
                    "r2": {k: _num(v) for k, v in h["stage1_r2"].items()},
                },
            }
        if self.bootstrap is not None:
            b = self.bootstrap
            out["htmt.boot"] = self._rows("htmt", est)
            out["bootstrap"] = {
                "draws": b.n_boot,
                "failed": b.n_failed,
                "seed": b.seed,
                "level": b.level,
                "ci": "percentile",
            }
        return out

    # ------------------------------------------------------------------ display

    def to_frame(self) -> pd.DataFrame:
        """The main table: the path coefficients (with their bootstrap columns)."""
        return self.estimates[self.estimates["kind"] == "path"].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the summary by name, and ``estimates`` (every statistic)."""
        out = {title: t for title, t in self._titled_tables()}
        out["estimates"] = self.estimates
        return out

    def plot(self, *, labels=None):
        """The PLS path diagram: path coefficients on the arrows (stars from the bootstrap p
        when bootstrapped, non-significant paths dashed), R² in the endogenous constructs.
        Returns a matplotlib Figure.

        Example:
            >>> fig = ls.pls(survey, model, n_boot=500).plot()  # doctest: +SKIP
        """
        from loyaltysem.base.plotting import path_figure, stars

        est = self.estimates
        cons = self.model.constructs
        rows = [{"lhs": c, "op": "=~", "rhs": i, "group": 1}
                for c, items in cons.items() for i in items if i not in cons]  # fmt: skip
        for _, r in est[est["kind"] == "path"].iterrows():
            p = float(r["pvalue"]) if "pvalue" in est else np.nan
            rows.append({"lhs": r["lhs"], "op": "~", "rhs": r["rhs"], "group": 1,
                         "est": float(r["est"]), "pvalue": p})  # fmt: skip
        booted = self.bootstrap is not None
        legend = [("p < .05", "-"), ("not significant", "--"),
                  ("* p < .05, ** p < .01, *** p < .001", "none")] if booted else []  # fmt: skip
        return path_figure(
            pd.DataFrame(rows),
            label_of=lambda r: f"{r['est']:.2f}".replace("-", "\u2212") + stars(r["pvalue"]),
            dashed_of=lambda r: booted and not (r["pvalue"] < 0.05),
            labels=labels,
            r2_text={n: f"R² = {v:.2f}" for n, v in self.r2.items()},
            legend=legend,
        )  # fmt: skip

    def _titled_tables(self) -> list[tuple[str, pd.DataFrame]]:
        est = self.estimates
        cols = [c for c in ("est", "se", "t", "pvalue", "ci.lower", "ci.upper") if c in est]
        paths = est[est["kind"] == "path"][["lhs", "op", "rhs", *cols]].copy()
        paths["f2"] = [self.f2.get((a, b)) for a, b in zip(paths["lhs"], paths["rhs"], strict=True)]
        meas = pd.DataFrame(
            {
                "construct": [c for c in self.reliability.index for _ in self._items(c)],
                "item": [i for c in self.reliability.index for i in self._items(c)],
                "loading": [self.loadings.loc[i, c] for c in self.reliability.index
                            for i in self._items(c)],
                "weight": [self.weights.loc[i, c] for c in self.reliability.index
                           for i in self._items(c)],
            }
        )  # fmt: skip
        r2 = pd.DataFrame({"R2": self.r2, "R2.adj": self.r2_adj})
        if self.q2 is not None:
            r2["Q2"] = self.q2
        tables = [
            ("Path coefficients", paths.reset_index(drop=True)),
            ("R-squared", r2),
            ("Outer loadings and weights", meas),
            ("Reliability and convergent validity", self.reliability),
            ("HTMT", self.htmt),
            ("Fornell-Larcker criterion", self.fornell_larcker),
        ]
        eff = self.effects
        if len(eff):
            tables.append(("Effects", eff[["kind", "lhs", "rhs", "through", *cols]]))
        if self.predict is not None:
            tables.append(("PLSpredict (out of sample)", self.predict.table))
        return tables

    def _items(self, construct: str) -> list[str]:
        return list(self.model.constructs[construct])

    def summary(self) -> str:
        head = (
            f"PLS-SEM ({self.scheme} weighting{', PLSc' if self.consistent else ''}): "
            f"n = {self.n}, {self.iterations} iterations"
            + ("" if self.converged else " (NOT converged)")
        )
        if self.bootstrap is not None:
            head += f", bootstrap {self.bootstrap.n_boot} draws (seed {self.bootstrap.seed})"
        parts = [head]
        if self.higher_order:
            h = self.higher_order
            hocs = "; ".join(f"{c} (mode {h['modes'][c]}) of {', '.join(d)}"
                             for c, d in h["components"].items())  # fmt: skip
            parts.append(
                f"Higher-order constructs, {h['variant']} two-stage approach: {hocs}; stage 1 "
                f"({h['stage1_iterations']} iterations) gives the lower-order scores that "
                "measure them in stage 2"
            )
        for title, t in self._titled_tables():
            parts.append(f"\n{title}\n" + t.round(3).to_string(na_rep="."))
        if self.warnings:
            parts.append("\nWarnings:\n" + "\n".join(f"- {w}" for w in self.warnings))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """The headline and the key tables (paths, R², reliability), a few rows each."""
        tables = dict(self._titled_tables())
        keys = ("Path coefficients", "R-squared", "Reliability and convergent validity", "HTMT")
        return summary_html(self.summary().splitlines()[0], {k: tables[k] for k in keys},
                            self.warnings)  # fmt: skip
