"""The endpoint against the W3C SPARQL 1.1 Protocol and Query suites (see tests/w3c/README.md)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .runner import DATA0, KNOWN_PROTOCOL_BUGS, PASS_THRESHOLD, Report, Runner, check_refused, run_protocol
from .server import REPO_ROOT, Endpoints
from .suite import Case, ProtocolCase, protocol_cases, suites_root

ROOT = suites_root(REPO_ROOT)
PROTOCOL = protocol_cases(ROOT) if ROOT.is_dir() else []
pytestmark = [pytest.mark.w3c, pytest.mark.skipif(not ROOT.is_dir(), reason=f"no W3C SPARQL suites at {ROOT}")]


def _param(case: ProtocolCase) -> object:
    # strict, so that a fixed bug fails the run until its entry is removed
    marks = (
        [pytest.mark.xfail(reason=KNOWN_PROTOCOL_BUGS[case.key], strict=True)]
        if case.key in KNOWN_PROTOCOL_BUGS
        else []
    )
    return pytest.param(case, id=case.key, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in PROTOCOL if not c.is_update])
def test_protocol_query(case: ProtocolCase, w3c_api: Endpoints, w3c_client: httpx.Client) -> None:
    """Each request of a W3C protocol query test gets the status and result format the manifest expects."""
    reason = run_protocol(w3c_client, f"{w3c_api.main}/sparql", case)
    assert reason is None, reason


@pytest.mark.parametrize("case", [pytest.param(c, id=c.key) for c in PROTOCOL if c.is_update])
def test_protocol_update_is_refused(case: ProtocolCase, w3c_api: Endpoints, w3c_client: httpx.Client) -> None:
    """The first request of each W3C protocol update test gets a 4xx: /sparql is a read-only endpoint."""
    reason = check_refused(w3c_client, f"{w3c_api.main}/sparql", case)
    assert reason is None, reason


def test_protocol_dataset_must_be_held(w3c_api: Endpoints, w3c_client: httpx.Client) -> None:
    """A default-graph-uri the store does not hold is a 400 (our policy), while one it holds is answered."""
    ask = {"query": "ASK {}"}
    held = w3c_client.get(f"{w3c_api.main}/sparql", params={**ask, "default-graph-uri": DATA0})
    unknown = w3c_client.get(f"{w3c_api.main}/sparql", params={**ask, "default-graph-uri": "http://example.org/none"})
    assert (held.status_code, unknown.status_code) == (200, 400)


def test_query_evaluation_suite(
    w3c_api: Endpoints, w3c_cases: list[Case], record_w3c_report: Callable[[Report], None]
) -> None:
    """At least 95% of the W3C SPARQL 1.1 query evaluation and syntax tests pass through /sparql."""
    with Runner(w3c_api) as runner:
        report = runner.run_all(w3c_cases)
    record_w3c_report(report)  # printed in the terminal summary, pass or fail
    assert report.pass_rate >= PASS_THRESHOLD, f"pass rate {report.pass_rate:.1%}; the report is in the summary"
