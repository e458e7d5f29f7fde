"""Where bootstrap draws and Monte Carlo replications run: this process, joblib worker
processes, or a Dask cluster.

Each chunk of draws is refitted in batches (``batched.py``), so one process already keeps a
core busy; worker processes pay a start-up (about 1 s on an idle 2-core machine, 2-3 s on a
busy one: each imports numpy, scipy, pandas and loyaltysem) and compete with whatever else
runs. Measured on the 2-core development machine (docs/architecture.md, "Speed"), one process
was as fast as two workers for 5,000 draws of the project model. The default therefore runs
the first chunk here, times it, and hands the rest to workers only when the remaining work
would take more than ``PARALLEL_AFTER`` seconds here and another core is idle (load average
below the core count minus one); otherwise everything stays in this process. ``n_jobs`` set
explicitly, or a Dask ``client``, is followed as given. Results never depend on the choice:
every draw has its own seed and its result does not depend on its chunk or batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

PARALLEL_AFTER = 10.0  # seconds of remaining single-process work before workers pay


def _idle_cores() -> float:
    try:
        return (os.cpu_count() or 1) - os.getloadavg()[0]
    except OSError:  # no load average on this platform
        return 0.0


def run_chunks(
    func: Callable,
    chunks: Sequence,
    *,
    n_jobs: int | None,
    client=None,
    progress: bool = False,
    desc: str = "",
) -> list:
    """``[func(c) for c in chunks]``, run here, in joblib workers or on a Dask cluster."""
    import joblib

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(chunks), unit="chunk", desc=desc)
    out: list = []
    rest = list(chunks)
    try:
        if n_jobs is None and client is None:
            t0 = time.perf_counter()
            while rest:
                out.append(func(rest.pop(0)))
                if bar is not None:
                    bar.update()
                per_chunk = (time.perf_counter() - t0) / len(out)
                if rest and per_chunk * len(rest) > PARALLEL_AFTER and _idle_cores() >= 1:
                    n_jobs = -1
                    break
        if rest:
            backend = {"backend": "dask"} if client is not None else {}
            with joblib.parallel_config(**backend):
                runner = joblib.Parallel(n_jobs=n_jobs or 1, return_as="generator")
                for res in runner(joblib.delayed(func)(c) for c in rest):
                    out.append(res)
                    if bar is not None:
                        bar.update()
    finally:
        if bar is not None:
            bar.close()
    return out
