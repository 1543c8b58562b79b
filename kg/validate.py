"""SHACL validation of article graphs against ``ontology/shapes.ttl``.

pyshacl checks the core shapes. The SHACL-SPARQL constraints (``sh:sparql``) are evaluated here, each
query parsed once and run once per graph for all its focus nodes: pyshacl parses a constraint's query
again for every focus node, which took five of the six seconds an article graph needed. The results
are the same: a constraint's query, run with ``$this`` bound to each node of the shape's target class,
is the query run once with ``$this`` joined to that class.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.store import ONTOLOGY_FILE, Store

SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Report:
    """The outcome of validating one graph."""

    graph: str
    conforms: bool
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape with a ``sh:targetClass``, its query parsed once."""

    target: URIRef
    message: str
    query: Any  # rdflib's prepared query


@functools.cache
def shapes(path: str | None = None) -> Graph:
    graph = Graph()
    graph.parse(Path(path) if path else SHAPES_FILE, format="turtle")
    return graph


def _prefixes(graph: Graph, node: Any) -> str:
    lines = []
    for decl in graph.objects(node, SH.declare):
        lines.append(f"PREFIX {graph.value(decl, SH.prefix)}: <{graph.value(decl, SH.namespace)}>")
    return "\n".join(lines)


@functools.cache
def _split(path: str | None = None) -> tuple[Graph, tuple[SparqlConstraint, ...]]:
    """The shapes without their ``sh:sparql`` constraints (for pyshacl), and those constraints."""
    full = shapes(path)
    core = Graph()
    constraints, dropped = [], set()
    for shape, node in full.subject_objects(SH.sparql):
        targets = list(full.objects(shape, SH.targetClass))
        if len(targets) != 1 or list(full.objects(shape, SH.targetNode)):
            raise ValueError(f"{shape}: SHACL-SPARQL needs exactly one sh:targetClass here")
        prefixes = "\n".join(_prefixes(full, p) for p in full.objects(node, SH.prefixes))
        select = str(full.value(node, SH.select))
        # the shape's target joined to the constraint's own query: every focus node at once
        text = f"{prefixes}\nSELECT * WHERE {{ $this a <{targets[0]}> . {{ {select} }} }}"
        message = str(full.value(node, SH.message) or "")
        constraints.append(SparqlConstraint(URIRef(str(targets[0])), message, prepareQuery(text)))
        dropped.add(node)
    for s, p, o in full:
        if p == SH.sparql or s in dropped:
            continue
        core.add((s, p, o))
    return core, tuple(constraints)


def _format(template: str, row: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        term = row.get(match.group(1))
        return "" if term is None else str(term)

    return re.sub(r"\{[?$](\w+)\}", value, template)


def validate_graph(graph: Graph) -> Report:
    """Validate one article graph; messages name the focus node and the failed constraint."""
    from pyshacl import validate

    core, constraints = _split()
    conforms, results, _ = validate(graph, shacl_graph=core, inference="none", advanced=True)
    messages: list[str] = []
    if not conforms:
        assert isinstance(results, Graph)
        for result in results.subjects(SH.resultSeverity, None):
            focus = results.value(result, SH.focusNode)
            message = results.value(result, SH.resultMessage)
            messages.append(f"{focus}: {message}")
    for constraint in constraints:
        if (None, RDF.type, constraint.target) not in graph:
            continue
        for row in graph.query(constraint.query):
            values = row.asdict()  # type: ignore[union-attr]  # a SELECT gives ResultRows
            messages.append(f"{values['this']}: {_format(constraint.message, values)}")
    return Report(str(graph.identifier), not messages, tuple(sorted(messages)))


def validate_store(store: Store, progress: Callable[[str], None] | None = None) -> list[Report]:
    """Validate every article graph in the store; ``progress`` hears of each graph once it is done."""
    reports = []
    for name in store.graph_names():
        reports.append(validate_graph(store.graph(name)))
        if progress is not None:
            progress(str(name))
    return reports


__all__ = ["SHAPES_FILE", "Report", "validate_graph", "validate_store"]
