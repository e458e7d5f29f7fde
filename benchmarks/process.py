"""Benchmark: PROCESS model 7 (first-stage moderated mediation) with 5,000 bootstrap draws on
2,500 rows, loyaltysem vs pyprocessmacro in the same run.

Data: the corporate reputation survey's construct means (LIKE -> CUSA -> CUSL, W = QUAL;
tests/data/surveys, -99 = missing), 2,500 rows resampled with replacement (seed 1). Both
sides use PROCESS v4's conventions (percentile intervals, 16th/50th/84th percentiles) and
report the whole analysis, regressions included. Prints each time (best of ``--repeat``), the
ratio, and checks that loyaltysem's draws are the same with 1 and 2 workers. Target: 5,000
draws within 2 s on the 2-core development machine. Run:

    .venv/bin/python benchmarks/process.py [--draws 5000] [--rows 2500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loyaltysem.analyses.process import process  # noqa: E402

DATA = REPO / "tests" / "data" / "surveys" / "corporate_reputation.csv"


def survey(rows: int) -> pd.DataFrame:
    d = pd.read_csv(DATA).replace(-99, np.nan)

    def mean(prefix: str, k: int) -> pd.Series:
        return d[[f"{prefix}_{i}" for i in range(1, k + 1)]].mean(axis=1, skipna=False)

    df = pd.DataFrame(
        {
            "LIKE": mean("like", 3),
            "CUSA": d["cusa"],
            "CUSL": mean("cusl", 3),
            "QUAL": mean("qual", 8),
        }
    ).dropna()
    idx = np.random.default_rng(1).integers(0, len(df), rows)
    return df.iloc[idx].reset_index(drop=True)


def best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=5000)
    ap.add_argument("--rows", type=int, default=2500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df = survey(args.rows)
    kw = dict(x="LIKE", y="CUSL", m="CUSA", w="QUAL", boot=args.draws, seed=1)

    ours = best(lambda: process(df, 7, **kw), args.repeat)
    print(f"loyaltysem: model 7, {args.draws} draws, {args.rows} rows: {ours:.2f} s")
    one = process(df, 7, **kw, n_jobs=1).draws.to_numpy()
    two = process(df, 7, **kw, n_jobs=2).draws.to_numpy()
    print(f"draws identical for 1 and 2 workers: {np.array_equal(one, two)}")
    try:
        from pyprocessmacro import Process
    except ImportError:
        print("pyprocessmacro: not installed (pip install -e .[dev])")
        return

    def theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Process(data=df, model=7, x="LIKE", y="CUSL", m=["CUSA"], w="QUAL",
                    boot=args.draws, seed=1, percent=True, spotlight="percentiles",
                    suppr_init=True)  # fmt: skip

    ref = best(theirs, args.repeat)
    print(f"pyprocessmacro: model 7, {args.draws} draws, {args.rows} rows: {ref:.2f} s")
    print(f"ratio pyprocessmacro / loyaltysem: {ref / ours:.2f}")


if __name__ == "__main__":
    main()
