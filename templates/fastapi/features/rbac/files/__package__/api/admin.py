"""`/admin`: endpoints restricted by permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ..errors import problems
from ..models.user import User
from ..schemas.users import UserPage
from .deps import UserServiceDep, require_permission
from .users import to_user_read

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get(
    "/users",
    summary="List all accounts (requires users:read)",
    response_model=UserPage,
    responses=problems(401, 403, 422),
)
def list_users(
    _admin: Annotated[User, Depends(require_permission("users:read"))],
    users: UserServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> UserPage:
    rows, total = users.list(limit=limit, offset=offset)
    return UserPage(
        items=[to_user_read(user) for user in rows], total=total, limit=limit, offset=offset
    )
