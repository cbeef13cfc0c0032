"""The static index follows edits, additions, deletions and renames incrementally, and every
incremental export equals a clean export byte for byte (no history in the output)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from generator.content import read_site
from generator.search import analysis, cutting, export, lexicons, records, segments
from generator.search.analysis import STOP_WORDS, fold
from generator.search.corpus import write_corpus
from generator.settings import load

N = 200
TAIL = 8
RECENT = 16
MID = 48
"""Small, so that main (0..192) is patched and rebuilt, and additions cross merges of the
tail into recent (at 208 and 216) and of recent into mid (at 208), and then of mid into main
(at 240)."""


def settings_for(root: Path, cache: Path, **extra):
    return load(root / "pelicanconf.py", {"OUTPUT_PATH": str(root / "out"),
                                          "BUILD_CACHE": str(cache), "SEARCH_TAIL_DOCS": TAIL,
                                          # after the 2099 articles that stand for "newest"
                                          "BUILD_NOW": "2100-01-01T00:00:00+01:00",
                                          "SEARCH_RECENT_DOCS": RECENT, "SEARCH_MID_DOCS": MID,
                                          **extra})


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    write_corpus(root, N)
    return root


def article(root: Path, number: int) -> Path:
    return next((root / "content").rglob(f"a{number:06d}.md"))


def new_article(root: Path, name: str, title: str, date: str) -> None:
    path = root / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'---\ntitle: "{title}"\ndate: {date}\ncategory: Ausland\n---\n'
                    "Kurzstreckenraketen über der Börse, sagte die Außenministerin.\n", "utf-8")


def replace_word(path: Path) -> None:
    lines = path.read_text("utf-8").split("\n")
    body = lines.index("---", 1) + 1  # first body paragraph: same length, other words
    words = lines[body].split(" ")
    assert len(words) > 10
    # Words for words (not stop words, which phrases skip): every other word keeps its place.
    kept = [i for i, w in enumerate(words) if fold(w.strip(".").lower()) not in STOP_WORDS]
    words[kept[0]], words[kept[-1]] = "Wetterdienst", "Ölpreis."
    lines[body] = " ".join(words)
    path.write_text("\n".join(lines), "utf-8")


def append_sentence(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(text + "\nDie Bundesregierung prüft neue Luftverteidigung für Straßen.\n",
                    "utf-8")


def retitle(path: Path) -> None:
    text = path.read_text("utf-8")
    start = text.index('title: "') + 8
    path.write_text(text[:start] + "Umbenannt: " + text[start:], "utf-8")


STEPS = [
    ("edit an old article, same length", lambda r: replace_word(article(r, 20))),
    ("edit an old article, longer", lambda r: append_sentence(article(r, 50))),
    ("add a newest article", lambda r: new_article(r, "2099/a.md", "Neue Raketen", "2099-01-02T10:00:00+01:00")),  # noqa: E501
    ("add articles up to merges of the tail into recent and recent into mid", lambda r: [
        new_article(r, f"2099/b{i}.md", f"Meldung {i}",
                    f"2099-03-{i // 24 + 1:02d}T{i % 24:02d}:00:00+01:00")
        for i in range(RECENT)]),
    ("add articles into mid, then up to a merge of mid into main", lambda r: [
        new_article(r, f"2099/b{i}.md", f"Meldung {i}",
                    f"2099-04-{i // 24 + 1:02d}T{i % 24:02d}:00:00+01:00")
        for i in range(RECENT, 3 * RECENT)]),
    ("insert an old article", lambda r: new_article(r, "2020/alt.md", "Alte Börse", "2020-01-05T09:00:00+01:00")),  # noqa: E501
    ("delete an old article", lambda r: article(r, 30).unlink()),
    ("rename a file", lambda r: article(r, 40).rename(article(r, 40).with_name("umbenannt.md"))),
    ("change a headline (new URL, new terms)", lambda r: retitle(article(r, 60))),
    ("edit the newest article", lambda r: append_sentence(r / "content" / "2099/a.md")),
    ("delete the newest articles", lambda r: [p.unlink() for p in (r / "content" / "2099").glob("b*.md")]),  # noqa: E501
]


@pytest.fixture(params=["default", "small-regions", "merges-rebuild"])
def regions(request, monkeypatch):
    """Small anchors and shards: many regions, so edits add and drop anchor terms and
    regions merge and split (the cases a partial recut must get right). Or a low append
    limit, so that merges rebuild the segment they grow instead of patching it."""
    if request.param == "small-regions":
        monkeypatch.setattr(cutting, "ANCHOR", 4)
        monkeypatch.setattr(cutting, "DIR_ANCHOR", 4)
    if request.param == "merges-rebuild":
        monkeypatch.setattr(segments, "APPEND_LIMIT", RECENT // 2)
    return request.param


@pytest.fixture
def analyzed(monkeypatch) -> list[str]:
    """The source path of every article the analyzer runs on, as it happens."""
    seen: list[str] = []
    original = records.Analyze.__call__

    def counting(self, article):
        seen.append(article.source_path)
        return original(self, article)

    monkeypatch.setattr(records.Analyze, "__call__", counting)
    return seen


def test_incremental_exports_equal_clean_exports(archive, tmp_path, monkeypatch, regions,
                                                 analyzed):
    root = tmp_path / "site"
    shutil.copytree(archive, root)
    settings = settings_for(root, tmp_path / "cache")
    rebuilt = []
    rebuild = segments.rebuild

    def counting_rebuild(db, recs, name, start, *args, **kwargs):
        rebuilt.append(name)
        return rebuild(db, recs, name, start, *args, **kwargs)

    monkeypatch.setattr(segments, "rebuild", counting_rebuild)
    before = dict(export.files(read_site(settings), settings))
    assert len(analyzed) == N
    for number, (label, change) in enumerate(STEPS):
        analyzed.clear()
        rebuilt.clear()
        change(root)
        site = read_site(settings)
        after = dict(export.files(site, settings))
        changed = sorted(p for p in after if before.get(p) != after[p])
        # Only new content is analyzed; a merge or a renumbering costs encoding, not analysis.
        assert len(analyzed) <= 2 * RECENT, (label, analyzed)
        if label.startswith(("edit", "add a newest")):
            assert rebuilt == [], (label, "patched, not rebuilt")
        if label.startswith("add articles into mid"):  # main grows by 48
            assert ("main" in rebuilt) == (regions == "merges-rebuild"), (label, rebuilt)
        clean = dict(export.files(site, settings_for(root, tmp_path / f"clean{number}")))
        assert after == clean, label
        if label == "edit an old article, same length" and regions == "default":
            shards = [p for p in changed if p.startswith("search/s/")]
            # two words out, two in, with their compound parts: a shard per changed term at
            # most (a word's other terms keep their places, so their postings stay)
            assert 0 < len(shards) <= 10, (label, changed)
            # each with its positions file (named after it),
            places = [p for p in changed if p.startswith("search/p/")]
            assert places == [f"search/p/{p[9:]}" for p in shards], (label, changed)
            # + directory, manifest, its result file, and the vocabulary files of words new to
            # the archive or crossing a frequency class
            assert len(changed) <= 2 * len(shards) + 9, (label, changed)
        if label == "add a newest article":  # the tail's one shard, its positions, and the
            # bookkeeping: manifest, year, its result file, and the vocabulary files of its
            # words that are new or crossed a frequency class (here: one each way, and the
            # rare tier's list)
            vocabulary = [p for p in changed if p.startswith("search/v/")]
            found = [p for p in changed if p.startswith("search/r/")]
            assert len(changed) - len(vocabulary) - len(found) <= 5, changed
            assert len(vocabulary) <= 5, changed
            # Only the newest's result file is new, unless it completes a block of 128,
            # whose files then move under the block's tag.
            assert len(found) == (128 if len(site.articles) % 128 == 0 else 1), changed
        before = after


def test_settings_the_index_does_not_read_keep_the_records(archive, tmp_path, analyzed):
    """A new site name re-renders pages but analyzes nothing again; a new shard size cuts the
    index anew from the kept records, equal to a clean export with that size."""
    root = tmp_path / "site"
    shutil.copytree(archive, root)
    cache = tmp_path / "cache"
    site = read_site(settings_for(root, cache))
    first = dict(export.files(site, settings_for(root, cache)))
    assert len(analyzed) == N
    analyzed.clear()
    renamed = settings_for(root, cache, SITENAME="Anders")
    assert dict(export.files(site, renamed)) == first and analyzed == []
    smaller = settings_for(root, cache, SEARCH_SHARD_BYTES=3000)
    resharded = dict(export.files(site, smaller))
    assert analyzed == [] and resharded != first
    clean = settings_for(root, tmp_path / "clean", SEARCH_SHARD_BYTES=3000)
    assert resharded == dict(export.files(site, clean))


@pytest.mark.parametrize("damage", ["altered", "missing", "positions altered",
                                    "no last documents"])
def test_a_damaged_shard_in_the_cache_rebuilds_instead_of_patching(archive, tmp_path,
                                                                   monkeypatch, damage):
    """A patch reads the old shards back from the cache's file store; one that is not as it
    was written must not leak into the output."""
    root = tmp_path / "site"
    shutil.copytree(archive, root)
    settings = settings_for(root, tmp_path / "cache")
    dict(export.files(read_site(settings), settings))
    store = export.cache_root(settings) / "static" / "files"
    rebuilt = []
    rebuild = segments.rebuild

    def counting_rebuild(db, recs, name, *args, **kwargs):
        rebuilt.append(name)
        return rebuild(db, recs, name, *args, **kwargs)

    monkeypatch.setattr(segments, "rebuild", counting_rebuild)
    replace_word(article(root, 20))
    site = read_site(settings)
    # Every shard of main, so whichever the edit needs is damaged.
    shards = list((store / "s").iterdir())
    assert shards
    if damage == "altered":
        for path in shards:
            path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    elif damage == "missing":
        for path in shards:
            path.unlink()
    elif damage == "positions altered":
        for path in (store / "p").iterdir():
            path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    else:
        db = sqlite3.connect(export.cache_root(settings) / "static" / "records.sqlite")
        db.execute("DELETE FROM lasts")
        db.commit()
        db.close()
    after = dict(export.files(site, settings))
    assert "main" in rebuilt
    clean = dict(export.files(site, settings_for(root, tmp_path / "clean")))
    assert after == clean


def test_a_few_reports_are_analyzed_with_the_lexicon_looked_up_in_the_database(
        archive, tmp_path, monkeypatch):
    """An edit in a large archive does not load the 23 MiB lexicon set: its compounds are
    looked up in the record database, and the index equals a clean export's."""
    monkeypatch.setattr(lexicons, "TABLE_FROM", 0)  # the test archive counts as large
    root = tmp_path / "site"
    shutil.copytree(archive, root)
    settings = settings_for(root, tmp_path / "cache")
    dict(export.files(read_site(settings), settings))  # stores the lexicon table
    path = article(root, 3)
    path.write_text(path.read_text("utf-8") + "\nDie Kurzstreckenraketenabwehr hielt.\n",
                    encoding="utf-8")
    monkeypatch.setattr(analysis, "_lexicon", None)  # a fresh process: nothing loaded yet
    used = []
    monkeypatch.setattr(analysis, "use_lexicon", lambda forms: (
        used.append(type(forms)), setattr(analysis, "_lexicon", forms)))
    site = read_site(settings)
    after = dict(export.files(site, settings))
    # Asked word by word, then closed: its connection does not outlive the analysis.
    assert used == [lexicons.Lexicon, type(None)]
    monkeypatch.setattr(analysis, "_lexicon", analysis.read_lexicon())
    assert after == dict(export.files(site, settings_for(root, tmp_path / "clean")))
