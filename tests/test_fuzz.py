"""Parsers fuzzed: any input gives a result or clear problems (``path:line: message``), never a
traceback. Front matter goes through ``content.read_article`` (decode → split → validate);
agency exports through ``importer.parse_export``, whose reports must also make valid articles.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from helpers import make_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import markup
from generator.article_file import article_text
from generator.content import read_article
from generator.errors import Problem
from generator.importer import escape_markdown, parse_export

SETTINGS = make_settings(Path("content"), Path("output"))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that front matter is made of, so generated files get past the first checks.
_keys = st.sampled_from(["title", "date", "category", "tags", "summary", "source", "slug",
                         "modified", "autor", "Title", "tags ", "- title", "title:title"])
_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2024-01-04T20:41:54+01:00", "04.01.2024 - 20:41:54", "31.02.2024",
                     "2024-13-01", "Ausland", "börse", "[USA, Russland]", "[a, [b]]", "{a: 1}",
                     '"unclosed', "'x'", "|", ">", "&anchor x", "*anchor", "!!python/object x",
                     "NO", "~", "null", "2024", "- a", "a: b: c", "\t", "'\\x00'", '"\\x01"',
                     '"\\uFFFF"', "con", "../x", '"</script>"', "]]>", "@x", "`x`", "%TAG"]),
)
_line = st.one_of(st.tuples(_keys, _values).map(lambda kv: f"{kv[0]}: {kv[1]}"),
                  st.text(max_size=20), st.sampled_from(["---", "...", "", "  - x", "#"]))
_front = st.lists(_line, max_size=10).map(lambda lines: "---\n" + "\n".join(lines))
# Mostly valid headers with hostile values (quoted as JSON, which YAML reads): these get
# through to the articles, so what a page shows is fuzzed too.
_quoted = st.text(max_size=40).map(lambda t: json.dumps(t, ensure_ascii=False))
_valid_front = st.tuples(
    st.one_of(_quoted, _values), st.sampled_from(["2024-01-04T20:41:54+01:00", "04.01.2024"]),
    st.sampled_from(["Ausland", "börse", "SPORT"]),
    st.lists(st.one_of(_quoted, _values), max_size=3), st.lists(_line, max_size=3),
).map(lambda p: "\n".join(["---", f"title: {p[0]}", f"date: {p[1]}", f"category: {p[2]}",
                           f"tags: [{', '.join(p[3])}]", *p[4]]))
_body = st.one_of(st.text(max_size=200), st.sampled_from(["", "\n---\n", "<script>x</script>",
                                                          "Lead\n\nBody"]))
_article = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.one_of(_front, _valid_front), st.sampled_from(["\n---\n", "\n...\n", "\n", ""]),
              _body).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
    st.tuples(_front, _body).map(lambda p: f"\ufeff{p[0]}\r\n---\r\n{p[1]}".encode("utf-8",
                                                                                   "surrogatepass")),
)


def assert_clear(problems: list[Problem], path: str, data: bytes) -> None:
    assert problems, "no result and no problem"
    lines = data.count(b"\n") + data.count(b"\r") + 2  # the line after the last may be meant
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == path
        assert 0 <= problem.line <= lines and problem.message.strip(), problem
        assert "Traceback" not in problem.message


def result_or_clear(parse, path: str, data: bytes):
    """``parse``'s result with no problems, or None with problems :func:`assert_clear` accepts."""
    result, problems = parse(path, data, SETTINGS)
    if result is None:
        assert_clear(problems, path, data)
    else:
        assert problems == []
    return result


@FUZZ
@given(_article)
def test_front_matter_gives_an_article_or_clear_problems(data):
    article = result_or_clear(read_article, "x.md", data)
    if article is None:
        return
    # What the pages will show is text a page and a feed can hold.
    for text in (article.title, article.source, *article.tags):
        assert text.strip() and not markup.UNWANTED.search(text)
    assert not markup.UNWANTED.search(article.summary)  # empty when there is no text at all
    assert article.category in SETTINGS.CATEGORIES and article.url.endswith(f"/{article.slug}/")
    lead, body = article.texts()
    assert not markup.UNWANTED.search(markup.to_html(f"{lead}\n\n{body}"))


_export_line = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["USA, Russland, Nordkorea", "USA; Russland", "04.01.2024 - 20:41:54",
                     "4.1.2024 - 9:05", "31.02.2024 - 10:00", "@ dts Nachrichtenagentur", "@",
                     "Weitere Meldungen:", "(Ausland, 04.01.2024 - 20:41) weiterlesen...",
                     "Washington (dts Nachrichtenagentur) - Text.", "", "Con", "\x00", "\ufffe",
                     "\x0b\x0c", "<script>alert(1)</script>", "1. FC Köln", "# x", "---"]),
)
_valid_export = st.tuples(
    st.text(max_size=30), st.text(min_size=1, max_size=50),
    st.sampled_from(["04.01.2024 - 20:41:54", "4.1.2024 - 9:05", "29.02.2023 - 10:00"]),
    st.lists(st.one_of(st.text(max_size=60), _export_line), min_size=1, max_size=4),
    st.sampled_from(["@ dts Nachrichtenagentur", "", "@"]),
).map(lambda p: "\n\n".join([p[0], p[1], p[2], *p[3], p[4]]))
_export = st.one_of(
    st.binary(max_size=300),
    _valid_export.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(_export_line, max_size=14).map(lambda lines: "\n".join(lines).encode("utf-8",
                                                                                  "surrogatepass")),
    st.lists(_export_line, max_size=14).map(lambda lines: "\r\n".join(lines).encode("cp1252",
                                                                                    "replace")),
    st.lists(_export_line, max_size=14).map(lambda lines: "\n".join(lines).encode("utf-16")),
)


@FUZZ
@given(_export)
def test_exports_give_a_report_or_clear_problems(data):
    report = result_or_clear(parse_export, "e.txt", data)
    if report is None:
        return
    assert isinstance(report.date, datetime) and report.title and report.paragraphs is not None
    # The article the importer would write from it reads back without a problem
    # (an "x" slug: import_file picks a free one, a reserved name included).
    body = "\n\n".join(escape_markdown(p) for p in report.paragraphs)
    text = article_text(report.title, report.date, "Ausland", report.tags, "x", report.source,
                        body)
    article, problems = read_article("a.md", text.encode("utf-8"), SETTINGS)
    assert problems == [] and article is not None
    # Front matter folds every kind of white space (a no-break space too) into one space.
    def fold(text: str) -> str:
        return " ".join(text.split())

    assert (article.title, article.tags) == (fold(report.title), tuple(map(fold, report.tags)))
