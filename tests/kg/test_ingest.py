"""kg.ingest: a long run leaves the views (kg.listing) behind and builds them once at its end, with
the same reads as a run that counts them in every write, also when an article fails or the run stops."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kg import facts
from kg.ingest import ingest
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "data" / "articles").glob("0*"))[:6]  # six articles: enough for both ways
VIEWS = ("leaders", "spread", "timeline", "counts")


def reads(store: Store) -> list[Any]:
    """What the views serve: the leaders, the spread and totals of the figures, the timeline, the totals."""
    page = facts.Page(500, 0)
    timeline = facts.timeline(store, page=page)
    return [
        facts.as_json(facts.leaders(store, page=page)),
        facts.as_json(facts.casualties(store, page=page)),
        (timeline.total, dict(timeline.families), sorted((e.date, e.iri) for e in timeline.items)),
        facts.events(store, page=facts.Page(1, 0)).total,
        facts.quotes(store, page=facts.Page(1, 0)).total,
    ]


def built(store: Store) -> bool:
    return all(store.named(f"{view}_view_ready").askAnswer for view in VIEWS)


@pytest.fixture(scope="module")
def counted_each_time() -> list[Any]:
    """The reads after a run that counts the views again in every write."""
    with Store("memory:") as store:
        assert ingest(store, FILES, defer_views_after=10**6).articles == len(FILES)
        return reads(store)


def test_a_long_run_builds_the_views_once_with_the_same_reads(counted_each_time: list[Any]) -> None:
    """Past defer_views_after the writes leave the views behind; the run builds them at its end."""
    with Store("memory:") as store:
        assert ingest(store, FILES, defer_views_after=2).articles == len(FILES)
        assert built(store) and reads(store) == counted_each_time


def test_a_failed_article_leaves_the_views_right(tmp_path: Path, counted_each_time: list[Any]) -> None:
    """An article that cannot be read between good ones is reported; the views hold the good ones."""
    for i, path in enumerate(FILES):
        shutil.copy(path, tmp_path / path.name)
        if i == 3:
            (tmp_path / f"{path.stem}-bad.json").write_text("{not json", encoding="utf-8")
    with Store("memory:") as store:
        summary = ingest(store, [tmp_path], defer_views_after=1)
        assert summary.articles == len(FILES) and len(summary.failures) == 1
        assert built(store) and reads(store) == counted_each_time


def test_a_run_that_stops_builds_the_views_of_what_it_stored() -> None:
    """A run stopped by an error after a few deferred writes still builds the views before it ends."""

    class Stop(Exception):
        pass

    def progress(path: str) -> None:
        if path.endswith(FILES[3].name):
            raise Stop(path)

    with Store("memory:") as store:
        with pytest.raises(Stop):
            ingest(store, FILES, defer_views_after=1, progress=progress)
        assert built(store)
        stopped = reads(store)
        store.rebuild_views()
        assert reads(store) == stopped and stopped[3] > 0


def test_views_suspended_by_a_run_that_was_killed_are_built_by_the_next(counted_each_time: list[Any]) -> None:
    """Views a killed run left behind are marked unbuilt; ensure_listings (kg ingest, kg serve) builds them."""
    with Store("memory:") as store:
        ingest(store, FILES[:2], defer_views_after=10**6)
        store.suspend_views()  # as a run past defer_views_after does, then killed before its end
        ingest(store, FILES[2:], defer_views_after=0)  # the next run starts with ensure_listings
        assert built(store) and reads(store) == counted_each_time
        store.suspend_views()
        assert not built(store)
        store.ensure_listings()
        assert built(store) and reads(store) == counted_each_time


def test_a_deferral_counts_the_first_writes_then_builds_the_views_at_its_end() -> None:
    """kg.ingest.deferring_views, the helper kg ingest and the cluster's ingest share: the first
    ``after`` writes count the views, the later ones leave them unbuilt until the block ends."""
    from kg.ingest import deferring_views

    with Store("memory:") as store:
        store.ensure_listings()
        with deferring_views(store, 2) as views:
            assert [views.counted(n) for n in range(4)] == [True, True, False, False]
            assert not built(store)
        assert built(store)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_the_extractor_fails_on_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Files are parsed in batches; an article the extractor breaks on fails its own file, and the
    other files of its batch, before and after it, are stored whole."""
    import kg.extract

    real = kg.extract.extract_doc

    def breaks_on_one(doc: Any, article: Any, gazetteer: Any) -> Any:
        if "overflow me" in article.text:
            raise OverflowError("a figure too large")
        return real(doc, article, gazetteer)

    monkeypatch.setattr(kg.extract, "extract_doc", breaks_on_one)  # the worker processes fork with it
    for path in FILES[:4]:
        shutil.copy(path, tmp_path / path.name)
    bad = tmp_path / f"{FILES[1].stem}-b.txt"
    bad.write_text("Berlin, 8 May 2025. Leaders met to overflow me at the memorial.\n", encoding="utf-8")
    with Store("memory:") as store:
        summary = ingest(store, [tmp_path], workers=workers)
        assert summary.articles == 4
        assert [(Path(f.path).name, "the extractor failed" in f.reason) for f in summary.failures] == [(bad.name, True)]
        assert facts.events(store, page=facts.Page(1, 0)).total > 0
        assert store.stats()["articles"] == 4
