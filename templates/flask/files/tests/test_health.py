"""Liveness and readiness."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient


def test_live(client: FlaskClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready(client: FlaskClient) -> None:
    assert client.get("/health/ready").get_json() == {"status": "ok"}


def test_not_ready_without_database(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(database_url="sqlite:////nonexistent-directory/unreachable.db")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["detail"] == "The database is unreachable."
