"""Forward-mode derivatives: numbers that carry their gradient (dual numbers, vectorised).

A :class:`Dual` holds values ``v`` of any shape and their derivatives ``d`` with respect to q
parameters, shape ``v.shape + (q,)``. Arithmetic, powers and the functions of lavaan's ``:=``
syntax (sqrt, exp, log, abs) apply the chain rule exactly (Griewank & Walther 2008, ch. 3),
so a standardized or defined parameter evaluated on Duals gives its Jacobian for the delta
method at the cost of a few array operations, with no step size to choose. The same code runs
on plain arrays (values only), e.g. on a stack of bootstrap draws.
"""

from __future__ import annotations

import numpy as np


class Dual:
    """Values ``v`` with derivatives ``d`` (last axis: the q parameters).

    Example:
        >>> x = Dual(np.array([2.0]), np.array([[1.0, 0.0]]))
        >>> y = Dual(np.array([3.0]), np.array([[0.0, 1.0]]))
        >>> (x * y + x**2).d.tolist()  # d/dx = y + 2x, d/dy = x
        [[7.0, 2.0]]
    """

    __array_ufunc__ = None  # numpy scalars and arrays defer to Dual's operators

    def __init__(self, v, d):
        self.v = np.asarray(v, dtype=float)
        self.d = np.asarray(d, dtype=float)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, o):
        if isinstance(o, Dual):
            return Dual(self.v + o.v, self.d + o.d)
        return Dual(self.v + o, self.d + np.zeros_like(np.asarray(o, float))[..., None])

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.v, -self.d)

    def __pos__(self):
        return self

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, Dual):
            return Dual(self.v * o.v, self.d * o.v[..., None] + o.d * self.v[..., None])
        o = np.asarray(o, dtype=float)
        return Dual(self.v * o, self.d * o[..., None])

    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, Dual):
            return self * o.reciprocal()
        o = np.asarray(o, dtype=float)
        return Dual(self.v / o, self.d / o[..., None])

    def __rtruediv__(self, o):
        return self.reciprocal() * o

    def reciprocal(self) -> Dual:
        r = 1.0 / self.v
        return Dual(r, -self.d * (r * r)[..., None])

    def __pow__(self, o):
        if isinstance(o, Dual):  # a^b = exp(b log a)
            return exp(o * log(self))
        o = np.asarray(o, dtype=float)
        return Dual(self.v**o, self.d * (o * self.v ** (o - 1.0))[..., None])

    def __rpow__(self, o):
        o = np.asarray(o, dtype=float)
        val = o**self.v
        return Dual(val, self.d * (val * np.log(o))[..., None])

    def __abs__(self):
        return Dual(np.abs(self.v), self.d * np.sign(self.v)[..., None])


def sqrt(x):
    if isinstance(x, Dual):
        r = np.sqrt(x.v)
        return Dual(r, x.d * (0.5 / r)[..., None])
    return np.sqrt(x)


def exp(x):
    if isinstance(x, Dual):
        e = np.exp(x.v)
        return Dual(e, x.d * e[..., None])
    return np.exp(x)


def log(x):
    if isinstance(x, Dual):
        return Dual(np.log(x.v), x.d / x.v[..., None])
    return np.log(x)


FUNCTIONS = {"sqrt": sqrt, "exp": exp, "log": log, "abs": abs}


# ----------------------------------------------------------------------------- indexing


def take(x, idx):
    """Columns ``idx`` of the last value axis (of a Dual or an array)."""
    if isinstance(x, Dual):
        return Dual(x.v[..., idx], x.d[..., idx, :])
    return x[..., idx]


def put(x, idx, value) -> None:
    """x[..., idx] = value in place (a plain value into a Dual has derivative 0)."""
    if isinstance(x, Dual):
        if isinstance(value, Dual):
            x.v[..., idx], x.d[..., idx, :] = value.v, value.d
        else:
            x.v[..., idx], x.d[..., idx, :] = value, 0.0
    else:
        x[..., idx] = value.v if isinstance(value, Dual) else value


def set_nan(x, mask) -> None:
    """Values (and derivatives) where ``mask`` holds become NaN, in place."""
    if isinstance(x, Dual):
        x.v[mask] = np.nan
        x.d[mask] = np.nan
    else:
        x[mask] = np.nan


def value(x) -> np.ndarray:
    return x.v if isinstance(x, Dual) else x
