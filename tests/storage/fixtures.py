"""Reusable database fixtures: a fresh, migrated database on SQLite and on PostgreSQL.

Use them from another test folder by importing the fixtures into its conftest.py
(pytest only honours ``pytest_plugins`` in the root conftest)::

    from tests.storage.fixtures import database_url, engine, sessions  # noqa: F401

``database_url`` is parametrized, so every test using it runs twice: ``sqlite``
(a temporary file copied from one migrated once per session) and ``postgresql``
(a schema of its own while it runs, from ``pg_schemas``: migrated to head once, and
handed to the next test emptied when nothing of this one is left running, else
dropped). The PostgreSQL server is
``DATABASE_URL_TEST_PG`` or, if unset, the local
``postgresql+psycopg://postgres@127.0.0.1:5432/test``. The PostgreSQL variant is
skipped only when that variable is unset and the local server is unreachable;
with ``CI=true`` an unreachable server fails the tests instead.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Table, create_engine, text
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


def _children() -> set[str]:
    """Ids of this process's living child processes (Linux /proc; empty elsewhere)."""
    me = str(os.getpid())
    found = set()
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return found
    for pid in pids:
        # A process can end while we look: reading its stat then fails with ENOENT or
        # ESRCH (ProcessLookupError); Path.glob's own existence check let ESRCH through.
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            found.add(pid)
    return found


class PgSchemas:
    """PostgreSQL schemas migrated to head (``upgrade_database``), each used by one test
    at a time. Migrating a schema takes half a second and dropping one a fifth, so a
    schema whose test left nothing running is emptied (every table but
    ``alembic_version``, sequences back to 1: the state of a freshly migrated schema)
    and handed to the next test; otherwise, or if its structure changed, it is dropped.
    Connections get the schema's name as ``application_name`` so that one still open
    can be seen."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.admin = create_engine(server)
        self.free: list[str] = []
        self.made: set[str] = set()
        self.tables: list[Table] = []
        self.shape: tuple | None = None

    @staticmethod
    def schema_of(url: str) -> str:
        """The schema of a URL made by ``url``."""
        return make_url(url).query["application_name"]

    def url(self, schema: str) -> str:
        parsed = make_url(_with_search_path(self.server, schema))
        return parsed.update_query_dict({"application_name": schema}).render_as_string(
            hide_password=False
        )

    def take(self) -> str:
        """A migrated, empty schema of the caller's own until ``give_back``."""
        if self.free:
            return self.free.pop()
        schema = f"test_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.made.add(schema)
        upgrade_database(self.url(schema))
        if self.shape is None:
            reflected = MetaData()
            reflected.reflect(self.admin, schema=schema)
            self.tables = [
                table.to_metadata(MetaData(), schema=None)
                for table in reversed(reflected.sorted_tables)
                if table.name != "alembic_version"
            ]
            self.shape = self._shape(schema)
        return schema

    def _shape(self, schema: str) -> tuple:
        """What must not change for a schema to be used again: its relations, columns,
        constraints and migration revision."""
        with self.admin.connect() as connection:
            counts = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = ns.oid),"
                    " (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid"
                    "  WHERE c.relnamespace = ns.oid AND a.attnum > 0 AND NOT a.attisdropped),"
                    " (SELECT count(*) FROM pg_constraint WHERE connamespace = ns.oid)"
                    " FROM pg_namespace ns WHERE ns.nspname = :schema"
                ),
                {"schema": schema},
            ).one()
            revision = connection.execute(
                text(f'SELECT version_num FROM "{schema}".alembic_version')
            ).all()
        return (*counts, tuple(revision))

    def in_use(self, schema: str) -> bool:
        """Whether a connection made with ``url(schema)`` is still open."""
        with self.admin.connect() as connection:
            return bool(
                connection.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": schema},
                )
            )

    def give_back(self, schema: str, reusable: bool) -> None:
        """Empty ``schema`` for the next test when ``reusable`` and nothing is connected
        to it and its structure is as migrated; else drop it."""
        if reusable and not self.in_use(schema) and self._shape(schema) == self.shape:
            try:
                with self.admin.begin() as connection:
                    connection.execute(text("SET LOCAL lock_timeout = '2s'"))
                    connection.execute(text(f'SET LOCAL search_path = "{schema}"'))
                    for table in self.tables:
                        connection.execute(table.delete())
                    connection.execute(
                        text(
                            "SELECT setval(c.oid, 1, false) FROM pg_class c "
                            "JOIN pg_namespace ns ON c.relnamespace = ns.oid "
                            "WHERE c.relkind = 'S' AND ns.nspname = :schema"
                        ),
                        {"schema": schema},
                    )
            except Exception:  # a lock held on: drop it instead, as a test would leave it
                pass
            else:
                self.free.append(schema)
                return
        self.drop(schema)

    def copy(self, source: str, target: str) -> None:
        """Copy every row of schema ``source`` into the empty schema ``target`` (both
        taken from here), sequences included: a template's content, in milliseconds."""
        with self.admin.begin() as connection:
            for table in reversed(self.tables):  # referenced tables first
                name = table.name
                connection.execute(
                    text(f'INSERT INTO "{target}"."{name}" SELECT * FROM "{source}"."{name}"')
                )
            sequences = connection.scalars(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace ns"
                    " ON c.relnamespace = ns.oid WHERE c.relkind = 'S' AND ns.nspname = :schema"
                ),
                {"schema": source},
            ).all()
            for name in sequences:
                connection.execute(
                    text(
                        f"SELECT setval(CAST(:target AS regclass), last_value, is_called) "
                        f'FROM "{source}"."{name}"'
                    ),
                    {"target": f'"{target}"."{name}"'},
                )

    def drop(self, schema: str) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        self.made.discard(schema)

    def close(self) -> None:
        for schema in sorted(self.made):
            self.drop(schema)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_schemas(postgres_server_url: str) -> Iterator[PgSchemas]:
    """The session's PostgreSQL schemas (``PgSchemas``), all dropped at its end."""
    schemas = PgSchemas(postgres_server_url)
    yield schemas
    schemas.close()


def _running() -> tuple[set[threading.Thread], set[str], int]:
    """What a test may leave running that could still write to its database: threads,
    child processes and solve jobs on this process's local runner."""
    from scheduler.jobs import local

    return set(threading.enumerate()), _children(), len(local._futures)


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
    schemas: PgSchemas = request.getfixturevalue("pg_schemas")
    before = _running()
    schema = schemas.take()
    try:
        yield schemas.url(schema)
    finally:
        threads, children, jobs = _running()
        left = threads - before[0] or children - before[1] or jobs
        schemas.give_back(schema, reusable=not left)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = make_engine(database_url)
    yield built
    built.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the fresh database (use with ``unit_of_work``)."""
    return session_factory(engine)
