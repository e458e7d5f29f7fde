"""One result shape: every result object has to_dict() (JSON-ready), summary() and an HTML
repr (issue 15)."""

from __future__ import annotations

import json

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


def test_every_result_has_the_three_views(survey):
    for name, result in _results(survey).items():
        d = result.to_dict()
        assert isinstance(d, dict) and d, name
        json.dumps(to_jsonable(d), allow_nan=False)  # plain types once NaN -> null
        assert isinstance(result.summary(), str) and result.summary().strip(), name
        assert "<" in result._repr_html_(), name
