"""A planner's edits through the API on a real solved and published roster: lock,
add, a refused add, remove, publish with the published id seen, then a sick call
and a re-solve that keeps the pinned shifts and reports what changed."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient

from scheduler.domain import Scenario
from scheduler.imports import load_scenario
from tests.api.conftest import bearer, wait_for_job

Headers = dict[str, str]


def _roster(client: FlaskClient, headers: Headers, version_id: int) -> dict:
    answer = client.get(f"/api/v1/rosters/{version_id}?all=true", headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def _key(assignment: dict) -> tuple[str, str, str]:
    return (assignment["agent_id"], assignment["date"], assignment["shift"])


def _candidates(scenario: Scenario, assignments: list[dict], agent_id: str) -> list[dict]:
    """Shifts the agent may work on dates he has free, dates with free neighbours
    first (rest, consecutive days), so an add most likely keeps every rule; the API
    decides. The shift last removed (the date he has free, in ``freed``) comes last."""
    worked = {a["date"] for a in assignments if a["agent_id"] == agent_id}

    def busy_neighbours(day: date) -> int:
        return sum((day + timedelta(days=d)).isoformat() in worked for d in (-1, 1))

    free = sorted(
        (day for day in scenario.horizon.dates if day.isoformat() not in worked),
        key=busy_neighbours,
    )
    return [
        {"agent_id": agent_id, "date": day.isoformat(), "shift": shift_id}
        for day in free
        for shift_id in scenario.agent(agent_id).shift_ids
    ]


def test_edits_then_sick_call_and_resolve_keep_the_pinned_shifts(
    app, client, tokens, spec_example_dir, on_solved_spec
):
    planner = bearer(tokens["planner"])
    scenario = load_scenario(spec_example_dir)
    period_id, published_id = on_solved_spec.published(client, planner)
    published = _roster(client, planner, published_id)["assignments"]
    by_agent: dict[str, list[dict]] = {}
    for a in published:
        by_agent.setdefault(a["agent_id"], []).append(a)
    busiest = sorted(by_agent, key=lambda code: -len(by_agent[code]))
    pinned_agent, sick_agent, removed_agent = busiest[:3]

    # lock a published shift: the edit lands on a new draft copy, with its own row id
    original = by_agent[pinned_agent][0]
    locked = client.patch(
        f"/api/v1/assignments/{original['id']}", json={"locked": True}, headers=planner
    )
    assert locked.status_code == 200, locked.json
    draft = locked.json["version"]
    assert (draft["state"], draft["parent_id"]) == ("draft", published_id)
    assert draft["id"] != published_id
    assert locked.json["copied_from_id"] == published_id
    pinned = locked.json["assignment"]
    assert pinned["id"] != original["id"]
    assert (_key(pinned), pinned["locked"]) == (_key(original), True)
    draft_rows = {a["id"]: a for a in _roster(client, planner, draft["id"])["assignments"]}
    assert draft_rows[pinned["id"]]["locked"] is True
    draft_ids = {_key(a): a["id"] for a in draft_rows.values()}
    assert not any(a["locked"] for a in _roster(client, planner, published_id)["assignments"])

    # remove a shift from the draft: its agent now has hours for another one
    removed_row = by_agent[removed_agent][0]
    removed = client.delete(f"/api/v1/assignments/{draft_ids[_key(removed_row)]}", headers=planner)
    assert removed.status_code == 200, removed.json
    assert (removed.json["version"]["id"], removed.json["assignment"]) == (draft["id"], None)
    assert removed.json["copied_from_id"] is None
    after_removal = _roster(client, planner, draft["id"])
    assert _key(removed_row) not in {_key(a) for a in after_removal["assignments"]}
    assert after_removal["summary"]["changes"] == {
        "kept": len(published) - 1,
        "removed": 1,
        "added": 0,
    }

    # add a shift that keeps every rule on another free date: the new row, same draft
    candidates = _candidates(scenario, after_removal["assignments"], removed_agent)
    candidates.sort(key=lambda c: c["date"] == removed_row["date"])  # not just an undo
    added = None
    for candidate in candidates:
        answer = client.post(
            f"/api/v1/rosters/{draft['id']}/assignments", json=candidate, headers=planner
        )
        if answer.status_code == 201:
            added = answer.json
            break
        assert answer.status_code == 422, answer.json  # a rule it would break, named
        assert answer.json["errors"][0]["expected"] == "a roster that keeps every hard rule"
    assert added is not None, "not even the removed shift could be put back"
    assert added["version"]["id"] == draft["id"]
    assert added["version"]["version"] > removed.json["version"]["version"]
    assert added["copied_from_id"] is None
    new_row = added["assignment"]
    assert (_key(new_row), new_row["locked"]) == (tuple(candidate.values()), True)
    draft_rows = {a["id"]: a for a in _roster(client, planner, draft["id"])["assignments"]}
    assert _key(draft_rows[new_row["id"]]) == _key(new_row)
    assert len(draft_rows) == len(published)

    # a second shift on a date the agent already works is refused, naming the rule
    worked = by_agent[pinned_agent][-1]
    other_shift = next(s for s in scenario.agent(pinned_agent).shift_ids if s != worked["shift"])
    refused = client.post(
        f"/api/v1/rosters/{draft['id']}/assignments",
        json={"agent_id": pinned_agent, "date": worked["date"], "shift": other_shift},
        headers=planner,
    )
    assert refused.status_code == 422, refused.json
    assert refused.json["error"] == "validation_error"
    assert "one_shift_per_date" in refused.json["message"]
    assert "one_shift_per_date" in {e["field"] for e in refused.json["errors"]}
    after_edits = _roster(client, planner, draft["id"])
    assert len(after_edits["assignments"]) == len(draft_rows)
    moved = _key(new_row) != _key(removed_row)
    assert after_edits["summary"]["changes"] == {
        "kept": len(published) - moved,
        "removed": int(moved),
        "added": int(moved),
    }

    # publish the draft: the published id seen must still be the published one
    counter = after_edits["version"]["version"]
    stale = client.post(
        f"/api/v1/rosters/{draft['id']}/publish",
        json={"expected_version": counter, "expected_published_id": None},
        headers=planner,
    )
    assert stale.status_code == 409, stale.json
    assert stale.json["current"]["published"]["id"] == published_id
    republished = client.post(
        f"/api/v1/rosters/{draft['id']}/publish",
        json={"expected_version": counter, "expected_published_id": published_id},
        headers=planner,
    )
    assert republished.status_code == 200, republished.json
    assert republished.json["superseded_id"] == published_id

    # a sick call on the sick agent's first worked date, then a re-solve
    sick_day = date.fromisoformat(by_agent[sick_agent][0]["date"])
    sick = client.post(
        f"/api/v1/periods/{period_id}/time-off",
        json={
            "agent_id": sick_agent,
            "start_date": sick_day.isoformat(),
            "end_date": sick_day.isoformat(),
            "reason": "sick",
        },
        headers=planner,
    )
    assert sick.status_code == 201, sick.json
    started = client.post(
        f"/api/v1/periods/{period_id}/resolve", json={"time_limit_seconds": 1}, headers=planner
    )
    assert started.status_code == 202, started.json
    assert started.json["base_version_id"] == draft["id"]
    job = wait_for_job(client, planner, started.json["id"])
    assert job["state"] == "succeeded", job

    resolved = _roster(client, planner, job["roster_version_id"])
    assert (resolved["version"]["state"], resolved["version"]["parent_id"]) == (
        "draft",
        draft["id"],
    )
    rows = {_key(a): a["locked"] for a in resolved["assignments"]}
    assert rows.get(_key(pinned)) is True
    assert rows.get(_key(new_row)) is True
    assert not [k for k in rows if k[0] == sick_agent and k[1] == sick_day.isoformat()]
    changes = resolved["summary"]["changes"]
    before = {_key(a) for a in after_edits["assignments"]}
    assert changes["kept"] == len(before & rows.keys())
    assert changes["removed"] == len(before - rows.keys()) >= 1
    assert changes["added"] == len(rows.keys() - before)
