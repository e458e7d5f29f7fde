"""The research model figure of the page's model, drawn by the report's own
:func:`loyaltysem.report.figures.research_model` (the figure the chapter shows)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pandas as pd

_LOCK = threading.Lock()  # pyplot keeps global state: one figure at a time


def _estimates(doc: dict) -> pd.DataFrame:
    """The rows of an estimates table the figure reads: ``=~`` for each construct on a path,
    ``~`` for each path (group 1)."""
    on_paths = {n for p in doc["paths"] for n in (p["from"], p["to"])}
    rows = [{"lhs": c["code"], "op": "=~", "rhs": it["code"], "group": 1}
            for c in doc["constructs"] if c["code"] in on_paths
            for it in c["items"][:1]]  # fmt: skip
    rows += [{"lhs": p["to"], "op": "~", "rhs": p["from"], "group": 1} for p in doc["paths"]]
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group"])


def research_model_png(doc: dict, lang: str = "en", folder: Path | None = None) -> bytes | None:
    """PNG bytes of the research model (constructs named in ``lang``, hypotheses on their
    paths, declared moderators); None when the model has no paths yet. Drawn in a temporary
    folder inside ``folder`` (the session's).

    Example:
        >>> from loyaltysem.gui.modelfile import document_from_file
        >>> png = research_model_png(document_from_file("models/online_loyalty.toml"), "zh")
        >>> png[:4]
        b'\\x89PNG'
    """
    from loyaltysem.report.figures import research_model

    if not doc.get("paths"):
        return None
    names = {c["code"]: c.get("name") or {} for c in doc["constructs"]}
    names |= {d["code"]: d.get("name") or {} for d in doc.get("demographics", [])}

    def label(code: str) -> str:
        name = names.get(code) or {}
        return name.get(lang) or name.get("en") or code

    hyp = {(p["to"], p["from"]): p["id"] for p in doc["paths"] if p.get("sign")}
    mods = [(m["z"], m["y"], m["x"], m.get("id", "") if m.get("sign") else "")
            for m in doc.get("moderators", [])]  # fmt: skip
    with _LOCK, tempfile.TemporaryDirectory(prefix="preview-", dir=folder) as tmp:
        path = Path(tmp) / "research_model.png"
        research_model(_estimates(doc), hyp, path, labels=label, lang=lang, moderators=mods)
        return path.read_bytes()
