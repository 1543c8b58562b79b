"""Settings read from the environment (``KG_*``); only the CLI and the API read them."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

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


def get_settings() -> Settings:
    return Settings()
