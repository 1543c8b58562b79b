"""Server-rendered HTML pages for the IRIs we mint: what the articles say, with sources and links.

Every value is escaped; links go to our own ``/id/...`` pages, to Wikidata, or to an article's URL
when it is ``http(s)``. The pages load nothing from elsewhere (the style sheet is inline).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from kg.namespaces import ID

STYLE = """body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222;
line-height:1.45}h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#555}table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.3rem .4rem;
text-align:left;vertical-align:top}blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #bbb}
.small{font-size:.85rem;color:#555}code{font-size:.85rem}nav a{margin-right:1rem}"""


def esc(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def local_href(iri: str | None) -> str | None:
    """``/id/{kind}/{key}`` for one of our IRIs (relative, so it works on any host)."""
    if iri and iri.startswith(str(ID)):
        return "/id/" + iri[len(str(ID)) :]
    return None


def link(iri: str | None, label: Any = None) -> str:
    """A link to our page for ``iri`` (or to it, if it is elsewhere and http(s)); else plain text."""
    text = esc(label if label is not None else iri)
    href = local_href(iri) or (iri if iri and iri.startswith(("http://", "https://")) else None)
    return f'<a href="{esc(href)}">{text}</a>' if href else text


def wikidata(qid: str | None) -> str:
    if not qid:
        return ""
    return f'<a href="https://www.wikidata.org/wiki/{esc(qid)}">Wikidata {esc(qid)}</a>'


def source(src: Mapping[str, Any] | None) -> str:
    """The article a fact comes from: a link to its page, outlet, date, and its own URL."""
    if not src:
        return ""
    parts = [link(src.get("article"), src.get("title") or src.get("id"))]
    if src.get("outlet"):
        parts.append(esc(src["outlet"]))
    if src.get("published"):
        parts.append(esc(src["published"]))
    url = src.get("url")
    if url and str(url).startswith(("http://", "https://")):
        parts.append(f'<a href="{esc(url)}">original</a>')
    return '<span class="small">' + " · ".join(parts) + "</span>"


def evidence(ev: Mapping[str, Any] | None, src: Mapping[str, Any] | None = None) -> str:
    if not ev:
        return source(src)
    where = f'<span class="small">characters {esc(ev.get("start"))}–{esc(ev.get("end"))}</span>'
    return f"<blockquote>{esc(ev.get('text'))}</blockquote>{where} {source(src)}"


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table of already-escaped cells."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if body else "<p>None.</p>"


def document(title: str, body: str, *, iri: str, alternates: Mapping[str, str]) -> str:
    alt = "".join(f'<link rel="alternate" type="{esc(t)}" href="{esc(h)}">' for t, h in alternates.items())
    nav = " ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for t, h in alternates.items())
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"{alt}<style>{STYLE}</style></head><body>"
        f'<p class="small"><a href="/docs">API</a> · <a href="/timeline">timeline</a> · <code>{esc(iri)}</code></p>'
        f"{body}<h2>Other formats</h2><nav>{nav}</nav></body></html>\n"
    )


def _section(title: str, section: Mapping[str, Any], rows: Iterable[Iterable[str]], headers: Iterable[str]) -> str:
    shown = len(section.get("items", []))
    count = f' <span class="small">({shown} of {esc(section.get("total"))})</span>'
    return f"<h2>{esc(title)}{count}</h2>" + table(headers, rows)


def person_page(data: Mapping[str, Any], alternates: Mapping[str, str]) -> str:
    """A person: name, Wikidata, offices per article with evidence, events, quotations, co-attendees."""
    office_rows = (
        (
            esc(o["role"]),
            link(o["country"]["iri"], o["country"]["name"]) if o.get("country") else "",
            "current" if o["current"] else "former",
            evidence(o["evidence"], o["source"]),
        )
        for o in data["offices"]["items"]
    )
    event_rows = (
        (esc(e.get("date")), link(e["iri"], e["label"]), esc(e["type"]), evidence(e["evidence"], e["source"]))
        for e in data["events"]["items"]
    )
    quote_rows = (
        (
            f"<blockquote>{esc(q['text'])}</blockquote>",
            "quoted" if q["direct"] else "reported",
            evidence(q["evidence"], q["source"]),
        )
        for q in data["quotes"]["items"]
    )
    other_rows = (
        (link(p["iri"], p["name"]), wikidata(p.get("wikidata")), esc(p["shared_events"]))
        for p in data["co_attendees"]["items"]
    )
    body = (
        f"<h1>{esc(data['name'])}</h1>"
        f'<p class="meta">Person · named in {esc(data["sources"])} article(s) · {wikidata(data.get("wikidata"))}</p>'
        + _section("Offices, per article", data["offices"], office_rows, ("Role", "Country", "", "Evidence and source"))
        + _section("Events taken part in", data["events"], event_rows, ("Date", "Event", "Type", "Evidence and source"))
        + _section("Quotations", data["quotes"], quote_rows, ("Text", "", "Evidence and source"))
        + _section("Took part in the same events", data["co_attendees"], other_rows, ("Person", "", "Shared events"))
    )
    return document(str(data["name"]), body, iri=data["iri"], alternates=alternates)


def event_page(data: Mapping[str, Any], alternates: Mapping[str, str]) -> str:
    """An event as one article states it: date and how it was read, place, participants, anniversary."""
    rows: list[tuple[str, str]] = [("Type", f"{esc(data['type'])} ({esc(data.get('family'))})")]
    time = data.get("time")
    if data.get("date") or time:
        how = ""
        if time:
            how = (
                f' <span class="small">from “{esc(time["text"])}”, rule {esc(time["rule"])}'
                + (f", anchored on {esc(time['anchor'])}" if time.get("anchor") else "")
                + "</span>"
            )
        rows.append(("Date", esc(data.get("date")) + how))
    if data.get("place"):
        rows.append(
            ("Place", link(data["place"]["iri"], data["place"]["name"]) + " " + wikidata(data["place"].get("wikidata")))
        )
    if data.get("participants"):
        rows.append(("Participants", ", ".join(link(p["iri"], p["name"]) for p in data["participants"])))
    if data.get("commemorates"):
        c = data["commemorates"]
        rows.append(("Commemorates", link(c["iri"], c["name"]) + (f" ({esc(c['date'])})" if c.get("date") else "")))
    if data.get("anniversary"):
        a = data["anniversary"]
        rows.append(
            (
                "Anniversary",
                f"stated {esc(a['stated'])}, computed {esc(a['computed'])}, consistent {esc(a['consistent'])}",
            )
        )
    rows.append(
        ("Recalled or reported", "history the article recalls" if data["background"] else "reported as current")
    )
    if data.get("wikidata"):
        rows.append(("Wikidata", wikidata(data["wikidata"])))
    rows.append(("Evidence", evidence(data["evidence"], data["source"])))
    body = f"<h1>{esc(data['label'])}</h1>" + table(("", ""), rows)
    return document(str(data["label"]), body, iri=data["iri"], alternates=alternates)


def _span(e: Mapping[str, Any]) -> str:
    chars = f"characters {esc(e['start'])}–{esc(e['end'])}"
    return f"<blockquote>{esc(e['text'])}</blockquote><span class='small'>{chars}</span>"


def _name(ref: Mapping[str, Any] | None) -> Any:
    return None if ref is None else ref["name"]


def _iri_name(ref: Mapping[str, Any] | None) -> tuple[Any, Any]:
    return (None, None) if ref is None else (ref["iri"], ref["name"])


def article_page(report: Mapping[str, Any], alternates: Mapping[str, str]) -> str:
    """An article: metadata and every fact read from it, with evidence."""
    a = report["article"]
    url = a.get("url")
    original = f' · <a href="{esc(url)}">original</a>' if url and str(url).startswith(("http://", "https://")) else ""
    ev = _span
    leaders = (
        (
            link(p["iri"], p["name"]),
            wikidata(p.get("wikidata")),
            "<br>".join(f"{esc(o['role'])} {esc(_name(o['country']))} {ev(o['evidence'])}" for o in p["offices"]),
        )
        for p in report["leaders"]
    )
    events = (
        (esc(e.get("date")), link(e["iri"], e["label"]), esc(e["type"]), ev(e["evidence"])) for e in report["events"]
    )
    figures = (
        (
            esc(_name(c["group"])),
            f"{c['low']:,}" + (f"–{c['high']:,}" if c["high"] != c["low"] else ""),
            esc(c["measure"]),
            esc(c["hedge"]),
            ev(c["evidence"]),
        )
        for c in report["casualties"]
    )
    quotes = (
        (link(*_iri_name(q["speaker"])), f"<blockquote>{esc(q['text'])}</blockquote>", ev(q["evidence"]))
        for q in [*report["quotes"], *report["statements"]]
    )
    body = (
        f"<h1>{esc(a.get('title') or a['id'])}</h1>"
        f'<p class="meta">{esc(a.get("outlet"))} · {esc(a.get("published"))}{original} · '
        f'<a href="/articles/{esc(a["id"])}">JSON</a></p>'
        + "<h2>Leaders</h2>"
        + table(("Person", "", "Offices"), leaders)
        + "<h2>Events</h2>"
        + table(("Date", "Event", "Type", "Evidence"), events)
        + "<h2>Casualty figures</h2>"
        + table(("Group", "Figure", "Measure", "Hedge", "Evidence"), figures)
        + "<h2>Quotations and statements</h2>"
        + table(("Speaker", "Text", "Evidence"), quotes)
    )
    return document(str(a.get("title") or a["id"]), body, iri=a["iri"], alternates=alternates)


def entity_page(data: Mapping[str, Any], alternates: Mapping[str, str]) -> str:
    """Any other resource: names, Wikidata, types, what the articles state, and the evidence."""
    statements = (
        (
            link(s["predicate"], s["predicate"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]),
            link(s["iri"]) if s.get("iri") else esc(s.get("value")),
        )
        for s in data["statements"]
    )
    spans = (
        (
            link(e["article"], e["article"].rsplit("/", 1)[-1]),
            f"<blockquote>{esc(e['text'])}</blockquote>",
            f'<span class="small">{esc(e["start"])}–{esc(e["end"])}</span>',
        )
        for e in data["evidence"]
    )
    same = ", ".join(link(s) for s in data.get("same_as", []))
    body = (
        f"<h1>{esc(data.get('name') or data['key'])}</h1>"
        f'<p class="meta">{esc(data["kind"])} · {wikidata(data.get("wikidata"))} {same}</p>'
        + "<h2>Types</h2><p>"
        + ", ".join(link(t, t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]) for t in data["types"])
        + "</p>"
        + "<h2>Statements</h2>"
        + table(("Property", "Value"), statements)
        + f'<h2>Evidence <span class="small">({len(data["evidence"])} of {esc(data.get("evidence_total"))})</span></h2>'
        + table(("Article", "Text", "Characters"), spans)
    )
    return document(str(data.get("name") or data["key"]), body, iri=data["iri"], alternates=alternates)


__all__ = ["article_page", "entity_page", "event_page", "person_page"]
