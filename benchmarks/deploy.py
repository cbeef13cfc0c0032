"""Deploy benchmark: what ``meldungen deploy`` uploads for one report, at an archive's size.

Per size: generates an archive (``meldungen synth``), builds it, starts an rsync daemon on
127.0.0.1 and deploys to it: the first deploy (everything), then after an edited report, an
added one and a deleted one (each built, then deployed), and a deploy with nothing changed.
Prints per step: seconds, files uploaded and deleted, bytes rsync sent (its own
``Total bytes sent``; its ``Literal data`` too) and the files the deploy hashed; then, for
comparison, one plain ``rsync --checksum --delete`` of the whole output after an edit (what a
deploy without a manifest costs: rsync reads every file on both sides). A benchmark prints
figures; it asserts nothing.

    .venv/bin/python benchmarks/deploy.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator import build  # noqa: E402
from generator.deploy import Report, deploy, run_rsync  # noqa: E402
from generator.settings import load  # noqa: E402

CLI = "import sys; sys.argv[0] = 'meldungen'; from generator.cli import main; main()"


def daemon(work: Path) -> tuple[subprocess.Popen, str, Path]:
    remote = work / "remote"
    remote.mkdir(exist_ok=True)
    (work / "remote-plain").mkdir(exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = work / "rsyncd.conf"
    config.write_text(f"use chroot = false\nuid = {os.getuid()}\ngid = {os.getgid()}\n"
                      f"[site]\npath = {remote}\nread only = false\n"
                      f"[plain]\npath = {work / 'remote-plain'}\nread only = false\n",
                      encoding="utf-8")
    process = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={config}",
                                "--address=127.0.0.1", f"--port={port}"])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, f"rsync://127.0.0.1:{port}/site/", remote


def row(name: str, report: Report) -> str:
    literal = sum(step.literal_bytes for step in report.steps)
    return (f"| {name} | {report.seconds:.2f} | {len(report.uploaded):,} | "
            f"{len(report.deleted):,} | {report.bytes_sent:,} | {literal:,} | "
            f"{report.hashed:,} | {report.files:,} |")


def measure(size: int, work: Path, seed: int) -> None:
    base = work / str(size)
    content, output, caches = base / "content", base / "output", base / "cache"
    if not (base / "complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run([sys.executable, "-c", CLI, "synth", "--n", str(size), "--seed",
                        str(seed), "--out", str(content)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        (base / "complete").write_text("ok")
    shutil.rmtree(base / "remote", ignore_errors=True)
    shutil.rmtree(base / "remote-plain", ignore_errors=True)
    shutil.rmtree(caches, ignore_errors=True)
    settings = load(ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(output),
                                              "BUILD_CACHE": str(caches), "URL_GUARD": False})
    started = time.perf_counter()
    build(settings)
    built = time.perf_counter() - started
    process, url, remote = daemon(base)
    manifests = caches / "meldungen" / "deploy-bench"
    rows = []
    files = sorted(content.rglob("*.md"))
    edited = files[len(files) // 2]
    original = edited.read_bytes()  # put back at the end: the next run starts from the same
    try:
        rows.append(row("first deploy", deploy(output, url, manifests)))
        rows.append(row("nothing changed", deploy(output, url, manifests)))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nNachtrag der Redaktion.\n",
                          encoding="utf-8")
        build(settings)
        rows.append(row("edit one report", deploy(output, url, manifests)))
        added = content / "2026" / "12" / "benchmark-zusatz.md"
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text(files[-1].read_text(encoding="utf-8").replace(
            'title: "', 'title: "Zusatz: ', 1), encoding="utf-8")
        build(settings)
        rows.append(row("add one report", deploy(output, url, manifests)))
        added.unlink()
        build(settings)
        rows.append(row("delete one report", deploy(output, url, manifests)))
        # One more edit, sent both ways from the same remote state: ours, and the plain way
        # (rsync compares the whole tree by checksum) to a copy of the remote.
        shutil.copytree(remote, base / "remote-plain", dirs_exist_ok=True)
        edited.write_text(edited.read_text(encoding="utf-8") + "\nZweiter Nachtrag.\n",
                          encoding="utf-8")
        build(settings)
        rows.append(row("edit another line", deploy(output, url, manifests)))
        started = time.perf_counter()
        step = run_rsync("plain", ["--recursive", "--checksum", "--delete"], output,
                         url.replace("/site/", "/plain/"))
        plain = time.perf_counter() - started
    finally:
        edited.write_bytes(original)
        process.terminate()
        process.wait()
    print(f"\n{size:,} articles, cold build {built:.0f} s\n")
    print("| step | seconds | uploaded | deleted | bytes sent | literal data | hashed | files |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print(f"| edit another line, plain rsync --checksum --delete | {plain:.2f} | "
          f"{len(step.uploaded):,} | {len(step.deleted):,} | {step.bytes_sent:,} | "
          f"{step.literal_bytes:,} | (all) | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-deploy"))
    args = parser.parse_args()
    for size in args.sizes:
        measure(size, args.work, args.seed)


if __name__ == "__main__":
    main()
