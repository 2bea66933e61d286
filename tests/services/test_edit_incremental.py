"""An edit recomputes coverage and gaps only around the changed shift (the load test
found whole-roster recomputation on every edit), with the same result as the full
rebuild, on every backend."""

from __future__ import annotations

import random

from sqlalchemy import select

from scheduler.services import InvalidInput, add_assignment, remove_assignment, start_solve
from scheduler.services.rebuild import rebuild_roster
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_gaps, load_period_scenario, load_roster
from tests.services.helpers import wait_for_job


def _stored(sessions, version_id):
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        scenario = load_period_scenario(session, version.period_id)
        return scenario, load_roster(session, version_id), load_gaps(session, version_id)


def test_edits_leave_what_a_full_rebuild_computes(sessions, period_id, planner_id):
    job = wait_for_job(sessions, start_solve(sessions, period_id, planner_id, time_limit_seconds=2))
    baseline_draft_id = job["roster_version_id"]
    scenario, roster, gaps = _stored(sessions, baseline_draft_id)
    solved = rebuild_roster(scenario, roster.assignments, roster.summary)
    assert sorted(roster.coverage, key=repr) == sorted(solved.roster.coverage, key=repr)
    chooser = random.Random(13)
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(m.Assignment.id, m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == baseline_draft_id)
        ).all()
    edits = 0
    for assignment_id, code, day, shift in chooser.sample(rows, 14):
        try:
            remove_assignment(sessions, assignment_id, planner_id)
        except InvalidInput:
            continue
        edits += 1
        if edits % 2 == 0:  # put every other one back
            add_assignment(sessions, baseline_draft_id, code, day, shift, planner_id)
        scenario, roster, gaps = _stored(sessions, baseline_draft_id)
        full = rebuild_roster(scenario, roster.assignments, roster.summary)

        assert sorted(roster.coverage, key=repr) == sorted(full.roster.coverage, key=repr)
        assert sorted(gaps, key=repr) == sorted(full.gaps, key=repr)
        for key in ("shortfall", "floor_gaps", "gaps", "objective_terms", "staffed_total"):
            assert roster.summary[key] == full.roster.summary[key], key
    assert edits >= 6
