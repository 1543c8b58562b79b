"""/docs and /redoc: rendered in a real headless Chromium from this app's own assets, with no CDN."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

SCREENSHOT = Path(os.environ.get("KG_DOCS_SCREENSHOT", "/tmp/wwiikg-docs-page.png"))
OPERATIONS = ["/leaders", "/events", "/timeline", "/casualties", "/quotes", "/articles", "/stats", "/sparql"]


def _requests(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (the performance log is drained)."""
    return [
        entry["params"]["request"]["url"]
        for entry in (json.loads(e["message"])["message"] for e in driver.get_log("performance"))
        if entry["method"] == "Network.requestWillBeSent"
    ]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_refer_only_to_assets_this_app_serves(readonly_api: str, page: str) -> None:
    """The HTML of /docs and /redoc names no other host, and every script, style and icon it names is served."""
    html = httpx.get(f"{readonly_api}{page}")
    assert html.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
    assert assets
    assert "cdn" not in html.text and "googleapis" not in html.text
    for asset in assets:
        assert not urlsplit(asset).netloc, f"{asset} is on another host"
        assert httpx.get(f"{readonly_api}{asset}").status_code == 200, asset


def test_swagger_ui_lists_the_operations_in_chromium_with_no_outside_request(readonly_api: str, chromium: Any) -> None:
    """In headless Chromium, /docs shows the API's operations; every request stays on 127.0.0.1."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _requests(chromium)
    chromium.get(f"{readonly_api}/docs")
    WebDriverWait(chromium, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 10)
    shown = {e.text for e in chromium.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    for path in OPERATIONS:
        assert path in shown, path
    requested = _requests(chromium)
    assert any(url.endswith("/openapi.json") for url in requested)
    assert [u for u in requested if not u.startswith((readonly_api, "data:", "blob:"))] == []
    chromium.save_screenshot(str(SCREENSHOT))
    assert [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"] == []


def test_redoc_renders_the_operations_in_chromium_with_no_outside_request(readonly_api: str, chromium: Any) -> None:
    """In headless Chromium, /redoc renders the API (its menu names the operations); nothing leaves 127.0.0.1."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _requests(chromium)
    chromium.get(f"{readonly_api}/redoc")
    WebDriverWait(chromium, 30).until(lambda d: "/leaders" in d.find_element(By.TAG_NAME, "body").text)
    body = chromium.find_element(By.TAG_NAME, "body").text
    assert "WWII commemoration knowledge graph" in body
    requested = _requests(chromium)
    assert any(url.endswith("/openapi.json") for url in requested)
    assert [u for u in requested if not u.startswith((readonly_api, "data:", "blob:"))] == []
    assert [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"] == []
