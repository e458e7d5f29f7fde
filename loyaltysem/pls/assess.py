"""Assessment of a PLS path model as Hair, Hult, Ringle & Sarstedt's primer lays it out
(2022, ch. 4-6), computed as seminr 2.3 does (``evaluate_model``, ``summary``).

Reliability: Cronbach's alpha from the item correlations (standardized alpha), rhoC
(Dillon-Goldstein / composite reliability) and AVE from the outer loadings, rho_A
(Dijkstra & Henseler 2015); single items get 1. Discriminant validity: HTMT (Henseler et
al. 2015), Fornell-Larcker (sqrt AVE on the diagonal), cross-loadings cor(item, score).
Collinearity: VIF of each item on the other items of its block (diagonal of the inverse
block correlation matrix), VIF of each antecedent among the antecedents of an endogenous
construct. R^2 adjusted: 1 - (1 - R^2)(n - 1)/(n - k - 1). Effects: specific indirect
effects are products of path coefficients along each chain; total = (I - B)^-1 - I.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from loyaltysem.pls.algorithm import Estimates, Layout, htmt, total_effects

if TYPE_CHECKING:  # pandas is imported lazily: bootstrap workers do not need it
    import pandas as pd


def alpha_table(S: np.ndarray, lay: Layout) -> np.ndarray:
    """Cronbach's alpha of each block from the item correlations (seminr's cron_alpha)."""
    out = np.ones(lay.k)
    for k, b in enumerate(lay.blocks):
        m = len(b)
        if m > 1:
            R = S[np.ix_(b, b)]
            out[k] = m / (m - 1) * (1 - np.trace(R) / R.sum())
    return out


def rhoc_ave(L: np.ndarray, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """rhoC = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)) and AVE = mean(l^2); 1 for single items."""
    rc, ave = np.ones(lay.k), np.ones(lay.k)
    for k, b in enumerate(lay.blocks):
        if len(b) > 1:
            lam = L[b, k]
            rc[k] = lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2))
            ave[k] = np.mean(lam**2)
    return rc, ave


def item_vifs(S: np.ndarray, lay: Layout) -> dict[str, pd.Series]:
    import pandas as pd

    out = {}
    for k, b in enumerate(lay.blocks):
        names = [lay.items[i] for i in b]
        vif = np.diag(np.linalg.inv(S[np.ix_(b, b)])) if len(b) > 1 else np.ones(1)
        out[lay.constructs[k]] = pd.Series(vif, index=names)
    return out


def inner_vifs(C: np.ndarray, lay: Layout) -> dict[str, pd.Series]:
    """VIF of the antecedents of each endogenous construct (1 for a single antecedent)."""
    import pandas as pd

    out = {}
    for j, P in zip(lay.endo, lay.preds, strict=True):
        P = list(P)
        vif = np.diag(np.linalg.inv(C[np.ix_(P, P)])) if len(P) > 1 else np.ones(1)
        out[lay.constructs[j]] = pd.Series(vif, index=[lay.constructs[i] for i in P])
    return out


def chains(lay: Layout) -> list[tuple[int, ...]]:
    """Every directed chain of two or more paths (source, mediators..., target)."""
    out: list[tuple[int, ...]] = []

    def walk(chain: tuple[int, ...]) -> None:
        for t in np.flatnonzero(lay.adj[chain[-1]]):
            nxt = (*chain, int(t))
            if len(nxt) > 2:
                out.append(nxt)
            walk(nxt)

    for s in range(lay.k):
        walk((s,))
    return out


@dataclass(frozen=True)
class StatSpec:
    """The statistics bootstrapped and reported: one column per estimate."""

    kinds: tuple[str, ...]
    lhs: tuple[str, ...]
    op: tuple[str, ...]
    rhs: tuple[str, ...]
    through: tuple[tuple[str, ...], ...]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "kind": self.kinds,
                "lhs": self.lhs,
                "op": self.op,
                "rhs": self.rhs,
                "through": [" -> ".join(t) for t in self.through],
            }
        )


def stat_spec(lay: Layout, paths: list[tuple[str, str]]) -> StatSpec:
    rows: list[tuple[str, str, str, str, tuple[str, ...]]] = []
    names = lay.constructs
    for s, t in paths:
        rows.append(("path", t, "~", s, ()))
    for kind in ("weight", "loading"):
        for k, b in enumerate(lay.blocks):
            op = "<~" if lay.mode_b[k] else "=~"
            for i in b:
                rows.append((kind, names[k], op, lay.items[i], ()))
    for ch in chains(lay):
        mids = tuple(names[i] for i in ch[1:-1])
        rows.append(("indirect", names[ch[-1]], "indirect", names[ch[0]], mids))
    reach = _reach(lay)
    for kind, op in (("total_indirect", "total_indirect"), ("total", "total")):
        for s in range(lay.k):
            for t in range(lay.k):
                keep = reach[s, t] if kind == "total" else _has_chain(lay, s, t)
                if keep:
                    rows.append((kind, names[t], op, names[s], ()))
    for a in range(lay.k):
        for b in range(a + 1, lay.k):
            rows.append(("htmt", names[a], "htmt", names[b], ()))
    for j in lay.endo:
        rows.append(("r2", names[j], "r2", "", ()))
    return StatSpec(*map(tuple, zip(*rows, strict=True)))


def _reach(lay: Layout) -> np.ndarray:
    r = lay.adj.copy()
    for _ in range(lay.k):
        r = np.minimum(1, r + r @ lay.adj)
    return r > 0


def _has_chain(lay: Layout, s: int, t: int) -> bool:
    two = lay.adj @ _reach(lay).astype(float)
    return bool(two[s, t] > 0)


def stat_values(spec: StatSpec, est: Estimates, S: np.ndarray, lay: Layout) -> np.ndarray:
    """The (B, m) statistics of B estimated data sets, in the order of ``spec``."""
    names = {c: k for k, c in enumerate(lay.constructs)}
    items = {c: i for i, c in enumerate(lay.items)}
    tot = total_effects(est.paths)
    ht = htmt(S, lay)
    endo = {lay.constructs[j]: m for m, j in enumerate(lay.endo)}
    cols = []
    for kind, lhs, rhs, thr in zip(spec.kinds, spec.lhs, spec.rhs, spec.through, strict=True):
        if kind == "path":
            cols.append(est.paths[:, names[rhs], names[lhs]])
        elif kind in ("weight", "loading"):
            arr = est.W if kind == "weight" else est.L
            cols.append(arr[:, items[rhs], names[lhs]])
        elif kind == "indirect":
            ch = [names[rhs], *(names[m] for m in thr), names[lhs]]
            v = np.ones(est.paths.shape[0])
            for a, b in zip(ch[:-1], ch[1:], strict=True):
                v = v * est.paths[:, a, b]
            cols.append(v)
        elif kind == "total_indirect":
            s, t = names[rhs], names[lhs]
            cols.append(tot[:, s, t] - est.paths[:, s, t])
        elif kind == "total":
            cols.append(tot[:, names[rhs], names[lhs]])
        elif kind == "htmt":
            cols.append(ht[:, names[lhs], names[rhs]])
        else:
            cols.append(est.r2[:, endo[lhs]])
    return np.column_stack(cols)
