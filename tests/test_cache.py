"""The build cache's file: round trip, saving only what changed, and damage."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import cache
from generator.cache import FILE, PARTS, State, load, save
from generator.cache.store import Table
from generator.errors import MeldungenError, shown
from generator.model import Article
from generator.sources import SourceFile


def article(n: int) -> Article:
    return Article(source_path=f"{n}.md", title=f"Meldung {n}",
                   date=datetime(2024, 1, 1, n % 24, tzinfo=UTC), category="Ausland",
                   tags=("USA",), summary_text="Kurz.", source="dts", slug=f"meldung-{n}",
                   url=f"2024/01/01/meldung-{n}/", body_line=5, sha=f"sha{n}")


def sample(n: int = 300) -> State:
    state = State("parse", "render", extra={"topics": {"t/usa": "USA"}})
    for i in range(n):
        state.sources[f"{i}.md"] = SourceFile(100 + i, 10**18 + i, f"sha{i}")
        state.articles[f"{i}.md"] = article(i)
        state.outputs[f"2024/01/01/meldung-{i}/index.html"] = (f"key{i}", f"hash{i}", i)
        state.folders[f"2024/01/01/meldung-{i}"] = 10**18 + i
        state.published[f"2024/01/01/meldung-{i}/"] = f"{i}.md"
    state.outputs["index.html"] = (None, "home", 1)
    state.folders[""] = 1
    return state


def tables(state: State) -> tuple:
    return (state.parse_fingerprint, state.render_fingerprint, state.extra,
            *(dict(getattr(state, part).items()) for part in PARTS))


def rows(folder: Path) -> dict[str, int]:
    """How many rows each table of the cache file holds."""
    with sqlite3.connect(folder / FILE) as db:
        return {part: db.execute(f"SELECT count(*) FROM {part}").fetchone()[0] for part in PARTS}


def test_a_saved_state_loads_back_equal(tmp_path: Path) -> None:
    state = sample()
    save(tmp_path, state)
    loaded = load(tmp_path)
    assert tables(loaded) == tables(state)
    assert rows(tmp_path) == {"sources": 300, "articles": 300, "outputs": 301,
                              "folders": 301, "published": 300}
    assert loaded.outputs["index.html"] == (None, "home", 1) and loaded.folders[""] == 1
    assert len(loaded.outputs) == 301 and "nichts" not in loaded.outputs


def test_a_loaded_state_holds_only_what_the_build_changed(tmp_path: Path) -> None:
    """Nothing is read into memory on loading: lookups go to the file, and a save writes the
    rows set or removed since, not the tables."""
    save(tmp_path, sample())
    state = load(tmp_path)
    assert not any(getattr(state, part).changed for part in PARTS)
    assert state.articles["7.md"] == article(7)
    state.articles["7.md"] = replace(article(7), url="2024/01/01/meldung-7-2041/")
    state.sources.set("8.md", SourceFile(108, 10**18 + 8, "sha8"))  # equal: not written
    state.sources.set("9.md", SourceFile(1, 2, "neu"))
    del state.outputs["2024/01/01/meldung-9/index.html"]
    assert [getattr(state, part).dirty for part in PARTS] == [True, True, True, False, False]
    assert len(state.outputs) == 300 and "2024/01/01/meldung-9/index.html" not in state.outputs
    written: list[str] = []
    # What the save writes, statement by statement (the connection the state holds).
    assert state.store is not None
    state.store.db.set_trace_callback(written.append)
    save(tmp_path, state)
    changes = [s for s in written if s.startswith(("INSERT", "DELETE"))]
    assert sum(s.startswith("INSERT OR REPLACE INTO articles") for s in changes) == 1
    assert sum(s.startswith("INSERT OR REPLACE INTO sources") for s in changes) == 1
    assert sum(s.startswith("DELETE FROM outputs") for s in changes) == 1
    assert not any("folders" in s or "published" in s for s in changes)
    expected = sample()
    expected.articles["7.md"] = replace(article(7), url="2024/01/01/meldung-7-2041/")
    expected.sources["9.md"] = SourceFile(1, 2, "neu")
    del expected.outputs["2024/01/01/meldung-9/index.html"]
    assert tables(load(tmp_path)) == tables(state) == tables(expected)


def test_clearing_and_replacing_a_table(tmp_path: Path) -> None:
    save(tmp_path, sample(10))
    state = load(tmp_path)
    state.sources.clear()
    assert not state.sources and state.sources.get("1.md") is None
    state.sources["neu.md"] = SourceFile(1, 1, "x")
    wanted = {f"2024/01/01/meldung-{i}/": f"{i}.md" for i in range(5)} | {"neu/": "neu.md"}
    state.published.replace_all(wanted)
    save(tmp_path, state)
    loaded = load(tmp_path)
    assert dict(loaded.sources.items()) == {"neu.md": SourceFile(1, 1, "x")}
    assert dict(loaded.published.items()) == wanted
    assert list(loaded.published) == sorted(wanted)  # in key order


def test_a_damaged_or_foreign_file_means_no_cache(tmp_path: Path) -> None:
    save(tmp_path, sample())
    (tmp_path / FILE).write_bytes(b"kaputt" * 1000)
    assert tables(load(tmp_path)) == tables(State())
    save(tmp_path, sample())
    with sqlite3.connect(tmp_path / FILE) as db:
        db.execute("DROP TABLE outputs")
    assert tables(load(tmp_path)) == tables(State())
    save(tmp_path, sample())
    with sqlite3.connect(tmp_path / FILE) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (cache.FORMAT - 1,))
    assert tables(load(tmp_path)) == tables(State())
    # A save after any of these starts the file afresh.
    save(tmp_path, sample(5))
    assert tables(load(tmp_path)) == tables(sample(5))


def test_an_interrupted_save_leaves_the_last_state_whole(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    save(tmp_path, sample())
    state = load(tmp_path)
    for rel in list(state.sources)[:50]:
        state.sources[rel] = SourceFile(0, 0, "anders")
    state.extra["seal"] = 42
    state.folders["neu"] = 1
    write = Table.write

    def fail_on_folders(table: Table, db: sqlite3.Connection) -> None:
        if table.name == "folders":
            raise KeyboardInterrupt  # killed after the sources were written, before the end
        write(table, db)

    monkeypatch.setattr(Table, "write", fail_on_folders)
    with pytest.raises(KeyboardInterrupt):
        save(tmp_path, state)
    monkeypatch.setattr(Table, "write", write)
    assert tables(load(tmp_path)) == tables(sample())
    # The next build's save writes it all.
    save(tmp_path, state)
    assert tables(load(tmp_path)) == tables(state)


def test_a_full_disk_while_saving_is_named_and_keeps_the_last_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save(tmp_path, sample())
    state = load(tmp_path)
    for i in range(300, 3000):  # more rows than the file has room for
        state.sources[f"{i}.md"] = SourceFile(i, i, f"sha{i}")
    db = state.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(MeldungenError) as caught:
        save(tmp_path, state)
    message = str(caught.value)
    assert message.startswith(f"{shown(tmp_path / FILE)}: the build cache could not be saved")
    assert "full" in message and "the next build looks at every file" in message
    state.store.close()
    assert tables(load(tmp_path)) == tables(sample())


def test_a_forked_worker_reads_with_its_own_connection(tmp_path: Path) -> None:
    import multiprocessing

    save(tmp_path, sample())
    state = load(tmp_path)
    assert state.outputs["index.html"] == (None, "home", 1)  # the parent's connection is open
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # Forked: the child inherits the state (and the parent's connection, which it must not use).
    child = context.Process(target=_lookup, args=(state, "2024/01/01/meldung-3/index.html", send))
    child.start()
    found = receive.recv()
    child.join()
    assert found == ("key3", "hash3", 3)
    assert state.outputs["2024/01/01/meldung-4/index.html"] == ("key4", "hash4", 4)


def _lookup(state: State, path: str, send: object) -> None:
    send.send(state.outputs[path])  # type: ignore[attr-defined]
