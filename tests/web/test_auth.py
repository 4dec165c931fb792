"""Token checks: a write without a token is refused before its body is read; guesses are throttled."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.auth import Throttle
from chequered.web.deps import Settings
from tests.web.conftest import RACE, auth


class Ticks:
    """An injected monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_write_without_a_token_is_401_before_its_body_is_parsed(client: TestClient) -> None:
    """Seen: malformed JSON without a token got 422 (the body was parsed first)."""
    for body in (b'{"car": "7", "kind":', b"x" * 100_000):
        response = client.post(
            f"/api/sessions/{RACE}/penalties", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"


def test_failed_token_checks_are_throttled_per_address(store: Store, tokens: dict[str, str]) -> None:
    """Seen: 2,000 guesses at 177/s, all answered. Past the limit an address gets 429 with Retry-After,
    its guesses unchecked, until the window passes; another address is not held back."""
    ticks = Ticks()
    app = create_app(store, Settings(), throttle=Throttle(max_failures=5, window_s=60, clock=ticks))
    penalty = {"car": "7", "kind": "time", "ms": 1000}
    url = f"/api/sessions/{RACE}/penalties"
    with (
        TestClient(app, client=("203.0.113.9", 5000)) as guesser,
        TestClient(app, client=("198.51.100.7", 5000)) as other,
    ):
        answers = [guesser.post(url, json=penalty, headers=auth(f"chq_guess{i}")) for i in range(8)]
        assert [a.status_code for a in answers] == [401] * 5 + [429] * 3
        assert int(answers[-1].headers["retry-after"]) == 60
        assert answers[-1].headers["content-type"] == "application/problem+json"
        # the right token is not checked either while the address is held back
        assert guesser.post(url, json=penalty, headers=auth(tokens["steward"])).status_code == 429
        assert other.post(url, json=penalty, headers=auth(tokens["steward"])).status_code == 200
        ticks.now += 61
        assert guesser.post(url, json=penalty, headers=auth(tokens["steward"])).status_code == 200
