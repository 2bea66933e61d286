# ruff: noqa: F811  (the test takes the imported database_url fixture as an argument)
"""An edit of the demo's roster (100+ agents, 10 languages, 14 days) stores the coverage,
gaps and summary that a recomputation from scratch finds, whatever a server process
kept from its earlier edits (``scheduler.services.edit_basis``: the period's scenario,
requirements, solver problem and speakers' reasons, and each draft's state as its last
edit here left it): after several edits in this process, after an edit by another
process, after a recorded absence, after a publish and after a re-solve; on SQLite and
on PostgreSQL."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from scheduler import services
from scheduler.services.rebuild import rebuild_roster
from scheduler.services.time_off_requests import decide, request_time_off
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.scenario_store import load_gaps, load_period_scenario, load_roster
from tests.services.helpers import version_counter, wait_for_job
from tests.storage.fixtures import copy_sqlite, database_url  # noqa: F401
from tests.web.conftest import DEMO_TODAY, Demo, copy_pg_demo

ROOT = Path(__file__).resolve().parents[2]
SUMMARY_KEYS = (
    "shortfall",
    "floor_gaps",
    "gaps",
    "objective_terms",
    "staffed_total",
    "required_total",
    "shifts",
    "changes",
)


@pytest.fixture
def own_demo(request: pytest.FixtureRequest, database_url: str) -> tuple:
    """A demo database of this test's own (it edits, publishes and re-solves): the
    session's SQLite demo copied, or its PostgreSQL demo (``pg_demo``) copied into
    this test's fresh schema."""
    if database_url.startswith("sqlite"):
        demo: Demo = request.getfixturevalue("demo")
        return copy_sqlite(demo.url, Path(make_url(database_url).database)), demo
    pg_schemas = request.getfixturevalue("pg_schemas")
    return database_url, copy_pg_demo(pg_schemas, request.getfixturevalue("pg_demo"), database_url)


@pytest.fixture
def sessions(own_demo) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(own_demo[0])
    yield session_factory(engine)
    engine.dispose()


def assert_as_from_scratch(sessions: sessionmaker[Session], version_id: int) -> None:
    """The version's stored coverage, gaps (in order) and summary figures are those of
    its shifts recomputed from the period's data as stored now."""
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        scenario = load_period_scenario(session, version.period_id)
        roster = load_roster(session, version_id)
        gaps = load_gaps(session, version_id)
        previous = None
        if version.parent_id is not None:
            parent = session.get(m.RosterVersion, version.parent_id)
            if parent.state == "published":
                previous = load_roster(session, parent.id).assignments
    full = rebuild_roster(scenario, roster.assignments, roster.summary, previous)
    assert sorted(roster.coverage, key=repr) == sorted(full.roster.coverage, key=repr)
    assert [g.as_row() for g in gaps] == [g.as_row() for g in full.gaps]
    for key in SUMMARY_KEYS:
        assert roster.summary.get(key) == full.roster.summary.get(key), key


def shifts(sessions: sessionmaker[Session], version_id: int) -> list[tuple]:
    """(id, agent code, local date, shift code) of the version's unlocked shifts."""
    with unit_of_work(sessions) as session:
        return session.execute(
            select(m.Assignment.id, m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version_id, m.Assignment.locked.is_(False))
            .order_by(m.Assignment.id)
        ).all()


def edit_some(sessions, version_id: int, count: int, seed: int) -> int:
    """Remove ``count`` shifts of different agents (putting every other one back),
    checking the stored figures against a recomputation after each; returns the edits
    made (a removal the rules refuse is skipped)."""
    made = 0
    for assignment_id, code, day, shift in random.Random(seed).sample(
        shifts(sessions, version_id), count
    ):
        try:
            services.remove_assignment(sessions, assignment_id, None)
        except services.InvalidInput:
            continue
        made += 1
        assert_as_from_scratch(sessions, version_id)
        if made % 2 == 0:
            services.add_assignment(sessions, version_id, code, day, shift, None, locked=False)
            assert_as_from_scratch(sessions, version_id)
    return made


def remove_in_another_process(url: str, assignment_id: int) -> None:
    """Another server process (another planner) removes a shift: this process's kept
    state knows nothing of it."""
    code = (
        "import sys\n"
        "from scheduler.services import remove_assignment\n"
        "from scheduler.storage.db import make_engine, session_factory\n"
        "remove_assignment(session_factory(make_engine(sys.argv[1])), int(sys.argv[2]), None)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, url, str(assignment_id)],
        check=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_edits_store_what_a_recomputation_from_scratch_finds(sessions, own_demo):
    url, demo = own_demo
    draft = demo.draft_id
    assert edit_some(sessions, draft, 6, seed=3) >= 3

    # another planner's edit in another process: the draft's counter moves, so what
    # this process kept from its own last edit is not used for the next one
    gone = shifts(sessions, draft)[-1]
    remove_in_another_process(url, gone[0])
    assert gone[1:] not in [row[1:] for row in shifts(sessions, draft)]
    assert edit_some(sessions, draft, 2, seed=4) >= 1
    assert gone[1:] not in [row[1:] for row in shifts(sessions, draft)]

    # an absence (all of the horizon) changes the period's data: the next edit reads the
    # new scenario and recomputes what the older data explained, near it or not
    absent = shifts(sessions, draft)[10][1]
    horizon = demo.scenario.horizon
    first, last = horizon.start, horizon.start + timedelta(days=horizon.days - 1)
    services.record_time_off(sessions, demo.period_id, absent, first, last, "sick", None)
    assert edit_some(sessions, draft, 2, seed=5) >= 1


def test_a_publish_and_a_re_solve_are_edited_from_what_they_hold(sessions, own_demo):
    _url, demo = own_demo
    draft = demo.draft_id
    assert edit_some(sessions, draft, 2, seed=6) >= 1
    services.publish(sessions, draft, None, version_counter(sessions, draft))

    # editing the published roster copies it into a new draft first
    assignment_id = shifts(sessions, draft)[7][0]
    copy = services.remove_assignment(sessions, assignment_id, None)
    assert copy.copied_from_id == draft
    assert_as_from_scratch(sessions, copy.version_id)
    assert edit_some(sessions, copy.version_id, 2, seed=7) >= 1

    job = wait_for_job(sessions, services.resolve(sessions, demo.period_id, None, 2))
    assert job["state"] == "succeeded", job
    assert edit_some(sessions, job["roster_version_id"], 2, seed=8) >= 1


def test_an_approved_time_off_request_makes_a_draft_as_from_scratch(sessions, own_demo):
    """Approving records the days off (the period's data changes) and copies the
    published roster without his shifts: its figures are those of the new data."""
    _url, demo = own_demo
    with unit_of_work(sessions) as session:
        asker = session.scalar(select(m.User.id).filter_by(name="a0001"))
    first = demo.scenario.horizon.start
    asked = request_time_off(
        sessions, asker, first, first + timedelta(days=9), "family", DEMO_TODAY
    )
    decided = decide(sessions, asked["id"], None, "approve")
    (draft,) = decided["outcome"]["drafts"]
    assert draft["removed_shifts"] > 0
    assert_as_from_scratch(sessions, draft["version_id"])
