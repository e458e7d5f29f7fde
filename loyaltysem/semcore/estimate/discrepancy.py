"""The estimator protocol: what an estimator's discrepancy function supplies.

An estimator (lavaan's ``estimator =`` with its ``missing =``) is a discrepancy F(theta) on
one data set. It supplies the objective, its gradient, the information matrix (expected or
observed, of all N cases) and the casewise scores; the one optimiser
(:mod:`loyaltysem.semcore.estimate.optimizer`) and the one inference module
(:mod:`loyaltysem.semcore.inference.vcov`) work on any discrepancy and never look inside it, as
statsmodels' likelihood models supply loglike/score/information and its inference sits on top.

* :class:`MLDiscrepancy` - complete data, lavaan's F_ML = log|Sigma| + tr(S Sigma^-1)
  - log|S| - p (+ the mean part), summed over groups with weights N_g / N.
* :class:`FIMLDiscrepancy` - incomplete data, -2 logL / N by response pattern.
* :class:`WLSDiscrepancy` - ordered items (lavaan's DWLS, ULS and WLS, i.e. WLSMV, ULSMV
  and WLS): F = sum_g w_g (s_g - sigma_g)' W_g (s_g - sigma_g) on the thresholds and
  polychoric correlations (:mod:`loyaltysem.samplestats`), lavaan's test statistic N F.

Adding an estimator means one more class with these methods and one more entry in
:func:`discrepancy`. A discrepancy may also supply ``robust_meat(theta)`` (the middle of a
sandwich when there are no casewise likelihood scores) and ``start_values(std_lv)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from loyaltysem.samplestats import h1
from loyaltysem.semcore.estimate import fiml
from loyaltysem.semcore.model import ram

if TYPE_CHECKING:
    from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.model.compiled import (
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


@dataclass
class _GroupData:
    """What every discrepancy holds: the model and the data of each group; ``n`` is the
    number of cases in all groups."""

    model: object
    data: list

    @property
    def n(self) -> int:
        return int(sum(d.n for d in self.data))


@dataclass
class MLDiscrepancy(_GroupData):
    """Maximum likelihood on complete data (lavaan's ``estimator = "ML"``)."""

    model: CompiledModel
    name: str = "ML"
    gradient_tol: float = 1e-5

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
class FIMLDiscrepancy(_GroupData):
    """Full-information ML on incomplete data (lavaan's ``missing = "ml"``)."""

    model: CompiledModel
    name: str = "FIML"
    gradient_tol: float = 1e-6

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


@dataclass
class WLSDiscrepancy(_GroupData):
    """Weighted least squares on the two-step statistics of ordered items (lavaan's DWLS /
    ULS / WLS; the weight, WLS.V, comes with the data: :class:`om.OrdinalGroupData`).

    F = sum_g w_g e_g' W_g e_g with e_g = s_g - sigma_g(theta), w_g = (N_g - 1) / N (lavaan's
    ``lav_model_objective``: fmin = F / 2, the test N F); dF/dtheta = -2 sum_g w_g Delta_g'
    W_g e_g; the Hessian used is the expected one, 2 sum_g w_g Delta_g' W_g Delta_g.
    lavaan's expected information per case is E = sum_g (N_g / N) Delta_g' W_g Delta_g
    (``lav_model_information``) and its covariance matrices divide by N - G, not N
    (``lav_model_vcov``), so the information "of all cases" here is (N - G) E and the
    sandwich's middle (N - G) sum_g (N_g / N) Delta' W Gamma_g W Delta."""

    model: om.OrdinalModel
    name: str = "DWLS"
    gradient_tol: float = 1e-6

    def _weights(self) -> list[float]:
        return [(gd.n - 1) / self.n for gd in self.data]

    def residuals(self, theta: np.ndarray) -> list[np.ndarray]:
        from loyaltysem.semcore.model import ordinal as om

        sigma = om.wls_moments(self.model, theta)
        return [gd.wls_obs - s for gd, s in zip(self.data, sigma, strict=True)]

    def objective(self, theta: np.ndarray) -> float:
        total = 0.0
        for w, gd, e in zip(self._weights(), self.data, self.residuals(theta), strict=True):
            total += w * float(e @ gd.weigh(e))
        return total

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        return self.gradient_hessian(theta)[0]

    def gradient_hessian(self, theta: np.ndarray, kind: str = "expected"):
        from loyaltysem.semcore.model import ordinal as om

        grad = np.zeros(self.model.npar)
        hess = np.zeros((self.model.npar, self.model.npar))
        jac = om.wls_jacobian(self.model, theta)
        for w, gd, (sigma, D) in zip(self._weights(), self.data, jac, strict=True):
            WD = gd.weigh(D)
            grad -= 2.0 * w * (WD.T @ (gd.wls_obs - sigma))
            hess += 2.0 * w * (D.T @ WD)
        return grad, hess

    @property
    def n_vcov(self) -> int:
        """lavaan's N for these estimators' covariance matrices: N - G."""
        return self.n - len(self.data)

    def unit_information(self, theta: np.ndarray) -> np.ndarray:
        """E = sum_g (N_g / N) Delta_g' W_g Delta_g (lavaan's expected information)."""
        from loyaltysem.semcore.model import ordinal as om

        info = np.zeros((self.model.npar, self.model.npar))
        for gd, (_, D) in zip(self.data, om.wls_jacobian(self.model, theta), strict=True):
            info += gd.n / self.n * (D.T @ gd.weigh(D))
        return info

    def information(self, theta: np.ndarray, kind: str = "expected") -> np.ndarray:
        """(N - G) E, the expected information (``kind`` is ignored, as lavaan's)."""
        return self.n_vcov * self.unit_information(theta)

    def scores(self, theta: np.ndarray) -> list[np.ndarray]:
        """Per group the N_g x q rows c psi_i W Delta, psi the casewise influence of the
        sample statistics and c = sqrt((N - G) / N): their cross-product sum is
        :meth:`robust_meat`."""
        from loyaltysem.semcore.model import ordinal as om

        jac = om.wls_jacobian(self.model, theta)
        c = np.sqrt(self.n_vcov / self.n)
        return [c * (gd.influence @ gd.weigh(D)) for gd, (_, D) in zip(self.data, jac, strict=True)]

    def robust_meat(self, theta: np.ndarray) -> np.ndarray:
        """(N - G) sum_g (N_g / N) Delta' W Gamma_g W Delta, Gamma_g = psi' psi / N_g the
        NACOV: the middle of lavaan's ``se = "robust.sem"`` sandwich
        (``lav_model_nvcov_robust_sem``, divided by N - G in ``lav_model_vcov``)."""
        return sum(s.T @ s for s in self.scores(theta))

    def start_values(self, std_lv: bool) -> np.ndarray:
        from loyaltysem.semcore.model import ordinal as om

        return om.ordinal_start_values(self.model, self.data, std_lv)


def discrepancy(model: CompiledModel, data: list, missing: str = "listwise") -> Discrepancy:
    """The discrepancy of lavaan's estimator for this missing-data rule (ML and MLR share
    one: they differ in the standard errors and the test, not in the estimates; ordered
    items' data carry their own weight matrix)."""
    if data and hasattr(data[0], "weight"):  # ordered items: the data carry WLS.V
        return WLSDiscrepancy(model, data, name=_wls_name(data))
    if missing == "fiml":
        return FIMLDiscrepancy(model, data)
    return MLDiscrepancy(model, data)


def _wls_name(data: list) -> str:
    w = data[0].weight
    if w.ndim == 2:
        return "WLS"
    return "ULS" if np.all(w == 1.0) else "DWLS"
