"""Errors raised by the library.

Library code raises only these; ``kg.cli`` prints one line per error and exits non-zero, and
``api`` maps each class to one HTTP status in a single exception handler::

    KGError
    ├── ArticleError          an input file or payload cannot be read as an article
    │   ├── UnsupportedFormat     unknown extension or media type
    │   ├── EmptyArticle          no text after parsing
    │   ├── InvalidText           a field holds a lone surrogate or a control character
    │   ├── FeedError             a feed is not RSS or Atom XML
    │   └── WarcError             a WARC file or record is malformed or truncated
    ├── FetchError            a URL cannot be fetched (HTTP error, too large, unreachable)
    │   ├── FetchTimeout          no answer in time, after the retries
    │   └── FetchRefused          we will not fetch it: robots.txt, a private address, not http(s)
    ├── StoreError            the store cannot be opened, read or written
    │   ├── StoreLocked           another process holds the on-disk store for writing
    │   ├── StoreUnwritable       its storage failed a write (disk full, I/O error, server gone)
    │   └── UnstorableGraph       a graph the store would refuse (checked before it is sent)
    ├── NotFound              no article or entity with that identifier
    ├── QueryError            a SPARQL query is malformed or refused
    │   └── QueryRefused          valid SPARQL that the endpoint will not run (updates, SERVICE...)
    ├── ValidationFailed      an article graph does not pass the SHACL shapes
    ├── ClusterError          a Dask cluster cannot be reached, started or used
    └── ConfigError           a setting (store spec, date...) is malformed
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error the library raises on purpose."""


class ArticleError(KGError):
    """An input file or payload cannot be read as an article."""


class UnsupportedFormat(ArticleError):
    """The file extension or media type is not one we read."""


class EmptyArticle(ArticleError):
    """The article has no text once parsed."""


class InvalidText(ArticleError):
    """A text field is not storable text: a lone surrogate, or a control character other than tab and line ends."""


class FeedError(ArticleError):
    """A feed is not well-formed RSS or Atom."""


class WarcError(ArticleError):
    """A WARC file or one of its records is malformed or truncated."""


class FetchError(KGError):
    """A URL cannot be fetched: an HTTP error status, a body over the size cap, a network failure."""


class FetchTimeout(FetchError):
    """The server did not answer in time, retries included."""


class FetchRefused(FetchError):
    """A URL we will not fetch: robots.txt disallows it, it is private or loopback, or not http(s)."""


class StoreError(KGError):
    """The store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the on-disk store open for writing."""


class StoreUnwritable(StoreError):
    """The store's storage failed a write (disk full, an I/O error, a server gone): nothing more can be written."""


class UnstorableGraph(StoreError):
    """A graph that the store would refuse, found before it is sent, so no pending write holds it."""


class NotFound(KGError):
    """No article or entity with that identifier."""


class QueryError(KGError):
    """A SPARQL query is malformed or cannot be run."""


class QueryRefused(QueryError):
    """A well-formed query that the endpoint refuses to run."""


class ValidationFailed(KGError):
    """An article graph does not conform to the SHACL shapes."""


class ClusterError(KGError):
    """A Dask cluster cannot be reached or started, or its workers cannot run the pipeline."""


class ConfigError(KGError):
    """A setting is malformed."""


__all__ = [
    "ArticleError",
    "ClusterError",
    "ConfigError",
    "EmptyArticle",
    "FeedError",
    "FetchError",
    "FetchRefused",
    "FetchTimeout",
    "InvalidText",
    "KGError",
    "NotFound",
    "QueryError",
    "QueryRefused",
    "StoreError",
    "StoreLocked",
    "StoreUnwritable",
    "UnstorableGraph",
    "UnsupportedFormat",
    "ValidationFailed",
    "WarcError",
]
