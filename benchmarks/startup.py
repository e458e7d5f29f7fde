"""Benchmark: start-up and a small fit end to end, loyaltysem vs Rscript with lavaan.

Times, in one run and interleaved (the machine is shared, so each command runs ``--repeat``
times and the minimum and median are printed):

* ``loyaltysem --help``;
* ``loyaltysem fit cfa.csv --model cfa.lav`` on a 4-factor CFA (13 items) of 300 simulated
  respondents: load, fit, fit measures, summary printed;
* ``Rscript`` doing the same job with lavaan: read.csv, cfa(), summary(fit.measures = TRUE).

Targets (issue 19): ``--help`` under 0.5 s; ``fit`` faster than Rscript.

Python runs with its bytecode cache, as on a user's machine after the first run (this
machine's environment sets PYTHONDONTWRITEBYTECODE, which makes every run compile loyaltysem
from source): the cache goes to a temporary folder and one warm-up run fills it.

    .venv/bin/python benchmarks/startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _timing import interleaved

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODEL = "INF =~ INF1 + INF2 + INF3\nPRD =~ PRD1 + PRD2 + PRD3\nCON =~ CON1 + CON2 + CON3\n"
MODEL += "DES =~ DES1 + DES2 + DES3 + DES4\n"

R_SCRIPT = """suppressMessages(library(lavaan))
d <- read.csv("{data}")
m <- paste(readLines("{model}"), collapse = "\\n")
f <- cfa(m, d)
print(summary(f, fit.measures = TRUE))
"""


def _write_inputs(folder: Path) -> tuple[Path, Path]:
    from loyaltysem.examples import example_paths
    from loyaltysem.semcore.resample.simulate import simulate

    pop = example_paths()["population"].read_text(encoding="utf-8")
    items = [v for line in MODEL.splitlines() for v in line.split("=~")[1].split("+")]
    df = simulate(pop, 300, seed=3)[[v.strip() for v in items]]
    data, model = folder / "cfa300.csv", folder / "cfa.lav"
    df.to_csv(data, index=False)
    model.write_text(MODEL, encoding="utf-8")
    return data, model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("loyaltysem"))
    if not Path(exe).exists():
        exe = shutil.which("loyaltysem") or exe
    with tempfile.TemporaryDirectory() as tmp:
        data, model = _write_inputs(Path(tmp))
        script = Path(tmp) / "fit.R"
        script.write_text(R_SCRIPT.format(data=data, model=model), encoding="utf-8")
        jobs = {
            "loyaltysem --help": [exe, "--help"],
            "loyaltysem fit (CFA, N = 300)": [exe, "fit", str(data), "--model", str(model)],
        }
        if shutil.which("Rscript"):
            jobs["Rscript + lavaan, same fit"] = ["Rscript", str(script)]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        times = interleaved(jobs, env, args.repeat)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    for name, ts in times.items():
        print(f"{name:32s} min {min(ts):.3f} s   median {statistics.median(ts):.3f} s")
    r = times.get("Rscript + lavaan, same fit")
    ours = times["loyaltysem fit (CFA, N = 300)"]
    if r:
        print(
            f"fit: loyaltysem / Rscript = {min(ours) / min(r):.2f} (minima), "
            f"{statistics.median(ours) / statistics.median(r):.2f} (medians)"
        )
    else:
        print("Rscript not found: comparison skipped")


if __name__ == "__main__":
    main()
