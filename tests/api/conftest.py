"""Flaskr-style fixtures: a fresh migrated SQLite database, service app and client per
test, and users of every role with their API tokens.

The database is a copy of one migrated once per session (``migrated_sqlite``). A test
that asks for ``on_solved_spec`` (directly or through a fixture) gets instead a copy of
``solved_spec``: the spec example imported through the API as "export week" and solved
once per session (2 s, seed 1, one worker: the same roster on every run), a draft, with
the users and tokens of ``tokens``. Each test still has a database of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scheduler.storage import repository
from tests.conftest import FIXTURES
from tests.storage.fixtures import (  # noqa: F401
    copy_sqlite,
    postgres_server_url,
)
from web.api.session import session_factory
from web.app import create_service_app

SCENARIO_FILES = ("scenario.toml", "agents.csv", "forecast.csv", "required.csv", "time_off.csv")


SOLVE_OPTIONS = {"time_limit_seconds": 2, "seed": 1, "workers": 1}
"""A real solve that gives the same roster on every run (one worker: steps, not seconds)."""


@dataclass(frozen=True)
class SolvedSpec:
    """The session's template database (tests get copies) and what is in it."""

    url: str
    tokens: dict[str, str]
    period_id: int
    version_id: int
    """The solved draft (not published)."""

    def draft(self, client: FlaskClient, planner: dict[str, str]) -> dict:
        """The solved draft roster with every assignment."""
        answer = client.get(f"/api/v1/rosters/{self.version_id}?all=true", headers=planner)
        assert answer.status_code == 200, answer.json
        return answer.json

    def published(self, client: FlaskClient, planner: dict[str, str]) -> tuple[int, int]:
        """(period id, version id) with the solved draft published."""
        publish(client, planner, self.draft(client, planner))
        return self.period_id, self.version_id


@pytest.fixture(scope="session")
def solved_spec(
    migrated_sqlite: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> SolvedSpec:
    url = copy_sqlite(migrated_sqlite, tmp_path_factory.mktemp("api-solved") / "template.db")
    built = create_service_app(url, testing=True)
    try:
        tokens = role_tokens(built)
        planner = bearer(tokens["planner"])
        draft = solved_draft(built.test_client(), planner, FIXTURES / "spec_example" / "scenario")
        version = draft["version"]
        return SolvedSpec(url, tokens, version["period_id"], version["id"])
    finally:
        built.extensions["sunshift.engine"].dispose()


@pytest.fixture
def on_solved_spec(solved_spec: SolvedSpec) -> SolvedSpec:
    """Start this test's database from the solved spec example (see the module's doc)."""
    return solved_spec


@pytest.fixture
def sqlite_url(
    request: pytest.FixtureRequest,
    migrated_sqlite: str,
    tmp_path: Path,
) -> str:
    """A database of this test's own: a copy of the session's migrated one (or, with
    ``on_solved_spec``, of the solved spec example)."""
    source = migrated_sqlite
    if "on_solved_spec" in request.fixturenames:
        source = request.getfixturevalue("solved_spec").url
    return copy_sqlite(source, tmp_path / "api.db")


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    built = create_service_app(sqlite_url, testing=True)
    yield built
    built.extensions["sunshift.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_user(app: Flask, name: str, role: str, agent_code: str | None = None) -> str:
    """A new user of ``role``; returns his API token."""
    with app.app_context(), session_factory().begin() as session:
        user = repository.add_user(session, name, role, agent_code=agent_code)
        return repository.issue_api_token(user)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(request: pytest.FixtureRequest, app: Flask) -> dict[str, str]:
    """One token per role; the agent user is agents.csv's first agent of the spec example."""
    if "on_solved_spec" in request.fixturenames:
        return request.getfixturevalue("solved_spec").tokens
    return role_tokens(app)


def role_tokens(app: Flask) -> dict[str, str]:
    return {
        "planner": add_user(app, "pia planner", "planner"),
        "admin": add_user(app, "ada admin", "admin"),
        "hr": add_user(app, "hal hr", "hr"),
        "agent": add_user(app, "agent one", "agent", agent_code="A0001"),
    }


def scenario_upload(folder: Path, **replace: bytes) -> dict[str, object]:
    """A multipart form with the scenario's files (``replace`` swaps a file's content)."""
    import io

    form: dict[str, object] = {}
    for name in SCENARIO_FILES:
        path = folder / name
        content = replace.get(name.replace(".", "_"))
        if content is None and path.exists():
            content = path.read_bytes()
        if content is not None:
            form[name] = (io.BytesIO(content), name)
    return form


FINAL_STATES = {"succeeded", "failed", "cancelled"}


def wait_for_job(client: FlaskClient, headers: dict[str, str], job_id: int) -> dict:
    """Poll the job until it ends (the bound only stops a hung run; no timing is asserted)."""
    for _ in range(1200):
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json
        if job["state"] in FINAL_STATES:
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} did not end: {job}")


def solved_draft(client: FlaskClient, planner: dict[str, str], folder) -> dict:
    """``folder`` imported as "export week" and solved (``SOLVE_OPTIONS``): the draft roster
    with every assignment."""
    created = client.post(
        "/api/v1/periods",
        data={**scenario_upload(folder), "name": "export week"},
        headers=planner,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.json
    started = client.post(
        f"/api/v1/periods/{created.json['id']}/jobs", json=SOLVE_OPTIONS, headers=planner
    )
    job = wait_for_job(client, planner, started.json["id"])
    assert job["state"] == "succeeded", job
    return client.get(f"/api/v1/rosters/{job['roster_version_id']}?all=true", headers=planner).json


def publish(client: FlaskClient, planner: dict[str, str], roster: dict) -> None:
    version = roster["version"]
    answer = client.post(
        f"/api/v1/rosters/{version['id']}/publish",
        json={"expected_version": version["version"]},
        headers=planner,
    )
    assert answer.status_code == 200, answer.json
