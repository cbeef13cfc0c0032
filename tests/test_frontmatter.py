from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from generator.frontmatter import decode, parse_date, split, validate

BERLIN = ZoneInfo("Europe/Berlin")


def header(text: str):
    parts, problems = split("a.md", text)
    assert parts is not None, problems
    return validate("a.md", parts, BERLIN)


def test_valid_header_with_list_tags_and_offset():
    result, problems = header('---\ntitle: "USA: Raketen"\ndate: 2024-01-04T20:41:54+01:00\n'
                              "category: Ausland\ntags: [USA, Russland]\n---\nLead.\n")
    assert problems == []
    assert result.title == "USA: Raketen"
    assert result.date == datetime(2024, 1, 4, 20, 41, 54, tzinfo=BERLIN)
    assert result.tags == ("USA", "Russland")


def test_comma_separated_tags_and_yaml_special_words_stay_text():
    result, problems = header("---\ntitle: 2024\ndate: 2024-01-04\ncategory: Sport\n"
                              "tags: NO, Ja,  Olympia \n---\n")
    assert problems == []
    assert result.title == "2024"
    assert result.tags == ("NO", "Ja", "Olympia")


def test_date_without_offset_is_berlin_time_in_summer_and_winter():
    assert parse_date("2024-07-01 12:00", BERLIN).utcoffset().total_seconds() == 7200
    assert parse_date("2024-01-01T12:00:00", BERLIN).utcoffset().total_seconds() == 3600
    assert parse_date("04.01.2024 - 20:41:54", BERLIN) == datetime(2024, 1, 4, 20, 41, 54,
                                                                   tzinfo=BERLIN)


def test_date_with_utc_offset_is_shown_in_berlin():
    assert parse_date("2024-01-04T19:41:54Z", BERLIN).hour == 20


@pytest.mark.parametrize(("front", "line", "fragment"), [
    ('title: "x"\ndate: 2024-01-04\n', 1, "'category' is missing"),
    ('date: 2024-01-04\ncategory: Sport\n', 1, "'title' is missing"),
    ('title: "x"\ncategory: Sport\n', 1, "'date' is missing"),
    ('title: "x"\ndate: 31.02.2024\ncategory: Sport\n', 3, "invalid date"),
    ('title: "x"\ndate: gestern\ncategory: Sport\n', 3, "invalid date"),
    ('title: "x"\ndate: 2024-01-04\ncategory: Sport\ntags: {a: b}\n', 5, "'tags' must be"),
    ('title: "x"\ndate: 2024-01-04\ncategory: Sport\ntags: [[a], b]\n', 5, "entries must be text"),
    ('title: [x]\ndate: 2024-01-04\ncategory: Sport\n', 2, "'title' must be text"),
    ('title: "x"\ndate: 2024-01-04\ncategory: Sport\nslug: ../etc\n', 5, "slug"),
    ('title: "x"\ntitle: "y"\ndate: 2024-01-04\ncategory: Sport\n', 3, "appears twice"),
])
def test_each_bad_header_names_its_line(front, line, fragment):
    parts, problems = split("a.md", f"---\n{front}---\nBody\n")
    if parts is not None:
        _, more = validate("a.md", parts, BERLIN)
        problems = problems + more
    assert any(p.line == line and fragment in p.message for p in problems), problems


def test_yaml_syntax_error_names_the_line():
    parts, problems = split("a.md", '---\ntitle: "x"\ndate: 2024\ncategory: Sport: Fußball\n---\n')
    assert parts is None
    assert problems[0].line == 4
    assert "YAML syntax error" in problems[0].message
    assert "double quotes" in problems[0].message


@pytest.mark.parametrize(("text", "fragment"), [
    ("title: x\n", "front matter missing"),
    ("---\ntitle: x\n", "not closed"),
    ("---\n- a\n- b\n---\n", "key: value"),
])
def test_broken_fences(text, fragment):
    parts, problems = split("a.md", text)
    assert parts is None and fragment in problems[0].message


def test_decode_strips_bom_and_crlf_and_rejects_latin1_with_line():
    text, problems = decode("a.md", "\ufeff---\r\ntitle: Ä\r\n".encode())
    assert problems == [] and text == "---\ntitle: Ä\n"
    text, problems = decode("a.md", "---\ntitle: x\nsummary: Gr\xfc\xdfe\n".encode("latin-1"))
    assert text is None
    assert problems[0].line == 3 and "not UTF-8" in problems[0].message


def test_body_line_points_after_the_front_matter():
    parts, _ = split("a.md", "---\ntitle: x\ndate: 2024-01-04\ncategory: Sport\n---\nLead\n")
    assert parts.body_line == 6 and parts.body == "Lead\n"


def test_unknown_keys_are_kept_as_extra():
    result, problems = header("---\ntitle: x\ndate: 2024-01-04\ncategory: Sport\n"
                              "autor: Max\n---\n")
    assert problems == [] and result.extra == {"autor": "Max"}


def test_every_key_is_checked_whatever_the_others_hold():
    result, problems = header("---\ntitle: [x]\ndate: gestern\ncategory: Sport\n"
                              "tags: [USA, Russland]\nslug: A B\n---\n")
    assert [p.line for p in problems] == [2, 6, 3]
    assert (result.title, result.date, result.slug) == (None, None, None)
    assert result.slug_refused
    assert (result.category, result.tags) == ("Sport", ("USA", "Russland"))
