"""What each bootstrap draw or Monte Carlo replication reports, for B parameter vectors at
once: every parameter-table row's value (fixed values, fixed.x covariates' sample moments,
defined ``:=`` parameters), its std.all value, the indirect/total effects and HTMT.

The same formulas as the one-at-a-time code, on columns instead of scalars:
``standardized.parameter_values`` / ``all_values`` / ``standardize(kind="std.all")`` (Bollen
1989, ch. 8; lavaan's ``standardizedSolution``), ``effects.effect_values`` and
``effect_jacobian`` (products of path coefficients; Alwin & Hauser 1975), and the HTMT of
Henseler, Ringle & Sarstedt (2015) from each data set's correlation matrix.
"""

from __future__ import annotations

import numpy as np

from loyaltysem.semcore.inference import standardized as stdz

_NP_FUNCS = {"sqrt": np.sqrt, "exp": np.exp, "log": np.log, "abs": np.abs}
_SKIP = (":=", "==", "<", ">")


def _evaluate(expr: str, env: dict[str, np.ndarray], size: int) -> np.ndarray:
    """A ``:=`` expression on columns (``standardized.evaluate`` gives NaN where Python
    raises: division by zero, a math domain error or an overflow; here those are the
    non-finite results)."""
    code = compile(expr.replace("^", "**"), "<defined>", "eval")
    with np.errstate(all="ignore"):
        out = eval(code, {"__builtins__": {}}, {**_NP_FUNCS, **env})  # noqa: S307
    out = np.broadcast_to(np.asarray(out, dtype=float), (size,)).copy()
    out[~np.isfinite(out)] = np.nan
    return out


class BatchValues:
    """Per-draw statistics of a compiled model (the columns of ``bootstrap._Spec.values``)."""

    def __init__(self, cm, effects=(), keep=None, htmt_pairs=()):
        arr = stdz.table_arrays(cm)
        self.cm = cm
        self.nrow = len(arr["op"])
        free = arr["free"] > 0
        self.free_rows = np.where(free)[0]
        self.free_theta = arr["free"][free] - 1
        self.fixed = np.where(free, 0.0, arr["fixed"])
        self.keep = np.ones(self.nrow, dtype=bool) if keep is None else np.asarray(keep)
        self.effects = list(effects)
        self.htmt_pairs = list(htmt_pairs)
        self._exo_plan(arr)
        self._defined_plan(arr)
        self._std_plan(arr)
        self._effect_plan(arr)

    # ------------------------------------------------------------------ plans
    def _exo_plan(self, arr) -> None:
        """Rows whose value is a fixed.x covariate's sample moment (``set_exo_values``)."""
        self.exo = []  # (row, group index, i, j or -1 for a mean)
        if not self.cm.exo_index:
            return
        ov = {v: i for i, v in enumerate(self.cm.mv.ov)}
        pt = self.cm.pt
        for k in np.where((pt["exo"] == 1).to_numpy())[0]:
            op, g = arr["op"][k], int(arr["group"][k]) - 1
            if op == "~~":
                self.exo.append((k, g, ov[arr["lhs"][k]], ov[arr["rhs"][k]]))
            elif op == "~1":
                self.exo.append((k, g, ov[arr["lhs"][k]], -1))

    def _defined_plan(self, arr) -> None:
        """The label environment of ``standardized._label_values`` as row positions."""
        self.env_rows: dict[str, int] = {}
        for k in range(self.nrow):
            if arr["op"][k] in _SKIP:
                continue
            if arr["plabel"][k]:
                self.env_rows[arr["plabel"][k]] = k
            if arr["label"][k] and arr["label"][k] not in self.env_rows:
                self.env_rows[arr["label"][k]] = k
        self.defined = [(k, arr["lhs"][k], arr["rhs"][k]) for k in np.where(arr["op"] == ":=")[0]]

    def _std_plan(self, arr) -> None:
        """std.all of row k = value * E[num] / (E[den1] * E[den2]) with E the per-group
        implied SDs of all variables, then the residual SDs, then 1 (``standardize``)."""
        names = self.cm.mv.ov + self.cm.mv.lv
        n, G = len(names), self.cm.ngroups
        index = {v: i for i, v in enumerate(names)}
        one = 2 * n * G
        num = np.full(self.nrow, one)
        den = np.full((2, self.nrow), one)
        check = np.zeros(self.nrow, dtype=bool)
        skip = np.zeros(self.nrow, dtype=bool)
        for k in range(self.nrow):
            op, lhs, rhs = arr["op"][k], arr["lhs"][k], arr["rhs"][k]
            if op not in ("=~", "~", "~~", "~1"):
                skip[k] = True
                continue
            base = (int(arr["group"][k]) - 1) * n
            sd_l = base + index[lhs]
            sd_r = base + index[rhs] if op != "~1" else one
            if op == "=~":
                num[k], den[0, k] = sd_l, sd_r
            elif op == "~":
                num[k], den[0, k] = sd_r, sd_l
            elif op == "~~" and lhs != rhs:
                den[:, k] = (n * G + sd_l, n * G + sd_r)  # residual SDs
                check[k] = True
            else:  # a variance or an intercept
                den[:, k] = (sd_l, sd_r) if op == "~~" else (sd_l, one)
                check[k] = True
        self.std_num, self.std_den, self.std_check, self.std_skip = num, den, check, skip

    def _effect_plan(self, arr) -> None:
        """Each effect's paths as row positions of their coefficients (group 1)."""
        rows = np.where((arr["op"] == "~") & (arr["group"] == 1))[0]
        where = {(arr["rhs"][k], arr["lhs"][k]): k for k in rows}
        self.effect_rows = [
            [[where[e] for e in zip(path, path[1:], strict=False)] for path in eff.paths]
            for eff in self.effects
        ]

    # ------------------------------------------------------------------ values
    def raw(self, theta: np.ndarray, mom=None) -> np.ndarray:
        """Every row's value, defined parameters evaluated (``standardized.all_values`` with
        each data set's own covariate moments, as ``bootstrap._draw_model``)."""
        vals = np.repeat(self.fixed[None], len(theta), axis=0)
        vals[:, self.free_rows] = theta[:, self.free_theta]
        if mom is not None:
            for k, g, i, j in self.exo:
                vals[:, k] = mom.mean[g][:, i] if j < 0 else mom.cov[g][:, i, j]
        return self._with_defined(vals)

    def _with_defined(self, vals: np.ndarray) -> np.ndarray:
        if not self.defined:
            return vals
        env = {name: vals[:, k] for name, k in self.env_rows.items()}
        for k, lhs, rhs in self.defined:
            vals[:, k] = _evaluate(rhs, env, len(vals))
            env[lhs] = vals[:, k]
        return vals

    def std_all(self, raw: np.ndarray, implied: list) -> np.ndarray:
        """std.all value of every row (``standardized.standardize``) from the raw values and
        each group's implied moments (``batched.BatchImplied``)."""
        with np.errstate(invalid="ignore"):
            sd = [np.sqrt(np.clip(imp.var_all, 0, None)) for imp in implied]
            rsd = [np.sqrt(np.clip(imp.s_diag, 0, None)) for imp in implied]
        E = np.concatenate([*sd, *rsd, np.ones((len(raw), 1))], axis=1)
        denom = E[:, self.std_den[0]] * E[:, self.std_den[1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = raw * E[:, self.std_num] / denom
        bad = self.std_check[None, :] & ~(denom > 0)
        out[bad] = np.nan
        out[:, self.std_skip] = np.nan
        return self._with_defined(out)

    def effect_values(self, vals: np.ndarray) -> np.ndarray:
        """Each effect: the sum over its paths of the product of their coefficients."""
        out = np.empty((len(vals), len(self.effect_rows)))
        for e, paths in enumerate(self.effect_rows):
            total = np.zeros(len(vals))
            for rows in paths:
                prod = np.ones(len(vals))
                for k in rows:
                    prod = prod * vals[:, k]
                total = total + prod
            out[:, e] = total
        return out

    def effect_jacobian(self, vals: np.ndarray, npar: int) -> np.ndarray:
        """d effect / d theta by the product rule (``effects.effect_jacobian``), (B, m, q)."""
        free = np.zeros(self.nrow, dtype=int) - 1
        free[self.free_rows] = self.free_theta
        J = np.zeros((len(vals), len(self.effect_rows), npar))
        for e, paths in enumerate(self.effect_rows):
            for rows in paths:
                for j, k in enumerate(rows):
                    if free[k] < 0:
                        continue
                    others = rows[:j] + rows[j + 1 :]
                    prod = np.ones(len(vals))
                    for r in others:
                        prod = prod * vals[:, r]
                    J[:, e, free[k]] += prod
        return J

    def htmt(self, mom) -> np.ndarray:
        """HTMT of every construct pair from each data set's correlation matrix."""
        if not self.htmt_pairs:
            return np.zeros((mom.size, 0))
        cov = mom.cov[0]
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        R = np.abs(cov / (sd[:, :, None] * sd[:, None, :]))
        out = []
        for _, a, b in self.htmt_pairs:
            ia, ib = np.triu_indices(len(a), 1), np.triu_indices(len(b), 1)
            mono_a = R[:, a][:, :, a][:, ia[0], ia[1]].mean(axis=1)
            mono_b = R[:, b][:, :, b][:, ib[0], ib[1]].mean(axis=1)
            out.append(R[:, a][:, :, b].mean(axis=(1, 2)) / np.sqrt(mono_a * mono_b))
        return np.stack(out, axis=1)

    def values(self, theta: np.ndarray, mom, bm) -> np.ndarray:
        """The bootstrap's statistics of every draw: rows kept (raw, then std.all), effects
        (raw, then std.all) and HTMT, as ``bootstrap._Spec.values``."""
        raw = self.raw(theta, mom)
        std = self.std_all(raw, bm.implied(theta, mom))
        parts = [
            raw[:, self.keep],
            std[:, self.keep],
            self.effect_values(raw),
            self.effect_values(std),
        ]
        if self.htmt_pairs:
            parts.append(self.htmt(mom))
        return np.concatenate(parts, axis=1)
