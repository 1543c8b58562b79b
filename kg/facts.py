"""Facts across all article graphs, for the JSON API and for notebooks: leaders, events, timeline,
casualty figures, quotes, articles, entity descriptions and the VoID description.

Every fact comes back with its source (the article: IRI, title, outlet, publication date, URL)
and its evidence (the exact text and its ``start``/``end`` offsets in the article body). Lists are
pages: ``{"total", "limit", "offset", "items"}``.

The SPARQL lives in ``kg/queries/api_*.rq``. Client values never enter query text: they are bound
through ``VALUES`` blocks that ``kg.store.bind_values`` serialises, and three conventions let one
``.rq`` file serve every combination of filters:

- ``#@bind`` marks each group (subqueries included) where the ``VALUES`` block of the bound
  parameters goes; a parameter left out stays unbound, and ``FILTER(!BOUND(?arg) || ...)`` passes;
- a line ``#?argX <pattern>`` is a comment unless ``?argX`` is bound, and then becomes ``<pattern>``,
  so a given filter value drives the join from the index instead of filtering every row;
- ``LIMIT 50 OFFSET 0`` is replaced by the page's validated integers.

On the embedded Oxigraph backends a one-line group ending in ``# lateral`` is evaluated once per
row of what precedes it (SEP-0006 ``LATERAL``) rather than hash-joined against the whole store,
which is what Oxigraph 0.5 does with a plain ``OPTIONAL``; a remote SPARQL server gets the standard
form. Shared nodes (people, countries) are described again in every article graph, so their
labels are read from one representative graph (``SAMPLE(?g)``), never joined across the union.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import ConfigError, NotFound, QueryError, StoreError
from kg.gazetteer import Gazetteer
from kg.namespaces import ID
from kg.store import Store, bind_values, load_query

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

KINDS = ("article", "person", "country", "place", "organisation", "group", "event", "office", "time", "figure",
         "quote", "evidence")  # fmt: skip
FAMILIES = ("commemorative", "diplomatic", "historical", "other")
EVENT_TYPES = ("parade", "commemoration", "ceremony", "speech", "meeting", "visit", "war", "battle", "invasion",
               "liberation", "bombing", "massacre", "surrender", "other")  # fmt: skip

_FAMILY_CLASS = {
    "commemorative": "CommemorativeEvent",
    "diplomatic": "DiplomaticEvent",
    "historical": "HistoricalEvent",
    "other": "OtherEvent",
}
_WWII = "https://w3id.org/wwiikg/ontology#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_QID = re.compile(r"Q[1-9]\d*")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")

_BIND = re.compile(r"#@bind\b[^\n]*")
_OPTIONAL_LINE = re.compile(r"^([ \t]*)#\?([A-Za-z_]\w*)[ \t]([^\n]*)$", re.M)
_LATERAL = re.compile(r"^([ \t]*)(OPTIONAL[ \t]*)?(\{[^\n]*\})[ \t]*#[ \t]*lateral[ \t]*$", re.M)
_PAGE = re.compile(r"\bLIMIT\s+\d+\s+OFFSET\s+\d+\b")


# --- running the queries -----------------------------------------------------------------


def prepare(
    name: str,
    bindings: Mapping[str, Identifier | None],
    *,
    limit: int | None = None,
    offset: int | None = None,
    lateral: bool = False,
) -> str:
    """The text of ``kg/queries/{name}.rq`` ready to run: parameters bound, page set (see above)."""
    text = load_query(name)
    bound = {k: v for k, v in bindings.items() if v is not None}
    text = _OPTIONAL_LINE.sub(lambda m: m.group(1) + m.group(3) if m.group(2) in bound else m.group(0), text)
    if bound:
        block = _values_block(bound)
        text = _BIND.sub(lambda _: block, text)
    if lateral:
        text = _LATERAL.sub(lambda m: f"{m.group(1)}LATERAL {{ {m.group(2) or ''}{m.group(3)} }}", text)
    if limit is not None:
        if type(limit) is not int or type(offset) is not int or limit < 0 or offset < 0:
            raise ConfigError("limit and offset must be non-negative integers")
        text, n = _PAGE.subn(f"LIMIT {limit} OFFSET {offset}", text)
        if not n:
            raise QueryError(f"query {name!r} has no LIMIT/OFFSET to page")
    return text


def _values_block(bindings: Mapping[str, Identifier]) -> str:
    """``VALUES (?a ?b) { (...) }``, serialised by ``kg.store.bind_values`` (strict escaping)."""
    text = bind_values("SELECT * WHERE {}", bindings)
    return text[text.index("VALUES") : text.rindex("}")].strip()


def select(
    store: Store,
    name: str,
    bindings: Mapping[str, Identifier | None] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
) -> list[dict[str, Any]]:
    """Rows of the named ``api_*`` SELECT as dicts of plain Python values (``None`` when unbound).

    On Oxigraph the query runs on ``pyoxigraph`` directly: converting results through rdflib costs
    about 20 µs a term, more than the query itself on a page of facts.
    """
    native = store.native
    text = prepare(name, bindings or {}, limit=limit, offset=offset, lateral=native is not None)
    if native is None:
        result = store.query(text)
        names = [str(v) for v in result.vars or []]
        return [{n: _py_rdflib(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]
    try:
        solutions = native.query(text, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: _py_ox(row[n]) for n in names} for row in solutions]
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL in {name}.rq: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"query failed: {exc}") from exc


_NUMERIC = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT = {_XSD + t for t in ("decimal", "double", "float")}


def _py_ox(term: Any) -> Any:
    if term is None:
        return None
    value = term.value
    datatype = getattr(term, "datatype", None)
    if datatype is None:
        return value
    dt = datatype.value
    try:
        if dt in _NUMERIC:
            return int(value)
        if dt in _FLOAT:
            return float(value)
    except ValueError:
        return value
    if dt == _XSD + "boolean":
        return value in ("true", "1")
    return value


def _py_rdflib(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        if dt in _NUMERIC or dt in _FLOAT or dt == _XSD + "boolean":
            value = term.toPython()
            return value if not isinstance(value, Literal) else str(value)
        return str(term)
    return str(term)


# --- parameters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """Which slice of a list to return."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ConfigError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must not be negative, not {self.offset}")


def date_arg(value: str | None, name: str) -> Literal | None:
    """A ``from``/``to`` bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if not _DATE.fullmatch(value):
        raise ConfigError(f"{name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}")
    return Literal(value)


def text_arg(value: str | None) -> Literal | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return Literal(value) if value else None


def entity_args(
    prefix: str, value: str | None, kinds: Iterable[str], gazetteer: Gazetteer | None
) -> dict[str, Identifier]:
    """One entity filter as the binding the queries want, the most selective first.

    An IRI binds ``?{prefix}``; a Wikidata ID, or a name the gazetteer knows (names and aliases,
    any case), binds the entity's IRI when its kind is known, else ``?{prefix}Qid``; any other
    name binds ``?{prefix}Name`` (matched against labels in the graph).
    """
    text = " ".join((value or "").split())
    if not text:
        return {}
    kinds = tuple(kinds)
    if text.startswith(("http://", "https://")):
        return {prefix: URIRef(text)}
    entries = []
    if gazetteer is not None:
        if _QID.fullmatch(text):
            entry = gazetteer.by_id.get(text)
            entries = [entry] if entry is not None else []
        else:
            entries = [e for e in gazetteer.lookup(text, *kinds) if e.wikidata]
    qids = {e.wikidata for e in entries}
    if len(qids) == 1:
        entry = entries[0]
        if entry.kind in kinds:
            return {prefix: ID[f"{entry.kind}/{entry.wikidata}"]}
        return {prefix + "Qid": Literal(entry.wikidata)}
    if _QID.fullmatch(text):
        return {prefix + "Qid": Literal(text)}
    return {prefix + "Name": Literal(text)}


def default_gazetteer() -> Gazetteer | None:
    """The packaged gazetteer, used to resolve names in filters; None when it cannot be read."""
    from kg.gazetteer import load

    try:
        return load()
    except ConfigError:
        return None


def entity_iri(kind: str, key: str) -> URIRef:
    """``https://w3id.org/wwiikg/id/{kind}/{key}``; ``NotFound`` for a kind or key we never mint."""
    if kind not in KINDS or not _KEY.fullmatch(key):
        raise NotFound(f"no {kind} {key[:60]!r}")
    return ID[f"{kind}/{key}"]


def key_of(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("/", 1)[-1]


# --- shaping rows ------------------------------------------------------------------------


def _page(total: Any, page: Page, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"total": int(total or 0), "limit": page.limit, "offset": page.offset, "items": items, **extra}


def _total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"] or 0) if rows else 0


def _ref(iri: str | None, name: Any = None, wikidata: Any = None) -> dict[str, Any] | None:
    if iri is None:
        return None
    return {"iri": iri, "key": key_of(iri), "name": name, "wikidata": wikidata}


def _source(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any] | None:
    article = row.get(prefix + "article")
    if article is None:
        return None
    return {
        "article": article,
        "id": key_of(article),
        "title": row.get(prefix + "title"),
        "outlet": row.get(prefix + "outlet"),
        "published": row.get(prefix + "published"),
        "url": row.get(prefix + "url"),
    }


def _evidence(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any] | None:
    if row.get(prefix + "start") is None:
        return None
    return {"start": row[prefix + "start"], "end": row[prefix + "end"], "text": row[prefix + "exact"]}


def _family(types: str | None) -> str | None:
    return None if types is None else types.rsplit("#", 1)[-1]


__all__ = [
    "DEFAULT_LIMIT",
    "EVENT_TYPES",
    "FAMILIES",
    "KINDS",
    "MAX_LIMIT",
    "Page",
    "date_arg",
    "default_gazetteer",
    "entity_args",
    "entity_iri",
    "prepare",
    "select",
    "text_arg",
]
