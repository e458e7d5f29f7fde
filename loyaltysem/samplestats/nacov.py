"""Two-step sample statistics of one group and their asymptotic covariance (NACOV, "Gamma").

The statistics are lavaan's ``WLS.obs`` for categorical data without covariates:
thresholds (a continuous variable contributes minus its mean), the ML variances of the
continuous variables, then the lower triangle of the correlation matrix (covariances where a
continuous variable is involved), column by column.

Their asymptotic covariance follows Muthen (1984) as lavaan's ``muthen1984`` computes it:
with S the N x m matrix of casewise scores (step-1 scores of every threshold/mean/variance,
then the rho score of every pair),

    B = [[A11, 0], [A21, A22]],  A11 = blockdiag_v(S_v' S_v),  A22 = diag(S_rho' S_rho),
    A21[pair, step-1 parameter] = sum_n s_rho,n * (that parameter's score in the pair's
    bivariate likelihood),
    WLS.W = B^-1 (S'S) B^-T,   NACOV = N * WLS.W,

then the Jacobian H of (rho -> covariance, variance) for continuous variables, and the sign
of every mean row flipped (lavaan models -mean as the threshold). Here the same product is
formed as influence' influence / N with influence = N * S B^-T H' (N x m), which the
estimator step can reuse (Gamma-weighted products without forming Gamma).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loyaltysem.samplestats.bivariate import (
    pearson_scores,
    polychoric,
    polychoric_scores,
    polyserial,
    polyserial_scores,
)
from loyaltysem.samplestats.univariate import NumericFit, OrdinalFit

__all__ = ["TwoStep", "two_step"]

Fit = OrdinalFit | NumericFit


class DWLSWeights:
    """The DWLS weights of two-step statistics with a ``nacov`` attribute."""

    @property
    def wls_v_diag(self) -> np.ndarray:
        """DWLS weights: 1 / diag(NACOV) (lavaan's WLS.VD; ``lavInspect(fit, "wls.v")`` is
        the diagonal matrix of them)."""
        if self.nacov is None:
            raise ValueError("NACOV was not computed (with_nacov=False)")
        return 1.0 / np.diag(self.nacov)


@dataclass
class TwoStep(DWLSWeights):
    """Output of :func:`two_step` for one group (see the module docstring for the layout)."""

    ov: list[str]
    th: np.ndarray
    th_names: list[str]
    th_idx: np.ndarray
    cor: np.ndarray
    cov: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    wls_obs: np.ndarray
    wls_obs_names: list[str]
    nacov: np.ndarray | None = None
    influence: np.ndarray | None = None
    #: diag(NACOV) alone (two_step(diag_only=True)); otherwise None
    nacov_diag: np.ndarray | None = None
    zero_cell_tables: list[tuple[str, str]] = field(default_factory=list)
    nobs: int = 0
    group: object = None
    #: the step-1 fits (each respondent's categories or values): what a bootstrap resamples
    fits: list = field(default_factory=list, repr=False, compare=False)


def _pairs(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower-triangle pairs (i, j), i > j, column by column (lavaan's vech order)."""
    j, i = np.triu_indices(p, k=1)
    order = np.lexsort((i, j))
    return i[order], j[order]


def _layout(fits: list[Fit], ov: list[str], th_labels: list[list[str]] | None):
    th_cols, names, th_idx = [], [], []
    pos = 0
    for v, f in enumerate(fits):
        if isinstance(f, OrdinalFit):
            k = f.th.size
            labels = th_labels[v] if th_labels else [f"t{t + 1}" for t in range(k)]
            names += [f"{ov[v]}|{lab}" for lab in labels]
            th_idx += [v + 1] * k
        else:
            k = 1
            names.append(ov[v])
            th_idx.append(0)
        th_cols.append(np.arange(pos, pos + k))
        pos += k
    num = [v for v, f in enumerate(fits) if isinstance(f, NumericFit)]
    var_col = {v: pos + q for q, v in enumerate(num)}
    return th_cols, var_col, names, np.array(th_idx), num


def two_step(
    fits: list[Fit],
    ov: list[str],
    *,
    th_labels: list[list[str]] | None = None,
    with_nacov: bool = True,
    full_nacov: bool = True,
    diag_only: bool = False,
) -> TwoStep:
    """Correlations (step 2) and, if asked, NACOV from the step-1 fits of one group.

    ``full_nacov=False`` computes the influence matrix but not NACOV itself (its m x m
    product): DWLS needs only diag(NACOV) = column sums of influence^2 / N.
    ``diag_only=True`` (with ``with_nacov``) computes only that diagonal (``nacov_diag``),
    neither the influence matrix nor NACOV: a bootstrap draw's DWLS weight."""
    p = len(fits)
    th_cols, var_col, th_names, th_idx, num = _layout(fits, ov, th_labels)
    n1 = th_cols[-1][-1] + 1 + len(num) if p else 0
    ii, jj = _pairs(p)
    kind = np.array([isinstance(fits[v], OrdinalFit) for v in range(p)])
    cor = np.eye(p)
    rho, pk, zero_cells = _correlations(fits, ov, ii, jj, kind)
    cor[ii, jj] = cor[jj, ii] = rho

    sd = np.array([1.0 if kind[v] else fits[v].sd for v in range(p)])
    cov = cor * np.outer(sd, sd)
    mean = np.array([0.0 if kind[v] else fits[v].mean for v in range(p)])
    th = (
        np.concatenate([f.th if isinstance(f, OrdinalFit) else np.array([f.mean]) for f in fits])
        if p
        else np.zeros(0)
    )
    wls_obs = np.concatenate([np.where(th_idx == 0, -th, th), sd[num] ** 2, cov[ii, jj]])
    names = [n if k else f"{n}~1" for n, k in zip(th_names, th_idx, strict=True)]
    names += [f"{ov[v]}~~{ov[v]}" for v in num]
    names += [f"{ov[j]}~~{ov[i]}" for i, j in zip(ii, jj, strict=True)]
    out = TwoStep(
        ov=list(ov),
        th=th,
        th_names=th_names,
        th_idx=th_idx,
        cor=cor,
        cov=cov,
        mean=mean,
        var=sd**2,
        wls_obs=wls_obs,
        wls_obs_names=names,
        zero_cell_tables=zero_cells,
        nobs=_nobs(fits),
        fits=list(fits),
    )
    if with_nacov:
        ctx = _Ctx(fits, th_cols, var_col, n1, ii, jj, rho)
        if pk.oo.size:
            ctx.add_polychoric(pk.oo, pk.tab, pk.r)
        for q, u, o in zip(pk.mixed, pk.mix_num, pk.mix_ord, strict=True):
            ctx.add_polyserial(q, u, o)
        for q in pk.nn:
            ctx.add_pearson(q)
        if diag_only:
            out.nacov_diag = ctx.nacov_diag()
            return out
        out.influence = ctx.influence(num, th_idx)
        if full_nacov:
            out.nacov = out.influence.T @ out.influence / out.influence.shape[0]
    return out


@dataclass
class _PairKinds:
    """Which correlation each pair (a position in ``ii``/``jj``) has: polychoric (``oo``,
    with the fits' tables ``tab`` and estimates ``r``), polyserial (``mixed``, with its
    numeric and ordinal variable) or Pearson (``nn``)."""

    oo: np.ndarray
    mixed: list[int]
    mix_num: list[int]
    mix_ord: list[int]
    nn: list[int]
    tab: object = None
    r: np.ndarray | None = None


def _correlations(
    fits: list[Fit], ov: list[str], ii: np.ndarray, jj: np.ndarray, kind: np.ndarray
) -> tuple[np.ndarray, _PairKinds, list[tuple[str, str]]]:
    """Step 2: the correlation of every pair (lower triangle, column by column), which kind
    each is, and the polychoric pairs whose table has an empty cell."""
    rho = np.zeros(ii.size)
    oo = np.flatnonzero(kind[ii] & kind[jj])
    ord_vars = np.flatnonzero(kind)
    pos_in_ord = {v: q for q, v in enumerate(ord_vars)}
    zero_cells: list[tuple[str, str]] = []
    r = tab = None
    if oo.size:
        ofits = [fits[v] for v in ord_vars]
        first = np.array([pos_in_ord[v] for v in jj[oo]])
        second = np.array([pos_in_ord[v] for v in ii[oo]])
        r, tab, zc = polychoric(ofits, first, second, names=[ov[v] for v in ord_vars])
        rho[oo] = r
        zero_cells = [(ov[jj[q]], ov[ii[q]]) for q in oo[zc]]
    mixed = [q for q in range(ii.size) if kind[ii[q]] != kind[jj[q]]]
    mix_num = [jj[q] if kind[ii[q]] else ii[q] for q in mixed]
    mix_ord = [ii[q] if kind[ii[q]] else jj[q] for q in mixed]
    if mixed:
        rho[mixed] = polyserial(
            [fits[v] for v in mix_num],
            [fits[v] for v in mix_ord],
            [(ov[a], ov[b]) for a, b in zip(mix_num, mix_ord, strict=True)],
        )
    nn = [q for q in range(ii.size) if not kind[ii[q]] and not kind[jj[q]]]
    for q in nn:
        rho[q] = np.corrcoef(fits[ii[q]].y, fits[jj[q]].y)[0, 1]
    return rho, _PairKinds(oo, mixed, mix_num, mix_ord, nn, tab, r), zero_cells


def _nobs(fits: list[Fit]) -> int:
    f = fits[0]
    return int(f.codes.size if isinstance(f, OrdinalFit) else f.y.size)


class _Ctx:
    """Accumulates the casewise scores S, A21 and H21/H22 pair by pair."""

    def __init__(self, fits, th_cols, var_col, n1, ii, jj, rho):
        self.fits, self.th_cols, self.var_col, self.n1 = fits, th_cols, var_col, n1
        self.ii, self.jj, self.rho = ii, jj, rho
        n = _nobs(fits)
        npair = ii.size
        self.sc1 = np.zeros((n, n1))
        for v, f in enumerate(fits):
            if isinstance(f, OrdinalFit):
                self.sc1[:, th_cols[v]] = f.scores()
            else:
                s_mean, s_var = f.scores()
                self.sc1[:, th_cols[v][0]] = s_mean
                self.sc1[:, var_col[v]] = s_var
        self.sc_rho = np.zeros((n, npair))
        self.a21 = np.zeros((npair, n1))
        self.h21 = np.zeros((npair, n1))
        self.h22 = np.ones(npair)

    def add_polychoric(self, oo, tab, r):
        sc, a1, a2 = polychoric_scores(tab, r)
        self.sc_rho[:, oo] = sc
        start = np.array([c[0] for c in self.th_cols])
        size = np.array([c.size for c in self.th_cols])
        k = np.arange(a1.shape[1])[None, :]
        for var, a in ((self.jj[oo], a1), (self.ii[oo], a2)):  # each item's thresholds
            inside = k < size[var][:, None]
            rows = np.broadcast_to(oo[:, None], inside.shape)
            self.a21[rows[inside], (start[var][:, None] + k)[inside]] = a[inside]

    def add_polyserial(self, q, u, o):
        num, ordf = self.fits[u], self.fits[o]
        s_rho, s_mean, s_var, s_th = polyserial_scores(num, ordf, self.rho[q])
        self.sc_rho[:, q] = s_rho
        self.a21[q, self.th_cols[u][0]] = s_rho @ s_mean
        self.a21[q, self.var_col[u]] = s_rho @ s_var
        self.a21[q, self.th_cols[o]] = s_rho @ s_th
        self.h21[q, self.var_col[u]] = self.rho[q] / (2.0 * num.sd)
        self.h22[q] = num.sd

    def add_pearson(self, q):
        i, j = self.ii[q], self.jj[q]
        fi, fj = self.fits[i], self.fits[j]
        s_rho, m1, v1, m2, v2 = pearson_scores(fi, fj, self.rho[q])
        self.sc_rho[:, q] = s_rho
        for v, sm, sv in ((i, m1, v1), (j, m2, v2)):
            self.a21[q, self.th_cols[v][0]] = s_rho @ sm
            self.a21[q, self.var_col[v]] = s_rho @ sv
        self.h21[q, self.var_col[i]] = fj.sd * self.rho[q] / (2.0 * fi.sd)
        self.h21[q, self.var_col[j]] = fi.sd * self.rho[q] / (2.0 * fj.sd)
        self.h22[q] = fi.sd * fj.sd

    def _blocks(self) -> dict[int, np.ndarray]:
        """Every variable's step-1 columns (thresholds; mean and variance), as (V, size)
        index arrays by block size."""
        out: dict[int, list] = {}
        for v, cols in enumerate(self.th_cols):
            idx = cols if v not in self.var_col else np.append(cols, self.var_col[v])
            out.setdefault(idx.size, []).append(idx)
        return {k: np.array(b) for k, b in out.items()}

    def _parts(self) -> tuple[np.ndarray, np.ndarray]:
        """S1 A11^-1 (N x n1) and the rho columns (S_rho - S1 A11^-1 A21') A22^-1 H22
        (+ S1 A11^-1 H21'), before the scaling by N. A11 is block diagonal: the blocks of
        one size are inverted at once (A11^-1 A21' is sparse - each pair's column has the
        blocks of its two variables - but the dense product is as fast: measured)."""
        a11_inv_sc1 = np.zeros_like(self.sc1)  # S1 A11^-1
        m = np.zeros((self.n1, self.sc_rho.shape[1]))  # A11^-1 A21'
        for idx in self._blocks().values():
            block = self.sc1[:, idx].transpose(1, 0, 2)  # (V, N, size)
            inv = np.linalg.inv(block.transpose(0, 2, 1) @ block)
            a11_inv_sc1[:, idx] = (block @ inv).transpose(1, 0, 2)
            m[idx] = inv @ self.a21[:, idx].transpose(1, 2, 0)
        t_rho = self.sc_rho - self.sc1 @ m
        a22 = (self.sc_rho * self.sc_rho).sum(axis=0)
        a22_inv = np.where(a22 > 0, 1.0 / np.where(a22 > 0, a22, 1.0), 0.0)
        t_rho *= a22_inv * self.h22
        if self.h21.any():  # pairs with a continuous variable (zero for ordered pairs)
            t_rho += a11_inv_sc1 @ self.h21.T
        return a11_inv_sc1, t_rho

    def influence(self, num, th_idx) -> np.ndarray:
        """N * S B^-T H' with the mean columns' signs flipped (see the module docstring)."""
        a11_inv_sc1, t_rho = self._parts()
        out = np.hstack([a11_inv_sc1, t_rho]) * self.sc1.shape[0]
        mean_cols = np.flatnonzero(th_idx == 0)
        out[:, mean_cols] *= -1.0
        return out

    def nacov_diag(self) -> np.ndarray:
        """diag(NACOV) = column sums of influence^2 / N, without the influence matrix."""
        a11_inv_sc1, t_rho = self._parts()
        n = self.sc1.shape[0]
        sq = [np.einsum("ij,ij->j", a, a) for a in (a11_inv_sc1, t_rho)]
        return np.concatenate(sq) * n
