"""Ingesting files: read -> extract -> map -> store, one atomic graph write per article.

Extraction may run in worker processes; writes stay in this process, since only one process may
open an on-disk Oxigraph store for writing. A file that cannot be read is reported with its reason
and skipped; nothing of it reaches the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph

from kg.articles import SUFFIXES, Article, read_articles
from kg.errors import ArticleError, KGError
from kg.records import Extraction
from kg.store import PreparedGraph, Store, prepare

FLUSH_EVERY = 100


@dataclass(frozen=True)
class Failure:
    """A file that was skipped, and why."""

    path: str
    reason: str


@dataclass
class IngestSummary:
    """What an ingest run did."""

    files: int = 0
    articles: int = 0
    facts: int = 0
    quads: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """The article files under ``paths`` (folders are walked; READMEs and hidden files skipped)."""
    files: list[Path] = []
    missing: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not _skipped(child):
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Failure(str(path), "no such file or directory"))
    return files, missing


def _skipped(path: Path) -> bool:
    return path.name.startswith(".") or path.stem.upper() in ("README", "LICENSE", "CHANGELOG")


def article_graph(extraction: Extraction) -> Graph:
    from kg.mapping import to_graph

    return to_graph(extraction)


_worker_state: dict[str, object] = {}


def _init_worker() -> None:
    from kg.gazetteer import load
    from kg.nlp import load_pipeline

    _worker_state["nlp"] = load_pipeline()
    _worker_state["gaz"] = load()


def _process_file(args: tuple[str, date | None]) -> tuple[str, list[tuple[PreparedGraph, int]] | str]:
    """Worker: one file -> its article graphs, ready to write, with fact counts; or why it failed.

    Graphs travel as their SPARQL update text: unpickling rdflib graphs in the writing process
    cost as much as writing them.
    """
    from kg.extract import extract_many

    path, published = args
    try:
        articles = read_articles(path, published=published)
        out = []
        for x in extract_many(articles, _worker_state.get("nlp"), _worker_state.get("gaz")):  # type: ignore[arg-type]
            out.append((prepare(article_graph(x)), x.fact_count))
        return path, out
    except KGError as exc:
        return path, str(exc)


def extract_files(
    files: list[Path], published: date | None = None, workers: int = 1
) -> Iterator[tuple[str, list[tuple[PreparedGraph, int]] | str]]:
    """Article graphs per file, in file order, extracted in ``workers`` processes."""
    jobs = [(str(f), published) for f in files]
    if workers <= 1:
        _init_worker()
        yield from map(_process_file, jobs)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(_process_file, jobs, chunksize=4)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every article under ``paths``; bad files are skipped and reported."""
    files, missing = collect_files(paths)
    summary = IngestSummary(files=len(files), failures=list(missing))
    store.ensure_ontology()
    for path, result in extract_files(files, published, workers):
        if isinstance(result, str):
            summary.failures.append(Failure(path, result))
        else:
            try:
                for prepared, facts in result:
                    store.put_prepared(prepared)
                    summary.articles += 1
                    summary.facts += facts
                    summary.quads += prepared.triples
            except KGError as exc:
                summary.failures.append(Failure(path, str(exc)))
            if summary.articles % FLUSH_EVERY == 0:
                store.flush()  # Oxigraph buffers writes in memory until flushed
        if progress is not None:
            progress(path)
    return summary


def ingest_article(store: Store, article: Article) -> tuple[Graph, Extraction]:
    """Extract and store one article already in memory (the API's POST /articles)."""
    from kg.extract import extract

    extraction = extract(article)
    graph = article_graph(extraction)
    store.put_article(graph)
    return graph, extraction


__all__ = ["ArticleError", "Failure", "IngestSummary", "collect_files", "extract_files", "ingest", "ingest_article"]
