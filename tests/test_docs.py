"""The README documents every CLI command, and every `$` command in it prints what it shows.

The output blocks are compared with real runs (a fresh store built by `make ingest`, a real `kg
serve`); `KG_UPDATE_README=1 pytest tests/test_docs.py` rewrites them from those runs instead.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))  # type: ignore[union-attr]
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    """Each `kg` command appears in the README's command table."""
    assert f"`kg {command}" in README


@pytest.mark.parametrize("target", ["make run", "make test"])
def test_readme_shows_the_quick_start(target: str) -> None:
    """The quick start names the set-up-and-run and set-up-and-test commands."""
    assert target in README


# --- every `$` command in the README runs, and prints what the README shows -------------------

UPDATE = os.environ.get("KG_UPDATE_README") == "1"
PROMPT = "    $ "
# pages, feeds and archives on other hosts: no network at test time, so these stay illustrations
ILLUSTRATIONS = ("https://example.org/",)


@dataclass
class Example:
    """One `$ command` of the README, the output lines shown under it, and where they are."""

    first: int  # index of the `$` line in the README's lines
    command: str
    expected: list[str]
    end: int  # index just past the last output line


def _complete(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:  # an open quote: the command goes on on the next line
        return False
    return True


def readme_examples(text: str = README) -> list[Example]:
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        if not lines[i].startswith(PROMPT):
            i += 1
            continue
        first, command = i, lines[i][len(PROMPT) :]
        i += 1
        while not _complete(command) and i < len(lines):
            command += "\n" + lines[i][4:]
            i += 1
        expected = []
        while i < len(lines) and lines[i].startswith("    ") and not lines[i].startswith(PROMPT):
            expected.append(lines[i][4:].rstrip())
            i += 1
        out.append(Example(first, command, expected, i))
    return out


EXAMPLES = readme_examples()
RUNNABLE = [e for e in EXAMPLES if not any(host in e.command for host in ILLUSTRATIONS)]


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Equal line for line; a first line `...` stands for any lines before the rest."""
    if expected[:1] == ["..."]:
        tail = expected[1:]
        return actual[len(actual) - len(tail) :] == tail if tail else True
    return actual == expected


def _shown(expected: list[str], actual: list[str]) -> list[str]:
    """What the README should show for ``actual``, keeping its `...` form."""
    if expected[:1] == ["..."]:
        return ["...", *actual[len(actual) - (len(expected) - 1) :]] if len(expected) > 1 else expected
    return actual


@dataclass
class Readme:
    """The store `make ingest` built from data/articles, the API serving a copy of it, and the updates."""

    store: Path
    ingest_output: list[str]
    base: str
    serve_log: Path
    env: dict[str, str]
    updates: dict[int, tuple[int, list[str]]]


def _wait(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"kg serve did not answer:\n{log.read_text()}")


@pytest.fixture(scope="module")
def readme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Readme]:
    """`make ingest` into a fresh store (what `make run` does first), then `kg serve` on a copy of it."""
    if shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "kg").is_file():
        pytest.skip("needs make and the project's .venv (make install)")
    where = tmp_path_factory.mktemp("readme")
    store = where / "store"
    run = subprocess.run(
        ["make", "-s", "ingest", f"STORE=oxigraph:{store}"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stdout + run.stderr
    served = where / "served"
    shutil.copytree(store, served)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env = {**clean, "KG_STORE": f"oxigraph:{store}", "COLUMNS": "100", "NO_COLOR": "1"}
    log = where / "serve.log"
    updates: dict[int, tuple[int, list[str]]] = {}
    with log.open("wb") as out:
        kg = ROOT / ".venv" / "bin" / "kg"
        proc = subprocess.Popen(
            [str(kg), "serve", "--store", f"oxigraph:{served}", "--port", str(port)],
            cwd=ROOT,
            env=clean,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, proc, log)
            yield Readme(store, run.stdout.strip().splitlines(), base, log, env, updates)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if UPDATE and updates:
        lines = README.splitlines()
        for first in sorted(updates, reverse=True):
            end, shown = updates[first]
            lines[first + 1 + _continuations(first) : end] = ["    " + line if line else "" for line in shown]
        (ROOT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _continuations(first: int) -> int:
    example = next(e for e in EXAMPLES if e.first == first)
    return example.command.count("\n")


def _check(readme: Readme, example: Example, actual: list[str]) -> None:
    if UPDATE:
        readme.updates[example.first] = (example.end, _shown(example.expected, actual))
        return
    assert _matches(example.expected, actual), (
        f"README shows for `{example.command}`:\n"
        + "\n".join(example.expected)
        + "\nbut it prints:\n"
        + "\n".join(actual)
    )


def test_readme_examples_use_files_in_the_repository() -> None:
    """No `$` command needs the team's ../shared folder; every file a command names is in the repository."""
    assert len(RUNNABLE) >= len(EXAMPLES) - 1  # the one illustration: ingesting pages from example.org
    for example in EXAMPLES:
        assert "../shared" not in example.command, example.command
        for word in shlex.split(example.command):
            if word.startswith("data/"):
                assert (ROOT / word).exists(), word


@pytest.mark.parametrize("example", RUNNABLE, ids=lambda e: e.command.split("\n")[0][:60])
def test_readme_command_prints_what_the_readme_shows(readme: Readme, example: Example) -> None:
    """Each `$ command` of the README, run for real (a fresh store from data/articles, a real server),
    prints the lines shown under it."""
    command = example.command
    if command == "make run":
        # `make run` is `make ingest` then `make serve`: the fixture ran both (on free ports)
        assert readme.ingest_output, "make ingest printed nothing"
        uvicorn = [line for line in readme.serve_log.read_text().splitlines() if "Uvicorn running on" in line]
        port = urlsplit(readme.base).port
        actual = [readme.ingest_output[-1], *(line.replace(f":{port} ", ":8000 ") for line in uvicorn)]
        _check(readme, example, actual)
        return
    if command == "make test":
        collected = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        total = int(re.search(r"(\d+) tests? collected", collected.stdout).group(1))  # type: ignore[union-attr]
        shown = re.fullmatch(r"(\d+) passed, (\d+) xfailed in [\d.]+s", example.expected[-1])
        assert shown, example.expected[-1]
        if UPDATE:
            xfailed = int(shown.group(2))
            line = re.sub(r"^\d+ passed", f"{total - xfailed} passed", example.expected[-1])
            _check(readme, example, [*example.expected[:-1], line])
        else:
            assert int(shown.group(1)) + int(shown.group(2)) == total, f"{total} tests collected"
        return
    command = command.replace("http://127.0.0.1:8000", readme.base)
    run = subprocess.run(["bash", "-c", command], cwd=ROOT, env=readme.env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    _check(readme, example, [line.rstrip() for line in run.stdout.strip("\n").splitlines()])


def test_offsets_example_in_the_ontology_readme_holds() -> None:
    """ontology/README.md's example: the body, not the file, sliced at 212-244 gives the leader's words."""
    from kg.articles import read_article

    text = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    assert "body[212:244]  # 'French President Emmanuel Macron'" in text
    path = ROOT / "data" / "articles" / "05_d-day-80th-2024.txt"
    assert read_article(path).text[212:244] == "French President Emmanuel Macron"
    assert path.read_text(encoding="utf-8")[212:244] != "French President Emmanuel Macron"
