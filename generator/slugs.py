"""German-aware ASCII slugs and the rules that keep every URL unique and stable."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

# python-slugify would turn "ä" into "a"; German readers expect "ae" ("Börse" → "boerse").
_GERMAN = [
    ("Ä", "Ae"),
    ("Ö", "Oe"),
    ("Ü", "Ue"),
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("ẞ", "SS"),
    ("ß", "ss"),
]
MAX_LENGTH = 120
# Windows device names: no file or folder may be called so there, whatever its extension, so
# a site with such a path could not be checked out or copied on Windows.
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                      *(f"lpt{i}" for i in range(1, 10))})


def reserved(name: str) -> bool:
    """True for ``con``, ``NUL.txt``, ``com1`` …: names Windows refuses for files and folders."""
    return name.split(".")[0].lower() in RESERVED


@lru_cache(maxsize=1 << 16)  # tags and categories repeat across thousands of articles
def slugify(text: str) -> str:
    """``"Finnische Außenministerin ruft …"`` → ``"finnische-aussenministerin-ruft-…"``."""
    return _slugify(
        text, replacements=_GERMAN, max_length=MAX_LENGTH, word_boundary=True, save_order=True
    )


def resend_suffixes(hhmmss: str) -> tuple[str, str]:
    """Suffixes a re-send's slug gets, tried in order: minute first, then second.

    Derived from the article's own time, never from how many re-sends exist, so adding a
    later re-send leaves the URLs of earlier ones as they were.
    """
    return hhmmss[:4], hhmmss
