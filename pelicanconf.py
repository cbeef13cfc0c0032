"""Settings for `pelican content -s pelicanconf.py` and the `meldungen` command.

Every Meldungen key is documented in generator/settings.py (and README's table); unknown keys
are refused with a hint. Pelican's own keys are accepted as usual.
"""

SITENAME = "Meldungen"
SITE_DESCRIPTION = "Nachrichtenarchiv der dts Nachrichtenagentur"
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"

PLUGINS = ["generator.plugin"]

CATEGORIES = ["Ausland", "Inland", "Politik", "Wirtschaft", "Börse", "Vermischtes", "Sport"]
DEFAULT_SOURCE = "dts-nachrichtenagentur.de"
RELATED_COUNT = 6
PAGE_SIZE = 20
HOME_COUNT = 20
FEED_COUNT = 30

# Meldungen writes its own feeds; this only keeps Pelican from warning about its defaults.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
