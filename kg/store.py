"""The one door to the graph: ``Store`` over a backend (``kg.backends``), whatever the backend.

Backends, chosen by one spec string (``KG_STORE`` or ``--store``) through the registry in
``kg.backends``:

- ``oxigraph:PATH``  embedded Oxigraph on disk (the default, ``oxigraph:data/store``);
- ``memory:``        in-memory Oxigraph, for tests and one-off extraction;
- ``sparql:QUERY_URL[,UPDATE_URL]``  any SPARQL 1.1 Query + Update server;
- ``virtuoso:URL``   Virtuoso Open Source at its SPARQL endpoint (``kg.backends.virtuoso``);

and the API's supervised engine (``kg.backends.engine``), passed in as a ``Backend``.

Every reader (the JSON routes, the report, analytics, frames, the CLI) reads through ``Store``, so
each gets the backend's retry, time limit and term conversion; queries are the ``kg/queries/*.rq``
files with parameters bound by ``kg.sparql``. Every article lives in its own named graph.
``put_article`` replaces that graph in one SPARQL update, which both Oxigraph and SPARQL 1.1 servers
apply atomically: a reader sees the old graph or the new one, never half of either. Queries go to
the backend's own engine, never to rdflib's, which is orders of magnitude slower on large graphs.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg.backends import Backend, Capabilities, StoreSpec, open_backend
from kg.errors import NotFound, QueryError, StoreError, UnstorableGraph
from kg.listing import LEADERS_VIEW, SPREAD_VIEW, listing_graph, listing_name, view_keys
from kg.namespaces import ID, ONTOLOGY_GRAPH, WWII
from kg.sparql import QUERY_DIR, Binding, bind, bind_values, load_query, query_names
from kg.sparql import prepare as prepare_query
from kg.sparql import term as _term
from kg.textindex import KIND_BY_PREDICATE, Hit, texts

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "wwii.ttl"
DEFAULT_STORE = "oxigraph:data/store"


@dataclass(frozen=True)
class PreparedGraph:
    """A named graph as the one SPARQL update that replaces it: cheap to send between processes."""

    name: URIRef
    body: str  # the graph's replacement: its drop and its insert
    triples: int
    texts: tuple[tuple[str, str, str], ...] = ()  # its rows of the full-text index (kg.textindex)
    head: str = ""  # what must run first: the views' entries of the stored graph marked (kg.listing)
    tail: str = ""  # what must run last: the views' entries of the new graph marked and counted again

    @property
    def update(self) -> str:
        """The one update: ``head``, ``body`` and ``tail`` in that order."""
        return " ;\n".join(part for part in (self.head, self.body, self.tail) if part)

    def without_views(self) -> PreparedGraph:
        """This replacement without the views' part (``kg.listing``), for a bulk write that builds
        the views once at its end (``Store.rebuild_views``)."""
        return replace(self, head="", tail="")

    def extended(self, graph: Graph) -> PreparedGraph:
        """This replacement with ``graph``'s triples added to the same named graph, still one update
        (before the views are counted again, so that they count them)."""
        if graph.identifier != self.name:
            raise StoreError(f"cannot add graph {graph.identifier} to graph {self.name}")
        iri, body = _insert_body(graph)
        return replace(
            self,
            body=f"{self.body} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}",
            triples=self.triples + len(graph),
            texts=self.texts + texts(graph),
        )


def _insert_body(graph: Graph | tuple[Identifier, Iterable[tuple[Any, Any, Any]]]) -> tuple[str, str]:
    """The graph's (or a name's and its triples') name and triples as SPARQL text."""
    name, triples = (graph.identifier, graph) if isinstance(graph, Graph) else graph
    if not isinstance(name, URIRef):
        raise UnstorableGraph("only graphs named by an IRI can be stored")
    text: dict[Any, str] = {}  # each term serialised once: an article's IRIs recur in many triples

    def term(t: Any) -> str:
        out = text.get(t)
        if out is None:
            out = text[t] = _term(t)
        return out

    try:
        # strict serialisation: rdflib's n3() breaks on text with a newline that ends in \"
        body = "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples)
    except QueryError as exc:
        raise UnstorableGraph(f"cannot store graph {name}: {exc}") from exc
    if m := _UNENCODABLE.search(body):
        raise UnstorableGraph(
            f"cannot store graph {name}: it holds a lone surrogate (U+{ord(m.group()):04X}), which UTF-8 cannot encode"
        )
    return _term(name), body


def prepare(graph: Graph | tuple[URIRef, list[tuple[Any, Any, Any]]]) -> PreparedGraph:
    """``DROP SILENT GRAPH g ; INSERT DATA { GRAPH g { ... } }`` for ``graph`` (named by an IRI), or
    for a name and its (distinct) triples, as ``kg.mapping.to_triples`` gives them. An article
    graph's listing graph (``kg.listing``) is replaced in the same update."""
    iri, body = _insert_body(graph)
    name, triples = (graph.identifier, graph) if isinstance(graph, Graph) else graph
    drop, insert = f"DROP SILENT GRAPH {iri}", f"GRAPH {iri} {{\n{body}\n}}"
    listing = listing_graph(URIRef(name), triples)
    if listing is None:
        return PreparedGraph(URIRef(name), f"{drop} ;\nINSERT DATA {{ {insert} }}", len(triples), texts(triples))
    listing_iri, listing_body = _insert_body(listing)
    drop += f" ;\nDROP SILENT GRAPH {listing_iri}"
    insert += f"\nGRAPH {listing_iri} {{\n{listing_body}\n}}"
    before, after = _view_updates(URIRef(name), triples)
    body = f"{drop} ;\nINSERT DATA {{ {insert} }}"
    return PreparedGraph(URIRef(name), body, len(triples), texts(triples), head=before, tail=after)


def _view_updates(article: URIRef, triples: Iterable[tuple[Any, Any, Any]] = ()) -> tuple[str, str]:
    """The views' part of an update that writes or drops ``article`` (``kg.listing``): what to run
    before (mark the people the stored graph names a leader, the groups its figures count and the
    dates of its events; give back its listing's tallies to the counts view) and after (mark those of
    the new graph's ``triples``, count every marked one again, add the new listing's tallies). The
    counts are kept by difference, so they assume a built view; a rebuild (``Store.rebuild_views``)
    follows any write that leaves it behind."""
    article_term, listing_term = _term(article), _term(listing_name(article) or article)
    before = _marks_template().replace(_ARTICLE_SLOT, article_term).replace(_LISTING_SLOT, listing_term)
    people, groups = view_keys(triples)
    after = ""
    for view, keys in ((LEADERS_VIEW, people), (SPREAD_VIEW, groups)):
        if keys:
            marks = " ".join(f"{_term(k)} <{WWII.stale}> true ." for k in keys)
            after += f"INSERT DATA {{ GRAPH <{view}> {{ {marks} }} }} ;\n"
    after += _timeline_mark_template().replace(_ARTICLE_SLOT, article_term).replace(_LISTING_SLOT, listing_term)
    after += " ;\n"  # the dates as stored
    after += " ;\n".join(load_query(f"{v}_view_refresh") for v in _VIEW_NAMES if v != "counts")
    take = _counts_take_template().replace(_ARTICLE_SLOT, article_term).replace(_LISTING_SLOT, listing_term)
    return before, f"{after} ;\n{take}"


_VIEW_NAMES = ("leaders", "spread", "timeline", "counts")  # kg/queries/{name}_view_*.rq


_ARTICLE_SLOT = "<urn:wwiikg:article>"
_LISTING_SLOT = "<urn:wwiikg:listing>"
_SLOTS = {"article": URIRef(_ARTICLE_SLOT[1:-1]), "listing": URIRef(_LISTING_SLOT[1:-1])}


@functools.cache
def _marks_template() -> str:
    """The marking part of ``_view_updates`` with placeholders for the article and its listing graph
    (binding is costly)."""
    return " ;\n".join(prepare_query(f"{v}_view_mark", _SLOTS) for v in _VIEW_NAMES)


@functools.cache
def _timeline_mark_template() -> str:
    return prepare_query("timeline_view_mark", _SLOTS)


@functools.cache
def _counts_take_template() -> str:
    return prepare_query("counts_view_take", _SLOTS)


class Store:
    """A dataset of article graphs with atomic per-article writes and native SPARQL."""

    def __init__(self, spec: str | Backend = DEFAULT_STORE, *, read_only: bool = False) -> None:
        self.backend = spec if isinstance(spec, Backend) else open_backend(spec, read_only=read_only)
        self.read_only = read_only
        self.text_index = self.backend.text_index(read_only=read_only)
        # Updates sent through this Store. With ``sole_writer`` (set by an owner that knows nothing
        # else writes the store: the API over its own engine), what a reader saw at one count is
        # still so at the same count: the timeline keeps its view's shape (kg.facts.timeline).
        self.writes = 0
        self.sole_writer = False

    @property
    def capabilities(self) -> Capabilities:
        return self.backend.capabilities

    @property
    def native(self) -> Any:
        """The Oxigraph store object behind an embedded backend, for bulk loaders (None otherwise)."""
        return self.backend.native

    def flush(self) -> None:
        """Write buffered changes to durable storage (a no-op for remote servers)."""
        self.backend.flush()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.text_index is not None:
                self.text_index.close()
            self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self.close()
            return
        with contextlib.suppress(StoreError):  # closing fails too on a full disk; the error in flight says more
            self.close()

    # --- queries -------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run SPARQL on the backend's own engine, values bound by ``kg.sparql.bind``; rdflib terms."""
        return self.backend.query(bind(sparql, bindings) if bindings else sparql)

    def named(self, name: str, **bindings: Identifier) -> Result:
        """Run the named query ``kg/queries/{name}.rq`` with bound parameters."""
        return self.query(load_query(name), bindings)

    def rows(self, name: str, **bindings: Identifier) -> list[dict[str, Any]]:
        """A named SELECT as a list of dicts of Python values (``None`` for unbound)."""
        result = self.named(name, **bindings)
        names = [str(v) for v in (result.vars or [])]
        return [{n: _py(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]

    def select(
        self,
        name: str,
        bindings: Mapping[str, Binding | None] | None = None,
        *,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of a named SELECT as dicts of plain values (``int``, ``float``, ``bool``, ``str``,
        ``None`` when unbound), read without rdflib's term conversion (about 20 µs a term). ``None``
        bindings stay unbound; ``limit``/``offset`` page a query written with ``LIMIT 50 OFFSET 0``."""
        text = prepare_query(name, bindings, limit=limit, offset=offset, lateral=self.capabilities.lateral)
        return self.backend.select(text)

    def construct(self, name: str, bindings: Mapping[str, Identifier | None], media_type: str) -> bytes | None:
        """A named CONSTRUCT serialised by the backend as ``media_type``; None when it cannot."""
        return self.backend.construct(prepare_query(name, bindings, lateral=self.capabilities.lateral), media_type)

    def triples(self, name: str, bindings: Mapping[str, Identifier | None]) -> list[tuple[Any, Any, Any]]:
        """The triples a named CONSTRUCT builds, as rdflib terms (plain literals without ``xsd:string``)."""
        body = self.construct(name, bindings, "application/n-triples")
        if body is not None:
            graph = Graph().parse(data=body.decode("utf-8"), format="nt")
            return [(_plain(s), _plain(p), _plain(o)) for s, p, o in graph]
        result = self.backend.query(prepare_query(name, bindings))
        return [(_plain(s), _plain(p), _plain(o)) for s, p, o in result]  # type: ignore[misc]

    def search(self, q: str, *, kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
        """Full-text search of headlines, quotations and evidence (``kg.textindex``): the number of
        hits and one page of them, best first; each hit names its resource and its article."""
        index = self.text_index
        if index is None:
            raise StoreError("this store has no full-text index: search needs an oxigraph: or memory: store")
        if index.fresh:
            rows = self.select("search_texts")
            index.rebuild((r["article"], (r["s"], KIND_BY_PREDICATE[r["p"]], r["text"])) for r in rows)
        return index.search(q, kind=kind, limit=limit, offset=offset)

    # --- graphs --------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def put_graph(self, graph: Graph) -> None:
        """Replace the named graph ``graph.identifier`` with ``graph``, all or nothing."""
        self.put_prepared(prepare(graph))

    def put_prepared(self, prepared: PreparedGraph) -> None:
        """Apply a graph replacement made by ``prepare`` (possibly in another process, possibly
        ``without_views``)."""
        self._writable()
        self._update(prepared.update)
        if self.text_index is not None:
            self.text_index.replace(str(prepared.name), prepared.texts)

    def delete_graph(self, name: URIRef) -> None:
        """Remove one named graph and nothing else; ``NotFound`` when it is absent."""
        self._writable()
        if not self.has_graph(name):
            raise NotFound(f"no graph {name}")
        listing = listing_name(name)
        if listing is None:
            self._update(f"DROP GRAPH {_term(name)}")
        else:  # the article, its listing and its part of the leaders view, in one update
            before, after = _view_updates(name)
            drop = f"DROP SILENT GRAPH {_term(name)} ;\nDROP SILENT GRAPH {_term(listing)}"
            self._update(f"{before} ;\n{drop} ;\n{after}")
        if self.text_index is not None:
            self.text_index.delete(str(name))

    def _update(self, text: str) -> None:
        if m := _UNENCODABLE.search(text):  # checked before it is sent: no pending write can hold it
            raise UnstorableGraph(f"update refused: a lone surrogate (U+{ord(m.group()):04X}) cannot be stored")
        try:
            self.backend.update(text)
        finally:  # counted once it is done (or failed): a read that began before it counts less
            self.writes += 1

    def has_graph(self, name: URIRef) -> bool:
        return bool(self.named("has_graph", g=name).askAnswer)

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph."""
        out = Graph(identifier=name)
        for row in self.named("graph_triples", g=name):
            s, p, o = (_plain(t) for t in row)  # type: ignore[union-attr]
            out.add((s, p, o))
        if not len(out):
            raise NotFound(f"no graph {name}")
        return out

    def graph_names(self) -> list[URIRef]:
        return [row[0] for row in self.named("graph_names")]  # type: ignore[index,misc]

    def quads(self) -> Iterator[tuple[Any, Any, Any, Any]]:
        for row in self.named("all_quads"):
            s, p, o, g = (_plain(t) for t in row)  # type: ignore[union-attr]
            yield s, p, o, g

    # --- articles ------------------------------------------------------------------------

    def put_article(self, graph: Graph) -> None:
        """Store an article graph (its identifier is the article IRI), replacing any earlier one."""
        self.put_graph(graph)

    def resolve_article(self, ref: str) -> URIRef:
        """An article IRI from an IRI, a 16-hex id, or a unique id prefix."""
        ref = ref.strip()
        if ref.startswith(("http://", "https://")):
            iri = URIRef(ref)
            if self.has_graph(iri):
                return iri
            raise NotFound(f"no article {ref}")
        matches = [g for g in self.graph_names() if str(g).startswith(str(ID["article/"]) + ref)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFound(f"no article {ref!r}")
        raise NotFound(f"article id {ref!r} is ambiguous ({len(matches)} matches); give more characters")

    def ensure_ontology(self) -> None:
        """Load ``ontology/wwii.ttl`` into its own graph when absent, so queries can use labels."""
        if self.read_only or self.has_graph(ONTOLOGY_GRAPH) or not ONTOLOGY_FILE.is_file():
            return
        graph = Graph(identifier=ONTOLOGY_GRAPH)
        graph.parse(ONTOLOGY_FILE, format="turtle")
        self.put_graph(graph)

    def ensure_listings(self) -> int:
        """Write the listing graph (``kg.listing``) of every article graph stored without one (by an
        older version, or loaded in bulk), each in one update, and build the views (leaders, spread,
        timeline, counts) again if any listing was written or a view was never built; the number of
        listings written."""
        if self.read_only:
            return 0
        written = 0
        for row in self.select("listings_missing"):
            name = URIRef(row["g"])
            listing = listing_graph(name, list(self.graph(name)))
            if listing is None:
                continue
            iri, body = _insert_body(listing)
            self._update(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}")
            written += 1
        if written or not all(self.named(f"{view}_view_ready").askAnswer for view in _VIEW_NAMES):
            self.rebuild_views()  # the listings written were in no view
        return written

    def suspend_views(self) -> None:
        """Mark the views (``kg.listing``) as not built, before writes that leave them behind
        (``PreparedGraph.without_views``) until ``rebuild_views``; should that never come, the next
        ``ensure_listings`` builds them."""
        self._writable()
        self._update(load_query("views_suspend"))

    def rebuild_views(self) -> None:
        """Build the views (``kg.listing``: leaders, casualty spread, timeline, counts) again from every
        article graph and listing graph, in one update."""
        self._writable()
        rebuild = (load_query(f"{view}_view_rebuild") for view in _VIEW_NAMES)
        refresh = (load_query(f"{view}_view_refresh") for view in _VIEW_NAMES if view != "leaders")
        self._update(" ;\n".join((*rebuild, *refresh)))

    def stats(self) -> dict[str, int]:
        row = self.rows("stats")[0]
        return {k: int(v or 0) for k, v in row.items()}


def _plain(term: Any) -> Any:
    """``"x"^^xsd:string`` (how oxrdflib returns every plain literal) as rdflib's equal-comparing ``"x"``."""
    if isinstance(term, Literal) and term.datatype == _XSD_STRING and not term.language:
        return Literal(str(term))
    return term


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
_UNENCODABLE = re.compile("[\ud800-\udfff]")

__all__ = [
    "DEFAULT_STORE",
    "QUERY_DIR",
    "PreparedGraph",
    "Store",
    "StoreSpec",
    "bind_values",
    "load_query",
    "prepare",
    "query_names",
]
