"""The saturated (h1) normal model of one group in lavaan's moment parametrisation
beta = (mu, vech Sigma): its information matrices and casewise scores, for complete data and
for incomplete data pattern by pattern, and Delta = d beta / d theta' of a structural model.

Formulas (per observation, as lavaan's ``lav_mvnorm_*`` and ``lav_mvnorm_missing_*``
functions; Savalei 2010; Yuan & Bentler 2000): with a missing-data pattern k of n_k cases,
P_k = Sigma_oo^-1 scattered into a p x p zero matrix, d_k = ybar_k - mu_o and
T_k = S_k + d_k d_k':

* expected information: I_mumu = sum n_k P_k / N, I_ss = sum n_k (1/2) D'(P_k x P_k) D / N;
* observed information (the negative Hessian of logL / N): I_mumu as above,
  I_smu = sum n_k D'((P_k d_k) x P_k) / N, I_ss = sum n_k (1/2) D'(P_k x G_k) D / N with
  G_k = P_k (2 T_k - Sigma_oo) P_k (scattered);
* casewise scores: P (y_i - mu) and vech of Z - diag(Z)/2 with
  Z = P (y_i - mu)(y_i - mu)' P - P.

Complete data is the one-pattern case. With fixed.x covariates lavaan zeroes the rows and
columns of the covariates' own moments (their means and their variances/covariances); the
helpers below return the index of the remaining ("not x") elements so callers drop them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def vech_pairs(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every element of vech(Sigma), lavaan's order (column by column of
    the lower triangle: (1,1), (2,1), ..., (p,1), (2,2), ...)."""
    cols, rows = np.triu_indices(p)
    return rows, cols


def not_x_index(p: int, x_idx, meanstructure: bool = True) -> np.ndarray:
    """Positions in (mu, vech Sigma) that are not moments of the fixed.x covariates only
    (lavaan's ``eliminate.pstar.idx``)."""
    x = np.zeros(p, dtype=bool)
    x[list(x_idx)] = True
    r, c = vech_pairs(p)
    keep_s = ~(x[r] & x[c])
    if not meanstructure:
        return np.where(keep_s)[0]
    return np.concatenate([np.where(~x)[0], p + np.where(keep_s)[0]])


@dataclass
class PatternArrays:
    """Per-pattern inverse matrices and residual moments, scattered to p x p."""

    n: np.ndarray  # (K,) cases per pattern
    P: np.ndarray  # (K, p, p) Sigma_oo^-1 scattered
    v: np.ndarray  # (K, p) P (ybar_k - mu) scattered
    G: np.ndarray | None  # (K, p, p) P (2 T - Sigma_oo) P scattered (observed information)


def pattern_arrays(patterns, sigma: np.ndarray, mu: np.ndarray, observed: bool):
    """Collect the arrays above for every missing-data pattern (``fiml.Pattern`` objects)."""
    p = len(sigma)
    K = len(patterns)
    P = np.zeros((K, p, p))
    v = np.zeros((K, p))
    G = np.zeros((K, p, p)) if observed else None
    n = np.array([pat.n for pat in patterns], dtype=float)
    for k, pat in enumerate(patterns):
        o = pat.obs
        so = sigma[np.ix_(o, o)]
        inv = np.linalg.inv(so)
        inv = (inv + inv.T) / 2
        d = pat.mean - mu[o]
        P[k][np.ix_(o, o)] = inv
        v[k, o] = inv @ d
        if observed:
            T = pat.cov + np.outer(d, d)
            G[k][np.ix_(o, o)] = inv @ (2 * T - so) @ inv
    return PatternArrays(n, P, v, G)


def _kron_block(A: np.ndarray, B: np.ndarray, n: np.ndarray, p: int) -> np.ndarray:
    """(1/2) sum_k n_k D'(A_k x B_k) D for symmetric A_k, B_k, as a p* x p* matrix.

    Entry ((r,s),(t,u)) = (1/2) sum over both orientations (a,b) of (r,s) and (c,d) of (t,u)
    of B_bc A_da (each diagonal pair counted once). The sums over patterns are GEMMs
    T[(b,c),(d,a)] = sum_k n_k B_k[b,c] A_k[d,a], done for a block of b at a time so the
    intermediate stays below about 64 MB."""
    K = len(n)
    Bn = B * n[:, None, None]
    Af = A.reshape(K, p * p)
    r, s = vech_pairs(p)
    w = np.where(r == s, 0.5, 1.0)
    out = np.zeros((len(r), len(r)))
    step = max(1, int(8e6 // p**3))
    for b0 in range(0, p, step):
        b1 = min(p, b0 + step)
        T = Bn[:, b0:b1, :].reshape(K, -1).T @ Af  # [(b - b0, c), (d, a)]
        for a, b in ((r, s), (s, r)):
            i = np.where((b >= b0) & (b < b1))[0]
            if not len(i):
                continue
            for c, d in ((r, s), (s, r)):
                out[i] += T[((b[i] - b0) * p)[:, None] + c[None, :], d[None, :] * p + a[i, None]]
    return 0.5 * out * w[:, None] * w[None, :]


def information(pa: PatternArrays, p: int, meanstructure: bool = True) -> np.ndarray:
    """h1 information per observation in (mu, vech Sigma): observed if ``pa.G`` is set,
    else expected."""
    N = pa.n.sum()
    I22 = _kron_block(pa.P, pa.P if pa.G is None else pa.G, pa.n, p)
    if not meanstructure:
        return I22 / N
    I11 = np.tensordot(pa.n, pa.P, axes=1)
    out = np.zeros((p + len(I22), p + len(I22)))
    out[:p, :p] = I11
    out[p:, p:] = I22
    if pa.G is not None:
        # ((r,s), c) = v_s P_rc + v_r P_sc (r != s), v_r P_rc (r = s)
        r, s = vech_pairs(p)
        vP = np.einsum("k,ka,kbc->abc", pa.n, pa.v, pa.P)  # sum n v_a P_bc
        I21 = vP[s, r, :] + np.where((r == s)[:, None], 0.0, vP[r, s, :])
        out[p:, :p] = I21
        out[:p, p:] = I21.T
    return out / N


def scores(raw: np.ndarray, patterns, sigma: np.ndarray, mu: np.ndarray, meanstructure: bool):
    """Casewise scores of the normal log-likelihood w.r.t. (mu, vech Sigma), N x (p + p*)
    (without the mean part when ``meanstructure`` is False). ``patterns`` gives each case's
    observed variables (one pattern of all variables for complete data)."""
    n, p = raw.shape
    r, c = vech_pairs(p)
    diag = r == c
    out = np.zeros((n, (p if meanstructure else 0) + len(r)))
    off = p if meanstructure else 0
    for pat in patterns:
        o = pat.obs
        inv = np.linalg.inv(sigma[np.ix_(o, o)])
        inv = (inv + inv.T) / 2
        zo = (raw[np.ix_(pat.rows, o)] - mu[o]) @ inv
        z = np.zeros((len(pat.rows), p))
        z[:, o] = zo
        Pf = np.zeros((p, p))
        Pf[np.ix_(o, o)] = inv
        s = z[:, r] * z[:, c] - Pf[r, c][None, :]
        s[:, diag] *= 0.5
        block = np.empty((len(pat.rows), out.shape[1]))
        if meanstructure:
            block[:, :p] = z
        block[:, off:] = s
        out[pat.rows] = block
    return out


@dataclass
class _AllRows:
    """A single 'pattern' holding every case with every variable observed."""

    obs: np.ndarray
    rows: np.ndarray
    n: int
    mean: np.ndarray
    cov: np.ndarray


def complete_patterns(raw: np.ndarray | None, mean: np.ndarray, cov: np.ndarray, n: int):
    p = len(mean)
    rows = np.arange(n) if raw is None else np.arange(len(raw))
    return [_AllRows(np.arange(p), rows, n, mean, cov)]


def delta(dS: np.ndarray, dm: np.ndarray, meanstructure: bool) -> np.ndarray:
    """Delta = d(mu, vech Sigma)/d theta' ((p + p*) x q) from the Jacobian arrays of
    ``ram.jacobian`` (dS: q x p x p, dm: q x p)."""
    p = dS.shape[1]
    r, c = vech_pairs(p)
    ds = dS[:, r, c].T
    if not meanstructure:
        return ds
    return np.vstack([dm.T, ds])
