"""The estimator protocol: what an estimator's discrepancy function supplies.

An estimator (lavaan's ``estimator =`` with its ``missing =``) is a discrepancy F(theta) on
one data set. It supplies the objective, its gradient, the information matrix (expected or
observed, of all N cases) and the casewise scores; the one optimiser
(:mod:`loyaltysem.semcore.optimizer`) and the one inference module
(:mod:`loyaltysem.semcore.inference`) work on any discrepancy and never look inside it, as
statsmodels' likelihood models supply loglike/score/information and its inference sits on top.

* :class:`MLDiscrepancy` - complete data, lavaan's F_ML = log|Sigma| + tr(S Sigma^-1)
  - log|S| - p (+ the mean part), summed over groups with weights N_g / N.
* :class:`FIMLDiscrepancy` - incomplete data, -2 logL / N by response pattern.

Adding an estimator (e.g. DWLS for ordered items) means one more class with these methods and
one more entry in :func:`discrepancy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import fiml, h1, ram
from .compiled import (
    CompiledModel,
    expected_information,
    ml_discrepancy,
    ml_gradient,
    ml_gradient_information,
    numerical_hessian,
)


class Discrepancy(Protocol):
    """F(theta) of one estimator on one (possibly multi-group) data set."""

    name: str
    model: CompiledModel
    data: list
    gradient_tol: float  # a fit is converged when max |dF/dtheta| is below this

    @property
    def n(self) -> int: ...

    def objective(self, theta: np.ndarray) -> float: ...

    def gradient(self, theta: np.ndarray) -> np.ndarray: ...

    def gradient_hessian(self, theta: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """dF/dtheta and the Hessian of F (``kind``: "expected" or "observed")."""
        ...

    def information(self, theta: np.ndarray, kind: str) -> np.ndarray:
        """Information matrix of all N cases (N/2 times the Hessian of F)."""
        ...

    def scores(self, theta: np.ndarray) -> list[np.ndarray]:
        """Per group, the N_g x q casewise scores d logL_i / d theta."""
        ...


def _n(data) -> int:
    return int(sum(d.n for d in data))


@dataclass
class MLDiscrepancy:
    """Maximum likelihood on complete data (lavaan's ``estimator = "ML"``)."""

    model: CompiledModel
    data: list
    name: str = "ML"
    gradient_tol: float = 1e-5

    @property
    def n(self) -> int:
        return _n(self.data)

    def objective(self, theta: np.ndarray) -> float:
        return ml_discrepancy(self.model, self.data, theta)

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        return ml_gradient(self.model, self.data, theta)

    def gradient_hessian(self, theta: np.ndarray, kind: str = "expected"):
        if kind == "expected":
            return ml_gradient_information(self.model, self.data, theta)
        return self.gradient(theta), self.information(theta, "observed") * 2 / self.n

    def information(self, theta: np.ndarray, kind: str = "expected") -> np.ndarray:
        if kind == "expected":
            return expected_information(self.model, self.data, theta)
        key = ("observed_information", theta.tobytes())
        cache = self.model.cache
        if key not in cache:  # numerical, as lavaan's observed information for ML
            H = numerical_hessian(self.gradient, theta)
            cache[key] = self.n / 2 * H
        return cache[key]

    def scores(self, theta: np.ndarray) -> list[np.ndarray]:
        """h1 scores at the implied moments times Delta (without a mean structure at the
        sample mean)."""
        cm = self.model
        out = []
        for gs, imp, gd in zip(cm.groups, cm.implied(theta), self.data, strict=True):
            dS, dm = ram.jacobian(gs, imp, cm.npar)
            D = h1.delta(dS, dm, cm.meanstructure)
            mu = imp.mu if cm.meanstructure else gd.mean
            pats = h1.complete_patterns(gd.raw, gd.mean, gd.cov, gd.n)
            out.append(h1.scores(gd.raw, pats, imp.sigma, mu, cm.meanstructure) @ D)
        return out


@dataclass
class FIMLDiscrepancy:
    """Full-information ML on incomplete data (lavaan's ``missing = "ml"``)."""

    model: CompiledModel
    data: list
    name: str = "FIML"
    gradient_tol: float = 1e-6

    @property
    def n(self) -> int:
        return _n(self.data)

    def objective(self, theta: np.ndarray) -> float:
        return fiml.objective(self.model, self.data, theta)

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        return fiml.gradient(self.model, self.data, theta)

    def gradient_hessian(self, theta: np.ndarray, kind: str = "expected"):
        # not cached: the optimiser asks at many trial points (bootstrap refits too)
        info = fiml.information_fiml(self.model, self.data, theta, kind)
        return self.gradient(theta), info * 2 / self.n

    def information(self, theta: np.ndarray, kind: str = "observed") -> np.ndarray:
        if kind != "observed":
            return fiml.information_fiml(self.model, self.data, theta, kind)
        key = ("fiml_information", theta.tobytes())
        cache = self.model.cache
        if key not in cache:
            cache[key] = fiml.information_fiml(self.model, self.data, theta, "observed")
        return cache[key]

    def scores(self, theta: np.ndarray) -> list[np.ndarray]:
        cm = self.model
        out = []
        for gs, imp, gd in zip(cm.groups, cm.implied(theta), self.data, strict=True):
            dS, dm = ram.jacobian(gs, imp, cm.npar)
            D = h1.delta(dS, dm, True)
            out.append(h1.scores(gd.raw, gd.patterns, imp.sigma, imp.mu, True) @ D)
        return out


def discrepancy(model: CompiledModel, data: list, missing: str = "listwise") -> Discrepancy:
    """The discrepancy of lavaan's estimator for this missing-data rule (ML and MLR share
    one: they differ in the standard errors and the test, not in the estimates)."""
    if missing == "fiml":
        return FIMLDiscrepancy(model, data)
    return MLDiscrepancy(model, data)
