"""What an article says of its photos: the ``image:`` mapping and figures in the body."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from ..markup import find_unwanted
from ..model import Photo

KEYS = ("file", "alt", "caption", "credit", "focus")
EXAMPLE = ("image:\n  file: kanzleramt.jpg\n  alt: Das Kanzleramt in Berlin\n"
           "  caption: Kanzleramt (Archiv)")
_FOCUS = re.compile(r"^\s*([01](?:\.\d+)?)\s*,\s*([01](?:\.\d+)?)\s*$")
# A paragraph that is one Markdown image: ![alt](file "caption"), the title optional.
_FIGURE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\(\s*(?P<file><[^>]*>|[^\s)]+)'
                     r'(?:\s+"(?P<title>[^"]*)")?\s*\)\s*$')
_IMAGE = re.compile(r"!\[[^\]]*\]\(")


def lead_photo(value: Any, line: int, path: str, default_credit: str,
               problems: list[Problem]) -> Photo | None:
    """The front matter's ``image:`` value as a :class:`Photo` (file not yet looked at)."""
    if not isinstance(value, dict):
        problems.append(Problem(path, line, "'image' must be a mapping with at least file and "
                                "alt (alt says what the photo shows), like:\n" + EXAMPLE))
        return None
    for key in sorted(set(value) - set(KEYS), key=str):
        problems.append(Problem(path, line, f"'image' has an unknown key {key!r}; "
                                f"known: {', '.join(KEYS)}"))
    texts: dict[str, str] = {}
    for key in KEYS[:4]:
        item = value.get(key)
        if item is None or (isinstance(item, str) and not item.strip()):
            if key in ("file", "alt"):
                why = "what the photo shows, for readers who cannot see it" if key == "alt" \
                    else "the photo's file, beside the article or from the content root (/…)"
                problems.append(Problem(path, line, f"'image' needs '{key}': {why}"))
            continue
        if not isinstance(item, str):
            problems.append(Problem(path, line, f"'image: {key}' must be text"))
            continue
        text = " ".join(item.split())
        found = find_unwanted(text)
        if found:
            problems.append(Problem(path, line, f"'image: {key}' contains the invisible "
                                    f"character U+{ord(found.group()):04X}; remove it"))
            continue
        texts[key] = text
    focus = (0.5, 0.5)
    if value.get("focus") is not None:
        match = _FOCUS.match(str(value["focus"]))
        if match is None or not all(0 <= float(n) <= 1 for n in match.groups()):
            problems.append(Problem(path, line, "'image: focus' must be two fractions x,y "
                                    "from 0 to 1, like 0.5,0.3 (the point crops keep)"))
        else:
            focus = (float(match.group(1)), float(match.group(2)))
    if "file" not in texts or "alt" not in texts:
        return None
    return Photo(texts["file"], texts["alt"], texts.get("caption", ""),
                 texts.get("credit", default_credit), focus, line)


def figures(body: str, body_line: int, path: str, default_credit: str,
            problems: list[Problem]) -> tuple[Photo, ...]:
    """Photos in the body: each an image alone in its paragraph (it becomes a figure)."""
    if "![" not in body:
        return ()
    found = []
    for number, (offset, _end, text) in enumerate(_paragraphs(body)):
        if not _IMAGE.search(text):
            continue
        line = body_line + offset
        if number == 0:
            problems.append(Problem(path, line, "the first paragraph is the lead, not a photo: "
                                    "put the photo under it, or make it the lead photo (image:)"))
            continue
        match = _FIGURE.match(" ".join(text.split()))
        if match is None:
            problems.append(Problem(path, line, "a photo in the body must stand alone in its "
                                    'paragraph: ![what it shows](datei.jpg "Bildtext")'))
            continue
        alt = " ".join(match["alt"].split())
        if not alt:
            problems.append(Problem(path, line, "the photo needs a text in ![…] saying what it "
                                    "shows, for readers who cannot see it"))
            continue
        file = match["file"].strip("<>")
        found.append(Photo(file, alt, match["title"] or "", default_credit, (0.5, 0.5), line))
    return tuple(found)


MARK = "\ue000"
"""Stands for a figure while the body passes Markdown and the sanitizer (a private-use
character: a body that holds one can only show its own figures)."""


def mark_figures(body: str) -> str:
    """The body with each figure paragraph replaced by ``MARK FIG<n> MARK``, n counting the
    figures in order; the renderer puts the pictures in their place."""
    if "![" not in body:
        return body
    lines = body.split("\n")
    number = 0
    for start, end, text in _paragraphs(body):
        if _FIGURE.match(" ".join(text.split())):
            lines[start:end] = [f"{MARK}FIG{number}{MARK}"] + [""] * (end - start - 1)
            number += 1
    return "\n".join(lines)


_MARKED = re.compile(f"<p>{MARK}FIG(\\d+){MARK}</p>")


def render_body(text: str, photos: tuple[Photo, ...], to_html: Callable[[str], str],
                show: Callable[[Photo], str]) -> str:
    """A body's HTML (``to_html``: Markdown to safe HTML) with ``show(photo)`` in the place
    of each figure."""
    if not photos:
        return to_html(text)
    return _MARKED.sub(lambda match: show(photos[int(match.group(1))]),
                       to_html(mark_figures(text)))


def _paragraphs(body: str):
    """(first line, line after, text) of each blank-line separated block, code left out."""
    lines = body.split("\n")
    start, block, fenced = 0, [], False
    for number, line in enumerate([*lines, ""]):
        fence = line.lstrip().startswith(("```", "~~~"))
        fenced ^= fence
        if fenced or fence or line.startswith("    "):
            block = []
            continue
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, number, "\n".join(block)
            block = []
