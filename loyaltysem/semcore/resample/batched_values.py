"""What each bootstrap draw or Monte Carlo replication reports, for B parameter vectors at
once: every parameter-table row's value (fixed values, fixed.x covariates' sample moments,
defined ``:=`` parameters), its std.all value, the indirect/total effects and HTMT.

Values, std.all and ``:=`` come from the one implementation in
:mod:`loyaltysem.semcore.inference.standardized` (``parameter_values``,
``standardize_values``, ``evaluate_defined``) on a stack of parameter vectors, with each draw's
implied SDs from ``batched.BatchImplied``; the effects are ``effects.effect_values`` and
``effect_jacobian`` (products of path coefficients; Alwin & Hauser 1975) on columns, and the
HTMT is that of Henseler, Ringle & Sarstedt (2015) from each data set's correlation matrix.
"""

from __future__ import annotations

import numpy as np

from loyaltysem.semcore.inference import standardized as stdz


class BatchValues:
    """Per-draw statistics of a compiled model (the columns of ``bootstrap._Spec.values``)."""

    def __init__(self, cm, effects=(), keep=None, htmt_pairs=()):
        arr = stdz.table_arrays(cm)
        self.cm = cm
        self.nrow = len(arr["op"])
        free = arr["free"] > 0
        self.free_rows = np.where(free)[0]
        self.free_theta = arr["free"][free] - 1
        self.keep = np.ones(self.nrow, dtype=bool) if keep is None else np.asarray(keep)
        self.effects = list(effects)
        self.htmt_pairs = list(htmt_pairs)
        self.std_plan = stdz.std_plan(cm)
        self.defined = stdz.defined_plan(cm)
        self._exo_plan(arr)
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
        vals = stdz.parameter_values(self.cm, theta)
        if mom is not None:
            for k, g, i, j in self.exo:
                vals[:, k] = mom.mean[g][:, i] if j < 0 else mom.cov[g][:, i, j]
        return stdz.evaluate_defined(self.defined, vals)

    def std_all(self, raw: np.ndarray, implied: list) -> np.ndarray:
        """std.all value of every row (``standardized.standardize_values``) from the raw
        values and each group's implied moments (``batched.BatchImplied``)."""
        with np.errstate(invalid="ignore"):
            sd = [np.sqrt(np.clip(imp.var_all, 0, None)) for imp in implied]
            rsd = [np.sqrt(np.clip(imp.s_diag, 0, None)) for imp in implied]
        E = stdz.sd_vector(sd, rsd)
        return stdz.standardize_values(self.std_plan, "std.all", raw, E, self.defined)

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
