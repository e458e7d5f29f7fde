"""Moderation for the results chapter: every ``Y ~ X:Z`` term of the structural model and
every moderator the model file declares (``[[moderators]]``) probed as semTools'
``probe2WayMC()`` does (simple slopes at the moderator's mean and +-1 SD, the
Johnson-Neyman interval; :mod:`loyaltysem.analyses.interactions`), and, when a mediator sits
on the moderated path, the index of moderated mediation and the conditional indirect
effects (Hayes 2015) with the run's bootstrap draws.

A declared moderator is fitted in a model of its own (the main model plus the moderator's
measurement and ``y ~ code + x:code``), so H1..Hn keep their numbers; an ``X:Z`` term in the
model itself is probed in the main fit. The moderated mediation is the same model with the
paths of each chain labelled and the ``:=`` definitions of
:func:`~loyaltysem.analyses.interactions.moderated_mediation_definitions` added, one chain per
antecedent of X (second stage moderated, ``A -> X -> Y``) and per outcome of Y (first
stage, ``X -> Y -> O``); one bootstrap serves every chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from loyaltysem.base.dist import norm_ppf
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice, prefixed
from loyaltysem.base.result import ResultMixin

_TERM = re.compile(r"(?<![\w.])([A-Za-z_.][\w.]*)\s*:(?!=)\s*([A-Za-z_.][\w.]*)")


@dataclass(repr=False)
class Moderation(ResultMixin):
    """One probed interaction ``y ~ x:z`` (numbers for the report's moderation tables).

    ``coefficients``: the rows ``y ~ x``, ``y ~ z`` and ``y ~ x:z`` of the fit's estimates
    (term, est, se, z, pvalue, ci.lower, ci.upper, std.all); ``slopes``: simple slopes at
    -1/0/+1 SD (semcore.interactions.simple_slopes); ``johnson_neyman``: its dict (values in
    the moderator's centred metric); ``conditional``: the moderated mediation per chain
    (kind "index" or "conditional", w_sd, est, se, z, pvalue, boot.se, ci.lower, ci.upper)
    or None; ``ci``: the interval of ``conditional`` ("bc", "percentile", "bca" or "delta");
    ``n_boot`` and ``seed``: its bootstrap draws (the failed ones among ``warnings``).
    """

    fit: object
    y: str
    x: str
    z: str
    declared: bool
    coefficients: pd.DataFrame
    slopes: pd.DataFrame
    johnson_neyman: dict
    z_sd: float
    hypothesis: str | None = None
    conditional: pd.DataFrame | None = None
    n_boot: int = 0
    ci: str = "delta"
    level: float = 0.95
    warnings: list[str] = field(default_factory=list)
    #: the moderator's observed range in the centred metric of the Johnson-Neyman values
    #: (its score, the mean of its items, minus the mean), None when it cannot be scored
    observed: tuple[float, float] | None = None
    seed: int | None = None

    _main = "slopes"  # class attributes (no annotation): not fields
    _key = ("coefficients", "slopes", "conditional")

    @property
    def term(self) -> str:
        return f"{self.x}:{self.z}"

    def _headline(self) -> str:
        jn = self.johnson_neyman or {}
        lo, hi = jn.get("lower"), jn.get("upper")
        shown = ["-" if v is None else f"{v:.3f}" for v in (lo, hi)]
        region = "" if lo is None and hi is None else f"; Johnson-Neyman bounds {', '.join(shown)}"
        return f"Moderation {self.y} ~ {self.term} (n = {self.n}){region}"

    def __repr__(self) -> str:
        return f"<Moderation {self.y} ~ {self.term}>"

    def plot(self, *, x_label: str | None = None, y_label: str | None = None):
        """The interaction plot: predicted ``y`` at X = -1 and +1 SD for the moderator at
        -1 SD, its mean and +1 SD (Aiken & West 1991). Returns a matplotlib Figure.

        Example:
            >>> fig = ls.moderation(fit, "LOY", "SAT", "SWC").plot()  # doctest: +SKIP
        """
        from loyaltysem.analyses.interactions import interaction_lines
        from loyaltysem.base.plotting import interaction_figure

        lines = interaction_lines(self.fit, self.y, self.x, self.z)
        return interaction_figure(
            lines, x_label=x_label or self.x, y_label=y_label or self.y,
            legend_labels=(f"{self.z} low (-1 SD)", f"{self.z} mean", f"{self.z} high (+1 SD)"),
        )  # fmt: skip

    @property
    def n(self) -> int:
        return int(self.fit.n)


def probe_moderation(
    fit, inst, survey, hypotheses: pd.DataFrame, *, estimator="ML", missing="listwise",
    n_boot=0, seed=None, n_jobs=None, progress=False, ci="bc",
) -> tuple[list[Moderation], pd.DataFrame | None, list[str]]:  # fmt: skip
    """Probe every ``X:Z`` term of the fitted model ``fit`` and every moderator the model
    file ``inst`` declares: the probed interactions, the declared moderators' hypotheses
    decided in their own models (None when there are none) and the warnings."""
    from loyaltysem.analyses.hypotheses import hypothesis_table
    from loyaltysem.analyses.interactions import interaction_terms
    from loyaltysem.semcore.estimation import sem
    from loyaltysem.survey.moderation import moderation_syntax

    jobs, warnings, decided = [], [], []
    for y, x, z in interaction_terms(fit):
        hyp = hypotheses
        hit = hyp[(hyp["lhs"] == y) & (hyp["rhs"] == f"{x}:{z}")] if len(hyp) else hyp
        hid = str(hit["id"].iloc[0]) if len(hit) else None
        jobs.append((fit, inst.model_syntax(), y, x, z, False, hid))
    for mod in inst.moderators:
        syntax = moderation_syntax(inst, mod)
        try:
            mfit = sem(syntax, survey, estimator=estimator, missing=missing)
        except InputError as exc:
            msg = f"moderation by {mod.code} not estimated: {exc}"
            warnings.append(Notice("mod.not_estimated", msg, moderator=mod.code, error=str(exc)))
            continue
        jobs.append((mfit, syntax, mod.y, mod.x, mod.code, True, mod.id))
        if mod.hypothesis is not None:
            decided.append(hypothesis_table(mfit.estimates, [mod.hypothesis]).assign(
                moderator=mod.code, n=mfit.n))  # fmt: skip
    opts = dict(estimator=estimator, missing=missing, n_boot=n_boot, seed=seed,
                n_jobs=n_jobs, progress=progress, ci=ci)  # fmt: skip
    models = []
    for mfit, syntax, y, x, z, declared, hid in jobs:
        mod = probe(mfit, y, x, z, declared=declared, hypothesis=hid)
        mod.observed = observed_range(survey, inst, z)
        try:
            moderated_mediation_chains(mod, syntax, survey, **opts)
        except (InputError, ValueError, NotImplementedError) as exc:
            msg = f"moderated mediation not computed: {exc}"
            mod.warnings.append(Notice("mod.modmed_failed", msg, error=str(exc)))
        models.append(mod)
        warnings += [w for w in mod.warnings if w not in warnings]
    return models, (pd.concat(decided, ignore_index=True) if decided else None), warnings


def observed_range(survey, inst, z: str) -> tuple[float, float] | None:
    """The observed range of moderator ``z`` around its mean: its score (the mean of its
    items, reverse-keyed items recoded; an observed moderator its own column) on the
    respondents who answered all of them, minus the mean. A Johnson-Neyman boundary outside
    it describes no respondent (Bauer & Curran 2005; Hayes 2022, 7.4).

    Example:
        >>> import pandas as pd
        >>> from types import SimpleNamespace as NS
        >>> survey = NS(data=pd.DataFrame({"Z1": [1.0, 4, 7], "Z2": [1.0, 4, 7]}))
        >>> observed_range(survey, NS(moderators=[], constructs=[]), "Z1")
        (-3.0, 3.0)
    """
    items = []
    for mod in getattr(inst, "moderators", None) or []:
        if mod.code == z:
            items = list(getattr(mod, "item_codes", None) or [])
    for c in getattr(inst, "constructs", None) or []:
        if not items and getattr(c, "code", None) == z:
            items = [getattr(i, "code", i) for i in c.items]
    data = getattr(survey, "data", None)
    items = [i for i in (items or [z]) if data is not None and i in data.columns]
    if not items:
        return None
    score = data[items].apply(pd.to_numeric, errors="coerce").dropna().mean(axis=1)
    if score.empty:
        return None
    centred = score - score.mean()
    return float(centred.min()), float(centred.max())


def probe(fit, y: str, x: str, z: str, *, declared: bool = False, hypothesis=None,
          level: float = 0.95) -> Moderation:  # fmt: skip
    """The coefficients of ``y ~ x + z + x:z``, simple slopes and the Johnson-Neyman
    interval of one fitted interaction."""
    from loyaltysem.analyses.interactions import johnson_neyman, moderator_sd, simple_slopes

    est = fit.estimates
    rows = []
    for term in (x, z, f"{x}:{z}"):
        hit = est[(est["op"] == "~") & (est["lhs"] == y) & (est["rhs"] == term)]
        hit = hit[hit["group"].isin([0, 1])]
        if hit.empty:
            raise InputError(f"the model has no path '{y} ~ {term}'")
        r = hit.iloc[0]
        rows.append({"term": term, **{k: float(r[k]) for k in
                     ("est", "se", "z", "pvalue", "ci.lower", "ci.upper", "std.all")}})  # fmt: skip
    return Moderation(
        fit=fit, y=y, x=x, z=z, declared=declared, coefficients=pd.DataFrame(rows),
        slopes=simple_slopes(fit, y, x, z, level=level),
        johnson_neyman=johnson_neyman(fit, y, x, z, level=level),
        z_sd=moderator_sd(fit, z), hypothesis=hypothesis, level=level,
    )  # fmt: skip


# ----------------------------------------------------------------------------- syntax
def _vec(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "c(" + ", ".join(values) + ")"


def _row_text(lhs: str, op: str, rhs: str, mod) -> str:
    """One parsed row back as lavaan syntax (fixed values, labels, start values kept)."""
    if op in (":=", "==", "<", ">"):
        return f"{lhs} {op} {rhs}"
    parts = []
    if mod.fixed:
        parts.append(_vec(["NA" if v is None else f"{v:.17g}" for v in mod.fixed]))
    if mod.label:
        parts.append(_vec(list(mod.label)))
    if mod.start:
        parts.append(f"start({_vec([f'{v:.17g}' for v in mod.start])})")
    pre = "".join(p + "*" for p in parts)
    if op == "~1":
        return f"{lhs} ~ {pre}1"
    return f"{lhs} {op} {pre}{rhs}"


def labelled_syntax(syntax: str, wanted: dict[tuple[str, str], str]) -> tuple[str, dict]:
    """lavaan syntax with a label on each regression ``(lhs, rhs)`` of ``wanted`` (a label
    the user gave is kept); returns the syntax, one statement a line, and the labels used.
    ``X:Z`` terms stay as they are."""
    from loyaltysem.survey.syntax import parse_syntax

    dotted: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        name = f"{m.group(1)}.{m.group(2)}"
        dotted[name] = f"{m.group(1)}:{m.group(2)}"
        return name

    code = "\n".join(_TERM.sub(sub, re.sub(r"[#!].*", "", line)) for line in syntax.splitlines())
    rows = parse_syntax(code)
    used = {lab for r in rows for lab in r.modifier.label}
    labels: dict[tuple[str, str], str] = {}
    lines = []
    for r in rows:
        rhs = dotted.get(r.rhs, r.rhs)
        mod = r.modifier
        key = (r.lhs, rhs)
        if r.op == "~" and key in wanted:
            if mod.label:
                labels[key] = mod.label[0]
            else:
                lab = wanted[key]
                while lab in used:
                    lab += "_"
                used.add(lab)
                labels[key] = lab
                mod = replace(mod, label=[lab])
        lines.append(_row_text(r.lhs, r.op, rhs, mod))
    missing = [k for k in wanted if k not in labels]
    if missing:
        raise InputError(f"the model has no path '{missing[0][0]} ~ {missing[0][1]}'")
    return "\n".join(lines) + "\n", labels


# ----------------------------------------------------------------------------- moderated mediation
def mediation_chains(fit, y: str, x: str, z: str) -> list[tuple[str, tuple[str, str, str]]]:
    """(stage, (from, mediator, to)) of every indirect effect through the moderated path
    ``y ~ x``: second stage for each antecedent A of X (A -> X -> Y), first stage for each
    outcome O of Y (X -> Y -> O)."""
    est = fit.estimates
    reg = est[(est["op"] == "~") & est["group"].isin([0, 1]) & ~est["rhs"].str.contains(":")]
    chains = []
    for a in reg.loc[reg["lhs"] == x, "rhs"]:
        if a not in (z, y):
            chains.append(("second", (a, x, y)))
    for o in reg.loc[reg["rhs"] == y, "lhs"]:
        if o not in (x, z):
            chains.append(("first", (x, y, o)))
    return chains


def _roles(stage: str, chain: tuple[str, str, str], term: str) -> dict[str, tuple[str, str]]:
    a, m, o = chain
    if stage == "second":  # a: m ~ a; b1: o ~ m; b3: o ~ m:w
        return {"a": (m, a), "b1": (o, m), "b3": (o, term)}
    return {"a1": (m, a), "a3": (m, term), "b": (o, m)}  # a1: m ~ x, a3: m ~ x:w, b: o ~ m


def moderated_mediation_chains(
    mod: Moderation, syntax: str, survey, *, estimator="ML", missing="listwise", n_boot=0,
    seed=None, n_jobs=None, progress=False, ci="bc",
) -> None:  # fmt: skip
    """Fill ``mod.conditional``: per chain the index of moderated mediation and the
    conditional indirect effects at W = -1 SD, mean, +1 SD (Hayes 2015; W's SD from the fit,
    as PROCESS), with ``n_boot`` bootstrap draws (``ci`` interval) or, without draws, the
    delta method's SEs and normal intervals."""
    from loyaltysem.analyses.interactions import moderated_mediation_definitions
    from loyaltysem.semcore.estimation import sem
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    chains = mediation_chains(mod.fit, mod.y, mod.x, mod.z)
    if not chains:
        return
    wanted, roles = {}, []
    for k, (stage, chain) in enumerate(chains, start=1):
        r = _roles(stage, chain, mod.term)
        roles.append(r)
        for role, key in r.items():
            wanted.setdefault(key, f"mm{k}_{role}")
    text, labels = labelled_syntax(syntax, wanted)
    defs, meta = [], []
    for k, ((stage, chain), r) in enumerate(zip(chains, roles, strict=True), start=1):
        lab = {role: labels[key] for role, key in r.items()}
        for name, expr in moderated_mediation_definitions(stage, lab, mod.z_sd):
            defs.append((f"mm{k}_{name}", expr))
            kind = "index" if name == "index_modmed" else "conditional"
            w = {"ind_w_low": -1.0, "ind_w_mean": 0.0, "ind_w_high": 1.0}.get(name, np.nan)
            meta.append({"name": f"mm{k}_{name}", "stage": stage, "from": chain[0],
                         "mediator": chain[1], "to": chain[2], "kind": kind, "w_sd": w,
                         "w_value": w * mod.z_sd})  # fmt: skip
    text += "".join(f"{n} := {e}\n" for n, e in defs)
    fit = sem(text, survey, estimator=estimator, missing=missing)
    est = fit.estimates[fit.estimates["op"] == ":="].set_index("lhs")
    table = pd.DataFrame(meta)
    for c in ("est", "se", "z", "pvalue"):
        table[c] = est.loc[table["name"], c].to_numpy(dtype=float)
    mod.ci, mod.n_boot = "delta", 0
    if n_boot:
        try:
            boot = bootstrap(fit, n_boot, seed=seed, level=mod.level, ci=ci, n_jobs=n_jobs,
                             progress=progress)  # fmt: skip
        except (ValueError, NotImplementedError) as exc:
            msg = f"bootstrap not run ({exc}); delta-method intervals used"
            mod.warnings.append(Notice("boot.not_run", msg, error=str(exc)))
            boot = None
        if boot is not None:
            bt = boot.table
            bt = bt[(bt["op"] == ":=") & (bt["scale"] == "est")].set_index("lhs")
            table["boot.se"] = bt.loc[table["name"], "boot.se"].to_numpy(dtype=float)
            table["ci.lower"] = bt.loc[table["name"], "ci.lower"].to_numpy(dtype=float)
            table["ci.upper"] = bt.loc[table["name"], "ci.upper"].to_numpy(dtype=float)
            mod.ci, mod.n_boot, mod.seed = ci, int(boot.n_boot), boot.seed
            where = f"moderated mediation ({mod.y} ~ {mod.term})"  # which bootstrap, on the console
            mod.warnings += [prefixed(where, w) for w in boot.warnings]
    if mod.ci == "delta":
        crit = norm_ppf(0.5 + mod.level / 2)
        table["boot.se"] = np.nan
        table["ci.lower"] = table["est"] - crit * table["se"]
        table["ci.upper"] = table["est"] + crit * table["se"]
    mod.conditional = table
