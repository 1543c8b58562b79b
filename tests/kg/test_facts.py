"""kg.facts: the cross-article views the API serves, on the sample articles, on both query paths."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from kg import facts
from kg.backends import Capabilities
from kg.backends.oxigraph import OxigraphBackend
from kg.errors import ConfigError, NotFound, QueryError
from kg.gazetteer import load as load_gazetteer
from kg.listing import COUNTS_VIEW
from kg.namespaces import ID
from kg.store import Store, load_query, query_names

ROOT = Path(__file__).resolve().parents[2]
PUTIN = str(ID["person/Q7747"])
TIMELINE = importlib.import_module("kg.facts.timeline")  # the module (kg.facts.timeline is its function)
INJECTION = '" } DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #'


class StandardSparql(OxigraphBackend):
    """The same store without LATERAL joins, queried the way a plain SPARQL 1.1 server is."""

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()


@pytest.fixture(scope="module")
def sample() -> Iterator[Store]:
    """The sample articles ingested into an in-memory store."""
    from kg.ingest import ingest

    store = Store("memory:")
    summary = ingest(store, [ROOT / "data" / "articles"])
    assert summary.ok and summary.articles >= 16
    yield store
    store.close()


@pytest.fixture(scope="module", params=["lateral", "standard"])
def stores(request: pytest.FixtureRequest, sample: Store) -> Store:
    """The sample store with LATERAL joins (Oxigraph's) and with standard SPARQL 1.1 only."""
    if request.param == "lateral":
        return sample
    return Store(StandardSparql(sample.native))


# --- preparing the queries ---------------------------------------------------------------


def test_bind_markers_get_values_and_activate_their_lines() -> None:
    """A bound parameter goes into every #@bind group and turns its #?arg lines into patterns."""
    text = facts.prepare("api_leaders", {"argCountry": ID["country/Q159"], "argName": None})
    assert text.count("VALUES (?argCountry) { (<https://w3id.org/wwiikg/id/country/Q159>) }") == 4
    assert "#?argCountry " not in text and "#?argCountryQid " in text and "#@bind" not in text


def test_unbound_parameters_leave_the_query_as_written() -> None:
    """With nothing bound only the page changes: the #?arg lines stay comments."""
    plain = facts.prepare("api_events", {}, limit=7, offset=14)
    assert "VALUES" not in plain and "#?argPlace" in plain
    assert "LIMIT 7 OFFSET 14" in plain and "LIMIT 50 OFFSET 0" not in plain


def test_lateral_only_on_request() -> None:
    """'# lateral' one-line groups become LATERAL joins for Oxigraph, and stay standard otherwise."""
    assert "LATERAL" not in facts.prepare("api_quotes", {}, limit=1, offset=0)
    lateral = facts.prepare("api_quotes", {}, limit=1, offset=0, lateral=True)
    assert "LATERAL { OPTIONAL { GRAPH ?article { ?article wwii:story ?story } } }" in lateral


def test_values_are_escaped_not_pasted() -> None:
    """A hostile literal is serialised as one escaped string: the prepared query still parses."""
    text = facts.prepare("api_leaders", {"argName": Literal(INJECTION)}, limit=5, offset=0)
    pyoxigraph.Store().query(text, use_default_graph_as_union=True)
    assert 'DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #"' in text


@pytest.mark.parametrize("name", [n for n in query_names() if n.startswith("api_")])
@pytest.mark.parametrize("lateral", [False, True])
def test_every_api_query_parses_with_and_without_parameters(name: str, lateral: bool) -> None:
    """Each api_*.rq is valid SPARQL with no parameter bound and with every #?arg line active."""
    text = load_query(name)
    params = {m: Literal("x") for m in set(re.findall(r"#\?(\w+)", text))}
    page = {"limit": 3, "offset": 1} if "LIMIT 50 OFFSET 0" in text else {}
    for bindings in ({}, params):
        prepared = facts.prepare(name, bindings, lateral=lateral, **page)  # type: ignore[arg-type]
        list(pyoxigraph.Store().query(prepared, use_default_graph_as_union=True))


def test_paging_a_query_without_a_page_is_an_error() -> None:
    """Asking for a page of a query that has no LIMIT/OFFSET is a QueryError, not a silent full result."""
    with pytest.raises(QueryError):
        facts.prepare("api_event", {}, limit=5, offset=0)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_page_bounds(limit: int, offset: int) -> None:
    """A page holds 1 to 500 items from a non-negative offset."""
    with pytest.raises(ConfigError):
        facts.Page(limit, offset)


@pytest.mark.parametrize("value", ["1945", "1945-05", "1945-05-08"])
def test_date_bounds_accept_three_precisions(value: str) -> None:
    """from/to take a year, a month or a day."""
    assert facts.date_arg(value, "from") == Literal(value)


@pytest.mark.parametrize("value", ["45", "1945-5", "1945-13", "1945-05-32", "May 1945", "1945-05-08T00:00"])
def test_malformed_date_bounds_are_config_errors(value: str) -> None:
    """Anything else is refused before a query runs."""
    with pytest.raises(ConfigError):
        facts.date_arg(value, "from")


@pytest.mark.parametrize(
    ("value", "kinds", "expected"),
    [
        ("Russia", ("country",), {"argX": ID["country/Q159"]}),
        ("russian federation", ("country",), {"argX": ID["country/Q159"]}),
        ("Q159", ("country",), {"argX": ID["country/Q159"]}),
        ("Putin", ("person",), {"argX": ID["person/Q7747"]}),
        ("Q362", (), {"argXQid": Literal("Q362")}),
        ("Q999999999", ("person",), {"argXQid": Literal("Q999999999")}),
        (
            "https://w3id.org/wwiikg/id/group/jews-1",
            ("group",),
            {"argX": URIRef("https://w3id.org/wwiikg/id/group/jews-1")},
        ),
        ("  Jews ", ("group",), {"argXName": Literal("Jews")}),
        ("", ("country",), {}),
        (None, ("country",), {}),
    ],
)
def test_entity_filters_resolve_to_the_most_selective_binding(
    value: str | None, kinds: tuple[str, ...], expected: dict[str, Any]
) -> None:
    """IRIs bind as IRIs; gazetteer names, aliases and Wikidata IDs of the right kind as our IRIs;
    other IDs by their Wikidata literal; other names as names."""
    assert facts.entity_args("argX", value, kinds, load_gazetteer()) == expected


def test_entity_iri_refuses_kinds_and_keys_we_never_mint() -> None:
    """Only our kinds and plain keys make IRIs; anything else is NotFound."""
    assert facts.entity_iri("person", "Q7747") == ID["person/Q7747"]
    for kind, key in (("unicorn", "Q1"), ("person", "a b"), ("person", "../x"), ("person", "x" * 300)):
        with pytest.raises(NotFound):
            facts.entity_iri(kind, key)


# --- the views, on both query paths ------------------------------------------------------


def test_leaders_by_country(stores: Store) -> None:
    """Putin leads Russia, with Wikidata Q7747, a Russian office and its evidence."""
    page = facts.as_json(facts.leaders(stores, country="Russia"))
    putin = next(item for item in page["items"] if item["iri"] == PUTIN)
    assert putin["wikidata"] == "Q7747" and putin["sources"] >= 5
    assert putin["offices"][0]["country"]["name"] == "Russia"
    assert "Putin" in putin["offices"][0]["evidence"]["text"]


def test_leader_detail(stores: Store) -> None:
    """Every office per article, events, quotes and co-attendees of one person."""
    putin = facts.as_json(facts.leader(stores, "Q7747", page=facts.Page(100, 0)))
    assert putin["offices"]["total"] == len(putin["offices"]["items"]) >= 5
    assert "Q15031" in {p["wikidata"] for p in putin["co_attendees"]["items"]}
    with pytest.raises(NotFound):
        facts.as_json(facts.leader(stores, "Q1"))


def test_soviet_figures_side_by_side(stores: Store) -> None:
    """Soviet losses: several sources' 27 million side by side; the spread lists each distinct figure."""
    page = facts.as_json(facts.casualties(stores, group="Soviet Union", page=facts.Page(500, 0)))
    assert len([f for f in page["items"] if f["low"] == f["high"] == 27_000_000]) >= 3
    deaths = next(s for s in page["spread"] if s["measure"] == "deaths")
    assert deaths["distinct_figures"] == len({(f["low"], f["high"]) for f in page["items"] if f["measure"] == "deaths"})


def test_timeline_in_date_order(stores: Store) -> None:
    """The timeline is sorted by date and its families add up to the total."""
    timeline = facts.as_json(facts.timeline(stores, page=facts.Page(500, 0)))
    dates = [e["date"] for e in timeline["items"]]
    assert dates == sorted(dates) and sum(f["events"] for f in timeline["families"].values()) == len(dates)


VIEWS: list[tuple[str, Callable[[Store], Any]]] = [
    ("leaders", lambda s: facts.as_json(facts.leaders(s, page=facts.Page(500, 0)))),
    ("leaders-role", lambda s: facts.as_json(facts.leaders(s, role="president"))),
    ("leader", lambda s: facts.as_json(facts.leader(s, "Q7747"))),
    ("events", lambda s: facts.as_json(facts.events(s, page=facts.Page(500, 0)))),
    (
        "events-filtered",
        lambda s: facts.as_json(facts.events(s, participant="Xi Jinping", date_from="2015", date_to="2025")),
    ),
    ("timeline", lambda s: facts.as_json(facts.timeline(s, family="historical"))),
    ("casualties", lambda s: facts.as_json(facts.casualties(s, page=facts.Page(500, 0)))),
    ("quotes", lambda s: facts.as_json(facts.quotes(s, speaker="Putin", q="the"))),
    ("articles", lambda s: facts.as_json(facts.articles(s, outlet="eastern front review"))),
    ("entity", lambda s: facts.entity(s, "country", "Q159")),
]


@pytest.mark.parametrize("view", [v for _, v in VIEWS], ids=[n for n, _ in VIEWS])
def test_both_query_paths_agree(sample: Store, view: Callable[[Store], Any]) -> None:
    """The LATERAL queries and the standard SPARQL 1.1 ones give the same answer."""
    assert view(sample) == view(Store(StandardSparql(sample.native)))


def test_an_articles_report_reads_the_records_the_lists_read(sample: Store) -> None:
    """kg.report and kg.facts give one record per kind: the figure /casualties lists is, in its
    article's report, the same frozen Casualty (numbers, measure, hedge, source, evidence)."""
    import dataclasses

    from kg.report import article_report

    figure = facts.casualties(sample, group="Soviet Union").items[0]
    report = article_report(sample, URIRef(figure.source.article))
    same = next(c for c in report.casualties if c.iri == figure.iri)
    assert type(same) is facts.Casualty
    fields = ("low", "high", "measure", "hedge", "scope", "surface", "source", "evidence")
    assert [getattr(same, f) for f in fields] == [getattr(figure, f) for f in fields]
    with pytest.raises(dataclasses.FrozenInstanceError):
        same.low = 0  # type: ignore[misc]
    assert all(type(p) is facts.Leader for p in report.leaders)
    assert all(type(e) is facts.Event for e in report.events)
    assert all(type(q) is facts.Quote for q in (*report.quotes, *report.statements))


def test_injection_changes_nothing(sample: Store) -> None:
    """Hostile filter values match nothing and leave every quad in place."""
    before = sample.stats()
    assert facts.leaders(sample, country=INJECTION, role=INJECTION, name=INJECTION).total == 0
    assert facts.events(sample, place=INJECTION, participant=INJECTION, commemorates=INJECTION).total == 0
    assert facts.casualties(sample, group=INJECTION, event=INJECTION, measure=INJECTION).total == 0
    assert facts.quotes(sample, speaker=INJECTION, q=INJECTION).total == 0
    assert facts.articles(sample, outlet=INJECTION, q=INJECTION).total == 0
    assert sample.stats() == before


def test_describe_has_the_resource_and_its_evidence(sample: Store) -> None:
    """A resource's description holds its triples from every article and its evidence nodes."""
    from kg.namespaces import OA, WWII

    graph = facts.describe(sample, PUTIN)
    mentions = set(graph.objects(URIRef(PUTIN), WWII.mention))
    assert mentions and all(graph.value(ev, OA.exact) for ev in mentions)
    with pytest.raises(NotFound):
        facts.describe(sample, ID["person/Q1"])


def test_void_counts_the_dataset(sample: Store) -> None:
    """The VoID graph has the endpoint, the triple count and one subset per article."""
    from rdflib.namespace import VOID

    graph = facts.void(sample, dataset="http://h/.well-known/void", sparql_endpoint="http://h/sparql")
    root = URIRef("http://h/.well-known/void#dataset")
    assert int(graph.value(root, VOID.triples)) == sample.stats()["quads"]  # type: ignore[arg-type]
    assert len([s for s in graph.objects(root, VOID.subset) if "#article-" in str(s)]) == sample.stats()["articles"]


def test_void_counts_each_kind_as_stats_does(sample: Store) -> None:
    """One count per kind: VoID's class partitions say what `kg stats` and /stats say."""
    from rdflib.namespace import VOID

    graph = facts.void(sample, dataset="http://h/.well-known/void", sparql_endpoint="http://h/sparql")
    root = URIRef("http://h/.well-known/void#dataset")
    by_class = {
        str(graph.value(p, VOID["class"])).rsplit("#", 1)[-1]: int(graph.value(p, VOID.entities))  # type: ignore[arg-type]
        for p in graph.objects(root, VOID.classPartition)
    }
    stats = sample.stats()
    assert by_class["Leader"] == stats["leaders"] > 0
    assert by_class["Event"] == stats["events"] > 0
    assert by_class["CasualtyFigure"] == stats["casualty_figures"]
    assert by_class["DirectQuote"] == stats["quotes"] and by_class["IndirectStatement"] == stats["statements"]
    assert by_class["Article"] == stats["articles"]


def test_figures_as_reported_before_a_date(sample: Store) -> None:
    """'The Soviet dead as reported before 2015': every source published before 2015, and the figures
    before and from 2015 on add up to all of them."""
    soviet = {"group": "Soviet Union", "page": facts.Page(500)}
    before = facts.as_json(facts.casualties(sample, reported_before="2015", **soviet))  # type: ignore[arg-type]
    after = facts.as_json(facts.casualties(sample, reported_after="2015", **soviet))  # type: ignore[arg-type]
    assert all(item["source"]["published"] < "2015" for item in before["items"])
    assert all(item["source"]["published"] >= "2015" for item in after["items"])
    assert before["total"] + after["total"] == facts.as_json(facts.casualties(sample, **soviet))["total"] > 0  # type: ignore[arg-type]


# --- the tallies and the views, against the queries that count everything ---------------

WWII_NS = "https://w3id.org/wwiikg/ontology#"
TALLIED: list[tuple[str, str, str, dict[str, Any]]] = [
    ("events", "api_events", "type", {"type": Literal("parade")}),
    ("events", "api_events", "type", {"type": Literal("surrender")}),
    ("events", "api_events", "argFamily", {"argFamily": URIRef(WWII_NS + "HistoricalEvent")}),
    ("events", "api_events", "", {}),
    ("figures", "api_casualties", "argGroup", {"argGroup": ID["country/Q15180"]}),
    ("figures", "api_casualties", "argGroup", {"argGroup": ID["country/Q1"]}),
    ("figures", "api_casualties", "", {}),
    ("quotes", "api_quotes", "argKind", {"argKind": URIRef(WWII_NS + "DirectQuote")}),
    ("quotes", "api_quotes", "", {}),
]


@pytest.mark.parametrize(("kind", "query", "facet", "bindings"), TALLIED)
def test_a_tallied_list_reads_what_the_full_count_reads(
    stores: Store, kind: str, query: str, facet: str, bindings: dict[str, Any]
) -> None:
    """With no filter, or one the listings tally, a list's total comes from the counts view and its
    page is the same page: every page equals the full query's, totals included."""
    from kg.listing import tallied

    facets = {facet: facet.removeprefix("arg").lower()} if facet else {}
    name, tallied_bindings = tallied(kind, bindings, facets, query)
    assert name == f"{query}_tallied"
    for limit, offset in ((500, 0), (7, 0), (7, 12)):
        full = stores.select(query, bindings, limit=limit, offset=offset)
        assert listed(stores.select(name, tallied_bindings, limit=limit, offset=offset)) == full


def listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A tallied answer's rows of the list (api_casualties_tallied.rq adds the spread view's rows)."""
    return [{k: v for k, v in r.items() if k != "spread"} for r in rows if r.get("spread") is None]


def test_other_filters_count_everything() -> None:
    """Two filters, or one the listings do not tally, keep the full query."""
    from kg.listing import tallied

    facets = {"type": "type"}
    two = {"type": Literal("parade"), "argFrom": Literal("2020")}
    assert tallied("events", two, facets, "api_events")[0] == "api_events"
    assert tallied("events", {"argPlace": ID["place/Q649"]}, facets, "api_events")[0] == "api_events"


def _timeline_in_full(store: Store) -> tuple[int, list[tuple[str, str]], dict[str, facts.FamilySpan]]:
    """The whole unfiltered timeline as the full sort reads it: total, (date, event) rows, families."""
    answer = store.select("api_timeline", {}, limit=500, offset=0)
    rows = [r for r in answer if r["events"] is None]
    lanes: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in facts.FAMILIES}
    for r in (r for r in answer if r["events"] is not None):
        lane = lanes[facts.family_of(r["type"]) or "other"]
        lane["events"] += r["events"]
        lane["first"] = min(filter(None, (lane["first"], r["first"])), default=None)
        lane["last"] = max(filter(None, (lane["last"], r["last"])), default=None)
    families = {f: facts.FamilySpan(**lane) for f, lane in lanes.items()}
    return int(rows[0]["total"]), sorted((r["date"], r["event"]) for r in rows), families


def _assert_views_agree(store: Store) -> None:
    whole = facts.timeline(store, page=facts.Page(500, 0))
    total, rows, families = _timeline_in_full(store)
    assert (whole.total, dict(whole.families)) == (total, families)
    assert sorted((e.date, e.iri) for e in whole.items) == rows
    assert [e.date for e in whole.items] == sorted(e.date for e in whole.items)  # type: ignore[type-var]
    pages = [e.iri for offset in range(0, total, 9) for e in facts.timeline(store, page=facts.Page(9, offset)).items]
    assert pages == [e.iri for e in whole.items]  # the pages of the view tile the timeline
    viewed = facts.casualties(store, page=facts.Page(500, 0))
    full = facts.casualties(store, reported_after="1000", page=facts.Page(500, 0))  # every article: the full query
    assert viewed.total == full.total
    assert {(s.group.iri if s.group else None, s.measure): (s.sources, s.stories, s.values) for s in viewed.spread} == {
        (s.group.iri if s.group else None, s.measure): (s.sources, s.stories, s.values) for s in full.spread
    }
    for kind, query, _, bindings in TALLIED:
        if not bindings:
            full_total = store.select(query, {}, limit=1, offset=0)[0]["total"]
            assert _tallied_total(store, kind, query) == full_total


def _tallied_total(store: Store, kind: str, query: str) -> Any:
    from kg.listing import tally

    return listed(store.select(f"{query}_tallied", {"argTally": tally(kind)}, limit=1, offset=0))[0]["total"]


def test_the_views_follow_every_write_and_delete(sample: Store) -> None:
    """The timeline, spread and counts views read what the full queries read, after an article is
    dropped, written again, and written with its facts changed."""
    store = Store("memory:")
    for name in sample.graph_names():
        store.put_graph(sample.graph(name))
    _assert_views_agree(store)
    victim = URIRef(facts.timeline(store).items[0].source.article)  # an article with dated events
    graph = store.graph(victim)
    store.delete_graph(victim)
    _assert_views_agree(store)
    store.put_graph(graph)
    _assert_views_agree(store)
    fewer = Graph(identifier=victim)
    for s, p, o in graph:
        if str(p) != WWII_NS + "date":  # its events lose their dates
            fewer.add((s, p, o))
    store.put_graph(fewer)
    _assert_views_agree(store)
    store.close()


class Counted(OxigraphBackend):
    """The sample store, counting the queries sent to it."""

    selects = 0

    def select(self, text: str) -> list[dict[str, Any]]:
        self.selects += 1
        return super().select(text)


@pytest.mark.parametrize("inline_extra", [TIMELINE.INLINE_EXTRA, -1000])
@pytest.mark.parametrize("filters", [{}, {"family": "historical"}, {"type": "parade", "date_from": "1944"}])
def test_a_timeline_page_is_one_query_or_two(
    sample: Store, filters: dict[str, str], inline_extra: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page of /timeline is one query filtered; unfiltered (once it has read the view: it looks
    for the page where the view last put it) one when the page's dates hold few events more than the
    page (their listings come in the same answer), else two (the page's listings next); either way
    with the answer the full sort gives: events in date order, those of one date in IRI order, and on
    both stores (with LATERAL joins and without)."""
    monkeypatch.setattr(TIMELINE, "INLINE_EXTRA", inline_extra)
    for backend in (Counted(sample.native), CountedStandard(sample.native)):
        store = Store(backend)
        whole = facts.timeline(store, page=facts.Page(500, 0), **filters)  # type: ignore[arg-type]
        full = facts.timeline(store, reported_after="1000", page=facts.Page(500, 0), **filters)  # type: ignore[arg-type]
        assert (whole.total, dict(whole.families)) == (full.total, dict(full.families)) and whole.total > 11
        assert [(e.date, e.iri) for e in whole.items] == [(e.date, e.iri) for e in full.items]
        assert whole.items == full.items
        assert [(e.date, e.iri) for e in whole.items] == sorted((e.date or "", e.iri) for e in whole.items)
        for offset in (0, 7, whole.total - 5):
            before = backend.selects
            page = facts.timeline(store, page=facts.Page(11, offset), **filters)  # type: ignore[arg-type]
            assert backend.selects - before == (1 if filters or inline_extra > 0 else 2)
            assert page.items == whole.items[offset : offset + 11]
            assert (page.total, dict(page.families)) == (whole.total, dict(whole.families))


class CountedStandard(StandardSparql, Counted):
    """The sample store without LATERAL joins, counting the queries sent to it."""


@pytest.mark.parametrize("sole_writer", [False, True])
def test_a_timeline_page_follows_a_write_that_moves_it(sample: Store, sole_writer: bool) -> None:
    """A write that puts events before the page moves it: the page read next is the new one (also
    when the store keeps the view's shape between its writes: ``Store.sole_writer``)."""
    store = Store("memory:")
    store.sole_writer = sole_writer
    names = sample.graph_names()
    for name in names[1:]:
        store.put_graph(sample.graph(name))
    before = facts.timeline(store, page=facts.Page(5, 3))
    store.put_graph(sample.graph(names[0]))
    after = facts.timeline(store, page=facts.Page(5, 3))
    whole = facts.timeline(store, page=facts.Page(500, 0))
    assert [e.iri for e in after.items] == [e.iri for e in whole.items][3:8]
    assert after.total >= before.total
    store.close()


VIEW_ROWS = re.compile(r"^\s*\{ SELECT \(GROUP_CONCAT\(\?row", re.M)  # api_timeline_page.rq's, uncommented


class Texts(OxigraphBackend):
    """An embedded Oxigraph backend recording the text of every SELECT."""

    def __init__(self, native: Any) -> None:
        super().__init__(native)
        self.texts: list[str] = []

    def select(self, text: str) -> list[dict[str, Any]]:
        self.texts.append(text)
        return super().select(text)


def test_the_sole_writer_of_a_store_reads_the_timeline_view_once_per_write(sample: Store) -> None:
    """With ``Store.sole_writer``, the unfiltered timeline reads the view's rows once, and again only
    after a write through the store; every page is what a reader that reads them each time gets,
    before and after a delete and a write of an article."""
    memory = Store("memory:")
    for name in sample.graph_names():
        memory.put_graph(sample.graph(name))
    backend = Texts(memory.native)
    store, plain = Store(backend), Store(OxigraphBackend(memory.native))
    store.sole_writer = True
    pages = [facts.Page(500, 0), facts.Page(5, 0), facts.Page(5, 7), facts.Page(3, 10_000)]

    def same() -> int:
        """Every page read both ways alike; how many of the store's queries read the view's rows."""
        before = len(backend.texts)
        for page in pages:
            assert facts.timeline(store, page=page) == facts.timeline(plain, page=page)
        return sum(bool(VIEW_ROWS.search(text)) for text in backend.texts[before:])

    assert same() == 1  # the first read only
    assert same() == 0
    victim = URIRef(facts.timeline(plain, page=facts.Page(1, 3)).items[0].source.article)
    store.delete_graph(victim)
    assert same() == 1
    store.put_graph(sample.graph(victim))
    assert same() == 1
    assert same() == 0
    memory.close()


def _counts_agree(store: Store) -> None:
    """Each tally's total in the counts view is its sum over the listing graphs (0 once none holds it)."""
    held = {
        r["tally"]: int(r["total"])
        for r in store.backend.select(
            f"SELECT ?tally (SUM(?n) AS ?total) WHERE {{ GRAPH ?l {{ ?tally <{WWII_NS}tally> ?n }} }} GROUP BY ?tally"
        )
    }
    viewed = {
        r["tally"]: int(r["total"])
        for r in store.backend.select(
            f"SELECT ?tally ?total WHERE {{ GRAPH <{COUNTS_VIEW}> {{ ?tally <{WWII_NS}tallyTotal> ?total }} }}"
        )
    }
    assert {t: viewed.get(t) for t in held} == held
    assert all(viewed[t] == 0 for t in set(viewed) - set(held))


def test_the_counts_view_follows_every_write_by_difference(sample: Store, store: Store) -> None:
    """On every backend, the counts view, kept by difference (each write gives back the stored
    listing's tallies and adds the new one's, in its own update), sums what the listings hold after
    articles are written, dropped, written again, written twice and written with fewer facts."""
    names = [n for n in sample.graph_names() if "/article/" in str(n)][:3]
    store.ensure_listings()  # the views built, as kg ingest and the API leave a store
    for name in names:
        store.put_graph(sample.graph(name))
    _counts_agree(store)
    graph = sample.graph(names[0])
    store.delete_graph(names[0])
    _counts_agree(store)
    store.put_graph(graph)
    store.put_graph(graph)
    _counts_agree(store)
    fewer = Graph(identifier=names[0])
    for s, p, o in graph:
        if str(p) not in (WWII_NS + "text", WWII_NS + "measure"):  # no quotes, no casualty figures
            fewer.add((s, p, o))
    store.put_graph(fewer)
    _counts_agree(store)
    for name in names:
        store.delete_graph(name)
    _counts_agree(store)


def test_listings_of_an_older_version_are_written_again_with_the_views(sample: Store) -> None:
    """A store whose listings have no tallies (an older version's) gets new listings and views from
    ensure_listings, and reads what the full queries read."""

    store = Store("memory:")
    for name in sample.graph_names():
        store.put_graph(sample.graph(name))
    store.backend.update(f"DELETE WHERE {{ GRAPH ?l {{ ?t <{WWII_NS}tally> ?n }} }} ; DROP GRAPH <{COUNTS_VIEW}>")
    assert not _tallied_total(store, "events", "api_events")
    assert store.ensure_listings() == len(store.graph_names())
    _assert_views_agree(store)
    assert store.ensure_listings() == 0
    store.close()


def _clear_listed_records() -> None:
    from kg.facts.casualties import _viewed_spread, listed_casualty
    from kg.facts.events import listed_event
    from kg.facts.quotes import listed_quote
    from kg.listing import _fields

    for cached in (listed_event, listed_casualty, listed_quote, _viewed_spread, _fields):
        cached.cache_clear()


def _list_reads(store: Store) -> dict[str, Any]:
    page = facts.Page(500, 0)
    return {
        "events": facts.as_json(facts.events(store, page=page)),
        "timeline": facts.as_json(facts.timeline(store, page=page)),
        "dated": facts.as_json(facts.timeline(store, family="historical", page=page)),
        "casualties": facts.as_json(facts.casualties(store, page=page)),
        "independent": facts.as_json(facts.casualties(store, independent=True, page=page)),
        "quotes": facts.as_json(facts.quotes(store, page=page)),
        "stories": facts.as_json(facts.quotes(store, independent=True, page=page)),
        "leaders": facts.as_json(facts.leaders(store, page=page)),
    }


def test_list_reads_follow_every_write_and_delete_of_a_fact(sample: Store) -> None:
    """The records a list read builds once per listing are never served for a fact that changed: after
    an article is written with its events relabelled, its figures raised, its quotes reworded and its
    offices retitled,
    and after it is deleted, every list read gives what it gives with nothing kept (and the new words)."""
    store = Store("memory:")
    for name in sample.graph_names():
        store.put_graph(sample.graph(name))
    # an article with figures and quotes both, so that every kind of record is rewritten
    quoted = {q.source.article for q in facts.quotes(store, page=facts.Page(500, 0)).items}
    figured = [f.source.article for f in facts.casualties(store, page=facts.Page(500, 0)).items]
    victim = URIRef(next(a for a in figured if a in quoted))
    before = _list_reads(store)
    _clear_listed_records()
    assert _list_reads(store) == before  # built once or every time, the same records

    changed = Graph(identifier=victim)
    for s, p, o in store.graph(victim):
        if str(p) == "http://www.w3.org/2000/01/rdf-schema#label" and "/event/" in str(s):
            o = Literal(f"{o} (relabelled)")
        elif str(p) in (WWII_NS + "low", WWII_NS + "high"):
            o = Literal(int(o) + 1)
        elif str(p) == WWII_NS + "text":
            o = Literal(f"{o} (reworded)")
        elif str(p) == WWII_NS + "role":
            o = Literal(f"{o} (retitled)")
        changed.add((s, p, o))
    store.put_graph(changed)
    after = _list_reads(store)
    assert after != before
    mine = [e for e in facts.events(store, page=facts.Page(500, 0)).items if e.source.article == str(victim)]
    assert mine and all(e.label.endswith(" (relabelled)") for e in mine)
    lows = {c["iri"]: c["low"] for c in before["casualties"]["items"] if c["source"]["article"] == str(victim)}
    assert lows and {c["iri"]: c["low"] - 1 for c in after["casualties"]["items"] if c["iri"] in lows} == lows
    said = [q for q in facts.quotes(store, page=facts.Page(500, 0)).items if q.source.article == str(victim)]
    assert said and all(q.text.endswith(" (reworded)") for q in said)
    _clear_listed_records()
    assert _list_reads(store) == after

    store.delete_graph(victim)
    gone = _list_reads(store)
    assert str(victim) not in repr(gone)
    _clear_listed_records()
    assert _list_reads(store) == gone
    store.close()
