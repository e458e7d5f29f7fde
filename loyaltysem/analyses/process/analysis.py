"""``process()``: Hayes' PROCESS (v4 conventions) on a DataFrame of numeric columns.

Steps, each in its module: the model's equations (``models``), the checked analysis data
(``inputs``), OLS per outcome (``ols``), probe values and Johnson-Neyman (``probes``), effects
(``effects``), the seeded bootstrap and its intervals (``boot``), the result (``result``).
"""

from __future__ import annotations

import numpy as np

from loyaltysem.analyses.process import boot as bootmod
from loyaltysem.analyses.process.effects import Link, Path, Probe, grid
from loyaltysem.analyses.process.inputs import Prepared, prepare
from loyaltysem.analyses.process.models import equations, paths, term_name
from loyaltysem.analyses.process.ols import hc_number, ols, r2_change
from loyaltysem.analyses.process.probes import johnson_neyman, moderator_values
from loyaltysem.analyses.process.result import ProcessResult
from loyaltysem.base import validate
from loyaltysem.base.errors import InputError


def process(
    data,
    model: int,
    x: str,
    y: str,
    m=None,
    w=None,
    z=None,
    cov=None,
    n_boot: int = 5000,
    seed: int | None = validate.DEFAULT_SEED,
    hc=None,
    center: bool = False,
    conf: float = 95,
    ci: str = "percentile",
    probe: str = "percentiles",
    n_jobs: int | None = None,
    *,
    mcx=None,
    mcw=None,
    chunk_size: int | None = None,
) -> ProcessResult:
    """Hayes' PROCESS model ``model`` (1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 58 or 59) by OLS, with
    percentile (or ``ci="bc"``) bootstrap intervals for indirect effects, as PROCESS v4.

    ``data``: a DataFrame (or a Survey); rows missing any variable in use are deleted
    listwise (counted in ``n_missing``). ``m``: a mediator or a list (parallel; serial in
    model 6). ``w``, ``z``: moderators, as the model needs them. ``cov``: covariates in every
    equation. ``hc``: "HC0" to "HC4" for heteroskedasticity-consistent standard errors.
    ``center``: mean-centre the variables in product terms. ``n_boot``: bootstrap draws
    (5000, PROCESS's default; the JSON's ``boot``). ``probe``: "percentiles"
    (16th/50th/84th) or "meansd".
    ``mcx`` / ``mcw``: "indicator" for a multicategorical X / W (3 to 9 groups). Each draw has
    its own seed from ``SeedSequence(seed)``, so ``n_jobs`` and ``chunk_size`` never change
    the numbers.

    Source: Hayes (2022), *Introduction to Mediation, Moderation, and Conditional Process
    Analysis*, 3rd ed., and PROCESS v4 (Appendix A); the formulas are in the modules.

    Example:
        >>> res = process(df, 7, x="LIKE", y="CUSL", m="CUSA", w="QUAL", seed=1)  # doctest: +SKIP
        >>> res.to_dict()["index_moderated_mediation"][0]["index"]               # doctest: +SKIP
    """
    opts = _options(n_boot, seed, conf, ci, probe, n_jobs, hc)
    prep = prepare(data, model, x, y, m, w, z, cov, mcx=mcx, mcw=mcw, center=center)
    eqs = equations(prep.spec, prep.codes, prep.y)
    designs = [_design(prep, eq.terms) for eq in eqs]
    fits = [
        ols(prep.columns[eq.outcome], X, hc=opts["hc"], conf=conf)
        for eq, X in zip(eqs, designs, strict=True)
    ]
    probes, kinds, notes = _probes(prep, probe)
    res = _shell(prep, opts, ci, conf, probe, probes, notes)
    res.outcomes = [_outcome_row(eq, fit) for eq, fit in zip(eqs, fits, strict=True)]
    res.interaction_tests = _interaction_tests(prep, eqs, designs, fits)
    res.conditional_effects = _conditional(prep, eqs, fits, probes)
    res.johnson_neyman = _johnson_neyman(prep, eqs, fits, kinds)
    if prep.spec.mediation:
        res.direct = _direct(prep, eqs, fits, probes)
        _mediation(res, prep, eqs, designs, fits, probes, kinds, opts, chunk_size)
    return res


def _shell(prep: Prepared, opts: dict, ci, conf, probe, probes, notes) -> ProcessResult:
    """The result before its tables: the run's settings, variables and probe values."""
    names = {"W": prep.w, "Z": prep.z}
    return ProcessResult(
        model=prep.spec.number,
        n=prep.n,
        boot=0,
        seed=opts["seed"],
        ci=ci,
        conf=conf,
        variables={"x": prep.x, "y": prep.y, "m": list(prep.m), "w": prep.w, "z": prep.z},
        probes={names[k]: [p.shown[names[k]] for p in v] for k, v in probes.items()},
        n_missing=prep.n_missing,
        hc=None if opts["hc"] is None else f"HC{opts['hc']}",
        center=list(prep.centered),
        probe=probe,
        cov=list(prep.cov),
        notes=notes,
    )


def _options(boot, seed, conf, ci, probe, n_jobs, hc) -> dict:
    boot = validate.count(
        boot,
        "n_boot",
        0,
        validate.MAX_DRAWS,
        "more draws do not move a 95% interval beyond Monte Carlo error",
    )
    seed = validate.seed(seed)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 50 < conf < 100:
        raise InputError(f"conf must be a percentage between 50 and 100, not {conf!r}")
    if ci not in ("percentile", "bc"):
        raise InputError(f"ci must be 'percentile' or 'bc', not {ci!r}")
    if probe not in ("percentiles", "meansd"):
        raise InputError(f"probe must be 'percentiles' or 'meansd', not {probe!r}")
    return {"boot": boot, "seed": seed, "n_jobs": validate.workers(n_jobs), "hc": hc_number(hc)}


def _column(prep: Prepared, term) -> np.ndarray:
    if not term:
        return np.ones(prep.n)
    out = prep.columns[term[0]]
    for f in term[1:]:
        out = out * prep.columns[f]
    return out


def _design(prep: Prepared, terms) -> np.ndarray:
    return np.column_stack([_column(prep, t) for t in terms])


def _probes(prep: Prepared, rule: str):
    """Probe points of W and Z, how each was chosen, and notes."""
    probes: dict[str, list[Probe]] = {}
    kinds: dict[str, str] = {}
    notes: list[str] = []
    for letter, name, codes in (("W", prep.w, prep.codes.w), ("Z", prep.z, prep.codes.z)):
        if name is None:
            continue
        if name in prep.levels:
            kinds[letter] = "categorical"
            levels = prep.levels[name]
            probes[letter] = [
                Probe({name: lv}, {c: float(j == i) for i, c in enumerate(codes, 1)})
                for j, lv in enumerate(levels)
            ]
            continue
        values, kinds[letter], extra = moderator_values(prep.columns[name], rule)
        notes += [f"{name}: {t}" for t in extra]
        probes[letter] = [Probe({name: v}, {name: v}) for v in values]
    return probes, kinds, notes


def _outcome_row(eq, fit) -> dict:
    tab = fit.table()
    return {
        "outcome": eq.outcome,
        "r": float(np.sqrt(max(fit.r2, 0.0))),
        "r2": fit.r2,
        "mse": fit.mse,
        "F": fit.F,
        "df1": fit.df1,
        "df2": fit.df2,
        "pvalue": fit.pvalue,
        "coefficients": [
            {
                "term": term_name(t),
                "coeff": r[0],
                "se": r[1],
                "t": r[2],
                "pvalue": r[3],
                "llci": r[4],
                "ulci": r[5],
            }
            for t, r in zip(eq.terms, tab, strict=True)
        ],
    }


def _products_of(terms, focal: set[str], mcodes: set[str]) -> list[int]:
    return [j for j, t in enumerate(terms) if len(t) == 2 and t[0] in focal and t[1] in mcodes]


def _tests_of(prep, eq, p: str) -> list[tuple[str, list[int]]]:
    """(label, columns) of PROCESS's highest-order interaction tests for predictor ``p``:
    the three-way product when there is one, else each two-way product and, with both W and
    Z, the two jointly."""
    mods = eq.moderated.get(p, ())
    focal = set(eq.focal_codes(p, prep.codes))
    name = prep.x if p == "X" else p
    if "WZ" in mods:
        idx = [j for j, t in enumerate(eq.terms) if len(t) == 3 and t[0] in focal]
        return [(f"{name}*{prep.w}*{prep.z}", idx)]
    tests = []
    if "W" in mods:
        tests.append((f"{name}*{prep.w}", _products_of(eq.terms, focal, set(prep.codes.w))))
    if "Z" in mods:
        tests.append((f"{name}*{prep.z}", _products_of(eq.terms, focal, set(prep.codes.z))))
    if len(tests) == 2:
        tests.append((f"{tests[0][0]}, {tests[1][0]}", tests[0][1] + tests[1][1]))
    return tests


def _interaction_tests(prep, eqs, designs, fits) -> list[dict]:
    """PROCESS's tests of the highest-order unconditional interactions, per outcome: the
    R-squared change of dropping the products and their (robust, with hc) Wald F."""
    out = []
    for eq, X, fit in zip(eqs, designs, fits, strict=True):
        y = prep.columns[eq.outcome]
        for p in eq.predictors:
            for label, idx in _tests_of(prep, eq, p):
                f, pvalue = fit.wald(idx)
                r2c = r2_change(y, X, fit.r2, idx)
                out.append(
                    {
                        "outcome": eq.outcome,
                        "term": label,
                        "r2_change": r2c,
                        "F": f,
                        "df1": len(idx),
                        "df2": fit.df2,
                        "pvalue": pvalue,
                    }
                )
    return out


def _effect_row(fit, g) -> dict:
    e, se, t, p, lo, hi = fit.linear(g)
    return {"effect": e, "se": se, "t": t, "pvalue": p, "llci": lo, "ulci": hi}


def _conditional(prep, eqs, fits, probes) -> list[dict]:
    """Conditional effects of each moderated predictor in each equation."""
    from loyaltysem.analyses.process.effects import gradient

    out = []
    for eq, fit in zip(eqs, fits, strict=True):
        for p, mods in eq.moderated.items():
            letters = {c for c in "".join(mods)}
            for code in eq.focal_codes(p, prep.codes):
                for pt in grid(letters, probes):
                    g = gradient(eq.terms, code, pt.codes)
                    out.append(
                        {
                            "outcome": eq.outcome,
                            "focal": code,
                            "w": dict(pt.shown),
                            **_effect_row(fit, g),
                        }
                    )
    return out


def _direct(prep, eqs, fits, probes) -> list[dict]:
    """The (conditional) direct effect of X on Y."""
    from loyaltysem.analyses.process.effects import gradient

    eq, fit = eqs[-1], fits[-1]
    letters = {c for c in "".join(eq.moderated.get("X", ()))}
    out = []
    for code in prep.codes.x:
        for pt in grid(letters, probes):
            row = {"w": dict(pt.shown), **_effect_row(fit, gradient(eq.terms, code, pt.codes))}
            if prep.x in prep.levels:
                row = {"x": code, **row}
            out.append(row)
    return out


def _johnson_neyman(prep, eqs, fits, kinds) -> list[dict]:
    """Johnson-Neyman points for models 1 (X*W, over W) and 3 (X*W conditional on Z)."""
    number, eq, fit = prep.spec.number, eqs[-1], fits[-1]
    if number not in (1, 3) or len(prep.codes.x) != 1 or len(prep.codes.w) != 1:
        return []
    names = [term_name(t) for t in eq.terms]
    x, w, z = prep.x, prep.w, prep.z
    if number == 1:
        if kinds.get("W") != "percentiles" and kinds.get("W") != "meansd":
            return []
        i1, i3, mod = names.index(x), names.index(f"{x}*{w}"), w
    else:
        if kinds.get("Z") not in ("percentiles", "meansd"):
            return []
        i1, i3, mod = names.index(f"{x}*{w}"), names.index(f"{x}*{w}*{z}"), z
    b, V = fit.coef, fit.vcov
    rows = johnson_neyman(
        b[i1], b[i3], V[i1, i1], V[i1, i3], V[i3, i3], fit.tcrit, prep.columns[mod]
    )
    return [{"moderator": mod, **r} for r in rows]


def _paths(prep, eqs) -> list[Path]:
    """Every indirect path, per X code, with its links."""
    index = {eq.outcome: i for i, eq in enumerate(eqs)}

    def letters(eq, pred):
        return frozenset("".join(eq.moderated.get(pred, ())))

    out = []
    for chain in paths(prep.spec, prep.m):
        for code in prep.codes.x:
            links = [Link(index[chain[0]], code, letters(eqs[index[chain[0]]], "X"))]
            for prev, nxt in zip(chain, chain[1:], strict=False):
                links.append(Link(index[nxt], prev, letters(eqs[index[nxt]], prev)))
            links.append(Link(len(eqs) - 1, chain[-1], letters(eqs[-1], chain[-1])))
            out.append(Path(" -> ".join([code, *chain, prep.y]), tuple(links)))
    return out


def _mediation(res, prep, eqs, designs, fits, probes, kinds, opts, chunk_size) -> None:
    """Indirect effects, indices and standardized effects, with bootstrap intervals."""
    from loyaltysem.analyses.process.mediation import indirect_effects

    terms = [eq.terms for eq in eqs]
    point = [f.coef for f in fits]
    draws, G, keys = None, None, None
    if opts["boot"] > 0:
        U, keys, eq_index = _union(prep, eqs)
        draws, G, replaced = bootmod.bootstrap(
            U, eq_index, opts["boot"], opts["seed"], n_jobs=opts["n_jobs"], chunk=chunk_size
        )
        res.boot = opts["boot"]
        res.boot_replaced = replaced
    indirect_effects(res, prep, _paths(prep, eqs), terms, point, draws, G, keys, probes, kinds)


def _union(prep, eqs):
    """U (every term and outcome column once), its keys, and each equation's indices."""
    keys: list[tuple] = []
    for eq in eqs:
        for t in [*eq.terms, (eq.outcome,)]:
            if t not in keys:
                keys.append(t)
    U = np.column_stack([_column(prep, k) for k in keys])
    eq_index = [([keys.index(t) for t in eq.terms], keys.index((eq.outcome,))) for eq in eqs]
    return U, keys, eq_index
