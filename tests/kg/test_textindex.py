"""kg.textindex through Store.search: headlines, quotations and evidence found by their words, the
index kept in step with every write and delete, and built from the graph when a store has none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import ConfigError, StoreError
from kg.mapping import article_iri
from kg.namespaces import ID, OA, SCHEMA, WWII
from kg.store import Store
from kg.textindex import TextIndex, match_expression

AID = "a1b2c3d4e5f60718"


def graph(headline: str, quote: str) -> Graph:
    a = article_iri(AID)
    g = Graph(identifier=a)
    g.add((a, SCHEMA.headline, Literal(headline)))
    g.add((ID[f"quote/{AID}-1"], WWII.text, Literal(quote)))
    g.add((ID[f"evidence/{AID}-1"], OA.exact, Literal(quote[:12])))
    return g


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Store]:
    with Store(f"oxigraph:{tmp_path}/store") as store:
        yield store


def test_words_find_headlines_quotes_and_evidence_with_their_iris(disk: Store) -> None:
    """Every word must match (any case, accents folded); each hit names its resource and article."""
    disk.put_article(graph("Wreaths laid at the Eternal Flame", "Nous n'oublierons jamais les héros"))
    total, hits = disk.search("HEROS jamais")
    assert total == 1 and hits[0].kind == "quote" and hits[0].iri == str(ID[f"quote/{AID}-1"])
    assert hits[0].article == str(article_iri(AID)) and "[héros]" in hits[0].snippet
    assert sorted(h.kind for h in disk.search("nous")[1]) == ["evidence", "quote"]
    assert disk.search("eternal flame", kind="title")[1][0].iri == str(article_iri(AID))
    assert disk.search("eternal flame", kind="quote")[0] == 0


def test_the_index_follows_replacements_and_deletes(disk: Store) -> None:
    """A replaced article's old words are gone, its new ones found; a deleted article is not found."""
    disk.put_article(graph("First headline", "old words"))
    disk.put_article(graph("Second headline", "new words"))
    assert disk.search("old")[0] == 0 and disk.search("new")[0] == 2
    disk.delete_graph(article_iri(AID))
    assert disk.search("words")[0] == 0


def test_a_store_without_an_index_is_indexed_on_first_search(tmp_path: Path) -> None:
    """The index file lost (or made after the store): the first search builds it from the graph, and a
    read-only open of a store with a built index reads it as it is."""
    spec = f"oxigraph:{tmp_path}/store"
    with Store(spec) as store:
        store.put_article(graph("Survivors return to Auschwitz", "never again"))
    (tmp_path / "store-search.sqlite").unlink()
    with Store(spec, read_only=True) as store:
        assert store.search("auschwitz")[0] == 1  # built in memory: a read-only open writes nothing
    assert not (tmp_path / "store-search.sqlite").exists()
    with Store(spec) as store:
        assert store.search("never again")[0] == 2  # the quotation and its evidence span
    with Store(spec, read_only=True) as store:
        assert store.text_index is not None and not store.text_index.fresh
        assert store.search("survivors")[0] == 1


@pytest.mark.parametrize("q", ["", "   ", "!!! ???", " ".join(["w"] * 17)])
def test_queries_without_words_or_with_too_many_are_config_errors(q: str) -> None:
    """Nothing to look for, or more than 16 words: a ConfigError (400 in the API)."""
    with pytest.raises(ConfigError):
        match_expression(q)


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(a b)", "a* OR -b", "col:value", "^start"])
def test_fts_syntax_in_a_query_is_only_words(q: str) -> None:
    """FTS5 operators and quotes are not syntax here: every word is a quoted term."""
    index = TextIndex()
    index.replace("urn:a", [("urn:q", "quote", "a b value start unbalanced")])
    index.search(q)


def test_an_unknown_kind_is_a_config_error(disk: Store) -> None:
    """kind is title, quote or evidence."""
    with pytest.raises(ConfigError):
        disk.search("x", kind="body")


@pytest.mark.server
def test_a_sparql_store_has_no_index(oxigraph_server: str) -> None:
    """Searching a remote server's store is a StoreError, not a silent empty answer."""
    with Store(f"sparql:{oxigraph_server}/query,{oxigraph_server}/update") as store:
        assert store.text_index is None
        with pytest.raises(StoreError):
            store.search("anything")


def test_the_rows_of_a_graph_are_its_headlines_quotes_and_evidence() -> None:
    """Prepared graphs carry their index rows, so worker processes extract them."""
    from kg.store import prepare

    rows = prepare(graph("H", "Q text")).texts
    assert {kind for _, kind, _ in rows} == {"title", "quote", "evidence"}
    assert all(isinstance(URIRef(iri), URIRef) for iri, _, _ in rows)
