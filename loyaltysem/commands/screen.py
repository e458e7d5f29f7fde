"""``loyaltysem screen DATA [--model MODEL]``: missing data, flags, descriptives."""

from __future__ import annotations

import argparse

from ._common import add_data_options, load_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "screen",
        help="screen the data: missing answers, straight-lining, speeders, descriptives, Mardia",
        description="Screen questionnaire data; flags respondents and drops them only when asked.",
    )
    add_data_options(p)
    p.add_argument("--policy", choices=["listwise", "max_missing", "none"], default="none")
    p.add_argument("--max-missing-share", type=float, default=0.2)
    p.add_argument("--drop-straightliners", action="store_true")
    p.add_argument("--drop-speeders", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..fileio import write_json
    from ..screening import screen

    survey = load_from_args(args)
    res = screen(
        survey,
        policy=args.policy,
        max_missing_share=args.max_missing_share,
        drop_straightliners=args.drop_straightliners,
        drop_speeders=args.drop_speeders,
    )
    if args.json:
        write_json(res.to_dict(), args.json)
    if args.json != "-":
        print(f"{survey.n} respondents read, {res.survey.n} kept; removed: {res.removed}")
        print(res.descriptives.round(3).to_string())
    return 0
