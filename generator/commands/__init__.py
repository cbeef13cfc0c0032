"""One module per ``meldungen`` verb; each exposes ``command`` (a click command)."""
