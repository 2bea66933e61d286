"""Fixtures for the pages (web/ui) through Flask's test client, with CSRF left on.

``demo`` is built once per session: a copy of the session's ``published_demo``
(tests/conftest.py: a fresh SQLite database migrated with ``upgrade_database``, the
bundled demo imported, solved for 3 s and published (``prepare_demo``), the demo's
sign-ins (``ensure_demo_users``)) with one draft added next to the published roster
(a planner locked a shift of the published roster, which copies it into a draft).
That database is a template nobody serves:

- ``app`` serves a copy shared by read-only tests (and by tests whose changes
  cannot disturb others, such as an agent's own calendar link);
- ``fresh_demo`` serves a new copy to each test that publishes, edits or imports.

Copies use SQLite's backup API, so they hold the write-ahead log's content too.
``any_backend`` runs a test on the shared SQLite demo and on the same demo built
in PostgreSQL (``pg_demo``, once per session) and served from a copy in a schema
of its own (``pg_demo_app``; skipped locally when no server answers, failing in CI).
``demo_today`` fixes the agent pages' "today" before the demo's 2027 horizon, so they
keep listing its shifts in any year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler import services
from scheduler.demo import DEMO_PERIOD, DEMO_USERS, ensure_demo_users, prepare_demo
from scheduler.domain import Roster, Scenario
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.conftest import StoredDemo
from tests.storage.fixtures import PgSchemas, copy_sqlite
from tests.web.page_tools import sign_in
from web.app import create_service_app
from web.clock import TODAY_SETTING

DEMO_SOLVE_SECONDS = 3
PASSWORDS = {name: password for name, _role, password, _code in DEMO_USERS}
DEMO_TODAY = date(2027, 3, 15)
"""The day the agent pages take as today: a week before the demo's horizon
(2027-03-22, 14 days), so the whole published roster is ahead on any real date."""
DRAFT_AGENT = "A0050"
"""The agent whose locked shift made the demo's draft (not one of the demo sign-ins)."""


@dataclass(frozen=True)
class Demo:
    """The demo as stored: ids of its rows, its scenario and both rosters."""

    url: str
    period_id: int
    job_id: int
    published_id: int
    draft_id: int
    scenario: Scenario
    published: Roster
    draft: Roster

    def shifts_of(self, agent_code: str) -> list:
        """The agent's shifts in the published roster, by start."""
        own = [a for a in self.published.assignments if a.agent_id == agent_code]
        return sorted(own, key=lambda a: a.start_utc)


def build_demo(url: str, roster_dir: Path, solve_seconds: float = DEMO_SOLVE_SECONDS) -> Demo:
    """Migrate ``url``, prepare the demo there and add a draft; returns what was stored."""
    upgrade_database(url)
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        _, published_id = prepare_demo(sessions, roster_dir, solve_seconds)
        assert published_id is not None, "the demo roster was not solved and published"
        ensure_demo_users(sessions)
    finally:
        engine.dispose()
    return with_draft(url)


def with_draft(url: str) -> Demo:
    """Add the draft to the demo published at ``url``; returns what was stored."""
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        with unit_of_work(sessions) as session:
            period_id = repository.period_by_name(session, DEMO_PERIOD).id
            published_id = repository.published_version(session, period_id).id
            shift_id = session.scalar(
                select(m.Assignment.id)
                .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
                .where(m.Assignment.roster_version_id == published_id, m.Agent.code == DRAFT_AGENT)
                .order_by(m.Assignment.start_utc)
                .limit(1)
            )
        draft_id = services.set_locked(sessions, shift_id, True, None).version_id
        with unit_of_work(sessions) as session:
            job_id = session.scalar(select(m.SolveJob.id).filter_by(period_id=period_id))
            return Demo(
                url=url,
                period_id=period_id,
                job_id=job_id,
                published_id=published_id,
                draft_id=draft_id,
                scenario=load_period_scenario(session, period_id),
                published=load_roster(session, published_id),
                draft=load_roster(session, draft_id),
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def demo(published_demo: StoredDemo, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The session's published demo (tests/conftest.py) copied, with the draft added."""
    folder = tmp_path_factory.mktemp("web-demo")
    return with_draft(copy_sqlite(published_demo.url, folder / "template.db"))


def _service(url: str) -> Iterator[Flask]:
    app = create_service_app(url, testing=True)
    assert app.config.get("WTF_CSRF_ENABLED", True), "CSRF must stay on in these tests"
    yield app
    app.extensions["sunshift.engine"].dispose()


@pytest.fixture(scope="session")
def app(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The service on a copy of the demo shared by tests that change nothing of others'."""
    url = copy_sqlite(demo.url, tmp_path_factory.mktemp("web-shared") / "shared.db")
    yield from _service(url)


@dataclass(frozen=True)
class Served:
    """A service app on its own copy of the demo database."""

    app: Flask
    url: str

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.app.extensions["sunshift.engine"])


@pytest.fixture
def fresh_demo(demo: Demo, tmp_path: Path) -> Iterator[Served]:
    """The service on a copy of the demo of this test's own, to change as it likes."""
    url = copy_sqlite(demo.url, tmp_path / "own.db")
    for app in _service(url):
        yield Served(app, url)


def signed_in_client(app: Flask, name: str) -> FlaskClient:
    """A browser of its own, signed in through the form as the demo user ``name``."""
    client = app.test_client()
    answer = sign_in(client, name, PASSWORDS[name])
    assert answer.status_code == 302, f"{name} could not sign in: {answer.status_code}"
    return client


@pytest.fixture(scope="session")
def signed_in() -> Callable[[Flask, str], FlaskClient]:
    """``signed_in(app, "planner")``: a signed-in client kept for the whole session, for
    tests that only read (GET) with it; a test that posts signs in a client of its own."""
    clients: dict[tuple[int, str], FlaskClient] = {}

    def client_of(app: Flask, name: str) -> FlaskClient:
        key = (id(app), name)
        if key not in clients:
            clients[key] = signed_in_client(app, name)
        return clients[key]

    return client_of


@pytest.fixture
def as_user(app: Flask, signed_in) -> Callable[[str], FlaskClient]:
    """``as_user("planner")``: a reading client signed in on the shared demo."""
    return lambda name: signed_in(app, name)


def set_today(monkeypatch: pytest.MonkeyPatch, day: date) -> date:
    """Make the agent pages and the calendar feed take ``day`` as today (``web.clock``)."""
    monkeypatch.setenv(TODAY_SETTING, day.isoformat())
    return day


@pytest.fixture
def demo_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Today is ``DEMO_TODAY`` for the agent pages: the demo roster is in 2027 and its
    shifts must stay "ahead" whenever the tests run."""
    return set_today(monkeypatch, DEMO_TODAY)


# --- the same demo on PostgreSQL, for the security and role tests -----------------------------


@pytest.fixture(scope="session")
def pg_demo(pg_schemas: PgSchemas, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo built in a PostgreSQL schema (``build_demo``, a 2 s solve) once per session:
    a template nobody serves or changes. ``pg_demo_app`` serves a copy, and
    test_edit_gaps_demo.py gives each of its tests one (``pg_schemas.copy``)."""
    url = pg_schemas.url(pg_schemas.take())  # dropped with the session's schemas
    return build_demo(url, tmp_path_factory.mktemp("web-pg") / "roster", solve_seconds=2)


def copy_pg_demo(pg_schemas: PgSchemas, template: Demo, url: str) -> Demo:
    """``template`` copied into the empty schema of ``url`` (from ``pg_schemas``)."""
    pg_schemas.copy(pg_schemas.schema_of(template.url), pg_schemas.schema_of(url))
    return replace(template, url=url)


@pytest.fixture(scope="session")
def pg_demo_app(pg_schemas: PgSchemas, pg_demo: Demo) -> Iterator[tuple[Flask, Demo]]:
    """The demo service on a copy of ``pg_demo`` in a PostgreSQL schema of its own."""
    schema = pg_schemas.take()
    try:
        built = copy_pg_demo(pg_schemas, pg_demo, pg_schemas.url(schema))
        for app in _service(built.url):
            yield app, built
    finally:
        pg_schemas.drop(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_backend(request: pytest.FixtureRequest) -> tuple[Flask, Demo]:
    """The demo service on SQLite and on PostgreSQL (skipped locally without a server)."""
    if request.param == "sqlite":
        return request.getfixturevalue("app"), request.getfixturevalue("demo")
    return request.getfixturevalue("pg_demo_app")
