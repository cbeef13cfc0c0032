"""The German analyzer: umlauts, ß, stop words, Snowball 3 stems, compound parts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import snowballstemmer
from hypothesis import given
from hypothesis import strategies as st

from generator.search import analysis as analysis_module
from generator.search.analysis import (
    _PAIRED,
    _PLAIN,
    MIN_PART,
    PART_MARK,
    STOP_WORDS,
    _Folder,
    _heads,
    analyze,
    compound_parts,
    fold,
    index_terms,
    lexicon,
    query_words,
    stem,
    words,
)

VECTORS_FILE = Path(__file__).parent / "vectors" / "german-analysis.json"
VECTORS = json.loads(VECTORS_FILE.read_text("utf-8"))


def query_terms(text: str) -> set[str]:
    return {s for s, _ in query_words(text)}


@pytest.mark.parametrize("group", VECTORS["meet"], ids=lambda g: g[0])
def test_spellings_meet(group):
    stems = {s for w in group for s in query_terms(w)}
    assert len(stems) == 1, stems


@pytest.mark.parametrize("pair", VECTORS["differ"], ids=lambda g: g[0])
def test_different_words_stay_apart(pair):
    assert query_terms(pair[0]) != query_terms(pair[1])


@pytest.mark.parametrize("word", VECTORS["stop"])
def test_stop_words_in_any_spelling(word):
    assert fold(word.lower()) in STOP_WORDS
    assert query_words(word) == []
    assert analyze(f"{word} Raketen") == analyze("Raketen")


@pytest.mark.parametrize("pair", VECTORS["compounds"], ids=lambda g: g[1])
def test_compound_contains_the_query_word_as_a_part(pair):
    query, compound = pair
    (wanted,) = query_terms(query)
    terms = analyze(compound)
    assert PART_MARK + wanted in terms
    assert wanted not in terms  # the exact term stays the whole compound's stem


@pytest.mark.parametrize("word", VECTORS["atomic"])
def test_plain_words_are_not_split(word):
    assert compound_parts(word.lower()) == ()
    assert not any(t.startswith(PART_MARK) for t in analyze(word))


@pytest.mark.parametrize("text,expected", VECTORS["tokens"])
def test_tokens_keep_umlauts_and_sharp_s(text, expected):
    assert words(text) == expected


def test_stemmer_is_snowball_3_german():
    reference = snowballstemmer.stemmer("german")
    for word in ["raketen", "aussenministerin", "börse", "häuser", "verteidigung", "läuft"]:
        assert stem(word) == reference.stemWord(word)


def test_fold_is_the_stemmers_own_folding():
    reference = _Folder()
    for word in ["außen", "boerse", "quelle", "steuer", "blue", "äußerst", "mauer", "ayu"]:
        assert fold(word) == reference.stemWord(word)
    assert fold("außenministerin") == fold("aussenministerin")


@given(st.text(alphabet="aeiouyäöüßqrstnlbk", min_size=1, max_size=12))
def test_fold_equals_reference_on_any_word(word):
    assert fold(word) == _Folder().stemWord(word)


@given(st.text(alphabet="aiyäöüstnlbkr", min_size=1, max_size=14).filter(
    lambda word: not _PAIRED.search(word)))
def test_without_pairs_every_suffix_folds_like_the_whole_word(word):
    folded = word.translate(_PLAIN)
    assert [folded[cut:] for cut in range(len(word))] == [fold(word[cut:])
                                                           for cut in range(len(word))]


PIECES = ["außen", "aussen", "minister", "börse", "boerse", "steuer", "quelle", "bauer",
          "raketen", "mauer", "übel", "ueber", "straße", "grün", "gruen", "kurz", "strecken",
          "ayu", "qualität", "s", "e", "en"]


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join))
def test_compound_heads_are_the_suffixes_whose_fold_is_a_lexicon_word(word):
    stop = len(word) - MIN_PART + 1
    assert _heads(word, stop) == [cut for cut in range(MIN_PART, stop)
                                  if fold(word[cut:]) in lexicon()]


def test_decomposed_umlauts_are_the_same_word():
    assert analyze("Bo\u0308rse") == analyze("Börse")


def test_parts_follow_their_word_and_count_in_the_field_length():
    terms = analyze("Kurzstreckenraketen gestartet")
    assert terms[0] == stem("kurzstreckenraketen")
    assert PART_MARK + stem("raketen") in terms[1:-1]
    assert terms[-1] == stem("gestartet")


def test_query_mode_does_not_split():
    from generator.search.analysis import GermanAnalyzer

    tokens = [t.text for t in GermanAnalyzer()("Kurzstreckenraketen", mode="query")]
    assert tokens == [stem("kurzstreckenraketen")]


FIXTURE_TEXTS = sorted((Path(__file__).parent / "fixtures" / "site").rglob("*.md"))


@pytest.mark.parametrize("compounds", [True, False])
def test_export_terms_equal_the_whoosh_analyzer_on_the_fixture_site(compounds):
    for path in FIXTURE_TEXTS:
        text = path.read_text("utf-8")
        assert index_terms(text, compounds) == analyze(text, compounds), path.name


@given(st.text(alphabet=st.sampled_from("aAöÖßẞİı\u0308 -_.1é漢Kurzstreckenraketen"), max_size=40))
def test_export_terms_equal_the_whoosh_analyzer_on_any_text(text):
    assert index_terms(text) == analyze(text)


def test_export_terms_hold_across_memo_generations(monkeypatch):
    # A tiny generation makes most words pass through the older memo or be analyzed again.
    monkeypatch.setattr(analysis_module, "MEMO_SIZE", 5)
    monkeypatch.setattr(analysis_module, "_MEMO", {True: ({}, {}), False: ({}, {})})
    for _ in range(2):
        for path in FIXTURE_TEXTS[:6]:
            text = path.read_text("utf-8")
            assert index_terms(text) == analyze(text), path.name
