"""The ``loyaltysem`` command line. Bad input: one line on stderr, exit status 2."""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .commands import COMMANDS
from .errors import LoyaltysemError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loyaltysem",
        description="From questionnaire data to a thesis results chapter: screening, "
        "reliability, EFA, SEM (lavaan-compatible), mediation and reports.",
    )
    parser.add_argument("--version", action="version", version=f"loyaltysem {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except LoyaltysemError as exc:
        print(f"loyaltysem {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("loyaltysem: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
