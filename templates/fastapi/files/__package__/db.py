"""Database engine, sessions, URL normalisation and the declarative base."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_DRIVERS = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
}

# How long a SQLite connection waits for another connection's write lock before giving up with
# "database is locked" (answered as 503 + Retry-After, see errors.py).
SQLITE_BUSY_TIMEOUT_MS = 5000
# The execution option that makes a SQLite transaction take the write lock at BEGIN.
_SQLITE_BEGIN = "sqlite_begin"
# Lock contention that retrying the request can resolve: PostgreSQL SQLSTATEs (serialization
# failure, deadlock, lock_timeout) and MySQL/MariaDB error numbers (lock wait timeout, deadlock).
_POSTGRES_CONTENTION = frozenset({"40001", "40P01", "55P03"})
_MYSQL_CONTENTION = frozenset({1205, 1213})


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints the same way."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite and MySQL store naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def normalise_database_url(url: str) -> str:
    """Turn plain URLs (`postgres://`, `postgresql://`, `mysql://`) into SQLAlchemy driver URLs."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        raise ValueError("DATABASE_URL must look like scheme://...")
    driver = _DRIVERS.get(scheme.lower(), scheme)
    if driver == "mysql+pymysql" and "charset=" not in rest:
        rest += ("&" if "?" in rest else "?") + "charset=utf8mb4"
    return f"{driver}://{rest}"


def create_db_engine(
    url: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    pool_timeout: float = 5.0,
    pool_recycle: int = 1800,
    sqlite_busy_timeout_ms: int | None = None,
) -> Engine:
    """Create the engine for a (plain or driver) URL with pool settings from the environment.

    No `pool_pre_ping`: it costs a `SELECT 1` round trip on every checkout. A connection the
    server dropped fails its request once; SQLAlchemy then sees the disconnect and discards the
    whole pool, and `pool_recycle` replaces connections before server-side idle timeouts.
    """
    url = normalise_database_url(url)
    pool: dict[str, Any] = {
        "pool_size": pool_size,
        "max_overflow": max_overflow,
        "pool_timeout": pool_timeout,
    }
    if url.startswith("sqlite"):
        if url.rstrip("/") in ("sqlite:", "sqlite:/", "sqlite://") or ":memory:" in url:
            pool = {}  # an in-memory database lives in one connection; SQLAlchemy pools it itself
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        _configure_sqlite(engine, sqlite_busy_timeout_ms or SQLITE_BUSY_TIMEOUT_MS)
        return engine
    options: dict[str, Any] = {**pool, "pool_recycle": pool_recycle}
    if url.startswith("mysql"):
        # Timestamps are stored in UTC whatever the server's time zone.
        options["connect_args"] = {"init_command": "SET time_zone = '+00:00'"}
    return create_engine(url, **options)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Let parallel requests share one SQLite file: one writer at a time, readers never blocked.

    WAL lets readers run beside the writer; the busy timeout makes a writer wait for the lock
    instead of failing at once. pysqlite's own transaction handling is switched off (it would
    only BEGIN before the first INSERT/UPDATE/DELETE) and the `begin` event emits BEGIN itself:
    DEFERRED for read-only work, IMMEDIATE for transactions that write (`Database.transaction`).
    A deferred transaction that reads and then writes cannot wait for the lock: SQLite fails it
    with "database is locked" at once when another writer committed in between.
    """

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    def on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)


def is_lock_contention(error: DBAPIError) -> bool:
    """True when the database gave up waiting for a lock; the same request may succeed later."""
    original = error.orig
    if getattr(original, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    if getattr(original, "sqlstate", None) in _POSTGRES_CONTENTION:
        return True
    code = original.args[0] if original is not None and original.args else None
    return code in _MYSQL_CONTENTION


class Database:
    """The engine and the session factory of one application instance."""

    def __init__(self, engine: Engine, *, connections: int = 15, wait_seconds: float = 5.0) -> None:
        self.engine = engine
        # Requests queue for a connection here, on the event loop, before they take a worker
        # thread: `connections` is what the pool can hand out (pool size + overflow). Waiting in
        # the pool instead parks threads, and requests holding a connection then starve for a
        # thread to finish on, until every waiter times out (0 req/s under overload).
        self.connection_slots = asyncio.Semaphore(connections)
        self.slot_wait_seconds = wait_seconds
        self.session_factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_session_factory = sessionmaker(
            bind=engine.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"}), expire_on_commit=False
        )
        # SQLite has one writer at a time: requests that write queue here, on the event loop.
        # Queueing on the lock itself (busy timeout) would park each waiter in a worker thread,
        # and enough waiters starve the writer holding the lock of a thread for its next step.
        self.write_turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commit when the block succeeds, roll back when it raises.

        `write=False` promises the block only reads: on SQLite it then leaves the write lock to
        others (a write in it still works, but fails instead of waiting when another writer
        holds the lock). Other databases ignore it.

        An exception whose `commit_transaction` attribute is true (a security decision such as
        revoking a stolen token family) still commits what was written before it was raised.
        """
        factory = self._write_session_factory if write else self.session_factory
        with factory() as session:
            try:
                yield session
            except BaseException as exc:
                if getattr(exc, "commit_transaction", False):
                    session.commit()
                else:
                    session.rollback()
                raise
            session.commit()

    def ping(self) -> None:
        """Raise when the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
