"""Benchmark: FIML on the project's model (N = 300, about 8% of answers missing), loyaltysem
vs lavaan in the same run (and semopy's FIML for reference, optional).

    .venv/bin/python benchmarks/fiml.py [--n 300] [--missing 0.08] [--mlr] [--semopy]

Times "fit + standard errors" (sem() and parameterEstimates(); lavaan's default observed
information, ours analytic) and then also every fit measure (fitMeasures(), incl. the
FIML-corrected robust indices). Target (issue 14): FIML with SEs at least 3x faster than
lavaan; the script exits with status 1 if it is not, and checks that both give the same
chi-square and standard errors.
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

from loyaltysem.examples import example_paths  # noqa: E402
from loyaltysem.semcore.estimation import sem  # noqa: E402
from loyaltysem.semcore.resample.simulate import simulate  # noqa: E402

TARGET = 3.0

R_SCRIPT = """
suppressMessages(library(lavaan))
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
t1 <- system.time({{f <- sem(m, d, missing = "fiml", estimator = "{estimator}");
                    pe <- parameterEstimates(f)}})
t2 <- system.time(fm <- fitMeasures(f))
write.csv(pe[, c("lhs", "op", "rhs", "est", "se")], "{out}", row.names = FALSE)
cat(t1[["elapsed"]], t1[["elapsed"]] + t2[["elapsed"]], fm[["chisq"]], fm[["cfi.robust"]], "\\n")
"""


def run_lavaan(data: pd.DataFrame, model: Path, estimator: str):
    """(seconds fit + SEs, seconds incl. fitMeasures, chisq, cfi.robust, estimates) or None."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        out = Path(tmp) / "pe.csv"
        data.to_csv(csv, index=False)
        script = Path(tmp) / "f.R"
        script.write_text(R_SCRIPT.format(data=csv, model=model, estimator=estimator, out=out))
        res = subprocess.run(["Rscript", str(script)], capture_output=True, text=True)
        if res.returncode != 0:
            print("lavaan failed:", res.stderr.strip().splitlines()[-1:])
            return None
        t1, t2, chisq, cfi_r = map(float, res.stdout.split()[-4:])
        return t1, t2, chisq, cfi_r, pd.read_csv(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--missing", type=float, default=0.08)
    ap.add_argument("--mlr", action="store_true", help="estimator MLR (robust SEs and tests)")
    ap.add_argument("--semopy", action="store_true", help="also time semopy's FIML (slow)")
    args = ap.parse_args()
    estimator = "MLR" if args.mlr else "ML"
    paths = example_paths()
    data = simulate(paths["population"].read_text(encoding="utf-8"), args.n, seed=300)
    rng = np.random.default_rng(8)
    mask = rng.random(data.shape) < args.missing
    data = data.mask(mask)
    print(
        f"N = {args.n}, {mask.mean():.1%} of answers missing, "
        f"{(~data.isna().any(axis=1)).sum()} complete rows, estimator {estimator}"
    )

    t0 = time.perf_counter()
    fit = sem(paths["model_lav"], data, missing="fiml", estimator=estimator)
    est = fit.estimates  # standard errors included
    ours = time.perf_counter() - t0
    fm = fit.fit_measures
    ours_all = time.perf_counter() - t0
    print(
        f"loyaltysem FIML: fit + SEs {ours:.2f} s, + fit measures {ours_all:.2f} s; "
        f"chisq = {fm['chisq']:.4f}, cfi.robust = {fm['cfi.robust']:.5f}"
    )
    status = 0
    if shutil.which("Rscript"):
        lav = run_lavaan(data, paths["model_lav"], estimator)
        if lav is not None:
            t1, t2, chisq, cfi_r, pe = lav
            m = est.merge(pe, on=["lhs", "op", "rhs"], suffixes=("", "_lav"))
            se_rel = np.max(np.abs(m["se"] - m["se_lav"]) / np.maximum(m["se_lav"], 1e-8))
            print(
                f"lavaan FIML:     fit + SEs {t1:.2f} s, + fit measures {t2:.2f} s; "
                f"chisq = {chisq:.4f}, cfi.robust = {cfi_r:.5f}"
            )
            print(f"max relative SE difference: {se_rel:.1e} over {len(m)} rows")
            ratio = t1 / ours
            print(
                f"ratio lavaan / loyaltysem: fit + SEs {ratio:.1f}x, incl. fit measures "
                f"{t2 / ours_all:.1f}x (target >= {TARGET:.0f}x)"
            )
            if ratio < TARGET or abs(chisq - fm["chisq"]) > 1e-4 * chisq or se_rel > 1e-3:
                print("FAILED: slower than the target or different numbers")
                status = 1
    else:
        print("lavaan: Rscript not found, comparison skipped")
    if args.semopy:
        import semopy

        t0 = time.perf_counter()
        m = semopy.Model(paths["model_lav"].read_text(encoding="utf-8"))
        m.fit(data, obj="FIML")
        m.inspect()
        print(f"semopy FIML:     {time.perf_counter() - t0:.2f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
