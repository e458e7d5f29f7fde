"""Benchmark: 5,000 bootstrap draws of the project's model at N = 500, loyaltysem vs lavaan.

Prints wall time, time per draw, peak memory, and (when Rscript with lavaan is on PATH)
lavaan's time on the same data in the same run and the ratio. Run:

    .venv/bin/python benchmarks/bootstrap.py [--draws 5000] [--lavaan-draws 5000] [--jobs 2]

``--lavaan-draws`` below 5000 times lavaan on fewer draws and extrapolates linearly (printed
as such). Target (issue: mediation): 5,000 draws in 30 s or less on 2 cores, >= 10x lavaan,
peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loyaltysem.examples import example_paths  # noqa: E402
from loyaltysem.semcore.bootstrap import bootstrap  # noqa: E402
from loyaltysem.semcore.estimation import sem  # noqa: E402
from loyaltysem.semcore.simulate import simulate  # noqa: E402

R_SCRIPT = """
suppressMessages(library(lavaan))
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
set.seed(1)
t <- system.time(f <- sem(m, d, se = "bootstrap", bootstrap = {draws}))
cat(t[["elapsed"]], "\\n")
"""


def peak_memory_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=5000)
    ap.add_argument("--lavaan-draws", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=-1)
    ap.add_argument("--n", type=int, default=500)
    args = ap.parse_args()

    paths = example_paths()
    data = simulate(paths["population"].read_text(encoding="utf-8"), args.n, seed=500)
    fit = sem(paths["model_lav"], data)
    t0 = time.perf_counter()
    boot = bootstrap(fit, args.draws, seed=1, n_jobs=args.jobs, progress=True)
    ours = time.perf_counter() - t0
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)  # so the workers' peak memory is counted
    print(
        f"loyaltysem: {args.draws} draws in {ours:.1f} s ({1000 * ours / args.draws:.1f} ms "
        f"per draw), {boot.n_failed} failed, peak memory {peak_memory_mb():.0f} MB "
        "(main process + workers, the larger of each)"
    )

    if shutil.which("Rscript") is None:
        print("lavaan: Rscript not found, comparison skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        data.to_csv(csv, index=False)
        script = Path(tmp) / "boot.R"
        script.write_text(
            R_SCRIPT.format(data=csv, model=paths["model_lav"], draws=args.lavaan_draws)
        )
        out = subprocess.run(["Rscript", str(script)], capture_output=True, text=True)
    if out.returncode != 0:
        print("lavaan: failed:", out.stderr.strip().splitlines()[-1:])
        return
    lav = float(out.stdout.split()[-1])
    lav_total = lav * args.draws / args.lavaan_draws
    note = "" if args.lavaan_draws == args.draws else f" (extrapolated from {args.lavaan_draws})"
    print(
        f"lavaan:     {args.draws} draws in {lav_total:.1f} s{note} "
        f"({1000 * lav / args.lavaan_draws:.1f} ms per draw)"
    )
    print(f"ratio lavaan / loyaltysem: {lav_total / ours:.1f}x")


if __name__ == "__main__":
    main()
