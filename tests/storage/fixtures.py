"""Reusable database fixtures: a fresh, migrated database on SQLite and on PostgreSQL.

Use them from another test folder by importing the fixtures into its conftest.py
(pytest only honours ``pytest_plugins`` in the root conftest)::

    from tests.storage.fixtures import database_url, engine, sessions  # noqa: F401

``database_url`` is parametrized, so every test using it runs twice: ``sqlite``
(a temporary file copied from one migrated once per session) and ``postgresql``
(a schema of its own, dropped afterwards). The PostgreSQL server is
``DATABASE_URL_TEST_PG`` or, if unset, the local
``postgresql+psycopg://postgres@127.0.0.1:5432/test``. The PostgreSQL variant is
skipped only when that variable is unset and the local server is unreachable;
with ``CI=true`` an unreachable server fails the tests instead.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from scheduler.storage.db import make_engine, session_factory
from scheduler.storage.migrate import upgrade_database

PG_ENV = "DATABASE_URL_TEST_PG"
LOCAL_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _reachable(url: str) -> str | None:
    """None if PostgreSQL at ``url`` answers, else why not."""
    probe = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as problem:  # any driver error means "not reachable"
        return str(problem).splitlines()[0]
    finally:
        probe.dispose()
    return None


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server tests may use, or a skip (locally) / failure (CI, or configured)."""
    configured = os.environ.get(PG_ENV, "").strip()
    url = configured or LOCAL_PG
    problem = _reachable(url)
    if problem is None:
        return url
    if configured or os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL at {url} is unreachable: {problem}")
    pytest.skip(f"PostgreSQL at {url} is unreachable and {PG_ENV} is unset: {problem}")


def _with_search_path(url: str, schema: str) -> str:
    parsed = make_url(url)
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def copy_sqlite(source_url: str, target: Path) -> str:
    """A consistent copy of a SQLite database (WAL included); returns its URL."""
    source = sqlite3.connect(make_url(source_url).database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database migrated to head, fresh for each test (on SQLite a
    copy of the session's ``migrated_sqlite``, tests/conftest.py)."""
    if request.param == "sqlite":
        yield copy_sqlite(request.getfixturevalue("migrated_sqlite"), tmp_path / "sunshift.db")
        return
    server = request.getfixturevalue("postgres_server_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = _with_search_path(server, schema)
        upgrade_database(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = make_engine(database_url)
    yield built
    built.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the fresh database (use with ``unit_of_work``)."""
    return session_factory(engine)
