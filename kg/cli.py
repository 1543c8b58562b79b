"""The ``kg`` command: thin wrappers over the library; every library error becomes one line."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from kg.errors import KGError

if TYPE_CHECKING:
    from kg.report import ArticleReport


class _Argument(TyperArgument):
    """Shown by its metavar alone (``FILE``, ``PATH|URL...``): no ``{file}`` braces, no ``<path>`` type."""

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Option(TyperOption):
    """A flag shows no ``<bool>``; an option with a value shows its metavar (``DATE``, ``N``)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else super().display_type_rich(ctx)


def _plain(params: list[Any]) -> list[Any]:
    for param in params:
        # typer takes no parameter class per option: switch to subclasses that change only the help
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option
    return params


class Command(TyperCommand):
    """A command whose help names values as a user types them, not as Python annotates them."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


class Group(TyperGroup):
    """``kg`` itself, with the same help as its commands."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


app = typer.Typer(
    name="kg",
    cls=Group,
    help="Turn news about the memory of World War II into a provenance-tracked knowledge graph.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kg {version('wwiikg')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn news about the memory of World War II into a provenance-tracked knowledge graph."""


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        metavar="STORE",
        help="oxigraph:PATH, memory: or sparql:QUERY_URL[,UPDATE_URL] (default: $KG_STORE or oxigraph:data/store)",
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def clean_errors(func: F) -> F:
    """Turn library errors into one line on stderr and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper  # type: ignore[return-value]


def _store_spec(store: str | None) -> str:
    from kg.config import Settings

    return store or Settings().store


def _open(store: str | None, read_only: bool = False) -> Any:
    from kg.errors import StoreError
    from kg.store import Store

    spec = _store_spec(store)
    try:
        return Store(spec, read_only=False)
    except StoreError:  # locked by `kg serve`, or a full disk that refuses the write opening needs
        if read_only and spec.startswith("oxigraph:"):
            return Store(spec, read_only=True)
        raise


def _published(value: str | None) -> date | None:
    from kg.articles import parse_date

    return parse_date(value) if value else None


@app.command(cls=Command)
@clean_errors
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH|URL...",
            help="Article files or folders (txt, md, json, jsonl, html), WARC files, or http(s) URLs.",
        ),
    ] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", metavar="URL|FILE", help="An RSS or Atom feed (URL or file): every item's page."),
    ] = None,
    store: StoreOpt = None,
    published: Annotated[
        str | None, typer.Option(metavar="DATE", help="Publication date (YYYY-MM-DD) for articles without one.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", metavar="N", min=1, help="Extraction processes.")] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="tcp://HOST:PORT|local:N",
            help="Extract (and write to a sparql: store) on a Dask cluster: a scheduler's address, or N local workers.",
        ),
    ] = None,
    allow_private: Annotated[
        bool | None, typer.Option("--allow-private", help="Fetch private and loopback addresses too.")
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", min=0, help="Seconds between two requests to one host (default 1)."),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(metavar="SECONDS", min=0.1, help="Seconds to wait for a server (default 20).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Extract and store again articles the store already holds.")
    ] = False,
) -> None:
    """Extract facts from articles (files, web archives, web pages, feeds) and store one named graph per article.

    Near-duplicate copies of one report are grouped into one story. Pages are fetched politely
    (user agent, robots.txt, one request per host per --delay, retries with back-off). Articles
    already stored (same text) are skipped before extraction unless --force.
    """
    from rich.progress import Progress

    from kg.config import Settings
    from kg.fetch import is_url
    from kg.ingest import collect_files
    from kg.ingest import ingest as run

    paths, feeds = paths or [], feed or []
    if not paths and not feeds:
        fail("nothing to ingest: give files, folders, WARC files or URLs, or --feed", 2)
    if cluster is not None and workers > 1:
        fail("--workers and --cluster do not go together: the cluster's workers extract", 2)
    spec = None
    if cluster is not None:
        from kg.cluster import ClusterSpec

        spec = ClusterSpec.parse(cluster)
    policy = Settings().fetch_policy(allow_private=allow_private, delay=delay, timeout=timeout)
    files, _ = collect_files(paths)
    total = len(files) + sum(1 for p in paths if is_url(p)) + len(feeds)
    with _open(store) as kg_store, Progress(disable=quiet, transient=True) as bar:
        task = bar.add_task("ingesting", total=total)
        options: dict[str, Any] = {
            "feeds": feeds,
            "published": _published(published),
            "fetch": policy,
            "progress": lambda _: bar.advance(task),
            "force": force,
        }
        if spec is not None:
            from kg.cluster import ingest_on_cluster

            summary = ingest_on_cluster(kg_store, paths, spec, **options)
        else:
            summary = run(kg_store, paths, workers=workers, **options)
    for failure in summary.failures:
        typer.echo(f"failed: {failure.path}: {failure.reason}", err=True)
    if summary.undated:
        _warn_undated(f"{summary.undated} stored {'article has' if summary.undated == 1 else 'articles have'}")
    web = len(feeds) + sum(1 for p in paths if is_url(p))
    stories = f", {summary.copies} near-duplicate copies grouped into stories" if summary.copies else ""
    skipped = f"; {summary.skipped} already stored, skipped (--force extracts them again)" if summary.skipped else ""
    typer.echo(
        f"{summary.articles} articles from {summary.files} {'sources' if web else 'files'}: {summary.facts} facts, "
        f"{summary.quads} quads{stories}{skipped}; {len(summary.failures)} failed"
    )
    if not summary.ok:
        raise typer.Exit(1)


@app.command(cls=Command)
@clean_errors
def extract(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One article file.")],
    published: Annotated[
        str | None, typer.Option(metavar="DATE", help="Publication date (YYYY-MM-DD); overrides the file's.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="json, turtle or table.")] = "json",
) -> None:
    """Extract one article and print its facts as the graph holds them (nothing is stored).

    Evidence offsets count in the article body (the text without its title and header lines). An
    article with no publication date (none in the file, no --published) is extracted with a warning:
    relative dates stay unresolved and its undated events are still listed.
    """
    from kg.articles import read_article
    from kg.ingest import extract_checked
    from kg.mapping import article_iri, to_graph
    from kg.report import article_report, eval_view
    from kg.store import Store

    if format not in ("json", "turtle", "table"):
        fail(f"unknown format {format!r}; use json, turtle or table", 2)
    if file.is_dir():
        fail(f"{file} is a folder: kg extract reads one article file (kg ingest takes folders)", 2)
    if not file.exists():
        fail(f"no such file: {file}", 2)
    article = read_article(file, published=_published(published))
    if article.published is None:
        _warn_undated(f"{file} has")
    graph = to_graph(extract_checked([article])[0])
    if format == "turtle":
        from kg.namespaces import ID, OA, SCHEMA, WWII

        for prefix, ns in (("wwii", WWII._NS), ("id", ID), ("schema", SCHEMA), ("oa", OA)):
            graph.bind(prefix, ns)
        typer.echo(graph.serialize(format="turtle"))
        return
    with Store("memory:") as mem:
        mem.put_article(graph)
        report = article_report(mem, article_iri(article))
    if format == "json":
        typer.echo(json.dumps(eval_view(report), ensure_ascii=False, indent=2))
        return
    _print_facts(report)


def _warn_undated(subject: str) -> None:
    """One warning per run: facts are kept, but relative dates could not be resolved."""
    typer.echo(
        f"warning: {subject} no publication date (give --published YYYY-MM-DD): relative dates such as "
        "'on Wednesday' stay unresolved; undated events are kept without a date",
        err=True,
    )


def _leader_evidence(item: dict[str, Any]) -> dict[str, Any] | None:
    """Where the text gives the leader's office, else where it first names them."""
    spans = [o["evidence"] for o in item.get("offices", [])] or item.get("mentions", [])
    return spans[0] if spans else None


def _event_note(event: dict[str, Any], commemorated: set[str]) -> str:
    notes = []
    if event["iri"] in commemorated:
        notes.append("commemorated")
    if event["commemorates"]:
        target = event["commemorates"]
        notes.append(f"commemorates {target['name'] or target['iri']}")
    if not (event["date"] or event["place"]):
        notes.append("no date or place (JSON: other_events)")
    return "; ".join(notes)


def _print_facts(report: ArticleReport) -> None:
    """Every fact the graph holds, each with its whole evidence and its offsets; long cells wrap.
    Names are as ``kg extract --format json`` gives them (a leader's as the article spells it)."""
    from rich.console import Console
    from rich.table import Table

    from kg.report import eval_view

    console = Console()
    view = eval_view(report)
    events = [{**asdict(e), "place": e.place.name if e.place else None} for e in report.events]
    commemorated = {e["commemorates"]["iri"] for e in events if e["commemorates"]}
    for leader in view["leaders"]:
        leader["evidence"] = _leader_evidence(leader)
    for event in events:
        event["note"] = _event_note(event, commemorated)
    for kind, items, columns in (
        ("leaders", view["leaders"], ("name", "role", "country", "wikidata")),
        ("events", events, ("type", "label", "date", "place", "note")),
        ("casualties", view["casualties"], ("group", "low", "high", "measure", "hedge")),
        ("quotes", view["quotes"], ("speaker", "text")),
    ):
        table = Table(title=f"{kind} ({len(items)})", show_lines=True)
        for col in (*columns, "evidence", "at"):
            table.add_column(col, overflow="fold")
        for item in items:
            evidence = item.get("evidence") or {}
            table.add_row(
                *(str(item.get(c) or "") for c in columns),
                evidence.get("text", ""),
                f"{evidence['start']}-{evidence['end']}" if evidence else "",
            )
        console.print(table)


@app.command(cls=Command)
@clean_errors
def query(
    sparql: Annotated[str, typer.Argument(metavar="SPARQL", help="SPARQL text, or @file.rq to read it from a file.")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")] = "table",
) -> None:
    """Run a SPARQL query against the store."""
    if format not in ("table", "json", "csv"):
        fail(f"unknown format {format!r}; use table, json or csv", 2)
    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"cannot read {sparql[1:]}: {exc.strerror}")
    if _UPDATE.match(_strip_comments(sparql)):
        fail("updates are not allowed: kg query only reads (kg ingest and kg delete write)", 2)
    with _open(store, read_only=True) as kg_store:
        result = kg_store.query(sparql)
        if result.type == "ASK":
            typer.echo(
                json.dumps({"boolean": bool(result.askAnswer)})
                if format == "json"
                else str(bool(result.askAnswer)).lower()
            )
            return
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            typer.echo(result.graph.serialize(format="json-ld" if format == "json" else "turtle"))
            return
        names = [str(v) for v in result.vars or []]
        rows = [[("" if v is None else str(v)) for v in row] for row in result]  # type: ignore[union-attr]
    if format == "json":
        typer.echo(json.dumps([dict(zip(names, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    elif format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(names)
        writer.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for name in names:
            table.add_column(name, overflow="fold")  # whole values, wrapped: never cut
        for r in rows:
            table.add_row(*r)
        Console().print(table)
        typer.echo(f"{len(rows)} rows")


# a SPARQL Update: its first keyword after the prologue (PREFIX and BASE) is an update verb
_UPDATE = re.compile(
    r"\s*(?:(?:PREFIX\s+[^:\s]*:\s*|BASE\s*)<[^>]*>\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def _strip_comments(sparql: str) -> str:
    """The text without ``#`` comments outside IRIs and strings (enough to find the first keyword)."""
    return re.sub(r"(<[^>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|#[^\n]*", lambda m: m.group(1) or "", sparql)


_EXPORT_FORMATS = {
    "trig": "trig",
    "nquads": "nquads",
    "nq": "nquads",
    "turtle": "turtle",
    "ttl": "turtle",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
}


@app.command(cls=Command)
@clean_errors
def export(
    store: StoreOpt = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="trig, nquads, turtle or jsonld.")
    ] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export every article graph (TriG, N-Quads and JSON-LD keep the graphs; Turtle merges them)."""
    from rdflib import Dataset, Graph

    fmt = _EXPORT_FORMATS.get(format.lower())
    if fmt is None:
        fail(f"unknown format {format!r}; use trig, nquads, turtle or jsonld", 2)
    with _open(store, read_only=True) as kg_store:
        if fmt == "turtle":
            out: Any = Graph()
            for s, p, o, _ in kg_store.quads():
                out.add((s, p, o))
        else:
            out = Dataset()
            for s, p, o, g in kg_store.quads():
                out.graph(g).add((s, p, o))
    from kg.namespaces import ID, OA, SCHEMA, WWII

    for prefix, ns in (("wwii", WWII._NS), ("id", ID), ("schema", SCHEMA), ("oa", OA)):
        out.bind(prefix, ns)
    text = out.serialize(format=fmt)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command(cls=Command)
@clean_errors
def stats(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")] = "table",
) -> None:
    """Count articles, people, leaders, events, casualty figures and quotes in the store."""
    with _open(store, read_only=True) as kg_store:
        counts = kg_store.stats()
    if format == "json":
        typer.echo(json.dumps(counts))
    else:
        width = max(map(len, counts))
        for name, value in counts.items():
            typer.echo(f"{name.replace('_', ' '):<{width}}  {value:>9,}")


@app.command(cls=Command)
@clean_errors
def search(
    words: Annotated[str, typer.Argument(metavar="WORDS", help="Words; a hit holds them all (any case).")],
    store: StoreOpt = None,
    kind: Annotated[str | None, typer.Option("--kind", help="title, quote or evidence.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show (1-500).")] = 10,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")] = "table",
) -> None:
    """Full-text search of headlines, quotations and evidence spans, best first."""
    from kg.facts import Page
    from kg.facts import search as find

    if format not in ("table", "json"):
        fail(f"unknown format {format!r}; use table or json", 2)
    with _open(store, read_only=True) as kg_store:
        found = find(kg_store, words, kind=kind, page=Page(limit))
    if format == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for hit in found["items"]:
        typer.echo(f"{hit['id']}  {hit['kind']:<8}  {hit['snippet']}")
    typer.echo(f"{found['total']} hit{'' if found['total'] == 1 else 's'}")


@app.command(cls=Command)
@clean_errors
def validate(
    store: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Check every article graph against the SHACL shapes in ontology/shapes.ttl."""
    from rich.progress import Progress

    from kg.validate import validate_store

    with _open(store, read_only=True) as kg_store, Progress(disable=quiet, transient=True) as bar:
        task = bar.add_task("validating", total=len(kg_store.graph_names()))
        reports = validate_store(kg_store, progress=lambda _: bar.advance(task))
    bad = [r for r in reports if not r.conforms]
    for r in bad:
        typer.echo(f"{r.graph}: {len(r.messages)} violations", err=True)
        for m in r.messages[:10]:
            typer.echo(f"  {m}", err=True)
    typer.echo(f"{len(reports) - len(bad)} of {len(reports)} article graphs conform")
    if bad or not reports:
        raise typer.Exit(1)


@app.command(cls=Command)
@clean_errors
def delete(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="Article id (or unique prefix) or IRI.")],
    store: StoreOpt = None,
) -> None:
    """Delete one article's graph and nothing else."""
    with _open(store) as kg_store:
        iri = kg_store.resolve_article(article)
        kg_store.delete_graph(iri)
    typer.echo(f"deleted {iri}")


@app.command(cls=Command)
@clean_errors
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(metavar="HOST", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    access_log: Annotated[bool, typer.Option(help="Log every request (costs throughput).")] = False,
) -> None:
    """Serve /sparql, its query page and the JSON API; an oxigraph: store runs in a supervised engine process.

    Limits come from KG_QUERY_TIMEOUT, KG_MAX_RESULTS and KG_MAX_QUERY_BYTES. Stop with Ctrl-C.
    """
    import logging

    import uvicorn

    from kg.backends import StoreSpec

    spec = _store_spec(store)
    StoreSpec.parse(spec)  # a bad spec is a one-line error here, not a traceback from the app's start-up
    _refuse_locked(spec)
    os.environ["KG_STORE"] = spec
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        http="api.protocol:HttpProtocol",  # 414 for long URLs, protocol errors in our JSON shape
        log_level="info",
        access_log=access_log,
    )


def _refuse_locked(spec: str) -> None:
    """``StoreLocked`` if another process holds the on-disk store (RocksDB's fcntl lock on LOCK)."""
    import fcntl

    from kg.errors import StoreLocked

    kind, _, path = spec.partition(":")
    lock = Path(path) / "LOCK"
    if kind.strip().lower() != "oxigraph" or not lock.is_file():
        return
    with lock.open("rb+") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreLocked(
                f"the store at {path} is open in another process (a running `kg serve` or `kg ingest`?); stop it first"
            ) from None
        fcntl.lockf(handle, fcntl.LOCK_UN)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
