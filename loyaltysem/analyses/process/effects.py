"""Conditional, direct and indirect effects, and the index of moderated mediation, as
products and sums of regression coefficients (Hayes 2015; Hayes 2022, chs. 10-12).

An effect along one link (X -> M, M -> M', M -> Y or X -> Y) is the derivative of the
outcome's equation with respect to the focal predictor at given moderator values: g'b with
g_t = the product of the term's other factors for every term t holding the focal predictor
(0 elsewhere); its standard error is sqrt(g'Vg). An indirect effect is the product of the
links along its path; the total indirect effect their sum; a contrast a difference. The index
of moderated mediation (Hayes 2015) is the slope of an indirect effect on W when W moderates
one link linearly (a3 b in model 7, a b3 in model 14); for a dichotomous W it is the
difference between the indirect effects at W's two values (times that difference of values,
PROCESS's rule), for a multicategorical W the difference from the reference group.
Completely standardized indirect effects (Preacher & Kelley 2011; PROCESS's ``effsize``) are
the effect times SD(X) / SD(Y), partially standardized ones (dichotomous or multicategorical X)
the effect over SD(Y), with each draw's own SDs in the bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from loyaltysem.analyses.process.models import Term


@dataclass(frozen=True)
class Probe:
    """One point at which effects are conditioned: shown values and code values."""

    shown: dict[str, float]
    codes: dict[str, float]


def grid(letters: set[str], probes: dict[str, list[Probe]]) -> list[Probe]:
    """Probe points for the moderators ``letters`` ("W", "Z"): W's values, outer, by Z's."""
    use = [probes[k] for k in ("W", "Z") if k in letters]
    if not use:
        return [Probe({}, {})]
    return [
        Probe(
            {k: v for p in combo for k, v in p.shown.items()},
            {k: v for p in combo for k, v in p.codes.items()},
        )
        for combo in product(*use)
    ]


def gradient(terms: list[Term], focal: str, codes: dict[str, float]) -> np.ndarray:
    """d(equation)/d(focal) at the moderators' code values, as a weight on each term."""
    g = np.zeros(len(terms))
    for j, term in enumerate(terms):
        if focal in term:
            g[j] = float(np.prod([codes[f] for f in term if f != focal]))
    return g


def link_values(coef: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g'b for one coefficient vector (k,) or per draw (B, k) (row sums, no BLAS kernel)."""
    return (coef * g).sum(axis=-1)


@dataclass(frozen=True)
class Link:
    eq: int  # index of the equation
    focal: str  # the factor differentiated (an X code or a mediator)
    letters: frozenset  # moderators of this link


@dataclass(frozen=True)
class Path:
    label: str
    links: tuple[Link, ...]

    @property
    def letters(self) -> set[str]:
        return set().union(*[lk.letters for lk in self.links])


def path_value(
    coefs,
    terms,
    path: Path,
    codes: dict[str, float],
    slope_on: int | None = None,
    slope_codes: tuple[dict, dict] | None = None,
) -> np.ndarray:
    """The indirect effect along ``path`` at ``codes`` (point or per draw). With ``slope_on``,
    that link's value is replaced by its change between ``slope_codes`` (the index)."""
    out = None
    for i, lk in enumerate(path.links):
        if i == slope_on and slope_codes is not None:
            g = gradient(terms[lk.eq], lk.focal, slope_codes[1])
            g = g - gradient(terms[lk.eq], lk.focal, slope_codes[0])
        else:
            g = gradient(terms[lk.eq], lk.focal, codes)
        v = link_values(coefs[lk.eq], g)
        out = v if out is None else out * v
    return out


def index_plan(path: Path, probes: dict[str, list[Probe]], kind: str):
    """How the index of moderated mediation is computed for ``path``, as a list of
    (label of the moderator code, function(coefs, terms) -> value); empty when PROCESS
    reports no index (W on two links and continuous, or no W)."""
    if path.letters != {"W"}:
        return []
    on = [i for i, lk in enumerate(path.links) if "W" in lk.letters]
    pw = probes["W"]
    if kind == "categorical":  # each group's indirect effect minus the reference group's
        ref = pw[0].codes
        return [(name, _difference(path, pw[j].codes, ref)) for j, name in enumerate(ref, start=1)]
    if kind == "dichotomous":
        return [(None, _difference(path, pw[-1].codes, pw[0].codes))]
    if len(on) != 1:
        return []
    wname = next(iter(pw[0].codes))
    zero, one = {wname: 0.0}, {wname: 1.0}

    def slope(coefs, terms):
        return path_value(coefs, terms, path, zero, slope_on=on[0], slope_codes=(zero, one))

    return [(None, slope)]


def _difference(path: Path, hi: dict, lo: dict):
    def diff(coefs, terms):
        return path_value(coefs, terms, path, hi) - path_value(coefs, terms, path, lo)

    return diff


def draw_sd(G: np.ndarray, col: int) -> np.ndarray:
    """Each draw's standard deviation of column ``col`` of U from its moments G (column 0
    is the constant, so G[:, 0, 0] is n)."""
    n = G[:, 0, 0]
    var = (G[:, col, col] - G[:, 0, col] ** 2 / n) / (n - 1)
    return np.sqrt(var)
