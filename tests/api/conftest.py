"""Flaskr-style fixtures: a fresh migrated SQLite database, service app and client per
test, and users of every role with their API tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scheduler.storage import repository
from scheduler.storage.migrate import upgrade_database
from tests.storage.fixtures import postgres_server_url  # noqa: F401
from web.api.session import session_factory
from web.app import create_service_app

SCENARIO_FILES = ("scenario.toml", "agents.csv", "forecast.csv", "required.csv", "time_off.csv")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    upgrade_database(url)
    return url


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
def tokens(app: Flask) -> dict[str, str]:
    """One token per role; the agent user is agents.csv's first agent of the spec example."""
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
