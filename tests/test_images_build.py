"""Photos through the whole build: the pages that show them, shared sources made once,
incremental builds that encode only what changed, and no variant left unused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import html5lib
import pytest
from helpers import ROOT, make_settings, write_article, write_photo
from PIL import Image

from generator import build

FRONT = ('title: "{title}"\ndate: 2024-01-0{day}T10:00:00+01:00\ncategory: Ausland\n'
         "tags: [USA]\n")
LEAD = "Berlin (dts Nachrichtenagentur) - Der Vorspann {n}.\n\nZweiter Absatz.\n"
IMAGE = "image:\n  file: {file}\n  alt: {alt}\n  caption: {caption}\n"


def report(content: Path, n: int, file: str | None = None, body: str = "") -> Path:
    image = IMAGE.format(file=file, alt=f"Bild {n}", caption=f"Bildtext {n}") if file else ""
    return write_article(content, f"a{n}.md", FRONT.format(title=f"Meldung {n}", day=n) + image,
                         LEAD.format(n=n) + body)


def files(output: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted((output / "bilder").glob("*"))}


@pytest.fixture
def site(tmp_path: Path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_photo(content / "bilder" / "archiv.jpg", (1000, 667))
    write_photo(content / "eigen.png", (500, 400), (0, 120, 0), fmt="PNG")
    report(content, 1, "/bilder/archiv.jpg")
    report(content, 2, "/bilder/archiv.jpg")
    report(content, 3, "eigen.png", '\n![Figur](/bilder/archiv.jpg "Ein Bildtext")\n')
    report(content, 4)
    return content, output, make_settings(content, output, IMAGE_WIDTHS=(480, 800, 1200))


def page(output: Path, n: int) -> str:
    return (output / f"2024/01/0{n}/meldung-{n}/index.html").read_text(encoding="utf-8")


def test_the_article_page_shows_the_lead_photo_as_a_picture(site):
    _, output, settings = site
    build(settings)
    html = page(output, 2)
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    figure = tree.find(".//figure")
    sources = figure.findall(".//source")
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    widths = [int(w) for w in re.findall(r" (\d+)w", sources[0].get("srcset"))]
    assert widths == [480, 800]  # 1200 would be wider than the 1000-pixel source
    img = figure.find(".//img")
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert img.get("alt") == "Bild 2"
    assert abs(int(img.get("width")) / int(img.get("height")) - 1000 / 667) < 0.01
    assert "".join(figure.find("figcaption").itertext()) == \
        "Foto: Bildtext 2, via dts Nachrichtenagentur"
    for source in sources:
        for url in re.findall(r"(/bilder/\S+) \d+w", source.get("srcset")):
            assert (output / url.lstrip("/")).is_file()
    # The figure stands between the dateline and the lead.
    assert html.index('class="dateline"') < html.index("<figure") < html.index('class="lead"')


def test_figures_in_the_body_and_thumbnails_load_lazily(site):
    _, output, settings = site
    build(settings)
    tree = html5lib.parse(page(output, 3), namespaceHTMLElements=False)
    body = next(d for d in tree.iter("div") if d.get("class") == "body")
    figure = body.find(".//figure")
    img = figure.find(".//img")
    assert img.get("alt") == "Figur" and img.get("loading") == "lazy"
    assert img.get("decoding") == "async"
    assert "Ein Bildtext, via dts Nachrichtenagentur" in "".join(figure.itertext())
    thumbs = [i for d in tree.iter("div") if d.get("class") == "teaser-photo"
              for i in d.iter("img")]
    assert thumbs and all(i.get("loading") == "lazy" and i.get("alt") == "" for i in thumbs)


def test_sharing_and_search_engines_get_the_crops(site):
    _, output, settings = site
    build(settings)
    tree = html5lib.parse(page(output, 1), namespaceHTMLElements=False)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"].startswith("http://127.0.0.1:8000/bilder/")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1000", "562")  # 16:9
    assert meta["og:image:alt"] == "Bild 1"
    ld = json.loads(next(s.text for s in tree.iter("script")
                         if s.get("type") == "application/ld+json"))
    ratios = []
    for url in ld["image"]:
        path = output / url.removeprefix("http://127.0.0.1:8000/")
        with Image.open(path) as image:
            ratios.append(round(image.width / image.height, 2))
    assert ratios == [1.78, 1.33, 1.0]
    assert page(output, 4).count("og:image") == 0  # no photo: no image tags


def test_a_shared_photo_is_made_once_and_text_edits_make_none(site):
    content, output, settings = site
    build(settings)
    before = files(output)
    # archiv.jpg: 2 widths × (AVIF, WebP) + JPEG, thumbnails 2 × 2 + 1, 3 crops; eigen.png:
    # 1 width (480) × 2 + JPEG, 2 × 2 + 1 thumbnails, 3 crops.
    assert len(before) == (5 + 5 + 3) + (3 + 5 + 3)
    report(content, 2, "/bilder/archiv.jpg", "Neuer Text.\n")
    assert build(settings).written > 0
    assert files(output) == before  # not one photo file made again


def test_replaced_and_unused_photos_leave_no_stale_files(site, tmp_path: Path):
    content, output, settings = site
    build(settings)
    first = files(output)
    write_photo(content / "eigen.png", (500, 400), (200, 0, 0), fmt="PNG")  # new bytes
    build(settings)
    second = files(output)
    assert len(second) == len(first) and not set(second) & (set(first) - set(second)) \
        and len(set(first) - set(second)) == 11  # every variant of eigen.png renamed
    report(content, 3)  # no photo, no figure any more
    build(settings)
    third = files(output)
    assert set(third) < set(second) and len(third) == 13  # only archiv.jpg's for 1 and 2
    clean = make_settings(content, tmp_path / "clean", IMAGE_WIDTHS=(480, 800, 1200))
    build(clean)
    assert {p: (output / "bilder" / p).read_bytes() for p in third} == \
        {p.name: p.read_bytes() for p in sorted((tmp_path / "clean" / "bilder").glob("*"))}


def test_a_photo_replaced_in_a_body_shows_on_the_page_though_the_report_did_not_change(
        site, tmp_path: Path):
    content, output, settings = site
    write_photo(content / "bilder" / "figur.jpg", (600, 400))
    report(content, 4, body='\n![Figur](/bilder/figur.jpg "Nur im Text")\n')
    build(settings)
    before = page(output, 4)
    # Only 4's body shows figur.jpg: its text, its teaser and every other page hold.
    write_photo(content / "bilder" / "figur.jpg", (600, 400), (150, 30, 30))
    build(settings)
    clean = make_settings(content, tmp_path / "clean", IMAGE_WIDTHS=(480, 800, 1200))
    build(clean)
    assert page(output, 4) != before
    assert page(output, 4) == page(tmp_path / "clean", 4)


def test_photos_are_made_in_parallel_as_in_sequence(site, tmp_path: Path):
    content, _, _ = site
    build(make_settings(content, tmp_path / "two", WORKERS=2, IMAGE_WIDTHS=(480, 800)))
    build(make_settings(content, tmp_path / "one", WORKERS=1, IMAGE_WIDTHS=(480, 800)))
    two = {p.name: p.read_bytes() for p in (tmp_path / "two" / "bilder").glob("*")}
    one = {p.name: p.read_bytes() for p in (tmp_path / "one" / "bilder").glob("*")}
    assert two == one and len(one) > 10


def test_feeds_and_related_files_carry_the_photos(site):
    _, output, settings = site
    build(settings)
    feed = feedparser.parse((output / "feeds/alle.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Meldung 3")
    html = entry.content[0].value  # as feedparser, like a reader, sanitized it
    images = html5lib.parseFragment(html, namespaceHTMLElements=False).iter("img")
    found = [(i.get("src").removeprefix("http://127.0.0.1:8000/"), i.get("alt")) for i in images]
    assert [alt for _, alt in found] == ["Bild 3", "Figur"]  # the lead photo, the figure
    assert all((output / path).is_file() for path, _ in found)
    assert "Foto: Bildtext 3, via dts Nachrichtenagentur" in html
    entries = json.loads((output / "weitere/thema/usa.json").read_text("utf-8"))["entries"]
    with_photo = [e for e in entries if "p" in e]
    assert {e["t"] for e in with_photo} == {"Meldung 1", "Meldung 2", "Meldung 3"}
    for e in with_photo:  # every file the script names from them exists
        assert e["pw"] == [160, 320] and e["ph"] == 240
        assert all((output / f"{e['p']}-{w}.{ext}").is_file()
                   for w in e["pw"] for ext in ("avif", "webp"))
        assert (output / f"{e['p']}-320.jpg").is_file()


def test_a_template_change_makes_no_photo_again(site, tmp_path: Path):
    content, output, _ = site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = make_settings(content, output, THEME=theme, IMAGE_WIDTHS=(480, 800, 1200))
    build(settings)
    before = files(output)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<!-- neu --></footer>"), "utf-8")
    assert build(settings).written > 10
    assert files(output) == before


def test_search_results_carry_the_thumbnails_names(site):
    _, output, settings = site
    build(settings)
    rows = [json.loads(path.read_text("utf-8"))
            for path in sorted((output / "search" / "r").rglob("*.json"))]
    # [url, title, date, category, teaser, sentences, thumbnail if any]
    photos = {row[1]: row[6] for row in rows if len(row) > 6}
    assert sorted(photos) == ["Meldung 1", "Meldung 2", "Meldung 3"]
    assert photos["Meldung 1"] == photos["Meldung 2"]  # one archive photo, one thumbnail
    assert all((output / f"{ref['p']}-{ref['pw'][-1]}.jpg").is_file() for ref in photos.values())
    assert all(len(row) == 6 for row in rows if row[1] == "Meldung 4")
