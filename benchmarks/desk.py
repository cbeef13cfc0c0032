"""What the editing desk costs a build: prints figures, asserts nothing.

    .venv/bin/python benchmarks/desk.py [--runs 5]

Builds the sample archive (content/) without and with ``CMS = True`` into fresh folders:
the cold build, the median of unchanged rebuilds (the desk's files are read and hashed on
every build, never rewritten), the files and the bytes of ``/admin/``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from generator import build
from generator.settings import load

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as temp:
        for cms in (False, True):
            output = Path(temp) / f"output-{cms}"
            settings = load(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output), "CMS": cms})
            cold = build(settings)
            warm = statistics.median(build(settings).seconds for _ in range(runs))
            admin = [p for p in (output / "admin").rglob("*") if p.is_file()]
            print(f"CMS={cms!s:5}  cold {cold.seconds:6.2f} s  {cold.files:4} files  "
                  f"unchanged rebuild {warm:.3f} s (median of {runs})  /admin/: {len(admin)} "
                  f"files, {sum(p.stat().st_size for p in admin) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
