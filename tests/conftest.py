"""Test helpers: paths to the repository, the example and the two public surveys."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# One BLAS thread per test process: the suite runs on two pytest-xdist workers, and two
# OpenBLAS threads in each only spin against each other on small matrices (set before numpy
# loads; the workers and the CLI subprocesses inherit it).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# Bytecode caches on (some machines set PYTHONDONTWRITEBYTECODE): the second worker, the CLI
# subprocesses and the joblib workers then load loyaltysem's modules instead of compiling them.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SURVEYS = REPO / "tests" / "data" / "surveys"  # ECSI mobi, corporate reputation (seminr)
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def example_frame() -> pd.DataFrame:
    """The bundled example data with the reverse-keyed items recoded (8 - x)."""
    from loyaltysem.survey.instrument import read_instrument

    inst = read_instrument(REPO / "models" / "online_loyalty.toml")
    df = pd.read_csv(REPO / "data" / "online_loyalty.csv")
    for item in inst.reverse_items:
        df[item] = 8 - df[item]
    return df


@pytest.fixture(scope="session")
def example_analysis():
    """``analyze()`` of the example (.sav and TOML model) without bootstrap draws, shared by
    the report tests of a worker (they only read it)."""
    from loyaltysem.examples import example_paths
    from loyaltysem.pipeline import analyze

    return analyze(example_paths()["data_sav"], example_paths()["model"], n_boot=0)


class LazyModule:
    """A module imported on first use (``pytest.importorskip``): a test module's reference
    packages (pingouin, statsmodels) are then imported by the worker that runs its tests
    only, not at collection by every worker."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(pytest.importorskip(self._name), attr)


def shared_dataset(name: str) -> Path:
    """A public survey kept in the repository (tests/data/surveys, see its README)."""
    return SURVEYS / name


# the examiner runs (tests/examiner_runs.py): `examiner("example")` -> a finished run
pytest_plugins = ["examiner_runs"]
