"""Delta' u for the WLS moments of ordered items without forming Delta (reverse mode).

The gradient of the WLS discrepancy is -2 sum_g w_g Delta_g' W_g e_g. Forming Delta
(:func:`ordinal_model.wls_jacobian`, m x q: 975 x 323 on the project model) costs far more
than the product needs: Delta' u is a linear function of u, and by the chain rule of
:func:`ordinal_model._group_moments` it is

    Delta' u = sum_k [ tr(M dSigma**/dtheta_k) - 2 r' dmu**/dtheta_k ] + (direct terms),

with M the symmetric p x p matrix that carries u onto Sigma** (pair (i, j): u_ij d_i d_j / 2
in (i, j) and (j, i); a continuous variance: u_v on the diagonal), r/2 the threshold weights
carried onto mu** (-u_t for a continuous variable's -mean, -u_t d_v for a threshold), and
the direct terms: u_t d_v for a free threshold tau_t, and the scale factors' own
derivatives (a free ``~*~`` parameter gets sum of u times dsigma / d delta_v; under theta,
delta_v = Sigma**_vv^(-1/2) adds -1/2 Sigma**_vv^(-3/2) times that to M's diagonal). The
traces and mean terms are :func:`ram.gradient_terms` (O(n p^2), no q x p x p array). It is
the exact transpose of ``_group_jacobian`` (same fixed ordered residual variances), so it
equals Delta' u to rounding (tested against the Jacobian).
"""

from __future__ import annotations

import numpy as np

from loyaltysem.semcore.model import ordinal as om
from loyaltysem.semcore.model import ram


def _group_delta_t_u(gs, lay: om.WLSLayout, imp: ram.Implied, theta, u, q: int) -> np.ndarray:
    """Delta_g' u of one group (u: a vector over the group's WLS moments)."""
    p = len(imp.sigma)
    nth, nnum = lay.th_var.size, lay.num.size
    u_th, u_var, u_pair = u[:nth], u[nth : nth + nnum], u[nth + nnum :]
    delta = om.scale_factors(lay, imp, theta)
    ii, jj, v = lay.ii, lay.jj, lay.th_var
    M = np.zeros((p, p))
    half = 0.5 * u_pair * delta[ii] * delta[jj]
    M[ii, jj] = half
    M[jj, ii] = half
    M[lay.num, lay.num] += u_var * delta[lay.num] ** 2
    # the scale factors' own derivatives: s_v = d (u' sigma) / d delta_v at fixed Sigma**
    sig = imp.sigma
    mu = imp.mu_all[:p]
    tau = lay.tau(theta)
    s = np.zeros(p)
    w = u_pair * sig[ii, jj]
    np.add.at(s, ii, w * delta[jj])
    np.add.at(s, jj, w * delta[ii])
    ordt = ~lay.th_num
    np.add.at(s, v[ordt], u_th[ordt] * (tau[ordt] - mu[v[ordt]]))
    g = np.zeros(q)
    if lay.theta:
        o = lay.ordered
        var = np.diag(sig)[o]
        M[o, o] += s[o] * (-0.5 / (var * np.sqrt(var)))
    else:
        free = np.flatnonzero(lay.delta_theta >= 0)
        np.add.at(g, lay.delta_theta[free], s[free])
    # thresholds: u_t d_v for a free tau_t; the means through r' dmu (-u_t or -u_t d_v)
    tf = np.flatnonzero(lay.th_theta >= 0)
    np.add.at(g, lay.th_theta[tf], u_th[tf] * delta[v[tf]])
    r = np.zeros(p)
    np.add.at(r, v, np.where(lay.th_num, u_th, u_th * delta[v]))
    # ram.gradient_terms: tr(M dSigma_k) - 2 vm' dmu_k; dmu is zero without a mean structure
    vm = 0.5 * r if gs.meanstructure else None
    return g + ram.gradient_terms(gs, imp, M, vm, q)


def delta_t_u(model: om.OrdinalModel, theta: np.ndarray, us: list[np.ndarray]) -> np.ndarray:
    """sum_g Delta_g' u_g for one vector u_g per group (the Jacobian's transpose applied
    to them), without forming Delta; models with their own moments (conditional on
    covariates) fall back to the Jacobian."""
    if hasattr(model, "wls_jacobian"):
        jac = om.wls_jacobian(model, theta)
        return sum(D.T @ u for (_, D), u in zip(jac, us, strict=True))
    out = np.zeros(model.npar)
    for gs, lay, imp, u in zip(model.groups, model.layouts, model.implied(theta), us, strict=True):
        out += _group_delta_t_u(gs, lay, imp, theta, u, model.npar)
    return out


def wls_gradient(disc, theta: np.ndarray) -> np.ndarray:
    """dF/dtheta = -2 sum_g w_g Delta_g' W_g e_g of a :class:`WLSDiscrepancy` (the
    gradient of its ``gradient_hessian``, without the Jacobian)."""
    us = [
        -2.0 * w * gd.weigh(e)
        for w, gd, e in zip(disc._weights(), disc.data, disc.residuals(theta), strict=True)
    ]
    return delta_t_u(disc.model, theta, us)


def wls_objective_gradient(disc, theta: np.ndarray) -> tuple[float, np.ndarray | None]:
    """(F, dF/dtheta) of a :class:`WLSDiscrepancy` from one computation of the implied
    moments (F as ``disc.objective`` computes it, to the bit); the gradient is None where F
    is not finite."""
    model = disc.model
    if hasattr(model, "wls_jacobian"):
        f = disc.objective(theta)
        return f, wls_gradient(disc, theta) if np.isfinite(f) else None
    f, terms = 0.0, []
    imps = model.implied(theta)
    for w, gd, lay, imp in zip(disc._weights(), disc.data, model.layouts, imps, strict=True):
        e = gd.wls_obs - om._group_moments(lay, imp, theta)
        we = gd.weigh(e)
        f += w * float(e @ we)
        terms.append(-2.0 * w * we)
    if not np.isfinite(f):
        return f, None
    grad = np.zeros(model.npar)
    for gs, lay, imp, u in zip(model.groups, model.layouts, imps, terms, strict=True):
        grad += _group_delta_t_u(gs, lay, imp, theta, u, model.npar)
    return f, grad
