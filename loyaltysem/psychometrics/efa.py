"""Factorability, parallel analysis, exploratory factor analysis and common method bias,
agreeing with R's psych (``KMO``, ``cortest.bartlett``, ``fa.parallel``, ``fa``).

Formulas and sources
* KMO (Kaiser 1970, 1974): MSA_i = sum_j r_ij^2 / (sum_j r_ij^2 + sum_j q_ij^2), q the partial
  (anti-image) correlations from R^-1; the overall KMO sums over all pairs (``psych::KMO``).
* Bartlett's (1951) test of sphericity: chi2 = -((n - 1) - (2p + 5) / 6) ln|R|,
  df = p(p - 1) / 2 (``psych::cortest.bartlett``).
* Parallel analysis (Horn 1965) as ``psych::fa.parallel(fa = "both", fm = "minres")`` on raw
  data: component eigenvalues are those of R; factor eigenvalues are those of R with the
  communalities of a one-factor minres solution on its diagonal (psych's default
  ``SMC = FALSE``; *not* the SMC-reduced matrix). Both are compared with the ``quant`` (0.95)
  quantile of the same eigenvalues in data resampled column by column (psych's decision rule
  when raw data are given); the count is the number of leading observed eigenvalues above it.
* Extraction as ``psych::fa``: minres (Harman 1960; psych's objective: the sum of squared
  residuals of R with 1 - psi on the diagonal, over the uniquenesses psi in [.005, 1], with
  psych's analytic gradient), maximum likelihood (Joreskog 1967; the ``factanal`` objective)
  and iterated principal axis (``fm = "pa"``: SMCs as starting communalities, iterated until
  the total communality changes by less than .001).
* Rotations (``rotation.py``, step for step as R computes them): varimax (Kaiser 1958,
  ``stats::varimax`` with Kaiser normalization), promax (Hendrickson & White 1964, psych's
  Kaiser row normalization, power 4) and oblimin (gradient projection, Jennrich 2002 /
  Bernaards & Jennrich 2005, ``GPArotation::oblimin``, gamma 0, its stopping rule).
  Factors are then signed and ordered as psych does (positive column sums, decreasing variance
  accounted for, diag(Phi L'L) for oblique rotations).
* Harman's single-factor test (Podsakoff, MacKenzie, Lee & Podsakoff 2003): the share of the
  total variance taken by the first unrotated factor.
* Missing answers: one rule for KMO, Bartlett, parallel analysis, the EFA, its variance table
  and the scree plot (``descriptives.apply_missing_rule``): psych's default
  ``use = "pairwise"`` (each correlation from the rows that answered both items; n = all
  rows: Bartlett's n and ``fa()``'s ``n.obs`` are ``nrow(x)``), or ``missing="listwise"``
  (psych on the complete rows). Every result carries ``missing`` and ``n``.

Details of psych that loyaltysem follows (``tests/test_efa.py`` compares the results with
psych's): principal axis is iterated; factors are signed and ordered after the rotation, Phi
with them; communalities after an oblique rotation are those of the unrotated solution
(= diag(P Phi P')), not the row sums of squared pattern loadings; the SS loadings of an
oblique solution are diag(Phi L'L); minres and ML use psych's analytic gradients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

from loyaltysem.base.blas import single_threaded
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice, prefixed
from loyaltysem.base.result import ResultMixin
from loyaltysem.psychometrics.descriptives import apply_missing_rule
from loyaltysem.psychometrics.rotation import rotate

METHODS = ("minres", "ml", "principal")
ROTATIONS = ("varimax", "promax", "oblimin", "none")
HARMAN_SOURCE = "Podsakoff, MacKenzie, Lee & Podsakoff (2003); 周浩 & 龙立荣 (2004)"


# --------------------------------------------------------------------------- input checks
def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError("expected a DataFrame with one column per item")
    if df.shape[1] < 2:
        raise InputError(
            "a factor analysis needs at least two items",
            column=str(df.columns[0]) if df.shape[1] else None,
        )
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise InputError("the item is not numeric", column=str(bad[0]))
    return df.astype(float)


def _corr(df: pd.DataFrame) -> np.ndarray:
    """Pairwise Pearson correlations (psych: ``cor(x, use = "pairwise")``), refusing constant
    items and pairs of items never answered together."""
    df = _numeric(df)
    var = df.var()
    const = var[~(var > 0)]
    if len(const):
        raise InputError(
            "the item never varies (or has fewer than two answers): it cannot enter a "
            "correlation-based analysis; drop it",
            column=str(const.index[0]),
        )
    R = df.corr(min_periods=2).to_numpy()
    if np.isnan(R).any():
        i, j = np.argwhere(np.isnan(R))[0]
        raise InputError(
            f"items {df.columns[i]} and {df.columns[j]} have fewer than two answers in common: "
            "their correlation is undefined",
            column=str(df.columns[i]),
        )
    return R


def _check_not_singular(
    R: np.ndarray, columns, what: str = "this analysis", info: dict | None = None
) -> None:
    vals, vecs = np.linalg.eigh(R)
    if vals[0] > 1e-8 * max(1.0, vals[-1]):
        return
    incomplete = info and info["missing"] == "pairwise" and info["n_complete"] < info["n_rows"]
    if incomplete and vals[0] < -1e-8 * max(1.0, vals[-1]):
        raise InputError(
            f"the pairwise correlation matrix is not positive definite (smallest eigenvalue "
            f"{vals[0]:.2g}): correlations from different subsets of incomplete rows need "
            f"not fit together, and {what} needs its inverse. Use --missing listwise "
            "(missing='listwise'), or drop the items with the most missing answers"
        )
    v = np.abs(vecs[:, 0])
    involved = [str(columns[i]) for i in np.argsort(-v) if v[i] > 0.1 * v.max()][:6]
    raise InputError(
        f"the correlation matrix is singular (smallest eigenvalue {vals[0]:.2g}): items "
        f"{', '.join(involved)} are (nearly) linearly dependent, or there are fewer respondents "
        f"than items; {what} needs its inverse. Drop one of the dependent items"
    )


def _smc(R: np.ndarray) -> np.ndarray:
    return 1 - 1 / np.diag(np.linalg.inv(R))


# --------------------------------------------------------------------------- KMO, Bartlett
@single_threaded
def kmo(df: pd.DataFrame, missing: str = "pairwise") -> dict:
    """Kaiser-Meyer-Olkin measure of sampling adequacy, overall and per item (MSA).

    Formula: MSA_i = sum_j r_ij^2 / (sum_j r_ij^2 + sum_j q_ij^2), q the anti-image (partial)
    correlations -R^-1_ij / sqrt(R^-1_ii R^-1_jj) (Kaiser 1970, 1974; ``psych::KMO``; pairwise
    correlations by default, ``missing="listwise"`` for the complete rows). Cut-off: > .70,
    >= .60 minimum (Kaiser 1974).

    Returns ``{"overall": float, "items": Series, "missing": rule, "n": rows used}``.

    Example:
        >>> import numpy as np, pandas as pd
        >>> x = np.random.default_rng(1).normal(size=(200, 1))
        >>> d = pd.DataFrame(x + np.random.default_rng(2).normal(size=(200, 4)))
        >>> 0.5 < kmo(d)["overall"] < 1
        True
    """
    df, info = apply_missing_rule(_numeric(df), missing)
    R = _corr(df)
    _check_not_singular(R, df.columns, "KMO", info)
    Ri = np.linalg.inv(R)
    d = np.sqrt(np.diag(Ri))
    Q = -Ri / np.outer(d, d)
    np.fill_diagonal(Q, 0.0)
    R0 = R.copy()
    np.fill_diagonal(R0, 0.0)
    r2, q2 = (R0**2).sum(axis=0), (Q**2).sum(axis=0)
    items = pd.Series(r2 / (r2 + q2), index=df.columns, name="MSA")
    overall = float((R0**2).sum() / ((R0**2).sum() + (Q**2).sum()))
    return {"overall": overall, "items": items, "missing": info["missing"], "n": info["n"]}


@single_threaded
def bartlett(df: pd.DataFrame, missing: str = "pairwise") -> dict:
    """Bartlett's (1951) test of sphericity (is R an identity matrix?).

    Formula: chi2 = -((n - 1) - (2p + 5) / 6) ln|R|, df = p(p - 1) / 2, with n the number of
    rows and R the pairwise correlation matrix (``psych::cortest.bartlett(x)`` on raw data:
    ``n = nrow(x)``, ``cor(x, use = "pairwise")``); ``missing="listwise"``: the complete rows.
    Cut-off: p < .05.

    Example:
        >>> import numpy as np, pandas as pd
        >>> d = pd.DataFrame(np.random.default_rng(0).normal(size=(100, 3)))
        >>> sorted(bartlett(d))
        ['chisq', 'df', 'missing', 'n', 'pvalue']
    """
    df, info = apply_missing_rule(_numeric(df), missing)
    R = _corr(df)
    _check_not_singular(R, df.columns, "Bartlett's test", info)
    n, p = len(df), R.shape[0]
    _, logdet = np.linalg.slogdet(R)
    chisq = -((n - 1) - (2 * p + 5) / 6) * logdet
    dof = p * (p - 1) // 2
    return {
        "chisq": float(chisq),
        "df": int(dof),
        "pvalue": float(stats.chi2.sf(chisq, dof)),
        "n": n,
        "missing": info["missing"],
    }


# --------------------------------------------------------------------------- extraction
def _top_eig(S: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    vals, vecs = np.linalg.eigh(S)
    return vals[::-1][:k], vecs[:, ::-1][:, :k]


def _minres_loadings(psi: np.ndarray, R: np.ndarray, k: int) -> np.ndarray:
    S = R.copy()
    np.fill_diagonal(S, 1 - psi)
    vals, vecs = _top_eig(S, k)
    return vecs * np.sqrt(np.maximum(vals, 0))


def _minres_obj(psi: np.ndarray, R: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """psych's ``fit.residuals`` (fm = "minres") and its gradient ``FAgr``."""
    S = R.copy()
    np.fill_diagonal(S, 1 - psi)
    vals, vecs = _top_eig(S, k)
    vals_obj = np.maximum(vals, 100 * np.finfo(float).eps)
    L = vecs * np.sqrt(vals_obj)
    f = float(np.sum((S - L @ L.T) ** 2))
    Lg = vecs * np.sqrt(np.maximum(vals, 0))
    grad = np.sum(Lg**2, axis=1) + psi - np.diag(R)
    return f, grad


def _ml_obj(psi: np.ndarray, R: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """The ``factanal`` / psych ``FAfn`` ML objective and its gradient ``FAgr``."""
    sc = 1 / np.sqrt(psi)
    Sstar = R * np.outer(sc, sc)
    vals, vecs = np.linalg.eigh(Sstar)
    vals, vecs = vals[::-1], vecs[:, ::-1]
    e = vals[k:]
    f = float(-(np.sum(np.log(e) - e) - k + R.shape[0]))
    load = vecs[:, :k] * np.sqrt(np.maximum(vals[:k] - 1, 0))
    load = load * np.sqrt(psi)[:, None]
    grad = (np.sum(load**2, axis=1) + psi - np.diag(R)) / psi**2
    return f, grad


def _ml_loadings(psi: np.ndarray, R: np.ndarray, k: int) -> np.ndarray:
    sc = 1 / np.sqrt(psi)
    vals, vecs = _top_eig(R * np.outer(sc, sc), k)
    return np.sqrt(psi)[:, None] * vecs * np.sqrt(np.maximum(vals - 1, 0))


def _fit_uniquenesses(R: np.ndarray, k: int, method: str) -> tuple[np.ndarray, bool]:
    p = R.shape[0]
    if method == "ml":
        start = (1 - 0.5 * k / p) / np.diag(np.linalg.inv(R))  # psych / factanal
        fun = _ml_obj
    else:
        start = 1 - _smc(R)  # psych: diag(S) - smc(S)
        fun = _minres_obj
    start = np.clip(start, 0.005, 1.0)
    res = optimize.minimize(
        fun,
        start,
        args=(R, k),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * p,
        options={"maxiter": 1000, "ftol": 1e-12, "gtol": 1e-8},
    )
    return res.x, bool(res.success)


def _principal_axis(R: np.ndarray, k: int, max_iter: int = 50, min_err: float = 0.001):
    """Iterated principal axis as psych::fa(fm = "pa"): SMCs on the diagonal; the k leading
    eigenvectors of the reduced matrix give the loadings and their row sums of squares the
    next communalities, until the total communality changes by less than ``min_err``."""
    reduced = R.copy()
    np.fill_diagonal(reduced, _smc(R))
    total = np.trace(reduced)
    converged = False
    for _ in range(max_iter):
        vals, vecs = _top_eig(reduced, k)
        L = vecs * np.sqrt(np.clip(vals, 0, None))
        new = np.sum(L**2, axis=1)
        np.fill_diagonal(reduced, new)
        err = abs(total - new.sum())
        total = new.sum()
        if err < min_err:
            converged = True
            break
    return L, converged


def _extract(R: np.ndarray, k: int, method: str) -> tuple[np.ndarray, bool]:
    if method == "principal":
        return _principal_axis(R, k)
    psi, ok = _fit_uniquenesses(R, k, method)
    L = _ml_loadings(psi, R, k) if method == "ml" else _minres_loadings(psi, R, k)
    return L, ok


def _rotate(
    L: np.ndarray, rotation: str | None, msgs: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The rotated loadings and Phi (None when orthogonal) as psych::fa rotates them (see
    ``rotation.rotate``); a rotation that did not converge is noted in ``msgs``."""
    if rotation is None or L.shape[1] < 2:
        return L, None
    res = rotate(L, rotation)
    if not res.converged and msgs is not None:
        msg = f"{res.method} rotation did not converge in {res.iterations} iterations"
        msgs.append(
            Notice("efa.rotation_not_converged", msg, method=res.method, k=int(res.iterations))
        )
    return res.loadings.to_numpy(), None if res.phi is None else res.phi.to_numpy()


def _psych_order(L: np.ndarray, phi: np.ndarray | None):
    """psych::fa's convention: flip signs so every column sums to >= 0, then order the
    factors by decreasing variance accounted for (diag(Phi L'L) when oblique)."""
    sign = np.sign(L.sum(axis=0))
    sign[sign == 0] = 1
    L = L * sign
    if phi is not None:
        phi = phi * np.outer(sign, sign)
    if L.shape[1] > 1:
        ev = np.diag(L.T @ L) if phi is None else np.diag(phi @ L.T @ L)
        order = np.argsort(-ev, kind="stable")
        L = L[:, order]
        if phi is not None:
            phi = phi[np.ix_(order, order)]
    return L, phi


@dataclass
class EFAResult(ResultMixin):
    """An exploratory factor analysis (see :func:`efa`).

    ``loadings`` (pattern matrix when oblique), ``structure`` (= P Phi), ``unrotated`` loadings,
    ``communalities`` and ``uniquenesses`` per item, ``variance`` per factor (psych's
    Vaccounted: ss_loadings, proportion, cumulative), ``phi`` (factor correlations, oblique
    rotations only), ``eigenvalues`` of the correlation matrix the factors were extracted
    from, ``n`` rows used (psych's ``n.obs``), ``missing`` (the rule: "pairwise", psych's
    default, or "listwise"), ``item_n`` (answers per item in those rows) and
    ``pairwise_n_min`` (fewest rows behind one correlation; psych's ``min(np.obs)``).
    """

    loadings: pd.DataFrame
    communalities: pd.Series
    variance: pd.DataFrame
    phi: pd.DataFrame | None
    eigenvalues: np.ndarray
    method: str
    rotation: str | None
    unrotated: pd.DataFrame | None = None
    structure: pd.DataFrame | None = None
    uniquenesses: pd.Series | None = None
    n: int = 0
    warnings: list[str] = field(default_factory=list)
    missing: str | None = None  # "pairwise" or "listwise"; None: not stated by the maker
    item_n: pd.Series | None = None
    pairwise_n_min: int | None = None
    #: set by ``loyaltysem.efa()``: the parallel analysis, KMO and Bartlett's test
    parallel: ParallelResult | None = None
    kmo: dict | None = None
    bartlett: dict | None = None

    _main = "loadings"  # class attributes (no annotation): not fields
    _key = ("loadings", "variance")

    def _headline(self) -> str:
        k = self.loadings.shape[1]
        head = f"EFA ({self.method}, {self.rotation or 'unrotated'}): {k} factors, n = {self.n}"
        if self.kmo is not None:
            head += f"; KMO = {self.kmo['overall']:.3f}"
        if self.bartlett is not None:
            b = self.bartlett
            head += f"; Bartlett chi2 = {b['chisq']:.1f}, df = {b['df']:.0f}, p = {b['pvalue']:.3g}"
        if self.parallel is not None:
            head += f"; parallel analysis: {self.parallel.n_factors} factors"
        return head

    def plot(self, path: str | Path | None = None):
        """The scree plot with the parallel analysis's resampled eigenvalues (needs
        ``parallel``, as ``loyaltysem.efa()`` fills it). Returns a matplotlib Figure.

        Example:
            >>> fig = ls.efa(survey).plot()  # doctest: +SKIP
        """
        if self.parallel is None:
            raise ValueError("the scree plot needs the parallel analysis: use loyaltysem.efa()")
        return scree_plot(self.parallel, path)


def max_ml_factors(p: int) -> int:
    """The most factors maximum likelihood factor analysis identifies from ``p`` variables:
    the largest k with (p - k)^2 >= p + k, i.e. degrees of freedom ((p - k)^2 - (p + k)) / 2
    not negative (Lawley & Maxwell 1971; the Ledermann bound).

    Example:
        >>> max_ml_factors(39), max_ml_factors(6)
        (30, 3)
    """
    return max((k for k in range(p) if (p - k) ** 2 >= p + k), default=0)


def _checked_input(
    df: pd.DataFrame, n_factors, method: str, rotation: str | None, missing: str
) -> tuple[str | None, pd.DataFrame, dict, int]:
    """``efa``'s arguments checked: the rotation (None for "none"), the items under the
    missing-data rule with its info, and the number of factors (1 to p - 1; for ML at most
    :func:`max_ml_factors`)."""
    if method not in METHODS:
        raise InputError(f"unknown extraction method '{method}': use one of {', '.join(METHODS)}")
    rot = None if rotation in (None, "none") else rotation
    if rot is not None and rot not in ROTATIONS:
        raise InputError(f"unknown rotation '{rotation}': use one of {', '.join(ROTATIONS)}")
    data, info = apply_missing_rule(_numeric(df), missing)
    p = data.shape[1]
    try:
        k = int(n_factors)
    except (TypeError, ValueError):
        raise InputError(
            f"the number of factors must be a whole number, not {n_factors!r}"
        ) from None
    if k < 1 or k >= p:
        raise InputError(f"the number of factors must be between 1 and {p - 1} (got {k})")
    if method == "ml" and (p - k) ** 2 < p + k:
        raise InputError(
            f"{k} factors are more than maximum likelihood can identify from {p} items: at most "
            f"{max_ml_factors(p)}, the largest k with (p - k)^2 >= p + k (non-negative degrees "
            "of freedom, Lawley & Maxwell 1971); ask for fewer factors or use minres"
        )
    if len(data) < 3:
        raise InputError(f"fewer than three rows ({missing}): no factor analysis is possible")
    return rot, data, info, k


@single_threaded
def efa(
    df: pd.DataFrame,
    n_factors: int,
    method: str = "minres",
    rotation: str | None = "varimax",
    missing: str = "pairwise",
) -> EFAResult:
    """Exploratory factor analysis of the items in ``df`` as ``psych::fa``.

    ``method``: "minres" (psych's default), "ml" or "principal" (iterated principal axis,
    psych's ``fm = "pa"``); ``rotation``: "varimax", "promax", "oblimin" or None/"none".
    Loadings are signed and ordered as psych orders them; oblique rotations give ``phi``.
    ``missing="pairwise"`` (psych's default ``use = "pairwise"``): the correlations of all
    rows, each from the rows that answered both items, ``n`` = all rows (psych's ``n.obs``);
    ``"listwise"``: only the complete rows (as SPSS's default and psych on
    ``x[complete.cases(x), ]``).
    Formula sources: see the module docstring.

    Example:
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> f = rng.normal(size=(300, 2))
        >>> e = rng.normal(size=(300, 6))
        >>> x = np.hstack([f[:, [0]] + e[:, :3], f[:, [1]] + e[:, 3:]])
        >>> res = efa(pd.DataFrame(x, columns=list("abcdef")), 2, "minres", "oblimin")
        >>> res.loadings.shape, res.phi.shape
        ((6, 2), (2, 2))
    """
    rot, data, info, k = _checked_input(df, n_factors, method, rotation, missing)
    p = data.shape[1]
    R = _corr(data)
    _check_not_singular(R, data.columns, "factor analysis", info)
    L0, converged = _extract(R, k, method)
    L0, _ = _psych_order(L0, None)
    msgs = [prefixed("EFA", info["message"])] if info["message"] else []
    if not converged:
        msg = f"{method} extraction did not converge"
        msgs.append(Notice("efa.not_converged", msg, method=method))
    L, phi = _rotate(L0, rot, msgs)
    L, phi = _psych_order(L, phi)
    names = [f"F{i + 1}" for i in range(k)]
    h2 = np.sum(L0**2, axis=1)
    ev = np.diag(L.T @ L) if phi is None else np.diag(phi @ L.T @ L)
    prop = ev / p
    variance = pd.DataFrame(
        {"ss_loadings": ev, "proportion": prop, "cumulative": np.cumsum(prop)}, index=names
    )
    for item, h in zip(data.columns, h2, strict=True):
        if h >= 0.995 - 1e-6:
            msg = (
                f"item {item}: communality {h:.3f} >= .995 (Heywood case; the solution may be "
                "improper)"
            )
            msgs.append(Notice("efa.heywood", msg, item=str(item), h=float(h)))
    phi_df = None if phi is None else pd.DataFrame(phi, index=names, columns=names)
    structure = L @ phi if phi is not None else L
    return EFAResult(
        loadings=pd.DataFrame(L, index=data.columns, columns=names),
        communalities=pd.Series(h2, index=data.columns, name="communality"),
        variance=variance,
        phi=phi_df,
        eigenvalues=np.linalg.eigvalsh(R)[::-1],
        method=method,
        rotation=rot,
        unrotated=pd.DataFrame(L0, index=data.columns, columns=names),
        structure=pd.DataFrame(structure, index=data.columns, columns=names),
        uniquenesses=pd.Series(1 - h2, index=data.columns, name="uniqueness"),
        n=info["n"],
        warnings=msgs,
        missing=info["missing"],
        item_n=pd.Series(info["item_n"], name="n"),
        pairwise_n_min=info["pairwise_n_min"],
    )


# --------------------------------------------------------------------------- parallel analysis
def _factor_eigenvalues(R: np.ndarray) -> np.ndarray:
    """Eigenvalues of R with the communalities of a one-factor minres solution on the
    diagonal: ``fa(R, nfactors = 1, fm = "minres")$values`` in psych."""
    try:
        psi, _ = _fit_uniquenesses(R, 1, "minres")
    except np.linalg.LinAlgError:
        psi = np.full(R.shape[0], 0.5)
    L = _minres_loadings(psi, R, 1)
    S = R.copy()
    np.fill_diagonal(S, np.sum(L**2, axis=1))
    return np.linalg.eigvalsh(S)[::-1]


@dataclass
class ParallelResult(ResultMixin):
    """Parallel analysis (see :func:`parallel_analysis`). ``eigenvalues`` has one row per
    position: observed, resampled mean and resampled quantile, for components and factors."""

    observed_components: np.ndarray
    observed_factors: np.ndarray
    simulated_components: np.ndarray  # mean over the resampled data sets
    simulated_factors: np.ndarray
    n_components: int
    n_factors: int
    quantile_components: np.ndarray | None = None
    quantile_factors: np.ndarray | None = None
    n_iter: int = 0
    quantile: float = 0.95
    seed: int | None = None
    missing: str = "pairwise"
    n: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"eigenvalues": self.eigenvalues}

    def _headline(self) -> str:
        return (
            f"Parallel analysis ({self.n_iter} resampled data sets, n = {self.n}): "
            f"{self.n_factors} factors, {self.n_components} components"
        )

    def plot(self, path: str | Path | None = None):
        """The scree plot (observed and resampled eigenvalues). Returns a matplotlib Figure."""
        return scree_plot(self, path)

    @property
    def eigenvalues(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "observed_pc": self.observed_components,
                "mean_pc": self.simulated_components,
                "quantile_pc": self.quantile_components,
                "observed_fa": self.observed_factors,
                "mean_fa": self.simulated_factors,
                "quantile_fa": self.quantile_factors,
            },
            index=pd.RangeIndex(1, len(self.observed_components) + 1, name="position"),
        )


def _leading_above(obs: np.ndarray, threshold: np.ndarray) -> int:
    above = obs > threshold
    return int(len(obs) if above.all() else np.argmin(above))


@single_threaded
def parallel_analysis(
    df: pd.DataFrame,
    n_iter: int = 50,
    seed: int | None = 0,
    quantile: float = 0.95,
    missing: str = "pairwise",
) -> ParallelResult:
    """Horn's (1965) parallel analysis as ``psych::fa.parallel(x, fm = "minres", fa = "both")``.

    Observed eigenvalues of the components (R) and factors (R with one-factor minres
    communalities on the diagonal, psych's ``SMC = FALSE`` default) are compared with the
    ``quantile`` (psych's ``quant = .95``) of the same eigenvalues over ``n_iter`` data sets
    resampled column by column with replacement (psych's rule for raw data; pairwise
    correlations of all rows, psych's ``use = "pairwise"``, or the complete rows only with
    ``missing="listwise"``). The suggested numbers are the leading observed eigenvalues
    above it.
    Seeded (numpy's PCG64), so the result repeats; psych's default is 20 iterations, 50 makes the
    count steadier.

    Example:
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> f = rng.normal(size=(300, 2))
        >>> e = rng.normal(size=(300, 6))
        >>> x = np.hstack([f[:, [0]] + e[:, :3], f[:, [1]] + e[:, 3:]])
        >>> parallel_analysis(pd.DataFrame(x), n_iter=20, seed=1).n_factors
        2
    """
    X, info = apply_missing_rule(_numeric(df), missing)
    R = _corr(X)
    _check_not_singular(R, X.columns, "parallel analysis", info)
    x = X.to_numpy()
    n, p = x.shape
    has_na = bool(np.isnan(x).any())
    obs_c = np.linalg.eigvalsh(R)[::-1]
    obs_f = _factor_eigenvalues(R)
    rng = np.random.default_rng(seed)
    sim_c = np.zeros((n_iter, p))
    sim_f = np.zeros((n_iter, p))
    b = 0
    tries = 0
    while b < n_iter:
        tries += 1
        if tries > 20 * n_iter + 100:
            raise InputError("parallel analysis: resampled data keep giving undefined correlations")
        idx = rng.integers(0, n, size=(n, p))
        draw = np.take_along_axis(x, idx, axis=0)
        if has_na:
            Rz = pd.DataFrame(draw).corr(min_periods=2).to_numpy()
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                Rz = np.corrcoef(draw, rowvar=False)
        if np.isnan(Rz).any():
            continue  # psych redraws such samples
        sim_c[b] = np.linalg.eigvalsh(Rz)[::-1]
        sim_f[b] = _factor_eigenvalues(Rz)
        b += 1
    qc = np.quantile(sim_c, quantile, axis=0)
    qf = np.quantile(sim_f, quantile, axis=0)
    return ParallelResult(
        observed_components=obs_c,
        observed_factors=obs_f,
        simulated_components=sim_c.mean(axis=0),
        simulated_factors=sim_f.mean(axis=0),
        n_components=_leading_above(obs_c, qc),
        n_factors=_leading_above(obs_f, qf),
        quantile_components=qc,
        quantile_factors=qf,
        n_iter=n_iter,
        quantile=quantile,
        seed=seed,
        missing=info["missing"],
        n=info["n"],
    )


def scree_plot(parallel_result: ParallelResult, path: str | Path | None = None, *, title=None):
    """Scree plot: observed component and factor eigenvalues beside the resampled ones
    (means, and the quantile used for the decision), with Kaiser's eigenvalue-1 line.
    Saved to ``path`` when given (PNG/SVG/PDF by suffix). Returns the matplotlib Figure.

    Example:
        >>> fig = scree_plot(parallel_analysis(df))  # doctest: +SKIP
    """
    from loyaltysem.base import plotting

    pr = parallel_result
    fig = plotting.figure(6.5, 4.2)
    ax = fig.add_subplot(111)
    k = np.arange(1, len(pr.observed_components) + 1)
    ax.plot(k, pr.observed_components, "o-", color="C0", label="PC, observed")
    ax.plot(k, pr.simulated_components, "--", color="C0", label="PC, resampled (mean)")
    ax.plot(k, pr.observed_factors, "^-", color="C1", label="FA, observed")
    ax.plot(k, pr.simulated_factors, "--", color="C1", label="FA, resampled (mean)")
    if pr.quantile_components is not None:
        ax.plot(
            k,
            pr.quantile_components,
            ":",
            color="C0",
            lw=1,
            label=f"PC, resampled ({100 * pr.quantile:g}th pct.)",
        )
        ax.plot(
            k,
            pr.quantile_factors,
            ":",
            color="C1",
            lw=1,
            label=f"FA, resampled ({100 * pr.quantile:g}th pct.)",
        )
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xlabel("factor / component number")
    ax.set_ylabel("eigenvalue")
    ax.set_title(
        title or f"Parallel analysis: {pr.n_factors} factors, {pr.n_components} components"
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    if path is not None:
        plotting.save(fig, path, dpi=150, bbox_inches="tight")
    return fig


# --------------------------------------------------------------------------- tables
def variance_explained_table(
    df: pd.DataFrame | None = None, result: EFAResult | None = None, missing: str = "pairwise"
) -> pd.DataFrame:
    """SPSS's "Total Variance Explained": initial eigenvalues of R with % of variance and
    cumulative %; with an EFA ``result`` also the extraction sums of squared loadings
    (unrotated) and the rotation sums of squared loadings (psych's "SS loadings":
    diag(Phi L'L) when oblique, for which SPSS prints only the totals; loyaltysem gives psych's
    proportions there too). Percentages are of the number of items. With a ``result`` the
    eigenvalues are the EFA's own (the matrix its factors came from, under its missing-data
    rule; the same as the scree plot's under the same rule); without one they come from
    ``df`` under ``missing`` (pairwise, psych's default, or listwise).

    Example:
        >>> variance_explained_table(X, efa(X, 3)).loc[1:3]  # doctest: +SKIP
    """
    if result is not None:
        eig = np.asarray(result.eigenvalues)
    elif df is not None:
        data, _ = apply_missing_rule(_numeric(df), missing)
        eig = np.linalg.eigvalsh(_corr(data))[::-1]
    else:
        raise InputError("variance_explained_table needs the data or an EFA result")
    p = len(eig)
    out = pd.DataFrame(
        {"eigenvalue": eig, "percent": 100 * eig / p, "cumulative": 100 * np.cumsum(eig) / p},
        index=pd.RangeIndex(1, p + 1, name="component"),
    )
    if result is not None:
        k = len(result.variance)
        if result.unrotated is not None:
            ext = np.sum(result.unrotated.to_numpy() ** 2, axis=0)
            out.loc[1:k, "extraction.ss"] = ext
            out.loc[1:k, "extraction.percent"] = 100 * ext / p
            out.loc[1:k, "extraction.cumulative"] = 100 * np.cumsum(ext) / p
        out.loc[1:k, "rotation.ss"] = result.variance["ss_loadings"].to_numpy()
        out.loc[1:k, "rotation.percent"] = 100 * result.variance["proportion"].to_numpy()
        out.loc[1:k, "rotation.cumulative"] = 100 * result.variance["cumulative"].to_numpy()
    return out


def loading_table(
    result: EFAResult, threshold: float = 0.40, cross_threshold: float | None = None
) -> pd.DataFrame:
    """The rotated loading (pattern) matrix for a thesis: items sorted by the factor of their
    largest absolute loading and, within it, by that loading (SPSS "sorted by size"); loadings
    below ``threshold`` in absolute value blanked (NaN); column ``flag`` says
    "cross-loading" when an item loads >= ``cross_threshold`` (default: ``threshold``) on two
    or more factors, "no salient loading" when none reaches ``threshold``.

    Example:
        >>> loading_table(efa(X, 3, rotation="promax"), threshold=.5)  # doctest: +SKIP
    """
    L = result.loadings
    cross = threshold if cross_threshold is None else cross_threshold
    main = L.abs().idxmax(axis=1)
    cols = list(L.columns)
    order = sorted(L.index, key=lambda i: (cols.index(main[i]), -abs(L.loc[i, main[i]])))
    Ls = L.loc[order]
    shown = Ls.where(Ls.abs() >= threshold)
    salient = (Ls.abs() >= threshold).sum(axis=1)
    crossing = (Ls.abs() >= cross).sum(axis=1)
    shown["flag"] = np.where(
        salient == 0, "no salient loading", np.where(crossing > 1, "cross-loading", "")
    )
    return shown


def harman_single_factor(
    df: pd.DataFrame, cutoff: float = 0.40, method: str = "pca", missing: str = "pairwise"
) -> dict:
    """Harman's single-factor test for common method bias: the share of the total variance
    of all items taken by the first unrotated factor (Podsakoff et al. 2003).

    ``method="pca"`` (default; what SPSS users run: unrotated principal components) uses the
    first eigenvalue of R over the number of items; ``"minres"``/``"ml"``/``"principal"``
    use the sum of squared loadings of a one-factor solution. Below ``cutoff`` (.40; some use
    .50) no single factor dominates. Missing answers as the EFA: pairwise correlations of all
    rows (psych's default) or ``missing="listwise"``.

    Example:
        >>> harman_single_factor(X)["first_factor_share"]  # doctest: +SKIP
    """
    data, info = apply_missing_rule(_numeric(df), missing)
    R = _corr(data)
    eig = np.linalg.eigvalsh(R)[::-1]
    p = len(eig)
    if method == "pca":
        first = eig[0]
    else:
        first = float(efa(data, 1, method, None, missing).variance["ss_loadings"].iloc[0])
    share = float(first / p)
    return {
        "first_factor_share": share,
        "percent": 100 * share,
        "n_eigen_gt1": int(np.sum(eig > 1)),
        "method": method,
        "cutoff": cutoff,
        "ok": share < cutoff,
        "source": HARMAN_SOURCE,
        "n": info["n"],
        "missing": info["missing"],
    }
