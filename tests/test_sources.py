"""Content fingerprints: hashes decide what changed; size and mtime only spare the reading."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator import build, sources
from generator.settings import load
from generator.sources import SourceFile, blob_id, fingerprint, scan_sources


def test_an_unmoved_file_keeps_its_hash_and_a_moved_one_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"eins")
    (tmp_path / "b.md").write_bytes(b"zwei")
    found, _ = scan_sources(tmp_path)
    (_, size_a, mtime_a), (_, size_b, mtime_b) = found
    previous = {"a.md": SourceFile(size_a, mtime_a, "as recorded"),  # not read again
                "b.md": SourceFile(size_b, mtime_b - 1, "stale")}     # touched since
    result = fingerprint(tmp_path, found, previous)
    assert result == {"a.md": previous["a.md"],
                      "b.md": SourceFile(size_b, mtime_b, blob_id(b"zwei"))}


def test_a_fresh_clone_builds_incrementally_and_writes_nothing(site_copy: Path) -> None:
    # A CI run's clone gives every file a new mtime: the bytes, not the times, decide.
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    for path in (site_copy / "content").rglob("*.md"):
        os.utime(path, ns=(1, 1))
    report = build(settings)
    assert not report.full and report.written == 0


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=Redaktion",
                           "-c", "user.email=redaktion@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


def test_an_articles_identity_is_its_git_blob_id(tmp_path: Path) -> None:
    data = "Berlin (dts) - Die Bundesregierung plant Änderungen.\n".encode()
    (tmp_path / "a.md").write_bytes(data)
    assert blob_id(data) == git(tmp_path, "hash-object", "a.md").strip()


def test_a_fresh_clone_takes_its_hashes_from_git_and_reads_only_what_differs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = tmp_path / "origin"
    for number in range(sources.GIT_AFTER + 20):
        path = origin / "content" / f"{number % 7}" / f"bericht-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Meldung {number}\n", encoding="utf-8")
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "Archiv")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", origin.as_uri(), str(clone))
    content = clone / "content"
    (content / "3" / "bericht-3.md").write_text("Korrigiert\n", encoding="utf-8")  # edited
    (content / "neu.md").write_text("Neu\n", encoding="utf-8")                     # untracked
    read = []
    real_open = open

    def spy(path: str, *args: object, **kwargs: object) -> object:
        read.append(os.path.relpath(path, content))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sources, "open", spy, raising=False)
    found, _ = scan_sources(content)
    result = fingerprint(content, found, {})
    assert sorted(read) == ["3/bericht-3.md", "neu.md"]
    assert {rel: f.sha for rel, f in result.items()} == {
        rel: blob_id((content / rel).read_bytes()) for rel, _, _ in found}


def test_outside_git_every_moved_file_is_read(tmp_path: Path) -> None:
    for number in range(sources.GIT_AFTER + 5):
        (tmp_path / f"{number}.md").write_text(f"Meldung {number}\n", encoding="utf-8")
    found, _ = scan_sources(tmp_path)
    result = fingerprint(tmp_path, found, {})
    assert all(result[rel].sha == blob_id((tmp_path / rel).read_bytes()) for rel, _, _ in found)
    assert sources.git_blobs(tmp_path) == {}
