"""Binary postings and term shards of the static index (the browser decodes them in search.js).

Shard file: ``varint count`` then per term (sorted) ``varint shared-prefix-bytes, varint
suffix-length, suffix (UTF-8), varint postings, varint posting-bytes``, then all postings.
A posting (documents ascending): ``varint gap`` (doc − previous doc − 1, previous = −1),
``varint ((tf_body × C + category) << 1 | in_title)``, ``varint tf_title`` if in the title,
one byte of whoosh's quantized body length if ``tf_body > 0``, and for a word's own term
(not a compound part, ``_raket``) its positions among the kept words of the title, then of
the body (``tf_title`` and ``tf_body`` varint gaps, each position minus the previous minus 1,
the first minus -1): what phrase queries check. The category rides along
so the browser filters by it without any per-document file; the length byte is whoosh's own
(``length_to_byte``) so BM25 sees the very lengths whoosh sees.

The file is that, deflated (zlib format; the browser inflates with ``DecompressionStream``).
Static hosts and CDNs compress by content type, JSON and JavaScript yes, ``.bin``
(``application/octet-stream``) no: Cloudflare's documented list, for one. Without this a
reader would download the shards, most of a query's bytes, uncompressed.
Shard sizes (``SEARCH_SHARD_BYTES``) are measured before deflating.
"""

from __future__ import annotations

import hashlib
import json
import zlib


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def content_name(prefix: str, data: bytes, suffix: str) -> str:
    """``s/3f2a9c01d4e7.bin``: the name changes exactly when the bytes do (cache forever)."""
    return f"{prefix}/{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


def named_for(name: str, data: bytes) -> bool:
    """Whether ``data`` is what the content-hashed ``name`` (``s/3f2a….bin``) was made from."""
    prefix, _, rest = name.partition("/")
    return content_name(prefix, data, rest[rest.index("."):]) == name


def stable_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def encode_shard(batch: list[tuple[str, int, bytes]]) -> bytes:
    head = bytearray()
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
        varint(count, head)
        varint(len(postings), head)
        previous = raw
    return zlib.compress(bytes(head) + b"".join(p for _, _, p in batch), 6)


def read_shard(data: bytes) -> list[tuple[str, int, bytes]]:
    """:func:`encode_shard` undone: (term, postings, their bytes) without decoding them."""
    data = zlib.decompress(data)
    count, pos = read_varint(data, 0)
    entries = []
    previous = b""
    for _ in range(count):
        shared, pos = read_varint(data, pos)
        length, pos = read_varint(data, pos)
        raw = previous[:shared] + data[pos : pos + length]
        pos += length
        postings, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        entries.append((raw.decode(), postings, size))
        previous = raw
    result = []
    for term, postings, size in entries:
        result.append((term, postings, data[pos : pos + size]))
        pos += size
    return result


def has_positions(term: str) -> bool:
    """Whether a term's postings carry positions: a word's, not a compound part's."""
    return not term.startswith("_")


def decode_shard(data: bytes, categories: int) -> dict[str, list[tuple[int, ...]]]:
    """Terms → [(doc, category, tf_title, tf_body, length byte)] (tests and tools)."""
    return {term: [p[:5] for p in decode_postings(chunk, postings, categories,
                                                  has_positions(term))]
            for term, postings, chunk in read_shard(data)}


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


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
