"""The ``loyaltysem`` command line. Bad input: one line on stderr, exit status 2.

Whatever the data holds, the terminal sees no control characters (escape sequences in a
cell are dropped), a closed pipe (``| head``) ends the command quietly, and SIGTERM cleans
up like Ctrl-C: temporary output folders are removed and worker processes stopped.
"""

from __future__ import annotations

import argparse
import importlib
import re
import signal
import sys

from loyaltysem import __version__
from loyaltysem.base.errors import EstimationError, LoyaltysemError
from loyaltysem.cli._commands import COMMANDS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# a negative number, or a comma-separated list starting with one (--missing-codes -99,-98)
_NEGATIVE_LIST = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(\s*,\s*-?(\d+\.?\d*|\.\d+))*$")


def clean_text(text: str) -> str:
    """Drop control characters (ANSI escapes and the like), keeping newlines and tabs."""
    return _CONTROL.sub("", text)


_BREAKS = {"\r\n": "\\n", "\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def one_line(text: str) -> str:
    """An error message as one line: control characters dropped, line breaks (from a value
    or a file name that holds one) shown as ``\\n``.

    Example:
        >>> one_line("unrecognized arguments: a\\nb")
        'unrecognized arguments: a\\\\nb'
    """
    text = clean_text(text)
    for brk, shown in _BREAKS.items():
        text = text.replace(brk, shown)
    return text


def _error(name: str, text: str) -> None:
    print(f"{name}: error: {one_line(text)}", file=sys.stderr)


class _CleanStream:
    """A text stream that strips control characters from everything written to it."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean_text(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _Parser(argparse.ArgumentParser):
    """No abbreviated options (``--missing`` is never taken as ``--missing-codes``), values
    such as ``-99,-98`` taken as values (argparse takes only ``-99`` for a negative number,
    anything else starting with '-' for an option) and a one-line error with exit status 2
    instead of argparse's usage block."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE_LIST

    def error(self, message: str):
        _error(self.prog, message)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="loyaltysem",
        description="From questionnaire data to a thesis results chapter: screening, "
        "reliability, EFA, SEM (lavaan-compatible), mediation and reports.",
    )
    parser.add_argument("--version", action="version", version=f"loyaltysem {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f".{name}", __package__).add_parser(sub)
    return parser


def _terminate(signum, frame):
    raise KeyboardInterrupt


def _quiet_broken_pipe() -> int:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _CleanStream(stdout), _CleanStream(stderr)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (e.g. called from a worker)
        previous = None
    try:
        return _main(argv)
    except BrokenPipeError:
        return _quiet_broken_pipe()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _with_inputs(exc: Exception, args: argparse.Namespace) -> str:
    """An estimation problem names the data and model files it happened with."""
    text = " ".join(str(exc).split())
    files = [getattr(args, k, None) for k in ("data", "model")]
    files = [str(f) for f in files if isinstance(f, str) and f not in text]
    return f"{' with '.join(files)}: {text}" if files else text


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that would overwrite an input or a foreign file."""
    from loyaltysem.base.fileio import check_output_file, check_output_folder

    inputs = tuple(
        v for v in (getattr(args, "data", None), getattr(args, "model", None)) if isinstance(v, str)
    )
    if getattr(args, "json", None):
        check_output_file(args.json, inputs)
    if getattr(args, "out", None):
        check_output_folder(args.out, inputs)


def _main(argv: list[str] | None) -> int:
    from loyaltysem.cli._limits import validate_bounds

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    name = f"loyaltysem {args.command}"
    try:
        for note in validate_bounds(args):
            print(f"{name}: note: {note}", file=sys.stderr)
        check_outputs(args)
        return int(args.func(args) or 0)
    except EstimationError as exc:
        _error(name, _with_inputs(exc, args))
        return 2
    except LoyaltysemError as exc:
        _error(name, str(exc))
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except MemoryError:
        _error(name, "not enough memory for this job")
        return 2
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _error(name, f"{where}{exc.strerror or exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
