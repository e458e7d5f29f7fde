"""Timing of whole commands, shared by the benchmarks that compare loyaltysem's command line
with Rscript (startup.py, fit_json.py)."""

from __future__ import annotations

import subprocess
import time


def time_command(cmd: list[str], env: dict | None = None) -> float:
    """Wall time of one run of ``cmd`` (output discarded; a failure raises)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - t0


def interleaved(jobs: dict[str, list[str]], env: dict, repeat: int) -> dict[str, list[float]]:
    """One warm-up run of each command (bytecode and file-system caches), then ``repeat``
    rounds in which every command runs once, so that a change of load hits all alike."""
    for cmd in jobs.values():
        time_command(cmd, env)
    times: dict[str, list[float]] = {k: [] for k in jobs}
    for _ in range(repeat):
        for name, cmd in jobs.items():
            times[name].append(time_command(cmd, env))
    return times
