"""Lighthouse benchmark: prints scores per page, asserts nothing.

    .venv/bin/python benchmarks/lighthouse.py [--work /tmp/lighthouse-bench] [--desktop]

Builds the sample archive (content/) with SITEURL set to the local server's address (so
canonical URLs are absolute, as when publishing), serves it on 127.0.0.1 and runs
``node_modules/.bin/lighthouse`` (npm lighthouse@12.2.3, installed by
scripts/ensure-test-tools) with Debian's chromium (``CHROME_PATH=/usr/bin/chromium``) on the
home, an article, an article with a lead photo, a category, a day and the search page,
empty and with results. Goals:
accessibility, best practices and SEO 100, performance at least 95. Result pages
(``/suche/?q=…``) are kept from crawlers by robots.txt on purpose, so their SEO score misses
"is-crawlable" by design. Lighthouse's default is a mid-range phone on a
throttled connection (simulated); ``--desktop`` uses its desktop preset.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build  # noqa: E402
from generator.content import read_site  # noqa: E402
from generator.settings import load  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
_TEXT = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
         ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
         ".bin": "application/octet-stream", ".txt": "text/plain; charset=utf-8"}
CATEGORIES = ("accessibility", "best-practices", "seo", "performance")
GOALS = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}


class _Site(SimpleHTTPRequestHandler):
    """Static files as the publishing host (GitHub Pages) sends them: gzip for text, and the
    site's 404 page for unknown paths. Without gzip Lighthouse would score the test server."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the parent redirects /x to /x/
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not gzip_ok or not path.is_file() or path.suffix not in _TEXT:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", _TEXT[path.suffix])
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages(output_settings: object) -> dict[str, str]:
    site = read_site(output_settings)  # type: ignore[arg-type]
    newest = site.articles[-1]
    photo = next(a for a in reversed(site.articles) if a.image is not None)
    day = newest.date.strftime("%Y/%m/%d/")
    return {"home": "", "article": newest.url, "photo": photo.url,
            "category": f"kategorie/{newest.category_slug}/",
            "day": day, "search": "suche/", "results": "suche/?q=regierung"}


def run(url: str, desktop: bool) -> dict[str, int]:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox"]
    if desktop:
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    failing = [f"{a['id']} ({a['score']})" for a in report["audits"].values()
               if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["_failing"] = failing  # type: ignore[assignment]
    scores["_cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["_lcp"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/lighthouse-bench"))
    parser.add_argument("--desktop", action="store_true")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: "
                         "run sh scripts/ensure-test-tools")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    shutil.rmtree(args.work, ignore_errors=True)
    settings = load(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(args.work / "output"),
                                              "PATH": str(ROOT / "content"), "SITEURL": base})
    build(settings)
    handler = functools.partial(_Site, directory=str(settings.OUTPUT_PATH))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES) + "     CLS  LCP ms")
        below = []
        for name, path in pages(settings).items():
            scores = run(f"{base}/{path}", args.desktop)
            print(f"{name:<10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES)
                  + f"{scores['_cls']:8.3f} {scores['_lcp']:7.0f}   /{path}", flush=True)
            if any(scores[c] < GOALS[c] for c in CATEGORIES):
                below.append(f"{name}: {', '.join(scores['_failing'])}")  # type: ignore[arg-type]
        print("goals: " + ", ".join(f"{c} >= {g}" for c, g in GOALS.items()))
        for line in below:
            print(f"below a goal: {line}")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
