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
from typing import Any

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


KEY_ORDER = ("title", "date", "category", "tags", "slug", "source", "summary", "modified",
             "image", "draft", "status", "withdrawn_note", "corrections", "aliases")
"""Every front-matter key, in the order files are written: ``meldungen new``'s keys first
(title to source), then the rest. The editing desk writes the same order
(theme/admin/format.mjs, checked against this by shared test vectors)."""
IMAGE_ORDER = ("file", "alt", "caption", "credit", "focus")


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
    return front_matter_text({"title": title, "date": date, "category": category,
                              "tags": list(tags), "slug": slug, "source": source,
                              "image": image}, body)


def front_matter_text(meta: dict[str, Any], body: str) -> str:
    """An article file from its keys (dates as aware datetimes; empty values are left out,
    except tags, always written as a list), keys in :data:`KEY_ORDER`, any other key after
    them as a flow value. Everything a reader sees is UTF-8, never escaped."""
    lines = ["---"]
    for key in (*KEY_ORDER, *(k for k in meta if k not in KEY_ORDER)):
        value = meta.get(key)
        if key != "tags" and value in (None, "", [], {}, False):
            continue
        if key in ("date", "modified"):
            lines.append(f"{key}: {value.isoformat()}")
        elif key == "title" or key in ("source", "summary", "withdrawn_note"):
            lines.append(f"{key}: {yaml_text(value)}")
        elif key == "category":
            lines.append(f"{key}: {yaml_text(value, plain_ok=True)}")
        elif key in ("tags", "aliases"):
            lines.append(f"{key}: [{', '.join(yaml_text(t, plain_ok=True) for t in value or ())}]")
        elif key == "slug":
            lines.append(f"slug: {value}")
        elif key == "image":
            lines.append("image:")
            lines += [f"  {k}: {yaml_text(value[k], plain_ok=k == 'file')}"
                      for k in IMAGE_ORDER if value.get(k)]
        elif key == "draft":
            lines.append("draft: true")
        elif key == "status":
            lines.append(f"status: {value}")
        elif key == "corrections":
            lines.append("corrections:")
            for when, text in value:
                lines += [f"  - date: {when.isoformat()}", f"    text: {yaml_text(text)}"]
        else:
            lines.append(f"{key}: {flow_yaml(value)}")
    lines += ["---", body.strip("\n")]
    return "\n".join(lines) + "\n"


def flow_yaml(value: Any) -> str:
    """Any front-matter value (text, lists, mappings) as one line of YAML that reads back the
    same: keys the desk does not know are kept this way."""
    if isinstance(value, list):
        return f"[{', '.join(flow_yaml(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_text(str(k))}: {flow_yaml(v)}"
                               for k, v in value.items()) + "}"
    return yaml_text("" if value is None else str(value))


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
