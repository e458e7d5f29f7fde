"""Benchmark: FIML on the project's model (N = 300, about 8% of answers missing), loyaltysem
vs lavaan (and semopy's FIML for reference, optional).

    .venv/bin/python benchmarks/fiml.py [--semopy]

Target (issue: SEM results): no slower than lavaan's ``sem(..., missing = "fiml")`` with its
default observed-information standard errors, on the same data in the same run.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loyaltysem.estimation import sem  # noqa: E402
from loyaltysem.examples import example_paths  # noqa: E402
from loyaltysem.simulate import simulate  # noqa: E402

R_SCRIPT = """
suppressMessages(library(lavaan))
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
t <- system.time({{f <- sem(m, d, missing = "fiml"); pe <- parameterEstimates(f)}})
cat(t[["elapsed"]], fitMeasures(f, "chisq"), "\\n")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--missing", type=float, default=0.08)
    ap.add_argument("--semopy", action="store_true", help="also time semopy's FIML (slow)")
    args = ap.parse_args()
    paths = example_paths()
    data = simulate(paths["population"].read_text(encoding="utf-8"), args.n, seed=300)
    rng = np.random.default_rng(8)
    mask = rng.random(data.shape) < args.missing
    data = data.mask(mask)
    print(
        f"N = {args.n}, {mask.mean():.1%} of answers missing, "
        f"{(~data.isna().any(axis=1)).sum()} complete rows"
    )

    t0 = time.perf_counter()
    fit = sem(paths["model_lav"], data, missing="fiml")
    _ = fit.estimates  # standard errors included
    ours = time.perf_counter() - t0
    print(f"loyaltysem FIML: {ours:.2f} s, chisq = {fit.fit_measures['chisq']:.4f}")

    if shutil.which("Rscript"):
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "d.csv"
            data.to_csv(csv, index=False)
            script = Path(tmp) / "f.R"
            script.write_text(R_SCRIPT.format(data=csv, model=paths["model_lav"]))
            out = subprocess.run(["Rscript", str(script)], capture_output=True, text=True)
        if out.returncode == 0:
            lav, chisq = map(float, out.stdout.split()[-2:])
            print(f"lavaan FIML:     {lav:.2f} s, chisq = {chisq:.4f}")
            print(f"ratio lavaan / loyaltysem: {lav / ours:.1f}x")
        else:
            print("lavaan failed:", out.stderr.strip().splitlines()[-1:])
    else:
        print("lavaan: Rscript not found, comparison skipped")
    if args.semopy:
        import semopy

        t0 = time.perf_counter()
        m = semopy.Model(paths["model_lav"].read_text(encoding="utf-8"))
        m.fit(data, obj="FIML")
        m.inspect()
        print(f"semopy FIML:     {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
