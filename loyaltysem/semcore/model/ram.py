"""Model matrices in the RAM (reticular action model) form and their derivatives.

All variables v = (observed; latent). v = A v + e, Cov(e) = S, E(v) = (I - A)^-1 m, so the
implied moments of the observed part are Sigma = F B S B' F' and mu = F B m with
B = (I - A)^-1 and F = [I 0] (McArdle & McDonald 1984). Derivatives are analytic:
dSigma/dA_ij = c_i h_j' + h_j c_i' with C = F B and H = B S B' F';
dSigma/dS_ij = c_i c_j' + c_j c_i'; dmu/dA_ij = c_i (B m)_j; dmu/dm_i = c_i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyaltysem.semcore.model.partable import ModelVariables


@dataclass
class GroupStructure:
    """Where each parameter-table row of one group lives in A, S and m."""

    ov: list[str]
    lv: list[str]
    # arrays of (row position in partable, theta index or -1, i, j, fixed value)
    a_rows: np.ndarray
    s_rows: np.ndarray
    m_rows: np.ndarray
    meanstructure: bool
    lisrel: bool = False  # items load on factors, regressions only among factors

    @property
    def p(self) -> int:
        return len(self.ov)

    @property
    def n(self) -> int:
        return len(self.ov) + len(self.lv)


def group_structure(
    pt: pd.DataFrame, group: int, mv: ModelVariables, meanstructure: bool
) -> GroupStructure:
    names = mv.ov + mv.lv
    idx = {v: i for i, v in enumerate(names)}
    keep = (pt["group"] == group).to_numpy() & pt["op"].isin(["=~", "~", "~~", "~1"]).to_numpy()
    cols = zip(
        pt.index[keep],
        pt["op"].to_numpy()[keep],
        pt["lhs"].to_numpy()[keep],
        pt["rhs"].to_numpy()[keep],
        pt["free"].to_numpy()[keep],
        pt["ustart"].to_numpy(dtype=float)[keep],
        strict=True,
    )
    a, s, m = [], [], []
    for pos, op, lhs, rhs, free, ustart in cols:
        theta = int(free) - 1 if free > 0 else -1
        fixed = 0.0 if np.isnan(ustart) else float(ustart)
        if op == "=~":
            a.append((pos, theta, idx[rhs], idx[lhs], fixed))
        elif op == "~":
            a.append((pos, theta, idx[lhs], idx[rhs], fixed))
        elif op == "~~":
            s.append((pos, theta, idx[lhs], idx[rhs], fixed))
        else:
            m.append((pos, theta, idx[lhs], 0, fixed))

    def arr(x):
        return np.array(x, dtype=float).reshape(-1, 5)

    p = len(mv.ov)
    a_arr, s_arr = arr(a), arr(s)
    lisrel = bool(
        len(mv.lv)
        and all(j >= p for _, _, i, j, _ in a)  # every path starts at a factor
        and all((i < p) == (j < p) for _, _, i, j, _ in s)  # no item-factor covariance
    )
    return GroupStructure(mv.ov, mv.lv, a_arr, s_arr, arr(m), meanstructure, lisrel)


def _values(th: np.ndarray, theta: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    vals = fixed.copy()
    free = th >= 0
    vals[free] = theta[th[free]]
    return vals


def fill(gs: GroupStructure, theta: np.ndarray, exo_values: dict[int, float] | None = None):
    """A, S, m for parameter vector theta (fixed entries from the table / sample values)."""
    n = gs.n
    A = np.zeros((n, n))
    S = np.zeros((n, n))
    m = np.zeros(n)
    for arr, target in ((gs.a_rows, A), (gs.s_rows, S)):
        if len(arr):
            th = arr[:, 1].astype(int)
            vals = _values(th, theta, arr[:, 4])
            if exo_values:
                for k, pos in enumerate(arr[:, 0].astype(int)):
                    if pos in exo_values:
                        vals[k] = exo_values[pos]
            i, j = arr[:, 2].astype(int), arr[:, 3].astype(int)
            target[i, j] = vals
            if target is S:
                S[j, i] = vals
    if len(gs.m_rows):
        th = gs.m_rows[:, 1].astype(int)
        vals = _values(th, theta, gs.m_rows[:, 4])
        if exo_values:
            for k, pos in enumerate(gs.m_rows[:, 0].astype(int)):
                if pos in exo_values:
                    vals[k] = exo_values[pos]
        m[gs.m_rows[:, 2].astype(int)] = vals
    return A, S, m


@dataclass
class Implied:
    A: np.ndarray
    S: np.ndarray
    m: np.ndarray
    B: np.ndarray
    sigma_all: np.ndarray  # covariance of all variables (observed and latent)
    mu_all: np.ndarray
    sigma: np.ndarray  # observed part
    mu: np.ndarray


def implied(gs: GroupStructure, theta: np.ndarray, exo_values=None) -> Implied:
    A, S, m = fill(gs, theta, exo_values)
    n, p = gs.n, gs.p
    if gs.lisrel:
        # B = [[I, L Bl], [0, Bl]] with L the loadings and Bl = (I - A_ll)^-1 (small)
        L = A[:p, p:]
        Bl = np.linalg.inv(np.eye(n - p) - A[p:, p:])
        LB = L @ Bl
        B = np.eye(n)
        B[:p, p:] = LB
        B[p:, p:] = Bl
        psi = Bl @ S[p:, p:] @ Bl.T
        cross = LB @ S[p:, p:] @ Bl.T  # Cov(items, factors)
        sigma_all = np.empty((n, n))
        sigma_all[:p, :p] = cross @ L.T + S[:p, :p]
        sigma_all[:p, p:] = cross
        sigma_all[p:, :p] = cross.T
        sigma_all[p:, p:] = psi
    else:
        B = np.linalg.inv(np.eye(n) - A)
        sigma_all = B @ S @ B.T
    mu_all = B @ m
    return Implied(A, S, m, B, sigma_all, mu_all, sigma_all[:p, :p], mu_all[:p])


def _scatter(target: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """target[index] += values, fast when every index is distinct (no equality constraints)."""
    if len(np.unique(index)) == len(index):
        target[index] += values
    else:
        np.add.at(target, index, values)


def jacobian(gs: GroupStructure, imp: Implied, npar: int):
    """dSigma/dtheta as (npar, p, p) and dmu/dtheta as (npar, p)."""
    p = gs.p
    C = imp.B[:p, :]  # p x n
    H = imp.sigma_all[:, :p]  # n x p  (B S B' F')
    dS = np.zeros((npar, p, p))
    dm = np.zeros((npar, p))
    a = gs.a_rows
    if len(a):
        free = a[:, 1] >= 0
        th = a[free, 1].astype(int)
        i, j = a[free, 2].astype(int), a[free, 3].astype(int)
        U = C[:, i]  # p x r
        V = H[j, :].T  # p x r
        outer = U.T[:, :, None] * V.T[:, None, :]
        _scatter(dS, th, outer + outer.transpose(0, 2, 1))
        if gs.meanstructure:
            np.add.at(dm, th, (U * imp.mu_all[j]).T)
    s = gs.s_rows
    if len(s):
        free = s[:, 1] >= 0
        th = s[free, 1].astype(int)
        i, j = s[free, 2].astype(int), s[free, 3].astype(int)
        U, V = C[:, i], C[:, j]
        outer = U.T[:, :, None] * V.T[:, None, :]
        sym = outer + outer.transpose(0, 2, 1)
        diag = i == j
        sym[diag] = outer[diag]
        _scatter(dS, th, sym)
    mm = gs.m_rows
    if len(mm) and gs.meanstructure:
        free = mm[:, 1] >= 0
        th = mm[free, 1].astype(int)
        i = mm[free, 2].astype(int)
        np.add.at(dm, th, C[:, i].T)
    return dS, dm


def gradient_terms(
    gs: GroupStructure, imp: Implied, W: np.ndarray, v: np.ndarray | None, npar: int
) -> np.ndarray:
    """g_k = tr(W dSigma_k) - 2 v' dmu_k for every free parameter, without forming dSigma.

    With C = F B and H = B S B' F': tr(W dSigma/dA_ij) = 2 (H W C)_ji,
    tr(W dSigma/dS_ij) = 2 (C' W C)_ij (once on the diagonal), dmu/dA_ij = c_i (B m)_j and
    dmu/dm_i = c_i. Cost O(n p^2) instead of O(q p^2).
    """
    p = gs.p
    C = imp.B[:p, :]
    H = imp.sigma_all[:, :p]
    g = np.zeros(npar)
    WC = W @ C  # p x n
    a = gs.a_rows
    if len(a):
        free = a[:, 1] >= 0
        th = a[free, 1].astype(int)
        i, j = a[free, 2].astype(int), a[free, 3].astype(int)
        HWC = H @ WC  # n x n
        vals = 2.0 * HWC[j, i]
        if v is not None:
            vc = v @ C  # n
            vals = vals - 2.0 * vc[i] * imp.mu_all[j]
        np.add.at(g, th, vals)
    s = gs.s_rows
    if len(s):
        free = s[:, 1] >= 0
        th = s[free, 1].astype(int)
        i, j = s[free, 2].astype(int), s[free, 3].astype(int)
        CWC = C.T @ WC
        vals = np.where(i == j, 1.0, 2.0) * CWC[i, j]
        np.add.at(g, th, vals)
    mm = gs.m_rows
    if len(mm) and v is not None:
        free = mm[:, 1] >= 0
        th = mm[free, 1].astype(int)
        i = mm[free, 2].astype(int)
        vc = v @ C
        np.add.at(g, th, -2.0 * vc[i])
    return g


class Rank2:
    """dSigma/dtheta as a sum over parameter-table rows r of u_r v_r' + v_r u_r' (p x R arrays
    U, V), the row -> theta incidence, and dmu/dtheta (npar x p).

    Every u_r is a column of C = F B and every v_r a column of H' = F B S B' or of C (halved
    on a variance's diagonal), so U = G[:, iu] and V = G[:, iv] * hv with G the m distinct
    columns used (m <= 2n, often far fewer than R): the R x R products U' P V the
    information needs are gathered from the m x m Gram matrix G' P G."""

    def __init__(self, plan: _Rank2Plan, G: np.ndarray, dmu: np.ndarray, npar: int):
        self.plan, self.G, self.dmu, self.npar = plan, G, dmu, npar
        self.theta_index = plan.index
        self.iu, self.iv, self.hv = plan.iu, plan.iv, plan.hv

    @property
    def U(self) -> np.ndarray:
        return self.G[:, self.iu]

    @property
    def V(self) -> np.ndarray:
        return self.G[:, self.iv] * self.hv

    def aggregate_rows(self, values: np.ndarray) -> np.ndarray:
        """Sum per-row values (..., R) into per-parameter values (..., npar)."""
        out = np.zeros(values.shape[:-1] + (self.npar,))
        if self.theta_index.size:
            if self.plan.unique:
                out[..., self.theta_index] = values
            else:
                for r, k in enumerate(self.theta_index):
                    out[..., k] += values[..., r]
        return out

    def grams(self, P: np.ndarray):
        """U' P U, U' P V and V' P V (R x R each) from the Gram matrix G' P G."""
        K = self.G.T @ (P @ self.G)
        hv = self.hv
        Ku = K.take(self.iu, 0)
        uu, uv = Ku.take(self.iu, 1), Ku.take(self.iv, 1) * hv
        vv = K.take(self.iv, 0).take(self.iv, 1) * self.plan.hvv
        return uu, uv, vv


@dataclass
class _Rank2Plan:
    """The index arrays of ``rank2`` for one group (fixed by the model, made once)."""

    a: tuple  # (theta index, i, j) of the free A rows
    m: tuple  # (theta index, i) of the free mean rows
    left: np.ndarray  # columns of C in G
    right: np.ndarray  # columns of H' in G
    iu: np.ndarray
    iv: np.ndarray
    hv: np.ndarray
    hvv: np.ndarray  # hv hv'
    index: np.ndarray  # theta index of every row (A rows, then S rows)
    unique: bool  # no equality constraints among the rows


def _free(rows: np.ndarray, k: int = 3) -> tuple:
    if not len(rows):
        return tuple(np.zeros(0, dtype=int) for _ in range(k))
    free = rows[:, 1] >= 0
    return tuple(rows[free, c].astype(int) for c in range(1, k + 1))


def _rank2_plan(gs: GroupStructure) -> _Rank2Plan:
    plan = gs.__dict__.get("_rank2_plan")
    if plan is not None:
        return plan
    n = gs.n
    a, s, m = _free(gs.a_rows), _free(gs.s_rows), _free(gs.m_rows, 2)
    iu = np.concatenate([a[1], s[1]])  # columns of [C, H'] (H' = sigma_all[:p, :])
    iv = np.concatenate([n + a[2], s[2]])
    hv = np.concatenate([np.ones(len(a[1])), np.where(s[1] == s[2], 0.5, 1.0)])
    # c_i c_i' = u v' + v u' with v = u / 2
    cols = np.unique(np.concatenate([iu, iv]))
    index = np.concatenate([a[0], s[0]])
    plan = _Rank2Plan(
        a, m, cols[cols < n], cols[cols >= n] - n, np.searchsorted(cols, iu),
        np.searchsorted(cols, iv), hv, hv[:, None] * hv, index,
        len(np.unique(index)) == len(index),
    )  # fmt: skip
    gs.__dict__["_rank2_plan"] = plan
    return plan


def rank2(gs: GroupStructure, imp: Implied, npar: int) -> Rank2:
    """Rank-2 factors of every dSigma/dtheta (see the module docstring)."""
    p = gs.p
    plan = _rank2_plan(gs)
    C = imp.B[:p, :]
    dmu = np.zeros((npar, p))
    if gs.meanstructure:
        th, i, j = plan.a
        if len(th):
            np.add.at(dmu, th, (C[:, i] * imp.mu_all[j]).T)
        th, i = plan.m
        if len(th):
            np.add.at(dmu, th, C[:, i].T)
    G = np.concatenate([C[:, plan.left], imp.sigma_all[:p, plan.right]], axis=1)
    return Rank2(plan, G, dmu, npar)


def information_rank2(r2: Rank2, P: np.ndarray, grams=None) -> np.ndarray:
    """T_kl = tr(P dSigma_k P dSigma_l) = sum over rows of 2 (UV o UV' + UU o VV);
    ``grams``: ``r2.grams(P)`` when already computed."""
    UU, UV, VV = r2.grams(P) if grams is None else grams
    return _aggregate_pairs(r2, 2.0 * (UV * UV.T + UU * VV))


def quad_forms_rank2(r2: Rank2, Z: np.ndarray) -> np.ndarray:
    """Q_ik = z_i' dSigma_k z_i = sum over rows of 2 (z_i'u_r)(z_i'v_r)."""
    return r2.aggregate_rows(2.0 * (Z @ r2.U) * (Z @ r2.V))


def trace_rank2(r2: Rank2, W: np.ndarray) -> np.ndarray:
    """t_k = tr(W dSigma_k) = sum over rows of 2 u_r' W v_r."""
    return r2.aggregate_rows(2.0 * np.einsum("pr,pr->r", r2.U, W @ r2.V))


def cross_information_rank2(r2: Rank2, P: np.ndarray, Q: np.ndarray, grams=None):
    """T_kl = tr(P dSigma_k Q dSigma_l) + tr(P dSigma_l Q dSigma_k) (symmetric);
    ``grams``: ``r2.grams(P)`` when already computed."""
    a, b, c = r2.grams(P) if grams is None else grams
    a2, b2, c2 = r2.grams(Q)
    t = b2.T * b + c2 * a + a2 * c + b2 * b.T
    return _aggregate_pairs(r2, t + t.T)


def _aggregate_pairs(r2: Rank2, rows: np.ndarray) -> np.ndarray:
    return scatter_pairs(r2.theta_index, rows, r2.npar, r2.plan.unique)


def scatter_pairs(index: np.ndarray, rows: np.ndarray, npar: int, unique=None) -> np.ndarray:
    """Sum an R x R array of row pairs into npar x npar (row r belongs to theta[index[r]]):
    a scatter of columns, then of rows, when every index is distinct (``unique``; None:
    checked here); else M rows M'."""
    if unique is None:
        unique = len(np.unique(index)) == len(index)
    if unique:
        cols = np.zeros((len(index), npar))
        cols[:, index] = rows
        out = np.zeros((npar, npar))
        out[index] = cols
        return out
    M = np.zeros((npar, len(index)))
    M[index, np.arange(len(index))] = 1.0
    return M @ rows @ M.T


def _pick(X: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """X[rows][:, cols] (two takes: much faster than a fancy index with np.ix_)."""
    return X.take(rows, 0).take(cols, 1)


def second_derivative_trace(gs: GroupStructure, imp: Implied, W: np.ndarray, npar: int):
    """S_kl = tr(W d2Sigma / dtheta_k dtheta_l) for the RAM model (A-A and A-S pairs; S-S
    pairs are zero). With C = F B, K = B S B', H = K F', M = H W C and N = C' W C:
    A_ij, A_kl: 2 [B_li M_jk + B_jk M_li] + 2 K_jl N_ik;
    A_ij, S_kl: 2 [B_jk N_li + B_jl N_ki] (halved when k = l)."""
    p = gs.p
    B, K = imp.B, imp.sigma_all
    C = B[:p, :]
    H = K[:, :p]
    WC = W @ C
    M = H @ WC
    N = C.T @ WC
    a, s = gs.a_rows, gs.s_rows
    fa = a[:, 1] >= 0 if len(a) else np.zeros(0, bool)
    fs = s[:, 1] >= 0 if len(s) else np.zeros(0, bool)
    ta, ts = a[fa, 1].astype(int), s[fs, 1].astype(int)
    ii, jj = a[fa, 2].astype(int), a[fa, 3].astype(int)
    kk, ll = s[fs, 2].astype(int), s[fs, 3].astype(int)
    ra, rs = len(ta), len(ts)
    rows = np.zeros((ra + rs, ra + rs))
    if ra:
        # X[r, s] = B[j_r, i_s], Y[r, s] = M[j_r, i_s]: B_li M_jk is X' o Y, B_jk M_li X o Y'
        X, Y = _pick(B, jj, ii), _pick(M, jj, ii)
        aa = 2.0 * (X.T * Y + X * Y.T) + 2.0 * _pick(K, jj, jj) * _pick(N, ii, ii)
        rows[:ra, :ra] = (aa + aa.T) / 2
        if rs:
            half = np.where(kk == ll, 0.5, 1.0)[None, :]
            as_ = (
                2.0
                * (_pick(B, jj, kk) * _pick(N, ll, ii).T + _pick(B, jj, ll) * _pick(N, kk, ii).T)
                * half
            )
            rows[:ra, ra:] = as_
            rows[ra:, :ra] = as_.T
    return scatter_pairs(np.concatenate([ta, ts]), rows, npar)


def second_derivative_mean(gs: GroupStructure, imp: Implied, v: np.ndarray, npar: int):
    """S_kl = v' d2mu / dtheta_k dtheta_l for mu = F B m. With C = F B, c = v'C and
    Bm = B m: A_ij, A_kl: c_k B_li (Bm)_j + c_i B_jk (Bm)_l; A_ij, m_k: c_i B_jk; m-m and
    everything with S: 0."""
    p = gs.p
    B = imp.B
    c = v @ B[:p, :]
    bm = imp.mu_all
    a, m = gs.a_rows, gs.m_rows
    fa = a[:, 1] >= 0 if len(a) else np.zeros(0, bool)
    fm = m[:, 1] >= 0 if len(m) else np.zeros(0, bool)
    ta, tm = a[fa, 1].astype(int), m[fm, 1].astype(int)
    ii, jj = a[fa, 2].astype(int), a[fa, 3].astype(int)
    kk = m[fm, 2].astype(int)
    ra, rm = len(ta), len(tm)
    rows = np.zeros((ra + rm, ra + rm))
    if ra:
        # row r = (i_r, j_r), column s = (k_s, l_s) = (i_s, j_s)
        aa = (
            c[ii[None, :]] * B[jj[None, :], ii[:, None]] * bm[jj[:, None]]
            + c[ii[:, None]] * B[jj[:, None], ii[None, :]] * bm[jj[None, :]]
        )
        rows[:ra, :ra] = (aa + aa.T) / 2
        if rm:
            am = c[ii[:, None]] * B[jj[:, None], kk[None, :]]
            rows[:ra, ra:] = am
            rows[ra:, :ra] = am.T
    return scatter_pairs(np.concatenate([ta, tm]), rows, npar)
