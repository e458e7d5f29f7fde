"""Reliability and validity of the constructs: Cronbach's alpha with its CI, corrected
item-total correlations, alpha if item deleted, CR, AVE, MaxR(H), omega, HTMT and the
Fornell-Larcker table.

Formulas and their sources:
* alpha = k / (k - 1) (1 - sum var_i / var_total) (Cronbach 1951); standardized alpha from the
  mean inter-item correlation; computed from pairwise covariances as ``psych::alpha`` does.
* Feldt (1965) confidence interval: 1 - (1 - alpha) F quantiles with (n - 1, (n - 1)(k - 1)) df
  (``psych::alpha``'s ``feldt``).
* CITC = psych's ``r.drop``: correlation of an item with the sum of the other items.
* CR = (sum l)^2 / ((sum l)^2 + sum (1 - l^2)), AVE = sum l^2 / k with standardized loadings l
  (Fornell & Larcker 1981); MaxR(H) = 1 / (1 + 1 / sum(l^2 / (1 - l^2))) (Hancock & Mueller
  2001).
* omega = (sum lambda)^2 psi / (1' S 1), unstandardized loadings, factor variance psi and the
  observed total variance (``semTools::compRelSEM``, obs.var = TRUE).
* HTMT: mean heterotrait-heteromethod correlation over the geometric mean of the mean
  monotrait correlations (Henseler, Ringle & Sarstedt 2015); HTMT2 uses geometric means of the
  correlations (Roemer, Schuberth & Henseler 2021), as ``semTools::htmt``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError

CUTOFFS = {
    "alpha": (0.70, "Nunnally (1978)"),
    "cr": (0.70, "Hair et al. (2019); Bagozzi & Yi (1988) accept .60"),
    "ave": (0.50, "Fornell & Larcker (1981)"),
    "citc": (0.50, "common rule; .30 or .40 also used"),
    "htmt": (0.85, "Henseler, Ringle & Sarstedt (2015); .90 liberal"),
}


def _check_items(df: pd.DataFrame, construct: str | None = None) -> pd.DataFrame:
    where = f" of construct {construct}" if construct else ""
    if df.shape[1] < 2:
        raise InputError(
            f"alpha needs at least two items{where} (a single-item construct has no internal "
            "consistency)",
            column=df.columns[0] if df.shape[1] else None,
        )
    var = df.var(ddof=1)
    for col in df.columns:
        if not np.isfinite(var[col]) or var[col] <= 0:
            raise InputError(
                f"the item never varies{where}: its reliability is undefined", column=col
            )
    return df


def cronbach_alpha(df: pd.DataFrame, level: float = 0.95) -> dict[str, float]:
    """Raw and standardized alpha with Feldt's confidence interval (psych::alpha).

    Example:
        >>> import pandas as pd
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
        >>> round(cronbach_alpha(d)["alpha"], 4)
        0.9375
    """
    df = _check_items(df)
    C = df.cov(min_periods=2).to_numpy()
    sd = np.sqrt(np.diag(C))
    R = C / np.outer(sd, sd)  # psych: cov2cor of the pairwise covariance matrix
    k = C.shape[0]
    alpha = k / (k - 1) * (1 - np.trace(C) / C.sum())
    rbar = (R.sum() - k) / (k * (k - 1))
    alpha_std = k * rbar / (1 + (k - 1) * rbar)
    n = len(df)  # psych: alpha.ci(alpha, nsub = nrow(x), nvar)
    q = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.ppf(1 - q, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.ppf(q, df1, df2)
    return {
        "alpha": float(alpha),
        "alpha.std": float(alpha_std),
        "average_r": float(rbar),
        "alpha.ci.lower": float(lower),
        "alpha.ci.upper": float(upper),
        "n": len(df),
        "k": k,
    }


def item_total(df: pd.DataFrame) -> pd.DataFrame:
    """Per item: CITC (psych's r.drop) and alpha if the item is deleted (raw alpha).

    Example:
        >>> import pandas as pd
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
        >>> item_total(d).round(3).loc["a"].tolist()
        [0.919, 0.889]
    """
    df = _check_items(df)
    C = df.cov(min_periods=2).to_numpy()
    k = C.shape[0]
    rows = {}
    for i, name in enumerate(df.columns):
        rest = [j for j in range(k) if j != i]
        cov_rest = C[i, rest].sum()
        var_rest = C[np.ix_(rest, rest)].sum()
        r_drop = cov_rest / np.sqrt(C[i, i] * var_rest)
        sub = C[np.ix_(rest, rest)]
        kk = len(rest)
        a_del = kk / (kk - 1) * (1 - np.trace(sub) / sub.sum()) if kk > 1 else np.nan
        rows[name] = {"citc": r_drop, "alpha.if.deleted": a_del}
    return pd.DataFrame(rows).T


def composite_reliability(loadings: pd.Series | np.ndarray) -> float:
    """CR from standardized loadings (Fornell & Larcker 1981).

    Example:
        >>> round(composite_reliability([.8, .7, .6]), 4)
        0.7468
    """
    l = np.asarray(loadings, dtype=float)
    s = l.sum() ** 2
    return float(s / (s + np.sum(1 - l**2)))


def average_variance_extracted(loadings) -> float:
    """AVE = mean squared standardized loading (Fornell & Larcker 1981)."""
    l = np.asarray(loadings, dtype=float)
    return float(np.mean(l**2))


def maxr_h(loadings) -> float:
    """Coefficient H (maximal reliability; Hancock & Mueller 2001)."""
    l = np.asarray(loadings, dtype=float)
    return float(1 / (1 + 1 / np.sum(l**2 / (1 - l**2))))


def ave_semtools(loadings, factor_variance: float, observed_var: np.ndarray) -> float:
    """semTools::AVE: variance of the items explained by the factor over their total observed
    variance, sum(lambda^2) psi / sum(s_ii), with unstandardized loadings."""
    lam = np.asarray(loadings, dtype=float)
    return float(np.sum(lam**2) * factor_variance / np.sum(observed_var))


def omega(loadings, factor_variance: float, observed_cov: np.ndarray) -> float:
    """semTools::compRelSEM omega: (sum lambda)^2 psi / total observed variance of the sum."""
    lam = np.asarray(loadings, dtype=float)
    return float(lam.sum() ** 2 * factor_variance / np.sum(observed_cov))


def htmt(
    data: pd.DataFrame,
    construct_items: dict[str, list[str]],
    htmt2: bool = False,
    absolute: bool = True,
) -> pd.DataFrame:
    """Heterotrait-monotrait ratio matrix (semTools::htmt; lower triangle filled both ways).

    Example:
        >>> htmt(df, {"SAT": ["SAT1", "SAT2"], "TRU": ["TRU1", "TRU2"]})  # doctest: +SKIP
    """
    items = [i for its in construct_items.values() for i in its]
    R = data[items].dropna().corr()  # listwise, as semTools (lavaan's sample statistics)
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


def fornell_larcker(factor_cor: pd.DataFrame, ave: pd.Series) -> pd.DataFrame:
    """Factor correlations with sqrt(AVE) on the diagonal (Fornell & Larcker 1981)."""
    out = factor_cor.copy().astype(float)
    for c in out.index:
        out.loc[c, c] = np.sqrt(ave[c])
    return out


@dataclass
class ReliabilityResult:
    constructs: pd.DataFrame  # construct, n_items, alpha, alpha.std, ci, verdict
    items: pd.DataFrame  # construct, item, citc, alpha.if.deleted, flags

    def to_dict(self) -> dict:
        out = {}
        for c, row in self.constructs.iterrows():
            its = self.items[self.items["construct"] == c].set_index("item")
            out[c] = {
                "alpha": row["alpha"],
                "alpha.std": row["alpha.std"],
                "alpha.ci": [row["alpha.ci.lower"], row["alpha.ci.upper"]],
                "items": {
                    i: {"citc": r["citc"], "alpha.if.deleted": r["alpha.if.deleted"]}
                    for i, r in its.iterrows()
                },
            }
        return out


def reliability_table(
    data: pd.DataFrame, construct_items: dict[str, list[str]], *, citc_cutoff: float = 0.50
) -> ReliabilityResult:
    """Alpha per construct and CITC / alpha-if-deleted per item, judged against cut-offs.

    Single-item constructs get NaN alpha and a note (alpha is undefined for one item).
    """
    rows, item_rows = [], []
    for c, its in construct_items.items():
        sub = data[its]
        if len(its) < 2:
            rows.append(
                {
                    "construct": c,
                    "n_items": 1,
                    "alpha": np.nan,
                    "alpha.std": np.nan,
                    "alpha.ci.lower": np.nan,
                    "alpha.ci.upper": np.nan,
                    "note": "single item: alpha undefined",
                }
            )
            continue
        try:
            a = cronbach_alpha(sub)
        except InputError as exc:
            raise InputError(f"construct {c}: {exc.message}", column=exc.column) from None
        it = item_total(sub)
        rows.append(
            {
                "construct": c,
                "n_items": len(its),
                "alpha": a["alpha"],
                "alpha.std": a["alpha.std"],
                "alpha.ci.lower": a["alpha.ci.lower"],
                "alpha.ci.upper": a["alpha.ci.upper"],
                "alpha.ok": a["alpha"] >= CUTOFFS["alpha"][0],
                "note": "",
            }
        )
        for name, r in it.iterrows():
            item_rows.append(
                {
                    "construct": c,
                    "item": name,
                    "citc": r["citc"],
                    "alpha.if.deleted": r["alpha.if.deleted"],
                    "citc.ok": r["citc"] >= citc_cutoff,
                    "raises.alpha": r["alpha.if.deleted"] > a["alpha"],
                }
            )
    return ReliabilityResult(pd.DataFrame(rows).set_index("construct"), pd.DataFrame(item_rows))


def convergent_validity(
    cfa_estimates: pd.DataFrame,
    construct_items: dict[str, list[str]],
    observed_cov: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """CR, AVE, MaxR(H) (and omega when the observed covariance is given) per construct from
    a CFA's parameterEstimates(standardized = TRUE) table."""
    est = cfa_estimates
    rows = {}
    for c, its in construct_items.items():
        lo = est[(est["op"] == "=~") & (est["lhs"] == c)].set_index("rhs").loc[its]
        l = lo["std.all"].to_numpy()
        row = {
            "cr": composite_reliability(l),
            "ave": average_variance_extracted(l),
            "maxr_h": maxr_h(l),
        }
        row["sqrt.ave"] = np.sqrt(row["ave"])
        if observed_cov is not None:
            var = est[(est["op"] == "~~") & (est["lhs"] == c) & (est["rhs"] == c)]["est"].iloc[0]
            sub = observed_cov.loc[its, its].to_numpy()
            row["omega"] = omega(lo["est"].to_numpy(), var, sub)
            row["ave.semtools"] = ave_semtools(lo["est"].to_numpy(), var, np.diag(sub))
        rows[c] = row
    return pd.DataFrame(rows).T
