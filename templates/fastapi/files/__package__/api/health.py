"""Liveness and readiness probes."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from ..errors import problem_response, problems
from .deps import Context

router = APIRouter(prefix="/health", tags=["health"])
logger = logging.getLogger(__name__)


class HealthStatus(BaseModel):
    """The probe's verdict."""

    status: str


@router.get("/live", summary="Liveness: the process is up", response_model=HealthStatus)
async def live() -> HealthStatus:
    return HealthStatus(status="ok")


@router.get(
    "/ready",
    summary="Readiness: the database answers",
    response_model=HealthStatus,
    responses=problems(503),
)
def ready(context: Context, request: Request) -> HealthStatus | JSONResponse:
    try:
        context.db.ping()
    except (SQLAlchemyError, OSError):
        logger.warning("readiness check failed: database unreachable")
        return problem_response(503, "The database is unreachable.", instance=request.url.path)
    return HealthStatus(status="ok")
