"""Reading request bodies with a size limit, shared by every route that takes one."""

from __future__ import annotations

from fastapi import HTTPException, Request


async def read_body(request: Request, limit: int, setting: str | None = None) -> bytes:
    """The request body, or 413 as soon as it exceeds ``limit`` bytes (named by ``setting``)."""
    what = f"{setting} ({limit} bytes)" if setting else f"{limit} bytes"
    too_large = HTTPException(413, f"the request body is larger than {what}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


__all__ = ["read_body"]
