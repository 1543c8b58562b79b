"""FastAPI dependencies: the store and the settings the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.config import Settings
from kg.store import Store


# async on purpose: FastAPI runs a plain ``def`` dependency in the thread pool on every request
async def get_store(request: Request) -> Store:
    """The one ``Store`` opened by the app's lifespan."""
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    """The ``Settings`` passed to ``create_app`` (or read from ``KG_*``)."""
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

__all__ = ["SettingsDep", "StoreDep", "get_settings", "get_store"]
