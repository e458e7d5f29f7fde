"""Nonparametric bootstrap of a fitted SEM: parameters, standardized values, defined
parameters and indirect effects, with percentile, bias-corrected (BC) and BCa intervals,
and the Bollen-Stine bootstrap p-value of the chi-square.

Each draw resamples respondents with replacement (within groups) and refits the model from
the full-sample solution. Draws are refitted in batches (``batched.bfgs_batch``: the BFGS of
``compiled.bfgs_refit``, seeded with the full-sample inverse Hessian, on stacked arrays, so
numpy's call overhead is paid per batch); a draw the batch does not bring to convergence is
refitted one at a time (BFGS, then Newton with the analytic observed Hessian, then the main
engine's Fisher scoring), and a draw that still fails is counted and reported, never silently
dropped. FIML draws are refitted one at a time. The BCa jackknife's leave-one-out refits run
in batches the same way. Each draw has its own seed spawned from the user's seed
(``numpy.random.SeedSequence``) and its result does not depend on its batch, so the intervals
are identical whatever the batch size or the number of workers. Where the draws run (this
process, joblib worker processes, a dask.distributed ``Client``) is decided by
:mod:`loyaltysem.semcore.resample.parallel`.

Models with ordered items (WLSMV, ULSMV, WLS, ...) are bootstrapped draw by draw by
:mod:`loyaltysem.semcore.resample.bootstrap_ordinal` (each draw recomputes thresholds, polychoric
correlations and the weight matrix, as lavaan's ``lav_bootstrap_internal``); the seeding,
the workers and the intervals are the same.

Intervals (Efron & Tibshirani 1993; Davison & Hinkley 1997): percentile and BC use the
boot package's normal-scale interpolation of order statistics (``norm.inter``), as lavaan's
``boot.ci.type = "perc"`` and ``"bca.simple"``; BCa adds the jackknife acceleration.
Bollen & Stine (1992): the data are rotated to fit the model exactly before resampling.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyaltysem.base import dist as _dist
from loyaltysem.base import validate
from loyaltysem.base.blas import single_threaded
from loyaltysem.base.fileio import to_jsonable
from loyaltysem.base.notice import Notice
from loyaltysem.base.result import ResultMixin, summary_html
from loyaltysem.semcore.estimate.optimizer import fisher_scoring, refit_fiml
from loyaltysem.semcore.inference import standardized as stdz
from loyaltysem.semcore.inference.effects import Effect, effect_definitions, effect_values
from loyaltysem.semcore.model.compiled import (
    GroupData,
    bfgs_refit,
    ml_discrepancy,
    ml_observed_hessian,
    newton_refit,
    set_exo_values,
)

CI_TYPES = ("percentile", "bc", "bca")
CI_NAMES = {"percentile": "percentile", "bc": "bias-corrected", "bca": "BCa"}


def check_ci(ci: str) -> str:
    """The interval type, checked: "percentile", "bc" or "bca"."""
    if ci not in CI_TYPES:
        raise ValueError(f"ci must be one of {', '.join(CI_TYPES)}, not {ci!r}")
    return ci


# ----------------------------------------------------------------------------- refitting


def refit(cm, data, theta0, hess_inv0=None, tol: float = 1e-7):
    """BFGS refit from the full-sample solution seeded with its inverse Hessian; Newton with
    the analytic observed Hessian if that fails; then the main engine's Fisher scoring
    (at most 60 steps).
    Returns (theta, converged)."""
    try:
        if hess_inv0 is not None:
            theta, ok, _ = bfgs_refit(cm, data, theta0, hess_inv0, tol=tol)
            if ok:
                return theta, True
        theta, ok, _ = newton_refit(cm, data, theta0, tol=tol)
        if ok:
            return theta, True
        # from the full-sample solution scoring converges in a few dozen steps or not at all
        # (an improper draw): 60 steps, not the main fit's 500, keep failed draws cheap
        theta, ok, _ = fisher_scoring(cm, data, theta0, max_iter=60)
        return theta, ok
    except Exception:  # noqa: BLE001 - a failed draw is counted, not raised
        return theta0, False


def _is_fiml(data) -> bool:
    return bool(data) and hasattr(data[0], "patterns")


def _draw_model(cm, data):
    """The model with the fixed.x covariates' moments of this draw (lavaan refits a model
    with observed covariates from the draw's own sample statistics); the model itself when
    there are no covariates."""
    if not cm.exo_index:
        return cm
    out = copy.copy(cm)
    out.cache = {k: cm.cache[k] for k in ("arrays", "exo_index") if k in cm.cache}
    set_exo_values(out, data)
    return out


def _refit_draw(cm, data, theta0, hess_inv0):
    """Refit one draw: ``refit`` for complete data, the FIML refit (scoring and Newton steps
    with the draw's own information) for incomplete data."""
    if not _is_fiml(data):
        return refit(cm, data, theta0, hess_inv0)

    try:
        return refit_fiml(cm, data, theta0)
    except Exception:  # noqa: BLE001 - a failed draw is counted, not raised
        return theta0, False


def _group_data(x: np.ndarray, fiml: bool):
    if fiml:
        from loyaltysem.semcore.estimate.fiml import FimlData

        return FimlData.from_array(x, em=False)  # the EM moments are not needed for a refit
    return GroupData.from_array(x)


# ----------------------------------------------------------------------------- statistics


@dataclass
class _Spec:
    """What each draw computes: every parameter-table row (unstandardized and std.all) and
    every effect."""

    cm: object
    effects: list[Effect]
    keep: np.ndarray  # rows of the parameter table reported (no == constraints)
    htmt_pairs: list = field(default_factory=list)  # (name, item indices a, item indices b)
    fiml: bool = False  # refit each draw by FIML (incomplete data)
    ml: bool = True  # normal-theory ML estimates (ML, MLR): the batched engine applies

    def htmt_values(self, raw: np.ndarray) -> np.ndarray:
        """HTMT of each construct pair on one (resampled) data set (Henseler et al. 2015)."""
        if not self.htmt_pairs:
            return np.zeros(0)
        R = np.abs(np.corrcoef(raw, rowvar=False))
        out = []
        for _, a, b in self.htmt_pairs:
            mono_a = R[np.ix_(a, a)][np.triu_indices(len(a), 1)].mean()
            mono_b = R[np.ix_(b, b)][np.triu_indices(len(b), 1)].mean()
            out.append(R[np.ix_(a, b)].mean() / np.sqrt(mono_a * mono_b))
        return np.array(out)

    def values(self, theta, raw: np.ndarray | None = None, cm=None) -> np.ndarray:
        data_raw = raw
        cm = self.cm if cm is None else cm  # a draw's model (its own covariate moments)
        pt = stdz.table_arrays(cm)
        raw = stdz.all_values(cm, theta)
        std = stdz.standardize(cm, theta, "std.all")
        eff = effect_values(pt, raw, self.effects)
        eff_std = effect_values(pt, std, self.effects)
        parts = [raw[self.keep], std[self.keep], eff, eff_std]
        if self.htmt_pairs:
            parts.append(self.htmt_values(data_raw))
        return np.concatenate(parts)


def _resample(groups_raw, rng, fiml: bool = False) -> list[GroupData]:
    out = []
    for x in groups_raw:
        idx = rng.integers(0, len(x), len(x))
        out.append(_group_data(x[idx], fiml))
    return out


def _one_draw(spec, data, theta0, hess_inv0, bollen_stine, k):
    """Refit one resampled data set one at a time. Returns (values, converged, chi-square)."""
    try:
        cm = _draw_model(spec.cm, data)
        theta, conv = _refit_draw(cm, data, theta0, hess_inv0)
    except Exception:  # noqa: BLE001 - e.g. a resample with a constant item
        conv = False
    if not conv:
        return np.full(k, np.nan), False, np.nan
    vals = spec.values(theta, data[0].raw if len(data) == 1 else None, cm)
    chisq = np.nan
    if bollen_stine:
        chisq = sum(d.n for d in data) * ml_discrepancy(cm, data, theta)
    return vals, True, chisq


def _batched_refits(spec, groups_raw, rows, theta0, hess_inv0, k, tried=None):
    """Refit B data sets (``rows[b][g]``: the rows of group g in data set b) together with
    the batched engine (``batched.bfgs_batch``: the BFGS of ``refit`` on stacked arrays).
    Returns (values, converged, chi-square); draws it does not bring to convergence are
    left for the one-at-a-time path. ``tried`` (B booleans, optional) is set where the
    batch ran its BFGS to the end (its stopping rule or 200 iterations)."""
    from loyaltysem.semcore.resample.batched import BatchModel, bfgs_batch, resampled_moments
    from loyaltysem.semcore.resample.batched_values import BatchValues

    b = len(rows)
    vals, ok, chisq = np.full((b, k), np.nan), np.zeros(b, dtype=bool), np.full(b, np.nan)
    try:
        bm = BatchModel(spec.cm)
        bv = BatchValues(spec.cm, spec.effects, spec.keep, spec.htmt_pairs)
        mom = resampled_moments(groups_raw, rows)
        rows = np.where(np.all([np.isfinite(ld) for ld in mom.logdet], axis=0))[0]
        mom = mom.take(rows)  # a resample with a constant item: one at a time
        fit = bfgs_batch(bm, mom, theta0, hess_inv0)
        if tried is not None:
            tried[rows] = True
        conv = np.where(fit.converged)[0]
        mom = mom.take(conv)
        good = rows[conv]
        vals[good] = bv.values(fit.theta[conv], mom, bm)
        chisq[good] = sum(mom.n) * fit.f[conv]
        ok[good] = True
    except Exception:  # noqa: BLE001 - the whole batch goes the one-at-a-time way
        ok[:] = False
    return vals, ok, chisq


def _batchable(spec, hess_inv0) -> bool:
    return spec.ml and not spec.fiml and hess_inv0 is not None


def _chunk_draws(spec, groups_raw, theta0, hess_inv0, bollen_stine, seeds):
    return _run_draws(spec, groups_raw, theta0, hess_inv0, seeds, bollen_stine)


@single_threaded
def _run_draws(spec, groups_raw, theta0, hess_inv0, seeds, bollen_stine):
    """Worker: one chunk of draws, refitted together by the batched engine; FIML draws and
    draws the batch does not bring to convergence are refitted one at a time (``refit``:
    BFGS, Newton, Fisher scoring; without the BFGS where the batch has run that BFGS step
    for step already: it would end where the batch's did, at 0.1 s a draw).
    Returns (values, converged flags, chi-squares)."""
    fiml = spec.fiml
    k = len(spec.values(theta0, groups_raw[0]))
    indices = []
    for seed in seeds:  # the draw's resample, whatever path refits it
        rng = np.random.default_rng(seed)
        indices.append([rng.integers(0, len(x), len(x)) for x in groups_raw])
    tried = np.zeros(len(seeds), dtype=bool)
    if _batchable(spec, hess_inv0):
        vals, ok, chisq = _batched_refits(
            spec, groups_raw, indices, theta0, hess_inv0, k, tried=tried
        )
    else:
        vals, ok = np.full((len(seeds), k), np.nan), np.zeros(len(seeds), dtype=bool)
        chisq = np.full(len(seeds), np.nan)
    for b in np.where(~ok)[0]:
        try:
            data = [_group_data(x[ix], fiml) for x, ix in zip(groups_raw, indices[b], strict=True)]
        except Exception:  # noqa: BLE001 - e.g. a resample with a constant item
            continue
        seed_h = None if tried[b] else hess_inv0  # None: Newton, then scoring
        vals[b], ok[b], chisq[b] = _one_draw(spec, data, theta0, seed_h, bollen_stine, k)
    if not bollen_stine:
        chisq[:] = np.nan
    return vals, ok, chisq


# ----------------------------------------------------------------------------- intervals


def norm_inter(t: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Quantiles of bootstrap draws with interpolation on the normal scale (boot::norm.inter;
    Davison & Hinkley 1997, eq. 5.8), lavaan's choice for percentile and BC intervals."""
    t = np.sort(t[np.isfinite(t)])
    R = len(t)
    alpha = np.asarray(alpha, dtype=float)
    rk = (R + 1) * alpha
    k = np.trunc(rk).astype(int)
    out = np.empty(len(rk))
    for i in range(len(rk)):
        if k[i] == rk[i] and 0 < k[i] <= R:
            out[i] = t[k[i] - 1]
        elif k[i] <= 0:
            out[i] = t[0]
        elif k[i] >= R:
            out[i] = t[-1]
        else:
            z, z1, z2 = _dist.norm_ppf(np.array([alpha[i], k[i] / (R + 1), (k[i] + 1) / (R + 1)]))
            tk, tk1 = t[k[i] - 1], t[k[i]]
            out[i] = tk + (z - z1) / (z2 - z1) * (tk1 - tk)
    return out


def interval(t: np.ndarray, t0: float, kind: str, level: float, accel: float = 0.0):
    """Bootstrap confidence interval of one statistic: percentile, BC or BCa (the levels of
    ``dist.bca_levels``), read with boot's norm.inter as lavaan does."""
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    t = t[np.isfinite(t)]
    if len(t) < 2:
        return np.nan, np.nan
    if kind == "percentile":
        lo, hi = norm_inter(t, alpha)
        return lo, hi
    adj = _dist.bca_levels(t[:, None], t0, accel if kind == "bca" else 0.0, level)[:, 0]
    if np.isnan(adj).any():  # every draw on one side of the estimate
        return np.nan, np.nan
    lo, hi = norm_inter(t, adj)
    return lo, hi


@single_threaded
def jackknife_values(spec, groups_raw, theta0, hess_inv0=None, batch_size: int = 256):
    """Every statistic refitted without each respondent in turn (rows: respondents, group by
    group). The refits run in batches; those the batch does not bring to convergence, and
    FIML refits, one at a time."""
    k = len(spec.values(theta0, groups_raw[0]))
    cases = [(g, i) for g, x in enumerate(groups_raw) for i in range(len(x))]
    jack = np.full((len(cases), k), np.nan)
    ok = np.zeros(len(cases), dtype=bool)
    every = [np.arange(len(y)) for y in groups_raw]
    if _batchable(spec, hess_inv0):
        for start in range(0, len(cases), batch_size):
            part = cases[start : start + batch_size]
            rows = [
                [np.delete(every[h], i) if h == g else every[h] for h in range(len(every))]
                for g, i in part
            ]
            vals, conv, _ = _batched_refits(spec, groups_raw, rows, theta0, hess_inv0, k)
            jack[start : start + len(part)], ok[start : start + len(part)] = vals, conv
    for r in np.where(~ok)[0]:
        g, i = cases[r]
        data = [
            _group_data(np.delete(y, i, axis=0) if h == g else y, spec.fiml)
            for h, y in enumerate(groups_raw)
        ]
        jack[r] = _one_draw(spec, data, theta0, hess_inv0, False, k)[0]
    return jack


def jackknife_acceleration(spec, groups_raw, theta0, hess_inv0=None) -> np.ndarray:
    """BCa acceleration a = sum(d^3) / (6 (sum d^2)^1.5), d = mean(jack) - jack_i."""
    jack = jackknife_values(spec, groups_raw, theta0, hess_inv0)
    return _dist.bca_acceleration(jack)


# ----------------------------------------------------------------------------- driver


@dataclass(repr=False)
class BootstrapResult(ResultMixin):
    """The bootstrap of a fitted model: one row per statistic in ``table`` (``name``, ``kind``
    (parameter, defined, indirect, total indirect, total, direct, htmt), ``lhs op rhs group
    label``, ``scale`` (est or std.all), ``est``, ``boot.se``, ``ci.lower``, ``ci.upper`` and
    ``ci``, the interval type: "percentile", "bc" or "bca"); ``draws`` (one row per
    successful draw, one column per table row); :meth:`intervals` gives the table with
    another interval type from the same draws."""

    n_boot: int
    n_failed: int
    seed: int | None
    level: float
    table: pd.DataFrame  # one row per statistic
    draws: np.ndarray = field(repr=False)
    bollen_stine_pvalue: float | None = None
    failures: dict[str, int] = field(default_factory=dict)  # ordered items: by cause
    ci: str = "percentile"
    accel: np.ndarray | None = field(default=None, repr=False)  # BCa's jackknife acceleration

    @property
    def warnings(self) -> list[str]:
        if not self.n_failed:
            return []
        k, n = int(self.n_failed), int(self.n_boot)
        if self.failures:
            empty = int(self.failures["sample statistics"])
            nonconv = int(self.failures["no convergence"])
            msg = (
                f"{k} of {n} bootstrap draws failed and were left out of the intervals, as "
                f"lavaan drops them: {empty} with an ordered item's category empty in the "
                f"draw (or singular sample statistics), {nonconv} did not converge"
            )
            return [
                Notice("boot.failed_draws_ordinal", msg, k=k, n=n, empty=empty, nonconv=nonconv)
            ]
        msg = f"{k} of {n} bootstrap draws did not converge and were left out of the intervals"
        return [Notice("boot.not_converged", msg, k=k, n=n)]

    def intervals(self, ci: str | None = None) -> pd.DataFrame:
        """The table with ``ci.lower``/``ci.upper`` of the interval type ``ci`` ("percentile",
        "bc" or "bca"; None: the one asked for at the bootstrap), from the same draws. BCa
        needs the jackknife acceleration: ``bootstrap(..., ci="bca")``.

        Example:
            >>> boot.intervals("bc").query("kind == 'indirect'")  # doctest: +SKIP
        """
        ci = self.ci if ci is None else check_ci(ci)
        if ci == self.ci:
            return self.table.copy()
        if ci == "bca" and self.accel is None:
            raise ValueError("BCa intervals need the jackknife: bootstrap(..., ci='bca')")
        out = self.table.copy()
        est0 = out["est"].to_numpy(dtype=float)
        lo, hi = _limits(self.draws, est0, ci, self.level, self.accel)
        out["ci.lower"], out["ci.upper"], out["ci"] = lo, hi, ci
        return out

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def tables(self) -> dict[str, pd.DataFrame]:
        t = self.table
        est = t[t["scale"] == "est"]
        return {
            "parameters": est[est["kind"].isin(["parameter", "defined"])].reset_index(drop=True),
            "effects": est[est["op"] == "effect"].reset_index(drop=True),
            "standardized": t[t["scale"] == "std.all"].reset_index(drop=True),
        }

    def to_dict(self) -> dict:
        """The run (draws, failed, seed, ci, level: the ``bootstrap`` object of the ``fit``
        JSON) and the table's rows."""
        return to_jsonable(
            {
                "draws": self.n_boot,
                "failed": self.n_failed,
                "seed": self.seed,
                "ci": self.ci,
                "level": self.level,
                "bollen_stine_pvalue": self.bollen_stine_pvalue,
                "warnings": self.warnings,
                "table": self.table.to_dict(orient="records"),
            }
        )

    def summary(self) -> str:
        head = (
            f"Bootstrap: {self.n_boot - self.n_failed} of {self.n_boot} draws, seed {self.seed}, "
            f"{100 * self.level:g}% {CI_NAMES[self.ci]} intervals"
        )
        if self.bollen_stine_pvalue is not None:
            head += f"; Bollen-Stine p = {self.bollen_stine_pvalue:.3f}"
        t = self.table
        rows = t[(t["scale"] == "est") & t["kind"].isin(["defined", "indirect", "total"])]
        if rows.empty:
            rows = t[(t["scale"] == "est") & (t["op"] == "~")]
        cols = ["name", "est", "boot.se", "ci.lower", "ci.upper"]
        lines = [head, "", rows[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")]
        return "\n".join(lines + [f"warning: {w}" for w in self.warnings])

    def _repr_html_(self) -> str:
        return summary_html(self.summary().split("\n")[0], {"effects": self.tables()["effects"]},
                            self.warnings)  # fmt: skip

    def plot(self, name: str | None = None, *, scale: str = "est"):
        """The bootstrap distribution of one statistic (a row ``name`` of the table, by
        default the first indirect effect): a histogram of its draws with the estimate and
        the interval marked. Returns a matplotlib Figure.

        Example:
            >>> fig = boot.plot("SAT => TRU => LOY")  # doctest: +SKIP
        """
        from loyaltysem.base.plotting import distribution_figure

        t = self.table
        rows = t[t["scale"] == scale]
        if name is None:
            pick = rows[rows["kind"] == "indirect"]
            rows = pick if len(pick) else rows[rows["kind"] != "parameter"]
            if rows.empty:
                rows = t[t["scale"] == scale]
            j = int(rows.index[0])
        else:
            hit = rows.index[rows["name"] == name]
            if not len(hit):
                raise ValueError(f"no bootstrapped statistic named {name!r}")
            j = int(hit[0])
        r = t.loc[j]
        return distribution_figure(
            self.draws[:, j], float(r["est"]), (float(r["ci.lower"]), float(r["ci.upper"])),
            title=f"{r['name']} ({CI_NAMES[self.ci]}, {100 * self.level:g}%)",
        )  # fmt: skip


def _raw_groups(result) -> list[np.ndarray]:
    groups = []
    for d in result.data:
        if d.raw is None or (result.missing != "fiml" and np.isnan(d.raw).any()):
            raise ValueError("the bootstrap needs the raw data of the fit")
        groups.append(d.raw)
    return groups


def _bollen_stine_data(result, groups_raw) -> list[np.ndarray]:
    from scipy import linalg  # only Bollen-Stine needs scipy.linalg (0.3 s to import)

    out = []
    for x, imp, d in zip(groups_raw, result.implied_moments, result.data, strict=True):
        s_inv_half = linalg.inv(linalg.sqrtm(d.cov)).real
        sig_half = linalg.sqrtm(imp.sigma).real
        z = (x - d.mean) @ s_inv_half @ sig_half + (imp.mu if result.model.meanstructure else 0)
        out.append(z)
    return out


@single_threaded  # small matrices: BLAS threads cost more than they save
def bootstrap(
    result,
    n_boot: int = 1000,
    *,
    seed: int | None = validate.DEFAULT_SEED,
    level: float = 0.95,
    ci: str = "percentile",
    bollen_stine: bool = False,
    n_jobs: int | None = None,
    client=None,
    progress: bool = False,
    chunk_size: int | None = None,
    htmt: dict[str, list[str]] | None = None,
) -> BootstrapResult:
    """Bootstrap every parameter, standardized parameter and effect of a fitted model.

    ``n_boot`` draws (1000, as ``loyaltysem run``), seeded by ``seed`` (the project's default
    seed; None: a fresh one); ``ci``: the interval in ``table["ci.lower"/"ci.upper"]``:
    "percentile" (lavaan's default), "bc" (bias-corrected) or "bca" (adds the jackknife);
    :meth:`BootstrapResult.intervals` gives the others from the same draws.

    Example:
        >>> boot = bootstrap(fit, 2000, seed=1)                       # doctest: +SKIP
        >>> boot.table.query("kind == 'indirect'")[["name", "est", "boot.se",
        ...     "ci.lower", "ci.upper"]]                              # doctest: +SKIP
    """
    ci = check_ci(ci)
    bca = ci == "bca"
    n_boot, seed, n_jobs = _check_arguments(result, n_boot, seed, n_jobs, bollen_stine, htmt)
    cm = _lean_model(result.model)
    ordinal = is_ordinal(result)  # ordered items: bootstrap_ordinal's draws
    if ordinal:
        from loyaltysem.semcore.resample import bootstrap_ordinal as bso
    groups_raw = bso.ordinal_groups(result) if ordinal else _raw_groups(result)
    spec = _draw_spec(cm, result, _htmt_pairs(cm, htmt, len(groups_raw)))
    theta0 = result.theta
    est0 = spec.values(theta0, None if ordinal else groups_raw[0])
    validate.memory(8.0 * n_boot * (len(est0) + len(theta0)) * 2, f"{n_boot:,} bootstrap draws")
    hess_inv0 = None  # FIML refits use each draw's own information
    if result.missing != "fiml" and not ordinal:
        hess_inv0 = np.linalg.inv(ml_observed_hessian(cm, result.data, theta0))

    if ordinal:  # the refits' metric, computed once and carried to every worker
        bso.full_metric(cm, groups_raw, theta0)
    chunks = _seed_chunks(seed, n_boot, chunk_size, ordinal)
    sample_sets = [groups_raw]
    if bollen_stine:
        sample_sets.append(_bollen_stine_data(result, groups_raw))

    outputs = _run_sample_sets(
        spec,
        sample_sets,
        theta0,
        hess_inv0,
        chunks,
        result,
        n_jobs=n_jobs,
        client=client,
        progress=progress,
    )
    vals = np.vstack([o[0] for o in outputs[0]])
    ok = np.concatenate([o[1] for o in outputs[0]])
    bs_p = _bollen_stine_p(outputs[1], result) if bollen_stine else None

    draws = vals[ok]
    accel = _acceleration(spec, groups_raw, theta0, hess_inv0, result) if bca else None
    table = _interval_table(spec, est0, draws, level, accel, ci)
    return BootstrapResult(
        n_boot=n_boot,
        n_failed=int((~ok).sum()),
        seed=seed,
        level=level,
        table=table,
        draws=draws,
        bollen_stine_pvalue=bs_p,
        failures=bso.failure_counts(np.concatenate([o[3] for o in outputs[0]])) if ordinal else {},
        ci=ci,
        accel=accel,
    )


def _draw_spec(cm, result, pairs: list) -> _Spec:
    """What each draw computes for this fit: the reported rows (no ==, <, > constraints),
    every effect and the HTMT pairs."""
    pt = cm.pt
    keep = ~pt["op"].isin(["==", "<", ">"]).to_numpy()
    ml = result.options.likelihood  # ML estimates: the batched engine applies
    return _Spec(cm, effect_definitions(pt), keep, pairs, result.missing == "fiml", ml)


def _seed_chunks(seed: int, n_boot: int, chunk_size: int | None, ordinal: bool) -> list:
    """One child seed per draw (the same draws for any chunking or number of workers), in
    chunks of ``chunk_size`` (default 250; 10 for ordered items, ~0.2 s a draw)."""
    if chunk_size is None:  # ordered items: ~0.2 s a draw, so workers are chosen early
        chunk_size = 10 if ordinal else 250
    children = np.random.SeedSequence(seed).spawn(n_boot)
    return [children[i : i + chunk_size] for i in range(0, n_boot, chunk_size)]


def _run_sample_sets(
    spec: _Spec,
    sample_sets: list,
    theta0: np.ndarray,
    hess_inv0: np.ndarray | None,
    chunks: list,
    result,
    *,
    n_jobs: int | None,
    client,
    progress: bool,
) -> list:
    """The chunks' outputs for each sample set (the data; with Bollen-Stine also the data
    transformed to fit the model), the chunks run in this process or in workers."""
    from functools import partial

    from loyaltysem.semcore.resample.parallel import run_chunks

    ordinal = is_ordinal(result)
    if ordinal:
        from loyaltysem.semcore.resample import bootstrap_ordinal as bso
    outputs = []
    for k, raw in enumerate(sample_sets):
        work = partial(_chunk_draws, spec, raw, theta0, hess_inv0, k == 1)
        if ordinal:
            work = partial(bso.ordinal_chunk, spec, raw, theta0, bso.weight_name(result), False)
        desc = "Bollen-Stine" if k else "bootstrap"
        outputs.append(
            run_chunks(work, chunks, n_jobs=n_jobs, client=client, progress=progress, desc=desc)
        )
    return outputs


def _bollen_stine_p(outputs: list, result) -> float:
    """Bollen-Stine p: the share of the transformed data's draws whose chi-square is at
    least the fit's (Bollen & Stine 1992)."""
    chis = np.concatenate([o[2] for o in outputs])
    chis = chis[np.isfinite(chis)]
    chisq = result.fit_measures["chisq"]
    return float(np.mean(chis >= chisq)) if len(chis) else float("nan")


def _acceleration(
    spec: _Spec, groups_raw: list, theta0: np.ndarray, hess_inv0: np.ndarray | None, result
) -> np.ndarray:
    """The BCa acceleration from the jackknife (Efron & Tibshirani 1993, eq. 14.15)."""
    if is_ordinal(result):
        from loyaltysem.semcore.resample import bootstrap_ordinal as bso

        jack = bso.ordinal_jackknife(spec, groups_raw, theta0, bso.weight_name(result))
        return _dist.bca_acceleration(jack)
    return jackknife_acceleration(spec, groups_raw, theta0, hess_inv0)


def _lean_model(cm):
    """The compiled model without the entries of its cache keyed by a parameter vector (the
    fit's Jacobians and information matrices at each of its steps: 50 MB for the example's
    WLSMV fit), which each chunk of draws would otherwise carry to its worker process."""
    out = copy.copy(cm)
    out.cache = {k: v for k, v in cm.cache.items() if not isinstance(k, tuple)}
    return out


def is_ordinal(result) -> bool:
    """Whether a fitted model's data are ordered items' two-step statistics (then the draws
    are :mod:`.bootstrap_ordinal`'s, imported only then: it loads scipy, 0.3 s)."""
    return bool(result.data) and hasattr(result.data[0], "weight")


def _check_arguments(result, n_boot, seed, n_jobs, bollen_stine: bool, htmt):

    n_boot = validate.count(
        n_boot,
        "n_boot",
        1,
        validate.MAX_DRAWS,
        "more draws do not move a 95% interval's bounds beyond Monte Carlo error",
    )
    if result.missing == "fiml" and bollen_stine:
        raise ValueError(
            "the Bollen-Stine bootstrap is not available with missing data (FIML), as in "
            "lavaan; use the ordinary bootstrap or listwise deletion"
        )
    if is_ordinal(result) and (bollen_stine or htmt):
        raise ValueError(
            "the Bollen-Stine bootstrap and bootstrap HTMT are not available for ordered "
            "items (lavaan: bollen.stine not available for categorical data)"
        )
    if result.missing == "fiml" and htmt:
        raise ValueError("bootstrap HTMT needs complete data (listwise deletion)")
    return n_boot, validate.seed(seed), validate.workers(n_jobs)


def _htmt_pairs(cm, htmt: dict[str, list[str]] | None, ngroups: int) -> list:
    """(name, items of A, items of B) for every pair of constructs whose HTMT is wanted."""
    if not htmt:
        return []
    if ngroups > 1:
        raise ValueError("bootstrap HTMT is for single-group models")
    ov = cm.mv.ov
    idx = {c: [ov.index(i) for i in items] for c, items in htmt.items()}
    names = list(idx)
    return [(f"{a}-{b}", idx[a], idx[b]) for i, a in enumerate(names) for b in names[i + 1 :]]


def _limits(draws, est0, ci: str, level: float, accel) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of the ``ci`` interval of every column of ``draws``."""
    lo_hi = [
        interval(draws[:, j], est0[j], ci, level, 0.0 if accel is None else accel[j])
        for j in range(len(est0))
    ]
    limits = np.array(lo_hi, dtype=float).reshape(len(est0), 2)
    return limits[:, 0], limits[:, 1]


def _interval_table(spec, est0, draws, level: float, accel, ci: str) -> pd.DataFrame:
    """Estimate, bootstrap SE and the ``ci`` interval (percentile, BC or BCa) of every value."""
    names, kinds, rows = _labels(spec)
    se = np.nanstd(draws, axis=0, ddof=1) if len(draws) > 1 else np.full(len(est0), np.nan)
    table = pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group", "label", "scale"])
    table.insert(0, "name", names)
    table.insert(1, "kind", kinds)
    table["est"] = est0
    table["boot.se"] = se
    table["ci.lower"], table["ci.upper"] = _limits(draws, est0, ci, level, accel)
    table["ci"] = ci
    return table


def _labels(spec: _Spec):
    pt = spec.cm.pt[spec.keep]
    names, kinds, rows = [], [], []
    for scale in ("est", "std.all"):
        for r in pt.itertuples(index=False):
            names.append(f"{r.lhs} {r.op} {r.rhs}".strip())
            kinds.append("parameter" if r.op != ":=" else "defined")
            rows.append((r.lhs, r.op, r.rhs, r.group, r.label, scale))
    for scale in ("est", "std.all"):
        for e in spec.effects:
            names.append(e.name)
            kinds.append(e.kind)
            rows.append((e.target, "effect", e.source, 1, "", scale))
    for name, _, _ in spec.htmt_pairs:
        a, b = name.split("-", 1)
        names.append(f"HTMT {name}")
        kinds.append("htmt")
        rows.append((a, "htmt", b, 1, "", "est"))
    return names, kinds, rows


def fill_intervals(estimates: pd.DataFrame, boot: BootstrapResult, ci: str | None = None):
    """Replace ci.lower/ci.upper (and add boot.se) in a parameterEstimates table with the
    bootstrap's ``ci`` interval (None: the one the bootstrap was run with)."""
    t = boot.intervals(ci)
    t = t[(t["scale"] == "est") & t["op"].ne("effect")]
    key = ["lhs", "op", "rhs", "group"]
    out = estimates.copy()
    t = t.assign(group=np.where(t["op"] == ":=", 0, t["group"]))
    merged = out[key].merge(t[key + ["boot.se", "ci.lower", "ci.upper"]], on=key, how="left")
    out["ci.lower"] = merged["ci.lower"].to_numpy()
    out["ci.upper"] = merged["ci.upper"].to_numpy()
    out["boot.se"] = merged["boot.se"].to_numpy()
    fixed = out["se"] == 0
    out.loc[fixed, ["ci.lower", "ci.upper"]] = out.loc[fixed, ["est", "est"]].to_numpy()
    return out
