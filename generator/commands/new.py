"""``meldungen new``: start an article file with correct front matter at the usual place."""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path

import click

from ..article_file import article_file, article_text, write_new_file
from ..content import LEAD_PLACEHOLDER, article_url, canonical_category
from ..errors import shown
from ..frontmatter import SLUG_RE, parse_date
from ..images.sources import inspect
from ..importer import Archive
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
@click.option("--bild", "photo", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A photo (JPEG, PNG, WebP, AVIF) to copy beside the article as its lead "
                   "photo; needs --alt.")
@click.option("--alt", help="What the photo shows, for readers who cannot see it.")
@click.option("--bildtext", "caption", help="The photo's caption, e.g. 'Stephan Weil (Archiv)'.")
@click.option("--credit", help="Who supplied the photo (default: DEFAULT_IMAGE_CREDIT).")
@settings_option
@content_option
def command(title: str, category: str, tags: str, date: str | None, slug: str | None,
            photo: Path | None, alt: str | None, caption: str | None, credit: str | None,
            settings_file: Path, content: Path | None) -> None:
    """Write a new article file for ÜBERSCHRIFT and print its path; never overwrites.

    The body is a placeholder lead for the agency's form, which check and build refuse until
    it is written. With --bild, the photo is copied beside it (named like the article).
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
    image, copy = None, None
    if photo is not None:
        image, copy = _photo(photo, alt, caption, credit, target, settings.IMAGE_MAX_PIXELS)
    text = article_text(title, when, canonical, tag_list, slug, body=PLACEHOLDER_BODY,
                        image=image)
    written: list[Path] = []
    try:
        for path, data in ((copy, photo.read_bytes() if photo else b""), (target, text)):
            if path is not None:
                write_new_file(path, data)
                written.append(path)
    except FileExistsError:
        for path in written:  # the photo copied for an article that could not be written
            path.unlink()
        raise click.ClickException(f"{shown(path)} already exists; nothing written "
                                   "(choose another --slug)") from None
    click.echo(shown(target))
    if copy is not None:
        click.echo(shown(copy))


def _photo(photo: Path, alt: str | None, caption: str | None, credit: str | None,
           target: Path, max_pixels: int) -> tuple[dict[str, str], Path]:
    """The image mapping and where the photo goes (beside the article, named like it), after
    the checks the build will make."""
    if not alt or not alt.strip():
        raise click.BadParameter("a photo needs --alt: what it shows, for readers who cannot "
                                 "see it", param_hint="--alt")
    _, _, problem = inspect(str(photo), max_pixels)
    if problem:
        raise click.BadParameter(f"{shown(photo)} {problem}", param_hint="--bild")
    copy = target.with_suffix(photo.suffix.lower() or ".jpg")
    image = {"file": copy.name, **{key: " ".join((value or "").split()) for key, value in
                                   (("alt", alt), ("caption", caption), ("credit", credit))}}
    return image, copy
