"""Summaries kept in the build's teaser file: read back in this process, in forked workers,
and put back in hand wherever an article is pickled (the build cache, fresh workers)."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from generator import parallel, teasers
from generator.cache import State, load, save
from generator.model import Article

SUMMARIES = [f"Berlin (dts) - Meldung {n}: „Zitat“ über Straßen, {'ä' * (n % 50)}."
             for n in range(600)]


def article(n: int) -> Article:
    return Article(source_path=f"{n}.md", title=f"Meldung {n}",
                   date=datetime(2024, 1, 1, tzinfo=UTC), category="Ausland", tags=("USA",),
                   summary_text=SUMMARIES[n], source="dts", slug=f"meldung-{n}",
                   url=f"2024/01/01/meldung-{n}/", body_line=5, sha=f"sha{n}")


def _summary(item: Article) -> str:
    return item.summary


def test_summaries_read_back_from_the_file_and_from_what_waits_to_be_written(
        tmp_path, monkeypatch):
    monkeypatch.setattr(teasers, "FLUSH", 4096)  # most texts in the file, the last ones not
    with teasers.held(tmp_path):
        kept = [teasers.keep(article(n)) for n in range(600)]
        assert all(a.summary_text == "" and a.teaser_at == n for n, a in enumerate(kept))
        assert 0 < teasers._file.written < teasers._file.starts[-1]
        assert [a.summary for a in kept] == SUMMARIES
        # Forked workers read the same file (and their copy of what waits).
        assert list(parallel.map_chunks(_summary, kept, workers=2, min_items=1)) == SUMMARIES
    with pytest.raises(RuntimeError, match="after its build ended"):
        _ = kept[0].summary


def test_a_pickled_article_carries_its_summary_to_a_process_without_the_file(tmp_path):
    with teasers.held(tmp_path):
        data = pickle.dumps(teasers.keep(article(7)))
    again = pickle.loads(data)
    assert again.teaser_at == -1 and again.summary == SUMMARIES[7]


def test_without_a_held_file_an_article_keeps_its_summary():
    kept = teasers.keep(article(3))
    assert kept.teaser_at == -1 and kept.summary_text == SUMMARIES[3]


def test_the_build_cache_saves_the_text_and_loads_it_into_the_file(tmp_path):
    folder = tmp_path / "cache"
    with teasers.held(tmp_path):
        state = State("parse", "render")
        for n in range(20):
            state.articles[f"{n}.md"] = state.keep(article(n))
        save(folder, state)
    expected = {f"{n}.md": SUMMARIES[n] for n in range(20)}
    loaded = load(folder)  # outside a build: the texts stay in the articles
    assert {rel: a.summary_text for rel, a in loaded.articles.items()} == expected
    with teasers.held(tmp_path):
        again = load(folder)
        values = dict(again.articles.items())
        assert {a.teaser_at >= 0 and a.summary_text == "" for a in values.values()} == {True}
        assert {rel: a.summary for rel, a in values.items()} == expected
    loaded.close()
    again.close()


def test_articles_parsed_in_a_build_share_their_values_as_loaded_ones_do():
    def unshared(n: int) -> Article:  # as a worker process sends it: its own copies
        return replace(article(n), tags=("".join(["US", "A"]), "".join(["Russ", "land"])),
                       source="".join(["dts-", "nachrichtenagentur.de"]))

    first, second = unshared(1), unshared(2)
    assert first.tags is not second.tags and first.source is not second.source
    assert first.tags[0] is not second.tags[0] and first.extra is not second.extra
    state = State("parse", "render")
    first, second = state.keep(first), state.keep(second)
    assert first.tags is second.tags and first.source is second.source
    assert first.tags[0] is second.tags[0]
    assert first.extra is second.extra  # both without unknown keys
