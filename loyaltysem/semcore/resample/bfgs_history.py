"""The inverse-Hessian state of the batched BFGS (``batched.bfgs_batch``): every draw's
(s, y) pairs since its last restart, applied by the two-loop recursion with the dense seed
matrix as H0 (Nocedal & Wright 2006, alg. 7.4; the dense update of ``compiled.bfgs_refit``
in product form, O(k q) per draw); a draw with more than ``DENSE_AFTER`` pairs (a slow or
diverging refit) carries the dense matrix instead, updated as ``bfgs_refit`` updates it
(Nocedal & Wright, eq. 6.17, as a symmetric rank-2 BLAS update of one triangle), so its
cost per step stops growing with its history. Both
forms are the same matrix in exact arithmetic; which one a draw uses depends on its own
pair count only, so its result does not depend on the batch.
"""

from __future__ import annotations

import numpy as np

DENSE_AFTER = 40  # pairs: beyond this the two-loop's 6k vector operations cost more
DENSE_BYTES = 64e6  # at most this much memory for dense matrices (else two-loop throughout)


def rowwise(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """x @ m one row at a time: a (B, k) @ (k, q) product lets the BLAS choose its kernel by
    B (OpenBLAS's small-matrix and Haswell paths sum in other orders), so a draw's row would
    depend on how many draws share its batch; stacked (1, k) @ (k, q) products do not."""
    return np.matmul(x[:, None, :], m)[:, 0]


def _blas():
    from loyaltysem.base.blas import scipy_linalg

    return scipy_linalg().blas


def dense_step(blas, H: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One BFGS inverse update in place (``compiled.bfgs_refit``'s formula) of a Fortran-order
    matrix whose upper triangle is kept: H + ((s'y + y'Hy) / (s'y)^2) s s' - (Hy s' + s (Hy)')
    / s'y = H + w s' + s w' with w = (s'y + y'Hy) / (2 (s'y)^2) s - Hy / s'y (BLAS dsyr2)."""
    sy = float(s @ y)
    Hy = blas.dsymv(1.0, H, y, lower=0)
    w = (0.5 * (sy + float(y @ Hy)) / sy**2) * s - Hy / sy
    return blas.dsyr2(1.0, w, s, a=H, lower=0, overwrite_a=1)


class History:
    """The (s, y) pairs of every draw's BFGS since its last restart. Slot i holds every
    draw's i-th pair ((B, q) arrays); a draw with fewer pairs has rho = 0 there, which
    leaves the recursion's vectors exactly unchanged. ``dense`` maps a draw to its dense
    inverse Hessian (Fortran order, upper triangle) once it has more than ``DENSE_AFTER``
    pairs."""

    def __init__(self, b: int, q: int, h0: np.ndarray):
        self.h0 = h0
        self.h0t = np.ascontiguousarray(h0.T)
        self.b, self.q = b, q
        self.S: list[np.ndarray] = []
        self.Y: list[np.ndarray] = []
        self.rho: list[np.ndarray] = []
        self.count = np.zeros(b, dtype=int)
        self.dense: dict[int, np.ndarray] = {}

    def _is_dense(self, rows: np.ndarray) -> np.ndarray:
        if not self.dense:
            return np.zeros(len(rows), dtype=bool)
        return np.array([int(r) in self.dense for r in rows], dtype=bool)

    def apply(self, rows: np.ndarray, g: np.ndarray) -> np.ndarray:
        """H_k g for the draws ``rows`` (g: their gradients)."""
        dense = self._is_dense(rows)
        if not dense.any():
            return self._two_loop(rows, g)
        out = np.empty_like(g)
        if (~dense).any():
            out[~dense] = self._two_loop(rows[~dense], g[~dense])
        blas = _blas()
        for k in np.where(dense)[0]:
            out[k] = blas.dsymv(1.0, self.dense[int(rows[k])], g[k], lower=0)
        return out

    def _two_loop(self, rows: np.ndarray, g: np.ndarray) -> np.ndarray:
        k = int(self.count[rows].max()) if len(rows) else 0
        every = len(rows) == self.b  # all draws still iterating: no copies
        S = [x if every else x[rows] for x in self.S[:k]]
        Y = [x if every else x[rows] for x in self.Y[:k]]
        rho = [x if every else x[rows] for x in self.rho[:k]]
        qv = g.copy()
        alpha = [None] * k
        for i in range(k - 1, -1, -1):
            alpha[i] = rho[i] * np.einsum("bq,bq->b", S[i], qv)
            qv -= alpha[i][:, None] * Y[i]
        r = rowwise(qv, self.h0t)
        for i in range(k):
            beta = rho[i] * np.einsum("bq,bq->b", Y[i], r)
            r += S[i] * (alpha[i] - beta)[:, None]
        return r

    def reset(self, rows: np.ndarray) -> None:
        for x in self.rho:
            x[rows] = 0.0
        self.count[rows] = 0
        for r in rows:
            self.dense.pop(int(r), None)

    def push(self, rows: np.ndarray, s: np.ndarray, y: np.ndarray, sy: np.ndarray) -> None:
        if not len(rows):
            return
        dense = self._is_dense(rows)
        if dense.any():
            blas = _blas()
            for k in np.where(dense)[0]:
                r = int(rows[k])
                self.dense[r] = dense_step(blas, self.dense[r], s[k], y[k])
            rows, s, y, sy = rows[~dense], s[~dense], y[~dense], sy[~dense]
            if not len(rows):
                return
        slot = self.count[rows]
        while int(slot.max()) >= len(self.S):
            self.S.append(np.zeros((self.b, self.q)))
            self.Y.append(np.zeros((self.b, self.q)))
            self.rho.append(np.zeros(self.b))
        for i in np.unique(slot):
            at = slot == i
            self.S[i][rows[at]] = s[at]
            self.Y[i][rows[at]] = y[at]
            self.rho[i][rows[at]] = 1.0 / sy[at]
        self.count[rows] += 1
        self._densify(rows[self.count[rows] > DENSE_AFTER])

    def _densify(self, rows: np.ndarray) -> None:
        """Replace the pairs of ``rows`` by their dense inverse Hessian (the seed matrix
        updated pair by pair, as ``bfgs_refit`` would have)."""
        room = int(DENSE_BYTES // (8 * self.q * self.q)) - len(self.dense)
        rows = rows[: max(room, 0)]
        if not len(rows):
            return
        blas = _blas()
        for r in rows:
            H = np.asfortranarray(self.h0, dtype=float).copy(order="F")
            for i in range(int(self.count[r])):
                H = dense_step(blas, H, self.S[i][r], self.Y[i][r])
            self.dense[int(r)] = H
        for x in self.rho:
            x[rows] = 0.0
        self.count[rows] = 0
