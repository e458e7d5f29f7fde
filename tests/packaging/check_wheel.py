"""``make wheel-check``: the built wheel and sdist are what PyPI users get, and they work.

Usage: ``python tests/packaging/check_wheel.py DIST`` (DIST holds the one wheel and the one
sdist ``python -m build`` wrote; ``make dist`` builds them and runs ``twine check``).

What it proves, without downloading or reinstalling any dependency:

1. Contents: every file of the package tree (modules and data files alike: ``py.typed``, the
   report's catalogues, the GUI's static files; everything but what .gitignore ignores) is
   in the wheel, the bundled example (``models/``, ``data/``) is in it byte for byte, the
   licence is in its metadata, and the sdist holds what a wheel is built from.
2. Metadata: the wheel's version is ``loyaltysem.__version__`` (the one version source),
   the licence is the SPDX expression MIT, and the long description links no image or
   document by a relative path (those break on PyPI).
3. It runs as installed: a fresh virtual environment gets the wheel with ``--no-deps``; the
   dependencies are the running environment's site-packages, added behind the fresh one by a
   ``.pth`` path (not ``--system-site-packages``, which would give the base interpreter's, and
   not a full install, which would download the world). The development checkout's editable
   install there is not activated (a plain path line does not run its ``.pth`` files) and the
   command runs in an empty folder with no PYTHONPATH, so ``import loyaltysem`` can only find
   the wheel. A guard makes every module that no runtime dependency provides (the test tools,
   statsmodels, semopy, dask, ...) fail to import, as on a clean machine: an undeclared
   dependency fails here. Then ``loyaltysem --version`` and ``loyaltysem run --bootstrap 0``
   (the bundled example, both languages; no bootstrap draws, to stay quick) must succeed and
   write the report.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "loyaltysem"


def fail(message: str) -> None:
    print(f"wheel-check: FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def package_files() -> set[str]:
    """The files of the package tree hatch ships: tracked and untracked but not ignored."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", PACKAGE],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        return {f for f in out if f and (REPO / f).is_file()}
    except (OSError, subprocess.CalledProcessError):  # no git: walk, minus byte code
        return {
            p.relative_to(REPO).as_posix()
            for p in (REPO / PACKAGE).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        }


def source_version() -> str:
    text = (REPO / PACKAGE / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not m:
        fail(f"no __version__ in {PACKAGE}/__init__.py")
    return m.group(1)


def check_contents(wheel: Path, sdist: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = sorted(package_files() - names)
        if missing:
            fail(f"{len(missing)} package file(s) not in the wheel, e.g. {missing[:5]}")
        for kind in ("models", "data"):
            for src in sorted((REPO / kind).iterdir()):
                inside = f"{PACKAGE}/_bundled/{kind}/{src.name}"
                if inside not in names or zf.read(inside) != src.read_bytes():
                    fail(f"{inside} is missing from the wheel or differs from {kind}/{src.name}")
        if f"{PACKAGE}/py.typed" not in names:
            fail("py.typed is not in the wheel")
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
            fail("the LICENSE file is not in the wheel's metadata")
        meta = Parser().parsestr(zf.read(info).decode("utf-8"))
    with tarfile.open(sdist) as tf:
        top = {Path(n).parts[1] for n in tf.getnames() if len(Path(n).parts) > 1}
        if any("tests/data/surveys/" in n for n in tf.getnames()):
            fail("the sdist holds the third-party surveys of tests/data/surveys (GPL data)")
    for needed in ("LICENSE", "README.md", "pyproject.toml", PACKAGE, "models", "data"):
        if needed not in top:
            fail(f"the sdist has no {needed}")
    return {"metadata": meta, "files": len(names)}


def check_metadata(meta) -> None:
    if meta["Version"] != source_version():
        fail(f"wheel version {meta['Version']} is not __version__ {source_version()}")
    if meta["License-Expression"] != "MIT":
        fail(f"License-Expression is {meta['License-Expression']!r}, not MIT")
    body = meta.get_payload()
    relative = re.findall(r"\]\((?!https?://|#)([^)]+)\)", body)
    if relative:
        fail(f"the long description links relative paths (broken on PyPI): {relative[:3]}")
    if "pip install loyaltysem" not in body:
        fail("the long description does not say pip install loyaltysem")


def runtime_closure(meta) -> set[str]:
    """Canonical names of the distributions the wheel needs at run time (no extras): its
    Requires-Dist and theirs, with environment markers evaluated."""
    env = default_environment()
    todo = [r for r in meta.get_all("Requires-Dist") or []]
    seen: set[str] = set()
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            fail(f"runtime dependency {req} is not installed in this environment")
        if not req.specifier.contains(dist.version, prereleases=True):
            fail(f"runtime dependency {req}: version {dist.version} installed")
        seen.add(name)
        for sub in dist.requires or []:
            for extra in req.extras:  # dask[distributed] needs distributed
                sub = sub.replace(f'extra == "{extra}"', 'extra == ""')
            todo.append(sub)
    return seen


GUARD = '''"""Written by tests/packaging/check_wheel.py: modules no runtime dependency provides
fail to import, as on a machine with only the wheel's dependencies."""
import sys

BLOCKED = frozenset({blocked!r})


class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(
                f"No module named {{name!r}} (not a runtime dependency of loyaltysem)",
                name=name,
            )
        return None


sys.meta_path.insert(0, _Blocker())
'''


def blocked_modules(closure: set[str]) -> set[str]:
    keep = set(sys.stdlib_module_names) | {PACKAGE}
    out = set()
    for module, dists in md.packages_distributions().items():
        if module in keep or not module.isidentifier():
            continue
        if not any(canonicalize_name(d) in closure for d in dists):
            out.add(module)
    return out


def fresh_environment(root: Path, wheel: Path, blocked: set[str]) -> Path:
    """A venv with the wheel alone, the running environment's packages behind it."""
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        env=_clean_env(),
    )
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (Path(site) / "_wheel_check_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    (Path(site) / "_wheel_check_guard.py").write_text(GUARD.format(blocked=sorted(blocked)))
    (Path(site) / "_wheel_check_guard.pth").write_text("import _wheel_check_guard\n")
    return py


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"
    return env


def run_installed(py: Path, work: Path) -> None:
    """In an empty folder: the installed package, the command, the bundled example."""
    env = _clean_env()
    env["PATH"] = str(py.parent) + os.pathsep + env.get("PATH", "")
    probe = (
        "import importlib.metadata as md, pathlib, loyaltysem as ls, loyaltysem.examples as ex;"
        "f = pathlib.Path(ls.__file__).resolve();"
        "assert 'site-packages' in f.parts, f;"
        "assert md.version('loyaltysem') == ls.__version__;"
        "assert all(p.is_file() and '_bundled' in p.parts for p in ex.example_paths().values());"
        "print(f.parent)"
    )
    steps = [
        [str(py), "-c", probe],
        [str(py.parent / "loyaltysem"), "--version"],
        [str(py.parent / "loyaltysem"), "run", "--bootstrap", "0", "--out", "report"],
    ]
    for argv in steps:
        t0 = time.perf_counter()
        res = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True)
        shown = "import loyaltysem" if argv[1] == "-c" else " ".join(argv[1:3])
        shown = f"{Path(argv[0]).name} {shown}"
        if res.returncode != 0:
            fail(f"{shown} exited with {res.returncode}:\n{res.stderr[-3000:]}")
        print(f"  {shown}: ok ({time.perf_counter() - t0:.1f} s) {res.stdout.strip()[:100]}")
    for name in ("report.docx", "report.html", "zh/report.docx", "path_diagram.png"):
        if not (work / "report" / name).is_file():
            fail(f"loyaltysem run wrote no report/{name}")
    extra = sorted(p.name for p in work.iterdir() if p.name != "report")
    if extra:
        fail(f"loyaltysem run wrote outside its report folder: {extra}")


def main(dist: str) -> int:
    folder = Path(dist)
    wheels, sdists = sorted(folder.glob("*.whl")), sorted(folder.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"{folder} should hold one wheel and one sdist, not {wheels + sdists}")
    wheel = wheels[0].resolve()
    found = check_contents(wheel, sdists[0])
    check_metadata(found["metadata"])
    print(f"wheel-check: {wheel.name}: {found['files']} files, metadata ok")
    blocked = blocked_modules(runtime_closure(found["metadata"]))
    with tempfile.TemporaryDirectory(prefix="loyaltysem-wheel-check-") as tmp:
        py = fresh_environment(Path(tmp), wheel, blocked)
        work = Path(tmp) / "empty"
        work.mkdir()
        run_installed(py, work)
    print(f"wheel-check: passed ({len(blocked)} modules outside the runtime dependencies blocked)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1]))
