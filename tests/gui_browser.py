"""Driving the local web page (loyaltysem gui) in a real browser: Playwright with Debian's
chromium. Shared by tests/test_gui.py and tests/gui_screenshots.py (the README's pictures).

``chromium_path()`` finds /usr/bin/chromium and, when it is absent, installs it with apt-get
where that is possible (root, apt available); None otherwise, and the browser test skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _found() -> str | None:
    for path in _CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


def chromium_path() -> tuple[str | None, str]:
    """(path of chromium, "") or (None, why it is missing and could not be installed)."""
    path = _found()
    if path:
        return path, ""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "chromium is not installed (/usr/bin/chromium) and apt-get is not usable here"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "install", "-y", "-q", "chromium"],
                    ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "chromium"]):  # fmt: skip
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"installing chromium failed ({exc})"
        path = _found()
        if path:
            return path, ""
    return None, "apt-get install chromium did not install a chromium"


def serve(**kwargs):
    """A :class:`loyaltysem.gui.server.PageServer` on a free port, serving in a thread."""
    from loyaltysem.gui.server import PageServer

    server = PageServer(0, **kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    return server


def stop(server) -> None:
    server.shutdown()
    server.close()


class Page:
    """The page's controls by their data-testid (the contract in docs/gui.md)."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url

    def tid(self, name: str, within=None):
        return (within or self.page).locator(f"[data-testid={name}]")

    def open(self) -> Page:
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']")
        return self

    def lang(self, lang: str) -> None:
        self.tid("lang").select_option(lang)

    def open_data(self, path) -> None:
        self.tid("data-file").set_input_files(str(path))
        self.page.wait_for_selector("[data-testid=data-summary]")

    def construct(self, code: str):
        return self.page.locator(f"[data-testid=construct][data-code='{code}']")

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        locator.dispatch_event("change")

    def rename(self, code: str, en: str, zh: str) -> None:
        card = self.construct(code)
        self.fill(self.tid("construct-name-en", card), en)
        self.fill(self.tid("construct-name-zh", self.construct(code)), zh)

    def add_path(self, x: str, y: str) -> None:
        self.tid("path-from").select_option(x)
        self.tid("path-to").select_option(y)
        self.tid("path-add").click()

    def add_moderator(self, z: str, x: str, y: str) -> None:
        self.tid("mod-z").select_option(z)
        self.tid("mod-path").select_option(f"{x}->{y}")
        self.tid("mod-add").click()

    def option(self, name: str, value: str) -> None:
        control = self.tid(f"opt-{name}")
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            self.fill(control, value)

    def wait_preview(self) -> None:
        self.page.wait_for_selector("[data-testid=preview]:visible")
        self.page.wait_for_function(
            "() => { const i = document.querySelector('[data-testid=preview]');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )

    def run(self, timeout: float = 300) -> str:
        """Click Run and wait until the run ends: "done" or "error"."""
        self.tid("run").click()
        self.page.wait_for_selector("[data-testid=run-state]")
        self.page.wait_for_function(
            "() => { const s = document.querySelector('[data-testid=run-state]');"
            " return s && !s.classList.contains('running'); }",
            timeout=timeout * 1000,
            polling=500,
        )
        state = self.tid("run-state").get_attribute("class")
        return "done" if "done" in state else "error"

    def wait_report(self, timeout: float = 30) -> None:
        """Until the report preview shows the chapter."""
        end = time.time() + timeout
        while time.time() < end:
            for frame in self.page.frames:
                if "/report/" in frame.url:
                    try:
                        if frame.evaluate("document.body && document.body.innerText.length > 200"):
                            return
                    except Exception:  # still loading
                        pass
            time.sleep(0.2)
        raise TimeoutError("the report preview did not load")

    def download(self, testid: str, target: Path) -> Path:
        with self.page.expect_download() as info:
            self.tid(testid).click()
        info.value.save_as(str(target))
        return target

    def shot(self, target: Path, selector: str | None = None, full: bool = False) -> Path:
        """A screenshot of the page (or of one element, taken from the page so that the
        report's frame is in it)."""
        clip = None
        if selector:
            element = self.page.locator(selector)
            element.scroll_into_view_if_needed()
            time.sleep(0.3)
            box = element.bounding_box()
            clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}
        self.page.screenshot(path=str(target), clip=clip, full_page=full and clip is None)
        return target
