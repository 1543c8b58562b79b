"""What /sparql decides from the query text alone, before any parser sees it (``api.guard.screen``)."""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes

import pytest

from api.guard import MAX_DEPTH, nesting_depth, screen
from api.routes.sparql import time_limit, unquote_form
from kg.errors import QueryError, QueryRefused

PREFIXES = "PREFIX g: <https://w3id.org/wwiikg/id/article/>\nPREFIX wwii: <https://w3id.org/wwiikg/ontology#>\n"


@pytest.mark.parametrize(
    ("query", "form", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", "results"),
        ("# a comment\nask { }", "ASK", "results"),
        (PREFIXES + "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT", "graph"),
        ("BASE <http://example.org/> DESCRIBE <x>", "DESCRIBE", "graph"),
    ],
)
def test_query_form_and_answer_kind(query: str, form: str, kind: str) -> None:
    """The query form after the prologue decides between a results table and a graph."""
    screened = screen(query)
    assert (screened.form, screened.kind) == (form, kind)


def test_from_clauses_are_resolved_against_prefixes_and_base() -> None:
    """FROM / FROM NAMED IRIs come out absolute, from prefixed names, relative IRIs and BASE."""
    query = PREFIXES + (
        "BASE <https://w3id.org/wwiikg/id/article/>\n"
        "SELECT * FROM g:aaaa FROM <bbbb> FROM NAMED <https://example.org/c> WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    screened = screen(query)
    assert screened.default_graphs == (
        "https://w3id.org/wwiikg/id/article/aaaa",
        "https://w3id.org/wwiikg/id/article/bbbb",
    )
    assert screened.named_graphs == ("https://example.org/c",)


def test_the_word_from_elsewhere_is_no_dataset_clause() -> None:
    """'from' in a string, a variable or a subquery's text is not read as a FROM clause."""
    query = 'SELECT ?from WHERE { ?from ?p "from <http://example.org/x>" } # FROM <http://example.org/y>'
    assert screen(query).default_graphs == ()


@pytest.mark.parametrize(
    ("query", "error", "words"),
    [
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", QueryRefused, "read-only"),
        (PREFIXES + "DELETE WHERE { ?s ?p ?o }", QueryRefused, "read-only"),
        ("LOAD <http://example.org/data.ttl>", QueryError, "LOAD is not allowed"),
        ("SELECT * WHERE { \\u0053ERVICE <http://e/> { ?s ?p ?o } }", QueryError, "SERVICE is not allowed"),
        ("CONSTRUCT { <s> <p> 1 } WHERE {}", QueryError, "relative IRI <s>"),
        ("SELECT * FROM undeclared:g WHERE { ?s ?p ?o }", QueryError, "declared prefix"),
    ],
)
def test_refusals_before_parsing(query: str, error: type[Exception], words: str) -> None:
    """Updates (403), LOAD, escaped SERVICE, relative IRIs and undeclared FROM prefixes are refused by text."""
    with pytest.raises(error, match=words):
        screen(query)


def test_a_service_mention_asks_for_a_parse_of_the_renamed_text() -> None:
    """Text mentioning 'service' anywhere must be parsed with every 'service' renamed first."""
    screened = screen('SELECT * WHERE { ?s ?p "memorial service" }')
    assert screened.service_probe == 'SELECT * WHERE { ?s ?p "memorial servicz" }'
    assert screen("SELECT * WHERE { ?s ?p ?o }").service_probe is None


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE { { ?s ?p [ ?q ( 1 2 ) ] } }", 4),
        ('SELECT * WHERE { ?s ?p "((((((((" }', 9),  # brackets in a string still count: never too few
        ('SELECT * WHERE { ?s ?p "))))" . { { ?s ?p ?o } } }', 3),  # closers in a string hide nothing
    ],
)
def test_nesting_depth_never_undercounts(query: str, depth: int) -> None:
    """Depth is the larger of a raw count and a count outside strings, IRIs and comments."""
    assert nesting_depth(query) == depth


def test_nesting_over_the_limit_is_refused() -> None:
    """One level over MAX_DEPTH is a QueryError naming the depth and the limit."""
    query = "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)
    with pytest.raises(QueryError, match=f"{MAX_DEPTH + 1} deep; the limit is {MAX_DEPTH}"):
        screen(query)


@pytest.mark.parametrize(
    "raw",
    [
        b"a+b%2Bc",
        b"%E2%82%AC%20%C3%A9",
        b"bad%zz%",
        b"%4",
        b"back\\slash%5Cx41%41",
        quote('SELECT ?x { ?x <p> "\\\\ \\" \u00e9" }').encode(),
    ],
)
def test_form_decoding_matches_urllib(raw: bytes) -> None:
    """The fast form decoder gives urllib's bytes for good and malformed percent-encoding alike."""
    assert unquote_form(raw) == unquote_to_bytes(raw.replace(b"+", b" "))


@pytest.mark.parametrize(("given", "limit"), [(None, 30.0), ("5", 5.0), ("0.25", 0.25), ("3600", 30.0)])
def test_timeout_parameter_lowers_never_raises(given: str | None, limit: float) -> None:
    """timeout= below the configured limit applies; above it the configured limit stays."""
    assert time_limit(given, 30.0) == limit
