"""Step 2 of lavaan's two-step sample statistics: one correlation per pair of variables with
the step-1 thresholds / means / variances held fixed (Olsson 1979; Olsson, Drasgow & Dorans
1982; lavaan ``lav_bvord_cor_twostep_fit``, ``lav_bvmix_cor_twostep_fit``,
``lav_bvreg_cor_twostep_fit``).

* ordinal x ordinal (polychoric): maximise sum_ab f_ab log pi_ab(rho) over the K1 x K2 table,
  pi_ab = Phi2(t1_a, t2_b) - Phi2(t1_{a-1}, t2_b) - Phi2(t1_a, t2_{b-1}) + Phi2(t1_{a-1},
  t2_{b-1}); all pairs at once by a bracketed Halley iteration with the analytic first to
  third rho-derivatives (d Phi2 / d rho = phi2, d phi2 / d rho = phi2 g, ...), monotone in
  the log-likelihood and local from the start value as lavaan's nlminb. As lavaan:
  start at the Pearson correlation of the codes, rho in [-0.999, 0.999], cell
  probabilities below sqrt(eps) set to sqrt(eps) and left out of the derivatives, nothing
  added to empty cells except in 2 x 2 tables (zero.add = c(0.5, 0), keeping the margins),
  where lavaan's closed forms (two empty cells: +-1; f11 f22 = f12 f21: 0; both thresholds
  0: -cos(2 pi p11)) are used too.
* continuous x ordinal (polyserial): maximise sum_n log[phi(z_n)/sd (Phi(a_n) - Phi(b_n))],
  a_n = (t_upper - rho z_n)/sqrt(1 - rho^2), over rho in [-0.995, 0.995]; start
  cor(y, codes) sd(codes)/sum phi(t_k) (halved when above 0.9), P floored at eps, cases with
  likelihood below sqrt(eps) left out.
* continuous x continuous: the Pearson correlation (lavaan returns it directly for complete
  data).

The casewise scores of rho, and their cross-products with the step-1 parameters' scores (the
A21 block of Muthen 1984), are computed here for :mod:`.nacov`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from loyaltysem.base.dist import ndtr
from loyaltysem.base.dist import norm_pdf as _dnorm
from loyaltysem.base.notice import Notice
from loyaltysem.samplestats.bvn import bvn_grid
from loyaltysem.samplestats.univariate import BIG, NumericFit, OrdinalFit

__all__ = [
    "OrdinalPairs",
    "OrdinalDataWarning",
    "pearson_scores",
    "polychoric",
    "polychoric_scores",
    "polyserial",
    "polyserial_scores",
]

SQRT_EPS = float(np.sqrt(np.finfo(float).eps))
EPS = float(np.finfo(float).eps)
_SQRT_2PI = np.sqrt(2.0 * np.pi)


class OrdinalDataWarning(UserWarning):
    """A problem in ordered-item data that lavaan reports as a warning (or stops on)."""


@dataclass
class OrdinalPairs:
    """Bivariate tables of many pairs of ordered items, padded to a common size.

    ``t1``/``t2``: (P, Kmax + 1) extended thresholds (-BIG, t_1, ..., +BIG, +BIG, ...) so
    that categories beyond an item's own K have width zero; ``freq``: (P, Kmax, Kmax) counts;
    ``c1``/``c2``: (N, P) 0-based categories of every respondent; ``pi``/``d1``: the
    (P, Kmax, Kmax) cell probabilities and their rho-derivatives at the estimated rho, kept
    from the estimation for the scores (None: computed there).
    """

    t1: np.ndarray
    t2: np.ndarray
    freq: np.ndarray
    c1: np.ndarray
    c2: np.ndarray
    #: cell probabilities and their rho-derivatives at the estimates (set by polychoric)
    pi: np.ndarray | None = None
    d1: np.ndarray | None = None

    @classmethod
    def build(cls, fits: list[OrdinalFit], first: np.ndarray, second: np.ndarray):
        kmax = max(f.ncat for f in fits)
        ext = np.full((len(fits), kmax + 1), BIG)
        for v, f in enumerate(fits):
            ext[v, : f.ncat + 1] = f.th_ext
        codes = np.column_stack([f.codes - 1 for f in fits])
        c1, c2 = codes[:, first], codes[:, second]
        npairs = first.size
        flat = (np.arange(npairs) * kmax * kmax)[None, :] + c1 * kmax + c2
        freq = np.bincount(flat.ravel(), minlength=npairs * kmax * kmax)
        return cls(ext[first], ext[second], freq.reshape(npairs, kmax, kmax).astype(float), c1, c2)

    def subset(self, idx: np.ndarray) -> OrdinalPairs:
        cells = [None if a is None else a[idx] for a in (self.pi, self.d1)]
        return OrdinalPairs(
            self.t1[idx], self.t2[idx], self.freq[idx], self.c1[:, idx], self.c2[:, idx], *cells
        )


def _diff2(g: np.ndarray) -> np.ndarray:
    """Rectangle probabilities from a grid of corner values: G[a,b]-G[a-1,b]-G[a,b-1]+..."""
    return g[:, 1:, 1:] - g[:, :-1, 1:] - g[:, 1:, :-1] + g[:, :-1, :-1]


def _cell_derivs(t1: np.ndarray, t2: np.ndarray, rho: np.ndarray, order: int = 2):
    """Cell probabilities pi (P, K, K) and their first ``order`` rho-derivatives (at most 3:
    d^3 Phi2 / d rho^3 = d (phi2 g) / d rho = phi2 (g^2 + dg/drho), with
    dg/drho = (1 + r^2 - Q) / (1 - r^2)^2 + 4 r (u v (1 - r^2) - r Q) / (1 - r^2)^3,
    Q = u^2 - 2 r u v + v^2; see :func:`.bvn.bvn_pdf_drho` for g).

    The corners are Phi2 at the inner thresholds (a grid per pair, :func:`.bvn.bvn_grid`),
    Phi of the other item's threshold on the upper edges (+BIG, also the padding of items
    with fewer categories), 1 at the top corner and 0 on the lower edges (-BIG); only the
    inner corners depend on rho."""
    x, y = t1[:, 1:-1], t2[:, 1:-1]  # inner limits, +BIG where an item has fewer categories
    fx, fy = x < BIG, y < BIG
    xs, ys = np.where(fx, x, 0.0), np.where(fy, y, 0.0)
    inner = fx[:, :, None] & fy[:, None, :]
    px, py = np.where(fx, ndtr(xs), 1.0), np.where(fy, ndtr(ys), 1.0)
    shape = (t1.shape[0], t1.shape[1], t2.shape[1])
    grid = np.zeros(shape)
    grid[:, 1:-1, 1:-1] = np.where(
        inner, bvn_grid(xs, ys, rho), px[:, :, None] * py[:, None, :]
    )  # an edge of the padding: Phi of the other limit
    grid[:, -1, 1:-1], grid[:, 1:-1, -1], grid[:, -1, -1] = py, px, 1.0
    out = [_diff2(grid)]
    if order < 1:
        return out
    u, v = xs[:, :, None], ys[:, None, :]
    r = rho[:, None, None]
    one = 1.0 - r * r
    uv, q = u * v, u * u + v * v - 2.0 * r * u * v
    dens = np.where(inner, np.exp(-0.5 * q / one) / (2.0 * np.pi * np.sqrt(one)), 0.0)
    deriv = [dens]
    if order >= 2:
        g = (uv * one - r * q + r * one) / one**2
        deriv.append(dens * g)
    if order >= 3:
        dg = (1.0 + r * r - q) / one**2 + 4.0 * r * (uv * one - r * q) / one**3
        deriv.append(dens * (g * g + dg))
    for d in deriv:
        grid = np.zeros(shape)
        grid[:, 1:-1, 1:-1] = d
        out.append(_diff2(grid))
    return out


def _fgh(tab: OrdinalPairs, rho: np.ndarray):
    """Log-likelihood, gradient and Hessian in rho of every pair's table (lavaan's
    ``lav_bvord_logl/gradient/hessian_cache``: pi floored at sqrt(eps) in the log-likelihood,
    cells with pi <= sqrt(eps) left out of the derivatives)."""
    pi, d1, d2 = _cell_derivs(tab.t1, tab.t2, rho)
    ok = pi > SQRT_EPS
    pic = np.where(ok, pi, 1.0)
    f = np.where(ok, tab.freq, 0.0)
    ratio = d1 / pic
    logl = (tab.freq * np.log(np.maximum(pi, SQRT_EPS))).sum(axis=(1, 2))
    grad = (f * ratio).sum(axis=(1, 2))
    hess = (f * (d2 / pic - ratio * ratio)).sum(axis=(1, 2))
    return logl, grad, hess


def _newton_ascent(fgh, rho0, lower, upper, tol=1e-11, maxit=200, max_step=0.2):
    """Maximise many 1-d log-likelihoods at once, locally from rho0 as nlminb does:
    Newton steps (a gradient step of at most ``max_step`` where the curvature is not
    negative), halved until the log-likelihood does not decrease, inside [lower, upper];
    a bound is the answer when the gradient points outside it.

    ``fgh(idx, r)`` returns (logl, gradient, Hessian) of the pairs ``idx`` at ``r``.
    """
    rho = np.clip(np.asarray(rho0, dtype=float), lower, upper)
    f, g, h = fgh(np.arange(rho.size), rho)

    def direction(g, h):
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = -g / h
        ok = (h < 0) & np.isfinite(newton)
        return np.clip(np.where(ok, newton, np.sign(g) * max_step), -max_step, max_step)

    step = direction(g, h)
    active = np.ones(rho.size, dtype=bool)
    converged = np.zeros(rho.size, dtype=bool)
    for _ in range(maxit):
        at_bound = ((rho >= upper) & (g >= 0)) | ((rho <= lower) & (g <= 0)) | (g == 0)
        done = active & (at_bound | (np.abs(step) < tol))
        converged[done], active[done] = True, False
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        cand = np.clip(rho[idx] + step[idx], lower, upper)
        fc, gc, hc = fgh(idx, cand)
        better = fc >= f[idx] - 1e-12 * np.abs(f[idx])
        acc, rej = idx[better], idx[~better]
        moved = np.abs(cand[better] - rho[acc])
        rho[acc], f[acc], g[acc], h[acc] = cand[better], fc[better], gc[better], hc[better]
        step[acc] = direction(g[acc], h[acc])
        small = moved < tol
        converged[acc[small]], active[acc[small]] = True, False
        step[rej] *= 0.5
    return rho, converged


def _fght(tab: OrdinalPairs, rho: np.ndarray):
    """:func:`_fgh` and the third rho-derivative of the log-likelihood,
    sum f (pi3 / pi - 3 pi2 pi1 / pi^2 + 2 (pi1 / pi)^3) over the same cells (pi1..pi3: the
    rho-derivatives of pi); returns ((logl, gradient, Hessian, third), cells) with cells
    (P, 4, K, K): pi and its three rho-derivatives, kept by :func:`_halley_ascent`."""
    cells = np.stack(_cell_derivs(tab.t1, tab.t2, rho, order=3), axis=1)
    pi = cells[:, 0]
    ok = pi > SQRT_EPS
    f = np.where(ok, tab.freq, 0.0)
    inv = 1.0 / np.where(ok, pi, 1.0)
    a, b = cells[:, 1] * inv, cells[:, 2] * inv
    fa, aa = f * a, a * a
    npairs = pi.shape[0]
    logl = (tab.freq * np.log(np.maximum(pi, SQRT_EPS))).reshape(npairs, -1).sum(axis=1)
    terms = np.stack([fa, f * (b - aa), f * (cells[:, 3] * inv) - fa * (3.0 * b - 2.0 * aa)], 1)
    grad, hess, third = terms.reshape(npairs, 3, -1).sum(axis=2).T
    return (logl, grad, hess, third), cells


#: a last step below this is taken without evaluating its end: the error left by Halley's
#: step is O(step^3), by Newton's O(step^2) - about 1e-15 here (measured: 5,000 times below
#: what a stop at steps under 1e-11 leaves), and one evaluation of every pair is saved
FINISH_HALLEY, FINISH_NEWTON = 1e-5, 1e-7


def _halley_direction(g, h, t, max_step: float):
    """Halley's step for g = 0, -2 g h / (2 h^2 - g t) = newton / (1 + newton t / (2 h)),
    where the curvature h is negative and that correction is within [1/2, 2]; else Newton's
    step; else a gradient step of ``max_step``. Returns (step, the largest step that may
    be taken without evaluating its end)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        newton = -g / h
        den = 1.0 + newton * t / (2.0 * h)
        halley = newton / den
    ok = (h < 0) & np.isfinite(newton)
    use = ok & np.isfinite(halley) & (den > 0.5) & (den < 2.0)
    step = np.where(use, halley, np.where(ok, newton, np.sign(g) * max_step))
    finish = np.where(use, FINISH_HALLEY, np.where(ok, FINISH_NEWTON, 0.0))
    return np.clip(step, -max_step, max_step), finish


def _halley_ascent(fght, rho0, lower, upper, tol=1e-11, maxit=200, max_step=0.2):
    """:func:`_newton_ascent` with Halley's third-order steps: ``fght(idx, r)`` returns
    ((logl, gradient, Hessian, third derivative), cache) of the pairs ``idx`` at ``r``.
    Steps are halved until the log-likelihood does not decrease, inside [lower, upper]; a
    step below ``FINISH_*`` (never a halved one) is the last one and is taken without
    evaluating its end. From the Pearson start most pairs converge in two evaluations.

    Returns (rho, converged, last, cache): ``cache`` is fght's at rho - last, the point of
    each pair's last evaluation (``last``: the final, unevaluated step; 0 for some)."""
    rho = np.clip(np.asarray(rho0, dtype=float), lower, upper)
    (f, g, h, t), cache = fght(np.arange(rho.size), rho)
    step, finish = _halley_direction(g, h, t, max_step)
    last = np.zeros(rho.size)
    active = np.ones(rho.size, dtype=bool)
    converged = np.zeros(rho.size, dtype=bool)
    for _ in range(maxit):
        at_bound = ((rho >= upper) & (g >= 0)) | ((rho <= lower) & (g <= 0)) | (g == 0)
        small = active & ~at_bound & (np.abs(step) < finish)
        last[small] = np.clip(rho[small] + step[small], lower, upper) - rho[small]
        done = active & (at_bound | (np.abs(step) < tol) | small)
        converged[done], active[done] = True, False
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        cand = np.clip(rho[idx] + step[idx], lower, upper)
        (fc, gc, hc, tc), cc = fght(idx, cand)
        better = fc >= f[idx] - 1e-12 * np.abs(f[idx])
        acc, rej = idx[better], idx[~better]
        moved = np.abs(cand[better] - rho[acc])
        rho[acc], f[acc], g[acc], h[acc] = cand[better], fc[better], gc[better], hc[better]
        t[acc], cache[acc] = tc[better], cc[better]
        step[acc], finish[acc] = _halley_direction(g[acc], h[acc], t[acc], max_step)
        small = moved < tol
        converged[acc[small]], active[acc[small]] = True, False
        step[rej] *= 0.5
        finish[rej] = 0.0
    return rho + last, converged, last, cache


def _cells_after(cells: np.ndarray, step: np.ndarray):
    """pi and d pi / d rho at rho + step from the cells (pi and three rho-derivatives) at
    rho, by Taylor's formula (steps below FINISH_HALLEY: exact to rounding)."""
    s = step[:, None, None]
    pi = cells[:, 0] + s * (cells[:, 1] + s / 2.0 * (cells[:, 2] + s / 3.0 * cells[:, 3]))
    d1 = cells[:, 1] + s * (cells[:, 2] + s / 2.0 * cells[:, 3])
    return pi, d1


def _two_by_two(freq: np.ndarray, th1: float, th2: float, names: tuple[str, str]):
    """lavaan's special cases of a 2 x 2 table; returns (rho or None, adjusted freq)."""
    f = freq.copy()
    zero = np.flatnonzero(f.ravel() == 0)
    if zero.size == 2:
        msg = (
            f"items {names[0]} and {names[1]}: two empty cells in their 2 x 2 table; "
            "the tetrachoric correlation is set to +-1 (as lavaan)"
        )
        warnings.warn(
            Notice("ordinal.tetrachoric_empty_cells", msg, a=names[0], b=names[1]),
            OrdinalDataWarning,
            stacklevel=4,
        )
        return (1.0 if f[0, 0] > 0 else -1.0), f
    if zero.size == 1:  # add 0.5 keeping the margins (zero.add[1], zero.keep.margins)
        s = 0.5 if zero[0] in (0, 3) else -0.5
        f += np.array([[s, -s], [-s, s]])
    if f[0, 0] * f[1, 1] == f[0, 1] * f[1, 0]:
        return 0.0, f
    if th1 == 0.0 and th2 == 0.0:
        return float(-np.cos(2.0 * np.pi * f[0, 0] / f.sum())), f
    return None, f


def _start_values(fits: list[OrdinalFit], first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pearson correlations of the category codes (lavaan's start), 0 when undefined."""
    codes = np.column_stack([f.codes for f in fits]).astype(float)
    codes -= codes.mean(axis=0)
    cross = codes.T @ codes  # every pair's cross-product at once (items x items)
    sd = np.sqrt(np.diag(cross))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cross[first, second] / (sd[first] * sd[second])
    return np.where(np.isfinite(r) & (np.abs(r) < 1), r, 0.0)


def polychoric(
    fits: list[OrdinalFit],
    first: np.ndarray,
    second: np.ndarray,
    names: list[str] | None = None,
) -> tuple[np.ndarray, OrdinalPairs, np.ndarray]:
    """Polychoric correlations of the item pairs (first[p], second[p]) (indices into fits).

    Returns (rho, tables, zero_cell) where zero_cell flags tables with an empty cell.
    """
    names = names or [str(v) for v in range(len(fits))]
    tab = OrdinalPairs.build(fits, first, second)
    est_freq = tab.freq.copy()
    ncat = np.array([f.ncat for f in fits])
    sizes = np.column_stack([ncat[first], ncat[second]])
    cat = np.arange(tab.freq.shape[1])
    used = (cat[None, :, None] < sizes[:, 0, None, None]) & (
        cat[None, None, :] < sizes[:, 1, None, None]
    )
    zero_cell = ((tab.freq == 0) & used).any(axis=(1, 2))
    rho0 = _start_values(fits, first, second)
    fixed = np.zeros(first.size, dtype=bool)
    for p in np.flatnonzero((sizes[:, 0] == 2) & (sizes[:, 1] == 2)):
        rho, f = _two_by_two(
            tab.freq[p, :2, :2],
            fits[first[p]].th[0],
            fits[second[p]].th[0],
            (names[first[p]], names[second[p]]),
        )
        est_freq[p, :2, :2] = f
        if rho is not None:
            rho0[p], fixed[p] = rho, True
    free = np.flatnonzero(~fixed)
    est = OrdinalPairs(tab.t1[free], tab.t2[free], est_freq[free], tab.c1[:, :0], tab.c2[:, :0])

    def fght(idx, r):
        sub = OrdinalPairs(est.t1[idx], est.t2[idx], est.freq[idx], est.c1, est.c2)
        return _fght(sub, r)

    rho = rho0.copy()
    tab.pi, tab.d1 = np.zeros(tab.freq.shape), np.zeros(tab.freq.shape)
    if free.size:
        rho[free], conv, last, cells = _halley_ascent(fght, rho0[free], -0.999, 0.999)
        tab.pi[free], tab.d1[free] = _cells_after(cells, last)
        for p in free[~conv]:
            a, b = names[first[p]], names[second[p]]
            msg = f"items {a} and {b}: the polychoric correlation did not converge"
            warnings.warn(
                Notice("ordinal.polychoric_not_converged", msg, a=a, b=b),
                OrdinalDataWarning,
                stacklevel=2,
            )
    if fixed.any():
        tab.pi[fixed], tab.d1[fixed] = _cell_derivs(
            tab.t1[fixed], tab.t2[fixed], rho[fixed], order=1
        )
    return rho, tab, zero_cell


def polychoric_scores(tab: OrdinalPairs, rho: np.ndarray):
    """Casewise rho scores (N, P) and the A21 cross-products with both items' threshold
    scores, (P, Kmax - 1) each (lavaan ``lav_bvord_cor_scores`` + ``muthen1984``).

    d log pi_ab / d t1_a (upper limit of row a) = U1_ab / pi_ab with
    U1_ab = phi(t1_a) [Phi((t2_b - rho t1_a)/R) - Phi((t2_{b-1} - rho t1_a)/R)],
    R = sqrt(1 - rho^2); the lower limit enters with L1_ab (t1_{a-1}) and a minus sign.
    """
    if tab.pi is not None and tab.d1 is not None:
        pi, d1 = tab.pi, tab.d1
    else:
        pi, d1 = _cell_derivs(tab.t1, tab.t2, rho, order=1)
    ok = np.maximum(pi, SQRT_EPS) > SQRT_EPS
    pic = np.maximum(pi, SQRT_EPS)
    s_rho = np.where(ok, d1 / pic, 0.0)  # (P, K, K)
    npairs, kmax = pi.shape[0], pi.shape[1]
    cols = np.arange(npairs)[None, :]
    sc = s_rho[cols, tab.c1, tab.c2]  # (N, P)
    w = np.where(ok, tab.freq * s_rho / pic, 0.0)
    r = rho[:, None, None]
    rr = np.sqrt(1.0 - rho * rho)[:, None, None]
    rr_safe = np.where(rr > 0, rr, 1.0)

    # Phi((t2_b - rho t1_a) / R) and Phi((t1_a - rho t2_b) / R) on the corner grid, once
    t1, t2 = tab.t1[:, :, None], tab.t2[:, None, :]
    c12 = ndtr((t2 - r * t1) / rr_safe)
    c21 = ndtr((t1 - r * t2) / rr_safe)
    e1 = _dnorm(t1) * np.where(rr > 0, np.diff(c12, axis=2), 0.5)  # (P, K + 1, K): limit a
    e2 = _dnorm(t2) * np.where(rr > 0, np.diff(c21, axis=1), 0.5)  # (P, K, K + 1): limit b
    u1, l1 = e1[:, 1:], e1[:, :-1]  # the row's upper / lower limit
    u2, l2 = e2[:, :, 1:], e2[:, :, :-1]
    wu1, wl1 = (w * u1).sum(axis=2), (w * l1).sum(axis=2)  # (P, K) by row
    wu2, wl2 = (w * u2).sum(axis=1), (w * l2).sum(axis=1)  # (P, K) by column
    a21_1 = wu1[:, : kmax - 1] - wl1[:, 1:]
    a21_2 = wu2[:, : kmax - 1] - wl2[:, 1:]
    return sc, a21_1, a21_2


# ------------------------------------------------------------------ polyserial
def _mix_terms(z, up, lo, rho):
    rr = np.sqrt(1.0 - rho * rho)
    a1, a2 = (up - rho * z) / rr, (lo - rho * z) / rr
    p = np.maximum(ndtr(a1) - ndtr(a2), EPS)
    return rr, a1, a2, p


def _polyserial_fgh(z, up, lo, logpy1, rho):
    """Log-likelihood, gradient and Hessian in rho over the cases lavaan keeps
    (likelihood phi(z)/sd * max(P, eps) at least sqrt(eps); ``lav_bvmix_*_cache``)."""
    r = rho[:, None]
    rr, a1, a2, p = _mix_terms(z, up, lo, r)
    loglik = logpy1 + np.log(p)
    keep = loglik >= np.log(SQRT_EPS)
    r3 = rr**3
    da1, da2 = (r * up - z) / r3, (r * lo - z) / r3
    f1, f2 = _dnorm(a1), _dnorm(a2)
    dp = f1 * da1 - f2 * da2
    dda1 = up / r3 + (r * up - z) * 3.0 * r / rr**5
    dda2 = lo / r3 + (r * lo - z) * 3.0 * r / rr**5
    ddp = f1 * (dda1 - a1 * da1 * da1) - f2 * (dda2 - a2 * da2 * da2)
    f = np.where(keep, loglik, 0.0).sum(axis=1)
    g = np.where(keep, dp / p, 0.0).sum(axis=1)
    h = np.where(keep, ddp / p - (dp / p) ** 2, 0.0).sum(axis=1)
    return f, g, h


def polyserial(
    nums: list[NumericFit], ords: list[OrdinalFit], names: list[tuple[str, str]] | None = None
) -> np.ndarray:
    """Polyserial correlations of the pairs (nums[p], ords[p])."""
    if not nums:
        return np.zeros(0)
    z = np.vstack([n.z for n in nums])
    logpy1 = np.vstack([-0.5 * n.z**2 - np.log(_SQRT_2PI * n.sd) for n in nums])
    up = np.vstack([o.upper for o in ords])
    lo = np.vstack([o.lower for o in ords])
    rho0 = np.empty(len(nums))
    for p, (n, o) in enumerate(zip(nums, ords, strict=True)):
        codes = o.codes.astype(float)
        cor = np.corrcoef(n.y, codes)[0, 1] if n.var > 0 and codes.std() > 0 else np.nan
        init = cor * codes.std() / _dnorm(o.th).sum()
        rho0[p] = 0.0 if not np.isfinite(init) else (init / 2 if abs(init) > 0.9 else init)

    def gh(idx, r):
        return _polyserial_fgh(z[idx], up[idx], lo[idx], logpy1[idx], r)

    rho, conv = _newton_ascent(gh, rho0, -0.995, 0.995)
    for p in np.flatnonzero(~conv):
        pair = names[p] if names else (str(p), "")
        msg = f"variables {pair[0]} and {pair[1]}: the polyserial correlation did not converge"
        warnings.warn(
            Notice("ordinal.polyserial_not_converged", msg, a=pair[0], b=pair[1]),
            OrdinalDataWarning,
            stacklevel=2,
        )
    return rho


def polyserial_scores(num: NumericFit, ordf: OrdinalFit, rho: float):
    """Casewise scores of one continuous-ordinal pair (lavaan ``lav_bvmix_cor_scores``):
    rho (N,), and the step-1 scores as the bivariate likelihood sees them: mean (N,),
    variance (N,), thresholds (N, K - 1)."""
    z, up, lo = num.z, ordf.upper, ordf.lower
    rr, a1, a2, p = _mix_terms(z, up, lo, rho)
    f1, f2 = _dnorm(a1), _dnorm(a2)
    s_rho = (f1 * (up * rho - z) - f2 * (lo * rho - z)) / (p * rr**3)
    s_mean = (z + (rho / rr) * (f1 - f2) / p) / num.sd
    s_var = ((z * z - 1.0) + (rho * z / rr) * (f1 - f2) / p) / (2.0 * num.var)
    k = ordf.th.size
    s_th = np.zeros((z.size, k))
    rows = np.arange(z.size)
    c = ordf.codes
    m = c <= k
    s_th[rows[m], c[m] - 1] = (f1 / (rr * p))[m]
    m = c >= 2
    s_th[rows[m], c[m] - 2] = -(f2 / (rr * p))[m]
    return s_rho, s_mean, s_var, s_th


def pearson_scores(n1: NumericFit, n2: NumericFit, rho: float):
    """Casewise scores of the bivariate normal log-likelihood with fixed means/variances
    (lavaan ``lav_bvreg_cor_scores``): rho, mean1, var1, mean2, var2 (each (N,))."""
    e1, e2 = n1.y - n1.mean, n2.y - n2.mean
    v1, v2, s1, s2 = n1.var, n2.var, n1.sd, n2.sd
    one = 1.0 - rho * rho
    m1 = (e1 / v1 - rho * e2 / (s1 * s2)) / one
    m2 = (e2 / v2 - rho * e1 / (s1 * s2)) / one
    var1 = -(0.5 / v1 - (e1 * e1 / (v1 * v1) - rho * e1 * e2 / (v1 * s1 * s2)) / (2.0 * one))
    var2 = -(0.5 / v2 - (e2 * e2 / (v2 * v2) - rho * e1 * e2 / (v2 * s1 * s2)) / (2.0 * one))
    q = e1 * e1 / v1 - 2.0 * rho * e1 * e2 / (s1 * s2) + e2 * e2 / v2
    s_rho = rho / one + e1 * e2 / (s1 * s2 * one) - q * rho / (one * one)
    return s_rho, m1, var1, m2, var2
