"""Binary postings and term shards of the static index (the browser decodes them in search.js).

A shard is two files. The shard (``s/<hash>.bin``) is what every query reads: ``8 bytes``
(the digest of its positions file), ``varint count``, then per term (sorted) ``varint
shared-prefix-bytes, varint suffix-length, suffix (UTF-8), varint postings, varint
posting-bytes`` and, for a word's own term (not a compound part, ``_raket``), ``varint
position-bytes``; then each term's postings as three columns (documents ascending):
every posting's ``varint gap`` (doc − previous doc − 1, previous = −1), then every posting's
``varint ((tf_body × C + category) << 1 | in_title)`` followed by ``varint tf_title`` if in
the title, then one byte of whoosh's quantized body length per posting with ``tf_body > 0``.
The positions file (``p/<same hash>.bin``), read only for phrase queries, holds each word's
positions among the kept words of the title, then of the body (``tf_title`` and ``tf_body``
varint gaps per posting, each position minus the previous minus 1, the first minus -1),
term after term as the shard lists them. The category rides along so the browser filters by
it without any per-document file; the length byte is whoosh's own (``length_to_byte``) so
BM25 sees the very lengths whoosh sees. Columns deflate better than postings written one
after the other, and positions are a third of a shard's bytes that only phrases need.

The positions file is named after its shard, which holds its digest: the shard's name
changes exactly when either file's bytes do, and the browser needs no second name.
Inside the build, a term's postings stay one after the other, positions included (``List``
in :mod:`.cutting`, the records' payloads): only these files are in columns.

Both files are deflated (zlib format; the browser inflates with ``DecompressionStream``).
Static hosts and CDNs compress by content type, JSON and JavaScript yes, ``.bin``
(``application/octet-stream``) no: Cloudflare's documented list, for one. Without this a
reader would download the shards, most of a query's bytes, uncompressed.
Shard sizes (``SEARCH_SHARD_BYTES``) are measured before deflating, positions included.
"""

from __future__ import annotations

import hashlib
import json
import zlib

from .varints import read_varint, varint


def content_name(prefix: str, data: bytes, suffix: str) -> str:
    """``s/3f2a9c01d4e7.bin``: the name changes exactly when the bytes do (cache forever)."""
    return f"{prefix}/{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


def named_for(name: str, data: bytes) -> bool:
    """Whether ``data`` is what the content-hashed ``name`` (``s/3f2a….bin``) was made from."""
    prefix, _, rest = name.partition("/")
    return content_name(prefix, data, rest[rest.index("."):]) == name


def stable_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


DIGEST = 8
"""Bytes of a positions file's SHA-256 at the head of its shard."""


def positions_name(shard: str) -> str:
    """``s/3f2a….bin`` → ``p/3f2a….bin``, the shard's positions file."""
    return "p/" + shard[2:]


def shard_of(positions: str) -> str:
    """:func:`positions_name` undone: ``p/3f2a….bin`` → ``s/3f2a….bin``."""
    return "s/" + positions[2:]


def encode_shard(batch: list[tuple[str, int, bytes]], categories: int) -> tuple[bytes, bytes]:
    """(shard, positions file) of ``(term, postings, their bytes one after the other)``."""
    head, body, places = bytearray(), bytearray(), bytearray()
    varint(len(batch), head)
    previous = b""
    for term, count, postings in batch:
        raw = term.encode()
        shared, most = 0, min(len(raw), len(previous))
        while shared < most and raw[shared] == previous[shared]:
            shared += 1
        suffix = len(raw) - shared
        if shared < 0x80 and suffix < 0x80:  # the usual case, without two calls
            head.append(shared)
            head.append(suffix)
        else:
            varint(shared, head)
            varint(suffix, head)
        head += raw[shared:]
        columns, placed = _columns(postings, count, categories, has_positions(term))
        varint(count, head)
        varint(len(columns), head)
        if has_positions(term):
            varint(len(placed), head)
        body += columns
        places += placed
        previous = raw
    positions = zlib.compress(bytes(places), 6)
    digest = hashlib.sha256(positions).digest()[:DIGEST]
    return zlib.compress(digest + bytes(head) + bytes(body), 6), positions


def _columns(chunk: bytes, count: int, categories: int, placed: bool) -> tuple[bytes, bytes]:
    """One term's postings, one after the other → (gaps + counts + lengths, positions)."""
    gaps, counts, lengths, places = bytearray(), bytearray(), bytearray(), bytearray()
    pos = 0
    for _ in range(count):
        start = pos
        while chunk[pos] & 0x80:
            pos += 1
        pos += 1
        gaps += chunk[start:pos]
        start = pos
        packed = chunk[pos]
        if packed < 0x80:  # the usual case, without a call
            pos += 1
        else:
            packed, pos = read_varint(chunk, pos)
        tf_title = 0
        if packed & 1:
            tf_title, pos = read_varint(chunk, pos)
        counts += chunk[start:pos]
        tf_body = (packed >> 1) // categories
        if tf_body:
            lengths.append(chunk[pos])
            pos += 1
        if placed:
            start, pos = pos, _past(chunk, pos, tf_title + tf_body)
            places += chunk[start:pos]
    if pos != len(chunk):
        raise ValueError(f"{count} postings end at byte {pos} of {len(chunk)}")
    return bytes(gaps + counts + lengths), bytes(places)


def holds_positions(shard: bytes, positions: bytes) -> bool:
    """Whether ``positions`` is the positions file the shard names by its digest."""
    head = zlib.decompressobj().decompress(shard, DIGEST)
    return head == hashlib.sha256(positions).digest()[:DIGEST]


def read_shard(shard: bytes, positions: bytes, categories: int
               ) -> list[tuple[str, int, bytes]]:
    """:func:`encode_shard` undone: (term, postings, their bytes one after the other)."""
    data, places = zlib.decompress(shard), zlib.decompress(positions)
    count, pos = read_varint(data, DIGEST)
    entries = []
    previous = b""
    for _ in range(count):
        shared, pos = read_varint(data, pos)
        length, pos = read_varint(data, pos)
        raw = previous[:shared] + data[pos : pos + length]
        pos += length
        postings, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        term = raw.decode()
        placed = 0
        if has_positions(term):
            placed, pos = read_varint(data, pos)
        entries.append((term, postings, size, placed))
        previous = raw
    result, at = [], 0
    for term, postings, size, placed in entries:
        result.append((term, postings, _interleaved(
            data[pos : pos + size], postings, categories,
            places[at : at + placed] if has_positions(term) else None)))
        pos += size
        at += placed
    return result


def _interleaved(columns: bytes, count: int, categories: int, places: bytes | None) -> bytes:
    """:func:`_columns` undone."""
    gaps, pos = [], 0
    for _ in range(count):
        start, pos = pos, _past(columns, pos, 1)
        gaps.append(columns[start:pos])
    counts, bodies = [], []
    for _ in range(count):
        start = pos
        packed, pos = read_varint(columns, pos)
        tf_title = 0
        if packed & 1:
            tf_title, pos = read_varint(columns, pos)
        counts.append(columns[start:pos])
        bodies.append((tf_title, (packed >> 1) // categories))
    out, at = bytearray(), 0
    for gap, packed, (tf_title, tf_body) in zip(gaps, counts, bodies, strict=True):
        out += gap
        out += packed
        if tf_body:
            out.append(columns[pos])
            pos += 1
        if places is not None:
            start, at = at, _past(places, at, tf_title + tf_body)
            out += places[start:at]
    return bytes(out)


def _past(data: bytes, pos: int, count: int) -> int:
    """Where the ``count`` varints from ``pos`` end."""
    for _ in range(count):
        while data[pos] & 0x80:
            pos += 1
        pos += 1
    return pos


def has_positions(term: str) -> bool:
    """Whether a term's postings carry positions: a word's, not a compound part's."""
    return not term.startswith("_")


def decode_postings(chunk: bytes, count: int, categories: int, placed: bool = False
                    ) -> list[tuple]:
    """One term's postings → [(doc, category, tf_title, tf_body, length byte, title
    positions, body positions)] (positions empty unless ``placed``)."""
    out = []
    pos, doc = 0, -1
    while len(out) < count:
        gap, pos = read_varint(chunk, pos)
        doc += gap + 1
        packed, pos = read_varint(chunk, pos)
        tf_title = 0
        if packed & 1:
            tf_title, pos = read_varint(chunk, pos)
        tf_body, category = divmod(packed >> 1, categories)
        length = 0
        if tf_body:
            length = chunk[pos]
            pos += 1
        places: list[list[int]] = [[], []]
        if placed:
            for field, tf in enumerate((tf_title, tf_body)):
                previous = -1
                for _ in range(tf):
                    gap, pos = read_varint(chunk, pos)
                    previous += gap + 1
                    places[field].append(previous)
        out.append((doc, category, tf_title, tf_body, length, tuple(places[0]),
                    tuple(places[1])))
    return out
