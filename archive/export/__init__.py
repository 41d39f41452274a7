"""Export: writing the static catalogue website (see archive.export.site)."""
