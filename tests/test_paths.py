"""Paths: no slug, tag, category or link in the content can make the build write elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import make_settings, write_article

from generator import build
from generator.errors import ConfigError, ContentError, OutputPathError
from generator.publish import safe_relative
from generator.settings import Settings


def files_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def build_in(tmp_path: Path, front: str) -> tuple[Path, set[str]]:
    """Build one article plus a good one; return the output and the files outside it before."""
    content = tmp_path / "content"
    write_article(content, "gut.md", 'title: "Gut"\ndate: 2024-01-01T10:00:00\ncategory: Sport')
    write_article(content, "boese.md", front)
    return content, files_below(tmp_path)


@pytest.mark.parametrize(("slug", "fragment"), [
    ("../../etc/passwd", "slug '../../etc/passwd' may hold only"),
    ("/etc/passwd", "slug '/etc/passwd' may hold only"),
    ('"a\\0b"', "invisible character U+0000"),
    ("..", "slug '..' may hold only"),
    ("con", "'con' is a device name Windows reserves"),
    ("LPT1", "slug 'LPT1' may hold only"),
])
def test_a_slug_that_leaves_the_output_is_refused_and_nothing_is_written(tmp_path, slug,
                                                                          fragment):
    content, before = build_in(tmp_path, f'title: "Böse"\ndate: 2024-01-02\n'
                                         f"category: Sport\nslug: {slug}")
    with pytest.raises(ContentError) as error:
        build(make_settings(content, tmp_path / "out" / "output"))
    assert "boese.md:5: " in str(error.value) and fragment in str(error.value)
    assert files_below(tmp_path) == before  # not even the output folder was made


def assert_refused(tmp_path: Path, front_matter: str, message: str) -> None:
    """The build stops with ``message`` and writes nothing at all."""
    content, before = build_in(tmp_path, front_matter)
    with pytest.raises(ContentError, match=message):
        build(make_settings(content, tmp_path / "output"))
    assert files_below(tmp_path) == before


@pytest.mark.parametrize("title", ["Con", "aux", "NUL"])
def test_a_headline_giving_a_reserved_name_asks_for_a_slug(tmp_path, title):
    assert_refused(tmp_path, f'title: "{title}"\ndate: 2024-01-02\ncategory: Sport',
                   r"boese.md:2: the URL part .* Windows reserves")


def test_a_reserved_tag_is_refused(tmp_path):
    assert_refused(tmp_path, 'title: "B"\ndate: 2024-01-02\ncategory: Sport\n'
                             "tags: [CON, Sport]", r"tag 'CON' gives the URL part 'con'")


def test_tags_with_path_characters_stay_inside_the_output(tmp_path):
    content, before = build_in(tmp_path, 'title: "B"\ndate: 2024-01-02\ncategory: Sport\n'
                                         'tags: ["../../../etc/passwd", "/tmp/x", "a\\\\b"]')
    output = tmp_path / "site" / "output"
    build(make_settings(content, output))
    outside = files_below(tmp_path) - before
    assert all(path.startswith(("site/output", "site/.cache")) or path == "site"
               for path in outside), sorted(outside)
    assert (output / "thema/etc-passwd/index.html").is_file()
    assert (output / "thema/tmp-x/index.html").is_file()


@pytest.mark.parametrize("categories", [["Sport", "CON"], ["Sport", "../"]])
def test_a_category_without_a_usable_url_is_refused_in_the_settings(tmp_path, categories):
    with pytest.raises(ConfigError, match=r"CATEGORIES: .* gives no usable URL part"):
        make_settings(tmp_path, tmp_path / "out", CATEGORIES=categories)


@pytest.mark.parametrize("pattern", ["../{slug}/", "/abs/{slug}/", "a/../../{slug}/"])
def test_url_patterns_that_leave_the_output_are_refused(tmp_path, pattern):
    with pytest.raises(ConfigError, match="TAG_URL_PATTERN: must be relative"):
        make_settings(tmp_path, tmp_path / "out", TAG_URL_PATTERN=pattern)


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../x", "a\x00b", "a\\..\\x",
                                  "", "a//b", "./a", "con", "x/NUL.txt", "com1/index.html"])
def test_safe_relative_refuses_paths_that_could_leave_the_output(path):
    with pytest.raises(OutputPathError, match="refusing to write outside the output folder"):
        safe_relative(path)


def test_safe_relative_accepts_ordinary_paths():
    assert str(safe_relative("2024/01/04/x/index.html")) == "2024/01/04/x/index.html"
    assert str(safe_relative("thema/console/index.html")) == "thema/console/index.html"


@pytest.mark.parametrize("target, name, message", [
    ("outside", "link", r"link:1: symbolic link to a folder is not followed"),
    ("outside/geheim.md", "geheim.md", r"geheim.md:1: symbolic link points outside"),
], ids=["folder", "file"])
def test_a_symlink_leading_outside_is_refused_by_the_build(tmp_path, target, name, message):
    write_article(tmp_path / "outside", "geheim.md",
                  'title: "G"\ndate: 2024-01-02\ncategory: Sport')
    content = tmp_path / "content"
    write_article(content, "gut.md", 'title: "Gut"\ndate: 2024-01-01\ncategory: Sport')
    os.symlink(tmp_path / target, content / name)
    with pytest.raises(ContentError, match=message):
        build(make_settings(content, tmp_path / "output"))
    assert not (tmp_path / "output").exists()


def test_the_sanitizer_policy_is_a_checked_setting(tmp_path):
    with pytest.raises(ConfigError) as error:
        make_settings(tmp_path, tmp_path / "out", HTML_ALLOWED_TAGS=["p", "script", "iframe"],
                      HTML_ALLOWED_ATTRIBUTES={"p": ["onclick", "style"], "img": ["src"]})
    text = str(error.value)
    assert "HTML_ALLOWED_TAGS: ['iframe', 'script'] would let article bodies run code" in text
    assert "HTML_ALLOWED_ATTRIBUTES['p']: ['onclick', 'style'] refused" in text
    assert "HTML_ALLOWED_ATTRIBUTES: 'img' is not in HTML_ALLOWED_TAGS" in text
    assert Settings().HTML_ALLOWED_ATTRIBUTES["a"] == ("href", "title")


def test_a_narrower_policy_reaches_pages_and_feeds(tmp_path):
    content = tmp_path / "content"
    write_article(content, "a.md", 'title: "A"\ndate: 2024-01-01\ncategory: Sport',
                  "Lead mit <b>fett</b> und <abbr title=\"x\">Abk</abbr>.\n\n"
                  '<p class="k" title="t">Text</p>\n')
    output = tmp_path / "output"
    build(make_settings(content, output, HTML_ALLOWED_TAGS=["p", "abbr"],
                        HTML_ALLOWED_ATTRIBUTES={"p": ["class"]}))
    page = (output / "2024/01/01/a/index.html").read_text(encoding="utf-8")
    feed = (output / "feeds/alle.atom.xml").read_text(encoding="utf-8")
    assert "<p>Lead mit fett und <abbr>Abk</abbr>.</p>" in page
    assert '<p class="k">Text</p>' in page
    assert "&lt;p&gt;Lead mit fett und &lt;abbr&gt;Abk&lt;/abbr&gt;.&lt;/p&gt;" in feed
