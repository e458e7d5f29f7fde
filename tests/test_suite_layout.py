"""`make test` runs the suite without the Monte Carlo parity sweeps, then the sweeps from the
files its SWEEPS variable names: a sweep in any other file would run nowhere."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_sweep_is_in_a_file_make_test_runs():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    listed = set(re.search(r"^SWEEPS\s*:=\s*(.+)$", makefile, re.M).group(1).split())
    marked = {
        f"tests/{p.name}"
        for p in (REPO / "tests").glob("test_*.py")
        if re.search(r"^@pytest\.mark\.sweep$", p.read_text(encoding="utf-8"), re.M)
    }
    assert marked and marked <= listed, marked - listed
    assert '-m "not sweep"' in makefile and "-m sweep $(SWEEPS)" in makefile
