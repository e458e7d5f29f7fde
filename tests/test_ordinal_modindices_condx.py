"""Modification indices of models with ordered items and exogenous observed covariates
(lavaan's conditional.x = TRUE) against lavaan 0.6.14's ``modindices(fit)``
(tests/fixtures/R/ordinal_mi_condx.R on psych::bfi, covariates age and female = gender - 1):
a MIMIC model, a direct effect of a covariate on an ordered item, continuous items beside
ordered ones, ULSMV, WLS, two groups, two groups with equal thresholds and loadings, a
path model without latent variables, and ordered outcomes predicted by ordered items (a
two-step chain, a fork, a factor indicator with a covariate predicting another item).

lavaan builds the candidates with ``lav_partable_full(strict.exo = TRUE)``: no rows of the
covariates' own moments and no regression of a covariate. Every row lavaan lists is compared
twice (cf. tests/test_ordinal_modindices.py): at lavaan's estimates with lavaan's WLS.obs and
WLS.V (the formula, to 1e-6: the probit regressions behind our conditional statistics agree
with lavaan's to 3e-8 only, which alone moves small MIs by up to 2e-5 relative), and at
loyaltysem's estimates and statistics (what a user sees)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ordinal_fixtures import bfi_frame
from test_ordinal_modindices import KEY, _at_lavaan_solution, _check, _merged, _merged_frames

from loyaltysem.semcore.estimation import sem
from loyaltysem.semcore.inference import standardized as stdz
from loyaltysem.semcore.model.ordinal_condx import CondXGroupData
from loyaltysem.semcore.modindices import modification_indices

FIX = Path(__file__).parent / "fixtures" / "ordinal"
CASES = [
    "mi_condx_mimic",
    "mi_condx_direct",
    "mi_condx_mixed",
    "mi_condx_ulsmv",
    "mi_condx_group2",
    "mi_condx_group2_th_load",
    "mi_condx_wls",
    "mi_condx_path",
    "mi_condx_chain",
    "mi_condx_fork",
    "mi_condx_factor_dummy",
]
MIMIC = "A =~ A1 + A2 + A3 + A4 + A5\nC =~ C1 + C2 + C3 + C4 + C5\nA ~ age\nC ~ A + age"
ITEMS = [f"{f}{i}" for f in "AC" for i in range(1, 6)]


def _list(v) -> list:
    return v if isinstance(v, list) else [v]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return bfi_frame(female=True)


@pytest.fixture(scope="module")
def fits(bfi):
    out = {}
    for name in CASES:
        ref = json.loads((FIX / f"{name}.json").read_text())
        args = ref["args"]
        kw = {"estimator": args["estimator"][0]}
        if "group" in args:
            kw["group"] = args["group"][0]
        if "group.equal" in args:
            kw["group_equal"] = _list(args["group.equal"])
        out[name] = (ref, sem(ref["model"], bfi, ordered=_list(ref["ordered"]), **kw))
    return out


@dataclasses.dataclass
class _LavaanStats(CondXGroupData):
    """A group's data with lavaan's WLS.obs (and, in ``weight``, its WLS.V)."""

    lavaan_obs: np.ndarray | None = None

    @property
    def wls_obs(self) -> np.ndarray:
        return self.lavaan_obs


def _with_lavaan_stats(ref: dict, fit):
    data = []
    for gd, ss in zip(fit.data, _list(ref["sampstat"]), strict=True):
        assert ss["wls_obs_names"] == gd.stats.wls_obs_names
        np.testing.assert_allclose(gd.wls_obs, ss["wls_obs"], atol=1e-7)
        weight = np.asarray(ss["wls_v"], dtype=float)  # a diagonal, or the matrix (WLS)
        np.testing.assert_allclose(gd.weight, weight, rtol=1e-4, atol=1e-8 * weight.max())
        fields = {f.name: getattr(gd, f.name) for f in dataclasses.fields(gd)}
        fields["weight"] = weight
        data.append(_LavaanStats(**fields, lavaan_obs=np.asarray(ss["wls_obs"], dtype=float)))
    return dataclasses.replace(fit, data=data)


@pytest.mark.parametrize("name", CASES)
def test_modindices_at_lavaan_solution(fits, name):
    ref, fit = fits[name]
    m = _merged(ref, _with_lavaan_stats(ref, _at_lavaan_solution(ref, fit)))
    _check(m, mi_abs=1e-8, mi_rel=1e-9, epc=1e-9)


@pytest.mark.parametrize("name", CASES)
def test_modindices_at_own_solution(fits, name):
    """mi within 1e-3 or 5e-4 relative, epc within 1e-4 or 1e-4 relative; the standardized
    EPCs within 1e-4 or 5e-4 relative: in mi_condx_mixed lavaan stops its optimizer with a
    chi-square 1.6e-6 above ours, which moves the EPC of A ~ C by 7e-5 and its sepc.lv (EPC
    times sd(C) / sd(A) = 1.65) by 1.2e-4. The residual variance and scale factor of an
    ordered predictor (A2 in mi_condx_chain, A1 in mi_condx_factor_dummy) are nearly
    redundant candidates with EPCs of 8 to 38 that move with the last digits of the
    estimates: lavaan's own MIs of the two differ by 5e-5 relative at its solution, equal at
    ours (the EPCs agree to 5e-5 relative)."""
    ref, fit = fits[name]
    m = _merged(ref, fit)
    _check(m, mi_abs=1e-3, mi_rel=5e-4, epc=np.inf)
    for col, rel in (("epc", 1e-4), ("sepc.lv", 5e-4), ("sepc.all", 5e-4), ("sepc.nox", 5e-4)):
        err = (m[col] - m[f"{col}_r"]).abs()
        bad = m[(err > 1e-4) & (err > rel * m[f"{col}_r"].abs())]
        assert bad.empty, bad[KEY + [f"{col}_r", col]].to_string()


def test_candidates_leave_the_covariates_alone(fits):
    """strict.exo: no row of a covariate's own moments and no covariate as an outcome;
    ``item ~ covariate`` appears only for an item already in a regression (A1)."""
    for name in CASES:
        mi = modification_indices(fits[name][1])
        x = {"age", "female"}
        assert not mi[mi["op"].isin(["~~", "~1"]) & mi["lhs"].isin(x)].shape[0], name
        assert not mi[(mi["op"] == "~") & mi["lhs"].isin(x)].shape[0], name
    mi = modification_indices(fits["mi_condx_direct"][1])
    direct = mi[(mi["op"] == "~") & mi["rhs"].isin(["age", "female"]) & (mi["lhs"] != "C")]
    assert set(zip(direct["lhs"], direct["rhs"], strict=True)) == {("A1", "age")}
    assert not len(modification_indices(fits["mi_condx_mimic"][1]).query("op == '~'"))


def test_cli_fit_mi_condx(tmp_path, capsys):
    """``loyaltysem fit --ordered ... --mi --json`` for the MIMIC model (it used to end in a
    traceback): lavaan's 55 rows in the JSON."""
    from loyaltysem.cli import main

    ref = json.loads((FIX / "mi_condx_mimic.json").read_text())
    assert ref["model"] == MIMIC
    model = tmp_path / "m.lav"
    model.write_text(MIMIC + "\n")
    out = tmp_path / "fit.json"
    args = ["fit", str(FIX / "bfi500.csv"), "--model", str(model), "--json", str(out)]
    assert main([*args, "--ordered", ",".join(ITEMS), "--mi"]) == 0
    got = json.loads(out.read_text())
    m = _merged_frames(pd.DataFrame(ref["modindices"]), pd.DataFrame(got["modindices"]))
    _check(m, mi_abs=1e-3, mi_rel=5e-4, epc=1e-4)
    printed = capsys.readouterr().out
    assert "Modification indices (the 10 largest of 55)" in printed
    assert "A1 ~~  A2" in printed


def test_ordered_path_chain_residual_variance_is_lavaans(fits):
    """The two-step chain of ordered outcomes (it used to raise EstimationError): lavaan's
    residual variance of A3 is 1 - b^2 (setResidualElements' sum(diag(PSI)) == 0 rule), in
    the fit and in the extended model of the MIs (its candidates A2 ~ A3, A2 ~~ A3 etc.)."""
    ref, fit = fits["mi_condx_chain"]
    est = fit.estimates.set_index(["lhs", "op", "rhs"])["est"]
    assert est[("A3", "~~", "A3")] == pytest.approx(1 - est[("A3", "~", "A2")] ** 2, abs=1e-12)
    mi = modification_indices(fit)
    assert len(mi) == len(ref["modindices"])


def test_scale_factor_candidate_standardized_as_lavaan():
    """lav_standardize_all / _all_nox set a ``~*~`` row to 1; lav_standardize_lv keeps it."""
    row = {"lhs": np.array(["A2"]), "op": np.array(["~*~"]), "rhs": np.array(["A2"]),
           "group": np.array([1])}  # fmt: skip
    plan = stdz.make_std_plan(row, ["A2"], set(), set(), 1)
    E = stdz.sd_vector([np.array([2.0])], [np.array([np.nan])])
    got = tuple(
        float(stdz.standardize_values(plan, kind, np.array([0.087]), E)[0]) for kind in stdz.KINDS
    )
    assert got == (0.087, 1.0, 1.0)
