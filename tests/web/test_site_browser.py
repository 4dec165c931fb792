"""The public site in Debian's Chromium (Playwright) at 1400x1000 and 390x844: every page without
console errors, without sideways scrolling on a phone (outside tables that scroll inside themselves),
with no serious or critical axe-core violation, and with a team or driver named with HTML shown as text
(``window.__xss`` stays undefined); the language and time-zone switches; a car followed from home to its
entry page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock
from tests.site_season import HOSTILE_DRIVER, HOSTILE_TEAM, build_season_store
from tests.web.site_helpers import serving
from tests.web.test_live_page import _chromium

pytestmark = pytest.mark.slow
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}
SHOTS = Path(__file__).resolve().parents[2] / ".pytest_cache" / "site-screens"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'site.sqlite'}"
    store = build_season_store(url, FixedClock(), rounds=2, hostile=True)
    app = create_app(store, Settings())
    with serving(app) as base:
        yield base, store
    store.close()


def _pages(store: Store) -> list[str]:
    session = store.state("2023-monza-R1", store.position("2023-monza-R1"))
    hostile = next(e for e in session.entries if e.team == HOSTILE_TEAM)
    other = next(e for e in session.entries if e.team != HOSTILE_TEAM)
    return [
        "/",
        "/calendar",
        "/rounds/2023-monza",
        "/sessions/2023-monza-R1",
        "/sessions/2023-paul-ricard-Q1",
        "/sessions/2023-paul-ricard-R2",
        "/standings",
        "/standings?of=teams",
        f"/entries/{hostile.car}",
        f"/entries/{other.car}",
        f"/drivers/{quote(HOSTILE_DRIVER, safe='')}",
        f"/drivers/{quote(other.drivers[0].name, safe='')}",
        f"/teams/{quote(HOSTILE_TEAM, safe='')}",
        "/live/2023-paul-ricard-R1",
        "/live/2023-paul-ricard-R2",
    ]


_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".scroll") || el.closest("svg")) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && getComputedStyle(el).display !== "none") {
      wide.push(el.tagName + "." + el.className);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_in_chromium(served: tuple[str, Store]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    base, store = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, timezone_id="Europe/Stockholm"
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            for path in _pages(store):
                page.goto(base + path, wait_until="networkidle")
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                page.screenshot(path=str(SHOTS / f"{size}-{name}.png"), full_page=False)
                if page.evaluate("window.__xss") is not None:
                    failures.append(f"{size} {path}: script from a name ran")
                if size == "phone":
                    overflow = page.evaluate(_OVERFLOW)
                    if overflow["scroll"] > overflow["width"] + 1:
                        failures.append(f"{size} {path}: sideways scrolling {overflow}")
                failures.extend(f"{size} {path}: axe {violation}" for violation in _serious(page))
                failures.extend(f"{size} {path}: console {e}" for e in errors)
                errors.clear()
            context.close()
        browser.close()
    assert not failures, "\n".join(failures)


def test_switches_and_following_a_car(served: tuple[str, Store]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    base, _ = served
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="America/New_York")
        page = context.new_page()
        page.goto(base + "/calendar", wait_until="networkidle")
        # the browser's zone is remembered on the first visit (site.js) and the times follow it
        assert "EDT" in page.inner_text("main")
        with page.expect_navigation():
            page.select_option("#tz", "Europe/Stockholm")  # site.js submits the form on change
        assert "tz=Europe%2FStockholm" in page.url and "EDT" not in page.inner_text("main")
        page.goto(base + "/calendar", wait_until="networkidle")
        assert "EDT" not in page.inner_text("main")  # remembered
        with page.expect_navigation():
            page.click("a[hreflang=sv]")
        assert "Kalender" in page.inner_text("h1")
        page.goto(base + "/", wait_until="networkidle")
        assert "Senaste resultat" in page.inner_text("main")  # remembered
        link = page.locator("main table a[href^='/entries/']").first
        number = link.inner_text()
        with page.expect_navigation():
            link.click()
        assert "/entries/" in page.url and number in page.inner_text("h1")
        browser.close()
