"""The chapter's tables in thesis order: every builder with its section and the analyses it
serves, in one list (:data:`BUILDERS`). Adding a table means one builder in a
``tables*.py`` module and one entry here; its words go into :mod:`.i18n`."""

from __future__ import annotations

from loyaltysem.report.tables import compare as C
from loyaltysem.report.tables import groups as G
from loyaltysem.report.tables import higher_order as HO
from loyaltysem.report.tables import moderation as M
from loyaltysem.report.tables import pls as P
from loyaltysem.report.tables import pls_higher_order as H
from loyaltysem.report.tables import scores as X
from loyaltysem.report.tables import structural as S
from loyaltysem.report.tables.measurement import (
    convergent,
    descriptives,
    fornell_larcker,
    harman,
    htmt_table,
    kmo_bartlett,
    loadings,
    reliability,
    sample_profile,
    screening,
    valid_sample_table,
    variance_explained,
)
from loyaltysem.report.tables.process import process_tables

CB, PLS, BOTH = ("cb",), ("pls",), ("cb", "pls")


# (section, builder, methods): the chapter in thesis order; a builder runs for the analyses
# it is listed for ("cb" covariance-based SEM, "pls" PLS-SEM) and returns None where its
# result is missing (no demographics, no bootstrap, no moderator, ...).
BUILDERS = [
    ("sample", valid_sample_table, BOTH),
    ("sample", screening, BOTH),
    ("sample", sample_profile, BOTH),
    ("descriptives", descriptives, BOTH),
    ("cmb", harman, BOTH),
    ("cmb", X.method_bias_cfa, CB),
    ("reliability", reliability, BOTH),
    ("validity", kmo_bartlett, BOTH),
    ("validity", variance_explained, BOTH),
    ("validity", loadings, BOTH),
    ("validity", convergent, CB),
    ("validity", HO.second_order, CB),
    ("validity", HO.second_order_fit, CB),
    ("validity", fornell_larcker, CB),
    ("validity", htmt_table, CB),
    ("correlations", X.construct_correlations, BOTH),
    ("differences", X.group_differences, BOTH),
    ("differences", X.continuous_correlations, BOTH),
    ("pls_measurement", P.measurement, PLS),
    ("pls_measurement", P.formative, PLS),
    ("pls_measurement", H.higher_order, PLS),
    ("pls_discriminant", P.htmt, PLS),
    ("pls_discriminant", P.fornell_larcker, PLS),
    ("pls_discriminant", P.cross_loadings, PLS),
    ("pls_structural", P.collinearity, PLS),
    ("pls_structural", P.paths, PLS),
    ("pls_structural", P.explanatory_power, PLS),
    ("pls_structural", P.predict, PLS),
    ("sem", S.model_fit, CB),
    ("sem", C.rival_models, CB),
    ("sem", S.paths, CB),
    ("sem", S.r_squared, CB),
    ("mediation", S.mediation, CB),
    ("mediation", P.mediation, PLS),
    ("moderation", M.moderation, CB),
    ("moderation", M.moderated_mediation, CB),
    ("process", process_tables, BOTH),
    ("groups", G.invariance, CB),
    ("groups", G.group_paths, CB),
    ("hypotheses", S.hypothesis_summary, BOTH),
]


def builders(method: str = "cb") -> list:
    """(section, builder) pairs of the chapter of ``method`` ("cb" or "pls"), in order."""
    return [(section, b) for section, b, methods in BUILDERS if method in methods]
