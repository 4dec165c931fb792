"""PDFs printed by Chromium (media.pdf): a 57-car classification read back page by page (header row
repeated, "X / Y" in the margin, Swedish and Turkish letters, DejaVu embedded), several pages printed at
once in their order, and a clear error when Chromium is missing."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from chequered.media.documents import classification
from chequered.media.pdf import CHROMIUM, PdfUnavailable, Printer, render_pdf, render_pdfs
from chequered.media.press import page
from chequered.store.store import Store

R1 = "2023-paul-ricard-R1"


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = [t for t in ("pdftotext", "pdffonts") if not shutil.which(t)]
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing in CI (make test installs them)")
        pytest.skip(f"PDF TEST SKIPPED: {', '.join(missing)} missing (make test installs them)")


def _pages(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> list[str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_a_long_classification_splits_across_pages_with_its_header(
    tmp_path: Path, press_store: Store
) -> None:
    doc = classification(press_store, R1)
    assert len(doc.rows) == 57
    pdf = render_pdf(doc.html())
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert "Drivers" in text and "Team" in text and "Penalty" in text  # the header row, each page
        assert f"{n}/{len(pages)}" in text.replace(" ", "")  # the page's margin box
    everything = "\n".join(pages)
    for row in doc.rows:
        assert row[1] in everything  # every car number
    assert "Bäckman" in everything  # Swedish letters read back as themselves
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in fonts


def test_pages_printed_at_once_come_back_in_their_order(tmp_path: Path) -> None:
    words = ["Åre", "Göteborg", "Örebro", "Malmö", "Kiruna", "Yağız"]
    pdfs = render_pdfs(page(w, f"<h1>{w}</h1><p>sida för {w}</p>", "sv") for w in words)
    for i, (word, pdf) in enumerate(zip(words, pdfs, strict=True)):
        (text,) = _pages(pdf, tmp_path, f"{i}.pdf")
        assert f"sida för {word}" in text


def test_a_missing_chromium_is_a_clear_error(tmp_path: Path) -> None:
    printer = Printer(tmp_path / "no-chromium")
    with pytest.raises(PdfUnavailable, match=r"no-chromium is missing .*make browser"):
        printer.print("<p>x</p>")
    printer.close()  # nothing was launched: nothing to end


def test_a_chromium_that_will_not_start_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(PdfUnavailable, match=r"would not start"):
        Printer(fake).print("<p>x</p>")


def test_the_printer_runs_no_script_and_connects_nowhere(tmp_path: Path) -> None:
    """Were a name from a timing file ever printed unescaped, it could not act: no script runs and no
    connection leaves the printer (a local socket counts what reaches it)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    body = (
        "<p id='p'>as printed</p><script>document.getElementById('p').textContent = 'script ran'</script>"
        f"<img src='{url}/img'><link rel='stylesheet' href='{url}/css'><iframe src='{url}/frame'></iframe>"
        f"<div style=\"background: url('{url}/bg')\">x</div>"
    )
    (text,) = _pages(render_pdf(page("hostile", body, "en")), tmp_path)
    connections = 0
    with listener, contextlib.suppress(TimeoutError):
        while True:
            listener.accept()[0].close()
            connections += 1
    assert "as printed" in text and "script ran" not in text
    assert connections == 0
