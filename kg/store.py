"""The one facade over the rdflib ``Dataset`` that holds the graph, whatever the backend.

Backends, chosen by one spec string (``KG_STORE`` or ``--store``):

- ``oxigraph:PATH``  embedded Oxigraph on disk through oxrdflib (the default, ``oxigraph:data/store``);
- ``memory:``        in-memory Oxigraph, for tests and one-off extraction;
- ``sparql:QUERY_URL[,UPDATE_URL]``  any SPARQL 1.1 Query + Update server through rdflib's
  ``SPARQLUpdateStore``.

Every article lives in its own named graph. ``put_article`` replaces that graph in one SPARQL
update, which both Oxigraph and SPARQL 1.1 servers apply atomically: a reader sees the old graph or
the new one, never half of either. Queries go to the backend's own engine (Oxigraph's, or the
server's), never to rdflib's, which is orders of magnitude slower on large graphs.
"""

from __future__ import annotations

import contextlib
import functools
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import ConfigError, NotFound, QueryError, StoreError, StoreLocked, StoreUnwritable, UnstorableGraph
from kg.namespaces import ID, ONTOLOGY_GRAPH

T = TypeVar("T")
QUERY_DIR = Path(__file__).parent / "queries"
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "wwii.ttl"
DEFAULT_STORE = "oxigraph:data/store"


@dataclass(frozen=True)
class StoreSpec:
    """A parsed backend spec."""

    kind: str  # oxigraph, memory, sparql
    path: str | None = None
    query_url: str | None = None
    update_url: str | None = None

    @classmethod
    def parse(cls, spec: str) -> StoreSpec:
        kind, _, rest = spec.partition(":")
        kind = kind.strip().lower()
        if kind == "memory":
            return cls("memory")
        if kind == "oxigraph":
            if not rest:
                raise ConfigError("store spec 'oxigraph:' needs a path, e.g. oxigraph:data/store")
            return cls("oxigraph", path=rest)
        if kind == "sparql":
            query_url, _, update_url = rest.partition(",")
            if not query_url.startswith(("http://", "https://")):
                raise ConfigError(f"store spec 'sparql:' needs a query URL, got {rest!r}")
            return cls("sparql", query_url=query_url, update_url=update_url or query_url)
        raise ConfigError(f"unknown store {spec!r}; use oxigraph:PATH, memory: or sparql:QUERY_URL[,UPDATE_URL]")


@functools.cache
def load_query(name: str) -> str:
    """The text of ``kg/queries/{name}.rq``."""
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


@dataclass(frozen=True)
class PreparedGraph:
    """A named graph as the one SPARQL update that replaces it: cheap to send between processes."""

    name: URIRef
    update: str
    triples: int

    def extended(self, graph: Graph) -> PreparedGraph:
        """This replacement with ``graph``'s triples added to the same named graph, still one update."""
        if graph.identifier != self.name:
            raise StoreError(f"cannot add graph {graph.identifier} to graph {self.name}")
        iri, body = _insert_body(graph)
        update = f"{self.update} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}"
        return PreparedGraph(self.name, update, self.triples + len(graph))


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
    for a name and its (distinct) triples, as ``kg.mapping.to_triples`` gives them."""
    iri, body = _insert_body(graph)
    update = f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}"
    name, size = (graph.identifier, len(graph)) if isinstance(graph, Graph) else (graph[0], len(graph[1]))
    return PreparedGraph(URIRef(name), update, size)


class Store:
    """A dataset of article graphs with atomic per-article writes and native SPARQL."""

    def __init__(self, spec: str = DEFAULT_STORE, *, read_only: bool = False) -> None:
        self.spec = StoreSpec.parse(spec)
        self.read_only = read_only
        self.dataset = self._open()

    def _open(self) -> Dataset:
        spec = self.spec
        if spec.kind == "sparql":
            from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

            remote = SPARQLUpdateStore(
                query_endpoint=spec.query_url,
                update_endpoint=spec.update_url,
                method="POST",
                returnFormat="json",
                autocommit=True,
            )
            # default_union: without it Oxigraph server and others answer nothing for GRAPH ?g
            return Dataset(store=remote, default_union=True)
        from oxrdflib import OxigraphStore
        from pyoxigraph import Store as OxStore

        if spec.kind == "memory":
            return Dataset(store=OxigraphStore(store=OxStore()), default_union=True)
        path = Path(spec.path or "")
        try:
            if self.read_only:
                if not path.exists():
                    raise StoreError(f"no store at {path}; run `kg ingest` first")
                inner = OxStore.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                inner = OxStore(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"the store at {path} is open in another process (a running `kg serve`?); "
                    "stop it or use its /sparql"
                ) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        return Dataset(store=OxigraphStore(store=inner), default_union=True)

    @property
    def native(self) -> Any:
        """The ``pyoxigraph.Store`` behind an Oxigraph backend (None for a remote server)."""
        return getattr(self.dataset.store, "_inner", None) if self.spec.kind != "sparql" else None

    def flush(self) -> None:
        """Write buffered changes to disk (a no-op for remote servers)."""
        native = self.native
        if native is not None and not self.read_only:
            try:
                native.flush()
            except OSError as exc:
                raise StoreUnwritable(f"cannot write the store to disk: {_first_line(exc)}") from exc

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.dataset.close()

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
        """Run SPARQL on the backend's own engine, with values bound by an inline ``VALUES`` block.

        The block opens the query's outer ``WHERE`` group, so bound variables are in scope for its
        filters and joins. Values are serialised strictly (escaped literals, checked IRIs), never
        pasted as text. (pyoxigraph 0.5 substitutes only projected variables, so rdflib's
        ``initBindings`` cannot be used there.)
        """
        text = bind_values(sparql, bindings) if bindings else sparql
        if self.spec.kind == "sparql":
            # SPARQL JSON keeps literals exactly (XML results fold \r\n), but only the XML request
            # also accepts the RDF/XML a server answers CONSTRUCT and DESCRIBE with
            graph_query = _GRAPH_FORM.search(_PROLOGUE.sub("", text))
            self.dataset.store.returnFormat = "xml" if graph_query else "json"  # type: ignore[attr-defined]
        try:
            result = self.dataset.query(text)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {_first_line(exc)}") from exc
        except Exception as exc:  # SPARQLWrapper / urllib errors from a remote server
            if type(exc).__module__.startswith(("SPARQLWrapper", "urllib")):
                raise StoreError(f"SPARQL server error: {_first_line(exc)}") from exc
            raise
        if isinstance(result, tuple):  # rdflib's SPARQLConnector returns (status, reason, None) on HTTP errors
            status, reason = result[0], result[1]
            if status == 400:
                raise QueryError(f"malformed SPARQL: {self._server_reason(text) or reason}")
            raise StoreError(f"SPARQL server error: {reason}")
        return result

    def _server_reason(self, text: str) -> str | None:
        """The first line of the server's answer to a query it refused (rdflib drops the body)."""
        if not self.spec.query_url:
            return None
        request = urllib.request.Request(
            self.spec.query_url, data=text.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10):
                return None
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            return body.splitlines()[0][:300] if body else None
        except OSError:
            return None

    def read(self, fetch: Callable[[], T]) -> T:
        """``fetch()``: a read of this store by other means than ``query`` (e.g. an HTTP client of
        its own). ``api.proxy.EngineStore`` retries it once when an engine restart cut it."""
        return fetch()

    def named(self, name: str, **bindings: Identifier) -> Result:
        """Run the named query ``kg/queries/{name}.rq`` with bound parameters."""
        return self.query(load_query(name), bindings)

    def rows(self, name: str, **bindings: Identifier) -> list[dict[str, Any]]:
        """A named SELECT as a list of dicts of Python values (``None`` for unbound)."""
        result = self.named(name, **bindings)
        names = [str(v) for v in (result.vars or [])]
        return [{n: _py(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]

    # --- graphs --------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def put_graph(self, graph: Graph) -> None:
        """Replace the named graph ``graph.identifier`` with ``graph``, all or nothing."""
        self.put_prepared(prepare(graph))

    def put_prepared(self, prepared: PreparedGraph) -> None:
        """Apply a graph replacement made by ``prepare`` (possibly in another process)."""
        self._writable()
        self._update(prepared.update)

    def delete_graph(self, name: URIRef) -> None:
        """Remove one named graph and nothing else; ``NotFound`` when it is absent."""
        self._writable()
        if not self.has_graph(name):
            raise NotFound(f"no graph {name}")
        self._update(f"DROP GRAPH {_term(name)}")

    def _update(self, text: str) -> None:
        if m := _UNENCODABLE.search(text):  # checked before it is sent: no pending write can hold it
            raise UnstorableGraph(f"update refused: a lone surrogate (U+{ord(m.group()):04X}) cannot be stored")
        native = self.native
        try:
            if native is not None:
                # straight to Oxigraph: one atomic transaction. Through the Dataset, oxrdflib refuses
                # a union-default-graph update and rdflib falls back to its own evaluator, which
                # applies DROP and INSERT DATA one triple at a time (not atomic, and slow).
                native.update(text)
            else:
                self._remote_update(text)
        except (SyntaxError, ValueError, RuntimeError) as exc:  # RuntimeError: pyoxigraph evaluation errors
            raise StoreError(f"update rejected: {_first_line(exc)}") from exc
        except OSError as exc:
            raise StoreUnwritable(f"write failed: {_first_line(exc)}") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("SPARQLWrapper", "urllib")):
                raise StoreError(f"SPARQL server refused the update: {_first_line(exc)}") from exc
            raise

    def _remote_update(self, text: str) -> None:
        """One update sent on its own. rdflib's ``SPARQLUpdateStore`` keeps an update that failed in its
        pending edits and sends it again, joined to every later one, so one refused article would
        block every write after it: the pending edits are dropped whatever happens."""
        remote = self.dataset.store
        remote.rollback()
        try:
            self.dataset.update(text)
        finally:
            remote.rollback()

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
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANG_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_]+")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _term(term: Any, *, bnodes: bool = True) -> str:
    """One RDF term as SPARQL text (N-Triples syntax); ``QueryError`` for anything that is not safe."""
    if isinstance(term, URIRef):
        if _IRI_BAD.search(term) or not _IRI_SCHEME.match(term):
            raise QueryError(f"not an absolute IRI: {str(term)[:200]!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            if not _LANG_TAG.fullmatch(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{_term(term.datatype)}'
        return f'"{text}"'
    if isinstance(term, BNode) and bnodes:
        if not _BNODE_LABEL.fullmatch(term):
            raise QueryError(f"not a usable blank node label: {str(term)[:200]!r}")
        return f"_:{term}"
    raise QueryError(f"cannot use {term!r} here: only IRIs and literals can be bound")


_PROLOGUE = re.compile(r"^(?:\s|#[^\n]*\n|(?:PREFIX|BASE)\s[^\n]*\n)*", re.I)
_GRAPH_FORM = re.compile(r"^\s*(?:CONSTRUCT|DESCRIBE)\b", re.I)
_WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.I)
_FORM_OPEN = re.compile(r"^\s*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*\{", re.I | re.M)


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with a ``VALUES`` block for ``bindings`` as the first element of its WHERE group."""
    block = _values_clause(bindings)
    m = _WHERE_OPEN.search(sparql) or _FORM_OPEN.search(sparql)
    if m is None:
        raise QueryError("cannot bind values: the query has no WHERE group")
    return f"{sparql[: m.end()]} {block}\n{sparql[m.end() :]}"


def _values_clause(bindings: Mapping[str, Identifier]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for one row of bound values."""
    names = list(bindings)
    for name in names:
        if not _VAR_NAME.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
    terms = " ".join(_term(bindings[n], bnodes=False) for n in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


__all__ = [
    "DEFAULT_STORE",
    "PreparedGraph",
    "Store",
    "StoreSpec",
    "bind_values",
    "load_query",
    "prepare",
    "query_names",
]
