"""``loyaltysem invariance DATA --model MODEL --group COL``: measurement invariance steps."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_data_options,
    add_missing_option,
    add_ordered_options,
    load_from_args,
    ordered_from_args,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "invariance",
        help="measurement invariance across groups (configural, metric, scalar, strict)",
        description="Fit the invariance sequence across the groups of COL and compare the "
        "steps (chi-square difference, delta CFI, delta RMSEA).",
    )
    add_data_options(p)
    p.add_argument("--group", metavar="COL", required=True, help="the grouping column")
    p.add_argument(
        "--steps",
        default=None,
        help="default configural,metric,scalar,strict (with --ordered: configural,metric,scalar, "
        "scalar = equal loadings and thresholds; strict too under --parameterization theta)",
    )
    add_ordered_options(p)
    add_missing_option(p)
    p.add_argument(
        "--group-partial",
        metavar="LIST",
        default="",
        help='parameters freed again in every step, e.g. "SAT =~ SAT3,SAT3 ~1"',
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loyaltysem.analyses.invariance import measurement_invariance
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json

    if not args.model:
        raise InputError("--model MODEL is required (a lavaan syntax or TOML model file)")
    survey = load_from_args(args)
    steps = None
    if args.steps is not None:
        steps = tuple(s.strip() for s in args.steps.split(",") if s.strip())
        if not steps:
            raise InputError("--steps needs at least one step: configural,metric,scalar,strict")
    partial = tuple(s.strip() for s in args.group_partial.split(",") if s.strip())
    res = measurement_invariance(
        args.model,
        survey,
        args.group,
        steps=steps,
        estimator=args.estimator,
        missing=args.missing,
        group_partial=partial,
        ordered=ordered_from_args(args),
        parameterization=args.parameterization,
    )
    from loyaltysem.judgment.invariance import judge_invariance

    verdicts = judge_invariance(res.comparisons, tuple(res.group_n))  # ΔCFI / ΔRMSEA rule
    steps = list(verdicts)  # one per comparison, in order (none for a single step)
    comp = res.comparisons.assign(
        decision=[verdicts[s].outcome for s in steps],
        caveats=[";".join(verdicts[s].caveats) for s in steps],
    )
    if args.json:
        write_json(res.to_dict() | {"verdicts": {k: v.to_dict() for k, v in verdicts.items()}},
                   args.json)  # fmt: skip
    if args.json != "-":
        print(res.fit_table.round(3).to_string())
        print(comp.round(4).to_string(index=False))
        sizes = ", ".join(f"{g}: n = {n}" for g, n in zip(res.group_labels, res.group_n,
                                                          strict=True))  # fmt: skip
        print(
            f"groups: {sizes}; a step holds when ΔCFI >= -.010 and ΔRMSEA <= .015 "
            "(Cheung & Rensvold 2002; Chen 2007)"
        )
    return 0
