"""The typo rule and the vocabulary files (generator/search/vocabulary.py); the rule's vectors
are shared with search-query.js (tests/js/search-query.test.mjs)."""

from __future__ import annotations

import json
import random
import sqlite3
import zlib
from collections import Counter
from pathlib import Path

import pytest

from generator.search import vocabulary as V

VECTORS = json.loads((Path(__file__).parent / "vectors" / "search-query.json").read_text("utf-8"))


@pytest.mark.parametrize(("a", "b", "limit", "expected"), VECTORS["distance"])
def test_distance(a, b, limit, expected):
    assert V.distance(a, b, limit) == expected == V.distance(b, a, limit)


def test_a_swapped_pair_is_one_edit_and_the_limit_cuts_short():
    assert V.distance("bundestga", "bundestag", 1) == 1
    assert V.distance("abcdef", "uvwxyz", 2) == 3


@pytest.mark.parametrize("case", VECTORS["near"], ids=lambda c: c["stem"])
def test_near(case):
    best = V.near(case["stem"], case["typed"], [tuple(c) for c in case["candidates"]])
    assert (list(best) if best else None) == case["best"]


def test_the_allowed_distance_follows_the_typed_words_length():
    assert V.allowed("haus", "maus") == 0
    assert V.allowed("rakteen", "rak") == 1
    assert V.allowed("selenski", "selenskyj") == 2


def test_classes_and_when_a_word_is_corrected():
    assert [V.df_class(df) for df, _ in VECTORS["dfClass"]] == [c for _, c in VECTORS["dfClass"]]
    assert [V.wanted(own, cls) for own, cls, _ in VECTORS["wanted"]] == [
        w for _, _, w in VECTORS["wanted"]]
    assert V.wanted(0, 0) and V.wanted(5, 3) and not V.wanted(5, 2)
    assert not V.wanted(20, 9)  # in 16 reports or more a word is taken as meant


def test_a_typo_in_the_ending_reaches_the_stem_through_its_variants():
    assert "luftverteid" in V.variant_stems("luftverteidigugn")
    assert V.near("luftverteidigugn", "luftverteidigugn", [("luftverteid", 2)]) == (
        "luftverteid", 2)


def lines_of(entries: list, files: dict[str, bytes], reverse: bool = False) -> list[str]:
    out = [line for _, name in entries
           for line in zlib.decompress(files[name]).decode().split("\n")]
    return [line[0] + line[1:][::-1] for line in out] if reverse else out


def cut(db: sqlite3.Connection, reports: int) -> tuple[dict, dict[str, bytes]]:
    """The manifest's entries and every file named, with its bytes."""
    manifest, names = V.files(db, reports)
    stored = dict(db.execute("SELECT name, data FROM vocab_files"))
    assert set(stored) == set(names)  # no file of an earlier cut is left behind
    return manifest, stored


def fresh(db: sqlite3.Connection, reports: int) -> tuple[dict, dict[str, bytes]]:
    """What a whole cut of the same counts gives."""
    clean = sqlite3.connect(":memory:")
    V.schema(clean)
    V.count(clean, Counter(dict(db.execute("SELECT term, docs FROM vocab"))))
    return cut(clean, reports)


def test_files_hold_every_word_forward_and_reversed_with_its_class_in_two_tiers():
    db = sqlite3.connect(":memory:")
    V.schema(db)
    words = [f"wort{i:05d}" for i in range(30000)]
    V.count(db, Counter(words))
    V.count(db, Counter(words[:10] * 3))  # in 4 documents: class 1
    V.count(db, Counter(words[-5:]), -1)  # gone from the archive: not listed
    # 4,000 reports: common from 4 (V.COMMON_SHARE)
    manifest, files = cut(db, 4_000)
    common, rare = words[:10], words[10:-5]
    assert lines_of(manifest["vocab"], files) == ["1" + w for w in common]
    assert sorted(lines_of(manifest["rvocab"], files, True)) == ["1" + w for w in common]
    forward, backward = json.loads(files[manifest["rare"]])
    assert len(forward) > 1 and len(backward) > 1
    assert lines_of(forward, files) == ["0" + w for w in rare]
    assert [first for first, _ in forward] == sorted(first for first, _ in forward)
    assert sorted(line[1:] for line in lines_of(backward, files, True)) == rare
    # Same words, same files; one new word changes the files around it, not all of them.
    assert cut(db, 4_000) == (manifest, files)
    V.count(db, Counter(["wort15000x"]))
    changed = set(cut(db, 4_000)[1]) - set(files)
    assert 0 < len(changed) <= 3 < len(files)  # its two files and the rare tier's list
    # In a small archive every word is common.
    manifest, files = cut(db, 100)
    assert len(lines_of(manifest["vocab"], files)) == len(words) - 5 + 1
    assert json.loads(files[manifest["rare"]]) == [[], []]


def test_a_near_common_word_goes_before_a_nearer_rare_one():
    # One edit to the rare word, two to the common one (ten letters: two allowed).
    words = [("bundesamt", 3, True), ("bundesrats", 0, False)]
    assert V.near("bundesratt", "bundesratt", [w[:2] for w in words]) == ("bundesrats", 0)
    assert V.nearest("bundesratt", "bundesratt", words) == ("bundesamt", 3)
    assert V.nearest("bundesratt", "bundesratt", words[1:]) == ("bundesrats", 0)
    assert [V.common_df(n) for n in (100, 2_000, 3_999, 4_000, 10_000, 100_000)] == [
        1, 2, 2, 4, 8, 64]  # moves only when the archive doubles


def test_only_the_files_around_a_changed_line_are_cut_again(monkeypatch):
    db = sqlite3.connect(":memory:")
    V.schema(db)
    V.count(db, Counter({"rakete": 5, "bundestag": 1, "kanzler": 2}))
    first = cut(db, 100)
    cuts = []
    real = V._cut

    def counted(rows, *args):
        rows = list(rows)
        cuts.append(len(rows))
        return real(rows, *args)
    monkeypatch.setattr(V, "_cut", counted)
    V.count(db, Counter({"rakete": 1, "kanzler": 1}))  # 6 and 3: the same classes
    assert cut(db, 100) == first and cuts == []
    V.count(db, Counter({"kanzler": 1}))                # 4: class 1, another line
    got, cut_ = cut(db, 100), bool(cuts)
    assert cut_ and got == fresh(db, 100) != first
    cuts.clear()
    V.count(db, Counter({"neu": 1}))                    # a new word
    V.count(db, Counter({"neu": 1}), -1)                # and gone again: nothing changed
    got, cut_ = cut(db, 100), bool(cuts)
    assert not cut_ and got == fresh(db, 100)
    cuts.clear()
    V.count(db, Counter({"bundestag": 1}), -1)          # a word gone
    got, cut_ = cut(db, 100), bool(cuts)
    assert cut_ and got == fresh(db, 100)
    # Among many words, a new one costs a file's words, not the vocabulary's.
    V.count(db, Counter(f"wort{i:05d}" for i in range(20000)))
    cut(db, 100)
    cuts.clear()
    V.count(db, Counter(["wort10000x"]))
    got = cut(db, 100)
    assert 0 < sum(cuts) < 2000, cuts
    assert got == fresh(db, 100)


@pytest.mark.parametrize("seed", range(6))
def test_cutting_again_around_changes_equals_a_whole_cut(monkeypatch, seed):
    """Random additions, removals and count changes, with anchors and size cuts frequent
    enough to meet every case: an anchor word new or gone, a file cut for size before or
    after the changed one, a word crossing tiers, a tier emptied and filled again."""
    monkeypatch.setattr(V, "FILE_BYTES", 60)
    monkeypatch.setattr(V, "TIERS", tuple(t._replace(every=every) for t, every in
                                          zip(V.TIERS, (3, 4, 5, 7), strict=True)))
    rng = random.Random(seed)
    pool = ["".join(rng.choice("abcdeü") for _ in range(rng.randint(3, 7))) for _ in range(300)]
    db = sqlite3.connect(":memory:")
    V.schema(db)
    have: Counter[str] = Counter()
    reports = 1000
    for step in range(40):
        change: Counter[str] = Counter()
        for word in rng.sample(pool, rng.choice([1, 2, 5, 40])):
            change[word] = rng.randint(1, 3)
        add = Counter(change)
        drop = Counter({w: min(n, have[w]) for w, n in change.items() if rng.random() < 0.4})
        add.subtract(drop)
        V.count(db, +add)
        V.count(db, +drop, -1)
        have.update(+add)
        have.subtract(+drop)
        if step % 9 == 8:
            reports += 1000  # the threshold moves: a whole cut
        assert cut(db, reports) == fresh(db, reports), step
