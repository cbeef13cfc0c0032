"""Upload the output to a server of the newsroom's own, only what changed, with rsync.

A manifest beside the build cache records, per target, what the last successful deploy
uploaded: each file's size, modification time and content hash. The build keeps an
unchanged file's modification time, so a deploy hashes only the files whose size or time
differ from the manifest (the few the build wrote) and hands rsync explicit lists: rsync
never walks the archive, on either side. Without a manifest (a first deploy, a lost cache,
``--full``) rsync compares everything itself, by checksum.

Readers must never meet a half-updated site where it can be avoided, so a deploy goes in
three steps, each a complete rsync run that starts only when the one before succeeded:

1. **new files** (paths the remote does not have): new reports, content-hashed search
   shards and photo files. Nothing live links to them yet.
2. **changed files** (existing paths, new bytes), with ``--delay-updates``: rsync puts them
   all in place at the end of the step, so listings, feeds, the search manifest and pages
   switch together, and all they link to is already there.
3. **removed files** last (and folders left empty): nothing still served links to them any
   more. rsync looks only at the folders that held them, one level deep.

rsync writes every file under a temporary name and renames it, so no reader sees half a
file. The manifest is saved only after the third step: a deploy that fails part-way is
repeated in full by the next one, and ``--checksum`` skips what already arrived.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MeldungenError
from .outputs import STAMP

Entry = tuple[int, int, str]
"""(size, mtime_ns, blake2b hex) of one output file."""
MANIFEST_FORMAT = "meldungen-deploy 1"


class DeployError(MeldungenError):
    pass


@dataclass(slots=True)
class Step:
    """One rsync run: what it was given, what it says it did."""

    name: str
    listed: int = 0
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    literal_bytes: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class Report:
    target: str
    full: bool
    """True: rsync compared everything (no usable manifest, or ``--full``)."""
    files: int
    hashed: int
    """Files whose content was hashed (their size or time differed from the manifest)."""
    steps: list[Step]
    seconds: float

    @property
    def uploaded(self) -> list[str]:
        return [path for step in self.steps for path in step.uploaded]

    @property
    def deleted(self) -> list[str]:
        return [path for step in self.steps for path in step.deleted]

    @property
    def bytes_sent(self) -> int:
        return sum(step.bytes_sent for step in self.steps)


def manifest_path(cache_folder: Path, target: str) -> Path:
    """One manifest per target (a staging and a live server are deployed to separately)."""
    name = hashlib.sha1(target.encode()).hexdigest()[:16]
    return cache_folder.with_name(f"{cache_folder.name}-deploy") / f"{name}.tsv.gz"


def load_manifest(path: Path, target: str) -> dict[str, Entry] | None:
    """The manifest, or None if missing or unreadable (then the deploy is a full one)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
            if handle.readline() != f"{MANIFEST_FORMAT}\t{target}\n":
                return None
            found: dict[str, Entry] = {}
            for line in handle:
                name, size, mtime, digest = line.rstrip("\n").split("\t")
                found[name] = (int(size), int(mtime), digest)
            return found
    except (OSError, ValueError, EOFError):
        return None


def save_manifest(path: Path, target: str, entries: dict[str, Entry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    # mtime=0: the same entries give the same bytes. Level 1: at a million entries level 9
    # costs seconds for a few percent.
    with (open(temporary, "wb") as raw,
          gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=1) as handle):
        handle.write(f"{MANIFEST_FORMAT}\t{target}\n".encode())
        for name in sorted(entries):
            size, mtime, digest = entries[name]
            handle.write(f"{name}\t{size}\t{mtime}\t{digest}\n".encode())
    os.replace(temporary, path)


def scan(output: Path) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file below output, without following links;
    not the build's stamp (it vouches for the output to the next build, not to readers)."""
    stack = [""]
    while stack:
        prefix = stack.pop()
        with os.scandir(output / prefix if prefix else output) as entries:
            for entry in entries:
                name = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    stack.append(f"{name}/")
                elif entry.is_file(follow_symlinks=False) and (prefix or entry.name != STAMP):
                    info = entry.stat(follow_symlinks=False)
                    yield name, info.st_size, info.st_mtime_ns


def digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]


def current(output: Path, before: dict[str, Entry]) -> tuple[dict[str, Entry], int]:
    """What the output holds now, hashing only files whose size or time is not as recorded."""
    now: dict[str, Entry] = {}
    hashed = 0
    for name, size, mtime in scan(output):
        known = before.get(name)
        if known is not None and known[0] == size and known[1] == mtime:
            now[name] = known
        else:
            now[name] = (size, mtime, digest(output / name))
            hashed += 1
    return now, hashed


def plan(before: dict[str, Entry], now: dict[str, Entry]) -> tuple[list[str], list[str],
                                                                    list[str]]:
    """(new, changed, removed) paths, sorted."""
    new = sorted(name for name in now if name not in before)
    changed = sorted(name for name in now if name in before and before[name][2] != now[name][2])
    return new, changed, sorted(name for name in before if name not in now)


def holders(removed: list[str], output: Path) -> list[str]:
    """The deepest folder of each removed path that still exists here, as ``dir/`` (``./``
    for the top): rsync's --dirs --delete on them removes what they no longer hold, files
    and whole folders, looking at those folders' own entries only."""
    found = set()
    for name in removed:
        parts = name.split("/")[:-1]
        while parts and not (output / "/".join(parts)).is_dir():
            parts.pop()
        found.add("/".join(parts) + "/" if parts else "./")
    return sorted(found)


def rsync_binary() -> str:
    found = shutil.which("rsync")
    if found is None:
        raise DeployError("deploy needs rsync (Debian: apt-get install rsync)")
    return found


_ITEM = re.compile(r"^(\S+) (.*)$")
_STAT = re.compile(r"^(Total bytes sent|Literal data): ([\d,.]+)")


def run_rsync(name: str, options: Iterable[str], output: Path, target: str,
              files: list[str] | None = None, dry_run: bool = False) -> Step:
    """One rsync run from output/ to target/, of ``files`` only if given (a --files-from list)."""
    step = Step(name, listed=len(files) if files is not None else 0)
    command = [rsync_binary(), "--links", "--times", "--chmod=D755,F644", "--stats",
               "--out-format=%i %n", *options]
    if dry_run:
        command.append("--dry-run")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".list") as listing:
        if files is not None:
            if not files:
                return step
            listing.write("".join(f"{path}\n" for path in files))
            listing.flush()
            command.append(f"--files-from={listing.name}")
        command += [f"{output}/", target if target.endswith("/") else f"{target}/"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", check=False)
        step.seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise DeployError(f"rsync ({name}) to {target} failed with exit code "
                          f"{done.returncode}:\n{done.stderr.strip()}")
    for line in done.stdout.splitlines():
        if line.startswith("*deleting "):
            step.deleted.append(line.removeprefix("*deleting").strip().rstrip("/"))
        elif (item := _ITEM.match(line)) and item[1][:2] in ("<f", ">f"):
            step.uploaded.append(item[2])
        elif stat := _STAT.match(line):
            value = int(re.sub(r"[^\d]", "", stat[2]))
            if stat[1] == "Total bytes sent":
                step.bytes_sent = value
            else:
                step.literal_bytes = value
    return step


def deploy(output: Path, target: str, cache_folder: Path, full: bool = False,
           dry_run: bool = False) -> Report:
    """Upload what changed in output since the last deploy to target (see the module doc)."""
    if not target:
        raise DeployError("no deploy target: set DEPLOY_TARGET in the settings or pass --target")
    if not output.is_dir():
        raise DeployError(f"{output}: no output folder; run meldungen build first")
    started = time.perf_counter()
    where = manifest_path(cache_folder, target)
    before = None if full else load_manifest(where, target)
    now, hashed = current(output, before or {})
    checksum = ["--checksum"]
    if before is None:
        checksum.append(f"--exclude=/{STAMP}")
        steps = [
            run_rsync("new files", [*checksum, "--recursive", "--ignore-existing"], output,
                      target, dry_run=dry_run),
            run_rsync("changed files", [*checksum, "--recursive", "--existing",
                                        "--delay-updates"], output, target, dry_run=dry_run),
            # Only deletes: every file that is left was sent by the two steps before.
            run_rsync("removed files", ["--recursive", "--delete", "--existing",
                                        "--ignore-existing", f"--exclude=/{STAMP}"], output,
                      target, dry_run=dry_run),
        ]
    else:
        new, changed, removed = plan(before, now)
        steps = [
            run_rsync("new files", checksum, output, target, new, dry_run),
            run_rsync("changed files", [*checksum, "--delay-updates"], output, target, changed,
                      dry_run),
            # Only deletes, in the folders that held what was removed (one level each).
            run_rsync("removed files", ["--dirs", "--delete", "--existing", "--ignore-existing"],
                      output, target, holders(removed, output), dry_run),
        ]
    if not dry_run and now != before:
        save_manifest(where, target, now)
    return Report(target, before is None, len(now), hashed, steps,
                  time.perf_counter() - started)
