"""Standardized parameters (lavaan's std.lv, std.all, std.nox) and defined parameters (``:=``):
the one implementation, used by the fit, the bootstrap draws and the modification indices.

std.lv rescales latent variables to unit variance; std.all rescales every variable by its
model-implied standard deviation; std.nox is std.all except that the exogenous observed
covariates (lavaan's ``ov.x``) keep their raw scale (lavaan's ``lav_standardize_lv``,
``lav_standardize_all``, ``lav_standardize_all_nox``; Bollen 1989, ch. 8). A (residual)
covariance is scaled by the two residual standard deviations (lavaan's ``cov.std = TRUE``).

Every row's standardized value is value * E[num] / (E[den0] * E[den1]) with E the per-group
implied SDs of all variables, then the residual SDs, then 1 (:func:`std_plan`), so it runs on
a stack of parameter vectors at once (bootstrap draws) and on forward-mode numbers
(:mod:`.forward`), which give the exact Jacobian for the delta-method standard errors of
standardized and defined parameters (lavaan's ``standardizedSolution()`` and ``:=``
rows, with the estimator's covariance matrix of the free parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loyaltysem.semcore.inference import forward as fw
from loyaltysem.semcore.model.compiled import CompiledModel

SKIP_OPS = (":=", "==", "<", ">")
KINDS = ("std.lv", "std.all", "std.nox")


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
    """Value of every parameter-table row (free from theta, fixed from the table, fixed.x
    covariates' sample moments); ``theta`` (q,) or a stack (B, q) of parameter vectors.

    Example:
        >>> vals = parameter_values(fit.model, fit.theta)  # doctest: +SKIP
    """
    arr = table_arrays(cm)
    free = arr["free"] > 0
    theta = np.asarray(theta, dtype=float)
    vals = np.broadcast_to(np.where(free, 0.0, arr["fixed"]), theta.shape[:-1] + free.shape)
    vals = vals.copy()
    vals[..., free] = theta[..., arr["free"][free] - 1]
    for exo in cm.exo_values or []:
        for pos, v in exo.items():
            vals[..., pos] = v
    derived = getattr(cm, "derived_values", None)  # ordered items' residual variances
    if derived is not None:
        if theta.ndim > 1:
            for b in range(len(theta)):
                derived(theta[b], vals[b])
        else:
            derived(theta, vals)
    return vals


# ----------------------------------------------------------------------------- defined (:=)


@dataclass
class DefinedPlan:
    """The ``:=`` rows in order and the labels they may use (plabel first, then label), as
    row positions."""

    env_rows: dict[str, int]
    defined: list[tuple[int, str, object]]  # (row, name, compiled expression)


def defined_plan(cm: CompiledModel) -> DefinedPlan:
    if "defined_plan" not in cm.cache:
        cm.cache["defined_plan"] = make_defined_plan(table_arrays(cm))
    return cm.cache["defined_plan"]


def make_defined_plan(arr: dict[str, np.ndarray]) -> DefinedPlan:
    env: dict[str, int] = {}
    for k, (op, label, plabel) in enumerate(
        zip(arr["op"], arr["label"], arr["plabel"], strict=True)
    ):
        if op in SKIP_OPS:
            continue
        if plabel:
            env[plabel] = k
        if label and label not in env:
            env[label] = k
    defined = [
        (int(k), arr["lhs"][k], compile(arr["rhs"][k].replace("^", "**"), "<defined>", "eval"))
        for k in np.where(arr["op"] == ":=")[0]
    ]
    return DefinedPlan(env, defined)


def evaluate_defined(plan: DefinedPlan, vals):
    """Fill the ``:=`` rows of ``vals`` (..., nrow) in place, in table order (a definition may
    use earlier ones), from the labelled rows; an array of values or a :class:`.forward.Dual`.
    Division by zero, a domain error or an overflow gives NaN (lavaan's NA). Returns vals.

    Example:
        >>> plan = DefinedPlan({"a": 0, "b": 1}, [(2, "ab", compile("a*b", "", "eval"))])
        >>> evaluate_defined(plan, np.array([[2.0, 3.0, 0.0], [1.0, 0.5, 0.0]]))[:, 2]
        array([6. , 0.5])
    """
    if not plan.defined:
        return vals
    env = {name: fw.take(vals, k) for name, k in plan.env_rows.items()}
    for k, name, code in plan.defined:
        try:
            with np.errstate(all="ignore"):
                out = eval(code, {"__builtins__": {}}, {**fw.FUNCTIONS, **env})  # noqa: S307
        except (ZeroDivisionError, ValueError, OverflowError):
            out = np.nan
        fw.put(vals, k, out)
        col = fw.take(vals, k)
        fw.set_nan(col, ~np.isfinite(fw.value(col)))
        fw.put(vals, k, col)
        env[name] = col
    return vals


def all_values(cm: CompiledModel, theta: np.ndarray) -> np.ndarray:
    """Unstandardized values of every row, defined parameters evaluated."""
    return evaluate_defined(defined_plan(cm), parameter_values(cm, theta))


# ----------------------------------------------------------------------------- standardizing


@dataclass
class StdPlan:
    """Per kind (std.lv, std.all, std.nox) and row: positions in E = (implied SDs of group 1,
    ..., group G, residual SDs of group 1, ..., G, 1) of the numerator and the two
    denominators; rows whose value is NaN when the denominator is not positive; rows without
    a standardized value; rows that are 1 in std.all and std.nox (scale factors)."""

    index: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    check: np.ndarray
    skip: np.ndarray
    unit: np.ndarray
    size: int  # length of E


def std_plan(cm: CompiledModel) -> StdPlan:
    """The plan of a compiled model (cached)."""
    if "std_plan" not in cm.cache:
        arr = table_arrays(cm)
        mv = cm.mv
        cm.cache["std_plan"] = make_std_plan(
            arr, mv.ov + mv.lv, set(mv.lv), set(mv.ov_x), cm.ngroups
        )
    return cm.cache["std_plan"]


def make_std_plan(arr: dict, names: list[str], lv: set, x: set, ngroups: int) -> StdPlan:
    """lavaan's lav_standardize_lv / _all / _all_nox as positions (see :class:`StdPlan`);
    ``arr``: the table's lhs, op, rhs and group columns; ``names``: the variables in the order
    of the implied SDs; ``lv``: latent variables; ``x``: the exogenous observed covariates."""
    n, nrow = len(names), len(arr["op"])
    index = {v: i for i, v in enumerate(names)}
    one = 2 * n * ngroups
    pos = {kind: np.full((3, nrow), one) for kind in KINDS}
    check, skip, unit = (np.zeros(nrow, dtype=bool) for _ in range(3))

    def sd(kind, g, v, resid=False, raw_x=True):  # position of v's (residual) SD, or of 1
        if (kind == "std.lv" and v not in lv) or (kind == "std.nox" and raw_x and v in x):
            return one
        return (ngroups * n if resid else 0) + g * n + index[v]

    for k in range(nrow):
        op, lhs, rhs = arr["op"][k], arr["lhs"][k], arr["rhs"][k]
        if op not in ("=~", "~", "~~", "~1", "|", "~*~"):
            skip[k] = True
            continue
        g = int(arr["group"][k]) - 1
        unit[k] = op == "~*~"
        check[k] = op in ("~~", "~1", "|")
        for kind, p in pos.items():
            if op == "=~":
                p[0, k], p[1, k] = sd(kind, g, lhs), sd(kind, g, rhs, raw_x=False)
            elif op == "~":  # std.nox: a covariate predictor stays raw, a covariate outcome not
                p[0, k], p[1, k] = sd(kind, g, rhs), sd(kind, g, lhs, raw_x=False)
            elif op == "~~" and lhs != rhs:
                p[1, k], p[2, k] = sd(kind, g, lhs, True), sd(kind, g, rhs, True)
            elif op == "~~":
                p[1, k] = p[2, k] = sd(kind, g, lhs)
            elif op in ("~1", "|"):
                p[1, k] = sd(kind, g, lhs)
    return StdPlan({k: (p[0], p[1], p[2]) for k, p in pos.items()}, check, skip, unit, one + 1)


def sd_vector(sds: list, resid_sds: list):
    """E of :class:`StdPlan` from per-group SDs and residual SDs (arrays (..., n) or Duals)."""
    parts = list(sds) + list(resid_sds)
    if any(isinstance(p, fw.Dual) for p in parts):
        q = next(p for p in parts if isinstance(p, fw.Dual)).d.shape[-1]
        parts = [
            p if isinstance(p, fw.Dual) else fw.Dual(p, np.zeros(p.shape + (q,))) for p in parts
        ]
        ones = fw.Dual(
            np.ones(parts[0].v.shape[:-1] + (1,)), np.zeros(parts[0].v.shape[:-1] + (1, q))
        )
        return fw.Dual(
            np.concatenate([p.v for p in parts] + [ones.v], axis=-1),
            np.concatenate([p.d for p in parts] + [ones.d], axis=-2),
        )
    return np.concatenate(parts + [np.ones(np.shape(parts[0])[:-1] + (1,))], axis=-1)


def standardize_values(plan: StdPlan, kind: str, vals, E, defined: DefinedPlan | None = None):
    """Standardized value of every row from the rows' values (..., nrow) and E (..., size), on
    arrays or :class:`.forward.Dual`; ``defined``: then the ``:=`` rows from the standardized
    values (lavaan's ``def.function`` on the standardized parameters).

    Example:
        >>> out = standardize_values(std_plan(cm), "std.all", vals, E)  # doctest: +SKIP
    """
    num, d0, d1 = plan.index[kind]
    denom = fw.take(E, d0) * fw.take(E, d1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = vals * fw.take(E, num) / denom
    shape = fw.value(out).shape
    bad = plan.check & ~(fw.value(denom) > 0)
    fw.set_nan(out, np.broadcast_to(bad | plan.skip, shape))
    if kind != "std.lv" and plan.unit.any():
        fw.put(out, np.where(plan.unit)[0], 1.0)
    if defined is not None:
        evaluate_defined(defined, out)
    return out


def _implied_sds(cm: CompiledModel, theta: np.ndarray) -> tuple[list, list]:
    implied = cm.implied(theta)
    with np.errstate(invalid="ignore"):
        sds = [np.sqrt(np.clip(np.diag(imp.sigma_all), 0, None)) for imp in implied]
        rsds = [np.sqrt(np.clip(np.diag(imp.S), 0, None)) for imp in implied]
    return sds, rsds


def standardize(cm: CompiledModel, theta: np.ndarray, kind: str = "std.all") -> np.ndarray:
    """std.lv, std.all or std.nox value of every parameter-table row (defined parameters
    included).

    Example:
        >>> std = standardize(fit.model, fit.theta, "std.all")  # doctest: +SKIP
    """
    return standardize_kinds(cm, theta, (kind,))[kind]


# ----------------------------------------------------------------------------- derivatives


def _ram_variance_jacobian(gs, imp, q: int) -> tuple[np.ndarray, np.ndarray]:
    """d diag(B S B') / d theta and d diag(S) / d theta (n x q) of one group in RAM form:
    d var_v / dA_ij = 2 B_vi (B S B')_jv, d var_v / dS_ij = (2 - [i = j]) B_vi B_vj
    (McArdle & McDonald 1984; the derivatives of ``ram.jacobian`` for all variables)."""
    B, sig = imp.B, imp.sigma_all
    dvar = np.zeros((q, gs.n))
    dres = np.zeros((q, gs.n))
    a = gs.a_rows
    if len(a):
        a = a[a[:, 1] >= 0]
        th, i, j = (a[:, c].astype(int) for c in (1, 2, 3))
        np.add.at(dvar, th, (2.0 * B[:, i] * sig[j, :].T).T)
    s = gs.s_rows
    if len(s):
        s = s[s[:, 1] >= 0]
        th, i, j = (s[:, c].astype(int) for c in (1, 2, 3))
        np.add.at(dvar, th, (np.where(i == j, 1.0, 2.0) * B[:, i] * B[:, j]).T)
        d = i == j
        np.add.at(dres, (th[d], i[d]), 1.0)
    return dvar.T, dres.T


def _sd_dual(var: np.ndarray, dvar: np.ndarray) -> fw.Dual:
    """sqrt(max(var, 0)) and its derivative dvar / (2 sd)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.clip(var, 0, None))
        return fw.Dual(sd, dvar / (2.0 * sd)[:, None])


def _numerical_parts(cm: CompiledModel, theta: np.ndarray, h: float = 1e-6):
    """Row values, implied and residual variances and their central-difference derivatives
    (models whose implied moments are not the plain RAM ones: ordered items)."""

    def parts(t):
        implied = cm.implied(t)
        var = [np.diag(imp.sigma_all) for imp in implied]
        res = [np.diag(imp.S) for imp in implied]
        return np.concatenate([parameter_values(cm, t), *var, *res])

    base = parts(theta)
    jac = np.zeros((len(base), len(theta)))
    for j in range(len(theta)):
        step = h * max(1.0, abs(theta[j]))
        tp, tm = theta.copy(), theta.copy()
        tp[j] += step
        tm[j] -= step
        jac[:, j] = (parts(tp) - parts(tm)) / (2 * step)
    return base, jac


def model_duals(cm: CompiledModel, theta: np.ndarray) -> tuple[fw.Dual, fw.Dual]:
    """(row values, E) at theta as forward-mode numbers carrying d/dtheta: analytic for
    models in RAM form, central differences of the implied variances for ordered items."""
    q, nrow = len(theta), len(cm.pt)
    if type(cm).implied is CompiledModel.implied and not hasattr(cm, "derived_values"):
        vals = parameter_values(cm, theta)
        arr = table_arrays(cm)
        dvals = np.zeros((nrow, q))
        free = np.where(arr["free"] > 0)[0]
        dvals[free, arr["free"][free] - 1] = 1.0
        sds, rsds = [], []
        for gs, imp in zip(cm.groups, cm.implied(theta), strict=True):
            dvar, dres = _ram_variance_jacobian(gs, imp, q)
            sds.append(_sd_dual(np.diag(imp.sigma_all), dvar))
            rsds.append(_sd_dual(np.diag(imp.S), dres))
        return fw.Dual(vals, dvals), sd_vector(sds, rsds)
    base, jac = _numerical_parts(cm, theta)
    n, G = len(cm.mv.ov) + len(cm.mv.lv), cm.ngroups
    sds = [
        _sd_dual(base[nrow + g * n : nrow + (g + 1) * n], jac[nrow + g * n : nrow + (g + 1) * n])
        for g in range(2 * G)
    ]
    return fw.Dual(base[:nrow], jac[:nrow]), sd_vector(sds[:G], sds[G:])


def delta_se(jac: np.ndarray, vcov: np.ndarray) -> np.ndarray:
    """Delta-method standard errors sqrt(diag(J V J')) of rows with Jacobian J."""
    var = np.einsum("ij,jk,ik->i", jac, vcov, jac)
    return np.sqrt(np.clip(var, 0, None))


def values_and_se(
    cm: CompiledModel, theta: np.ndarray, vcov: np.ndarray, kinds=("est",) + KINDS, duals=None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every row's value and delta-method SE per kind: "est" (unstandardized, defined
    parameters evaluated: the SE of a ``:=`` row) and the standardized kinds (lavaan's
    ``standardizedSolution(type = ...)``); one forward-mode pass per kind. ``duals``: the
    :func:`model_duals` of (cm, theta) when already computed.

    Example:
        >>> out = values_and_se(fit.model, fit.theta, fit.vcov, ["std.all"])  # doctest: +SKIP
        >>> est, se = out["std.all"]  # doctest: +SKIP
    """
    vals, E = model_duals(cm, theta) if duals is None else duals
    plan, dplan = std_plan(cm), defined_plan(cm)
    out = {}
    for kind in kinds:
        if kind == "est":
            res = evaluate_defined(dplan, fw.Dual(vals.v.copy(), vals.d.copy()))
        else:
            res = standardize_values(plan, kind, vals, E, dplan)
        out[kind] = (res.v, delta_se(res.d, vcov))
    return out


def standardize_kinds(cm: CompiledModel, theta: np.ndarray, kinds=KINDS) -> dict[str, np.ndarray]:
    """std.lv / std.all / std.nox values of every row from one evaluation of the implied
    moments (no SEs)."""
    E = sd_vector(*_implied_sds(cm, theta))
    vals = parameter_values(cm, theta)
    plan, dplan = std_plan(cm), defined_plan(cm)
    return {kind: standardize_values(plan, kind, vals, E, dplan) for kind in kinds}
