"""Bootstrap of every PLS estimate: paths, weights, loadings, indirect and total effects,
HTMT and R^2, with percentile and BCa intervals.

Each draw resamples respondents with replacement from the raw data (missing values are
mean-replaced within each resample, as seminr's ``bootstrap_model`` re-runs
``estimate_pls`` on the resampled raw data) and re-estimates the model (a model with
higher-order constructs: both stages of the two-stage approach). Draw b uses
``numpy.random.default_rng(SeedSequence(seed).spawn(N)[b])``, so the draws, and every
interval, are identical for any number of workers. Draws are estimated in chunks with
stacked linear algebra (``algorithm.estimate`` on a (chunk, p, p) stack of resampled item
correlations); chunks run in joblib worker processes or on a Dask cluster.

Reported as seminr's ``summary(boot)`` and SmartPLS: bootstrap mean and SD (n - 1),
t = original / SD, two-sided p from t with N - 1 df (seminr's weights p-values), percentile
interval = R's type-7 quantiles (seminr's ``conf_int``); BCa (Efron 1987) with the
acceleration from the jackknife of the same statistics.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from loyaltysem.base import dist as _dist
from loyaltysem.base.blas import single_threaded
from loyaltysem.base.notice import Notice
from loyaltysem.pls.algorithm import Layout, case_weight_correlations, estimate
from loyaltysem.pls.assess import StatSpec, stat_values
from loyaltysem.pls.higher_order import TwoStagePlan, estimate_two_stage
from loyaltysem.semcore.resample.parallel import progress_bar


@dataclass(frozen=True)
class _Job:
    xc: np.ndarray
    observed: np.ndarray
    lay: Layout
    spec: StatSpec
    scheme: str
    consistent: bool
    max_iter: int
    tol: float
    plan: TwoStagePlan | None = None  # higher-order constructs: both stages in every draw


def _stats(job: _Job, S: np.ndarray) -> np.ndarray:
    """Statistics (B, m) of B item correlation matrices."""
    if job.plan is None:
        est = estimate(S, job.lay, job.scheme, job.consistent, job.max_iter, job.tol)
        return stat_values(job.spec, est, S, job.lay)
    est, Sc, *_ = estimate_two_stage(S, job.plan, job.scheme, job.consistent, job.max_iter, job.tol)
    return stat_values(job.spec, est, Sc, job.lay)


def _estimate_weighted(job: _Job, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Statistics (B, m) of B case-weighted samples; rows of failed samples are NaN."""
    S, sd = case_weight_correlations(job.xc, job.observed, w)
    vals = np.full((len(w), len(job.spec.kinds)), np.nan)
    ok = (sd > 1e-12 * sd.max(axis=1, keepdims=True)).all(axis=1) & np.isfinite(S).all((1, 2))
    idx = np.flatnonzero(ok)
    if len(idx):
        try:
            vals[idx] = _stats(job, S[idx])
        except np.linalg.LinAlgError:  # a singular sample in the chunk: one at a time
            for i in idx:
                with contextlib.suppress(np.linalg.LinAlgError):
                    vals[i] = _stats(job, S[i : i + 1])[0]
    ok = np.isfinite(vals).all(axis=1)
    return vals, ok


@single_threaded
def _run_chunk(job: _Job, seeds: list) -> tuple[np.ndarray, np.ndarray]:
    n = job.xc.shape[0]
    w = np.empty((len(seeds), n))
    for b, s in enumerate(seeds):
        idx = np.random.default_rng(s).integers(0, n, n)
        w[b] = np.bincount(idx, minlength=n)
    return _estimate_weighted(job, w)


def type7_quantile(t: np.ndarray, probs) -> np.ndarray:
    """R's default quantile (type 7) of each column; NaN-free columns expected."""
    return np.quantile(t, probs, axis=0, method="linear")


def bca_interval(t: np.ndarray, t0: np.ndarray, accel: np.ndarray, level: float) -> np.ndarray:
    """BCa limits (Efron 1987): type-7 quantiles at the levels of ``dist.bca_levels``,
    Phi(z0 + (z0 + z)/(1 - a(z0 + z)))."""
    levels = _dist.bca_levels(t, t0, accel, level)
    out = np.full((2, t.shape[1]), np.nan)
    for j in np.where(~np.isnan(levels).any(axis=0))[0]:
        out[:, j] = np.quantile(t[:, j], levels[:, j], method="linear")
    return out


def jackknife_acceleration(job: _Job, chunk: int = 200) -> np.ndarray:
    """a = sum(d^3) / (6 (sum d^2)^1.5), d = mean(jack) - jack_i, leave-one-out samples."""
    n = job.xc.shape[0]
    parts = []
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk))
        w = np.ones((len(rows), n))
        w[np.arange(len(rows)), rows] = 0.0
        parts.append(_estimate_weighted(job, w)[0])
    jack = np.vstack(parts)
    return _dist.bca_acceleration(jack)


CI_TYPES = ("percentile", "bca")


@dataclass
class PLSBootstrap:
    """Bootstrap summary: one row per statistic (kind, lhs, op, rhs, through, est,
    boot.mean, se, t, pvalue, ``ci.lower``/``ci.upper`` of the interval type ``ci``:
    "percentile" (seminr's) or "bca"); :meth:`intervals` gives the other type."""

    n_boot: int
    n_failed: int
    seed: int | None
    level: float
    table: object  # pandas DataFrame, one row per statistic
    draws: np.ndarray = field(repr=False)
    ci: str = "percentile"
    accel: np.ndarray | None = field(default=None, repr=False)

    def intervals(self, ci: str | None = None):
        """The table with ``ci.lower``/``ci.upper`` of the interval type ``ci``
        ("percentile" or "bca"; None: the table's own)."""
        ci = self.ci if ci is None else ci
        if ci not in CI_TYPES:
            raise ValueError(f"ci must be 'percentile' or 'bca', not {ci!r}")
        if ci == self.ci:
            return self.table.copy()
        if ci == "bca" and self.accel is None:
            raise ValueError("BCa intervals need the jackknife acceleration (bca=True)")
        out = self.table.copy()
        lo, hi = _limits(self.draws, out["est"].to_numpy(dtype=float), ci, self.level, self.accel)
        out["ci.lower"], out["ci.upper"], out["ci"] = lo, hi, ci
        return out

    @property
    def warnings(self) -> list[str]:
        if not self.n_failed:
            return []
        k, n = int(self.n_failed), int(self.n_boot)
        msg = (
            f"{k} of {n} bootstrap samples could not be estimated (constant or collinear "
            "items in the resample) and were left out"
        )
        return [Notice("pls.boot_failed", msg, k=k, n=n)]


def _limits(draws, est0, ci: str, level: float, accel) -> tuple[np.ndarray, np.ndarray]:
    """Percentile (type 7 quantiles, seminr's) or BCa limits of each column of ``draws``."""
    if not len(draws):
        return np.full(len(est0), np.nan), np.full(len(est0), np.nan)
    if ci == "bca":
        q = bca_interval(draws, est0, accel, level)
    else:
        q = type7_quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return q[0], q[1]


def summarize(
    spec: StatSpec,
    est0: np.ndarray,
    draws: np.ndarray,
    level: float,
    accel: np.ndarray | None,
    ci: str = "percentile",
) -> object:
    """Mean, SD, t, p and the ``ci`` interval (percentile or BCa) of each statistic's draws."""
    from scipy import stats

    table = spec.frame()
    table["est"] = est0
    nb = len(draws)
    mean = draws.mean(axis=0) if nb else np.full(len(est0), np.nan)
    sd = draws.std(axis=0, ddof=1) if nb > 1 else np.full(len(est0), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(sd > 0, est0 / sd, np.nan)
    table["boot.mean"] = mean
    table["se"] = sd
    table["t"] = t
    table["pvalue"] = 2 * stats.t.sf(np.abs(t), df=max(nb - 1, 1))
    table["ci.lower"], table["ci.upper"] = _limits(draws, est0, ci, level, accel)
    table["ci"] = ci
    htmt = table["kind"].eq("htmt")
    table.loc[htmt, ["t", "pvalue"]] = np.nan  # H0 of HTMT is not 0: read its interval
    return table


def bootstrap_pls(
    xc: np.ndarray,
    observed: np.ndarray,
    lay: Layout,
    spec: StatSpec,
    est0: np.ndarray,
    n_boot: int = 5000,
    *,
    seed: int | None = None,
    level: float = 0.95,
    scheme: str = "path",
    consistent: bool = False,
    bca: bool = True,
    ci: str = "percentile",
    n_jobs: int | None = None,
    client=None,
    chunk_size: int = 250,
    max_iter: int = 300,
    tol: float = 1e-7,
    progress: bool | Callable[[int, int, str], None] = False,
    plan: TwoStagePlan | None = None,
) -> PLSBootstrap:
    """Bootstrap the statistics of ``spec`` (use :func:`loyaltysem.pls.pls` instead).

    ``plan``: a model with higher-order constructs; each draw repeats both stages (``lay``
    is then ``plan.lay``, the statistics are over every construct)."""
    import joblib

    job = _Job(xc, observed, lay, spec, scheme, consistent, max_iter, tol, plan)
    children = np.random.SeedSequence(seed).spawn(n_boot)
    chunks = [children[i : i + chunk_size] for i in range(0, n_boot, chunk_size)]
    calls = (joblib.delayed(_run_chunk)(job, c) for c in chunks)
    backend = {"backend": "dask"} if client is not None else {}
    if n_jobs is None:  # a draw costs ~0.3 ms; starting worker processes costs seconds
        n_jobs = 1 if n_boot * lay.p * lay.p <= 2e7 else -1
    with joblib.parallel_config(**backend):
        out = []
        bar = progress_bar(progress, len(chunks), "bootstrap")
        for res in joblib.Parallel(n_jobs=n_jobs, return_as="generator")(calls):
            out.append(res)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
    vals = np.vstack([o[0] for o in out]) if out else np.zeros((0, len(est0)))
    ok = np.concatenate([o[1] for o in out]) if out else np.zeros(0, bool)
    draws = vals[ok]
    accel = jackknife_acceleration(job) if bca or ci == "bca" else None
    table = summarize(spec, est0, draws, level, accel, ci)
    return PLSBootstrap(n_boot, int((~ok).sum()), seed, level, table, draws, ci, accel)
