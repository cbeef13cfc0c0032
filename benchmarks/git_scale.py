"""Git at an archive's scale: what a newsroom meets with every report a file in one repository.

Generates an archive with ``meldungen synth`` (1947 to --to, denser in recent years) into a
fresh git repository, committed a year at a time and then with one commit that edits 1 % of
the reports (so that history holds blobs no checkout needs), and prints the seconds of: a
full clone, a ``--filter=blob:none`` clone, a shallow clone (``--depth 1``, what CI's
checkout does), ``git status`` in a clone (clean, and after a one-file edit) and
``meldungen check`` on that one changed file. Clones go through ``file://``, git's own
transport (a plain local path would hard-link the object files instead), so no network.
A benchmark prints figures; it asserts nothing.

    .venv/bin/python benchmarks/git_scale.py --n 100000
    .venv/bin/python benchmarks/git_scale.py --n 1000000 --work /var/tmp/meldungen-git
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; sys.argv[0] = 'meldungen'; from generator.cli import main; main()"
GIT_ENV = {"GIT_AUTHOR_NAME": "Benchmark", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Benchmark", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
           "GIT_CONFIG_NOSYSTEM": "1"}


def env() -> dict[str, str]:
    # The worktree's generator package, whatever the venv's editable install points at.
    return {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT)}


def run(args: Sequence[str], cwd: Path, quiet: bool = True) -> float:
    started = time.perf_counter()
    subprocess.run(list(args), cwd=cwd, env=env(), check=True,
                   stdout=subprocess.DEVNULL if quiet else None)
    return time.perf_counter() - started


def git(*args: str, cwd: Path) -> float:
    return run(["git", *args], cwd)


def meldungen(*args: str, cwd: Path) -> float:
    return run([sys.executable, "-c", CLI, *args], cwd)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def make_repository(repo: Path, n: int, seed: int, first: int, last: int) -> dict[str, float]:
    times: dict[str, float] = {}
    repo.mkdir(parents=True)
    times["synth"] = meldungen("synth", "--n", str(n), "--seed", str(seed), "--from", str(first),
                               "--to", str(last), "--out", str(repo / "content"), cwd=ROOT)
    git("init", "-q", "-b", "main", cwd=repo)
    git("config", "uploadpack.allowFilter", "true", cwd=repo)  # for --filter clones
    git("config", "gc.auto", "0", cwd=repo)  # one gc at the end, not in the background
    started = time.perf_counter()
    for year in sorted(p.name for p in (repo / "content").iterdir()):
        git("add", f"content/{year}", cwd=repo)
        git("commit", "-q", "-m", f"Reports of {year}", cwd=repo)
    times["commit by year"] = time.perf_counter() - started
    files = sorted((repo / "content").rglob("*.md"))
    for path in files[::100]:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\nNachtrag: eine spätere Fassung.\n")
    times["edit 1 % and commit"] = (git("add", "-u", cwd=repo)
                                    + git("commit", "-q", "-m", "Edits", cwd=repo))
    times["gc"] = git("gc", "-q", cwd=repo)  # a served repository is packed
    return times


def measure(repo: Path, work: Path) -> dict[str, float]:
    url = (repo.resolve()).as_uri()
    times: dict[str, float] = {}
    for name, extra in (("full", []), ("blobless", ["--filter=blob:none"]),
                        ("shallow", ["--depth", "1"]),
                        ("blobless sparse", ["--filter=blob:none", "--sparse"])):
        target = work / f"clone-{name.replace(' ', '-')}"
        shutil.rmtree(target, ignore_errors=True)
        times[f"clone {name}"] = git("clone", "-q", *extra, url, str(target), cwd=work)
    # An editor's checkout: only this year's reports (their blobs fetched on demand).
    sparse = work / "clone-blobless-sparse"
    newest = max(p.name for p in (repo / "content").iterdir())
    times[f"sparse-checkout set content/{newest}"] = git("sparse-checkout", "set",
                                                          f"content/{newest}", cwd=sparse)
    clone = work / "clone-shallow"
    times["git status (first)"] = git("status", "--porcelain", cwd=clone)
    times["git status (clean)"] = git("status", "--porcelain", cwd=clone)
    changed = sorted((clone / "content").rglob("*.md"))[-1]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace(" - ", " - Korrigiert: ", 1), encoding="utf-8")
    times["git status (one edit)"] = git("status", "--porcelain", cwd=clone)
    # Git's own advice for many files: index v4 and the untracked cache.
    git("config", "feature.manyFiles", "true", cwd=clone)
    git("update-index", "--index-version", "4", "--untracked-cache", cwd=clone)
    git("status", "--porcelain", cwd=clone)  # fills the untracked cache
    times["git status (one edit, feature.manyFiles)"] = git("status", "--porcelain", cwd=clone)
    # What any verb costs before it reads a file (imports), to tell apart from the reading.
    times["meldungen --version"] = meldungen("--version", cwd=ROOT)
    times["meldungen check (one file)"] = meldungen(
        "check", "-s", str(ROOT / "pelicanconf.py"), "--content", str(clone / "content"),
        str(changed), cwd=ROOT)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of reports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from", dest="first", type=int, default=1947)
    parser.add_argument("--to", dest="last", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-git"))
    args = parser.parse_args()

    work = args.work / str(args.n)
    repo = work / "origin"
    made: dict[str, float] = {}
    if not (work / "complete").exists():  # the repository is kept between runs
        shutil.rmtree(work, ignore_errors=True)
        made = make_repository(repo, args.n, args.seed, args.first, args.last)
        (work / "complete").write_text("ok")
    times = measure(repo, work)

    files = int(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True,
                               check=True).stdout.count("\n"))
    print(f"\n{args.n:,} reports ({args.first}–{args.last}), {files:,} tracked files, "
          f"content {size_of(repo / 'content') / 2**20:,.0f} MiB, "
          f"packed repository {size_of(repo / '.git') / 2**20:,.0f} MiB, "
          f"shallow clone's .git {size_of(work / 'clone-shallow' / '.git') / 2**20:,.0f} MiB\n")
    print("| step | seconds |\n| --- | ---: |")
    for name, seconds in (made | times).items():
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
