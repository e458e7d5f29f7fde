"""What an estimator means, resolved once (lavaan's ``lav_options_set``).

lavaan turns ``estimator =`` (with ``missing =`` and ``ordered =``) into the options every
later step reads: the discrepancy it minimises (``estimator`` ML, or WLS / DWLS / ULS, its
``WLS.V``), ``se``, ``information`` and ``test`` (``lav_options_est_ml``,
``lav_options_est_dwls`` & co. in later versions), and from the test the fit measures
``fitMeasures()`` adds (``.scaled`` for a scaled test, ``.robust`` for Yuan-Bentler,
Satorra-Bentler and scaled-shifted tests and under FIML) and the difference test
``lavTestLRT()`` uses. :func:`resolve_options` does the same, once, and returns a frozen
:class:`Options` that the estimation, the standard errors, the fit measures, the difference
tests, the bootstrap and the report read; no other module compares estimator names.

lavaan 0.6.14's choices (``tests/fixtures/lavaan/options.json``; ``tests/test_options.py``):

| estimator | family | WLS.V | se                 | information              | test               |
|-----------|--------|-------|--------------------|--------------------------|--------------------|
| ML        | ML     |       | standard           | expected (FIML observed) | standard           |
| MLR       | ML     |       | robust.huber.white | observed                 | yuan.bentler.mplus |
| WLSMV     | WLS    | DWLS  | robust.sem         | expected                 | scaled.shifted     |
| ULSMV     | WLS    | ULS   | robust.sem         | expected                 | scaled.shifted     |
| WLS       | WLS    | WLS   | standard           | expected                 | standard           |
| DWLS      | WLS    | DWLS  | standard           | expected                 | standard           |
| ULS       | WLS    | ULS   | standard           | expected                 | standard           |

The ML family takes continuous items (listwise or FIML), the WLS family ordered items
(listwise), as lavaan does (it refuses ML with ordered items and FIML in the categorical
setting). This module imports nothing numerical: the command line builds its choices from
:data:`ESTIMATORS` before any data are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from loyaltysem.base.errors import InputError

__all__ = [
    "CONTINUOUS_ESTIMATORS",
    "ESTIMATORS",
    "MISSING",
    "ORDERED_ESTIMATORS",
    "Options",
    "resolve_missing",
    "resolve_options",
]


@dataclass(frozen=True)
class _Row:
    """One estimator's row of lavaan's option table."""

    family: str  # "ML" (normal likelihood) or "WLS" (weighted least squares)
    weights: str | None  # the WLS family's weight matrix (lavaan's WLS.V): WLS, DWLS, ULS
    se: str
    test: str
    information: str  # complete data (listwise)
    information_fiml: str | None  # None: FIML is not available
    fit_suffix: str  # the fit indices the report shows (this project's choice)


#: lavaan's rows, in the order the command line lists them (the first of each kind is the
#: default: ML for continuous items, WLSMV for ordered ones)
_ROWS: dict[str, _Row] = {
    "ML": _Row("ML", None, "standard", "standard", "expected", "observed", ""),
    "MLR": _Row(
        "ML", None, "robust.huber.white", "yuan.bentler.mplus", "observed", "observed", ".robust"
    ),
    "WLSMV": _Row("WLS", "DWLS", "robust.sem", "scaled.shifted", "expected", None, ".scaled"),
    "ULSMV": _Row("WLS", "ULS", "robust.sem", "scaled.shifted", "expected", None, ".scaled"),
    "WLS": _Row("WLS", "WLS", "standard", "standard", "expected", None, ""),
    "DWLS": _Row("WLS", "DWLS", "standard", "standard", "expected", None, ""),
    "ULS": _Row("WLS", "ULS", "standard", "standard", "expected", None, ""),
}

#: every estimator ``sem()`` and the command line accept (canonical names)
ESTIMATORS: tuple[str, ...] = tuple(_ROWS)
#: for continuous items (default first) and for ordered items (default first)
CONTINUOUS_ESTIMATORS = tuple(k for k, r in _ROWS.items() if r.family == "ML")
ORDERED_ESTIMATORS = tuple(k for k, r in _ROWS.items() if r.family == "WLS")
#: lavaan's ``missing =`` values this project offers ("ml" is accepted for "fiml")
MISSING: tuple[str, ...] = ("listwise", "fiml")

#: tests that are scaled (lavaan's ``scaled.flag`` in ``lav_fit_measures``)
_SCALED_TESTS = (
    "satorra.bentler", "yuan.bentler", "yuan.bentler.mplus", "mean.var.adjusted",
    "scaled.shifted",
)  # fmt: skip
#: scaled tests with robust CFI/TLI/RMSEA (``robust.flag`` in ``lav_fit_cfi_lavobject``)
_ROBUST_TESTS = ("satorra.bentler", "yuan.bentler", "yuan.bentler.mplus", "scaled.shifted")
#: tests whose difference lavTestLRT scales by Satorra & Bentler (2001)
_SB2001_TESTS = ("satorra.bentler", "yuan.bentler", "yuan.bentler.mplus")


@dataclass(frozen=True)
class Options:
    """lavaan's options of one fit, resolved from (estimator, missing, ordered).

    Attributes:
        estimator: the canonical name the user chose ("ML", "MLR", "WLSMV", ...).
        family: "ML" (the normal likelihood) or "WLS" (weighted least squares on the
            ordered items' thresholds and polychoric correlations).
        missing: "listwise" or "fiml".
        categorical: the items are ordered categories (two-step statistics).
        se: "standard", "robust.huber.white" or "robust.sem" (lavaan's ``se``).
        information: "expected" or "observed" (lavaan's ``information``).
        test: "standard", "yuan.bentler.mplus" or "scaled.shifted" (lavaan's ``test``).
        weights: the WLS family's weight matrix (lavaan's WLS.V) "WLS", "DWLS" or "ULS";
            None for the ML family.
        meanstructure: means and intercepts are modelled.
        scaled: a scaled test exists (``chisq.scaled`` and the ``.scaled`` indices).
        robust: robust CFI/TLI/RMSEA exist (the ``.robust`` indices).
        likelihood: the estimates maximise the normal likelihood (logL, AIC, BIC; the ML
            refits of the bootstrap apply).
        refdistr: the standard test's reference distribution, "chisq", or "unknown" under
            ULS (lavaan's ``lav_model_test``: no p-value).
        lrt_method: lavTestLRT's default difference test for this test: "standard",
            "satorra.bentler.2001" or "satorra.2000".
        fiml_version: Zhang & Savalei's FIML correction of the robust indices lavaan uses
            (``lav_fit_fiml_corrected``: "V3" with a scaled test, "V6" without); None for
            complete data.
        fit_suffix: the version of CFI/TLI/RMSEA the report shows: ".robust" (MLR),
            ".scaled" (WLSMV, ULSMV, as Mplus reports them) or "" (the standard ones).
    """

    estimator: str
    family: str
    missing: str
    categorical: bool
    se: str
    information: str
    test: str
    weights: str | None
    meanstructure: bool
    scaled: bool
    robust: bool
    likelihood: bool
    refdistr: str
    lrt_method: str
    fiml_version: str | None
    fit_suffix: str

    @property
    def fiml(self) -> bool:
        """Full-information ML on incomplete data."""
        return self.missing == "fiml"

    @property
    def chisq_pvalue(self) -> bool:
        """The standard test has a p-value (not under ULS: lavaan's ``refdistr``)."""
        return self.refdistr == "chisq"


def resolve_missing(missing: str) -> str:
    """lavaan's ``missing =`` as this project names it: "listwise" or "fiml" ("ml" too).

    Example:
        >>> resolve_missing("ML")
        'fiml'
    """
    name = {"ml": "fiml"}.get(str(missing).lower(), str(missing).lower())
    if name not in MISSING:
        raise InputError(f"missing must be 'listwise' or 'fiml', not '{missing}'")
    return name


def resolve_options(
    estimator: str | None = None,
    missing: str = "listwise",
    ordered: bool = False,
    se: str | None = None,
    test: str | None = None,
    information: str | None = None,
    meanstructure: bool | None = None,
) -> Options:
    """lavaan's options for an estimator, a missing-data rule and (un)ordered items.

    ``estimator``: any case; None (or "default"): ML for continuous items, WLSMV for ordered
    ones. ``se``, ``test``, ``information``: None for lavaan's choice; a value given must be
    that choice (the core computes lavaan's defaults only). ``meanstructure``: None for
    lavaan's default (True under FIML and with ordered items; sem() adds multi-group models
    and models with intercepts, as lavaan does). An unknown estimator or a combination lavaan
    refuses (ML with ordered items, FIML with ordered items) raises a one-line InputError.
    Source: lavaan 0.6.14 ``lav_options_set``, ``lav_fit_measures``, ``lavTestLRT``.

    Example:
        >>> o = resolve_options("wlsmv", ordered=True)
        >>> o.estimator, o.weights, o.se, o.test, o.scaled, o.lrt_method
        ('WLSMV', 'DWLS', 'robust.sem', 'scaled.shifted', True, 'satorra.2000')
    """
    missing = resolve_missing(missing)
    name = _estimator_name(estimator, bool(ordered), missing)
    row = _ROWS[name]
    fiml = missing == "fiml"
    info = row.information_fiml if fiml else row.information
    chosen = {"se": row.se, "test": row.test, "information": info}
    for key, given in (("se", se), ("test", test), ("information", information)):
        _check_given(key, given, chosen[key], name)
    scaled = row.test in _SCALED_TESTS
    if meanstructure is None:
        meanstructure = fiml or bool(ordered)
    return Options(
        estimator=name,
        family=row.family,
        missing=missing,
        categorical=bool(ordered),
        se=row.se,
        information=str(info),
        test=row.test,
        weights=row.weights,
        meanstructure=bool(meanstructure),
        scaled=scaled,
        robust=(scaled and row.test in _ROBUST_TESTS) or fiml,
        likelihood=row.family == "ML",
        refdistr="unknown" if row.weights == "ULS" else "chisq",
        lrt_method=_lrt_method(row.test),
        fiml_version=("V3" if scaled else "V6") if fiml else None,
        fit_suffix=row.fit_suffix,
    )


def _estimator_name(estimator: str | None, ordered: bool, missing: str) -> str:
    """The canonical estimator name, or a one-line InputError (the messages sem() gave)."""
    est = "" if estimator is None else str(estimator).strip().upper()
    if est in ("", "DEFAULT"):
        est = ORDERED_ESTIMATORS[0] if ordered else CONTINUOUS_ESTIMATORS[0]
    if ordered:
        if est not in ORDERED_ESTIMATORS:
            raise InputError(
                f"estimator '{estimator}' is not available for ordered items: use one of "
                f"{', '.join(ORDERED_ESTIMATORS)} (lavaan's)"
            )
        if missing != "listwise":
            raise InputError(
                "missing = 'fiml' is not available for ordered items (lavaan: listwise)"
            )
    elif est not in CONTINUOUS_ESTIMATORS:
        hint = " (ordered items: ordered=... or --ordered)" if est in ORDERED_ESTIMATORS else ""
        raise InputError(
            f"estimator must be one of {', '.join(CONTINUOUS_ESTIMATORS)}, not '{est}'{hint}"
        )
    return est


def _check_given(key: str, given: str | None, chosen: str | None, estimator: str) -> None:
    if given is None or str(given).strip().lower() in ("default", str(chosen)):
        return
    raise InputError(
        f"{key} = '{given}' is not available with estimator {estimator} (it uses {key} = "
        f"'{chosen}', as lavaan does)"
    )


def _lrt_method(test: str) -> str:
    """lavTestLRT's ``method = "default"`` for fits with this test."""
    if test not in _SCALED_TESTS:
        return "standard"
    return "satorra.bentler.2001" if test in _SB2001_TESTS else "satorra.2000"
