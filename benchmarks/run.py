"""Benchmark: ``loyaltysem run`` on the bundled example, CPU time and wall time, against the
targets of issues 23 and 27.

* ``loyaltysem run`` (1,000 bootstrap draws, the declared moderator with its
  moderated-mediation bootstrap, English and Chinese, every format): within 20 s of CPU;
* ``loyaltysem run --ordered all`` (WLSMV, the ordinal bootstrap): within 60 s of CPU.

CPU time is user + system time of the command and of every process it starts (joblib
workers included: this script makes itself the "child subreaper" of the command, so workers
that outlive their parent are still reaped here and counted in ``RUSAGE_CHILDREN``). The
machine is shared, so CPU time is the measure that load does not inflate much; the wall time
and the load average are printed beside it. Python runs with a bytecode cache in a temporary
folder, filled by one warm-up run with 5 draws (the same modules; as on a user's machine
after the first run). Run by hand, not in the test suite:

    .venv/bin/python benchmarks/run.py [--repeat 1] [--only default|ordered] [--jobs-1]

``--jobs-1`` keeps every bootstrap in the main process (no workers; the CPU time is then
that of one process).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"default": ([], 20.0), "ordered": (["--ordered", "all"], 60.0)}
PR_SET_CHILD_SUBREAPER = 36

ONE_PROCESS = """import sys
import loyaltysem.semcore.resample.parallel as par
par.PARALLEL_AFTER = float("inf")
from loyaltysem.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _subreaper() -> bool:
    """Make this process reap (and count) every orphaned descendant (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_all() -> None:
    """Wait for every remaining descendant (reparented workers), so their times count."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(CPU seconds of the command and all its descendants, wall seconds)."""
    _reap_all()
    c0, t0 = _cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    wall = time.perf_counter() - t0
    _reap_all()
    return _cpu() - c0, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", choices=sorted(TARGETS))
    ap.add_argument("--jobs-1", action="store_true", help="every bootstrap in the main process")
    args = ap.parse_args()
    counted = _subreaper()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        if args.jobs_1:
            (tmp / "one.py").write_text(ONE_PROCESS, encoding="utf-8")
            base = [sys.executable, str(tmp / "one.py")]
        else:
            base = [sys.executable, "-m", "loyaltysem"]
        print(f"{os.cpu_count()} cores; workers counted: {counted}")
        for name, (extra, target) in TARGETS.items():
            if args.only and name != args.only:
                continue
            warm = [*base, "run", "--out", str(tmp / "warm"), "--bootstrap", "5", *extra]
            subprocess.run(warm, env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
            for k in range(args.repeat):
                load = os.getloadavg()[0]
                cmd = [*base, "run", "--out", str(tmp / f"{name}{k}"), *extra]
                cpu, wall = measure(cmd, env, tmp)
                verdict = "met" if cpu <= target else "NOT met"
                print(f"run {' '.join(extra) or '(default)':16s} CPU {cpu:6.1f} s  wall "
                      f"{wall:6.1f} s  load {load:4.2f} -> {os.getloadavg()[0]:4.2f}  "
                      f"target {target:g} s CPU: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
