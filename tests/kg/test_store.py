"""The Store facade behaves the same on every backend (on-disk Oxigraph, in-memory, SPARQL server)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.errors import ConfigError, NotFound, QueryError, StoreError, UnstorableGraph
from kg.mapping import article_iri
from kg.namespaces import ID, SCHEMA, WWII
from kg.store import PreparedGraph, Store, StoreSpec

AID1 = "0123456789abcdef"
AID2 = "0123fedcba987654"
AID3 = "fedcba9876543210"
INJECTION = '" } ; DROP ALL ; #'


def article_graph(aid: str, *, body: str = "Veterans gathered in Moscow.", leader: bool = True) -> Graph:
    """A small hand-built article graph: article metadata, a person (maybe a leader) and an event."""
    from rdflib.namespace import XSD  # not at module level: pytest's collection probes it and rdflib warns

    a = article_iri(aid)
    g = Graph(identifier=a)
    g.add((a, RDF.type, WWII.Article))
    g.add((a, RDF.type, SCHEMA.NewsArticle))
    g.add((a, WWII.textHash, Literal(f"hash-{aid}")))
    g.add((a, SCHEMA.articleBody, Literal(body)))
    g.add((a, SCHEMA.headline, Literal(f"Headline {aid}", lang="en")))
    g.add((a, SCHEMA.datePublished, Literal("2025-05-09", datatype=XSD.date)))
    person = ID[f"person/p-{aid}"]
    g.add((person, RDF.type, WWII.Person))
    g.add((person, RDFS.label, Literal(f"Person {aid}")))
    if leader:
        g.add((person, RDF.type, WWII.Leader))
    event = ID[f"event/{aid}-1"]
    g.add((event, RDF.type, WWII.Event))
    g.add((event, RDFS.label, Literal("Victory Day parade")))
    g.add((event, WWII.participant, person))
    return g


def triples(g: Graph) -> set:
    return set(g)


# --- reading and writing article graphs -------------------------------------------------------


def test_put_article_reads_back_whole_graph(store: Store) -> None:
    """An article graph put with put_article comes back from graph() triple for triple."""
    g = article_graph(AID1, body='He said "never again".\nЗдравствуйте — 1945 ✓')
    store.put_article(g)
    back = store.graph(article_iri(AID1))
    assert back.identifier == article_iri(AID1)
    assert triples(back) == triples(g)


@pytest.mark.parametrize(
    "text",
    [
        'line one\nends in backslash quote \\"',
        'triple """ quotes\n',
        "cr\r\nlf and tab\t",
        "back\\slash \\u0022 no newline",
    ],
)
def test_tricky_literals_round_trip(store: Store, text: str) -> None:
    """Literals with quotes, backslashes and line breaks are stored and read back unchanged."""
    g = article_graph(AID1, body=text)
    store.put_article(g)
    assert (article_iri(AID1), SCHEMA.articleBody, Literal(text)) in store.graph(article_iri(AID1))
    assert store.rows("article_meta", article=article_iri(AID1))[0]["text"] == text


def test_graph_with_blank_nodes_round_trips(store: Store) -> None:
    """A graph with blank nodes reads back isomorphic to what was put."""
    g = article_graph(AID1)
    node = BNode()
    g.add((article_iri(AID1), SCHEMA.about, node))
    g.add((node, RDFS.label, Literal("anonymous")))
    store.put_article(g)
    assert isomorphic(store.graph(article_iri(AID1)), g)


def test_graph_names_lists_stored_articles(store: Store) -> None:
    """graph_names() lists every stored article graph, sorted, and nothing else."""
    assert store.graph_names() == []
    store.put_article(article_graph(AID2))
    store.put_article(article_graph(AID1))
    assert store.graph_names() == [article_iri(AID1), article_iri(AID2)]


def test_has_graph_true_only_for_stored_graph(store: Store) -> None:
    """has_graph is true for a stored article and false for an absent one."""
    store.put_article(article_graph(AID1))
    assert store.has_graph(article_iri(AID1))
    assert not store.has_graph(article_iri(AID2))


def test_graph_of_unknown_name_raises_not_found(store: Store) -> None:
    """Reading an absent graph raises NotFound rather than returning an empty graph."""
    with pytest.raises(NotFound):
        store.graph(article_iri(AID1))


def test_reput_replaces_graph_and_leaves_others_untouched(store: Store) -> None:
    """Putting a changed graph again drops the old triples, adds the new ones, touches no other graph."""
    first = article_graph(AID1, body="old body")
    other = article_graph(AID2)
    store.put_article(first)
    store.put_article(other)

    changed = article_graph(AID1, body="new body", leader=False)
    store.put_article(changed)

    back = triples(store.graph(article_iri(AID1)))
    assert back == triples(changed)
    assert (article_iri(AID1), SCHEMA.articleBody, Literal("old body")) not in back
    assert (ID[f"person/p-{AID1}"], RDF.type, WWII.Leader) not in back
    assert triples(store.graph(article_iri(AID2))) == triples(other)


def test_putting_same_graph_twice_is_idempotent(store: Store) -> None:
    """Putting the same graph twice leaves the same number of quads as putting it once."""
    g = article_graph(AID1)
    store.put_article(g)
    once = len(list(store.quads()))
    store.put_article(g)
    assert len(list(store.quads())) == once
    assert len(store.graph(article_iri(AID1))) == len(g)
    assert store.stats()["quads"] == once


def test_delete_graph_removes_only_that_graph(store: Store) -> None:
    """delete_graph removes the named graph and leaves every other graph whole."""
    store.put_article(article_graph(AID1))
    other = article_graph(AID2)
    store.put_article(other)
    store.delete_graph(article_iri(AID1))
    assert not store.has_graph(article_iri(AID1))
    assert store.graph_names() == [article_iri(AID2)]
    assert triples(store.graph(article_iri(AID2))) == triples(other)


def test_delete_unknown_graph_raises_not_found(store: Store) -> None:
    """Deleting a graph that is not there raises NotFound."""
    store.put_article(article_graph(AID1))
    with pytest.raises(NotFound):
        store.delete_graph(article_iri(AID2))
    assert store.has_graph(article_iri(AID1))


# --- resolving article references --------------------------------------------------------------


@pytest.fixture
def three_articles(store: Store) -> Store:
    for aid in (AID1, AID2, AID3):
        store.put_article(article_graph(aid))
    return store


def test_resolve_article_by_iri(three_articles: Store) -> None:
    """A full article IRI resolves to itself."""
    assert three_articles.resolve_article(str(article_iri(AID1))) == article_iri(AID1)


def test_resolve_article_by_full_id(three_articles: Store) -> None:
    """A full 16-hex id resolves to its article IRI."""
    assert three_articles.resolve_article(AID2) == article_iri(AID2)


def test_resolve_article_by_unique_prefix(three_articles: Store) -> None:
    """A prefix shared by no other article resolves; one shared by two is refused."""
    assert three_articles.resolve_article("01234") == article_iri(AID1)
    assert three_articles.resolve_article("fed") == article_iri(AID3)
    with pytest.raises(NotFound, match="ambiguous"):
        three_articles.resolve_article("0123")


@pytest.mark.parametrize("ref", ["aaaaaaaaaaaaaaaa", "9", str(ID["article/aaaaaaaaaaaaaaaa"])])
def test_resolve_unknown_article_raises_not_found(three_articles: Store, ref: str) -> None:
    """An id, prefix or IRI matching no stored article raises NotFound."""
    with pytest.raises(NotFound):
        three_articles.resolve_article(ref)


# --- queries ----------------------------------------------------------------------------------


def test_stats_counts_what_the_store_holds(store: Store) -> None:
    """stats() and the named stats query count articles, people, leaders, events and quads."""
    g1, g2 = article_graph(AID1), article_graph(AID2, leader=False)
    store.put_article(g1)
    store.put_article(g2)
    expected = {
        "articles": 2,
        "people": 2,
        "leaders": 1,
        "events": 2,
        "casualty_figures": 0,
        "quotes": 0,
        "statements": 0,
        "quads": len(list(store.quads())),  # every quad: the article graphs, their listings, the views
    }
    assert store.stats() == expected
    assert sum(len(store.graph(name)) for name in store.graph_names()) == len(g1) + len(g2)
    rows = list(store.named("stats"))
    assert len(rows) == 1
    assert int(rows[0]["articles"]) == 2  # type: ignore[index]


def test_stats_of_empty_store_are_zero(store: Store) -> None:
    """An empty store reports zero for every count."""
    assert set(store.stats().values()) == {0}


def test_query_bindings_select_only_the_bound_article(store: Store) -> None:
    """A named query with ?article bound returns only that article's row."""
    store.put_article(article_graph(AID1))
    store.put_article(article_graph(AID2))
    rows = store.rows("article_meta", article=article_iri(AID2))
    assert len(rows) == 1
    assert rows[0]["hash"] == f"hash-{AID2}"
    assert rows[0]["title"] == f"Headline {AID2}"


def test_query_binding_with_injection_attempt_is_only_a_value(store: Store) -> None:
    """A bound Literal holding SPARQL syntax matches nothing and changes nothing."""
    g = article_graph(AID1)
    store.put_article(g)
    assert store.rows("article_meta", article=Literal(INJECTION)) == []
    assert list(store.query("SELECT ?a WHERE { GRAPH ?g { ?a ?p ?hash } }", {"hash": Literal(INJECTION)})) == []
    assert store.graph_names() == [article_iri(AID1)]
    assert triples(store.graph(article_iri(AID1))) == triples(g)


def test_query_binding_literal_with_quotes_matches_stored_value(store: Store) -> None:
    """A bound Literal with quotes and newlines matches the identical stored literal."""
    body = 'He said "never again" } ; #\nand left.'
    store.put_article(article_graph(AID1, body=body))
    result = store.query("SELECT ?a WHERE { GRAPH ?g { ?a ?p ?body } }", {"body": Literal(body)})
    assert [row[0] for row in result] == [article_iri(AID1)]  # type: ignore[index]


def test_binding_a_blank_node_raises_query_error(store: Store) -> None:
    """Only IRIs and literals can be bound; a blank node raises QueryError."""
    with pytest.raises(QueryError):
        store.named("article_meta", article=BNode())


@pytest.mark.parametrize(
    "bad", ["SELEC ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ", "ASK { GRAPH ?g { ?s ?p ?o }"]
)
def test_malformed_sparql_raises_query_error(store: Store, bad: str) -> None:
    """Malformed SPARQL raises QueryError with a one-line message."""
    with pytest.raises(QueryError) as info:
        store.query(bad)
    assert "\n" not in str(info.value)


def test_unknown_named_query_raises_query_error(store: Store) -> None:
    """Asking for a named query that does not exist raises QueryError."""
    with pytest.raises(QueryError):
        store.named("no_such_query")


# --- failed writes leave the store as it was --------------------------------------------------


def test_put_graph_named_by_bnode_fails_and_keeps_store(store: Store) -> None:
    """put_graph on a graph named by a blank node raises StoreError; stored graphs stay intact."""
    g = article_graph(AID1)
    store.put_article(g)
    bad = Graph(identifier=BNode())
    bad.add((article_iri(AID2), RDF.type, WWII.Article))
    with pytest.raises(StoreError):
        store.put_graph(bad)
    assert store.graph_names() == [article_iri(AID1)]
    assert triples(store.graph(article_iri(AID1))) == triples(g)


def test_failed_replacement_keeps_previous_graph(store: Store) -> None:
    """A replacement the backend cannot write (lone surrogate) raises StoreError; the old graph stays whole."""
    g = article_graph(AID1)
    store.put_article(g)
    changed = article_graph(AID1, body="new body \ud800 with a lone surrogate")
    with pytest.raises(StoreError):
        store.put_article(changed)
    assert triples(store.graph(article_iri(AID1))) == triples(g)


def test_a_graph_with_a_lone_surrogate_is_refused_before_it_is_sent(store: Store) -> None:
    """A lone surrogate anywhere in a graph is UnstorableGraph naming the code point; nothing is written."""
    with pytest.raises(UnstorableGraph, match="U\\+DFFF"):
        store.put_article(article_graph(AID1, body="text \udfff"))
    assert store.graph_names() == []


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: article_graph(AID2, body="a lone surrogate \udfff"), id="surrogate"),
        pytest.param(lambda: PreparedGraph(article_iri(AID2), "INSERT DATA { GRAPH <urn:x> {", 1), id="malformed"),
    ],
)
def test_a_refused_write_never_blocks_the_next_one(store: Store, bad: object) -> None:
    """After the store refuses one article's write, the next article is stored and the refused one is absent
    (the SPARQL backend's pending edits used to keep the refused update and resend it with every later one)."""
    refused = bad()  # type: ignore[operator]
    with pytest.raises(StoreError):
        if isinstance(refused, PreparedGraph):
            store.put_prepared(refused)
        else:
            store.put_article(refused)
    for aid in (AID1, AID3):
        store.put_article(article_graph(aid))
    assert sorted(store.graph_names()) == sorted([article_iri(AID1), article_iri(AID3)])


def test_replacement_with_relative_iri_is_refused_and_keeps_previous_graph(store: Store) -> None:
    """A graph holding a relative IRI raises StoreError on every backend; the old graph stays whole."""
    g = article_graph(AID1)
    store.put_article(g)
    changed = article_graph(AID1, body="new body")
    changed.add((URIRef("relative-not-an-iri"), RDF.type, WWII.Person))
    with pytest.raises(StoreError):
        store.put_article(changed)
    assert triples(store.graph(article_iri(AID1))) == triples(g)


def test_graph_with_unserialisable_iri_raises_store_error(store: Store) -> None:
    """A graph holding an IRI with a space raises StoreError and writes nothing."""
    bad = article_graph(AID1)
    bad.add((URIRef("http://example.org/a b"), RDF.type, WWII.Person))
    with pytest.raises(StoreError):
        store.put_article(bad)
    assert store.graph_names() == []


# --- on-disk backend only ---------------------------------------------------------------------


def test_on_disk_store_persists_after_reopen(tmp_path: Path) -> None:
    """Data written to an oxigraph: store is there after close and reopen, also read-only."""
    spec = f"oxigraph:{tmp_path}/store"
    g = article_graph(AID1)
    with Store(spec) as s:
        s.put_article(g)
    with Store(spec) as s:
        assert triples(s.graph(article_iri(AID1))) == triples(g)
    with Store(spec, read_only=True) as s:
        assert s.graph_names() == [article_iri(AID1)]


def test_on_disk_store_held_by_another_process_raises_store_locked(tmp_path: Path) -> None:
    """Opening a store path that another process holds raises StoreLocked there."""
    path = tmp_path / "store"
    script = textwrap.dedent(
        f"""
        from kg.errors import StoreLocked
        from kg.store import Store
        try:
            Store({f"oxigraph:{path}"!r})
        except StoreLocked as exc:
            print("LOCKED", exc)
        else:
            print("OPENED")
        """
    )
    root = Path(__file__).resolve().parents[2]
    with Store(f"oxigraph:{path}"):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("LOCKED"), proc.stdout + proc.stderr
    assert "another process" in proc.stdout


def test_read_only_open_of_missing_store_raises_store_error(tmp_path: Path) -> None:
    """Opening a non-existent path read-only raises StoreError instead of creating it."""
    with pytest.raises(StoreError):
        Store(f"oxigraph:{tmp_path}/missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    """A store opened read-only raises StoreError on put and delete."""
    spec = f"oxigraph:{tmp_path}/store"
    with Store(spec) as s:
        s.put_article(article_graph(AID1))
    with Store(spec, read_only=True) as s:
        with pytest.raises(StoreError):
            s.put_article(article_graph(AID2))
        with pytest.raises(StoreError):
            s.delete_graph(article_iri(AID1))


# --- store specs ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["foo:", "oxigraph:", "sparql:notaurl", "sparql:"])
def test_bad_store_spec_raises_config_error(spec: str) -> None:
    """A malformed store spec raises ConfigError."""
    with pytest.raises(ConfigError):
        StoreSpec.parse(spec)


def test_store_spec_parses_each_backend() -> None:
    """Valid specs parse into kind, path and endpoint URLs; one sparql URL serves both."""
    assert StoreSpec.parse("memory:") == StoreSpec("memory")
    assert StoreSpec.parse("oxigraph:data/store") == StoreSpec("oxigraph", path="data/store")
    assert StoreSpec.parse("sparql:http://h/q,http://h/u") == StoreSpec(
        "sparql", query_url="http://h/q", update_url="http://h/u"
    )
    assert StoreSpec.parse("sparql:http://h/s") == StoreSpec("sparql", query_url="http://h/s", update_url="http://h/s")
