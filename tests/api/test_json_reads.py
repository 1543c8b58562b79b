"""The JSON API's read endpoints over the sample articles, checked the way a user would read them, on
every backend: embedded Oxigraph, an `oxigraph serve` process and Virtuoso (``reads_api``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from conftest import KGApi

PUTIN = "https://w3id.org/wwiikg/id/person/Q7747"
ENDPOINTS = [
    *("/leaders", "/leaders/{key}", "/events", "/events/{key}", "/timeline", "/casualties", "/quotes"),
    *("/articles", "/articles/{id}", "/id/{kind}/{key}", "/entities/{kind}/{key}", "/.well-known/void"),
]


def get(api: KGApi, path: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{api.base}{path}", params=params, timeout=30.0)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()  # type: ignore[no-any-return]


def assert_sourced(fact: dict[str, Any]) -> None:
    """A fact names its article (IRI, outlet, date) and the exact text it was read from."""
    source, evidence = fact["source"], fact["evidence"]
    assert source["article"].startswith("https://w3id.org/wwiikg/id/article/")
    assert source["article"].endswith(source["id"])
    assert source["outlet"] and source["published"]
    assert 0 <= evidence["start"] < evidence["end"]
    assert evidence["text"] and len(evidence["text"]) == evidence["end"] - evidence["start"]


def test_leaders_in_russia_include_putin_with_wikidata(reads_api: KGApi) -> None:
    """/leaders?country=Russia lists Putin with Wikidata Q7747 and a Russian office with its evidence."""
    page = get(reads_api, "/leaders", country="Russia")
    putin = next(item for item in page["items"] if item["wikidata"] == "Q7747")
    assert putin["name"] == "Vladimir Putin" and putin["iri"] == PUTIN
    assert putin["sources"] >= 5
    office = putin["offices"][0]
    assert office["country"]["wikidata"] == "Q159" and office["country"]["name"] == "Russia"
    assert "Putin" in office["evidence"]["text"]
    assert_sourced(office)
    assert all(o["country"]["name"] == "Russia" for item in page["items"] for o in item["offices"])


@pytest.mark.parametrize(
    "country", ["Russia", "russia", "Russian Federation", "Q159", "https://w3id.org/wwiikg/id/country/Q159"]
)
def test_country_filter_takes_names_aliases_ids_and_iris(reads_api: KGApi, country: str) -> None:
    """The country filter accepts a name in any case, a gazetteer alias, a Wikidata ID or the IRI."""
    page = get(reads_api, "/leaders", country=country)
    assert PUTIN in {item["iri"] for item in page["items"]}


def test_leaders_filters_by_role_and_name(reads_api: KGApi) -> None:
    """role= keeps that office (any case) and name= part of the name."""
    chancellors = get(reads_api, "/leaders", role="chancellor")
    assert chancellors["total"] >= 1
    assert all(any(o["role"] == "Chancellor" for o in item["offices"]) for item in chancellors["items"])
    named = get(reads_api, "/leaders", name="putin")
    assert [item["iri"] for item in named["items"]] == [PUTIN]


def test_leader_detail_lists_offices_events_quotes_and_co_attendees(reads_api: KGApi) -> None:
    """/leaders/Q7747: offices per article with evidence, events attended, quotes, co-attendees."""
    putin = get(reads_api, "/leaders/Q7747")
    assert putin["name"] == "Vladimir Putin" and putin["wikidata"] == "Q7747"
    offices = putin["offices"]["items"]
    assert putin["offices"]["total"] == len(offices) >= 5
    assert len({o["source"]["article"] for o in offices}) == len(offices)  # one per article
    for office in offices:
        assert_sourced(office)
    dates = [o["source"]["published"] for o in offices]
    assert dates == sorted(dates, reverse=True)
    assert putin["events"]["total"] >= 1
    for event in putin["events"]["items"]:
        assert_sourced(event)
    assert putin["quotes"]["total"] >= 1
    assert all(q["direct"] in (True, False) and q["text"] for q in putin["quotes"]["items"])
    xi = next(p for p in putin["co_attendees"]["items"] if p["wikidata"] == "Q15031")
    assert xi["name"] == "Xi Jinping" and xi["shared_events"] >= 1


def test_parades_have_dates_and_sources(reads_api: KGApi) -> None:
    """/events?type=parade: every item is a parade with its source; the current ones are dated."""
    page = get(reads_api, "/events", type="parade")
    assert page["total"] >= 5
    assert {e["type"] for e in page["items"]} == {"parade"}
    assert all(e["family"] == "commemorative" for e in page["items"])
    for event in page["items"]:
        assert_sourced(event)
    dated = [e for e in page["items"] if e["date"]]
    assert len(dated) >= 5
    victory_2025 = next(e for e in dated if e["date"] == "2025-05-09")
    assert victory_2025["time"]["text"] and victory_2025["time"]["rule"]


def test_event_detail_has_date_surface_anchor_rule_and_anniversary(reads_api: KGApi) -> None:
    """/events/{key} gives the date with its words, anchor and rule, and the anniversary."""
    page = get(reads_api, "/events", type="parade", commemorates="victory")
    parade = next(e for e in page["items"] if e["anniversary"] and e["anniversary"]["stated"] == 80)
    event = get(reads_api, f"/events/{parade['key']}")
    assert event["iri"] == parade["iri"]
    assert event["commemorates"]["name"] and event["commemorates"]["iri"].startswith(
        "https://w3id.org/wwiikg/id/event/"
    )
    assert event["anniversary"] == {"stated": 80, "computed": 80, "consistent": True}
    time = event["time"]
    assert time["value"] == event["date"] and time["anchor"] and time["rule"]
    assert time["evidence"]["text"] == time["text"]
    assert {p["wikidata"] for p in event["participants"]} >= {"Q7747", "Q15031"}
    assert_sourced(event)


def test_event_filters(reads_api: KGApi) -> None:
    """family, participant, place and the date range each narrow the events."""
    historical = get(reads_api, "/events", family="historical", limit=500)
    assert historical["total"] >= 10 and {e["family"] for e in historical["items"]} == {"historical"}
    with_xi = get(reads_api, "/events", participant="Xi Jinping")
    assert with_xi["total"] >= 2
    assert all("Q15031" in {p["wikidata"] for p in e["participants"]} for e in with_xi["items"])
    in_moscow = get(reads_api, "/events", place="Moscow")
    assert in_moscow["total"] >= 1 and all(e["place"]["name"] == "Moscow" for e in in_moscow["items"])
    war_years = get(reads_api, "/events", **{"from": "1944", "to": "1945-05"}, limit=500)
    assert war_years["total"] >= 3
    assert all("1944" <= e["date"][:7] <= "1945-05" for e in war_years["items"])


def test_timeline_is_in_date_order_with_families_apart(reads_api: KGApi) -> None:
    """/timeline: dated events oldest first; families count commemorative and historical apart."""
    timeline = get(reads_api, "/timeline", limit=500)
    dates = [e["date"] for e in timeline["items"]]
    assert dates == sorted(dates) and len(dates) == timeline["total"] >= 40
    families = timeline["families"]
    assert sum(f["events"] for f in families.values()) == timeline["total"]
    assert families["historical"]["first"] < "1940" and families["commemorative"]["last"] >= "2025"
    commemorative = get(reads_api, "/timeline", family="commemorative", limit=500)
    assert commemorative["total"] == families["commemorative"]["events"]
    assert {e["family"] for e in commemorative["items"]} == {"commemorative"}


def test_soviet_losses_side_by_side_with_spread(reads_api: KGApi) -> None:
    """/casualties?group=Soviet Union: several sources' 27 million, each with its words; spread, not a merge."""
    page = get(reads_api, "/casualties", group="Soviet Union", limit=500)
    assert page["total"] == len(page["items"]) >= 3
    for figure in page["items"]:
        assert figure["group"]["name"] == "Soviet Union"
        assert figure["surface"] in figure["evidence"]["text"]
        assert_sourced(figure)
    millions = [f for f in page["items"] if f["low"] == f["high"] == 27_000_000]
    assert all("27 million" in f["evidence"]["text"] for f in millions)
    assert len({f["source"]["article"] for f in millions}) >= 3
    deaths = next(s for s in page["spread"] if s["measure"] == "deaths")
    figures = {(f["low"], f["high"]) for f in page["items"] if f["measure"] == "deaths"}
    assert deaths["sources"] >= 3 and deaths["distinct_figures"] == len(figures)
    assert deaths["low_min"] <= 27_000_000 <= deaths["high_max"]
    assert {(v["low"], v["high"]) for v in deaths["values"]} == figures


def test_spread_shows_disagreeing_figures(reads_api: KGApi) -> None:
    """Without a filter, some group's sources disagree: the spread lists each distinct figure."""
    spread = get(reads_api, "/casualties", limit=1)["spread"]
    disputed = [s for s in spread if s["distinct_figures"] > 1]
    assert disputed
    for s in disputed:
        assert s["low_min"] == min(v["low"] for v in s["values"])
        assert s["high_max"] == max(v["high"] for v in s["values"])


def test_quotes_by_speaker_and_text(reads_api: KGApi) -> None:
    """/quotes?speaker=Putin: Putin's words with evidence; q= searches the text; direct= splits kinds."""
    page = get(reads_api, "/quotes", speaker="Putin")
    assert page["total"] >= 2
    for quote in page["items"]:
        assert quote["speaker"]["wikidata"] == "Q7747"
        assert_sourced(quote)
    found = get(reads_api, "/quotes", q="PEACE")
    assert found["total"] >= 1 and all("peace" in q["text"].lower() for q in found["items"])
    indirect = get(reads_api, "/quotes", direct="false")
    assert all(not q["direct"] for q in indirect["items"])
    recent = get(reads_api, "/quotes", **{"from": "2023"})
    assert all(q["source"]["published"] >= "2023" for q in recent["items"])


def test_articles_list_and_report(reads_api: KGApi) -> None:
    """/articles lists every article; /articles/{id} (or a prefix) gives the facts with evidence."""
    listing = get(reads_api, "/articles", limit=500)
    assert listing["total"] == len(listing["items"]) == reads_api.articles
    item = next(a for a in listing["items"] if "Victory Day" in (a["title"] or ""))
    report = get(reads_api, f"/articles/{item['id']}")
    assert report["article"]["iri"] == item["iri"] and report["article"]["title"] == item["title"]
    assert report["leaders"] and report["events"]
    assert get(reads_api, f"/articles/{item['id'][:8]}")["article"]["id"] == item["id"]


def test_an_articles_facts_have_the_shape_of_the_list_routes(reads_api: KGApi) -> None:
    """A figure read from /articles/{id} is the one /casualties lists, field for field; the article's
    leaders, events and quotes have the fields of /leaders, /events and /quotes items."""
    for figure in get(reads_api, "/casualties", group="Soviet Union")["items"]:
        report = get(reads_api, f"/articles/{figure['source']['id']}")
        if report["quotes"]:
            break
    same = next(c for c in report["casualties"] if c["iri"] == figure["iri"])
    assert set(same) == set(figure)
    for key in ("low", "high", "measure", "hedge", "scope", "surface", "source", "evidence"):
        assert same[key] == figure[key], key
    assert same["group"]["name"] == figure["group"]["name"]
    for kind, path in (("leaders", "/leaders"), ("events", "/events"), ("quotes", "/quotes")):
        listed = get(reads_api, path, limit=1)["items"][0]
        assert report[kind], kind
        assert all(set(fact) == set(listed) for fact in report[kind]), kind
    offices = [office for leader in report["leaders"] for office in leader["offices"]]
    for fact in (*offices, *report["events"], *report["quotes"], *report["statements"]):
        assert fact["source"] == figure["source"]
    assert all(leader["written"] and leader["mentions"] for leader in report["leaders"])


def test_openapi_documents_every_endpoint_with_examples(reads_api: KGApi) -> None:
    """/openapi.json lists the endpoints, their filters and examples; /docs renders."""
    spec = get(reads_api, "/openapi.json")
    paths = spec["paths"]
    for path in ENDPOINTS:
        assert path in paths, path
    leaders = {p["name"] for p in paths["/leaders"]["get"]["parameters"]}
    assert leaders >= {"country", "role", "name", "limit", "offset"}
    assert "example" in spec["components"]["schemas"]["Leader"]
    assert "multipart/form-data" in paths["/articles"]["post"]["requestBody"]["content"]
    assert httpx.get(f"{reads_api.base}/docs").status_code == 200


def test_openapi_has_one_schema_per_fact_kind(reads_api: KGApi) -> None:
    """/casualties, /events, /leaders, /quotes and an article's report refer to the same schema for
    each fact kind, its fields described (no second family of report models)."""
    spec = get(reads_api, "/openapi.json")
    schemas = spec["components"]["schemas"]
    assert not [name for name in schemas if "Report" in name and name != "ArticleReport"]
    report = schemas["ArticleReport"]["properties"]
    for kind, name, path in (
        ("leaders", "Leader", "/leaders"),
        ("events", "Event", "/events"),
        ("casualties", "Casualty", "/casualties"),
        ("quotes", "Quote", "/quotes"),
    ):
        ref = f"#/components/schemas/{name}"
        assert report[kind]["items"]["$ref"] == ref, kind
        page = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert schemas[page.rsplit("/", 1)[-1]]["properties"]["items"]["items"]["$ref"] == ref, kind
    assert report["statements"]["items"]["$ref"] == "#/components/schemas/Quote"
    casualty = schemas["Casualty"]["properties"]
    assert "What is counted" in casualty["measure"]["description"] and "hedges" in casualty["hedge"]["description"]
    assert not {"what", "qualifier"} & casualty.keys()


def test_each_kind_has_one_count_in_stats_and_its_list(reads_api: KGApi) -> None:
    """/stats and the list totals agree: leaders, events, casualty figures, articles; /quotes lists the
    quotations and the indirect statements (quotes + statements), /quotes?direct=true the quotations."""
    stats = get(reads_api, "/stats")
    assert get(reads_api, "/leaders")["total"] == stats["leaders"]
    assert get(reads_api, "/events")["total"] == stats["events"]
    assert get(reads_api, "/casualties")["total"] == stats["casualty_figures"]
    assert get(reads_api, "/articles")["total"] == stats["articles"]
    assert get(reads_api, "/quotes", direct="true")["total"] == stats["quotes"]
    assert get(reads_api, "/quotes", direct="false")["total"] == stats["statements"]
    assert get(reads_api, "/quotes")["total"] == stats["quotes"] + stats["statements"]
