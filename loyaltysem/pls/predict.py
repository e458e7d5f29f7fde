"""Predictive relevance: Q^2 by blindfolding and PLSpredict.

Q^2 (Stone 1974; Geisser 1974), cross-validated redundancy as in Chin (1998) and Hair et
al. (2022, ch. 6): for each endogenous construct, its indicator cells are numbered down
each indicator column in turn and every D-th cell (omission distance D = 7) is left out in
round d = 1..D; the cells left out are mean-replaced, the model is re-estimated, and each
left-out standardized value is predicted as loading x (sum of path coefficient x
antecedent score). Q^2 = 1 - SSE/SSO, SSO being the squared errors of predicting the
left-out cells by the mean. As the primer advises, n / D should not be an integer (else
whole rows drop out together).

PLSpredict (Shmueli et al. 2016, 2019) as seminr's ``predict_pls``: the rows (shuffled) are
cut into k folds as R's ``cut(seq_len(n), k)``; the model is estimated on k - 1 folds and
predicts the indicators of the endogenous constructs in the held-out fold from the
antecedent scores, by the direct antecedents ("DA", seminr's default) or the earliest
antecedents ("EA"); the benchmark is a linear regression of each endogenous indicator on all
other indicators of the model (seminr's LM benchmark). RMSE and MAE are per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyaltysem.base.result import ResultMixin
from loyaltysem.pls.algorithm import Layout, case_weight_correlations, estimate


def _standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    sd = X.std(axis=0, ddof=1)
    return (X - mean) / sd, mean, sd


def blindfolding(
    Z: np.ndarray,
    lay: Layout,
    scheme: str = "path",
    consistent: bool = False,
    distance: int = 7,
) -> pd.Series:
    """Q^2 of every endogenous construct (cross-validated redundancy) on complete data Z."""
    n = Z.shape[0]
    out = {}
    for m, j in enumerate(lay.endo):
        b = lay.blocks[j]
        P = list(lay.preds[m])
        cell = np.arange(n * len(b)).reshape(len(b), n).T % distance  # down each column
        sets, omits = [], []
        for d in range(distance):
            omit = cell == d
            Zd = Z.copy()
            block = Zd[:, b]
            kept = np.where(omit, np.nan, block)
            fill = np.nanmean(kept, axis=0)
            Zd[:, b] = np.where(omit, fill, block)
            sets.append(Zd)
            omits.append((omit, fill))
        S = np.stack([np.corrcoef(Zd, rowvar=False) for Zd in sets])
        est = estimate(S, lay, scheme, consistent)
        sse = sso = 0.0
        for d, Zd in enumerate(sets):
            Zs, mean, sd = _standardize(Zd)
            scores = Zs @ est.W[d]
            yhat = scores[:, P] @ est.paths[d, P, j]
            pred = mean[b] + sd[b] * (yhat[:, None] * est.L[d, b, j][None, :])
            omit, fill = omits[d]
            actual = Z[:, b]
            sse += float(np.sum(((actual - pred) ** 2)[omit]))
            sso += float(np.sum(((actual - fill) ** 2)[omit]))
        out[lay.constructs[j]] = 1 - sse / sso
    return pd.Series(out, name="Q2")


def r_cut_folds(n: int, k: int) -> np.ndarray:
    """Fold (1..k) of positions 1..n as R's ``cut(seq(1, n), breaks = k, labels = FALSE)``."""
    x = np.arange(1, n + 1, dtype=float)
    dx = n - 1.0
    breaks = np.linspace(1.0, float(n), k + 1)
    breaks[0] -= dx / 1000
    breaks[-1] += dx / 1000
    return np.searchsorted(breaks, x, side="left")


def _topological(lay: Layout) -> list[int]:
    order: list[int] = []
    done = set()

    def visit(j: int) -> None:
        if j in done:
            return
        for s in np.flatnonzero(lay.adj[:, j]):
            visit(int(s))
        done.add(j)
        order.append(j)

    for j in range(lay.k):
        visit(j)
    return [j for j in order if j in lay.endo]


@dataclass
class PredictResult(ResultMixin):
    """Out-of-sample RMSE and MAE per endogenous indicator, PLS against the LM benchmark."""

    table: pd.DataFrame  # index item; PLS.RMSE PLS.MAE LM.RMSE LM.MAE
    folds: int
    reps: int
    technique: str
    seed: int | None

    def to_dict(self) -> dict:
        return {
            "folds": self.folds,
            "reps": self.reps,
            "technique": self.technique,
            "seed": self.seed,
            "items": {i: r.to_dict() for i, r in self.table.iterrows()},
        }


def _fold_predictions(X, lay, folds, scheme, consistent, technique, endo_items):
    """PLS and LM out-of-sample predictions of the endogenous items for one fold split."""
    n = X.shape[0]
    k = int(folds.max())
    train_w = np.stack([(folds != f).astype(float) for f in range(1, k + 1)])
    xc = X - X.mean(axis=0)
    S, _ = case_weight_correlations(xc, np.ones_like(X, dtype=bool), train_w)
    est = estimate(S, lay, scheme, consistent)
    pls = np.zeros((n, len(endo_items)))
    lm = np.zeros((n, len(endo_items)))
    order = _topological(lay)
    exo = [c for c in range(lay.k) if c not in lay.endo]
    item_pos = {it: i for i, it in enumerate(lay.items)}
    cols = [item_pos[i] for i in endo_items]
    for f in range(1, k + 1):
        tr, te = folds != f, folds == f
        mean, sd = X[tr].mean(axis=0), X[tr].std(axis=0, ddof=1)
        scores = ((X[te] - mean) / sd) @ est.W[f - 1]
        B = est.paths[f - 1]
        if technique == "DA":
            pred = scores @ B
            pred[:, exo] = scores[:, exo]
        else:
            pred = scores.copy()
            pred[:, order] = 0.0
            for j in order:
                pred[:, j] = pred @ B[:, j]
        items = pred @ est.L[f - 1].T
        pls[te] = (items * sd + mean)[:, cols]
        for j in lay.endo:
            dep = list(lay.blocks[j])
            indep = [i for i in range(lay.p) if i not in dep]
            A = np.column_stack([np.ones(tr.sum()), X[tr][:, indep]])
            coef = np.linalg.lstsq(A, X[tr][:, dep], rcond=None)[0]
            fit = np.column_stack([np.ones(te.sum()), X[te][:, indep]]) @ coef
            for c, d in enumerate(dep):
                lm[te, endo_items.index(lay.items[d])] = fit[:, c]
    return pls, lm


def pls_predict(
    X: np.ndarray,
    lay: Layout,
    *,
    folds: int = 10,
    reps: int = 1,
    seed: int | None = None,
    technique: str = "DA",
    scheme: str = "path",
    consistent: bool = False,
    order: np.ndarray | None = None,
) -> PredictResult:
    """PLSpredict on complete (mean-replaced) raw data X (n, p) in layout item order.

    ``order``: a row permutation (0-based) to use instead of a seeded shuffle (tests use R's).
    With ``reps`` > 1 the predictions of several shuffles are averaged, as seminr does.
    """
    technique = technique.upper()
    if technique not in ("DA", "EA"):
        raise ValueError("technique must be 'DA' or 'EA'")
    n = X.shape[0]
    endo_items = [lay.items[i] for j in lay.endo for i in lay.blocks[j]]
    rng = np.random.default_rng(seed)
    pls_sum = np.zeros((n, len(endo_items)))
    lm_sum = np.zeros_like(pls_sum)
    for _ in range(reps):
        perm = np.asarray(order) if order is not None else rng.permutation(n)
        fold = r_cut_folds(n, folds)
        p, m = _fold_predictions(X[perm], lay, fold, scheme, consistent, technique, endo_items)
        pls_sum[perm] += p
        lm_sum[perm] += m
    actual = X[:, [lay.items.index(i) for i in endo_items]]
    res_p = actual - pls_sum / reps
    res_l = actual - lm_sum / reps
    table = pd.DataFrame(
        {
            "PLS.RMSE": np.sqrt(np.mean(res_p**2, axis=0)),
            "PLS.MAE": np.mean(np.abs(res_p), axis=0),
            "LM.RMSE": np.sqrt(np.mean(res_l**2, axis=0)),
            "LM.MAE": np.mean(np.abs(res_l), axis=0),
        },
        index=endo_items,
    )
    return PredictResult(table, folds, reps, technique, seed)
