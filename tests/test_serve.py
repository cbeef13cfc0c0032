"""``meldungen serve``'s server: the built site on 127.0.0.1, its own 404 page for missing URLs."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands.serve import server


@pytest.fixture
def base_url(built_fixture: Path) -> Iterator[str]:
    httpd = server(built_fixture, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def fetch(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def test_pages_are_served(base_url, built_fixture):
    status, kind, body = fetch(f"{base_url}/kategorien/")
    assert (status, kind) == (200, "text/html")
    assert body == (built_fixture / "kategorien" / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/gibt-es-nicht/", "/2024/01/04/kein-artikel/",
                                  "/theme/css/fehlt.css"])
def test_a_missing_url_gets_the_sites_own_404_page(base_url, built_fixture, path):
    status, kind, body = fetch(base_url + path)
    assert (status, kind) == (404, "text/html; charset=utf-8")
    assert body == (built_fixture / "404.html").read_bytes()
    assert "Seite nicht gefunden" in body.decode("utf-8")


def test_head_of_a_missing_url_has_no_body(base_url, built_fixture):
    status, _, body = fetch(f"{base_url}/gibt-es-nicht/", method="HEAD")
    assert (status, body) == (404, b"")


def test_without_a_404_page_the_plain_error_remains(tmp_path):
    httpd = server(tmp_path, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = fetch(f"http://127.0.0.1:{httpd.server_address[1]}/x/")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert status == 404 and b"File not found" in body
