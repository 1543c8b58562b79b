"""Full-text search over headlines, quotations and evidence, in an SQLite FTS5 index beside the store.

SPARQL stores have no text index (Oxigraph has none), and ``CONTAINS`` over every literal is a scan.
``Store`` keeps this index in step with the graph: a graph replacement replaces the article's rows
(their text is taken from the graph when it is prepared, so worker processes pay for it), a delete
removes them. Each row is one text and the IRI of the resource it belongs to, so every hit joins
back to the graph (``/entities``, ``/quotes``, the article).

An ``oxigraph:PATH`` store keeps its index in ``PATH-search.sqlite``; a store opened without one (a
``memory:`` store, or an index file made before its store) is indexed from the graph on first search.
The query is words, not FTS5 syntax: each word is matched as a term (any case, accents folded), and
a hit holds them all, ranked by BM25.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from kg.errors import ConfigError, StoreError, StoreUnwritable

SCHEMA_HEADLINE = "https://schema.org/headline"
WWII_TEXT = "https://w3id.org/wwiikg/ontology#text"
OA_EXACT = "http://www.w3.org/ns/oa#exact"
KIND_BY_PREDICATE = {SCHEMA_HEADLINE: "title", WWII_TEXT: "quote", OA_EXACT: "evidence"}
SEARCH_KINDS = ("title", "quote", "evidence")
MAX_WORDS = 16
_WORD = re.compile(r"\w+")

Row = tuple[str, str, str]  # (iri, kind, text)


@dataclass(frozen=True)
class Hit:
    """One text that matches: the resource it belongs to, its article, and the matching part."""

    iri: str
    kind: str  # title, quote, evidence
    article: str
    text: str
    snippet: str  # the text around the matches, each match in [brackets]


def texts(graph: Graph | Iterable[tuple[Any, Any, Any]]) -> tuple[Row, ...]:
    """The rows ``graph`` (or its triples) puts in the index: its headlines, quotations and evidence spans."""
    rows = []
    for s, p, o in graph:
        kind = KIND_BY_PREDICATE.get(str(p))
        if kind is not None and isinstance(s, URIRef):
            rows.append((str(s), kind, str(o)))
    return tuple(sorted(rows))


def match_expression(q: str) -> str:
    """The FTS5 query for the words of ``q``: each word a quoted term, all required."""
    words = _WORD.findall(q)
    if not words:
        raise ConfigError("q must hold at least one word")
    if len(words) > MAX_WORDS:
        raise ConfigError(f"q may hold at most {MAX_WORDS} words")
    return " ".join(f'"{w}"' for w in words)


class TextIndex:
    """The index file (or an in-memory index), safe to use from several threads."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._db = self._connect(path, read_only)
            # until the whole graph has been indexed once, the index may miss articles stored before it
            self.fresh = self._db.execute("SELECT value FROM meta WHERE key = 'built'").fetchone() is None
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the text index {path}: {exc}") from exc

    @staticmethod
    def _connect(path: Path | None, read_only: bool) -> sqlite3.Connection:
        """The index file; read-only, one that was built; otherwise one in memory, built on first search."""
        if path is not None and read_only and path.exists():
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            try:
                if db.execute("SELECT value FROM meta WHERE key = 'built'").fetchone() is not None:
                    return db
            except sqlite3.Error:
                pass
            db.close()
        where = ":memory:" if path is None or read_only else str(path)
        db = sqlite3.connect(where, check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(text, iri UNINDEXED, kind UNINDEXED, "
            "article UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
        )
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        return db

    @classmethod
    def beside(cls, store_path: str | Path, *, read_only: bool = False) -> TextIndex:
        """The index of the on-disk store at ``store_path``."""
        where = Path(store_path)
        return cls(where.with_name(where.name + "-search.sqlite"), read_only=read_only)

    def replace(self, article: str, rows: Iterable[Row]) -> None:
        """The article's rows, replacing any it had."""
        with self._lock, _errors(), self._db:  # one transaction
            self._db.execute("DELETE FROM texts WHERE article = ?", (article,))
            self._db.executemany(
                "INSERT INTO texts (text, iri, kind, article) VALUES (?, ?, ?, ?)",
                [(text, iri, kind, article) for iri, kind, text in rows],
            )

    def rebuild(self, rows: Iterable[tuple[str, Row]]) -> None:
        """The whole index from ``(article, row)`` pairs (a store indexed for the first time)."""
        by_article: dict[str, list[Row]] = {}
        for article, row in rows:
            by_article.setdefault(article, []).append(row)
        with self._lock, _errors(), self._db:
            self._db.execute("DELETE FROM texts")
            self._db.executemany(
                "INSERT INTO texts (text, iri, kind, article) VALUES (?, ?, ?, ?)",
                [(text, iri, kind, article) for article, rows in by_article.items() for iri, kind, text in rows],
            )
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('built', '1')")
        self.fresh = False

    def delete(self, article: str) -> None:
        with self._lock, _errors(), self._db:
            self._db.execute("DELETE FROM texts WHERE article = ?", (article,))

    def search(self, q: str, *, kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
        """The total number of hits for ``q`` and one page of them, best first."""
        if kind is not None and kind not in SEARCH_KINDS:
            raise ConfigError(f"unknown kind {kind[:40]!r}; use one of {', '.join(SEARCH_KINDS)}")
        match = match_expression(q)
        where = "texts MATCH ?" + (" AND kind = ?" if kind else "")
        args: tuple[str, ...] = (match, kind) if kind else (match,)
        with self._lock, _errors():
            (total,) = self._db.execute(f"SELECT COUNT(*) FROM texts WHERE {where}", args).fetchone()
            rows = self._db.execute(
                f"SELECT iri, kind, article, text, snippet(texts, 0, '[', ']', '…', 16) FROM texts "
                f"WHERE {where} ORDER BY rank, iri LIMIT ? OFFSET ?",
                (*args, limit, offset),
            ).fetchall()
        return int(total), [Hit(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreUnwritable(f"the text index failed: {exc}") from exc


__all__ = ["SEARCH_KINDS", "Hit", "TextIndex", "match_expression", "texts"]
