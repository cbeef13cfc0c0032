"""The shard files: postings in columns, a word's positions in a file of their own named after
its shard; what the build writes, it reads back unchanged."""

from __future__ import annotations

import random
import zlib

import pytest

from generator.search.packing import payload, positions
from generator.search.shards import (
    decode_postings,
    encode_shard,
    has_positions,
    holds_positions,
    positions_name,
    read_shard,
)
from generator.search.varints import varint

CATEGORIES = 7


def postings(rng: random.Random, term: str, count: int) -> tuple[str, int, bytes, list]:
    """A term's postings one after the other, as a segment holds them, and what they mean."""
    expected, doc = [], -1
    for _ in range(count):
        doc += rng.choice([0, 1, 5, 200, 70_000]) + 1
        tf_title, tf_body = rng.choice([(0, 1), (1, 0), (2, 3), (130, 0), (0, 300), (1, 1)])
        category, length = rng.randrange(CATEGORIES), rng.randrange(256)
        title = sorted(rng.sample(range(20_000), tf_title)) if has_positions(term) else []
        body = sorted(rng.sample(range(20_000), tf_body)) if has_positions(term) else []
        expected.append((doc, category, tf_title, tf_body, length if tf_body else 0,
                         tuple(title), tuple(body)))
    return term, count, chunk(expected), expected


def chunk(expected: list, shift: int = 0) -> bytes:
    """Postings' bytes; ``shift`` moves every position."""
    out, previous = bytearray(), -1
    for doc, category, tf_title, tf_body, length, title, body in expected:
        varint(doc - previous - 1, out)
        out += payload(tf_title, tf_body, category, CATEGORIES, length)
        out += positions([p + shift for p in title]) + positions([p + shift for p in body])
        previous = doc
    return bytes(out)


def batch(seed: int) -> list[tuple[str, int, bytes, list]]:
    rng = random.Random(seed)
    terms = sorted({"_raket", "raket", "raketenabwehr", "x" * 200, "xy", "zoll", "ölpreis",
                    "_" + "b" * 150})
    return [postings(rng, term, rng.choice([1, 2, 40])) for term in terms]


@pytest.mark.parametrize("seed", range(5))
def test_what_is_written_reads_back(seed):
    made = batch(seed)
    shard, places = encode_shard([(t, n, data) for t, n, data, _ in made], CATEGORIES)
    back = read_shard(shard, places, CATEGORIES)
    assert back == [(t, n, data) for t, n, data, _ in made]
    for (term, count, chunk), (_, _, _, expected) in zip(back, made, strict=True):
        assert decode_postings(chunk, count, CATEGORIES, has_positions(term)) == expected


def test_positions_live_in_their_own_file():
    made = batch(1)
    shard, places = encode_shard([(t, n, data) for t, n, data, _ in made], CATEGORIES)
    moved = encode_shard([(t, n, chunk(expected, 1)) for t, n, _, expected in made],
                         CATEGORIES)
    # Other positions: another positions file, and a shard that differs in its digest only.
    assert moved[1] != places
    assert zlib.decompress(moved[0])[8:] == zlib.decompress(shard)[8:]
    assert zlib.decompress(moved[0])[:8] != zlib.decompress(shard)[:8]
    parts = [(t, n, data) for t, n, data, _ in made if not has_positions(t)]
    assert zlib.decompress(encode_shard(parts, CATEGORIES)[1]) == b""


def test_a_shard_names_its_positions_file_by_digest():
    made = batch(2)
    shard, places = encode_shard([(t, n, data) for t, n, data, _ in made], CATEGORIES)
    other = encode_shard([(t, n, data) for t, n, data, _ in batch(3)], CATEGORIES)[1]
    assert holds_positions(shard, places)
    assert not holds_positions(shard, other)
    assert positions_name("s/3f2a9c01d4e7.bin") == "p/3f2a9c01d4e7.bin"


def test_postings_that_do_not_add_up_are_refused():
    term, count, data, _ = batch(4)[0]
    with pytest.raises(ValueError, match="postings end at byte"):
        encode_shard([(term, count, data + b"\x00")], CATEGORIES)
