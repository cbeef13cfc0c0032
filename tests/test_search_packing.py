"""packing: an article's record, as the analysis workers compute it."""

from __future__ import annotations

import marshal
import pickle
import random

from generator.search import analysis, packing
from generator.search.varints import varint


def reference(places: list[int]) -> bytes:
    """Position gaps the plain way: a varint each (first, then minus the one before minus 1)."""
    out, previous = bytearray(), -1
    for place in places:
        varint(place - previous - 1, out)
        previous = place
    return bytes(out)


def test_positions_are_varint_gaps_from_the_table_and_beyond_it():
    rng = random.Random(5)
    cases = [[0], [127], [128], [16383], [16384], [200_000], [3, 4, 5], [0, 16384, 16385 + 16384]]
    for _ in range(300):
        size = rng.randint(1, 12)
        cases.append(sorted(rng.sample(range(rng.choice([300, 20_000, 3_000_000])), size)))
    for places in cases:
        assert packing.positions(places) == reference(places), places


def test_places_number_each_terms_occurrences_in_order():
    assert packing._places(["a", "b", "a", "c", "a"]) == {"a": [0, 2, 4], "b": [1], "c": [3]}
    assert packing._places([]) == {}


def test_the_task_carries_the_loaded_lexicon_to_a_worker(monkeypatch):
    """Pickled to each worker once, with the lexicon set (no worker reads the package's list
    again); a lexicon asked word by word in the database is not sent."""
    from generator.settings import Settings

    words = frozenset({"raketen", "strecken"})
    monkeypatch.setattr(analysis, "_lexicon", words)
    sent = pickle.dumps(packing.Analyze(Settings()))
    monkeypatch.setattr(analysis, "_lexicon", None)
    task = pickle.loads(sent)
    assert analysis.uses_lexicon() == words and task.categories
    monkeypatch.setattr(analysis, "_lexicon", {"a set": 1}.keys())  # not a frozenset
    pickle.loads(pickle.dumps(packing.Analyze(Settings())))
    assert analysis.uses_lexicon() == {"a set": 1}.keys()  # left as it was


def test_many_reports_are_analyzed_without_this_process_loading_the_lexicon(tmp_path,
                                                                          monkeypatch):
    """A cold analysis in workers: one of them stores the lexicon in the record database,
    each reads it from there, and this process never holds the set; the records are those
    this process makes itself."""
    from generator.content import read_site
    from generator.search import lexicons, records
    from generator.search.corpus import write_corpus
    from generator.settings import load

    write_corpus(tmp_path, 420)
    settings = load(tmp_path / "pelicanconf.py", {"OUTPUT_PATH": str(tmp_path / "out")})
    site = read_site(settings)
    monkeypatch.setattr(analysis, "_lexicon", None)
    monkeypatch.setattr(lexicons, "TABLE_FROM", 0)
    store = records.RecordStore(tmp_path / "workers", settings, "key")
    store.ensure(site.articles, workers=2)
    assert analysis.uses_lexicon() is None
    assert store.db.execute("SELECT count(*) FROM lexicon").fetchone()[0] > 100_000
    here = records.RecordStore(tmp_path / "here", settings, "key")
    here.ensure(site.articles, workers=1)
    assert isinstance(analysis.uses_lexicon(), frozenset)
    shas = [a.sha for a in site.articles]
    assert store.get(shas) == here.get(shas)
    rows = "SELECT sha, passage, words FROM doc JOIN extra USING (id) ORDER BY sha"
    assert [(sha, passage, marshal.loads(words)) for sha, passage, words
            in store.db.execute(rows)] == [(sha, passage, marshal.loads(words)) for
                                            sha, passage, words in here.db.execute(rows)]
    vocabulary = "SELECT term, docs FROM vocab ORDER BY term"
    assert store.db.execute(vocabulary).fetchall() == here.db.execute(vocabulary).fetchall()
    store.close()
    here.close()
