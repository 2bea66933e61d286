"""Periods that chain, through the API on SQLite and PostgreSQL: the second period
follows the first's published roster, and no rule breaks across their seam."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask

from scheduler.checker import check_roster
from scheduler.imports import read_scenario
from scheduler.roster_io import read_roster_folder
from tests.api.conftest import add_user, bearer, scenario_upload, wait_for_job
from tests.chained import next_period_folder
from tests.storage.fixtures import database_url  # noqa: F401
from web.app import create_service_app


@pytest.fixture
def any_backend_app(database_url: str) -> Iterator[Flask]:  # noqa: F811
    app = create_service_app(database_url, testing=True)
    yield app
    app.extensions["sunshift.engine"].dispose()


def _import(client, planner, folder, name: str) -> dict:
    created = client.post(
        "/api/v1/periods",
        data={**scenario_upload(folder), "name": name},
        headers=planner,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.json
    return created.json


def _solve(client, planner, period_id: int) -> int:
    started = client.post(
        f"/api/v1/periods/{period_id}/jobs",
        json={"time_limit_seconds": 1, "seed": 1, "workers": 1},  # any valid roster will do
        headers=planner,
    )
    job = wait_for_job(client, planner, started.json["id"])
    assert job["state"] == "succeeded", job
    return job["roster_version_id"]


def _publish(client, planner, version_id: int):
    version = client.get(f"/api/v1/rosters/{version_id}?per_page=1", headers=planner).json
    return client.post(
        f"/api/v1/rosters/{version_id}/publish",
        json={"expected_version": version["version"]["version"]},
        headers=planner,
    )


def _shifts(client, planner, version_id: int) -> list[dict]:
    text = client.get(f"/api/v1/rosters/{version_id}/export.csv", headers=planner).text
    return list(csv.DictReader(io.StringIO(text)))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_two_consecutive_periods_never_break_a_rule_across_their_seam(
    any_backend_app, spec_example_dir, tmp_path
):
    app, client = any_backend_app, any_backend_app.test_client()
    planner = bearer(add_user(app, "pia", "planner"))
    second_folder = next_period_folder(spec_example_dir, tmp_path / "second")
    first = _import(client, planner, spec_example_dir, "June, week 1")
    second = _import(client, planner, second_folder, "June, week 2")
    assert second["follows"]["period_id"] == first["id"]
    assert second["follows"]["published_version_id"] is None  # nothing published yet

    first_version = _solve(client, planner, first["id"])
    assert _publish(client, planner, first_version).status_code == 200
    detail = client.get(f"/api/v1/periods/{second['id']}", headers=planner).json
    assert detail["follows"]["published_version_id"] == first_version
    second_version = _solve(client, planner, second["id"])
    roster = client.get(f"/api/v1/rosters/{second_version}?per_page=1", headers=planner).json
    assert roster["version"]["status"]["history_version_id"] == first_version
    published = _publish(client, planner, second_version)
    assert published.status_code == 200, published.json
    assert published.json["warnings"] == []

    # independently of the service's checker: rest and consecutive days across the seam
    before, after = (
        _shifts(client, planner, first_version),
        _shifts(client, planner, second_version),
    )
    scenario = read_scenario(second_folder).scenario
    site_rules = {site.id: site.rules for site in scenario.sites}
    by_agent: dict[str, list[dict]] = defaultdict(list)
    for row in before + after:
        by_agent[row["agent_id"]].append(row)
    seam = scenario.horizon.start
    for agent, rows in by_agent.items():
        rows.sort(key=lambda row: row["start_utc"])
        rules = site_rules[rows[0]["site"]]
        for earlier, later in zip(rows, rows[1:], strict=False):
            rest = _instant(later["start_utc"]) - _instant(earlier["end_utc"])
            assert rest >= timedelta(hours=rules.min_rest_hours), (agent, earlier, later)
        days = sorted({datetime.fromisoformat(row["date"]).date() for row in rows})
        run = 1
        for yesterday, today in zip(days, days[1:], strict=False):
            run = run + 1 if today - yesterday == timedelta(days=1) else 1
            if today >= seam:
                assert run <= rules.max_consecutive_days, (agent, today, run)

    # the CLI path: the first roster's history.csv next to the second period's files
    history = client.get(f"/api/v1/rosters/{first_version}/history.csv", headers=planner)
    assert history.status_code == 200
    assert history.headers["Content-Disposition"].endswith(f'-v{first_version}.csv"')
    (second_folder / "history.csv").write_text(history.text.lstrip("\ufeff"))
    with_history = read_scenario(second_folder)
    assert with_history.scenario is not None, with_history.errors
    assert len(with_history.scenario.history) > 0
    folder = tmp_path / "second-roster"
    folder.mkdir()
    (folder / "roster.csv").write_text(
        client.get(f"/api/v1/rosters/{second_version}/export.csv", headers=planner).text
    )
    coverage = client.get(f"/api/v1/rosters/{second_version}/coverage", headers=planner).json
    lines = ["interval_start,language,required,staffed"] + [
        f"{row['interval_start_utc']},{row['language']},{row['required']},{row['staffed']}"
        for row in coverage["coverage"]
    ]
    (folder / "coverage.csv").write_text("\n".join(lines) + "\n")
    summary = client.get(f"/api/v1/rosters/{second_version}?per_page=1", headers=planner).json
    (folder / "summary.json").write_text(json.dumps(summary["summary"]))
    roster, errors = read_roster_folder(folder)
    assert roster is not None, errors
    assert check_roster(with_history.scenario, roster) == []  # as `sunshift check` would


def test_a_seam_breaking_roster_is_refused_and_a_republished_neighbour_warned(
    any_backend_app, spec_example_dir, tmp_path
):
    """Solved before the first period was published, the second period's roster knows
    no history: its publish re-checks the seam against what is published now."""
    app, client = any_backend_app, any_backend_app.test_client()
    planner = bearer(add_user(app, "pia", "planner"))
    second_folder = next_period_folder(spec_example_dir, tmp_path / "second")
    first = _import(client, planner, spec_example_dir, "June, week 1")
    second = _import(client, planner, second_folder, "June, week 2")
    second_version = _solve(client, planner, second["id"])  # no history yet
    first_version = _solve(client, planner, first["id"])
    assert _publish(client, planner, first_version).status_code == 200

    roster = client.get(f"/api/v1/rosters/{second_version}?per_page=1", headers=planner).json
    status = roster["version"]["status"]
    assert status["history_changed"] is True and status["history_version_id"] is None
    assert any("June, week 1" in message for message in status["messages"])
    answer = _publish(client, planner, second_version)
    if answer.status_code == 422:  # the seam breaks a rule: refused, says why
        assert "re-solve" in answer.json["message"]
    else:  # the seam happens to hold: published, with the warning
        assert answer.status_code == 200, answer.json
        assert any("June, week 1" in w for w in answer.json["warnings"])


def test_revert_and_audit_through_the_api(any_backend_app, spec_example_dir):
    app, client = any_backend_app, any_backend_app.test_client()
    planner = bearer(add_user(app, "pia", "planner"))
    period = _import(client, planner, spec_example_dir, "June")
    first = _solve(client, planner, period["id"])
    assert _publish(client, planner, first).status_code == 200
    shift = client.get(f"/api/v1/rosters/{first}?per_page=1", headers=planner).json
    removed = client.delete(
        f"/api/v1/assignments/{shift['assignments'][0]['id']}", headers=planner
    ).json
    second = removed["version"]["id"]
    assert _publish(client, planner, second).status_code == 200

    preview = client.get(f"/api/v1/rosters/{first}/revert", headers=planner)
    done = client.post(
        f"/api/v1/rosters/{first}/revert", json={"expected_published_id": second}, headers=planner
    )

    assert preview.status_code == 200 and preview.json["added"] == 1
    agent = shift["assignments"][0]["agent_id"]
    assert preview.json["agents"][0]["agent_id"] == agent
    assert done.status_code == 200, done.json
    assert (done.json["state"], done.json["reverted_from"]) == ("published", first)
    assert _shifts(client, planner, done.json["id"]) == _shifts(client, planner, first)
    again = client.post(
        f"/api/v1/rosters/{first}/revert", json={"expected_published_id": second}, headers=planner
    )
    assert again.status_code == 409
    audit = client.get(f"/api/v1/periods/{period['id']}/audit", headers=planner).json
    actions = [entry["action"] for entry in audit["entries"]]
    assert actions[:2] == ["roster.publish", "roster.revert"] and "period.import" in actions
    mine = client.get(
        f"/api/v1/periods/{period['id']}/audit?agent_id={agent}", headers=planner
    ).json
    assert [entry["action"] for entry in mine["entries"]] == ["roster.remove_shift"]
    assert mine["entries"][0]["user"] == "pia"
