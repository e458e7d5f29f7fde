"""Where bootstrap draws and Monte Carlo replications run: this process, joblib worker
processes, or a Dask cluster.

Each chunk of draws is refitted in batches (``batched.py``), so one process already keeps a
core busy; worker processes pay a start-up (1-3 s on the 2-core development machine: each
imports numpy, scipy, pandas and loyaltysem) and the transfer of their chunks. Measured there
(docs/architecture.md, "Speed"): 5,000 bootstrap draws of the project model took 5.5 s in
one process and 7.0 s with two workers, while 4 x 1,000 Monte Carlo replications took 13.5 s
in one process and 8.4 s with two. With a start-up S and a speed-up of about 1.6 on two busy
cores, workers pay once the work R exceeds S / (1 - 1 / 1.6), about 2.7 S, i.e. 4-8 s. The
default therefore runs the first chunk here, times it, and hands the rest to workers on all
cores only when it would take more than ``PARALLEL_AFTER`` seconds here (and there is more
than one core); otherwise everything stays in this process. ``n_jobs`` set explicitly, or a
Dask ``client``, is followed as given. Results never depend on the choice: every draw has its
own seed and its result does not depend on its chunk or batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

PARALLEL_AFTER = 6.0  # seconds of remaining single-process work before workers pay


def _cores() -> int:
    return os.cpu_count() or 1


def run_chunks(
    func: Callable,
    chunks: Sequence,
    *,
    n_jobs: int | None,
    client=None,
    progress: bool | Callable[[int, int, str], None] = False,
    desc: str = "",
) -> list:
    """``[func(c) for c in chunks]``, run here, in joblib workers or on a Dask cluster;
    ``progress``: a tqdm bar, or a callable (see :func:`progress_bar`)."""
    import joblib

    bar = progress_bar(progress, len(chunks), desc)
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
                if rest and per_chunk * len(rest) > PARALLEL_AFTER and _cores() > 1:
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


class _Callback:
    """A progress bar that calls ``func(done, total, desc)`` after each step."""

    def __init__(self, func: Callable[[int, int, str], None], total: int, desc: str):
        self.func, self.total, self.desc, self.done = func, total, desc, 0
        func(0, total, desc)

    def update(self, n: int = 1) -> None:
        self.done += n
        self.func(self.done, self.total, self.desc)

    def close(self) -> None:
        pass


def progress_bar(progress, total: int, desc: str):
    """None (``progress`` false), a tqdm bar (True) or, for a callable ``progress``, an object
    with tqdm's ``update()`` and ``close()`` that calls ``progress(done, total, desc)`` (the
    local web page's bootstrap progress).

    Example:
        >>> bar = progress_bar(lambda done, total, what: print(done, total, what), 2, "draws")
        0 2 draws
        >>> bar.update()
        1 2 draws
    """
    if callable(progress):
        return _Callback(progress, total, desc)
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="chunk", desc=desc)
