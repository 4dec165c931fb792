"""The public site in-process: every page reachable from the home page, Swedish pages without English
UI text, names with HTML shown as text, standings from published results only, the reader's zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chequered.media.i18n import translations
from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock
from tests.site_season import HOSTILE_DRIVER, HOSTILE_TEAM, build_season_store
from tests.web.site_helpers import visible_text

PAGE_KINDS = ("/calendar", "/rounds/", "/sessions/", "/standings", "/entries/", "/drivers/", "/teams/")
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "chequered" / "web"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.sqlite'}"
    store = build_season_store(url, FixedClock(), rounds=2, hostile=True)
    with TestClient(create_app(store, Settings())) as client:
        yield client, store
    store.close()


def _links(html: str) -> list[str]:
    return [unescape_href(h) for h in re.findall(r'href="(/[^"]*)"', html)]


def unescape_href(href: str) -> str:
    return href.replace("&amp;", "&")


def _crawl(client: TestClient, limit: int = 400) -> dict[str, str]:
    """Every page reachable by links from /, one of each path (queries other than lang/tz dropped)."""
    seen: dict[str, str] = {}
    todo = ["/"]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen or path.endswith(".ics") or path.startswith(("/docs", "/static", "/live/")):
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        seen[path] = response.text
        for link in _links(response.text):
            if "?lang=" in link or "?tz=" in link:
                continue
            if link not in seen and link not in todo:
                todo.append(link)
    return seen


def test_every_page_is_reachable_from_home(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    pages = _crawl(client)
    for kind in PAGE_KINDS:
        assert any(p.startswith(kind) for p in pages), f"no {kind} page reachable from /"
    assert client.get("/calendar.ics").status_code == 200
    assert any(
        "/entries/" in link and link.endswith("calendar.ics")
        for html in pages.values()
        for link in _links(html)
    )


def _ui_strings() -> dict[str, str]:
    catalog = translations("sv")
    found: set[str] = set()
    for path in [*TEMPLATES.glob("templates/*.html"), TEMPLATES / "pages.py", TEMPLATES / "season_view.py"]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'_\(\s*"([^"]+)"\s*\)', text)) | set(
            re.findall(r"_\(\s*'([^']+)'\s*\)", text)
        )
        found |= set(re.findall(r'\bgettext\(\s*"([^"]+)",', text))
    return {m: catalog.gettext(m) for m in found}


def test_swedish_catalog_covers_every_ui_string() -> None:
    missing = [
        m
        for m, sv in _ui_strings().items()
        if sv == m and len(m) > 3 and m not in ("Status", "Start", "Version", "Team")
    ]
    assert not missing, f"no Swedish for: {missing}"


def _data_strings(store: Store) -> list[str]:
    """Names the store holds (circuits, places, teams, drivers, cars): data, not UI text."""
    names: set[str] = set()
    for event in store.rounds("gt4-europe-2023"):
        c = event.circuit
        names |= {event.name, c.name, c.location, c.country}
        for session in event.sessions:
            for stored in store.events(session.id, kinds=("entry",)):
                entry = stored.event().entry  # type: ignore[union-attr]
                names |= {entry.team, entry.car_model, *(d.name for d in entry.drivers)}
    return sorted((n for n in names if n), key=len, reverse=True)


def test_swedish_pages_hold_no_english_ui_string(site: tuple[TestClient, Store]) -> None:
    client, store = site
    data = _data_strings(store)
    english = sorted(
        (m for m, sv in _ui_strings().items() if sv != m and len(m) > 3 and "{" not in m),
        key=len,
        reverse=True,
    )
    pages = _crawl(client, limit=60)
    for path in list(pages)[:60]:
        sv = client.get(path, headers={"Accept-Language": "sv-SE,sv;q=0.9"})
        text = visible_text(sv.text)
        for name in data:
            text = text.replace(name, " ")
        for message in english:
            assert not re.search(rf"(?<![\w-]){re.escape(message)}(?![\w-])", text), f"{path}: {message!r}"


def test_language_is_chosen_and_remembered(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    english = client.get("/standings", headers={"Accept-Language": "en-GB"})
    assert "Standings" in english.text
    swedish = client.get("/standings?lang=sv")
    assert "Ställning" in swedish.text
    assert swedish.cookies.get("lang") == "sv"
    client.cookies.set("lang", "sv")
    try:
        assert "Ställning" in client.get("/standings", headers={"Accept-Language": "en"}).text
    finally:
        client.cookies.delete("lang")


def test_names_with_html_are_text_on_every_page(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    pages = _crawl(client)
    shown = 0
    for path, html in pages.items():
        assert HOSTILE_TEAM not in html, path
        assert HOSTILE_DRIVER not in html, path
        shown += "&lt;img src=x onerror=window.__xss=1&gt;" in html
    assert shown >= 3  # the entry, team and session pages at least show the name, escaped


def test_standings_count_only_published_sessions(site: tuple[TestClient, Store]) -> None:
    client, store = site
    results = store.season_results("gt4-europe-2023").results
    assert not any(r.round == 2 and r.session == "R1" for r in results)  # the API leaves it out too
    html = client.get("/standings").text
    headers = re.findall(r'<th scope="col" class="num">(\d+ [QR]\d)\*?</th>', html)
    assert "1 R1" in headers and "2 Q1" in headers
    assert "2 R1" not in headers and "2 R2" not in headers
    assert "Paul Ricard Race 1" in visible_text(html)  # named as not counted yet


def test_session_page_says_what_version_it_is(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    final = client.get("/sessions/2023-monza-R1").text
    assert "Final" in final and "Track limits" in final and "+5 s" in final
    versions = re.findall(r'href="/sessions/2023-monza-R1\?version=(\d+)"', final)
    assert len(versions) == 3  # provisional, final, live
    provisional = client.get(f"/sessions/2023-monza-R1?version={versions[0]}").text
    assert "Provisional" in provisional
    running = client.get("/sessions/2023-paul-ricard-R1").text
    assert "/live/2023-paul-ricard-R1" in running and "not yet published" in running
    waiting = client.get("/sessions/2023-paul-ricard-R2").text
    assert "has not started yet" in waiting and "CEST" in waiting
    for word in ("DNF (Retired)", "DNS (Did not start)", "DSQ (Disqualified)", "NC (Not classified)"):
        if word in final:
            break
    else:
        pytest.fail("no status in words on the race page")


def test_times_in_the_readers_zone(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    page = client.get("/calendar?tz=America/New_York")
    assert (page.cookies.get("tz") or "").strip('"') == "America/New_York"
    text = visible_text(page.text)
    assert "EDT" in text and "CEST" in text
    client.cookies.set("tz", "Europe/London")
    try:
        assert "BST" in visible_text(client.get("/calendar").text)
    finally:
        client.cookies.delete("tz")
    assert "EDT" not in visible_text(client.get("/calendar").text)


def test_docs_work_without_a_cdn(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "<script>" not in docs
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/docs.js").status_code == 200


def test_no_inline_script_on_any_page(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    pages = _crawl(client, limit=60)
    pages["/live/2023-paul-ricard-R1"] = client.get("/live/2023-paul-ricard-R1").text
    for path, html in pages.items():
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html.replace("onerror=window.__xss", "")), path


def test_a_penalty_counts_in_the_standings_once_it_is_published(tmp_path: Path) -> None:
    """The site scores a session as of its latest publication, as the API does: a penalty added after
    publication moves nothing until the results are published again."""
    from chequered.core.events import Publication, TimePenalty

    store = build_season_store(
        f"sqlite:///{tmp_path / 'one.sqlite'}", FixedClock(), rounds=1, grid_size=12, live_round=2
    )
    race = "2023-monza-R1"
    with TestClient(create_app(store, Settings())) as client:
        before = client.get("/standings").text
        results = store.state(race, store.position(race)).classification.results
        winner = next(r for r in results if r.position == 1).entry.car
        store.append(race, [TimePenalty(winner, 3_600_000, "test: an hour")], "steward")
        assert client.get("/standings").text == before
        store.publish(race, Publication.PROVISIONAL, "steward")
        assert client.get("/standings").text != before
    store.close()
