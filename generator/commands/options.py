"""Options several verbs share, and turning them into settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..settings import Settings, load

settings_option = click.option(
    "-s", "--settings", "settings_file", type=click.Path(dir_okay=False, path_type=Path),
    default="pelicanconf.py", show_default=True, help="Pelican settings file.")
content_option = click.option(
    "--content", type=click.Path(file_okay=False, path_type=Path),
    help="Content folder (default: PATH from the settings).")
output_option = click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: OUTPUT_PATH from the settings).")


def make_settings(settings_file: Path, content: Path | None = None,
                  output: Path | None = None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = dict(extra)
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if output is not None:
        overrides["OUTPUT_PATH"] = str(output.resolve())
    if not settings_file.exists():
        raise click.UsageError(f"settings file {settings_file} not found; run meldungen in the "
                               "project folder or pass --settings")
    return load(settings_file, overrides)
