"""The probes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError

from .conftest import Api, assert_problem, body

pytestmark = pytest.mark.django_db


def test_live(api: Api) -> None:
    assert body(api.get("/health/live")) == {"status": "ok"}


def test_ready(api: Api) -> None:
    assert body(api.get("/health/ready")) == {"status": "ok"}


def test_not_ready_without_the_database(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", unreachable)
    assert_problem(api.get("/health/ready"), 503)
