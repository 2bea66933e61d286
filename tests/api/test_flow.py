"""The planner's main flow through the API: upload a scenario, solve, read the roster,
publish, and a stale second publish refused; hr and agents see what they may."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask

from scheduler.roster_io import ROSTER_COLUMNS
from tests.api.conftest import add_user, bearer, scenario_upload, wait_for_job
from tests.storage.fixtures import database_url  # noqa: F401
from web.app import create_service_app


@pytest.fixture
def any_backend_app(database_url: str) -> Iterator[Flask]:  # noqa: F811
    app = create_service_app(database_url, testing=True)
    yield app
    app.extensions["sunshift.engine"].dispose()


def test_upload_solve_read_publish_and_stale_publish(any_backend_app, spec_example_dir):
    app, client = any_backend_app, any_backend_app.test_client()
    planner = bearer(add_user(app, "pia", "planner"))
    hr = bearer(add_user(app, "hal", "hr"))
    agent = bearer(add_user(app, "ann", "agent", agent_code="A0001"))

    created = client.post(
        "/api/v1/periods",
        data={**scenario_upload(spec_example_dir), "name": "June week"},
        headers=planner,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.json
    period = created.json
    assert (period["name"], period["sites"], period["agents"]) == ("June week", 5, 40)
    assert period["horizon"]["start_utc"].endswith("Z")
    assert client.get("/api/v1/periods", headers=hr).json["periods"][0]["id"] == period["id"]

    started = client.post(
        f"/api/v1/periods/{period['id']}/jobs",
        json={"time_limit_seconds": 1, "seed": 1, "workers": 1},  # any valid roster will do
        headers=planner,
    )
    assert started.status_code == 202, started.json
    job = wait_for_job(client, planner, started.json["id"])
    assert job["state"] == "succeeded", job
    assert job["progress"]["shortfall"] is not None
    version_id = job["roster_version_id"]

    roster = client.get(f"/api/v1/rosters/{version_id}?all=true", headers=planner).json
    assert roster["version"]["state"] == "draft"
    assert roster["total"] == len(roster["assignments"]) > 0
    assert "shortfall" in roster["summary"]
    first = roster["assignments"][0]
    assert first["start_utc"].endswith("Z") and first["start_local"][-6] in "+-"
    page = client.get(f"/api/v1/rosters/{version_id}?per_page=7&page=2", headers=planner).json
    assert page["assignments"] == roster["assignments"][7:14]

    coverage = client.get(f"/api/v1/rosters/{version_id}/coverage", headers=planner).json
    assert {row["language"] for row in coverage["coverage"]} >= {"de", "en"}
    gaps = client.get(f"/api/v1/rosters/{version_id}/gaps", headers=planner)
    assert gaps.status_code == 200
    assert all(gap["missing_agent_intervals"] > 0 for gap in gaps.json["gaps"])

    assert client.get(f"/api/v1/rosters/{version_id}", headers=hr).status_code == 403
    assert client.get("/api/v1/me/shifts", headers=agent).json["shifts"] == []

    read_version = roster["version"]["version"]
    published = client.post(
        f"/api/v1/rosters/{version_id}/publish",
        json={"expected_version": read_version},
        headers=planner,
    )
    assert published.status_code == 200, published.json
    assert published.json["state"] == "published"

    stale = client.post(
        f"/api/v1/rosters/{version_id}/publish",
        json={"expected_version": read_version},
        headers=planner,
    )
    assert stale.status_code == 409
    assert stale.json["error"] == "conflict"
    assert stale.json["current"]

    exported = client.get(f"/api/v1/rosters/{version_id}/export.csv", headers=hr)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert tuple(rows[0]) == ROSTER_COLUMNS
    assert len(rows) - 1 == roster["total"]

    mine = client.get("/api/v1/me/shifts", headers=agent).json
    expected = [a for a in roster["assignments"] if a["agent_id"] == "A0001"]
    assert mine["agent_id"] == "A0001"
    assert [s["id"] for s in mine["shifts"]] == [a["id"] for a in expected]
    assert all(s["version_id"] == version_id for s in mine["shifts"])
