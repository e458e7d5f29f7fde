"""The report of an analysis: the chapter in one language, and every file of it written
into a folder (whole or not at all: the output-folder rule of :mod:`loyaltysem.base.fileio`)."""

from __future__ import annotations

from pathlib import Path

from loyaltysem.base.errors import InputError
from loyaltysem.base.fileio import atomic_directory, write_json
from loyaltysem.report.chapter import Chapter, assemble
from loyaltysem.report.registry import builders
from loyaltysem.report.symbols import literal_words
from loyaltysem.report.writers import files as writers

FORMATS = ("csv", "md", "html", "xlsx", "docx", "tex")


def chapter(result, lang: str = "en", *, strict: bool | None = None, number: int | None = None
            ) -> Chapter:  # fmt: skip
    """The results chapter of ``result`` (an analysis result) in ``lang`` ("en" or "zh");
    ``number``: the chapter's number (表4-1 for 4), ``strict``: Hu & Bentler's cut-offs."""
    opts = result.options
    return assemble(
        result,
        builders(result.method),
        lang,
        opts.chapter if number is None else int(number),
        opts.strict if strict is None else bool(strict),
    )


def write_report(
    result,
    folder: str | Path,
    lang: str = "both",
    formats: tuple[str, ...] = FORMATS,
    *,
    chapter: int | None = None,
    strict: bool | None = None,
    inputs: tuple = (),
) -> dict[str, Path]:
    """Write the results chapter of ``result`` into ``folder`` (never half-written):
    report.docx / .tex / .md / .html, tables.xlsx, one CSV per table, the figures and
    sem.json (pls.json). ``lang``: "both" (default, as ``loyaltysem run``: English in
    ``folder`` and Chinese in ``folder/zh``), "en" or "zh"; ``chapter``: the chapter's
    number (表4-1 for 4).

    Example:
        >>> import loyaltysem as ls
        >>> paths = ls.example_paths()
        >>> res = ls.analyze(paths["data_csv"], paths["model"])  # doctest: +SKIP
        >>> ls.write_report(res, "report", lang="both")  # doctest: +SKIP
    """
    if lang not in ("en", "zh", "both"):
        raise InputError(f"lang must be 'en', 'zh' or 'both', not {lang!r}")
    langs = ("en", "zh") if lang == "both" else (lang,)
    written = {}
    with atomic_directory(folder, inputs=inputs) as tmp:
        for k, one in enumerate(langs):
            target = tmp if k == 0 else tmp / one
            files = _write(result, target, one, formats, chapter, strict)
            written.update({(f"{one}/" if k else "") + n: p for n, p in files.items()})
    return {n: Path(folder) / n for n in written}


def _write(result, tmp: Path, lang: str, formats, number, strict) -> dict[str, Path]:
    tmp.mkdir(parents=True, exist_ok=True)
    chap = chapter(result, lang, strict=strict, number=number)
    for fig in chap.figures:
        for w in fig.draw(tmp / fig.filename) or []:
            if w not in result.warnings:
                result.warnings.append(w)
    with literal_words(_model_names(chap)):
        writers.write_all(chap, tmp, formats)
    model = result.pls.fit if result.method == "pls" else result.sem
    name = "pls.json" if result.method == "pls" else "sem.json"
    out = model.to_dict()
    structural = getattr(result, "structural", None)
    if structural is not None and structural.interactions:  # the output contract's block
        out["interactions"] = structural.interactions
    warns = result.all_warnings()
    notices = [{"text": str(w), "code": getattr(w, "code", None),
                "fields": dict(getattr(w, "fields", {}))} for w in warns]  # fmt: skip
    write_json(out | {"warnings": [str(w) for w in warns], "notices": notices}, tmp / name)
    return {p.name: p for p in tmp.iterdir() if p.is_file()}


def _model_names(chap) -> set[str]:
    """The construct codes and their names in the chapter's language (set upright)."""
    inst = chap.instrument
    names: set[str] = set()
    for c in getattr(inst, "all_constructs", []):
        names |= {c.code, c.name.get(chap.lang) or c.name.get("en") or c.code}
    return names
