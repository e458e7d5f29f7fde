"""Bounds of every numeric option, checked once for all commands after parsing.

Each limit has a reason the message gives; a value outside is refused before any work starts
(exit status 2), except the number of workers, which is capped at the machine's cores with a
note (more workers than cores only slow a run down).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    low: float
    high: float | None
    reason: str = ""
    low_open: bool = False
    high_open: bool = False

    def check(self, value: float) -> str | None:
        below = value <= self.low if self.low_open else value < self.low
        above = self.high is not None and (
            value >= self.high if self.high_open else value > self.high
        )
        if not (below or above):
            return None
        lo = f"greater than {self.low:,g}" if self.low_open else f"at least {self.low:,g}"
        if self.high is None:
            return f"must be {lo}"
        hi = f"less than {self.high:,g}" if self.high_open else f"at most {self.high:,g}"
        why = f" ({self.reason})" if self.reason and above else ""
        return f"must be {lo} and {hi}{why}"


MAX_DRAWS = 100_000
MAX_REPS = 100_000

BOUNDS: dict[str, Bound] = {
    "bootstrap": Bound(
        0, MAX_DRAWS, "more draws do not move a 95% interval's bounds beyond Monte Carlo error"
    ),
    "conf": Bound(50, 100, low_open=True, high_open=True),
    "reps": Bound(1, MAX_REPS, "the power estimate's Monte Carlo error is already below 0.002"),
    "seed": Bound(0, 2**32 - 1),
    "n_iter": Bound(1, 10_000, "psych's fa.parallel uses 20"),
    "jobs": Bound(1, None),
    "alpha": Bound(0, 1, low_open=True, high_open=True),
    "target": Bound(0, 1, low_open=True, high_open=True),
    "chapter": Bound(1, 99),
    "max_missing_share": Bound(0, 1),
    "min_duration": Bound(0, None),
    "port": Bound(0, 65535),
}


def option_name(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def validate_bounds(args: argparse.Namespace) -> list[str]:
    """Raise :class:`~loyaltysem.base.errors.InputError` for a numeric option out of its bounds;
    return notes for values that were adjusted (workers capped at the cores)."""
    from loyaltysem.base.errors import LimitError

    notes: list[str] = []
    for dest, bound in BOUNDS.items():
        value = getattr(args, dest, None)
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value != value:  # NaN
            raise LimitError(f"{option_name(dest)} is not a number")
        problem = bound.check(value)
        if problem:
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
            raise LimitError(f"{option_name(dest)} {shown} {problem}")
    jobs = getattr(args, "jobs", None)
    cores = os.cpu_count() or 1
    if isinstance(jobs, int) and jobs > cores:
        notes.append(f"--jobs {jobs} capped at the machine's {cores} cores")
        args.jobs = cores
    return notes
