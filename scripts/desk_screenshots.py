"""Screenshots of the editing desk in headless Chromium: phone and wide, light and dark.

    .venv/bin/python scripts/desk_screenshots.py SHOTS_DIR

Copies the sample archive into a temporary git repository, runs ``meldungen serve --cms``
on it (127.0.0.1, a free port), fills in a report and writes one PNG of the form with its
preview per width and colour scheme into SHOTS_DIR. Nothing is saved.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "wide": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
GIT = ["git", "-c", "user.name=Redaktion", "-c", "user.email=redaktion@example.org"]


def sample_repository(folder: Path) -> Path:
    site = folder / "site"
    shutil.copytree(ROOT / "content", site / "content")
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    (site / "pelicanconf.py").write_text(
        settings.replace('THEME = "theme"', f'THEME = "{(ROOT / "theme").as_posix()}"'),
        encoding="utf-8")
    (site / ".gitignore").write_text("output/\n.output*/\n.cache/\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Archiv"]):
        subprocess.run([*GIT, *args], cwd=site, check=True)
    return site


def fill(page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("text=Meldungen")
    page.goto(f"{base}/admin/#/collections/meldungen/new")
    page.locator("[id^='title-field-']").fill(
        "Bundestag beschließt Änderungen am Straßenverkehrsgesetz")
    page.locator("[id^='date-field-']").fill("2026-12-07T09:30:00")
    page.locator("[id^='category-field-']").first.click()
    page.get_by_role("option", name="Inland", exact=True).click()
    page.locator("input[id^='tags-field-']").fill("Bundestag, Verkehr")
    page.locator("[data-slate-editor=true]").last.click()
    page.keyboard.type("Berlin (dts Nachrichtenagentur) - Der Bundestag hat am Donnerstag "
                       "Änderungen am Straßenverkehrsgesetz beschlossen.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Kommunen sollen künftig leichter Tempo 30 anordnen können.")
    # Typing scrolled the form down to the text; the picture shows it from its top.
    page.evaluate("for (const e of document.querySelectorAll('*')) e.scrollTop = 0")
    page.wait_for_timeout(500)


def main(shots: Path) -> None:
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        site = sample_repository(Path(temp))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        serve = subprocess.Popen(
            [sys.executable, "-c", "from generator.cli import cli; cli()", "serve", "--cms",
             "--port", "0"], cwd=site, env=env, stdout=subprocess.PIPE, text=True)
        try:
            base = ""
            assert serve.stdout is not None
            for line in serve.stdout:
                found = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
                if found:
                    base = found.group(1)
                    break
            with sync_playwright() as playwright:
                # German date fields: Chromium formats them in its own UI language.
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                     args=["--lang=de-DE"])
                for name, viewport in VIEWPORTS.items():
                    for scheme in SCHEMES:
                        page = browser.new_page(viewport=viewport, color_scheme=scheme,
                                                locale="de-DE", timezone_id="Europe/Berlin")
                        fill(page, base)
                        target = shots / f"desk-{name}-{scheme}.png"
                        page.screenshot(path=str(target))
                        print(target)
                        page.close()
                browser.close()
        finally:
            serve.terminate()
            serve.wait(timeout=20)
            if serve.stdout is not None:
                serve.stdout.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
