"""Pelican entry point: ``register()`` connects signals, nothing else.

Meldungen replaces Pelican's content pipeline, so Pelican's own article, page, feed and
static outputs are switched off and one generator runs :func:`generator.build`.
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals

from . import build
from .settings import from_pelican

log = logging.getLogger("meldungen")

# Pelican would otherwise read our Markdown files itself and write its own pages and feeds.
_PELICAN_OFF = {
    "ARTICLE_PATHS": [],
    "PAGE_PATHS": [],
    "STATIC_PATHS": [],
    "THEME_STATIC_PATHS": [],
    "DIRECT_TEMPLATES": [],
    "TEMPLATE_PAGES": {},
    "FEED_ALL_ATOM": None,
    "CATEGORY_FEED_ATOM": None,
    "TRANSLATION_FEED_ATOM": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TAG_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "",
    "AUTHOR_SAVE_AS": "",
}


class MeldungenGenerator:
    """The generator Pelican runs; its whole job is one call to :func:`generator.build`."""

    def __init__(
        self, context: dict, settings: dict, path: str, theme: str, output_path: str, **_: Any
    ):
        self.settings = from_pelican({**settings, "OUTPUT_PATH": output_path})

    def generate_output(self, writer: Any) -> None:
        report = build(self.settings)
        log.info(
            "Meldungen: %d articles, %d files in %.2f s",
            report.articles,
            report.files,
            report.seconds,
        )
        if report.next_due is not None:
            log.info("Meldungen: next embargo falls due %s: %s", report.next_due.isoformat(),
                     report.next_path)


def _switch_off_pelican_outputs(pelican: Any) -> None:
    from_pelican(pelican.settings)  # validate at start: every settings problem at once
    pelican.settings.update(_PELICAN_OFF)


def _generators(pelican: Any) -> type:
    return MeldungenGenerator


def register() -> None:
    signals.initialized.connect(_switch_off_pelican_outputs)
    signals.get_generators.connect(_generators)
