"""SPARQL results as typed pandas DataFrames (kg.frames), on a store built from four of data/articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from rdflib import URIRef

from kg.errors import QueryError
from kg.frames import frame, records_frame, sparql_frame
from kg.ingest import IngestSummary, ingest
from kg.store import Store

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
# fixed, so the tests stay fast and exact as the corpus grows: Moscow 2010 (no anniversary stated),
# 2015 (70th) and 2025 (80th) parades, Beijing 2015
SAMPLES = [
    "01_moscow-parade-2010-nato.txt",
    "02_moscow-parade-2015-xi.md",
    "03_moscow-parade-2025-80th.json",
    "04_beijing-parade-2015.html",
]
PREFIXES = """PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
PREFIX schema: <https://schema.org/>
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, IngestSummary]]:
    """An on-disk store holding the sample articles, ingested once for the module, and what ingest did."""
    s = Store(f"oxigraph:{tmp_path_factory.mktemp('frames')}/store")
    summary = ingest(s, [ARTICLES / name for name in SAMPLES])
    assert summary.ok and summary.articles == len(SAMPLES)
    try:
        yield s, summary
    finally:
        s.close()


@pytest.fixture
def store(ingested: tuple[Store, IngestSummary]) -> Store:
    return ingested[0]


def test_named_query_frame_has_the_query_columns_with_typed_dtypes(store: Store) -> None:
    """graph_commemorations: IRIs and text as string, anniversaries and offsets as Int64, consistency as boolean."""
    df = frame(store, "graph_commemorations")
    assert list(df.columns) == [
        "event",
        "target",
        "targetWikidata",
        "stated",
        "computed",
        "consistent",
        "article",
        "start",
        "end",
        "exact",
    ]
    assert len(df) >= 3
    dtypes = df.dtypes.astype(str).to_dict()
    assert {dtypes[c] for c in ("event", "target", "targetWikidata", "article", "exact")} == {"string"}
    assert {dtypes[c] for c in ("stated", "computed", "start", "end")} == {"Int64"}
    assert dtypes["consistent"] == "boolean"
    assert set(df["stated"].dropna()) == {70, 80}


def test_unbound_values_are_missing_not_none(store: Store) -> None:
    """A commemoration with no anniversary has <NA> there, and counts skip it."""
    df = frame(store, "graph_commemorations")
    assert df["stated"].isna().any() and df["targetWikidata"].isna().any()
    assert None not in df["stated"].tolist() + df["targetWikidata"].tolist()
    assert 70 < df["stated"].mean() < 80


def test_dates_become_datetime64(store: Store) -> None:
    """xsd:date publication dates come out as datetime64, comparable to timestamps."""
    df = sparql_frame(
        store,
        PREFIXES + "SELECT ?article ?published WHERE { GRAPH ?article { ?article schema:datePublished ?published } }",
    )
    assert pd.api.types.is_datetime64_any_dtype(df["published"])
    assert len(df) == len(SAMPLES)
    assert (df["published"] >= pd.Timestamp("2010-01-01")).all()
    assert sorted(df["published"].dt.year) == [2010, 2015, 2015, 2025]


def test_a_column_mixing_dates_and_years_stays_text(store: Store) -> None:
    """wwii:date holds days, year-months and years: the column is text, not a guessed day."""
    df = frame(store, "graph_events")
    assert str(df["date"].dtype) == "string"
    shapes = {len(value) for value in df["date"].dropna()}
    assert {4, 10} <= shapes  # a year ("1931") and a day ("2015-05-09") side by side


def test_named_query_binds_an_iri(store: Store) -> None:
    """A named query with an IRI binding returns that article's row, its date typed."""
    article = URIRef("https://w3id.org/wwiikg/id/article/e3a38632994e89d9")
    df = frame(store, "article_meta", article=article)
    assert len(df) == 1
    assert df.loc[0, "outlet"] == "Eastern Front Review"
    assert df.loc[0, "published"] == pd.Timestamp("2025-05-09")


def test_python_values_bind_as_literals(store: Store) -> None:
    """An int binding matches xsd:integer values: only 80th anniversaries come back."""
    text = PREFIXES + "SELECT ?event ?stated WHERE { GRAPH ?g { ?event wwii:anniversaryStated ?stated } }"
    df = sparql_frame(store, text, {"stated": 80})
    assert df["stated"].tolist() == [80]  # the 2025 parade; 2015's two are 70th, 2010's states none


def test_stats_are_integer_counts(ingested: tuple[Store, IngestSummary]) -> None:
    """The stats query is one row of Int64 counts, one article per article ingested."""
    store, summary = ingested
    df = frame(store, "stats")
    assert set(df.dtypes.astype(str)) == {"Int64"}
    assert df.loc[0, "articles"] == summary.articles


def test_decimals_with_integers_are_float_and_missing_is_na(store: Store) -> None:
    """A column of 1.5, 2 and an unbound value is Float64 with <NA>."""
    df = sparql_frame(store, "SELECT ?x WHERE { VALUES ?x { 1.5 2 UNDEF } }")
    assert str(df["x"].dtype) == "Float64"
    assert df["x"].tolist()[:2] == [1.5, 2.0]
    assert df["x"].isna().sum() == 1


def test_an_empty_result_keeps_its_columns(store: Store) -> None:
    """No rows still gives the projected columns."""
    df = sparql_frame(store, PREFIXES + "SELECT ?a ?b WHERE { ?a wwii:noSuchProperty ?b }")
    assert list(df.columns) == ["a", "b"] and df.empty


def test_only_select_queries_make_frames(store: Store) -> None:
    """ASK has no table: QueryError."""
    with pytest.raises(QueryError):
        sparql_frame(store, "ASK { ?s ?p ?o }")


# --- records of one fact kind ---------------------------------------------------------------


def test_casualty_records_make_one_typed_row_each_with_their_evidence(store: Store) -> None:
    """records_frame(facts.casualties(...).items): a row per figure, numbers Int64, the source's date
    datetime64, nested records as group_name, evidence_text..., each text where its offsets say."""
    from kg import facts

    figures = facts.casualties(store, page=facts.Page(500)).items
    df = records_frame(figures)
    assert len(df) == len(figures) > 0
    assert {"low", "high", "measure", "hedge", "group_name", "evidence_text", "source_outlet"} <= set(df.columns)
    assert "group" not in df.columns and "evidence" not in df.columns
    assert str(df["low"].dtype) == str(df["evidence_start"].dtype) == "Int64"
    assert str(df["measure"].dtype) == "string"
    assert pd.api.types.is_datetime64_any_dtype(df["source_published"])
    for row, figure in zip(df.itertuples(), figures, strict=True):
        assert row.low == figure.low and row.evidence_text == figure.evidence.text
        assert row.source_published.date().isoformat() == figure.source.published
        body = store.select("article_meta", {"article": URIRef(figure.source.article)})[0]["text"]
        assert body[row.evidence_start : row.evidence_end] == row.evidence_text


def test_quote_records_keep_booleans_and_missing_speakers(store: Store) -> None:
    """direct is boolean; a quote without a speaker has <NA> in speaker_name, not None."""
    from kg import facts

    df = records_frame(facts.quotes(store, page=facts.Page(500)).items)
    assert str(df["direct"].dtype) == "boolean" and df["direct"].any()
    assert str(df["speaker_name"].dtype) == "string"
    assert records_frame([]).empty
