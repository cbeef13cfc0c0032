"""The editing desk's configuration is generated from the settings and the article format:
a field for every front-matter key, required where the format requires, files where
ARTICLE_FILE_PATTERN puts them, the editorial workflow."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import ROOT, make_settings

from generator import frontmatter
from generator.cms.config import config, entry_path, fields
from generator.images.refs import KEYS as IMAGE_KEYS

DESK = ROOT / "theme" / "admin" / "desk.mjs"


def settings(tmp_path: Path, **extra: object):
    return make_settings(tmp_path / "content", tmp_path / "output", **extra)


def by_name(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


def test_every_front_matter_key_can_be_set_in_the_form(tmp_path):
    form = by_name(fields(settings(tmp_path)))
    missing = set(frontmatter.KNOWN_KEYS) - set(form)
    assert not missing, f"front-matter keys the editing desk cannot set: {sorted(missing)}"
    assert set(form) - set(frontmatter.KNOWN_KEYS) == {"body"}
    photo = [f["name"] for f in form["image"]["fields"]]
    assert photo == list(IMAGE_KEYS)
    assert [f["name"] for f in form["corrections"]["fields"]] == ["date", "text"]


def test_required_in_the_format_is_required_in_the_form(tmp_path):
    form = by_name(fields(settings(tmp_path)))
    required = {name for name, f in form.items() if f.get("required", True)}
    assert required == {*frontmatter.REQUIRED_KEYS, "body"}
    # Inside optional groups: what a correction needs.
    assert all(f.get("required", True) for f in form["corrections"]["fields"])


def test_categories_and_time_zone_come_from_the_settings(tmp_path):
    form = by_name(fields(settings(tmp_path, CATEGORIES=["Lokales", "Börse"],
                                   TIMEZONE="America/New_York")))
    assert form["category"]["widget"] == "select"
    assert form["category"]["options"] == ["Lokales", "Börse"]
    assert "America/New_York" in form["date"]["hint"]
    assert form["date"]["widget"] == "zeit"


def test_the_slug_field_allows_what_the_format_allows(tmp_path):
    pattern = by_name(fields(settings(tmp_path)))["slug"]["pattern"][0]
    for slug in ("a", "grosse-uebung", "2024", "a-b-c"):
        assert re.match(pattern, slug) and frontmatter.SLUG_RE.match(slug)
    for slug in ("A", "a--b", "-a", "a-", "ä", "a b"):
        assert not re.match(pattern, slug) and not frontmatter.SLUG_RE.match(slug)


def test_files_go_where_article_file_pattern_says():
    assert entry_path("{year}/{month}/{slug}.md") == (
        "{{meldungen_year}}/{{meldungen_month}}/{{slug}}")
    assert entry_path("{year}/{month}/{day}/{slug}.md") == (
        "{{meldungen_year}}/{{meldungen_month}}/{{meldungen_day}}/{{slug}}")
    # The desk's preSave hook sets every one of them (in TIMEZONE, not Decap's UTC).
    script = DESK.read_text(encoding="utf-8")
    for name in ("year", "month", "day"):
        assert f"'meldungen_{name}'" in script


def test_the_collection_and_the_workflow(tmp_path):
    found = config(settings(tmp_path, ARTICLE_FILE_PATTERN="{year}/{slug}.md"), "archiv/content")
    assert found["publish_mode"] == "editorial_workflow"
    assert found["load_config_file"] is False
    (collection,) = found["collections"]
    assert collection["folder"] == "archiv/content"
    assert collection["path"] == "{{meldungen_year}}/{{slug}}"
    assert collection["format"] == "meldungen" and collection["extension"] == "md"
    assert collection["slug"] == "{{fields.slug}}"
    # Photos go into a folder named like the report file, archive photos under content/bilder/.
    assert (collection["media_folder"], collection["public_folder"]) == ("{{filename}}",) * 2
    assert (found["media_folder"], found["public_folder"]) == ("archiv/content/bilder", "/bilder")


def test_the_hosted_backend(tmp_path):
    found = config(settings(tmp_path, CMS_BACKEND="gitlab", CMS_REPO="redaktion/archiv",
                            CMS_BRANCH="live", CMS_AUTH_URL="https://auth.example.org"),
                   "content")
    assert found["backend"] == {"name": "gitlab", "branch": "live", "repo": "redaktion/archiv",
                                "base_url": "https://auth.example.org"}
