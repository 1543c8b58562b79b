"""Report-time filters (reported_after, reported_before) next to the event-time ones, on /events,
/timeline and /casualties: the Victory Day article is of 2025-05-09, the D-Day one of 2024-06-06."""

from __future__ import annotations

import httpx
import pytest
from apisample import D_DAY, VICTORY_DAY, Served


def articles(body: dict[str, object]) -> set[str]:
    return {item["source"]["id"] for item in body["items"]}  # type: ignore[attr-defined,index]


@pytest.mark.parametrize("path", ["/events", "/timeline", "/casualties"])
def test_the_report_date_splits_the_sources(api: Served, path: str) -> None:
    """Before 2025: only the D-Day article's facts; from 2025 on: only Victory Day's; both: all."""
    get = lambda **params: httpx.get(f"{api.base}{path}", params=params).json()  # noqa: E731
    everything = get()
    before, after = get(reported_before="2025"), get(reported_after="2025")
    assert articles(before) <= {D_DAY} and articles(after) <= {VICTORY_DAY}
    assert before["total"] + after["total"] == everything["total"]
    assert get(reported_after="2025-05-09")["total"] == after["total"]
    assert get(reported_after="2025-05-10")["total"] == 0


def test_report_time_and_event_time_combine(api: Served) -> None:
    """Events of 1944 as reported before 2025 (the D-Day landings in the 2024 article), none after."""
    events = f"{api.base}/events"
    recalled = httpx.get(events, params={"from": "1944", "to": "1944", "reported_before": "2025"}).json()
    assert recalled["total"] == httpx.get(events, params={"from": "1944", "to": "1944"}).json()["total"] >= 1
    assert httpx.get(events, params={"from": "1944", "to": "1944", "reported_after": "2025"}).json()["total"] == 0


def test_the_casualty_spread_follows_the_report_date(api: Served) -> None:
    """The spread counts only the figures of the articles in the report-time range."""
    late = httpx.get(f"{api.base}/casualties", params={"reported_after": "2025"}).json()
    assert late["total"] == 0 and late["spread"] == []


@pytest.mark.parametrize("value", ["2015-13", "May 2015", "15", "2015-05-09T00:00"])
@pytest.mark.parametrize("name", ["reported_after", "reported_before"])
def test_malformed_report_dates_are_422(api: Served, name: str, value: str) -> None:
    """Anything but YYYY[-MM[-DD]] is refused before a query runs."""
    response = httpx.get(f"{api.base}/casualties", params={name: value})
    assert response.status_code == 422 and response.json()["error"]["status"] == 422
