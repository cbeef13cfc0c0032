"""Content fingerprints: hashes decide what changed; size and mtime only spare the reading."""

from __future__ import annotations

import os
from pathlib import Path

from generator import build
from generator.content import scan_sources
from generator.settings import load
from generator.sources import SourceFile, digest, fingerprint


def test_an_unmoved_file_keeps_its_hash_and_a_moved_one_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"eins")
    (tmp_path / "b.md").write_bytes(b"zwei")
    found, _ = scan_sources(tmp_path)
    (_, size_a, mtime_a), (_, size_b, mtime_b) = found
    previous = {"a.md": SourceFile(size_a, mtime_a, "as recorded"),  # not read again
                "b.md": SourceFile(size_b, mtime_b - 1, "stale")}     # touched since
    result = fingerprint(tmp_path, found, previous)
    assert result == {"a.md": previous["a.md"],
                      "b.md": SourceFile(size_b, mtime_b, digest(b"zwei"))}


def test_a_fresh_clone_builds_incrementally_and_writes_nothing(site_copy: Path) -> None:
    # A CI run's clone gives every file a new mtime: the bytes, not the times, decide.
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    for path in (site_copy / "content").rglob("*.md"):
        os.utime(path, ns=(1, 1))
    report = build(settings)
    assert not report.full and report.written == 0
