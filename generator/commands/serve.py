"""``meldungen serve``: build, serve on 127.0.0.1, rebuild when content or theme change."""

from __future__ import annotations

import functools
import hashlib
import signal
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from .. import build as run_build
from ..cms import proxy
from ..errors import MeldungenError, shown
from ..settings import Settings
from .options import content_option, make_settings, output_option, settings_option


def fingerprint(settings: Settings, settings_file: Path) -> str:
    """Names, sizes and mtimes of every input: cheap to poll, changes on any save."""
    digest = hashlib.sha256()
    for root in (Path(settings.PATH), Path(settings.THEME)):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    if settings_file.exists():
        digest.update(str(settings_file.stat().st_mtime_ns).encode())
    return digest.hexdigest()


def rebuild(settings: Settings) -> None:
    try:
        report = run_build(settings)
        click.echo(f"built {report.articles} articles in {report.seconds:.2f} s")
    except MeldungenError as exc:
        click.echo(f"build failed, still serving the previous site:\n{exc}", err=True)


def watch(settings_file: Path, content: Path | None, output: Path | None, interval: float,
          stop: threading.Event, drafts: bool = False, cms: bool = False) -> None:
    settings = make_settings(settings_file, content, output, **preview(drafts, cms))
    last = fingerprint(settings, settings_file)
    while not stop.wait(interval):
        # With the desk: never while its proxy has a cms/… branch checked out (proxy.LOCK).
        with proxy.LOCK:
            current = fingerprint(settings, settings_file)
            if current == last:
                continue
            last = current
            try:
                settings = make_settings(settings_file, content, output, **preview(drafts, cms))
            except MeldungenError as exc:
                click.echo(str(exc), err=True)
                continue
            rebuild(settings)


def preview(drafts: bool, cms: bool = False) -> dict[str, bool]:
    return {**({"SHOW_DRAFTS": True} if drafts else {}), **({"CMS": True} if cms else {})}


def preview_folder(output: Path) -> Path:
    """``output`` → ``.output-entwuerfe`` beside it."""
    return output.with_name(f".{output.name}-entwuerfe")


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,  # noqa: RUF012
                      ".mjs": "text/javascript", ".wasm": "application/wasm"}
    editing: proxy.Proxy | None = None
    """``serve --cms``: POST /api/v1 goes to the local editing proxy."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        if self.editing is None or self.path != proxy.API:
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
            return
        length = int(self.headers.get("Content-Length") or 0)
        status, body = self.editing.call(self.rfile.read(length))
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """A missing page gets the site's own 404.html (German, styled), as a host serves it."""
        page = Path(self.directory, "404.html")
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def server(output: Path, port: int, editing: proxy.Proxy | None = None) -> ThreadingHTTPServer:
    """An HTTP server for the output folder on 127.0.0.1 (port 0: any free one); with
    ``editing``, the editing desk's API goes to that proxy."""
    # The handler resolves the folder by name per request, so the swapped-in build is served.
    handler = functools.partial(type("Handler", (_Handler,), {"editing": editing}),
                                directory=str(output))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@settings_option
@content_option
@output_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--drafts", is_flag=True, help="Show drafts and embargoed reports too, marked "
              "(built into a folder of its own, never into the output).")
@click.option("--cms", is_flag=True, help="The editing desk at /admin/ too, saving into the "
              "local git checkout through Decap's proxy (decap-server).")
def command(settings_file: Path, content: Path | None, output: Path | None, port: int,
            drafts: bool, cms: bool) -> None:
    """Build, then serve the site on http://127.0.0.1:PORT/ and rebuild on every change."""
    settings = make_settings(settings_file, content, output, **preview(drafts, cms))
    if drafts:
        # Beside the output, never in it: nothing of a draft may reach what is published.
        output = preview_folder(Path(settings.OUTPUT_PATH))
        settings = make_settings(settings_file, content, output, **preview(drafts, cms))
    try:
        editing = proxy.start(settings) if cms else None
    except MeldungenError as exc:
        raise click.ClickException(str(exc)) from None
    # SIGTERM ends serve like Ctrl-C, so the editing proxy is stopped with it.
    signal.signal(signal.SIGTERM, _interrupt)
    httpd = None
    stop = threading.Event()
    try:
        rebuild(settings)
        output_dir = Path(settings.OUTPUT_PATH)
        httpd = server(output_dir, port, editing)
        watcher = threading.Thread(target=watch, args=(settings_file, content, output, 1.0,
                                                        stop, drafts, cms), daemon=True)
        watcher.start()
        address = f"http://127.0.0.1:{httpd.server_address[1]}/"
        click.echo(f"serving {shown(output_dir)} on {address} (Ctrl-C stops)")
        if editing:
            click.echo(f"editing desk: {address}admin/ (saves commit to "
                       f"{shown(editing.repo)})")
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if httpd is not None:
            httpd.server_close()
        if editing:
            editing.stop()
