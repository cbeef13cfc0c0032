"""The local editing proxy of ``meldungen serve --cms``: Decap's ``decap-server`` in git mode
on a loopback port, reached through the preview server's ``/api/v1`` (same origin, so the
desk's CSP needs no other address). Every call to it and every rebuild take one lock: the
proxy checks out ``cms/…`` branches while it works, and a build must never read that."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import MeldungenError
from ..settings import Settings
from .desk import node_modules

LOCK = threading.RLock()
"""Held by every proxied request and every rebuild of ``serve --cms``."""
API = "/api/v1"


class Proxy:
    """``decap-server`` running for the repository that holds the content folder."""

    def __init__(self, repo: Path, modules: Path):
        self.repo = repo
        with socket.socket() as probe:  # a free loopback port for decap-server
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        script = modules / "decap-server" / "dist" / "index.js"
        if not script.is_file():
            raise MeldungenError(f"decap-server is missing in {modules}: run `npm ci` there")
        env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(repo),
               "PORT": str(self.port), "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
        # In serve's process group: Ctrl-C reaches both; serve stops it on SIGTERM too.
        self.process = subprocess.Popen(["node", str(script)], env=env, cwd=repo)
        self._wait()

    def _wait(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MeldungenError("decap-server stopped at once "
                                     f"(exit {self.process.returncode})")
            try:
                self.call(json.dumps({"action": "info"}).encode())
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise MeldungenError("decap-server did not answer within 30 s")

    def call(self, body: bytes) -> tuple[int, bytes]:
        """Forward one API request (JSON) and return decap-server's status and answer."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{API}", data=body,
                                         headers={"Content-Type": "application/json"})
        with LOCK:
            try:
                with urllib.request.urlopen(request, timeout=120) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as error:
                with error:
                    return error.code, error.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def repository(content: Path) -> Path:
    """The git repository holding the content folder, or an error saying how to make one."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=content,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise MeldungenError(f"{content} is not in a git repository: the editing desk commits "
                             "every save (git init, git add, git commit first)") from None
    return Path(top)


def start(settings: Settings) -> Proxy:
    """The proxy for the checkout holding the content, which must be clean: decap-server
    commits with ``git add .`` and switches branches in the working tree, so an uncommitted
    change elsewhere would be committed as the desk's, or lost in a checkout."""
    repo = repository(Path(settings.PATH))
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                             text=True, check=True).stdout.splitlines()
    if changed:
        shown = "\n".join(f"  {line}" for line in changed[:10])
        raise MeldungenError(f"{repo} has uncommitted changes; the editing desk commits "
                             f"everything git sees, so commit or stash them first:\n{shown}")
    return Proxy(repo, node_modules(settings))
