"""The chapter summary (本章小结): what each table found, and every criterion not met."""

from __future__ import annotations


def chapter_summary(tables, ctx) -> str:
    """One paragraph: the sample, the main findings table by table, then the criteria that
    were not met (or that all were), in the report's language."""
    found = [tb.summary for tb in tables if tb.summary]
    failed = [f for tb in tables for f in tb.failed]
    text = ctx.t("sum.intro") + "".join(found)
    if failed:
        sep = "；" if ctx.lang == "zh" else "; "
        text += ctx.t("sum.failed", which=sep.join(failed))
    else:
        text += ctx.t("sum.all_ok")
    return text
