"""Options and helpers shared by every CLI command."""

from __future__ import annotations

import argparse

from loyaltysem.base.errors import InputError
from loyaltysem.semcore.estimate.options import (
    CONTINUOUS_ESTIMATORS,
    ESTIMATORS,
    MISSING,
    ORDERED_ESTIMATORS,
)


def parse_missing_codes(text: str | None) -> list[float]:
    if not text:
        return []
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(float(part))
        except ValueError:
            raise InputError(f"--missing-codes: '{part}' is not a number") from None
    return out


def add_missing_codes_options(p: argparse.ArgumentParser) -> None:
    """--missing-codes CODES and --force-missing-code (a code that is also an answer)."""
    p.add_argument("--missing-codes", metavar="CODES", help="values that mean missing, e.g. -99,99")
    p.add_argument(
        "--force-missing-code",
        action="store_true",
        help="accept a missing code that is also an answer on the scale (e.g. 4 on 1-7): "
        "every such answer becomes missing",
    )


def add_data_options(
    p: argparse.ArgumentParser,
    *,
    json_output: bool = True,
    model: bool = True,
    several_models: bool = False,
) -> None:
    """DATA, --model (unless ``model=False``; repeatable with ``several_models``) and the
    loader options every analysis command accepts."""
    p.add_argument("data", metavar="DATA", help="data file: CSV/TSV, Excel, SPSS, Stata or SAS")
    if model:
        p.add_argument(
            "--model",
            metavar="MODEL",
            action="append" if several_models else "store",
            help="model file: lavaan syntax (.lav) or the project's TOML model "
            "(instrument + paths)" + ("; give --model once per model" if several_models else ""),
        )
    add_missing_codes_options(p)
    p.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name or number")
    if json_output:
        p.add_argument("--json", metavar="OUT", help="write results as JSON (- for stdout)")


def _names(estimators) -> str:
    return ", ".join(e.lower() for e in estimators)


def add_estimator_option(p: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """--estimator: the estimators :mod:`loyaltysem.semcore.estimate.options` resolves."""
    p.add_argument(
        "--estimator",
        choices=[e.lower() for e in ESTIMATORS],
        default=None,
        type=str.lower,
        help=help_text
        or f"lavaan's estimator (default: {CONTINUOUS_ESTIMATORS[0].lower()}; "
        f"{ORDERED_ESTIMATORS[0].lower()} with --ordered; {_names(ORDERED_ESTIMATORS)} need "
        "--ordered)",
    )


def estimator_help() -> str:
    """'ml (default), mlr; with --ordered wlsmv (default), ulsmv, wls, dwls, uls'."""
    cont, ordered = CONTINUOUS_ESTIMATORS, ORDERED_ESTIMATORS
    return (
        f"{cont[0].lower()} (default), {_names(cont[1:])}; with --ordered "
        f"{ordered[0].lower()} (default), {_names(ordered[1:])}"
    )


def add_missing_option(p: argparse.ArgumentParser) -> None:
    """--missing listwise|fiml (lavaan's ``missing =`` for the SEM)."""
    p.add_argument("--missing", choices=list(MISSING), default="listwise", type=str.lower)


def add_ordered_options(p: argparse.ArgumentParser) -> None:
    """--estimator (lavaan's), --ordered ITEMS|all (ordered categorical items) and
    --parameterization delta|theta (theirs)."""
    add_estimator_option(p)
    p.add_argument(
        "--ordered",
        metavar="ITEMS",
        default=None,
        help="items to treat as ordered categories (comma-separated, or 'all' for every "
        "observed variable but covariates), as lavaan's ordered = ; WLSMV by default",
    )
    p.add_argument(
        "--parameterization",
        choices=["delta", "theta"],
        default=None,
        type=str.lower,
        help="lavaan's parameterization of ordered items (default delta: scale factors; "
        "theta: residual variances); only with --ordered",
    )


def ordered_from_args(args: argparse.Namespace):
    """--ordered as sem()'s ``ordered`` argument (None, True for 'all', False for 'none' or a
    list of items)."""
    text = getattr(args, "ordered", None)
    if text is None:
        return None
    if text.strip().lower() == "all":
        return True
    if text.strip().lower() == "none":
        return False
    items = [part.strip() for part in text.split(",") if part.strip()]
    if not items:
        raise InputError("--ordered needs item names (comma-separated) or 'all'")
    return items


def add_reverse_options(p: argparse.ArgumentParser) -> None:
    """--reverse ITEMS and --scale MIN-MAX (reverse keying without a TOML model file)."""
    p.add_argument(
        "--reverse",
        metavar="ITEMS",
        help="reverse-keyed items to recode as min + max - x, comma-separated (e.g. DES4,LOY4)",
    )
    p.add_argument(
        "--scale",
        metavar="MIN-MAX",
        help="the answer scale, e.g. 1-7: answers outside it are refused, and --reverse "
        "recodes as min + max - x (default: the model file's scale, else the answers observed)",
    )


def load_from_args(args: argparse.Namespace, instrument=None):
    """Load the survey named on the command line with its model's instrument (or with
    ``instrument``, e.g. a PLS model's, whose ``<~`` constructs lavaan syntax lacks)."""
    from loyaltysem.survey.keying import parse_scale, reverse_survey
    from loyaltysem.survey.loaders import load

    survey = load(
        args.data,
        instrument=instrument if instrument is not None else getattr(args, "model", None),
        encoding=getattr(args, "encoding", None),
        missing_codes=parse_missing_codes(getattr(args, "missing_codes", None)),
        sheet=getattr(args, "sheet", None),
        scale=parse_scale(getattr(args, "scale", None)),
        force_missing_code=bool(getattr(args, "force_missing_code", False)),
    )
    return reverse_survey(survey, getattr(args, "reverse", None), getattr(args, "scale", None))
