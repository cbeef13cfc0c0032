"""Aliases: a redirect page at each earlier URL, ``_redirects`` and an nginx map for hosts
that send real status codes, and the addresses an alias may not take."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, make_settings

from generator import build
from generator.content import read_site
from generator.errors import ContentError

REL = "2024/02/10/dax.md"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_SITE / "content", tmp_path / "content")
    return tmp_path / "content"


def alias(content: Path, *urls: str, rel: str = REL) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\naliases: [{', '.join(urls)}]\n", 1),
                    encoding="utf-8")


def target_of(settings) -> str:
    return next(a.url for a in read_site(settings).articles if a.source_path == REL)


def test_each_alias_gets_a_redirect_page_and_host_rules(content: Path, tmp_path: Path):
    alias(content, "/2024/02/09/dax-alt/", "boerse/dax-vom-10-februar.html")
    out = tmp_path / "out"
    settings = make_settings(content, out, SITEURL="https://example.org/archiv")
    build(settings)
    target = target_of(settings)
    page = (out / "2024/02/09/dax-alt/index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=https://example.org/archiv/{target}">' \
        in page
    assert f'<link rel="canonical" href="https://example.org/archiv/{target}">' in page
    assert f'<a href="https://example.org/archiv/{target}">' in page
    assert (out / "boerse/dax-vom-10-februar.html").is_file()
    redirects = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert redirects[1:] == [
        f"/archiv/2024/02/09/dax-alt/ /archiv/{target} 301!",
        f"/archiv/boerse/dax-vom-10-februar.html /archiv/{target} 301!"]
    nginx = (out / "nginx-redirects.conf").read_text(encoding="utf-8")
    assert f'    "/archiv/2024/02/09/dax-alt/" "/archiv/{target}";' in nginx
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "dax-alt" not in sitemap and target in sitemap


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_answers_301_and_410_from_the_map(content: Path, tmp_path: Path):
    alias(content, "/2024/02/09/dax-alt/")
    gone = content / "2025/03/01/bundestag.md"
    gone.write_text(gone.read_text(encoding="utf-8").replace("---\n", "---\nstatus: withdrawn\n",
                                                             1), encoding="utf-8")
    settings = make_settings(content, tmp_path / "out")
    build(settings)
    withdrawn = next(a.url for a in read_site(settings).articles if a.withdrawn)
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""daemon off; pid {tmp_path / 'nginx.pid'}; error_log stderr;
events {{}}
http {{
  access_log off;
  include {tmp_path / 'out/nginx-redirects.conf'};
  server {{
    listen 127.0.0.1:{port};
    root {tmp_path / 'out'};
    if ($meldungen_moved) {{ return 301 $meldungen_moved; }}
    if ($meldungen_gone) {{ return 410; }}
  }}
}}
""", encoding="utf-8")
    server = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp_path)],
                              stderr=subprocess.DEVNULL)
    try:
        moved = ask(port, "/2024/02/09/dax-alt/")
        assert moved[0] == 301 and moved[1].endswith(f"/{target_of(settings)}")
        assert ask(port, f"/{withdrawn}")[0] == 410
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, path: str) -> tuple[int, str]:
    """(status, Location) of a GET, redirects not followed; waits for the server to listen."""
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            connection.close()
            return response.status, response.getheader("Location") or ""
        except ConnectionRefusedError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start")


@pytest.mark.parametrize(("url", "message"), [
    ("/2024/", "alias /2024/ is the address of the site's page 2024/index.html"),
    ("/kategorie/ausland/",
     "alias /kategorie/ausland/ is the address of the site's page kategorie/ausland/index.html"),
    ("/feeds/alle.atom.xml", "alias /feeds/alle.atom.xml is where the site keeps its own files"),
    ("/search/", "alias /search/ is where the site keeps its own files"),
])
def test_an_alias_may_not_take_an_address_of_the_site(content: Path, tmp_path: Path, url: str,
                                                      message: str):
    alias(content, url)
    with pytest.raises(ContentError) as caught:
        build(make_settings(content, tmp_path / "out"))
    assert [str(p) for p in caught.value.problems] == [f"{REL}:2: {message}"]
    assert not (tmp_path / "out").exists()


def test_two_reports_may_not_share_an_alias(content: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(content)  # messages name other files relative to the working folder
    alias(content, "/alt/")
    alias(content, "/alt/", rel="2024/02/10/dax-2.md")
    with pytest.raises(ContentError) as caught:
        build(make_settings(content, tmp_path / "out"))
    assert [str(p) for p in caught.value.problems] == [
        f"{REL}:2: alias /alt/ is also an alias of 2024/02/10/dax-2.md"]
