"""The Nu HTML Checker (vnu, the W3C validator's engine) over every page the tests build.

The sample archive, the fixture site and the hostile fixture are checked in one run of the
checker (one Java start, some five seconds). Errors and warnings fail the test; only the
checker's known false alarms below are let through, each by its exact message.
vnu.jar comes from npm (vnu-jar in package-lock.json), Java from Debian: both installed by
scripts/ensure-test-tools.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import ROOT

from generator.render import asset_versions

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The JIT's quick tier only: a run of a few seconds is over before the optimizing one pays off
# (half the CPU time). Its larger frames need a larger stack for vnu's schema (StackOverflowError
# with the default 1 MB).
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Xss8m")

_CSP = "Content Security Policy (meta tag)"
_OWN_FILE = ("vnu's CSP check neither resolves a page's URLs against its address nor knows its "
             "origin, so default-src 'self' matches none of the site's own files (browsers load "
             "them: tests/browser)")


def false_alarms(photos: Iterable[str] = ()) -> dict[tuple[str, str | None], str]:
    """The checker's false alarms: (exact message, exact flagged markup or None for any) → why.

    The one place where a message may be let through. Messages about the theme's own files
    name them with their version hash, so they are listed for every file of the theme, and
    for every photo file (``photos``: their URLs, ``/bilder/…``) the built sites hold.
    """
    alarms = {
        (f"Inline script violates {_CSP}: blocked by “script-src” directive (missing "
         "“‘unsafe-inline’” or nonce/hash).", '<script type="application/ld+json">'):
            "vnu takes the JSON-LD data block for an inline script; CSP governs only scripts "
            "that run, and browsers never run a data block",
    }
    for name, version in asset_versions(ROOT / "theme" / "static").items():
        url = f"/theme/{name}?v={version}"
        alarms[(f"Resource violates {_CSP}: external stylesheet “{url}” blocked by “style-src” "
                "directive.", None)] = _OWN_FILE
        alarms[(f"Resource violates {_CSP}: external script “{url}” blocked by “script-src” "
                "directive.", None)] = _OWN_FILE
    for url in photos:
        alarms[(f"Resource violates {_CSP}: image “{url}” blocked by “img-src” directive.",
                None)] = _OWN_FILE
    return alarms


def check(folders: dict[str, Path]) -> list[str]:
    """Every error and warning vnu reports for the HTML files below folders, as
    ``name/file:line: error: message`` (or ``warning:``), except the false alarms."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (scripts/ensure-test-tools installs it)"
    assert VNU.is_file(), f"{VNU.relative_to(ROOT)} is missing: run scripts/ensure-test-tools"
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU), "--format", "json", "--stdout",
         "--exit-zero-always", "--skip-non-html", *(str(folder) for folder in folders.values())],
        capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0 and result.stdout.startswith("{"), result.stdout + result.stderr
    alarms = false_alarms(sorted({f"/{path.relative_to(folder).as_posix()}"
                                  for folder in folders.values()
                                  for path in folder.glob("bilder/*")}))
    names = {folder.resolve(): name for name, folder in folders.items()}
    problems = []
    for message in json.loads(result.stdout)["messages"]:
        kind, text = message["type"], message.get("message", "")
        if kind == "info" and message.get("subType") != "warning":
            continue  # information, not a finding
        extract, start = message.get("extract", ""), message.get("hiliteStart", 0)
        flagged = extract[start:start + message.get("hiliteLength", 0)]
        if kind == "info" and ((text, None) in alarms or (text, flagged) in alarms):
            continue
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        where = next((f"{names[base]}/{path.relative_to(base).as_posix()}"
                      for base in names if path.is_relative_to(base)), str(path))
        label = "warning" if kind == "info" else kind
        problems.append(f"{where}:{message.get('lastLine', 0)}: {label}: {text}")
    return problems


def test_every_page_of_the_built_sites_is_valid_html(built_sample, built_fixture, built_hostile):
    folders = {"sample": built_sample, "fixture": built_fixture, "hostile": built_hostile}
    assert sum(len(list(folder.rglob("*.html"))) for folder in folders.values()) > 200
    problems = check(folders)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
