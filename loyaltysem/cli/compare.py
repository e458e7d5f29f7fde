"""``loyaltysem compare DATA --model A --model B [...]``: competing models, lavTestLRT's tests."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_data_options,
    add_ordered_options,
    add_reverse_options,
    load_from_args,
    ordered_from_args,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare",
        help="compare competing models on the same respondents (chi-square difference tests, "
        "AIC, BIC, fit indices)",
        description="Fit every model to the same rows and test each against the next less "
        "restricted one, as lavaan's lavTestLRT() does (models ordered by df; ML: chi-square "
        "difference; MLR: Satorra-Bentler 2001 scaled difference; ordered items: Satorra "
        "2000); pairs that are not nested are named and not tested.",
    )
    add_data_options(p, several_models=True)
    add_reverse_options(p)
    add_ordered_options(p)
    p.add_argument("--missing", choices=["listwise", "fiml"], default="listwise", type=str.lower)
    p.add_argument("--group", metavar="COL", help="fit every model in each group of COL")
    p.set_defaults(func=run)


def _check_reverse_keys(models: list[str]) -> None:
    """The data are loaded (and reverse-keyed items recoded) with the first model file; a
    later TOML model file may not declare other reverse-keyed items."""
    from pathlib import Path

    from loyaltysem.base.errors import InputError
    from loyaltysem.survey.instrument import read_instrument

    first = None
    for m in models:
        if Path(m).suffix.lower() != ".toml":
            continue
        rev = set(read_instrument(m).reverse_items)
        if first is None:
            first = (m, rev)
        elif not rev <= first[1] and Path(models[0]).suffix.lower() == ".toml":
            extra = sorted(rev - first[1])[0]
            raise InputError(
                f"{m} declares {extra} reverse-keyed but {first[0]} (the first model, which "
                "loads the data) does not: declare the same reverse-keyed items in every model"
            )


def run(args: argparse.Namespace) -> int:
    from loyaltysem.analyses.compare import compare
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json

    models = args.model or []
    if len(models) < 2:
        raise InputError("compare needs two or more models: --model A --model B [...]")
    _check_reverse_keys(models)
    survey = load_from_args(args, instrument=models[0])
    res = compare(
        survey,
        models,
        estimator=args.estimator,
        missing=args.missing,
        ordered=ordered_from_args(args),
        group=args.group,
        parameterization=args.parameterization,
    )
    if args.json:
        write_json(res.to_dict(), args.json)
    if args.json != "-":
        print(res.summary())
    return 0
