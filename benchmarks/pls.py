"""Benchmark: 5,000 bootstrap draws of the corporate-reputation PLS model (Hair et al. 2022,
ch. 5+: COMP, LIKE, CUSA, CUSL with QUAL, PERF, CSOR, ATTR as formative drivers; N = 344,
31 items, -99 = missing), every estimate bootstrapped (paths, weights, loadings, indirect and
total effects, HTMT, R^2) with percentile and BCa (jackknife) intervals.

Prints wall time for 1 and 2 worker processes (the draws are identical: checked), and, when
Rscript can load seminr, seminr's ``bootstrap_model`` time on ``--seminr-draws`` draws
extrapolated to 5,000. Target (issue 18): 5,000 draws within 10 s on 2 cores. Run:

    .venv/bin/python benchmarks/pls.py [--draws 5000] [--seminr-draws 200]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loyaltysem.pls import pls  # noqa: E402

DATA = REPO.parent / "shared" / "datasets" / "corporate_reputation.csv"
MODEL = """
QUAL <~ qual_1 + qual_2 + qual_3 + qual_4 + qual_5 + qual_6 + qual_7 + qual_8
PERF <~ perf_1 + perf_2 + perf_3 + perf_4 + perf_5
CSOR <~ csor_1 + csor_2 + csor_3 + csor_4 + csor_5
ATTR <~ attr_1 + attr_2 + attr_3
COMP =~ comp_1 + comp_2 + comp_3
LIKE =~ like_1 + like_2 + like_3
CUSA =~ cusa
CUSL =~ cusl_1 + cusl_2 + cusl_3
COMP ~ QUAL + PERF + CSOR + ATTR
LIKE ~ QUAL + PERF + CSOR + ATTR
CUSA ~ COMP + LIKE
CUSL ~ COMP + LIKE + CUSA
"""

R_SCRIPT = """
suppressMessages(library(seminr))
d <- read.csv("{data}")
mm <- constructs(
  composite("QUAL", multi_items("qual_", 1:8), weights = mode_B),
  composite("PERF", multi_items("perf_", 1:5), weights = mode_B),
  composite("CSOR", multi_items("csor_", 1:5), weights = mode_B),
  composite("ATTR", multi_items("attr_", 1:3), weights = mode_B),
  composite("COMP", multi_items("comp_", 1:3)), composite("LIKE", multi_items("like_", 1:3)),
  composite("CUSA", single_item("cusa")), composite("CUSL", multi_items("cusl_", 1:3)))
sm <- relationships(
  paths(from = c("QUAL", "PERF", "CSOR", "ATTR"), to = c("COMP", "LIKE")),
  paths(from = c("COMP", "LIKE"), to = c("CUSA", "CUSL")), paths(from = "CUSA", to = "CUSL"))
m <- suppressMessages(estimate_pls(d, mm, sm, missing = mean_replacement, missing_value = "-99"))
t <- system.time(b <- suppressMessages(bootstrap_model(m, nboot = {draws}, cores = 2, seed = 1)))
cat(t[["elapsed"]], "\\n")
"""


def seminr_seconds(draws: int) -> float | None:
    if not shutil.which("Rscript"):
        return None
    ok = subprocess.run(["Rscript", "-e", "library(seminr)"], capture_output=True)
    if ok.returncode:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as fh:
        fh.write(R_SCRIPT.format(data=DATA, draws=draws))
    out = subprocess.run(["Rscript", fh.name], capture_output=True, text=True)
    Path(fh.name).unlink()
    try:
        return float(out.stdout.strip().split()[-1])
    except (ValueError, IndexError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=5000)
    ap.add_argument("--seminr-draws", type=int, default=200)
    args = ap.parse_args()
    data = pd.read_csv(DATA)
    results = {}
    for jobs in (1, 2):
        t0 = time.perf_counter()
        res = pls(data, MODEL, missing_codes=[-99], n_boot=args.draws, seed=1, n_jobs=jobs)
        sec = time.perf_counter() - t0
        results[jobs] = res.bootstrap.draws
        print(
            f"loyaltysem: {args.draws} draws, {jobs} worker(s): {sec:.2f} s "
            f"({1000 * sec / args.draws:.2f} ms/draw; incl. estimation, Q2, jackknife)"
        )
    same = np.array_equal(results[1], results[2])
    print(f"draws identical for 1 and 2 workers: {same}")
    if args.seminr_draws:
        sec = seminr_seconds(args.seminr_draws)
        if sec is None:
            print("seminr: not available (Rscript with seminr not found)")
        else:
            est = sec * args.draws / args.seminr_draws
            print(
                f"seminr: {args.seminr_draws} draws on 2 cores {sec:.1f} s "
                f"-> {args.draws} draws ~{est:.0f} s (linear extrapolation)"
            )


if __name__ == "__main__":
    main()
