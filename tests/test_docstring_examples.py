"""Every docstring example of the package runs and prints what it shows (the brief: a
docstring with the formula's source and an example; an example that no longer runs misleads
the notebook user who copies it). Examples that need a whole analysis are marked
``# doctest: +SKIP`` where they stand."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import loyaltysem

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(loyaltysem.__path__, "loyaltysem.")
    if not m.name.endswith("__main__")  # importing it would run the command line
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch, capsys):
    monkeypatch.chdir(REPO)  # examples name the bundled files by their repository paths
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, capsys.readouterr().out[-3000:]
