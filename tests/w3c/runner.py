"""Running the W3C cases against ``/sparql`` over HTTP, and the report of a run.

    case -> Plan (which endpoint, which graphs as default / named graphs)
         -> POST /sparql (query with its file URL as BASE, Accept matching the result file)
         -> Answer -> compare with the expected file -> Outcome

The endpoint's data model is not the W3C one: its default graph is the union of the named graphs
unless ``default-graph-uri`` picks graphs, and only graphs holding triples can be picked. A test's
dataset is therefore sent as ``default-graph-uri`` = its ``qt:data`` files and ``named-graph-uri``
= its ``qt:graphData`` files. Two datasets cannot be said that way and are approximated the way the
data model does it (``Plan.approximation``): no default graph beside named graphs (the default graph
becomes their union), and a default graph without named graphs (its graphs are also the named
graphs). Tests with no data at all go to a second endpoint over an empty store.

Each failure is re-run on a bare in-memory ``pyoxigraph.Store`` to name its cause: ``engine`` when
Oxigraph itself fails the test, ``model`` when it passes with the test's dataset but fails with the
approximated one, ``endpoint`` when it passes both ways and only our API gets it wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import pyoxigraph
from rdflib import Graph

from .results import (
    MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    Answer,
    AnswerError,
    Solutions,
    compare,
    read_answer,
    read_expected,
)
from .server import Endpoints
from .suite import Case, EvaluationCase, Exchange, ProtocolCase, SyntaxCase, file_iri

PASS_THRESHOLD = 0.95
REQUEST_TIMEOUT_S = 30.0
# Seven protocol tests send default-graph-uri=<...data0.rdf> but give it no ut:graphData. The
# endpoint only accepts graphs it holds (our policy), so the fixture holds data0.rdf with the same
# one-triple shape as data1-3.rdf; what it holds does not matter to those tests (ASK {} and the like).
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
DATA0_TRIPLE = f"<{DATA0}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .\n"

# Protocol query tests the endpoint fails because of a bug, by test name.
KNOWN_PROTOCOL_BUGS = {
    "query_content_type_construct": (
        "endpoint bug: /sparql parses queries without a base IRI, so CONSTRUCT { <s> <p> 1 } WHERE {} is a 400 "
        "(oxigraph serve resolves <s> against the request URL); see tests/w3c/README.md"
    ),
}

Status = Literal["passed", "failed", "skipped"]


# --- reading queries ---------------------------------------------------------------------------

_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    # a bare word: not part of a variable, prefixed name, blank-node label or language tag
    return re.compile(rf"(?<![\w?$:@-]){word}(?![\w:-])", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """What the harness needs to know about a query's text."""

    has_dataset: bool  # FROM / FROM NAMED
    uses_graph: bool  # GRAPH: named graphs matter
    uses_service: bool
    order_by: tuple[str, ...]  # variables of the top-level ORDER BY


def shape(text: str) -> Shape:
    """Read from the text with strings, IRIs and comments blanked out, at brace depth 0."""
    scrubbed = _OPAQUE.sub(lambda m: "<>" if m.group(0)[0] == "<" else " " if m.group(0)[0] == "#" else '""', text)
    depth, top = 0, []
    for char in scrubbed:
        depth += char == "{"
        top.append(char if depth == 0 else " ")
        depth -= char == "}" and depth > 0
    outer = "".join(top)
    order = re.search(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)", outer, re.I | re.S)
    return Shape(
        has_dataset=re.search(r"\bFROM\b", outer, re.I) is not None,
        uses_graph=_keyword("GRAPH").search(scrubbed) is not None,
        uses_service=_keyword("SERVICE").search(scrubbed) is not None,
        order_by=tuple(re.findall(r"[?$](\w+)", order.group(1))) if order else (),
    )


def query_text(path: Path) -> str:
    """The query with its own location as base IRI, as a harness that fetched it would resolve it."""
    return f"BASE <{file_iri(path)}>\n" + path.read_text(encoding="utf-8")


# --- planning datasets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Where and with which protocol dataset a case is asked."""

    endpoint: Literal["main", "empty"]
    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    approximation: str | None = None

    def params(self) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in self.default] + [("named-graph-uri", g) for g in self.named]


def plan(case: EvaluationCase, held: frozenset[str]) -> Plan:
    """The request dataset for ``case`` on a store holding the non-empty graphs ``held``."""
    query = shape(query_text(case.query))
    if query.has_dataset:
        return Plan("main")  # the query's FROM / FROM NAMED name the graphs themselves
    default = tuple(g for g in map(file_iri, case.data) if g in held)
    named = tuple(g for g in map(file_iri, case.graph_data) if g in held)
    if not default and not named:
        return Plan("empty")
    if not default:
        return Plan("main", named, named, "no default graph: the union of the named graphs instead")
    if not named:
        approximation = "no named graphs: the default graph's graphs instead" if query.uses_graph else None
        return Plan("main", default, default, approximation)
    return Plan("main", default, named)


def store_graphs(cases: Iterable[Case], protocol: Iterable[ProtocolCase]) -> dict[str, Path | str]:
    """Every graph the runs need, by IRI: the files of the evaluation tests and the protocol graphs."""
    graphs: dict[str, Path | str] = {}
    for case in cases:
        if isinstance(case, EvaluationCase):
            for path in (*case.data, *case.graph_data):
                graphs[file_iri(path)] = path
    for pcase in protocol:
        for iri, path in pcase.graphs:
            graphs[iri] = path
    graphs[DATA0] = DATA0_TRIPLE
    return graphs


# --- outcomes and the report -------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What happened to one case."""

    case: Case
    status: Status
    reason: str = ""
    cause: str = ""  # failed: endpoint, engine, model; skipped: policy
    approximated: bool = False


@dataclass
class Report:
    """The outcomes of a run, counted by category."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def pass_rate(self) -> float:
        """Passed over the cases that ran (skipped ones excluded)."""
        ran = self.count("passed") + self.count("failed")
        return self.count("passed") / ran if ran else 0.0

    def render(self) -> str:
        by_category: dict[str, Counter[str]] = {}
        for o in self.outcomes:
            kind = "syntax" if isinstance(o.case, SyntaxCase) else "eval"
            by_category.setdefault(f"{o.case.category} ({kind})", Counter())[o.status] += 1
        width = max(len(c) for c in by_category) if by_category else 10
        lines = [
            f"W3C SPARQL 1.1 query suite: {self.count('passed')} passed, {self.count('failed')} failed, "
            f"{self.count('skipped')} skipped of {len(self.outcomes)}; "
            f"pass rate {self.pass_rate:.1%} (threshold {PASS_THRESHOLD:.0%})",
            "",
            f"{'category':<{width}}  passed  failed  skipped",
        ]
        for category, counts in by_category.items():
            lines.append(f"{category:<{width}}  {counts['passed']:>6}  {counts['failed']:>6}  {counts['skipped']:>7}")
        causes = Counter(o.cause for o in self.outcomes if o.status == "failed")
        if causes:
            lines += ["", "failures by cause: " + ", ".join(f"{c} {n}" for c, n in sorted(causes.items()))]
        approximated = [o for o in self.outcomes if o.approximated]
        if approximated:
            passed = sum(o.status == "passed" for o in approximated)
            lines.append(f"approximated datasets: {len(approximated)} tests, {passed} of them passed")
        for status in ("failed", "skipped"):
            chosen = [o for o in self.outcomes if o.status == status]
            if chosen:
                lines += ["", f"{status}:"]
                lines += [f"  {o.case.label} [{o.cause}] {o.case.name}: {o.reason}" for o in chosen]
        return "\n".join(lines)


# --- the runner --------------------------------------------------------------------------------


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["detail"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _blame(response: httpx.Response, engine_ok: bool) -> str:
    """A server error is always the endpoint's; otherwise whoever fails on a bare pyoxigraph store."""
    return "endpoint" if response.status_code >= 500 or engine_ok else "engine"


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _accept(case: EvaluationCase, expected: Answer) -> str:
    suffix = case.result.suffix.lstrip(".")
    if suffix in ("srx", "srj", "csv", "tsv"):
        return MEDIA_TYPES[suffix]
    return MEDIA_TYPES["ttl"] if isinstance(expected, Graph) else MEDIA_TYPES["srx"]


class Runner:
    """Runs cases against the two endpoints: ``main`` (every dataset) and ``empty`` (no data)."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.bases = {"main": endpoints.main, "empty": endpoints.empty}
        self.held = endpoints.held
        self.client = httpx.Client(timeout=REQUEST_TIMEOUT_S)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post(
        self, endpoint: str, text: str, params: Sequence[tuple[str, str]] = (), accept: str = "*/*"
    ) -> httpx.Response:
        """POST the query; retried once on a fresh connection, since a 500 can leave a dead keep-alive one."""
        request = self.client.build_request(
            "POST",
            f"{self.bases[endpoint]}/sparql",
            params=list(params),
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        try:
            return self.client.send(request)
        except httpx.TransportError:
            self.client.close()
            self.client = httpx.Client(timeout=REQUEST_TIMEOUT_S)
            return self.client.send(request)

    def run(self, case: Case) -> Outcome:
        text = query_text(case.query)
        if shape(text).uses_service:
            return Outcome(case, "skipped", "SERVICE is refused by policy (api.guard): no federated queries", "policy")
        if isinstance(case, SyntaxCase):
            return self._syntax(case, text)
        return self._evaluate(case, text)

    def run_all(self, cases: Iterable[Case]) -> Report:
        return Report([self.run(c) for c in cases])

    def _syntax(self, case: SyntaxCase, text: str) -> Outcome:
        response = self.post("empty", text)
        want = 200 if case.positive else 400
        if response.status_code == want:
            return Outcome(case, "passed")
        reason = f"expected HTTP {want}, got {response.status_code}: {_detail(response)}"
        try:
            pyoxigraph.Store().query(text)
            engine_ok = case.positive
        except SyntaxError:
            engine_ok = not case.positive
        except (RuntimeError, OSError, ValueError):  # parsed, but Oxigraph cannot run it
            engine_ok = False
        return Outcome(case, "failed", reason, _blame(response, engine_ok))

    def _evaluate(self, case: EvaluationCase, text: str) -> Outcome:
        expected = read_expected(case.result)
        the_plan = plan(case, self.held)
        approximated = the_plan.approximation is not None
        accept = _accept(case, expected)
        response = self.post(the_plan.endpoint, text, the_plan.params(), accept)
        reason = self._check(response, accept, expected, shape(text).order_by)
        if reason is None:
            return Outcome(case, "passed", approximated=approximated)
        cause = "endpoint" if response.status_code >= 500 else self._cause(case, text, accept, expected, the_plan)
        if approximated and cause == "model":
            reason += f" ({the_plan.approximation})"
        return Outcome(case, "failed", reason, cause, approximated)

    def _check(self, response: httpx.Response, accept: str, expected: Answer, order_by: Sequence[str]) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {_detail(response)}"
        media_type = _media_type(response)
        if media_type != accept:
            return f"asked for {accept}, got {media_type}"
        try:
            actual = read_answer(response.content, media_type)
        except AnswerError as exc:
            return str(exc)
        return compare(expected, actual, order_by=order_by)

    def _cause(self, case: EvaluationCase, text: str, accept: str, expected: Answer, the_plan: Plan) -> str:
        order_by = shape(text).order_by
        if _reference_check(case, text, accept, expected, order_by, None) is not None:
            return "engine"
        if the_plan.approximation and _reference_check(case, text, accept, expected, order_by, the_plan) is not None:
            return "model"
        return "endpoint"


# --- reference runs on a bare pyoxigraph store -------------------------------------------------

_RESULT_FORMATS = {
    MEDIA_TYPES["srx"]: pyoxigraph.QueryResultsFormat.XML,
    MEDIA_TYPES["srj"]: pyoxigraph.QueryResultsFormat.JSON,
    MEDIA_TYPES["csv"]: pyoxigraph.QueryResultsFormat.CSV,
    MEDIA_TYPES["tsv"]: pyoxigraph.QueryResultsFormat.TSV,
}


def _reference_check(
    case: EvaluationCase, text: str, accept: str, expected: Answer, order_by: Sequence[str], the_plan: Plan | None
) -> str | None:
    """``compare`` for the answer of a bare pyoxigraph store: the test's own dataset (no plan) or the plan's."""
    store = pyoxigraph.Store()
    kwargs: dict[str, Any] = {}
    if the_plan is None:
        for path in case.data:
            store.load(path=path, base_iri=file_iri(path))
        for path in case.graph_data:
            store.load(path=path, base_iri=file_iri(path), to_graph=pyoxigraph.NamedNode(file_iri(path)))
    else:
        for path in {*case.data, *case.graph_data}:
            store.load(path=path, base_iri=file_iri(path), to_graph=pyoxigraph.NamedNode(file_iri(path)))
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in the_plan.default]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in the_plan.named]
    try:
        result = store.query(text, **kwargs)
        if isinstance(result, pyoxigraph.QueryBoolean):
            actual: Answer = bool(result)
        elif isinstance(result, pyoxigraph.QueryTriples):
            actual = read_answer(result.serialize(format=pyoxigraph.RdfFormat.TURTLE) or b"", MEDIA_TYPES["ttl"])
        else:
            actual = read_answer(result.serialize(format=_RESULT_FORMATS[accept]) or b"", accept)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        return f"pyoxigraph: {exc}"
    return compare(expected, actual, order_by=order_by)


# --- protocol ----------------------------------------------------------------------------------

RDF_FORMATS = frozenset({"application/rdf+xml", "text/turtle", "application/n-triples"})
BOOLEAN_FORMATS = frozenset({MEDIA_TYPES["srx"], MEDIA_TYPES["srj"]})


def check_exchange(client: httpx.Client, endpoint: str, exchange: Exchange) -> str | None:
    """Why the endpoint's response to one protocol request is not the one expected (None when it is)."""
    response = client.request(
        exchange.method, endpoint + exchange.target, headers=list(exchange.headers), content=exchange.body
    )
    expected = exchange.expected
    where = f"{exchange.method} {exchange.target[:80]}"
    if response.status_code // 100 not in expected.status_classes:
        classes = "/".join(f"{c}xx" for c in sorted(expected.status_classes))
        return f"{where}: expected {classes}, got {response.status_code}: {_detail(response)}"
    if expected.format is None:
        return None
    media_type = _media_type(response)
    allowed = {"boolean": BOOLEAN_FORMATS, "tabular": RESULT_MEDIA_TYPES, "RDF": RDF_FORMATS}[expected.format]
    if media_type not in allowed:
        return f"{where}: expected {expected.format} results ({', '.join(sorted(allowed))}), got {media_type}"
    try:
        answer = read_answer(response.content, media_type, base=endpoint)
    except AnswerError as exc:
        return f"{where}: {exc}"
    want = {"boolean": bool, "tabular": Solutions, "RDF": Graph}[expected.format]
    if not isinstance(answer, want):
        return f"{where}: expected {expected.format} results, got {type(answer).__name__}"
    if expected.boolean is not None and answer is not expected.boolean:
        return f"{where}: expected {expected.boolean}, got {answer}"
    return None


def run_protocol(client: httpx.Client, endpoint: str, case: ProtocolCase) -> str | None:
    """Run a protocol query case's requests in order; the first failure, or None."""
    for exchange in case.exchanges:
        if (reason := check_exchange(client, endpoint, exchange)) is not None:
            return reason
    return None


def check_refused(client: httpx.Client, endpoint: str, case: ProtocolCase) -> str | None:
    """A protocol update case's first request must get a 4xx: /sparql is read-only. The failure, or None."""
    exchange = case.exchanges[0]
    response = client.request(
        exchange.method, endpoint + exchange.target, headers=list(exchange.headers), content=exchange.body
    )
    if 400 <= response.status_code < 500:
        return None
    return f"{exchange.method} {exchange.target[:80]}: expected a 4xx refusal, got {response.status_code}"


def protocol_report(client: httpx.Client, endpoint: str, cases: Iterable[ProtocolCase]) -> tuple[int, int, list[str]]:
    """Passed and total protocol cases (query cases as the manifest says, update cases refused), and failures."""
    passed, total, lines = 0, 0, []
    for case in cases:
        reason = check_refused(client, endpoint, case) if case.is_update else run_protocol(client, endpoint, case)
        total += 1
        if reason is None:
            passed += 1
            continue
        known = f" [known bug: {KNOWN_PROTOCOL_BUGS[case.key]}]" if case.key in KNOWN_PROTOCOL_BUGS else ""
        lines.append(f"  protocol/{case.key}: {reason}{known}")
    return passed, total, lines


__all__ = [
    "DATA0",
    "KNOWN_PROTOCOL_BUGS",
    "PASS_THRESHOLD",
    "Outcome",
    "Plan",
    "Report",
    "Runner",
    "check_exchange",
    "check_refused",
    "plan",
    "protocol_report",
    "query_text",
    "run_protocol",
    "shape",
    "store_graphs",
]
