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

from .partable import ModelVariables


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
    rows = pt[(pt["group"] == group) & pt["op"].isin(["=~", "~", "~~", "~1"])]
    a, s, m = [], [], []
    for pos, r in rows.iterrows():
        theta = int(r["free"]) - 1 if r["free"] > 0 else -1
        fixed = 0.0 if np.isnan(r["ustart"]) else float(r["ustart"])
        if r["op"] == "=~":
            a.append((pos, theta, idx[r["rhs"]], idx[r["lhs"]], fixed))
        elif r["op"] == "~":
            a.append((pos, theta, idx[r["lhs"]], idx[r["rhs"]], fixed))
        elif r["op"] == "~~":
            s.append((pos, theta, idx[r["lhs"]], idx[r["rhs"]], fixed))
        else:
            m.append((pos, theta, idx[r["lhs"]], 0, fixed))

    def arr(x):
        return np.array(x, dtype=float).reshape(-1, 5)

    return GroupStructure(mv.ov, mv.lv, arr(a), arr(s), arr(m), meanstructure)


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
    n = gs.n
    B = np.linalg.solve(np.eye(n) - A, np.eye(n))
    sigma_all = B @ S @ B.T
    mu_all = B @ m
    p = gs.p
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
