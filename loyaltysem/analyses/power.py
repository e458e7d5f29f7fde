"""Sample-size planning: RMSEA-based power (analytic) and Monte Carlo power for the user's
own model.

* RMSEA power (MacCallum, Browne & Sugawara 1996): under H0 the test statistic is noncentral
  chi-square with lambda0 = (N - 1) df eps0^2 / G, under the alternative lambda_a with eps_a;
  close fit tests H0: eps <= .05 against eps_a = .08, not-close fit H0: eps >= .05 against
  eps_a = .01, exact fit eps0 = 0. Same definitions as ``semTools::findRMSEApower`` and
  ``findRMSEAsamplesize`` (the smallest N whose power exceeds the target).
* Monte Carlo power (Muthen & Muthen 2002): for each candidate N, R data sets are drawn from
  the population model (Likert-cut by default, optionally with missing answers), the model is
  refitted, and for every structural path and indirect effect the share of replications with
  p < alpha is its power; bias, 95% CI coverage, convergence rate and the distribution of the
  fit indices are reported too. Replications are simulated and refitted in batches
  (``batched.bfgs_batch``; those a batch does not bring to convergence one at a time with
  ``compiled.bfgs_refit``). Each replication has its own seed spawned from the user's seed and
  its result does not depend on its batch, so results do not depend on the batch size or the
  number of workers; where they run (this process, joblib workers, a Dask cluster) is decided
  by :mod:`loyaltysem.semcore.resample.parallel`, as for the bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.blas import single_threaded
from loyaltysem.base.dist import norm_ppf
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.semcore.inference import standardized as stdz
from loyaltysem.semcore.inference.effects import effect_definitions, effect_jacobian, effect_values
from loyaltysem.semcore.model.compiled import (
    GroupData,
    bfgs_refit,
    expected_information,
    ml_discrepancy,
)
from loyaltysem.survey.syntax import parse_syntax

# ----------------------------------------------------------------------------- analytic


def rmsea_power(rmsea0: float, rmsea_a: float, df: float, n, alpha: float = 0.05, groups: int = 1):
    """Power of the RMSEA test of H0: eps = rmsea0 against eps = rmsea_a (semTools'
    findRMSEApower).

    Example:
        >>> round(float(rmsea_power(0.05, 0.08, 20, 200)), 4)
        0.4544
    """
    n = np.asarray(n, dtype=float)
    ncp0 = (n - 1) * df * rmsea0**2 / groups
    ncpa = (n - 1) * df * rmsea_a**2 / groups
    if rmsea0 < rmsea_a:
        crit = stats.ncx2.isf(alpha, df, ncp0) if rmsea0 > 0 else stats.chi2.isf(alpha, df)
        return stats.ncx2.sf(crit, df, ncpa)
    crit = stats.ncx2.ppf(alpha, df, ncp0)
    return stats.ncx2.cdf(crit, df, ncpa) if rmsea_a > 0 else stats.chi2.cdf(crit, df)


def rmsea_sample_size(
    rmsea0: float,
    rmsea_a: float,
    df: float,
    power: float = 0.80,
    alpha: float = 0.05,
    groups: int = 1,
) -> float:
    """Smallest N whose RMSEA power exceeds ``power`` (semTools' findRMSEAsamplesize)."""
    n = np.arange(5, 501)
    while True:
        pw = rmsea_power(rmsea0, rmsea_a, df, n, alpha, groups)
        hit = np.where(pw > power)[0]
        if len(hit):
            return float(n[hit[0]] / groups)
        if n[0] == 5 and np.all(pw > power):
            return 5.0
        n = n + 500
        if n[0] > 1e7:
            raise InputError("no sample size up to 10 million reaches that power")


def rmsea_power_table(df: float, ns, alpha: float = 0.05) -> pd.DataFrame:
    """Power of the close, not-close and exact fit tests at each N, and the N for .80."""
    tests = {
        "close (H0: RMSEA <= .05 vs .08)": (0.05, 0.08),
        "not-close (H0: RMSEA >= .05 vs .01)": (0.05, 0.01),
        "exact (H0: RMSEA = 0 vs .05)": (0.0, 0.05),
    }
    rows = []
    for name, (e0, ea) in tests.items():
        row = {"test": name, "rmsea0": e0, "rmsea_a": ea}
        for n in ns:
            row[f"power.N{n}"] = float(rmsea_power(e0, ea, df, n, alpha))
        row["n.for.80"] = rmsea_sample_size(e0, ea, df, 0.80, alpha)
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- Monte Carlo


def analysis_syntax(population: str) -> str:
    """The model to fit: the population model with its values freed (labels kept)."""
    lines = []
    for r in parse_syntax(population):
        if r.op in (":=", "==", "<", ">"):
            lines.append(f"{r.lhs} {r.op} {r.rhs}")
        elif r.op == "~~" and r.lhs == r.rhs:
            continue  # variances are free by default
        elif r.op == "~~" or r.op in ("=~", "~"):
            label = f"{r.modifier.label[0]}*" if r.modifier.label else ""
            lines.append(f"{r.lhs} {r.op} {label}{r.rhs}")
    return "\n".join(lines)


@dataclass
class _MCSpec:
    cm: object
    population: str
    theta0: np.ndarray
    hess_inv0: np.ndarray
    paths: np.ndarray  # row positions of the structural paths in the parameter table
    effects: list
    truth_paths: np.ndarray
    truth_effects: np.ndarray
    scale: tuple | None
    missing_share: float
    alpha: float
    chol: np.ndarray = None  # Cholesky factor of the population correlation matrix
    cuts: np.ndarray | None = None  # Likert thresholds


def _simulate(spec: _MCSpec, n: int, seed) -> np.ndarray:
    """One replication's data: normal scores with the population correlations, cut into the
    Likert categories."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, spec.chol.shape[0])) @ spec.chol.T
    if spec.cuts is not None:  # the category = how many thresholds lie below (searchsorted)
        codes = np.zeros(x.shape)
        for cut in spec.cuts:
            codes += x > cut
        x = codes + spec.scale[0]
    return x


def _replicate_one(spec: _MCSpec, n: int, seed, out: np.ndarray) -> None:
    """Simulate, refit and test one replication one at a time (``compiled.bfgs_refit``);
    fills ``out`` = [converged, chisq, path est..., path se..., effect est..., effect se...]."""
    cm = spec.cm
    k, m = len(spec.paths), len(spec.effects)
    pt_arr = stdz.table_arrays(cm)
    x = _simulate(spec, n, seed)
    try:
        data = [GroupData.from_array(x)]
        theta, ok, _ = bfgs_refit(cm, data, spec.theta0, spec.hess_inv0, tol=1e-6)
    except Exception:  # noqa: BLE001 - a failed replication is counted
        ok = False
    out[0] = float(ok)
    if not ok:
        return
    out[1] = n * ml_discrepancy(cm, data, theta)
    try:
        vcov = np.linalg.inv(expected_information(cm, data, theta))
    except np.linalg.LinAlgError:
        out[0] = 0.0
        return
    vals = stdz.all_values(cm, theta)
    free = pt_arr["free"][spec.paths] - 1
    out[2 : 2 + k] = vals[spec.paths]
    out[2 + k : 2 + 2 * k] = np.sqrt(np.diag(vcov)[free])
    if m:
        out[2 + 2 * k : 2 + 2 * k + m] = effect_values(pt_arr, vals, spec.effects)
        J = effect_jacobian(pt_arr, vals, spec.effects, cm.npar)
        out[2 + 2 * k + m :] = np.sqrt(np.einsum("ij,jk,ik->i", J, vcov, J))


def _replicate_batch(spec: _MCSpec, n: int, seeds, out: np.ndarray) -> None:
    """The same for a batch of replications with the batched engine
    (``batched.bfgs_batch``, ``BatchModel.expected_information``); rows it does not bring to
    convergence keep out[:, 0] = NaN for the one-at-a-time path."""
    from loyaltysem.semcore.resample.batched import BatchModel, Moments, bfgs_batch
    from loyaltysem.semcore.resample.batched_values import BatchValues

    cm = spec.cm
    k, m = len(spec.paths), len(spec.effects)
    bm, bv = BatchModel(cm), BatchValues(cm, spec.effects)
    x = np.stack([_simulate(spec, n, seed) for seed in seeds])
    mom = Moments.from_arrays([x])
    fit = bfgs_batch(bm, mom, spec.theta0, spec.hess_inv0, tol=1e-6)
    rows = np.where(fit.converged)[0]
    if not len(rows):
        return
    mom, theta = mom.take(rows), fit.theta[rows]
    info = bm.expected_information(theta, mom)
    vals = bv.raw(theta)
    free = stdz.table_arrays(cm)["free"][spec.paths] - 1
    J = bv.effect_jacobian(vals, cm.npar)
    rhs = np.concatenate(
        [np.repeat(np.eye(cm.npar)[None, :, free], len(rows), 0), J.transpose(0, 2, 1)], 2
    )
    try:
        X = np.linalg.solve(info, rhs)  # vcov @ [e_free, J']
    except np.linalg.LinAlgError:
        return  # a singular information: those rows one at a time
    res = out[rows]
    res[:, 0] = 1.0
    res[:, 1] = n * fit.f[rows]
    res[:, 2 : 2 + k] = vals[:, spec.paths]
    res[:, 2 + k : 2 + 2 * k] = np.sqrt(X[:, free, np.arange(k)])
    if m:
        res[:, 2 + 2 * k : 2 + 2 * k + m] = bv.effect_values(vals)
        res[:, 2 + 2 * k + m :] = np.sqrt(np.einsum("bij,bji->bi", J, X[:, :, k:]))
    out[rows] = res


def _replicate_chunk(spec: _MCSpec, job) -> np.ndarray:
    n, seeds = job
    return _replicate(spec, n, seeds)


@single_threaded
def _replicate(spec: _MCSpec, n: int, seeds, batch_size: int = 64) -> np.ndarray:
    """Worker: for each seed, simulate, refit and test, in batches; replications the batch
    does not bring to convergence are redone one at a time. Returns rows of
    [converged, chisq, path est..., path se..., effect est..., effect se...]."""
    k, m = len(spec.paths), len(spec.effects)
    out = np.full((len(seeds), 2 + 2 * k + 2 * m), np.nan)
    for start in range(0, len(seeds), batch_size):
        part = slice(start, start + batch_size)
        try:
            _replicate_batch(spec, n, seeds[part], out[part])
        except Exception:  # noqa: BLE001 - the batch goes the one-at-a-time way
            out[part] = np.nan
    for r in np.where(np.isnan(out[:, 0]))[0]:
        _replicate_one(spec, n, seeds[r], out[r])
    return out


@dataclass
class PowerResult(ResultMixin):
    """Monte Carlo power: ``table`` (one row per N and parameter: kind, parameter, n, power),
    ``fit`` (per N), ``min_n`` (per parameter: the smallest N reaching ``target``)."""

    table: pd.DataFrame  # one row per (N, parameter)
    fit: pd.DataFrame  # per N: convergence, mean chi-square, rejection rate, ...
    min_n: pd.DataFrame  # per parameter: smallest N reaching the target power
    reps: int
    seed: int | None
    target: float
    warnings: list[str] = field(default_factory=list)
    rmsea: pd.DataFrame | None = None  # the RMSEA test's power per N (``loyaltysem.power``)

    def _headline(self) -> str:
        return (
            f"Monte Carlo power ({self.reps} replications, seed {self.seed}): target "
            f"{self.target:g}, N = {', '.join(str(n) for n in sorted(set(self.table['n'])))}"
        )

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"min_n": self.min_n}

    def plot(self, *, labels=None):
        """Power against N for every path and indirect effect, the target dashed. Returns a
        matplotlib Figure."""
        from loyaltysem.base.plotting import power_figure

        return power_figure(self.table, target=self.target, labels=labels)

    def to_dict(self) -> dict:
        return {
            "reps": self.reps,
            "seed": self.seed,
            "target": self.target,
            "warnings": self.warnings,
            "power": self.table.to_dict("records"),
            "fit": self.fit.to_dict("records"),
            "min_n": self.min_n.to_dict("records"),
        }


@single_threaded  # small matrices: BLAS threads cost more than they save
def _mc_spec(population: str, scale: tuple | None, alpha: float) -> _MCSpec:
    """The analysis model fitted to the population's exact moments (the solution and inverse
    Hessian that seed every replication's refit), the paths and indirect effects tested, and
    how data are simulated."""
    from loyaltysem.semcore.estimate.optimizer import fisher_scoring
    from loyaltysem.semcore.estimation import sem
    from loyaltysem.semcore.model.compiled import ml_observed_hessian
    from loyaltysem.semcore.resample.simulate import (
        DEFAULT_CATEGORY_PROBS_7,
        likert_thresholds,
        population_moments,
    )

    names, sigma, _ = population_moments(population)
    big = pd.DataFrame(
        np.random.default_rng(0).multivariate_normal(
            np.zeros(len(names)), sigma, size=2000, method="cholesky"
        ),
        columns=names,
    )
    # the population solution (exact moments) seeds every refit
    fit0 = sem(analysis_syntax(population), big)
    exact = [GroupData(2000, sigma, np.zeros(len(names)))]
    theta0, _, _ = fisher_scoring(fit0.model, exact, fit0.theta)
    cm = fit0.model
    hess_inv0 = np.linalg.inv(ml_observed_hessian(cm, exact, theta0))
    pt = cm.pt
    paths = np.where(pt["op"].to_numpy() == "~")[0]
    effects = [e for e in effect_definitions(pt) if e.kind == "indirect"]
    truth = stdz.all_values(cm, theta0)
    order = [names.index(v) for v in cm.mv.ov]
    chol = np.linalg.cholesky(sigma[np.ix_(order, order)])
    cuts = None
    if scale is not None:
        k = scale[1] - scale[0] + 1
        cuts = likert_thresholds(DEFAULT_CATEGORY_PROBS_7 if k == 7 else tuple([1 / k] * k))
    return _MCSpec(
        cm,
        population,
        theta0,
        hess_inv0,
        paths,
        effects,
        truth[paths],
        effect_values(stdz.table_arrays(cm), truth, effects),
        scale,
        0.0,
        alpha,
        chol,
        cuts,
    )


def monte_carlo_power(
    population: str,
    ns,
    reps: int = 1000,
    *,
    seed: int | None = None,
    alpha: float = 0.05,
    target: float = 0.80,
    scale: tuple | None = (1, 7),
    missing_share: float = 0.0,
    n_jobs: int | None = None,
    client=None,
    progress: bool = False,
    chunk_size: int = 250,
) -> PowerResult:
    """Monte Carlo power of every structural path and indirect effect at each N.

    ``population`` is lavaan syntax with standardized population values (see
    ``models/online_loyalty_population.lav``); the analysis model is the same with the values
    freed.

    Example:
        >>> res = monte_carlo_power("f1 =~ .8*a1 + .8*a2 + .8*a3\\nf2 =~ .8*b1 + .8*b2 + "
        ...                         ".8*b3\\nf2 ~ .3*f1", [100], reps=50, seed=1)  # doctest: +SKIP
    """
    from loyaltysem.base import validate

    reps = validate.count(reps, "reps", 1, validate.MAX_REPS)
    seed = validate.seed(seed)
    n_jobs = validate.workers(n_jobs)
    ns = [validate.count(n, "sample size", 1) for n in ns]

    if missing_share:
        raise InputError("Monte Carlo power with missing answers is not available yet")
    spec = _mc_spec(population, scale, alpha)
    cm, paths, effects = spec.cm, spec.paths, spec.effects
    _check_sizes(ns, len(cm.mv.ov))
    pt = cm.pt
    labels = [f"{pt['lhs'].iat[i]} ~ {pt['rhs'].iat[i]}" for i in paths] + [e.name for e in effects]
    truth_all = np.concatenate([spec.truth_paths, spec.truth_effects])
    k, m = len(paths), len(effects)
    seq = np.random.SeedSequence(seed)
    children = [seq.spawn(reps) for _ in ns]  # per N, in order (as one spawn per N)
    work = [
        (int(n), kids[i : i + chunk_size])
        for n, kids in zip(ns, children, strict=True)
        for i in range(0, reps, chunk_size)
    ]
    from functools import partial

    from loyaltysem.semcore.resample.parallel import run_chunks

    done = run_chunks(
        partial(_replicate_chunk, spec),
        work,
        n_jobs=n_jobs,
        client=client,
        progress=progress,
        desc="replications",
    )
    rows, fit_rows = [], []
    for n in ns:
        res = np.vstack([r for (nn, _), r in zip(work, done, strict=True) if nn == int(n)])
        power_rows, fit_row = _summarise_n(int(n), res, spec, labels, truth_all, k, m, alpha)
        rows += power_rows
        fit_rows.append(fit_row)
    table = pd.DataFrame(rows)
    conv = pd.DataFrame(fit_rows)
    min_n = _min_n_table(table, labels, target)
    warnings = _convergence_notices(conv, reps)
    return PowerResult(table, conv, min_n, reps, seed, target, warnings)


def _check_sizes(ns: list[int], p: int) -> None:
    """Every N must exceed the number of observed variables (else S is singular)."""
    small = [n for n in ns if n <= p]
    if small:
        raise InputError(
            f"N = {small[0]} is not above the model's {p} observed variables: a sample that "
            "small has a singular covariance matrix and no model can be fitted to it; give "
            f"sample sizes above {p} (--n)"
        )


def _min_n_table(table: pd.DataFrame, labels: list[str], target: float) -> pd.DataFrame:
    """Per parameter, the smallest N whose power reaches ``target`` (None: none does) and
    the power at the largest N."""
    min_n = []
    for label in labels:
        sub = table[table["parameter"] == label].sort_values("n")
        hit = sub[sub["power"] >= target]
        min_n.append(
            {
                "parameter": label,
                "min.n": int(hit["n"].iloc[0]) if len(hit) else None,
                "power.at.max.n": float(sub["power"].iloc[-1]),
            }
        )
    return pd.DataFrame(min_n)


def _convergence_notices(conv: pd.DataFrame, reps: int) -> list[Notice]:
    """A notice naming the N with the most replications that did not converge, if any."""
    warnings = []
    if (conv["converged"] < 1).any():
        worst = conv.loc[conv["converged"].idxmin()]
        k, n = f"{(1 - worst['converged']) * reps:.0f}", worst["n"]
        msg = f"{k} of {reps} replications at N = {n} did not converge and were left out"
        warnings.append(Notice("power.not_converged", msg, k=int(k), reps=reps, n=n))
    return warnings


def _summarise_n(n: int, res, spec, labels, truth_all, k: int, m: int, alpha: float):
    """Power, bias, coverage per parameter and the fit distribution of the replications at N.

    ``res`` rows: converged, chi-square, k path estimates, k path SEs, m effect estimates,
    m effect SEs."""
    crit = -norm_ppf(alpha / 2)
    ok = res[:, 0] == 1
    good = res[ok]
    est = np.hstack([good[:, 2 : 2 + k], good[:, 2 + 2 * k : 2 + 2 * k + m]])
    se = np.hstack([good[:, 2 + k : 2 + 2 * k], good[:, 2 + 2 * k + m :]])
    z = est / se
    rows = []
    for j, label in enumerate(labels):
        some = len(good) > 0
        rows.append(
            {
                "n": n,
                "parameter": label,
                "kind": "path" if j < k else "indirect",
                "population": truth_all[j],
                "power": float(np.mean(np.abs(z[:, j]) > crit)) if some else np.nan,
                "mean.est": float(np.mean(est[:, j])) if some else np.nan,
                "bias": float(np.mean(est[:, j]) - truth_all[j]) if some else np.nan,
                "coverage": float(np.mean(np.abs(est[:, j] - truth_all[j]) < crit * se[:, j]))
                if some
                else np.nan,
                "sd.est": float(np.std(est[:, j], ddof=1)) if len(good) > 1 else np.nan,
                "mean.se": float(np.mean(se[:, j])) if some else np.nan,
            }
        )
    chis = good[:, 1]
    dfm = cm_df(spec.cm)
    rmsea = np.sqrt(np.clip((chis - dfm) / (n * dfm), 0, None))
    fit_row = {
        "n": n,
        "converged": float(ok.mean()),
        "chisq.mean": float(np.mean(chis)),
        "df": dfm,
        "chisq.reject": float(np.mean(stats.chi2.sf(chis, dfm) < alpha)),
        "rmsea.mean": float(np.mean(rmsea)),
        "rmsea.q95": float(np.quantile(rmsea, 0.95)),
        "rmsea.below.08": float(np.mean(rmsea < 0.08)),
    }
    return rows, fit_row


def cm_df(cm) -> float:
    p = cm.p
    return float(cm.ngroups * p * (p + 1) // 2 - cm.npar)
