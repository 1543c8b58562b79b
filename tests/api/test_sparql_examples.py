"""The example queries of the query page (``api/static/examples/*.rq``) on the sample articles."""

from __future__ import annotations

import httpx
import pytest

from api.routes.sparql import EXAMPLES_DIR, examples

EXAMPLES = examples()


def test_there_is_an_example_for_each_question_researchers_ask() -> None:
    """Leaders at commemorations, losses by source, quotes by speaker, commemorations of an event."""
    titles = " / ".join(ex.title.lower() for ex in EXAMPLES)
    for words in ("leaders", "losses", "quoted", "commemorate"):
        assert words in titles, titles


@pytest.mark.parametrize("example", EXAMPLES, ids=[ex.name for ex in EXAMPLES])
def test_each_example_returns_rows(corpus_api: str, example) -> None:  # type: ignore[no-untyped-def]
    """Each example query answers at least one row on data/articles, with its variables bound."""
    response = httpx.post(f"{corpus_api}/sparql", data={"query": example.query}, timeout=30)
    assert response.status_code == 200, response.text
    results = response.json()
    rows = results["results"]["bindings"]
    assert rows, f"{example.name} returned no rows"
    assert "x-sparql-maxrows" not in response.headers
    first = results["head"]["vars"][0]
    assert any(first in row for row in rows)


def test_examples_are_served_as_files(corpus_api: str) -> None:
    """Each example is downloadable from /static/examples/<name>.rq, byte for byte."""
    for example in EXAMPLES:
        response = httpx.get(f"{corpus_api}/static/examples/{example.name}.rq")
        assert response.status_code == 200
        assert response.content == (EXAMPLES_DIR / f"{example.name}.rq").read_bytes()
