"""`/admin`: endpoints restricted by permission."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from pydantic import BaseModel, ConfigDict, Field

from ..schemas.users import UserPage
from .common import Endpoint, json_response, read_query
from .deps import require_permission, user_service
from .users import to_user_read


class PageParams(BaseModel):
    """The query string of a paged list (unknown parameters are ignored)."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)


def list_users(request: HttpRequest) -> HttpResponse:
    require_permission(request, "users:read")
    params = read_query(request, PageParams)
    rows, total = user_service().list(limit=params.limit, offset=params.offset)
    page = UserPage(
        items=[to_user_read(user) for user in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )
    return json_response(page)


urlpatterns = [
    path("admin/users", Endpoint(get=list_users), name="admin-users"),
]
