"""Screenshots of every step of the local web page, in English and Chinese, for the README
and docs/gui.md: ``python tests/gui_screenshots.py`` writes docs/img/gui_<lang>_<n>_<step>.png
(palette PNGs under 200 KB). Not a test: it drives the same page as tests/test_gui.py with
the bundled example (about a minute per language)."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

from gui_browser import CHROMIUM_ARGS, Page, chromium_path, serve, stop
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "img"
SAV = REPO / "data" / "online_loyalty.sav"
LIMIT = 200 * 1024
PATHS = [("INF", "SAT"), ("DES", "SAT"), ("SER", "SAT"), ("SAT", "TRU"), ("REP", "TRU"),
         ("SAT", "LOY"), ("TRU", "LOY")]  # fmt: skip


def _names() -> dict[str, dict]:
    """The example's construct and demographic names (models/online_loyalty.toml)."""
    model = tomllib.loads((REPO / "models" / "online_loyalty.toml").read_text(encoding="utf-8"))
    names = {c["code"]: c["name"] for c in model["constructs"]}
    names |= {d["code"]: d["name"] for d in model["demographics"]}
    return names | {m["code"]: m["name"] for m in model["moderators"]}


def _small(path: Path) -> Path:
    """The screenshot as a 256-colour PNG, scaled down until it is under the limit."""
    image = Image.open(path).convert("RGB")
    scale = 1.0
    while True:
        size = (round(image.width * scale), round(image.height * scale))
        small = image.resize(size, Image.LANCZOS) if scale < 1 else image
        small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        if path.stat().st_size <= LIMIT or scale < 0.5:
            return path
        scale *= 0.85


def _shot(page: Page, name: str, selector: str | None = None, height: int | None = None):
    if selector:  # tall enough for the whole element
        box = page.page.locator(selector).bounding_box()
        page.page.set_viewport_size({"width": 1280, "height": height or int(box["height"]) + 40})
    path = page.shot(OUT / f"{name}.png", selector)
    page.page.set_viewport_size({"width": 1280, "height": 900})
    print(_small(path).name, path.stat().st_size // 1024, "KB")


def _steps(page: Page, lang: str) -> None:
    p = f"gui_{lang}"
    page.open()
    page.lang(lang)
    _shot(page, f"{p}_1_start")
    page.open_data(SAV)
    page.page.locator("#columns-box").evaluate("el => el.open = true")
    _shot(page, f"{p}_2_data", "#s-data")
    for code, name in _names().items():
        if page.construct(code).count():
            page.rename(code, name["en"], name["zh"])
        demographic = page.page.locator(f"[data-testid=demographic][data-code='{code}'] input")
        if demographic.count():
            page.fill(demographic.nth(1), name["zh"])
    _shot(page, f"{p}_3_constructs", "#s-constructs")
    for x, y in PATHS:
        page.add_path(x, y)
    page.add_moderator("SWC", "SAT", "LOY")
    page.page.locator("[data-testid=moderator] [data-testid=hyp-sign]").select_option("-")
    page.wait_preview()
    time.sleep(1.0)  # the figure redrawn after the last change
    page.wait_preview()
    _shot(page, f"{p}_4_model", "#s-model")
    page.option("bootstrap", "1000")
    page.page.locator("#s-options details").evaluate("el => el.open = true")
    _shot(page, f"{p}_5_options", "#s-options")
    page.tid("run").click()
    page.page.wait_for_selector(".steps li.now .boot", timeout=300_000)
    _shot(page, f"{p}_6_running", "#s-run")
    page.page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=run-state]');"
        " return s && !s.classList.contains('running'); }",
        timeout=300_000,
        polling=500,
    )
    page.wait_report()
    time.sleep(1.0)
    _shot(page, f"{p}_7_report", "#s-run", height=1000)
    bad = OUT / "broken.sav"
    bad.write_bytes(b"\x00not an SPSS file" * 40)
    page.tid("data-file").set_input_files(str(bad))
    page.page.wait_for_selector("[data-testid=error]:visible")
    bad.unlink()
    page.page.evaluate("window.scrollTo(0, 0)")
    _shot(page, f"{p}_8_error", None)


def main() -> int:
    from playwright.sync_api import sync_playwright

    path, why = chromium_path()
    if path is None:
        print(why, file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        for lang in ("en", "zh"):
            server = serve(lang=lang)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            try:
                _steps(Page(context.new_page(), server.url), lang)
            finally:
                context.close()
                stop(server)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
