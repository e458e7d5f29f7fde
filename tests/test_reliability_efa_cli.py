"""The reliability and efa commands write the output contract's JSON."""

from __future__ import annotations

import json

from loyaltysem.cli import main
from loyaltysem.examples import example_paths


def test_reliability_json(tmp_path):
    paths = example_paths()
    out = tmp_path / "rel.json"
    assert (
        main(
            [
                "reliability",
                str(paths["data_csv"]),
                "--model",
                str(paths["model"]),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"n", "warnings", "constructs", "htmt", "fornell_larcker"} <= set(doc)
    sat = doc["constructs"]["SAT"]
    assert {"alpha", "alpha.std", "alpha.ci", "omega", "cr", "ave", "sqrt.ave", "items"} <= set(sat)
    assert len(sat["alpha.ci"]) == 2 and sat["alpha.ci"][0] < sat["alpha"] < sat["alpha.ci"][1]
    assert {"citc", "alpha.if.deleted", "loading.std"} <= set(sat["items"]["SAT1"])
    assert 0 < doc["htmt"]["SAT"]["TRU"] < 1
    assert doc["fornell_larcker"]["SAT"]["SAT"] == sat["sqrt.ave"]


def test_efa_json(tmp_path):
    paths = example_paths()
    out = tmp_path / "efa.json"
    assert (
        main(
            [
                "efa",
                str(paths["data_csv"]),
                "--model",
                str(paths["model"]),
                "--n-factors",
                "12",
                "--rotation",
                "promax",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "n",
        "warnings",
        "kmo",
        "bartlett",
        "parallel",
        "eigenvalues",
        "loadings",
        "communalities",
        "variance",
        "phi",
    } <= set(doc)
    assert 0.5 < doc["kmo"]["overall"] < 1 and doc["bartlett"]["df"] == 741
    assert len(doc["loadings"]["SAT1"]) == 12 and doc["phi"] is not None
    assert {"ss_loadings", "proportion", "cumulative"} <= set(doc["variance"])
