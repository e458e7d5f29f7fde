"""Reliability and validity of the constructs, agreeing with R's psych and semTools.

Formulas and sources
* alpha = k / (k - 1) (1 - tr(C) / 1'C1) (Cronbach 1951) from the pairwise covariance matrix C,
  standardized alpha = k rbar / (1 + (k - 1) rbar) from the mean inter-item correlation
  (``psych::alpha``).
* Confidence intervals of alpha: Feldt (Feldt, Woodruff & Salih 1987):
  1 - (1 - alpha) F_{1 - a/2} and 1 - (1 - alpha) F_{a/2} with (n - 1, (n - 1)(k - 1)) df; and
  Duhachek & Iacobucci (2004): alpha -/+ 1.96 ASE with psych's ASE = sqrt(Q / n). Both as
  ``psych::alpha`` (``$feldt`` and the "Duhachek" line of its print-out), n = number of rows.
* Missing answers: one rule for every statistic here and in ``efa`` (see
  ``descriptives.apply_missing_rule``): psych's default ``use = "pairwise"`` (covariances from
  the rows that answered both items, n = all rows, per-item n = answers to the item), or
  ``missing="listwise"`` (psych on the complete rows; in :func:`reliability_table` the rows
  that answered every item of every construct, so all constructs share one N).
* CITC = psych's ``r.drop``: the correlation of an item with the sum of the other items;
  alpha if item deleted = raw alpha of the other items (``psych::alpha``'s ``alpha.drop``).
* omega total from the data: one-factor minres solution, omega_t = 1 - sum(1 - h2) / 1'R1
  (McDonald 1999; ``psych::omega(x, nfactors = 1)$omega.tot``).
* CR = (sum l)^2 / ((sum l)^2 + sum (1 - l^2)), AVE = mean l^2 with standardized loadings l
  (Fornell & Larcker 1981); MaxR(H) = 1 / (1 + 1 / sum(l^2 / (1 - l^2))) (Hancock & Mueller
  2001).
* omega from the CFA: (sum lambda)^2 psi / (1'S1) with unstandardized loadings lambda, factor
  variance psi and the observed covariance matrix S (``semTools::compRelSEM``, its default
  ``obs.var = TRUE``), or over the model-implied variance (sum lambda)^2 psi + sum theta
  (+ 2 sum of residual covariances) without S (``obs.var = FALSE``).
* HTMT: mean heterotrait-heteromethod correlation over the geometric mean of the mean
  monotrait-heteromethod correlations (Henseler, Ringle & Sarstedt 2015); HTMT2 uses geometric
  means of the correlations (Roemer, Schuberth & Henseler 2021); listwise correlations, absolute
  values, as ``semTools::htmt``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.dist import norm_ppf
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice, prefixed
from loyaltysem.base.result import ResultMixin
from loyaltysem.psychometrics.descriptives import apply_missing_rule
from loyaltysem.psychometrics.keying import keying_notices

# statistic -> (cut-off, rule, source)
CUTOFFS = {
    "alpha": (0.70, ">= .70 (>= .80 good)", "Nunnally (1978)"),
    "cr": (0.70, ">= .70", "Hair et al. (2019); Bagozzi & Yi (1988) accept .60"),
    "ave": (0.50, ">= .50", "Fornell & Larcker (1981)"),
    "citc": (0.50, ">= .50 (some use .40 or .30)", "common rule; Churchill (1979)"),
    "alpha.if.deleted": (None, "not above the construct's alpha", "common rule"),
    "htmt": (0.85, "< .85 strict, < .90 liberal", "Henseler, Ringle & Sarstedt (2015)"),
    "fornell_larcker": (None, "sqrt(AVE) > every correlation", "Fornell & Larcker (1981)"),
}


def cutoff_table(citc_cutoff: float = 0.50) -> pd.DataFrame:
    """The reliability cut-offs with their sources, one row per statistic.

    Example:
        >>> cutoff_table(.30).loc["citc", "cutoff"]
        0.3
    """
    rows = {k: {"cutoff": v[0], "rule": v[1], "source": v[2]} for k, v in CUTOFFS.items()}
    rows["citc"]["cutoff"] = citc_cutoff
    rows["citc"]["rule"] = f">= {citc_cutoff:.2f}".replace("0.", ".")
    return pd.DataFrame(rows).T.rename_axis("statistic")


def _check_items(df: pd.DataFrame, construct: str | None = None) -> pd.DataFrame:
    where = f" of construct {construct}" if construct else ""
    if not isinstance(df, pd.DataFrame):
        raise InputError("expected a DataFrame with one column per item")
    if df.shape[1] < 2:
        raise InputError(
            f"alpha is undefined for a single item{where}: it needs at least two items "
            "(a one-item construct has no internal consistency to estimate)",
            column=str(df.columns[0]) if df.shape[1] else None,
        )
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise InputError(f"the item{where} is not numeric", column=str(bad[0]))
    var = df.var(ddof=1)
    for col in df.columns:
        if not np.isfinite(var[col]) or var[col] <= 0:
            raise InputError(
                f"the item{where} never varies (or has fewer than two answers): its "
                "correlations and the construct's reliability are undefined; drop it",
                column=str(col),
            )
    C = df.cov(min_periods=2)
    if C.isna().any().any():
        i, j = np.argwhere(C.isna().to_numpy())[0]
        raise InputError(
            f"items {df.columns[i]} and {df.columns[j]}{where} have fewer than two answers in "
            "common: their covariance is undefined",
            column=str(df.columns[i]),
        )
    return df.astype(float)


def _alpha(C: np.ndarray) -> float:
    k = C.shape[0]
    return float(k / (k - 1) * (1 - np.trace(C) / C.sum()))


def cronbach_alpha(
    df: pd.DataFrame, level: float = 0.95, ci: str = "feldt", missing: str = "pairwise"
) -> dict:
    """Cronbach's alpha, raw and standardized, with its confidence interval (``psych::alpha``).

    Both intervals are returned: Feldt's (``feldt.lower``, ``feldt.upper``; the default and
    the one in ``alpha.ci.lower``/``alpha.ci.upper`` and the JSON ``alpha.ci``) and Duhachek &
    Iacobucci's asymptotic one (``duhachek.lower``/``upper``, alpha -/+ 1.96 ASE exactly as
    psych prints it; ``ci="duhachek"`` puts it in ``alpha.ci.*``). ``missing="pairwise"``
    (psych's default): pairwise covariances, n = the number of rows, as psych uses;
    ``"listwise"``: the complete rows only. ``missing`` and ``n`` are in the result.

    Example:
        >>> import pandas as pd
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
        >>> round(cronbach_alpha(d)["alpha"], 4)
        0.9538
    """
    if ci not in ("feldt", "duhachek"):
        raise InputError(f"unknown confidence interval '{ci}': use feldt or duhachek")
    df, info = apply_missing_rule(_check_items(df), missing)
    df = _check_items(df)
    C = df.cov(min_periods=2).to_numpy()
    sd = np.sqrt(np.diag(C))
    R = C / np.outer(sd, sd)  # psych: cov2cor of the pairwise covariance matrix
    k = C.shape[0]
    alpha = _alpha(C)
    rbar = (R.sum() - k) / (k * (k - 1))
    alpha_std = k * rbar / (1 + (k - 1) * rbar)
    n = len(df)
    q = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    f_lo = 1 - (1 - alpha) * stats.f.ppf(1 - q, df1, df2)
    f_hi = 1 - (1 - alpha) * stats.f.ppf(q, df1, df2)
    s, tr = C.sum(), np.trace(C)
    Q = (2 * k**2 / ((k - 1) ** 2 * s**3)) * (
        s * (np.trace(C @ C) + tr**2) - 2 * tr * (C @ C).sum()
    )
    ase = float(np.sqrt(Q / n))
    z = 1.96 if level == 0.95 else norm_ppf(1 - q)  # psych prints 1.96
    d_lo, d_hi = alpha - z * ase, alpha + z * ase
    lo, hi = (f_lo, f_hi) if ci == "feldt" else (d_lo, d_hi)
    return {
        "alpha": float(alpha),
        "alpha.std": float(alpha_std),
        "average_r": float(rbar),
        "alpha.ci.lower": float(lo),
        "alpha.ci.upper": float(hi),
        "feldt.lower": float(f_lo),
        "feldt.upper": float(f_hi),
        "duhachek.lower": float(d_lo),
        "duhachek.upper": float(d_hi),
        "ase": ase,
        "ci": ci,
        "n": n,
        "k": k,
        "missing": info["missing"],
    }


def item_total(df: pd.DataFrame, missing: str = "pairwise") -> pd.DataFrame:
    """Item statistics as ``psych::alpha``'s ``item.stats`` and ``alpha.drop``: ``citc``
    (corrected item-total correlation, psych's ``r.drop``: the item with the sum of the
    others), ``alpha.if.deleted`` (raw alpha of the other items; NaN for a two-item construct,
    where one item has no alpha), ``raw.r`` (item with the mean score), ``mean``, ``sd``, ``n``
    (answers to the item in the rows used: psych's ``item.stats$n``). ``missing``: pairwise
    (psych's default) or listwise, as :func:`cronbach_alpha`.

    Example:
        >>> import pandas as pd
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
        >>> item_total(d).round(3).loc["a", ["citc", "alpha.if.deleted"]].tolist()
        [0.97, 0.882]
    """
    df, _ = apply_missing_rule(_check_items(df), missing)
    df = _check_items(df)
    C = df.cov(min_periods=2).to_numpy()
    k = C.shape[0]
    total = df.mean(axis=1, skipna=True)  # psych: rowMeans(x, na.rm = TRUE)
    rows = {}
    for i, name in enumerate(df.columns):
        rest = [j for j in range(k) if j != i]
        sub = C[np.ix_(rest, rest)]
        r_drop = C[i, rest].sum() / np.sqrt(C[i, i] * sub.sum())
        rows[name] = {
            "citc": float(r_drop),
            "alpha.if.deleted": _alpha(sub) if len(rest) > 1 else np.nan,
            "raw.r": float(df[name].corr(total)),
            "mean": float(df[name].mean()),
            "sd": float(df[name].std()),
            "n": int(df[name].notna().sum()),
        }
    return pd.DataFrame(rows).T.astype({"n": int})


def omega_total(df: pd.DataFrame, missing: str = "pairwise") -> float:
    """McDonald's omega total from the data: a one-factor minres solution of the pairwise
    correlations, omega_t = 1 - sum(1 - h2) / 1'R1 (``psych::omega(x, nfactors = 1)$omega.tot``).
    Needs three or more items (with two, one factor is not identified). ``missing="listwise"``:
    the complete rows only.

    Example:
        >>> omega_total(df[["SAT1", "SAT2", "SAT3"]])  # doctest: +SKIP
    """
    from loyaltysem.psychometrics.efa import (
        _check_not_singular,
        _corr,
        _fit_uniquenesses,
        _minres_loadings,
    )

    df, _ = apply_missing_rule(_check_items(df), missing)
    df = _check_items(df)
    if df.shape[1] < 3:
        raise InputError(
            "omega total needs at least three items (one factor is not identified by two)",
            column=str(df.columns[0]),
        )
    R = _corr(df)
    _check_not_singular(R, df.columns, "omega")
    psi, _ = _fit_uniquenesses(R, 1, "minres")
    h2 = np.sum(_minres_loadings(psi, R, 1) ** 2, axis=1)
    return float(1 - np.sum(1 - h2) / R.sum())


# --------------------------------------------------------------------------- CFA-based
def _by_construct(loadings, value: str = "loading"):
    """A loadings table (construct, item, loading) as {construct: array}, or None for a plain
    vector of loadings."""
    if isinstance(loadings, pd.DataFrame):
        col = next((c for c in (value, "std.all", "std", "est") if c in loadings.columns), None)
        if col is None or "construct" not in loadings.columns:
            raise InputError(
                "the loadings table needs the columns construct, item and loading",
                column=None,
            )
        return {
            c: g[col].to_numpy(dtype=float) for c, g in loadings.groupby("construct", sort=False)
        }
    return None


def _per_construct(loadings, fn):
    groups = _by_construct(loadings)
    if groups is None:
        return fn(np.asarray(loadings, dtype=float))
    return pd.Series({c: fn(v) for c, v in groups.items()}, dtype=float)


def _cr(l: np.ndarray) -> float:
    s = l.sum() ** 2
    return float(s / (s + np.sum(1 - l**2)))


def _h(l: np.ndarray) -> float:
    if np.any(np.abs(l) >= 1):
        return np.nan  # a standardized loading of 1 or more: H is undefined (Heywood case)
    return float(1 / (1 + 1 / np.sum(l**2 / (1 - l**2))))


def composite_reliability(std_loadings) -> float | pd.Series:
    """Composite reliability from standardized loadings (Fornell & Larcker 1981):
    CR = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)).

    ``std_loadings`` is a DataFrame with columns construct, item, loading (one row per item;
    returns a Series per construct) or a plain vector of one construct's loadings (a float).

    Example:
        >>> round(composite_reliability([.8, .7, .6]), 4)
        0.7449
    """
    return _per_construct(std_loadings, _cr)


def ave(std_loadings) -> float | pd.Series:
    """Average variance extracted, the mean squared standardized loading (Fornell & Larcker
    1981). Same input forms as :func:`composite_reliability`. (semTools' ``AVE()`` divides by
    the observed variances instead: :func:`ave_semtools`.)

    Example:
        >>> round(ave([.8, .7, .6]), 4)
        0.4967
    """
    return _per_construct(std_loadings, lambda l: float(np.mean(l**2)))


average_variance_extracted = ave


def maxr_h(std_loadings) -> float | pd.Series:
    """Maximal reliability, coefficient H (Hancock & Mueller 2001):
    H = 1 / (1 + 1 / sum(l^2 / (1 - l^2))); NaN when a loading is 1 or more.
    Same input forms as :func:`composite_reliability`.

    Example:
        >>> round(maxr_h([.8, .7, .6]), 4)
        0.7675
    """
    return _per_construct(std_loadings, _h)


def ave_semtools(loadings, factor_variance: float, observed_var: np.ndarray) -> float:
    """semTools::AVE: the item variance explained by the factor over the items' total observed
    variance, sum(lambda^2) psi / sum(s_ii), unstandardized loadings.

    Example:
        >>> round(ave_semtools([1.0, 0.8], 0.5, [1.0, 0.9]), 4)
        0.4316
    """
    lam = np.asarray(loadings, dtype=float)
    return float(np.sum(lam**2) * factor_variance / np.sum(observed_var))


def omega(loadings, factor_variance: float, observed_cov: np.ndarray) -> float:
    """semTools::compRelSEM omega of one construct: (sum lambda)^2 psi / 1'S1, S the observed
    covariance matrix of its items.

    Example:
        >>> round(omega([1.0, 0.8], 0.5, [[1.0, 0.4], [0.4, 0.9]]), 4)
        0.6
    """
    lam = np.asarray(loadings, dtype=float)
    return float(lam.sum() ** 2 * factor_variance / np.sum(observed_cov))


def omega_from_cfa(
    loadings: pd.DataFrame,
    residual_variances: pd.Series,
    factor_variances: pd.Series,
    observed_cov: pd.DataFrame | None = None,
    residual_covariances: pd.DataFrame | None = None,
) -> pd.Series:
    """Omega (composite reliability) per construct from a CFA's unstandardized estimates, as
    ``semTools::compRelSEM``: (sum lambda)^2 psi / V. With ``observed_cov`` (the sample
    covariance matrix, divisor N, as lavaan's) V = 1'S1 over the construct's items
    (compRelSEM's default ``obs.var = TRUE``); without it the model-implied
    V = (sum lambda)^2 psi + sum theta + 2 sum theta_ij (``obs.var = FALSE``), theta_ij from
    ``residual_covariances`` (items x items, optional).

    ``loadings``: columns construct, item, loading (unstandardized); ``residual_variances``:
    item -> theta; ``factor_variances``: construct -> psi.

    Example:
        >>> L = pd.DataFrame({"construct": ["F"] * 3, "item": ["a", "b", "c"],
        ...                   "loading": [1.0, 0.9, 0.8]})
        >>> th = pd.Series({"a": .5, "b": .6, "c": .7})
        >>> round(float(omega_from_cfa(L, th, pd.Series({"F": 1.0}))["F"]), 4)
        0.802
    """
    if not isinstance(loadings, pd.DataFrame) or not {"construct", "item"} <= set(loadings):
        raise InputError("the loadings table needs the columns construct, item and loading")
    col = "loading" if "loading" in loadings else "est"
    out = {}
    for c, g in loadings.groupby("construct", sort=False):
        items = list(g["item"])
        lam = g[col].to_numpy(dtype=float)
        if c not in factor_variances:
            raise InputError(f"no factor variance for construct {c}")
        num = lam.sum() ** 2 * float(factor_variances[c])
        if observed_cov is not None:
            missing = [i for i in items if i not in observed_cov.index]
            if missing:
                raise InputError("item not in the observed covariance matrix", column=missing[0])
            denom = float(observed_cov.loc[items, items].to_numpy().sum())
        else:
            missing = [i for i in items if i not in residual_variances]
            if missing:
                raise InputError("no residual variance for the item", column=missing[0])
            denom = num + float(residual_variances[items].sum())
            if residual_covariances is not None:
                sub = residual_covariances.reindex(index=items, columns=items).fillna(0.0)
                a = sub.to_numpy(dtype=float)
                denom += float(a.sum() - np.trace(a))
        out[c] = num / denom
    return pd.Series(out, dtype=float, name="omega")


def htmt(
    data: pd.DataFrame,
    construct_items: dict[str, list[str]],
    htmt2: bool = False,
    absolute: bool = True,
    cor: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Heterotrait-monotrait ratio of correlations between every pair of constructs
    (Henseler, Ringle & Sarstedt 2015), as ``semTools::htmt`` (listwise correlations,
    absolute values). ``htmt2=False`` (default) is the classic HTMT, named ``htmt`` in every
    JSON and table (semTools' ``htmt(htmt2 = FALSE)``); ``htmt2=True`` gives HTMT2 (geometric
    means; Roemer, Schuberth & Henseler 2021), named ``htmt2``, which is semTools 0.5.6's
    default. Symmetric, 1 on the diagonal; NaN where a construct has one item (its
    monotrait correlation does not exist). Cut-off: < .85 (strict), < .90 (liberal).
    ``cor``: an item correlation matrix to use instead of the data's Pearson correlations,
    e.g. the polychoric matrix of ordered items (semTools ``htmt(..., ordered = )``).

    Example:
        >>> htmt(df, {"SAT": ["SAT1", "SAT2"], "TRU": ["TRU1", "TRU2"]})  # doctest: +SKIP
    """
    items = [i for its in construct_items.values() for i in its]
    missing = [i for i in items if i not in data.columns]
    if missing:
        raise InputError("item not in the data", column=missing[0])
    # listwise, as semTools (lavaan's sample statistics), unless a matrix is given
    R = cor.loc[items, items] if cor is not None else data[items].dropna().corr()
    if R.isna().any().any():
        bad = R.columns[R.isna().any()][0]
        raise InputError("the item never varies in the complete rows: HTMT undefined", column=bad)
    if absolute:
        R = R.abs()
    names = list(construct_items)

    def mean(vals):
        vals = np.asarray(vals, dtype=float)
        if htmt2:
            return float(np.exp(np.mean(np.log(vals))))
        return float(np.mean(vals))

    mono = {}
    for c, its in construct_items.items():
        if len(its) < 2:
            mono[c] = np.nan
            continue
        sub = R.loc[its, its].to_numpy()
        mono[c] = mean(sub[np.triu_indices(len(its), 1)])
    out = pd.DataFrame(np.nan, index=names, columns=names)
    for a in names:
        for b in names:
            if a == b:
                out.loc[a, b] = 1.0
                continue
            het = mean(R.loc[construct_items[a], construct_items[b]].to_numpy().ravel())
            out.loc[a, b] = het / np.sqrt(mono[a] * mono[b])
    return out


def factor_correlations(estimates: pd.DataFrame, constructs: list[str]) -> pd.DataFrame:
    """The factor correlations (std.all of the ``~~`` rows between factors) of a CFA's
    estimates, 1 on the diagonal.

    Example:
        >>> est = pd.DataFrame({"lhs": ["A"], "op": ["~~"], "rhs": ["B"], "std.all": [0.5]})
        >>> float(factor_correlations(est, ["A", "B"]).loc["B", "A"])
        0.5
    """
    fc = pd.DataFrame(1.0, index=constructs, columns=constructs)
    rows = estimates[
        (estimates["op"] == "~~")
        & estimates["lhs"].isin(constructs)
        & estimates["rhs"].isin(constructs)
        & (estimates["lhs"] != estimates["rhs"])
    ]
    for _, r in rows.iterrows():
        fc.loc[r["lhs"], r["rhs"]] = fc.loc[r["rhs"], r["lhs"]] = r["std.all"]
    return fc


def fornell_larcker(factor_cor: pd.DataFrame, ave: pd.Series) -> pd.DataFrame:
    """The Fornell-Larcker (1981) table: factor correlations off the diagonal, sqrt(AVE) on it.
    Discriminant validity holds for a construct when its sqrt(AVE) exceeds every correlation
    in its row and column (see :func:`fornell_larcker_ok`). Factors without an AVE (a
    higher-order factor not in ``ave``) are left out.

    Example:
        >>> r = pd.DataFrame([[1, .5], [.5, 1]], index=["A", "B"], columns=["A", "B"])
        >>> fornell_larcker(r, pd.Series({"A": .64, "B": .49})).round(2).to_numpy().tolist()
        [[0.8, 0.5], [0.5, 0.7]]
    """
    keep = [c for c in factor_cor.index if c in ave.index]  # e.g. not a higher-order factor
    out = factor_cor.loc[keep, keep].copy().astype(float)
    for c in out.index:
        out.loc[c, c] = np.sqrt(ave[c])
    return out


def fornell_larcker_ok(table: pd.DataFrame) -> pd.Series:
    """Per construct: is sqrt(AVE) (the diagonal of :func:`fornell_larcker`) larger than the
    absolute value of every correlation in its row and column?

    Example:
        >>> r = pd.DataFrame([[.8, .5], [.5, .7]], index=["A", "B"], columns=["A", "B"])
        >>> fornell_larcker_ok(r).tolist()
        [True, True]
    """
    a = table.to_numpy(dtype=float)
    off = np.abs(a - np.diag(np.diag(a)))
    return pd.Series(
        [bool(a[i, i] > max(off[i].max(), off[:, i].max())) for i in range(len(a))],
        index=table.index,
    )


# --------------------------------------------------------------------------- the table
@dataclass
class ReliabilityResult(ResultMixin):
    """Reliability per construct (``constructs``: n_items, n, missing, alpha, alpha.std,
    Feldt and Duhachek intervals, omega.total, verdicts, note) and per item (``items``:
    construct, item, n, citc, alpha.if.deleted, raw.r, verdicts), the ``cutoffs`` used with
    their sources, ``warnings`` (single-item constructs, items that correlate negatively with
    their construct, what the missing-data rule did) and the rule itself: ``missing``
    ("pairwise", psych's default, or "listwise"), ``n`` (rows used), ``n_rows``,
    ``n_complete``."""

    constructs: pd.DataFrame
    items: pd.DataFrame
    cutoffs: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    missing: str = "pairwise"
    n: int = 0
    n_rows: int = 0
    n_complete: int = 0
    #: set by ``loyaltysem.reliability()``: CR, AVE and omega from the CFA, HTMT, Fornell-Larcker
    validity: pd.DataFrame | None = None
    htmt: pd.DataFrame | None = None
    fornell_larcker: pd.DataFrame | None = None

    _main = "constructs"  # class attributes (no annotation): not fields
    _key = ("constructs", "validity", "htmt")

    def _headline(self) -> str:
        rule = "pairwise" if self.missing == "pairwise" else "listwise"
        return (
            f"Reliability of {len(self.constructs)} constructs: n = {self.n} "
            f"(missing answers {rule})"
        )

    def to_dict(self) -> dict:
        """The output contract's ``constructs`` form (alpha, alpha.std, alpha.ci, items), each
        construct with its ``n`` and ``missing`` rule and each item with its ``n``."""
        out = {}
        for c, row in self.constructs.iterrows():
            its = self.items[self.items["construct"] == c].set_index("item")
            out[c] = {
                "alpha": _num(row["alpha"]),
                "alpha.std": _num(row["alpha.std"]),
                "alpha.ci": [_num(row["alpha.ci.lower"]), _num(row["alpha.ci.upper"])],
                "n": int(row["n"]),
                "missing": self.missing,
                "items": {
                    i: {
                        "citc": _num(r["citc"]),
                        "alpha.if.deleted": _num(r["alpha.if.deleted"]),
                        "n": int(r["n"]),
                    }
                    for i, r in its.iterrows()
                },
            }
        return out


def _num(x):
    return None if x is None or (isinstance(x, float) and not np.isfinite(x)) else float(x)


def _alpha_verdict(a: float) -> str:
    if a >= 0.90:
        return "excellent"
    if a >= 0.80:
        return "good"
    if a >= 0.70:
        return "acceptable"
    return "below .70"


def reliability_table(
    data: pd.DataFrame,
    construct_items: dict[str, list[str]],
    *,
    citc_cutoff: float = 0.50,
    level: float = 0.95,
    missing: str = "pairwise",
    reversed_items=(),
) -> ReliabilityResult:
    """Cronbach's alpha (raw, standardized, Feldt and Duhachek intervals) and omega total per
    construct, and CITC, alpha if deleted per item, each judged against its cut-off: alpha
    >= .70 (Nunnally 1978), CITC >= ``citc_cutoff`` (.50; .30 or .40 also used), alpha if
    deleted not above the construct's alpha. The cut-offs and sources are in
    ``result.cutoffs``. A constant item raises InputError naming the construct and column; a
    one-item construct gets a row with alpha missing, the note "single item: alpha undefined"
    and a warning. An item keyed against its construct by psych's ``check.keys`` rule (a
    negative loading on the construct's first principal component) gets a warning naming it
    (:func:`~loyaltysem.psychometrics.keying.keying_notices`): probably reverse-keyed and left
    unreversed, or, when it is in ``reversed_items`` (the items the loader reversed as
    declared), already recoded in the file.

    ``missing="pairwise"`` (psych's default): every row, each covariance from the rows that
    answered both items, n = all rows; ``"listwise"``: only the rows that answered every item
    of every construct (one N for all constructs, psych on the complete rows).

    Example:
        >>> res = reliability_table(X, {"SAT": ["SAT1", "SAT2", "SAT3"]})  # doctest: +SKIP
        >>> res.constructs.loc["SAT", ["alpha", "alpha.ok"]]  # doctest: +SKIP
    """
    rows, item_rows, msgs = [], [], []
    for c, its in construct_items.items():
        absent = [i for i in its if i not in data.columns]
        if absent:
            raise InputError(f"item of construct {c} not in the data", column=absent[0])
    all_items = list(dict.fromkeys(i for its in construct_items.values() for i in its))
    used, info = apply_missing_rule(data[all_items], missing)
    if info["message"]:
        msgs.append(prefixed("reliability", info["message"]))
    for c, its in construct_items.items():
        row, items_of_c = _construct_reliability(
            c, used[list(its)], missing, level, citc_cutoff, msgs
        )
        rows.append(row)
        item_rows += items_of_c
    msgs += keying_notices(used, construct_items, reversed_items)
    constructs = pd.DataFrame(rows).set_index("construct")
    for col in ("alpha", "alpha.std", "alpha.ci.lower", "alpha.ci.upper", "omega.total"):
        if col not in constructs:
            constructs[col] = np.nan
    item_cols = [
        "construct",
        "item",
        "n",
        "citc",
        "alpha.if.deleted",
        "raw.r",
        "citc.ok",
        "raises.alpha",
        "verdict",
    ]
    items = pd.DataFrame(item_rows, columns=item_cols)
    return ReliabilityResult(
        constructs,
        items,
        cutoff_table(citc_cutoff),
        msgs,
        missing=missing,
        n=info["n"],
        n_rows=info["n_rows"],
        n_complete=info["n_complete"],
    )


def _construct_reliability(c: str, sub: pd.DataFrame, missing, level, citc_cutoff, msgs: list):
    """One construct's row (alpha, intervals, omega, verdict) and its item rows."""
    its = list(sub.columns)
    if len(its) < 2:
        item = its[0] if its else "-"
        msg = (
            f"construct {c} has a single item ({item}): alpha, CITC and omega are undefined for it"
        )
        msgs.append(Notice("reliability.single_item", msg, construct=c, item=item))
        row = {"construct": c, "n_items": len(its), "n": len(sub), "missing": missing}
        return row | {"note": "single item: alpha undefined"}, []
    try:
        a = cronbach_alpha(sub, level=level, missing=missing)
        it = item_total(sub, missing=missing)
    except InputError as exc:
        raise InputError(f"construct {c}: {exc.message}", column=exc.column) from None
    om, note = np.nan, ""
    if len(its) >= 3:
        try:
            om = omega_total(sub, missing=missing)
        except InputError as exc:
            note = f"omega total undefined: {exc.message}"
    else:
        note = "two items: alpha if deleted and omega total undefined"
    row = {
        "construct": c,
        "n_items": len(its),
        "n": a["n"],
        "missing": missing,
        "alpha": a["alpha"],
        "alpha.std": a["alpha.std"],
        "alpha.ci.lower": a["feldt.lower"],
        "alpha.ci.upper": a["feldt.upper"],
        "duhachek.lower": a["duhachek.lower"],
        "duhachek.upper": a["duhachek.upper"],
        "average_r": a["average_r"],
        "omega.total": om,
        "alpha.ok": bool(a["alpha"] >= CUTOFFS["alpha"][0]),
        "alpha.verdict": _alpha_verdict(a["alpha"]),
        "note": note,
    }
    return row, _item_rows(c, it, a["alpha"], len(its), citc_cutoff, msgs)


def _item_rows(c: str, it: pd.DataFrame, alpha: float, k: int, citc_cutoff: float, msgs):
    out = []
    for name, r in it.iterrows():
        raises = bool(r["alpha.if.deleted"] > alpha) if k > 2 else False
        ok = bool(r["citc"] >= citc_cutoff)
        problems = [
            v
            for v, bad in (
                (f"CITC below {citc_cutoff:.2f}".replace("0.", "."), not ok),
                ("alpha rises if deleted", raises),
            )
            if bad
        ]
        out.append(
            {
                "construct": c,
                "item": name,
                "n": int(r["n"]),
                "citc": r["citc"],
                "alpha.if.deleted": r["alpha.if.deleted"],
                "raw.r": r["raw.r"],
                "citc.ok": ok,
                "raises.alpha": raises,
                "verdict": "; ".join(problems) or "ok",
            }
        )
    return out


def _factor_variance(loadings: pd.DataFrame) -> float:
    """The factor's model-implied (total) variance, lavaan's ``cov.lv``, from its loadings'
    est and std.lv (std.lv = est * sd): for a first-order factor of a higher-order one its
    residual variance would be the wrong psi."""
    lo = loadings[(loadings["est"].abs() > 1e-12) & loadings["std.lv"].notna()]
    if lo.empty:
        return float("nan")
    return float((lo["std.lv"].iloc[0] / lo["est"].iloc[0]) ** 2)


def convergent_validity(
    cfa_estimates: pd.DataFrame,
    construct_items: dict[str, list[str]],
    observed_cov: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """CR, AVE, sqrt(AVE) and MaxR(H) per construct from a CFA's standardized loadings (a
    lavaan-style ``parameterEstimates(standardized = TRUE)`` table with lhs, op, rhs, est,
    std.all), judged against CR >= .70 and AVE >= .50; with the observed covariance matrix
    (divisor N) also semTools' omega (``compRelSEM``) and AVE (``ave.semtools``).

    A higher-order construct is given with its component constructs as its "items"
    (``{"SQ": ["INF", "PRD", "CON"]}``, :attr:`Instrument.construct_components`): CR, AVE
    and MaxR(H) then come from the standardized second-order loadings (the first-order
    constructs as its indicators); ``omega`` and ``ave.semtools`` are NaN (semTools' omega
    of a higher-order factor is ``comp_rel_sem(fit, higher=[...])``; semTools gives no AVE).

    Example:
        >>> convergent_validity(cfa.estimates, inst.construct_items, S)  # doctest: +SKIP
    """
    est = cfa_estimates
    rows = {}
    for c, its in construct_items.items():
        lo = est[(est["op"] == "=~") & (est["lhs"] == c)].set_index("rhs").reindex(its)
        l = lo["std.all"].to_numpy(dtype=float)
        row = {"cr": _cr(l), "ave": float(np.mean(l**2)), "maxr_h": _h(l)}
        row["sqrt.ave"] = float(np.sqrt(row["ave"]))
        row["cr.ok"] = bool(row["cr"] >= CUTOFFS["cr"][0])
        row["ave.ok"] = bool(row["ave"] >= CUTOFFS["ave"][0])
        if observed_cov is not None and not set(its) <= set(observed_cov.index):
            row["omega"] = row["ave.semtools"] = float("nan")  # a higher-order construct
        elif observed_cov is not None:
            var = _factor_variance(lo)
            sub = observed_cov.loc[its, its].to_numpy()
            row["omega"] = omega(lo["est"].to_numpy(dtype=float), var, sub)
            row["ave.semtools"] = ave_semtools(lo["est"].to_numpy(dtype=float), var, np.diag(sub))
        rows[c] = row
    return pd.DataFrame(rows).T.infer_objects()
