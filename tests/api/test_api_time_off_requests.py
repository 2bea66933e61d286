"""Time-off requests through the API: an agent asks, reads and withdraws only his own;
a planner reads the queue with the impact and decides; agents cannot decide, read
another agent's requests or ask for someone else."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import add_user, bearer, wait_for_job

ASK = "/api/v1/me/time-off-requests"


@pytest.fixture
def today(app: Flask) -> None:
    app.config["SUNSHIFT_TODAY"] = "2027-06-01"  # the spec example's week is 2027-06-07..13


@pytest.fixture
def period(client: FlaskClient, tokens, on_solved_spec, today) -> tuple[int, int]:
    """(period id, published version id): the solved spec example, published."""
    return on_solved_spec.published(client, bearer(tokens["planner"]))


def test_agent_asks_planner_sees_impact_and_approves(client, tokens, period):
    period_id, published_id = period
    agent, planner = bearer(tokens["agent"]), bearer(tokens["planner"])

    asked = client.post(
        ASK,
        json={"start_date": "2027-06-08", "end_date": "2027-06-09", "reason": "wedding"},
        headers=agent,
    )
    assert asked.status_code == 201, asked.json
    assert (asked.json["state"], asked.json["agent_id"], asked.json["days"]) == (
        "pending",
        "A0001",
        2,
    )

    queue = client.get(f"/api/v1/periods/{period_id}/time-off-requests", headers=planner)
    assert queue.status_code == 200, queue.json
    item = queue.json["requests"][0]
    assert item["id"] == asked.json["id"] and queue.json["published_version_id"] == published_id
    impact = item["impact"]
    assert impact["total"] == sum(impact["by_language"].values())
    assert impact["total"] == sum(i["added_shortfall"] for i in impact["intervals"])
    assert all(s["date"] in ("2027-06-08", "2027-06-09") for s in impact["removed_shifts"])

    decided = client.post(
        f"/api/v1/time-off-requests/{asked.json['id']}/decision",
        json={"decision": "approve"},
        headers=planner,
    )
    assert decided.status_code == 200, decided.json
    assert decided.json["state"] == "approved"
    again = client.post(
        f"/api/v1/time-off-requests/{asked.json['id']}/decision",
        json={"decision": "decline", "reason": "too late"},
        headers=planner,
    )
    assert again.status_code == 409 and "no longer pending" in again.json["message"]

    mine = client.get(ASK, headers=agent).json["requests"]
    assert [(r["id"], r["state"]) for r in mine] == [(asked.json["id"], "approved")]
    if impact["removed_shifts"]:
        draft_id = decided.json["outcome"]["drafts"][0]["version_id"]
        draft = client.get(f"/api/v1/rosters/{draft_id}?all=true", headers=planner).json
        assert draft["version"]["state"] == "draft"
        assert not [
            a
            for a in draft["assignments"]
            if a["agent_id"] == "A0001" and a["date"] in ("2027-06-08", "2027-06-09")
        ]


def test_agents_act_only_for_themselves(app, client, tokens, period):
    period_id, _ = period
    ann = bearer(tokens["agent"])
    bob = bearer(add_user(app, "bob", "agent", agent_code="A0000"))
    asked = client.post(
        ASK, json={"start_date": "2027-06-10", "end_date": "2027-06-10"}, headers=ann
    )
    request_id = asked.json["id"]

    # another agent neither sees, withdraws nor decides it; nor reads the queue
    assert client.get(ASK, headers=bob).json["requests"] == []
    assert client.delete(f"{ASK}/{request_id}", headers=bob).status_code == 404
    assert client.post(f"{ASK}/{request_id}/withdraw", headers=bob).status_code == 404
    decision = client.post(
        f"/api/v1/time-off-requests/{request_id}/decision",
        json={"decision": "approve"},
        headers=bob,
    )
    assert decision.status_code == 403
    assert (
        client.get(f"/api/v1/periods/{period_id}/time-off-requests", headers=bob).status_code == 403
    )
    # an agent cannot ask for someone else: an agent_id in the body is refused
    other = client.post(
        ASK,
        json={"start_date": "2027-06-11", "end_date": "2027-06-11", "agent_id": "A0000"},
        headers=ann,
    )
    assert other.status_code == 422
    # planners and hr do not ask through /me
    for role in ("planner", "hr"):
        refused = client.post(
            ASK,
            json={"start_date": "2027-06-11", "end_date": "2027-06-11"},
            headers=bearer(tokens[role]),
        )
        assert refused.status_code == 403

    # his own: withdraw works once, then 409
    assert client.delete(f"{ASK}/{request_id}", headers=ann).json["state"] == "withdrawn"
    late = client.post(f"{ASK}/{request_id}/withdraw", headers=ann)
    assert late.status_code == 409 and "withdrawn" in late.json["message"]


def test_limits_and_overlaps(client, tokens, period):
    ann = bearer(tokens["agent"])
    long = client.post(
        ASK, json={"start_date": "2027-06-08", "end_date": "2027-08-08"}, headers=ann
    )
    assert long.status_code == 422 and long.json["errors"][0]["field"] == "end_date"
    wordy = client.post(
        ASK,
        json={"start_date": "2027-06-08", "end_date": "2027-06-08", "reason": "x" * 501},
        headers=ann,
    )
    assert wordy.status_code == 422
    past = client.post(
        ASK, json={"start_date": "2027-05-20", "end_date": "2027-06-08"}, headers=ann
    )
    assert past.status_code == 422 and "past" in past.json["message"]

    first = client.post(
        ASK, json={"start_date": "2027-06-08", "end_date": "2027-06-10"}, headers=ann
    )
    assert first.status_code == 201
    clash = client.post(
        ASK, json={"start_date": "2027-06-10", "end_date": "2027-06-12"}, headers=ann
    )
    assert clash.status_code == 409 and f"request {first.json['id']}" in clash.json["message"]


def test_decline_without_reason_is_422_and_the_reason_reaches_the_agent(client, tokens, period):
    ann, planner = bearer(tokens["agent"]), bearer(tokens["planner"])
    asked = client.post(
        ASK, json={"start_date": "2027-06-12", "end_date": "2027-06-12"}, headers=ann
    )
    url = f"/api/v1/time-off-requests/{asked.json['id']}/decision"

    bare = client.post(url, json={"decision": "decline"}, headers=planner)
    assert bare.status_code == 422 and bare.json["errors"][0]["field"] == "reason"
    declined = client.post(
        url, json={"decision": "decline", "reason": "audit week"}, headers=planner
    )
    assert declined.status_code == 200

    mine = client.get(ASK, headers=ann).json["requests"][0]
    assert (mine["state"], mine["decision_reason"], mine["decided_by"]) == (
        "declined",
        "audit week",
        "pia planner",
    )
    assert (
        client.post(
            "/api/v1/time-off-requests/999999/decision",
            json={"decision": "approve"},
            headers=planner,
        ).status_code
        == 404
    )


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/me/time-off-requests"])
    assert "delete" in paths["/api/v1/me/time-off-requests/{request_id}"]
    assert "post" in paths["/api/v1/me/time-off-requests/{request_id}/withdraw"]
    assert "get" in paths["/api/v1/periods/{period_id}/time-off-requests"]
    assert "post" in paths["/api/v1/time-off-requests/{request_id}/decision"]


def test_resolve_around_a_request_reports_its_draft(client, tokens, period):
    period_id, published_id = period
    ann, planner = bearer(tokens["agent"]), bearer(tokens["planner"])
    asked = client.post(
        ASK, json={"start_date": "2027-06-08", "end_date": "2027-06-09"}, headers=ann
    )
    url = f"/api/v1/time-off-requests/{asked.json['id']}/resolve"

    assert client.post(url, json={"period_id": period_id}, headers=ann).status_code == 403
    started = client.post(
        url, json={"period_id": period_id, "time_limit_seconds": 2}, headers=planner
    )
    assert started.status_code == 202, started.json
    assert started.json["base_version_id"] == published_id
    job = wait_for_job(client, planner, started.json["id"])
    assert job["state"] == "succeeded", job

    item = client.get(f"/api/v1/periods/{period_id}/time-off-requests", headers=planner).json[
        "requests"
    ][0]
    result = item["resolve"]
    assert (result["job_id"], result["version_id"], result["current"]) == (
        job["id"],
        job["roster_version_id"],
        True,
    )
    assert result["total"] == sum(result["by_language"].values())
    draft = client.get(f"/api/v1/rosters/{job['roster_version_id']}?all=true", headers=planner).json
    assert not [
        a
        for a in draft["assignments"]
        if a["agent_id"] == "A0001" and a["date"] in ("2027-06-08", "2027-06-09")
    ]
    # the request is still pending: nothing was recorded
    assert item["state"] == "pending"
    wrong = client.post(url, json={"period_id": period_id + 99}, headers=planner)
    assert wrong.status_code == 404
