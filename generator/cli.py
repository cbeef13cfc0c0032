"""The ``meldungen`` command: a friendlier face over the same engine ``pelican`` runs.

One module per verb lives in ``generator/commands/``; this file only assembles them.
"""

from __future__ import annotations

import logging
import sys

import click

from . import __version__
from .commands import build, check, deploy, import_, new, search, serve, synth
from .errors import MeldungenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="meldungen")
def cli() -> None:
    """Meldungen: a static, searchable news archive from Markdown articles."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")


cli.add_command(build.command)
cli.add_command(serve.command)
cli.add_command(new.command)
cli.add_command(check.command)
cli.add_command(import_.command)
cli.add_command(synth.command)
cli.add_command(search.command)
cli.add_command(deploy.command)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MeldungenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exitcode)
