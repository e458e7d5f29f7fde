"""Standardized parameters (lavaan's std.lv, std.all) and defined parameters (``:=``).

std.lv rescales latent variables to unit variance; std.all rescales every variable by its
model-implied standard deviation (lavaan's ``standardizedSolution(type = "std.all")``;
Bollen 1989, ch. 8). Standard errors of standardized and defined parameters use the delta
method with a numerical Jacobian and the estimator's covariance matrix of the free
parameters, as lavaan does.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loyaltysem.semcore.model.compiled import CompiledModel

_FUNCS = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "abs": abs}


def table_arrays(cm: CompiledModel) -> dict[str, np.ndarray]:
    """The parameter table's columns as numpy arrays, computed once per model (hot path of
    bootstrap and Monte Carlo draws)."""
    if "arrays" not in cm.cache:
        pt = cm.pt
        cm.cache["arrays"] = {
            "lhs": pt["lhs"].to_numpy(),
            "op": pt["op"].to_numpy(),
            "rhs": pt["rhs"].to_numpy(),
            "group": pt["group"].to_numpy(),
            "free": pt["free"].to_numpy(),
            "fixed": pt["ustart"].fillna(0.0).to_numpy(dtype=float),
            "label": pt["label"].to_numpy(),
            "plabel": pt["plabel"].to_numpy(),
        }
    return cm.cache["arrays"]


def parameter_values(cm: CompiledModel, theta: np.ndarray) -> np.ndarray:
    """Value of every parameter-table row (free from theta, fixed from the table)."""
    arr = table_arrays(cm)
    free = arr["free"] > 0
    vals = np.where(free, 0.0, arr["fixed"])
    vals[free] = theta[arr["free"][free] - 1]
    for exo in cm.exo_values or []:
        for pos, v in exo.items():
            vals[pos] = v
    derived = getattr(cm, "derived_values", None)  # ordered items' residual variances
    if derived is not None:
        derived(theta, vals)
    return vals


def standardize(cm: CompiledModel, theta: np.ndarray, kind: str = "std.all") -> np.ndarray:
    """std.lv or std.all value of every parameter-table row (defined parameters included)."""
    arr = table_arrays(cm)
    vals = parameter_values(cm, theta)
    names = cm.mv.ov + cm.mv.lv
    index = {v: i for i, v in enumerate(names)}
    lv = set(cm.mv.lv)
    implied = cm.implied(theta)
    sds = [np.sqrt(np.clip(np.diag(imp.sigma_all), 0, None)) for imp in implied]
    resid_sd = [np.sqrt(np.clip(np.diag(imp.S), 0, None)) for imp in implied]
    out = np.full(len(vals), np.nan)
    lhs, op, rhs, grp = arr["lhs"], arr["op"], arr["rhs"], arr["group"]

    def sd(g, v):
        s = sds[g - 1][index[v]]
        if kind == "std.lv" and v not in lv:
            return 1.0
        return s

    for k in range(len(vals)):
        o = op[k]
        if o in (":=", "==", "<", ">"):
            continue
        g = int(grp[k])
        if o == "=~":
            out[k] = vals[k] * sd(g, lhs[k]) / sd(g, rhs[k])
        elif o == "~":
            out[k] = vals[k] * sd(g, rhs[k]) / sd(g, lhs[k])
        elif o == "~~" and lhs[k] != rhs[k]:
            # lavaan's cov.std: a (residual) covariance is scaled by the two (residual)
            # variances, i.e. reported as a residual correlation, in std.lv and std.all alike
            denom = 1.0
            for v in (lhs[k], rhs[k]):
                if kind == "std.all" or v in lv:  # std.lv leaves observed variables raw
                    denom *= resid_sd[g - 1][index[v]]
            out[k] = vals[k] / denom if denom > 0 else np.nan
        elif o == "~~":
            denom = sd(g, lhs[k]) * sd(g, rhs[k])
            out[k] = vals[k] / denom if denom > 0 else np.nan
        elif o in ("~1", "|"):  # a threshold is on the scale of y** (sd 1 / delta)
            s = sd(g, lhs[k])
            out[k] = vals[k] / s if s > 0 else np.nan
        elif o == "~*~":  # a scale factor: std.all 1 (lavaan's lav_standardize_all)
            out[k] = 1.0 if kind == "std.all" else vals[k]
    if (op == ":=").any():
        out = _defined_from(cm.pt, out, standardized=True)
    return out


def _label_values(pt: pd.DataFrame, vals: np.ndarray) -> dict[str, float]:
    env: dict[str, float] = {}
    for k, (label, plabel) in enumerate(zip(pt["label"], pt["plabel"], strict=True)):
        if pt["op"].iat[k] in (":=", "==", "<", ">"):
            continue
        if plabel:
            env[plabel] = vals[k]
        if label and label not in env:
            env[label] = vals[k]
    return env


def evaluate(expr: str, env: dict[str, float]) -> float:
    code = compile(expr.replace("^", "**"), "<defined>", "eval")
    try:
        return float(eval(code, {"__builtins__": {}}, {**_FUNCS, **env}))  # noqa: S307
    except (ZeroDivisionError, ValueError, OverflowError):
        return float("nan")


def _defined_from(pt: pd.DataFrame, vals: np.ndarray, standardized: bool = False) -> np.ndarray:
    vals = vals.copy()
    env = _label_values(pt, vals)
    for k in np.where(pt["op"].to_numpy() == ":=")[0]:
        vals[k] = evaluate(pt["rhs"].iat[k], env)
        env[pt["lhs"].iat[k]] = vals[k]
    return vals


def all_values(cm: CompiledModel, theta: np.ndarray) -> np.ndarray:
    """Unstandardized values of every row, defined parameters evaluated."""
    vals = parameter_values(cm, theta)
    if (table_arrays(cm)["op"] == ":=").any():
        vals = _defined_from(cm.pt, vals)
    return vals


def numerical_jacobian(func, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central-difference Jacobian of a vector function (rows: outputs, columns: theta)."""
    base = func(theta)
    jac = np.zeros((len(base), len(theta)))
    for j in range(len(theta)):
        step = h * max(1.0, abs(theta[j]))
        tp, tm = theta.copy(), theta.copy()
        tp[j] += step
        tm[j] -= step
        jac[:, j] = (func(tp) - func(tm)) / (2 * step)
    return jac


def delta_se(func, theta: np.ndarray, vcov: np.ndarray) -> np.ndarray:
    """Delta-method standard errors of func(theta)."""
    jac = numerical_jacobian(func, theta)
    var = np.einsum("ij,jk,ik->i", jac, vcov, jac)
    return np.sqrt(np.clip(var, 0, None))
