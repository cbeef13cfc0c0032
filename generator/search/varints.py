"""Unsigned LEB128 varints: the records' payloads and the shard files are made of them.

A module of its own because the records depend on it and the shard files' layout does not:
a change to :mod:`.shards` keeps the analyzed records (``WRITE_ONLY`` in :mod:`.export`).
"""

from __future__ import annotations


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
