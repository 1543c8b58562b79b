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

Oxigraph 0.5 (embedded, or as the server behind a ``sparql:`` store) shapes how they are written:

- a one-line group ending in ``# lateral`` is evaluated once per row of what precedes it (SEP-0006
  ``LATERAL``, used when the backend accepts it) instead of being hash-joined against the whole
  store, which is what Oxigraph does with a plain ``OPTIONAL``: page first, details after;
- two large patterns are wrapped in subqueries when joined, so they are scanned once and hash-joined
  rather than looked up row by row; FILTERs stay outside ``GRAPH`` blocks;
- shared nodes (people, countries) are described again in every article graph, so their labels are
  read from one representative graph (``SAMPLE(?g)``), never joined across the union;
- nothing large is sorted on IRIs (Oxigraph decodes each one to compare it): unsorted pages come in
  index order, which is stable.

Results are read without rdflib's term conversion (about 20 µs a term): from ``pyoxigraph`` or from
the server's SPARQL JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import ConfigError, NotFound, QueryError, StoreError
from kg.gazetteer import Gazetteer
from kg.namespaces import ID
from kg.records import EVENT_TYPES
from kg.store import Store, bind_values, load_query

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

KINDS = (
    "article",
    "person",
    "country",
    "place",
    "organisation",
    "group",
    "event",
    "office",
    "time",
    "figure",
    "quote",
    "evidence",
)
FAMILIES = ("commemorative", "diplomatic", "historical", "other")

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

    Results never go through rdflib's term conversion, which costs about 20 µs a term (more than
    the query itself on a page of facts): on Oxigraph the query runs on ``pyoxigraph`` directly, on a
    SPARQL server its JSON results are read as they come.
    """
    native = store.native
    text = prepare(name, bindings or {}, limit=limit, offset=offset, lateral=supports_lateral(store))
    if native is not None:
        try:
            solutions = native.query(text, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            return [{n: _py_ox(row[n]) for n in names} for row in solutions]
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL in {name}.rq: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
    if store.spec.kind == "sparql" and store.spec.query_url:
        url = store.spec.query_url
        return [{k: _py_json(v) for k, v in row.items()} for row in store.read(lambda: _http_select(url, text))]
    result = store.query(text)
    names = [str(v) for v in result.vars or []]
    return [{n: _py_rdflib(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]


# --- SPARQL servers ----------------------------------------------------------------------

HTTP_TIMEOUT_S = 60.0
_http_clients: dict[str, Any] = {}
_lateral: dict[str, bool] = {}
LATERAL_PROBE = "SELECT ?x WHERE { BIND(1 AS ?x) LATERAL { SELECT ?y WHERE { BIND(?x AS ?y) } } }"


def _http_client(url: str) -> Any:
    import httpx

    client = _http_clients.get(url)
    if client is None:
        client = _http_clients[url] = httpx.Client(
            timeout=HTTP_TIMEOUT_S, trust_env=False, headers={"Accept": "application/sparql-results+json"}
        )
    return client


def _http_select(url: str, text: str) -> list[dict[str, Any]]:
    """The rows of a SELECT sent to a SPARQL 1.1 server (JSON results, read with ``json``), every
    variable present (``None`` when unbound)."""
    import httpx

    try:
        response = _http_client(url).post(
            url, content=text.encode("utf-8"), headers={"Content-Type": "application/sparql-query"}
        )
    except httpx.HTTPError as exc:
        raise StoreError(f"SPARQL server unreachable: {exc}") from exc
    if response.status_code == 400:
        raise QueryError(f"the SPARQL server refused the query: {response.text.strip()[:300]}")
    if response.status_code != 200:
        raise StoreError(f"SPARQL server error {response.status_code}: {response.text.strip()[:300]}")
    try:
        body = response.json()
        names = body["head"]["vars"]
        return [{n: row.get(n) for n in names} for row in body["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {exc}") from exc


def supports_lateral(store: Store) -> bool:
    """Whether the backend evaluates SEP-0006 ``LATERAL`` (Oxigraph, embedded or as a server).

    Asked once per server; an unreachable server is asked again next time.
    """
    if store.native is not None:
        return True
    url = store.spec.query_url if store.spec.kind == "sparql" else None
    if not url:
        return False
    known = _lateral.get(url)
    if known is None:
        try:
            store.read(lambda: _http_select(url, LATERAL_PROBE))
            known = True
        except QueryError:
            known = False
        _lateral[url] = known
    return known


def _py_json(binding: Mapping[str, Any] | None) -> Any:
    if binding is None:
        return None
    value = binding["value"]
    if binding["type"] != "literal" and binding["type"] != "typed-literal":
        return value
    datatype = binding.get("datatype")
    try:
        if datatype in _NUMERIC:
            return int(value)
        if datatype in _FLOAT:
            return float(value)
    except ValueError:
        return value
    if datatype == _XSD + "boolean":
        return value in ("true", "1")
    return value


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


def _grouped(rows: Iterable[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    """Rows grouped by ``row[key]`` in first-seen order (rows without it are dropped)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get(key) is not None:
            groups.setdefault(row[key], []).append(row)
    return list(groups.values())


def _unique(items: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item is not None and item not in out:
            out.append(item)
    return out


def _gaz(gazetteer: Gazetteer | bool | None) -> Gazetteer | None:
    if gazetteer is False:
        return None
    if gazetteer is None or gazetteer is True:
        return default_gazetteer()
    return gazetteer


def _office(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "iri": row["office"],
        "role": row["role"],
        "country": _ref(row.get("country"), row.get("countryName"), row.get("countryWikidata")),
        "current": bool(row["current"]),
        "source": _source(row),
        "evidence": _evidence(row),
    }


# --- leaders -----------------------------------------------------------------------------


def leaders(
    store: Store,
    *,
    name: str | None = None,
    role: str | None = None,
    country: str | None = None,
    page: Page = Page(),
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """People some article names in a current office, by name; each with the number of articles that
    do, and the office one of them states (role, country, source, evidence).

    ``name`` matches part of the name; ``role`` a whole role (any case); ``country`` a country's
    IRI, Wikidata ID or name (the gazetteer's names and aliases, or the label in the graph).
    """
    bindings: dict[str, Identifier | None] = {"argName": text_arg(name), "argRole": text_arg(role)}
    bindings.update(entity_args("argCountry", country, ("country",), _gaz(gazetteer)))
    rows = select(store, "api_leaders", bindings, limit=page.limit, offset=page.offset)
    items = []
    for group in _grouped(rows, "person"):
        first = group[0]
        items.append(
            {
                "iri": first["person"],
                "key": key_of(first["person"]),
                "name": first["name"],
                "wikidata": first["wikidata"],
                "sources": int(first["sources"] or 0),
                "offices": _unique(_office(r) for r in group if r.get("office")),
            }
        )
    return _page(_total(rows), page, items)


def leader(store: Store, person: str, *, page: Page = Page()) -> dict[str, Any]:
    """One person: the offices each article states, the events they took part in, their quotations,
    and the people who took part in the same events; each list a page of ``page``.

    ``person`` is the IRI or the key (``Q7747``); ``NotFound`` when no article names them.
    """
    iri = person if person.startswith(("http://", "https://")) else str(entity_iri("person", person))
    rows = select(store, "api_leader", {"person": URIRef(iri)}, limit=page.limit, offset=page.offset)
    head = next((r for r in rows if r["section"] == "person"), None)
    if head is None:
        raise NotFound(f"no person {person[:80]!r}")
    totals = {r["section"]: int(r["total"] or 0) for r in rows if r["total"] is not None}
    offices, events_, quotes_, others = [], [], [], []
    for row in rows:
        section = row["section"]
        if section == "office":
            offices.append(_office(row))
        elif section == "event":
            events_.append(
                {
                    "iri": row["event"],
                    "key": key_of(row["event"]),
                    "type": row["type"],
                    "family": family_of(row["type"]),
                    "label": row["label"],
                    "date": row["date"],
                    "source": _source(row),
                    "evidence": _evidence(row),
                }
            )
        elif section == "quote":
            quotes_.append(_quote(row, with_speaker=False))
        elif section == "coattendee":
            other = _ref(row["other"], row["otherName"], row["otherWikidata"]) or {}
            others.append({**other, "shared_events": row["shared"]})
    return {
        "iri": iri,
        "key": key_of(iri),
        "name": head["name"],
        "wikidata": head["wikidata"],
        "sources": int(head["sources"] or 0),
        "limit": page.limit,
        "offset": page.offset,
        "offices": {"total": totals.get("offices", 0), "items": _unique(offices)},
        "events": {"total": totals.get("events", 0), "items": _unique(events_)},
        "quotes": {"total": totals.get("quotes", 0), "items": _unique(quotes_)},
        "co_attendees": {"total": totals.get("coattendees", 0), "items": _unique(others)},
    }


# --- events ------------------------------------------------------------------------------


def family_of(event_type: str | None) -> str | None:
    from kg.records import family

    return None if event_type is None else family(event_type)


def _event_args(
    *,
    type: str | None,
    family: str | None,
    date_from: str | None,
    date_to: str | None,
    place: str | None,
    participant: str | None,
    commemorates: str | None,
    gazetteer: Gazetteer | None,
) -> dict[str, Identifier | None]:
    if type is not None and type not in EVENT_TYPES:
        raise ConfigError(f"unknown event type {type[:40]!r}; use one of {', '.join(EVENT_TYPES)}")
    if family is not None and family not in FAMILIES:
        raise ConfigError(f"unknown event family {family[:40]!r}; use one of {', '.join(FAMILIES)}")
    bindings: dict[str, Identifier | None] = {
        "type": Literal(type) if type else None,
        "argFamily": URIRef(_WWII + _FAMILY_CLASS[family]) if family else None,
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
    }
    bindings.update(entity_args("argPlace", place, ("place", "country"), gazetteer))
    bindings.update(entity_args("argParticipant", participant, ("person", "country", "organisation"), gazetteer))
    if commemorates and commemorates.startswith(("http://", "https://")):
        bindings["argCommemorates"] = URIRef(commemorates.strip())
    else:
        commemorated = entity_args("argCommemorates", commemorates, (), gazetteer)
        bindings.update({k: v for k, v in commemorated.items() if k != "argCommemorates"})
    return bindings


def _event(group: list[dict[str, Any]]) -> dict[str, Any]:
    row = group[0]
    time = None
    if row.get("surface") is not None:
        time = {
            "text": row["surface"],
            "value": row["date"],
            "precision": row.get("precision"),
            "rule": row["rule"],
            "anchor": row.get("anchor"),
            "resolved": bool(row["resolved"]),
            "evidence": {"start": row["timeStart"], "end": row["timeEnd"], "text": row["timeExact"]}
            if row.get("timeStart") is not None
            else None,
        }
    anniversary = None
    if row.get("stated") is not None or row.get("computed") is not None:
        anniversary = {"stated": row["stated"], "computed": row["computed"], "consistent": row["consistent"]}
    commemorated = None
    if row.get("commemorates") is not None:
        commemorated = {
            **_ref(row["commemorates"], row["commemoratesLabel"], row.get("commemoratesWikidata")),  # type: ignore[dict-item]
            "date": row.get("commemoratesDate"),
        }
    return {
        "iri": row["event"],
        "key": key_of(row["event"]),
        "type": row["type"],
        "family": family_of(row["type"]),
        "label": row["label"],
        "date": row["date"],
        "background": bool(row["background"]),
        "wikidata": row["wikidata"],
        "time": time,
        "place": _ref(row["placeIri"], row["placeName"], row["placeWikidata"]),
        "participants": sorted(
            _unique(_ref(r["participant"], r["participantName"], r["participantWikidata"]) for r in group),
            key=lambda p: (str(p["name"]), p["iri"]),
        ),
        "commemorates": commemorated,
        "anniversary": anniversary,
        "source": _source(row),
        "evidence": _evidence(row),
    }


def events(
    store: Store,
    *,
    type: str | None = None,
    family: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    participant: str | None = None,
    commemorates: str | None = None,
    dated: bool = False,
    page: Page = Page(),
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """Events as the articles state them (one per article that reports or recalls it), with date,
    place, participants, commemorated event, anniversary, source and evidence.

    ``date_from``/``date_to`` (``YYYY[-MM[-DD]]``) keep events whose date overlaps the range;
    ``place`` and ``participant`` take an IRI, a Wikidata ID or a name; ``commemorates`` an event
    IRI, a Wikidata ID or part of the commemorated event's label.
    """
    bindings = _event_args(
        type=type,
        family=family,
        date_from=date_from,
        date_to=date_to,
        place=place,
        participant=participant,
        commemorates=commemorates,
        gazetteer=_gaz(gazetteer),
    )
    if dated:
        bindings["argDated"] = Literal(True)
    rows = select(store, "api_events", bindings, limit=page.limit, offset=page.offset)
    return _page(_total(rows), page, [_event(g) for g in _grouped(rows, "event")])


def event(store: Store, ref: str) -> dict[str, Any]:
    """One event as its article states it; ``ref`` is the IRI or the key. ``NotFound`` if unknown."""
    iri = ref if ref.startswith(("http://", "https://")) else str(entity_iri("event", ref))
    rows = select(store, "api_event", {"event": URIRef(iri)})
    if not rows:
        raise NotFound(f"no event {ref[:80]!r}")
    return _event(rows)


def timeline(
    store: Store,
    *,
    type: str | None = None,
    family: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    participant: str | None = None,
    commemorates: str | None = None,
    page: Page = Page(),
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """Dated events in date order, each with its ``family``; ``families`` counts each family
    (commemorative, diplomatic, historical, other) over the whole filtered timeline, with its span."""
    bindings = _event_args(
        type=type,
        family=family,
        date_from=date_from,
        date_to=date_to,
        place=place,
        participant=participant,
        commemorates=commemorates,
        gazetteer=_gaz(gazetteer),
    )
    rows = select(store, "api_timeline", bindings, limit=page.limit, offset=page.offset)
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for r in select(store, "api_timeline_families", bindings):
        lane = families[family_of(r["type"]) or "other"]
        lane["events"] += int(r["events"] or 0)
        lane["first"] = min(filter(None, (lane["first"], r["first"])), default=None)
        lane["last"] = max(filter(None, (lane["last"], r["last"])), default=None)
    return _page(_total(rows), page, [_event(g) for g in _grouped(rows, "event")], families=families)


# --- casualty figures --------------------------------------------------------------------


def casualties(
    store: Store,
    *,
    group: str | None = None,
    event: str | None = None,
    measure: str | None = None,
    independent: bool = False,
    page: Page = Page(),
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """Every source's casualty figure side by side, each as stated (low, high, hedge, measure, scope,
    evidence), and ``spread``: per group and measure, the lowest low, the highest high, the number of
    sources, of independent stories and of distinct figures over all matching figures. Figures are
    never merged into one.

    Each figure names its ``story`` (the near-duplicate copies of one report). With ``independent``,
    a figure stated alike by several copies of one story is listed once, with its evidence in one
    copy and ``copies``, every article of the story that states it.

    ``group`` takes an IRI, a Wikidata ID or a name (whole, any case); ``event`` an event IRI, a
    Wikidata ID or part of the event's label.
    """
    gaz = _gaz(gazetteer)
    bindings: dict[str, Identifier | None] = {"measure": text_arg(measure)}
    bindings.update(entity_args("argGroup", group, ("country", "group"), gaz))
    if event and event.startswith(("http://", "https://")):
        bindings["argEvent"] = URIRef(event.strip())
    else:
        bindings.update({k: v for k, v in entity_args("argEvent", event, (), gaz).items() if k != "argEvent"})
    query = "api_casualties_stories" if independent else "api_casualties"
    rows = select(store, query, bindings, limit=page.limit, offset=page.offset)
    items = [
        {
            "iri": r["figure"],
            "low": r["low"],
            "high": r["high"],
            "measure": r["measure"],
            "hedge": r["hedge"],
            "scope": r["scope"],
            "surface": r["surface"],
            "group": _ref(r["group"], r["groupLabel"], r["groupWikidata"])
            if r["group"]
            else ({"iri": None, "key": None, "name": r["groupLabel"], "wikidata": None} if r["groupLabel"] else None),
            "event": _ref(r["event"], r["eventLabel"], r["eventWikidata"]),
            "source": _source(r),
            "evidence": _evidence(r),
            "story": r["story"],
            "copies": sorted((r.get("copies") or "").split()) if independent else None,
        }
        for g in _grouped(rows, "figure")
        for r in g[:1]
    ]
    spread_bindings = {("group" if k == "argGroup" else k): v for k, v in bindings.items()}
    spread = []
    for r in select(store, "api_casualty_spread", spread_bindings):
        values = []
        for pair in (r["values"] or "").split():
            low, _, high = pair.partition("-")
            values.append({"low": int(low), "high": int(high)})
        values.sort(key=lambda v: (v["low"], v["high"]))
        spread.append(
            {
                "group": _ref(r["group"], r["groupLabel"]),
                "measure": r["measure"],
                "sources": int(r["sources"] or 0),
                "stories": int(r["stories"] or 0),
                "figures": int(r["figures"] or 0),
                "distinct_figures": len(values),
                "low_min": r["minLow"],
                "high_max": r["maxHigh"],
                "values": values,
            }
        )
    return _page(_total(rows), page, items, spread=spread)


# --- quotations --------------------------------------------------------------------------


def _quote(row: Mapping[str, Any], *, with_speaker: bool = True) -> dict[str, Any]:
    return {
        "iri": row["quote"],
        "text": row["text"],
        "direct": bool(row.get("direct")),
        "verb": row.get("verb"),
        "speaker": _ref(row.get("speaker"), row.get("speakerName"), row.get("speakerWikidata"))
        if with_speaker
        else None,
        "occasion": _ref(row.get("occasion"), row.get("occasionLabel")),
        "source": _source(row),
        "evidence": _evidence(row),
        "story": row.get("story"),
        "copies": sorted(row["copies"].split()) if row.get("copies") is not None else None,
    }


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    q: str | None = None,
    direct: bool | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    independent: bool = False,
    page: Page = Page(),
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """Quotations (``direct``) and indirect statements with speaker, source, evidence and story.

    ``speaker`` takes an IRI, a Wikidata ID or (part of) a name; ``q`` part of the text (any case);
    ``date_from``/``date_to`` bound the article's publication date. With ``independent``, words
    reported alike by several near-duplicate copies of one story are listed once, with ``copies``.
    """
    bindings: dict[str, Identifier | None] = {
        "argQ": text_arg(q),
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
        "argKind": None if direct is None else URIRef(_WWII + ("DirectQuote" if direct else "IndirectStatement")),
    }
    bindings.update(entity_args("argSpeaker", speaker, ("person",), _gaz(gazetteer)))
    query = "api_quotes_stories" if independent else "api_quotes"
    rows = select(store, query, bindings, limit=page.limit, offset=page.offset)
    return _page(_total(rows), page, [_quote(g[0]) for g in _grouped(rows, "quote")])


# --- articles ----------------------------------------------------------------------------


def articles(
    store: Store,
    *,
    outlet: str | None = None,
    q: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: Page = Page(),
) -> dict[str, Any]:
    """The stored articles with their metadata; ``q`` matches part of the headline."""
    bindings: dict[str, Identifier | None] = {
        "argOutlet": text_arg(outlet),
        "argQ": text_arg(q),
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
    }
    rows = select(store, "api_articles", bindings, limit=page.limit, offset=page.offset)
    items = [
        {
            "iri": r["article"],
            "id": key_of(r["article"]),
            "title": r["title"],
            "url": r["url"],
            "outlet": r["outlet"],
            "published": r["published"],
            "published_basis": r["basis"],
        }
        for r in rows
        if r["article"] is not None
    ]
    return _page(_total(rows), page, items)


# --- entities: descriptions, summaries, VoID --------------------------------------------


def _rdflib_term(term: Any) -> Any:
    """A pyoxigraph or rdflib term as rdflib's, ``"x"^^xsd:string`` as plain ``"x"``."""
    from rdflib import BNode

    if isinstance(term, Identifier):
        if isinstance(term, Literal) and str(term.datatype) == _XSD + "string" and not term.language:
            return Literal(str(term))
        return term
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD + "string" else Literal(term.value, datatype=URIRef(datatype))


RDF_MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "xml": "RDF_XML"}


def _construct(store: Store, name: str, bindings: Mapping[str, Identifier | None], fmt: str) -> bytes | None:
    """A named CONSTRUCT serialised by the backend itself (Oxigraph, embedded or as a server), or
    None when the backend cannot (then rdflib serialises)."""
    import httpx

    native = store.native
    text = prepare(name, bindings, lateral=supports_lateral(store))
    if native is not None:
        from pyoxigraph import RdfFormat

        try:
            return bytes(
                native.query(text, use_default_graph_as_union=True).serialize(
                    format=getattr(RdfFormat, _OX_FORMATS[fmt])
                )
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL in {name}.rq: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
    url = store.spec.query_url if store.spec.kind == "sparql" else None
    if not url:
        return None
    try:
        response = _http_client(url).post(
            url,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": RDF_MEDIA_TYPES[fmt]},
        )
    except httpx.HTTPError as exc:
        raise StoreError(f"SPARQL server unreachable: {exc}") from exc
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if response.status_code != 200 or media != RDF_MEDIA_TYPES[fmt]:
        return None
    return response.content


def describe_as(store: Store, iri: str | URIRef, fmt: str) -> bytes:
    """``describe(store, iri)`` serialised as ``fmt`` (turtle, nt, json-ld, xml); the backend
    serialises when it can, which is much faster than rdflib for a resource named in many articles."""
    if fmt not in RDF_MEDIA_TYPES:
        raise ConfigError(f"cannot serialise a description as {fmt!r}")
    resource = URIRef(str(iri))
    if not select(store, "api_exists", {"resource": resource}):
        raise NotFound(f"nothing is known about <{iri}>")
    body = _construct(store, "api_describe", {"resource": resource}, fmt)
    if body is None:
        body = describe(store, resource).serialize(format=fmt, encoding="utf-8")
    return body


def triples(store: Store, name: str, bindings: Mapping[str, Identifier | None]) -> list[tuple[Any, Any, Any]]:
    """The triples a named ``api_*`` CONSTRUCT builds, as rdflib terms."""
    body = _construct(store, name, bindings, "nt")
    if body is not None:
        graph = Graph().parse(data=body.decode("utf-8"), format="nt")
        return [(_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)) for s, p, o in graph]
    result = store.query(prepare(name, bindings))
    return [(_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)) for s, p, o in result]  # type: ignore[misc]


def _json_term(binding: Mapping[str, Any]) -> Any:
    from rdflib import BNode

    value, kind = binding["value"], binding["type"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if binding.get("xml:lang"):
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype)) if datatype and datatype != _XSD + "string" else Literal(value)


def describe(store: Store, iri: str | URIRef) -> Graph:
    """What the graph says about one resource across all articles, with its evidence nodes (a
    Concise-Bounded-Description-like graph); ``NotFound`` when no article says anything about it."""
    from kg.namespaces import OA, OWL, RDF, RDFS, SCHEMA, WD, WWII, XSD

    graph = Graph()
    for prefix, ns in (
        ("wwii", str(WWII)),
        ("schema", SCHEMA),
        ("oa", OA),
        ("owl", OWL),
        ("rdfs", RDFS),
        ("rdf", RDF),
        ("xsd", XSD),
        ("wd", WD),
    ):
        graph.bind(prefix, ns)
    for kind in ("article", "person", "country", "place", "organisation", "group", "event", "evidence"):
        graph.bind(kind, ID[f"{kind}/"])
    for triple in triples(store, "api_describe", {"resource": URIRef(str(iri))}):
        graph.add(triple)
    if not any(True for _ in graph.triples((URIRef(str(iri)), None, None))):
        raise NotFound(f"nothing is known about <{iri}>")
    return graph


def entity(store: Store, kind: str, key: str, *, page: Page = Page()) -> dict[str, Any]:
    """One resource we mint: names, Wikidata ID, types, what the articles state about it (each
    predicate and value once, at most 1,000), and a page of the text spans it was read from.

    ``NotFound`` when no article says anything about it.
    """
    from kg.namespaces import OWL, RDF, RDFS, SCHEMA, WWII

    iri = entity_iri(kind, key)
    rows = select(store, "api_entity", {"resource": iri})
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>")
    labels, wikidata, same_as, types, statements = set(), set(), set(), set(), []
    for row in rows:
        p, o = row["p"], row["o"]
        if p in (str(RDFS.label), str(SCHEMA.name)):
            labels.add(str(o))
        elif p == str(WWII.wikidata):
            wikidata.add(str(o))
        elif p == str(OWL.sameAs):
            same_as.add(str(o))
        elif p == str(RDF.type):
            types.add(str(o))
        else:
            value = str(o)
            if p == str(SCHEMA.articleBody) and len(value) > 280:
                value = value[:280] + "…"
            statements.append(
                {
                    "predicate": p,
                    "value": None if row["isIri"] else value,
                    "iri": value if row["isIri"] else None,
                    "datatype": row["datatype"] or None,
                    "language": row["language"] or None,
                }
            )
    statements.sort(key=lambda st: (st["predicate"], str(st["iri"] or st["value"])))
    spans = select(store, "api_entity_evidence", {"resource": iri}, limit=page.limit, offset=page.offset)
    evidence = [
        {"iri": r["ev"], "article": r["article"], "start": r["start"], "end": r["end"], "text": r["exact"]}
        for r in spans
        if r["ev"] is not None
    ]
    evidence.sort(key=lambda e: (e["article"], e["start"]))
    ordered = sorted(labels)
    return {
        "iri": str(iri),
        "kind": kind,
        "key": key,
        "name": ordered[0] if ordered else None,
        "labels": ordered,
        "wikidata": min(wikidata) if wikidata else None,
        "same_as": sorted(same_as),
        "types": sorted(types),
        "statements": statements,
        "evidence": evidence,
        "evidence_total": _total(spans),
    }


_VOID_PARTITIONS = (
    ("Article", "articles"),
    ("Person", "people"),
    ("Leader", "leaders"),
    ("Event", "events"),
    ("CasualtyFigure", "casualty_figures"),
    ("DirectQuote", "quotes"),
    ("IndirectStatement", "statements"),
)


def void(store: Store, *, dataset: str, sparql_endpoint: str) -> Graph:
    """A VoID description of the store: triples, entities, classes, vocabularies, the URI space, the
    SPARQL endpoint, and one ``void:subset`` per article graph with its triple count."""
    from rdflib.namespace import DCTERMS, VOID, XSD

    from kg.namespaces import BASE, OA, SCHEMA, SEM

    per_graph = select(store, "api_void", {})
    counts = select(store, "api_void_counts", {})
    c = counts[0] if counts else {}
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("wwii", BASE + "ontology#")
    root = URIRef(f"{dataset}#dataset")
    total = sum(int(r["triples"] or 0) for r in per_graph)
    g.add((root, RDF_TYPE, VOID.Dataset))
    g.add((root, DCTERMS.title, Literal("WWII commemoration knowledge graph")))
    g.add(
        (
            root,
            DCTERMS.description,
            Literal(
                "News about the memory of World War II as RDF: one named graph per article, every fact with the text "
                "span it was read from."
            ),
        )
    )
    g.add((root, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    g.add((root, VOID.uriSpace, Literal(str(ID))))
    g.add((root, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((root, VOID.entities, Literal(int(c.get("entities") or 0), datatype=XSD.integer)))
    g.add((root, VOID.classes, Literal(int(c.get("classes") or 0), datatype=XSD.integer)))
    g.add((root, VOID.exampleResource, ID["person/Q7747"]))
    for vocabulary in (
        BASE + "ontology#",
        str(SCHEMA),
        str(OA),
        str(SEM),
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/ns/prov#",
    ):
        g.add((root, VOID.vocabulary, URIRef(vocabulary)))
    articles_ = [r for r in per_graph if r["article"]]
    g.add((root, URIRef(_WWII + "articleGraphs"), Literal(len(articles_), datatype=XSD.integer)))
    for r in sorted(articles_, key=lambda r: r["g"]):
        subset = URIRef(f"{dataset}#article-{key_of(r['g'])}")
        g.add((root, VOID.subset, subset))
        g.add((subset, RDF_TYPE, VOID.Dataset))
        g.add((subset, DCTERMS.source, URIRef(r["g"])))
        g.add((subset, VOID.triples, Literal(int(r["triples"] or 0), datatype=XSD.integer)))
    # one count per kind: each class partition holds what /stats and `kg stats` count
    stats = store.stats()
    for cls, kind in _VOID_PARTITIONS:
        partition = URIRef(f"{dataset}#class-{kind}")
        g.add((root, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(_WWII + cls)))
        g.add((partition, VOID.entities, Literal(stats.get(kind, 0), datatype=XSD.integer)))
    ontology = [r for r in per_graph if r["g"] == BASE + "ontology"]
    if ontology:
        subset = URIRef(f"{dataset}#ontology")
        g.add((root, VOID.subset, subset))
        g.add((subset, RDF_TYPE, VOID.Dataset))
        g.add((subset, DCTERMS.source, URIRef(BASE + "ontology")))
        g.add((subset, VOID.triples, Literal(int(ontology[0]["triples"] or 0), datatype=XSD.integer)))
    return g


RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


__all__ = [
    "DEFAULT_LIMIT",
    "EVENT_TYPES",
    "FAMILIES",
    "KINDS",
    "MAX_LIMIT",
    "Page",
    "articles",
    "casualties",
    "date_arg",
    "default_gazetteer",
    "describe",
    "describe_as",
    "entity",
    "entity_args",
    "entity_iri",
    "event",
    "events",
    "family_of",
    "key_of",
    "leader",
    "leaders",
    "prepare",
    "quotes",
    "select",
    "supports_lateral",
    "text_arg",
    "timeline",
    "triples",
    "void",
]
