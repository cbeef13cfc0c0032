"""Teaser texts kept out of memory while a build runs.

A report's summary is the largest thing a build keeps of it (some 400 of 1,400 bytes), and
few steps read it: listings, feeds, the related-news files. While :func:`held` is open,
:func:`keep` writes an article's summary to a file in the build cache's folder and leaves
its place in the article; ``Article.summary`` reads it back with ``os.pread``, so that the
forked render workers read the same file. Whatever makes the article elsewhere (the build
cache, a worker started afresh) gets the text back (``model.values_of``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from .model import Article

FLUSH = 1 << 20
"""Texts are written to the file in batches of this many bytes."""


class _File:
    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.starts = array("q", [0])
        """Where each text begins, then where the last one ends."""
        self.pending = bytearray()
        self.written = 0

    def add(self, text: str) -> int:
        self.pending += text.encode()
        self.starts.append(self.written + len(self.pending))
        if len(self.pending) >= FLUSH:
            self.handle.write(self.pending)
            self.handle.flush()
            self.written += len(self.pending)
            self.pending.clear()
        return len(self.starts) - 2

    def read(self, at: int) -> str:
        start, end = self.starts[at], self.starts[at + 1]
        if start >= self.written:  # a text lies wholly in the file or wholly in pending
            return self.pending[start - self.written:end - self.written].decode()
        return os.pread(self.handle.fileno(), end - start, start).decode()


_file: _File | None = None


@contextlib.contextmanager
def held(folder: Path) -> Iterator[None]:
    """Keep the summaries of the articles :func:`keep` is given in a file in ``folder`` (the
    build cache's)."""
    global _file
    # Anonymous: no name in the folder, gone when closed, even after a crash; forked workers
    # inherit it. Before the first build made the folder, the nearest one above it serves
    # (a build that fails leaves no folder behind).
    near = next(place for place in (folder, *folder.parents) if place.is_dir())
    with tempfile.TemporaryFile(dir=near, prefix="teasers-") as handle:
        _file = _File(handle)
        try:
            yield
        finally:
            _file = None


def keep(article: Article) -> Article:
    """Move the article's summary to the file, if one is held (else leave it)."""
    if _file is not None and article.teaser_at < 0 and article.summary_text:
        article.teaser_at = _file.add(article.summary_text)
        article.summary_text = ""
    return article


def read(at: int) -> str:
    if _file is None:
        raise RuntimeError("a summary was read after its build ended (teasers.held closed)")
    return _file.read(at)
