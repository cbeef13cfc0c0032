"""Cutting sorted posting lists into shards and directories: anchors make regions that a
change elsewhere leaves alone."""

from __future__ import annotations

import json

import pytest

from generator.search import cutting
from generator.search.cutting import Cutter, Writer, directories, regions, touches
from generator.search.shards import positions_name, read_shard

CATEGORIES = 7


def lists(terms: list[str], size: int = 10) -> list[cutting.List]:
    # size / 2 postings of two bytes: gap 0, and no field holding the term
    return [(term, size // 2, i, bytes(size)) for i, term in enumerate(terms)]


def cut(entries: list[cutting.List], target: int, anchored: bool) -> list[list[str]]:
    store: dict[str, bytes] = {}
    layout: list[list[str]] = []
    remembered: dict[str, list[int]] = {}
    cutter = Cutter(target, anchored, Writer(layout, store.__setitem__, remembered.__setitem__,
                                             CATEGORIES))
    for entry in entries:
        cutter.feed(entry)
    cutter.flush()
    for first, last, name in layout:
        shard = read_shard(store[name], store[positions_name(name)], CATEGORIES)
        assert shard == [(t, n, data) for t, n, _, data in entries if first <= t <= last]
        terms = [term for term, _, _ in shard]
        assert (terms[0], terms[-1]) == (first, last)
        assert remembered[name] == [i for t, _, i, _ in entries if first <= t <= last]
    return layout


TERMS = sorted(f"wort{i:04d}" for i in range(600))


def test_plain_cuts_fill_shards_to_the_target():
    layout = cut(lists(TERMS), target=300, anchored=False)
    # Each term counts 8 + 10 + 4 bytes: the 14th brings a shard to the target.
    sizes = [TERMS.index(last) - TERMS.index(first) + 1 for first, last, _ in layout]
    assert sizes == [14] * 42 + [600 - 14 * 42]


def test_every_anchor_term_starts_a_shard_when_anchored():
    layout = cut(lists(TERMS), target=10**6, anchored=True)
    firsts = {span[0] for span in layout}
    anchors = [t for t in TERMS[1:] if cutting.anchor(t)]
    assert anchors and firsts == {TERMS[0], *anchors}


def test_a_change_recuts_only_the_regions_holding_it(monkeypatch):
    monkeypatch.setattr(cutting, "ANCHOR", 8)
    firsts = [span[0] for span in cut(lists(TERMS), target=200, anchored=True)]
    starts = [i for i, f in enumerate(firsts) if i == 0 or cutting.anchor(f)]
    changed = [TERMS[300]]
    (a, b), = regions(firsts, changed, set(), anchored=True)
    assert a in starts and firsts[a] <= TERMS[300]
    assert b == len(firsts) or (b in starts and TERMS[300] < firsts[b])
    assert [s for s in starts if a < s < b] == []  # exactly one region
    # Its anchor term gone: the region runs on from the one before.
    assert a > 0
    before = max(s for s in starts if s < a)
    assert regions(firsts, [firsts[a]], {firsts[a]}, anchored=True) == [[before, b]]
    assert regions(firsts, [], set(), anchored=True) == []
    assert regions(firsts, changed, set(), anchored=False) == [[0, len(firsts)]]


def test_overlapping_regions_merge():
    firsts = ["a", "c", "e", "g"]
    assert regions(firsts, ["b", "d"], set(), anchored=False) == [[0, 4]]
    assert cutting._merged([(0, 2), (1, 3), (5, 6)]) == [[0, 3], [5, 6]]


@pytest.mark.parametrize("anchored", [True, False])
def test_directories_list_every_shard_once(anchored, monkeypatch):
    monkeypatch.setattr(cutting, "DIR_ANCHOR", 4)
    layout = [[f"t{i:03d}", f"t{i:03d}z", f"s/{i:03d}.bin"] for i in range(100)]
    store: dict[str, bytes] = {}
    files, entries = directories(layout, anchored, store.__setitem__)
    shards = [file for _, _, name in layout for file in (name, positions_name(name))]
    assert files[:200] == shards
    if anchored:
        assert set(files[200:]) == set(store) and len(entries) == len(store) > 1
        listed = [e for name in sorted(store, key=files.index) for e in json.loads(store[name])]
        assert listed == [[first, name] for first, _, name in layout]
    else:
        assert entries == [[first, name] for first, _, name in layout] and store == {}


def test_touches_finds_a_changed_term_within_a_span():
    assert touches(["b", "m"], "k", "n") and not touches(["b", "m"], "c", "l")
