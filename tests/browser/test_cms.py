"""The editing desk in Chromium: ``meldungen serve --cms`` on a git repository made of the
fixture archive, a report written, reviewed and published through the form, a correction,
a refused save, and axe-core's findings on the desk (reported, not failed on)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, write_photo
from playwright.sync_api import Browser, Page, Route

from generator.frontmatter import decode, split, validate
from generator.settings import load

GIT = ["git", "-c", "user.name=Redaktion", "-c", "user.email=redaktion@example.org"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def desk(site_copy: Path) -> Iterator[tuple[str, Path]]:
    """``meldungen serve --cms`` on the fixture archive, made a git repository first."""
    (site_copy / ".gitignore").write_text("output/\n.output*/\n.cache/\n", encoding="utf-8")
    git(site_copy, "init", "-q", "-b", "main")
    git(site_copy, "config", "user.name", "Redaktion")
    git(site_copy, "config", "user.email", "redaktion@example.org")
    git(site_copy, "add", ".")
    git(site_copy, "commit", "-q", "-m", "Archiv")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import cli; cli()", "serve", "--cms",
         "--port", "0"], cwd=site_copy, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = ""
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
        if found:
            url = found.group(1)
            break
    assert url, "meldungen serve --cms did not start"
    try:
        yield url, site_copy
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


def open_desk(browser: Browser, url: str, foreign: list[str], path: str = "") -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE",
                                  timezone_id="Europe/Berlin")

    def guard(route: Route) -> None:
        # Nothing may leave 127.0.0.1: the desk ships every file it needs.
        if route.request.url.startswith(("http://127.0.0.1:", "blob:", "data:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Wirklich veröffentlichen?"
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("text=Meldungen")
    if path:
        page.goto(f"{url}/admin/#{path}")
    return page


def field(page: Page, name: str):
    return page.locator(f"[id^='{name}-field-']").first


def choose_category(page: Page, name: str) -> None:
    field(page, "category").click()
    page.get_by_role("option", name=name, exact=True).click()


def write_body(page: Page, *paragraphs: str, append: bool = False) -> None:
    editor = page.locator("[data-slate-editor=true]").last
    editor.click()
    if append:
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
    for number, text in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
            page.keyboard.press("Enter")
        page.keyboard.type(text)


def save_and_publish(page: Page) -> None:
    """The editorial workflow: saved as a draft (a cms/… branch), set ready, published."""
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=Status: Entwurf")
    for now, then in (("Entwurf", "Zur Überprüfung"), ("Zur Überprüfung", "Abgeschlossen")):
        page.get_by_text(f"Status: {now}").click()
        page.get_by_role("menuitem", name=then).click()
        page.wait_for_selector(f"text=Status: {then}")
    page.get_by_text("Veröffentlichen", exact=True).click()
    page.get_by_role("menuitem").filter(has_text=re.compile("Jetzt")).first.click()


def wait_for(check, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError("timed out")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, ""


def check_passes(site: Path, path: Path) -> None:
    """What `meldungen check` runs on the file, and then the command itself."""
    text, problems = decode(str(path), path.read_bytes())
    parts, more = split(str(path), text or "")
    assert parts is not None
    _, found = validate(str(path), parts, load(site / "pelicanconf.py").tz)
    assert problems + more + found == []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", "from generator.cli import cli; cli()",
                          "check", str(path)], cwd=site, env=env, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_report_written_in_the_desk_is_committed_checked_and_published(browser, desk):
    url, site = desk
    foreign: list[str] = []
    page = open_desk(browser, url, foreign, "/collections/meldungen/new")
    field(page, "title").fill("Große Übung: Bürger prüfen Straßen in Köln")
    field(page, "date").fill("2025-08-01T09:30:15")
    choose_category(page, "Inland")
    # The archive's topics are offered for the topic being typed.
    field(page, "tags").fill("Verkehr, Ru")
    offered = page.locator("datalist[id^='tags-field-'] option").evaluate_all(
        "options => options.map(o => o.value)")
    assert offered == ["Verkehr, Russland"]
    field(page, "tags").fill("Verkehr, Köln")
    write_body(page, "Köln (dts Nachrichtenagentur) - Die Stadt übt den Ernstfall.",
               "Alle Straßen bleiben für Fußgänger offen.")
    preview = page.frame_locator("iframe").first
    assert preview.locator("article.report h1").inner_text() == (
        "Große Übung: Bürger prüfen Straßen in Köln")
    assert preview.locator(".keywords").inner_text() == "Verkehr, Köln"
    assert preview.locator(".dateline").inner_text() == "01.08.2025 - 09:30 · Inland"
    assert preview.locator(".lead").inner_text() == (
        "Köln (dts Nachrichtenagentur) - Die Stadt übt den Ernstfall.")
    assert preview.locator(".source").inner_text() == "@ dts-nachrichtenagentur.de"
    # In the theme's own CSS: the lead is bold, as on the site.
    assert preview.locator(".lead").evaluate("e => getComputedStyle(e).fontWeight") == "600"
    save_and_publish(page)
    target = site / "content" / "2025" / "08" / "grosse-uebung-buerger-pruefen-strassen-in-koeln.md"
    wait_for(target.is_file)
    assert target.read_bytes().decode("utf-8") == (
        "---\n"
        'title: "Große Übung: Bürger prüfen Straßen in Köln"\n'
        "date: 2025-08-01T09:30:15+02:00\n"
        "category: Inland\n"
        "tags: [Verkehr, Köln]\n"
        "slug: grosse-uebung-buerger-pruefen-strassen-in-koeln\n"
        "---\n"
        "Köln (dts Nachrichtenagentur) - Die Stadt übt den Ernstfall.\n"
        "\n"
        "Alle Straßen bleiben für Fußgänger offen.\n")
    check_passes(site, target)
    # Every save was a commit: the draft's on its branch, the publication's merge on main.
    assert git(site, "status", "--porcelain") == ""
    assert "grosse-uebung" in git(site, "log", "-1", "--format=%s", "--", str(target))
    assert not git(site, "branch", "--list", "cms/*").strip()
    # The preview server rebuilt: the new report's page is served.
    page_url = f"{url}/2025/08/01/grosse-uebung-buerger-pruefen-strassen-in-koeln/"
    _, html = wait_for(lambda: (lambda r: r if r[0] == 200 else None)(fetch(page_url)))
    assert "Große Übung: Bürger prüfen Straßen in Köln" in html
    assert "Alle Straßen bleiben für Fußgänger offen." in html
    assert foreign == []


def test_an_existing_report_gets_a_longer_body_and_a_correction(browser, desk):
    url, site = desk
    target = site / "content" / "2024" / "01" / "05" / "finnland.md"
    foreign: list[str] = []
    page = open_desk(browser, url, foreign, "/collections/meldungen/entries/2024/01/05/finnland")
    write_body(page, "Die Regierung will bis März entscheiden.", append=True)
    page.get_by_role("button", name=re.compile("Korrektur hinzufügen", re.I)).click()
    page.locator("[id^='date-field-']").last.fill("2024-01-06T10:12:00")
    page.locator("textarea[id^='text-field-']").last.fill(
        "In einer früheren Fassung hieß es, die Grenze sei geschlossen.")
    save_and_publish(page)
    text = wait_for(lambda: (lambda t: t if "corrections:" in t else None)(
        target.read_text(encoding="utf-8")))
    assert ("corrections:\n  - date: 2024-01-06T10:12:00+01:00\n"
            '    text: "In einer früheren Fassung hieß es, die Grenze sei geschlossen."\n'
            "---\n") in text
    assert text.endswith("\n\nDie Regierung will bis März entscheiden.\n")
    # An existing report's URL stays as it was: no slug is pinned for it.
    assert "slug:" not in text
    check_passes(site, target)
    assert git(site, "status", "--porcelain") == ""
    page_url = (f"{url}/2024/01/05/"
                "finnische-aussenministerin-ruft-usa-zu-massivem-druck-auf-moskau-auf/")

    def corrected() -> str | None:
        _, html = fetch(page_url)
        return html if "Korrektur vom" in html else None

    html = wait_for(corrected)
    assert "Die Regierung will bis März entscheiden." in html
    assert foreign == []


def test_a_photo_uploaded_in_the_desk_lands_where_the_photo_rules_expect_it(
        browser, desk, tmp_path):
    url, site = desk
    photo = write_photo(tmp_path / "rathaus.jpg", size=(1600, 1067))
    foreign: list[str] = []
    page = open_desk(browser, url, foreign, "/collections/meldungen/new")
    field(page, "title").fill("Rathaus saniert")
    field(page, "date").fill("2025-08-03T10:00:00")
    choose_category(page, "Inland")
    field(page, "image").locator("[data-testid=expand-button]").click()
    page.get_by_text("Wähle ein Bild").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Ausgewähltes Element verwenden").click()
    field(page, "alt").fill("Das Rathaus hinter einem Gerüst")
    field(page, "caption").fill("Rathaus (Archiv)")
    # The preview shows the photo and its credit line as the article page does.
    preview = page.frame_locator("iframe").first
    preview.locator("figure.lead-photo img[alt='Das Rathaus hinter einem Gerüst']").wait_for()
    assert preview.locator("figcaption").inner_text() == (
        "Foto: Rathaus (Archiv), via dts Nachrichtenagentur")
    write_body(page, "Bonn (dts Nachrichtenagentur) - Das Rathaus wird saniert.")
    save_and_publish(page)
    target = site / "content" / "2025" / "08" / "rathaus-saniert.md"
    wait_for(target.is_file)
    text = target.read_text(encoding="utf-8")
    assert ("image:\n  file: rathaus-saniert/rathaus.jpg\n"
            '  alt: "Das Rathaus hinter einem Gerüst"\n  caption: "Rathaus (Archiv)"\n---\n'
            ) in text
    # In a folder of the report's own, so two reports' "foto.jpg" never meet.
    assert (target.parent / "rathaus-saniert" / "rathaus.jpg").read_bytes() == photo.read_bytes()
    check_passes(site, target)

    def shown() -> str | None:
        _, html = fetch(f"{url}/2025/08/03/rathaus-saniert/")
        return html if "<picture" in html else None

    assert "Foto: Rathaus (Archiv), via dts Nachrichtenagentur" in wait_for(shown)
    assert foreign == []


def test_a_report_without_a_required_field_is_refused(browser, desk):
    url, site = desk
    foreign: list[str] = []
    page = open_desk(browser, url, foreign, "/collections/meldungen/new")
    field(page, "title").fill("Ohne Kategorie")
    field(page, "date").fill("2025-08-02T08:00:00")
    write_body(page, "Berlin (dts Nachrichtenagentur) - Ein Text ohne Kategorie.")
    page.get_by_role("button", name="Speichern").click()
    # Decap marks the field and says why; nothing reaches git.
    page.wait_for_selector("text=Oops, einige zwingend erforderliche Felder sind nicht ausgefüllt.")
    page.wait_for_selector("text=Kategorie ist erforderlich.")
    assert git(site, "branch", "--list", "cms/*").strip() == ""
    assert git(site, "status", "--porcelain") == ""
    assert foreign == []


def test_axe_core_on_the_desk_is_reported(browser, desk, capsys):
    """Decap's own markup is not ours to fix: its violations are listed, not failed on."""
    from browser.conftest import run_axe

    url, _ = desk
    foreign: list[str] = []
    page = open_desk(browser, url, foreign, "/collections/meldungen/new")
    field(page, "title").wait_for()
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 1000})
    axe_page = context.new_page()
    axe_page.goto(f"{url}/admin/")
    axe_page.get_by_role("button", name="Login").click()
    axe_page.goto(f"{url}/admin/#/collections/meldungen/new")
    axe_page.locator("[id^='title-field-']").wait_for()
    found = run_axe(axe_page)
    with capsys.disabled():
        print(f"\naxe-core on the editing desk: {found['passes']} rules passed, "
              f"{len(found['violations'])} violated (Decap CMS's own markup):")
        for violation in found["violations"]:
            print(f"  {violation['id']} ({violation['impact']}): {len(violation['nodes'])} nodes")
    assert found["passes"] > 0
    assert foreign == []
