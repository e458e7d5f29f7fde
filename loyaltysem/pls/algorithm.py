"""The PLS path algorithm on item correlation matrices, batched over data sets.

Everything the PLS algorithm computes from standardized indicators is a function of their
correlation matrix S (construct scores are linear in the items), so the algorithm runs on S
alone and on a stack of them at once (bootstrap draws, jackknife samples, refits): one call
estimates B data sets with stacked numpy linear algebra.

The steps are those of seminr's ``simplePLS`` (Ray, Danks & Calero Valdez, seminr 2.3;
Lohmoeller 1989; Hair et al. 2022, ch. 3): start from unit outer weights; each iteration
standardizes the construct scores (sd with n - 1), forms the inner proxies with the path,
factorial or centroid weighting scheme, updates the outer weights (mode A: covariances of the
items with the inner proxy; mode B: regression of the inner proxy on the block's items),
rescales the weights so the scores have unit variance, and stops when the sum of absolute
weight changes falls below 1e-7 (seminr's stopCriterion = 7; the first comparison is with
the unit start weights). Loadings are cov(item, score); path coefficients the OLS
regressions of each endogenous construct's score on its antecedents' scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loyaltysem.base.errors import InputError
from loyaltysem.pls.model import PLSModel

SCHEMES = ("path", "factorial", "centroid")


@dataclass(frozen=True)
class Layout:
    """Index form of a PLS model: items x constructs mask, modes, adjacency, antecedents."""

    items: tuple[str, ...]
    constructs: tuple[str, ...]
    mask: np.ndarray  # (p, K) bool: item i measures construct k
    mode_b: np.ndarray  # (K,) bool
    adj: np.ndarray  # (K, K) float: adj[s, t] = 1 for a path s -> t
    endo: tuple[int, ...]  # endogenous constructs
    preds: tuple[tuple[int, ...], ...]  # antecedents of each endogenous construct
    blocks: tuple[np.ndarray, ...]  # item indices of each construct

    @property
    def p(self) -> int:
        return len(self.items)

    @property
    def k(self) -> int:
        return len(self.constructs)


def make_layout(model: PLSModel) -> Layout:
    return layout_of(model.constructs, model.modes, model.paths)


def layout_of(
    constructs: dict[str, list[str]], modes: dict[str, str], paths: list[tuple[str, str]]
) -> Layout:
    """The layout of constructs (name -> indicators, in order), modes and paths; the
    indicators are every construct's in order (a higher-order construct's are the scores of
    its lower-order constructs in the two-stage approach)."""
    items = tuple(i for its in constructs.values() for i in its)
    names = tuple(constructs)
    mask = np.zeros((len(items), len(names)), dtype=bool)
    blocks = []
    for k, c in enumerate(names):
        idx = np.array([items.index(i) for i in constructs[c]])
        mask[idx, k] = True
        blocks.append(idx)
    adj = np.zeros((len(names), len(names)))
    for s, t in paths:
        adj[names.index(s), names.index(t)] = 1.0
    endo = tuple(j for j in range(len(names)) if adj[:, j].any())
    preds = tuple(tuple(np.flatnonzero(adj[:, j]).tolist()) for j in endo)
    mode_b = np.array([modes[c] == "B" for c in names])
    return Layout(items, names, mask, mode_b, adj, endo, preds, tuple(blocks))


# ----------------------------------------------------------------------------- correlations


def case_weight_correlations(xc: np.ndarray, observed: np.ndarray, w: np.ndarray):
    """Item correlations of B weighted samples of the rows of ``xc`` (bootstrap counts,
    jackknife 0/1 weights), each after mean replacement of its own missing values, as
    seminr's ``mean_replacement`` does on every resample.

    ``xc``: (n, p) data centred at the full-sample means, 0 where missing; ``observed``:
    (n, p) bool; ``w``: (B, n) case weights. Returns (B, p, p) correlations and (B, p)
    standard deviations (scaled by an arbitrary common factor; 0 flags a constant item).
    Sums of per-row outer products are single matrix products (B, n) @ (n, p*p).
    """
    n, p = xc.shape
    w = np.asarray(w, dtype=float)
    if observed.all():
        tot = w.sum(axis=1)
        mean = (w @ xc) / tot[:, None]
        cross = (w @ (xc[:, :, None] * xc[:, None, :]).reshape(n, p * p)).reshape(-1, p, p)
        cov = cross - tot[:, None, None] * mean[:, :, None] * mean[:, None, :]
    else:
        o = observed.astype(float)
        cnt = w @ o
        mean = (w @ xc) / cnt
        a1 = (w @ (xc[:, :, None] * xc[:, None, :]).reshape(n, p * p)).reshape(-1, p, p)
        # sum_i w x_ip o_iq and sum_i w o_ip o_iq: exact terms only for incomplete rows
        inc = ~observed.all(axis=1)
        wc, wi, xi, oi = w[:, ~inc], w[:, inc], xc[inc], o[inc]
        a2 = (wc @ xc[~inc])[:, :, None] + (
            wi @ (xi[:, :, None] * oi[:, None, :]).reshape(-1, p * p)
        ).reshape(-1, p, p)
        a3 = wc.sum(axis=1)[:, None, None] + (
            wi @ (oi[:, :, None] * oi[:, None, :]).reshape(-1, p * p)
        ).reshape(-1, p, p)
        # sum_i w o_p o_q (x_p - m_p)(x_q - m_q), missing cells replaced by the mean m
        cov = (
            a1
            - mean[:, None, :] * a2
            - mean[:, :, None] * a2.transpose(0, 2, 1)
            + mean[:, :, None] * mean[:, None, :] * a3
        )
    sd = np.sqrt(np.clip(np.einsum("bii->bi", cov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        cor = cov / (sd[:, :, None] * sd[:, None, :])
    idx = np.arange(p)
    cor[:, idx, idx] = 1.0
    return cor, sd


# ----------------------------------------------------------------------------- iteration


def _inner_weights(C: np.ndarray, lay: Layout, scheme: str) -> np.ndarray:
    """Inner weights E (B, K, K); proxy of construct j = sum_i score_i E[i, j]."""
    both = lay.adj + lay.adj.T
    if scheme == "factorial":
        return C * both
    if scheme == "centroid":
        return np.sign(C) * both
    E = C * lay.adj.T  # successors of j: their correlation with j
    for j, P in zip(lay.endo, lay.preds, strict=True):
        P = list(P)
        E[:, P, j] = np.linalg.solve(C[:, P][:, :, P], C[:, P, j][..., None])[..., 0]
    return E


def _mode_b_operator(S: np.ndarray, lay: Layout) -> np.ndarray:
    """M with rows S[i, :] for mode A items and S_bb^-1 S[b, :] for mode B blocks, so that
    new outer weights = (M @ V) * mask for inner-proxy weights V."""
    M = S.copy()
    for k in np.flatnonzero(lay.mode_b):
        b = lay.blocks[k]
        M[:, b, :] = np.linalg.solve(S[:, b][:, :, b], S[:, b, :])
    return M


def _col_scale(S: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Standard deviations of the scores X W (columns of W) given item correlations S."""
    return np.sqrt(np.einsum("bpk,bpk->bk", W, S @ W))


def outer_weights(
    S: np.ndarray, lay: Layout, scheme: str = "path", max_iter: int = 300, tol: float = 1e-7
):
    """Iterate to the outer weights of B data sets at once (seminr's simplePLS loop).

    Returns (W (B, p, K) standardized weights, iterations (B,), converged (B,)).
    """
    if scheme not in SCHEMES:
        raise InputError(f"weighting scheme must be one of {', '.join(SCHEMES)}, not {scheme}")
    S = np.asarray(S, dtype=float)
    nb = S.shape[0]
    maskf = lay.mask.astype(float)
    M = _mode_b_operator(S, lay)
    W = np.broadcast_to(maskf, (nb, *maskf.shape)).copy()
    iters = np.zeros(nb, dtype=int)
    active = np.ones(nb, dtype=bool)
    for it in range(max_iter + 1):
        idx = np.flatnonzero(active)
        Sa, Wa = S[idx], W[idx]
        Ws = Wa / _col_scale(Sa, Wa)[:, None, :]
        C = Ws.transpose(0, 2, 1) @ Sa @ Ws
        E = _inner_weights(C, lay, scheme)
        sdz = np.sqrt(np.einsum("bik,bik->bk", E, C @ E))
        V = (Ws @ E) / sdz[:, None, :]
        Wn = (M[idx] @ V) * maskf
        Wn = Wn / _col_scale(Sa, Wn)[:, None, :]
        diff = np.abs(Wn - Wa).sum(axis=(1, 2))
        W[idx] = Wn
        iters[idx] = it
        done = diff < tol
        active[idx[done]] = False
        if not active.any():
            break
    return W, iters, ~active


@dataclass
class Estimates:
    """Point estimates of B data sets (stacked along the first axis)."""

    W: np.ndarray  # (B, p, K) outer weights
    L: np.ndarray  # (B, p, K) loadings (PLSc-corrected for reflective constructs if asked)
    C: np.ndarray  # (B, K, K) construct score correlations
    paths: np.ndarray  # (B, K, K) path coefficients, [s, t] for s -> t
    r2: np.ndarray  # (B, n_endo)
    rho_a: np.ndarray  # (B, K)
    iterations: np.ndarray
    converged: np.ndarray


def rho_a(S: np.ndarray, W: np.ndarray, lay: Layout) -> np.ndarray:
    """Dijkstra-Henseler rho_A, (w'w)^2 w'(S - diag S)w / w'(ww' - diag(ww'))w, for
    multi-item mode A constructs; 1 for mode B and single items (seminr's ``rho_A``)."""
    out = np.ones((S.shape[0], lay.k))
    for k, b in enumerate(lay.blocks):
        if lay.mode_b[k] or len(b) < 2:
            continue
        w = W[:, b, k]
        Sb = S[:, b][:, :, b]
        ww = np.einsum("bi,bi->b", w, w)
        num = np.einsum("bi,bij,bj->b", w, Sb, w) - np.einsum("bi,bii,bi->b", w, Sb, w)
        den = ww**2 - np.sum(w**4, axis=1)
        out[:, k] = ww**2 * num / den
    return out


def regressions(C: np.ndarray, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """Path coefficients (B, K, K) and R^2 (B, n_endo) from construct correlations."""
    nb = C.shape[0]
    paths = np.zeros((nb, lay.k, lay.k))
    r2 = np.zeros((nb, len(lay.endo)))
    for m, (j, P) in enumerate(zip(lay.endo, lay.preds, strict=True)):
        P = list(P)
        beta = np.linalg.solve(C[:, P][:, :, P], C[:, P, j][..., None])[..., 0]
        paths[:, P, j] = beta
        r2[:, m] = np.einsum("bi,bi->b", beta, C[:, P, j])
    return paths, r2


def estimate(
    S: np.ndarray,
    lay: Layout,
    scheme: str = "path",
    consistent: bool = False,
    max_iter: int = 300,
    tol: float = 1e-7,
    composites: tuple[int, ...] = (),
) -> Estimates:
    """Weights, loadings, paths and R^2 of B data sets given their item correlations.

    ``consistent``: PLSc (Dijkstra & Henseler 2015) for every mode A construct, as seminr
    does for ``reflective()`` constructs: construct correlations divided by
    sqrt(rho_A,i rho_A,j), paths and R^2 from those, loadings w sqrt(rho_A) / (w'w).
    ``composites``: mode A constructs whose loadings PLSc leaves as they are (seminr's
    higher-order composites: their correlations are corrected, their loadings are not).
    """
    W, iters, conv = outer_weights(S, lay, scheme, max_iter, tol)
    SW = S @ W
    L = SW * lay.mask
    C = W.transpose(0, 2, 1) @ SW
    rho = rho_a(S, W, lay)
    Cp = C
    if consistent:
        Cp = C / np.sqrt(rho[:, :, None] * rho[:, None, :])
        idx = np.arange(lay.k)
        Cp[:, idx, idx] = 1.0
        for k, b in enumerate(lay.blocks):
            if not lay.mode_b[k] and k not in composites:
                w = W[:, b, k]
                L[:, b, k] = w * (np.sqrt(rho[:, k]) / np.einsum("bi,bi->b", w, w))[:, None]
    paths, r2 = regressions(Cp, lay)
    return Estimates(W, L, C, paths, r2, rho, iters, conv)


def total_effects(paths: np.ndarray) -> np.ndarray:
    """Total effects T = B + B^2 + ... = (I - B)^-1 - I of a recursive model, [s, t]."""
    k = paths.shape[-1]
    eye = np.eye(k)
    return np.linalg.inv(eye - paths) - eye


def htmt(S: np.ndarray, lay: Layout) -> np.ndarray:
    """HTMT (Henseler, Ringle & Sarstedt 2015) of every construct pair, (B, K, K): mean
    absolute heterotrait correlation over the geometric mean of the monotrait means (1 for a
    single item), as seminr's ``HTMT``."""
    A = np.abs(S)
    mf = lay.mask.astype(float)
    sums = mf.T @ A @ mf
    sizes = lay.mask.sum(axis=0).astype(float)
    diag = np.einsum("bii->bi", A) @ mf
    within = np.einsum("bkk->bk", sums) - diag
    pairs = sizes * (sizes - 1)
    mono = np.where(pairs > 0, within / np.where(pairs > 0, pairs, 1), 1.0)
    hetero = sums / np.outer(sizes, sizes)
    return hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])


def check_mode_b(S: np.ndarray, lay: Layout, file: str | None = None) -> None:
    """A mode B block whose items are linearly dependent cannot be estimated: name them."""
    for k in np.flatnonzero(lay.mode_b):
        b = lay.blocks[k]
        if len(b) < 2:
            continue
        vals, vecs = np.linalg.eigh(S[np.ix_(b, b)])
        if vals[0] < 1e-10:
            v = np.abs(vecs[:, 0])
            names = [lay.items[b[i]] for i in np.flatnonzero(v > 1e-4 * v.max())]
            raise InputError(
                f"construct {lay.constructs[k]} (mode B) has collinear items "
                f"{', '.join(names)}: one is a linear combination of the others; drop one",
                file=file,
            )
