"""Interactions ``Y ~ X + Z + X:Z``: fitting with options for the product indicators,
probing (simple slopes, Johnson-Neyman) and moderated mediation. The product indicators
themselves are built by :mod:`loyaltysem.semcore.model.product_indicators`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyaltysem.base.dist import norm_ppf, norm_sf
from loyaltysem.base.errors import InputError
from loyaltysem.base.result import ResultMixin
from loyaltysem.base.validate import DEFAULT_SEED
from loyaltysem.semcore.estimation import model_syntax, sem
from loyaltysem.semcore.model.product_indicators import (
    _expand,
    expand_interactions,
    has_interaction,
    interaction_terms,
)
from loyaltysem.survey.syntax import Modifier, SyntaxRow

__all__ = [
    "expand_interactions",
    "has_interaction",
    "fit",
    "interaction_lines",
    "interaction_terms",
    "moderator_sd",
    "simple_slopes",
    "johnson_neyman",
    "interaction_summary",
    "moderated_mediation",
    "moderated_mediation_definitions",
]


def fit(model, data, *, match: bool = True, orthogonal: bool = False, **sem_options):
    """Fit a model with ``X:Z`` terms with options for the product indicators
    (``match=False``: all pairs); other keywords go to :func:`loyaltysem.sem`."""
    syntax, source = model_syntax(model)
    rows, frame, text, notes = _expand(
        syntax, data, file=source, match=match, orthogonal=orthogonal
    )
    result = sem(rows, frame, **sem_options)
    result.syntax = text
    result.warnings = list(result.warnings) + notes
    return result


# ----------------------------------------------------------------------------- probing


def _free_index(pt: pd.DataFrame, lhs: str, op: str, rhs: str, group: int) -> int | None:
    hit = pt[(pt["lhs"] == lhs) & (pt["op"] == op) & (pt["rhs"] == rhs) & (pt["group"] == group)]
    if hit.empty:
        raise InputError(f"the model has no path '{lhs} {op} {rhs}'")
    free = int(hit["free"].iloc[0])
    return free - 1 if free > 0 else None


def _coef(result, lhs, op, rhs, group):
    pt = result.pt
    est = result.estimates
    hit = est[(est["lhs"] == lhs) & (est["op"] == op) & (est["rhs"] == rhs)]
    hit = hit[hit["group"] == group]
    return float(hit["est"].iloc[0]), _free_index(pt, lhs, op, rhs, group)


def moderator_sd(result, z: str, group: int = 1) -> float:
    """SD of the moderator in the fitted model: ``sqrt(lavInspect(fit, "cov.lv")[z, z])`` for
    a latent moderator, the model-implied SD of an observed one."""
    cm = result.model
    names = cm.mv.ov + cm.mv.lv
    if z not in names:
        raise InputError(f"'{z}' is not a variable of the model")
    imp = result.implied_moments[group - 1]
    return float(np.sqrt(imp.sigma_all[names.index(z), names.index(z)]))


def interaction_lines(
    result, y: str, x: str, z: str, *, at_sd=(-1.0, 0.0, 1.0), x_sd: float = 1.0, group: int = 1
) -> pd.DataFrame:
    """Predicted values of Y at X = -x_sd..+x_sd SD for each moderator value (long format:
    z_sd, x_sd, x_value, w_value, y_hat)."""
    b1, _ = _coef(result, y, "~", x, group)
    b2, _ = _coef(result, y, "~", z, group)
    b3, _ = _coef(result, y, "~", f"{x}:{z}", group)
    est = result.estimates
    b0 = est[(est["lhs"] == y) & (est["op"] == "~1") & (est["group"] == group)]["est"]
    b0 = float(b0.iloc[0]) if len(b0) else 0.0
    sx, sz = moderator_sd(result, x, group), moderator_sd(result, z, group)
    rows = []
    for k in at_sd:
        w = k * sz
        for j in (-x_sd, x_sd):
            xv = j * sx
            rows.append((k, j, xv, w, b0 + b1 * xv + b2 * w + b3 * xv * w))
    return pd.DataFrame(rows, columns=["z_sd", "x_sd", "x_value", "w_value", "y_hat"])


@dataclass
class SlopeParts:
    """b1 (X), b3 (X:Z) and their sampling (co)variances."""

    b1: float
    b3: float
    v11: float
    v13: float
    v33: float
    sd: float


def _slope_parts(result, y: str, x: str, z: str, group: int = 1) -> SlopeParts:
    b1, i1 = _coef(result, y, "~", x, group)
    b3, i3 = _coef(result, y, "~", f"{x}:{z}", group)
    vc = result.vcov

    def v(i, j):
        return 0.0 if i is None or j is None else float(vc[i, j])

    return SlopeParts(b1, b3, v(i1, i1), v(i1, i3), v(i3, i3), moderator_sd(result, z, group))


def simple_slopes(
    result,
    y: str,
    x: str,
    z: str,
    *,
    at_sd=(-1.0, 0.0, 1.0),
    values=None,
    group: int = 1,
    level: float = 0.95,
) -> pd.DataFrame:
    """Simple slopes of X at values of the moderator Z, as semTools ``probe2WayMC(fit,
    nameX = c(X, Z, "X:Z"), nameY = Y, modVar = Z, valProbe)``: slope b1 + b3 w,
    Var = Var(b1) + 2 w Cov(b1, b3) + w^2 Var(b3), Wald z and two-sided normal p. The
    moderator values are ``at_sd`` times its model SD around its mean (0 for a latent
    moderator; for an observed one, deviations from its sample mean), or ``values`` given in
    that centred metric.
    """
    s = _slope_parts(result, y, x, z, group)
    w = np.asarray(values if values is not None else np.asarray(at_sd, dtype=float) * s.sd)
    est = s.b1 + s.b3 * w
    se = np.sqrt(s.v11 + 2 * w * s.v13 + w**2 * s.v33)
    zval = est / se
    crit = norm_ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "z_sd": w / s.sd if s.sd > 0 else np.nan,
            "z_value": w,
            "est": est,
            "se": se,
            "z": zval,
            "pvalue": 2 * norm_sf(np.abs(zval)),
            "ci.lower": est - crit * se,
            "ci.upper": est + crit * se,
        }
    )


def johnson_neyman(result, y: str, x: str, z: str, *, group: int = 1, level: float = 0.95) -> dict:
    """Johnson-Neyman boundaries: moderator values w where the slope b1 + b3 w has a Wald
    test exactly at the critical value, the roots of (b1 + b3 w)^2 = c^2 Var(w)
    (Johnson & Neyman 1936; Bauer & Curran 2005). ``region`` says where X's slope is
    significant: ``"outside"`` (below lower and above upper), ``"inside"`` (between them),
    ``"everywhere"`` or ``"nowhere"`` (lower and upper None; ``"above"``/``"below"`` one bound
    in the degenerate case b3^2 = c^2 Var(b3)). Values are in
    the moderator's centred metric (latent: its own, mean 0), also in SD units.
    """
    return _johnson_neyman(_slope_parts(result, y, x, z, group), level)


def _johnson_neyman(s: SlopeParts, level: float = 0.95) -> dict:
    c2 = norm_ppf(0.5 + level / 2) ** 2
    qa = s.b3**2 - c2 * s.v33
    qb = 2 * (s.b1 * s.b3 - c2 * s.v13)
    qc = s.b1**2 - c2 * s.v11
    disc = qb**2 - 4 * qa * qc
    out = {"lower": None, "upper": None, "lower_sd": None, "upper_sd": None}
    if qa == 0 and qb != 0:  # linear: significant on one side of -qc/qb
        w0 = -qc / qb
        side = "lower" if qb < 0 else "upper"  # the bound that is finite
        out.update({side: w0, f"{side}_sd": w0 / s.sd, "region": "above" if qb > 0 else "below"})
        return out
    if qa == 0 or disc <= 0:
        everywhere = qc > 0 if qa == 0 else qa > 0
        out["region"] = "everywhere" if everywhere else "nowhere"
        return out
    r = np.sort((-qb + np.array([-1.0, 1.0]) * np.sqrt(disc)) / (2 * qa))
    out.update(
        lower=float(r[0]),
        upper=float(r[1]),
        lower_sd=float(r[0] / s.sd),
        upper_sd=float(r[1] / s.sd),
        region="outside" if qa > 0 else "inside",
    )
    return out


def interaction_summary(result, *, level: float = 0.95) -> list[dict]:
    """The ``interactions`` list of the JSON output contract: per ``Y ~ X:Z`` row, simple
    slopes at -1/0/+1 SD of Z and the Johnson-Neyman interval."""
    out = []
    for y, x, z in interaction_terms(result):
        slopes = simple_slopes(result, y, x, z, level=level)
        out.append(
            {
                "y": y,
                "x": x,
                "z": z,
                "z_sd_value": moderator_sd(result, z),
                "simple_slopes": [
                    {
                        "z_sd": float(r.z_sd),
                        "est": float(r.est),
                        "se": float(r.se),
                        "z": float(r.z),
                        "pvalue": float(r.pvalue),
                    }
                    for r in slopes.itertuples()
                ],
                "johnson_neyman": johnson_neyman(result, y, x, z, level=level),
            }
        )
    return out


# ----------------------------------------------------------------------------- moderated mediation

_ROLES = {
    "first": (("a1", "m", "x"), ("a3", "m", "x:w"), ("b", "y", "m")),
    "second": (("a", "m", "x"), ("b1", "y", "m"), ("b3", "y", "m:w")),
}


def _label_paths(rows: list[SyntaxRow], stage: str, names: dict[str, str]) -> dict[str, str]:
    """Label the paths of the moderated mediation (keeping the user's labels); role -> label."""
    from dataclasses import replace

    used = {lab for r in rows for lab in r.modifier.label}
    labels = {}
    for role, lhs_key, rhs_key in _ROLES[stage]:
        lhs = names[lhs_key]
        rhs = ":".join(names[k] for k in rhs_key.split(":"))
        idx = [i for i, r in enumerate(rows) if r.op == "~" and r.lhs == lhs and r.rhs == rhs]
        if not idx:
            raise InputError(
                f"moderated mediation ({stage} stage) needs the path '{lhs} ~ {rhs}' in the model"
            )
        r = rows[idx[0]]
        if r.modifier.label:
            labels[role] = r.modifier.label[0]
            continue
        lab = f"mm_{role}"
        while lab in used:
            lab += "_"
        used.add(lab)
        rows[idx[0]] = replace(r, modifier=replace(r.modifier, label=[lab]))
        labels[role] = lab
    return labels


def moderated_mediation_definitions(
    stage: str, labels: dict[str, str], w_sd: float, at_sd=(-1.0, 0.0, 1.0)
) -> list[tuple[str, str]]:
    """``:=`` definitions (name, expression): the index of moderated mediation (first stage
    a3*b, second stage a*b3; Hayes 2015) and the conditional indirect effects at W = mean +
    k SD (first stage (a1 + a3 w) b, second stage a (b1 + b3 w)), W's SD a constant from the
    full-sample fit as PROCESS does."""
    if stage not in _ROLES:
        raise InputError(f"stage must be 'first' or 'second', not '{stage}'")
    L = labels
    if stage == "first":
        out = [("index_modmed", f"{L['a3']}*{L['b']}")]
        term = "({a1}{sign}{w:.15g}*{a3})*{b}"
    else:
        out = [("index_modmed", f"{L['a']}*{L['b3']}")]
        term = "{a}*({b1}{sign}{w:.15g}*{b3})"
    tags = {-1.0: "low", 0.0: "mean", 1.0: "high"}
    for k in at_sd:
        w = float(k) * w_sd
        name = "ind_w_" + tags.get(float(k), f"{k:g}sd".replace("-", "m").replace(".", "_"))
        out.append((name, term.format(**L, sign="-" if w < 0 else "+", w=abs(w))))
    return out


@dataclass
class ModeratedMediation(ResultMixin):
    """Index of moderated mediation and conditional indirect effects (est, delta-method SE,
    bootstrap SE and interval)."""

    table: pd.DataFrame
    fit: object
    boot: object | None
    stage: str
    roles: dict[str, str]
    w_sd: float
    definitions: list[tuple[str, str]]


def moderated_mediation(
    model,
    data,
    *,
    x: str,
    m: str,
    y: str,
    w: str,
    stage: str = "first",
    n_boot: int = 1000,
    seed: int | None = DEFAULT_SEED,
    level: float = 0.95,
    ci: str = "percentile",
    match: bool = True,
    n_jobs: int | None = None,
    **sem_options,
) -> ModeratedMediation:
    """X -> M -> Y with W moderating the first (``M ~ X + W + X:W``) or second stage
    (``Y ~ M + W + M:W``): fit, then ``:=`` rows for the index of moderated mediation and the
    conditional indirect effects at W = -1 SD, mean, +1 SD, bootstrapped by
    :func:`loyaltysem.semcore.resample.bootstrap.bootstrap` (rows of the augmented data
    resampled, as lavaan's bootstrap of a model fitted on ``indProd()`` data; ``n_boot=0``
    skips it).
    """
    from loyaltysem.semcore.resample.bootstrap import bootstrap

    if stage not in _ROLES:
        raise InputError(f"stage must be 'first' or 'second', not '{stage}'")
    syntax, source = model_syntax(model)
    rows, frame, text, notes = _expand(syntax, data, file=source, match=match)
    roles = {"x": x, "m": m, "y": y, "w": w}
    labels = _label_paths(rows, stage, roles)
    first = sem(rows, frame, **sem_options)
    w_sd = moderator_sd(first, w)
    defs = moderated_mediation_definitions(stage, labels, w_sd)
    rows = rows + [SyntaxRow(name, ":=", expr, 0, Modifier()) for name, expr in defs]
    fit_ = sem(rows, frame, **sem_options)
    fit_.syntax = text + "".join(f"{n} := {e}\n" for n, e in defs)
    fit_.warnings = list(fit_.warnings) + notes
    est = fit_.estimates
    est = est[(est["op"] == ":=")].set_index("lhs").loc[[n for n, _ in defs]]
    table = pd.DataFrame(
        {
            "name": [n for n, _ in defs],
            "w_sd": [np.nan, -1.0, 0.0, 1.0],
            "w_value": [np.nan, -w_sd, 0.0, w_sd],
            "est": est["est"].to_numpy(),
            "se": est["se"].to_numpy(),
            "z": est["z"].to_numpy(),
            "pvalue": est["pvalue"].to_numpy(),
        }
    )
    boot = None
    if n_boot:
        boot = bootstrap(fit_, n_boot, seed=seed, level=level, ci=ci, n_jobs=n_jobs)
        bt = boot.table
        bt = bt[(bt["op"] == ":=") & (bt["scale"] == "est")].set_index("lhs")
        bt = bt.loc[table["name"]]
        table["boot.se"] = bt["boot.se"].to_numpy()
        table["ci.lower"] = bt["ci.lower"].to_numpy()
        table["ci.upper"] = bt["ci.upper"].to_numpy()
    return ModeratedMediation(table, fit_, boot, stage, roles, w_sd, defs)
