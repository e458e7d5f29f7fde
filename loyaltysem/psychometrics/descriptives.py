"""Item descriptives, multivariate normality, Mahalanobis outliers and the sample profile.

* :func:`describe`: n, mean, sd, median, trimmed mean, mad, min, max, range, skew, excess
  kurtosis and se, as ``psych::describe`` (default ``type = 3``): with m_r = sum (x - mean)^r / n
  and s the n - 1 standard deviation, skew = m3 / s^3 and kurtosis = m4 / s^4 - 3 (b1 and
  b2 - 3 in Joanes & Gill 1998). Cut-offs |skew| < 3 and |kurtosis| < 10 (Kline 2016).
* :func:`mardia`: Mardia's (1970) multivariate skewness b1p and kurtosis b2p with their tests,
  exactly as ``psych::mardia`` (complete cases, covariance with n - 1).
* :func:`mahalanobis_outliers`: squared Mahalanobis distances (``stats::mahalanobis`` with the
  n - 1 covariance) against chi-square(p); p < .001 flags an outlier (Tabachnick & Fidell 2013).
* :func:`sample_profile`: counts and percentages of each demographic category; a continuous
  demographic (:func:`is_continuous`: numeric, no value labels, more than
  ``CONTINUOUS_MIN_VALUES`` distinct values, such as age in years) gets one row with its
  valid n, mean, SD, minimum and maximum instead.
* :func:`apply_missing_rule`: the one missing-data rule of reliability, KMO, Bartlett, parallel
  analysis and EFA: psych's default ``use = "pairwise"`` (every correlation from the rows that
  answered both items, n = all rows, as ``psych::alpha``/``KMO``/``cortest.bartlett``/
  ``fa.parallel``/``fa`` take it from raw data) or listwise (only the complete rows);
  :func:`pairwise_counts` is ``psych::pairwiseCount``.

Every function takes a DataFrame and raises only :class:`~loyaltysem.base.errors.InputError` on
data it cannot summarize.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.blas import single_threaded
from loyaltysem.base.dist import norm_sf
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice

SKEW_CUTOFF = 3.0  # Kline (2016): |skew| > 3 is "extremely" skewed
KURTOSIS_CUTOFF = 10.0  # Kline (2016): |excess kurtosis| > 10 suggests a problem
SKEW_STRICT = 2.0  # a stricter common rule: |skew| < 2, |kurtosis| < 7 (West, Finch & Curran 1995)
KURTOSIS_STRICT = 7.0
MARDIA_CR_CUTOFF = 5.0  # Bentler (2005): normalized Mardia kurtosis > 5 means non-normal data
MISSING_RULES = ("pairwise", "listwise")
#: A numeric demographic without value labels and with more than this many distinct values is
#: continuous (age in years, income): described by M and SD, never tested group by group.
CONTINUOUS_MIN_VALUES = 10


def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    out = {}
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_bool_dtype(s):
            s = s.astype(float)
        elif not pd.api.types.is_numeric_dtype(s):
            s = pd.to_numeric(s, errors="coerce")
        out[name] = s.astype(float)
    frame = pd.DataFrame(out, index=df.index)
    return frame.where(np.isfinite(frame))


def describe(df: pd.DataFrame, trim: float = 0.1) -> pd.DataFrame:
    """Item descriptives as ``psych::describe(df, type = 3)``, one row per column.

    Columns: n, mean, sd (n - 1), median, trimmed (mean with ``trim`` cut from each end, as
    R's ``mean(x, trim)``), mad (median absolute deviation times 1.4826), min, max, range,
    skew (m3 / s^3), kurtosis (excess, m4 / s^4 - 3), se (sd / sqrt(n)), plus ``skew.ok`` and
    ``kurtosis.ok`` (|skew| < 3, |kurtosis| < 10; Kline 2016) and ``normal.ok`` (both).
    Missing values are skipped per column; text is treated as missing.

    Example:
        >>> describe(pd.DataFrame({"a": [1.0, 2, 3, 4, 10]})).loc["a", "skew"].round(4)
        np.float64(0.8146)
    """
    x = _numeric(df)
    rows = {}
    for name in x.columns:
        v = x[name].to_numpy()
        v = v[~np.isnan(v)]
        n = len(v)
        if n == 0:
            rows[name] = {"n": 0}
            continue
        mean = v.mean()
        sd = v.std(ddof=1) if n > 1 else np.nan
        d = v - mean
        d2 = d * d
        with np.errstate(all="ignore"):
            skew = np.mean(d2 * d) / sd**3 if n > 1 and sd > 0 else np.nan
            kurt = np.mean(d2 * d2) / sd**4 - 3 if n > 1 and sd > 0 else np.nan
        med = float(np.median(v))
        lo = int(np.floor(n * trim)) if trim > 0 else 0
        trimmed = float(np.mean(np.partition(v, (lo, n - lo - 1))[lo : n - lo])) if lo else mean
        rows[name] = {
            "n": n,
            "mean": mean,
            "sd": sd,
            "median": med,
            "trimmed": trimmed,
            "mad": 1.4826 * float(np.median(np.abs(v - med))),
            "min": v.min(),
            "max": v.max(),
            "range": v.max() - v.min(),
            "skew": skew,
            "kurtosis": kurt,
            "se": sd / np.sqrt(n),
        }
    cols = ["n", "mean", "sd", "median", "trimmed", "mad", "min", "max", "range", "skew"]
    cols += ["kurtosis", "se"]
    out = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=cols)
    out.index.name = "item"
    out["n"] = out["n"].fillna(0).astype(int)
    for c in cols[1:]:
        out[c] = out[c].astype(float)
    out["skew.ok"] = out["skew"].abs() < SKEW_CUTOFF
    out["kurtosis.ok"] = out["kurtosis"].abs() < KURTOSIS_CUTOFF
    out["normal.ok"] = out["skew.ok"] & out["kurtosis.ok"]
    return out


def _complete_matrix(df: pd.DataFrame, what: str) -> tuple[np.ndarray, list[str]]:
    x = _numeric(df).dropna()
    n, p = x.shape
    if p < 1:
        raise InputError(f"{what}: no numeric column")
    if n < p + 2:
        raise InputError(f"{what}: {n} complete rows are too few for {p} variables")
    return x.to_numpy(dtype=float), list(x.columns)


def _whiten(x: np.ndarray, what: str) -> np.ndarray:
    """Centered data times the inverse Cholesky factor of the n - 1 covariance: rows z_i with
    z_i . z_j = (x_i - m)' S^-1 (x_j - m)."""
    n = x.shape[0]
    d = x - x.mean(axis=0)
    S = d.T @ d / (n - 1)
    if not np.isfinite(S).all():
        raise InputError(f"{what}: the covariance matrix overflows (values too large)")
    try:
        L = np.linalg.cholesky(S)
    except np.linalg.LinAlgError:
        raise InputError(
            f"{what}: the covariance matrix is singular (a constant item, or items that are "
            "exact combinations of others)"
        ) from None
    if np.linalg.cond(S) > 1e12:
        raise InputError(f"{what}: the covariance matrix is nearly singular")
    from scipy.linalg import solve_triangular

    return np.ascontiguousarray(solve_triangular(L, d.T, lower=True).T)


@single_threaded  # many small GEMMs: BLAS threads only contend
def _sum_cubed_gram(z: np.ndarray, chunk: int = 2048) -> float:
    """sum_ij (z_i . z_j)^3 without the n x n matrix: sum over all index triples of T_abc^2,
    T_abc = sum_i z_ia z_ib z_ic, computed for a <= b <= c (T is symmetric) in row chunks and
    weighted by the number of distinct orderings of (a, b, c)."""
    z = np.ascontiguousarray(z)
    n, p = z.shape
    T = np.zeros((p, p, p))
    for start in range(0, n, chunk):
        zc = z[start : start + chunk]
        zt = np.ascontiguousarray(zc.T)
        for a in range(p):
            T[a, a:, a:] += (zt[a:] * zt[a]) @ zc[:, a:]
    a, b, c = np.meshgrid(np.arange(p), np.arange(p), np.arange(p), indexing="ij")
    keep = (a <= b) & (b <= c)
    n_equal = (a == b).astype(int) + (b == c) + (a == c)
    perms = np.where(n_equal == 0, 6.0, np.where(n_equal == 1, 3.0, 1.0))
    return float(np.sum((perms * T**2)[keep]))


def mardia(df: pd.DataFrame) -> dict[str, float]:
    """Mardia's multivariate skewness and kurtosis with their tests, as ``psych::mardia``.

    With complete cases, d_i = x_i - mean and S the n - 1 covariance (psych uses ``cov``):
    b1p = sum_ij (d_i' S^-1 d_j)^3 / n^2, b2p = sum_i (d_i' S^-1 d_i)^2 / n;
    skew = n b1p / 6 ~ chi2 with p(p+1)(p+2)/6 df, its small-sample version
    small.skew = n k b1p / 6 with k = (p+1)(n+1)(n+3) / (n((n+1)(p+1) - 6));
    kurtosis z = (b2p - p(p+2)) sqrt(n / (8 p (p+2))) ~ N(0, 1), two-sided p (Mardia 1970).
    ``kurtosis.z`` is the "critical ratio" judged against 5 (Bentler 2005).

    Example:
        >>> m = mardia(df[["SAT1", "SAT2", "SAT3"]])  # doctest: +SKIP
        >>> m["b2p"], m["kurtosis.z"]  # doctest: +SKIP
    """
    x, _ = _complete_matrix(df, "Mardia's test")
    n, p = x.shape
    z = _whiten(x, "Mardia's test")
    d2 = np.einsum("ij,ij->i", z, z)
    if n <= 4000:
        G = z @ z.T
        s3 = float(np.sum(G**3))
    else:
        s3 = _sum_cubed_gram(z)
    b1p = s3 / n**2
    b2p = float(np.sum(d2**2) / n)
    dof = p * (p + 1) * (p + 2) / 6
    k = (p + 1) * (n + 1) * (n + 3) / (n * ((n + 1) * (p + 1) - 6))
    skew = n * b1p / 6
    small = n * k * b1p / 6
    kz = (b2p - p * (p + 2)) * np.sqrt(n / (8 * p * (p + 2)))
    return {
        "n": int(n),
        "p": int(p),
        "b1p": b1p,
        "b2p": b2p,
        "skew": skew,
        "skew.df": dof,
        "skew.pvalue": float(stats.chi2.sf(skew, dof)),
        "small.skew": small,
        "small.skew.pvalue": float(stats.chi2.sf(small, dof)),
        "kurtosis.z": float(kz),
        "kurtosis.pvalue": float(2 * norm_sf(abs(kz))),
        "kurtosis.ok": bool(abs(kz) < MARDIA_CR_CUTOFF),
    }


def mahalanobis_outliers(df: pd.DataFrame, alpha: float = 0.001) -> pd.DataFrame:
    """Squared Mahalanobis distance of each complete row and its chi-square(p) p-value.

    d2_i = (x_i - mean)' S^-1 (x_i - mean) with S the n - 1 covariance of the complete rows
    (R: ``mahalanobis(x, colMeans(x), cov(x))``); p = P(chi2_p > d2_i); ``outlier`` is
    p < ``alpha`` (.001, Tabachnick & Fidell 2013). Rows with a missing value get NaN and
    ``outlier`` False. The index is the input's index.

    Example:
        >>> out = mahalanobis_outliers(df[items])  # doctest: +SKIP
        >>> out[out["outlier"]]  # doctest: +SKIP
    """
    x = _numeric(df)
    complete = x.notna().all(axis=1).to_numpy()
    m, _ = _complete_matrix(x, "Mahalanobis distance")
    z = _whiten(m, "Mahalanobis distance")
    d2 = np.full(len(x), np.nan)
    d2[complete] = np.einsum("ij,ij->i", z, z)
    p = np.full(len(x), np.nan)
    p[complete] = stats.chi2.sf(d2[complete], m.shape[1])
    return pd.DataFrame(
        {"d2": d2, "df": m.shape[1], "pvalue": p, "outlier": complete & (p < alpha)},
        index=x.index,
    )


def is_continuous(values: pd.Series, labels=None) -> bool:
    """Is a demographic continuous: numeric, without value labels (``labels``: the model
    file's ``values`` or the data file's), and with more than ``CONTINUOUS_MIN_VALUES``
    distinct answers? Such a variable (age in years) is described by its mean and SD as SPSS
    Descriptives does, not by a frequency table, and not compared group by group.

    Example:
        >>> is_continuous(pd.Series(range(18, 60))), is_continuous(pd.Series([1, 2, 2, 1]))
        (True, False)
        >>> is_continuous(pd.Series(range(18, 60)), labels={18: "young"})
        False
    """
    if labels or not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    return int(values.nunique(dropna=True)) > CONTINUOUS_MIN_VALUES


def continuous_demographics(
    df: pd.DataFrame, columns: list[str], instrument=None, value_labels: dict | None = None
) -> list[str]:
    """The ``columns`` (demographics in ``df``) that :func:`is_continuous` finds continuous,
    their labels from the instrument's ``[[demographics]]`` and the data file's
    ``value_labels`` (column -> {code: label}).

    Example:
        >>> df = pd.DataFrame({"gender": [1, 2] * 20, "age": range(20, 60)})
        >>> continuous_demographics(df, ["gender", "age"])
        ['age']
    """
    demos = {d.code: d for d in (instrument.demographics if instrument else [])}
    value_labels = value_labels or {}
    out = []
    for col in columns:
        if col not in df.columns:
            raise InputError("demographic column is not in the data", column=col)
        d = demos.get(col)
        labels = (d.values if d is not None else None) or value_labels.get(col)
        if is_continuous(df[col], labels):
            out.append(col)
    return out


_PROFILE = ["variable", "code", "category", "n", "percent", "mean", "sd", "min", "max"]


def sample_profile(
    df: pd.DataFrame,
    columns: list[str],
    instrument=None,
    lang: str = "en",
    missing_label: str = "Missing",
    continuous: list[str] | None = None,
) -> pd.DataFrame:
    """Frequencies and percentages of each category of the demographic columns.

    One row per (variable, category): ``variable`` (display name from the instrument in
    ``lang``), ``code`` (the column), ``category`` (the value label, else the value), ``n``
    and ``percent`` (of all respondents, missing answers shown as their own category,
    ``missing_label``; the report passes its word for it).
    Categories the instrument declares but nobody chose are listed with n = 0.
    A ``continuous`` column (default: those :func:`continuous_demographics` finds) gets one
    row instead: ``category`` empty, ``n`` its valid answers, ``mean``, ``sd`` (n - 1),
    ``min`` and ``max`` (SPSS Descriptives); the other rows leave these four empty.

    Example:
        >>> sample_profile(pd.DataFrame({"gender": [1, 2, 2]}), ["gender"])  # doctest: +SKIP
    """
    demos = {d.code: d for d in (instrument.demographics if instrument else [])}
    if continuous is None:
        continuous = continuous_demographics(df, columns, instrument)
    rows = []
    for col in columns:
        if col not in df.columns:
            raise InputError("demographic column is not in the data", column=col)
        s, d = df[col], demos.get(col)
        name = (d.name.get(lang) or d.name.get("en") or col) if d else col
        base = {"variable": name, "code": col}
        if col in continuous:
            x = pd.to_numeric(s, errors="coerce").dropna()
            rows.append({**base, "category": "", "n": len(x),
                         "percent": 100 * len(x) / len(s) if len(s) else np.nan,
                         "mean": x.mean(), "sd": x.std(ddof=1), "min": x.min(),
                         "max": x.max()})  # fmt: skip
        else:
            rows += [{**base, **r} for r in _category_rows(s, d, lang)]
        n_missing = int(s.isna().sum())
        if n_missing:
            rows.append({**base, "category": missing_label, "n": n_missing,
                         "percent": 100 * n_missing / len(s)})  # fmt: skip
    return pd.DataFrame(rows, columns=_PROFILE)


def _category_rows(s: pd.Series, d, lang: str) -> list[dict]:
    """category, n and percent of each answer of ``s`` (the declared categories of the
    demographic ``d`` first, in their order, then any others)."""
    total = len(s)
    counts = s.value_counts(dropna=True)
    order = list(counts.index)
    if d is not None:
        declared = list(d.values)
        num = pd.to_numeric(pd.Series(order, dtype=object), errors="coerce").tolist()
        known = [v for v, f in zip(order, num, strict=True) if f in d.values]
        others = [v for v, f in zip(order, num, strict=True) if f not in d.values]
        by_code = {float(pd.to_numeric(v)): v for v in known}
        order = [by_code.get(c, c) for c in declared] + sorted(others, key=str)
    else:
        try:
            order = sorted(order)
        except TypeError:
            order = sorted(order, key=str)
    rows = []
    for value in order:
        count = int(counts.get(value, 0))
        label = str(value)
        if isinstance(value, float) and value.is_integer():
            label = str(int(value))
        if d is not None:
            try:
                key = float(value)
            except (TypeError, ValueError):
                key = None
            if key in d.values:
                label = d.values[key].get(lang) or d.values[key].get("en") or label
        rows.append({"category": label, "n": count,
                     "percent": 100 * count / total if total else np.nan})  # fmt: skip
    return rows


# --------------------------------------------------------------------------- missing-data rule
def pairwise_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Number of rows that answered both items, for every pair (``psych::pairwiseCount``:
    crossprod(!is.na(x))); the diagonal is each item's own n.

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, None], "b": [1, None, 3]})
        >>> pairwise_counts(d).to_numpy().tolist()
        [[2, 1], [1, 2]]
    """
    ok = df.notna().to_numpy(dtype=np.int64)
    return pd.DataFrame(ok.T @ ok, index=df.columns, columns=df.columns)


def apply_missing_rule(df: pd.DataFrame, missing: str = "pairwise") -> tuple[pd.DataFrame, dict]:
    """The rows an item analysis uses, and what it says about them.

    ``missing="pairwise"`` (psych's default) keeps every row: each correlation comes from the
    rows that answered both items and n is the number of rows (psych's ``nrow(x)``);
    ``"listwise"`` keeps the rows that answered every item (psych called on
    ``x[complete.cases(x), ]``). Returns the frame to analyse and ``info``: ``missing`` (the
    rule), ``n`` (rows used, psych's n), ``n_rows``, ``n_complete``, ``item_n`` (answers per
    item in the rows used), ``pairwise_n_min`` (fewest rows behind one correlation) and
    ``message`` (one sentence saying what was done; empty when nothing was missing).

    Example:
        >>> d = pd.DataFrame({"a": [1, 2, 3, None], "b": [2, 1, 3, 4]})
        >>> apply_missing_rule(d, "listwise")[1]["n"]
        3
    """
    if missing not in MISSING_RULES:
        raise InputError(f"unknown missing-data rule '{missing}': use pairwise or listwise")
    complete = df.notna().all(axis=1)
    n_rows, n_complete = len(df), int(complete.sum())
    used = df if missing == "pairwise" else df[complete]
    counts = pairwise_counts(used)
    info = {
        "missing": missing,
        "n": len(used),
        "n_rows": n_rows,
        "n_complete": n_complete,
        "item_n": {str(k): int(v) for k, v in used.notna().sum().items()},
        "pairwise_n_min": int(counts.to_numpy().min()) if used.shape[1] else 0,
        "message": missing_message(missing, n_rows, n_complete, counts),
    }
    return used, info


def missing_message(missing: str, n_rows: int, n_complete: int, counts=None) -> str:
    """What the missing-data rule did, in one sentence ("" when every row is complete), a
    :class:`~loyaltysem.base.notice.Notice` (``missing.listwise``, ``missing.pairwise``,
    ``missing.pairwise_nocount`` without ``counts``).

    Example:
        >>> missing_message("listwise", 400, 366)
        'listwise deletion: 34 of 400 rows with a missing answer left out, n = 366'
    """
    dropped = n_rows - n_complete
    if not dropped:
        return ""
    dropped, n_rows, n_complete = int(dropped), int(n_rows), int(n_complete)
    if missing == "listwise":
        msg = (
            f"listwise deletion: {dropped} of {n_rows} rows with a missing answer left out, "
            f"n = {n_complete}"
        )
        return Notice("missing.listwise", msg, dropped=dropped, n=n_rows, complete=n_complete)
    min_pair = None if counts is None else int(np.min(np.asarray(counts)))
    lo = "" if min_pair is None else f" (at least {min_pair} per pair)"
    msg = (
        f"pairwise deletion (psych's default): each correlation uses the rows that answered "
        f"both items{lo}; n = {n_rows} rows, {dropped} of them with a missing answer "
        f"({n_complete} complete; --missing listwise uses only those)"
    )
    if min_pair is None:
        return Notice(
            "missing.pairwise_nocount", msg, dropped=dropped, n=n_rows, complete=n_complete
        )
    return Notice(
        "missing.pairwise", msg, dropped=dropped, n=n_rows, complete=n_complete, min_pair=min_pair
    )
