"""The press kit and the official documents over HTTP: /entries/{entry}/press/{round},
/sessions/{id}/cards/{number}.png, /sessions/{id}/documents/{kind}.{fmt} and the season's and round's
documents, from a store holding the 2023 season with Paul Ricard simulated around the seeds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from chequered import rulebooks
from chequered.cli.simulate import store_weekend
from chequered.media import pdf
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings

pytestmark = pytest.mark.slow  # the module's store simulates a round and prints PDFs

R1 = "2023-paul-ricard-R1"
ENTRY = "racing-one-backman"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("press-web") / "db.sqlite"
    store = Store.open(f"sqlite:///{path}", lambda: datetime(2023, 6, 10, tzinfo=UTC), rulebooks.load)
    data = load_season("gt4-europe-2023")
    store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
    store_weekend(store, simulate_weekend(data, 2, 7))
    with TestClient(create_app(store, Settings())) as test_client:
        yield test_client
    store.close()


def _problem(response: object, status: int, words: str) -> None:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]


def test_release_as_html_markdown_and_pdf(client: TestClient) -> None:
    page = client.get(f"/entries/{ENTRY}/press/2", params={"kind": "report", "lang": "sv"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Tidskval 1 (Q1): 42:a plats" in page.text and 'lang="sv"' in page.text
    md = client.get(f"/entries/{ENTRY}/press/2", params={"kind": "report", "format": "md"})
    assert md.headers["content-type"].startswith("text/markdown") and "Race 1: DNF (Retired)" in md.text
    pdf = client.get(f"/entries/{ENTRY}/press/2", params={"kind": "preview", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="racing-one-backman-round2-preview-en.pdf"' in pdf.headers["content-disposition"]


def test_release_errors_are_problems(client: TestClient) -> None:
    _problem(client.get("/entries/nobody/press/2"), 404, "no entry 'nobody'")
    _problem(client.get(f"/entries/{ENTRY}/press/9"), 404, "no round 9")
    _problem(client.get(f"/entries/{ENTRY}/press/2", params={"kind": "recap"}), 422, "kind")
    _problem(client.get(f"/entries/{ENTRY}/press/2", params={"lang": "de"}), 422, "lang")


def test_session_documents_in_every_format(client: TestClient) -> None:
    pdf = client.get(f"/sessions/{R1}/documents/classification.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert client.get(f"/sessions/{R1}/documents/classification.pdf").content == pdf.content
    rows = list(csv.reader(io.StringIO(client.get(f"/sessions/{R1}/documents/classification.csv").text)))
    assert rows[0][:3] == ["Pos", "No", "Class"] and len(rows) == 58  # heading + 57 cars
    assert rows[[r[1] for r in rows].index("19")][:2] == ["DNF", "19"]
    doc = client.get(f"/sessions/{R1}/documents/pit-stops.json")
    assert doc.headers["content-type"] == "application/json"
    body = doc.json()
    assert body["columns"][0] == "Car" and body["rows"] and "pit stops" in body["title"]
    html = client.get(f"/sessions/{R1}/documents/sectors.html")
    assert html.headers["content-type"].startswith("text/html") and "<table>" in html.text
    entry_list = client.get("/seasons/gt4-europe-2023/rounds/2/documents/entry-list.json").json()
    assert entry_list["meta"]["Cars"] == "57"
    standings = client.get("/seasons/gt4-europe-2023/documents/standings.csv")
    assert standings.status_code == 200 and standings.text.startswith("Class,Pos,Driver,Points")


def test_unknown_documents_are_404_problems(client: TestClient) -> None:
    _problem(client.get(f"/sessions/{R1}/documents/weather.pdf"), 404, "document 'weather'")
    _problem(client.get(f"/sessions/{R1}/documents/classification.docx"), 404, "KIND.")
    _problem(client.get("/sessions/2023-nowhere-R1/documents/classification.json"), 404, "2023-nowhere-R1")
    _problem(client.get("/sessions/2023-nowhere-R1/documents/classification.pdf"), 404, "2023-nowhere-R1")
    _problem(client.get(f"/sessions/{R1}/documents/classification.json?version=9"), 404, "version")
    _problem(client.get("/seasons/gt4-europe-2023/documents/calendar.pdf"), 404, "standings")
    _problem(client.get("/seasons/gt4-europe-2023/rounds/2/documents/grid.csv"), 404, "entry-list")
    _problem(client.get("/seasons/gt4-europe-2023/rounds/9/documents/entry-list.csv"), 404, "no round 9")


def test_result_card_and_a_car_not_in_the_session(client: TestClient) -> None:
    card = client.get(f"/sessions/{R1}/cards/19.png")
    assert card.status_code == 200 and card.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)
    _problem(client.get(f"/sessions/{R1}/cards/999.png"), 404, "no car #999")
    _problem(client.get("/sessions/2023-nowhere-R1/cards/19.png"), 404, "2023-nowhere-R1")


def test_pdfs_without_chromium_are_503_problems(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium prints the PDFs; where it is missing, the PDF routes say so and the rest still answers."""
    monkeypatch.setattr(pdf, "_PRINTER", pdf.Printer(tmp_path / "chromium"))
    release = client.get(f"/entries/{ENTRY}/press/2", params={"kind": "report", "format": "pdf"})
    _problem(release, 503, "chromium is missing")
    _problem(client.get(f"/sessions/{R1}/documents/decisions.pdf"), 503, "make browser")
    _problem(client.get("/seasons/gt4-europe-2023/documents/standings.pdf"), 503, "chromium is missing")
    assert client.get(f"/sessions/{R1}/documents/decisions.json").status_code == 200
    assert client.get(f"/entries/{ENTRY}/press/2", params={"kind": "report"}).status_code == 200
