"""Batched ML refits: many bootstrap draws or Monte Carlo replications advanced at once.

The one-at-a-time refit (``compiled.bfgs_refit``) spends most of a draw's time on numpy call
overhead around 39 x 39 matrices. Here B parameter vectors are evaluated together with
stacked linear algebra on (B, p, p) arrays, so the Python and call overhead is paid once per
batch:

* implied moments (RAM form, McArdle & McDonald 1984): Sigma = F B S B' F', mu = F B m with
  B = (I - A)^-1, for B theta vectors at once (``BatchModel.implied``); with the LISREL
  layout (items load on factors, paths among factors) only the small factor block is inverted;
* the ML discrepancy F and its analytic gradient for B draws (``BatchModel.f_grad``), the
  same formulas as ``compiled.ml_f_gradient`` and ``ram.gradient_terms``:
  F = sum_g w_g [log|Sigma| + tr(S+ Sigma^-1) - log|S| - p], dF = tr(W dSigma) - 2 v' dmu,
  W = Sigma^-1 - Sigma^-1 S+ Sigma^-1, tr(W dSigma/dA_ij) = 2 (H W C)_ji,
  tr(W dSigma/dS_ij) = 2 (C' W C)_ij (once on the diagonal);
* the expected information for B draws (``BatchModel.expected_information``, as
  ``compiled.expected_information``);
* BFGS for B draws (``bfgs_batch``): the algorithm of ``compiled.bfgs_refit`` step for step
  (same start, seed inverse Hessian, Armijo backtracking, restart and skip rules, stopping
  rule) with a per-draw line search and convergence mask. The inverse Hessian is applied by
  the two-loop recursion (Nocedal & Wright 2006, alg. 7.4) over all stored pairs with the
  dense seed matrix as H0, which is the dense BFGS update of ``bfgs_refit`` written in
  product form (identical in exact arithmetic), at O(k q) per draw instead of O(q^2); a draw
  with more than 40 pairs switches to the dense matrix (``bfgs_history``).

Every draw's arithmetic involves only its own slices, so a draw's result does not depend on
the batch it is in. Draws whose implied matrix is not positive definite at a trial point
are handled per draw (that trial is rejected, as ``ml_f_gradient`` returns inf there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loyaltysem.semcore.resample.bfgs_history import History

SLICE = 32  # draws evaluated together (cache-sized temporaries)
BLOCK = 256  # draws whose BFGS runs together

# ----------------------------------------------------------------------------- moments


@dataclass
class Moments:
    """Sample moments of B data sets, one entry per group: sizes (B,), covariances with
    divisor n (B, p, p), means (B, p) and log|cov| (B,)."""

    n: list[np.ndarray]
    cov: list[np.ndarray]
    mean: list[np.ndarray]
    logdet: list[np.ndarray]

    @property
    def size(self) -> int:
        return len(self.n[0])

    def take(self, idx) -> Moments:
        if isinstance(idx, np.ndarray) and len(idx) and (np.diff(idx) == 1).all():
            idx = slice(int(idx[0]), int(idx[-1]) + 1)  # consecutive rows: views, no copies
        return Moments(
            [x[idx] for x in self.n],
            [x[idx] for x in self.cov],
            [x[idx] for x in self.mean],
            [x[idx] for x in self.logdet],
        )

    @classmethod
    def from_arrays(cls, groups: list[np.ndarray]) -> Moments:
        """Moments of stacked raw data, one (B, n_g, p) array per group (as
        ``GroupData.from_array`` for each data set)."""
        ns, covs, means, logdets = [], [], [], []
        for x in groups:
            b, n, _ = x.shape
            mean = x.mean(axis=1)
            xc = x - mean[:, None, :]
            cov = np.matmul(xc.transpose(0, 2, 1), xc) / n
            ns.append(np.full(b, float(n)))
            covs.append(cov)
            means.append(mean)
            logdets.append(np.linalg.slogdet(cov)[1])
        return cls(ns, covs, means, logdets)


def resampled_moments(groups_raw: list[np.ndarray], rows: list[list[np.ndarray]]) -> Moments:
    """Moments of B data sets made of rows of the raw data: ``rows[b][g]`` indexes group g's
    rows in data set b (a bootstrap resample, or every row but one for the jackknife).

    With x~ the rows centred at the full-sample mean and w a data set's case weights (how
    often each row is in it, sum n): mean = xbar + d, d = w'x~ / n, and
    cov = x~' diag(w) x~ / n - d d' (divisor n, as ``GroupData.from_array``). Each data set
    has its own matrix products, so its moments do not depend on the rest of the batch (a
    (B, N) @ (N, .) product's rows do, through the BLAS kernels' blocking)."""
    ns, covs, means = [], [], []
    for g, x in enumerate(groups_raw):
        n_rows, p = x.shape
        center = x.mean(axis=0)
        xc = x - center
        xct = np.ascontiguousarray(xc.T)
        cov = np.empty((len(rows), p, p))
        d = np.empty((len(rows), p))
        n = np.empty(len(rows))
        for b, r in enumerate(rows):
            w = np.bincount(r[g], minlength=n_rows).astype(float)
            n[b] = w.sum()
            d[b] = (w @ xc) / n[b]
            cov[b] = (xct * w) @ xc / n[b]
        cov -= d[:, :, None] * d[:, None, :]
        ns.append(n)
        covs.append(cov)
        means.append(center + d)
    logdets = [np.linalg.slogdet(c)[1] for c in covs]
    return Moments(ns, covs, means, logdets)


# ----------------------------------------------------------------------------- linear algebra


def chol_inverse(sigma: np.ndarray):
    """Inverse and log-determinant of each PD matrix in a stack by Cholesky; ``ok`` is False
    where a matrix is not positive definite (its inverse and log-determinant are then
    meaningless)."""
    b, p, _ = sigma.shape
    ok = np.ones(b, dtype=bool)
    try:
        L = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        L = np.empty_like(sigma)
        eye = np.eye(p)
        for k in range(b):
            try:
                L[k] = np.linalg.cholesky(sigma[k])
            except np.linalg.LinAlgError:
                ok[k] = False
                L[k] = eye
    from loyaltysem.base.blas import scipy_linalg

    lapack = scipy_linalg().lapack  # here: a Woodbury model never loads scipy.linalg (0.3 s)

    Li = np.empty_like(L)
    for k in range(b):
        Li[k], info = lapack.dtrtri(L[k], lower=1)
        if info != 0:
            ok[k] = False
            Li[k] = np.eye(p)
    inv = np.matmul(Li.transpose(0, 2, 1), Li)
    diag = np.diagonal(L, axis1=1, axis2=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        logdet = 2.0 * np.log(diag).sum(axis=1)
    return inv, logdet, ok


def _cholesky(x: np.ndarray):
    """Lower Cholesky factors of a stack and the positive-definite flag of each matrix."""
    ok = np.ones(len(x), dtype=bool)
    try:
        return np.linalg.cholesky(x), ok
    except np.linalg.LinAlgError:
        L = np.repeat(np.eye(x.shape[1])[None], len(x), axis=0)
        for k in range(len(x)):
            try:
                L[k] = np.linalg.cholesky(x[k])
            except np.linalg.LinAlgError:
                ok[k] = False
        return L, ok


def _woodbury(LB: np.ndarray, R: np.ndarray, theta: np.ndarray):
    """Sigma = G G' + diag(theta) with G = LB R (R R' = S_ll): Sigma^-1 = T - T G K^-1 G' T
    with T = diag(1/theta), K = I + G' T G, and log|Sigma| = sum log theta + log|K|
    (Woodbury; Henderson & Searle 1981)."""
    G = LB @ R
    TG = G / theta[:, :, None]
    K = G.transpose(0, 2, 1) @ TG
    K[:, np.arange(K.shape[1]), np.arange(K.shape[1])] += 1.0
    Lk = np.linalg.cholesky(K)
    X = np.linalg.inv(K) @ TG.transpose(0, 2, 1)  # K^-1 G' T (K >= I: well conditioned)
    inv = -(TG @ X)
    d = np.arange(theta.shape[1])
    inv[:, d, d] += 1.0 / theta
    logdet = np.log(theta).sum(axis=1) + 2.0 * np.log(np.diagonal(Lk, axis1=1, axis2=2)).sum(1)
    return inv, logdet, np.ones(len(theta), dtype=bool)


def _put_sym(target: np.ndarray, i: np.ndarray, j: np.ndarray, vals: np.ndarray) -> None:
    target[:, i, j] = vals
    target[:, j, i] = vals


def _incidence(theta_index: np.ndarray, npar: int) -> np.ndarray:
    """(R, q) matrix that sums per-row values into per-parameter values."""
    M = np.zeros((len(theta_index), npar))
    M[np.arange(len(theta_index)), theta_index] = 1.0
    return M


class _RowSum:
    """``vals @ M`` for the incidence matrix M of ``theta_index`` (per-row values summed into
    per-parameter values) as column gathers and sums: no BLAS call, whose kernel (chosen by
    the number of rows) would make a draw's values depend on its batch."""

    def __init__(self, theta_index: np.ndarray, npar: int):
        self.order = np.argsort(theta_index, kind="stable")
        keys = theta_index[self.order]
        self.starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        self.target = keys[self.starts]
        self.unique = len(self.starts) == len(keys)
        self.npar = npar

    def __call__(self, vals: np.ndarray) -> np.ndarray:
        out = np.zeros((len(vals), self.npar))
        picked = vals[:, self.order]
        out[:, self.target] = picked if self.unique else np.add.reduceat(picked, self.starts, 1)
        return out


# ----------------------------------------------------------------------------- the model


class BatchImplied:
    """Implied moments of B parameter vectors in one group, built lazily: ``sigma`` (B, p, p),
    ``mu_all`` (B, n), ``var_all`` (diagonal of the covariance of all variables, B x n) and
    ``s_diag`` (diagonal of S). In the LISREL layout the pieces are the loadings times
    (I - B_ll)^-1 (``LB``, B x p x l), Cov(items, factors) (``cross``), the factors' block of
    S (``Sll``) and the items' block (``Spp``, or its diagonal ``theta`` when the items have
    no residual covariances); in the general layout (I - A)^-1 (``Bm``) and the covariance
    of all variables (``sigma_all``)."""

    def __init__(self, p: int, m: np.ndarray, **parts):
        self.p = p
        self.m = m
        self.__dict__.update(parts)

    def __getattr__(self, name):  # the lazy pieces
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self, "_make_" + name)()
        setattr(self, name, value)
        return value

    def _make_Spp(self):
        out = np.zeros(self.theta.shape + (self.p,))
        d = np.arange(self.p)
        out[:, d, d] = self.theta
        return out

    def _make_sigma(self):
        if "Bm" in self.__dict__:
            return self.sigma_all[:, : self.p, : self.p]
        return self.cross @ self.L.transpose(0, 2, 1) + self.Spp

    def _make_theta(self):
        return np.diagonal(self.Spp, axis1=1, axis2=2)

    def _make_mu_all(self):
        if "Bm" in self.__dict__:
            return (self.Bm @ self.m[:, :, None])[:, :, 0]
        p, ml = self.p, self.m[:, self.p :, None]
        items = self.m[:, :p] + (self.LB @ ml)[:, :, 0]
        return np.concatenate([items, (self.Bl @ ml)[:, :, 0]], axis=1)

    def _make_var_all(self):
        if "Bm" in self.__dict__:
            return np.diagonal(self.sigma_all, axis1=1, axis2=2).copy()
        items = np.einsum("bpl,bpl->bp", self.cross, self.L) + self.theta
        psi = np.einsum("bkl,blk->bk", self.Bl, self.SBt)  # diag(Bl S_ll Bl')
        return np.concatenate([items, psi], axis=1)

    def _make_s_diag(self):
        if "Bm" in self.__dict__:
            return np.diagonal(self.S, axis1=1, axis2=2).copy()
        return np.concatenate([self.theta, np.diagonal(self.Sll, axis1=1, axis2=2)], axis=1)


def _free_rows(rows: np.ndarray):
    """(theta index, i, j) of the free rows of a ``ram.GroupStructure`` array."""
    if not len(rows):
        z = np.zeros(0, dtype=int)
        return z, z, z
    free = rows[:, 1] >= 0
    return rows[free, 1].astype(int), rows[free, 2].astype(int), rows[free, 3].astype(int)


def _nilpotency(pattern: np.ndarray) -> int | None:
    """Smallest k with B^k = 0 for every B with this nonzero pattern (a recursive
    structural model), else None; then (I - B)^-1 = I + B + ... + B^(k-1)."""
    k, power = 1, pattern.astype(int)
    while power.any():
        power = (power @ pattern.astype(int) > 0).astype(int)
        k += 1
        if k > len(pattern) + 1:
            return None
    return k


class _GroupPlan:
    """Index arrays of one group: where theta and the fixed.x covariates' sample moments go
    in A, S and m (or, in the LISREL layout, in the loadings L, the factor paths B_ll and the
    blocks S_pp, S_ll), and where each free row's gradient term is read."""

    def __init__(self, gs, npar: int, exo_rows: set[int]):
        from loyaltysem.semcore.model import ram

        p, n = gs.p, gs.n
        self.p, self.n = p, n
        self.lisrel = gs.lisrel
        self.ms = gs.meanstructure
        self.A0, self.S0, self.m0 = ram.fill(gs, np.zeros(max(npar, 1)))
        self.a_th, self.a_i, self.a_j = _free_rows(gs.a_rows)
        self.s_th, self.s_i, self.s_j = _free_rows(gs.s_rows)
        self.mf_th, self.mf_i, _ = _free_rows(gs.m_rows)  # every free mean (for fill)
        keep = len(self.mf_th) if self.ms else 0  # mean rows in the gradient
        self.m_th, self.m_i = self.mf_th[:keep], self.mf_i[:keep]
        # fixed.x covariates: S and m entries taken from each data set's own moments
        s, m = gs.s_rows, gs.m_rows
        ex_s = [(int(r[2]), int(r[3])) for r in s if int(r[0]) in exo_rows]
        self.exo_s = (
            np.array([e[0] for e in ex_s], dtype=int),
            np.array([e[1] for e in ex_s], dtype=int),
        )
        self.exo_m = np.array([int(r[2]) for r in m if int(r[0]) in exo_rows], dtype=int)
        flat = np.concatenate([self.a_th, self.s_th, self.m_th])
        self.M = _incidence(flat, npar)
        self.row_sum = _RowSum(flat, npar)
        self.s_coef = np.where(self.s_i == self.s_j, 1.0, 2.0)
        if self.lisrel:
            self._lisrel_plan()
        self._flat_index()

    def _lisrel_plan(self) -> None:
        p = self.p
        load = self.a_i < p
        self.la = (self.a_th[load], self.a_i[load], self.a_j[load] - p)
        self.ba = (self.a_th[~load], self.a_i[~load] - p, self.a_j[~load] - p)
        item = self.s_i < p
        self.ss_p = (self.s_th[item], self.s_i[item], self.s_j[item])
        self.ss_l = (self.s_th[~item], self.s_i[~item] - p, self.s_j[~item] - p)
        self.L0, self.B0 = self.A0[:p, p:], self.A0[p:, p:]
        self.Spp0, self.Sll0 = self.S0[:p, :p], self.S0[p:, p:]
        pattern = self.B0 != 0
        pattern[self.ba[1], self.ba[2]] = True
        self.depth = _nilpotency(pattern)
        off = (self.Spp0 != 0) & ~np.eye(p, dtype=bool)
        off[self.ss_p[1], self.ss_p[2]] |= self.ss_p[1] != self.ss_p[2]
        ei, ej = self.exo_s
        off[ei, ej] |= ei != ej
        self.diag_theta = not off.any()  # residual covariances of items: none

    def _flat_index(self) -> None:
        """Positions of each free row's tr(W dSigma) term in the flattened per-draw arrays
        that ``gradient`` concatenates."""
        p, n = self.p, self.n
        na = len(self.a_th)
        pos_a, pos_s = np.arange(na), na + np.arange(len(self.s_th))
        if self.lisrel:
            # (H W C)[factors, :] = [K, K LB] with K = (H W)[factors, items] (l x p);
            # C' W C = W on the items, LB' W LB on the factors
            nl = n - p
            load, item = self.a_i < p, self.s_i < p
            self.gather = [
                (pos_a[load], (self.a_j[load] - p) * p + self.a_i[load]),
                (pos_a[~load], (self.a_j[~load] - p) * nl + self.a_i[~load] - p),
                (pos_s[item], self.s_i[item] * p + self.s_j[item]),
                (pos_s[~item], (self.s_i[~item] - p) * nl + self.s_j[~item] - p),
            ]
        else:
            self.gather = [
                (pos_a, self.a_j * n + self.a_i),  # (H W C)_ji
                (pos_s, self.s_i * n + self.s_j),  # (C' W C)_ij
            ]
        self.flat_coef = np.concatenate([np.full(na, 2.0), self.s_coef])

    def fill(self, theta: np.ndarray, cov: np.ndarray | None, mean: np.ndarray | None):
        """A, S, m of the general layout (as ``ram.fill``)."""
        b = len(theta)
        A = np.repeat(self.A0[None], b, axis=0)
        S = np.repeat(self.S0[None], b, axis=0)
        A[:, self.a_i, self.a_j] = theta[:, self.a_th]
        _put_sym(S, self.s_i, self.s_j, theta[:, self.s_th])
        if len(self.exo_s[0]) and cov is not None:
            _put_sym(S, *self.exo_s, cov[:, self.exo_s[0], self.exo_s[1]])
        return A, S, self._fill_m(theta, mean)

    def _fill_m(self, theta, mean):
        m = np.repeat(self.m0[None], len(theta), axis=0)
        m[:, self.mf_i] = theta[:, self.mf_th]
        if len(self.exo_m) and mean is not None:
            m[:, self.exo_m] = mean[:, self.exo_m]
        return m

    def _fill_blocks(self, theta, cov, mean):
        """L, B_ll, S_pp, S_ll and m of the LISREL layout."""
        b = len(theta)

        def block(base, rows, sym=False):
            out = np.repeat(base[None], b, axis=0)
            th, i, j = rows
            if sym:
                _put_sym(out, i, j, theta[:, th])
            else:
                out[:, i, j] = theta[:, th]
            return out

        L, Bll = block(self.L0, self.la), block(self.B0, self.ba)
        Sll = block(self.Sll0, self.ss_l, True)
        ei, ej = self.exo_s
        if self.diag_theta:  # the items' residual variances only
            items = np.repeat(np.diagonal(self.Spp0)[None], b, axis=0)
            items[:, self.ss_p[1]] = theta[:, self.ss_p[0]]
            if len(ei) and cov is not None:
                items[:, ei] = cov[:, ei, ej]
        else:
            items = block(self.Spp0, self.ss_p, True)
            if len(ei) and cov is not None:
                _put_sym(items, ei, ej, cov[:, ei, ej])
        return L, Bll, items, Sll, self._fill_m(theta, mean)

    def _factor_inverse(self, Bll: np.ndarray) -> np.ndarray:
        """(I - B_ll)^-1: a finite sum in Horner form for a recursive model, else LU."""
        eye = np.eye(self.n - self.p)
        if self.depth is None:
            return np.linalg.inv(eye - Bll)
        out = np.repeat(eye[None], len(Bll), axis=0)
        for _ in range(self.depth - 1):
            out = eye + Bll @ out
        return out

    def implied(self, theta, cov=None, mean=None) -> BatchImplied:
        """Implied moments as ``ram.implied`` (the same two layouts)."""
        p, n = self.p, self.n
        if self.lisrel:
            L, Bll, items, Sll, m = self._fill_blocks(theta, cov, mean)
            Bl = self._factor_inverse(Bll)
            LB = L @ Bl
            SBt = Sll @ Bl.transpose(0, 2, 1)
            parts = {"L": L, "Bl": Bl, "LB": LB, "SBt": SBt, "cross": LB @ SBt, "Sll": Sll}
            parts["theta" if self.diag_theta else "Spp"] = items
            return BatchImplied(p, m, **parts)
        A, S, m = self.fill(theta, cov, mean)
        Bm = np.linalg.inv(np.eye(n) - A)
        sigma_all = Bm @ S @ Bm.transpose(0, 2, 1)
        return BatchImplied(p, m, S=S, Bm=Bm, sigma_all=sigma_all)

    def inverse(self, imp: BatchImplied):
        """Sigma^-1, log|Sigma| and the positive-definite flag of every draw: by Woodbury's
        identity where Sigma = LB S_ll LB' + Theta with a positive diagonal Theta and a
        positive definite S_ll (then Sigma is positive definite), by Cholesky otherwise."""
        if not (self.lisrel and self.diag_theta):
            return chol_inverse(imp.sigma)
        theta = imp.theta
        fast = (theta > 0).all(axis=1)
        R, ok_r = _cholesky(imp.Sll)
        fast &= ok_r
        if fast.all():
            return _woodbury(imp.LB, R, theta)
        inv = np.empty_like(imp.sigma)
        logdet = np.empty(len(inv))
        ok = np.ones(len(inv), dtype=bool)
        for rows, func in ((fast, _woodbury), (~fast, None)):
            if rows.any():
                out = (
                    func(imp.LB[rows], R[rows], theta[rows])
                    if func
                    else chol_inverse(imp.sigma[rows])
                )
                inv[rows], logdet[rows], ok[rows] = out
        return inv, logdet, ok

    def c_h(self, imp: BatchImplied):
        """C = F B (B, p, n) and H = B S B' F' (B, n, p)."""
        p = self.p
        if self.lisrel:
            b = len(imp.sigma)
            C = np.concatenate([np.repeat(np.eye(p)[None], b, axis=0), imp.LB], axis=2)
            H = np.concatenate([imp.sigma, imp.cross.transpose(0, 2, 1)], axis=1)
            return C, H
        return imp.Bm[:, :p, :], imp.sigma_all[:, :, :p]

    def gradient(self, imp: BatchImplied, W: np.ndarray, v: np.ndarray | None) -> np.ndarray:
        """Per-row terms of dF (as ``ram.gradient_terms``), summed into (B, q)."""
        b = len(W)
        if self.lisrel:
            LB = imp.LB
            K = imp.cross.transpose(0, 2, 1) @ W  # (H W)[factors, items]
            parts = [K, K @ LB, W, LB.transpose(0, 2, 1) @ (W @ LB)]
            vc = None if v is None else np.concatenate([v, (v[:, None, :] @ LB)[:, 0]], axis=1)
        else:
            C, H = self.c_h(imp)
            WC = W @ C
            parts = [H @ WC, C.transpose(0, 2, 1) @ WC]
            vc = None if v is None else (v[:, None, :] @ C)[:, 0]
        vals = np.empty((b, len(self.flat_coef)))
        for part, (pos, idx) in zip(parts, self.gather, strict=True):
            if len(pos):
                vals[:, pos] = part.reshape(b, -1)[:, idx]
        vals *= self.flat_coef
        if vc is not None:
            na = len(self.a_th)
            vals[:, :na] -= 2.0 * vc[:, self.a_i] * imp.mu_all[:, self.a_j]
            vals = np.concatenate([vals, -2.0 * vc[:, self.m_i]], axis=1)
        return self.row_sum(vals)

    def _sum_pairs(self, rows: np.ndarray) -> np.ndarray:
        """Sum a (B, R, R) array over the rows of each parameter into (B, q, q)."""
        index = np.concatenate([self.a_th, self.s_th])
        if len(np.unique(index)) == len(index):  # no equality constraints: a scatter
            out = np.zeros((len(rows), self.M.shape[1], self.M.shape[1]))
            out[:, index[:, None], index[None, :]] = rows
            return out
        Mr = self.M[: len(index)]
        return Mr.T @ rows @ Mr

    def information(self, imp: BatchImplied, inv: np.ndarray) -> np.ndarray:
        """Expected information of one observation, H/2 + dmu' Sigma^-1 dmu (as
        ``compiled.expected_information`` / ``ram.information_rank2``), (B, q, q)."""
        C, H = self.c_h(imp)
        half = np.where(self.s_i == self.s_j, 0.5, 1.0)
        U = np.concatenate([C[:, :, self.a_i], C[:, :, self.s_i]], axis=2)
        V = np.concatenate([H[:, self.a_j, :].transpose(0, 2, 1), C[:, :, self.s_j] * half], axis=2)
        Ut, Vt = U.transpose(0, 2, 1), V.transpose(0, 2, 1)
        PU, PV = inv @ U, inv @ V
        UU, VV, UV = Ut @ PU, Vt @ PV, Ut @ PV
        rows = 2.0 * (UV * UV.transpose(0, 2, 1) + UU * VV)
        h = 0.5 * self._sum_pairs(rows)
        if self.ms:
            na = len(self.a_th)
            dmu_rows = np.concatenate(
                [C[:, :, self.a_i] * imp.mu_all[:, None, self.a_j], C[:, :, self.m_i]], axis=2
            )
            Mm = np.concatenate([self.M[:na], self.M[na + len(self.s_th) :]])
            dmu = dmu_rows @ Mm  # (B, p, q)
            h = h + dmu.transpose(0, 2, 1) @ inv @ dmu
        return h


class BatchModel:
    """A compiled model (``compiled.CompiledModel``) prepared for batched evaluation."""

    def __init__(self, cm):
        self.cm = cm
        self.npar = cm.npar
        exo_rows: set[int] = set()
        if cm.exo_index:
            pt = cm.pt
            exo_rows = set(np.where((pt["exo"] == 1).to_numpy())[0].tolist())
            exo_rows = {int(pt.index[k]) for k in exo_rows}
        self.has_exo = bool(exo_rows)
        self.groups = [_GroupPlan(gs, cm.npar, exo_rows) for gs in cm.groups]

    def implied(self, theta: np.ndarray, mom: Moments | None = None) -> list[BatchImplied]:
        """Implied moments per group; a data set's own covariate moments under fixed.x."""
        out = []
        for g, plan in enumerate(self.groups):
            cov = mom.cov[g] if (mom is not None and self.has_exo) else None
            mean = mom.mean[g] if (mom is not None and self.has_exo) else None
            out.append(plan.implied(theta, cov, mean))
        return out

    def f_grad(self, theta: np.ndarray, mom: Moments, rows: np.ndarray | None = None):
        """F and its gradient for B parameter vectors and B data sets (as
        ``compiled.ml_f_gradient``); ``ok`` is False (F = inf) where an implied matrix is not
        positive definite. ``rows`` picks the data sets of ``mom`` (default: all, in order).
        Evaluated in slices of ``SLICE`` draws, whose temporaries stay in the CPU cache
        (measured on the project model: 25-40 us a draw in slices of 32 to 64, 80 us in one
        slice of 512; smaller slices pay numpy's call overhead, about 150 us a slice)."""
        b = len(theta)
        if rows is None:
            rows = np.arange(b)
        parts = [
            self._f_grad(theta[i : i + SLICE], mom.take(rows[i : i + SLICE]))
            for i in range(0, b, SLICE)
        ]
        return tuple(np.concatenate(x) for x in zip(*parts, strict=True))

    def _f_grad(self, theta: np.ndarray, mom: Moments):
        b = len(theta)
        ntot = sum(mom.n)
        f = np.zeros(b)
        grad = np.zeros((b, self.npar))
        ok = np.ones(b, dtype=bool)
        for g, (plan, imp) in enumerate(zip(self.groups, self.implied(theta, mom), strict=True)):
            inv, logdet, okg = plan.inverse(imp)
            ok &= okg
            s_plus, v = mom.cov[g], None
            if plan.ms:
                d = mom.mean[g] - imp.mu_all[:, : plan.p]
                s_plus = s_plus + d[:, :, None] * d[:, None, :]
                v = (inv @ d[:, :, None])[:, :, 0]
            X = inv @ s_plus
            W = inv - X @ inv
            fg = logdet + np.einsum("bii->b", X) - mom.logdet[g] - plan.p  # tr(S+ Sigma^-1)
            w = mom.n[g] / ntot
            f += w * fg
            grad += w[:, None] * plan.gradient(imp, W, v)
        f[~ok] = np.inf
        return f, grad, ok

    def expected_information(self, theta: np.ndarray, mom: Moments) -> np.ndarray:
        """Expected information of all N observations (as ``compiled.expected_information``),
        (B, q, q); NaN where an implied matrix is not positive definite."""
        if len(theta) > SLICE // 2:
            step = SLICE // 2
            return np.concatenate(
                [
                    self.expected_information(theta[i : i + step], mom.take(slice(i, i + step)))
                    for i in range(0, len(theta), step)
                ]
            )
        info = np.zeros((len(theta), self.npar, self.npar))
        for g, (plan, imp) in enumerate(zip(self.groups, self.implied(theta, mom), strict=True)):
            inv, _, ok = plan.inverse(imp)
            h = plan.information(imp, inv)
            h[~ok] = np.nan
            info += mom.n[g][:, None, None] * h
        return info


# ----------------------------------------------------------------------------- BFGS


@dataclass
class BatchFit:
    theta: np.ndarray  # (B, q)
    converged: np.ndarray  # (B,) bool
    f: np.ndarray  # (B,) F at theta
    iterations: np.ndarray  # (B,)


def bfgs_batch(
    bm: BatchModel,
    mom: Moments,
    theta0: np.ndarray,
    hess_inv0: np.ndarray,
    *,
    tol: float = 1e-7,
    max_iter: int = 200,
) -> BatchFit:
    """``compiled.bfgs_refit`` for B data sets at once (see the module docstring), in blocks
    of ``BLOCK`` draws whose BFGS state stays in the CPU cache."""
    if mom.size > BLOCK:
        parts = [
            bfgs_batch(
                bm, mom.take(slice(i, i + BLOCK)), theta0, hess_inv0, tol=tol, max_iter=max_iter
            )
            for i in range(0, mom.size, BLOCK)
        ]
        fields = zip(*(vars(f).values() for f in parts), strict=True)
        return BatchFit(*(np.concatenate(x) for x in fields))
    b, q = mom.size, len(theta0)
    theta = np.repeat(np.asarray(theta0, dtype=float)[None], b, axis=0)
    f, g, ok = bm.f_grad(theta, mom)
    conv = np.zeros(b, dtype=bool)
    iters = np.zeros(b, dtype=int)
    hist = History(b, q, hess_inv0)
    active = np.where(ok)[0]
    for it in range(1, max_iter + 1):
        if not len(active):
            break
        iters[active] = it
        ga = g[active]
        p = -hist.apply(active, ga)
        slope = np.einsum("bq,bq->b", ga, p)
        restart = slope >= 0  # not a descent direction: restart from the seed matrix
        if restart.any():
            hist.reset(active[restart])
            p[restart] = -hist.apply(active[restart], ga[restart])
            slope[restart] = np.einsum("bq,bq->b", ga[restart], p[restart])
        found, cand, fc, gc = _line_search(bm, mom, active, theta, f, p, slope)
        lost = active[~found]  # no acceptable step: stop where the gradient says
        if len(lost):
            conv[lost] = np.max(np.abs(g[lost]), axis=1) < 1e-6
        rows = active[found]
        s = cand[found] - theta[rows]
        y = gc[found] - g[rows]
        theta[rows], f[rows], g[rows] = cand[found], fc[found], gc[found]
        small = np.max(np.abs(s), axis=1) < tol
        conv[rows[small]] = True
        s, y, rows = s[~small], y[~small], rows[~small]
        sy = np.einsum("bq,bq->b", s, y)
        upd = sy > 1e-14
        hist.push(rows[upd], s[upd], y[upd], sy[upd])
        active = rows
    return BatchFit(theta, conv, f, iters)


def _line_search(bm, mom, active, theta, f, p, slope, trials: int = 40):
    """Backtracking (Armijo, c = 1e-4, t = 1, 1/2, 1/4, ..., at most 40 trials) for every
    active draw, as in ``compiled.bfgs_refit``. Returns (found, cand, fc, gc) aligned with
    ``active``. After the first two trials, the few draws still backtracking (near their
    optimum, where F changes by rounding only) evaluate their next 8 step sizes in one call
    and take the first acceptable one, which is the step the sequential search takes."""
    na, q = len(active), theta.shape[1]
    found = np.zeros(na, dtype=bool)
    cand = np.empty((na, q))
    fc = np.empty(na)
    gc = np.empty((na, q))
    pending = np.arange(na)
    done = 0  # trials made so far
    while len(pending) and done < trials:
        m = 1 if done < 2 else min(8, trials - done)
        who = np.repeat(pending, m)
        t = np.tile(0.5 ** np.arange(done, done + m), len(pending))
        rows = active[who]
        trial = theta[rows] + t[:, None] * p[who]
        ft, gt, okt = bm.f_grad(trial, mom, rows)
        acc = (okt & (ft <= f[rows] + 1e-4 * t * slope[who])).reshape(len(pending), m)
        hit = acc.any(axis=1)
        pick = np.arange(len(pending)) * m + np.argmax(acc, axis=1)
        got, pick = pending[hit], pick[hit]
        found[got] = True
        cand[got], fc[got], gc[got] = trial[pick], ft[pick], gt[pick]
        pending = pending[~hit]
        done += m
    return found, cand, fc, gc
