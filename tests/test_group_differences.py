"""Demographic difference tests against statsmodels, pingouin and the closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import LazyModule
from scipy import stats

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.group_differences import (
    group_difference_tests,
    group_differences,
    levene_test,
    one_way_anova,
    posthoc_table,
    t_test,
    welch_anova,
)
from loyaltysem.survey.instrument import read_instrument

pg = LazyModule("pingouin")
sm = LazyModule("statsmodels.api")
_formula = LazyModule("statsmodels.formula.api")
_multicomp = LazyModule("statsmodels.stats.multicomp")
_oneway = LazyModule("statsmodels.stats.oneway")
_weightstats = LazyModule("statsmodels.stats.weightstats")


def ols(*args, **kw):
    return _formula.ols(*args, **kw)


def pairwise_tukeyhsd(*args, **kw):
    return _multicomp.pairwise_tukeyhsd(*args, **kw)


def anova_oneway(*args, **kw):
    return _oneway.anova_oneway(*args, **kw)


def sm_ttest(*args, **kw):
    return _weightstats.ttest_ind(*args, **kw)


TOL = 1e-8


def _col(df: pd.DataFrame, *names: str) -> pd.Series:
    """pingouin renamed its columns between versions (p-val -> p_val, ...)."""
    for n in names:
        if n in df.columns:
            return df[n]
    raise KeyError(names)


@pytest.fixture(scope="module")
def unequal() -> pd.DataFrame:
    """Four groups of unequal size, means and spread (Levene rejects)."""
    rng = np.random.default_rng(7)
    sizes, means, sds = [25, 40, 18, 33], [3.0, 3.4, 4.2, 3.1], [0.6, 0.9, 1.8, 0.7]
    y = np.concatenate([rng.normal(m, s, n) for n, m, s in zip(sizes, means, sds, strict=True)])
    g = np.repeat([1, 2, 3, 4], sizes)
    return pd.DataFrame({"y": np.round(y, 2), "g": g})


def _samples(df: pd.DataFrame) -> list[np.ndarray]:
    return [df.loc[df["g"] == v, "y"].to_numpy() for v in sorted(df["g"].unique())]


# ------------------------------------------------------------------------- t test


def test_t_test_against_statsmodels_pingouin_and_closed_form(example_frame):
    inst = read_instrument("models/online_loyalty.toml")
    items = inst.construct_items["SAT"]
    score = example_frame[items].mean(axis=1)
    ok = score.notna()
    a = score[ok & (example_frame["gender"] == 1)].to_numpy()
    b = score[ok & (example_frame["gender"] == 2)].to_numpy()
    r = t_test(a, b)
    for usevar, key, dfkey in (("pooled", "t", "df"), ("unequal", "welch_t", "welch_df")):
        t, p, df = sm_ttest(a, b, usevar=usevar)
        assert r[key] == pytest.approx(t, abs=TOL)
        assert r[dfkey] == pytest.approx(df, abs=TOL)
        assert r["pvalue" if usevar == "pooled" else "welch_p"] == pytest.approx(p, abs=TOL)
    for corr, key in ((False, "t"), (True, "welch_t")):
        res = pg.ttest(a, b, correction=corr)
        assert r[key] == pytest.approx(float(res["T"].iloc[0]), abs=TOL)
    # Cohen's d with the pooled SD and Hedges' g, by hand and by pingouin
    n1, n2 = len(a), len(b)
    sp = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    assert r["cohen_d"] == pytest.approx((a.mean() - b.mean()) / sp, abs=TOL)
    assert r["cohen_d"] == pytest.approx(pg.compute_effsize(a, b, eftype="cohen"), abs=TOL)
    assert r["hedges_g"] == pytest.approx(pg.compute_effsize(a, b, eftype="hedges"), abs=TOL)
    # the mean difference's CI (SPSS's Independent Samples Test table)
    se = sp * np.sqrt(1 / n1 + 1 / n2)
    crit = stats.t.ppf(0.975, n1 + n2 - 2)
    assert r["ci_lower"] == pytest.approx(a.mean() - b.mean() - crit * se, abs=TOL)
    cm = sm.stats.CompareMeans.from_data(a, b)
    lo, hi = cm.tconfint_diff(usevar="unequal")
    assert (r["welch_ci_lower"], r["welch_ci_upper"]) == pytest.approx((lo, hi), abs=TOL)


def test_levene_is_the_anova_of_absolute_deviations_from_the_means(unequal):
    s = _samples(unequal)
    dev = [np.abs(x - x.mean()) for x in s]
    f, p = stats.f_oneway(*dev)  # Levene (1960) by definition
    r = levene_test(s)
    assert (r["F"], r["pvalue"]) == pytest.approx((f, p), abs=TOL)
    h = pg.homoscedasticity(unequal, dv="y", group="g", method="levene", center="mean")
    assert r["F"] == pytest.approx(float(h["W"].iloc[0]), abs=TOL)
    # scipy's default (median-centred, Brown-Forsythe) is a different number: not used
    assert stats.levene(*s)[0] != pytest.approx(r["F"], abs=1e-4)


# ------------------------------------------------------------------------- ANOVA


def test_anova_effect_sizes_and_welch_against_statsmodels_and_pingouin(unequal):
    s = _samples(unequal)
    r = one_way_anova(s)
    aov = sm.stats.anova_lm(ols("y ~ C(g)", data=unequal).fit())
    ss_b, ss_w = aov["sum_sq"].iloc[0], aov["sum_sq"].iloc[1]
    df_b, df_w = aov["df"].iloc[0], aov["df"].iloc[1]
    assert (r["F"], r["pvalue"]) == pytest.approx((aov["F"].iloc[0], aov["PR(>F)"].iloc[0]))
    assert (r["df1"], r["df2"]) == (df_b, df_w)
    ms_w = ss_w / df_w
    assert r["eta2"] == pytest.approx(ss_b / (ss_b + ss_w), abs=TOL)
    assert r["omega2"] == pytest.approx((ss_b - df_b * ms_w) / (ss_b + ss_w + ms_w), abs=TOL)
    pga = pg.anova(data=unequal, dv="y", between="g", detailed=True, effsize="n2")
    assert r["eta2"] == pytest.approx(float(pga[_col(pga, "n2", "np2").name].iloc[0]), abs=TOL)
    w = anova_oneway(unequal["y"], unequal["g"], use_var="unequal", welch_correction=True)
    assert (r["welch_F"], r["welch_p"]) == pytest.approx((w.statistic, w.pvalue), abs=TOL)
    assert (r["welch_df1"], r["welch_df2"]) == pytest.approx(tuple(w.df), abs=TOL)
    pw = pg.welch_anova(data=unequal, dv="y", between="g")
    assert r["welch_F"] == pytest.approx(float(pw["F"].iloc[0]), abs=TOL)
    assert r["welch_df2"] == pytest.approx(float(pw["ddof2"].iloc[0]), abs=TOL)


def test_welch_anova_of_two_groups_is_the_squared_welch_t(unequal):
    a, b = _samples(unequal)[:2]
    assert welch_anova([a, b])["F"] == pytest.approx(t_test(a, b)["welch_t"] ** 2, abs=TOL)
    assert welch_anova([a, b])["df2"] == pytest.approx(t_test(a, b)["welch_df"], abs=TOL)


# ------------------------------------------------------------------------- post hoc


def test_tukey_against_statsmodels_scipy_and_pingouin(unequal):
    s = _samples(unequal)
    r = posthoc_table(s, [1, 2, 3, 4], "tukey")
    th = pairwise_tukeyhsd(unequal["y"], unequal["g"])
    # statsmodels reports group2 - group1; we report group_a - group_b (SPSS's I - J)
    assert np.allclose(r["mean_diff"], -th.meandiffs, atol=TOL)
    assert np.allclose(r["pvalue"], th.pvalues, atol=1e-6)
    assert np.allclose(r["ci_lower"], -th.confint[:, 1], atol=1e-6)
    sc = stats.tukey_hsd(*s)
    ci = sc.confidence_interval(0.95)
    for row in r.itertuples():
        i, j = row.group_a - 1, row.group_b - 1
        assert row.pvalue == pytest.approx(sc.pvalue[i, j], abs=1e-6)
        assert row.ci_upper == pytest.approx(ci.high[i, j], abs=1e-6)
    pt = pg.pairwise_tukey(data=unequal, dv="y", between="g")
    assert np.allclose(r["pvalue"], _col(pt, "p_tukey", "p-tukey"), atol=1e-6)
    assert np.allclose(r["se"], pt["se"], atol=TOL)


def test_games_howell_against_pingouin(unequal):
    r = posthoc_table(_samples(unequal), [1, 2, 3, 4], "games-howell")
    gh = pg.pairwise_gameshowell(data=unequal, dv="y", between="g")
    assert np.allclose(r["mean_diff"], gh["diff"], atol=TOL)
    assert np.allclose(r["df"], gh["df"], atol=TOL)
    assert np.allclose(r["se"], gh["se"], atol=TOL)
    assert np.allclose(r["statistic"], np.abs(gh["T"]) * np.sqrt(2), atol=TOL)  # q = |t| sqrt 2
    assert np.allclose(r["pvalue"], _col(gh, "pval", "p_val"), atol=1e-6)


def test_lsd_and_scheffe_are_the_ols_contrast_tests(unequal):
    fit = ols("y ~ C(g)", data=unequal).fit()
    names = fit.params.index.tolist()  # Intercept, C(g)[T.2], C(g)[T.3], C(g)[T.4]
    k, df_w = 4, fit.df_resid
    lsd = posthoc_table(_samples(unequal), [1, 2, 3, 4], "lsd")
    sch = posthoc_table(_samples(unequal), [1, 2, 3, 4], "scheffe")
    for row, srow in zip(lsd.itertuples(), sch.itertuples(), strict=True):
        c = np.zeros(len(names))
        for g, sign in ((row.group_a, 1.0), (row.group_b, -1.0)):
            if g > 1:
                c[names.index(f"C(g)[T.{g}]")] = sign
        tt = fit.t_test(c)
        assert row.statistic == pytest.approx(float(tt.tvalue.item()), abs=TOL)
        assert row.pvalue == pytest.approx(float(tt.pvalue), abs=TOL)
        lo, hi = np.asarray(tt.conf_int()).ravel()
        assert (row.ci_lower, row.ci_upper) == pytest.approx((lo, hi), abs=TOL)
        # Scheffe: F = t^2 / (k - 1) on (k - 1, N - k)
        f = float(tt.tvalue.item()) ** 2 / (k - 1)
        assert srow.statistic == pytest.approx(f, abs=TOL)
        assert srow.pvalue == pytest.approx(stats.f.sf(f, k - 1, df_w), abs=TOL)
        half = np.sqrt((k - 1) * stats.f.ppf(0.95, k - 1, df_w)) * float(tt.sd.item())
        assert srow.ci_upper - srow.mean_diff == pytest.approx(half, abs=TOL)
    assert (sch["pvalue"] >= lsd["pvalue"]).all()  # Scheffe is the more conservative


# ------------------------------------------------------------------------- the table


def test_table_on_the_example_uses_the_instrument_labels(example_frame):
    inst = read_instrument("models/online_loyalty.toml")
    res = group_differences(example_frame, inst, lang="zh")
    t = res.tests
    assert set(t["variable"]) == {"gender", "age_band", "frequency", "education"}
    assert len(t) == 4 * len(inst.constructs)
    assert (t.query("variable == 'gender'")["test"] == "t").all()
    assert (t.query("variable != 'gender'")["test"] == "anova").all()
    assert set(t["variable_label"]) == {"性别", "年龄", "网购频率", "学历"}
    assert set(res.groups.query("variable == 'gender'")["group_label"]) == {"男", "女"}
    # one row recomputed by hand: LOY by education
    row = t.query("variable == 'education' and construct == 'LOY'").iloc[0]
    score = example_frame[inst.construct_items["LOY"]].mean(axis=1)
    s = [score[(example_frame["education"] == v) & score.notna()].to_numpy() for v in (1, 2, 3, 4)]
    f, p = stats.f_oneway(*s)
    assert (row["statistic"], row["pvalue"]) == pytest.approx((f, p), abs=TOL)
    assert row["n"] == sum(len(x) for x in s)
    ph = res.posthoc.query("variable == 'education' and construct == 'LOY'")
    assert len(ph) == 6 and set(ph["method"]) == {row["posthoc_method"]}
    used = "welch_p" if not row["equal_variances"] else "pvalue"
    assert row["pvalue_used"] == row[used]


def test_games_howell_replaces_the_default_when_variances_differ(unequal):
    sc = unequal[["y"]]
    res = group_difference_tests(sc, unequal[["g"]], posthoc="scheffe")
    row = res.tests.iloc[0]
    assert row["levene_p"] < 0.05 and not row["equal_variances"]
    assert row["posthoc_method"] == "games-howell"
    assert row["pvalue_used"] == row["welch_p"]
    res2 = group_difference_tests(
        sc, unequal[["g"]], posthoc="scheffe", games_howell_if_unequal=False
    )
    assert res2.tests.iloc[0]["posthoc_method"] == "scheffe"
    assert set(res2.posthoc["method"]) == {"scheffe"}


def test_small_groups_are_skipped_with_a_warning():
    sc = pd.DataFrame({"A": [1.0, 2, 3, 4, 5, 6, 7, 2.5, np.nan]})
    gr = pd.DataFrame({"edu": [1, 1, 1, 2, 2, 2, 3, 1, 3], "one": [1] * 8 + [2]})
    res = group_difference_tests(sc, gr, value_labels={"edu": {3.0: "PhD"}})
    row = res.tests.query("variable == 'edu'").iloc[0]
    assert row["test"] == "t" and row["k"] == 2 and row["n"] == 7  # PhD (1 answer) left out
    sk = res.skipped
    assert sk.query("variable == 'edu'")["group_label"].tolist() == ["PhD"]
    assert sk.query("variable == 'one'")["reason"].iloc[-1] == "fewer than two groups to compare"
    assert any("PhD" in w for w in res.warnings)
    assert "one" not in set(res.tests["variable"])
    # a larger minimum leaves out more
    res3 = group_difference_tests(sc, gr[["edu"]], min_group_size=4)
    assert res3.tests.empty and len(res3.skipped) == 3


def test_bad_options_raise_input_error():
    sc = pd.DataFrame({"A": [1.0, 2, 3, 4]})
    gr = pd.DataFrame({"g": [1, 1, 2, 2]})
    with pytest.raises(InputError):
        group_difference_tests(sc, gr, posthoc="bonferroni")
    with pytest.raises(InputError):
        group_difference_tests(sc, gr, ["nope"])
    with pytest.raises(InputError):
        group_difference_tests(sc, gr, min_group_size=1)


@pytest.mark.parametrize("k", [2, 3, 4, 7])
@pytest.mark.parametrize("df", [1.3, 4.0, 27.6, 396.0, np.inf])
def test_studentized_range_against_scipy(k, df):
    from loyaltysem.psychometrics.group_differences import _q_crit, studentized_range_sf

    q = np.array([0.0, 0.3, 1.0, 2.2, 3.3, 4.1, 5.5, 8.0, 15.0])
    ref = stats.studentized_range.sf(q, k, df)
    assert np.allclose(studentized_range_sf(q, k, df), ref, atol=1e-9, rtol=0)
    if np.isfinite(df) and df > 2:
        assert _q_crit(0.95, k, df) == pytest.approx(
            stats.studentized_range.ppf(0.95, k, df), abs=1e-7
        )
