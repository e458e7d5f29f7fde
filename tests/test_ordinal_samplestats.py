"""Ordered items: thresholds, polychoric/polyserial correlations, NACOV and WLS.V against
lavaan 0.6.14 (tests/fixtures/R/ordinal.R on psych::bfi), the bivariate normal CDF against
scipy and numerical integration, and the one-line errors / warnings for bad ordered data."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from ordinal_fixtures import ordinal_fixture as _fixture
from scipy import integrate
from scipy.stats import multivariate_normal, norm

from loyaltysem.base.errors import InputError
from loyaltysem.samplestats import (
    OrdinalDataWarning,
    bvn_cdf,
    bvn_pdf,
    ordinal_sample_stats,
)
from loyaltysem.samplestats.bvn import bvn_pdf_drho
from loyaltysem.semcore.estimate.options import resolve_options

FIX = Path(__file__).parent / "fixtures" / "ordinal"
TOL_TH = 1e-4  # thresholds and correlations (issue: 1e-3)
RTOL_NACOV = 1e-3


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame()


def _check_group(st, ref: dict, centred: bool = True) -> None:
    """Compare one group's statistics with lavaan's lavInspect output."""
    assert st.nobs == ref["nobs"]
    assert st.ov == ref["ov"]
    keep = st.th_idx > 0
    assert [n for n, k in zip(st.th_names, keep, strict=True) if k] == ref["th_names"]
    np.testing.assert_allclose(st.th[keep], ref["th"], rtol=0, atol=TOL_TH)
    np.testing.assert_allclose(st.cov, np.array(ref["cov"]), rtol=0, atol=TOL_TH)
    np.testing.assert_allclose(st.mean, ref["mean"], rtol=0, atol=1e-10)
    assert st.wls_obs_names == ref["wls_obs_names"]
    np.testing.assert_allclose(st.wls_obs, ref["wls_obs"], rtol=1e-6, atol=TOL_TH)
    np.testing.assert_allclose(st.wls_v_diag, ref["wls_v_diag"], rtol=RTOL_NACOV)
    assert len(st.zero_cell_tables) == ref["zero_cell_tables"]
    nac = ref["nacov"]
    assert st.nacov.shape == (nac["dim"], nac["dim"])
    if "full" in nac:
        full = np.array(nac["full"])
        scale = np.abs(np.diag(full)).max()
        np.testing.assert_allclose(st.nacov, full, rtol=RTOL_NACOV, atol=1e-6 * scale)
    else:
        np.testing.assert_allclose(np.diag(st.nacov), nac["diag"], rtol=RTOL_NACOV)
        np.testing.assert_allclose(np.trace(st.nacov), nac["trace"], rtol=RTOL_NACOV)
        np.testing.assert_allclose(np.abs(st.nacov).sum(), nac["sum_abs"], rtol=RTOL_NACOV)
        sample = st.nacov[nac["row"], nac["col"]]
        scale = np.abs(nac["diag"]).max()
        np.testing.assert_allclose(sample, nac["value"], rtol=RTOL_NACOV, atol=1e-6 * scale)
    # Gamma = influence' influence / N, influence columns centred (the scores of an MLE sum
    # to zero; not for 2 x 2 tables whose rho is estimated from the table with 0.5 added)
    np.testing.assert_allclose(st.influence.T @ st.influence / st.nobs, st.nacov, rtol=1e-12)
    if centred:
        np.testing.assert_allclose(st.influence.mean(axis=0), 0.0, atol=1e-6 * np.sqrt(scale))


# ------------------------------------------------------------------ bivariate normal CDF
def test_bvn_cdf_matches_scipy_and_quadrature():
    rng = np.random.default_rng(16)
    h, k = rng.uniform(-4, 4, 300), rng.uniform(-4, 4, 300)
    r = rng.uniform(-0.9999, 0.9999, 300)
    # every branch of Genz's algorithm: |r| < .3, < .75, < .925, >= .925, near 1, 0
    r[:12] = [0, 0.29, -0.3, 0.74, -0.75, 0.9, -0.924, 0.925, -0.95, 0.999, -0.9999, 0.9999999]
    ours = bvn_cdf(h, k, r)
    ref = np.array(
        [
            multivariate_normal.cdf([a, b], cov=[[1, c], [c, 1]], abseps=1e-14, releps=1e-14)
            for a, b, c in zip(h, k, r, strict=True)
        ]
    )
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-10)

    def quad(a, b, c):  # P(X < a, Y < b) = int_-inf^a phi(x) Phi((b - c x)/sqrt(1-c^2)) dx
        s = np.sqrt(1 - c * c)
        f = lambda x: norm.pdf(x) * norm.cdf((b - c * x) / s)  # noqa: E731
        return integrate.quad(f, -np.inf, a, epsabs=1e-14, epsrel=1e-13, limit=200)[0]

    ref_q = np.array([quad(a, b, c) for a, b, c in zip(h[:60], k[:60], r[:60], strict=True)])
    np.testing.assert_allclose(ours[:60], ref_q, rtol=0, atol=1e-10)
    # infinite limits and the rho-derivatives (pdf, d pdf / d rho) by central differences
    np.testing.assert_allclose(
        bvn_cdf([np.inf, -np.inf, 0.3, np.inf], [0.5, 1.0, np.inf, np.inf], 0.4),
        [norm.cdf(0.5), 0.0, norm.cdf(0.3), 1.0],
        atol=1e-15,
    )
    m = np.abs(r) < 0.99
    e = 1e-6
    d1 = (bvn_cdf(h, k, r + e) - bvn_cdf(h, k, r - e)) / (2 * e)
    np.testing.assert_allclose(bvn_pdf(h, k, r)[m], d1[m], atol=1e-8)
    d2 = (bvn_pdf(h, k, r + e) - bvn_pdf(h, k, r - e)) / (2 * e)
    np.testing.assert_allclose(bvn_pdf_drho(h, k, r)[m], d2[m], atol=1e-7)


# ------------------------------------------------------------------ against lavaan
def test_five_factor_items_match_lavaan(bfi):
    ref = _fixture("bfi_cfa5")["sampstats"][0]
    st = ordinal_sample_stats(bfi, ref["ov"], ordered=True)
    assert st.ngroups == 1 and st.n_dropped == 0
    _check_group(st.groups[0], ref)
    # sampstat() is lavInspect(fit, "sampstat")
    ss = st.sampstat()
    assert list(ss["th"].index) == ref["th_names"]
    np.testing.assert_allclose(ss["cov"].to_numpy(), np.array(ref["cov"]), atol=TOL_TH)


def test_two_groups_match_lavaan(bfi):
    refs = _fixture("bfi_group2")["sampstats"]
    st = ordinal_sample_stats(bfi, refs[0]["ov"], ordered=True, group="gender")
    assert st.group_labels == [r["group"] for r in refs] == ["male", "female"]
    for g, ref in zip(st.groups, refs, strict=True):
        _check_group(g, ref)
    # per-group thresholds differ (they are not the pooled ones)
    assert np.abs(st.groups[0].th - st.groups[1].th).max() > 0.05


def test_polyserial_age_matches_lavaan(bfi):
    ref = _fixture("bfi_polyserial")["sampstats"][0]
    st = ordinal_sample_stats(bfi, ref["ov"], ordered=[f"A{i}" for i in range(1, 6)])
    g = st.groups[0]
    _check_group(g, ref)
    assert g.th_names[-1] == "age" and g.th_idx[-1] == 0  # lavaan's TH.NAMES / th.idx
    assert g.wls_obs_names[25:27] == ["age~1", "age~~age"]
    np.testing.assert_allclose(g.var[-1], bfi["age"].var(ddof=0))


def test_two_continuous_variables_match_lavaan(bfi):
    """A1 continuous beside age: a Pearson pair, polyserial and polychoric pairs, the
    covariance Jacobian H for both, two mean rows with flipped signs."""
    fx = _fixture("bfi_mixed_numeric")
    ref = fx["sampstats"][0]
    st = ordinal_sample_stats(bfi, ref["ov"], ordered=fx["ordered"])
    _check_group(st.groups[0], ref)
    np.testing.assert_allclose(st.groups[0].cor[0, -1], bfi["A1"].corr(bfi["age"]), atol=1e-12)


@pytest.mark.parametrize(
    ("empty", "kept"),
    [(1, ["t2", "t3", "t4"]), (3, ["t1", "t2", "t4"]), (5, ["t1", "t2", "t3"])],
)
def test_empty_category_rule(empty, kept):
    """Bottom, interior and top empty category: the threshold above it (below it for the
    top one) is left out; the others are the group's own Phi^-1(cumulative proportions)."""
    rng = np.random.default_rng(empty)
    a = rng.integers(1, 6, 400)
    b = np.clip(a + rng.integers(-1, 2, 400), 1, 5)
    g = np.repeat(["g1", "g2"], 200)
    a[(g == "g2") & (a == empty)] = 2 if empty != 2 else 3
    d = pd.DataFrame({"a": a, "b": b, "g": g})
    with pytest.warns(OrdinalDataWarning, match=f"item a: category {empty} is empty in group 'g2'"):
        st = ordinal_sample_stats(d, ["a", "b"], group="g")
    g2 = st.groups[1]
    assert [n for n in g2.th_names if n.startswith("a|")] == [f"a|{k}" for k in kept]
    x = d.loc[d["g"] == "g2", "a"]
    cum = np.cumsum(x.value_counts().sort_index().to_numpy())[:-1] / len(x)
    np.testing.assert_allclose(g2.th[g2.th_idx == 1], norm.ppf(cum), atol=1e-12)
    assert len(st.groups[0].th_names) == 8 and len(g2.th_names) == 7


def test_binary_items_empty_cells_match_lavaan(bfi):
    fx = _fixture("bfi_binary")
    ref = fx["sampstats"][0]
    d = bfi.iloc[:120][ref["ov"]].copy()
    for v, cut in fx["cuts"].items():
        d[v] = (d[v] >= cut).astype(int)
    st = ordinal_sample_stats(d, ref["ov"])
    # three 2 x 2 tables with one empty cell: rho from the table with 0.5 added (margins kept)
    _check_group(st.groups[0], ref, centred=False)
    assert len(st.groups[0].zero_cell_tables) == 3


def test_polychoric_maximises_the_likelihood_independently(bfi):
    """The estimate is the maximum of the bivariate likelihood computed with scipy's CDF."""
    st = ordinal_sample_stats(bfi, ["A2", "N3"])
    g = st.groups[0]
    t1 = np.r_[-np.inf, g.th[:5], np.inf]
    t2 = np.r_[-np.inf, g.th[5:], np.inf]
    tab = pd.crosstab(bfi["A2"], bfi["N3"]).to_numpy()

    def loglik(rho):
        cov = [[1, rho], [rho, 1]]

        def cdf(a, b):
            if a == -np.inf or b == -np.inf:
                return 0.0
            if a == np.inf:
                return norm.cdf(b)
            if b == np.inf:
                return norm.cdf(a)
            return multivariate_normal.cdf([a, b], cov=cov, abseps=1e-13, releps=1e-13)

        grid = np.array([[cdf(a, b) for b in t2] for a in t1])
        pi = grid[1:, 1:] - grid[:-1, 1:] - grid[1:, :-1] + grid[:-1, :-1]
        return float((tab * np.log(pi)).sum())

    rho = g.cor[0, 1]
    best = loglik(rho)
    assert best > loglik(rho + 1e-3) and best > loglik(rho - 1e-3)


def test_listwise_deletion_and_weight_matrices(bfi):
    items = ["A1", "A2", "A3", "C1"]
    base = ordinal_sample_stats(bfi, items)
    messy = pd.concat([bfi, pd.DataFrame({"A1": [np.nan, 3.0], "A2": [2.0, np.nan]})])
    st = ordinal_sample_stats(messy, items)
    assert st.n_dropped == 2 and st.nobs == [500]
    np.testing.assert_allclose(st.groups[0].nacov, base.groups[0].nacov)
    m = base.groups[0].wls_obs.size
    # the weight matrix each estimator uses (Options.weights: ULS, WLS, DWLS)
    weights = {e: resolve_options(e, ordered=True).weights for e in ("ULSMV", "WLS", "WLSMV")}
    np.testing.assert_allclose(base.wls_v(weights["ULSMV"])[0], np.ones(m))
    np.testing.assert_allclose(
        base.wls_v(weights["WLS"])[0] @ base.groups[0].nacov, np.eye(m), atol=1e-8
    )
    np.testing.assert_allclose(base.wls_v(weights["WLSMV"])[0], 1 / np.diag(base.groups[0].nacov))
    no_nacov = ordinal_sample_stats(bfi, items, nacov=False)
    assert no_nacov.groups[0].nacov is None
    np.testing.assert_allclose(no_nacov.groups[0].wls_obs, base.groups[0].wls_obs)


# ------------------------------------------------------------------ bad input
def test_single_category_is_a_one_line_error(bfi):
    d = bfi[["A1", "A2"]].assign(A2=4)
    with pytest.raises(InputError) as e:
        ordinal_sample_stats(d, ["A1", "A2"])
    msg = str(e.value)
    assert "'A2'" in msg and "single observed category (4)" in msg and "\n" not in msg


def test_more_than_twenty_categories_is_a_one_line_error(bfi):
    d = bfi[["A1", "age"]]
    with pytest.raises(InputError) as e:
        ordinal_sample_stats(d, ["A1", "age"])
    msg = str(e.value)
    assert "'age'" in msg and "more than 20" in msg and "treat it as continuous" in msg
    assert "\n" not in msg
    # the same column as a continuous variable is fine
    ordinal_sample_stats(d, ["A1", "age"], ordered=["A1"])


def test_text_values_and_unknown_columns_are_errors(bfi):
    d = bfi[["A1", "A2"]].assign(A2=lambda x: x["A2"].map(lambda v: f"level {v}"))
    with pytest.raises(InputError, match="'A2'.*text values"):
        ordinal_sample_stats(d, ["A1", "A2"])
    with pytest.raises(InputError, match="'ZZ'"):
        ordinal_sample_stats(bfi, ["A1", "ZZ"])
    with pytest.raises(InputError, match="'Q9'.*not among"):
        ordinal_sample_stats(bfi, ["A1", "A2"], ordered=["Q9"])


def test_empty_category_in_one_group_warns_naming_item_and_group(bfi):
    lrt = _fixture("bfi_group2_lrt")["o4_empty_category"]
    assert "empty in group" in lrt["lavaan_message"]  # lavaan stops here
    items = [f"O{i}" for i in range(1, 6)]
    with pytest.warns(OrdinalDataWarning) as rec:
        st = ordinal_sample_stats(bfi, items, group="gender")
    msgs = [str(w.message) for w in rec]
    assert len(msgs) == 1 and "O4" in msgs[0] and "'male'" in msgs[0]
    assert f"category {lrt['category']}" in msgs[0]
    assert st.empty_categories == [("O4", "male", lrt["category"])]
    male, female = st.groups
    o4 = [n for n in male.th_names if n.startswith("O4|")]
    assert lrt["category"] == 1  # nobody among the men answered O4 = 1
    assert o4 == ["O4|t2", "O4|t3", "O4|t4", "O4|t5"]  # t1 (above the empty category) out
    assert len([n for n in female.th_names if n.startswith("O4|")]) == 5
    # the kept thresholds are the men's own cumulative proportions
    men = bfi.loc[bfi["gender"] == "male", "O4"]
    cum = np.cumsum(men.value_counts().sort_index().to_numpy())[:-1] / len(men)
    assert cum.size == 4
    np.testing.assert_allclose(male.th[male.th_idx == 4], norm.ppf(cum), atol=1e-12)
    assert male.nacov.shape[0] == male.wls_obs.size == female.wls_obs.size - 1


def test_single_category_within_a_group_is_an_error(bfi):
    d = bfi[["A1", "A2", "gender"]].copy()
    d.loc[d["gender"] == "male", "A2"] = 5
    with pytest.raises(InputError, match="'A2'.*single observed category in group 'male'"):
        ordinal_sample_stats(d, ["A1", "A2"], group="gender")


def test_near_one_correlation_warns(bfi):
    d = bfi[["A1", "A2"]].assign(A2b=bfi["A2"])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        ordinal_sample_stats(d, ["A1", "A2", "A2b"])
    assert any("A2b and A2" in str(w.message) and "1.0" in str(w.message) for w in rec)
