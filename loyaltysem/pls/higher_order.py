"""Higher-order constructs by the disjoint two-stage approach, as seminr 2.3 computes
``higher_composite(..., method = two_stage)`` (Sarstedt, Hair, Cheah, Becker & Ringle 2019,
Australasian Marketing Journal 27(3); Becker, Klein & Wetzels 2012; Hair, Sarstedt, Ringle &
Gudergan 2018, Advanced Issues in PLS-SEM, ch. 2).

Stage 1 estimates the model without the higher-order construct (HOC): its lower-order
constructs (LOCs) take its place, each linked to every antecedent and every outcome of the
HOC (the *disjoint* variant; the *embedded* variant would instead keep the HOC in stage 1,
measured by all the LOC items repeated). Stage 2 estimates the model as specified, with the
stage-1 scores of the LOCs as the HOC's indicators (mode A or mode B, as declared) and every
other construct measured by its items.

Construct scores are linear in the standardized items, so the correlations stage 2 needs
follow from the item correlations S and the stage-1 weights W of the LOCs: cor(items, LOC
scores) = S W and cor(LOC scores) = W'S W. Both stages therefore run on stacks of
correlation matrices like the one-stage model (``algorithm.estimate``), and a bootstrap draw
repeats both stages on its resample, as seminr's ``bootstrap_model`` re-runs
``estimate_pls`` on the resampled data.

The result combines the stages as seminr does: the LOCs' weights, loadings and rho_A from
stage 1, everything else (the HOC on its LOC scores, the other constructs, paths, R^2) from
stage 2; reliability, HTMT, cross-loadings and VIFs over every construct, the HOC's from its
LOC scores as indicators (the "augmented" correlation matrix of items and LOC scores).

Numpy only: bootstrap worker processes import this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from loyaltysem.pls.algorithm import Estimates, Layout, check_mode_b, estimate, layout_of

if TYPE_CHECKING:
    from loyaltysem.pls.model import PLSModel

#: the variant, named in results and the chapter's note
VARIANT = "disjoint"


@dataclass(frozen=True)
class TwoStagePlan:
    """Index form of a model with higher-order constructs.

    ``lay1``: stage 1 (items: the observed items, in the model's order); ``lay2``: stage 2;
    ``lay``: every construct (items: the observed items and the LOC scores); ``loc``: the
    stage-1 construct index of each LOC score column of the augmented matrix [items, LOC
    scores]; ``pos2`` / ``posc``: the augmented positions of ``lay2`` / ``lay`` indicators;
    ``source``: (stage, index) of each construct of ``lay``; ``hocs2``: the HOCs in stage 2.
    """

    lay1: Layout
    lay2: Layout
    lay: Layout
    loc: tuple[int, ...]
    pos2: np.ndarray
    posc: np.ndarray
    source: tuple[tuple[int, int], ...]
    hocs2: tuple[int, ...]
    stage1_paths: tuple[tuple[str, str], ...]


def stage1_paths(model: PLSModel) -> list[tuple[str, str]]:
    """The stage-1 structural model: each HOC replaced by its LOCs, which take over its
    antecedents and outcomes (seminr's ``substitute_dimensions_for_HOC``).

    Example:
        >>> from loyaltysem.pls import parse_pls_syntax
        >>> m = parse_pls_syntax("A =~ a1 + a2\\nB =~ b1 + b2\\nH =~ A + B\\n"
        ...                      "X =~ x1 + x2\\nY =~ y1 + y2\\nH ~ X\\nY ~ H")
        >>> stage1_paths(m)
        [('X', 'A'), ('X', 'B'), ('A', 'Y'), ('B', 'Y')]
    """
    hoc = model.higher_order
    out: list[tuple[str, str]] = []
    for s, t in model.paths:
        for a in hoc.get(s, [s]):
            for b in hoc.get(t, [t]):
                if (a, b) not in out:
                    out.append((a, b))
    return out


def make_plan(model: PLSModel) -> TwoStagePlan:
    """The stage layouts of a model with higher-order constructs."""
    hoc = model.higher_order
    loc_of = model.lower_order
    modes = model.modes
    cons1 = {c: list(i) for c, i in model.constructs.items() if c not in hoc}
    paths1 = stage1_paths(model)
    lay1 = layout_of(cons1, modes, paths1)
    cons2 = {c: list(i) for c, i in model.constructs.items() if c not in loc_of}
    lay2 = layout_of(cons2, modes, model.paths)
    lay = layout_of({c: list(i) for c, i in model.constructs.items()}, modes, model.paths)
    locs = [d for dims in hoc.values() for d in dims]
    aug = [*lay1.items, *locs]
    if len(set(aug)) < len(aug):
        clash = next(i for i in lay1.items if i in locs)
        raise ValueError(f"item {clash} has the name of a lower-order construct")
    source = tuple(
        (1, lay1.constructs.index(c)) if c in loc_of else (2, lay2.constructs.index(c))
        for c in lay.constructs
    )
    return TwoStagePlan(
        lay1=lay1,
        lay2=lay2,
        lay=lay,
        loc=tuple(lay1.constructs.index(d) for d in locs),
        pos2=np.array([aug.index(i) for i in lay2.items]),
        posc=np.array([aug.index(i) for i in lay.items]),
        source=source,
        hocs2=tuple(lay2.constructs.index(h) for h in hoc),
        stage1_paths=tuple(paths1),
    )


def augment(S: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Correlations (B, p + m, p + m) of the items and the m scores X W (unit variance):
    [[S, S W], [W'S, W'S W]]."""
    SW = S @ W
    WSW = W.transpose(0, 2, 1) @ SW
    idx = np.arange(W.shape[2])
    WSW[:, idx, idx] = 1.0
    top = np.concatenate([S, SW], axis=2)
    bottom = np.concatenate([SW.transpose(0, 2, 1), WSW], axis=2)
    return np.concatenate([top, bottom], axis=1)


def _combine(plan: TwoStagePlan, est1: Estimates, est2: Estimates, Sc: np.ndarray) -> Estimates:
    """One set of estimates over every construct: LOCs from stage 1, the rest from stage 2."""
    nb, lay = Sc.shape[0], plan.lay
    W = np.zeros((nb, lay.p, lay.k))
    L = np.zeros((nb, lay.p, lay.k))
    rho = np.ones((nb, lay.k))
    for k, (stage, j) in enumerate(plan.source):
        e, src = (est1, plan.lay1) if stage == 1 else (est2, plan.lay2)
        W[:, lay.blocks[k], k] = e.W[:, src.blocks[j], j]
        L[:, lay.blocks[k], k] = e.L[:, src.blocks[j], j]
        rho[:, k] = e.rho_a[:, j]
    C = W.transpose(0, 2, 1) @ Sc @ W
    k2 = [lay.constructs.index(c) for c in plan.lay2.constructs]
    paths = np.zeros((nb, lay.k, lay.k))
    paths[:, np.array(k2)[:, None], np.array(k2)[None, :]] = est2.paths
    conv = est1.converged & est2.converged
    return Estimates(W, L, C, paths, est2.r2, rho, est2.iterations, conv)


def estimate_two_stage(
    S: np.ndarray,
    plan: TwoStagePlan,
    scheme: str = "path",
    consistent: bool = False,
    max_iter: int = 300,
    tol: float = 1e-7,
    check: bool = False,
    file: str | None = None,
) -> tuple[Estimates, np.ndarray, Estimates, Estimates, np.ndarray]:
    """Both stages on B item correlation matrices S (B, p, p) in the order of
    ``plan.lay1.items``.

    Returns the combined estimates over ``plan.lay``, their indicator correlations Sc
    (B, q, q), the stage-1 and stage-2 estimates and the augmented correlations of the
    items and the LOC scores. ``check``: check the mode B blocks of the first data set
    before each stage (an InputError naming ``file`` and the collinear items or LOC scores).
    """
    if check:
        check_mode_b(S[0], plan.lay1, file)
    est1 = estimate(S, plan.lay1, scheme, consistent, max_iter, tol)
    A = augment(S, est1.W[:, :, list(plan.loc)])
    pos2 = plan.pos2
    S2 = A[:, pos2][:, :, pos2]
    if check:
        check_mode_b(S2[0], plan.lay2, file)
    est2 = estimate(S2, plan.lay2, scheme, consistent, max_iter, tol, composites=plan.hocs2)
    Sc = A[:, plan.posc][:, :, plan.posc]
    return _combine(plan, est1, est2, Sc), Sc, est1, est2, A


def score_columns(Z: np.ndarray, plan: TwoStagePlan, est1: Estimates) -> np.ndarray:
    """The standardized data (n, p) with the stage-1 LOC scores appended (augmented order)."""
    return np.hstack([Z, Z @ est1.W[0][:, list(plan.loc)]])


def f2_two_stage(
    S: np.ndarray, model: PLSModel, r2, scheme: str, consistent: bool, max_iter: int, tol: float
) -> dict:
    """f^2 = (R^2 with - R^2 without) / (1 - R^2 with), both stages re-run without the path
    (seminr's ``fSquared`` re-estimates the whole higher-order model)."""
    from loyaltysem.pls.algorithm import make_layout

    out = {}
    items = model.items
    for s, t in model.paths:
        rest = [p for p in model.paths if p != (s, t)]
        without = 0.0
        if any(tt == t for _, tt in rest):
            sub = model.restricted_to_paths(rest)
            pos = [items.index(i) for i in sub.items]
            Ss = S[np.ix_(pos, pos)][None]
            if sub.higher_order:
                sp = make_plan(sub)
                est = estimate_two_stage(Ss, sp, scheme, consistent, max_iter, tol)[0]
                lay = sp.lay
            else:
                lay = make_layout(sub)
                est = estimate(Ss, lay, scheme, consistent, max_iter, tol)
            without = float(est.r2[0, lay.endo.index(lay.constructs.index(t))])
        out[(t, s)] = (r2[t] - without) / (1 - r2[t])
    return out
