"""Checks of the library's numeric arguments, so that the API refuses a bad value with the
same documented :class:`~loyaltysem.base.errors.InputError` (or ``LimitError``) as the CLI, before
any work starts, instead of failing later with a TypeError or running without end."""

from __future__ import annotations

import numbers

from loyaltysem.base.errors import InputError, LimitError

MAX_DRAWS = 100_000
MAX_REPS = 100_000
# The seed of every random step (bootstrap draws, parallel analysis, Monte Carlo, PLSpredict
# folds) when the user gives none: the same command gives the same numbers, and the report
# states it. A user who wants other draws passes another seed.
DEFAULT_SEED = 12345


def count(value: object, name: str, low: int = 0, high: int | None = None, why: str = "") -> int:
    """An integer argument within [low, high].

    Example:
        >>> count(2000, "n_boot", 0, MAX_DRAWS)
        2000
        >>> count("100", "n_boot")
        Traceback (most recent call last):
        ...
        loyaltysem.base.errors.InputError: n_boot must be a whole number, not str '100'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name} must be a whole number, not {type(value).__name__} {value!r}")
    value = int(value)
    if value < low:
        raise InputError(f"{name} must be at least {low:,}, not {value:,}")
    if high is not None and value > high:
        reason = f" ({why})" if why else ""
        raise LimitError(f"{name} must be at most {high:,}, not {value:,}{reason}")
    return value


def seed(value: object, name: str = "seed") -> int | None:
    """None or a non-negative integer below 2**32 (what numpy's SeedSequence takes)."""
    if value is None:
        return None
    return count(value, name, 0, 2**32 - 1)


def workers(value: object, name: str = "n_jobs") -> int | None:
    """None (the default), -1 (all cores, joblib's convention) or a positive count."""
    if value is None or value == -1:
        return value
    return count(value, name, 1)


def available_memory() -> int | None:
    """Bytes of memory the system can give without swapping (Linux), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def memory(nbytes: float, what: str) -> None:
    """Refuse a job whose main arrays would take more than half the available memory.

    Example:
        >>> memory(1e3, "1,000 bootstrap draws")
    """
    free = available_memory()
    if free is not None and nbytes > free / 2:
        raise LimitError(
            f"{what} would need about {nbytes / 2**30:.1f} GB of memory, more than half of the "
            f"{free / 2**30:.1f} GB available; ask for fewer"
        )


#: The largest answer loyaltysem computes with. Beyond it squares (1e300) and sums of squares
#: over up to 1e8 respondents leave double precision (about 1.8e308): variances, covariances
#: and every model built on them would be infinite. No rating, count or time comes close.
HUGE_VALUE = 1e150


def finite_values(values, columns, *, file: str | None = None, rows=None) -> None:
    """Refuse infinite and absurdly large numbers (beyond :data:`HUGE_VALUE`) in ``columns``
    of the DataFrame ``values``, naming the first one's column and row (``rows``: the file row
    of each position, default position + 1). Missing values and text are left to other checks.

    Example:
        >>> import pandas as pd
        >>> x = pd.DataFrame({"SAT1": [1.0, float("inf")]})
        >>> finite_values(x, ["SAT1"], file="s.csv")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        loyaltysem.base.errors.InputError: s.csv: column 'SAT1', row 2: infinite value: a typo, ...
    """
    import numpy as np
    import pandas as pd

    for name in columns:
        x = pd.to_numeric(values[name], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isnan(x) & ~(np.abs(x) <= HUGE_VALUE)
        if not bad.any():
            continue
        pos = int(np.argmax(bad))
        what = (
            "infinite value"
            if np.isinf(x[pos])
            else f"value {x[pos]:g} is too large to compute with (beyond ±{HUGE_VALUE:g})"
        )
        raise InputError(
            f"{what}: a typo, an overflow in the program that exported the data, or a code "
            "that means missing?",
            file=file,
            column=str(name),
            row=int(rows[pos]) if rows is not None else pos + 1,
        )
