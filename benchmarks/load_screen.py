"""Benchmark (not a test): load and screen 1,000,000 respondents x 40 items from CSV.

    .venv/bin/python benchmarks/load_screen.py [--rows 1000000] [--items 40] [--keep]

Writes a synthetic 7-point survey (8 constructs x 5 items, one reverse-keyed item per
construct, ~1% missing answers, an ID, a duration and two demographics) to a temporary CSV,
then times ``load()`` and ``screen()`` separately and reports the peak resident memory of
the process (target: under 20 s and under 4 GB in all).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loyaltysem.psychometrics.screening import screen  # noqa: E402
from loyaltysem.survey.instrument import Construct, Instrument, Item  # noqa: E402
from loyaltysem.survey.loaders import load  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def make_csv(path: Path, n: int, k: int, seed: int = 1) -> Instrument:
    rng = np.random.default_rng(seed)
    per = 5
    n_con = k // per
    constructs, cols = [], {}
    cols["id"] = np.arange(1, n + 1)
    cols["gender"] = rng.integers(1, 3, n)
    cols["age_band"] = rng.integers(1, 5, n)
    cols["duration"] = rng.integers(60, 1200, n)
    f = rng.normal(size=(n, n_con)).astype(np.float32)
    for c in range(n_con):
        items = []
        for j in range(per):
            code = f"C{c + 1}_{j + 1}"
            x = 4 + 1.2 * f[:, c] + rng.normal(scale=1.0, size=n).astype(np.float32)
            x = np.clip(np.rint(x), 1, 7)
            if j == per - 1:
                x = 8 - x
            items.append(Item(code, f"C{c + 1}", reverse=(j == per - 1)))
            cols[code] = x.astype(np.int8)
        constructs.append(Construct(f"C{c + 1}", {"en": f"C{c + 1}"}, tuple(items)))
    df = pd.DataFrame(cols)
    item_cols = [c for c in df.columns if c.startswith("C")]
    df[item_cols] = df[item_cols].astype("Int8")
    mask = rng.random((n, len(item_cols))) < 0.01
    for j, c in enumerate(item_cols):
        df.loc[mask[:, j], c] = pd.NA
    df.to_csv(path, index=False)
    return Instrument(
        constructs=constructs,
        scale_min=1,
        scale_max=7,
        id_column="id",
        duration_column="duration",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--keep", action="store_true", help="keep the CSV")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="loyaltysem-bench-"))
    path = tmp / "survey.csv"
    t0 = time.perf_counter()
    inst = make_csv(path, args.rows, args.items)
    size = path.stat().st_size / 1e6
    print(f"wrote {args.rows:,} x {args.items} items ({size:.0f} MB) in "
          f"{time.perf_counter() - t0:.1f} s (not counted)")  # fmt: skip
    base_rss = peak_rss_mb()
    t1 = time.perf_counter()
    survey = load(path, inst)
    t2 = time.perf_counter()
    res = screen(survey, policy="max_missing", drop_straightliners=True)
    t3 = time.perf_counter()
    print(f"load:   {t2 - t1:6.1f} s  ({survey.n:,} respondents, {len(survey.items)} items)")
    print(f"screen: {t3 - t2:6.1f} s  ({res.n:,} kept; {res.removed_counts})")
    print(f"total:  {t3 - t1:6.1f} s  (target < 20 s)")
    print(
        f"peak RSS: {peak_rss_mb():,.0f} MB (target < 4,096 MB; "
        f"{base_rss:,.0f} MB before loading, after writing the file)"
    )
    if not args.keep:
        path.unlink()
        tmp.rmdir()
    else:
        print(f"kept {path}")


if __name__ == "__main__":
    main()
