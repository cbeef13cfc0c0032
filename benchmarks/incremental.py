"""Whole-build timings for one-article changes: prints figures, asserts nothing.

    .venv/bin/python benchmarks/incremental.py --content /tmp/s10k --output /tmp/o10k [--runs 3]

Each run restores the content, then times, each in a fresh process (as ``meldungen build``
runs): a cold build (no output, no cache), a warm rebuild, an edit of an old article (one
word replaced, and one sentence appended), an added newest article, and a deleted old
article. It prints medians over the runs and the output files each step changed
(``BuildReport.written``), with how many of them lie under ``search/``. The content folder
is changed while it runs and restored at the start of each run and at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEP = """
import json, sys
from pathlib import Path
from generator import build, publish
from generator.commands.options import make_settings
written = []
commit = publish.Publisher.__exit__
def keep(self, *exc):  # which files changed, not only how many (BuildReport.written)
    written[:] = self.written
    return commit(self, *exc)
publish.Publisher.__exit__ = keep
settings = make_settings(Path("pelicanconf.py"), Path(sys.argv[1]), Path(sys.argv[2]))
report = build(settings)
assert report.written == len(written)
print(json.dumps({"written": report.written, "full": report.full,
                  "search": sum(p.startswith("search/") for p in written)}))
"""


def run_step(content: Path, output: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", STEP, str(content), str(output)],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, json.loads(result.stdout.strip().splitlines()[-1])


def old_article(content: Path, number: int) -> Path:
    return sorted(content.rglob("*.md"))[number]


def replace_word(path: Path) -> None:
    text = path.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    words = body.split(" ")
    words[len(words) // 2] = "Wetterdienst"
    path.write_text(head + "\n---\n" + " ".join(words), "utf-8")


def append_sentence(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nDie Bundesregierung prüft eine neue Luftverteidigung.\n")


def add_article(content: Path) -> None:
    path = content / "2099" / "01" / "neu.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('---\ntitle: "Neue Luftverteidigung für Kiew"\n'
                    "date: 2099-01-02T10:00:00+01:00\ncategory: Ausland\ntags: [Ukraine]\n---\n"
                    "Kiew (dts) - Kurzstreckenraketen und Börse und Außenministerin.\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    content, output = args.content.resolve(), args.output.resolve()
    backup = content.with_name(content.name + ".pristine")
    if not backup.exists():
        shutil.copytree(content, backup)
    sys.path.insert(0, str(ROOT))
    from generator import cache
    from generator.commands.options import make_settings

    folder = cache.location(make_settings(ROOT / "pelicanconf.py", content, output))
    steps = {
        "cold": lambda: (shutil.rmtree(output, ignore_errors=True),
                         shutil.rmtree(folder, ignore_errors=True)),
        "warm": lambda: None,
        "edit old (word)": lambda: replace_word(old_article(content, 100)),
        "edit old (+sentence)": lambda: append_sentence(old_article(content, 200)),
        "add newest": lambda: add_article(content),
        "delete old": lambda: old_article(content, 300).unlink(),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    written: dict[str, list[tuple[int, int]]] = {name: [] for name in steps}
    try:
        for _ in range(args.runs):
            shutil.rmtree(content)
            shutil.copytree(backup, content)
            for name, change in steps.items():
                change()
                seconds, report = run_step(content, output)
                times[name].append(seconds)
                written[name].append((report["written"], report["search"]))
    finally:
        shutil.rmtree(content)
        shutil.copytree(backup, content)
    print(f"{'step':<22}{'median s':>10}{'runs':>24}{'files written (search)':>26}")
    for name in steps:
        runs = " ".join(f"{t:.2f}" for t in times[name])
        files = ", ".join(f"{w} ({s})" for w, s in written[name])
        print(f"{name:<22}{statistics.median(times[name]):>10.2f}{runs:>24}  {files}")


if __name__ == "__main__":
    main()
