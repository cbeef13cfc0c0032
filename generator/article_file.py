"""Article files as Meldungen writes them (``meldungen new`` and ``import``): the front matter
in a fixed key order with YAML that reads back exactly, at the place ARTICLE_FILE_PATTERN
names, written all or nothing."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .settings import Settings

_PLAIN_SCALAR = re.compile(r"^\w[\w .'/()+-]*$")


def yaml_text(value: str, plain_ok: bool = False) -> str:
    """A YAML scalar our loader reads back as exactly ``value``.

    JSON string syntax is YAML double-quoted syntax; characters PyYAML refuses to read even
    inside quotes are written as escapes.
    """
    if plain_ok and _PLAIN_SCALAR.match(value) and not value.endswith(" "):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return re.sub(r"[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]",
                  lambda m: f"\\u{ord(m.group()):04x}", quoted)


def article_text(
    title: str,
    date: datetime,
    category: str,
    tags: Iterable[str],
    slug: str,
    source: str | None = None,
    body: str = "",
    image: dict[str, str] | None = None,
) -> str:
    """A complete article file; ``slug:`` is always written so the URL never changes.
    ``image``: the lead photo's keys (file, alt, caption, credit), written in that order."""
    lines = [
        "---",
        f"title: {yaml_text(title)}",
        f"date: {date.isoformat()}",
        f"category: {yaml_text(category, plain_ok=True)}",
        f"tags: [{', '.join(yaml_text(t, plain_ok=True) for t in tags)}]",
        f"slug: {slug}",
    ]
    if source:
        lines.append(f"source: {yaml_text(source)}")
    if image:
        lines.append("image:")
        lines += [f"  {key}: {yaml_text(image[key], plain_ok=key == 'file')}"
                  for key in ("file", "alt", "caption", "credit") if image.get(key)]
    lines += ["---", body.strip("\n")]
    return "\n".join(lines) + "\n"


def write_new_file(target: Path, text: str | bytes, replace: bool = False) -> None:
    """Write all or nothing: a temp file beside the target, then one rename.

    Without ``replace`` an existing target raises :class:`FileExistsError` even if it
    appeared a moment ago (the final step is a hard link, which never overwrites).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # A leading dot and no .md: the content reader never picks up a leftover temp file.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates the file private (0600); articles get the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, target)
            return
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:  # file systems without hard links: check, then rename
            if target.exists():
                raise FileExistsError(str(target)) from None
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def article_file(settings: Settings, date: datetime, slug: str) -> str:
    """Path below the content folder, from ARTICLE_FILE_PATTERN."""
    return settings.ARTICLE_FILE_PATTERN.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    )
