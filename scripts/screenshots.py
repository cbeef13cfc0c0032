"""Screenshots of built pages in headless Chromium: phone and wide, light and dark.

    .venv/bin/python scripts/screenshots.py OUTPUT_DIR SHOTS_DIR /pfad/ [/pfad2/ ...]

Serves OUTPUT_DIR on 127.0.0.1 (a free port) and writes one PNG per page, width and colour
scheme into SHOTS_DIR, to look at before a change a reader sees is called done.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "wide": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main(output: Path, shots: Path, paths: list[str]) -> None:
    handler = functools.partial(_Quiet, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        for name, viewport in VIEWPORTS.items():
            for scheme in SCHEMES:
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                for path in paths:
                    page.goto(base + path, wait_until="networkidle")
                    # Scrolled through once, so lazy photos below the fold load too.
                    page.evaluate("""async () => {
                        for (let y = 0; y < document.body.scrollHeight; y += 600) {
                            window.scrollTo(0, y);
                            await new Promise((done) => setTimeout(done, 30));
                        }
                        window.scrollTo(0, 0);
                    }""")
                    page.wait_for_load_state("networkidle")
                    stem = path.strip("/").replace("/", "_") or "index"
                    target = shots / f"{stem}-{name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
