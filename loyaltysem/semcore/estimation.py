"""Fit a structural equation model the way lavaan's ``sem()`` / ``cfa()`` does.

``sem(model, data)`` parses lavaan syntax, builds lavaan's parameter table with its defaults,
fits by maximum likelihood (complete data, listwise deletion) or full-information ML
(``missing="fiml"``), and returns an :class:`~loyaltysem.semcore.results.SEMResult` whose tables use
lavaan's names. Standard errors: ML from the expected information (lavaan's default for
complete data); MLR from the Huber-White sandwich; FIML from the observed information.

With ``ordered=`` (lavaan's ``ordered =``) the items are ordered categories: the estimator
defaults to WLSMV (DWLS on thresholds and polychoric correlations, robust SEs, the
scaled-shifted test); ULSMV, WLS, DWLS and ULS are selectable, as in lavaan, under lavaan's
``parameterization = "delta"`` (default) or ``"theta"``.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.blas import single_threaded
from loyaltysem.base.errors import EstimationError, IdentificationError, InputError
from loyaltysem.base.notice import Notice, from_warning
from loyaltysem.base.validate import finite_values
from loyaltysem.semcore.estimate import optimizer
from loyaltysem.semcore.estimate.options import Options, resolve_missing, resolve_options
from loyaltysem.semcore.model.compiled import (
    CompiledModel,
    GroupData,
    compile_model,
    set_exo_values,
)
from loyaltysem.semcore.model.partable import (
    ModelVariables,
    build_partable,
    model_variables,
)
from loyaltysem.semcore.model.product_indicators import (
    expand_for_sem,  # X:Z terms -> product indicators
)
from loyaltysem.semcore.results import SEMResult
from loyaltysem.survey.data import as_frame


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # too long for a file name, or a NUL byte
        return False


def model_syntax(model) -> tuple[str, str | None]:
    """lavaan syntax and its source file from a string, a file path or an Instrument.

    A string is a file when :func:`~loyaltysem.survey.syntax.names_a_file` says so (an
    existing path whatever characters it holds, a model file's suffix, or one line without
    lavaan operators); otherwise it is model syntax.
    """
    from loyaltysem.survey.instrument import Instrument, read_instrument, read_model_text
    from loyaltysem.survey.syntax import names_a_file

    if isinstance(model, Instrument):
        return model.model_syntax(), model.source
    if not isinstance(model, str | Path):
        raise InputError(
            f"model must be lavaan syntax, a model file path or an Instrument, "
            f"not {type(model).__name__}"
        )
    text = str(model)
    if isinstance(model, Path) or names_a_file(text):
        path = Path(model)
        if path.suffix.lower() == ".toml":
            return read_instrument(path).model_syntax(), str(path)
        return read_model_text(path), str(path)
    if not text.strip():
        raise InputError("the model syntax is empty")
    return text, None


def instrument_ordered(model) -> list[str] | None:
    """The ordered items a TOML model file or an Instrument declares (``[scale] ordered``);
    None when it declares none or the model is plain syntax."""
    from loyaltysem.survey.instrument import Instrument, read_instrument

    if isinstance(model, Instrument):
        return list(model.ordered) or None
    if isinstance(model, str | Path) and "\n" not in str(model):
        path = Path(model)
        if path.suffix.lower() == ".toml" and _exists(str(path)):
            return list(read_instrument(path).ordered) or None
    return None


def sem(
    model,
    data,
    *,
    group: str | None = None,
    estimator: str | None = None,
    missing: str = "listwise",
    std_lv: bool = False,
    meanstructure: bool | None = None,
    fixed_x: bool = True,
    group_equal: tuple[str, ...] | list[str] = (),
    group_partial: tuple[str, ...] | list[str] = (),
    ordered: Sequence[str] | bool | None = None,
    parameterization: str | None = None,
):
    """Fit a structural equation model; lavaan's ``sem()`` defaults.

    ``ordered``: the items to treat as ordered categories (``True``: every observed variable
    that is not an exogenous covariate; None: what a TOML model file's ``[scale] ordered``
    says; False: none); ``estimator`` then defaults to "WLSMV" (also "ULSMV", "WLS",
    "DWLS", "ULS"; any case). ``parameterization``: "delta" (default) or "theta", lavaan's,
    for ordered items only. ``group_partial`` names rows as lavaan does (``"f =~ x3"``,
    ``"x3 ~1"``, a threshold ``"y1|t2"``).

    Example:
        >>> import pandas as pd
        >>> from loyaltysem.examples import example_paths
        >>> df = pd.read_csv(example_paths()["data_csv"])
        >>> fit = sem("SAT =~ SAT1 + SAT2 + SAT3", df)
        >>> round(fit.fit_measures["chisq"], 6) >= 0
        True
    """
    missing = resolve_missing(missing)
    declared = instrument_ordered(model) if ordered is None else None
    rows, data, syntax, source = _parse_model(model, data)
    frame = as_frame(data)
    mv = model_variables(rows)
    _check_data(frame, mv, group, group_equal, group_partial, source)
    if declared:  # the model file's [scale] ordered, for the items this model uses
        ordered = [v for v in declared if v in mv.ov]
    items = ordered_items(ordered, rows, mv)
    options = resolve_options(estimator, missing, ordered=bool(items))
    param = _parameterization(parameterization, bool(items))
    if items:
        return _sem_ordered(
            rows,
            frame,
            mv,
            items,
            group=group,
            options=options,
            std_lv=std_lv,
            group_equal=tuple(group_equal),
            group_partial=tuple(group_partial),
            syntax=syntax,
            source=source,
            parameterization=param,
        )
    warnings: list = _random_covariates(mv) if fixed_x else []
    groups_x, group_labels, n_rows = _group_matrices(frame, mv, group, missing, fixed_x, warnings)
    if meanstructure is None:  # lavaan: FIML, several groups or intercepts in the syntax
        meanstructure = (
            options.meanstructure or len(groups_x) > 1 or any(r.op == "~1" for r in rows)
        )
    data_g = _group_data(groups_x, group_labels, missing, group is not None)
    return estimate(
        rows,
        data_g,
        options=replace(options, meanstructure=bool(meanstructure)),
        std_lv=std_lv,
        fixed_x=fixed_x,
        group_equal=tuple(group_equal),
        group_partial=tuple(group_partial),
        group=group,
        group_labels=group_labels,
        warnings=warnings,
        syntax=syntax,
        source=source,
        n_total_rows=n_rows,
    )


def _parse_model(model, data) -> tuple[list, object, str, str | None]:
    """The parameter rows, the data (with product indicators for ``X:Z`` terms), the
    syntax and its file of a model given as syntax, a model file or already parsed rows."""
    if isinstance(model, list):  # already parsed rows
        return model, data, "", None
    syntax, source = model_syntax(model)
    rows, data, syntax = expand_for_sem(syntax, data, file=source)
    return rows, data, syntax, source


def _random_covariates(mv) -> list:
    """A notice when the syntax frees a variance, covariance or intercept of an observed
    covariate: lavaan then treats the covariates as random, not fixed."""
    if not mv.ov_x_random:
        return []
    covariates = ", ".join(mv.ov_x_random)
    return [
        Notice(
            "sem.random_covariates",
            "the model gives a variance, covariance or intercept of the observed "
            f"covariate(s) {covariates}: they are treated as random (free parameters), "
            "not as fixed covariates, as lavaan does",
            covariates=covariates,
        )
    ]


def cfa(model, data, **options):
    """Fit a confirmatory factor analysis: lavaan's ``cfa()``, which is ``sem()`` with the
    same defaults for a measurement model (factors correlated, first loadings fixed to 1);
    ``options`` as :func:`sem`. A TOML model file's measurement part is taken as is; for its
    structural paths too, use :func:`sem`.

    Example:
        >>> import pandas as pd
        >>> from loyaltysem.examples import example_paths
        >>> df = pd.read_csv(example_paths()["data_csv"])
        >>> fit = cfa("SAT =~ SAT1 + SAT2 + SAT3\\nTRU =~ TRU1 + TRU2 + TRU3", df)
        >>> fit.fit_measures["df"]
        8
    """
    from loyaltysem.survey.instrument import Instrument

    if (
        isinstance(model, str | Path)
        and str(model).lower().endswith(".toml")
        and _exists(str(model))
    ):
        from loyaltysem.survey.instrument import read_instrument

        model = read_instrument(model)
    if isinstance(model, Instrument):
        if options.get("ordered") is None and model.ordered:
            options["ordered"] = list(model.ordered)  # the model file's [scale] ordered
        model = model.measurement_syntax()
    return sem(model, data, **options)


def _check_data(frame, mv: ModelVariables, group, group_equal, group_partial, source) -> None:
    """The data and options fit the model: every observed variable a column, no latent
    variable named like a column (lavaan refuses that too), finite values, and equality
    constraints across groups only with a group variable."""
    absent = [v for v in mv.ov if v not in frame.columns]
    if absent:
        raise InputError(
            f"the model uses '{absent[0]}', which is not a column of the data"
            + (f" ({len(absent) - 1} more missing)" if len(absent) > 1 else ""),
            column=absent[0],
        )
    clash = [v for v in mv.lv if v in frame.columns]
    if clash:
        raise InputError(
            f"'{clash[0]}' is a latent variable of the model (defined with =~) and also a "
            "column of the data: give the latent variable a name of its own (a typo for an "
            "item?)",
            file=source,
            column=clash[0],
        )
    finite_values(frame, [v for v in mv.ov if pd.api.types.is_numeric_dtype(frame[v])])
    if group is None and (group_equal or group_partial):
        what = "--group-equal" if group_equal else "--group-partial"
        raise InputError(
            f"{what} {','.join(group_equal or group_partial)}: equality constraints across "
            "groups need a group variable (--group COL; group= in the library)"
        )


def ordered_items(ordered, rows, mv: ModelVariables) -> list[str]:
    """The model's ordered items in model order: ``ordered`` (a list, or ``True`` for every
    observed variable that is not an exogenous covariate) plus items given thresholds in
    the syntax (``item | t1 + t2``)."""
    if ordered is None or ordered is False:
        chosen: set[str] = set()
    elif ordered is True:
        chosen = {v for v in mv.ov if v not in mv.ov_x}
    else:
        if isinstance(ordered, str):
            ordered = [ordered]
        chosen = set(ordered)
        unknown = [v for v in ordered if v not in mv.ov]
        if unknown:
            raise InputError("ordered item is not an observed variable of the model",
                             column=unknown[0])  # fmt: skip
    chosen |= {r.lhs for r in rows if r.op == "|"}
    return [v for v in mv.ov if v in chosen]


def _parameterization(value: str | None, ordinal: bool) -> str:
    """lavaan's ``parameterization`` ("delta" or "theta"), given only with ordered items."""
    if value is None:
        return "delta"
    name = str(value).strip().lower()
    if name not in ("delta", "theta"):
        raise InputError(f"parameterization must be 'delta' or 'theta', not '{value}'")
    if not ordinal:
        raise InputError(
            f"parameterization '{name}' applies to ordered items only: name them with "
            "ordered=... (--ordered)"
        )
    return name


def _sem_ordered(rows, frame, mv, items, *, group, options: Options, std_lv, group_equal,
                 group_partial, syntax, source, parameterization="delta"):  # fmt: skip
    """sem() with ordered items: two-step sample statistics, then WLS-family estimation
    (with observed covariates conditional on them, lavaan's conditional.x:
    :mod:`loyaltysem.semcore.model.ordinal_condx`)."""
    if mv.ov_x or mv.ov_x_random:
        from loyaltysem.semcore.model.ordinal_condx import condx_group_data

        if parameterization == "theta":
            raise InputError(
                "parameterization 'theta' with observed covariates is not available: use "
                "the delta parameterization (lavaan's default)"
            )

        data_g, group_labels, thresholds, warnings = condx_group_data(
            frame, mv, items, group, options.weights
        )
    else:
        data_g, group_labels, thresholds, warnings = ordinal_group_data(
            frame, mv, items, group, options.weights
        )
    return estimate(
        rows,
        data_g,
        options=options,
        std_lv=std_lv,
        group_equal=group_equal,
        group_partial=group_partial,
        group=group,
        group_labels=group_labels,
        warnings=warnings,
        syntax=syntax,
        source=source,
        n_total_rows=len(frame),
        ordered=thresholds,
        parameterization=parameterization,
    )


def ordinal_group_data(frame: pd.DataFrame, mv: ModelVariables, items, group, weights: str):
    """Per group the WLS data (:class:`OrdinalGroupData`) with the weight matrix ``weights``
    (``Options.weights``: WLS, DWLS or ULS), the group labels, the threshold names of every
    ordered item, and the warnings (rows dropped, empty categories)."""
    from loyaltysem.samplestats import ordinal_sample_stats
    from loyaltysem.semcore.model.ordinal import OrdinalGroupData, wls_group_data

    if group is not None and group not in frame.columns:
        raise InputError("group variable is not a column of the data", column=group)
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        stats = ordinal_sample_stats(frame, mv.ov, items, group=group)
    warnings = [from_warning(w) for w in caught]
    return wls_group_data(
        stats, len(frame), group, warnings, weights,
        lambda st, w: OrdinalGroupData(st.nobs, st, w),
    )  # fmt: skip


def _group_matrices(frame, mv, group, missing: str, fixed_x: bool, warnings: list):
    """The numeric answers of each group, rows dropped as lavaan drops them (listwise; FIML:
    rows with no answer, and rows with a missing fixed.x covariate), with the checks that
    name a bad cell. Returns (matrices, group labels, rows in the data)."""
    group_labels: list = [None]
    if group is not None:
        if group not in frame.columns:
            raise InputError("group variable is not a column of the data", column=group)
        frame = frame[frame[group].notna()]
        group_labels = list(pd.unique(frame[group]))
        if len(group_labels) < 2:
            raise InputError("the group variable has fewer than two groups", column=group)
    values = frame[mv.ov]
    if not all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes):
        values = values.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & frame[mv.ov].notna()
    if bad.any().any():
        col = bad.any().idxmax()
        row = int(np.argmax(bad[col].to_numpy()))
        raise InputError(
            f"non-numeric value '{frame[mv.ov][col].iloc[row]}'", column=col, row=row + 1
        )
    keep = _rows_used(values, mv, missing, fixed_x, warnings)
    x = values[keep].to_numpy(dtype=float)
    gvals = frame[group].to_numpy()[keep] if group else None
    groups_x = [x] if group is None else [x[gvals == g] for g in group_labels]
    for g, gx in zip(group_labels, groups_x, strict=True):
        where = f" in group '{g}'" if group is not None else ""
        if len(gx) <= len(mv.ov):
            raise InputError(
                f"too few respondents{where}: {len(gx)} for {len(mv.ov)} items (the sample "
                "covariance matrix needs more respondents than items)",
                column=group,
            )
        var = np.nanvar(gx, axis=0)
        if np.any(var <= 0):
            col = mv.ov[int(np.argmax(var <= 0))]
            raise InputError(f"the item never varies{where}", column=col)
    return groups_x, group_labels, int(len(keep))


def _rows_used(values: pd.DataFrame, mv, missing: str, fixed_x: bool, warnings: list):
    if missing == "listwise":
        keep = values.notna().all(axis=1).to_numpy()
    else:
        keep = values.notna().any(axis=1).to_numpy()
    dropped, n = int((~keep).sum()), len(values)
    if dropped and missing == "listwise":
        msg = f"{dropped} of {n} respondents with missing answers (listwise deletion) were not used"
        warnings.append(Notice("sem.listwise_dropped", msg, k=dropped, n=n))
    elif dropped:
        msg = f"{dropped} of {n} respondents with no answer were not used"
        warnings.append(Notice("sem.no_answer_dropped", msg, k=dropped, n=n))
    if missing == "fiml" and fixed_x and mv.ov_x:
        # lavaan (fixed.x = TRUE): FIML does not model the covariates, so respondents with a
        # missing covariate are deleted (lav_data_full)
        x_ok = values[mv.ov_x].notna().all(axis=1).to_numpy()
        n_x = int((keep & ~x_ok).sum())
        if n_x:
            keep = keep & x_ok
            covariates = ", ".join(mv.ov_x)
            warnings.append(
                Notice(
                    "sem.fiml_covariate_dropped",
                    f"{n_x} of {n} respondents with a missing value in an observed covariate "
                    f"({covariates}) were not used: FIML treats covariates as fixed (fixed.x), "
                    "as lavaan does",
                    k=n_x,
                    n=n,
                    covariates=covariates,
                )
            )
    return keep


def _group_data(groups_x: list, group_labels: list, missing: str, grouped: bool) -> list:
    """Sample moments per group (FIML: response patterns with EM moments)."""
    if missing == "fiml":
        from loyaltysem.semcore.estimate.fiml import FimlData

        return [FimlData.from_array(gx) for gx in groups_x]
    data_g = [GroupData.from_array(gx) for gx in groups_x]
    for g, gd in zip(group_labels, data_g, strict=True):
        if np.linalg.eigvalsh(gd.cov).min() <= 1e-10:
            where = f" in group '{g}'" if grouped else ""
            raise EstimationError(
                f"the sample covariance matrix{where} is not positive definite "
                "(an item is a linear combination of others, or N is smaller than the items)"
            )
    return data_g


@single_threaded
def estimate(
    rows,
    data_g: list,
    *,
    options: Options,
    std_lv: bool = False,
    fixed_x: bool = True,
    group_equal: tuple[str, ...] = (),
    group_partial: tuple[str, ...] = (),
    group: str | None = None,
    group_labels: list | None = None,
    warnings: list[str] | None = None,
    syntax: str = "",
    source: str | None = None,
    n_total_rows: int = 0,
    ordered=None,
    parameterization: str = "delta",
):
    """Fit parsed syntax to prepared group data (the step shared by sem() and refits) under
    the resolved ``options`` (:mod:`loyaltysem.semcore.estimate.options`); ``ordered``: per
    group, the ordered items' threshold names; ``parameterization``: theirs (lavaan's
    "delta" or "theta")."""
    mv = model_variables(rows)
    pt = build_partable(
        rows,
        ngroups=len(data_g),
        meanstructure=options.meanstructure,
        std_lv=std_lv,
        fixed_x=fixed_x,
        group_equal=group_equal,
        group_partial=group_partial,
        file=source,
        ordered=ordered,
        parameterization=parameterization,
    )
    return estimate_table(
        pt,
        mv,
        data_g,
        options=options,
        std_lv=std_lv,
        group=group,
        group_labels=group_labels,
        warnings=warnings,
        syntax=syntax,
        n_total_rows=n_total_rows,
        parameterization=parameterization,
    )


@single_threaded
def estimate_table(
    pt: pd.DataFrame,
    mv: ModelVariables,
    data_g: list,
    *,
    options: Options,
    std_lv: bool = False,
    group: str | None = None,
    group_labels: list | None = None,
    warnings: list[str] | None = None,
    syntax: str = "",
    n_total_rows: int = 0,
    parameterization: str = "delta",
):
    """Fit a parameter table to prepared group data (models and baseline models) under the
    resolved ``options``."""
    if data_g and hasattr(data_g[0], "weight"):  # ordered items: WLS data
        from loyaltysem.semcore.model.ordinal import compile_ordinal
        from loyaltysem.semcore.model.ordinal_condx import (
            compile_condx,  # conditional on covariates
        )

        if hasattr(data_g[0].stats, "slopes"):
            cm = compile_condx(pt, mv, data_g)
        else:
            cm = compile_ordinal(pt, mv, data_g, parameterization)
    else:
        cm = compile_model(pt, mv, options.meanstructure)
    set_exo_values(cm, data_g)
    _check_identified(cm)
    theta, converged, iterations = optimizer.fit(cm, data_g, std_lv, options.missing)
    warnings = list(warnings or [])
    if not converged:
        msg = "the optimizer did not converge: estimates are not trustworthy"
        warnings.append(Notice("sem.not_converged", msg))
    warnings += admissibility_warnings(cm, theta, group_labels or [None])
    return SEMResult(
        model=cm,
        data=data_g,
        theta=theta,
        converged=converged,
        iterations=iterations,
        options=options,
        group=group,
        group_labels=group_labels or [None],
        warnings=warnings,
        syntax=syntax,
        n_total_rows=n_total_rows,
        fit_table=estimate_table,
    )


def admissibility_warnings(cm: CompiledModel, theta: np.ndarray, group_labels) -> list[str]:
    """Heywood cases (negative variances) and non-positive-definite latent covariance
    matrices, as lavaan warns about them (Notices ``sem.heywood``, ``sem.latent_cov_not_pd``;
    ``group`` is None with one group)."""
    out = []
    lv_index = [len(cm.mv.ov) + i for i in range(len(cm.mv.lv))]
    for g, imp in enumerate(cm.implied(theta)):
        group = str(group_labels[g]) if len(cm.groups) > 1 else None
        where = f" in group '{group}'" if group is not None else ""
        names = cm.mv.ov + cm.mv.lv
        for i in np.where(np.diag(imp.S) < 0)[0]:
            value = float(imp.S[i, i])
            msg = (
                f"Heywood case{where}: the (residual) variance of '{names[i]}' is negative "
                f"({value:.4f}); the solution is not admissible"
            )
            out.append(Notice("sem.heywood", msg, var=names[i], value=value, group=group))
        if lv_index:
            psi = imp.sigma_all[np.ix_(lv_index, lv_index)]
            if np.linalg.eigvalsh(psi).min() <= 0:
                msg = (
                    f"the covariance matrix of the latent variables{where} is not positive "
                    "definite (a correlation above 1 or a negative variance)"
                )
                out.append(Notice("sem.latent_cov_not_pd", msg, group=group))
    return out


def _check_identified(cm: CompiledModel) -> None:
    moments = cm.n_moments
    if cm.npar > moments:
        raise IdentificationError(
            f"the model is not identified: {cm.npar} free parameters but only {moments} "
            f"sample moments (df = {moments - cm.npar})"
        )
    lhs, op, rhs = (cm.pt[c].to_numpy() for c in ("lhs", "op", "rhs"))
    free = cm.pt["free"].to_numpy() > 0
    for f, inds in cm.mv.indicators.items():
        rows = (lhs == f) & (op == "=~")
        var = (lhs == f) & (op == "~~") & (rhs == f)
        if free[rows].all() and free[var].all() and len(inds) > 0:
            raise IdentificationError(
                f"the scale of '{f}' is not identified: fix a loading or its variance"
            )
