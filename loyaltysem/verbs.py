"""The verbs of ``import loyaltysem as ls`` that are thin front doors to functions with other
names deeper in the package: plain functions, a survey (or DataFrame, or data file) and a model
in, a result out. Every default is the CLI's (``loyaltysem reliability``, ``efa``,
``invariance``, ``power``): the same call gives the same numbers on both.

The verbs that already have their name (``load``, ``screen``, ``sem``, ``cfa``,
``bootstrap``, ``analyze``, ``write_report``, ``process``, ``init_model``, ``pls``) are exported
from where they live; :mod:`loyaltysem` lists them all.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.validate import DEFAULT_SEED
from loyaltysem.survey.data import Survey

__all__ = [
    "effects",
    "efa",
    "invariance",
    "mediation",
    "moderation",
    "modindices",
    "power",
    "reliability",
]


def _survey(data, model=None) -> Survey:
    """A Survey from a Survey, a DataFrame or a data file, with ``model``'s instrument."""
    from loyaltysem.survey.loaders import _as_instrument, load

    if isinstance(data, str | Path):
        return load(data, model)
    inst = _as_instrument(model)
    if isinstance(data, Survey):
        return data if inst is None else replace(data, instrument=inst)
    if isinstance(data, pd.DataFrame):
        return Survey(data.reset_index(drop=True), instrument=inst)
    raise InputError(
        f"data must be a Survey, a DataFrame or a data file, not {type(data).__name__}"
    )


def _instrument(survey: Survey, verb: str):
    if survey.instrument is None:
        raise InputError(f"{verb}() needs a model (model=...) naming the constructs' items")
    return survey.instrument


def reliability(data, model=None, *, missing: str = "pairwise", validity: bool = True):
    """Reliability and validity of every construct, as ``loyaltysem reliability``: Cronbach's
    alpha (with intervals), CITC and alpha if deleted (psych's ``alpha()``), omega total;
    with ``validity`` also CR, AVE and omega from a CFA (semTools' ``compRelSEM``), HTMT
    (Henseler, Ringle & Sarstedt 2015) and the Fornell-Larcker table (Fornell & Larcker
    1981). ``missing``: "pairwise" (psych's default) or "listwise" for alpha, CITC and
    omega total; the CFA and HTMT use the complete rows, as lavaan and semTools do.

    Returns a :class:`~loyaltysem.psychometrics.reliability.ReliabilityResult`
    (``constructs``, ``items``, ``validity``, ``htmt``, ``fornell_larcker``).

    Example:
        >>> rel = ls.reliability(survey)                 # doctest: +SKIP
        >>> rel.constructs[["alpha", "omega.total"]]     # doctest: +SKIP
    """
    from loyaltysem.psychometrics.reliability import (
        convergent_validity,
        fornell_larcker,
        htmt,
        reliability_table,
    )

    survey = _survey(data, model)
    inst = _instrument(survey, "reliability")
    ci = inst.construct_items
    X = survey.data[inst.item_codes]
    rel = reliability_table(X, ci, missing=missing)
    if not validity:
        return rel
    from loyaltysem.semcore.estimation import sem

    cfa = sem(inst.measurement_syntax(), survey)
    val = convergent_validity(cfa.estimates, ci, X.dropna().cov(ddof=0))
    fl = fornell_larcker(cfa.cor_lv().loc[list(ci), list(ci)], val["ave"])  # model-implied
    warnings = list(rel.warnings) + [w for w in cfa.warnings if w not in rel.warnings]
    return replace(
        rel, validity=val, htmt=htmt(survey.data, ci), fornell_larcker=fl, warnings=warnings
    )


def efa(
    data,
    n_factors: int | str = "parallel",
    *,
    model=None,
    items=None,
    method: str = "minres",
    rotation: str | None = "varimax",
    missing: str = "pairwise",
    n_iter: int = 50,
    seed: int | None = DEFAULT_SEED,
):
    """Exploratory factor analysis as ``loyaltysem efa``: KMO, Bartlett's test, Horn's
    parallel analysis (psych's ``fa.parallel``, ``n_iter`` resampled data sets) and the EFA
    (psych's ``fa``: ``method`` minres, ml or principal; ``rotation`` varimax, promax,
    oblimin or None) with ``n_factors`` factors ("parallel": as many as the parallel
    analysis suggests). ``items``: the items to analyse (default: the model's items, else
    every numeric column).

    Returns an :class:`~loyaltysem.psychometrics.efa.EFAResult` with ``parallel``, ``kmo``
    and ``bartlett`` filled; ``.plot()`` draws the scree plot with the parallel analysis.

    Example:
        >>> res = ls.efa(survey)          # doctest: +SKIP
        >>> res.loadings.round(2)         # doctest: +SKIP
        >>> res.plot()                    # doctest: +SKIP
    """
    from loyaltysem.psychometrics.efa import bartlett, kmo, parallel_analysis
    from loyaltysem.psychometrics.efa import efa as _efa
    from loyaltysem.survey.keying import parse_items

    survey = _survey(data, model)
    cols = parse_items(items) or list(survey.items)
    absent = [c for c in cols if c not in survey.data.columns]
    if absent:
        raise InputError("item not in the data", column=absent[0])
    if len(cols) < 2:
        raise InputError("efa() needs at least two items (items=... or a model)")
    X = survey.data[cols]
    pa = parallel_analysis(X, n_iter=n_iter, seed=seed, missing=missing)
    if n_factors == "parallel":
        n_factors = max(pa.n_factors, 1)
    res = _efa(X, n_factors, method, rotation, missing=missing)
    return replace(res, parallel=pa, kmo=kmo(X, missing), bartlett=bartlett(X, missing))


def mediation(
    fit,
    boot=None,
    *,
    n_boot: int = 0,
    ci: str = "bc",
    seed: int | None = DEFAULT_SEED,
    scale: str = "est",
    group: int = 1,
):
    """The mediation decomposition of a fitted model: for every predictor -> outcome pair with
    an indirect path, the direct, specific indirect, total indirect and total effects, the
    proportion mediated and the verdict (Zhao, Lynch & Chen 2010). Intervals from ``boot``
    (:func:`loyaltysem.bootstrap`), or from ``n_boot`` new draws, ``ci``: "bc"
    (bias-corrected, ``loyaltysem run``'s default), "percentile" or "bca"; with neither, the
    delta method's.

    Returns a :class:`~loyaltysem.analyses.mediation.MediationResult` (``effects``,
    ``pairs``; ``.plot()`` the bootstrap distribution of an indirect effect).

    Example:
        >>> fit = ls.sem("models/online_loyalty.toml", survey)   # doctest: +SKIP
        >>> med = ls.mediation(fit, n_boot=1000)                 # doctest: +SKIP
        >>> med.pairs[["from", "to", "indirect.est", "verdict"]]  # doctest: +SKIP
    """
    from loyaltysem.analyses.mediation import mediation_table

    if boot is None and n_boot:
        from loyaltysem.semcore.resample.bootstrap import bootstrap

        boot = bootstrap(fit, n_boot, seed=seed, ci=ci)
    return mediation_table(fit, boot, ci=ci, scale=scale, group=group)


def moderation(
    model,
    data=None,
    *,
    y: str | None = None,
    x: str | None = None,
    z: str | None = None,
    level: float = 0.95,
    **sem_options,
):
    """Probe a latent interaction ``y ~ x + z + x:z`` as semTools' ``probe2WayMC()``: the
    coefficients, simple slopes of ``x`` at the moderator ``z``'s mean and +/- 1 SD and the
    Johnson-Neyman interval. ``model``: a fitted model with an ``X:Z`` term, or a model (file
    or syntax) fitted here to ``data``; ``y``, ``x``, ``z``: the term (default: the model's
    only ``X:Z`` term).

    Returns a :class:`~loyaltysem.analyses.moderation.Moderation` (``coefficients``,
    ``slopes``, ``johnson_neyman``; ``.plot()`` the interaction plot).

    Example:
        >>> mod = ls.moderation("models/online_loyalty_moderator_population.lav",
        ...                     survey)                  # doctest: +SKIP
        >>> mod.slopes                                   # doctest: +SKIP
    """
    from loyaltysem.analyses.interactions import interaction_terms
    from loyaltysem.analyses.moderation import probe
    from loyaltysem.semcore.results import SEMResult

    fit = model
    if not isinstance(model, SEMResult):
        if data is None:
            raise InputError("moderation() needs a fitted model, or a model and its data")
        from loyaltysem.semcore.estimation import sem

        fit = sem(model, data, **sem_options)
    terms = interaction_terms(fit)
    asked = (y, x, z)
    chosen = [t for t in terms if all(v is None or v == w for v, w in zip(asked, t, strict=True))]
    if not terms:
        raise InputError("the model has no interaction term (write it as y ~ x + z + x:z)")
    if len(chosen) != 1:
        names = ", ".join(f"{a} ~ {b}:{c}" for a, b, c in terms)
        raise InputError(f"name the interaction with y=, x=, z= (the model has {names})")
    y, x, z = chosen[0]
    return probe(fit, y, x, z, level=level)


def invariance(model, data, group: str, **options):
    """Measurement invariance across the groups of the column ``group`` as ``loyaltysem
    invariance``: the configural, metric, scalar (and strict) models, each compared with the
    one before (lavaan's ``lavTestLRT``, Delta CFI and Delta RMSEA; Chen 2007). ``options``:
    ``steps``, ``estimator``, ``missing``, ``group_partial``, ``ordered``,
    ``parameterization``
    (:func:`~loyaltysem.analyses.invariance.measurement_invariance`).

    Returns an :class:`~loyaltysem.analyses.invariance.InvarianceResult` (``fit_table``,
    ``comparisons``).

    Example:
        >>> res = ls.invariance("models/online_loyalty.lav", survey, "gender")  # doctest: +SKIP
        >>> res.comparisons[["from", "to", "cfi.diff", "decision"]]           # doctest: +SKIP
    """
    from loyaltysem.analyses.invariance import measurement_invariance

    return measurement_invariance(model, data, group, **options)


def power(
    model,
    n=(200, 300, 500, 800),
    reps: int = 1000,
    *,
    seed: int | None = DEFAULT_SEED,
    alpha: float = 0.05,
    target: float = 0.80,
    continuous: bool = False,
    n_jobs: int | None = None,
    progress: bool = False,
):
    """Sample-size planning as ``loyaltysem power``: Monte Carlo power of every path and
    indirect effect of a population model (lavaan syntax with the true values, a file or
    text) at each N in ``n``, ``reps`` replications each (Muthen & Muthen 2002), answers on
    a 1-7 scale unless ``continuous``; and the RMSEA test's power (MacCallum, Browne &
    Sugawara 1996) in ``rmsea``.

    Returns a :class:`~loyaltysem.analyses.power.PowerResult` (``table``, ``min_n``,
    ``rmsea``; ``.plot()`` the power curves).

    Example:
        >>> import loyaltysem as ls
        >>> pop = ls.example_paths()["population"]
        >>> res = ls.power(pop, n=[200, 400], reps=200)  # doctest: +SKIP
        >>> res.min_n                                    # doctest: +SKIP
    """
    from loyaltysem.analyses.power import monte_carlo_power, rmsea_power_table
    from loyaltysem.survey.instrument import read_model_text

    text = str(model)
    if isinstance(model, Path) or ("~" not in text and "\n" not in text):
        text = read_model_text(model)
    ns = [int(n)] if isinstance(n, int | float) else [int(v) for v in n]
    res = monte_carlo_power(
        text, ns, reps, seed=seed, alpha=alpha, target=target,
        scale=None if continuous else (1, 7), n_jobs=n_jobs, progress=progress,
    )  # fmt: skip
    df = float(res.fit["df"].iloc[0])
    return replace(res, rmsea=rmsea_power_table(df, ns, alpha))


def modindices(fit, minimum: float = 0.0, sort: bool = True) -> pd.DataFrame:
    """lavaan's ``modindices(fit, sort. = TRUE)``: lhs, op, rhs, group, mi, epc, sepc.lv,
    sepc.all, sepc.nox for every fixed parameter that could be freed (Sorbom 1989).

    Example:
        >>> ls.modindices(fit).head(10)  # doctest: +SKIP
    """
    from loyaltysem.semcore.modindices import modification_indices

    return modification_indices(fit, minimum=minimum, sort=sort)


def effects(fit, group: int = 1, level: float = 0.95) -> pd.DataFrame:
    """Direct, specific indirect, total indirect and total effects of a fitted model with
    delta-method SEs (Sobel 1982; lavaan's ``:=``): effect, kind, from, to, est, se, z,
    pvalue, ci.lower, ci.upper, std.all. Bootstrap intervals: :func:`loyaltysem.mediation`.

    Example:
        >>> ls.effects(fit).query("kind == 'indirect'")  # doctest: +SKIP
    """
    from loyaltysem.semcore.inference.effects import effects as _effects

    return _effects(fit, group=group, level=level)
