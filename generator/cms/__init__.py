"""The editing desk at ``/admin/``: Decap CMS, configured from the settings and the article
format (``config``), its files in a build made for editing (``desk``), and the local
editing proxy beside ``meldungen serve --cms`` (``proxy``)."""
