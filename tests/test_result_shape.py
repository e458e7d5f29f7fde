"""One result shape: every result object has to_dict() (JSON-ready), summary(), to_frame()
(its main table), tables() (every table) and a short HTML repr (issues 15 and 27)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from loyaltysem.base.fileio import to_jsonable
from loyaltysem.examples import example_paths
from loyaltysem.survey.loaders import load

PATHS = example_paths()


@pytest.fixture(scope="module")
def survey():
    return load(PATHS["data_csv"], PATHS["model"])


def _results(survey):
    from loyaltysem.analyses.mediation import mediation_table
    from loyaltysem.psychometrics.construct_scores import construct_correlations, construct_scores
    from loyaltysem.psychometrics.efa import efa, parallel_analysis
    from loyaltysem.psychometrics.group_differences import group_differences
    from loyaltysem.psychometrics.reliability import reliability_table
    from loyaltysem.psychometrics.screening import screen
    from loyaltysem.psychometrics.valid_sample import valid_sample
    from loyaltysem.semcore.estimation import sem

    inst = survey.instrument
    X = survey.data[inst.item_codes]
    screened = screen(survey, policy="none")
    fit = sem(inst.model_syntax(), survey)
    scores = construct_scores(survey.data, inst.construct_items)
    return {
        "screen": screened,
        "valid_sample": valid_sample(screened, instrument=inst),
        "reliability": reliability_table(X, inst.construct_items),
        "efa": efa(X, 12),
        "parallel": parallel_analysis(X, n_iter=5, seed=1),
        "correlations": construct_correlations(scores),
        "differences": group_differences(survey.data, inst, variables=["gender"]),
        "sem": fit,
        "mediation": mediation_table(fit),
    }


def test_every_result_has_the_protocol(survey):
    for name, result in _results(survey).items():
        d = result.to_dict()
        assert isinstance(d, dict) and d, name
        json.dumps(to_jsonable(d), allow_nan=False)  # plain types once NaN -> null
        assert isinstance(result.summary(), str) and result.summary().strip(), name
        assert "<" in result._repr_html_(), name
        assert isinstance(result.to_frame(), pd.DataFrame) and len(result.to_frame()), name
        tables = result.tables()
        assert tables and all(isinstance(t, pd.DataFrame) for t in tables.values()), name


def test_every_result_class_has_the_protocol():
    """Every result class of the package (the ResultMixin subclasses and the results with
    their own versions) answers the five methods."""
    import importlib
    import pkgutil

    import loyaltysem
    from loyaltysem.base.result import ResultMixin

    for mod in pkgutil.walk_packages(loyaltysem.__path__, "loyaltysem."):
        if any(part in mod.name for part in (".cli", ".gui", "__main__")):
            continue
        try:
            importlib.import_module(mod.name)
        except ImportError:  # an optional dependency
            continue
    classes = set()
    todo = list(ResultMixin.__subclasses__())
    while todo:
        c = todo.pop()
        classes.add(c)
        todo += c.__subclasses__()
    names = {c.__name__ for c in classes}
    assert {"SEMResult", "BootstrapResult", "PLSResult", "ProcessResult", "EFAResult",
            "ReliabilityResult", "AnalysisResult", "PLSAnalysisResult", "StructuralStage",
            "Moderation", "PowerResult", "MediationResult"} <= names  # fmt: skip
    for c in classes:
        for method in ("summary", "to_frame", "tables", "to_dict", "_repr_html_"):
            assert callable(getattr(c, method, None)), (c.__name__, method)
