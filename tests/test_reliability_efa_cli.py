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


def test_efa_items_parallel_and_no_rotation(tmp_path, capsys):
    paths = example_paths()
    out = tmp_path / "efa.json"
    items = "SAT1,SAT2,SAT3,TRU1,TRU2,TRU3"
    code = main(
        [
            "efa",
            str(paths["data_csv"]),
            "--items",
            items,
            "--rotation",
            "none",
            "--n-iter",
            "10",
            "--json",
            str(out),
        ]
    )
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["phi"] is None and doc["parallel"]["n_factors"] >= 1
    assert len(doc["loadings"]["SAT1"]) == doc["parallel"]["n_factors"]
    assert all(isinstance(w, str) for w in doc["warnings"])
    assert doc["bartlett"]["df"] == 15


def test_efa_unknown_item_is_a_one_line_error(tmp_path, capsys):
    paths = example_paths()
    code = main(["efa", str(paths["data_csv"]), "--items", "SAT1,NOPE", "--json", "-"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "NOPE" in err and "\n" not in err
