"""Interactions ``Y ~ X + Z + X:Z`` in lavaan syntax: product indicators, probing, moderated
mediation.

**Latent X and Z** (double-mean centring; Marsh, Wen & Hau 2004; Lin et al. 2010): the items
of X and Z are mean-centred, multiplied in matched pairs (x1*z1, x2*z2, ... in the order of
the ``=~`` statements) or in all pairs (``match=False``: x1*z1, x1*z2, ..., x2*z1, ...), and
the products are centred again. This is semTools' ``indProd(data, var1, var2, match,
meanC = TRUE, residualC = FALSE, doubleMC = TRUE)``: centring uses each column's mean over the
available answers, a product is missing when either answer is, and the product columns are
named ``x1.z1``. A product factor ``X.Z =~ x1.z1 + ...`` replaces the ``X:Z`` term; product
indicators that share a parent item of a latent factor get correlated residuals (Marsh et al.
2004: they share that item's measurement error). With an observed moderator (a data column
without measurement error) the products are ``x1.Z, x2.Z, ...`` and share no error.

**Observed X and Z**: the single product column ``X.Z`` of the mean-centred X and Z (centred
again), used as an observed predictor; X and Z themselves enter uncentred, so the
coefficient of X is its slope at the mean of Z (as with product indicators).

``expand_interactions`` returns the augmented data and lavaan syntax that R's lavaan fits to
the same numbers. ``loyaltysem.sem`` accepts ``X:Z`` directly (``expand_for_sem``); its
estimates name the product term ``X:Z`` (``Y ~ X:Z``), as lavaan names observed
interactions. The bootstrap of such a fit resamples rows of the augmented data, as lavaan's
bootstrap of a model fitted on ``indProd()`` data does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from .syntax import Modifier, SyntaxRow, _strip_comment, parse_syntax

_TERM = re.compile(r"(?<![\w.])([A-Za-z_.][\w.]*)\s*:(?!=)\s*([A-Za-z_.][\w.]*)")


@dataclass
class Interaction:
    """One ``X:Z`` term: its parts, the product columns and (latent case) the product factor."""

    x: str
    z: str
    x_items: list[str]
    z_items: list[str]
    x_latent: bool
    z_latent: bool
    products: list[str]  # product columns (indicators of the factor, or the single column)
    pairs: list[tuple[str, str]]  # parent items of each product column
    syntax_name: str  # the name in the lavaan syntax: 'X.Z' (factor or column)

    @property
    def name(self) -> str:
        """The name in loyaltysem's estimates: ``X:Z``."""
        return f"{self.x}:{self.z}"

    @property
    def latent(self) -> bool:
        return self.x_latent or self.z_latent


@dataclass
class Expansion:
    """Augmented data and lavaan syntax for a model with ``X:Z`` terms."""

    data: pd.DataFrame
    syntax: str
    interactions: list[Interaction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def renames(self) -> dict[str, str]:
        """Syntax name -> reported name (``X.Z`` -> ``X:Z``)."""
        return {it.syntax_name: it.name for it in self.interactions}


def has_interaction(syntax: str) -> bool:
    """Whether lavaan syntax has an ``X:Z`` term (``:=`` and comments do not count)."""
    return any(_TERM.search(_strip_comment(line)) for line in syntax.splitlines())


def _rewrite(syntax: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace each ``X:Z`` by ``X.Z`` (comments kept, lines unchanged); the pairs in order."""
    pairs: list[tuple[str, str]] = []

    def sub(m: re.Match) -> str:
        pair = (m.group(1), m.group(2))
        if pair not in pairs:
            pairs.append(pair)
        return f"{pair[0]}.{pair[1]}"

    out = []
    for line in syntax.splitlines():
        code = _strip_comment(line)
        out.append(_TERM.sub(sub, code) + line[len(code) :])
    return "\n".join(out), pairs


def _centre(values: pd.DataFrame) -> pd.DataFrame:
    """``scale(x, scale = FALSE)``: subtract each column's mean over the available values."""
    return values - values.mean(axis=0, skipna=True)


def _numeric(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = frame[cols].apply(pd.to_numeric, errors="coerce")
    bad = out.isna() & frame[cols].notna()
    if bad.any().any():
        col = bad.any().idxmax()
        row = int(np.argmax(bad[col].to_numpy()))
        raise InputError(f"non-numeric value '{frame[col].iloc[row]}'", column=col, row=row + 1)
    return out.astype(float)


def product_indicators(
    data: pd.DataFrame,
    var1: list[str],
    var2: list[str],
    *,
    match: bool = True,
    mean_centre: bool = True,
    double_centre: bool = True,
) -> pd.DataFrame:
    """Product columns as semTools ``indProd(data, var1, var2, match, meanC, residualC = FALSE,
    doubleMC)``: matched pairs (var1[i] * var2[i]) or all pairs (var1 outer, var2 inner),
    named ``var1.var2``; returns only the product columns.

    Example:
        >>> d = pd.DataFrame({"x1": [1.0, 2, 3, 6], "z1": [2.0, 1, 4, 5]})
        >>> product_indicators(d, ["x1"], ["z1"])["x1.z1"].tolist()
        [-0.5, -0.5, -2.5, 3.5]
    """
    a = _numeric(data, list(var1))
    b = _numeric(data, list(var2))
    if mean_centre:
        a, b = _centre(a), _centre(b)
    if match:
        if len(var1) != len(var2):
            raise InputError(
                f"matched-pair products need as many items in each set ({len(var1)} vs "
                f"{len(var2)}): use match=False (all pairs)"
            )
        pairs = list(zip(var1, var2, strict=True))
    else:
        pairs = [(u, v) for u in var1 for v in var2]
    prod = pd.DataFrame(
        {f"{u}.{v}": a[u].to_numpy() * b[v].to_numpy() for u, v in pairs}, index=data.index
    )
    if double_centre:
        prod = _centre(prod)
    return prod


def _parts(name: str, rows: list[SyntaxRow], data: pd.DataFrame) -> tuple[list[str], bool]:
    """Items of a latent variable (and True), or the observed column itself (and False)."""
    items = [r.rhs for r in rows if r.op == "=~" and r.lhs == name]
    if items:
        lv = {r.lhs for r in rows if r.op == "=~"}
        nested = [i for i in items if i in lv]
        if nested:
            raise InputError(
                f"interaction with '{name}': its indicator '{nested[0]}' is a factor "
                "(product indicators need observed items)"
            )
        return list(dict.fromkeys(items)), True
    if name in data.columns:
        return [name], False
    raise InputError(
        f"'{name}' in an interaction term is neither a construct of the model (=~) nor a "
        "column of the data",
        column=name,
    )


def _shared_error_pairs(inters: list[Interaction]) -> list[tuple[str, str]]:
    """Product indicators sharing a parent item that has measurement error (Marsh et al.
    2004): their residuals covary."""
    owners: list[tuple[str, set[str]]] = []
    for it in inters:
        if not it.latent:
            continue
        for prod, (u, v) in zip(it.products, it.pairs, strict=True):
            noisy = set()
            if it.x_latent:
                noisy.add(u)
            if it.z_latent:
                noisy.add(v)
            owners.append((prod, noisy))
    out = []
    for i, (p, a) in enumerate(owners):
        for q, b in owners[i + 1 :]:
            if a & b and (p, q) not in out:
                out.append((p, q))
    return out


def expand_interactions(
    model: str,
    data,
    *,
    match: bool = True,
    double_centre: bool = True,
    orthogonal: bool = False,
    correlate_shared: bool = True,
) -> Expansion:
    """Expand ``X:Z`` terms of lavaan syntax into product indicators (see the module notes).

    ``match=False`` uses all pairs of items; ``orthogonal=True`` fixes the covariances of the
    product factor with X and Z to 0 (``X.Z ~~ 0*X + 0*Z``, as semTools' example; implied by
    double-mean centring under normality); ``correlate_shared=False`` leaves out the
    residual covariances of product indicators that share an item.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> df = pd.DataFrame(rng.integers(1, 8, (50, 9)).astype(float),
        ...     columns=[f"{c}{i}" for c in ("SAT", "SWC", "LOY") for i in (1, 2, 3)])
        >>> ex = expand_interactions(
        ...     "SAT =~ SAT1 + SAT2 + SAT3\\nSWC =~ SWC1 + SWC2 + SWC3\\n"
        ...     "LOY =~ LOY1 + LOY2 + LOY3\\nLOY ~ SAT + SWC + SAT:SWC", df)
        >>> ex.syntax.splitlines()[3:5]
        ['LOY ~ SAT + SWC + SAT.SWC', 'SAT.SWC =~ SAT1.SWC1 + SAT2.SWC2 + SAT3.SWC3']
    """
    from .estimation import _as_frame

    frame = _as_frame(data)
    text, pairs = _rewrite(model)
    rows = parse_syntax(text)
    known = {r.lhs for r in rows} | {r.rhs for r in rows}
    inters: list[Interaction] = []
    new_cols: dict[str, pd.Series] = {}
    warnings: list[str] = []
    for x, z in pairs:
        xi, xl = _parts(x, rows, frame)
        zi, zl = _parts(z, rows, frame)
        both = xl and zl
        prod = product_indicators(frame, xi, zi, match=match and both, double_centre=double_centre)
        cols = list(prod.columns)
        name = f"{x}.{z}"
        if (xl or zl) and (name in frame.columns or any(r.lhs == name for r in rows)):
            raise InputError(
                f"the product factor '{name}' of {x}:{z} clashes with a column or "
                "construct of that name"
            )
        if not (xl or zl):
            prod.columns = [name]
            cols = [name]
        pairs_used = _pairs_of(xi, zi, match and both)
        for c in cols:
            new_cols[c] = prod[c]
        inters.append(Interaction(x, z, xi, zi, xl, zl, cols, pairs_used, name))
        obs = [v for v, lat in ((x, xl), (z, zl)) if not lat]
        if (xl or zl) and obs:
            warnings.append(
                f"'{obs[0]}' is an observed variable in the latent interaction {x}:{z}: as in "
                f"lavaan, its covariance with the latent predictors is 0 unless the model "
                f"says otherwise (e.g. '{x if xl else z} ~~ {obs[0]}')"
            )
    for c in new_cols:
        if c in known and c not in [it.syntax_name for it in inters]:
            raise InputError(f"the product column '{c}' clashes with a name in the model")
    lines = [text.rstrip("\n")]
    for it in inters:
        if not it.latent:
            continue
        lines.append(f"{it.syntax_name} =~ " + " + ".join(it.products))
        if orthogonal:
            lines.append(f"{it.syntax_name} ~~ 0*{it.x} + 0*{it.z}")
    if correlate_shared:
        lines += [f"{p} ~~ {q}" for p, q in _shared_error_pairs(inters)]
    out = frame.copy()
    for c, s in new_cols.items():
        out[c] = s
    return Expansion(out, "\n".join(lines) + "\n", inters, warnings)


def _pairs_of(xi: list[str], zi: list[str], match: bool) -> list[tuple[str, str]]:
    if match:
        return list(zip(xi, zi, strict=True))
    return [(u, v) for u in xi for v in zi]


def _rename_rows(rows: list[SyntaxRow], renames: dict[str, str]) -> list[SyntaxRow]:
    out = []
    for r in rows:
        out.append(
            SyntaxRow(
                renames.get(r.lhs, r.lhs),
                r.op,
                renames.get(r.rhs, r.rhs) if r.op != ":=" else r.rhs,
                r.line,
                r.modifier,
            )
        )
    return out


def expand_for_sem(syntax: str, data, file: str | None = None, **options):
    """The hook of :func:`loyaltysem.sem`: parsed rows, the data and the syntax to record.

    Without an ``X:Z`` term this is ``parse_syntax``. With one, the rows are those of the
    expanded syntax with the product factor (or column) renamed ``X:Z``, the data gain the
    product columns (an observed product is named ``X:Z`` there too), and the syntax
    returned is the expanded lavaan syntax (``X.Z``), which R's lavaan fits to the same
    numbers.
    """
    rows, frame, text, _ = _expand(syntax, data, file, **options)
    return rows, frame, text


def _expand(syntax: str, data, file: str | None = None, **options):
    """expand_for_sem's work, plus the expansion's warnings."""
    if not has_interaction(syntax):
        return parse_syntax(syntax, file=file), data, syntax, []
    try:
        parse_syntax(_rewrite(syntax)[0], file=file)  # syntax errors name the user's line
        ex = expand_interactions(syntax, data, **options)
    except InputError as exc:
        if file and not exc.file:
            exc.file = str(file)
            exc.args = (exc._format(),)
        raise
    rows = _rename_rows(parse_syntax(ex.syntax, file=file), ex.renames)
    frame = ex.data
    for it in ex.interactions:
        if not it.latent:
            frame = frame.assign(**{it.name: frame[it.syntax_name]})
    return rows, frame, ex.syntax, ex.warnings


def fit(model, data, *, match: bool = True, orthogonal: bool = False, **sem_options):
    """Fit a model with ``X:Z`` terms with options for the product indicators
    (``match=False``: all pairs); other keywords go to :func:`loyaltysem.sem`."""
    from .estimation import model_syntax, sem

    syntax, source = model_syntax(model)
    rows, frame, text, notes = _expand(
        syntax, data, file=source, match=match, orthogonal=orthogonal
    )
    result = sem(rows, frame, **sem_options)
    result.syntax = text
    result.warnings = list(result.warnings) + notes
    return result


# ----------------------------------------------------------------------------- probing


def interaction_terms(result) -> list[tuple[str, str, str]]:
    """(y, x, z) of every ``Y ~ X:Z`` row of a fitted model."""
    pt = result.pt
    out = []
    for r in pt[(pt["op"] == "~") & pt["rhs"].str.contains(":", regex=False)].itertuples():
        x, z = r.rhs.split(":", 1)
        if (r.lhs, x, z) not in out:
            out.append((r.lhs, x, z))
    return out


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
    crit = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "z_sd": w / s.sd if s.sd > 0 else np.nan,
            "z_value": w,
            "est": est,
            "se": se,
            "z": zval,
            "pvalue": 2 * stats.norm.sf(np.abs(zval)),
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
    c2 = stats.norm.ppf(0.5 + level / 2) ** 2
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
class ModeratedMediation:
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
    n_boot: int = 5000,
    seed: int | None = None,
    level: float = 0.95,
    ci: str = "percentile",
    match: bool = True,
    n_jobs: int | None = None,
    **sem_options,
) -> ModeratedMediation:
    """X -> M -> Y with W moderating the first (``M ~ X + W + X:W``) or second stage
    (``Y ~ M + W + M:W``): fit, then ``:=`` rows for the index of moderated mediation and the
    conditional indirect effects at W = -1 SD, mean, +1 SD, bootstrapped by
    :func:`loyaltysem.semcore.bootstrap.bootstrap` (rows of the augmented data resampled, as lavaan's
    bootstrap of a model fitted on ``indProd()`` data; ``n_boot=0`` skips it).
    """
    from .bootstrap import bootstrap
    from .estimation import model_syntax, sem

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
        boot = bootstrap(fit_, n_boot, seed=seed, level=level, bca=ci == "bca", n_jobs=n_jobs)
        bt = boot.table
        bt = bt[(bt["op"] == ":=") & (bt["scale"] == "est")].set_index("lhs")
        bt = bt.loc[table["name"]]
        prefix = {"percentile": "perc", "bc": "bc", "bca": "bca"}[ci]
        table["boot.se"] = bt["boot.se"].to_numpy()
        table["ci.lower"] = bt[f"{prefix}.lower"].to_numpy()
        table["ci.upper"] = bt[f"{prefix}.upper"].to_numpy()
    return ModeratedMediation(table, fit_, boot, stage, roles, w_sd, defs)
