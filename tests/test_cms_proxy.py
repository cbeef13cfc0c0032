"""The local editing proxy: decap-server in git mode on a loopback port, reached through
``meldungen serve``'s ``/api/v1``, stopped with serve."""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import ROOT, make_settings

from generator.cms import proxy
from generator.commands.serve import server
from generator.errors import MeldungenError


def repo(folder: Path) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "a.md").write_text("---\ntitle: A\n---\nLead.\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "."],
                 ["-c", "user.name=R", "-c", "user.email=r@example.org", "commit", "-qm", "a"]):
        subprocess.run(["git", *args], cwd=folder, check=True)
    return folder


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"{}")


def test_outside_a_git_repository_the_desk_says_how_to_make_one(tmp_path):
    with pytest.raises(MeldungenError, match=r"not in a git repository.*git init"):
        proxy.repository(tmp_path)


def test_a_checkout_with_uncommitted_changes_is_refused(tmp_path):
    site = repo(tmp_path / "site")
    (site / "notiz.txt").write_text("privat", encoding="utf-8")
    settings = make_settings(site / "content", tmp_path / "output")
    with pytest.raises(MeldungenError, match=r"uncommitted changes.*\n  \?\? notiz\.txt"):
        proxy.start(settings)


def test_the_proxy_edits_the_repository_through_serve(tmp_path):
    site = repo(tmp_path / "site")
    editing = proxy.Proxy(site, ROOT / "node_modules")
    httpd = server(tmp_path, 0, editing)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}{proxy.API}"
    try:
        status, answer = post(url, {"action": "info"})
        assert status == 200
        assert answer["type"] == "local_git"
        assert "editorial_workflow" in answer["publish_modes"]
        status, answer = post(url, {"action": "entriesByFolder", "params": {
            "branch": "main", "folder": "content", "extension": "md", "depth": 1}})
        assert status == 200
        assert [e["file"]["path"] for e in answer] == ["content/a.md"]
        # Outside the repository nothing is read.
        status, _ = post(url, {"action": "getEntry", "params": {
            "branch": "main", "path": "../../etc/passwd"}})
        assert status == 422
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        editing.stop()
    assert editing.process.poll() is not None


def test_without_the_desk_serve_refuses_posts(tmp_path):
    httpd = server(tmp_path, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{httpd.server_address[1]}{proxy.API}", data=b"{}")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        caught.value.close()
        assert caught.value.code == 405
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
