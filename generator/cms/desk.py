"""The editing desk's files in a build made for editing (``CMS = True``): ``/admin/`` with
its page, its generated configuration, our hooks (theme/admin/) and the CMS's own code from
the npm packages, so that the desk loads nothing from any other host."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError
from ..model import Site
from ..settings import Settings
from . import config as cms_config

PACKAGES = {"decap-cms": "dist", "js-yaml": "dist", "marked": "lib"}
"""npm package → the folder of it the desk ships (package.json pins their versions)."""
_LIBRARIES = {"js-yaml.mjs": ("js-yaml", "dist/js-yaml.mjs"),
              "marked.esm.js": ("marked", "lib/marked.esm.js")}


def node_modules(settings: Settings) -> Path:
    return Path(settings.NODE_MODULES) if settings.NODE_MODULES else (
        Path(__file__).resolve().parents[2] / "node_modules")


def csp(settings: Settings) -> str:
    """As strict as Decap CMS allows: its own code from this site only. It needs
    'unsafe-eval' (ajv compiles its config schema with ``new Function``), inline styles
    (emotion writes <style> elements at run time), blob: and data: images (previews of photos
    not yet saved, which it also reads back with fetch), and its git host's API on a hosted
    site."""
    api = cms_config.HOSTED.get(settings.CMS_BACKEND, "")
    connect = " ".join(dict.fromkeys(x for x in ("'self'", "blob:", api,
                                                 _origin(settings.CMS_AUTH_URL)) if x))
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; connect-src {connect}; frame-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'none'")


def _origin(url: str) -> str:
    parts = url.split("/")
    return "/".join(parts[:3]) if len(parts) > 2 else ""


def page(settings: Settings) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp(settings)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Redaktion – {_escape(settings.SITENAME)}</title>
<link rel="icon" type="image/svg+xml" href="../theme/img/favicon.svg">
<script src="manual-init.js"></script>
<script src="decap/decap-cms.js"></script>
<script type="module" src="desk.mjs"></script>
</head>
<body>
<noscript>Die Redaktion braucht JavaScript.</noscript>
</body>
</html>
""".encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def repository_folder(content: Path) -> str:
    """The content folder relative to its git repository's root (``content``); the folder's
    own name when it is in none (the proxy then refuses to start, saying so)."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=content,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return content.resolve().name
    return content.resolve().relative_to(Path(top).resolve()).as_posix() or "."


def files(settings: Settings, site: Site) -> Iterator[tuple[str, bytes]]:
    """Every file of ``/admin/``, path and bytes, in a fixed order."""
    modules = node_modules(settings)
    missing = [name for name in PACKAGES if not (modules / name / "package.json").is_file()]
    if missing:
        raise ConfigError([f"CMS: the editing desk needs the npm packages {', '.join(missing)} "
                           f"in {modules}: run `npm ci` there (scripts/ensure-test-tools)"],
                          "settings")
    settings_config = cms_config.config(settings, repository_folder(Path(settings.PATH)))
    topics = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.name))
    settings_config["meldungen"] = {
        "timezone": settings.TIMEZONE,
        "topics": [t.name for t in topics],
        "root": settings.SITEURL,
        "source": settings.DEFAULT_SOURCE,
        "imageCredit": settings.DEFAULT_IMAGE_CREDIT,
    }
    yield "admin/index.html", page(settings)
    yield "admin/config.json", (json.dumps(settings_config, ensure_ascii=False, indent=1)
                                + "\n").encode()
    theme = Path(settings.THEME) / "admin"
    for path in sorted(theme.iterdir()):
        if path.is_file():
            yield f"admin/{path.name}", path.read_bytes()
    for name, (package, inner) in sorted(_LIBRARIES.items()):
        yield f"admin/lib/{name}", (modules / package / inner).read_bytes()
    dist = modules / "decap-cms" / "dist"
    for path in sorted(dist.iterdir()):
        # Decap's build loads its chunks (*.decap-cms.js) and WebAssembly beside itself.
        if path.name.endswith(("decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")):
            yield f"admin/decap/{path.name}", path.read_bytes()
