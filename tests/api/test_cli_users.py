"""`sunshift users create` prints a token the API accepts, with the role given."""

from __future__ import annotations

from click.testing import CliRunner

from scheduler.cli import main
from web.app import create_service_app


def test_created_users_token_authenticates_with_its_role(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(main, ["users", "create", "hal", "--role", "hr"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]

    client = create_service_app(sqlite_url, testing=True).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/periods", headers=headers).status_code == 200
    assert client.get("/api/v1/periods/1/jobs", headers=headers).status_code == 403


def test_agent_user_needs_an_agent_code(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(main, ["users", "create", "ann", "--role", "agent"])
    assert result.exit_code != 0
    assert "--agent" in result.output
