"""Benchmark: ``loyaltysem fit --json`` and ``fit --bootstrap 5000 --json`` end to end on the
bundled example (data/online_loyalty.csv, models/online_loyalty.lav: 12 constructs, 39
items, N = 500), beside Rscript doing the same job with lavaan.

Times, interleaved (the machine is shared, so each command runs ``--repeat`` times and the
minimum and median are printed):

* ``loyaltysem fit DATA --model MODEL --json out.json``: load, fit, parameterEstimates with
  std.lv / std.all / std.nox, fitMeasures, R2, the JSON written, the summary printed;
* ``Rscript``: read.csv, sem(), standardizedSolution(), fitMeasures(), a JSON written;
* ``loyaltysem fit ... --bootstrap 5000 --seed 1 --json out.json`` (default --jobs: this
  process, or all cores when the draws would take over 6 s);
* ``Rscript``: sem(se = "bootstrap", bootstrap = B) + parameterEstimates(boot.ci.type =
  "perc"), run on ``--lavaan-draws`` draws (500 by default; 5,000 take minutes) and the
  draws' share scaled linearly to 5,000: time(5000) ~ time(0 draws) + (time(B) - time(0
  draws)) * 5000 / B. The printout says which numbers are scaled.

* ``loyaltysem fit ... --ordered all --json`` (WLSMV, every item ordered) beside ``Rscript``
  with ``sem(ordered = TRUE)``, parameterEstimates() and fitMeasures();

Targets (issues 19, 27): ``fit --json`` within 0.6 s; ``fit --bootstrap 5000 --json``
within 5 s on 2 cores and at least 30x lavaan; the WLSMV fit faster than lavaan's.

Python runs with its bytecode cache, as on a user's machine after the first run (this
machine's environment sets PYTHONDONTWRITEBYTECODE, which makes every run compile loyaltysem
from source): the cache goes to a temporary folder and one warm-up run fills it.

    .venv/bin/python benchmarks/fit_json.py [--repeat 5] [--boot-repeat 2]
        [--lavaan-draws 500] [--no-r] [--profile]

``--profile`` prints pyinstrument's call tree of one ``fit --json`` and one ``fit --bootstrap
5000 --json --jobs 1`` (this process only) instead of the timings.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import interleaved, time_command

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "online_loyalty.csv"
MODEL = REPO / "models" / "online_loyalty.lav"

R_FIT = """suppressMessages({{library(lavaan); library(jsonlite)}})
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
f <- sem(m, d)
out <- list(estimates = parameterEstimates(f, standardized = TRUE),
            std = standardizedSolution(f), fit = as.list(fitMeasures(f)))
writeLines(toJSON(out, digits = NA), "{out}")
"""
R_ORDERED = """suppressMessages({{library(lavaan); library(jsonlite)}})
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
f <- sem(m, d, ordered = TRUE)
out <- list(estimates = parameterEstimates(f, standardized = TRUE),
            fit = as.list(fitMeasures(f)))
writeLines(toJSON(out, digits = NA), "{out}")
"""
R_BOOT = """suppressMessages({{library(lavaan); library(jsonlite)}})
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
set.seed(1)
f <- sem(m, d, se = "bootstrap", bootstrap = {draws})
out <- list(estimates = parameterEstimates(f, boot.ci.type = "perc", standardized = TRUE),
            fit = as.list(fitMeasures(f)))
writeLines(toJSON(out, digits = NA), "{out}")
"""


def _line(name: str, ts: list[float], note: str = "") -> None:
    print(f"{name:52s} min {min(ts):7.3f} s   median {statistics.median(ts):7.3f} s  {note}")


def _loyaltysem() -> list[str]:
    exe = Path(sys.executable).with_name("loyaltysem")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "loyaltysem"]


def _profile() -> None:
    fit = ["fit", str(DATA), "--model", str(MODEL)]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "profile.txt"
        for extra in ([], ["--bootstrap", "5000", "--seed", "1", "--jobs", "1"]):
            cmd = [sys.executable, "-m", "pyinstrument", "-o", str(report), "-m", "loyaltysem"]
            cmd += [*fit, *extra, "--json", str(Path(tmp) / "out.json")]
            subprocess.run(cmd, check=True, env=env, cwd=tmp, stdout=subprocess.DEVNULL)
            print(report.read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--boot-repeat", type=int, default=2)
    ap.add_argument("--lavaan-draws", type=int, default=500)
    ap.add_argument("--no-r", action="store_true", help="skip the Rscript comparison")
    ap.add_argument("--profile", action="store_true", help="pyinstrument call trees instead")
    args = ap.parse_args()
    if args.profile:
        _profile()
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        fit = [*_loyaltysem(), "fit", str(DATA), "--model", str(MODEL)]
        jobs = {
            "loyaltysem fit --json": [*fit, "--json", str(tmp / "fit.json")],
            "loyaltysem fit --ordered all --json (WLSMV)": [
                *fit, "--ordered", "all", "--json", str(tmp / "ord.json")
            ],
        }  # fmt: skip
        r = shutil.which("Rscript") and not args.no_r
        if r:
            for name, text, stem in (
                ("Rscript lavaan sem + standardizedSolution", R_FIT, "fit"),
                ("Rscript lavaan sem(ordered = TRUE) (WLSMV)", R_ORDERED, "ord"),
            ):
                script = tmp / f"{stem}.R"
                script.write_text(text.format(data=DATA, model=MODEL, out=tmp / f"r_{stem}.json"))
                jobs[name] = ["Rscript", str(script)]
        times = interleaved(jobs, env, args.repeat)
        boot = [*fit, "--bootstrap", "5000", "--seed", "1", "--json", str(tmp / "boot.json")]
        times["loyaltysem fit --bootstrap 5000 --json"] = [
            time_command(boot, env) for _ in range(args.boot_repeat)
        ]
        lavaan_boot = None
        if r:
            script = tmp / "boot.R"
            b = args.lavaan_draws
            script.write_text(R_BOOT.format(data=DATA, model=MODEL, draws=b, out=tmp / "rb.json"))
            t_b = time_command(["Rscript", str(script)], env)
            base = min(times["Rscript lavaan sem + standardizedSolution"])
            lavaan_boot = (b, t_b, base + (t_b - base) * 5000 / b)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    for name, ts in times.items():
        _line(name, ts)
    if lavaan_boot:
        b, t_b, scaled = lavaan_boot
        _line(f"Rscript lavaan sem(se = 'bootstrap', {b} draws)", [t_b], "(measured)")
        _line("Rscript lavaan, 5000 draws", [scaled], f"(scaled from {b} draws)")
        ours = min(times["loyaltysem fit --bootstrap 5000 --json"])
        print(f"bootstrap: lavaan (scaled) / loyaltysem = {scaled / ours:.1f}")
    if r:
        ours = min(times["loyaltysem fit --json"])
        lav = min(times["Rscript lavaan sem + standardizedSolution"])
        print(f"fit --json: loyaltysem / Rscript = {ours / lav:.2f} (minima)")
        ours = min(times["loyaltysem fit --ordered all --json (WLSMV)"])
        lav = min(times["Rscript lavaan sem(ordered = TRUE) (WLSMV)"])
        print(f"WLSMV fit: loyaltysem / Rscript = {ours / lav:.2f} (minima)")


if __name__ == "__main__":
    main()
