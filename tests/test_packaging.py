"""What PyPI gets (issue 27): pyproject metadata, dependency lines, the README as the long
description, and the checks ``make wheel-check`` runs on a built wheel (the build itself and
the run from an installed wheel are in ``make wheel-check``, which ``make test`` runs)."""

from __future__ import annotations

import re
import sys
import tomllib
from email.message import Message
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
README = (REPO / "README.md").read_text(encoding="utf-8")

sys.path.insert(0, str(REPO / "tests" / "packaging"))
import check_wheel  # noqa: E402


def _all_requirements() -> list[str]:
    lines = list(PROJECT["dependencies"])
    for extra in PROJECT.get("optional-dependencies", {}).values():
        lines += extra
    return lines


@pytest.mark.parametrize("line", _all_requirements())
def test_no_exact_pins_or_upper_caps(line):
    """Pins and caps in a library's metadata break users' environments: only lower bounds."""
    req = Requirement(line)
    assert req.specifier, f"{line}: give the lowest version it is known to work with"
    assert all(s.operator == ">=" for s in req.specifier), line


def test_license_and_version_metadata():
    assert PROJECT["license"] == "MIT"  # PEP 639 SPDX expression
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "the loyaltysem authors" in (REPO / "LICENSE").read_text(encoding="utf-8")
    requires = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    hatchling = next(r for r in requires if r.name == "hatchling")
    assert hatchling.specifier.contains("1.27") and not hatchling.specifier.contains("1.26")
    assert "version" not in PROJECT and PROJECT["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "loyaltysem/__init__.py"
    assert (REPO / "loyaltysem" / "py.typed").is_file()
    python = {c.rsplit(" ", 1)[-1] for c in PROJECT["classifiers"] if "Python :: 3." in c}
    assert python == {"3.11", "3.12", "3.13"}
    assert set(PROJECT["urls"]) == {"Homepage", "Documentation", "Issues", "Source"}


def test_readme_works_on_pypi():
    """Relative links break on PyPI; the install comes first; the make commands stay."""
    _check_description(README)
    quick = README.split("## Quick start", 1)[1]
    assert quick.index("pip install loyaltysem") < quick.index("make demo")
    assert 'pip install "loyaltysem[gui]"' in quick
    for command in ("make test", "make demo", "loyaltysem run"):
        assert command in README


def _check_description(body: str) -> None:
    meta = Message()
    meta["Version"] = check_wheel.source_version()
    meta["License-Expression"] = "MIT"
    meta.set_payload(body)
    check_wheel.check_metadata(meta)


def test_wheel_check_refuses_relative_links_and_a_wrong_version():
    with pytest.raises(SystemExit):
        _check_description(README + "\n![diagram](docs/img/path_diagram.png)\n")
    meta = Message()
    meta["Version"] = "0.0.0"
    meta["License-Expression"] = "MIT"
    meta.set_payload(README)
    with pytest.raises(SystemExit):
        check_wheel.check_metadata(meta)


def test_one_version_source():
    init = (REPO / "loyaltysem" / "__init__.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^__version__ = ", init, re.M)) == 1
    import loyaltysem

    assert loyaltysem.__version__ == check_wheel.source_version()
