"""Factorability, exploratory factor analysis and common method bias.

* KMO (Kaiser 1970, 1974): MSA_i = sum_j r_ij^2 / (sum_j r_ij^2 + sum_j q_ij^2), q the partial
  (anti-image) correlations from R^-1; the overall KMO sums over all pairs (psych::KMO).
* Bartlett's (1951) test of sphericity: chi2 = -((n - 1) - (2p + 5) / 6) ln|R|,
  df = p(p - 1) / 2 (psych::cortest.bartlett).
* Parallel analysis (Horn 1965): observed eigenvalues of R (components) and of the reduced
  correlation matrix with squared multiple correlations on the diagonal (factors) against
  those of random normal data of the same size; a factor is retained while its observed
  eigenvalue exceeds the simulated mean (psych::fa.parallel's default).
* EFA by factor_analyzer (minres, ml, principal) with varimax, promax or oblimin rotation;
  the SPSS-style variance table; Harman's single-factor test (Podsakoff et al. 2003): the
  share of total variance of the first unrotated component.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError


def _corr(df: pd.DataFrame) -> np.ndarray:
    var = df.var()
    const = var[~(var > 0)]
    if len(const):
        raise InputError(
            "the item never varies: it cannot enter a factor analysis", column=str(const.index[0])
        )
    return df.corr(min_periods=2).to_numpy()  # psych: cor(x, use = "pairwise")


def _inverse(R: np.ndarray, columns) -> np.ndarray:
    eig = np.linalg.eigvalsh(R)
    if eig.min() <= 1e-10 * max(1.0, eig.max()):
        raise InputError(
            "the correlation matrix is singular (an item is a linear combination of others, "
            "or there are more items than respondents): KMO and Bartlett's test need its "
            "inverse/determinant"
        )
    return np.linalg.inv(R)


def kmo(df: pd.DataFrame) -> dict:
    """Kaiser-Meyer-Olkin measure of sampling adequacy, overall and per item (psych::KMO).

    Example:
        >>> kmo(df)["overall"]  # doctest: +SKIP
    """
    R = _corr(df)
    Ri = _inverse(R, df.columns)
    d = np.sqrt(np.diag(Ri))
    Q = -Ri / np.outer(d, d)
    np.fill_diagonal(Q, 0.0)
    R0 = R.copy()
    np.fill_diagonal(R0, 0.0)
    r2, q2 = (R0**2).sum(axis=0), (Q**2).sum(axis=0)
    items = pd.Series(r2 / (r2 + q2), index=df.columns)
    overall = float((R0**2).sum() / ((R0**2).sum() + (Q**2).sum()))
    return {"overall": overall, "items": items}


def bartlett(df: pd.DataFrame) -> dict:
    """Bartlett's test of sphericity on the correlation matrix (psych::cortest.bartlett)."""
    R = _corr(df)
    _inverse(R, df.columns)
    n, p = len(df), R.shape[0]
    _, logdet = np.linalg.slogdet(R)
    chisq = -((n - 1) - (2 * p + 5) / 6) * logdet
    dof = p * (p - 1) / 2
    return {"chisq": float(chisq), "df": float(dof), "pvalue": float(stats.chi2.sf(chisq, dof))}


def _smc_reduced(R: np.ndarray) -> np.ndarray:
    smc = 1 - 1 / np.diag(np.linalg.inv(R))
    Rr = R.copy()
    np.fill_diagonal(Rr, smc)
    return Rr


@dataclass
class ParallelResult:
    observed_components: np.ndarray
    observed_factors: np.ndarray
    simulated_components: np.ndarray  # mean over iterations
    simulated_factors: np.ndarray
    n_components: int
    n_factors: int


def _factor_eigenvalues(R: np.ndarray) -> np.ndarray:
    """Eigenvalues of R with the communalities of a one-factor minres solution on the
    diagonal (psych::fa.parallel's factor eigenvalues with SMC = FALSE)."""
    from factor_analyzer import FactorAnalyzer

    fa = FactorAnalyzer(n_factors=1, method="minres", rotation=None, is_corr_matrix=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa.fit(R)
    reduced = R.copy()
    np.fill_diagonal(reduced, fa.get_communalities())
    return np.sort(np.linalg.eigvalsh(reduced))[::-1]


def parallel_analysis(
    df: pd.DataFrame, n_iter: int = 20, seed: int | None = 0, quantile: float = 0.95
) -> ParallelResult:
    """Horn's (1965) parallel analysis as psych::fa.parallel (fa = "both", sim = TRUE): the
    observed eigenvalues of components (R) and factors (R with one-factor minres communalities)
    against the ``quantile`` of the same eigenvalues in data resampled column by column;
    retained are the leading ones above it. Seeded."""
    x = df.to_numpy(dtype=float)
    R = _corr(df)
    n, p = x.shape
    obs_c = np.sort(np.linalg.eigvalsh(R))[::-1]
    obs_f = _factor_eigenvalues(R)
    rng = np.random.default_rng(seed)
    sim_c = np.zeros((n_iter, p))
    sim_f = np.zeros((n_iter, p))
    for b in range(n_iter):
        resampled = np.column_stack([rng.choice(x[:, j], size=n, replace=True) for j in range(p)])
        Rz = pd.DataFrame(resampled).corr(min_periods=2).to_numpy()
        sim_c[b] = np.sort(np.linalg.eigvalsh(Rz))[::-1]
        sim_f[b] = _factor_eigenvalues(Rz)
    qc = np.quantile(sim_c, quantile, axis=0)
    qf = np.quantile(sim_f, quantile, axis=0)

    def count(obs, sim):
        k = 0
        while k < len(obs) and obs[k] > sim[k]:
            k += 1
        return k

    return ParallelResult(
        obs_c, obs_f, sim_c.mean(axis=0), sim_f.mean(axis=0), count(obs_c, qc), count(obs_f, qf)
    )


@dataclass
class EFAResult:
    loadings: pd.DataFrame
    communalities: pd.Series
    variance: pd.DataFrame  # ss_loadings, proportion, cumulative per factor
    phi: pd.DataFrame | None
    eigenvalues: np.ndarray
    method: str
    rotation: str | None


def _principal_axis(R: np.ndarray, k: int, max_iter: int = 50, min_err: float = 0.001):
    """Iterated principal axis factoring as psych::fa(fm = "pa"): SMCs on the diagonal, the k
    leading eigenvectors of the reduced matrix give the loadings, their row sums of squares
    the next communalities; it stops when the total communality changes by less than
    ``min_err`` and returns that step's loadings (psych's loop)."""
    reduced = R.copy()
    np.fill_diagonal(reduced, 1 - 1 / np.diag(np.linalg.inv(R)))
    total = np.trace(reduced)
    for _ in range(max_iter):
        vals, vecs = np.linalg.eigh(reduced)
        order = np.argsort(vals)[::-1][:k]
        L = vecs[:, order] * np.sqrt(np.clip(vals[order], 0, None))
        new = np.sum(L**2, axis=1)
        np.fill_diagonal(reduced, new)
        err = abs(total - new.sum())
        total = new.sum()
        if err < min_err:
            break
    return L


def efa(
    df: pd.DataFrame, n_factors: int, method: str = "minres", rotation: str | None = "varimax"
) -> EFAResult:
    """Exploratory factor analysis with factor_analyzer (listwise complete rows)."""
    from factor_analyzer import FactorAnalyzer

    data = df.dropna()
    _corr(data)
    if n_factors < 1 or n_factors >= data.shape[1]:
        raise InputError(f"the number of factors must be between 1 and {data.shape[1] - 1}")
    rot = None if rotation in (None, "none") else rotation
    if method == "principal":
        return _efa_principal_axis(data, n_factors, rot)
    fa = FactorAnalyzer(n_factors=n_factors, method=method, rotation=rot)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa.fit(data.to_numpy(dtype=float))
    names = [f"F{i + 1}" for i in range(n_factors)]
    load = pd.DataFrame(fa.loadings_, index=data.columns, columns=names)
    ss, prop, cum = fa.get_factor_variance()
    variance = pd.DataFrame({"ss_loadings": ss, "proportion": prop, "cumulative": cum}, index=names)
    phi = None
    if getattr(fa, "phi_", None) is not None:
        phi = pd.DataFrame(fa.phi_, index=names, columns=names)
    eig = np.sort(np.linalg.eigvalsh(_corr(data)))[::-1]
    return EFAResult(
        load, pd.Series(fa.get_communalities(), index=data.columns), variance, phi, eig, method, rot
    )


def _efa_principal_axis(data: pd.DataFrame, n_factors: int, rot: str | None) -> EFAResult:
    """factor_analyzer's "principal" is not psych's iterated principal axis: done here, then
    rotated with factor_analyzer's Rotator."""
    from factor_analyzer.rotator import Rotator

    names = [f"F{i + 1}" for i in range(n_factors)]
    L = _principal_axis(_corr(data), n_factors)
    phi = None
    if rot is not None and n_factors > 1:
        rotator = Rotator(method=rot)
        L = rotator.fit_transform(L)
        if getattr(rotator, "phi_", None) is not None:
            phi = pd.DataFrame(rotator.phi_, index=names, columns=names)
    ss = np.sum(L**2, axis=0)
    prop = ss / L.shape[0]
    variance = pd.DataFrame(
        {"ss_loadings": ss, "proportion": prop, "cumulative": np.cumsum(prop)}, index=names
    )
    comm = pd.Series(np.sum(L**2, axis=1), index=data.columns)
    eig = np.sort(np.linalg.eigvalsh(_corr(data)))[::-1]
    return EFAResult(
        pd.DataFrame(L, index=data.columns, columns=names),
        comm,
        variance,
        phi,
        eig,
        "principal",
        rot,
    )


def variance_explained_table(df: pd.DataFrame, result: EFAResult | None = None) -> pd.DataFrame:
    """SPSS's 'Total Variance Explained': initial eigenvalues (% and cumulative %), and the
    rotation sums of squared loadings when an EFA result is given."""
    eig = np.sort(np.linalg.eigvalsh(_corr(df.dropna())))[::-1]
    p = len(eig)
    out = pd.DataFrame(
        {"eigenvalue": eig, "percent": 100 * eig / p, "cumulative": 100 * np.cumsum(eig) / p},
        index=pd.RangeIndex(1, p + 1, name="component"),
    )
    if result is not None:
        k = len(result.variance)
        out.loc[1:k, "rotation.ss"] = result.variance["ss_loadings"].to_numpy()
        out.loc[1:k, "rotation.percent"] = 100 * result.variance["proportion"].to_numpy()
        out.loc[1:k, "rotation.cumulative"] = 100 * result.variance["cumulative"].to_numpy()
    return out


def loading_table(result: EFAResult, threshold: float = 0.40) -> pd.DataFrame:
    """Loadings sorted by their main factor, small ones blanked, cross-loadings flagged."""
    L = result.loadings
    main = L.abs().idxmax(axis=1)
    order = sorted(L.index, key=lambda i: (list(L.columns).index(main[i]), -abs(L.loc[i, main[i]])))
    shown = L.loc[order].where(L.loc[order].abs() >= threshold)
    salient = (L.loc[order].abs() >= threshold).sum(axis=1)
    shown["flag"] = np.where(
        salient == 0, "no salient loading", np.where(salient > 1, "cross-loading", "")
    )
    return shown


def harman_single_factor(df: pd.DataFrame, cutoff: float = 0.40) -> dict:
    """Harman's single-factor test: % of variance of the first unrotated component
    (Podsakoff et al. 2003; < 40% suggests no serious common method bias)."""
    eig = np.sort(np.linalg.eigvalsh(_corr(df.dropna())))[::-1]
    share = float(eig[0] / len(eig))
    return {
        "first_factor_share": share,
        "cutoff": cutoff,
        "ok": share < cutoff,
        "source": "Podsakoff, MacKenzie, Lee & Podsakoff (2003)",
    }
