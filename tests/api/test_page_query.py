"""The query page at /sparql: served whole from this app, and usable in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from api.routes.sparql import examples

SCREENSHOT = Path(os.environ.get("KG_PAGE_SCREENSHOT", "/tmp/wwiikg-sparql-page.png"))
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_page_lists_the_examples_and_loads_only_local_assets(corpus_api: str) -> None:
    """The page names every example and refers only to assets this app serves (no CDN, no other host)."""
    page = httpx.get(f"{corpus_api}/sparql", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for example in examples():
        assert example.title in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(a.endswith("yasgui.min.js") for a in assets)
    for asset in (a for a in assets if not a.startswith("data:")):
        assert not urlsplit(asset).netloc, f"{asset} is on another host"
        response = httpx.get(f"{corpus_api}{asset}" if asset.startswith("/") else f"{corpus_api}/{asset}")
        assert response.status_code == 200, asset


def test_clicking_an_example_shows_its_rows_in_chromium(corpus_api: str, chromium: Any) -> None:
    """In headless Chromium, clicking the first example runs it and fills the result table; nothing leaves 127.0.0.1."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chromium.get(f"{corpus_api}/sparql")
    wait = WebDriverWait(chromium, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))
    chromium.find_element(By.CSS_SELECTOR, 'button[data-example="0"]').click()
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    assert len(rows) >= 5
    table = chromium.find_element(By.CSS_SELECTOR, ".yasr table").text
    assert "Vladimir Putin" in table
    assert "leaderName" in table
    chromium.save_screenshot(str(SCREENSHOT))
    requested = [
        entry["params"]["request"]["url"]
        for entry in (json.loads(e["message"])["message"] for e in chromium.get_log("performance"))
        if entry["method"] == "Network.requestWillBeSent"
    ]
    assert any(url.endswith("/sparql") for url in requested)
    elsewhere = [u for u in requested if not u.startswith((corpus_api, "data:", "blob:", "about:"))]
    assert elsewhere == []
    errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_the_result_table_shows_whole_values_by_default(corpus_api: str, chromium: Any) -> None:
    """In headless Chromium, the first example's long headlines and IRIs show whole: no ellipsis by default."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    example = examples()[0]
    answer = httpx.post(
        f"{corpus_api}/sparql", data={"query": example.query}, headers={"Accept": "application/sparql-results+json"}
    ).json()
    headlines = {b["headline"]["value"] for b in answer["results"]["bindings"] if "headline" in b}
    assert max(map(len, headlines)) > 40
    chromium.get(f"{corpus_api}/sparql")
    wait = WebDriverWait(chromium, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))
    chromium.find_element(By.CSS_SELECTOR, 'button[data-example="0"]').click()
    snapshot = (
        "var t = document.querySelector('.yasr table');"
        "return t ? [t.className, Array.from(t.querySelectorAll('tbody td')).map(c => c.innerText)] : null;"
    )
    # the table is drawn more than once: read class and cells in one go, once the rows are there
    shown = wait.until(lambda d: (r := d.execute_script(snapshot)) and len(r[1]) > 5 and r)
    assert "ellipseTable" not in shown[0]
    whole = [h for h in headlines if len(h) > 40 and any(h in text for text in shown[1])]
    assert whole, shown[1][:20]
    assert not any(text.endswith(("…", "...")) for text in shown[1])
