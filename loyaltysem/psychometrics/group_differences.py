"""Demographic differences of construct scores (人口统计变量的差异分析).

For every construct score and every demographic variable:

* **two groups**: independent-samples t test, Student's (pooled variance) and Welch's
  (Welch 1947; Satterthwaite df), Levene's test of equal variances with deviations from the
  group *means* (Levene 1960; SPSS's "based on mean"), the mean difference with its CI,
  Cohen's d with the pooled SD and Hedges' g = d (1 - 3 / (4 (n1 + n2) - 9)) (Hedges & Olkin
  1985, eq. 5.10 approximation);
* **three or more groups**: one-way ANOVA (F, df, p), eta squared = SS_between / SS_total and
  omega squared = (SS_between - (k - 1) MS_within) / (SS_total + MS_within) (Hays 1963;
  Olejnik & Algina 2003), Welch's ANOVA (Welch 1951), Levene's test, and a post-hoc test:
  Tukey HSD (default; Tukey-Kramer for unequal n), Fisher's LSD or Scheffe, and Games-Howell
  (Games & Howell 1976) instead when Levene's test rejects equal variances.

Numbers come from scipy (t test, Levene, ANOVA, the t, F and studentized-range
distributions); Welch's ANOVA and the post-hoc tests are the closed forms above on top of
them. The tests check every number against statsmodels, pingouin and the textbook formulas.
Groups smaller than ``min_group_size`` are left out (listed in ``skipped``, with a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from loyaltysem.base.dist import ndtr, norm_pdf
from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin
from loyaltysem.psychometrics.construct_scores import construct_scores
from loyaltysem.psychometrics.descriptives import continuous_demographics

__all__ = [
    "POSTHOC_METHODS",
    "GroupDifferences",
    "group_differences",
    "group_difference_tests",
    "levene_test",
    "one_way_anova",
    "posthoc_table",
    "studentized_range_sf",
    "t_test",
    "welch_anova",
]

POSTHOC_METHODS = ("tukey", "lsd", "scheffe", "games-howell")


# ----------------------------------------------------------------------- single tests


def _clean(x) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    return a[np.isfinite(a)]


def levene_test(samples: list[np.ndarray]) -> dict[str, float]:
    """Levene's test with deviations from the group means (SPSS; scipy ``center="mean"``).

    F is the one-way ANOVA F of |x_ij - mean_i| (Levene 1960); df1 = k - 1, df2 = N - k.

    Example:
        >>> round(levene_test([np.array([1.0, 2, 3]), np.array([1.0, 3, 5])])["F"], 4)
        0.8
    """
    k, n = len(samples), sum(len(s) for s in samples)
    with np.errstate(divide="ignore", invalid="ignore"):
        f, p = stats.levene(*samples, center="mean")
    return {"F": float(f), "df1": float(k - 1), "df2": float(n - k), "pvalue": float(p)}


def t_test(a, b, *, level: float = 0.95) -> dict[str, float]:
    """Independent-samples t test of a vs b: Student and Welch, Levene, Cohen's d, Hedges' g.

    Student: t = (m1 - m2) / (sp sqrt(1/n1 + 1/n2)), df = n1 + n2 - 2.
    Welch: t = (m1 - m2) / sqrt(v1/n1 + v2/n2), df = (v1/n1 + v2/n2)^2 /
    ((v1/n1)^2/(n1 - 1) + (v2/n2)^2/(n2 - 1)).  d = (m1 - m2) / sp; g = d J with
    J = 1 - 3 / (4 (n1 + n2) - 9); eta squared = t^2 / (t^2 + df).

    Example:
        >>> r = t_test([1.0, 2, 3, 4], [3.0, 4, 5, 6])
        >>> round(r["t"], 4), r["df"], round(r["cohen_d"], 4)
        (-2.1909, 6.0, -1.5492)
    """
    a, b = _clean(a), _clean(b)
    n1, n2 = len(a), len(b)
    m1, m2 = a.mean(), b.mean()
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    diff = m1 - m2
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df)
    se = sp * np.sqrt(1 / n1 + 1 / n2)
    se_w = np.sqrt(v1 / n1 + v2 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        df_w = se_w**4 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        t_s, p_s = stats.ttest_ind(a, b, equal_var=True)
        t_w, p_w = stats.ttest_ind(a, b, equal_var=False)
        d = diff / sp
    crit, crit_w = stats.t.ppf(0.5 + level / 2, [df, df_w])
    lev = levene_test([a, b])
    out = {
        "n1": n1, "n2": n2, "mean1": m1, "mean2": m2, "sd1": np.sqrt(v1), "sd2": np.sqrt(v2),
        "levene_F": lev["F"], "levene_df1": lev["df1"], "levene_df2": lev["df2"],
        "levene_p": lev["pvalue"],
        "mean_diff": diff, "t": float(t_s), "df": float(df), "pvalue": float(p_s),
        "se_diff": se, "ci_lower": diff - crit * se, "ci_upper": diff + crit * se,
        "welch_t": float(t_w), "welch_df": float(df_w), "welch_p": float(p_w),
        "welch_se_diff": se_w, "welch_ci_lower": diff - crit_w * se_w,
        "welch_ci_upper": diff + crit_w * se_w,
        "cohen_d": d, "hedges_g": d * (1 - 3 / (4 * (n1 + n2) - 9)),
        "eta2": t_s**2 / (t_s**2 + df),
    }  # fmt: skip
    return {key: float(val) for key, val in out.items()}


def welch_anova(samples: list[np.ndarray]) -> dict[str, float]:
    """Welch's (1951) ANOVA for unequal variances.

    w_i = n_i / s_i^2, W = sum w_i, m' = sum w_i m_i / W,
    A = sum w_i (m_i - m')^2 / (k - 1), L = sum (1 - w_i / W)^2 / (n_i - 1),
    F = A / (1 + 2 (k - 2) L / (k^2 - 1)), df1 = k - 1, df2 = (k^2 - 1) / (3 L).

    Example:
        >>> r = welch_anova([np.array([1.0, 2, 3]), np.array([2.0, 4, 6]), np.array([5.0, 6, 9])])
        >>> round(r["F"], 4), round(r["df2"], 4)
        (5.485, 3.5347)
    """
    samples = [_clean(s) for s in samples]
    k = len(samples)
    n = np.array([len(s) for s in samples], dtype=float)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    with np.errstate(divide="ignore", invalid="ignore"):
        w = n / v
        big_w = w.sum()
        mw = (w * m).sum() / big_w
        a = (w * (m - mw) ** 2).sum() / (k - 1)
        lam = ((1 - w / big_w) ** 2 / (n - 1)).sum()
        f = a / (1 + 2 * (k - 2) * lam / (k**2 - 1))
        df2 = (k**2 - 1) / (3 * lam)
    p = float(stats.f.sf(f, k - 1, df2)) if np.isfinite(f) else np.nan
    return {"F": float(f), "df1": float(k - 1), "df2": float(df2), "pvalue": p}


def one_way_anova(samples: list[np.ndarray]) -> dict[str, float]:
    """One-way ANOVA (F, df1 = k - 1, df2 = N - k, p) with eta and omega squared, Welch's
    ANOVA and Levene's test.

    Example:
        >>> r = one_way_anova([np.array([1.0, 2, 3]), np.array([2.0, 4, 6]), np.array([5.0, 6, 9])])
        >>> round(r["F"], 4), round(r["eta2"], 4), round(r["omega2"], 4)
        (5.2857, 0.6379, 0.4878)
    """
    samples = [_clean(s) for s in samples]
    k = len(samples)
    allx = np.concatenate(samples)
    big_n = len(allx)
    grand = allx.mean()
    ss_b = float(sum(len(s) * (s.mean() - grand) ** 2 for s in samples))
    ss_w = float(sum(((s - s.mean()) ** 2).sum() for s in samples))
    ss_t = ss_b + ss_w
    ms_w = ss_w / (big_n - k)
    with np.errstate(divide="ignore", invalid="ignore"):
        f, p = stats.f_oneway(*samples)
    lev = levene_test(samples)
    wel = welch_anova(samples)
    return {
        "F": float(f), "df1": float(k - 1), "df2": float(big_n - k), "pvalue": float(p),
        "ss_between": ss_b, "ss_within": ss_w, "ms_within": ms_w,
        "eta2": ss_b / ss_t if ss_t > 0 else np.nan,
        "omega2": (ss_b - (k - 1) * ms_w) / (ss_t + ms_w) if ss_t > 0 else np.nan,
        "welch_F": wel["F"], "welch_df1": wel["df1"], "welch_df2": wel["df2"],
        "welch_p": wel["pvalue"],
        "levene_F": lev["F"], "levene_df1": lev["df1"], "levene_df2": lev["df2"],
        "levene_p": lev["pvalue"],
    }  # fmt: skip


# ----------------------------------------------------------------------- post hoc


# The studentized range distribution as the double integral (Copenhaver & Holland 1988):
#   P(Q > q; k, df) = int_0^inf g_df(s) R_k(q s) ds,
#   R_k(w) = P(range of k iid N(0, 1) > w)
#          = k int phi(z) [Phi(z)^(k-1) - (Phi(z) - Phi(z - w))^(k-1)] dz,
# with g_df the density of s = sqrt(chi2_df / df). Both integrals are trapezoid sums on fixed
# grids (z in [-9, 9]; log s between the 1e-15 and 1 - 1e-15 quantiles), which converge
# geometrically for these smooth, fast-decaying integrands: the tests find agreement with
# scipy.stats.studentized_range to 1e-9 at a fraction of its adaptive quadrature's cost
# (scipy needs about 18 ms per value; a results chapter has hundreds of pairs).
_Z = np.linspace(-9.0, 9.0, 301)
_WZ = np.full(_Z.size, _Z[1] - _Z[0])
_WZ[[0, -1]] /= 2
_PHI_Z = norm_pdf(_Z) * _WZ
_CDF_Z = ndtr(_Z)


def _range_sf(w: np.ndarray, k: int) -> np.ndarray:
    inner = _CDF_Z ** (k - 1) - (_CDF_Z - ndtr(_Z - w[..., None])) ** (k - 1)
    return np.clip(k * (inner * _PHI_Z).sum(-1), 0.0, 1.0)


@lru_cache(maxsize=256)
def _s_grid(df: float, n: int = 161) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = stats.chi2.ppf(1e-15, df), stats.chi2.isf(1e-15, df)
    t = np.linspace(0.5 * np.log(lo / df), 0.5 * np.log(hi / df), n)
    x = df * np.exp(2 * t)
    w = np.full(n, t[1] - t[0])
    w[[0, -1]] /= 2
    return np.exp(t), np.exp(stats.chi2.logpdf(x, df) + np.log(2 * x)) * w


def studentized_range_sf(q, k: int, df: float) -> np.ndarray:
    """P(Q > q) for the studentized range of ``k`` means with ``df`` error df (vectorized
    over ``q``); agrees with ``scipy.stats.studentized_range.sf`` to 1e-9.

    Example:
        >>> round(float(studentized_range_sf(3.5, 3, 20)[0]), 6)
        0.055892
    """
    q = np.atleast_1d(np.asarray(q, dtype=float))
    out = np.full(q.shape, np.nan)
    ok = np.isfinite(q)
    out[ok & (q <= 0)] = 1.0
    pos = ok & (q > 0)
    if pos.any():
        if np.isinf(df):
            out[pos] = _range_sf(q[pos], k)
        else:
            s, dens = _s_grid(float(df))
            out[pos] = np.clip((_range_sf(q[pos][:, None] * s, k) * dens).sum(-1), 0.0, 1.0)
    return out


@lru_cache(maxsize=512)
def _q_crit(level: float, k: int, df: float) -> float:
    """The ``level`` quantile of the studentized range (root of sf(q) = 1 - level)."""
    from scipy.optimize import brentq

    def f(q: float) -> float:
        return float(studentized_range_sf(q, k, df)[0]) - (1 - level)

    hi = 10.0
    while f(hi) > 0:
        hi *= 2
    return float(brentq(f, 1e-8, hi, xtol=1e-12))


def posthoc_table(
    samples: list[np.ndarray],
    labels: list | None = None,
    method: str = "tukey",
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """All pairwise comparisons after a one-way ANOVA; one row per pair (i < j).

    mean_diff = m_i - m_j (SPSS's I - J). With MS_w = SS_within / (N - k):

    * ``tukey`` (Tukey-Kramer): se = sqrt(MS_w / 2 (1/n_i + 1/n_j)), q = |diff| / se,
      p from the studentized range (k, N - k); CI diff +- q_crit se.
    * ``lsd`` (Fisher): se = sqrt(MS_w (1/n_i + 1/n_j)), t = diff / se, df = N - k.
    * ``scheffe``: the LSD se, F = t^2 / (k - 1) on (k - 1, N - k); CI diff +-
      sqrt((k - 1) F_crit) se.
    * ``games-howell``: se = sqrt((v_i/n_i + v_j/n_j) / 2), Welch df per pair, q = |diff| / se
      on the studentized range (k, df_ij) (Games & Howell 1976).

    Columns: group_a, group_b, mean_diff, se (of the difference, i.e. sqrt(2) x the q-scale
    se for Tukey and Games-Howell, as SPSS prints), statistic (q, t or F), df, pvalue,
    ci_lower, ci_upper, method.

    Example:
        >>> s = [np.array([1.0, 2, 3]), np.array([2.0, 4, 6]), np.array([5.0, 6, 9])]
        >>> posthoc_table(s, ["a", "b", "c"])["pvalue"].round(4).tolist()
        [0.4037, 0.0405, 0.2324]
    """
    method = method.lower().replace("_", "-").replace(" ", "-")
    if method in ("scheffé", "scheffe"):
        method = "scheffe"
    if method not in POSTHOC_METHODS:
        raise InputError(f"post-hoc method must be one of {', '.join(POSTHOC_METHODS)}")
    samples = [_clean(s) for s in samples]
    labels = list(range(len(samples))) if labels is None else list(labels)
    k = len(samples)
    n = np.array([len(s) for s in samples], dtype=float)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    df_w = n.sum() - k
    ms_w = float(((n - 1) * v).sum() / df_w)
    rows = []
    for i in range(k):
        for j in range(i + 1, k):
            rows.append(_pair(method, i, j, n, m, v, k, df_w, ms_w, level))
            rows[-1] = {"group_a": labels[i], "group_b": labels[j], **rows[-1]}
    return pd.DataFrame(rows)


def _pair(method, i, j, n, m, v, k, df_w, ms_w, level) -> dict:
    diff = m[i] - m[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "games-howell":
            a, b = v[i] / n[i], v[j] / n[j]
            se = np.sqrt(a + b)
            df = (a + b) ** 2 / (a**2 / (n[i] - 1) + b**2 / (n[j] - 1))
        else:
            se = np.sqrt(ms_w * (1 / n[i] + 1 / n[j]))
            df = df_w
        if method in ("tukey", "games-howell"):
            stat = abs(diff) / (se / np.sqrt(2))
            ok = np.isfinite(stat) and np.isfinite(df)
            p = float(studentized_range_sf(stat, k, df)[0]) if ok else np.nan
            half = _q_crit(level, k, float(df)) / np.sqrt(2) * se if ok else np.nan
        elif method == "lsd":
            stat = diff / se
            p = float(2 * stats.t.sf(abs(stat), df))
            half = stats.t.ppf(0.5 + level / 2, df) * se
        else:  # scheffe
            stat = (diff / se) ** 2 / (k - 1)
            p = float(stats.f.sf(stat, k - 1, df))
            half = np.sqrt((k - 1) * stats.f.ppf(level, k - 1, df)) * se
    return {
        "mean_diff": diff, "se": se, "statistic": float(stat), "df": float(df), "pvalue": p,
        "ci_lower": diff - half, "ci_upper": diff + half, "method": method,
    }  # fmt: skip


# ----------------------------------------------------------------------- the whole table


@dataclass
class GroupDifferences(ResultMixin):
    """Tables of :func:`group_difference_tests` (all long format, one row per unit).

    * ``tests``: one row per construct x variable (t test or ANOVA; the ``*_used`` columns
      hold Student's/ANOVA's or Welch's result, whichever Levene's test points to);
    * ``groups``: n, mean, SD of each construct in each group;
    * ``posthoc``: the pairwise comparisons of every ANOVA;
    * ``skipped``: groups (or whole tests) left out and why.
    """

    tests: pd.DataFrame
    groups: pd.DataFrame
    posthoc: pd.DataFrame
    skipped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def warnings_of(self, variable: str) -> list[str]:
        """The warnings about ``variable`` (its small groups, too few groups), for the note
        of its own table only.

        Example:
            >>> gd.warnings_of("gender")  # doctest: +SKIP
            []
        """
        return [w for w in self.warnings if getattr(w, "fields", {}).get("variable") == variable]


def _label(value_labels: dict | None, value) -> str:
    if value_labels:
        for key in (value, _num(value)):
            if key in value_labels:
                return str(value_labels[key])
    v = _num(value)
    return f"{v:g}" if isinstance(v, float) else str(value)


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _sort_key(value):
    v = _num(value)
    return (0, v, "") if isinstance(v, float) else (1, 0.0, str(v))


def _groups_of(score: pd.Series, group: pd.Series, min_size: int):
    ok = score.notna() & group.notna()
    values = sorted(pd.unique(group[ok]), key=_sort_key)
    kept, small = [], []
    for val in values:
        x = score[ok & (group == val)].to_numpy(dtype=float)
        (kept if len(x) >= min_size else small).append((val, x))
    return kept, small


def _test_row(kept, alpha: float, level: float) -> tuple[dict, str]:
    samples = [x for _, x in kept]
    if len(kept) == 2:
        r = t_test(samples[0], samples[1], level=level)
        row = {
            "test": "t", "levene_F": r["levene_F"], "levene_df1": r["levene_df1"],
            "levene_df2": r["levene_df2"], "levene_p": r["levene_p"],
            "statistic": r["t"], "df1": r["df"], "df2": np.nan, "pvalue": r["pvalue"],
            "welch_statistic": r["welch_t"], "welch_df1": r["welch_df"], "welch_df2": np.nan,
            "welch_p": r["welch_p"], "mean_diff": r["mean_diff"], "se_diff": r["se_diff"],
            "ci_lower": r["ci_lower"], "ci_upper": r["ci_upper"],
            "welch_se_diff": r["welch_se_diff"], "welch_ci_lower": r["welch_ci_lower"],
            "welch_ci_upper": r["welch_ci_upper"], "cohen_d": r["cohen_d"],
            "hedges_g": r["hedges_g"], "eta2": r["eta2"], "omega2": np.nan,
        }  # fmt: skip
    else:
        r = one_way_anova(samples)
        row = {
            "test": "anova", **{c: r[c] for c in ("levene_F", "levene_df1", "levene_df2")},
            "levene_p": r["levene_p"], "statistic": r["F"], "df1": r["df1"], "df2": r["df2"],
            "pvalue": r["pvalue"], "welch_statistic": r["welch_F"],
            "welch_df1": r["welch_df1"], "welch_df2": r["welch_df2"], "welch_p": r["welch_p"],
            "cohen_d": np.nan, "hedges_g": np.nan, "eta2": r["eta2"], "omega2": r["omega2"],
        }  # fmt: skip
    unequal = bool(np.isfinite(row["levene_p"]) and row["levene_p"] < alpha)
    row["equal_variances"] = not unequal
    pre = "welch_" if unequal else ""
    row["statistic_used"] = row[pre + "statistic"]
    row["df1_used"], row["df2_used"] = row[pre + "df1"], row[pre + "df2"]
    row["pvalue_used"] = row[pre + "p" if unequal else "pvalue"]
    row["significant"] = bool(row["pvalue_used"] < alpha)
    return row, "welch" if unequal else ("student" if len(kept) == 2 else "anova")


def _warn(warnings: list[str], msg: str) -> None:
    if msg not in warnings:
        warnings.append(msg)


def _one_pair(score, group, base, vlab, opts, out) -> None:
    """Test one construct across one variable's groups; append to ``out``'s lists."""
    min_size, alpha, level = opts["min_group_size"], opts["alpha"], opts["level"]
    kept, small = _groups_of(score, group, min_size)
    for val, x in small:
        lab = _label(vlab, val)
        out["skipped"].append(
            {**base, "group": val, "group_label": lab, "n": len(x),
             "reason": f"fewer than {min_size} respondents"}
        )  # fmt: skip
        msg = (
            f"{base['variable']} = {lab}: {len(x)} respondent(s), fewer than {min_size}; "
            "group left out of the difference tests"
        )
        _warn(out["warnings"], Notice("groups.small_group", msg, variable=base["variable"],
                                      group=str(lab), n=len(x), min=min_size,
                                      value=val))  # fmt: skip
    for val, x in kept:
        out["groups"].append(
            {**base, "group": val, "group_label": _label(vlab, val), "n": len(x),
             "mean": x.mean(), "sd": x.std(ddof=1)}
        )  # fmt: skip
    if len(kept) < 2:
        out["skipped"].append(
            {**base, "group": None, "group_label": "", "n": sum(len(x) for _, x in kept),
             "reason": "fewer than two groups to compare"}
        )  # fmt: skip
        msg = f"{base['variable']}: fewer than two groups to compare; not tested"
        _warn(out["warnings"], Notice("groups.too_few", msg, variable=base["variable"]))
        return
    row, _ = _test_row(kept, alpha, level)
    row = {**base, "k": len(kept), "n": sum(len(x) for _, x in kept), **row}
    row["posthoc_method"] = None
    if len(kept) > 2:
        unequal = not row["equal_variances"]
        method = "games-howell" if opts["games_howell_if_unequal"] and unequal else opts["posthoc"]
        ph = posthoc_table([x for _, x in kept], [v for v, _ in kept], method, level=level)
        row["posthoc_method"] = ph["method"].iloc[0]
        ph.insert(2, "label_b", [_label(vlab, v) for v in ph["group_b"]])
        ph.insert(1, "label_a", [_label(vlab, v) for v in ph["group_a"]])
        ph["significant"] = ph["pvalue"] < alpha
        out["posthoc"].append(pd.concat([pd.DataFrame([base] * len(ph)), ph], axis=1))
    out["tests"].append(row)


_BASE = ["variable", "variable_label", "construct", "construct_label"]
_SKIPPED = _BASE + ["group", "group_label", "n", "reason"]


def group_difference_tests(
    scores: pd.DataFrame,
    groups: pd.DataFrame,
    variables: list[str] | None = None,
    *,
    value_labels: dict[str, dict] | None = None,
    variable_labels: dict[str, str] | None = None,
    construct_labels: dict[str, str] | None = None,
    min_group_size: int = 2,
    posthoc: str = "tukey",
    games_howell_if_unequal: bool = True,
    alpha: float = 0.05,
    level: float = 0.95,
) -> GroupDifferences:
    """Test every construct score (columns of ``scores``) across the groups of every
    variable in ``variables`` (columns of ``groups``, same rows as ``scores``).

    Two groups -> t test (Student and Welch); more -> one-way ANOVA, Welch's ANOVA and the
    ``posthoc`` test (``tukey``, ``lsd``, ``scheffe``; ``games-howell`` is used instead when
    Levene's p < ``alpha`` and ``games_howell_if_unequal``). Groups with fewer than
    ``min_group_size`` respondents are skipped and listed; a variable left with fewer than
    two groups is skipped for that construct. Labels default to the codes.

    Example:
        >>> sc = pd.DataFrame({"SAT": [1.0, 2, 3, 4, 5, 6]})
        >>> gr = pd.DataFrame({"gender": [1, 1, 1, 2, 2, 2]})
        >>> t = group_difference_tests(sc, gr).tests
        >>> t[["test", "df1"]].to_dict("records"), round(float(t["statistic"].iloc[0]), 4)
        ([{'test': 't', 'df1': 4.0}], -3.6742)
    """
    if min_group_size < 2:
        raise InputError(f"min_group_size must be at least 2, got {min_group_size}")
    if posthoc.lower().replace("_", "-") not in POSTHOC_METHODS + ("scheffé",):
        raise InputError(f"post-hoc method must be one of {', '.join(POSTHOC_METHODS)}")
    variables = list(groups.columns) if variables is None else list(variables)
    absent = [v for v in variables if v not in groups.columns]
    if absent:
        raise InputError("the demographic variable is not in the data", column=absent[0])
    if len(groups) != len(scores):
        raise InputError("scores and groups must have the same respondents (rows)")
    value_labels, variable_labels = value_labels or {}, variable_labels or {}
    construct_labels = construct_labels or {}
    scores, groups = scores.reset_index(drop=True), groups.reset_index(drop=True)
    opts = {
        "min_group_size": min_group_size, "posthoc": posthoc, "alpha": alpha, "level": level,
        "games_howell_if_unequal": games_howell_if_unequal,
    }  # fmt: skip
    out: dict[str, list] = {k: [] for k in ("tests", "groups", "posthoc", "skipped", "warnings")}
    for var in variables:
        for con in scores.columns:
            base = {
                "variable": var, "variable_label": variable_labels.get(var, var),
                "construct": con, "construct_label": construct_labels.get(con, con),
            }  # fmt: skip
            _one_pair(scores[con], groups[var], base, value_labels.get(var, {}), opts, out)
    return GroupDifferences(
        tests=pd.DataFrame(out["tests"]),
        groups=pd.DataFrame(out["groups"]),
        posthoc=pd.concat(out["posthoc"], ignore_index=True) if out["posthoc"] else pd.DataFrame(),
        skipped=pd.DataFrame(out["skipped"], columns=_SKIPPED),
        warnings=out["warnings"],
        settings={**opts, "levene_center": "mean", "software": f"scipy {_scipy_version()}"},
    )


def _scipy_version() -> str:
    import scipy

    return scipy.__version__


def group_differences(
    data: pd.DataFrame,
    instrument,
    *,
    variables: list[str] | None = None,
    lang: str = "en",
    missing: str = "available",
    **options,
) -> GroupDifferences:
    """:func:`group_difference_tests` with construct scores (mean of each construct's items)
    and the demographic variables, their names and value labels from the instrument
    (``[[demographics]]`` of the model file) in language ``lang``.

    ``variables`` defaults to the instrument's demographics present in ``data`` that are not
    continuous (:func:`~loyaltysem.psychometrics.descriptives.is_continuous`: age in years is
    described by its mean and SD, not tested across ~50 single years); ``options``
    go to :func:`group_difference_tests` (``posthoc``, ``min_group_size``, ``alpha``, ...).

    Example:
        >>> from loyaltysem.survey.loaders import load
        >>> s = load("data/online_loyalty.csv", instrument="models/online_loyalty.toml")
        >>> res = group_differences(s.data, s.instrument, lang="zh")
        >>> res.tests.query("variable == 'gender'")[["construct", "pvalue_used"]].shape
        (12, 2)
    """
    demos = {d.code: d for d in getattr(instrument, "demographics", [])}
    if variables is None:
        present = [c for c in demos if c in data.columns]
        continuous = continuous_demographics(data, present, instrument)
        variables = [c for c in present if c not in continuous]
    absent = [v for v in variables if v not in data.columns]
    if absent:
        raise InputError("the demographic variable is not in the data", column=absent[0])
    scores = construct_scores(data, instrument.construct_items, missing=missing)

    def name(d) -> str:
        return d.name.get(lang) or d.name.get("en") or d.code

    value_labels = {
        code: {v: (t.get(lang) or t.get("en") or f"{v:g}") for v, t in d.values.items()}
        for code, d in demos.items()
    }
    return group_difference_tests(
        scores,
        data[variables],
        variables,
        value_labels=value_labels,
        variable_labels={code: name(d) for code, d in demos.items()},
        construct_labels={c.code: c.label(lang) for c in instrument.constructs},
        **options,
    )
