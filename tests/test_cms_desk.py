"""The editing desk's files: only in a build made for editing, from the site itself (no
other host), with a CSP of their own, the same bytes for the same input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT
from test_html_validity import check

from generator import build
from generator.errors import ConfigError
from generator.settings import load


def built(tmp_path: Path, name: str, **extra: object) -> Path:
    output = tmp_path / name
    build(load(FIXTURE_SITE / "pelicanconf.py", {"OUTPUT_PATH": str(output), **extra}))
    return output


def test_the_public_site_has_no_desk(built_fixture):
    assert not (built_fixture / "admin").exists()


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory) -> Path:
    return built(tmp_path_factory.mktemp("desk"), "output", CMS=True)


def test_a_build_for_editing_has_the_desk(desk_site):
    admin = desk_site / "admin"
    for name in ("index.html", "config.json", "manual-init.js", "desk.mjs", "format.mjs",
                 "widgets.mjs", "preview.mjs", "lib/js-yaml.mjs", "lib/marked.esm.js",
                 "decap/decap-cms.js"):
        assert (admin / name).is_file(), name
    assert not list(admin.rglob("*.map"))
    # Decap's chunks load beside decap-cms.js: every one it names is there.
    bundle = (admin / "decap" / "decap-cms.js").read_text(encoding="utf-8")
    assert len(list((admin / "decap").glob("*.decap-cms.js"))) > 10
    assert "decap-cms.js" in bundle


def test_the_desk_loads_nothing_from_another_host(desk_site):
    page = (desk_site / "admin" / "index.html").read_text(encoding="utf-8")
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert "//" not in url, url
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'unsafe-eval'"
    assert directives["object-src"] == "'none'"
    # Public pages keep their own, stricter policy.
    home = (desk_site / "index.html").read_text(encoding="utf-8")
    assert ("content=\"default-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'\"") in home


def test_the_hosted_desk_may_reach_its_git_host_only(tmp_path):
    output = built(tmp_path, "out", CMS=True, CMS_BACKEND="github", CMS_REPO="a/b",
                   CMS_AUTH_URL="https://auth.example.org/oauth")
    page = (output / "admin" / "index.html").read_text(encoding="utf-8")
    assert ("connect-src 'self' blob: https://api.github.com https://auth.example.org;") in page


def test_the_configuration_names_the_archive_topics(desk_site):
    found = json.loads((desk_site / "admin" / "config.json").read_text(encoding="utf-8"))
    own = found["meldungen"]
    assert own["timezone"] == "Europe/Berlin"
    assert {"USA", "Russland"} <= set(own["topics"])
    assert found["collections"][0]["fields"][2]["options"][0] == "Ausland"


def test_the_desk_is_the_same_bytes_every_time(tmp_path, desk_site):
    again = built(tmp_path, "again", CMS=True)
    first = {p.relative_to(desk_site): p.read_bytes() for p in (desk_site / "admin").rglob("*")
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in (again / "admin").rglob("*")
              if p.is_file()}
    assert first == second


def test_without_the_npm_packages_the_build_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"decap-cms, js-yaml, marked .*npm ci"):
        built(tmp_path, "out", CMS=True, NODE_MODULES=str(tmp_path / "leer"))


def test_the_desk_page_is_valid_html(tmp_path, desk_site):
    folder = tmp_path / "admin"
    folder.mkdir()
    shutil.copy(desk_site / "admin" / "index.html", folder / "index.html")
    problems = [p for p in check({"admin": folder})
                # vnu cannot resolve the page's own files against its address (see there).
                if "violates Content Security Policy" not in p]
    assert problems == []


def test_the_desk_files_come_from_the_lock_file():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name in ("decap-cms", "decap-server", "js-yaml", "marked"):
        assert lock["packages"][f"node_modules/{name}"]["version"] == pinned[name]
