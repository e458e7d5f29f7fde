"""Benchmark: WLSMV on the project's model with its 39 items as ordered categories
(12 constructs, 7-point items), loyaltysem vs lavaan 0.6.14 in the same run.

    .venv/bin/python benchmarks/ordinal.py [--n 500] [--seed 16] [--data data/online_loyalty.csv]
        [--boot-draws 50] [--lavaan-boot-draws 5]

Without --data, N respondents are simulated from models/online_loyalty_population.lav
(loyaltysem.semcore.resample.simulate: 7 categories). Times (1) the fit with standard errors
(sample statistics - thresholds, polychoric correlations, NACOV - estimation and
parameterEstimates()) and (2) that plus every fitMeasures() value (baseline model, scaled-
shifted test, catML robust indices), and (3) a bootstrap draw: thresholds, polychoric
correlations and the DWLS weight recomputed from the resampled rows, then the refit (ours:
``bootstrap(fit, --boot-draws, n_jobs=1)``; lavaan: ``bootstrapLavaan(fit,
R = --lavaan-boot-draws)``, serial; both per draw). Target (issue 16): at least as fast as
lavaan; the script exits with status 1 if it is slower or the numbers differ (chisq,
chisq.scaled, cfi.robust to 1e-6 relative; estimates to 1e-3; SEs to 1e-2).
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
from loyaltysem.semcore.resample.bootstrap import bootstrap  # noqa: E402
from loyaltysem.semcore.resample.simulate import simulate  # noqa: E402

TARGET = 1.0
KEYS = ("chisq", "chisq.scaled", "cfi.robust")

R_SCRIPT = """
suppressMessages(library(lavaan))
stopifnot(packageVersion("lavaan") == "0.6.14")
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
ov <- lavNames(lavaanify(m), "ov")
t1 <- system.time({{f <- sem(m, d, ordered = ov, estimator = "WLSMV");
                    pe <- parameterEstimates(f)}})
t2 <- system.time(fm <- fitMeasures(f))
tb <- system.time(bootstrapLavaan(f, R = {rboot}, FUN = "coef", iseed = 1))
write.csv(pe[, c("lhs", "op", "rhs", "est", "se")], "{out}", row.names = FALSE)
cat(t1[["elapsed"]], t1[["elapsed"]] + t2[["elapsed"]], tb[["elapsed"]] / {rboot},
    fm[["chisq"]], fm[["chisq.scaled"]], fm[["cfi.robust"]], "\\n")
"""


def run_lavaan(data: pd.DataFrame, model: Path, rboot: int):
    """(seconds fit + SEs, seconds incl. fitMeasures, seconds per bootstrap draw,
    {key: value}, estimates) or None."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        out = Path(tmp) / "pe.csv"
        data.to_csv(csv, index=False)
        script = Path(tmp) / "f.R"
        script.write_text(R_SCRIPT.format(data=csv, model=model, out=out, rboot=rboot))
        res = subprocess.run(["Rscript", str(script)], capture_output=True, text=True)
        if res.returncode != 0:
            print("lavaan failed:", res.stderr.strip().splitlines()[-1:])
            return None
        values = list(map(float, res.stdout.split()[-6:]))
        pe = pd.read_csv(out, keep_default_na=False)  # "~1" rows have an empty rhs
        return values[0], values[1], values[2], dict(zip(KEYS, values[3:], strict=True)), pe


def _data(args, paths) -> pd.DataFrame:
    if args.data:
        frame = pd.read_csv(args.data)
        print(f"data: {args.data} (N = {len(frame)}; rows with a missing answer are dropped)")
        return frame
    data = simulate(paths["population"].read_text(encoding="utf-8"), args.n, seed=args.seed)
    print(f"data: N = {args.n} simulated from the population model (seed {args.seed})")
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--data", help="a CSV with the 39 items instead of simulated answers")
    ap.add_argument("--boot-draws", type=int, default=50, help="our bootstrap draws timed")
    ap.add_argument("--lavaan-boot-draws", type=int, default=5, help="bootstrapLavaan's R")
    args = ap.parse_args()
    paths = example_paths()
    data = _data(args, paths)

    t0 = time.perf_counter()
    fit = sem(paths["model_lav"], data, ordered=True)
    est = fit.estimates  # standard errors included
    ours = time.perf_counter() - t0
    fm = fit.fit_measures
    ours_all = time.perf_counter() - t0
    print(
        f"loyaltysem WLSMV: fit + SEs {ours:.2f} s, + fit measures {ours_all:.2f} s "
        f"({fit.npar} parameters, {fit.model.n_moments} sample statistics); "
        + ", ".join(f"{k} = {fm[k]:.4f}" for k in KEYS)
    )
    t0 = time.perf_counter()
    boot = bootstrap(fit, args.boot_draws, seed=1, n_jobs=1)
    ours_boot = (time.perf_counter() - t0) / args.boot_draws
    print(
        f"loyaltysem bootstrap: {ours_boot * 1e3:.0f} ms a draw ({args.boot_draws} draws, one "
        f"process, {boot.n_failed} failed)"
    )
    if not shutil.which("Rscript"):
        print("lavaan: Rscript not found, comparison skipped")
        return 0
    lav = run_lavaan(data, paths["model_lav"], args.lavaan_boot_draws)
    if lav is None:
        return 1
    t1, t2, lav_boot, lav_fm, pe = lav
    print(
        f"lavaan WLSMV:     fit + SEs {t1:.2f} s, + fit measures {t2:.2f} s; "
        + ", ".join(f"{k} = {lav_fm[k]:.4f}" for k in KEYS)
    )
    m = est.merge(pe, on=["lhs", "op", "rhs"], suffixes=("", "_lav"))
    d_est = float(np.max(np.abs(m["est"] - m["est_lav"])))
    d_se = float(np.max(np.abs(m["se"] - m["se_lav"])))
    d_fit = max(abs(fm[k] - lav_fm[k]) / max(1.0, abs(lav_fm[k])) for k in KEYS)
    print(
        f"agreement over {len(m)} rows (lavaan {len(pe)}, ours {len(est)}): max |est diff| "
        f"{d_est:.1e}, max |se diff| {d_se:.1e}, max relative fit-measure diff {d_fit:.1e}"
    )
    ratio, ratio_all = t1 / ours, t2 / ours_all
    print(
        f"ratio lavaan / loyaltysem: fit + SEs {ratio:.1f}x, incl. fit measures "
        f"{ratio_all:.1f}x (target >= {TARGET:.0f}x)"
    )
    ratio_boot = lav_boot / ours_boot
    print(
        f"bootstrap per draw: lavaan {lav_boot * 1e3:.0f} ms ({args.lavaan_boot_draws} draws of "
        f"bootstrapLavaan), loyaltysem {ours_boot * 1e3:.0f} ms: {ratio_boot:.1f}x"
    )
    same_rows = len(m) == len(pe) == len(est)
    if min(ratio, ratio_all, ratio_boot) < TARGET or d_est > 1e-3 or d_se > 1e-2 or d_fit > 1e-6:
        print("FAILED: slower than lavaan or different numbers")
        return 1
    if not same_rows:
        print("FAILED: the parameter tables have different rows")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
