"""One browser's work on the local web page: its temporary folder, the data file it opened,
the model proposed from it, and the runs it started.

Every session has its own folder under the server's temporary folder (removed when the
server stops); nothing is written anywhere else. A data file is read once by the project's
loader (:func:`loyaltysem.survey.loaders.read_table`) to list its columns, then
:func:`loyaltysem.pipeline.init_model.propose_model` proposes the constructs exactly as
``loyaltysem init`` does (the same TOML text, read into the page's document).
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.gui.modelfile import PageError, document_from_file, document_from_toml
from loyaltysem.survey.loaders import SUPPORTED

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
MODEL_SUFFIXES = {".toml", ".lav", ".txt"}
MAX_SESSIONS = 8


def safe_name(name: str, default: str = "data") -> str:
    """A file name without folders, control or reserved characters, at most 120 characters
    (the suffix kept).

    Example:
        >>> safe_name("../../etc/问卷 数据.sav")
        '问卷 数据.sav'
    """
    base = _UNSAFE.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    if not base:
        return default
    stem, suffix = Path(base).stem, Path(base).suffix
    return stem[: 120 - len(suffix)] + suffix if len(base) > 120 else base


def _values(s: pd.Series, labels: dict) -> list[dict]:
    if labels:
        return [{"value": float(k), "label": str(v)} for k, v in labels.items()]
    if not pd.api.types.is_numeric_dtype(s):
        return []
    v = s.dropna().to_numpy(dtype=float)
    u = np.unique(v)
    if 0 < u.size <= 10 and np.all(u == np.round(u)):
        return [{"value": float(x), "label": f"{x:g}"} for x in u]
    return []


def column_info(df: pd.DataFrame, meta: dict) -> list[dict]:
    """Name, label, type, missing count, distinct answers and value labels of each column."""
    out = []
    for col in df.columns:
        s = df[col]
        out.append({
            "name": str(col),
            "label": str(meta["variable_labels"].get(col) or ""),
            "numeric": bool(pd.api.types.is_numeric_dtype(s)),
            "missing": int(s.isna().sum()),
            "distinct": int(s.nunique()),
            "values": _values(s, meta["value_labels"].get(col, {})),
        })  # fmt: skip
    return out


def _notes(proposal) -> dict:
    from loyaltysem.pipeline.init_model_text import reason_text

    codes = sorted({v for vs in proposal.suspected_codes.values() for v in vs})
    return {
        "unused": [
            {"column": c, "en": reason_text(r, "en"), "zh": reason_text(r, "zh")}
            for c, r in proposal.unused
        ],  # fmt: skip
        "suspected_codes": {c: v for c, v in proposal.suspected_codes.items()},
        "missing_codes": ",".join(f"{v:g}" for v in codes),
        "user_missing": dict(proposal.user_missing),
        "scale_from": proposal.scale_from,
        "reverse": proposal.reverse_items,
    }


def _empty_document(name: str) -> dict:
    return {"meta": {"name": {"en": name, "zh": name}}, "scale": {"min": None, "max": None,
            "labels": [], "ordered": False}, "constructs": [], "demographics": [], "paths": [],
            "moderators": [], "syntax": "", "other": {}}  # fmt: skip


@dataclass
class Session:
    """The state of one browser session (its folder, data file, proposal and runs)."""

    sid: str
    folder: Path
    data_path: Path | None = None
    opened: dict | None = None  # what the page got back when the data file was opened
    document: dict | None = None  # the last model document the page sent
    runs: int = 0
    job: object = None  # the session's last run (loyaltysem.gui.jobs.Job)
    last_used: float = field(default_factory=time.monotonic)

    def message(self, exc: Exception) -> str:
        """The exception's one line with this session's folder left out of file names."""
        text = " ".join(str(exc).split())
        for sub in ("data", "incoming", "model", ""):
            folder = str(self.folder / sub)
            text = text.replace(folder + "/", "").replace(folder, "")
        return text

    def open_data(self, filename: str, body: bytes) -> dict:
        """Save an uploaded data file and read it: columns and the proposed model."""
        from loyaltysem.pipeline.init_model import propose_model, render_model
        from loyaltysem.survey.loaders import read_table

        name = safe_name(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED:
            raise PageError("file_type", "'{name}' is not a data file this page reads (SPSS, "
                            "CSV, Excel, Stata or SAS).", name=name)  # fmt: skip
        incoming = self.folder / "incoming"  # the file opened before stays until this one reads
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir(parents=True)
        (incoming / name).write_bytes(body)
        try:
            df, meta = read_table(incoming / name)
        except Exception:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        folder = self.folder / "data"
        shutil.rmtree(folder, ignore_errors=True)
        incoming.rename(folder)
        path = folder / name
        note = None
        try:
            proposal = propose_model(path)
            document = document_from_toml(render_model(proposal, "en"), name)
            notes = _notes(proposal)
        except InputError as exc:  # no numbered items: the page builds constructs by hand
            document, notes, note = _empty_document(Path(name).stem), {}, self.message(exc)
        self.data_path = path
        self.opened = {"file": name, "rows": int(len(df)), "columns": column_info(df, meta),
                       "document": document, "notes": notes, "note": note}  # fmt: skip
        self.document = document
        return self.opened

    def open_model(self, filename: str, body: bytes) -> dict:
        """Read an uploaded model file (TOML or lavaan syntax) into the page's document."""
        name = safe_name(filename, "model.toml")
        if Path(name).suffix.lower() not in MODEL_SUFFIXES:
            raise PageError("model_type", "'{name}' is not a model file (.toml or .lav).",
                            name=name)  # fmt: skip
        folder = self.folder / "model"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / name).write_bytes(body)
        document = document_from_file(folder / name)
        self.document = document
        return document


class Sessions:
    """The sessions of one server, each in a folder under ``root``; the oldest idle one is
    dropped (with its folder) beyond :data:`MAX_SESSIONS`."""

    def __init__(self, root: Path, limit: int = MAX_SESSIONS):
        self.root, self.limit = Path(root), limit
        self._all: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._count = 0

    def get(self, sid: str | None) -> Session | None:
        with self._lock:
            s = self._all.get(sid or "")
            if s is not None:
                s.last_used = time.monotonic()
            return s

    def new(self, busy: set[str] = frozenset()) -> Session:
        with self._lock:
            idle = sorted((s for s in self._all.values() if s.sid not in busy),
                          key=lambda s: s.last_used)  # fmt: skip
            while len(self._all) >= self.limit and idle:
                old = idle.pop(0)
                shutil.rmtree(old.folder, ignore_errors=True)
                del self._all[old.sid]
            sid = secrets.token_urlsafe(18)
            self._count += 1
            folder = self.root / f"s{self._count}"
            folder.mkdir(parents=True)
            self._all[sid] = Session(sid, folder)
            return self._all[sid]
