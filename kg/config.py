"""Settings read from the environment (``KG_*``); only the CLI and the API read them."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.fetch import FetchPolicy
from kg.store import DEFAULT_STORE


class Settings(BaseSettings):
    """Deployment settings; every field can be set as ``KG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store: str = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None
    query_timeout: float = 30.0
    max_query_bytes: int = 64 * 1024
    max_results: int = 10_000
    max_upload_bytes: int = 2 * 1024 * 1024
    # fetching pages by URL (kg ingest URL, POST /articles {"url"}): see kg.fetch
    allow_private: bool = False
    fetch_timeout: float = 20.0
    fetch_delay: float = 1.0

    def fetch_policy(self, **overrides: object) -> FetchPolicy:
        """The fetch policy these settings give, with ``overrides`` (None values ignored)."""
        values: dict[str, object] = {
            "allow_private": self.allow_private,
            "timeout": self.fetch_timeout,
            "delay": self.fetch_delay,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return FetchPolicy(**values)  # type: ignore[arg-type]


def get_settings() -> Settings:
    return Settings()
