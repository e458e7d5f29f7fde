"""The analysis behind the page's Run button: ``loyaltysem run`` in a child process.

The page runs the command line itself (``python -m loyaltysem run DATA --model MODEL --out
DIR ... --progress-json``), so a chapter made on the page is the chapter the command line
makes from the same data, model file and options. The child prints each stage and each chunk
of bootstrap draws as a JSON line (see :mod:`loyaltysem.cli.run`); a reader thread turns them
into the progress the page polls, and the server stays responsive while the analysis runs.
One run at a time (the server enforces it); Cancel ends the child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from loyaltysem.gui.modelfile import PageError
from loyaltysem.semcore.estimate.options import ESTIMATORS, MISSING

#: the page's options: name -> allowed values (None: a number or text checked below)
CHOICES = {
    "method": ("cb", "pls"),
    "estimator": ("", *(e.lower() for e in ESTIMATORS)),
    "missing": tuple(MISSING),
    "ordered": ("", "all", "none"),
    "ci": ("bc", "percentile", "bca"),
    "lang": ("both", "en", "zh"),
    "efa_method": ("minres", "pca"),
}
#: the options as ``loyaltysem run`` has them by default ("" / None: the command's default)
DEFAULTS = {"method": "cb", "estimator": "", "missing": "listwise", "ordered": "", "ci": "bc",
            "lang": "both", "efa_method": "minres", "bootstrap": None, "seed": None,
            "group": "", "missing_codes": "", "chapter": 4, "drop_careless": False}  # fmt: skip
_ERROR_PREFIX = "loyaltysem run: error: "


def _whole(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number != number or not number.is_integer():
        raise PageError("not_whole", "{name} must be a whole number.", name=name)
    return int(number)


def run_arguments(options: dict, data: Path, model: Path, out: Path, columns=()) -> list[str]:
    """The ``loyaltysem run`` arguments of the page's options (unknown values refused; the
    command checks the bounds).

    Example:
        >>> run_arguments({"bootstrap": 100, "seed": 1}, Path("d.sav"), Path("m.toml"),
        ...               Path("out"))[-8:]
        ['--lang', 'both', '--bootstrap', '100', '--seed', '1', '--chapter', '4']
    """
    opts = DEFAULTS | {k: v for k, v in (options or {}).items() if k in DEFAULTS}
    for name, allowed in CHOICES.items():
        if str(opts[name]).lower() not in allowed:
            raise PageError("bad_option", "'{value}' is not a choice of {name}.",
                            value=opts[name], name=name)  # fmt: skip
    args = [str(data), "--model", str(model), "--out", str(out), "--method", opts["method"],
            "--missing", opts["missing"], "--ci", opts["ci"], "--efa-method", opts["efa_method"],
            "--lang", opts["lang"]]  # fmt: skip
    if opts["estimator"]:
        args += ["--estimator", opts["estimator"]]
    if opts["ordered"]:
        args += ["--ordered", opts["ordered"]]
    for name in ("bootstrap", "seed", "chapter"):
        value = _whole(opts[name], name)
        if value is not None:
            args += [f"--{name}", str(value)]
    if opts["group"]:
        if columns and opts["group"] not in columns:
            raise PageError("bad_group", "The group column {name} is not in the data.",
                            name=opts["group"])  # fmt: skip
        args += ["--group", str(opts["group"])]
    if str(opts["missing_codes"]).strip():
        args += ["--missing-codes", str(opts["missing_codes"]).strip()]
    if opts["drop_careless"]:
        args.append("--drop-careless")
    return args


class Job:
    """One run of ``loyaltysem run`` in a child process, with its progress and outcome.

    ``state``: "running", "done", "error" or "cancelled"; ``steps``: the stages seen so far
    (the last one running); ``boot``: the bootstrap's chunks (done, total); ``error``: the
    command's one-line error; ``zip``: the report folder as a zip file once done.
    """

    def __init__(self, number: int, folder: Path, argv: list[str], clean=lambda s: s,
                 session_id: str = ""):  # fmt: skip
        self.number, self.folder, self.argv, self.clean = number, Path(folder), argv, clean
        self.session_id = session_id
        self.out = Path(argv[argv.index("--out") + 1])
        self.lang = argv[argv.index("--lang") + 1]
        self.state, self.steps, self.boot = "running", [], None
        self.error, self.warnings, self.zip = "", [], None
        self.started, self.finished = time.time(), None
        self._stderr: list[str] = []
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self.done = threading.Event()

    def start(self) -> Job:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
        cmd = [sys.executable, "-m", "loyaltysem", "run", *self.argv, "--progress-json"]
        self._proc = subprocess.Popen(
            cmd, cwd=self.folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
        )  # fmt: skip
        threading.Thread(target=self._read_stderr, daemon=True).start()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        return self

    def _read_stderr(self) -> None:
        for line in self._proc.stderr:
            with self._lock:
                self._stderr = (self._stderr + [line.rstrip("\n")])[-50:]

    def _line(self, line: str) -> None:
        line = line.strip()
        event = None
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                event = None
        with self._lock:
            if isinstance(event, dict) and "step" in event:
                self.steps.append(str(event["step"]))
                self.boot = None
            elif isinstance(event, dict) and "progress" in event:
                self.boot = {"done": int(event["done"]), "total": int(event["total"])}
            elif line.startswith("warning: "):
                self.warnings.append(self.clean(line[len("warning: ") :]))

    def _read_stdout(self) -> None:
        for line in self._proc.stdout:
            self._line(line)
        code = self._proc.wait()
        self._finish(code)

    def _finish(self, code: int) -> None:
        zipped = None
        if code == 0 and self.state == "running":
            zipped = self._zip()
        with self._lock:
            self.finished = time.time()
            if self.state == "cancelled":
                pass
            elif code == 0:
                self.state, self.zip = "done", zipped
            else:
                self.state, self.error = "error", self._error_line(code)
        self.done.set()

    def _error_line(self, code: int) -> str:
        for line in reversed(self._stderr):
            if line.startswith(_ERROR_PREFIX):
                return self.clean(line[len(_ERROR_PREFIX) :])
        last = next((s for s in reversed(self._stderr) if s.strip()), "")
        return self.clean(last.strip()) or f"the analysis stopped (exit status {code})"

    def _zip(self) -> Path:
        target = self.folder / "report.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(self.out.rglob("*")):
                if path.is_file():
                    z.write(path, Path("report") / path.relative_to(self.out))
        return target

    def cancel(self) -> None:
        with self._lock:
            if self.state != "running":
                return
            self.state = "cancelled"
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck child
                self._proc.kill()

    @property
    def running(self) -> bool:
        return self.state == "running"

    def reports(self) -> dict[str, str]:
        """The report.html of each language, relative to the report folder."""
        if self.state != "done":
            return {}
        if self.lang == "both":
            return {"en": "report.html", "zh": "zh/report.html"}
        return {self.lang: "report.html"}

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "number": self.number, "state": self.state, "steps": list(self.steps),
                "boot": self.boot, "error": self.error, "warnings": list(self.warnings),
                "reports": self.reports(), "zip": self.zip is not None,
                "seconds": round((self.finished or time.time()) - self.started, 1),
            }  # fmt: skip
