"""``meldungen new``: start an article file with correct front matter at the usual place."""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path

import click

from ..content import LEAD_PLACEHOLDER, article_url, canonical_category
from ..errors import shown
from ..frontmatter import SLUG_RE, parse_date
from ..importer import Archive, article_file, article_text, write_new_file
from ..slugs import slugify
from .options import content_option, make_settings, settings_option

PLACEHOLDER_BODY = f"Ort (dts Nachrichtenagentur) - {LEAD_PLACEHOLDER}"


@click.command("new")
@click.argument("title", metavar="ÜBERSCHRIFT")
@click.option("-k", "--kategorie", "category", required=True,
              help="Kategorie, one of CATEGORIES in the settings (e.g. Ausland).")
@click.option("-t", "--tags", default="", metavar="TAG,TAG",
              help="Comma-separated tags, e.g. USA,Russland.")
@click.option("-d", "--datum", "date", metavar="DATUM",
              help="Date and time, e.g. 2024-01-04T20:41 or '04.01.2024 - 20:41' "
                   "(Europe/Berlin); default: now.")
@click.option("--slug", help="URL slug (default: from the Überschrift). It is written into the "
                             "file, so the URL stays even if the headline is edited.")
@settings_option
@content_option
def command(title: str, category: str, tags: str, date: str | None, slug: str | None,
            settings_file: Path, content: Path | None) -> None:
    """Write a new article file for ÜBERSCHRIFT and print its path; never overwrites.

    The body is a placeholder lead for the agency's form, which check and build refuse until
    it is written.
    """
    settings = make_settings(settings_file, content)
    title = " ".join(title.split())
    canonical = canonical_category(category, settings.CATEGORIES)
    if canonical is None:
        hint = difflib.get_close_matches(category, settings.CATEGORIES, n=1, cutoff=0.6)
        raise click.BadParameter(
            f"unknown Kategorie {category!r}"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
            + f"; allowed: {', '.join(settings.CATEGORIES)}", param_hint="--kategorie")
    when = datetime.now(settings.tz).replace(microsecond=0)
    if date is not None:
        try:
            when = parse_date(date, settings.tz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--datum") from None
    slug = slug or slugify(title)
    if not slug or not SLUG_RE.match(slug):
        raise click.BadParameter(f"{slug!r} is not a usable slug (a-z, 0-9 and single '-')",
                                 param_hint="--slug")
    root = Path(settings.PATH)
    archive = Archive(root, settings)
    url = article_url(settings, when, slug)
    if url in archive.by_url:
        # Even an unpinned older article would lose its URL to a pinned new one.
        other = archive.by_url[url][0].source_path
        raise click.ClickException(f"URL /{url} is already used by {shown(root / other)}; "
                                   "choose another --slug")
    target = root / article_file(settings, when, slug)
    tag_list = dict.fromkeys(t for t in (" ".join(w.split()) for w in tags.split(",")) if t)
    try:
        write_new_file(target, article_text(title, when, canonical, tag_list, slug,
                                            body=PLACEHOLDER_BODY))
    except FileExistsError:
        raise click.ClickException(f"{shown(target)} already exists; nothing written "
                                   "(choose another --slug)") from None
    click.echo(shown(target))
