"""Hostile content: every output file of the hostile fixture is inspected for escaped payloads.

tests/fixtures/hostile/ holds articles whose headline, tags, summary, source and body carry
``<script>``, ``"onmouseover=``, ``</title>``, ``]]>``, ``</script>``, JSON breakers, control
characters and raw HTML (javascript: links, iframes, forms, style attributes, SVG, mXSS
tricks); one category and the site name are hostile too. The build must succeed, and no
output file may hold markup, an attribute or a URL that the payloads brought in.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import html5lib
import pytest
from helpers import ROOT

TITLE = '</title><script>alert("t1")</script> "onmouseover="alert(2)" ]]> & </script><!--'
SUMMARY = ('Zusammenfassung </script><script>alert("s")</script> ]]> "onmouseover="alert(4)" '
           "\\ und ein Backslash")
TAGS = ["<script>alert('tag')</script>", '"onmouseover="alert(3)', "CDATA ]]> Ende",
        'JSON " \\ {} Ende']
SOURCE = '<script>alert("src")</script>quelle.example "onmouseover="alert(5)'
JSON_TITLE = 'JSON-Brecher: "}]} \\ </script> ’ Ende'
CATEGORY = 'Börse <script>alert("cat")</script> & "Co" ]]>'
TITLE_PAGE = "2024/03/01/title-script-alert-t1-script-onmouseover-alert-2-script/index.html"
BODY_PAGE = "2024/03/02/rohes-html-im-text-iframe-co/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"

# Elements no page may hold outside the places the templates put them.
NEVER = {"iframe", "frame", "object", "embed", "img", "svg", "math", "style", "base", "textarea",
         "video", "audio", "source", "details", "mi", "applet", "template"}
HEAD_ONLY = {"meta", "link", "title"}
FORM_PARTS = {"input", "button", "select", "option", "label", "fieldset", "legend"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


@pytest.fixture
def hostile(built_hostile: Path) -> Path:
    return built_hostile  # conftest.py builds it once per session


def parse_html(data: bytes, fragment: bool = False):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parseFragment(data.decode("utf-8")) if fragment else parser.parse(data)


def url_problem(value: str) -> str | None:
    """Why a link target is unsafe, or None. Browsers ignore tabs and newlines in schemes."""
    cleaned = re.sub(r"[\x00-\x20]", "", value)
    scheme = urlsplit(cleaned).scheme.lower()
    return None if scheme in SAFE_SCHEMES else f"unsafe URL {value!r}"


def element_problems(root, where: str, page: bool = True) -> list[str]:
    """Elements and attributes that could run code, restyle or send the reader elsewhere."""
    problems = []
    parents = {child: parent for parent in root.iter() for child in parent}

    def inside(element, test) -> bool:
        while element in parents:
            element = parents[element]
            if test(element):
                return True
        return False

    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else "#comment"
        if tag == "#comment":
            continue
        problem = None
        if tag in NEVER:
            problem = f"<{tag}>"
        elif tag == "script":
            own = element.get("src", "").startswith("/theme/js/") and not (element.text or "")
            data = element.get("type") == "application/ld+json" and "<" not in element.text
            if not page or not (own or data):
                problem = f"script {element.attrib} {element.text!r:.60}"
        elif tag in HEAD_ONLY and (not page or not inside(element, lambda e: e.tag == "head")):
            problem = f"<{tag}> outside <head>"
        elif tag == "form" and (not page or element.get("action") != "/suche/"):
            problem = f"form {element.attrib}"
        elif tag in FORM_PARTS and not inside(
                element, lambda e: e.tag == "form" or e.get("id") == "suche-mehr"):
            problem = f"<{tag}> outside the search forms"
        elif tag == "noscript" and (not page or not inside(element, lambda e: e.tag == "main")):
            problem = "<noscript>"
        for name, value in element.attrib.items():
            name = name if isinstance(name, str) else str(name)
            if name.lower().startswith("on") or name.lower() in ("style", "srcdoc", "formaction"):
                problems.append(f"{where}: <{tag} {name}={value!r}>")
            if name.lower() in ("href", "src", "action", "xlink:href"):
                bad = url_problem(value)
                if bad:
                    problems.append(f"{where}: <{tag}> {bad}")
        if problem:
            problems.append(f"{where}: {problem}")
    return problems


def meta(root, key: str) -> list[str]:
    return [m.get("content") for m in root.iter("meta")
            if m.get("property") == key or m.get("name") == key]


def strings_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return []


def test_the_hostile_site_builds_and_every_html_page_is_clean(hostile):
    pages = sorted(hostile.rglob("*.html"))
    assert len(pages) > 15
    problems = []
    for page in pages:
        raw = page.read_bytes()
        where = page.relative_to(hostile).as_posix()
        root = parse_html(raw)  # strict: any parse error raises
        problems += element_problems(root, where)
        titles = list(root.iter("title"))
        assert len(titles) == 1 and len(list(root.iter("head"))) == 1, where
        # A title that broke out would leave the rest of the page in <title> or <head>.
        assert "Meldungen <script>" in titles[0].text, where
        for script in root.iter("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.text)
        for tag in ("onmouseover", "onerror", "onload", "onclick", "onfocus", "ontoggle"):
            assert not re.search(rf"<[^>]*\s{tag}\s*=", raw.decode()), (where, tag)
    assert problems == []


def test_article_fields_land_as_exactly_their_text(hostile):
    root = parse_html((hostile / TITLE_PAGE).read_bytes())
    assert next(root.iter("title")).text.startswith(TITLE + " – ")
    assert "".join(next(root.iter("h1")).itertext()) == TITLE
    assert meta(root, "og:title") == [TITLE]
    assert meta(root, "description") == [SUMMARY] == meta(root, "og:description")
    assert meta(root, "og:site_name") == ['Meldungen <script>alert("sitename")</script> '
                                          '"onmouseover="alert(1)']
    keywords = [a.text for p in root.iter("p") if p.get("class") == "keywords"
                for a in p.iter("a")]
    assert sorted(keywords) == sorted(TAGS)
    source = next(p for p in root.iter("p") if p.get("class") == "source")
    assert source.text == f"@ {SOURCE}"
    ld_script = next(s for s in root.iter("script") if s.get("type") == "application/ld+json")
    assert "</" not in ld_script.text and "<" not in ld_script.text
    ld = json.loads(ld_script.text)
    assert ld["@type"] == "NewsArticle" and ld["headline"] == TITLE
    assert ld["description"] == SUMMARY and sorted(ld["keywords"]) == sorted(TAGS)
    assert ld["author"]["name"] == SOURCE and ld["articleSection"] == "Ausland"


def test_raw_html_in_bodies_is_reduced_to_the_allowlist(hostile):
    root = parse_html((hostile / BODY_PAGE).read_bytes())
    body = next(d for d in root.iter("div") if d.get("class") == "body")
    text = "".join(body.itertext())
    # The links' words and cell text survive; their dangerous parts do not.
    for words in ("js-Link", "gemischt", "Markdown-Link", "Zelle", "gestylt", "ok"):
        assert words in text
    # A link whose target was dropped keeps only its text: no <a> without href (invalid HTML).
    assert [(a.text, a.get("href")) for a in body.iter("a")] == [("ok", "https://example.org/")]
    assert [a.get("rel") for a in body.iter("a")] == ["noopener noreferrer"]
    assert "alert(22)" not in text and "alert(28)" not in text  # script and comment content
    # Control characters and noncharacters are dropped, the words around them kept.
    assert "aabbccdd" in text and "\ufffe" not in text and "\x0b" not in text
    # Cell alignment (raw align or Markdown's :-:) becomes a class: align is obsolete HTML.
    cells = [(c.text, dict(c.attrib)) for c in body.iter() if c.tag in ("td", "th")]
    assert cells == [("Zelle", {"class": "align-center"}), ("Mitte", {}),
                     ("links", {"class": "align-left"}), ("zentriert", {"class": "align-center"}),
                     ("rechts", {"class": "align-right"}), ("frei", {}),
                     ("1", {"class": "align-left"}), ("2", {"class": "align-center"}),
                     ("3", {"class": "align-right"}), ("4", {})]


ATOM_TEXTS = {f"{ATOM}{name}" for name in ("title", "subtitle", "summary", "content", "rights")}


def atom_text(element, where: str) -> tuple[str, list[str]]:
    """What a feed reader shows of an Atom text construct (RFC 4287 3.1), read by its type:
    text as it stands, html unescaped once more and parsed as HTML."""
    kind = element.get("type", "text")
    if kind == "text":
        return element.text or "", []
    if kind == "html":
        fragment = parse_html((element.text or "").encode(), fragment=True)
        return "".join(fragment.itertext()), element_problems(fragment, where, page=False)
    return "", [f"{where}: <{element.tag}> of type {kind!r}, which we never write"]


def test_feeds_are_read_by_their_text_types_and_show_only_text(hostile):
    feeds = sorted((hostile / "feeds").glob("*.xml"))
    assert len(feeds) == 3
    problems = []
    for path in feeds:
        raw = path.read_bytes()
        assert not feedparser.parse(raw).bozo, path.name
        root = ET.fromstring(raw)
        for element in root.iter():
            if element.tag in ATOM_TEXTS:
                problems += atom_text(element, path.name)[1]
            if element.tag == f"{ATOM}link":
                assert url_problem(element.get("href")) is None
        assert atom_text(root.find(f"{ATOM}title"), path.name)[0].startswith(
            'Meldungen <script>alert("sitename")</script>')
        # RFC 4287 4.1.1: a feed has an author unless every entry has one; ours have both.
        assert root.findtext(f"{ATOM}author/{ATOM}name") == "dts-nachrichtenagentur.de"
        entries = list(root.iter(f"{ATOM}entry"))
        assert entries and all(e.findtext(f"{ATOM}author/{ATOM}name") for e in entries)
    assert problems == []
    site = ET.fromstring((hostile / "feeds/alle.atom.xml").read_bytes())
    entries = {atom_text(e.find(f"{ATOM}title"), "")[0]: e for e in site.iter(f"{ATOM}entry")}
    assert {TITLE, JSON_TITLE} <= set(entries)
    assert atom_text(entries[TITLE].find(f"{ATOM}summary"), "")[0] == SUMMARY
    assert entries[TITLE].findtext(f"{ATOM}author/{ATOM}name") == SOURCE


def test_a_feed_reader_shows_summaries_and_titles_as_text(hostile):
    """feedparser, as readers do, sanitizes and returns what it would display."""
    feed = feedparser.parse((hostile / "feeds/alle.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == TITLE)
    assert entry.title_detail.type == "text/plain" and entry.summary == SUMMARY
    assert entry.summary_detail.type == "text/plain"


def test_json_files_parse_and_hold_the_texts_unchanged(hostile):
    files = sorted((hostile / "weitere").rglob("*.json"))
    assert len(files) >= 7
    seen = set()
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["entries"]:
            assert re.fullmatch(r"[a-z0-9/-]+/", entry["u"]), entry["u"]
            seen.add(entry["t"])
            if entry["t"] == TITLE:
                assert entry["s"] == SUMMARY
    assert {TITLE, JSON_TITLE} <= seen
    category = json.loads((hostile / "weitere/kategorie/boerse-script-alert-cat-script-co.json")
                          .read_text(encoding="utf-8"))
    assert [e["c"] for e in category["entries"]] == [CATEGORY]


def test_search_index_files_parse_and_hold_the_texts_unchanged(hostile):
    files = [p for p in sorted((hostile / "search").rglob("*")) if p.is_file()]
    strings = []
    for path in files:
        if path.suffix == ".json":
            strings += strings_of(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix == ".txt":
            assert re.fullmatch(r"[0-9a-f]*", path.read_text(encoding="ascii"))
        else:
            assert path.suffix == ".bin", path  # term shards: binary postings of analyzed words
    assert TITLE in strings and JSON_TITLE in strings and CATEGORY in strings


def test_sitemap_and_robots_hold_only_plain_urls(hostile):
    root = ET.fromstring((hostile / "sitemap.xml").read_bytes())
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) > 15
    assert all(re.fullmatch(r"https?://[\w.:-]+/[a-z0-9/-]*", loc) for loc in locs), locs
    robots = (hostile / "robots.txt").read_text(encoding="ascii")
    assert all(re.fullmatch(r"(User-agent: \*|Disallow: /\S*|Sitemap: https?://\S+|)", line)
               for line in robots.splitlines())


CORRECTION = '</p><script>alert("corr")</script> "onmouseover="alert(8)" ]]> Ende'
NOTE = '</p><script>alert("note")</script> "onmouseover="alert(9)" ]]> Ende'


def test_corrections_and_withdrawal_notes_land_as_exactly_their_text(hostile):
    root = parse_html((hostile / TITLE_PAGE).read_bytes())
    corrections = [p for p in root.iter("p") if p.get("class") == "correction"]
    assert ["".join(p.itertext()) for p in corrections] == [
        f"Korrektur vom 01.03.2024, 12:00 Uhr: {CORRECTION}"]
    withdrawn = parse_html((hostile / "2024/03/01/title-script-alert-weg-script-zurueckgezogen/"
                                      "index.html").read_bytes())
    notes = [p for p in withdrawn.iter("p") if p.get("class") == "withdrawn-note"]
    assert ["".join(p.itertext()) for p in notes] == [NOTE]


def test_news_sitemap_and_host_rules_hold_only_plain_text(hostile):
    root = ET.fromstring((hostile / "news-sitemap.xml").read_bytes())
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert {e.text for e in root.iter(f"{news}title")} == {TITLE, JSON_TITLE,
                                                            "Rohes HTML im Text: <iframe> & Co"}
    assert {e.text for e in root.iter(f"{news}name")} == {
        'Meldungen <script>alert("sitename")</script> "onmouseover="alert(1)'}
    lines = (hostile / "_redirects").read_text(encoding="ascii").splitlines()
    assert lines[1:] == [f"/alt/titel/ /{TITLE_PAGE.removesuffix('index.html')} 301!",
                         "/2024/03/01/title-script-alert-weg-script-zurueckgezogen/ "
                         "/2024/03/01/title-script-alert-weg-script-zurueckgezogen/ 410!"]
    for line in (hostile / "nginx-redirects.conf").read_text(encoding="ascii").splitlines():
        assert re.fullmatch(r'#.*|map_hash_bucket_size \d+;|map \$uri \$meldungen_\w+ \{|\}|'
                            r'    default (""|0);|    "/[a-z0-9/-]+"( "/[a-z0-9/-]+"| 1);',
                            line), line


def test_every_output_file_was_inspected(hostile):
    """The tests above cover each kind; anything else must be a theme file, copied unchanged."""
    inspected = {".html", ".xml", ".json", ".txt", ".bin", ".conf", ""}
    for path in sorted(hostile.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(hostile).as_posix()
        if rel.startswith("theme/"):
            assert path.read_bytes() == (ROOT / "theme/static" / rel[6:]).read_bytes(), rel
        else:
            assert path.suffix in inspected, rel
