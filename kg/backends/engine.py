"""The API's supervised query engine: an ``oxigraph serve`` child that ``api.engine.Engine`` restarts
when it dies and kills when a query overruns (see there why it is a separate process).

It is a SPARQL server like any other (``kg.backends.sparql``), with one difference that matters to
readers: it goes away and comes back. A read that cannot reach it (refused, or cut by a restart)
waits up to ``RESTART_WAIT_S`` for the next engine generation to listen, then is retried once; if the
engine is still not back the reader gets ``StoreError`` (503 in the API), never a half answer.
Writes are not retried: an update cut by a crash may or may not have been applied.

The backend follows the engine to a new port when a restart had to move it. Built by the API around
its engine, not from a spec string (a live process is not something a string can name).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from rdflib.query import Result

from kg.backends import Capabilities, StoreSpec
from kg.backends.sparql import SparqlBackend, StoreUnreachable
from kg.errors import ConfigError
from kg.textindex import TextIndex

RESTART_WAIT_S = 10.0
T = TypeVar("T")


class Supervised(Protocol):
    """What the backend needs to know of the supervisor (``api.engine.Engine``)."""

    @property
    def query_url(self) -> str: ...

    @property
    def update_url(self) -> str: ...

    @property
    def generation(self) -> int: ...

    @property
    def ready(self) -> bool: ...

    @property
    def location(self) -> Path | None: ...  # the store on disk (None: an in-memory sandbox)


class EngineBackend(SparqlBackend):
    """The supervised engine child, riding out its restarts on every read."""

    kinds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, engine: Supervised, *, restart_wait_s: float = RESTART_WAIT_S) -> None:
        super().__init__(engine.query_url, engine.update_url)
        self.engine = engine
        self.restart_wait_s = restart_wait_s
        self._pool_generation = engine.generation

    @classmethod
    def open(cls, spec: StoreSpec, *, read_only: bool = False) -> SparqlBackend:
        raise ConfigError("the engine backend is built around a running engine, not from a spec")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(lateral=self._read(self.lateral_support), full_text=True)

    def text_index(self, *, read_only: bool = False) -> TextIndex:
        """The index beside the store the engine serves (written by this process, not the engine)."""
        location = self.engine.location
        return TextIndex() if location is None else TextIndex.beside(location, read_only=read_only)

    @property
    def query_url(self) -> str:
        return self.engine.query_url

    @property
    def update_url(self) -> str:
        return self.engine.update_url

    def _read(self, fetch: Callable[[], T]) -> T:
        generation, was_ready = self.engine.generation, self.engine.ready
        try:
            self._pool_for(generation)
            return fetch()
        except StoreUnreachable:
            if not self._listening_after(generation, was_ready):
                raise
        self._pool_for(self.engine.generation)
        return fetch()

    def _pool_for(self, generation: int) -> None:
        """A fresh connection pool for each engine generation: no request goes out on a socket of a
        dead child. (The old pool is left to the collector: another thread may still be reading.)"""
        if generation != self._pool_generation:
            self._client, self._pool_generation = self._new_client(), generation

    def _listening_after(self, generation: int, was_ready: bool) -> bool:
        """Wait for an engine that listens and is not the one that failed us (if that one was up)."""
        deadline = time.monotonic() + self.restart_wait_s
        while time.monotonic() < deadline:
            if self.engine.ready and (self.engine.generation != generation or not was_ready):
                return True
            time.sleep(0.02)
        return False

    def select(self, text: str) -> list[dict[str, Any]]:
        return self._read(lambda: SparqlBackend.select(self, text))

    def query(self, text: str) -> Result:
        return self._read(lambda: SparqlBackend.query(self, text))

    def construct(self, text: str, media_type: str) -> bytes | None:
        return self._read(lambda: SparqlBackend.construct(self, text, media_type))


__all__ = ["RESTART_WAIT_S", "EngineBackend", "Supervised"]
