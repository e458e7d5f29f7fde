"""``pls()``: estimate and assess a PLS path model (SmartPLS / seminr), optionally bootstrapped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.notice import Notice
from loyaltysem.base.validate import DEFAULT_SEED
from loyaltysem.pls import assess
from loyaltysem.pls.algorithm import (
    SCHEMES,
    Layout,
    check_mode_b,
    estimate,
    htmt,
    make_layout,
    total_effects,
)
from loyaltysem.pls.model import PLSModel, as_model
from loyaltysem.pls.result import PLSResult


def prepare_data(
    data, model: PLSModel, missing_codes=None, file: str | None = None
) -> tuple[np.ndarray, int]:
    """The model's item columns as floats (n, p) with NaN for missing; count of missing cells.

    Raises InputError naming the item for an absent, non-numeric, entirely missing or
    constant column.
    """
    if hasattr(data, "data") and isinstance(data.data, pd.DataFrame):
        file = file or getattr(data, "source", None)
        data = data.data
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a DataFrame or a Survey, not {type(data).__name__}")
    cols = []
    for item in model.items:
        if item not in data.columns:
            raise InputError(
                f"item {item} (construct {_owner(model, item)}) is not in the data",
                file=file,
                column=item,
            )
        s = pd.to_numeric(data[item], errors="coerce")
        bad = s.isna() & data[item].notna()
        if bad.any():
            pos = int(np.argmax(bad.to_numpy()))
            raise InputError(
                f"text '{data[item].iloc[pos]}' in a numeric item",
                file=file,
                column=item,
                row=pos + 2,
            )
        cols.append(s.to_numpy(dtype=float))
    X = np.column_stack(cols)
    codes = [float(c) for c in missing_codes or []]
    if codes:
        X[np.isin(X, codes)] = np.nan
    n_missing = int(np.isnan(X).sum())
    for i, item in enumerate(model.items):
        v = X[:, i][~np.isnan(X[:, i])]
        if len(v) == 0:
            raise InputError("the item is entirely missing", file=file, column=item)
        if v.min() == v.max():
            raise InputError(
                f"item {item} of construct {_owner(model, item)} is constant (every answer is "
                f"{v[0]:g}); PLS cannot standardize it",
                file=file,
                column=item,
            )
    return X, n_missing


def _owner(model: PLSModel, item: str) -> str:
    return next(c for c, items in model.constructs.items() if item in items)


def mean_replace(X: np.ndarray) -> np.ndarray:
    """seminr's ``mean_replacement``: each missing value becomes its item's mean."""
    mean = np.nanmean(X, axis=0)
    return np.where(np.isnan(X), mean, X)


def _f2(S: np.ndarray, model: PLSModel, r2: pd.Series, scheme: str, consistent: bool):
    """f^2 = (R^2 with - R^2 without) / (1 - R^2 with), the model re-estimated without each
    path (seminr's ``fSquared``; constructs left without paths drop out of the model)."""
    out = {}
    for s, t in model.paths:
        rest = [p for p in model.paths if p != (s, t)]
        used = {n for p in rest for n in p}
        without = 0.0
        if any(tt == t for _, tt in rest):
            cons = {c: i for c, i in model.constructs.items() if c in used}
            sub = PLSModel(cons, {c: model.modes[c] for c in cons}, rest, model.source)
            lay = make_layout(sub)
            pos = [model.items.index(i) for i in lay.items]
            est = estimate(S[np.ix_(pos, pos)][None], lay, scheme, consistent)
            without = float(est.r2[0, lay.endo.index(lay.constructs.index(t))])
        out[(t, s)] = (r2[t] - without) / (1 - r2[t])
    return out


def _frames(lay: Layout, est, S: np.ndarray, n: int) -> dict:
    """Point estimates and assessment tables of one estimated data set."""
    items, cons = list(lay.items), list(lay.constructs)
    W = pd.DataFrame(est.W[0], index=items, columns=cons)
    L = pd.DataFrame(est.L[0], index=items, columns=cons)
    paths = pd.DataFrame(est.paths[0], index=cons, columns=cons)
    endo = [cons[j] for j in lay.endo]
    r2 = pd.Series(est.r2[0], index=endo)
    k = pd.Series([len(p) for p in lay.preds], index=endo)
    r2_adj = 1 - (1 - r2) * (n - 1) / (n - k - 1)
    rc, ave = assess.rhoc_ave(est.L[0], lay)
    rel = pd.DataFrame(
        {"alpha": assess.alpha_table(S, lay), "rhoC": rc, "AVE": ave, "rhoA": est.rho_a[0]},
        index=cons,
    )
    C = pd.DataFrame(est.C[0], index=cons, columns=cons)
    fl = C.copy()
    for c in cons:
        fl.loc[c, c] = np.sqrt(rel.loc[c, "AVE"])
    fl = fl.where(np.tril(np.ones(fl.shape, dtype=bool)))
    ht = pd.DataFrame(htmt(S[None], lay)[0], index=cons, columns=cons)
    ht = ht.where(~np.eye(len(cons), dtype=bool))
    cross = pd.DataFrame(S @ est.W[0], index=items, columns=cons)
    return {
        "weights": W,
        "loadings": L,
        "paths": paths,
        "r2": r2,
        "r2_adj": r2_adj,
        "reliability": rel,
        "construct_correlations": C,
        "fornell_larcker": fl,
        "htmt": ht,
        "cross_loadings": cross,
        "vif_items": assess.item_vifs(S, lay),
        "vif_inner": assess.inner_vifs(est.C[0], lay),
        "total_effects": pd.DataFrame(total_effects(est.paths)[0], index=cons, columns=cons),
    }


def _add_q2(result: PLSResult, fit: dict, scheme, consistent, omission_distance) -> None:
    """Q^2 by blindfolding (with higher-order constructs: of the stage-2 model, on the
    items and the lower-order scores)."""
    from loyaltysem.pls.predict import blindfolding

    n = result.n
    result.q2 = blindfolding(fit["Zq"], fit["lay_q"], scheme, consistent, omission_distance)
    if n % omission_distance == 0:
        d = int(omission_distance)
        msg = (
            f"n = {n} is a multiple of the omission distance {d}: blindfolding leaves out "
            f"whole rows (choose another distance, e.g. {d + 1})"
        )
        result.warnings.append(Notice("pls.omission_multiple", msg, n=int(n), d=d))


def _fit(Z, S, model: PLSModel, scheme, consistent, max_iter, tol, file) -> dict:
    """Point estimates: the layout the statistics refer to, the estimates, their indicator
    correlations, the assessment frames and f^2 (both stages with higher-order constructs)."""
    if model.higher_order:
        fit = _fit_two_stage(Z, S, model, scheme, consistent, max_iter, tol, file)
    else:
        lay = make_layout(model)
        check_mode_b(S, lay, file)
        est = estimate(S[None], lay, scheme, consistent, max_iter, tol)
        fit = {"lay": lay, "est": est, "S": S, "Z": Z, "Zq": Z, "lay_q": lay, "plan": None}
    frames = _frames(fit["lay"], fit["est"], fit["S"], len(Z))
    if fit["plan"] is None:
        fit["f2"] = _f2(S, model, frames["r2"], scheme, consistent)
    else:
        from loyaltysem.pls.higher_order import f2_two_stage

        fit["f2"] = f2_two_stage(S, model, frames["r2"], scheme, consistent, max_iter, tol)
        stage2 = fit["stage2"]  # paths and effects among the constructs of stage 2
        frames["paths"] = frames["paths"].loc[stage2, stage2]
        frames["total_effects"] = frames["total_effects"].loc[stage2, stage2]
    fit["frames"] = frames
    return fit


def _fit_two_stage(Z, S, model: PLSModel, scheme, consistent, max_iter, tol, file) -> dict:
    """Both stages of the disjoint two-stage approach on the data's item correlations."""
    from loyaltysem.pls.higher_order import (
        VARIANT,
        estimate_two_stage,
        make_plan,
        score_columns,
    )

    plan = make_plan(model)
    est, Sc, est1, est2, _ = estimate_two_stage(
        S[None], plan, scheme, consistent, max_iter, tol, check=True, file=file
    )
    Za = score_columns(Z, plan, est1)
    info = {
        "method": "two-stage",
        "variant": VARIANT,
        "components": model.higher_order,
        "modes": {h: model.modes[h] for h in model.higher_order},
        "stage1_paths": list(plan.stage1_paths),
        "stage1_iterations": int(est1.iterations[0]),
        "stage1_converged": bool(est1.converged[0]),
        "stage1_r2": dict(zip([plan.lay1.constructs[j] for j in plan.lay1.endo],
                              map(float, est1.r2[0]), strict=True)),
    }  # fmt: skip
    return {
        "lay": plan.lay, "est": est, "S": Sc[0], "Z": Za[:, plan.posc], "plan": plan,
        "Zq": Za[:, plan.pos2], "lay_q": plan.lay2, "info": info,
        "stage2": list(plan.lay2.constructs),
    }  # fmt: skip


def _warnings(model: PLSModel, lay: Layout, frames: dict, est, n_missing, max_iter) -> list:
    out = []
    if not bool(est.converged[0]):
        msg = f"the PLS algorithm did not converge in {max_iter} iterations"
        out.append(Notice("pls.not_converged", msg, max_iter=int(max_iter)))
    if n_missing:
        msg = (
            f"{n_missing} missing answers replaced by the item mean (mean replacement, the "
            "SmartPLS and seminr default)"
        )
        out.append(Notice("pls.mean_replaced", msg, k=int(n_missing)))
    for k in np.flatnonzero(lay.mode_b):
        c = lay.constructs[k]
        v = frames["vif_items"][c]
        high = v[v > 5]
        if len(high):
            items = ", ".join(high.index)
            msg = (
                f"construct {c} (mode B): item VIF above 5 for {items} (collinearity among "
                "formative indicators)"
            )
            out.append(Notice("pls.formative_vif", msg, construct=c, items=items))
    if model.ignored:
        lines = "; ".join(model.ignored)
        out.append(Notice("pls.ignored", f"ignored by PLS: {lines}", lines=lines))
    return out


def _standardized_data(data, model: PLSModel, missing_codes, file: str | None):
    """The items as read (NaN for missing), mean-replaced (seminr's default), standardized
    (z, N - 1) with their correlation matrix, and the number of missing answers."""
    X, n_missing = prepare_data(data, model, missing_codes, file)
    Xf = mean_replace(X)
    n = len(Xf)
    if n < 3:
        raise InputError(f"PLS needs at least 3 respondents, the data have {n}", file=file)
    Z = (Xf - Xf.mean(axis=0)) / Xf.std(axis=0, ddof=1)
    S = Z.T @ Z / (n - 1)
    return X, Xf, Z, S, n_missing


def pls(
    data,
    model: PLSModel | str | Path,
    *,
    scheme: str = "path",
    consistent: bool = False,
    missing_codes=None,
    max_iter: int = 300,
    tol: float = 1e-7,
    q2: bool = True,
    omission_distance: int = 7,
    n_boot: int = 0,
    seed: int | None = DEFAULT_SEED,
    level: float = 0.95,
    ci: str = "percentile",
    n_jobs: int | None = None,
    client=None,
    progress: bool = False,
) -> PLSResult:
    """Estimate a PLS path model as SmartPLS / seminr do and assess it (Hair et al. 2022).

    ``data``: a DataFrame or Survey; ``model``: a :class:`PLSModel`, a model file (lavaan
    syntax with ``=~`` mode A and ``<~`` mode B, or the project's TOML) or syntax text.
    ``consistent``: PLSc for the mode A constructs. ``n_boot``: bootstrap draws (``loyaltysem run
    --method pls`` uses 5,000, as SmartPLS), seeded by ``seed``, with the ``ci`` interval
    ("percentile", seminr's, or "bca") in ``ci.lower``/``ci.upper`` (the other type:
    ``result.bootstrap.intervals("bca")``).

    Example:
        >>> res = pls(df, "X <~ x1 + x2\\nY =~ y1 + y2\\nY ~ X")          # doctest: +SKIP
        >>> res.paths.loc["X", "Y"], res.reliability.loc["Y", "rhoA"]    # doctest: +SKIP
    """
    if scheme not in SCHEMES:
        raise InputError(f"--scheme must be one of {', '.join(SCHEMES)}, not '{scheme}'")
    if ci not in ("percentile", "bca"):
        raise InputError(f"ci must be 'percentile' or 'bca' for PLS-SEM, not {ci!r}")
    model = as_model(model)
    file = getattr(data, "source", None)
    X, Xf, Z, S, n_missing = _standardized_data(data, model, missing_codes, file)
    n = len(Xf)
    fit = _fit(Z, S, model, scheme, consistent, max_iter, tol, file)
    lay, est, Se, frames = fit["lay"], fit["est"], fit["S"], fit["frames"]
    spec = assess.stat_spec(lay, model.paths)
    est0 = assess.stat_values(spec, est, Se[None], lay)[0]
    table = spec.frame().assign(est=est0)
    result = PLSResult(
        model=model,
        n=n,
        scheme=scheme,
        consistent=consistent,
        iterations=int(est.iterations[0]),
        converged=bool(est.converged[0]),
        n_missing=n_missing,
        f2=fit["f2"],
        estimates=table,
        scores=pd.DataFrame(fit["Z"] @ est.W[0], columns=list(lay.constructs)),
        warnings=_warnings(model, lay, frames, est, n_missing, max_iter),
        layout=lay,
        data=Xf,
        higher_order=fit.get("info"),
        **frames,
    )
    if q2:
        _add_q2(result, fit, scheme, consistent, omission_distance)
    if n_boot:
        from loyaltysem.pls.bootstrap import bootstrap_pls

        obs = ~np.isnan(X)
        xc = np.where(obs, X - np.nanmean(X, axis=0), 0.0)
        boot = bootstrap_pls(
            xc, obs, lay, spec, est0, n_boot, seed=seed, level=level, scheme=scheme,
            consistent=consistent, n_jobs=n_jobs, client=client, max_iter=max_iter, tol=tol,
            progress=progress, ci=ci, plan=fit["plan"],
        )  # fmt: skip
        result.bootstrap = boot
        result.estimates = boot.table
        result.warnings += boot.warnings
    return result
