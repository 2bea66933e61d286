"""Where the database is and how a unit of work talks to it.

``DATABASE_URL`` picks the database (``postgresql+psycopg://user@host/db`` in
production); without it Sunshift uses the SQLite file ``instance/sunshift.db``
(``SUNSHIFT_INSTANCE`` moves the folder). Transactions belong to the caller:
repositories only add and query, ``unit_of_work`` commits or rolls back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from config.settings import INSTANCE_DIR

DATABASE_URL_ENV = "DATABASE_URL"
SQLITE_FILE = "sunshift.db"


def database_url(environ: dict[str, str] | None = None) -> str:
    """The configured URL: ``DATABASE_URL``, else the SQLite file in the instance folder.

    Creates the instance folder for the SQLite default. A bare ``postgres://`` or
    ``postgresql://`` URL (as hosting platforms hand out) is pointed at psycopg 3.
    """
    environ = os.environ if environ is None else environ
    configured = environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return normalise_url(configured)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / SQLITE_FILE}"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs that name no driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, **engine_options) -> Engine:
    """An engine for ``url`` (default: ``database_url()``).

    On SQLite, foreign keys are switched on (SQLite ignores them otherwise), a
    file database uses write-ahead logging so the web pages can read while a
    worker writes, and writers wait up to 30 s for a lock instead of failing.
    """
    url = normalise_url(url or database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine_options.setdefault("pool_pre_ping", True)
        return create_engine(url, **engine_options)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine_options.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = create_engine(url, **engine_options)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back if it raises.

    >>> with unit_of_work(sessions) as session:
    ...     import_scenario(session, scenario, period_name="June")
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
