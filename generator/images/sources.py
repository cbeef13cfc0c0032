"""Find and check the photo files articles name: inside the content folder, real images of
an accepted format and size, read whole once. Every problem is reported at the line of the
article that names the file."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from PIL import Image, UnidentifiedImageError

from ..errors import Problem
from ..model import Article, Photo
from ..sources import digest

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF"}
"""Source formats accepted (Pillow's name → what editors read)."""
_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture by 90°: width and height swap."""


class Source(NamedTuple):
    """A checked photo file; the build cache keeps one per path, valid while size and mtime
    hold (as for articles, the hash decides what changed)."""

    size: int
    mtime_ns: int
    sha: str
    width: int
    height: int
    problem: str = ""


def locate(article_path: str, file: str) -> str | None:
    """The content-relative path of a photo an article names, or None when it leaves the
    content folder. ``/x.jpg`` starts at the content root, anything else beside the article."""
    base = PurePosixPath() if file.startswith("/") else PurePosixPath(article_path).parent
    parts: list[str] = []
    for part in (base / file.lstrip("/")).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts) or None


def check_file(root: str, rel: str, max_pixels: int,
               known: Source | None = None) -> Source | None:
    """Stat, and read and check again only when size or mtime moved; None: no such file."""
    full = os.path.join(root, rel)
    try:
        stat = os.stat(full)
    except OSError:
        return None
    if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return known
    real = os.path.realpath(full)
    if os.path.commonpath([real, os.path.realpath(root)]) != os.path.realpath(root):
        return Source(stat.st_size, stat.st_mtime_ns, "", 0, 0,
                      "is a link to a file outside the content folder")
    with open(full, "rb") as handle:
        data = handle.read()
    width, height, problem = inspect(full, max_pixels)
    return Source(stat.st_size, stat.st_mtime_ns, digest(data), width, height, problem)


def inspect(path: str, max_pixels: int) -> tuple[int, int, str]:
    """(width, height) as shown, after EXIF orientation, or why the file is no usable photo."""
    try:
        with warnings.catch_warnings():
            # Our own limit decides, before any pixel is decoded; Pillow's would warn first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in FORMATS:
                    return 0, 0, (f"is a {image.format} file; photos must be "
                                  f"{', '.join(FORMATS.values())}")
                width, height = image.size
                if width * height > max_pixels:
                    return 0, 0, (f"has {width}×{height} pixels, more than IMAGE_MAX_PIXELS "
                                  f"({max_pixels:,}) allows")
                turned = image.getexif().get(0x0112) in _ROTATED
                # JPEG decodes at 1/8 scale here: enough to find a truncated file, fast.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UnidentifiedImageError:
        return 0, 0, "is not an image (or a kind Pillow cannot read; SVG is no photo)"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return 0, 0, f"cannot be read as a photo: {error}"
    return (height, width, "") if turned else (width, height, "")


def resolve(articles: Iterable[Article], root: Path, max_pixels: int,
            cache: dict[str, Source], map_many: Callable = map) -> list[Problem]:
    """Fill in every article's photos (path, hash, size) in place; ``cache`` is updated to
    the files in use. Returns the problems, at the lines that name the files."""
    wanted: dict[str, list[tuple[Article, int, Photo]]] = {}
    problems: list[Problem] = []
    for article in articles:
        for number, photo in enumerate(article.photos):
            rel = locate(article.source_path, photo.file)
            if rel is None or "\\" in photo.file or "\x00" in photo.file:
                problems.append(Problem(article.source_path, photo.line,
                                        f"photo {photo.file!r} lies outside the content folder"))
                continue
            wanted.setdefault(rel, []).append((article, number, photo))
    paths = sorted(wanted)
    checked = dict(zip(paths, map_many(_Check(str(root), max_pixels, cache), paths),
                       strict=True))
    cache.clear()
    for rel in paths:
        source = checked[rel]
        if source is not None:
            cache[rel] = source
        for article, number, photo in wanted[rel]:
            if source is None or source.problem:
                why = "does not exist" if source is None else source.problem
                problems.append(Problem(article.source_path, photo.line,
                                        f"photo {photo.file!r} {why}"))
                continue
            found = photo._replace(path=rel, sha=source.sha, width=source.width,
                                   height=source.height)
            if found == photo:
                continue
            article.teaser_key = ""  # its teasers show the photo: their key is made again
            if number == 0 and article.image is not None:
                article.image = found
            else:
                position = number - (article.image is not None)
                article.figures = (*article.figures[:position], found,
                                   *article.figures[position + 1:])
    return problems


class _Check:
    """Picklable for a process pool: path → :class:`Source` (or None: missing)."""

    def __init__(self, root: str, max_pixels: int, cache: dict[str, Source]):
        self.root, self.max_pixels, self.cache = root, max_pixels, cache

    def __call__(self, rel: str) -> Source | None:
        return check_file(self.root, rel, self.max_pixels, self.cache.get(rel))
