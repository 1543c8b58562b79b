"""Ingest on a Dask cluster: the client reads, the workers extract, map and write.

``kg ingest PATH... --cluster tcp://HOST:8786`` (a running ``dask scheduler`` with ``dask worker``
processes) or ``--cluster local:N`` (a ``LocalCluster`` of N single-threaded worker processes on
127.0.0.1, no dashboard)::

    client: sources -> Articles (skipping stored ids) -> batches ------------------+
    worker: batch -> extract + map + sign (pipeline loaded once, ``LoadPipeline``)  | stays on the worker
    client: each batch's ids and signatures, in source order -> stories (StoryIndex)
    worker: the batch's graphs + their story links -> one SPARQL update -> server store

Stories are assigned by the client in source order, after extraction, from the same index as a
single-process ingest, so the two write the same quads. With a ``sparql:`` store the workers post the
graphs themselves (one update per batch, retried with back-off while the server is unreachable or
busy; a batch the server refuses is sent again article by article, so a bad article fails alone).
An embedded store (``oxigraph:PATH``, ``memory:``) takes one writer: there the client writes what
the workers send back, as ``kg ingest --workers`` does.

As ``kg ingest`` does, the first ``DEFER_VIEWS_AFTER`` articles are written with the views
(``kg.listing``) counted in each update, later ones without them, and the run builds the views once
at its end (``kg.ingest.deferring_views``); with workers writing a server at once, it builds them at
its end whatever the length of the run.

Every write replaces the article's named graph (``DROP SILENT GRAPH ; INSERT DATA``, atomic on
Oxigraph and SPARQL 1.1 servers), so a batch sent twice (its worker was killed after writing but
before answering, and Dask ran it again elsewhere) leaves each graph once. An article whose
extraction fails is reported and skipped; a batch whose worker died is retried on another worker
(Dask's ``allowed-failures``, 3); the run ends with the summary ``kg.ingest.ingest`` gives. A run
that loses its scheduler, or has had no worker for ``NO_WORKER_TIMEOUT_S``, stops with a
``ClusterError`` (Dask itself would wait for a worker for ever); what was stored stays, whole.

Workers need this package installed (the same locks), a single thread each (``dask worker
--nthreads 1``: the pipeline is not shared between threads) and, for a ``sparql:`` store, the
server's update URL reachable as the client wrote it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from kg.articles import Article, read_each
from kg.backends.sparql import SparqlBackend
from kg.errors import ClusterError, ConfigError, KGError, StoreError, StoreUnwritable
from kg.fetch import FetchPolicy
from kg.ingest import (
    DEFER_VIEWS_AFTER,
    FLUSH_EVERY,
    Extracted,
    Failure,
    IngestSummary,
    Sources,
    ViewDeferral,
    deferring_views,
    stored_ids,
)
from kg.store import PreparedGraph, Store
from kg.stories import StoryIndex, StoryLink

BATCH = 8  # articles per task: one nlp.pipe call and one update request
CONNECT_TIMEOUT_S = 10.0
NO_WORKER_TIMEOUT_S = 60.0  # a run with no worker left for this long stops, instead of waiting for ever
POLL_S = 5.0
WRITE_ATTEMPTS = 4
WRITE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: a scheduler's address, or the size of a local cluster to start."""

    address: str | None = None  # tcp://HOST:PORT
    local: int = 0  # workers of a LocalCluster on 127.0.0.1

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        text = text.strip()
        kind, _, rest = text.partition(":")
        if kind == "local":
            if not rest.isdigit() or int(rest) < 1:
                raise ConfigError(f"--cluster local:N needs a number of workers of at least 1, got {text!r}")
            return cls(local=int(rest))
        if kind in ("tcp", "tls") and rest.startswith("//"):
            host, _, port = rest[2:].rpartition(":")
            if host and port.isdigit():
                return cls(address=text)
        raise ConfigError(f"--cluster takes tcp://HOST:PORT (a Dask scheduler) or local:N, got {text!r}")

    def __str__(self) -> str:
        return self.address or f"local:{self.local}"


@dataclass(frozen=True)
class Ticket:
    """What the client needs of one extracted article to place it in its story and count it."""

    article_id: str
    signature: str
    facts: int
    quads: int
    undated: bool


@dataclass(frozen=True)
class Item:
    """One article to send: where it came from (its source, for progress; its label, for failures)."""

    source: str
    label: str
    article: Article


# --- on the workers ----------------------------------------------------------------------


class LoadPipeline(WorkerPlugin):
    """Dask worker plugin: the spaCy pipeline and gazetteer, loaded once per worker as it joins."""

    name = "wwiikg-pipeline"
    idempotent = True

    def setup(self, worker: Any) -> None:
        from kg.ingest import _load_pipeline

        _load_pipeline()


def extract_batch(items: Sequence[Item]) -> list[Extracted | Failure]:
    """Worker: a batch of articles -> their graphs, ready to write; an article that fails is its ``Failure``."""
    from kg.ingest import _extract

    try:
        return list(_extract([i.article for i in items]))
    except KGError:
        pass  # one article spoilt the batch: each alone, so only it fails
    out: list[Extracted | Failure] = []
    for item in items:
        try:
            out.extend(_extract([item.article]))
        except KGError as exc:
            out.append(Failure(item.label, str(exc)))
    return out


def tickets(batch: Sequence[Extracted | Failure]) -> list[Ticket | Failure]:
    """Worker: the small part of an extracted batch that travels to the client."""
    return [
        x if isinstance(x, Failure) else Ticket(x.article_id, x.signature, x.facts, x.prepared.triples, x.undated)
        for x in batch
    ]


def write_batch(
    batch: Sequence[Extracted | Failure], links: Sequence[StoryLink | None], update_url: str, views: bool = True
) -> list[str]:
    """Worker: store each extracted article of ``batch`` in its story, in one update (the views
    counted in it unless ``views`` is false: ``kg.ingest.ViewDeferral``); the reasons of those the
    server refused ('' for each one stored)."""
    prepared = [_with_story(x, link) for x, link in zip(batch, links, strict=True) if isinstance(x, Extracted)]
    if not views:
        prepared = [p.without_views() for p in prepared]
    if not prepared:
        return []
    try:
        _post_update(update_url, " ;\n".join(p.update for p in prepared))
        return [""] * len(prepared)
    except StoreUnwritable:
        raise
    except StoreError as exc:
        if len(prepared) == 1:
            return [str(exc)]
    reasons = []
    for p in prepared:
        try:
            _post_update(update_url, p.update)
            reasons.append("")
        except StoreUnwritable:
            raise
        except StoreError as exc:
            reasons.append(str(exc))
    return reasons


def _with_story(item: Extracted, link: StoryLink | None) -> PreparedGraph:
    from kg.mapping import story_graph

    if link is None:
        raise ClusterError(f"no story for article {item.article_id}")
    return item.prepared.extended(story_graph(item.article_id, link, item.signature))


_writers: dict[str, SparqlBackend] = {}


def _post_update(url: str, text: str) -> None:
    """POST one SPARQL update through the SPARQL backend, one client per server in each worker."""
    writer = _writers.get(url)
    if writer is None:
        writer = _writers[url] = SparqlBackend(url, url, timeout_s=WRITE_TIMEOUT_S)
    writer.update_retrying(text, WRITE_ATTEMPTS)


# --- on the client -----------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask logs what it then raises (a lost scheduler, a failed task) with tracebacks; the run
    reports each of those in one line, so Dask's own log is muted while it lasts."""
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client", "distributed.worker")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def connect(spec: ClusterSpec, timeout: float = CONNECT_TIMEOUT_S) -> Iterator[Any]:
    """A ``distributed.Client`` on ``spec`` with the pipeline loaded on every worker; a local
    cluster is started on 127.0.0.1 (no dashboard) and stopped after."""
    with _quiet_dask():
        yield from _connect(spec, timeout)


def _connect(spec: ClusterSpec, timeout: float) -> Iterator[Any]:
    from distributed import Client, LocalCluster
    from distributed.comm.core import CommClosedError

    cluster = None
    try:
        if spec.local:
            cluster = LocalCluster(
                n_workers=spec.local,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its status routes: loopback, any port
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster, timeout=timeout)
        else:
            client = Client(spec.address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        what = "start a local Dask cluster" if spec.local else f"reach the Dask scheduler at {spec}"
        raise ClusterError(f"cannot {what}: {_first_line(exc)}") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise ClusterError(f"no Dask worker joined the scheduler at {spec} within {timeout:g} s") from exc
        try:
            client.register_plugin(LoadPipeline())
        except CommClosedError as exc:
            raise ClusterError(f"lost the Dask scheduler at {spec} while the workers loaded the pipeline") from exc
        except (ImportError, OSError, KGError) as exc:
            raise ClusterError(f"the Dask workers cannot load the pipeline: {_first_line(exc)}") from exc
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@dataclass
class _Batch:
    items: list[Item]
    extracted: Any  # the future of extract_batch's result (stays on its worker when workers write)
    head: Any  # the future the client waits on: tickets (workers write) or the batch itself (client writes)


class _Run:
    """One cluster ingest: batches in flight, settled in source order."""

    def __init__(
        self,
        client: Any,
        store: Store,
        summary: IngestSummary,
        index: StoryIndex,
        progress: Callable[[str], None] | None,
        window: int,
        views: ViewDeferral,
    ) -> None:
        self.client, self.store, self.summary, self.index = client, store, summary, index
        self.views = views
        self.sent = 0  # articles sent to the workers to write
        self.progress = progress
        self.window = window
        self.update_url = _update_url(store)
        self.extracting: deque[_Batch] = deque()
        self.writing: dict[Any, tuple[_Batch, list[Ticket]]] = {}
        self.left: dict[str, int] = {}  # articles of each source not yet settled
        self.sources: dict[str, str] = {}  # an article's label -> its source
        self.no_worker_timeout = NO_WORKER_TIMEOUT_S
        self.idle_since: float | None = None

    def source_done(self, source: str) -> None:
        if self.progress is not None:
            self.progress(source)

    def submit(self, items: list[Item]) -> None:
        for item in items:
            self.left[item.source] = self.left.get(item.source, 0) + 1
            self.sources[item.label] = item.source
        extracted = self.client.submit(extract_batch, items, pure=False)
        head = self.client.submit(tickets, extracted, pure=False) if self.update_url else extracted
        self.extracting.append(_Batch(items, extracted, head))
        while len(self.extracting) + len(self.writing) >= self.window:
            self.settle(block=True)

    def settle(self, block: bool) -> None:
        """Settle what is ready: extracted batches in source order (stories assigned, writes sent),
        then finished writes; with ``block``, wait until something is."""
        from distributed import wait

        waiting = [*([self.extracting[0].head] if self.extracting else []), *self.writing]
        while block and waiting:
            try:
                wait(waiting, timeout=min(POLL_S, self.no_worker_timeout / 4), return_when="FIRST_COMPLETED")
                break
            except TimeoutError:
                self._check_workers()
            except CancelledError as exc:  # the client lost its scheduler
                raise self._lost("lost the Dask scheduler") from exc
        while self.extracting and self.extracting[0].head.done():
            self._extracted(self.extracting.popleft())
        for future in [f for f in self.writing if f.done()]:
            self._written(future, *self.writing.pop(future))

    def _check_workers(self) -> None:
        """Stop the run when the cluster has had no worker for ``no_worker_timeout`` seconds (Dask
        would wait for one for ever), or has lost its scheduler."""
        try:
            workers = len(self.client.nthreads())
        except (OSError, TimeoutError) as exc:
            raise self._lost(f"lost the Dask scheduler: {_first_line(exc)}") from exc
        now = time.monotonic()
        if workers:
            self.idle_since = None
        elif self.idle_since is None:
            self.idle_since = now
        elif now - self.idle_since >= self.no_worker_timeout:
            raise self._lost(f"no Dask worker left for {self.no_worker_timeout:g} s")

    def _lost(self, why: str) -> ClusterError:
        return ClusterError(
            f"{why} ({self.summary.articles} articles stored before it, each whole; run again to store the rest)"
        )

    def finish(self) -> None:
        while self.extracting or self.writing:
            self.settle(block=True)
        self.store.flush()

    def _extracted(self, batch: _Batch) -> None:
        try:
            result = batch.head.result()
        except CancelledError as exc:
            raise self._lost("lost the Dask scheduler") from exc
        except Exception as exc:  # whatever the task raised, or KilledWorker after its retries
            self._fail_all(batch.items, exc)
            return
        if self.update_url is None:
            self._write_here(batch, result)
            return
        links: list[StoryLink | None] = []
        sent: list[Ticket] = []
        for item in result:
            if isinstance(item, Failure):
                self._failed(item)
                links.append(None)
                continue
            links.append(self._story(item.article_id, item.signature))
            sent.append(item)
        if not sent:
            return
        counted = self.views.counted(self.sent)
        self.sent += len(sent)
        future = self.client.submit(write_batch, batch.extracted, links, self.update_url, counted, pure=False)
        self.writing[future] = (batch, sent)

    def _written(self, future: Any, batch: _Batch, sent: list[Ticket]) -> None:
        try:
            reasons = future.result()
        except StoreUnwritable as exc:
            raise StoreUnwritable(f"{exc} ({self.summary.articles} articles stored before it, each whole)") from exc
        except CancelledError as exc:
            raise self._lost("lost the Dask scheduler") from exc
        except Exception as exc:
            self._fail_all([i for i in batch.items if i.article.id in {t.article_id for t in sent}], exc)
            return
        labels = {i.article.id: i for i in batch.items}
        for ticket, reason in zip(sent, reasons, strict=True):
            item = labels[ticket.article_id]
            if reason:
                self._failed(Failure(item.label, reason))
            else:
                self._stored(ticket, item)

    def _write_here(self, batch: _Batch, extracted: list[Extracted | Failure]) -> None:
        """An embedded store: the client is its one writer (as ``kg ingest --workers`` does)."""
        from kg.ingest import write

        sources = {i.article.id: i for i in batch.items}
        for x in extracted:
            if isinstance(x, Failure):
                self._failed(x)
                continue
            item = sources[x.article_id]
            try:
                write(self.store, self.index, x, views=self.views.counted(self.summary.articles))
            except StoreUnwritable as exc:
                raise StoreUnwritable(f"{exc} ({self.summary.articles} articles stored before it, each whole)") from exc
            except KGError as exc:
                self._failed(Failure(item.label, str(exc)))
                continue
            self._stored(Ticket(x.article_id, x.signature, x.facts, x.prepared.triples, x.undated), item)
            if self.summary.articles % FLUSH_EVERY == 0:
                self.store.flush()  # Oxigraph buffers writes in memory until flushed

    def _story(self, article_id: str, signature: str) -> StoryLink:
        from kg.stories import decode

        minhash = decode(signature)
        link = self.index.assign(article_id, minhash)
        self.index.add(article_id, minhash, link)
        return link

    def _stored(self, ticket: Ticket, item: Item) -> None:
        s = self.summary
        s.articles += 1
        s.facts += ticket.facts
        s.quads += ticket.quads
        s.undated += ticket.undated
        s.stories[ticket.article_id] = self.index.links[ticket.article_id].story
        self.sources.pop(item.label, None)
        self._settled(item.source)

    def _failed(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        self._settled(self.sources.pop(failure.path, failure.path))

    def _fail_all(self, items: list[Item], exc: BaseException) -> None:
        reason = f"the cluster failed on it: {type(exc).__name__}: {_first_line(exc)}"
        for item in items:
            self.summary.failures.append(Failure(item.label, reason))
            self.sources.pop(item.label, None)
            self._settled(item.source)

    def _settled(self, source: str) -> None:
        left = self.left.get(source)
        if left is None:
            return
        if left <= 1:
            del self.left[source]
            self.source_done(source)
        else:
            self.left[source] = left - 1


def _update_url(store: Store) -> str | None:
    """Where workers post updates: a SPARQL server's update URL; None for an embedded store (one writer)."""
    from kg.backends.sparql import SparqlBackend

    return store.backend.update_url if isinstance(store.backend, SparqlBackend) else None


def _file_items(path: Path, published: date | None, stored: frozenset[str], run: _Run) -> list[Item]:
    """The articles of one file still to extract; its failures and skips go to ``run.summary``."""
    source = str(path)
    try:
        read = read_each(path, published=published)
    except KGError as exc:
        run.summary.failures.append(Failure(source, str(exc)))
        return []
    items: list[Item] = []
    for n, item in enumerate(read, 1):
        if not isinstance(item, Article):
            run.summary.failures.append(Failure(source, str(item)))
        elif item.id in stored:
            run.summary.skipped += 1
        else:
            label = f"{source}: article {n} ({item.id})" if len(read) > 1 else source
            items.append(Item(source, label, item))
    return items


def ingest_on_cluster(
    store: Store,
    paths: Iterable[str | Path],
    cluster: ClusterSpec | str,
    *,
    feeds: Iterable[str] = (),
    published: date | None = None,
    progress: Callable[[str], None] | None = None,
    fetch: FetchPolicy | None = None,
    force: bool = False,
    batch_size: int = BATCH,
    timeout: float = CONNECT_TIMEOUT_S,
    no_worker_timeout: float = NO_WORKER_TIMEOUT_S,
    defer_views_after: int = DEFER_VIEWS_AFTER,
) -> IngestSummary:
    """``kg.ingest.ingest`` with extraction (and, into a ``sparql:`` store, writing) on a Dask cluster;
    the views are left behind past ``defer_views_after`` articles and built at the end, as there."""
    spec = ClusterSpec.parse(cluster) if isinstance(cluster, str) else cluster
    sources = Sources.of(paths, feeds)
    summary = sources.summary()
    store.ensure_ontology()
    store.ensure_listings()
    index = StoryIndex.from_store(store)
    stored = frozenset() if force else stored_ids(store)
    # workers that write one server at once can each count a person or group of the views while the
    # other's article is not yet there: then the views are counted again once every article is stored
    concurrent = _update_url(store) is not None
    with deferring_views(store, defer_views_after, rebuild=concurrent) as views, connect(spec, timeout) as client:
        threads = sum(client.nthreads().values()) or 1
        run = _Run(client, store, summary, index, progress, window=max(4, 3 * threads), views=views)
        run.no_worker_timeout = no_worker_timeout
        pending: list[Item] = []

        def send(items: list[Item], source: str) -> None:
            if not items:
                run.source_done(source)
            pending.extend(items)
            while len(pending) >= batch_size:
                run.submit(pending[:batch_size])
                del pending[:batch_size]
            run.settle(block=False)

        for path in sources.files:
            send(_file_items(path, published, stored, run), str(path))
        for label, read in sources.web_articles(published, fetch):
            if isinstance(read, KGError):
                summary.failures.append(Failure(label, str(read).removeprefix(f"{label}: ")))
                send([], label)
            elif read.id in stored:
                summary.skipped += 1
                send([], label)
            else:
                send([Item(label, label, read)], label)
        if pending:
            run.submit(pending)
        run.finish()
    return summary


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


__all__ = ["ClusterSpec", "Item", "LoadPipeline", "Ticket", "connect", "extract_batch", "ingest_on_cluster"]
