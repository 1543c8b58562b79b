"""Session fixtures for the W3C suites: the cases, and the API serving every dataset they need.

The API is started once (two uvicorn processes: every dataset, and an empty store) and stopped at
the end of the session. The evaluation report is printed in the terminal summary, pass or fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from .runner import Report, store_graphs
from .server import REPO_ROOT, Endpoints, deploy
from .suite import Case, protocol_cases, query_cases, suites_root

REPORT = pytest.StashKey[Report]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "w3c: runs the W3C SPARQL 1.1 suites against a served API (-m 'not w3c')")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    report = config.stash.get(REPORT, None)
    if report is not None:
        terminalreporter.write_sep("-", "W3C SPARQL 1.1 query suite")
        terminalreporter.write_line(report.render())


@pytest.fixture(scope="session")
def w3c_root() -> Path:
    """The ``sparql11`` directory of the W3C suites beside the repository; skips when absent."""
    root = suites_root(REPO_ROOT)
    if not root.is_dir():
        pytest.skip(f"no W3C SPARQL suites at {root} (they live in ../shared/w3c beside the repository)")
    return root


@pytest.fixture(scope="session")
def w3c_cases(w3c_root: Path) -> list[Case]:
    """Every query evaluation and syntax test of the query and result-format manifests."""
    return query_cases(w3c_root)


@pytest.fixture(scope="session")
def w3c_api(tmp_path_factory: pytest.TempPathFactory, w3c_root: Path, w3c_cases: list[Case]) -> Iterator[Endpoints]:
    """The API over one store holding every dataset of the suites, and the API over an empty store."""
    graphs = store_graphs(w3c_cases, protocol_cases(w3c_root))
    with deploy(tmp_path_factory.mktemp("w3c"), graphs) as endpoints:
        yield endpoints


@pytest.fixture(scope="session")
def w3c_client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30.0) as client:
        yield client


@pytest.fixture
def record_w3c_report(request: pytest.FixtureRequest) -> Callable[[Report], None]:
    """Keep a run's report for the terminal summary."""

    def record(report: Report) -> None:
        request.config.stash[REPORT] = report

    return record
