"""Where the graph is kept: a small protocol, one module per backend, chosen by name.

``kg.store.Store`` is the only door to a backend; nothing else in ``kg`` or ``api`` talks to one.
A backend module registers its class under the spec prefix it serves (the way rdflib registers its
store plugins), and ``open_backend("oxigraph:data/store")`` finds it:

- ``oxigraph:PATH`` and ``memory:`` -> ``kg.backends.oxigraph`` (embedded Oxigraph, on disk or in memory);
- ``sparql:QUERY_URL[,UPDATE_URL]`` -> ``kg.backends.sparql`` (any SPARQL 1.1 Query + Update server);
- the API's supervised ``oxigraph serve`` child -> ``kg.backends.engine`` (built by the API around its
  ``api.engine.Engine``: a live process is not something a spec string can name).

Each backend states what it can do in ``capabilities`` and returns results already converted: rows
of plain Python values from ``select``, rdflib terms from ``query``, serialised RDF from ``construct``.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rdflib.query import Result

from kg.errors import ConfigError

if TYPE_CHECKING:
    from kg.textindex import TextIndex

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"))
FLOAT_TYPES = frozenset(XSD + t for t in ("decimal", "double", "float"))

# spec prefix -> module that registers it (imported on first use)
_MODULES = {"oxigraph": "kg.backends.oxigraph", "memory": "kg.backends.oxigraph", "sparql": "kg.backends.sparql"}
_REGISTRY: dict[str, type[Backend]] = {}


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do beyond SPARQL 1.1 Query and Update."""

    lateral: bool = False  # SEP-0006 LATERAL joins
    bulk_load: bool = False  # a loader faster than INSERT DATA
    graph_replace: bool = True  # DROP + INSERT DATA in one update is applied atomically
    transactions: bool = False  # several updates applied as one
    full_text: bool = False  # a text index of its own


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
        backend = backend_class(kind)
        if backend is None:
            raise ConfigError(f"unknown store {spec!r}; use oxigraph:PATH, memory: or sparql:QUERY_URL[,UPDATE_URL]")
        return backend.parse_spec(kind, rest)


class Backend(ABC):
    """One place the graph is kept. Errors are ``kg.errors`` classes: ``QueryError`` for a query the
    backend refuses, ``StoreError`` (and subclasses) when the backend itself fails."""

    kinds: ClassVar[tuple[str, ...]] = ()
    read_only: bool = False

    @classmethod
    @abstractmethod
    def parse_spec(cls, kind: str, rest: str) -> StoreSpec: ...

    @classmethod
    @abstractmethod
    def open(cls, spec: StoreSpec, *, read_only: bool = False) -> Backend: ...

    @property
    @abstractmethod
    def capabilities(self) -> Capabilities: ...

    @abstractmethod
    def select(self, text: str) -> list[dict[str, Any]]:
        """The rows of a SELECT as dicts of plain Python values: ``int``/``float``/``bool`` for
        numbers and booleans, ``str`` for everything else, ``None`` when unbound."""

    @abstractmethod
    def query(self, text: str) -> Result:
        """Any query form as an rdflib ``Result`` of rdflib terms."""

    @abstractmethod
    def construct(self, text: str, media_type: str) -> bytes | None:
        """A CONSTRUCT or DESCRIBE serialised by the backend as ``media_type``; None if it cannot."""

    @abstractmethod
    def update(self, text: str) -> None:
        """Apply one SPARQL update, atomically where ``capabilities.graph_replace``."""

    @property
    def native(self) -> Any:
        """The engine object underneath (a ``pyoxigraph.Store``), for loaders and benchmarks; None if remote."""
        return None

    def text_index(self, *, read_only: bool = False) -> TextIndex | None:
        """The full-text index kept with this backend (``kg.textindex``), or None if it has none."""
        return None

    def flush(self) -> None:  # noqa: B027 (optional: most backends write through)
        """Write buffered changes to durable storage."""

    def close(self) -> None:  # noqa: B027 (optional: a backend may hold nothing to release)
        """Release the backend's resources."""


def register(cls: type[Backend]) -> type[Backend]:
    """Class decorator: serve every spec prefix in ``cls.kinds`` with ``cls``."""
    for kind in cls.kinds:
        _REGISTRY[kind] = cls
    return cls


def backend_class(kind: str) -> type[Backend] | None:
    if kind not in _REGISTRY and kind in _MODULES:
        importlib.import_module(_MODULES[kind])
    return _REGISTRY.get(kind)


def open_backend(spec: str | StoreSpec, *, read_only: bool = False) -> Backend:
    """The backend a spec names, opened."""
    parsed = StoreSpec.parse(spec) if isinstance(spec, str) else spec
    cls = backend_class(parsed.kind)
    if cls is None:
        raise ConfigError(f"unknown store kind {parsed.kind!r}")
    return cls.open(parsed, read_only=read_only)


def plain_value(value: str, datatype: str | None) -> Any:
    """A literal's lexical form as the Python value ``Backend.select`` promises."""
    if datatype is None:
        return value
    try:
        if datatype in INTEGER_TYPES:
            return int(value)
        if datatype in FLOAT_TYPES:
            return float(value)
    except ValueError:
        return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def first_line(exc: BaseException | str) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


__all__ = [
    "Backend",
    "Capabilities",
    "StoreSpec",
    "backend_class",
    "first_line",
    "open_backend",
    "plain_value",
    "register",
]
