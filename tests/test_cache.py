"""The build cache's files: round trip, saving only what changed, and damage."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import cache
from generator.cache import BUCKETS, PARTS, State, load, save
from generator.model import Article
from generator.sources import SourceFile


def article(n: int) -> Article:
    return Article(source_path=f"{n}.md", title=f"Meldung {n}",
                   date=datetime(2024, 1, 1, n % 24, tzinfo=UTC), category="Ausland",
                   tags=("USA",), summary="Kurz.", source="dts", slug=f"meldung-{n}",
                   url=f"2024/01/01/meldung-{n}/", body_line=5, sha=f"sha{n}", index=n)


def sample(n: int = 300) -> State:
    state = State("parse", "render", extra={"topics": {"t/usa": "USA"}})
    for i in range(n):
        state.sources[f"{i}.md"] = SourceFile(100 + i, 10**18 + i, f"sha{i}")
        state.articles[f"{i}.md"] = article(i)
        state.outputs[f"2024/01/01/meldung-{i}/index.html"] = (f"key{i}", f"hash{i}", i)
        state.folders[f"2024/01/01/meldung-{i}"] = 10**18 + i
    return state


def tables(state: State) -> tuple:
    return (state.parse_fingerprint, state.render_fingerprint, state.extra, state.sources,
            state.articles, state.outputs, state.folders)


def bucket_files(folder: Path) -> set[str]:
    return {p.name for p in (folder / "parts").iterdir()}


def test_a_saved_state_loads_back_equal(tmp_path: Path) -> None:
    state = sample()
    save(tmp_path, state)
    assert tables(load(tmp_path)) == tables(state)
    assert len(bucket_files(tmp_path)) == len(PARTS) * BUCKETS


def test_a_save_rewrites_only_the_buckets_whose_entries_changed(tmp_path: Path) -> None:
    save(tmp_path, sample())
    state = load(tmp_path)
    before = bucket_files(tmp_path)
    state.articles["7.md"].url = "2024/01/01/meldung-7-2041/"  # changed in place, as a build does
    state.sources["8.md"] = SourceFile(1, 2, "neu")
    del state.outputs["2024/01/01/meldung-9/index.html"]
    save(tmp_path, state)
    after = bucket_files(tmp_path)
    assert len(after - before) == 3  # one bucket each of articles, sources and outputs
    assert {name.split("-")[0] for name in after - before} == {"articles", "sources", "outputs"}
    assert len(after) == len(before)  # the buckets they replace are gone
    assert tables(load(tmp_path)) == tables(state)
    # Nothing changed since: a save writes no bucket at all.
    save(tmp_path, state)
    assert bucket_files(tmp_path) == after


def test_a_damaged_or_missing_bucket_means_no_cache(tmp_path: Path) -> None:
    save(tmp_path, sample())
    some = sorted((tmp_path / "parts").iterdir())
    some[0].write_bytes(b"kaputt")
    assert tables(load(tmp_path)) == tables(State())
    save(tmp_path, sample())
    sorted((tmp_path / "parts").iterdir())[-1].unlink()
    assert tables(load(tmp_path)) == tables(State())


def test_an_interrupted_save_leaves_the_last_state_whole(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    save(tmp_path, sample())
    state = load(tmp_path)
    for rel in list(state.sources)[:50]:
        state.sources[rel] = SourceFile(0, 0, "anders")
    replace = os.replace

    def fail_on_index(source: object, target: object) -> None:
        if Path(str(target)).name == "state.pickle":
            raise KeyboardInterrupt  # killed after the buckets, before the index
        replace(source, target)

    monkeypatch.setattr(cache.os, "replace", fail_on_index)
    with pytest.raises(KeyboardInterrupt):
        save(tmp_path, state)
    monkeypatch.setattr(cache.os, "replace", replace)
    assert tables(load(tmp_path)) == tables(sample())
    # The next save uses the buckets the interrupted one wrote and drops the older ones.
    save(tmp_path, state)
    assert tables(load(tmp_path)) == tables(state)
    assert len(bucket_files(tmp_path)) == len(PARTS) * BUCKETS
