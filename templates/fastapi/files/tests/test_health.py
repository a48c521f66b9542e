"""Liveness and readiness."""

from __future__ import annotations

from collections.abc import Callable

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
