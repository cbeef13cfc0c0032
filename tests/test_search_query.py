"""The query language (generator/search/query.py): the shared vectors, which search-query.js
must meet too (tests/js/search-query.test.mjs), and the rules spelled out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.search.analysis import STOP_WORDS
from generator.search.query import parse

VECTORS = json.loads((Path(__file__).parent / "vectors" / "search-query.json").read_text("utf-8"))


@pytest.mark.parametrize("case", VECTORS["parse"], ids=lambda c: c["q"])
def test_parse_meets_the_shared_vectors(case):
    assert parse(case["q"]).as_dict() == {k: v for k, v in case.items() if k != "q"}


def test_the_vectors_stop_list_is_the_analyzers():
    assert VECTORS["stop"] == sorted(STOP_WORDS)


def test_quotes_make_a_phrase_and_a_minus_excludes():
    parsed = parse('Raketen "nordkoreanische Raketen" -Iran')
    assert parsed.phrases == [["nordkorean", "rak"]]
    assert parsed.exclude == ["iran"]
    assert [w.stem for w in parsed.words] == ["rak", "nordkorean"]
    assert not any(w.plain for w in parsed.words)  # quoted words are never corrected


def test_stop_words_inside_a_phrase_are_skipped():
    assert parse('"Putin und Kim"').phrases == [["putin", "kim"]]


@pytest.mark.parametrize("text", ['"', "-", "- -", '-"', "der die das", '""', "„“", "-- --x",
                                  '"""', "\u00a0-\u00a0", "-Iran"])
def test_odd_input_parses_to_nothing_to_search(text):
    assert parse(text).words == []


def test_an_unclosed_quote_runs_to_the_end_and_a_trailing_space_stops_completion():
    assert parse('Kim "nordkoreanische Raketen').phrases == [["nordkorean", "rak"]]
    assert parse("Raketen").expand and not parse("Raketen ").expand
    assert not parse('"Raketen"').expand and not parse("Raketen -Iran").expand
