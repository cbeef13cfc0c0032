"""Settings for publishing: pelicanconf.py plus the public address (Pelican's convention).

    meldungen build -s publishconf.py        (or: pelican content -s publishconf.py)

Every link, feed entry and sitemap URL becomes absolute under SITEURL. CI passes the real
GitHub Pages address in MELDUNGEN_SITEURL; the default below is only a placeholder.
"""

import os
import runpy
from pathlib import Path

# Loaded by path, not `from pelicanconf import *`: that would depend on the working folder
# and could pick up another site's pelicanconf module already imported in the same process.
_base = runpy.run_path(str(Path(__file__).resolve().with_name("pelicanconf.py")))
globals().update({key: value for key, value in _base.items() if key.isupper()})

SITEURL = os.environ.get("MELDUNGEN_SITEURL", "https://example.github.io/meldungen").rstrip("/")
RELATIVE_URLS = False
# Meldungen writes its own Atom feeds (feeds/alle.atom.xml and one per Kategorie); with
# SITEURL set their links are absolute. Pelican's own feeds stay off, as in pelicanconf.py.
FEED_DOMAIN = SITEURL
