"""Examiner rules for the warnings and the draws (issue 23, "What to build" items 2 and 3):
every warning ``loyaltysem run`` prints on the console reaches the note of a table of the
Word report, translated, in both languages; every note of a table computed from bootstrap
draws states the seed; failed draws are counted in the note with the draws the intervals use
(never "based on 1,000 resamples" when 33 of them failed); every model's N says how many
respondents listwise deletion left out. Each test reads the shared runs
(tests/examiner_runs.py)."""

from __future__ import annotations

import re

import pytest

from loyaltysem.base.notice import Notice
from loyaltysem.base.validate import DEFAULT_SEED
from loyaltysem.report.i18n import has, t
from loyaltysem.report.notes import disclosure

LANGS = ("en", "zh")
RUNS = ("example", "group", "ordered", "pls", "own")
#: and the run allowed to go on with a double reversal (its keying warnings)
WARNED = (*RUNS, "double_reversal_allowed")
#: a console line on failed bootstrap draws: "7 of 200 bootstrap draws did not converge ..."
FAILED = re.compile(r"(\d+) of (\d+) bootstrap (?:draws|samples)")


def console_warnings(run) -> list[str]:
    """The ``warning: ...`` lines the run printed, without the prefix."""
    lines = (run.stdout + "\n" + run.stderr).splitlines()
    return [line[len("warning: ") :] for line in lines if line.startswith("warning: ")]


def recorded(run) -> dict[str, Notice]:
    """The run's warnings as sem.json / pls.json record them (text -> Notice), both folders."""
    out: dict[str, Notice] = {}
    for lang in LANGS:
        name = "pls.json" if run.path("pls.json", lang).exists() else "sem.json"
        for rec in run.json(name, lang).get("notices", []):
            if rec.get("code"):
                out[rec["text"]] = Notice(rec["code"], rec["text"], **rec["fields"])
    return out


def notes(run, lang: str) -> list[str]:
    """The notes under the tables of the Word report."""
    head = t("note", lang)
    return [line for line in run.docx_text(lang).split("\n") if line.startswith(head)]


def _finished(examiner, name: str):
    run = examiner(name)
    assert run.status == 0, run.stderr[-2000:]
    return run


@pytest.mark.parametrize("name", WARNED)
def test_every_console_warning_is_in_a_note_in_both_languages(examiner, name):
    run = _finished(examiner, name)
    known = recorded(run)
    lost = []
    for line in console_warnings(run):
        notice = known.get(line)
        assert notice is not None, f"{name}: the console warning {line!r} has no code"
        assert has(f"warn.{notice.code}"), f"{name}: {notice.code} has no translation"
        for lang in LANGS:
            said = _plain(disclosure(notice, lang))
            if not any(said in _plain(note) for note in notes(run, lang)):
                lost.append(f"[{lang}] {line!r} (expected in a note: {said!r})")
    assert not lost, f"{name}: warnings in no table note:\n" + "\n".join(lost)


def _plain(text: str) -> str:
    """English notes print a true minus sign (APA); the warning's own text a hyphen."""
    return text.replace("\u2212", "-")


@pytest.mark.parametrize("name", RUNS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_bootstrap_note_states_the_seed(examiner, name, lang):
    run = _finished(examiner, name)
    said = "bootstrap resamples" if lang == "en" else "次Bootstrap抽样"
    seed = f"seed {DEFAULT_SEED}" if lang == "en" else f"随机种子为{DEFAULT_SEED}"
    boot = [note for note in notes(run, lang) if said in note]
    assert boot, f"{name}: no note names its bootstrap draws"
    missing = [note[:160] for note in boot if seed not in note]
    assert not missing, f"{name}: bootstrap notes without the seed: {missing}"


@pytest.mark.parametrize("name", RUNS)
@pytest.mark.parametrize("lang", LANGS)
def test_failed_draws_are_counted_and_the_intervals_use_the_rest(examiner, name, lang):
    """ "7 of 200 bootstrap draws did not converge" on the console: a note says 200 resamples,
    of which 193 were used (and the 7 left out), not "based on 200 resamples"."""
    run = _finished(examiner, name)
    found = [FAILED.search(line) for line in console_warnings(run)]
    for k, n in {(int(m[1]), int(m[2])) for m in found if m}:
        if lang == "en":
            base, used, left = f"{n:,} bootstrap resamples", f"of which {n - k:,} ", f"({k:,} "
        else:
            base, used, left = f"{n}次Bootstrap抽样", f"{n - k}次（", f"{k}次"
        hits = [note for note in notes(run, lang) if base in note and used in note and left in note]
        assert hits, f"{name}: {k} of {n} failed draws are in no bootstrap note ({lang})"


@pytest.mark.parametrize("name", ["example", "own"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_model_n_states_the_listwise_losses(examiner, name, lang):
    """Each model's N says how many respondents listwise deletion removed (the CFA and SEM
    share theirs; the moderation model has its own, with the moderator's items)."""
    run = _finished(examiner, name)
    losses = [n for n in recorded(run).values() if n.code == "sem.listwise_dropped"]
    assert losses, f"{name}: the run lost no respondent to listwise deletion"
    for notice in losses:
        said = disclosure(notice, lang)
        hits = [note for note in notes(run, lang) if said in note]
        assert hits, f"{name}: {notice} is in no N of a note ({lang})"
    plain = t("n_note_listwise", lang, n=0).split("0", 1)[1]  # " (respondents with ...)"
    bare = [note[-120:] for note in notes(run, lang) if plain in note]
    assert not bare, f"{name}: a listwise N without its losses: {bare}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_draws_phrase_states_each_cause_of_failure(lang):
    """The note's words for each kind of failed draw, with the count the intervals use."""
    from types import SimpleNamespace

    from loyaltysem.report.notes import draws_phrase

    ctx = SimpleNamespace(lang=lang)
    kind = t("ci.bc", lang)
    ordinal = Notice("boot.failed_draws_ordinal", "x", k=30, n=1000, empty=8, nonconv=22)
    pls = Notice("pls.boot_failed", "x", k=3, n=5000)
    cont = Notice("boot.not_converged", "x", k=33, n=1000)
    texts = {w.code: draws_phrase(ctx, w.fields["n"], 7, kind, [w]) for w in (ordinal, pls, cont)}
    used = {"boot.failed_draws_ordinal": 970, "pls.boot_failed": 4997, "boot.not_converged": 967}
    for code, text in texts.items():
        seed = "seed 7" if lang == "en" else "随机种子为7"
        assert seed in text and kind in text, text
        shown = f"{used[code]:,}" if lang == "en" else str(used[code])
        assert shown in text, text
    assert "8" in texts["boot.failed_draws_ordinal"] and "22" in texts["boot.failed_draws_ordinal"]
    plain = draws_phrase(ctx, 1000, 7, kind)
    assert ("1,000" if lang == "en" else "1000次") in plain
    assert "967" not in plain and ("of which" not in plain)
    replaced = draws_phrase(ctx, 5000, 7, t("ci.percentile", lang), replaced=4)
    assert "4" in replaced.replace("5,000", "").replace("5000", "")
