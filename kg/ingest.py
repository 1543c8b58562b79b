"""Ingesting articles: read -> extract -> map -> story -> store, one atomic graph write per article.

Sources are files and folders (txt, md, json, jsonl, html), web archives (``.warc``, ``.warc.gz``:
every HTML response), web pages (``http(s)://`` URLs) and feeds (RSS or Atom, by URL or file:
every item's page). Pages are fetched in this process, politely (``kg.fetch``); extraction of files
may run in worker processes; writes stay in this process, since only one process may open an
on-disk Oxigraph store for writing. Before it is written, each article is placed in its story of
near-duplicate copies (``kg.stories``), and that link goes into the same atomic write.

A source or an article that cannot be read is reported with its reason and skipped; nothing of it
reaches the store. An article whose graph is already stored (same id: same text) is skipped before
extraction, so a second run, or one resumed after an interruption, extracts only what is missing;
``force=True`` extracts and writes every article again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from rdflib import Graph

from kg.articles import SUFFIXES, Article, read_each
from kg.errors import ArticleError, KGError, StoreUnwritable
from kg.fetch import Fetcher, FetchPolicy, fetch_article, is_url
from kg.records import Extraction
from kg.store import PreparedGraph, Store, prepare
from kg.stories import StoryIndex, StoryLink, encode, signature
from kg.warc import is_warc, read_warc

FLUSH_EVERY = 100
# Articles a run writes with the views (kg.listing) counted again in each write; past that the views
# are left behind and built once at the end. At a million quads the views cost ~50 ms an article
# write and a rebuild ~1.8 s: a run of a few dozen articles comes out even.
DEFER_VIEWS_AFTER = 40


class ViewDeferral:
    """When a run's writes count the views (``kg.listing``): the first ``after`` articles each in
    its own update; past that the views are marked unbuilt (``Store.suspend_views``), the writes
    leave them behind (``PreparedGraph.without_views``) and the run builds them once at its end
    (``deferring_views``). ``kg ingest`` and the cluster's ingest (``kg.cluster``) both run by it."""

    def __init__(self, store: Store, after: int = DEFER_VIEWS_AFTER, *, rebuild: bool = False) -> None:
        self.store, self.after = store, after
        self.deferred = False
        self.rebuild = rebuild  # build them at the end whether or not they were left behind

    def counted(self, written: int) -> bool:
        """Whether the next write counts the views, ``written`` articles into the run."""
        if not self.deferred and written >= self.after:
            self.store.suspend_views()
            self.deferred = True
        return not self.deferred


@contextlib.contextmanager
def deferring_views(store: Store, after: int = DEFER_VIEWS_AFTER, *, rebuild: bool = False) -> Iterator[ViewDeferral]:
    """A run's ``ViewDeferral``: the views left behind (or all of them, with ``rebuild``) are built
    at the end of the block, also when it stops on an error (should the process be killed, the next
    ``Store.ensure_listings`` builds them)."""
    deferral = ViewDeferral(store, after, rebuild=rebuild)
    try:
        yield deferral
    except BaseException:
        if deferral.deferred or deferral.rebuild:
            with contextlib.suppress(KGError):  # the error in flight says more; ensure_listings builds them later
                store.rebuild_views()
        raise
    if deferral.deferred or deferral.rebuild:
        store.rebuild_views()


@dataclass(frozen=True)
class Failure:
    """A source (file, URL, archived page, feed) that was skipped, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Extracted:
    """One article's graph, ready to write, with what the writer needs to place it in a story."""

    prepared: PreparedGraph
    facts: int
    article_id: str
    signature: str
    undated: bool = False  # no publication date: relative dates stay unresolved


@dataclass
class IngestSummary:
    """What an ingest run did."""

    files: int = 0
    articles: int = 0
    facts: int = 0
    quads: int = 0
    skipped: int = 0  # articles already stored, not extracted again
    undated: int = 0  # articles stored without a publication date
    failures: list[Failure] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)  # article id -> story key, for this run

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def copies(self) -> int:
        """Articles of this run that joined a story another article had started."""
        return sum(1 for article, story in self.stories.items() if article != story)


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """The article files and web archives under ``paths`` (folders are walked; READMEs and hidden
    files skipped). URLs are not files: ``ingest`` takes them apart."""
    files: list[Path] = []
    missing: list[Failure] = []
    for raw in paths:
        if isinstance(raw, str) and is_url(raw):
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (child.suffix.lower() in SUFFIXES or is_warc(child)) and not _skipped(child):
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Failure(str(path), "no such file or directory"))
    return files, missing


@dataclass(frozen=True)
class Sources:
    """What an ingest was given, sorted by how each is read: article files, web archives, page URLs
    and feeds, and the paths that named nothing."""

    files: tuple[Path, ...]
    archives: tuple[Path, ...]
    urls: tuple[str, ...]
    feeds: tuple[str, ...]
    missing: tuple[Failure, ...]

    @classmethod
    def of(cls, paths: Iterable[str | Path], feeds: Iterable[str] = ()) -> Sources:
        paths = list(paths)
        found, missing = collect_files(paths)
        return cls(
            files=tuple(f for f in found if not is_warc(f)),
            archives=tuple(f for f in found if is_warc(f)),
            urls=tuple(str(p) for p in paths if isinstance(p, str) and is_url(p)),
            feeds=tuple(feeds),
            missing=tuple(missing),
        )

    def summary(self) -> IngestSummary:
        """An empty summary of a run over these sources: their count and the paths that named nothing."""
        count = len(self.files) + len(self.archives) + len(self.urls) + len(self.feeds)
        return IngestSummary(files=count, failures=list(self.missing))

    def web_articles(
        self, published: date | None, fetch: FetchPolicy | None
    ) -> Iterator[tuple[str, Article | KGError]]:
        """Each article read from pages, archives and feeds (or why it could not be), by where it came from."""
        if self.urls or self.archives or self.feeds:
            with Fetcher(fetch or FetchPolicy()) as fetcher:
                yield from _web_articles(self.urls, self.archives, self.feeds, published, fetcher)


def _skipped(path: Path) -> bool:
    return path.name.startswith(".") or path.stem.upper() in ("README", "LICENSE", "CHANGELOG")


def article_graph(extraction: Extraction) -> Graph:
    from kg.mapping import to_graph

    return to_graph(extraction)


_worker_state: dict[str, object] = {}


def stored_ids(store: Store) -> frozenset[str]:
    """The ids of the articles whose graphs the store holds (each written whole, in one update)."""
    from kg.namespaces import ID

    prefix = str(ID["article/"])
    return frozenset(str(g)[len(prefix) :] for g in store.graph_names() if str(g).startswith(prefix))


def _init_worker(stored: frozenset[str] = frozenset()) -> None:
    _worker_state["stored"] = stored


def _load_pipeline() -> None:
    """The spaCy pipeline and gazetteer, loaded once per process and only when there is something to extract."""
    if "nlp" in _worker_state:
        return
    from kg.gazetteer import load
    from kg.nlp import load_pipeline

    _worker_state["nlp"] = load_pipeline()
    _worker_state["gaz"] = load()


# what a bug of the extractor raises on text it was not written for (a figure of 400 digits overflows
# a float): the article is refused, and the run, or the server, goes on with the next one
EXTRACTOR_FAULTS = (ArithmeticError, RecursionError)


def extract_checked(articles: list[Article]) -> list[Extraction]:
    """``kg.extract.extract_many`` (with this worker's pipeline), an extractor fault as ``ArticleError``."""
    from kg.extract import extract_many

    try:
        return list(extract_many(articles, _worker_state.get("nlp"), _worker_state.get("gaz")))  # type: ignore[arg-type]
    except EXTRACTOR_FAULTS as exc:
        raise ArticleError(f"the extractor failed on this article: {type(exc).__name__}: {exc}") from exc


def _extract(articles: list[Article]) -> list[Extracted]:
    """Articles -> graphs ready to write, with signatures (in a worker, or in this process).

    Graphs travel as their SPARQL update text: unpickling rdflib graphs in the writing process
    cost as much as writing them.
    """
    from kg.mapping import to_triples

    _load_pipeline()
    out = []
    for x in extract_checked(articles):
        out.append(
            Extracted(
                prepare(to_triples(x)),
                x.fact_count,
                x.article.id,
                encode(signature(x.article.text)),
                undated=x.article.published is None,
            )
        )
    return out


PARSE_TOGETHER = 8  # files whose articles spaCy parses in one batch: it is faster on batches than one by one


def _process_files(jobs: list[tuple[str, date | None]]) -> list[tuple[str, list[Extracted | Failure] | str, int]]:
    """Worker: article files -> per file, the graphs of its articles not yet stored, with a ``Failure``
    in place of each article that could not be read (a bad line of a ``.jsonl`` file fails alone), and
    how many were stored already; or why the whole file failed. The files' new articles are parsed
    together; should one of them spoil the batch, each file goes again alone, so only its file fails."""
    stored: frozenset[str] = _worker_state.get("stored", frozenset())  # type: ignore[assignment]
    reads: list[tuple[str, list[Article | ArticleError] | str]] = []
    for path, published in jobs:
        try:
            reads.append((path, read_each(path, published=published)))
        except KGError as exc:
            reads.append((path, str(exc)))
    todo = [
        a
        for _, read in reads
        if not isinstance(read, str)
        for a in read
        if isinstance(a, Article) and a.id not in stored
    ]
    try:
        extracted = iter(_extract(todo) if todo else [])
    except KGError as exc:
        if len(jobs) > 1:
            return [result for job in jobs for result in _process_files([job])]
        return [(jobs[0][0], str(exc), 0)]
    results: list[tuple[str, list[Extracted | Failure] | str, int]] = []
    for path, read in reads:
        if isinstance(read, str):
            results.append((path, read, 0))
            continue
        out: list[Extracted | Failure] = []
        for item in read:
            if not isinstance(item, Article):
                out.append(Failure(path, str(item)))
            elif item.id not in stored:
                out.append(next(extracted))
        results.append((path, out, sum(1 for a in read if isinstance(a, Article) and a.id in stored)))
    return results


def extract_files(
    files: list[Path], published: date | None = None, workers: int = 1, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, list[Extracted | Failure] | str, int]]:
    """Article graphs per file, in file order, extracted in ``workers`` processes; articles whose id
    is in ``skip`` are not extracted, only counted (the third item)."""
    jobs = [(str(f), published) for f in files]
    batches = [jobs[i : i + PARSE_TOGETHER] for i in range(0, len(jobs), PARSE_TOGETHER)]
    if workers <= 1:
        _init_worker(skip)
        for batch in batches:
            yield from _process_files(batch)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    with ctx.Pool(workers, initializer=_init_worker, initargs=(skip,)) as pool:
        for results in pool.imap(_process_files, batches):
            yield from results


def _with_date(article: Article, published: date | None, basis: str) -> Article:
    if published is None or (article.published is not None and basis != "given"):
        return article
    return replace(article, published=published, published_basis=basis)


def _web_articles(
    urls: Iterable[str], archives: Iterable[Path], feeds: Iterable[str], published: date | None, fetcher: Fetcher
) -> Iterator[tuple[str, Article | KGError]]:
    """Each article read from the web and from archives (or why it could not be), labelled by where it came from."""
    from kg.feeds import read_feed

    def page(url: str, fallback: date | None = None) -> Article | KGError:
        try:
            article = fetch_article(fetcher, url)
        except KGError as exc:
            return exc
        return _with_date(_with_date(article, fallback, "feed"), published, "given")

    for url in urls:
        yield url, page(url)
    for archive in archives:
        for uri, result in read_warc(archive):
            label = f"{archive}: {uri}" if uri != str(archive) else str(archive)
            yield label, result if isinstance(result, KGError) else _with_date(result, published, "given")
    for feed in feeds:
        try:
            items = read_feed(feed, fetcher)
        except KGError as exc:
            yield feed, exc
            continue
        for item in items:
            yield item.url, page(item.url, item.published)


def write(store: Store, index: StoryIndex, item: Extracted, *, views: bool = True) -> StoryLink:
    """Place one extracted article in its story and store it, both in one atomic update (with the
    views counted again in it, unless ``views`` is false: see ``Store.suspend_views``)."""
    from kg.mapping import story_graph
    from kg.stories import decode

    minhash = decode(item.signature)
    link = index.assign(item.article_id, minhash)
    prepared = item.prepared.extended(story_graph(item.article_id, link, item.signature))
    store.put_prepared(prepared if views else prepared.without_views())
    index.add(item.article_id, minhash, link)
    return link


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    feeds: Iterable[str] = (),
    published: date | None = None,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
    fetch: FetchPolicy | None = None,
    force: bool = False,
    defer_views_after: int = DEFER_VIEWS_AFTER,
) -> IngestSummary:
    """Read, extract and store every article under ``paths`` (files, folders, WARCs, URLs) and in
    ``feeds``; bad sources are skipped and reported, and so are articles already stored unless ``force``.

    The first ``defer_views_after`` articles are written each with the views counted again; a longer
    run then writes without them and builds them once at its end, also when it stops on an error
    (and should it be killed, the next ``kg ingest`` or ``kg serve`` builds them)."""
    sources = Sources.of(paths, feeds)
    summary = sources.summary()
    store.ensure_ontology()
    store.ensure_listings()
    index = StoryIndex.from_store(store)
    stored = frozenset() if force else stored_ids(store)

    def store_all(label: str, items: Sequence[Extracted | Failure], views: ViewDeferral) -> None:
        # each article is its own write: one the store refuses fails alone, its neighbours are stored
        for n, item in enumerate(items, 1):
            if isinstance(item, Failure):
                summary.failures.append(item)
                continue
            try:
                link = write(store, index, item, views=views.counted(summary.articles))
            except StoreUnwritable as exc:  # the disk is full or the server gone: no later article could be written
                raise StoreUnwritable(f"{exc} ({summary.articles} articles stored before it, each whole)") from exc
            except KGError as exc:
                where = f"{label}: article {n} ({item.article_id})" if len(items) > 1 else label
                summary.failures.append(Failure(where, str(exc)))
                continue
            summary.articles += 1
            summary.facts += item.facts
            summary.quads += item.prepared.triples
            summary.undated += item.undated
            summary.stories[item.article_id] = link.story
        if summary.articles % FLUSH_EVERY == 0:
            store.flush()  # Oxigraph buffers writes in memory until flushed

    files = list(sources.files)
    with deferring_views(store, defer_views_after) as views:
        for path, result, skipped in extract_files(files, published, workers, stored) if files else ():
            summary.skipped += skipped
            if isinstance(result, str):
                summary.failures.append(Failure(path, result))
            else:
                store_all(path, result, views)
            if progress is not None:
                progress(path)
        for label, read in sources.web_articles(published, fetch):
            if isinstance(read, KGError):
                summary.failures.append(Failure(label, str(read).removeprefix(f"{label}: ")))
            elif read.id in stored:
                summary.skipped += 1
            else:
                try:
                    extracted = _extract([read])
                except KGError as exc:
                    summary.failures.append(Failure(label, str(exc)))
                else:
                    store_all(label, extracted, views)
            if progress is not None:
                progress(label)
    return summary


def ingest_article(store: Store, article: Article) -> tuple[Graph, Extraction]:
    """Extract and store one article already in memory (the API's POST /articles), in its story."""
    (extraction,) = extract_checked([article])
    graph = article_graph(extraction)
    item = Extracted(prepare(graph), extraction.fact_count, article.id, encode(signature(article.text)))
    write(store, StoryIndex.from_store(store), item)
    return graph, extraction


def ingest_url(store: Store, url: str, fetch: FetchPolicy | None = None) -> Article:
    """Fetch one page, then extract and store its article."""
    with Fetcher(fetch or FetchPolicy()) as fetcher:
        article = fetch_article(fetcher, url)
    ingest_article(store, article)
    return article


__all__ = [
    "DEFER_VIEWS_AFTER",
    "ArticleError",
    "Extracted",
    "Failure",
    "IngestSummary",
    "Sources",
    "ViewDeferral",
    "collect_files",
    "deferring_views",
    "extract_checked",
    "extract_files",
    "ingest",
    "ingest_article",
    "ingest_url",
    "stored_ids",
    "write",
]
