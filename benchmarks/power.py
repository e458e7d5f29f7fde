"""Benchmark: Monte Carlo power, 1,000 replications at each of four sample sizes (200, 300, 500,
800) for the project's 12-construct model, loyaltysem vs lavaan (and semopy) in one run.

Each replication draws Likert answers from the population model (normal scores with the
population correlations, cut at the same thresholds), refits the model and tests every path
and indirect effect. lavaan does the same in R (``MASS::mvrnorm``, ``findInterval``, ``sem()``,
``parameterEstimates()``), timed on ``--lavaan-reps`` replications per N and scaled to the same
count; semopy refits ``--semopy-reps`` simulated data sets per N (``Model.fit``). Prints the
times, ms per replication, the ratios and the peak memory (resident set; Rscript by
/usr/bin/time). Target (issue 19): 4 x 1,000 replications in 20 s or less on 2 cores.

    .venv/bin/python benchmarks/power.py [--reps 1000] [--jobs 1,2] [--lavaan-reps 50]
        [--semopy-reps 3]
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loyaltysem.analyses.power import analysis_syntax, monte_carlo_power  # noqa: E402
from loyaltysem.examples import example_paths  # noqa: E402

NS = (200, 300, 500, 800)

R_SCRIPT = """
suppressMessages({{library(lavaan); library(MASS)}})
S <- as.matrix(read.csv("{sigma}"))
cuts <- scan("{cuts}", quiet = TRUE)
m <- paste(readLines("{model}"), collapse = "\\n")
set.seed(1)
t <- system.time(for (n in c({ns})) for (r in 1:{reps}) {{
  z <- mvrnorm(n, rep(0, ncol(S)), S)
  d <- as.data.frame(apply(z, 2, function(x) findInterval(x, cuts) + 1))
  colnames(d) <- colnames(S)
  f <- sem(m, d)
  pe <- parameterEstimates(f)
}})
cat(t[["elapsed"]], "\\n")
"""


def population() -> str:
    return example_paths()["population"].read_text(encoding="utf-8")


def run_ours(reps: int, jobs: int) -> float:
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)  # workers start cold, their peak is counted
    t0 = time.perf_counter()
    res = monte_carlo_power(population(), list(NS), reps, seed=1, n_jobs=jobs)
    elapsed = time.perf_counter() - t0
    get_reusable_executor().shutdown(wait=True)
    print(res.fit.round(3).to_string(index=False))
    return elapsed


def run_lavaan(reps: int):
    """(seconds, peak MB) for ``reps`` replications at each N, or None without Rscript."""
    if shutil.which("Rscript") is None:
        return None
    from loyaltysem.semcore.resample.simulate import (
        DEFAULT_CATEGORY_PROBS_7,
        likert_thresholds,
        population_moments,
    )

    names, sigma, _ = population_moments(population())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        np.savetxt(tmp / "s.csv", sigma, delimiter=",", header=",".join(names), comments="")
        np.savetxt(tmp / "cuts.txt", likert_thresholds(DEFAULT_CATEGORY_PROBS_7))
        (tmp / "m.lav").write_text(analysis_syntax(population()), encoding="utf-8")
        script = tmp / "power.R"
        script.write_text(
            R_SCRIPT.format(
                sigma=tmp / "s.csv",
                cuts=tmp / "cuts.txt",
                model=tmp / "m.lav",
                ns=", ".join(map(str, NS)),
                reps=reps,
            )
        )
        cmd = ["Rscript", str(script)]
        if Path("/usr/bin/time").exists():
            cmd = ["/usr/bin/time", "-f", "%M", "-o", str(tmp / "mem"), *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print("lavaan failed:", out.stderr.strip().splitlines()[-1:])
            return None
        mem_file = tmp / "mem"
        mem = float(mem_file.read_text().split()[-1]) / 1024 if mem_file.exists() else np.nan
        return float(out.stdout.split()[-1]), mem


def run_semopy(reps: int):
    """Seconds per replication of semopy refitting simulated data, or None."""
    try:
        import semopy
    except ImportError:
        return None
    from loyaltysem.semcore.resample.simulate import simulate

    desc = analysis_syntax(population())
    t0 = time.perf_counter()
    for n in NS:
        for r in range(reps):
            semopy.Model(desc).fit(simulate(population(), n, seed=r))
    return (time.perf_counter() - t0) / (reps * len(NS))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--jobs", default="1,2", help="worker counts to time, e.g. 1,2")
    ap.add_argument("--lavaan-reps", type=int, default=50)
    ap.add_argument("--semopy-reps", type=int, default=3)
    args = ap.parse_args()
    total = len(NS) * args.reps
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    ours = {}
    for jobs in (int(j) for j in args.jobs.split(",")):
        ours[jobs] = run_ours(args.reps, jobs)
        print(
            f"loyaltysem, {jobs} process{'es' if jobs > 1 else ''}: {total:,} replications "
            f"({len(NS)} sample sizes x {args.reps:,}) in {ours[jobs]:.1f} s "
            f"({1000 * ours[jobs] / total:.2f} ms per replication)"
        )
    best = min(ours.values())
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: main process {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB")
    lav = run_lavaan(min(args.lavaan_reps, args.reps))
    if lav is None:
        print("lavaan: not available")
    else:
        secs, mem = lav
        per = secs / (len(NS) * min(args.lavaan_reps, args.reps))
        print(
            f"lavaan 0.6.14: {per * total:.0f} s for {total:,} replications (timed on "
            f"{min(args.lavaan_reps, args.reps)} per N, scaled; {1000 * per:.1f} ms per "
            f"replication), peak memory {mem:.0f} MB; ratio {per * total / best:.1f}x"
        )
    if args.semopy_reps:
        sp = run_semopy(args.semopy_reps)
        if sp is not None:
            print(
                f"semopy: {1000 * sp:.0f} ms per replication ({args.semopy_reps} per N), ratio "
                f"{sp * total / best:.0f}x"
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
