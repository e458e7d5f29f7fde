"""The judgment layer's rules on constructed numbers: mediation types (Zhao, Lynch & Chen
2010; 温忠麟 & 叶宝娟 2014), invariance steps (Cheung & Rensvold 2002; Chen 2007), Holm's
correction of the group path comparisons (Holm 1979), the fit verdicts and the poor-fit
caveat, and the hypotheses."""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace as NS

import numpy as np
import pandas as pd
import pytest

from loyaltysem.judgment import fit as F
from loyaltysem.judgment import groups as G
from loyaltysem.judgment import hypotheses as H
from loyaltysem.judgment import invariance as I
from loyaltysem.judgment import mediation as M
from loyaltysem.judgment.mediation import Effect

SIG_POS = Effect(0.20, 0.10, 0.30)
SIG_NEG = Effect(-0.30, -0.45, -0.15)
NS_ = Effect(0.05, -0.05, 0.15)
TOTAL_SIG = Effect(0.25, 0.10, 0.40)
TOTAL_NS = Effect(0.119, -0.028, 0.276)  # 声誉 -> 信任 in the issue


# --------------------------------------------------------------------------- mediation
@pytest.mark.parametrize(
    ("indirect", "direct", "total", "outcome", "full"),
    [
        (SIG_POS, NS_, TOTAL_SIG, "indirect_only", True),
        (SIG_POS, Effect(0.30, 0.10, 0.50), TOTAL_SIG, "complementary", False),
        (SIG_POS, SIG_NEG, Effect(-0.10, -0.30, 0.10), "competitive", False),
        (NS_, Effect(0.30, 0.10, 0.50), TOTAL_SIG, "direct_only", False),
        (NS_, NS_, Effect(0.1, -0.1, 0.3), "no_effect", False),
        (SIG_POS, None, SIG_POS, "indirect", False),  # no direct path: never "full"
        (NS_, None, NS_, "no_indirect", False),
        (SIG_POS, NS_, TOTAL_NS, "indirect_only", False),  # total n.s.: not full
    ],
)
def test_every_mediation_type(indirect, direct, total, outcome, full):
    v = M.mediation_type(indirect, direct, total)
    assert v.outcome == outcome
    assert M.is_full(v) is full
    assert v.rule == "zhao2010"


def test_total_effect_not_significant_is_never_called_full():
    v = M.mediation_type(SIG_POS, NS_, TOTAL_NS)
    assert "total_ns" in v.caveats
    assert M.label_key(v) == "judge.med.indirect_only.total_ns"
    pair = M.judge_pair("REP", "TRU", {"REP -> SAT -> TRU": SIG_POS}, SIG_POS, NS_, TOTAL_NS)
    assert not M.is_full(pair) and "total_ns" in pair.caveats


def test_competitive_mediation_is_suppression_with_the_ratio():
    v = M.mediation_type(SIG_POS, SIG_NEG)
    assert v.outcome == "competitive" and "suppression" in v.caveats
    assert v.values["ratio_indirect_direct"] == pytest.approx(0.20 / 0.30)


def test_a_significant_specific_effect_is_never_contradicted_by_its_group():
    """Payment -> Loyalty (Table 4-21): via Trust 0.118 [0.053, 0.205] significant, the other
    two and the total indirect effect not; the model has no direct path."""
    sp = {
        "PAY -> SAT -> TRU -> LOY": Effect(-0.020, -0.056, 0.019),
        "PAY -> SAT -> LOY": Effect(-0.037, -0.118, 0.038),
        "PAY -> TRU -> LOY": Effect(0.118, 0.053, 0.205),
    }
    ti = Effect(0.062, -0.070, 0.221)
    v = M.judge_pair("PAY", "LOY", sp, ti, None, ti)
    assert v.outcome == "indirect" and v.holds
    assert v.values["carriers"] == ["PAY -> TRU -> LOY"]
    assert {"total_indirect_ns", "total_ns", "share_outside"} <= set(v.caveats)


@pytest.mark.parametrize("seed", range(5))
def test_group_verdict_agrees_with_its_specific_effects_on_random_patterns(seed):
    rng = np.random.default_rng(seed)
    pool = [SIG_POS, SIG_NEG, NS_, Effect(0.1, 0.01, 0.2)]
    for k, has_direct in itertools.product((1, 2, 3), (True, False)):
        sp = {f"X -> M{j} -> Y": pool[rng.integers(len(pool))] for j in range(k)}
        ti = Effect(sum(e.est for e in sp.values()), -1, 1)
        direct = pool[rng.integers(len(pool))] if has_direct else None
        v = M.judge_pair("X", "Y", sp, ti, direct, TOTAL_SIG)
        any_sig = any(e.significant for e in sp.values())
        assert (v.outcome in M.MEDIATED) == any_sig, (sp, direct, v)
        if direct is None:
            assert v.outcome not in ("indirect_only", "complementary", "direct_only")


def test_opposite_significant_indirect_effects_are_competitive():
    sp = {"X -> A -> Y": SIG_POS, "X -> B -> Y": SIG_NEG}
    v = M.judge_pair("X", "Y", sp, Effect(-0.1, -0.3, 0.1), None, Effect(-0.1, -0.3, 0.1))
    assert v.outcome == "competitive" and "suppression" in v.caveats


def test_shares_outside_0_100_are_flagged_as_suppression():
    """Payment -> Trust: direct 0.287 (share 119.9%), indirect -0.048 (-19.9%)."""
    direct, ind, total = (
        Effect(0.287, 0.098, 0.425),
        Effect(-0.048, -0.134, 0.047),
        Effect(0.239, 0.065, 0.433),
    )
    v = M.judge_pair("PAY", "TRU", {"PAY -> SAT -> TRU": ind}, ind, direct, total)
    assert v.outcome == "direct_only" and "share_outside" in v.caveats
    ok = M.judge_pair("SAT", "LOY", {"SAT -> TRU -> LOY": Effect(0.184, 0.13, 0.29)},
                      Effect(0.184, 0.13, 0.29), Effect(0.345, 0.19, 0.45),
                      Effect(0.529, 0.41, 0.65))  # fmt: skip
    assert ok.outcome == "complementary" and "share_outside" not in ok.caveats


def test_pls_and_cb_tables_are_judged_by_the_same_rule():
    est = pd.DataFrame([
        {"kind": "path", "lhs": "Y", "rhs": "X", "through": "", "est": 0.05, "ci.lower": -0.05,
         "ci.upper": 0.15},
        {"kind": "indirect", "lhs": "Y", "rhs": "X", "through": "M", "est": 0.2,
         "ci.lower": 0.1, "ci.upper": 0.3},
        {"kind": "total_indirect", "lhs": "Y", "rhs": "X", "through": "", "est": 0.2,
         "ci.lower": 0.1, "ci.upper": 0.3},
        {"kind": "total", "lhs": "Y", "rhs": "X", "through": "", "est": 0.25, "ci.lower": 0.1,
         "ci.upper": 0.4},
    ])  # fmt: skip
    pairs, specific = M.judge_pls_mediation(est)
    cb = M.mediation_type(Effect(0.2, 0.1, 0.3), Effect(0.05, -0.05, 0.15),
                          Effect(0.25, 0.1, 0.4))  # fmt: skip
    assert specific["X -> M -> Y"].outcome == cb.outcome == pairs[("X", "Y")].outcome


# --------------------------------------------------------------------------- invariance
def test_chisq_rejecting_while_delta_cfi_accepts_is_said():
    """Scalar step of the gender run: Δχ²(27) = 49.4, p = .005; ΔCFI -.004, ΔRMSEA .002."""
    v = I.invariance_step("scalar", -0.004, 0.002, 49.426, 27, 0.005, (180, 186))
    assert v.outcome == "accepted"
    assert "chisq_rejects" in v.caveats and "small_groups" in v.caveats
    assert v.values["pvalue"] == 0.005 and v.values["group.n"] == [180, 186]


@pytest.mark.parametrize(
    ("cfi", "rmsea", "p", "outcome", "caveat"),
    [
        (-0.010, 0.015, 0.30, "accepted", None),  # on the cut-offs: holds
        (-0.011, 0.000, 0.30, "rejected", "chisq_accepts"),
        (0.000, 0.016, 0.01, "rejected", None),
        (-0.002, 0.001, 0.04, "accepted", "chisq_rejects"),
    ],
)
def test_invariance_rule_at_the_cutoffs(cfi, rmsea, p, outcome, caveat):
    v = I.invariance_step("metric", cfi, rmsea, 30.0, 20, p)
    assert v.outcome == outcome and v.rule == "chen2007"
    if caveat:
        assert caveat in v.caveats


def test_small_groups_get_chens_stricter_rule_as_a_value():
    v = I.invariance_step("strict", -0.008, 0.001, 55.2, 39, 0.044, (120, 130))
    assert v.outcome == "accepted" and v.values["strict_accepted"] is False
    big = I.invariance_step("strict", -0.008, 0.001, 55.2, 39, 0.044, (400, 420))
    assert "small_groups" not in big.caveats


# --------------------------------------------------------------------------- group paths
def test_holm_equals_r_p_adjust():
    # p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") in R: 0.03 0.06 0.06 0.02
    assert G.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # p.adjust(c(0.001, 0.2, NA, 0.01), "holm"): 0.003 0.2 NA 0.02
    out = G.holm([0.001, 0.2, np.nan, 0.01])
    assert out[[0, 1, 3]] == pytest.approx([0.003, 0.2, 0.02]) and math.isnan(out[2])


def test_an_uncorrected_difference_among_14_paths_is_not_reported():
    """Reputation -> Trust differs at p = .034 among 14 compared paths (the gender run)."""
    p = [0.181, 0.541, 0.145, 0.780, 0.160, 0.219, 0.212, 0.241, 0.282, 0.438, 0.034, 0.355,
         0.805, 0.790]  # fmt: skip
    gp = pd.DataFrame({"lhs": [f"Y{k}" for k in range(14)], "rhs": "X", "pvalue": p})
    gp["cr.diff"] = -2.15
    verdicts = G.judge_group_paths(G.add_adjusted(gp))
    v = verdicts[("Y10", "X")]
    assert v.outcome == "equal" and "uncorrected_only" in v.caveats
    assert v.values["p.adjusted"] == pytest.approx(min(1.0, 0.034 * 14))
    assert v.values["cr.p.adjusted"] >= 0.05
    strong = G.judge_group_paths(G.add_adjusted(gp.assign(pvalue=[0.001] + p[1:])))
    assert strong[("Y0", "X")].outcome == "different"


# --------------------------------------------------------------------------- model fit
@pytest.mark.parametrize(
    ("index", "value", "strict", "outcome"),
    [
        ("agfi", 0.893, False, "tolerated"),
        ("agfi", 0.79, False, "not_met"),
        ("agfi", 0.91, False, "met"),
        ("chisq/df", 4.0, False, "tolerated"),
        ("chisq/df", 4.0, True, "not_met"),
        ("chisq/df", 15.8, False, "not_met"),
        ("cfi", 0.94, False, "met"),
        ("cfi", 0.94, True, "not_met"),
        ("cfi", 0.95, True, "met"),
        ("rmsea", 0.08, False, "not_met"),
        ("srmr", 0.041, False, "met"),
    ],
)
def test_each_fit_index_by_its_rule(index, value, strict, outcome):
    assert F.judge_index(index, value, strict).outcome == outcome


def test_poor_fit_caveat_names_the_failing_core_indices():
    fm = {"chisq": 158.0, "df": 10, "cfi": 0.803, "tli": 0.78, "rmsea": 0.19, "srmr": 0.06,
          "agfi": 0.85}  # fmt: skip
    j = F.judge_models({"measurement": fm, "structural": fm}, NS(fit_suffix=""))
    cav = j["caveat"]["lenient"]
    assert cav.outcome == "poor" and cav.caveats == ("poor_fit",)
    assert [i for i, _ in cav.values["failing"]] == ["tli", "cfi", "rmsea"]
    fair = F.judge_models({"structural": {"cfi": 0.96, "tli": 0.94, "rmsea": 0.05,
                                          "srmr": 0.04}}, NS(fit_suffix=""))  # fmt: skip
    assert fair["caveat"]["lenient"].outcome == "good"
    strict = fair["caveat"]["strict"]  # Hu & Bentler: TLI >= .95
    assert strict.outcome == "poor" and [i for i, _ in strict.values["failing"]] == ["tli"]


def test_robust_indices_are_the_ones_judged_under_mlr():
    fm = {"cfi": 0.85, "cfi.robust": 0.93, "cfi.scaled": 0.91}
    v = F.judge_fit(fm, NS(fit_suffix=".robust"))
    assert v["cfi"].outcome == "met" and v["cfi"].values["key"] == "cfi.robust"


# --------------------------------------------------------------------------- hypotheses
def test_supported_is_decided_once_with_its_caveat():
    tab = pd.DataFrame(
        {
            "id": ["H1", "H2", "H3", "H4"],
            "est": [0.3, -0.3, 0.3, 0.1],
            "pvalue": [0.01, 0.01, 0.2, 0.01],
            "sign": ["+", "+", "+", "two-sided"],
        }
    )
    out, v = H.decide(tab, ("poor_fit",))
    assert out["supported"].tolist() == [True, False, False, True]
    assert all(x.caveats == ("poor_fit",) for x in v.values())
    v["H15"] = H.not_tested("H15", "pls_moderation")
    assert H.count(v) == {"total": 5, "supported": 2, "not_supported": 2, "not_tested": 1}


def test_no_test_no_support():
    assert not H.supported(0.5, float("nan"), "+")
