"""Records of the archive: the SQLite catalogue, its queries and the whoosh index."""
