"""The PROCESS models built here: which paths each model moderates, and the equations (terms
in PROCESS's order) that follow for given variables.

Source: Hayes (2022), *Introduction to Mediation, Moderation, and Conditional Process
Analysis*, 3rd ed., Appendix A (model templates) and PROCESS v4's model matrices: the
mediators' equations come first (M1, M2, ...), then Y's; within an equation the constant, X,
the mediators that precede the outcome, then for each predictor moderated by W the block
``W, predictor*W``, the same for Z, then ``W*Z`` and ``predictor*W*Z``, then the covariates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# moderators of a path: "W", "Z" (two-way products) and "WZ" (the three-way product)
Mods = tuple[str, ...]
Term = tuple[str, ...]  # the factors of a term; () is the constant


@dataclass(frozen=True)
class ModelSpec:
    """A PROCESS model: the moderators of its X -> Y, X -> M and M -> Y paths."""

    number: int
    x_to_y: Mods = ()
    x_to_m: Mods = ()
    m_to_y: Mods = ()
    mediation: bool = True
    serial: bool = False

    @property
    def moderators(self) -> list[str]:
        """The moderator roles the model needs ("W", and "Z" for models 2 and 3)."""
        letters = set("".join(self.x_to_y + self.x_to_m + self.m_to_y))
        return [r for r in ("W", "Z") if r in letters]

    @property
    def mediators(self) -> tuple[int, int]:
        """The fewest and most mediators the model takes (PROCESS v4's limits)."""
        if not self.mediation:
            return (0, 0)
        return (2, 6) if self.serial else (1, 10)


MODELS: dict[int, ModelSpec] = {
    1: ModelSpec(1, x_to_y=("W",), mediation=False),
    2: ModelSpec(2, x_to_y=("W", "Z"), mediation=False),
    3: ModelSpec(3, x_to_y=("W", "Z", "WZ"), mediation=False),
    4: ModelSpec(4),
    5: ModelSpec(5, x_to_y=("W",)),
    6: ModelSpec(6, serial=True),
    7: ModelSpec(7, x_to_m=("W",)),
    8: ModelSpec(8, x_to_m=("W",), x_to_y=("W",)),
    14: ModelSpec(14, m_to_y=("W",)),
    15: ModelSpec(15, m_to_y=("W",), x_to_y=("W",)),
    58: ModelSpec(58, x_to_m=("W",), m_to_y=("W",)),
    59: ModelSpec(59, x_to_m=("W",), m_to_y=("W",), x_to_y=("W",)),
}


@dataclass(frozen=True)
class Codes:
    """The columns that stand for each role: X (one column, or the indicator codes of a
    multicategorical X), W and Z likewise; mediators and covariates by name."""

    x: list[str]
    m: list[str]
    w: list[str] = field(default_factory=list)
    z: list[str] = field(default_factory=list)
    cov: list[str] = field(default_factory=list)


@dataclass
class Equation:
    """One outcome's OLS equation: its predictors (X first, then mediators), the moderators
    of each predictor, and its terms in PROCESS's order."""

    outcome: str
    predictors: list[str]  # "X" for the X codes, else a mediator's name
    moderated: dict[str, Mods]
    terms: list[Term]

    def focal_codes(self, predictor: str, codes: Codes) -> list[str]:
        return codes.x if predictor == "X" else [predictor]


def _mods(spec: ModelSpec, predictor: str, to_y: bool) -> Mods:
    if predictor == "X":
        return spec.x_to_y if to_y else spec.x_to_m
    return spec.m_to_y if to_y else ()


def _products(first: list[str], second: list[str]) -> list[Term]:
    return [(a, b) for a in first for b in second]


def _terms(predictors: list[str], moderated: dict[str, Mods], codes: Codes) -> list[Term]:
    """PROCESS's term order: constant, predictors, the W block, the Z block, the W*Z block,
    covariates."""

    def cols(p: str) -> list[str]:
        return codes.x if p == "X" else [p]

    terms: list[Term] = [()] + [(c,) for p in predictors for c in cols(p)]
    for letter, mcodes in (("W", codes.w), ("Z", codes.z)):
        added = False
        for p in predictors:
            if letter in moderated.get(p, ()):
                if not added:
                    terms += [(c,) for c in mcodes]
                    added = True
                terms += _products(cols(p), mcodes)
    wz_added = False
    for p in predictors:
        if "WZ" in moderated.get(p, ()):
            if not wz_added:
                terms += _products(codes.w, codes.z)
                wz_added = True
            terms += [(c, w, z) for c in cols(p) for w in codes.w for z in codes.z]
    return terms + [(c,) for c in codes.cov]


def equations(spec: ModelSpec, codes: Codes, y: str) -> list[Equation]:
    """The model's equations, mediators first (in order), then Y.

    Example:
        >>> eqs = equations(MODELS[7], Codes(x=["X"], m=["M"], w=["W"]), "Y")
        >>> [(e.outcome, ["*".join(t) or "constant" for t in e.terms]) for e in eqs]
        [('M', ['constant', 'X', 'W', 'X*W']), ('Y', ['constant', 'X', 'M'])]
    """
    out = []
    for i, m in enumerate(codes.m):
        preds = ["X"] + (codes.m[:i] if spec.serial else [])
        moderated = {p: _mods(spec, p, to_y=False) for p in preds}
        moderated = {p: v for p, v in moderated.items() if v}
        out.append(Equation(m, preds, moderated, _terms(preds, moderated, codes)))
    preds = ["X"] + list(codes.m)
    moderated = {p: _mods(spec, p, to_y=True) for p in preds}
    moderated = {p: v for p, v in moderated.items() if v}
    out.append(Equation(y, preds, moderated, _terms(preds, moderated, codes)))
    return out


def term_name(term: Term) -> str:
    """``"constant"`` for the intercept, else the factors joined by ``*``."""
    return "*".join(term) if term else "constant"


def paths(spec: ModelSpec, mediators: list[str]) -> list[tuple[str, ...]]:
    """The indirect paths through the mediators, in PROCESS's order: each mediator alone
    (parallel), or every ordered chain of mediators by length, then in order (serial).

    Example:
        >>> paths(MODELS[6], ["A", "B", "C"])
        [('A',), ('B',), ('C',), ('A', 'B'), ('A', 'C'), ('B', 'C'), ('A', 'B', 'C')]
    """
    from itertools import combinations

    if not spec.serial:
        return [(m,) for m in mediators]
    return [c for k in range(1, len(mediators) + 1) for c in combinations(mediators, k)]
