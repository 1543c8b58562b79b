"""``api.encoded.model_json``: a list page with each item's bytes kept is byte for byte what pydantic
writes for the whole page, on the first read of its records and on the next (from the kept bytes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Corpus
from pydantic import TypeAdapter

from api import encoded
from api.encoded import model_json
from kg import facts
from kg.facts import ArticleSummary, Casualties, Event, Leader, Listing, Quote, Timeline
from kg.facts.params import Page
from kg.store import Store


@pytest.fixture(scope="module")
def store(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(f"oxigraph:{corpus.copy(tmp_path_factory.mktemp('encoded'))}", read_only=True) as opened:
        yield opened


READS: list[tuple[Any, Callable[[Store, Page], Any]]] = [
    (Listing[Event], lambda s, p: facts.events(s, page=p)),
    (Listing[Event], lambda s, p: facts.events(s, type="parade", page=p)),
    (Timeline, lambda s, p: facts.timeline(s, page=p)),
    (Timeline, lambda s, p: facts.timeline(s, family="historical", page=p)),
    (Casualties, lambda s, p: facts.casualties(s, page=p)),
    (Casualties, lambda s, p: facts.casualties(s, group="Soviet Union", page=p)),
    (Casualties, lambda s, p: facts.casualties(s, independent=True, page=p)),
    (Listing[Quote], lambda s, p: facts.quotes(s, page=p)),
    (Listing[Leader], lambda s, p: facts.leaders(s, page=p)),
    (Listing[ArticleSummary], lambda s, p: facts.articles(s, page=p)),
]


@pytest.mark.parametrize(("model", "read"), READS)
@pytest.mark.parametrize("page", [Page(1, 0), Page(20, 0), Page(7, 5), Page(500, 0), Page(5, 100_000)])
def test_a_page_is_what_pydantic_writes_whole(
    store: Store, model: Any, read: Callable[[Store, Page], Any], page: Page
) -> None:
    whole = TypeAdapter(model).dump_json(read(store, page))
    assert model_json(model, read(store, page)) == whole  # the first encoding of these records, or not
    assert model_json(model, read(store, page)) == whole  # their bytes kept


def test_kept_bytes_belong_to_their_record_alone(store: Store) -> None:
    """A record's bytes are kept by identity with the record itself: an equal-looking new record, or
    one at an address a dropped record had, is encoded afresh, and a full table starts again."""
    listing = facts.events(store, page=Page(3, 0))
    first = listing.items[0]
    twin = dataclasses.replace(first, label=(first.label or "") + " (changed)")
    model_json(Listing[Event], listing)
    changed = dataclasses.replace(listing, items=(twin, *listing.items[1:]))
    assert model_json(Listing[Event], changed) == TypeAdapter(Listing[Event]).dump_json(changed)
    encoded._encoded.clear()
    for n in range(encoded.ITEM_BYTES + 5):
        encoded._item_json(Event, dataclasses.replace(first, label=str(n)))
    assert len(encoded._encoded) <= encoded.ITEM_BYTES


def test_records_built_anew_by_every_read_are_not_kept(store: Store) -> None:
    """Leaders and article summaries are built by every read: their pages are written whole, and
    nothing of them is kept."""
    encoded._encoded.clear()
    model_json(Listing[Leader], facts.leaders(store, page=Page(20, 0)))
    model_json(Listing[ArticleSummary], facts.articles(store, page=Page(20, 0)))
    assert not encoded._encoded
    model_json(Listing[Event], facts.events(store, page=Page(20, 0)))
    assert encoded._encoded


def test_what_is_not_a_page_of_records_is_written_whole() -> None:
    assert model_json(dict[str, int], {"a": 1}) == b'{"a":1}'
    empty = Listing[Event](0, 20, 0, ())
    assert model_json(Listing[Event], empty) == TypeAdapter(Listing[Event]).dump_json(empty)


def test_a_listing_made_of_plain_values_is_checked_and_written_whole() -> None:
    value = {"total": 1, "limit": 1, "offset": 0, "items": []}
    assert model_json(Listing[Event], value) == TypeAdapter(Listing[Event]).dump_json(
        TypeAdapter(Listing[Event]).validate_python(value)
    )
