"""What a table's note says about the draws and the respondents behind its numbers, and the
words the chapter uses for the warnings it states in the note itself.

Every note of a table computed from bootstrap draws names the draws, the interval, the seed
and, when some draws failed, how many and why, and that the intervals use the rest
(:func:`draws_phrase`: "1,000 bootstrap resamples (bias-corrected percentile CI, seed 12345),
of which 967 converged and were used (33 did not converge and were left out)"), so the
chapter never states a count of draws it did not use. Every note of a table computed from a
model fitted after listwise deletion gives that model's N and how many respondents the
deletion left out (:func:`model_n_text`).

A warning (:class:`~loyaltysem.base.notice.Notice`) whose content such a phrase states is
not repeated after "Warning:" in the same note: :func:`statement` gives the words a note
uses for it (None for every other warning, which the note quotes by
:func:`~loyaltysem.report.i18n.warning_text`). :func:`disclosure` is what a reader finds in
some note of the chapter for each warning of the run (used by the chapter's assembly and the
examiner tests).

:func:`continuous_note` says once that a continuous demographic (age in years) is described
by its mean and SD, not compared across groups.
"""

from __future__ import annotations

from loyaltysem.psychometrics.descriptives import CONTINUOUS_MIN_VALUES
from loyaltysem.report.i18n import has, t, warning_text

#: warning code -> the catalogue key of the words a note states it in
_STATED = {
    "boot.not_converged": "draws.stated.not_converged",
    "boot.failed_draws_ordinal": "draws.stated.ordinal",
    "pls.boot_failed": "draws.stated.pls",
    "sem.listwise_dropped": "draws.stated.listwise",
    "pls.mean_replaced": "pls.note.missing",  # the PLS measurement table's note
}
BOOT_FAILURES = ("boot.not_converged", "boot.failed_draws_ordinal", "pls.boot_failed")


def _count(n: int, lang: str) -> str:
    """1,000 in English, 1000 in Chinese."""
    return f"{int(n):,}" if lang == "en" else str(int(n))


def statement(notice, lang: str) -> str | None:
    """The words a note states ``notice`` in (its draws phrase or its N), or None when the
    note quotes the warning as such.

    Example:
        >>> from loyaltysem.base.notice import Notice
        >>> w = Notice("boot.not_converged", "33 of 1000 draws did not converge", k=33, n=1000)
        >>> statement(w, "en")
        ', of which 967 converged and were used (33 did not converge and were left out)'
        >>> statement(w, "zh")
        '中收敛的967次（另有33次未收敛，已剔除）'
    """
    key = _STATED.get(getattr(notice, "code", None))
    if key is None or not has(key):
        return None
    f = dict(notice.fields)
    k, n = int(f.get("k", 0)), int(f.get("n", 0))
    extra = {c: _count(f[c], lang) for c in ("empty", "nonconv") if c in f}
    return t(key, lang, k=_count(k, lang), n=_count(n, lang), used=_count(n - k, lang), **extra)


def disclosure(notice, lang: str) -> str:
    """What the chapter prints for ``notice`` in some table's note: its :func:`statement`
    where a note states it, else its translated warning text.

    Example:
        >>> from loyaltysem.base.notice import Notice
        >>> disclosure(Notice("screen.no_duration", "no duration column"), "en")
        'No duration column: speeders could not be checked.'
    """
    return statement(notice, lang) or warning_text(notice, lang)


def draws_phrase(ctx, n_boot: int, seed, kind: str, notices=(), replaced: int = 0) -> str:
    """ "200 bootstrap resamples (percentile CI, seed 12345)", with the failed draws of
    ``notices`` (the bootstrap's warnings) stated and the draws the intervals use:
    ", of which 193 converged and were used (7 did not converge and were left out)";
    ``replaced``: draws that could not be estimated and were replaced by new ones (PROCESS).
    ``kind``: the interval's name in the report's language.

    Example:
        >>> from types import SimpleNamespace
        >>> from loyaltysem.base.notice import Notice
        >>> w = Notice("boot.not_converged", "7 of 200 draws did not converge", k=7, n=200)
        >>> draws_phrase(SimpleNamespace(lang="en"), 200, 12345, "percentile", [w])[:55]
        '200 bootstrap resamples (percentile CI, seed 12345), of'
        >>> draws_phrase(SimpleNamespace(lang="zh"), 200, 12345, "百分位", [w])[-21:]
        '中收敛的193次（另有7次未收敛，已剔除）'
    """
    lang = ctx.lang
    text = t("draws.base", lang, n=_count(n_boot, lang), kind=kind, seed=seed)
    for w in notices:
        if getattr(w, "code", None) in BOOT_FAILURES:
            return text + statement(w, lang)
    if replaced:
        text += t("draws.replaced", lang, k=_count(replaced, lang))
    return text


def listwise_notice(fit):
    """The listwise-deletion warning of a fitted model (None: no respondent was lost)."""
    for w in getattr(fit, "warnings", None) or []:
        if getattr(w, "code", None) == "sem.listwise_dropped":
            return w
    return None


def model_n_text(ctx, fit, plain_key: str, lost_key: str = "draws.n_lost") -> str:
    """The N of a table computed from ``fit``: with the respondents listwise deletion left out
    when it left any out ("N = 366 (listwise deletion left out the 34 of the 400 respondents
    with a missing answer)."), else ``plain_key`` (e.g. "n_note_listwise")."""
    w = listwise_notice(fit)
    if w is None:
        return ctx.t(plain_key, n=fit.n)
    return ctx.t(lost_key, m=fit.n, lost=statement(w, ctx.lang))


def complete_n_text(ctx, n_complete: int, n_rows: int, plain_key: str = "n_note_listwise") -> str:
    """The N of a table computed on the respondents who answered every item, with how many
    of ``n_rows`` that left out.

    Example:
        >>> from loyaltysem.report.chapter import Ctx
        >>> complete_n_text(Ctx("en"), 366, 400)
        'N = 366 (listwise deletion left out the 34 of the 400 respondents with a missing answer).'
    """
    if n_complete >= n_rows:
        return ctx.t(plain_key, n=n_complete)
    k, lang = n_rows - n_complete, ctx.lang
    lost = t("draws.stated.listwise", lang, k=_count(k, lang), n=_count(n_rows, lang))
    return ctx.t("draws.n_lost", m=n_complete, lost=lost)


def stated_in(notice, text: str, lang: str) -> bool:
    """Does ``text`` (a note with its N) already state ``notice``?"""
    words = statement(notice, lang)
    return bool(words) and words in text


def continuous_note(ctx, continuous: list[str], key: str) -> str:
    """The note (``key``: ``note.continuous.correlations`` in the note of the table of their
    correlations with the constructs, else ``note.continuous`` in the sample profile's)
    that the ``continuous`` demographics are described by M and SD, not compared across
    groups.

    Example:
        >>> continuous_note(ctx, ["age"], "note.continuous")  # doctest: +SKIP
        'Age is a continuous variable (numeric, more than 10 distinct values, ...'
    """
    names = [ctx.label(c) for c in continuous]
    return ctx.tc(key, len(names), vars=ctx.join(names), k=CONTINUOUS_MIN_VALUES)
