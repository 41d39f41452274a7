"""The application: command line, archive folder, ingest, export and upkeep."""

__version__ = "0.1.0"
