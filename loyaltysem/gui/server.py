"""The local web page's server: the standard library's ``ThreadingHTTPServer`` on 127.0.0.1.

Nothing leaves the computer: the server binds the loopback address only, answers only
requests whose ``Host`` is ``127.0.0.1:PORT`` or ``localhost:PORT`` (a page elsewhere cannot
reach it by DNS rebinding), takes POST requests only with the page's own header and origin
(another site cannot submit to it), sends no request anywhere and loads nothing from the
internet. Uploads are size-limited and saved in a temporary folder per browser session,
removed when the server stops. The analysis runs as ``loyaltysem run`` in a child process
(:mod:`loyaltysem.gui.jobs`), one at a time. The routes and their JSON are the page's
contract, described in ``docs/gui.md``.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import shutil
import sys
import tempfile
import threading
import traceback
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from loyaltysem.base.errors import LoyaltysemError
from loyaltysem.gui.catalogue import LANGS, all_catalogues
from loyaltysem.gui.jobs import CHOICES, DEFAULTS, Job, run_arguments
from loyaltysem.gui.modelfile import PageError, document_to_toml
from loyaltysem.gui.session import Session, Sessions

STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "loyaltysem_session"
HEADER = "X-Loyaltysem"  # every POST of the page carries it (a cross-site form cannot)
MAX_UPLOAD_MB = 100
MAX_JSON = 20 * 2**20
_SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_PAGE_CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
             "script-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
             "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")  # fmt: skip
_REPORT_CSP = ("default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; "
               "frame-ancestors 'self'; sandbox")  # fmt: skip


def host_allowed(host: str | None, port: int) -> bool:
    """True for the Host headers of this server only (127.0.0.1 or localhost, its port).

    Example:
        >>> host_allowed("127.0.0.1:8765", 8765), host_allowed("evil.example:8765", 8765)
        (True, False)
    """
    return (host or "").strip().lower() in {f"127.0.0.1:{port}", f"localhost:{port}"}


class PageServer(ThreadingHTTPServer):
    """The server of one ``loyaltysem gui``: its sessions, its temporary folder and the
    analysis running now (at most one)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0, lang: str = "en", max_upload_mb: float = MAX_UPLOAD_MB):
        self.root = Path(tempfile.mkdtemp(prefix="loyaltysem-gui-"))
        try:
            super().__init__(("127.0.0.1", port), Handler)
        except OSError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.lang = lang if lang in LANGS else "en"
        self.max_upload = int(max_upload_mb * 2**20)
        self.sessions = Sessions(self.root)
        self.current: Job | None = None
        self.run_lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        """Stop a running analysis, close the socket and remove every temporary file."""
        if self.current is not None:
            self.current.cancel()
        self.server_close()
        shutil.rmtree(self.root, ignore_errors=True)


class _Reply(Exception):
    """A finished response (status, JSON) raised from inside a route."""

    def __init__(self, status: int, payload: dict):
        super().__init__(status)
        self.status, self.payload = status, payload


def _error(key: str | None, text: str, params: dict | None = None) -> dict:
    return {"error": {"key": key, "text": text, "params": params or {}}}


class Handler(BaseHTTPRequestHandler):
    server: PageServer
    server_version = "loyaltysem"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "loyaltysem"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # no request log on the student's terminal

    # ------------------------------------------------------------------ responses
    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (_SECURITY | (headers or {})).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: dict, headers: dict | None = None):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _refuse(self, status: int, text: str):
        self.close_connection = True
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    # ------------------------------------------------------------------ checks
    def _host_ok(self) -> bool:
        if host_allowed(self.headers.get("Host"), self.server.port):
            return True
        self._refuse(403, "forbidden: this page answers only at 127.0.0.1 or localhost")
        return False

    def _post_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if self.headers.get(HEADER) != "1" or (
            origin and not host_allowed(urlsplit(origin).netloc, self.server.port)
        ):
            self._refuse(403, "forbidden: not a request of the local page")
            return False
        return True

    def _session(self, create: bool = False) -> tuple[Session | None, dict]:
        jar = cookies.SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie", ""))
        except cookies.CookieError:
            jar = cookies.SimpleCookie()
        sid = jar[COOKIE].value if COOKIE in jar else None
        session = self.server.sessions.get(sid)
        if session is not None or not create:
            return session, {}
        busy = {self.server.current.session_id} if self._running() else set()
        session = self.server.sessions.new(busy)
        cookie = f"{COOKIE}={session.sid}; Path=/; HttpOnly; SameSite=Strict"
        return session, {"Set-Cookie": cookie}

    def _need_session(self) -> Session:
        session, _ = self._session()
        if session is None:
            raise _Reply(403, _error("session", "The page has expired: reload it."))
        return session

    def _running(self) -> bool:
        return self.server.current is not None and self.server.current.running

    def _body(self, limit: int) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _Reply(411, _error("length", "The request has no length."))
        if int(length) > limit:
            self._drain(int(length))  # so the browser reads the answer, not a reset
            self.close_connection = True
            mb = f"{limit / 2**20:g}"
            raise _Reply(413, _error("too_large", f"The file is larger than {mb} MB.",
                                     {"mb": mb}))  # fmt: skip
        return self.rfile.read(int(length))

    def _drain(self, length: int, cap: int = 2**31) -> None:
        """Read and drop a refused body (up to ``cap`` bytes, in 1 MB pieces)."""
        left = min(length, cap)
        with contextlib.suppress(OSError):
            while left > 0:
                chunk = self.rfile.read(min(left, 2**20))
                if not chunk:
                    break
                left -= len(chunk)

    def _json_body(self) -> dict:
        try:
            data = json.loads(self._body(MAX_JSON).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _Reply(400, _error("bad_request", "The page sent a request the server "
                                     "cannot read.")) from None  # fmt: skip
        if not isinstance(data, dict):
            raise _Reply(400, _error("bad_request", "The page sent a request the server "
                                     "cannot read."))  # fmt: skip
        return data

    def _filename(self) -> str:
        return unquote(self.headers.get("X-Filename", "") or "")

    # ------------------------------------------------------------------ dispatch
    def do_GET(self):  # noqa: N802 - the base class's name
        if not self._host_ok():
            return
        self._dispatch(_GET)

    def do_HEAD(self):  # noqa: N802
        self.do_GET()

    def do_POST(self):  # noqa: N802
        if not self._host_ok() or not self._post_ok():
            return
        self._dispatch(_POST)

    def _dispatch(self, routes: dict):
        parts = urlsplit(self.path)
        path = parts.path
        route = routes.get(path)
        if route is None and path.startswith("/report/") and routes is _GET:
            route = Handler.get_report
        if route is None and path.startswith("/static/") and routes is _GET:
            route = Handler.get_static
        if route is None:
            self._json(404, _error("not_found", "Not found."))
            return
        try:
            route(self, parse_qs(parts.query))
        except _Reply as reply:
            self._json(reply.status, reply.payload)
        except PageError as exc:
            self._json(400, _error(exc.key, str(exc), exc.params))
        except LoyaltysemError as exc:
            session, _ = self._session()
            text = session.message(exc) if session else " ".join(str(exc).split())
            self._json(400, _error(None, text))
        except (ConnectionError, TimeoutError):  # the browser went away
            self.close_connection = True
        except Exception as exc:  # a bug: one line on the page, the traceback on stderr
            traceback.print_exc(file=sys.stderr)
            self._json(500, _error("internal", f"internal error ({type(exc).__name__}: {exc})"))

    # ------------------------------------------------------------------ GET routes
    def get_index(self, query):
        session, headers = self._session(create=True)
        body = (STATIC / "index.html").read_bytes()
        self._send(200, body, "text/html; charset=utf-8",
                   headers | {"Content-Security-Policy": _PAGE_CSP})  # fmt: skip

    def get_favicon(self, query):
        self._send(204, b"", "image/x-icon")

    def get_static(self, query):
        name = urlsplit(self.path).path.removeprefix("/static/")
        files = {p.name: p for p in STATIC.iterdir() if p.is_file()}
        if name not in files:
            raise _Reply(404, _error("not_found", "Not found."))
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith("javascript"):
            ctype += "; charset=utf-8"
        self._send(200, files[name].read_bytes(), ctype)

    def get_state(self, query):
        session = self._need_session()
        job = session.job
        self._json(200, {
            "lang": self.server.lang, "choices": {k: list(v) for k, v in CHOICES.items()},
            "defaults": DEFAULTS, "max_upload_mb": self.server.max_upload / 2**20,
            "opened": session.opened, "document": session.document,
            "job": job.snapshot() if job else None, "busy": self._running(),
        })  # fmt: skip

    def get_catalogue(self, query):
        self._json(200, all_catalogues())

    def get_job(self, query):
        session = self._need_session()
        job = session.job
        self._json(200, {"job": job.snapshot() if job else None, "busy": self._running()})

    def get_zip(self, query):
        session = self._need_session()
        job = session.job
        if job is None or job.zip is None or not job.zip.is_file():
            raise _Reply(404, _error("no_report", "There is no report to download yet."))
        stem = Path(session.data_path).stem if session.data_path else "report"
        name = f"{stem}_report.zip".encode("ascii", "replace").decode().replace("?", "_")
        self._send(200, job.zip.read_bytes(), "application/zip",
                   {"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    def get_report(self, query):
        session = self._need_session()
        job = session.job
        rest = unquote(urlsplit(self.path).path.removeprefix("/report/"))
        number, _, rel = rest.partition("/")
        if job is None or job.state != "done" or number != str(job.number):
            raise _Reply(404, _error("no_report", "There is no report to show yet."))
        base = job.out.resolve()
        target = (base / rel).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            raise _Reply(404, _error("not_found", "Not found."))
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        self._send(200, target.read_bytes(), ctype, {"Content-Security-Policy": _REPORT_CSP})

    # ------------------------------------------------------------------ POST routes
    def post_data(self, query):
        session = self._need_session()
        body = self._body(self.server.max_upload)
        if not body:
            raise PageError("empty_file", "The file is empty.")
        self._json(200, session.open_data(self._filename() or "data", body))

    def post_model_import(self, query):
        session = self._need_session()
        body = self._body(5 * 2**20)
        self._json(200, {"document": session.open_model(self._filename() or "model.toml", body)})

    def post_model_export(self, query):
        session = self._need_session()
        doc = self._json_body().get("document")
        folder = session.folder / "export"
        folder.mkdir(exist_ok=True)
        name = _model_name(session)
        text = document_to_toml(doc, folder / name)
        session.document = doc
        self._json(200, {"toml": text, "filename": name})

    def post_preview(self, query):
        from loyaltysem.gui.modelfile import check_document
        from loyaltysem.gui.preview import research_model_png

        session = self._need_session()
        data = self._json_body()
        doc, lang = data.get("document"), data.get("lang", "en")
        check_document(doc)
        session.document = doc
        png = research_model_png(doc, lang if lang in LANGS else "en", session.folder)
        if png is None:
            self._send(204, b"", "image/png")
        else:
            self._send(200, png, "image/png")

    def post_run(self, query):
        session = self._need_session()
        data = self._json_body()
        with self.server.run_lock:
            if self._running():
                raise PageError("busy", "An analysis is running; wait until it has finished.")
            if session.data_path is None:
                raise PageError("no_data", "Open a data file first.")
            self._json(200, {"job": self._start(session, data).snapshot()})

    def _start(self, session: Session, data: dict) -> Job:
        doc = data.get("document")
        session.runs += 1
        folder = session.folder / "runs" / str(session.runs)
        folder.mkdir(parents=True)
        model = folder / _model_name(session)
        document_to_toml(doc, model)
        session.document = doc
        columns = [c["name"] for c in (session.opened or {}).get("columns", [])]
        argv = run_arguments(data.get("options") or {}, session.data_path, model,
                             folder / "report", columns)  # fmt: skip
        runs = f"runs/{session.runs}/"

        def clean(text: str) -> str:
            return session.message(text).replace(runs, "")

        job = Job(session.runs, folder, argv, clean, session_id=session.sid)
        session.job = job
        self.server.current = job
        return job.start()

    def post_cancel(self, query):
        session = self._need_session()
        job = session.job
        if job is not None:
            job.cancel()
        self._json(200, {"job": job.snapshot() if job else None})


def _model_name(session: Session) -> str:
    stem = Path(session.data_path).stem if session.data_path else "survey"
    return f"{stem}_model.toml"


_GET = {
    "/": Handler.get_index,
    "/index.html": Handler.get_index,
    "/favicon.ico": Handler.get_favicon,
    "/api/state": Handler.get_state,
    "/api/catalogue": Handler.get_catalogue,
    "/api/job": Handler.get_job,
    "/api/report.zip": Handler.get_zip,
}
_POST = {
    "/api/data": Handler.post_data,
    "/api/model/import": Handler.post_model_import,
    "/api/model/export": Handler.post_model_export,
    "/api/preview": Handler.post_preview,
    "/api/run": Handler.post_run,
    "/api/cancel": Handler.post_cancel,
}


def _open_browser(url: str) -> None:
    import webbrowser

    with contextlib.suppress(Exception):  # no browser here: the printed address is enough
        webbrowser.open(url)


def _console(key: str, lang: str = "en", **fields) -> str:
    """A console line of ``loyaltysem gui`` from the page's catalogue (``[console]``)."""
    from loyaltysem.gui.catalogue import catalogue

    return catalogue(lang)["words"][f"console.{key}"].format(**fields)


def serve(port: int = 8765, open_browser: bool = True, lang: str = "en",
          max_upload_mb: float = MAX_UPLOAD_MB) -> int:  # fmt: skip
    """Start the local web page at http://127.0.0.1:PORT/ and serve until Ctrl-C (a port in
    use is replaced by a free one); ``open_browser``: open it in the default browser;
    ``lang``: the page's first language (en or zh).

    Example:
        >>> serve(8765, open_browser=False, lang="zh")  # doctest: +SKIP
    """
    try:
        server = PageServer(port, lang, max_upload_mb)
    except OSError:
        server = PageServer(0, lang, max_upload_mb)
        print(_console("port", port=port, url=server.url), file=sys.stderr)
    print(_console("open", server.lang, url=server.url), flush=True)
    if open_browser:
        threading.Timer(0.5, _open_browser, args=(server.url,)).start()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        print(_console("stopped", root=server.root), file=sys.stderr)
    return 0


__all__ = ["PageServer", "host_allowed", "serve"]
