"""The ``kg`` command as a user drives it: exit codes, one-line errors, and what ends up in the store.

Most checks run ``python -m kg.cli`` in a subprocess. The read-only ones share one on-disk store
that the module fixture fills once (two ingests of the same folder: good files and every kind of
bad file); tests that write copy that store first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.articles import read_article
from kg.cli import app
from kg.listing import VIEWS, listing_name
from kg.mapping import article_iri
from kg.namespaces import ONTOLOGY_GRAPH
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "data" / "gazetteer.json"
COMMANDS = ["ingest", "extract", "query", "export", "stats", "validate", "delete", "serve"]
TIMEOUT_S = 120

GOOD_TXT = (
    "Putin hosts foreign leaders at Victory Day parade in Moscow\n"
    "Published: 2025-05-09\n"
    "URL: https://example.org/memory-wire/2025/05/09/victory-day\n"
    "Outlet: Memory Wire\n"
    "\n"
    "Russian President Vladimir Putin watched a military parade on Red Square on Friday to mark the 80th "
    "anniversary of the Soviet victory over Nazi Germany.\n"
    "\n"
    "Chinese President Xi Jinping sat beside him on the reviewing stand. "
    '"We will never forget the sacrifice of our peoples," Putin told the crowd.\n'
    "\n"
    "The Soviet Union lost about 27 million people in the Second World War.\n"
)

GOOD_MD = """---
title: "Leaders gather in Normandy for D-Day anniversary"
published: 2024-06-06
url: https://example.org/channel-herald/2024/06/06/d-day-80
outlet: Channel Herald
---

French President Emmanuel Macron and **US President Joe Biden** joined veterans at Omaha Beach
on Thursday to mark the [D-Day landings](https://example.org/d-day).

"They fought for our freedom," Biden said at the American cemetery in Colleville-sur-Mer.
"""

GOOD_JSON = {
    "title": "Poland marks 80 years since the Warsaw Uprising",
    "text": (
        "Polish President Andrzej Duda laid a wreath in Warsaw on Thursday to mark the 80th anniversary of the "
        "Warsaw Uprising of 1944, in which about 200,000 civilians were killed.\n\n"
        "German President Frank-Walter Steinmeier asked for forgiveness at the ceremony."
    ),
    "published": "2024-08-01",
    "outlet": "Vistula Review",
    "section": "Europe",
}

BOILERPLATE_HTML = """<!DOCTYPE html><html><head><title>Herald</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/europe">Europe</a></li></ul></nav>
<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>
<footer><p>Copyright 2024 Herald. All rights reserved.</p></footer></body></html>
"""

ALL_GRAPHS_RQ = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g\n"


@dataclass
class Run:
    """A finished command: exit code and both streams."""

    code: int
    out: str
    err: str


def kg(*args: str, timeout: float = TIMEOUT_S) -> Run:
    """Run ``python -m kg.cli ARGS`` the way a user would, from the repository root."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KG_STORE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_one_error_line(run: Run, *needles: str) -> str:
    """The run failed with exactly one ``error:`` line on stderr, no traceback; returns the line."""
    assert run.code != 0
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {run.err!r}"
    assert lines[0].startswith("error: "), lines[0]
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def require_gazetteer() -> None:
    """Extraction needs data/gazetteer.json; without it the extracting tests are skipped, not failed."""
    if not GAZETTEER.is_file():
        pytest.skip(f"no gazetteer at {GAZETTEER}")


def write_corpus(root: Path) -> dict[str, Any]:
    """A folder of good articles and one file of each kind of bad input; returns what was written."""
    corpus = root / "corpus"
    nested = corpus / "nested"
    nested.mkdir(parents=True)
    good = [corpus / "moscow.txt", nested / "normandy.md", corpus / "warsaw.json"]
    good[0].write_text(GOOD_TXT, encoding="utf-8")
    good[1].write_text(GOOD_MD, encoding="utf-8")
    good[2].write_text(json.dumps(GOOD_JSON), encoding="utf-8")

    bad = {
        "empty.txt": b"",
        "scan.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06",
        "latin1.txt": "Gedenken in Köln\n\nVeteranen trafen sich in Köln.".encode("latin-1"),
        "broken.json": b'{"title": "Half an article",\n "text": "Veterans gathered',
        "broken-front-matter.md": b"---\ntitle: [unclosed\npublished: 2020-01-01\n---\n\nVeterans gathered.\n",
        "blank-text.json": b'{"title": "Nothing here", "text": "   "}',
        "no-article.html": BOILERPLATE_HTML.encode(),
        "surrogate.json": b'{"title": "Parade", "text": "Veterans gathered in Moscow. \\udfff"}',
        "escape-code.txt": b"Parade\n\nVeterans gathered in Moscow.\x1b[31m\n",
        "deep.json": b"[" * 200_000 + b"]" * 200_000,
        "huge-number.json": b'{"text": "Veterans gathered in Moscow.", "n": ' + b"9" * 5000 + b"}",
    }
    bad_paths = []
    for name, content in bad.items():
        path = corpus / name
        path.write_bytes(content)
        bad_paths.append(path)
    huge = nested / "huge.txt"
    with huge.open("wb") as f:
        f.write(b"A huge file\n\nVeterans gathered in Moscow.\n")
        f.truncate(50 * 1024 * 1024)
    bad_paths.append(huge)
    # Skipped when walking a folder, so never reported: unknown suffixes, READMEs, hidden files.
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (corpus / "README.md").write_text("# About this folder\n\nNot an article.\n", encoding="utf-8")
    (corpus / ".draft.txt").write_text("Draft\n\nNot ready.\n", encoding="utf-8")
    # An unknown extension named explicitly on the command line is reported.
    pdf = root / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    bad_paths.append(pdf)
    return {"corpus": corpus, "good": good, "bad": bad_paths, "pdf": pdf}


def stats(spec: str) -> dict[str, int]:
    run = kg("stats", "--store", spec, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One store filled by ``kg ingest`` of the corpus twice, with both runs' results and stats."""
    require_gazetteer()
    root = tmp_path_factory.mktemp("cli")
    files = write_corpus(root)
    spec = f"oxigraph:{root / 'store'}"
    first = kg("ingest", str(files["corpus"]), str(files["pdf"]), "--store", spec)
    stats_first = stats(spec)
    second = kg("ingest", str(files["corpus"]), str(files["pdf"]), "--store", spec, "-q")
    stats_second = stats(spec)
    with Store(spec, read_only=True) as store:
        quads = set(store.quads())
    articles = [read_article(p) for p in files["good"]]
    yield {
        **files,
        "root": root,
        "spec": spec,
        "store_path": root / "store",
        "first": first,
        "second": second,
        "stats_first": stats_first,
        "stats_second": stats_second,
        "quads": quads,
        "articles": articles,
    }


# --- help ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_flag_works_everywhere(command: str | None) -> None:
    """`kg -h` and `kg COMMAND -h` print usage and exit 0."""
    args = ["-h"] if command is None else [command, "-h"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert "--help" in result.output
    if command is not None:
        assert command in result.output


def test_installed_kg_script_lists_every_command() -> None:
    """The installed `kg -h` script runs and names every command."""
    script = Path(sys.executable).parent / "kg"
    if not script.is_file():
        pytest.skip(f"no kg script at {script}")
    proc = subprocess.run(
        [str(script), "-h"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == 0, proc.stderr
    for command in COMMANDS:
        assert command in proc.stdout


def test_version_prints_the_installed_version() -> None:
    """`kg --version` prints `kg` and the package version, and exits 0."""
    from importlib.metadata import version

    run = kg("--version")
    assert run.code == 0, run.err
    assert run.out.strip() == f"kg {version('wwiikg')}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_names_values_as_a_user_types_them(command: str | None) -> None:
    """Help shows FILE, DATE, PATH|URL... as values: no `{file}`, `<bool>` or `<list[str]>` annotations."""
    run = kg(*(["-h"] if command is None else [command, "-h"]))
    assert run.code == 0, run.err
    assert not re.search(r"<[a-z][a-z\[\] |,]*>|\{[a-z]+\}", run.out), run.out


def test_ingest_help_shows_its_metavars() -> None:
    """`kg ingest -h` names its arguments PATH|URL..., --published DATE, --workers N."""
    run = kg("ingest", "-h")
    assert "[PATH|URL...]" in run.out
    for metavar in ("PATH|URL...", "URL|FILE", "DATE", "STORE", "SECONDS"):
        assert metavar in run.out


# --- ingest -------------------------------------------------------------------------------


def test_ingest_reports_each_bad_file_on_one_line(ingested: dict[str, Any]) -> None:
    """Every bad file gets exactly one `failed: PATH: reason` line on stderr, and nothing else is printed there."""
    run: Run = ingested["first"]
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert all(line.startswith("failed: ") for line in lines), run.err
    for path in ingested["bad"]:
        mine = [line for line in lines if line.startswith(f"failed: {path}: ")]
        assert len(mine) == 1, f"{path}: {lines}"
        assert len(mine[0]) > len(f"failed: {path}: ")
    assert len(lines) == len(ingested["bad"])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("scan.txt", "binary"),
        ("latin1.txt", "not valid UTF-8"),
        ("huge.txt", "too large"),
        ("broken.json", "malformed JSON"),
        ("broken-front-matter.md", "malformed YAML front matter"),
        ("blank-text.json", "no text"),
        ("no-article.html", "no article text"),
        ("surrogate.json", "article field 'text' holds a lone surrogate (U+DFFF)"),
        ("escape-code.txt", "article field 'text' holds the control character U+001B"),
        ("deep.json", "nested deeper than 32 levels"),
        ("huge-number.json", "JSON number with 5,000 characters"),
        ("report.pdf", "unsupported file type '.pdf'"),
    ],
)
def test_ingest_failure_line_gives_the_reason(ingested: dict[str, Any], name: str, reason: str) -> None:
    """Each bad file's failure line says what is wrong with it."""
    lines = ingested["first"].err.splitlines()
    line = next(line for line in lines if re.match(rf"failed: .*/{re.escape(name)}: ", line))
    assert reason in line.split(f"{name}: ", 1)[1]


def test_ingest_prints_summary_and_exits_non_zero(ingested: dict[str, Any]) -> None:
    """With bad files, ingest prints one summary line on stdout counting articles and failures, and exits 1."""
    run: Run = ingested["first"]
    assert run.code == 1
    lines = run.out.strip().splitlines()
    assert len(lines) == 1, run.out
    m = re.fullmatch(r"(\d+) articles from (\d+) files: (\d+) facts, (\d+) quads; (\d+) failed", lines[0])
    assert m, lines[0]
    articles, files, facts, quads, failed = map(int, m.groups())
    assert articles == len(ingested["good"])
    assert files == len(ingested["good"]) + len(ingested["bad"])
    assert failed == len(ingested["bad"])
    assert facts > 0 and quads > 0


def test_ingest_stores_good_articles_and_nothing_from_bad_files(ingested: dict[str, Any]) -> None:
    """After ingest the store holds exactly the good articles' graphs, each with its listing graph,
    plus the ontology graph and the views (the leaders and the spread: ontology/README.md)."""
    expected = {str(article_iri(a)) for a in ingested["articles"]}
    listings = {str(listing_name(article_iri(a))) for a in ingested["articles"]}
    graphs = {str(q[3]) for q in ingested["quads"]}
    assert graphs == expected | listings | {str(ONTOLOGY_GRAPH)} | {str(v) for v in VIEWS}
    assert ingested["stats_first"]["articles"] == len(ingested["good"])
    assert ingested["stats_first"]["leaders"] >= 1


def test_ingest_keeps_article_metadata(ingested: dict[str, Any]) -> None:
    """The stored article graphs carry each article's title from its file."""
    literals = {str(q[2]) for q in ingested["quads"]}
    for article in ingested["articles"]:
        assert article.title in literals


def test_ingest_skips_readme_hidden_and_unknown_files_in_folders(ingested: dict[str, Any]) -> None:
    """README.md, hidden files and unknown suffixes inside a folder are neither stored nor reported."""
    err = ingested["first"].err
    for name in ("README.md", ".draft.txt", "photo.png"):
        assert name not in err
    literals = {str(q[2]) for q in ingested["quads"]}
    assert not any("Not an article" in x or "Not ready" in x for x in literals)


def test_ingesting_twice_changes_nothing(ingested: dict[str, Any]) -> None:
    """Ingesting the same folder again leaves every count, the quad count included, unchanged."""
    assert ingested["second"].code == 1
    assert ingested["second"].out.strip().endswith(f"{len(ingested['bad'])} failed")
    assert ingested["stats_second"] == ingested["stats_first"]
    assert ingested["stats_second"]["quads"] == len(ingested["quads"])


def test_a_bad_line_of_a_jsonl_file_fails_alone(tmp_path: Path) -> None:
    """A .jsonl file whose second line holds a lone surrogate: one failure line for that line, the two
    good articles stored, exit 1."""
    good = [GOOD_JSON, {**GOOD_JSON, "text": GOOD_JSON["text"] + " Veterans laid flowers."}]
    lines = [json.dumps(good[0]), '{"title": "Parade", "text": "Veterans gathered. \\udfff"}', json.dumps(good[1])]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'store'}"
    run = kg("ingest", str(path), "--store", spec, "-q")
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.strip().splitlines() == [
        f"failed: {path}: line 2: article field 'text' holds a lone surrogate (U+DFFF), which is not Unicode text "
        "(at character 19)"
    ]
    assert run.out.strip().endswith("; 1 failed") and run.out.startswith("2 articles from 1 files")
    assert stats(spec)["articles"] == 2


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted under ``tmp_path`` (skipped where mounting is not allowed), unmounted after."""
    where = tmp_path / "small"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_ingest_onto_a_full_disk_stops_with_one_line_and_leaves_whole_articles(small_disk: Path) -> None:
    """`kg ingest` of the sample folder into a store on a 4 MB filesystem stops at the first write that
    does not fit, with one error line saying so and how many articles were stored; `kg stats` still
    reads the store and counts exactly those; another ingest says the disk is full, in one line."""
    spec = f"oxigraph:{small_disk / 'store'}"
    run = kg("ingest", str(ROOT / "data" / "articles"), "--store", spec, "-q")
    line = assert_one_error_line(run, "No space left on device")
    stored = re.search(r"\((\d+) articles stored before it, each whole\)", line)
    assert stored, line
    assert stats(spec)["articles"] == int(stored.group(1))
    assert_one_error_line(kg("ingest", str(ROOT / "data" / "articles"), "--store", spec), "No space left on device")


def test_second_ingest_skips_stored_articles_before_extracting(ingested: dict[str, Any]) -> None:
    """The second `kg ingest` of the same folder extracts nothing and says how many it skipped."""
    out = ingested["second"].out.strip()
    good = len(ingested["good"])
    assert out.startswith("0 articles from"), out
    assert "0 facts, 0 quads" in out
    assert f"{good} already stored, skipped (--force extracts them again)" in out


def test_ingest_force_extracts_stored_articles_again(ingested: dict[str, Any], tmp_path: Path) -> None:
    """`kg ingest --force` extracts and writes the stored articles again; the store ends up the same."""
    copy = tmp_path / "store"
    shutil.copytree(ingested["store_path"], copy)
    spec = f"oxigraph:{copy}"
    run = kg("ingest", *map(str, ingested["good"]), "--store", spec, "--force", "-q")
    assert run.code == 0, run.err
    assert run.out.startswith(f"{len(ingested['good'])} articles from 3 files"), run.out
    assert "already stored" not in run.out
    assert stats(spec) == ingested["stats_first"]


def test_ingest_against_locked_store_says_so(tmp_path: Path) -> None:
    """`kg ingest` into an on-disk store another process holds open fails with one clear line."""
    path = tmp_path / "locked-store"
    article = tmp_path / "a.json"
    article.write_text(json.dumps(GOOD_JSON), encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys, time\nfrom kg.store import Store\ns = Store({f'oxigraph:{path}'!r})\n"
            "print('ready', flush=True)\ntime.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        run = kg("ingest", str(article), "--store", f"oxigraph:{path}", "-q")
    finally:
        holder.terminate()
        holder.wait(timeout=10)
    assert_one_error_line(run, str(path), "another process")
    assert run.out == ""


def test_validate_reports_every_stored_article_graph(ingested: dict[str, Any]) -> None:
    """`kg validate` checks each article graph and says how many conform; `-q` turns the progress bar off."""
    good = len(ingested["good"])
    for args in ((), ("-q",)):
        run = kg("validate", "--store", ingested["spec"], *args)
        assert run.code == 0, run.err
        assert run.out.strip().endswith(f"{good} of {good} article graphs conform"), run.out


# --- delete -------------------------------------------------------------------------------


def test_delete_removes_exactly_one_article(ingested: dict[str, Any], tmp_path: Path) -> None:
    """`kg delete ID` removes that article's graph; the other articles stay, and unknown ids fail with one line."""
    copy = tmp_path / "store"
    shutil.copytree(ingested["store_path"], copy)
    spec = f"oxigraph:{copy}"
    victim, *others = ingested["articles"]
    run = kg("delete", victim.id, "--store", spec)
    assert run.code == 0, run.err
    assert run.out.strip() == f"deleted {article_iri(victim)}"

    unknown = kg("delete", "0000000000000000", "--store", spec)
    assert_one_error_line(unknown, "no article")

    with Store(spec, read_only=True) as store:
        graphs = set(store.graph_names())
        quads = set(store.quads())
    assert graphs == {article_iri(a) for a in others}
    # the article's graph and its listing are gone, every other graph but the views is as it was
    views = {str(v) for v in VIEWS}
    gone = {str(article_iri(victim)), str(listing_name(article_iri(victim))), *views}
    before = {q for q in ingested["quads"] if str(q[3]) not in gone}
    after = {q for q in quads if str(q[3]) not in views}
    assert {tuple(map(str, q)) for q in after} == {tuple(map(str, q)) for q in before}


# --- query --------------------------------------------------------------------------------


def test_query_malformed_sparql_gives_one_error_line(ingested: dict[str, Any]) -> None:
    """Malformed SPARQL exits non-zero with one `error: malformed SPARQL` line."""
    run = kg("query", "SELEC ?s WHERE { ?s ?p ", "--store", ingested["spec"])
    assert_one_error_line(run, "malformed SPARQL")
    assert run.out == ""


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }",
        "PREFIX ex: <https://example.org/>\n# empty the store\nDELETE WHERE { ?s ?p ?o }",
        "drop all",
    ],
)
def test_query_refuses_updates_and_changes_nothing(ingested: dict[str, Any], update: str) -> None:
    """`kg query 'INSERT DATA {...}'` says updates are not allowed (not 'malformed SPARQL'); the store is unchanged."""
    before = stats(ingested["spec"])
    line = assert_one_error_line(kg("query", update, "--store", ingested["spec"]), "updates are not allowed")
    assert "malformed" not in line
    assert stats(ingested["spec"]) == before


@pytest.fixture(scope="module")
def graphs_query(ingested: dict[str, Any]) -> Path:
    """A .rq file listing every named graph in the store."""
    path = ingested["root"] / "graphs.rq"
    path.write_text(ALL_GRAPHS_RQ, encoding="utf-8")
    return path


def expected_graphs(ingested: dict[str, Any]) -> list[str]:
    """The articles' graphs and their listing graphs, the ontology graph and the views."""
    articles = {str(article_iri(a)) for a in ingested["articles"]}
    listings = {str(listing_name(article_iri(a))) for a in ingested["articles"]}
    return sorted(articles | listings | {str(ONTOLOGY_GRAPH)} | {str(v) for v in VIEWS})


def test_query_from_file_as_csv(ingested: dict[str, Any], graphs_query: Path) -> None:
    """`kg query @file.rq --format csv` prints a header row and one row per result."""
    run = kg("query", f"@{graphs_query}", "--store", ingested["spec"], "--format", "csv")
    assert run.code == 0, run.err
    rows = run.out.splitlines()
    assert rows[0] == "g"
    assert rows[1:] == expected_graphs(ingested)


def test_query_from_file_as_json(ingested: dict[str, Any], graphs_query: Path) -> None:
    """`kg query @file.rq --format json` prints a JSON list of objects keyed by variable."""
    run = kg("query", f"@{graphs_query}", "--store", ingested["spec"], "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out) == [{"g": g} for g in expected_graphs(ingested)]


def test_query_from_file_as_table(ingested: dict[str, Any], graphs_query: Path) -> None:
    """`kg query @file.rq --format table` prints a table with every result and a row count."""
    run = kg("query", f"@{graphs_query}", "--store", ingested["spec"], "--format", "table")
    assert run.code == 0, run.err
    for article in ingested["articles"]:
        assert article.id in run.out
    assert run.out.strip().splitlines()[-1] == f"{len(expected_graphs(ingested))} rows"


def test_query_from_missing_file_gives_one_error_line(ingested: dict[str, Any], tmp_path: Path) -> None:
    """`kg query @missing.rq` exits non-zero with one line naming the file."""
    run = kg("query", f"@{tmp_path / 'missing.rq'}", "--store", ingested["spec"])
    assert_one_error_line(run, "missing.rq")


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "keeps_graphs"),
    [
        ("trig", "trig", True),
        ("nquads", "nquads", True),
        ("turtle", "turtle", False),
        ("jsonld", "json-ld", True),
    ],
)
def test_export_parses_and_holds_the_stored_triples(
    ingested: dict[str, Any], fmt: str, rdflib_format: str, keeps_graphs: bool
) -> None:
    """`kg export --format F` prints RDF that rdflib parses and that holds every stored triple."""
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    run = kg("export", "--store", ingested["spec"], "--format", fmt)
    assert run.code == 0, run.err
    stored: dict[str, Graph] = {}
    for s, p, o, g in ingested["quads"]:
        stored.setdefault(str(g) if keeps_graphs else "", Graph()).add((s, p, o))
    exported: dict[str, Graph] = {}
    if keeps_graphs:
        ds = Dataset()
        ds.parse(data=run.out, format=rdflib_format)
        for s, p, o, g in ds.quads((None, None, None, None)):
            exported.setdefault(str(g), Graph()).add((s, p, o))
    else:
        exported[""] = Graph().parse(data=run.out, format=rdflib_format)
    assert exported.keys() == stored.keys()
    for name, graph in stored.items():
        assert len(exported[name]) == len(graph), name
        assert isomorphic(exported[name], graph), name


# --- extract ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(ingested: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """`kg extract moscow.txt --format json`: the article as read, and the parsed output."""
    path = ingested["good"][0]
    run = kg("extract", str(path), "--format", "json")
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return read_article(path), json.loads(run.out)


def evidence_spans(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every evidence span anywhere in an extract report (facts, offices, mentions)."""

    def walk(node: Any, key: str | None = None) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if key in ("evidence", "mentions") and {"start", "end", "text"} <= node.keys():
                yield node
            for k, v in node.items():
                yield from walk(v, k)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, key)

    yield from walk({k: report[k] for k in ("leaders", "events", "casualties", "quotes")})


def test_extract_json_has_the_four_fact_lists(extracted: tuple[Any, dict[str, Any]]) -> None:
    """`kg extract --format json` prints an object with leaders, events, casualties and quotes lists."""
    _, report = extracted
    for key in ("leaders", "events", "casualties", "quotes"):
        assert isinstance(report[key], list), key
    assert any("Putin" in (leader["name"] or "") for leader in report["leaders"])
    assert any("Putin" in (q["speaker"] or "") for q in report["quotes"])
    assert any(c["low"] == 27_000_000 for c in report["casualties"])


def test_extract_json_names_facts_as_the_scorer_reads_them(extracted: tuple[Any, dict[str, Any]]) -> None:
    """The scorer reads names as text (leader, role, country, group, place, speaker) and a figure's
    measure as `what` and hedge as `qualifier`; the records' own fields are there too."""
    _, report = extracted
    putin = next(leader for leader in report["leaders"] if leader["wikidata"] == "Q7747")
    assert (putin["role"], putin["country"]) == ("President", "Russia") and putin["offices"]
    figure = next(c for c in report["casualties"] if c["low"] == 27_000_000)
    assert isinstance(figure["group"], str) and "Soviet" in figure["group"]
    assert (figure["what"], figure["qualifier"]) == (figure["measure"], figure["hedge"])
    assert all(e["place"] is None or isinstance(e["place"], str) for e in report["events"])
    assert all(isinstance(q["speaker"], str | None) and q["source"]["id"] for q in report["quotes"])


def test_extract_every_fact_has_evidence_matching_the_text(extracted: tuple[Any, dict[str, Any]]) -> None:
    """Every fact carries evidence whose text is exactly article_text[start:end]."""
    article, report = extracted
    for kind in ("events", "casualties", "quotes"):
        for fact in report[kind]:
            assert {"start", "end", "text"} <= fact["evidence"].keys(), (kind, fact)
    for leader in report["leaders"]:
        assert leader.get("evidence") or leader["mentions"] or any(o.get("evidence") for o in leader["offices"])
    spans = list(evidence_spans(report))
    assert spans
    for span in spans:
        assert 0 <= span["start"] < span["end"] <= len(article.text)
        assert article.text[span["start"] : span["end"]] == span["text"]


def test_extract_turtle_parses(ingested: dict[str, Any], extracted: tuple[Any, dict[str, Any]]) -> None:
    """`kg extract --format turtle` prints Turtle rdflib can parse, about that article."""
    from rdflib import Graph

    article, _ = extracted
    run = kg("extract", str(ingested["good"][0]), "--format", "turtle")
    assert run.code == 0, run.err
    graph = Graph().parse(data=run.out, format="turtle")
    assert len(graph) > 0
    assert article_iri(article) in set(graph.subjects())


def test_extract_missing_file_gives_one_error_line_naming_it(tmp_path: Path) -> None:
    """`kg extract` of a file that does not exist exits non-zero with one line that names the path."""
    missing = tmp_path / "missing.txt"
    assert_one_error_line(kg("extract", str(missing)), "no such file", str(missing))


def test_extract_of_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    """`kg extract FOLDER` says it wants one file and points at `kg ingest`, not 'unsupported file type'."""
    line = assert_one_error_line(kg("extract", str(tmp_path)), str(tmp_path), "is a folder", "kg ingest")
    assert "unsupported" not in line


def test_extract_of_a_json_article_with_a_lone_surrogate_gives_one_error_line(tmp_path: Path) -> None:
    """`kg extract` of JSON whose title holds "\\udfff" exits non-zero with one line naming the field."""
    path = tmp_path / "surrogate.json"
    path.write_text('{"title": "Parade \\udfff", "text": "Veterans gathered in Moscow."}', encoding="utf-8")
    assert_one_error_line(kg("extract", str(path)), "'title'", "lone surrogate")


def test_extract_bad_file_gives_one_error_line(tmp_path: Path) -> None:
    """`kg extract` of a malformed JSON file exits non-zero with one line giving line and column."""
    path = tmp_path / "broken.json"
    path.write_text('{"text": "Veterans\n', encoding="utf-8")
    assert_one_error_line(kg("extract", str(path)), "malformed JSON", "line 1")


UNDATED_TXT = (
    "Putin hosts leaders at parade\n\n"
    "Russian President Vladimir Putin watched Wednesday's military parade alongside Chinese President Xi "
    "Jinping. The ceremony marked the 80th anniversary of the victory over Nazi Germany.\n"
)
LONG_QUOTE = (
    "We will never forget the sacrifice of the millions who fought and died so that the peoples of Europe "
    "could live in freedom and peace"
)


def all_events(report: dict[str, Any]) -> list[dict[str, Any]]:
    return report["events"] + report["other_events"]


def test_extract_without_a_date_warns_once_and_keeps_the_undated_events(tmp_path: Path) -> None:
    """With no date in the file and no --published: one warning naming the file, and the parade is still listed."""
    require_gazetteer()
    path = tmp_path / "undated.txt"
    path.write_text(UNDATED_TXT, encoding="utf-8")
    run = kg("extract", str(path))
    assert run.code == 0, run.err
    warnings = run.err.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {path} has no publication date"), run.err
    assert "--published" in warnings[0]
    report = json.loads(run.out)
    parade = [e for e in all_events(report) if "parade" in e["label"]]
    assert parade and parade[0]["date"] is None
    assert UNDATED_TXT.split("\n\n", 1)[1][parade[0]["evidence"]["start"] : parade[0]["evidence"]["end"]] == "parade"
    dated = json.loads(kg("extract", str(path), "--published", "2025-05-09").out)
    assert len(all_events(dated)) == len(all_events(report))


def test_extract_takes_the_date_from_the_file_and_does_not_warn(ingested: dict[str, Any]) -> None:
    """A file with a Published: line needs no --published: no warning, relative dates resolved."""
    run = kg("extract", str(ingested["good"][0]))
    assert run.code == 0 and run.err == "", run.err
    report = json.loads(run.out)
    assert report["article"]["published"] == "2025-05-09"
    assert any(e["date"] == "2025-05-09" for e in report["events"])


def test_ingest_warns_once_for_articles_without_a_date(tmp_path: Path) -> None:
    """`kg ingest` of two undated files stores both and prints one warning that counts them."""
    require_gazetteer()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(UNDATED_TXT + f"Filed as {name}.\n", encoding="utf-8")
    run = kg("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--store", f"oxigraph:{tmp_path / 's'}")
    assert run.code == 0, run.err
    assert run.out.strip().startswith("2 articles from 2 files"), run.out
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: 2 stored articles have no publication date"), run.err


def test_extract_table_shows_whole_evidence_leaders_evidence_and_commemorated_events(tmp_path: Path) -> None:
    """`--format table`: a long quote whole (no cut, no …), the leader's evidence, every event the JSON holds
    (the commemorated one marked), each with its offsets."""
    require_gazetteer()
    path = tmp_path / "moscow.txt"
    path.write_text(GOOD_TXT.replace("We will never forget the sacrifice of our peoples", LONG_QUOTE), encoding="utf-8")
    run = kg("extract", str(path), "--format", "table")
    assert run.code == 0, run.err
    assert "…" not in run.out
    flat = " ".join(re.sub(r"[│┃|]", " ", run.out).split())
    report = json.loads(kg("extract", str(path)).out)
    quote = report["quotes"][0]["evidence"]
    assert len(quote["text"]) > 80
    for word in quote["text"].split():
        assert word in flat
    assert f"{quote['start']}-{quote['end']}" in flat
    leader = report["leaders"][0]
    assert leader["offices"][0]["evidence"]["text"] == "Russian President Vladimir Putin"
    leaders_table = flat.split("events (")[0]
    assert leaders_table.count("Russian President Vladimir Putin") >= 1
    events = all_events(report)
    assert f"events ({len(events)})" in flat
    assert any(e["commemorates"] for e in events)
    assert "commemorated" in flat


def test_query_table_wraps_iris_instead_of_cutting_them(ingested: dict[str, Any]) -> None:
    """`kg query` in a narrow terminal prints whole IRIs (wrapped), never `https://w3id.org/wwiik…`."""
    env = {**os.environ, "COLUMNS": "40", "NO_COLOR": "1"}
    env.pop("KG_STORE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", ALL_GRAPHS_RQ, "--store", ingested["spec"]],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "…" not in proc.stdout
    joined = "".join(re.sub(r"[│┃┏┓┗┛┡┩└┘━─┳┻╇┼\s]", "", proc.stdout))
    for graph in expected_graphs(ingested):
        assert graph in joined


# --- store spec ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["stats", "serve"])
def test_bad_store_spec_gives_one_error_line(command: str) -> None:
    """`--store foo:` (or a bare path) exits non-zero with one `error:` line listing the store kinds;
    `kg serve` says so before it starts the server, not in a traceback from the app's start-up."""
    assert_one_error_line(kg(command, "--store", "foo:"), "unknown store", "oxigraph:PATH")
    assert_one_error_line(kg(command, "--store", "data/store"), "unknown store", "oxigraph:PATH")


def test_search_finds_words_in_the_ingested_articles(ingested: dict[str, Any]) -> None:
    """`kg search` lists each hit with its article id, kind and snippet, then the count; --format json pages."""
    run = kg("search", "Moscow", "--store", ingested["spec"], "-n", "2")
    assert run.code == 0, run.err
    lines = run.out.strip().splitlines()
    assert lines[-1].split()[1] in ("hit", "hits") and int(lines[-1].split()[0]) >= 1
    assert all("[Moscow]" in line for line in lines[:-1])
    as_json = json.loads(kg("search", "Moscow", "--store", ingested["spec"], "--format", "json").out)
    assert as_json["total"] == int(lines[-1].split()[0]) and as_json["q"] == "Moscow"


@pytest.mark.parametrize(("args", "needle"), [(["..."], "word"), (["x", "--kind", "body"], "kind")])
def test_search_with_bad_input_is_one_error_line(ingested: dict[str, Any], args: list[str], needle: str) -> None:
    """No words, or an unknown kind: one `error:` line, a non-zero exit."""
    assert_one_error_line(kg("search", *args, "--store", ingested["spec"]), needle)
