"""The local web page (loyaltysem gui): (a) the server without a browser - upload, the
proposed model, the model file round trip, one-line errors, the Host check and the other
guards; (b) end to end in Debian's chromium driven by Playwright - the bundled .sav file
to the chapter, whose sem.json must equal the command line's on the same data, model file
and options, the Chinese page, and a bad file's one-line error on the page."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import math
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from gui_browser import CHROMIUM_ARGS, Page, chromium_path, serve, stop

from loyaltysem.gui import server as gui_server
from loyaltysem.gui.catalogue import all_catalogues
from loyaltysem.gui.jobs import DEFAULTS, Job, run_arguments
from loyaltysem.gui.modelfile import PageError, document_from_toml, document_to_toml
from loyaltysem.survey.instrument import read_instrument

REPO = Path(__file__).resolve().parents[1]
SAV = REPO / "data" / "online_loyalty.sav"
MODEL = REPO / "models" / "online_loyalty.toml"
STATIC = REPO / "loyaltysem" / "gui" / "static"


class Client:
    """HTTP to the page's server as the page sends it (its cookie, its POST header)."""

    def __init__(self, server, host: str | None = None):
        self.port = server.port
        self.host = f"127.0.0.1:{self.port}" if host is None else host  # "": none sent
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": self.host or None}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if method == "POST":
            sent["X-Loyaltysem"] = "1"
        sent |= headers or {}
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in sent.items():
            if v is not None:
                conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(body or b"")))
        conn.endheaders(body or b"")
        resp = conn.getresponse()
        data = resp.read()
        cookie = resp.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return resp.status, dict(resp.getheaders()), data

    def start(self) -> Client:
        status, _, _ = self.request("GET", "/")
        assert status == 200 and self.cookie
        return self

    def json(self, method: str, path: str, payload=None, raw: bytes | None = None, name=None):
        headers = {}
        if raw is not None:
            body, headers["X-Filename"] = raw, name
        else:
            body = None if payload is None else json.dumps(payload).encode()
        status, _, data = self.request(method, path, body, headers)
        return status, json.loads(data) if data else None


@pytest.fixture
def server():
    srv = serve(lang="en", max_upload_mb=1)
    yield srv
    root = srv.root
    stop(srv)
    assert not root.exists()  # every temporary file removed


@pytest.fixture
def client(server):
    return Client(server).start()


# ---------------------------------------------------------------------------- (a) server


def test_index_sets_a_session_cookie_and_security_headers(server):
    client = Client(server)
    status, headers, body = client.request("GET", "/")
    assert status == 200 and b'data-testid="data-file"' in body
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert server.server_address[0] == "127.0.0.1"
    for name in ("app.js", "style.css"):
        status, headers, body = client.request("GET", f"/static/{name}")
        assert status == 200 and body == (STATIC / name).read_bytes()
    assert client.request("GET", "/static/../server.py")[0] == 404


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "", "127.0.0.1.nip.io:{port}"]
)
def test_foreign_host_headers_are_refused(server, host):
    client = Client(server, host=host.format(port=server.port))
    status, _, body = client.request("GET", "/")
    assert status == 403 and b"forbidden" in body
    assert "Set-Cookie" not in client.request("GET", "/api/catalogue")[1]


def test_localhost_is_served(server):
    assert Client(server, host=f"localhost:{server.port}").request("GET", "/")[0] == 200


def test_posts_need_the_pages_header_and_origin(client, server):
    raw = SAV.read_bytes()
    status, _, _ = client.request("POST", "/api/data", raw, {"X-Loyaltysem": None})
    assert status == 403
    status, _, _ = client.request("POST", "/api/data", raw, {"Origin": "http://evil.example"})
    assert status == 403
    status, _ = client.json("POST", "/api/data", raw=raw, name="online_loyalty.sav")
    assert status == 200


def test_api_without_session_is_refused(server):
    status, _, body = Client(server).request("GET", "/api/state")
    assert status == 403 and json.loads(body)["error"]["key"] == "session"


def test_upload_shows_columns_and_the_init_proposal(client):
    from loyaltysem.pipeline.init_model import init_model

    status, out = client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    assert status == 200
    assert out["file"] == "online_loyalty.sav" and out["rows"] == 400
    assert len(out["columns"]) == 48 and out["columns"][0]["name"] == "id"
    gender = next(c for c in out["columns"] if c["name"] == "gender")
    assert gender["values"][0] == {"value": 1.0, "label": "Male"}
    doc = out["document"]
    assert doc == document_from_toml(init_model(SAV), "online_loyalty.sav")
    codes = [c["code"] for c in doc["constructs"]]
    assert codes[:3] == ["INF", "PRD", "CON"] and len(codes) == 13
    reverse = [it["code"] for c in doc["constructs"] for it in c["items"] if it["reverse"]]
    assert reverse == ["DES4", "LOY4"] == out["notes"]["reverse"]
    assert [d["code"] for d in doc["demographics"]] == ["gender", "age_band", "frequency",
                                                      "education"]  # fmt: skip
    assert doc["meta"]["id_column"] == "id" and doc["paths"] == []
    status, state = client.json("GET", "/api/state")
    assert state["opened"]["file"] == "online_loyalty.sav"  # a reload restores the page


def _edited(doc: dict) -> dict:
    """The proposal edited as a student would: names, paths, a moderator, a reverse flag."""
    doc = json.loads(json.dumps(doc))
    sat = next(c for c in doc["constructs"] if c["code"] == "SAT")
    sat["name"] = {"en": "Satisfaction", "zh": "满意度"}
    doc["constructs"][0]["items"][0]["reverse"] = True
    doc["paths"] = [{"from": "SAT", "to": "TRU", "id": "H1", "sign": "+"},
                    {"from": "SAT", "to": "LOY", "id": "H2", "sign": "+"},
                    {"from": "TRU", "to": "LOY", "id": "", "sign": ""}]  # fmt: skip
    doc["moderators"] = [{"z": "SWC", "x": "SAT", "y": "LOY", "id": "H3", "sign": "-"}]
    return doc


def test_model_file_round_trip(client, tmp_path):
    _, out = client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    doc = _edited(out["document"])
    status, exported = client.json("POST", "/api/model/export", {"document": doc})
    assert status == 200 and exported["filename"] == "online_loyalty_model.toml"
    text = exported["toml"]
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    inst = read_instrument(tmp_path / "m.toml")
    assert inst.structural.split() == ["TRU", "~", "SAT", "LOY", "~", "SAT", "+", "TRU"]
    hypotheses = [(h.id, h.path, h.sign) for h in inst.hypotheses]
    assert hypotheses == [("H1", "TRU ~ SAT", "+"), ("H2", "LOY ~ SAT", "+")]
    (mod,) = inst.moderators
    assert (mod.code, mod.x, mod.y, mod.id, mod.sign) == ("SWC", "SAT", "LOY", "H3", "-")
    assert "SWC" not in inst.construct_items and inst.construct("SAT").name["zh"] == "满意度"
    assert inst.reverse_items == ["INF1", "DES4", "LOY4"]
    status, back = client.json("POST", "/api/model/import", raw=text.encode(), name="m.toml")
    assert status == 200
    moved = back["document"]  # the moderator's construct comes back last
    assert moved["constructs"][-1]["code"] == "SWC"
    assert moved["paths"] == doc["paths"] and moved["moderators"] == doc["moderators"]
    again = client.json("POST", "/api/model/export", {"document": moved})[1]["toml"]
    assert again == text


def test_the_example_model_file_survives_the_page(client, tmp_path):
    status, back = client.json("POST", "/api/model/import", raw=MODEL.read_bytes(),
                               name="online_loyalty.toml")  # fmt: skip
    assert status == 200
    doc = back["document"]
    assert [m["z"] for m in doc["moderators"]] == ["SWC"] and len(doc["paths"]) == 14
    text = document_to_toml(doc, tmp_path / "copy.toml")
    a, b = read_instrument(MODEL), read_instrument(tmp_path / "copy.toml")
    for field in ("constructs", "hypotheses", "moderators", "demographics", "scale_labels",
                  "name", "id_column", "duration_column", "ordered"):  # fmt: skip
        assert getattr(a, field) == getattr(b, field), field
    assert a.model_syntax().split() == b.model_syntax().split()
    assert tomllib.loads(text)["scale"]["min"] == 1


def _one_line_error(status, out, code=400):
    assert status == code, out
    text = out["error"]["text"]
    assert text and "\n" not in text and "Traceback" not in text
    return out["error"]


def test_bad_files_give_one_line_errors(client, server):
    client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    err = _one_line_error(*client.json("POST", "/api/data", raw=b"\x00garbage" * 50,
                                       name="broken.sav"))  # fmt: skip
    state = client.json("GET", "/api/state")[1]  # the file opened before is still open
    assert state["opened"]["file"] == "online_loyalty.sav"
    session = next(iter(server.sessions._all.values()))
    assert session.data_path.is_file() and session.data_path.name == "online_loyalty.sav"
    assert err["key"] is None and err["text"].startswith("broken.sav: not a readable SPSS")
    assert str(server.root) not in err["text"]  # the temporary folder is not shown
    err = _one_line_error(*client.json("POST", "/api/data", raw=b"MZ", name="setup.exe"))
    assert err["key"] == "file_type" and err["params"] == {"name": "setup.exe"}
    err = _one_line_error(*client.json("POST", "/api/data", raw=b"", name="x.csv"))
    assert err["key"] == "empty_file"
    big = b"a,b\n" + b"1,2\n" * (300 * 1024)  # 1.2 MB over the test server's 1 MB
    err = _one_line_error(*client.json("POST", "/api/data", raw=big, name="big.csv"), 413)
    assert err["key"] == "too_large" and err["params"] == {"mb": "1"}
    err = _one_line_error(*client.json("POST", "/api/model/import", raw=b"[[constructs]\n",
                                       name="m.toml"))  # fmt: skip
    assert "m.toml: not a valid TOML model file" in err["text"]
    err = _one_line_error(*client.json("POST", "/api/run", {"document": {}, "options": {}}))
    assert err["key"] == "no_constructs"
    fresh = Client(server).start()  # another browser: no data file yet
    err = _one_line_error(*fresh.json("POST", "/api/run", {"document": {}, "options": {}}))
    assert err["key"] == "no_data"


def test_page_rules_for_the_model(client):
    _, out = client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    cases = {
        "path_self": {"paths": [{"from": "SAT", "to": "SAT", "id": "H1", "sign": "+"}]},
        "path_twice": {"paths": [{"from": "SAT", "to": "TRU", "id": "H1", "sign": "+"},
                                 {"from": "SAT", "to": "TRU", "id": "H2", "sign": "+"}]},
        "id_twice": {"paths": [{"from": "SAT", "to": "TRU", "id": "H1", "sign": "+"},
                               {"from": "TRU", "to": "LOY", "id": "H1", "sign": "-"}]},
        "moderator_on_path": {"paths": [{"from": "SAT", "to": "TRU", "id": "", "sign": ""}],
                              "moderators": [{"z": "TRU", "x": "SAT", "y": "TRU"}]},
        "moderated_path": {"moderators": [{"z": "SWC", "x": "SAT", "y": "LOY"}]},
    }  # fmt: skip
    for key, change in cases.items():
        err = _one_line_error(*client.json("POST", "/api/model/export",
                                           {"document": out["document"] | change}))  # fmt: skip
        assert err["key"] == key, (key, err)
    doc = json.loads(json.dumps(out["document"]))
    doc["constructs"][1]["code"] = "bad code"
    assert _one_line_error(*client.json("POST", "/api/preview", {"document": doc}))["key"] == (
        "bad_code"
    )


def test_preview_draws_the_research_model(client):
    _, out = client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    doc = out["document"]
    status, _, body = client.request("POST", "/api/preview", json.dumps({"document": doc}).encode())
    assert status == 204  # no paths yet
    status, headers, body = client.request(
        "POST", "/api/preview", json.dumps({"document": _edited(doc), "lang": "zh"}).encode()
    )
    assert status == 200 and headers["Content-Type"] == "image/png" and body[:4] == b"\x89PNG"


def test_one_run_at_a_time_and_report_files_stay_in_their_folder(client, server, tmp_path):
    _, out = client.json("POST", "/api/data", raw=SAV.read_bytes(), name="online_loyalty.sav")
    session = next(iter(server.sessions._all.values()))
    out_dir = tmp_path / "report"
    (out_dir / "zh").mkdir(parents=True)
    (out_dir / "report.html").write_text("<p>chapter</p>")
    (tmp_path / "secret.txt").write_text("x")
    job = Job(1, tmp_path, ["d", "--out", str(out_dir), "--lang", "both"])
    job.state = "done"
    session.job = job
    assert client.request("GET", "/report/1/report.html")[2] == b"<p>chapter</p>"
    for path in ("/report/1/../secret.txt", "/report/1/%2e%2e/secret.txt", "/report/2/report.html"):
        assert client.request("GET", path)[0] == 404, path
    busy = Job(2, tmp_path, ["d", "--out", str(out_dir), "--lang", "en"])
    server.current = busy
    err = _one_line_error(*client.json("POST", "/api/run", {"document": out["document"]}))
    assert err["key"] == "busy"
    busy.state = "done"


def test_options_become_the_run_commands_arguments():
    from loyaltysem.cli import build_parser

    parser = build_parser()
    args = run_arguments({"method": "cb", "estimator": "mlr", "missing": "fiml", "bootstrap": 100,
                          "seed": "7", "group": "gender", "missing_codes": "-99", "lang": "en",
                          "ordered": "", "drop_careless": True}, Path("d.sav"), Path("m.toml"),
                         Path("out"), ["gender"])  # fmt: skip
    ns = parser.parse_args(["run", *args])
    assert (ns.estimator, ns.missing, ns.bootstrap, ns.seed, ns.group, ns.lang) == (
        "mlr", "fiml", 100, 7, "gender", "en")  # fmt: skip
    assert ns.drop_careless is True and ns.missing_codes == "-99" and ns.ordered is None
    defaults = parser.parse_args(["run", *run_arguments({}, Path("d"), Path("m"), Path("o"))])
    plain = parser.parse_args(["run", "d", "--model", "m", "--out", "o"])
    assert vars(defaults) == vars(plain)  # the page's defaults are run's
    for bad in ({"method": "sem"}, {"bootstrap": "1.5"}, {"estimator": "gls"},
                {"group": "nope"}):  # fmt: skip
        with pytest.raises(PageError):
            run_arguments(bad, Path("d"), Path("m"), Path("o"), ["gender"])
    assert set(DEFAULTS) >= {"method", "estimator", "missing", "ordered", "bootstrap", "seed",
                             "group", "lang"}  # fmt: skip


def test_catalogues_cover_every_word_of_the_page():
    cats = all_catalogues()
    en, zh = cats["en"]["words"], cats["zh"]["words"]
    assert set(en) == set(zh)
    assert all(v.strip() for v in zh.values())
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n="([\w.]+)"', html))
    used |= set(re.findall(r'\bt\("([\w.]+)"', js))
    used |= {f"errors.{k}" for k in re.findall(r'key: "(\w+)"', js)}
    assert used and not used - set(en), sorted(used - set(en))
    for section in ("steps", "run", "options"):  # keys the page builds from values
        assert any(k.startswith(section + ".") for k in en)
    for name in ("load", "sample", "items", "measurement", "scores", "groups", "structural",
                 "moderation", "pls", "report"):  # fmt: skip
        assert f"steps.{name}" in en
    for pattern, text in cats["zh"]["library"]:
        assert re.compile(pattern) and "{1}" in text
    line = "broken.sav: unknown file type '.exe' (CSV/TSV, Excel .xlsx, ...)"
    assert any(re.search(p, line) for p, _ in cats["zh"]["library"])


def test_gui_command_is_registered():
    from loyaltysem.cli import build_parser, main

    ns = build_parser().parse_args(["gui", "--no-browser", "--lang", "zh", "--port", "0"])
    assert (ns.port, ns.lang, ns.no_browser) == (0, "zh", True)
    assert main(["gui", "--port", "70000", "--no-browser"]) == 2


def test_loyaltysem_gui_serves_until_interrupted_and_cleans_up():
    import signal

    proc = subprocess.Popen(
        [sys.executable, "-m", "loyaltysem", "gui", "--port", "0", "--no-browser", "--lang", "zh"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        assert "loyaltysem gui：请在浏览器中打开 http://127.0.0.1:" in line
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/catalogue")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        root = re.search(r"temporary files removed \((.+)\)", proc.stderr.read()).group(1)
        assert "loyaltysem-gui-" in root and not Path(root).exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_gui_layer_is_imported_by_the_command_line_only():
    for path in (REPO / "loyaltysem").rglob("*.py"):
        if "gui" in path.parts or path.name == "gui.py":
            continue
        assert "loyaltysem.gui" not in path.read_text(encoding="utf-8"), path
    assert gui_server.host_allowed("LOCALHOST:80", 80)


# ------------------------------------------------------------------------- (b) browser


@pytest.fixture(scope="module")
def chromium():
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    path, why = chromium_path()
    if path is None:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _numbers_equal(a, b, where="sem.json", tol=1e-8) -> int:
    """Every number of two JSON documents within ``tol``, everything else equal; the count."""
    if isinstance(a, dict):
        assert set(a) == set(b), (where, set(a) ^ set(b))
        return sum(_numbers_equal(a[k], b[k], f"{where}.{k}", tol) for k in a)
    if isinstance(a, list):
        assert len(a) == len(b), where
        return sum(_numbers_equal(x, y, f"{where}[{i}]", tol) for i, (x, y) in
                   enumerate(zip(a, b, strict=True)))  # fmt: skip
    if isinstance(a, int | float) and not isinstance(a, bool) and a is not None:
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol * max(1, abs(a)), where
        return 1
    assert a == b, (where, a, b)
    return 0


def test_from_the_sav_file_to_the_chapter_in_a_browser(chromium, tmp_path):
    server = serve(lang="en")
    context = chromium.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(120_000)  # a loaded 2-core machine: waits, not failures
    cli = None
    try:
        page = Page(context.new_page(), server.url).open()
        page.open_data(SAV)
        assert page.tid("construct").count() == 13
        page.rename("SAT", "Satisfaction", "满意度")
        des4 = page.page.locator("[data-testid=item][data-code=DES4] [data-testid=reverse]")
        assert des4.is_checked()  # proposed by the check.keys rule
        for x, y in (("SAT", "TRU"), ("SAT", "LOY"), ("TRU", "LOY")):
            page.add_path(x, y)
        assert page.tid("path").count() == 3
        assert "SAT → TRU → LOY" in page.page.locator("#mediators").inner_text()
        page.wait_preview()
        model = page.download("download-model", tmp_path / "model.toml")
        assert read_instrument(model).construct("SAT").name == {
            "en": "Satisfaction",
            "zh": "满意度",
        }
        # the command line on the same data, model file and options, beside the page's run
        cli = subprocess.Popen(
            [sys.executable, "-m", "loyaltysem", "run", str(SAV), "--model", str(model),
             "--out", str(tmp_path / "cli"), "--bootstrap", "30", "--seed", "11", "--lang",
             "en"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        page.option("bootstrap", "30")
        page.option("seed", "11")
        page.option("lang", "en")
        assert page.run() == "done", page.tid("error").inner_text()
        assert page.tid("progress").locator("li.done").count() >= 8
        page.wait_report()
        report = page.download("download-report", tmp_path / "report.zip")
        with zipfile.ZipFile(report) as z:
            assert "report/report.html" in z.namelist()
            gui = json.loads(z.read("report/sem.json"))
        assert cli.wait(timeout=300) == 0, cli.stderr.read()
        ref = json.loads((tmp_path / "cli" / "sem.json").read_text(encoding="utf-8"))
        assert _numbers_equal(gui, ref) > 500

        page.lang("zh")  # the Chinese page
        assert page.tid("run").inner_text() == "运行分析"
        assert "核对构念" in page.page.locator("#s-constructs h2").inner_text()
        page.shot(tmp_path / "gui_zh.png", full=True)
        assert (tmp_path / "gui_zh.png").stat().st_size > 20_000

        bad = tmp_path / "broken.sav"  # a bad file: one line on the page, in Chinese
        bad.write_bytes(b"\x00not an SPSS file" * 40)
        page.tid("data-file").set_input_files(str(bad))
        text = _error_text(page, "broken.sav")
        assert "\n" not in text and text.startswith("broken.sav：不是可读取的 SPSS 文件")
    finally:
        if cli is not None and cli.poll() is None:
            cli.kill()
        context.close()
        stop(server)


def _error_text(page, start: str) -> str:
    """The page's error line once it shows a text that begins with ``start`` (an error of an
    earlier step may still be there when the file is chosen, and the page clears it first)."""
    with contextlib.suppress(Exception):  # a timeout: the assertion names what is shown
        page.page.wait_for_function(
            "(start) => { const e = document.querySelector('[data-testid=error]');"
            " return e && !e.hidden && e.innerText.trim().startsWith(start); }",
            arg=start,
            timeout=30_000,
        )
    return page.tid("error").inner_text().strip()


def test_page_language_from_the_command_line(chromium):
    server = serve(lang="zh")
    context = chromium.new_context()
    context.set_default_timeout(120_000)
    try:
        page = Page(context.new_page(), server.url).open()
        assert page.tid("lang").input_value() == "zh"
        assert page.page.locator("html").get_attribute("lang") == "zh-CN"
        page.tid("data-file").set_input_files(
            files=[
                {
                    "name": "notes.docx",
                    "mimeType": "application/octet-stream",
                    "buffer": io.BytesIO(b"PK").getvalue(),
                }
            ]  # fmt: skip
        )
        assert _error_text(page, "“notes.docx”") == (
            "“notes.docx”不是本页面能读取的数据文件（SPSS、CSV、Excel、Stata 或 SAS）。"
        )
    finally:
        context.close()
        stop(server)


def test_a_late_preview_does_not_hide_a_newer_error(chromium):
    """The research-model preview answers late (held back here); meanwhile the user opens a
    file the page cannot read. The preview's success must not clear that file's error: it
    clears only an error of its own."""
    server = serve(lang="en")
    context = chromium.new_context()
    context.set_default_timeout(120_000)
    held = []
    try:
        page = Page(context.new_page(), server.url).open()
        page.open_data(SAV)
        page.add_path("SAT", "LOY")
        page.wait_preview()
        page.page.route("**/api/preview", lambda route: held.append(route))
        page.lang("zh")  # schedules a new preview, now held
        page.page.wait_for_timeout(800)  # the 400 ms debounce has sent it
        assert held, "no preview request was made"
        bad = {"name": "notes.docx", "mimeType": "application/octet-stream", "buffer": b"PK"}
        page.tid("data-file").set_input_files(files=[bad])
        assert _error_text(page, "“notes.docx”").startswith("“notes.docx”")
        for route in held:
            route.continue_()
        page.page.wait_for_timeout(1_500)  # the preview's answer has arrived
        assert page.tid("error").is_visible()
        assert page.tid("error").inner_text().strip().startswith("“notes.docx”")
    finally:
        context.close()
        stop(server)
