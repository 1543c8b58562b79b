"""The W3C SPARQL 1.1 test manifests, read into frozen cases.

- ``EvaluationCase``: a query, its dataset (``qt:data`` files for the default graph, ``qt:graphData``
  files as named graphs) and the expected result file;
- ``SyntaxCase``: a query that must parse (positive) or must not (negative);
- ``ProtocolCase``: a sequence of HTTP requests, each with the response the manifest expects.

Files are named by their ``file:`` URL, which is also the base IRI of the queries and results that
refer to them, as in the W3C harnesses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")

SPARQL11 = Path("sparql") / "sparql11"
QUERY_MANIFESTS = ("manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl")
PROTOCOL_MANIFEST = Path("protocol") / "manifest.ttl"
EVALUATION_TYPES = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}
SYNTAX_TYPES = {
    MF.PositiveSyntaxTest: True,
    MF.PositiveSyntaxTest11: True,
    MF.NegativeSyntaxTest: False,
    MF.NegativeSyntaxTest11: False,
}
UPDATE_PARAMS = {"update", "using-graph-uri", "using-named-graph-uri"}


def suites_root(repo_root: Path) -> Path:
    """``shared/w3c/sparql/sparql11`` beside the repository (it may be absent)."""
    return repo_root.parent / "shared" / "w3c" / SPARQL11


def file_iri(path: Path) -> str:
    return path.resolve().as_uri()


def local_path(iri: Node) -> Path:
    parts = urlsplit(str(iri))
    if parts.scheme != "file":
        raise ValueError(f"not a local file: {iri}")
    return Path(unquote(parts.path))


@dataclass(frozen=True)
class EvaluationCase:
    """A ``mf:QueryEvaluationTest`` (or ``mf:CSVResultFormatTest``)."""

    iri: str
    name: str
    category: str  # the manifest's directory, e.g. ``aggregates``
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path

    @property
    def label(self) -> str:
        return f"{self.category}/{self.iri.rpartition('#')[2]}"


@dataclass(frozen=True)
class SyntaxCase:
    """A positive or negative query syntax test."""

    iri: str
    name: str
    category: str
    query: Path
    positive: bool

    @property
    def label(self) -> str:
        return f"{self.category}/{self.iri.rpartition('#')[2]}"


Case = EvaluationCase | SyntaxCase


@dataclass(frozen=True)
class Expected:
    """What the manifest expects of one response."""

    status_classes: frozenset[int]  # 2 for hts:StatusCode2xx, ...
    format: str | None  # "boolean", "tabular", "RDF"
    boolean: bool | None


@dataclass(frozen=True)
class Exchange:
    """One HTTP request of a protocol test and the response it must get."""

    method: str
    target: str  # path and query string after the endpoint, e.g. ``?query=ASK%20%7B%7D``
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected

    def params(self) -> list[tuple[str, str]]:
        """Parameters from the query string and a form body."""
        pairs = parse_qsl(urlsplit(self.target).query, keep_blank_values=True)
        if self.body is not None and self.content_type() == "application/x-www-form-urlencoded":
            pairs += parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return pairs

    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";")[0].strip().lower()
        return ""

    @property
    def is_update(self) -> bool:
        return self.content_type() == "application/sparql-update" or any(k in UPDATE_PARAMS for k, _ in self.params())


@dataclass(frozen=True)
class ProtocolCase:
    """A ``mf:ProtocolTest``: requests run in order, each with its expected response."""

    iri: str
    name: str
    exchanges: tuple[Exchange, ...]
    graphs: tuple[tuple[str, Path], ...]  # (graph IRI, file) the test expects the endpoint to hold

    @property
    def key(self) -> str:
        return self.iri.rpartition("#")[2]

    @property
    def is_update(self) -> bool:
        """An update test: it sends an update, or is named as one (``bad_update_wrong_media_type``)."""
        return "update" in self.key.split("_") or any(x.is_update for x in self.exchanges)


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=file_iri(path))


def _list(graph: Graph, node: Node | None) -> list[Node]:
    return list(Collection(graph, node)) if node is not None else []


def _node(graph: Graph, subject: Node | None, predicate: URIRef) -> Node:
    value = graph.value(subject, predicate)
    if value is None:
        raise ValueError(f"{subject}: no {predicate}")
    return value


def _str(graph: Graph, subject: Node, predicate: URIRef) -> str:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else ""


def _manifests(path: Path) -> Iterator[tuple[Path, Graph]]:
    graph = _parse(path)
    yield path, graph
    for include in graph.objects(URIRef(file_iri(path)), MF.include):
        for child in _list(graph, include):
            yield from _manifests(local_path(child))


def _entries(graph: Graph, path: Path) -> Iterator[Node]:
    for entries in graph.objects(URIRef(file_iri(path)), MF.entries):
        yield from _list(graph, entries)


def _local_name(node: Node) -> str:
    return str(node).rpartition("#")[2]


def _files(g: Graph, action: Node, predicate: URIRef) -> tuple[Path, ...]:
    return tuple(sorted(local_path(f) for f in g.objects(action, predicate)))


def _query_case(g: Graph, test: Node, category: str) -> Case:
    kind, action, name = _node(g, test, RDF.type), _node(g, test, MF.action), _str(g, test, MF.name)
    if isinstance(kind, URIRef) and kind in SYNTAX_TYPES:
        return SyntaxCase(str(test), name, category, local_path(action), SYNTAX_TYPES[kind])
    if kind in EVALUATION_TYPES:
        query, result = local_path(_node(g, action, QT.query)), local_path(_node(g, test, MF.result))
        data, graph_data = _files(g, action, QT.data), _files(g, action, QT.graphData)
        return EvaluationCase(str(test), name, category, query, data, graph_data, result)
    raise ValueError(f"{test}: unknown test type {kind}")


def query_cases(root: Path) -> list[Case]:
    """Every evaluation and syntax test of the query and result-format manifests, in manifest order."""
    return [
        _query_case(g, test, path.parent.name)
        for top in QUERY_MANIFESTS
        for path, g in _manifests(root / top)
        for test in _entries(g, path)
    ]


def _expected(g: Graph, response: Node) -> Expected:
    statuses = g.objects(response, MF.expectedStatus)  # hts:StatusCode2xx...
    classes = frozenset(int(_local_name(s).removeprefix("StatusCode")[0]) for s in statuses)
    fmt, boolean = g.value(response, MF.expectedFormat), g.value(response, MF.expectedBoolean)
    return Expected(
        classes, str(fmt) if fmt is not None else None, str(boolean) in ("true", "1") if boolean is not None else None
    )


def _exchange(g: Graph, request: Node) -> Exchange:
    path = _str(g, request, HT.absolutePath)
    if not path.startswith("/sparql/"):
        raise ValueError(f"request path {path!r} does not start with /sparql/")
    headers = tuple(
        (_str(g, h, HT.fieldName), _str(g, h, HT.fieldValue)) for h in _list(g, g.value(request, HT.headers))
    )
    body = None
    if (content := g.value(request, HT.body)) is not None:
        encoding = _str(g, content, CNT.characterEncoding) or "UTF-8"
        body = _str(g, content, CNT.chars).encode(encoding)
    return Exchange(
        method=_str(g, request, HT.methodName),
        target=path.removeprefix("/sparql/"),
        headers=headers,
        body=body,
        expected=_expected(g, _node(g, request, HT.resp)),
    )


def protocol_cases(root: Path) -> list[ProtocolCase]:
    """Every test of the protocol manifest, in manifest order (query and update tests alike)."""
    path = root / PROTOCOL_MANIFEST
    g = _parse(path)
    cases = []
    for test in _entries(g, path):
        requests = _list(g, g.value(g.value(test, MF.action), HT.requests))
        graphs = [(_str(g, d, RDFS.label), local_path(_node(g, d, UT.graph))) for d in g.objects(test, UT.graphData)]
        exchanges = tuple(_exchange(g, r) for r in requests)
        cases.append(ProtocolCase(str(test), _str(g, test, MF.name), exchanges, tuple(sorted(graphs))))
    return cases


__all__ = [
    "Case",
    "EvaluationCase",
    "Exchange",
    "Expected",
    "ProtocolCase",
    "SyntaxCase",
    "file_iri",
    "local_path",
    "protocol_cases",
    "query_cases",
    "suites_root",
]
