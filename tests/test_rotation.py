"""Factor rotations against R (tests/fixtures/psych/rotation.json, from
tests/fixtures/R/rotation.R): stats::varimax, psych's kaiser + Promax, GPArotation's GPForth /
GPFoblq criteria and psych::equamax applied to the same unrotated loadings (psych::fa with
rotate = "none" on psych::bfi and the example data, 2 to 12 factors), and psych::fa's final
solution after its sign and order convention.

Tolerance 1e-6 for loadings, Phi and the rotation matrix. The GPA rotations stop where
GPArotation stops (projected gradient norm below 1e-5), and loyaltysem takes the same steps
from the same start, so it stops at the same iterate: the observed differences are ~1e-14,
far inside GPArotation's own convergence precision (which is ~1e-5 in the loadings)."""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from psych_cases import DATASETS, case, items_of

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics import efa as efa_module
from loyaltysem.psychometrics.components import principal_components
from loyaltysem.psychometrics.efa import _psych_order, efa
from loyaltysem.psychometrics.rotation import OBLIQUE, ORTHOGONAL, rotate

TOL = 1e-6
FIXTURE = json.loads((FIXTURES / "psych" / "rotation.json").read_text(encoding="utf-8"))
CASES = FIXTURE["cases"]
# fixture key -> (our rotation, options): R's calls beyond psych::fa's defaults
OPTIONS = {
    "promax_unnormalized": ("promax", {"normalize": False}),
    "oblimin_normalized": ("oblimin", {"normalize": True}),
    "oblimin_gam_0.5": ("oblimin", {"gam": 0.5}),
    "quartimax_normalized": ("quartimax", {"normalize": True}),
}
RAW = [(c, r) for c in CASES for r in CASES[c]["rotations"]]
FINAL = [(c, r) for c in CASES for r in CASES[c]["fa"]]
DIVERGES = {("example_12", "oblimin_gam_0.5")}  # GPArotation: no convergence in 1000 steps


def _maxdiff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))


@pytest.mark.parametrize("case_name,key", RAW)
def test_rotation_equals_r(case_name, key):
    """Loadings, Phi and rotation matrix as R's function returns them (no sign/order step)."""
    cs = CASES[case_name]
    ref = cs["rotations"][key]
    method, options = OPTIONS.get(key, (key, {}))
    res = rotate(np.array(cs["unrotated"]), method, **options)
    if "converged" in ref:
        assert res.converged == ref["converged"]
    if (case_name, key) in DIVERGES:
        assert res.iterations == ref["iterations"] == 1000
        return
    assert _maxdiff(res.loadings, ref["loadings"]) < TOL
    assert _maxdiff(res.rotmat, ref["rotmat"]) < TOL
    if ref.get("phi") is None:
        assert res.phi is None and method in ORTHOGONAL
    else:
        assert method in OBLIQUE
        assert _maxdiff(res.phi, ref["phi"]) < TOL


@pytest.mark.parametrize("case_name,rotation", FINAL)
def test_psych_fa_final_solution(case_name, rotation):
    """Rotated, then signed and ordered as psych::fa(rotate = rotation) reports them."""
    cs = CASES[case_name]
    ref = cs["fa"][rotation]
    res = rotate(np.array(cs["unrotated"]), rotation)
    L, phi = _psych_order(res.loadings.to_numpy(), None if res.phi is None else res.phi.to_numpy())
    assert _maxdiff(L, ref["loadings"]) < TOL
    if ref.get("phi") is None:
        assert phi is None
    else:
        assert _maxdiff(phi, ref["phi"]) < TOL


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("rotation", ["varimax", "promax", "oblimin"])
def test_efa_end_to_end_principal_axis(name, rotation):
    """With fm = "pa" the extraction has no optimiser, so efa() equals psych::fa (the psych
    fixtures of tests/test_efa.py) to 1e-8 without any alignment: whatever differs would be
    the rotation or the sign/order convention."""
    fx, df = case(name)
    ref = fx["fa"][f"pa_{rotation}"]
    res = efa(df[items_of(fx)], len(fx["constructs"]), "principal", rotation, missing="listwise")
    assert _maxdiff(res.loadings, ref["loadings"]) < 1e-8
    assert _maxdiff(res.variance["ss_loadings"], np.array(ref["vaccounted"])[0]) < 1e-8
    if rotation == "varimax":
        assert res.phi is None
    else:
        assert _maxdiff(res.phi, ref["phi"]) < 1e-8


@pytest.mark.parametrize("method", ORTHOGONAL + OBLIQUE)
def test_rotation_keeps_the_common_part(method):
    """Any rotation keeps L Phi L' = A A' (communalities unchanged); T'T = I when orthogonal,
    diag(Phi) = 1 when oblique."""
    A = np.array(CASES["bfi_5"]["unrotated"])
    res = rotate(A, method)
    L = res.loadings.to_numpy()
    phi = np.eye(A.shape[1]) if res.phi is None else res.phi.to_numpy()
    assert res.converged
    assert _maxdiff(L @ phi @ L.T, A @ A.T) < 1e-10
    if res.phi is None:
        assert _maxdiff(res.rotmat.T @ res.rotmat, np.eye(A.shape[1])) < 1e-10
    else:
        assert _maxdiff(np.diag(phi), np.ones(A.shape[1])) < 1e-12


def test_labels_aliases_and_bad_names():
    A = pd.DataFrame(CASES["bfi_2"]["unrotated"], columns=["MR1", "MR2"])
    A.index = [f"i{j}" for j in range(len(A))]
    res = rotate(A, "geomin_obl")
    assert res.method == "geominQ"
    assert list(res.loadings.index) == list(A.index)
    assert list(res.phi.columns) == ["MR1", "MR2"]
    assert _maxdiff(res.loadings, rotate(A, "geominQ").loadings) == 0
    one = rotate(A[["MR1"]], "oblimin")
    assert one.phi is None and _maxdiff(one.loadings, A[["MR1"]]) == 0
    with pytest.raises(InputError, match="unknown rotation 'bifactor'"):
        rotate(A, "bifactor")
    with pytest.raises(InputError, match="missing or infinite"):
        rotate(A.assign(MR2=np.nan), "varimax")


def test_principal_components_oblique_rotation_has_phi(example_frame):
    items = [c for c in example_frame.columns if c[:3] in ("SAT", "TRU", "LOY")]
    pc = principal_components(example_frame[items], 3, "quartimin")
    assert pc.phi is not None and pc.phi.shape == (3, 3)
    assert np.allclose(np.diag(pc.phi), 1)
    with pytest.raises(InputError, match="unknown rotation 'simplimax'"):
        principal_components(example_frame[items], 3, "simplimax")


def test_efa_notes_a_rotation_that_did_not_converge(monkeypatch):
    fx, df = case("hs")
    monkeypatch.setattr(efa_module, "rotate", functools.partial(rotate, maxit=2))
    res = efa(df[items_of(fx)], 3, "minres", "oblimin")
    assert any("oblimin rotation did not converge in 2 iterations" in w for w in res.warnings)
    monkeypatch.undo()
    assert not any("rotation" in w for w in efa(df[items_of(fx)], 3).warnings)
