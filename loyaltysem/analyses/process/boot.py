"""The seeded bootstrap of PROCESS's regressions, and PROCESS's bootstrap intervals.

Each draw b resamples the n rows with replacement using its own generator, seeded by the
b-th child of ``numpy.random.SeedSequence(seed)`` (as :mod:`loyaltysem.semcore.resample.bootstrap`),
so a draw's rows do not depend on the chunk it is computed in or on the worker. A draw is
summarised by its case counts c (how often each row was drawn): with U the n x q matrix of
every column the equations use (terms and outcomes), G_b = U' diag(c_b) U holds every
equation's X'X and X'y for that draw, and its coefficients are solve(X'X, X'y). G is computed
per draw with a stacked product (np.matmul on (B, q, n) x (B, n, q)), one BLAS call per draw
of the same shape whatever the chunk, so the results do not depend on B, the chunking or the
number of workers. A draw whose X'X is singular or whose outcome is constant is replaced, as
PROCESS replaces it, by the next unused child seed (at most 2B draws in all).

Intervals (PROCESS v4, Appendix A): percentile limits are the order statistics
round(B (1 - c) / 2) and trunc(B c + B (1 - c) / 2) + 1 of the sorted draws (c the
confidence); bias-corrected limits (Efron 1987) those at round(B Phi(2 z0 - z)) and
trunc(B Phi(2 z0 + z)) + 1, with z0 the normal quantile of the share of draws below the
estimate; both clamped to 1..B. The bootstrap SE is the draws' standard deviation (n - 1).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from loyaltysem.analyses.process.ols import probit_oe, z_crit
from loyaltysem.base.errors import EstimationError

CHUNK = 250
_CHUNK_BYTES = 32 * 2**20  # the (C, q, n) weighted copy of U kept under 32 MB


def child(entropy: int, b: int) -> np.random.SeedSequence:
    """The b-th child of ``SeedSequence(entropy)`` (what ``.spawn()`` gives as its b-th)."""
    return np.random.SeedSequence(entropy, spawn_key=(b,))


def counts(entropy: int, draws, n: int) -> np.ndarray:
    """(len(draws), n) case counts of the given draws."""
    out = np.empty((len(draws), n))
    for i, b in enumerate(draws):
        idx = np.random.default_rng(child(entropy, b)).integers(0, n, n)
        out[i] = np.bincount(idx, minlength=n)
    return out


def moments(U: np.ndarray, entropy: int, draws) -> np.ndarray:
    """(len(draws), q, q): U' diag(c_b) U for each draw b, one stacked product per draw."""
    n, q = U.shape
    c = counts(entropy, draws, n)
    weighted = U.T[None, :, :] * c[:, None, :]  # (C, q, n)
    return np.matmul(weighted, np.broadcast_to(U, (len(draws), n, q)))


def _moment_chunk(U: np.ndarray, entropy: int, draws) -> np.ndarray:
    from loyaltysem.base.blas import single_threaded

    return single_threaded(moments)(U, entropy, draws)


def chunk_size(n: int, q: int, requested: int | None = None) -> int:
    if requested is not None:
        return max(1, int(requested))
    return int(max(1, min(CHUNK, _CHUNK_BYTES // (8 * n * q))))


def draw_moments(
    U: np.ndarray, entropy: int, draws: list[int], *, n_jobs=None, chunk: int | None = None
) -> np.ndarray:
    """Moments of the given draws, in chunks, here (n_jobs None or 1) or in joblib workers."""
    size = chunk_size(*U.shape, chunk)
    chunks = [draws[i : i + size] for i in range(0, len(draws), size)]
    if not chunks:
        return np.empty((0, U.shape[1], U.shape[1]))
    if n_jobs in (None, 1) or len(chunks) == 1:
        parts = [_moment_chunk(U, entropy, c) for c in chunks]
    else:
        import joblib

        parts = joblib.Parallel(n_jobs=n_jobs)(
            joblib.delayed(_moment_chunk)(U, entropy, c) for c in chunks
        )
    return np.concatenate(parts)


def solve_draws(G: np.ndarray, equations: list[tuple[list[int], int]]):
    """Each equation's coefficients per draw, and which draws failed.

    ``equations``: (indices of its terms in U, index of its outcome in U)."""
    B = G.shape[0]
    bad = np.zeros(B, dtype=bool)
    n = G[:, 0, 0]  # the constant's column: sum of counts
    for ix, iy in equations:
        xtx = G[:, ix][:, :, ix]
        ev = np.linalg.eigvalsh(xtx)
        bad |= ev[:, 0] <= 1e-12 * ev[:, -1]
        var_y = G[:, iy, iy] - G[:, 0, iy] ** 2 / n
        bad |= var_y <= 1e-12 * np.abs(G[:, iy, iy])
    coefs = []
    good = ~bad
    for ix, iy in equations:
        out = np.full((B, len(ix)), np.nan)
        if good.any():
            xtx = G[good][:, ix][:, :, ix]
            xty = G[good][:, ix, iy]
            out[good] = np.linalg.solve(xtx, xty[:, :, None])[:, :, 0]
        coefs.append(out)
    return coefs, bad


def bootstrap(U: np.ndarray, equations, B: int, entropy: int, *, n_jobs=None, chunk=None):
    """B good draws: (coefficients per equation (B, k_e), moments G (B, q, q), replaced).

    Failed draws are replaced in order by children B, B + 1, ...; EstimationError when more
    than B draws fail."""
    G = draw_moments(U, entropy, list(range(B)), n_jobs=n_jobs, chunk=chunk)
    coefs, bad = solve_draws(G, equations)
    next_child, replaced = B, 0
    while bad.any():
        if next_child >= 2 * B:
            raise EstimationError(
                f"{replaced} bootstrap resamples could not be estimated (singular or constant); "
                "the model is not estimable on resamples of these data"
            )
        slots = np.flatnonzero(bad)
        new = list(range(next_child, min(next_child + len(slots), 2 * B)))
        next_child += len(new)
        replaced += len(new)
        g_new = draw_moments(U, entropy, new, n_jobs=None, chunk=chunk)
        c_new, bad_new = solve_draws(g_new, equations)
        for j, slot in enumerate(slots[: len(new)]):
            G[slot] = g_new[j]
            for eq, cn in zip(coefs, c_new, strict=True):
                eq[slot] = cn[j]
            bad[slot] = bad_new[j]
    return coefs, G, replaced


def _round(x: float) -> int:
    return int(np.round(x))  # R's round(): halves to even


def percentile_index(B: int, conf: float) -> tuple[int, int]:
    """PROCESS's 1-based order statistics of the percentile interval."""
    lo = _round(B * (1 - (conf / 100)) / 2)
    hi = math.trunc(B * (conf / 100) + (B * (1 - (conf / 100)) / 2)) + 1
    return min(max(lo, 1), B), min(max(hi, 1), B)


def intervals(draws: np.ndarray, est: np.ndarray, conf: float, kind: str = "percentile"):
    """(boot SE, lower, upper) per column of ``draws`` (B, m) with estimates ``est`` (m,)."""
    draws = np.asarray(draws, dtype=float).reshape(len(draws), -1)
    est = np.asarray(est, dtype=float).reshape(-1)
    B = draws.shape[0]
    se = draws.std(axis=0, ddof=1)
    s = np.sort(draws, axis=0)
    if kind == "percentile":
        lo, hi = percentile_index(B, conf)
        return se, s[lo - 1], s[hi - 1]
    z = z_crit(conf)
    lower, upper = np.empty(len(est)), np.empty(len(est))
    for j, e in enumerate(est):
        z0 = probit_oe(float(np.mean(draws[:, j] < e)))
        lo = _round(B * special.ndtr(2 * z0 - z)) if math.isfinite(z0) else (0 if z0 < 0 else B)
        hi = (
            math.trunc(B * special.ndtr(2 * z0 + z)) + 1
            if math.isfinite(z0)
            else (1 if z0 < 0 else B + 1)
        )
        lower[j] = s[min(max(lo, 1), B) - 1, j]
        upper[j] = s[min(max(hi, 1), B) - 1, j]
    return se, lower, upper
