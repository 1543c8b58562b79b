"""Near-duplicate copies of one report grouped into one story, in the store, across runs and re-ingests."""

from __future__ import annotations

from pathlib import Path

import pytest
from websample import ORIGINAL, WIRE, WIRE_COPY

from kg import facts
from kg.articles import make_article
from kg.extract import extract
from kg.ingest import ingest
from kg.mapping import article_iri, story_iri, to_graph
from kg.store import Store
from kg.stories import SCHEME, THRESHOLD, StoryIndex, decode, encode, signature, similarity
from kg.validate import validate_store

STORY = """PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
SELECT ?a ?story ?sim ?copyOf WHERE {
  GRAPH ?a { ?a wwii:story ?story OPTIONAL { ?a wwii:storySimilarity ?sim } OPTIONAL { ?a wwii:copyOf ?copyOf } }
}"""


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    """The wire story, a copy with edited paragraphs, and an original report, as three JSON files."""
    import json

    out = {}
    for name, title, paragraphs, outlet in (
        ("wire", "Putin watches Victory Day parade", WIRE, "Example Wire"),
        ("copy", "Victory Day parade in Moscow", WIRE_COPY, "Daily Example"),
        ("original", "Berlin remembers", ORIGINAL, "Berlin Example"),
    ):
        path = tmp_path / f"{name}.json"
        record = {"title": title, "outlet": outlet, "published": "2025-05-09", "text": text(paragraphs)}
        path.write_text(json.dumps(record), encoding="utf-8")
        out[name] = path
    return out


def ids() -> dict[str, str]:
    return {
        "wire": make_article(text(WIRE)).id,
        "copy": make_article(text(WIRE_COPY)).id,
        "original": make_article(text(ORIGINAL)).id,
    }


def stories(store: Store) -> dict[str, tuple[str, float | None, str | None]]:
    """Article id -> (story key, similarity, copy-of id) as the store holds them."""
    out = {}
    for a, story, sim, copy_of in store.query(STORY):  # type: ignore[misc]
        key = lambda iri: str(iri).rsplit("/", 1)[-1] if iri is not None else None  # noqa: E731
        out[key(a)] = (key(story), None if sim is None else float(sim), key(copy_of))
    return out


def test_an_edited_copy_is_near_and_another_report_is_not() -> None:
    """The wire story and its edited copy are above the threshold; an original report is far below."""
    assert THRESHOLD <= similarity(text(WIRE), text(WIRE_COPY)) < 1.0
    assert similarity(text(WIRE), text(ORIGINAL)) < 0.2


def test_signatures_round_trip_and_other_schemes_are_refused() -> None:
    """A stored signature decodes to the same MinHash; one made under another scheme decodes to None."""
    minhash = signature(text(WIRE))
    stored = encode(minhash)
    assert stored.startswith(SCHEME + ":")
    assert decode(stored).jaccard(minhash) == 1.0
    assert decode(stored.replace(SCHEME, "minhash-affine32-p64-s1-w5")) is None
    assert decode(SCHEME + ":not base64!") is None


def test_two_copies_are_two_articles_in_one_story(store: Store, corpus: dict[str, Path]) -> None:
    """The wire story and its copy are stored apart, in one story; the original report is a story of its own."""
    summary = ingest(store, [corpus["wire"], corpus["copy"], corpus["original"]])
    assert summary.ok and summary.articles == 3 and summary.copies == 1
    i = ids()
    held = stories(store)
    assert held[i["wire"]] == (i["wire"], None, None)
    story, sim, copy_of = held[i["copy"]]
    assert story == i["wire"] and copy_of == i["wire"] and THRESHOLD <= sim < 1.0
    assert held[i["original"]] == (i["original"], None, None)
    assert store.stats()["articles"] == 3
    assert all(r.conforms for r in validate_store(store)), [r.messages for r in validate_store(store)]


def test_the_index_is_rebuilt_from_the_store_in_a_later_run(store: Store, corpus: dict[str, Path]) -> None:
    """A copy ingested in a second run still finds the story of the first run's article."""
    ingest(store, [corpus["wire"]])
    assert len(StoryIndex.from_store(store)) == 1
    ingest(store, [corpus["copy"]])
    assert stories(store)[ids()["copy"]][0] == ids()["wire"]


def test_re_ingest_changes_nothing(store: Store, corpus: dict[str, Path]) -> None:
    """Ingesting the same articles again in another order (skipped, or forced) leaves every quad as it was."""
    ingest(store, [corpus["wire"], corpus["copy"], corpus["original"]])
    before = set(store.quads())
    summary = ingest(store, [corpus["copy"], corpus["original"], corpus["wire"]])
    assert summary.ok and summary.articles == 0 and summary.skipped == 3
    assert set(store.quads()) == before
    forced = ingest(store, [corpus["copy"], corpus["original"], corpus["wire"]], force=True)
    assert forced.ok and forced.articles == 3 and forced.skipped == 0
    assert set(store.quads()) == before


def test_articles_stored_before_stories_are_signed_from_their_text(store: Store, corpus: dict[str, Path]) -> None:
    """An article graph with no signature or story (an older store) is found by its copy all the same."""
    wire = make_article(text(WIRE))
    store.put_article(to_graph(extract(wire)))
    ingest(store, [corpus["copy"]])
    assert stories(store)[ids()["copy"]][0] == wire.id


def test_casualties_count_independent_stories(store: Store, corpus: dict[str, Path]) -> None:
    """/casualties' library call: two copies state 27 million; with independent=True it is listed once."""
    ingest(store, [corpus["wire"], corpus["copy"], corpus["original"]])
    i = ids()
    every = facts.as_json(facts.casualties(store, group="Soviet Union"))
    assert sorted(f["low"] for f in every["items"]) == [26_600_000, 27_000_000, 27_000_000]
    assert {f["story"] for f in every["items"]} == {str(story_iri(i["wire"])), str(story_iri(i["original"]))}
    independent = facts.as_json(facts.casualties(store, group="Soviet Union", independent=True))
    assert independent["total"] == 2
    by_low = {f["low"]: f for f in independent["items"]}
    assert sorted(by_low) == [26_600_000, 27_000_000]
    assert by_low[27_000_000]["copies"] == sorted([str(article_iri(i["wire"])), str(article_iri(i["copy"]))])
    assert by_low[27_000_000]["evidence"]["text"] in text(WIRE)  # each copy keeps its own evidence
    [spread] = independent["spread"]
    assert (spread["sources"], spread["stories"], spread["figures"]) == (3, 2, 3)


def test_quotes_count_independent_stories(store: Store, corpus: dict[str, Path]) -> None:
    """Putin's words, reported by both copies, are one quotation of one story with independent=True."""
    ingest(store, [corpus["wire"], corpus["copy"], corpus["original"]])
    assert facts.as_json(facts.quotes(store, speaker="Putin"))["total"] == 2
    independent = facts.as_json(facts.quotes(store, speaker="Putin", independent=True))
    assert independent["total"] == 1
    [quote] = independent["items"]
    assert len(quote["copies"]) == 2 and quote["story"] == str(story_iri(ids()["wire"]))
