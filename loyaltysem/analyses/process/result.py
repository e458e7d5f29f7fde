"""``ProcessResult``: PROCESS's numbers as JSON (the output contract's shape), DataFrames and
text laid out like PROCESS's output."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loyaltysem.base.fileio import to_jsonable
from loyaltysem.base.result import ResultMixin

CONTRACT_KEYS = (
    "model",
    "n",
    "boot",
    "seed",
    "ci",
    "conf",
    "variables",
    "probes",
    "outcomes",
    "direct",
    "indirect",
    "index_moderated_mediation",
    "conditional_effects",
    "johnson_neyman",
)
ADDED_KEYS = (
    "n_missing",
    "hc",
    "center",
    "probe",
    "cov",
    "interaction_tests",
    "standardized_indirect",
    "boot_replaced",
    "notes",
)


@dataclass
class ProcessResult(ResultMixin):
    """The result of :func:`~loyaltysem.analyses.process.process`.

    ``outcomes``: one OLS model per outcome (mediators first, then Y) with its coefficients;
    ``direct``: the (conditional) direct effect of X on Y; ``indirect``: each indirect path
    at each probed moderator value (``w``), with the total and pairwise contrasts of
    unmoderated paths; ``index_moderated_mediation``; ``conditional_effects``: each moderated
    predictor's effect at the probe values; ``johnson_neyman`` (models 1 and 3);
    ``interaction_tests``: R-squared change and F of the highest-order interactions;
    ``standardized_indirect``: standardized indirect effects of unmoderated paths;
    ``draws``: every bootstrapped effect's draws (B rows; columns named by
    :func:`~loyaltysem.analyses.process.mediation.draw_label`), as PROCESS's ``save`` option.
    """

    model: int
    n: int
    boot: int
    seed: int | None
    ci: str
    conf: float
    variables: dict
    probes: dict
    outcomes: list = field(default_factory=list)
    direct: list = field(default_factory=list)
    indirect: list = field(default_factory=list)
    index_moderated_mediation: list = field(default_factory=list)
    conditional_effects: list = field(default_factory=list)
    johnson_neyman: list = field(default_factory=list)
    n_missing: int = 0
    hc: str | None = None
    center: list = field(default_factory=list)
    probe: str = "percentiles"
    cov: list = field(default_factory=list)
    interaction_tests: list = field(default_factory=list)
    standardized_indirect: list = field(default_factory=list)
    boot_replaced: int = 0
    notes: list = field(default_factory=list)
    draws: pd.DataFrame | None = field(default=None, repr=False)  # not in the JSON

    def to_dict(self) -> dict:
        """The JSON of ``loyaltysem process`` (docs/output-contract.md): the contract's keys
        in its order, then the project's additions."""
        return to_jsonable({k: getattr(self, k) for k in CONTRACT_KEYS + ADDED_KEYS})

    # ------------------------------------------------------------------ tables

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame: ``model_summary``, ``coefficients``,
        ``interaction_tests``, ``conditional_effects``, ``johnson_neyman``, ``direct``,
        ``indirect``, ``index_moderated_mediation``, ``standardized_indirect``."""
        summ = pd.DataFrame(
            [{k: v for k, v in o.items() if k != "coefficients"} for o in self.outcomes]
        )
        coefs = pd.DataFrame(
            [{"outcome": o["outcome"], **c} for o in self.outcomes for c in o["coefficients"]]
        )
        out = {"model_summary": summ, "coefficients": coefs}
        for name in (
            "interaction_tests",
            "conditional_effects",
            "johnson_neyman",
            "direct",
            "indirect",
            "index_moderated_mediation",
            "standardized_indirect",
        ):
            out[name] = _frame(getattr(self, name))
        return out

    def _tables(self) -> dict[str, pd.DataFrame]:
        keys = ("model_summary", "conditional_effects", "direct", "indirect",
                "index_moderated_mediation")  # fmt: skip
        return {k: v for k, v in self.tables().items() if k in keys and not v.empty}

    def _headline(self) -> str:
        v = self.variables
        boot = f", {self.boot} bootstrap draws ({self.ci})" if self.boot else ""
        return f"PROCESS model {self.model}: X = {v['x']}, Y = {v['y']}, n = {self.n}{boot}"

    def _warnings(self) -> list:
        return list(self.notes)

    @property
    def n_boot(self) -> int:
        """Bootstrap draws (the JSON's ``boot``)."""
        return self.boot

    def to_frame(self) -> pd.DataFrame:
        """One long table: a row per estimate, with ``component`` (coefficient, conditional,
        direct, indirect, index, standardized), ``outcome``, ``term``, the moderator values,
        and estimate, se, statistic, pvalue, llci, ulci."""
        rows = []
        for o in self.outcomes:
            for c in o["coefficients"]:
                rows.append(
                    _long(
                        "coefficient",
                        o["outcome"],
                        c["term"],
                        {},
                        c["coeff"],
                        c["se"],
                        c["t"],
                        c["pvalue"],
                        c["llci"],
                        c["ulci"],
                    )
                )
        y = self.variables["y"]
        for r in self.conditional_effects:
            rows.append(_long("conditional", r["outcome"], r["focal"], r["w"], *_effect(r)))
        for r in self.direct:
            rows.append(_long("direct", y, r.get("x", self.variables["x"]), r["w"], *_effect(r)))
        for comp, items, key in (
            ("indirect", self.indirect, "effect"),
            ("index", self.index_moderated_mediation, "index"),
            ("standardized", self.standardized_indirect, "effect"),
        ):
            for r in items:
                w = r.get("w", {}) or ({r["moderator"]: None} if "moderator" in r else {})
                rows.append(
                    _long(
                        comp,
                        y,
                        r["path"],
                        w,
                        r[key],
                        r["boot.se"],
                        None,
                        None,
                        r["boot.llci"],
                        r["boot.ulci"],
                    )
                )
        return pd.DataFrame(rows)

    # ------------------------------------------------------------------ text

    def summary(self) -> str:
        """PROCESS-style text: model, variables, each outcome's model summary and
        coefficients, interaction tests, conditional effects, direct and indirect effects."""
        from loyaltysem.analyses.process.text import summary_text

        return summary_text(self)


def _frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame()
    flat = []
    for r in rows:
        d = {k: v for k, v in r.items() if k != "w"}
        if "w" in r:
            d.update({f"w:{k}": v for k, v in r["w"].items()})
        flat.append(d)
    return pd.DataFrame(flat)


def _effect(r: dict) -> tuple:
    """An effect row's estimate, SE, t, p and interval, in _long's order."""
    return tuple(r[k] for k in ("effect", "se", "t", "pvalue", "llci", "ulci"))


def _long(component, outcome, term, w, est, se, stat, p, lo, hi) -> dict:
    row = {"component": component, "outcome": outcome, "term": term}
    row.update({f"w:{k}": v for k, v in (w or {}).items()})
    row.update({"estimate": est, "se": se, "statistic": stat, "pvalue": p, "llci": lo, "ulci": hi})
    return row
