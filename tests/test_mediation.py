"""Mediation decomposition: it adds up on every draw, equals effects.py and the bootstrap
table, and judgment's verdict on it follows Zhao, Lynch & Chen (2010) / 温忠麟 & 叶宝娟 (2014)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from loyaltysem.analyses.mediation import mediation_table
from loyaltysem.judgment.mediation import Effect, judge_mediation_table, mediation_type
from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.inference.effects import effects
from loyaltysem.semcore.resample.bootstrap import bootstrap
from loyaltysem.survey.instrument import read_instrument


@pytest.fixture(scope="module")
def example(example_frame):
    inst = read_instrument("models/online_loyalty.toml")
    fit = sem(inst.model_syntax(), example_frame)
    boot = bootstrap(fit, 250, seed=3, n_jobs=1)
    return fit, boot


def _norm_inter(t: np.ndarray, alpha: float) -> float:
    """boot:::norm.inter, written out again for the test (Davison & Hinkley 1997, 5.8)."""
    t = np.sort(t)
    r = len(t)
    rk = (r + 1) * alpha
    k = int(np.floor(rk))
    if k == rk:
        return float(t[k - 1])
    z = special.ndtri([alpha, k / (r + 1), (k + 1) / (r + 1)])
    return float(t[k - 1] + (z[0] - z[1]) / (z[2] - z[1]) * (t[k] - t[k - 1]))


def _bc(t: np.ndarray, t0: float, level: float = 0.95) -> tuple[float, float]:
    z0 = special.ndtri(np.mean(t < t0))
    za = special.ndtri([(1 - level) / 2, (1 + level) / 2])
    return tuple(_norm_inter(t, a) for a in special.ndtr(2 * z0 + za))


def test_decomposition_adds_up_on_every_draw(example):
    fit, boot = example
    med = mediation_table(fit, boot)
    assert len(med.draws) == len(med.pairs) == 19
    for (x, y), d in med.draws.items():
        assert len(d) == boot.n_boot - boot.n_failed
        specific = [c for c in d.columns if "->" in c]
        assert np.allclose(d[specific].sum(axis=1), d["total indirect"], atol=1e-12), (x, y)
        direct = d.get("direct", 0.0)
        assert np.allclose(direct + d["total indirect"], d["total"], atol=1e-12), (x, y)
    # and the point estimates too
    for _, rows in med.effects.groupby(["from", "to"], sort=False):
        e = rows.set_index("kind")
        direct = e.loc["direct", "est"] if "direct" in e.index else 0.0
        ind = rows.loc[rows["kind"] == "indirect", "est"].sum()
        assert e.loc["total indirect", "est"] == pytest.approx(ind, abs=1e-12)
        assert e.loc["total", "est"] == pytest.approx(direct + ind, abs=1e-12)
        share = rows.loc[rows["kind"].isin(["direct", "indirect"]), "share"].sum()
        assert share == pytest.approx(1.0, abs=1e-12)


def test_values_equal_effects_py_and_the_bootstrap_table(example):
    fit, boot = example
    eff = effects(fit).set_index("effect")
    t = boot.intervals("bc")
    t = t[t["op"] == "effect"]
    for scale, col in (("est", "est"), ("std.all", "std.all")):
        med = mediation_table(fit, boot, scale=scale).effects
        named = med[med["effect"].isin(eff.index)]
        assert len(named) == len(eff)  # every effect of effects.py appears
        for _, r in named.iterrows():
            assert r["est"] == pytest.approx(eff.loc[r["effect"], col], abs=1e-12)
            b = t[(t["name"] == r["effect"]) & (t["scale"] == scale)].iloc[0]
            got = (r["se"], r["ci.lower"], r["ci.upper"])
            assert got == pytest.approx((b["boot.se"], b["ci.lower"], b["ci.upper"]))
    perc = mediation_table(fit, boot, ci="percentile").effects
    row = perc[perc["effect"] == "SAT -> TRU -> LOY"].iloc[0]
    t = boot.intervals("percentile")
    b = t[(t["name"] == "SAT -> TRU -> LOY") & (t["scale"] == "est")].iloc[0]
    assert (row["ci.lower"], row["ci.upper"]) == pytest.approx((b["ci.lower"], b["ci.upper"]))
    assert row["ci.type"] == "percentile"  # a code; the report's words are ci.type.<code>


def test_proportion_mediated_and_its_bc_interval(example):
    fit, boot = example
    med = mediation_table(fit, boot)
    s = med.pairs.set_index(["from", "to"]).loc[("SAT", "LOY")]
    assert s["proportion.est"] == pytest.approx(s["indirect.est"] / s["total.est"])
    d = med.draws[("SAT", "LOY")]
    lo, hi = _bc((d["total indirect"] / d["total"]).to_numpy(), s["proportion.est"])
    assert (s["proportion.ci.lower"], s["proportion.ci.upper"]) == pytest.approx((lo, hi))
    # the indirect effect's interval by the same independent BC code
    lo, hi = _bc(d["total indirect"].to_numpy(), s["indirect.est"])
    assert (s["indirect.ci.lower"], s["indirect.ci.upper"]) == pytest.approx((lo, hi))
    # no direct path: the proportion is 1 on every draw
    p = med.pairs.set_index(["from", "to"]).loc[("INF", "LOY")]
    assert (p["proportion.est"], p["proportion.ci.lower"], p["proportion.ci.upper"]) == (1, 1, 1)
    pairs, _ = judge_mediation_table(med)
    assert pairs[("INF", "LOY")].outcome == "indirect"  # no direct path: not "full"
    assert med.ci == "bc" and set(med.effects["ci.type"]) == {"bc"}


def test_without_a_bootstrap_the_delta_method_is_named(example):
    fit, _ = example
    med = mediation_table(fit)
    eff = effects(fit).set_index("effect")
    r = med.effects[med.effects["effect"] == "SAT -> TRU -> LOY"].iloc[0]
    want = eff.loc[r["effect"], ["se", "ci.lower"]].to_numpy(dtype=float)
    assert (r["se"], r["ci.lower"]) == pytest.approx(tuple(want))
    assert r["ci.type"] == "delta" and med.ci == "delta" and med.n_boot is None
    with pytest.raises(ValueError, match="BCa"):
        mediation_table(fit, example[1], ci="bca")


def _eff(sig: bool | None, est: float):
    if sig is None:
        return None
    return Effect(est, est - 0.1, est + 0.1) if sig else Effect(est, -0.5, 0.5)


@pytest.mark.parametrize(
    ("ind", "dir_", "a", "c", "expected"),
    [
        (True, False, 0.2, 0.05, "indirect_only"),
        (True, True, 0.2, 0.3, "complementary"),
        (True, True, 0.2, -0.3, "competitive"),
        (True, True, -0.2, -0.3, "complementary"),
        (False, True, 0.01, 0.3, "direct_only"),
        (False, False, 0.01, 0.02, "no_effect"),
        (True, None, 0.2, np.nan, "indirect"),
        (False, None, 0.0, np.nan, "no_indirect"),
    ],
)
def test_verdict_rules(ind, dir_, a, c, expected):
    v = mediation_type(_eff(ind, a), _eff(dir_, c), Effect(1.0, 0.5, 1.5))
    assert v.outcome == expected


def _simulated(direct: float, seed: int) -> tuple[str, str, float]:
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.normal(size=n)
    m = 0.6 * x + rng.normal(size=n)
    y = 0.5 * m + direct * x + rng.normal(size=n)
    fit = sem("m ~ x\ny ~ m + x", pd.DataFrame({"x": x, "m": m, "y": y}))
    med = mediation_table(fit, bootstrap(fit, 400, seed=seed, n_jobs=1))
    pairs, _ = judge_mediation_table(med)
    v = pairs[("x", "y")]
    return v.outcome, v.values.get("ratio_indirect_direct", np.nan)


@pytest.mark.parametrize(
    ("direct", "expected"),
    [(0.0, "indirect_only"), (0.4, "complementary"), (-0.5, "competitive")],
)  # fmt: skip
def test_verdict_on_constructed_data(direct, expected):
    kind, ratio = _simulated(direct, seed=5)
    assert kind == expected
    assert np.isfinite(ratio) == (kind == "competitive")
