"""Shared fixtures: paths to bundled scenario folders used across test areas, and the
bundled demo published once per session (``published_demo``)."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.storage.fixtures import pg_schemas, postgres_server_url  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
PUBLISHED_DEMO_SOLVE_SECONDS = 3.0


@pytest.fixture
def spec_example_dir() -> Path:
    """The contract's own small scenario (5 sites, 40 agents, 7 days, 60-min)."""
    return FIXTURES / "spec_example" / "scenario"


@pytest.fixture
def spec_example_roster_dir() -> Path:
    """The contract's baseline roster for it: valid, shortfall 972, 156 floor gaps."""
    return FIXTURES / "spec_example" / "roster"


@pytest.fixture
def spec_history_dir(tmp_path) -> Path:
    """The contract's example scenario with its example history.csv copied in (v1.1)."""
    import shutil

    folder = tmp_path / "history_scenario"
    shutil.copytree(FIXTURES / "spec_example" / "scenario", folder)
    shutil.copy(FIXTURES / "spec_example" / "history" / "history.csv", folder / "history.csv")
    return folder


@pytest.fixture
def spec_history_roster_dir() -> Path:
    """The contract's valid roster for the example scenario with its history."""
    return FIXTURES / "spec_example" / "history" / "roster"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of an empty SQLite database migrated to head once per session: a template
    that tests copy (``tests.storage.fixtures.copy_sqlite``, a few milliseconds) instead
    of migrating their own (half a second each); ``database_url`` and the API tests'
    ``sqlite_url`` do. tests/storage/test_migrations.py runs the migrations itself."""
    from scheduler.storage.migrate import upgrade_database

    url = f"sqlite:///{tmp_path_factory.mktemp('migrated') / 'template.db'}"
    upgrade_database(url)
    return url


@dataclass(frozen=True)
class StoredDemo:
    """A SQLite database with the demo published in it, and its published roster folder."""

    url: str
    roster_dir: Path


@pytest.fixture(scope="session")
def published_demo(tmp_path_factory: pytest.TempPathFactory) -> StoredDemo:
    """What ``make demo`` prepares: the demo's sign-ins (``ensure_demo_users``), then the
    bundled demo imported, solved for 3 s, checked and published
    (``scheduler.demo.prepare_demo``), which mails the agents with a sign-in (the
    outbox): made once per session as a template. Never change it: ``copy_demo`` gives a
    copy (the web tests' ``demo``, the browser's ``demo_server`` and the journeys that
    publish again start from one), so the demo is solved once instead of once per suite."""
    from scheduler.demo import ensure_demo_users, prepare_demo
    from scheduler.storage.db import make_engine, session_factory
    from scheduler.storage.migrate import upgrade_database

    folder = tmp_path_factory.mktemp("published-demo")
    url = f"sqlite:///{folder / 'template.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        ensure_demo_users(sessions)  # first, as `make demo` does: the publish mails the agents
        _, version_id = prepare_demo(sessions, folder / "roster", PUBLISHED_DEMO_SOLVE_SECONDS)
        assert version_id is not None, "the demo roster was not solved and published"
    finally:
        engine.dispose()
    return StoredDemo(url, folder / "roster")


def copy_demo(demo: StoredDemo, folder: Path) -> StoredDemo:
    """A copy of ``demo`` (database and roster folder) in ``folder``, to change at will."""
    from tests.storage.fixtures import copy_sqlite

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(demo.roster_dir, folder / "roster")
    return StoredDemo(copy_sqlite(demo.url, folder / "sunshift.db"), folder / "roster")
