"""``loyaltysem init DATA [--out MODEL.toml] [--lang en|zh]``: propose a first model file.

Reads the data file, proposes constructs, items, scale, reverse-keyed items, demographics and
missing-value codes (:func:`loyaltysem.pipeline.init_model.propose_model`) and writes the commented
TOML model file (default ``<data stem>_model.toml`` in the current folder; ``-`` prints it).
An existing file is replaced only when init wrote it and nobody edited it since.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from loyaltysem.cli._common import parse_missing_codes


def add_parser(sub) -> None:
    p = sub.add_parser(
        "init",
        help="propose a model file (constructs, items, scale, reverse-keyed items, "
        "demographics) from a data file",
        description="Read a data file (SPSS, CSV, Excel, Stata, SAS) and write a commented "
        "TOML model file: constructs from the item names (SAT1, SAT_1, Q1_1), item wording and "
        "scale labels from SPSS labels, reverse-keyed items by psych's check.keys rule, "
        "demographics and missing-value codes. Check it against the questionnaire.",
    )
    p.add_argument("data", metavar="DATA", help="data file: CSV/TSV, Excel, SPSS, Stata or SAS")
    p.add_argument(
        "--out",
        dest="model_out",
        metavar="MODEL",
        help="the model file to write (default: <data name>_model.toml in the current "
        "folder; - prints it). An existing file is replaced only if init wrote it and it "
        "was not edited since",
    )
    p.add_argument(
        "--lang",
        choices=["en", "zh"],
        default="en",
        type=str.lower,
        help="language of the comments in the file (default en)",
    )
    p.add_argument("--missing-codes", metavar="CODES", help="values that mean missing, e.g. -99,99")
    p.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name or number")
    p.set_defaults(func=run)


def default_out(data: str) -> Path:
    """``<data stem>_model.toml`` in the current folder.

    Example:
        >>> default_out("surveys/bfi.sav").name
        'bfi_model.toml'
    """
    return Path.cwd() / f"{Path(data).stem}_model.toml"


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.fileio import check_output_file, is_unedited_stamped
    from loyaltysem.pipeline.init_model import propose_model, render_model, write_model

    out = args.model_out if args.model_out else str(default_out(args.data))
    check_output_file(out, (args.data,), is_ours=is_unedited_stamped)
    proposal = propose_model(
        args.data,
        missing_codes=parse_missing_codes(args.missing_codes),
        encoding=args.encoding,
        sheet=args.sheet,
    )
    text = render_model(proposal, args.lang)
    write_model(text, out, proposal.source, (args.data,), args.lang)
    if out != "-":
        _summary(proposal, out, args.lang)
    return 0


def _summary(p, out: str, lang: str) -> None:
    """What init found, in ``lang`` (the words are the catalogue's ``init.*``)."""
    from loyaltysem.report.i18n import t

    none = t("init.none", lang)
    shown = [f"{c.code} ({len(c.items)})" for c in p.constructs]
    print(t("init.wrote", lang, out=out))
    print("  " + t("init.constructs", lang, n=len(p.constructs), items=", ".join(shown)))
    print("  " + t("init.reverse", lang, items=", ".join(p.reverse_items) or none))
    names = [d.column for d in p.demographics]
    print("  " + t("init.demographics", lang, items=", ".join(names) or none))
    if p.unused:
        print("  " + t("init.unused", lang, items=", ".join(c for c, _ in p.unused)))
    if p.suspected_codes:
        codes = sorted({v for vs in p.suspected_codes.values() for v in vs})
        print("  " + t("init.codes", lang, codes=",".join(f"{v:g}" for v in codes)))
