"""PDFs of HTML pages, printed by Chromium's own PDF printer (Debian's ``/usr/bin/chromium``, driven by
Playwright): the same HTML the pages serve, real fonts, tables split across pages with their
header repeated. The page's own CSS lays out the paper (``@page``: A4, margins, and "X / Y" in the
bottom-right margin box, which Chromium honours since version 131), so no header or footer template is
needed. The printer runs no script and fetches nothing: what it prints is the page as given.

One browser serves a process: it is launched on the first PDF and reused, and so are its few tabs. The
browser lives on a thread of its own with an asyncio loop, so that ``render_pdf`` may be called from any
thread (the web server's thread pool, the press kit's workers) and several pages print at once. See
``docs/pdf-library.md`` for why Chromium and what it costs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from chequered.core.errors import ChequeredError

CHROMIUM = Path("/usr/bin/chromium")
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # what would still connect before a request is made (a frame's preconnect) goes to a proxy on the
    # closed discard port, loopback included: no connection leaves the printer
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)
PARALLEL = 3  # pages printed at once: a tab's work is split between the browser and its renderer


class PdfUnavailable(ChequeredError):
    """No PDF can be printed here: Chromium is missing or would not start."""


class Printer:
    """One Chromium for a process's PDFs. ``print`` is safe from any thread; ``close`` ends the browser."""

    def __init__(self, executable: Path = CHROMIUM, parallel: int = PARALLEL) -> None:
        self.executable = executable
        self.parallel = parallel
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright: Any = None
        self._tabs: asyncio.Queue[Any] | None = None

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is not None:
                return self._loop
            if not self.executable.is_file():
                raise PdfUnavailable(
                    f"PDFs are printed by Chromium, and {self.executable} is missing "
                    "(install Debian's chromium: make browser)"
                )
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="chequered-pdf", daemon=True)
            thread.start()
            try:
                asyncio.run_coroutine_threadsafe(self._launch(), loop).result(timeout=60)
            except Exception as exc:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                loop.close()
                raise PdfUnavailable(f"Chromium ({self.executable}) would not start: {exc}") from exc
            self._loop, self._thread = loop, thread
            return loop

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        browser = await self._playwright.chromium.launch(executable_path=str(self.executable), args=ARGS)
        # What is printed holds names from timing files and feeds: escaped, but were one not, it still
        # could neither run script nor fetch anything (a page printed here has no subresources).
        context = await browser.new_context(java_script_enabled=False)
        await context.route("**/*", lambda route: route.abort())
        self._tabs = asyncio.Queue()
        for _ in range(self.parallel):
            self._tabs.put_nowait(await context.new_page())

    async def _print(self, html: str) -> bytes:
        assert self._tabs is not None
        # A tab is reused from PDF to PDF: a new one costs a renderer process (~0.3 s CPU), more than
        # printing a page. The page has no subresources, so its DOM is all there is to wait for.
        tab = await self._tabs.get()
        try:
            await tab.set_content(html, wait_until="domcontentloaded")
            pdf = await tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            self._tabs.put_nowait(tab)
        return bytes(pdf)

    def print(self, html: str) -> bytes:
        """The PDF of one HTML page."""
        loop = self._start()
        return asyncio.run_coroutine_threadsafe(self._print(html), loop).result()

    def print_all(self, pages: Iterable[str]) -> list[bytes]:
        """The PDFs of several pages, printed ``parallel`` at a time, in the pages' order."""
        with ThreadPoolExecutor(self.parallel) as pool:
            return list(pool.map(self.print, pages))

    def close(self) -> None:
        with self._lock:
            loop, self._loop = self._loop, None
            if loop is None:
                return
            if self._playwright is not None:
                asyncio.run_coroutine_threadsafe(self._playwright.stop(), loop).result(timeout=30)
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            loop.close()
            self._playwright = self._tabs = self._thread = None


_PRINTER = Printer()


def render_pdf(html: str) -> bytes:
    """A PDF of an HTML page, printed by the process's one Chromium (launched on first use)."""
    return _PRINTER.print(html)


def render_pdfs(pages: Iterable[str]) -> list[bytes]:
    """PDFs of several HTML pages, printed in parallel by the process's one Chromium."""
    return _PRINTER.print_all(pages)


def close_printer() -> None:
    """End the process's Chromium (the next PDF launches it again)."""
    _PRINTER.close()
