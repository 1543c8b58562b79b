"""SHACL validation of article graphs against ``ontology/shapes.ttl``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg.store import ONTOLOGY_FILE, Store

SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one graph."""

    graph: str
    conforms: bool
    messages: tuple[str, ...] = ()


@functools.cache
def shapes(path: str | None = None) -> Graph:
    graph = Graph()
    graph.parse(Path(path) if path else SHAPES_FILE, format="turtle")
    return graph


def validate_graph(graph: Graph) -> Report:
    """Validate one article graph; messages name the focus node and the failed constraint."""
    from pyshacl import validate

    conforms, results, _ = validate(graph, shacl_graph=shapes(), inference="none", advanced=True)
    messages: list[str] = []
    if not conforms:
        sh = "http://www.w3.org/ns/shacl#"
        assert isinstance(results, Graph)
        for result in results.subjects(URIRef(sh + "resultSeverity"), None):
            focus = results.value(result, URIRef(sh + "focusNode"))
            message = results.value(result, URIRef(sh + "resultMessage"))
            messages.append(f"{focus}: {message}")
    return Report(str(graph.identifier), bool(conforms), tuple(sorted(messages)))


def validate_store(store: Store) -> list[Report]:
    """Validate every article graph in the store."""
    return [validate_graph(store.graph(name)) for name in store.graph_names()]


__all__ = ["SHAPES_FILE", "Report", "validate_graph", "validate_store"]
