"""``loyaltysem gui [--port P] [--no-browser] [--lang zh|en]``: the local web page.

For students who never open a terminal: a page in the browser to open a data file, check the
proposed constructs, draw the model, choose the options and run the analysis to the results
chapter. It runs on this computer only (127.0.0.1); see docs/gui.md.
"""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser(
        "gui",
        help="open the local web page: data file -> constructs -> model -> results chapter",
        description="Start a web page on this computer (http://127.0.0.1:PORT/, nothing is "
        "sent anywhere) to open a data file, edit the proposed constructs, set the paths, "
        "moderators and hypotheses, choose the options of 'run' and write the results "
        "chapter. Ctrl-C stops it and removes its temporary files.",
    )
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; a free one "
                   "when it is in use)")  # fmt: skip
    p.add_argument("--no-browser", action="store_true", help="do not open the browser")
    p.add_argument(
        "--lang", choices=["en", "zh"], default="en", type=str.lower,
        help="the page's language at start (default en; it switches on the page)",
    )  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loyaltysem.gui.server import serve

    return serve(args.port, open_browser=not args.no_browser, lang=args.lang)
