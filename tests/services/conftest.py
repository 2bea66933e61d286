# ruff: noqa: F811  (pytest fixtures take the imported fixtures as arguments)
"""Service tests run on a fresh SQLite file and a fresh PostgreSQL schema each."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from scheduler.roster_io import read_roster_folder
from scheduler.services import import_folder
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import save_roster
from tests.storage.fixtures import (  # noqa: F401
    database_url,
    engine,
    postgres_server_url,
    sessions,
)


@pytest.fixture(autouse=True)
def _local_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the in-process runner unless they configure a broker themselves."""
    monkeypatch.delenv("SUNSHIFT_BROKER_URL", raising=False)


@pytest.fixture
def planner_id(sessions: sessionmaker[Session]) -> int:
    with unit_of_work(sessions) as session:
        user = repository.add_user(session, "pat", "planner", password="secret")
        session.flush()
        return user.id


@pytest.fixture
def period_id(sessions: sessionmaker[Session], spec_example_dir: Path, planner_id: int) -> int:
    return import_folder(sessions, spec_example_dir, planner_id, period_name="June 2027")


@pytest.fixture
def baseline_draft_id(
    sessions: sessionmaker[Session], period_id: int, spec_example_roster_dir: Path
) -> int:
    """The contract's valid baseline roster stored as a draft (no solve needed)."""
    roster, errors = read_roster_folder(spec_example_roster_dir)
    assert not errors
    with unit_of_work(sessions) as session:
        return save_roster(session, period_id, roster).id
