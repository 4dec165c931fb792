"""Security headers on every response; no page runs an inline script."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import RACE


def _policy(response: object) -> dict[str, str]:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    directives = [d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";")]
    return {name: rest for name, rest in directives}


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", f"/live/{RACE}", "/static/live.js", f"/api/sessions/{RACE}/classification", "/nope"):
        policy = _policy(client.get(path))
        assert policy["script-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    refused = client.post(f"/api/sessions/{RACE}/penalties", json={})
    assert refused.status_code == 401 and _policy(refused)["script-src"] == "'self'"


def test_the_live_page_has_no_inline_script(client: TestClient) -> None:
    page = client.get(f"/live/{RACE}").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert f'data-session="{RACE}"' in page


def test_the_docs_page_runs_no_inline_script(client: TestClient) -> None:
    """Swagger UI is served from the package and started by a script file: no inline script, no CDN."""
    response = client.get("/docs")
    inline = re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.content, re.DOTALL)
    assert not [s for s in inline if s.strip()]
    sources = _policy(response)["script-src"].split()
    assert sources == ["'self'"]
    assert b"cdn" not in response.content.lower()
