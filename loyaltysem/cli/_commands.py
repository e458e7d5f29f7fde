"""CLI subcommands. Each module defines ``add_parser(subparsers)``; the parser's ``func`` runs it.

The commands only call the library: no analysis happens here.
"""

COMMANDS = [
    "init",
    "run",
    "fit",
    "compare",
    "invariance",
    "screen",
    "reliability",
    "efa",
    "power",
    "pls",
    "process",
    "gui",
]
