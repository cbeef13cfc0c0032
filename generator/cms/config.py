"""Decap CMS's configuration, generated from the settings and the article format, never
kept by hand: one collection of reports at ARTICLE_FILE_PATTERN with a field for every
front-matter key (``KNOWN_KEYS``, the photo's and the corrections' keys)."""

from __future__ import annotations

import re
from typing import Any

from ..article_file import KEY_ORDER
from ..frontmatter import SLUG_RE
from ..lifecycle import DEFAULT_NOTE
from ..settings import Settings

COLLECTION = "meldungen"
FORMAT = "meldungen"
"""The custom format the desk registers (theme/admin/format.mjs)."""
HOSTED = {"github": "https://api.github.com", "gitlab": "https://gitlab.com",
          "gitea": "", "bitbucket": "https://api.bitbucket.org"}
"""Backends a hosted desk may use, and the API origin its CSP must allow."""


def entry_path(pattern: str) -> str:
    """ARTICLE_FILE_PATTERN as Decap's ``path`` (without ``.md``): ``{year}/{month}/{slug}.md``
    → ``{{meldungen_year}}/{{meldungen_month}}/{{slug}}``. Decap's own ``{{year}}`` is the
    UTC date, so the desk's preSave hook sets these data keys in TIMEZONE (and toFile leaves
    them out); ``fields.x`` cannot be used, as Decap turns the dot of a path into a dash."""
    stem = pattern[: -len(".md")]
    return re.sub(r"{(\w+)}", lambda m: "{{slug}}" if m.group(1) == "slug"
                  else "{{meldungen_" + m.group(1) + "}}", stem)


def fields(settings: Settings) -> list[dict[str, Any]]:
    """The form, one field per front-matter key in the order files are written, the body
    last. Labels are German: the desk's users are the newsroom."""
    zeit = {"widget": "zeit", "hint": f"Uhrzeit in {settings.TIMEZONE}"}
    by_key: dict[str, dict[str, Any]] = {
        "title": {"label": "Überschrift", "widget": "string"},
        "date": {"label": "Datum und Uhrzeit", **zeit,
                 "hint": f"Uhrzeit in {settings.TIMEZONE}; in der Zukunft: Sperrfrist"},
        "category": {"label": "Kategorie", "widget": "select",
                     "options": list(settings.CATEGORIES)},
        "tags": {"label": "Themen", "widget": "themen", "required": False,
                 "hint": "Durch Kommas getrennt; vorhandene Themen werden angeboten"},
        "slug": {"label": "Adresse (Slug)", "widget": "string", "required": False,
                 "pattern": [SLUG_RE.pattern.replace("(?:", "("),
                             "nur a-z, 0-9 und einzelne -"],
                 "hint": "Leer: aus der Überschrift. Einmal veröffentlicht, nicht mehr ändern"},
        "source": {"label": "Quelle", "widget": "string", "required": False,
                   "hint": f"Leer: {settings.DEFAULT_SOURCE}"},
        "summary": {"label": "Zusammenfassung", "widget": "text", "required": False,
                    "hint": "Leer: der erste Absatz (Vorspann)"},
        "modified": {"label": "Geändert am", **zeit, "required": False},
        "image": {"label": "Foto", "widget": "object", "required": False, "collapsed": True,
                  "fields": [
                      {"name": "file", "label": "Bilddatei", "widget": "image",
                       "required": False, "choose_url": True,
                       "hint": "JPEG, PNG, WebP oder AVIF, hochgeladen in den Ordner der "
                               "Meldung; ein Archivfoto als /bilder/archiv/datei.jpg"},
                      {"name": "alt", "label": "Was das Foto zeigt (Alternativtext)",
                       "widget": "string", "required": False,
                       "hint": "Pflicht, sobald ein Foto gewählt ist"},
                      {"name": "caption", "label": "Bildunterschrift", "widget": "string",
                       "required": False},
                      {"name": "credit", "label": "Bildquelle", "widget": "string",
                       "required": False, "hint": f"Leer: {settings.DEFAULT_IMAGE_CREDIT}"},
                      {"name": "focus", "label": "Bildmitte für Ausschnitte (x,y)",
                       "widget": "string", "required": False,
                       "pattern": [r"^\s*[01](\.\d+)?\s*,\s*[01](\.\d+)?\s*$",
                                   "zwei Zahlen von 0 bis 1, z. B. 0.5,0.3"]},
                  ]},
        "draft": {"label": "Entwurf (nie veröffentlichen)", "widget": "boolean",
                  "required": False, "default": False},
        "status": {"label": "Zurückgezogen", "widget": "select", "required": False,
                   "options": [{"label": "zurückgezogen (Gericht, Gegendarstellung)",
                                "value": "withdrawn"}],
                   "hint": "Die Adresse bleibt und sagt nur noch, dass die Meldung "
                           "zurückgezogen wurde"},
        "withdrawn_note": {"label": "Hinweis zur Rücknahme", "widget": "string",
                           "required": False, "hint": f"Leer: {DEFAULT_NOTE}"},
        "corrections": {"label": "Korrekturen", "label_singular": "Korrektur",
                        "widget": "list", "required": False, "add_to_top": False,
                        "summary": "{{fields.date}}: {{fields.text}}",
                        "fields": [
                            {"name": "date", "label": "Korrektur vom", **zeit},
                            {"name": "text", "label": "Text der Korrektur", "widget": "text"},
                        ]},
        "aliases": {"label": "Frühere Adressen", "widget": "list", "required": False,
                    "hint": "Frühere URLs dieser Meldung, durch Kommas getrennt, z. B. "
                            "/2024/01/04/alte-ueberschrift/"},
    }
    found = [{"name": key, **by_key[key]} for key in KEY_ORDER]
    found.append({"name": "body", "label": "Text", "widget": "markdown", "modes": ["raw"],
                  "hint": "Der erste Absatz ist der Vorspann: Ort (Quelle) - …"})
    return found


def backend(settings: Settings) -> dict[str, Any]:
    """The hosted backend (git host and its authentication); on 127.0.0.1 the desk talks to
    the local proxy instead (``local_backend``)."""
    # No squash_merges: each save of a report stays a commit of its own on the branch.
    found: dict[str, Any] = {"name": settings.CMS_BACKEND, "branch": settings.CMS_BRANCH}
    if settings.CMS_REPO:
        found["repo"] = settings.CMS_REPO
    if settings.CMS_AUTH_URL:
        found["base_url"] = settings.CMS_AUTH_URL
    return found


def config(settings: Settings, folder: str) -> dict[str, Any]:
    """The whole configuration; ``folder``: the content folder relative to the git
    repository's root (``content``)."""
    return {
        "backend": backend(settings),
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "load_config_file": False,
        "locale": "de",
        "site_url": settings.SITEURL or "/",
        "media_folder": f"{folder}/bilder",
        "public_folder": "/bilder",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [{
            "name": COLLECTION,
            "label": "Meldungen",
            "label_singular": "Meldung",
            "folder": folder,
            "path": entry_path(settings.ARTICLE_FILE_PATTERN),
            # Archives keep older reports deeper (YYYY/MM/DD/…); all are listed.
            "nested": {"depth": 8},
            "extension": "md",
            "format": FORMAT,
            "create": True,
            "delete": False,
            "identifier_field": "title",
            "slug": "{{fields.slug}}",
            "summary": "{{title}}",
            "sortable_fields": ["date", "title", "category"],
            "view_filters": [{"label": c, "field": "category", "pattern": f"^{re.escape(c)}$"}
                             for c in settings.CATEGORIES],
            "media_folder": "{{filename}}",
            "public_folder": "{{filename}}",
            "fields": fields(settings),
        }],
    }
