"""Files: what kind a file is, its technical metadata, and its derivatives."""
