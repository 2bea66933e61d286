"""Shift swaps through the API: agents act only for themselves, a refused swap names the
rule, an approved one is a published roster that ``sunshift check`` passes, planners
decide what awaits them, and everything is in the OpenAPI document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scheduler.roster_io import read_roster_folder, write_roster_folder
from scheduler.services import import_folder, publish
from scheduler.storage import roster_mapper
from scheduler.storage.scenario_store import save_roster
from tests.api.conftest import add_user, bearer
from web.api.session import session_factory

PERIOD = "June 2027"


@pytest.fixture
def period(app: Flask, spec_example_dir: Path, spec_example_roster_dir: Path) -> dict:
    """The spec example imported with its baseline roster published; its id and version."""
    with app.app_context():
        sessions = session_factory()
        period_id = import_folder(sessions, spec_example_dir, None, period_name=PERIOD)
        roster, errors = read_roster_folder(spec_example_roster_dir)
        assert not errors
        with sessions.begin() as session:
            version = save_roster(session, period_id, roster)
            session.flush()
            version_id, counter = version.id, version.version_id
        publish(sessions, version_id, None, counter)
    return {"id": period_id, "version_id": version_id}


@pytest.fixture
def agent(app: Flask) -> dict[str, dict[str, str]]:
    """Headers of agent users by agent code."""
    codes = ("A0000", "A0005", "A0006", "A0009", "A0010")
    return {code: bearer(add_user(app, code.lower(), "agent", agent_code=code)) for code in codes}


def _offer(client, headers, period_id, day, colleague, colleague_date=None):
    return client.post(
        "/api/v1/me/swaps",
        json={
            "period_id": period_id,
            "date": day,
            "colleague": colleague,
            "colleague_date": colleague_date,
        },
        headers=headers,
    )


def _check_with_the_cli(app: Flask, spec_example_dir: Path, version_id: int, out: Path):
    """Write the version as a roster folder and run ``sunshift check`` on it."""
    with app.app_context(), session_factory()() as session:
        write_roster_folder(out, roster_mapper.to_domain(session, version_id))
    return subprocess.run(
        [sys.executable, "-m", "scheduler", "check", str(spec_example_dir), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_two_agents_swap_and_the_published_roster_passes_sunshift_check(
    app, client: FlaskClient, tokens, period, agent, spec_example_dir, tmp_path
):
    offered = _offer(client, agent["A0000"], period["id"], "2027-06-08", "A0009", "2027-06-12")
    assert offered.status_code == 201, offered.json
    swap = offered.json
    assert swap["state"] == "pending"
    assert swap["offered"]["start_local"] == "2027-06-08T07:00:00+01:00"
    inbox = client.get("/api/v1/me/swaps", headers=agent["A0009"]).json["swaps"]
    assert [s["id"] for s in inbox] == [swap["id"]]

    accepted = client.post(f"/api/v1/swaps/{swap['id']}/accept", headers=agent["A0009"])

    assert accepted.status_code == 200, accepted.json
    assert accepted.json["state"] == "approved"
    new_id = accepted.json["result_version_id"]
    planner = bearer(tokens["planner"])
    versions = client.get(f"/api/v1/periods/{period['id']}/rosters", headers=planner).json
    published = [v["id"] for v in versions["versions"] if v["state"] == "published"]
    assert published == [new_id]
    mine = client.get("/api/v1/me/shifts", headers=agent["A0009"]).json["shifts"]
    assert ("2027-06-08", "s0") in {(s["date"], s["shift"]) for s in mine}
    assert "2027-06-12" not in {s["date"] for s in mine}
    checked = _check_with_the_cli(app, spec_example_dir, new_id, tmp_path / "roster")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_accepted_swap_leaves_a_roster_sunshift_check_passes(
    app, client, tokens, period, agent, spec_example_dir, tmp_path
):
    """A clean swap, then give-aways that lose coverage (approved by a planner), in a row:
    each new published roster passes the independent checker run as the CLI runs it."""
    planner = bearer(tokens["planner"])
    steps = [
        ("A0000", "2027-06-08", "A0009", "2027-06-12", "approved"),
        ("A0000", "2027-06-10", "A0010", None, "awaiting_planner"),
        ("A0006", "2027-06-11", "A0000", None, "awaiting_planner"),
    ]
    for number, (offerer, day, colleague, wanted, state) in enumerate(steps):
        offered = _offer(client, agent[offerer], period["id"], day, colleague, wanted)
        assert offered.status_code == 201, offered.json
        answer = client.post(f"/api/v1/swaps/{offered.json['id']}/accept", headers=agent[colleague])
        assert answer.status_code == 200, answer.json
        assert answer.json["state"] == state, answer.json
        if state == "awaiting_planner":
            assert answer.json["reason"].startswith("coverage: "), answer.json
            answer = client.post(
                f"/api/v1/swaps/{offered.json['id']}/decision",
                json={"approve": True},
                headers=planner,
            )
            assert answer.status_code == 200, answer.json
        assert answer.json["state"] == "approved", answer.json
        checked = _check_with_the_cli(
            app, spec_example_dir, answer.json["result_version_id"], tmp_path / f"r{number}"
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_swap_breaking_the_rest_rule_is_refused_with_the_rule_named(client, period, agent):
    refused = _offer(client, agent["A0005"], period["id"], "2027-06-09", "A0008", "2027-06-13")

    assert refused.status_code == 422, refused.json
    assert refused.json["field"] == "min_rest"
    assert "min_rest (A0008, 2027-06-09): 5 h between shifts" in refused.json["message"]
    assert "site rule needs 11 h" in refused.json["message"]
    assert client.get("/api/v1/me/swaps", headers=agent["A0005"]).json["swaps"] == []


def test_an_agent_cannot_act_for_another(client, tokens, period, agent):
    offered = _offer(client, agent["A0000"], period["id"], "2027-06-08", "A0009", "2027-06-12")
    swap_id = offered.json["id"]
    outsider = agent["A0006"]
    assert client.get(f"/api/v1/swaps/{swap_id}", headers=outsider).status_code == 404
    for action in ("accept", "decline", "withdraw"):
        answer = client.post(f"/api/v1/swaps/{swap_id}/{action}", headers=outsider, json={})
        assert answer.status_code == 404, (action, answer.json)
    assert client.get("/api/v1/me/swaps", headers=outsider).json["swaps"] == []
    accept_own = client.post(f"/api/v1/swaps/{swap_id}/accept", headers=agent["A0000"])
    assert accept_own.status_code == 403
    withdraw_hers = client.post(f"/api/v1/swaps/{swap_id}/withdraw", headers=agent["A0009"])
    assert withdraw_hers.status_code == 403
    decide = client.post(
        f"/api/v1/swaps/{swap_id}/decision", json={"approve": True}, headers=agent["A0009"]
    )
    assert decide.status_code == 403
    planner_offer = _offer(
        client, bearer(tokens["planner"]), period["id"], "2027-06-08", "A0009", "2027-06-12"
    )
    assert planner_offer.status_code == 403
    assert client.get(f"/api/v1/swaps/{swap_id}", headers=agent["A0009"]).status_code == 200
    withdrawn = client.post(f"/api/v1/swaps/{swap_id}/withdraw", headers=agent["A0000"])
    assert withdrawn.json["state"] == "withdrawn"
    again = client.post(f"/api/v1/swaps/{swap_id}/accept", headers=agent["A0009"])
    assert again.status_code == 409


def test_planners_see_the_queue_with_the_reason_and_set_auto_approval(
    client, tokens, period, agent
):
    planner = bearer(tokens["planner"])
    settings = f"/api/v1/periods/{period['id']}/swap-settings"
    assert client.get(settings, headers=planner).json == {
        "period_id": period["id"],
        "auto_approve": True,
    }
    assert client.put(settings, json={"auto_approve": False}, headers=planner).status_code == 200
    offered = _offer(client, agent["A0000"], period["id"], "2027-06-10", "A0010")
    client.post(f"/api/v1/swaps/{offered.json['id']}/accept", headers=agent["A0010"])

    queue = client.get(
        f"/api/v1/periods/{period['id']}/swaps?state=awaiting_planner", headers=planner
    ).json["swaps"]

    assert [s["id"] for s in queue] == [offered.json["id"]]
    assert queue[0]["reason"] == "coverage: de loses 2 agent-intervals on 2027-06-10 (UTC)"
    no_reason = client.post(
        f"/api/v1/swaps/{offered.json['id']}/decision", json={"approve": False}, headers=planner
    )
    assert no_reason.status_code == 422
    declined = client.post(
        f"/api/v1/swaps/{offered.json['id']}/decision",
        json={"approve": False, "reason": "German cover is thin that day"},
        headers=planner,
    )
    assert (declined.json["state"], declined.json["reason"]) == (
        "declined",
        "German cover is thin that day",
    )
    seen = client.get(f"/api/v1/swaps/{offered.json['id']}", headers=agent["A0000"]).json
    assert seen["reason"] == "German cover is thin that day"


def test_bad_input_names_the_field(client, period, agent):
    too_long = client.post(
        "/api/v1/me/swaps",
        json={
            "period_id": period["id"],
            "date": "2027-06-08",
            "colleague": "A0009",
            "note": "x" * 501,
        },
        headers=agent["A0000"],
    )
    assert too_long.status_code == 422 and too_long.json["field"] == "note"
    no_shift = _offer(client, agent["A0000"], period["id"], "2027-06-09", "A0009")
    assert no_shift.status_code == 422 and no_shift.json["field"] == "date"
    nobody = _offer(client, agent["A0000"], period["id"], "2027-06-08", "Z9999")
    assert nobody.status_code == 404


def test_the_swap_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/me/swaps",
        "/api/v1/swaps/{swap_id}",
        "/api/v1/swaps/{swap_id}/accept",
        "/api/v1/swaps/{swap_id}/decline",
        "/api/v1/swaps/{swap_id}/withdraw",
        "/api/v1/swaps/{swap_id}/decision",
        "/api/v1/periods/{period_id}/swaps",
        "/api/v1/periods/{period_id}/swap-settings",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/me/swaps"]) == {"get", "post"}
