"""Run small dense linear algebra on one BLAS thread.

The SEM core works on matrices of a few dozen rows; OpenBLAS's threads cost more than they
save there (measured: a 128 x 128 solve 7 ms with two threads, 0.25 ms with one). Process-level
parallelism (joblib workers) is used instead where work is large.

threadpoolctl scans the loaded shared libraries each time a plain ``threadpool_limits`` is
entered (2 ms); one :class:`ThreadpoolController` is kept instead (made again once scipy's own
BLAS has been loaded with ``scipy.linalg``), and nested single-threaded calls do not limit again.
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


def single_threaded(func):
    """Decorator: run ``func`` with BLAS limited to one thread."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if getattr(_state, "depth", 0):
            return func(*args, **kwargs)
        _state.depth = 1
        try:
            with _get_controller().limit(limits=1, user_api="blas"):
                return func(*args, **kwargs)
        finally:
            _state.depth = 0

    return wrapper
