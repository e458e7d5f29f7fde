"""Run small dense linear algebra on one BLAS thread.

The SEM core works on matrices of a few dozen rows; OpenBLAS's threads cost more than they
save there (measured: a 128 x 128 solve 7 ms with two threads, 0.25 ms with one). Process-level
parallelism (joblib workers) is used instead where work is large.

threadpoolctl scans the loaded shared libraries each time a plain ``threadpool_limits`` is
entered (2 ms); one :class:`ThreadpoolController` is kept instead (made again once scipy's own
BLAS has been loaded with ``scipy.linalg``), and nested single-threaded calls do not limit again.

scipy.linalg brings its own OpenBLAS, and a limit only reaches the libraries loaded when it
is set: code that imports scipy.linalg inside a single-threaded region (the refits' Newton
path, a worker process's first chunk of draws) gets it through :func:`scipy_linalg`, which
limits the new library for the rest of the region; nested single-threaded calls check too.
Without this a bootstrap's fallback refits ran on two threads and took twice the CPU time.
"""

from __future__ import annotations

import functools
import sys
import threading

_state = threading.local()
_controllers: dict[bool, object] = {}


def _get_controller():
    key = "scipy.linalg" in sys.modules
    if key not in _controllers:
        from threadpoolctl import ThreadpoolController

        _controllers[key] = ThreadpoolController()
    return _controllers[key]


def _cover_scipy() -> None:
    """Inside a single-threaded region entered before scipy.linalg was loaded: limit scipy's
    BLAS too (undone when the region ends)."""
    if getattr(_state, "depth", 0) and not _state.scipy and "scipy.linalg" in sys.modules:
        _state.scipy = True
        _state.extra.append(_get_controller().limit(limits=1, user_api="blas"))


def scipy_linalg():
    """``scipy.linalg``, imported; inside a single-threaded region its BLAS is limited too.

    Example:
        >>> linalg = scipy_linalg()
        >>> float(linalg.det([[2.0, 0.0], [0.0, 3.0]]))
        6.0
    """
    from scipy import linalg

    _cover_scipy()
    return linalg


def single_threaded(func):
    """Decorator: run ``func`` with BLAS limited to one thread."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if getattr(_state, "depth", 0):
            _cover_scipy()
            return func(*args, **kwargs)
        _state.depth = 1
        _state.scipy = "scipy.linalg" in sys.modules
        _state.extra = []
        try:
            with _get_controller().limit(limits=1, user_api="blas"):
                return func(*args, **kwargs)
        finally:
            for limiter in reversed(_state.extra):
                limiter.restore_original_limits()
            _state.extra = []
            _state.depth = 0

    return wrapper
