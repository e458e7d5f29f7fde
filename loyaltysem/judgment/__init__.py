"""Every verdict the chapter prints, decided once by a documented rule with its source.

A verdict (:class:`~loyaltysem.judgment.verdict.Verdict`) is made here from the numbers of
the analyses - a criterion met or not, a hypothesis supported, a mediation's type, an
invariance step accepted, a group difference - and stored on the pipeline's results. Every
table, paragraph, summary and language reads that decision; no report module decides again.
The rules and their sources are the reporting conventions' (docs/reporting-conventions.md).
Imports the analyses and the cut-offs below it; the report and the pipeline import it.
"""
