"""Stage 2, psychometrics: what is checked before the structural model.

``screening`` (missing answers, careless respondents, outliers), ``valid_sample``,
``descriptives`` (psych::describe, Mardia), ``reliability`` (alpha, CITC, omega, CR, AVE,
HTMT), ``efa`` and ``components`` (KMO, Bartlett, parallel analysis, EFA, PCA),
``keying`` (psych's check.keys rule for reverse-keyed items), ``construct_scores`` and
``group_differences`` (t tests, ANOVA), ``cutoffs`` (every cut-off with its source).
Imports only ``survey`` and the base modules.
"""
