"""Benchmark: Monte Carlo power, 1,000 replications at each of four sample sizes for the
project's 12-construct model (target: under 2 minutes on 2 cores).

    .venv/bin/python benchmarks/power.py [--reps 1000] [--jobs -1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loyaltysem.examples import example_paths  # noqa: E402
from loyaltysem.semcore.power import monte_carlo_power  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=-1)
    args = ap.parse_args()
    pop = example_paths()["population"].read_text(encoding="utf-8")
    t0 = time.perf_counter()
    res = monte_carlo_power(
        pop, [200, 300, 500, 800], args.reps, seed=1, n_jobs=args.jobs, progress=True
    )
    elapsed = time.perf_counter() - t0
    print(f"{4 * args.reps} replications (4 sample sizes x {args.reps}) in {elapsed:.1f} s")
    print(res.fit.round(3).to_string(index=False))
    print(res.min_n.to_string(index=False))


if __name__ == "__main__":
    main()
