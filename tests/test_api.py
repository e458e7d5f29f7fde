"""The API a notebook user finds (issue 27): the verbs at the top level, listed by ``dir()``
and ``__all__`` and documented; the library's defaults equal the CLI's; ``load(reverse=,
scale=)`` as ``--reverse/--scale``; fit measures as plain Python numbers; figures that never
touch matplotlib's global backend."""

from __future__ import annotations

import argparse
import inspect
import json
import pydoc
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import loyaltysem as ls
from loyaltysem.base.fileio import to_jsonable

PATHS = ls.example_paths()
VERBS = [
    "load", "screen", "reliability", "efa", "cfa", "sem", "bootstrap", "mediation",
    "moderation", "invariance", "pls", "power", "analyze", "write_report", "process",
    "init_model", "compare",
]  # fmt: skip
MOD_MODEL = (
    "SAT =~ SAT1 + SAT2 + SAT3\nLOY =~ LOY1 + LOY2 + LOY3\nSWC =~ SWC1 + SWC2 + SWC3\n"
    "LOY ~ SAT + SWC + SAT:SWC"
)


def _verb(name):
    try:
        return getattr(ls, name)
    except AttributeError:
        if name == "compare":  # built in parallel (analyses/compare.py)
            pytest.skip("loyaltysem.analyses.compare is not in this tree yet")
        raise


def test_every_verb_is_listed_and_documented_with_an_example():
    assert set(VERBS) <= set(ls.__all__) and set(VERBS) <= set(dir(ls))
    for name in VERBS:
        if name == "compare":
            continue
        fn = getattr(ls, name)
        assert inspect.isfunction(fn), name
        assert "Example" in (fn.__doc__ or ""), name


def test_compare_is_in_the_lazy_table():
    assert ls.VERBS["compare"] == "analyses.compare"
    _verb("compare")


def test_import_is_lazy_and_help_is_about_the_verbs():
    code = "import sys, loyaltysem; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    text = pydoc.render_doc(ls, renderer=pydoc.plaintext)
    assert "reliability(" in text and "write_report(" in text
    assert "class InputError" not in text  # importable, not the bulk of help()
    assert ls.InputError is ls.base.errors.InputError


def test_pls_verb_is_the_function_even_after_the_subpackage_is_imported():
    import loyaltysem.pls.core  # noqa: F401 - sets the package attribute 'pls'

    assert inspect.isfunction(ls.pls) and ls.pls.__module__ == "loyaltysem.pls.core"


def test_analyze_defaults_are_the_cli_defaults():
    from loyaltysem.cli import build_parser
    from loyaltysem.pipeline.options import run_options

    sig = inspect.signature(ls.analyze).parameters
    run = _subparser(build_parser(), "run")
    assert sig["ci"].default == run.get_default("ci") == "bc"
    assert sig["n_boot"].default is None and run.get_default("bootstrap") is None
    assert run_options(method="cb").n_boot == 1000
    assert run_options(method="pls").n_boot == 5000
    assert run_options(method="cb", missing="fiml").n_boot == 0
    assert run_options().seed == ls.base.validate.DEFAULT_SEED
    lang = inspect.signature(ls.write_report).parameters["lang"].default
    assert lang == run.get_default("lang") == "both"
    assert inspect.signature(ls.bootstrap).parameters["seed"].default == 12345


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]


def test_load_reverse_and_scale_as_the_cli(tmp_path):
    from loyaltysem.cli._common import load_from_args

    args = argparse.Namespace(
        data=str(PATHS["data_csv"]), model=str(PATHS["model_lav"]), reverse="DES4,LOY4",
        scale="1-7", encoding=None, missing_codes=None, sheet=None,
    )  # fmt: skip
    cli = load_from_args(args)
    lib = ls.load(PATHS["data_csv"], PATHS["model_lav"], reverse=["DES4", "LOY4"], scale="1-7")
    pd.testing.assert_frame_equal(cli.data, lib.data)
    assert cli.recoded == lib.recoded == ["DES4", "LOY4"] and cli.log == lib.log
    raw = ls.load(PATHS["data_csv"], PATHS["model_lav"])
    assert (lib.data["DES4"] == 8 - raw.data["DES4"]).where(raw.data["DES4"].notna(), True).all()


def test_fit_measures_are_plain_python_numbers(example_frame):
    fit = ls.sem("SAT =~ SAT1 + SAT2 + SAT3\nTRU =~ TRU1 + TRU2 + TRU3", example_frame)
    fm = fit.fit_measures
    assert type(fm["npar"]) is int and type(fm["df"]) is int and fm["df"] == 8
    assert all(type(v) in (int, float) for v in fm.values() if v is not None)
    assert "np.float64" not in repr(fm)


# ------------------------------------------------------------------------- the protocol
@pytest.fixture(scope="module")
def survey():
    return ls.load(PATHS["data_csv"], PATHS["model"])


@pytest.fixture(scope="module")
def results(survey):
    fit = ls.sem(PATHS["model"], survey)
    boot = ls.bootstrap(fit, 60)
    return {
        "screen": ls.screen(survey),
        "reliability": ls.reliability(survey),
        "efa": ls.efa(survey, n_iter=5),
        "sem": fit,
        "cfa": ls.cfa(PATHS["model"], survey),
        "bootstrap": boot,
        "mediation": ls.mediation(fit, boot),
        "moderation": ls.moderation(MOD_MODEL, survey),
        "invariance": ls.invariance("SAT =~ SAT1 + SAT2 + SAT3", survey, "gender"),
        "pls": ls.pls(survey, PATHS["model_lav"], n_boot=40, q2=False),
        "process": ls.process(survey, 4, x="SAT1", y="LOY1", m="TRU1", n_boot=200),
        "power": ls.power(PATHS["population"], n=[300], reps=8),
    }


def test_every_result_has_the_protocol(results):
    for name, res in results.items():
        text = res.summary()
        assert isinstance(text, str) and text.strip(), name
        assert isinstance(res.to_frame(), pd.DataFrame) and not res.to_frame().empty, name
        tables = res.tables()
        assert tables and all(isinstance(t, pd.DataFrame) for t in tables.values()), name
        json.dumps(to_jsonable(res.to_dict()), allow_nan=False)
        html = res._repr_html_()
        assert "<table" in html, name
        assert html.count("<tr") <= 200, (name, html.count("<tr"))  # a summary, not every row


def test_sem_display_is_a_summary_not_the_parameter_table(results):
    fit = results["sem"]
    assert len(fit.estimates) >= 140
    html = fit._repr_html_()
    assert "CFI" in html and html.count("<tr") < len(fit.estimates)
    assert set(fit.tables()) == {"estimates", "fit", "r2"}


def test_bootstrap_table_names_its_interval(results):
    boot = results["bootstrap"]
    t = boot.to_frame()
    assert {"ci.lower", "ci.upper", "ci"} <= set(t) and (t["ci"] == "percentile").all()
    assert not [c for c in t if c.startswith(("perc.", "bc.", "bca."))]
    d = boot.to_dict()
    assert d["draws"] == 60 and d["seed"] == 12345 and d["ci"] == "percentile"
    bc = boot.intervals("bc")
    assert (bc["ci"] == "bc").all() and bc["est"].equals(t["est"])


def test_plots_are_figures_and_leave_the_backend_alone(results, tmp_path):
    import matplotlib
    from matplotlib.figure import Figure

    before = matplotlib.get_backend()
    figs = [
        results["efa"].plot(), results["sem"].plot(), results["bootstrap"].plot(),
        results["mediation"].plot(), results["moderation"].plot(), results["pls"].plot(),
        results["power"].plot(), results["efa"].parallel.plot(),
    ]  # fmt: skip
    assert all(isinstance(f, Figure) for f in figs)
    assert all(f._repr_png_()[:4] == b"\x89PNG" for f in figs[:2])
    assert matplotlib.get_backend() == before


def test_report_figures_do_not_switch_the_backend(tmp_path):
    """Writing the report's figures keeps the session's backend and never imports pyplot."""
    code = f"""
import sys, matplotlib
matplotlib.use("svg")
import pandas as pd
from loyaltysem.report import figures
from loyaltysem.report.interaction_plot import interaction_plot
from loyaltysem.semcore.estimation import sem
df = pd.read_csv({str(PATHS["data_csv"])!r})
fit = sem({MOD_MODEL!r}, df)
figures.path_diagram(fit.estimates, fit.r2, {str(tmp_path / "p.png")!r}, lang="zh")
figures.scree_plot([3.0, 1.2, 0.8], [1.3, 1.1, 1.0], 1, {str(tmp_path / "s.png")!r})
interaction_plot(fit, "LOY", "SAT", "SWC", {str(tmp_path / "i.png")!r}, x_label="x", y_label="y")
print(matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "False"]
    assert all((tmp_path / f).stat().st_size > 1000 for f in ("p.png", "s.png", "i.png"))


def test_verbs_match_the_functions_they_front(survey, results):
    from loyaltysem.psychometrics.reliability import reliability_table

    inst = survey.instrument
    rel = reliability_table(survey.data[inst.item_codes], inst.construct_items)
    np.testing.assert_allclose(
        results["reliability"].constructs["alpha"], rel.constructs["alpha"], rtol=1e-12
    )
    assert {"cr", "ave"} <= set(results["reliability"].validity)
    efa = results["efa"]
    assert efa.loadings.shape[1] == max(efa.parallel.n_factors, 1)
    assert efa.kmo["overall"] > 0.5 and efa.bartlett["df"] > 0
    with pytest.raises(ls.InputError, match="interaction"):
        ls.moderation(results["sem"])
