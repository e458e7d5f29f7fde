"""Robust ML (lavaan's ``estimator = "MLR"``): Huber-White standard errors and the
Yuan-Bentler scaled test statistic (Mplus variant), with scaled and robust fit indices.

* Standard errors: V = A^-1 B A^-1, A the observed information (Hessian of -logL at the
  estimates), B = sum_i s_i s_i' with s_i the casewise scores (Huber 1967; White 1982;
  lavaan ``se = "robust.huber.white"``, ``information = "observed"``).
* Scaling factor (Yuan & Bentler 2000; Asparouhov & Muthen 2005, lavaan
  ``test = "yuan.bentler.mplus"``): c = [tr(A1^-1 B1) - tr(A^-1 B)] / df, where A1, B1 are the
  information and first-order matrices of the unrestricted (h1) model evaluated at the
  model-implied moments (``h1.information = "structured"``).
* Robust CFI/TLI (Brosseau-Liard & Savalei 2014) and robust RMSEA (Brosseau-Liard, Savalei &
  Li 2012), as lavaan reports them.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from . import ram
from .compiled import (
    ml_gradient_information,
    numerical_hessian,
    quad_forms,
    trace_products,
    trace_with,
)


def observed_information(result) -> np.ndarray:
    """Observed information of all N cases: N/2 times the numerical Hessian of F at theta."""
    cm, data = result.model, result.data
    key = ("observed_information", result.theta.tobytes())
    if key not in cm.cache:
        H = numerical_hessian(
            lambda t: ml_gradient_information(cm, data, t, with_hessian=False)[0], result.theta
        )
        cm.cache[key] = result.n / 2 * H
    return cm.cache[key]


def _vech_index(p: int):
    return np.tril_indices(p)


def casewise_scores(result) -> list[np.ndarray]:
    """Per group: N_g x q matrix of casewise scores d logL_i / d theta."""
    cm = result.model
    out = []
    for gs, imp, gd in zip(cm.groups, result.implied_moments, result.data, strict=True):
        inv = np.linalg.inv(imp.sigma)
        dS, dm = ram.jacobian(gs, imp, cm.npar)
        mu = imp.mu if cm.meanstructure else gd.mean
        z = (gd.raw - mu) @ inv  # N x p
        s = 0.5 * (quad_forms(z, dS) - trace_with(inv, dS)[None, :])
        if cm.meanstructure:
            s += z @ dm.T
        out.append(s)
    return out


def vcov_sandwich(result) -> np.ndarray:
    """Huber-White covariance matrix A^-1 B A^-1 (lavaan's MLR standard errors)."""
    A = observed_information(result)
    scores = casewise_scores(result)
    B = sum(s.T @ s for s in scores)
    A_inv = np.linalg.inv(A)
    return A_inv @ B @ A_inv


def _h1_traces(result):
    """sum_g tr(A1_g^-1 B1_g) for the unrestricted (h1) model at the sample moments
    (lavaan's yuan.bentler.mplus sets h1.information = "unstructured")."""
    cm = result.model
    total = 0.0
    for gd in result.data:
        p = len(gd.cov)
        inv = np.linalg.inv(gd.cov)
        rows, cols = _vech_index(p)
        nv = len(rows)
        dS = np.zeros((nv, p, p))
        dS[np.arange(nv), rows, cols] = 1.0
        dS[np.arange(nv), cols, rows] = 1.0
        A1 = 0.5 * trace_products(inv, dS)
        z = (gd.raw - gd.mean) @ inv
        s = 0.5 * (quad_forms(z, dS) - trace_with(inv, dS)[None, :])
        if cm.meanstructure:
            A1 = np.block([[inv, np.zeros((p, nv))], [np.zeros((nv, p)), A1]])
            s = np.hstack([z, s])
        B1 = s.T @ s / gd.n
        total += np.trace(np.linalg.solve(A1, B1))
    return total


def scaling_factor(result, df: float) -> float:
    """Yuan-Bentler (Mplus) scaling factor c of the chi-square."""
    if df <= 0:
        return float("nan")
    A = observed_information(result)
    scores = casewise_scores(result)
    B = sum(s.T @ s for s in scores)
    tr_model = np.trace(np.linalg.solve(A, B))
    return float((_h1_traces(result) - tr_model) / df)


def robust_fit_measures(result, fm: dict) -> dict[str, float]:
    """The ``.scaled`` and ``.robust`` fit measures lavaan adds under MLR.

    scaled: the chi-squares divided by their scaling factors; robust: Brosseau-Liard & Savalei
    (2014) CFI/TLI/RNI and Brosseau-Liard, Savalei & Li (2012) RMSEA, which put the scaling
    factor c into the non-centrality (lavaan's ``c.hat``).
    """
    from .estimation import fit_baseline
    from .fitmeasures import incremental_indices, rmsea_ci, rmsea_point, rmsea_pvalues

    n, G = result.n, result.model.ngroups
    df, x2 = fm["df"], fm["chisq"]
    c = scaling_factor(result, df)
    base = fit_baseline(result)
    df0, x20 = fm["baseline.df"], fm["baseline.chisq"]
    c0 = scaling_factor(base, df0)
    out = {
        "chisq.scaled": x2 / c,
        "df.scaled": df,
        "pvalue.scaled": float(stats.chi2.sf(x2 / c, df)),
        "chisq.scaling.factor": c,
        "baseline.chisq.scaled": x20 / c0,
        "baseline.df.scaled": df0,
        "baseline.pvalue.scaled": float(stats.chi2.sf(x20 / c0, df0)),
        "baseline.chisq.scaling.factor": c0,
    }
    scaled = incremental_indices(x2 / c, df, x20 / c0, df0)
    for k in ("cfi", "tli", "nnfi", "rfi", "nfi", "pnfi", "ifi", "rni"):
        out[f"{k}.scaled"] = scaled[k]
    t1 = max(x2 - c * df, 0.0)
    t2 = max(x2 - c * df, x20 - c0 * df0, 0.0)
    out["cfi.robust"] = 1.0 if t2 == 0 else 1 - t1 / t2
    tli = 1 - ((x2 - c * df) * df0) / ((x20 - c0 * df0) * df) if df > 0 else float("nan")
    out["tli.robust"] = out["nnfi.robust"] = tli
    out["rni.robust"] = 1 - (x2 - c * df) / (x20 - c0 * df0)
    # scaled RMSEA: unscaled chi-square on df * c (lavaan's df2 = trace of UGamma)
    out["rmsea.scaled"] = rmsea_point(x2, df * c, n, G)
    lo, hi = rmsea_ci(x2, df * c, n, G)
    out["rmsea.ci.lower.scaled"], out["rmsea.ci.upper.scaled"] = lo, hi
    p_close, p_not = rmsea_pvalues(x2, df * c, n, G)
    out["rmsea.pvalue.scaled"], out["rmsea.notclose.pvalue.scaled"] = p_close, p_not
    out["rmsea.robust"] = rmsea_point(x2, df, n, G, c_hat=c)
    lo, hi = rmsea_ci(x2 / c, df, n, G, c_hat=c)
    out["rmsea.ci.lower.robust"], out["rmsea.ci.upper.robust"] = lo, hi
    p_close, p_not = rmsea_pvalues(x2 / c, df, n, G, c_hat=c)
    out["rmsea.pvalue.robust"], out["rmsea.notclose.pvalue.robust"] = p_close, p_not
    return out
