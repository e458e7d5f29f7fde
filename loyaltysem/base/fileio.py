"""Writing outputs whole or not at all: write to a temporary name beside the target, then rename."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write with any library; it is renamed to ``path`` on success.

    Example:
        >>> with atomic_file("out/table.xlsx") as tmp:   # doctest: +SKIP
        ...     df.to_excel(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: the time stamp of every member of a zip-based file we write (docx, xlsx): the earliest a
#: zip can hold, so the same content gives the same bytes (the zip format stores local time)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
# the Office core properties that record when and by what the file was made
_CORE_DROP = re.compile(rb"<dcterms:(created|modified)\b[^>]*?(/>|>[^<]*</dcterms:\1>)")
_CORE_BLANK = re.compile(rb"<(dc:creator|dc:description)\b([^>]*)>[^<]*</\1>")


def stable_zip(data: bytes) -> bytes:
    """An Office file (docx, xlsx: a zip archive) made reproducible: every member stamped
    :data:`ZIP_TIME`, and the core properties without the creation and modification time
    and the writing library's name (``dcterms:created``, ``dcterms:modified``,
    ``dc:creator``, ``dc:description``: optional in Office Open XML; Word fills them in when
    the user saves). The members, their order and their compression stay as they were.

    Example:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("a.txt", "x")
        >>> zipfile.ZipFile(io.BytesIO(stable_zip(buf.getvalue()))).infolist()[0].date_time
        (1980, 1, 1, 0, 0, 0)
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == _CORE:
                blob = _CORE_BLANK.sub(rb"<\1\2></\1>", _CORE_DROP.sub(b"", blob))
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            dst.writestr(member, blob)
    return out.getvalue()


def atomic_write_zip(path: str | Path, data: bytes) -> None:
    """Write an Office file (the bytes of a zip archive) whole, made reproducible by
    :func:`stable_zip`."""
    atomic_write_bytes(path, stable_zip(data))


OUTPUT_MARKER = ".loyaltysem-output"
_TMP_TAG = "loyaltysem-tmp"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _read_manifest(folder: Path) -> list[str] | None:
    """The files a previous loyaltysem run wrote into ``folder``; None if it has no marker."""
    marker = folder / OUTPUT_MARKER
    if not marker.is_file():
        return None
    try:
        files = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [f for f in files if isinstance(f, str)]


def check_output_folder(path: str | Path, inputs: tuple = ()) -> Path:
    """The output-folder rule: write only into a folder that is new, empty, or was written by
    loyaltysem before (it holds the marker file ``.loyaltysem-output``); never into a file, a
    device, a non-empty folder of someone else's, or a folder that holds an input file.

    Raises :class:`~loyaltysem.base.errors.OutputError` with a one-line reason.
    """
    from loyaltysem.base.errors import OutputError

    if path is None or not str(path).strip():
        raise OutputError("the output folder name is empty")
    folder = Path(path)
    shown = str(path)
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            kind = "a file" if folder.is_file() else "not a folder (a device or special file)"
            raise OutputError(f"is {kind}; give a new folder name for the output", file=shown)
        if _read_manifest(folder) is None and any(folder.iterdir()):
            raise OutputError(
                "the folder exists and holds files loyaltysem did not write; "
                "give a new or empty folder (nothing was written)",
                file=shown,
            )
    else:
        anc = folder.absolute().parent
        while not anc.exists():
            anc = anc.parent
        if not anc.is_dir():
            raise OutputError(f"'{anc}' is not a folder", file=shown)
        if not os.access(anc, os.W_OK | os.X_OK):
            raise OutputError(f"no permission to create a folder in '{anc}'", file=shown)
    for inp in inputs:
        if inp and _inside(Path(inp), folder):
            raise OutputError(
                f"the output folder holds the input file '{inp}'; write elsewhere", file=shown
            )
    return folder


def check_output_file(path: str | Path | None, inputs: tuple = (), is_ours=None) -> None:
    """A ``--json`` target may be standard output (``-``), a new file, or a JSON file that
    loyaltysem wrote before; never an input file, a folder, a device or another file.
    ``is_ours(path) -> bool`` tells loyaltysem's files of another kind (default: its JSON;
    :func:`is_unedited_stamped` for a stamped text file such as ``loyaltysem init``'s model)."""
    from loyaltysem.base.errors import OutputError

    is_ours = _is_our_json if is_ours is None else is_ours

    if path is None or str(path) == "-":
        return
    target = Path(path)
    shown = str(path)
    if not str(path).strip():
        raise OutputError("the output file name is empty")
    if target.is_dir():
        raise OutputError("is a folder; give a file name for the JSON output", file=shown)
    for inp in inputs:
        if inp and (_same_file(target, Path(inp)) or target.absolute() == Path(inp).absolute()):
            raise OutputError("is an input file; it would be overwritten", file=shown)
    if target.exists() or target.is_symlink():
        if not target.is_file():
            raise OutputError("is not a regular file (a device?); give a file name", file=shown)
        if not is_ours(target):
            edited = is_ours is is_unedited_stamped and _stamp_of(target) is not None
            raise OutputError(
                "the file was written by loyaltysem but edited since; "
                "remove it or give a new name (nothing was written)"
                if edited
                else "the file exists and was not written by loyaltysem; "
                "remove it or give a new name (nothing was written)",
                file=shown,
            )
    parent = target.absolute().parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"'{parent}' is not a folder", file=shown)


def _is_our_json(path: Path) -> bool:
    try:
        if path.stat().st_size > 512 * 2**20:
            return False
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(obj, dict) and "warnings" in obj


_STAMP = re.compile(r"\(loyaltysem sha256 ([0-9a-f]{16})\)\s*$")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stamp_text(text: str, first_line: str) -> str:
    """``text`` under a comment line ``# first_line (loyaltysem sha256 <digest of text>)``: a
    later run may replace the file while the text is unchanged, never once it is edited.

    Example:
        >>> stamp_text("a = 1", "written by loyaltysem init").splitlines()[0][:33]
        '# written by loyaltysem init (loy'
    """
    return f"# {' '.join(first_line.split())} (loyaltysem sha256 {_digest(text)})\n{text}"


def _stamp_of(path: Path) -> tuple[str, str] | None:
    """(recorded digest, rest of the text) of a stamped file; None if it has no stamp."""
    try:
        if path.stat().st_size > 5 * 2**20:
            return None
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    first, _, rest = text.partition("\n")
    m = _STAMP.search(first) if first.startswith("#") else None
    return None if m is None else (m.group(1), rest)


def is_unedited_stamped(path: str | Path) -> bool:
    """True when ``path`` is a file :func:`stamp_text` wrote and nobody has edited since."""
    found = _stamp_of(Path(path))
    return found is not None and found[0] == _digest(found[1])


def write_stamped_text(path: str | Path, text: str, first_line: str, inputs: tuple = ()) -> None:
    """Write ``text`` stamped (:func:`stamp_text`) to ``path`` (``-``: standard output) by the
    output-file rule: a new file, or one loyaltysem stamped and nobody edited; never an input
    file, an edited or foreign file, a folder or a device (:class:`OutputError`)."""
    check_output_file(path, inputs, is_ours=is_unedited_stamped)
    stamped = stamp_text(text, first_line)
    if str(path) == "-":
        import sys

        sys.stdout.write(stamped)
        sys.stdout.flush()
    else:
        atomic_write_text(path, stamped)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(parent: Path) -> None:
    """Remove temporary output folders of loyaltysem runs that were killed (their process is
    gone), so no hidden ``.NAME.loyaltysem-tmp-PID-*`` folder is left behind for good."""
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        parts = entry.name.split(f".{_TMP_TAG}-")
        if len(parts) != 2 or not entry.name.startswith(".") or not entry.is_dir():
            continue
        pid = parts[1].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _files_below(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    )


def _merge_into(tmp: Path, folder: Path) -> None:
    """Move the new files into an existing folder (empty or ours) one by one, then remove the
    files the previous run wrote that this run did not; files of anyone else stay."""
    old = _read_manifest(folder) or []
    new = _files_below(tmp)
    for rel in new:
        dest = folder / rel
        if dest.is_dir() and not dest.is_symlink():
            raise_folder_clash(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel, dest)
    for rel in set(old) - set(new) - {OUTPUT_MARKER}:
        stale = folder / rel
        if _inside(stale, folder) and (stale.is_file() or stale.is_symlink()):
            stale.unlink(missing_ok=True)
    for d in sorted({(folder / r).parent for r in old}, key=lambda p: -len(p.parts)):
        if d != folder and _inside(d, folder) and d.is_dir() and not any(d.iterdir()):
            d.rmdir()


def raise_folder_clash(dest: Path) -> None:
    from loyaltysem.base.errors import OutputError

    raise OutputError("a folder stands where an output file goes", file=str(dest))


@contextmanager
def atomic_directory(path: str | Path, inputs: tuple = ()) -> Iterator[Path]:
    """Build a whole output folder under a temporary name, then put it in place of ``path``.

    The folder must pass :func:`check_output_folder` (new, empty, or written by loyaltysem).
    A new folder appears at once (one rename). Into an existing one the new files are moved
    one by one and the files of the previous run that are not written again are removed;
    nothing loyaltysem did not write is ever deleted. On any error, Ctrl-C or SIGTERM the
    temporary folder is removed and ``path`` is left as it was.
    """
    folder = check_output_folder(path, inputs)
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(parent)
    prefix = f".{folder.name or 'out'}.{_TMP_TAG}-{os.getpid()}-"
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield tmp
        files = _files_below(tmp)
        manifest = {"tool": "loyaltysem", "files": files + [OUTPUT_MARKER]}
        (tmp / OUTPUT_MARKER).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if folder.exists():
            check_output_folder(path, inputs)
            _merge_into(tmp, folder)
        else:
            tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def to_jsonable(obj):
    """Convert numpy/pandas values to plain JSON types; NaN and infinities become None."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return None if math.isnan(x) or math.isinf(x) else x
    if obj is None or isinstance(obj, str):
        return obj
    if obj is pd.NA or obj is pd.NaT:
        return None
    return str(obj)


def write_json(obj, path: str | Path) -> None:
    """Write ``obj`` as JSON (UTF-8, NaN -> null); ``-`` writes to standard output."""
    text = json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    check_output_file(path)
    if str(path) == "-":
        import sys

        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(path, text)
