"""Article files as Meldungen writes them: the key order and quoting of ``meldungen new``,
extended to every front-matter key, and the shared vectors the editing desk's JavaScript
(theme/admin/format.mjs, tests/js/cms-format.test.mjs) is held to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator import frontmatter
from generator.article_file import KEY_ORDER, article_text, front_matter_text
from generator.frontmatter import parse_date
from generator.images.refs import KEYS as IMAGE_KEYS
from generator.slugs import slugify

VECTORS = json.loads((Path(__file__).parent / "vectors" / "article-files.json")
                     .read_text(encoding="utf-8"))
TZ = ZoneInfo(VECTORS["timezone"])


def meta(data: dict[str, Any]) -> dict[str, Any]:
    """The desk's entry data (wall-clock dates in TIMEZONE) as front_matter_text takes it."""
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("date", "modified"):
            found[key] = parse_date(value, TZ)
        elif key == "corrections":
            found[key] = [(parse_date(c["date"], TZ), c["text"]) for c in value]
        elif key != "body":
            found[key] = value
    return found


@pytest.mark.parametrize("vector", VECTORS["files"], ids=lambda v: v["name"])
def test_vectors_are_what_python_writes_and_reads_back(vector):
    text = front_matter_text(meta(vector["data"]), vector["data"]["body"])
    assert text == vector["text"]
    parts, problems = frontmatter.split("x.md", text)
    assert parts is not None and problems == []
    header, problems = frontmatter.validate("x.md", parts, TZ)
    assert problems == []
    assert header.title == vector["data"]["title"]
    assert header.tags == tuple(vector["data"]["tags"])
    assert header.date.timestamp() == parse_date(vector["data"]["date"], TZ).timestamp()


def test_the_vectors_set_every_key_a_report_can_have():
    keys = {k for v in VECTORS["files"] for k in v["data"]}
    assert set(frontmatter.KNOWN_KEYS) <= keys
    photo_keys = {k for v in VECTORS["files"] for k in v["data"].get("image", {})}
    assert set(IMAGE_KEYS) <= photo_keys


def test_every_known_key_has_its_place_in_the_order():
    assert set(KEY_ORDER) == set(frontmatter.KNOWN_KEYS)


@pytest.mark.parametrize(("wall", "written"), VECTORS["times"])
def test_time_vectors(wall, written):
    """How a wall-clock time in TIMEZONE is written, also in the hours the clocks change."""
    assert parse_date(wall, TZ).isoformat() == written


@pytest.mark.parametrize(("title", "slug"), VECTORS["slugs"])
def test_slug_vectors(title, slug):
    assert slugify(title) == slug


def test_article_text_writes_what_meldungen_new_always_wrote():
    when = parse_date("2024-01-04T20:41:54", TZ)
    text = article_text("Titel: ä", when, "Ausland", ["USA", "Russland"], "titel-ae",
                        body="Lead.\n", image={"file": "a.jpg", "alt": "Ein Bild"})
    assert text == ('---\ntitle: "Titel: ä"\ndate: 2024-01-04T20:41:54+01:00\n'
                    "category: Ausland\ntags: [USA, Russland]\nslug: titel-ae\nimage:\n"
                    '  file: a.jpg\n  alt: "Ein Bild"\n---\nLead.\n')
