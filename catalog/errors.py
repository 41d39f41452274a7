"""Errors raised by the catalogue layer."""


class CatalogError(Exception):
    """A catalogue operation could not be done; the message says why."""


class UnknownKey(CatalogError):
    """No item, or more than one item, matches a key or key prefix."""


class InvalidValue(CatalogError):
    """A field was given a value it cannot hold."""


class QueryError(CatalogError):
    """A search query could not be understood; the message says what to type instead."""


class SearchError(CatalogError):
    """The search index could not be used; the message says why."""


class IndexMissing(SearchError):
    """The index folder holds no readable index; rebuild it."""


class IndexBusy(SearchError):
    """Another process kept the index locked for longer than the timeout."""
