"""The query engine: an ``oxigraph serve`` child process that owns the on-disk store, supervised.

Why a separate process, from what was measured on Oxigraph 0.5.13 (server and Python binding):

- the embedded Oxigraph has no query timeout and no cancel, and ``oxigraph serve --timeout-s`` stops only some
  plans (GROUP BY, DISTINCT): a plain join, an ORDER BY or an aggregate over a cartesian product
  runs on after the limit, and after the client hangs up, until the process is killed;
- a deeply nested query overflows the parser's stack and aborts the whole process (so does a panic
  in a sort, seen on ``ORDER BY`` over a large product);
- only one process may open an Oxigraph store for writing.

So the API never opens the store. ``Engine`` runs ``oxigraph serve --location PATH --bind
127.0.0.1:PORT --union-default-graph`` and

- **starts** it on a free port of 127.0.0.1 and waits for its "Listening" line (``StoreLocked`` if
  another process holds the store, ``StoreError`` for any other failure, with Oxigraph's words);
- **restarts** it when it dies unexpectedly (a crash), on the same port, backing off from 0.1 s to
  5 s while it keeps dying within seconds of starting;
- **reclaims** it on request (``reclaim``): a query that outran its time limit is still burning a
  core inside the child, and killing the child is the only way to stop it. The store is crash-safe
  (RocksDB's write-ahead log): a kill loses at most the writes in flight, never half of one;
- **stops** it at shutdown (SIGTERM, SIGKILL after 5 s). On Linux it also dies with the API
  (``PR_SET_PDEATHSIG``), so a killed API never leaves the store locked; it runs in its own session,
  so a Ctrl-C meant for the API reaches the engine only through that shutdown.

The child gets no ``--timeout-s``: the proxy enforces time limits, and with that flag Oxigraph starts
one thread per query that sleeps the whole limit (at 3,000 lookups/s and a 31 s limit, ~90,000
threads: the child aborted with "failed to allocate an alternative stack").

``generation`` counts starts; ``restarts`` maps each generation to why it ended, so a caller whose
request failed can tell a crash (do not retry: the query may be the cause) from a reclaim it did not
cause (retry on the new generation). The child's stderr goes to the ``api.engine`` logger.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError, StoreLocked

log = logging.getLogger("api.engine")

OXIGRAPH_BIN = Path(sys.executable).parent / "oxigraph"
HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 5.0
MAX_BACKOFF_S = 5.0
STABLE_AFTER_S = 10.0  # a child that lived this long resets the crash backoff
READY_LINE = "Listening for requests at"


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that asks Linux to SIGKILL the child when the API process dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL)

    return preexec


class Engine:
    """One supervised ``oxigraph serve`` process (see the module docstring).

    ``location=None`` serves an empty in-memory store (a sandbox for tests).
    """

    def __init__(
        self,
        location: str | os.PathLike[str] | None,
        *,
        binary: str | os.PathLike[str] = OXIGRAPH_BIN,
        host: str = HOST,
        port: int | None = None,
    ) -> None:
        self.location = Path(location) if location is not None else None
        self.binary = Path(binary)
        self.host = host
        self.port = port or free_port(host)
        self.generation = 0
        self.restarts: dict[int, str] = {}  # generation -> why it ended ("crash", "reclaim", "stop")
        self.on_moved: Callable[[Engine], None] | None = None  # called when a restart had to change port
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = asyncio.Event()
        self._lock = asyncio.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._crashes: deque[float] = deque(maxlen=8)
        self._started_at = 0.0
        self._respawn: asyncio.Task[None] | None = None
        self._stderr: deque[str] = deque(maxlen=40)

    # --- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_spec(self) -> str:
        """The ``kg.store`` spec through which the rest of the app reads and writes."""
        return f"sparql:{self.query_url},{self.update_url}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start the child and wait until it listens; ``StoreLocked``/``StoreError`` if it cannot."""
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        if self.location is not None:
            self.location.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            await self._spawn(first=True)

    async def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL) and cancel any pending restart."""
        self._stopping = True
        if self._respawn is not None:
            self._respawn.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._respawn
        async with self._lock:
            self._ready.clear()
            await self._end(self._proc, signal.SIGTERM, "stop")

    async def reclaim(self, generation: int) -> None:
        """Kill generation ``generation`` (a query overran its limit in it) and start a new one.

        Returns once the old process is gone; the new one starts in the background. A no-op if
        that generation has already ended.
        """
        async with self._lock:
            if self._stopping or generation != self.generation or self._proc is None:
                return
            log.warning("restarting the query engine (pid %s) to stop a query that overran its time", self._proc.pid)
            self._ready.clear()
            await self._end(self._proc, signal.SIGKILL, "reclaim")
        self._respawn = asyncio.get_running_loop().create_task(self._restart_after(0.0))

    async def wait_ready(self, timeout: float) -> bool:
        """True once the engine listens, False if it does not within ``timeout`` seconds."""
        if self._ready.is_set():
            return True
        try:
            await asyncio.wait_for(self._ready.wait(), max(0.0, timeout))
        except TimeoutError:
            return False
        return True

    def ended_by(self, generation: int) -> str | None:
        """Why generation ``generation`` ended ("crash", "reclaim", "stop"), None while it runs."""
        return self.restarts.get(generation)

    # --- internals ------------------------------------------------------------------------

    def _command(self) -> list[str]:
        command = [str(self.binary), "serve", "--bind", f"{self.host}:{self.port}"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        return [*command, "--union-default-graph"]

    async def _spawn(self, *, first: bool) -> None:
        """Start a child and wait for it to listen (caller holds the lock)."""
        if not self.binary.is_file():
            raise StoreError(f"no oxigraph server binary at {self.binary}; install the 'oxigraph' package")
        for attempt in range(12):
            ready = threading.Event()
            self._stderr.clear()
            proc = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent(),  # only calls prctl, resolved before the fork
                start_new_session=True,
            )
            self.generation += 1
            self._proc = proc
            threading.Thread(
                target=self._watch, args=(proc, self.generation, ready), name=f"oxigraph-{proc.pid}", daemon=True
            ).start()
            deadline = time.monotonic() + START_TIMEOUT_S
            while not ready.is_set() and proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            if ready.is_set() and proc.poll() is None:
                self._started_at = time.monotonic()
                self._ready.set()
                log.info("query engine listening at %s (pid %s)", self.base_url, proc.pid)
                return
            await self._end(proc, signal.SIGKILL, "crash")
            reason = self._last_error()
            if "lock" in reason.lower():
                raise StoreLocked(
                    f"the store at {self.location} is open in another process (a running `kg serve` or "
                    f"`kg ingest`?); stop it first. Oxigraph said: {reason}"
                )
            if "address" in reason.lower() and "in use" in reason.lower():
                # someone took the port: the same one a few times (a restart), then another
                if first or attempt >= 4:
                    self.port = free_port(self.host)
                    if not first and self.on_moved is not None:
                        self.on_moved(self)
                await asyncio.sleep(0.05)
                continue
            raise StoreError(f"the query engine did not start: {reason or 'no message'}")
        raise StoreError("the query engine did not start: no free port")

    def _last_error(self) -> str:
        lines = [line.strip() for line in self._stderr if line.strip() and not line[0].isspace()]
        lines = [line for line in lines if READY_LINE not in line]
        for line in reversed(lines):  # a panic ends with notes about backtraces: find its message
            if any(word in line.lower() for word in ("panicked", "fatal", "error")):
                return line
        return lines[-1] if lines else ""

    async def _end(self, proc: subprocess.Popen[bytes] | None, sig: int, why: str) -> None:
        """Signal ``proc`` and wait for it to exit (SIGKILL after ``STOP_TIMEOUT_S``)."""
        if proc is None:
            return
        if proc is self._proc:
            self.restarts[self.generation] = why
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            while proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            if proc.poll() is None:
                proc.kill()
                await asyncio.to_thread(proc.wait)

    def _watch(self, proc: subprocess.Popen[bytes], generation: int, ready: threading.Event) -> None:
        """Thread: forward the child's stderr to the log, flag readiness, report its exit."""
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self._stderr.append(line)
            if READY_LINE in line:
                ready.set()
            level = logging.WARNING if ("panicked" in line or "fatal" in line or "overflow" in line) else logging.INFO
            log.log(level, "oxigraph[%s]: %s", proc.pid, line)
        code = proc.wait()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._exited, proc, generation, code)

    def _exited(self, proc: subprocess.Popen[bytes], generation: int, code: int) -> None:
        """On the event loop: a child exited. Restart it if nobody asked for that."""
        if proc is not self._proc or generation != self.generation or self._stopping:
            return
        if generation in self.restarts:  # reclaim or stop: the caller restarts (or not)
            return
        self.restarts[generation] = "crash"
        self._ready.clear()
        cause = f"signal {-code}" if code < 0 else f"exit status {code}"
        log.error("the query engine (pid %s) died (%s): %s; restarting it", proc.pid, cause, self._last_error())
        now = time.monotonic()
        if now - self._started_at > STABLE_AFTER_S:
            self._crashes.clear()
        self._crashes.append(now)
        delay = min(MAX_BACKOFF_S, 0.1 * 2 ** (len(self._crashes) - 1)) if len(self._crashes) > 1 else 0.0
        self._respawn = asyncio.get_running_loop().create_task(self._restart_after(delay))

    async def _restart_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        while not self._stopping:
            try:
                async with self._lock:
                    if self._stopping or self._ready.is_set():
                        return
                    await self._spawn(first=False)
                return
            except StoreError as exc:
                log.error("the query engine did not restart: %s; trying again in %.0f s", exc, MAX_BACKOFF_S)
                await asyncio.sleep(MAX_BACKOFF_S)


__all__ = ["HOST", "OXIGRAPH_BIN", "Engine", "free_port"]
