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
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from loyaltysem.base import dist as _dist
from loyaltysem.base.blas import single_threaded
from loyaltysem.base.notice import Notice
from loyaltysem.pls.algorithm import Layout, case_weight_correlations, estimate
from loyaltysem.pls.assess import StatSpec, stat_values
from loyaltysem.pls.higher_order import TwoStagePlan, estimate_two_stage

_N = NormalDist()


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
    """BCa limits (Efron 1987): quantiles at Phi(z0 + (z0 + z)/(1 - a(z0 + z)))."""
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    out = np.full((2, t.shape[1]), np.nan)
    for j in range(t.shape[1]):
        share = np.mean(t[:, j] < t0[j])
        if not 0 < share < 1:
            continue
        z0 = _N.inv_cdf(share)
        za = np.array([_N.inv_cdf(a) for a in alpha])
        adj = [_N.cdf(x) for x in z0 + (z0 + za) / (1 - accel[j] * (z0 + za))]
        out[:, j] = np.quantile(t[:, j], adj, method="linear")
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


@dataclass
class PLSBootstrap:
    """Bootstrap summary: one row per statistic (kind, lhs, op, rhs, through)."""

    n_boot: int
    n_failed: int
    seed: int | None
    level: float
    table: object  # pandas DataFrame, one row per statistic
    draws: np.ndarray = field(repr=False)

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


def summarize(
    spec: StatSpec, est0: np.ndarray, draws: np.ndarray, level: float, accel: np.ndarray | None
) -> object:
    """Mean, SD, t, p, percentile and BCa limits of each statistic's draws."""
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
    probs = [(1 - level) / 2, (1 + level) / 2]
    q = type7_quantile(draws, probs) if nb else np.full((2, len(est0)), np.nan)
    table["ci.lower"], table["ci.upper"] = q[0], q[1]
    if accel is not None and nb:
        bca = bca_interval(draws, est0, accel, level)
        table["bca.lower"], table["bca.upper"] = bca[0], bca[1]
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
    n_jobs: int | None = None,
    client=None,
    chunk_size: int = 250,
    max_iter: int = 300,
    tol: float = 1e-7,
    progress: bool = False,
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
        it = joblib.Parallel(n_jobs=n_jobs, return_as="generator")(calls)
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(it, total=len(chunks), unit="chunk", desc="bootstrap")
        out = list(it)
    vals = np.vstack([o[0] for o in out]) if out else np.zeros((0, len(est0)))
    ok = np.concatenate([o[1] for o in out]) if out else np.zeros(0, bool)
    draws = vals[ok]
    accel = jackknife_acceleration(job) if bca else None
    table = summarize(spec, est0, draws, level, accel)
    return PLSBootstrap(n_boot, int((~ok).sum()), seed, level, table, draws)
