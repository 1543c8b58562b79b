"""Near-duplicate articles grouped into stories: one wire report run by ten outlets is one source.

Each article is signed with MinHash over its word 3-shingles (``datasketch``, 128 permutations).
An article whose estimated Jaccard similarity to a stored article reaches ``THRESHOLD`` joins that
article's story (the closest one's, when several match); otherwise it starts its own story, named
after itself (``id/story/{article id}``). Candidates come from an LSH index, then the estimate decides.

The index lives in the store: every article graph keeps its signature (``wwii:minhash``, prefixed
with the scheme so a change of parameters re-signs instead of comparing unlike signatures) and its
story, and ``StoryIndex.from_store`` rebuilds the index at the start of each run. An article stored
before signatures existed is signed from its stored text and counts as its own story until it is
ingested again. An article that is already in a story keeps it when ingested again, so re-ingest
changes nothing.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.articles import normalise

if TYPE_CHECKING:
    from kg.store import Store

SHINGLE_WORDS = 3
NUM_PERM = 128
SEED = 1
THRESHOLD = 0.5
SCHEME = f"minhash-affine32-p{NUM_PERM}-s{SEED}-w{SHINGLE_WORDS}"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StoryLink:
    """Which story an article belongs to, and how close it is to the stored copy it matched."""

    story: str  # the story key: the id of the story's first article
    similarity: float  # estimated Jaccard similarity to ``copy_of``; 1.0 for a story's first article
    copy_of: str | None = None  # the id of the closest stored article of the story


def shingles(text: str) -> set[bytes]:
    """The article's word 3-shingles, case and punctuation folded (a shorter text is one shingle)."""
    words = _WORD.findall(normalise(text).lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> Any:
    """The MinHash of ``text``'s shingles."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    minhash.update_batch(sorted(shingles(text)))
    return minhash


def encode(minhash: Any) -> str:
    """``SCHEME:base64`` of the little-endian 32-bit hash values: how a signature is stored."""
    return f"{SCHEME}:{base64.b64encode(minhash.hashvalues.astype('<u4').tobytes()).decode('ascii')}"


def decode(text: str | None) -> Any:
    """The MinHash stored as ``text``; None when it was made with another scheme or is malformed."""
    import numpy as np
    from datasketch import MinHash

    scheme, _, data = (text or "").partition(":")
    if scheme != SCHEME:
        return None
    try:
        values = np.frombuffer(base64.b64decode(data, validate=True), dtype="<u4").astype(np.uint64)
    except ValueError:
        return None
    if len(values) != NUM_PERM:
        return None
    return MinHash(seed=SEED, hashvalues=values, scheme="affine32")


def similarity(a: str, b: str) -> float:
    """The estimated Jaccard similarity of two texts' shingles."""
    return float(signature(a).jaccard(signature(b)))


class StoryIndex:
    """The signatures and stories of the stored articles, to find an incoming article's story."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, Any] = {}
        self.links: dict[str, StoryLink] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    @classmethod
    def from_store(cls, store: Store, threshold: float = THRESHOLD) -> StoryIndex:
        """The index of every article in ``store``, read back from the article graphs."""
        from kg.mapping import article_iri

        index = cls(threshold)
        for row in store.rows("story_index"):
            article_id = str(row["article"]).rsplit("/", 1)[-1]
            minhash = decode(row["signature"])
            if minhash is None:  # stored before signatures, or under another scheme
                text = store.rows("article_meta", article=article_iri(article_id))
                if not text or text[0]["text"] is None:
                    continue
                minhash = signature(str(text[0]["text"]))
            link = None
            if row["story"] is not None:
                copy_of = row["copyOf"]
                link = StoryLink(
                    str(row["story"]).rsplit("/", 1)[-1],
                    float(row["similarity"] if row["similarity"] is not None else 1.0),
                    str(copy_of).rsplit("/", 1)[-1] if copy_of is not None else None,
                )
            index.add(article_id, minhash, link)
        return index

    def assign(self, article_id: str, minhash: Any) -> StoryLink:
        """The story of ``article_id``: the one it is in already, else that of the closest stored
        article at or above the threshold, else a story of its own."""
        known = self.links.get(article_id)
        if known is not None:
            return known
        best: tuple[float, str] | None = None
        for other in self.lsh.query(minhash):
            if other == article_id:
                continue
            score = float(minhash.jaccard(self.signatures[other]))
            if score >= self.threshold and (best is None or (score, other) > best):
                best = (score, other)
        if best is None:
            return StoryLink(article_id, 1.0)
        score, other = best
        story = self.links[other].story if other in self.links else other
        return StoryLink(story, round(score, 3), other)

    def add(self, article_id: str, minhash: Any, link: StoryLink | None = None) -> None:
        """Index an article (and, once stored, its story)."""
        if article_id not in self.signatures:
            self.lsh.insert(article_id, minhash)
        self.signatures[article_id] = minhash
        if link is not None:
            self.links[article_id] = link


__all__ = ["NUM_PERM", "SCHEME", "THRESHOLD", "StoryIndex", "StoryLink", "decode", "encode", "signature", "similarity"]
