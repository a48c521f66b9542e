"""`/admin`: endpoints restricted by permission."""

from __future__ import annotations

from flask import Blueprint, Response
from pydantic import BaseModel, Field

from ..schemas.users import UserPage
from .deps import require_permission, unit_of_work, user_service
from .users import to_user_read
from .validation import json_response, parse_query

router = Blueprint("admin", __name__, url_prefix="/admin")


class UserListParameters(BaseModel):
    """The query string of `list_users`."""

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)


@router.get("/users")
def list_users() -> Response:
    params = parse_query(UserListParameters)
    with unit_of_work() as session:
        require_permission(session, "users:read")
        rows, total = user_service(session).list(limit=params.limit, offset=params.offset)
        body = UserPage(
            items=[to_user_read(user) for user in rows],
            total=total,
            limit=params.limit,
            offset=params.offset,
        )
    return json_response(body)
