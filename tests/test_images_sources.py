"""Photo files are found and checked when the content is read: every problem at once, at
the line of the article that names the file, and nothing published."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import make_settings, write_article, write_photo

from generator import build
from generator.content import read_site
from generator.errors import ContentError
from generator.images.sources import locate

FRONT = 'title: "{title}"\ndate: 2024-01-04T10:00:00+01:00\ncategory: Ausland\n'
LEAD = "Berlin (dts Nachrichtenagentur) - Der Vorspann.\n\n"


def article(content: Path, name: str, image: str = "", body: str = "Text.\n") -> Path:
    return write_article(content, name, FRONT.format(title=name) + image, LEAD + body)


def lead(file: str, alt: str = "Ein Foto") -> str:
    return f"image:\n  file: {file}\n  alt: {alt}\n"


def test_paths_are_beside_the_article_or_from_the_content_root():
    assert locate("2024/01/a.md", "x.jpg") == "2024/01/x.jpg"
    assert locate("2024/01/a.md", "../bilder/x.jpg") == "2024/bilder/x.jpg"
    assert locate("2024/01/a.md", "/bilder/archiv/weil.jpg") == "bilder/archiv/weil.jpg"
    assert locate("a.md", "../x.jpg") is None
    assert locate("2024/a.md", "/../x.jpg") is None


def test_every_bad_photo_is_reported_at_once_with_its_line(tmp_path: Path):
    content, outside = tmp_path / "content", tmp_path / "outside.jpg"
    write_photo(outside)
    write_photo(content / "gut.jpg")
    (content / "html.jpg").write_text("<!DOCTYPE html><p>keine Seite</p>", encoding="utf-8")
    data = write_photo(content / "voll.jpg").read_bytes()
    (content / "kurz.jpg").write_bytes(data[: len(data) // 2])
    write_photo(content / "bild.gif", fmt="GIF")
    (content / "grafik.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>',
                                        encoding="utf-8")
    write_photo(content / "riesig.png", (1300, 1000), fmt="PNG")
    os.symlink(outside, content / "link.jpg")
    article(content, "fehlt.md", lead("nicht-da.jpg"))
    article(content, "html.md", lead("html.jpg"))
    article(content, "kurz.md", lead("kurz.jpg"))
    article(content, "gif.md", lead("bild.gif"))
    article(content, "svg.md", lead("grafik.svg"))
    article(content, "bombe.md", lead("riesig.png"))
    article(content, "raus.md", lead("../outside.jpg"))
    article(content, "link.md", lead("link.jpg"))
    article(content, "ohne-alt.md", "image:\n  file: gut.jpg\n")
    article(content, "leer-alt.md", 'image:\n  file: gut.jpg\n  alt: ""\n')
    article(content, "text.md", "image: gut.jpg\n")
    article(content, "figur.md", body='![Ein Foto](nicht-da.png "Bildtext")\n')
    output = tmp_path / "output"
    with pytest.raises(ContentError) as raised:
        read_site(make_settings(content, output, IMAGE_MAX_PIXELS=1_000_000))
    found = {(p.path, p.line): p.message for p in raised.value.problems}
    expected = {
        ("fehlt.md", 5): "photo 'nicht-da.jpg' does not exist",
        ("html.md", 5): "photo 'html.jpg' is not an image",
        ("kurz.md", 5): "photo 'kurz.jpg' cannot be read as a photo",
        ("gif.md", 5): "photo 'bild.gif' is a GIF file; photos must be JPEG, PNG, WebP, AVIF",
        ("svg.md", 5): "photo 'grafik.svg' is not an image",
        ("bombe.md", 5): "photo 'riesig.png' has 1300×1000 pixels, more than IMAGE_MAX_PIXELS",
        ("raus.md", 5): "photo '../outside.jpg' lies outside the content folder",
        ("link.md", 5): "photo 'link.jpg' is a link to a file outside the content folder",
        ("ohne-alt.md", 5): "'image' needs 'alt'",
        ("leer-alt.md", 5): "'image' needs 'alt'",
        ("text.md", 5): "'image' must be a mapping",
        ("figur.md", 8): "photo 'nicht-da.png' does not exist",
    }
    assert sorted(found) == sorted(expected)
    for where, start in expected.items():
        assert found[where].startswith(start), (where, found[where])
    assert not output.exists()  # nothing published


def test_a_failed_build_leaves_the_published_site_untouched(tmp_path: Path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_photo(content / "a.jpg")
    article(content, "a.md", lead("a.jpg"))
    settings = make_settings(content, output)
    build(settings)
    before = {p: p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}
    (content / "a.jpg").write_bytes(b"kaputt")
    article(content, "b.md", lead("b.jpg"))
    with pytest.raises(ContentError) as raised:
        build(settings)
    assert [p.path for p in raised.value.problems] == ["a.md", "b.md"]
    assert {p: p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()} == before
