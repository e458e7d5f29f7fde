"""Benchmark: bootstrap draws, loyaltysem vs lavaan (and semopy) in one run.

Two cases (simulated from the project's population values):

* ``project``: the 12-construct model (39 items) at N = 500, 5,000 draws;
* ``survey25``: an 8-construct model with 25 items at N = 3,000, 1,000 draws.

For each case it prints loyaltysem's time with one process (draws refitted in batches) and with
two worker processes (started cold), lavaan's time (``sem(se = "bootstrap")``, serial, its
default; timed on ``--lavaan-draws`` draws and scaled linearly to the same number when
fewer), semopy's (a fresh ``Model.fit`` per resample, timed on ``--semopy-draws``), ms per draw,
the ratios and the peak memory (resident set: loyaltysem's main process and its largest
worker; Rscript measured by /usr/bin/time).

Targets (issue 19): ``project`` 5,000 draws in 5 s or less on 2 cores, at least 30x lavaan,
peak memory under 1 GB; ``survey25`` at least 10x lavaan per draw.

    .venv/bin/python benchmarks/bootstrap.py [--case project|survey25|all] [--draws N]
        [--lavaan-draws N] [--semopy-draws N] [--jobs 1,2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loyaltysem.examples import example_paths  # noqa: E402
from loyaltysem.semcore.estimation import sem  # noqa: E402
from loyaltysem.semcore.resample.bootstrap import bootstrap  # noqa: E402
from loyaltysem.semcore.resample.simulate import simulate  # noqa: E402

SURVEY25 = """
INF =~ 0.78*INF1 + 0.74*INF2 + 0.70*INF3
PRD =~ 0.80*PRD1 + 0.72*PRD2 + 0.69*PRD3
CON =~ 0.76*CON1 + 0.81*CON2 + 0.66*CON3
DES =~ 0.79*DES1 + 0.75*DES2 + 0.77*DES3 + 0.62*DES4
PAY =~ 0.74*PAY1 + 0.82*PAY2 + 0.68*PAY3
SAT =~ 0.85*SAT1 + 0.82*SAT2 + 0.80*SAT3
TRU =~ 0.84*TRU1 + 0.80*TRU2 + 0.72*TRU3
LOY =~ 0.83*LOY1 + 0.81*LOY2 + 0.76*LOY3
SAT ~ 0.20*INF + 0.25*PRD + 0.15*CON + 0.15*DES + 0.10*PAY
TRU ~ 0.50*SAT + 0.15*PAY
LOY ~ 0.35*SAT + 0.40*TRU
INF ~~ 0.30*PRD
INF ~~ 0.35*CON
INF ~~ 0.25*DES
INF ~~ 0.40*PAY
PRD ~~ 0.25*CON
PRD ~~ 0.30*DES
PRD ~~ 0.35*PAY
CON ~~ 0.35*DES
CON ~~ 0.30*PAY
DES ~~ 0.40*PAY
"""

CASES = {"project": (500, 5000, 1000, 20), "survey25": (3000, 1000, 200, 10)}

R_SCRIPT = """
suppressMessages(library(lavaan))
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
set.seed(1)
t <- system.time(f <- sem(m, d, se = "bootstrap", bootstrap = {draws}))
cat(t[["elapsed"]], "\\n")
"""


def analysis_model(population: str) -> str:
    """The population model with its values freed (what is fitted)."""
    from loyaltysem.analyses.power import analysis_syntax

    return analysis_syntax(population)


def case_data(case: str, n: int):
    if case == "project":
        pop = example_paths()["population"].read_text(encoding="utf-8")
        return simulate(pop, n, seed=500), example_paths()["model_lav"].read_text("utf-8")
    return simulate(SURVEY25, n, seed=25), analysis_model(SURVEY25)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run_ours(fit, draws: int, jobs: int) -> float:
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)  # workers start cold, and their peak is counted
    t0 = time.perf_counter()
    boot = bootstrap(fit, draws, seed=1, n_jobs=jobs)
    elapsed = time.perf_counter() - t0
    get_reusable_executor().shutdown(wait=True)
    assert boot.n_failed == 0 or boot.n_failed < draws // 100
    return elapsed


def run_lavaan(data, model_text: str, draws: int):
    """(seconds, peak MB) of lavaan's bootstrap, or None without Rscript."""
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv, model = Path(tmp) / "d.csv", Path(tmp) / "m.lav"
        data.to_csv(csv, index=False)
        model.write_text(model_text, encoding="utf-8")
        script = Path(tmp) / "boot.R"
        script.write_text(R_SCRIPT.format(data=csv, model=model, draws=draws))
        memfile = Path(tmp) / "mem"
        cmd = ["Rscript", str(script)]
        if Path("/usr/bin/time").exists():
            cmd = ["/usr/bin/time", "-f", "%M", "-o", str(memfile), *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print("  lavaan failed:", out.stderr.strip().splitlines()[-1:])
            return None
        mem = float(memfile.read_text().split()[-1]) / 1024 if memfile.exists() else float("nan")
        return float(out.stdout.split()[-1]), mem


def run_semopy(data, model_text: str, draws: int):
    """Seconds per draw of semopy refitting resamples (a fresh Model.fit each), or None."""
    try:
        import semopy
    except ImportError:
        return None
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    for _ in range(draws):
        sample = data.iloc[rng.integers(0, len(data), len(data))].reset_index(drop=True)
        semopy.Model(model_text).fit(sample)
    return (time.perf_counter() - t0) / draws


def bench(case: str, args) -> None:
    n, draws, lav_draws, sem_draws = CASES[case]
    draws = args.draws or draws
    lav_draws = min(args.lavaan_draws or lav_draws, draws)
    sem_draws = args.semopy_draws if args.semopy_draws is not None else sem_draws
    data, model_text = case_data(case, n)
    fit = sem(model_text, data)
    p = fit.model.p
    print(f"== {case}: {p} items, N = {n}, {fit.npar} parameters, {draws:,} draws")
    ours = {}
    for jobs in args.jobs:
        ours[jobs] = run_ours(fit, draws, jobs)
        print(
            f"  loyaltysem, {jobs} process{'es' if jobs > 1 else ''}: {ours[jobs]:.2f} s "
            f"({1000 * ours[jobs] / draws:.2f} ms per draw)"
        )
    best = min(ours.values())
    print(
        f"  peak memory: main process {peak_mb(resource.RUSAGE_SELF):.0f} MB, largest worker "
        f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    lav = run_lavaan(data, model_text, lav_draws)
    if lav is None:
        print("  lavaan: not available")
    else:
        secs, mem = lav
        per = secs / lav_draws
        note = "" if lav_draws == draws else f" (timed on {lav_draws:,} draws, scaled)"
        print(
            f"  lavaan 0.6.14: {per * draws:.1f} s for {draws:,} draws{note} "
            f"({1000 * per:.1f} ms per draw), peak memory {mem:.0f} MB"
        )
        print(f"  ratio lavaan / loyaltysem (best): {per * draws / best:.1f}x")
    if sem_draws:
        sp = run_semopy(data, model_text, sem_draws)
        if sp is None:
            print("  semopy: not installed")
        else:
            print(
                f"  semopy (Model.fit per resample, {sem_draws} draws): {1000 * sp:.0f} ms per "
                f"draw, ratio {sp * draws / best:.0f}x"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--case", choices=[*CASES, "all"], default="all")
    ap.add_argument("--draws", type=int, default=None)
    ap.add_argument("--lavaan-draws", type=int, default=None)
    ap.add_argument("--semopy-draws", type=int, default=None)
    ap.add_argument("--jobs", default="1,2", help="worker counts to time, e.g. 1,2")
    args = ap.parse_args()
    args.jobs = [int(j) for j in args.jobs.split(",")]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    for case in CASES if args.case == "all" else [args.case]:
        bench(case, args)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
