"""The Celery worker's entry point: `celery -A <package>.worker worker --beat` (`make worker`)."""

from __future__ import annotations

from celery.signals import worker_process_init

from .jobs import make_celery, register_tasks, worker_database
from .logs import configure_logging
from .settings import get_settings

settings = get_settings()
configure_logging(settings.log_level)
app = make_celery(settings)
database = worker_database(settings)
register_tasks(app, settings, database)


@worker_process_init.connect
def _own_connections(**_: object) -> None:
    # A forked worker process must not share the parent's pooled connections.
    database.engine.dispose(close=False)
