"""Run small dense linear algebra on one BLAS thread.

The SEM core works on matrices of a few dozen rows; OpenBLAS's threads cost more than they
save there (measured: a 128 x 128 solve 7 ms with two threads, 0.25 ms with one). Process-level
parallelism (joblib workers) is used instead where work is large.
"""

from __future__ import annotations

import functools

from threadpoolctl import threadpool_limits


def single_threaded(func):
    """Decorator: run ``func`` with BLAS limited to one thread."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper
