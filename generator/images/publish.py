"""The build step: every photo variant the published reports use, made only when missing.

A variant's name digests its inputs, so an unchanged name means unchanged bytes: the step
encodes nothing for a text edit, and one decode per changed source makes all its variants,
on all cores, one photo per worker at a time (memory bounded by the number of workers).
Variants no report uses any more are not offered, so the publisher removes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from ..model import Article
from ..parallel import map_chunks
from ..publish import Publisher
from ..settings import Settings
from . import encode, variants
from .variants import Variant


def plan(articles: Iterable[Article], settings: Settings) -> dict[str, dict[str, Variant]]:
    """Source path → its variants by output path, for every photo of these articles."""
    wanted: dict[str, dict[str, Variant]] = {}
    for article in articles:
        if article.image is not None:
            for v in variants.lead(article.image, settings):
                wanted.setdefault(article.image.path, {})[v.path] = v
        for photo in article.figures:
            for v in variants.figure(photo, settings):
                wanted.setdefault(photo.path, {})[v.path] = v
    return wanted


def publish(out: Publisher, articles: Iterable[Article], root: str, settings: Settings,
            workers: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Offer every variant; encode the sources of those that are missing. Returns how many
    files were encoded."""
    todo = []
    for source, wanted in sorted(plan(articles, settings).items()):
        missing = [v for path, v in sorted(wanted.items()) if not out.unchanged(path, path)]
        if missing:
            todo.append((source, missing))
    job = _Encode(out, root)
    encoded = 0
    for records in map_chunks(job, todo, workers, progress, min_items=2, size=1):
        for path, digest, size, wrote in records:
            out.record(path, path, digest, size, wrote)
            encoded += 1
    return encoded


class _Encode:
    """Runs in a worker: make one source's missing variants and stage them."""

    def __init__(self, out: Publisher, root: str):
        self.out, self.root = out, root

    def __call__(self, item: tuple[str, list[Variant]]) -> list[tuple[str, str, int, bool]]:
        source, missing = item
        made = encode.make(os.path.join(self.root, source), missing)
        return [(v.path, *self.out.stage(v.path, data)) for v, data in made]
