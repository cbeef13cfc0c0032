"""``meldungen synth``: write a deterministic generated archive (benchmarks, scale tests)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..synth import write


@click.command("synth")
@click.option("--n", "count", type=click.IntRange(1), required=True, help="Number of articles.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the articles into (created if missing).")
def command(count: int, seed: int, out: Path) -> None:
    """Write N German-looking articles; the same N and seed give byte-identical files."""
    started = time.perf_counter()
    written = write(count, seed, out)
    click.echo(f"{written} articles in {out} ({time.perf_counter() - started:.1f} s)")
