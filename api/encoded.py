"""A list page's JSON with each item encoded once: the records of ``kg.facts`` recur, so do their bytes.

A list read builds each event, casualty figure and quotation once per listing text
(``kg.facts.shape.LISTED_RECORDS``): the next read of the same fact gets the same record object.
``listing_json`` keeps the JSON pydantic wrote for such an object (``ITEM_BYTES`` of them, keyed by
identity, each entry holding its record so that the identity stays its own) and writes the page as
pydantic would: the page without its items, with the items' bytes put where the empty list was.
A record is immutable (a frozen dataclass), so its bytes never go stale; a record the store no
longer answers with is simply not asked for again. A page of 50 figures cost ``dump_json`` 110 us;
50 lookups and a join cost a few. Only those kinds (``KEPT_KINDS``): a leader or an article summary
is built anew by every read, so its bytes would never be asked for again, and one ``dump_json`` per
item costs more than one for the page.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pydantic import TypeAdapter

from kg.facts import Casualty, Event, Listing, Quote

ITEM_BYTES = 8192  # about 1 KB each; dropped all at once when full (a new page's items are encoded again)
_EMPTY_ITEMS = b',"items":[]'
KEPT_KINDS = frozenset((Event, Casualty, Quote))  # built once per listing text (listed_event...): they recur

_encoded: dict[int, tuple[Any, bytes]] = {}


@functools.cache
def adapter(model: Any) -> TypeAdapter[Any]:
    """One adapter per response model: pydantic caches the schema of a model class, not of a record
    (a dataclass) or a ``Listing[...]``, which it would otherwise build again on every answer."""
    return TypeAdapter(model)


def model_json(model: Any, data: Any) -> bytes:
    """``data`` checked against ``model`` and encoded, as ``TypeAdapter(model)`` encodes it."""
    checked = adapter(model)
    value = checked.validate_python(data)
    if isinstance(value, Listing) and value.items and dataclasses.is_dataclass(value):
        kind = type(value.items[0])
        if kind in KEPT_KINDS and all(type(item) is kind for item in value.items):
            page = checked.dump_json(dataclasses.replace(value, items=()))
            at = page.find(_EMPTY_ITEMS)  # after total, limit and offset (numbers): the page's own
            if at > 0:
                items = b",".join([_item_json(kind, item) for item in value.items])
                end = at + len(_EMPTY_ITEMS) - 1
                return page[:end] + items + page[end:]
    return checked.dump_json(value)


def _item_json(kind: type, item: Any) -> bytes:
    entry = _encoded.get(id(item))
    if entry is not None and entry[0] is item:
        return entry[1]
    data = adapter(kind).dump_json(item)
    if len(_encoded) >= ITEM_BYTES:
        _encoded.clear()
    _encoded[id(item)] = (item, data)
    return data


__all__ = ["ITEM_BYTES", "adapter", "model_json"]
