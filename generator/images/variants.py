"""Which files a photo is published as, and their names.

Every variant is named by a hash of the source's bytes and of everything that shapes it (crop,
width, format, encoder settings), so a photo shared by 5,000 reports is made once, hosts may
cache its files forever, and a changed source or setting gives new names.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import NamedTuple

import PIL
from PIL import features

from ..model import Photo
from ..settings import Settings

ENCODER = (f"1 Pillow {PIL.__version__} avif {features.version('avif')} "
           f"webp {features.version('webp')} jpeg {features.version('jpg')}")
"""Bump the number when encode.py changes what it makes of the same inputs; a new library
version changes the names by itself."""
FOLDER = "bilder"
THUMB_RATIO = (4, 3)
THUMB_WIDTHS = (160, 320)
SOCIAL_RATIOS = ((16, 9), (4, 3), (1, 1))
"""Crops search engines ask for (Google: 16x9, 4x3, 1x1), the first also link previews'."""
SOCIAL_WIDTH = 1200
FALLBACK_WIDTH = 800
"""The JPEG every browser can show, for the few that take neither AVIF nor WebP."""
MIME = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg"}


class Variant(NamedTuple):
    path: str
    """Output path (``bilder/<hash>-<width>.<ext>``)."""
    sha: str
    """The source's hash."""
    box: tuple[int, int, int, int]
    """The part of the (oriented) source it shows: left, top, right, bottom."""
    width: int
    height: int
    ext: str


def stem(photo: Photo, box: tuple[int, int, int, int]) -> str:
    """``bilder/<hash>``: what every file of one picture (source and crop) is named after;
    width and format follow in the name (``-800.avif``), so a script can name them all."""
    digest = hashlib.blake2b(f"{ENCODER}\0{photo.sha}\0{box}".encode(), digest_size=8)
    return f"{FOLDER}/{digest.hexdigest()}"


def _variant(photo: Photo, box: tuple[int, int, int, int], width: int, ext: str) -> Variant:
    height = max(1, round(width * (box[3] - box[1]) / (box[2] - box[0])))
    return Variant(f"{stem(photo, box)}-{width}.{ext}", photo.sha, box, width, height, ext)


def crop_box(photo: Photo, ratio: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` in the photo, as near its focus as the edges allow."""
    w, h = photo.width, photo.height
    cw, ch = (w, round(w * ratio[1] / ratio[0])) if w * ratio[1] <= h * ratio[0] \
        else (round(h * ratio[0] / ratio[1]), h)
    cw, ch = min(cw, w), min(ch, h)
    left = min(max(round(photo.focus[0] * w - cw / 2), 0), w - cw)
    top = min(max(round(photo.focus[1] * h - ch / 2), 0), h - ch)
    return left, top, left + cw, top + ch


def _widths(wanted: tuple[int, ...], available: int) -> list[int]:
    """The wanted widths the source can give without upscaling; at least one."""
    return [w for w in wanted if w <= available] or [available]


class Set(NamedTuple):
    """One picture's files: what a ``<picture>`` element lists."""

    avif: tuple[Variant, ...]
    webp: tuple[Variant, ...]
    jpg: Variant
    """Fallback, and the one file of crops that only JPEG readers see."""

    @property
    def stem(self) -> str:
        return self.jpg.path.rsplit("-", 1)[0]

    def ref(self) -> dict:
        """What a script needs to name every file: ``p`` the stem, ``pw`` the widths (the
        last one also the JPEG's), ``ph`` the JPEG's height (related.js, search-ui.js)."""
        return {"p": self.stem, "pw": [v.width for v in self.avif], "ph": self.jpg.height}

    @property
    def width(self) -> int:
        return self.avif[-1].width

    @property
    def height(self) -> int:
        return self.avif[-1].height


@lru_cache(maxsize=4096)  # asked by every page and teaser that shows the photo
def full(photo: Photo, wanted: tuple[int, ...]) -> Set:
    """The whole photo at the wanted widths (IMAGE_WIDTHS): lead photos and figures."""
    box = (0, 0, photo.width, photo.height)
    widths = _widths(wanted, photo.width)
    fallback = max(_widths((FALLBACK_WIDTH,), photo.width)[0], widths[0])
    return Set(tuple(_variant(photo, box, w, "avif") for w in widths),
               tuple(_variant(photo, box, w, "webp") for w in widths),
               _variant(photo, box, min(fallback, widths[-1]), "jpg"))


@lru_cache(maxsize=4096)
def thumb(photo: Photo) -> Set:
    """A teaser's thumbnail: cropped to one ratio around the focus."""
    box = crop_box(photo, THUMB_RATIO)
    widths = _widths(THUMB_WIDTHS, box[2] - box[0])
    return Set(tuple(_variant(photo, box, w, "avif") for w in widths),
               tuple(_variant(photo, box, w, "webp") for w in widths),
               _variant(photo, box, widths[-1], "jpg"))


@lru_cache(maxsize=4096)
def social(photo: Photo) -> tuple[Variant, ...]:
    """JPEG crops for search engines and link previews, the 16:9 one first."""
    out = []
    for ratio in SOCIAL_RATIOS:
        box = crop_box(photo, ratio)
        out.append(_variant(photo, box, min(SOCIAL_WIDTH, box[2] - box[0]), "jpg"))
    return tuple(out)


def lead(photo: Photo, settings: Settings) -> list[Variant]:
    """Every file of a lead photo."""
    sets = (full(photo, settings.IMAGE_WIDTHS), thumb(photo))
    return [v for s in sets for v in (*s.avif, *s.webp, s.jpg)] + list(social(photo))


def figure(photo: Photo, settings: Settings) -> list[Variant]:
    s = full(photo, settings.IMAGE_WIDTHS)
    return [*s.avif, *s.webp, s.jpg]
