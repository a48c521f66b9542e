"""Liveness and readiness."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi.testclient import TestClient


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready(client: TestClient) -> None:
    assert client.get("/health/ready").json() == {"status": "ok"}


def test_not_ready_without_database(make_client: Callable[..., TestClient]) -> None:
    client = make_client(database_url="sqlite:////nonexistent-directory/unreachable.db")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The database is unreachable."


def test_live_answered_before_routing_is_what_the_route_answers(client: TestClient) -> None:
    # Without an Origin header the middleware answers; with one, the request goes to the route
    # (and through CORS). Both answers carry the same body and headers.
    fast = client.get("/health/live")
    routed = client.get("/health/live", headers={"Origin": "https://elsewhere.example"})
    assert fast.status_code == routed.status_code == 200
    assert fast.content == routed.content == b'{"status":"ok"}'

    def shared(headers: Mapping[str, str]) -> dict[str, str]:
        # Leaves out what differs per request and what CORS adds.
        own = {"x-request-id", "date", "vary"}
        return {k: v for k, v in headers.items() if k not in own and not k.startswith("access-")}

    assert shared(fast.headers) == shared(routed.headers)
    assert fast.headers["x-request-id"] != routed.headers["x-request-id"]
