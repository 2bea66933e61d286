"""Agent sign-ins for a whole period at once, from the service and the CLI."""

from __future__ import annotations

import csv
import stat

from click.testing import CliRunner
from sqlalchemy import func, select

from scheduler.cli import main
from scheduler.services.accounts import create_agent_accounts
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.repository import password_matches


def test_every_agent_gets_one_sign_in_with_a_working_password(sessions, period_id, planner_id):
    created = create_agent_accounts(sessions, period_id, planner_id)

    with unit_of_work(sessions) as session:
        agents = session.scalar(
            select(func.count()).select_from(m.Agent).filter_by(period_id=period_id)
        )
        users = {u.agent_code: u for u in session.scalars(select(m.User).filter_by(role="agent"))}
        assert len(created) == agents == len(users)
        first = created[0]
        user = users[first.agent_code]
        assert user.name == first.user_name == first.agent_code.lower()  # no e-mail given
        assert user.password_hash != first.password
        assert password_matches(user, first.password)
        assert not password_matches(user, created[1].password)
    assert create_agent_accounts(sessions, period_id, planner_id) == []  # run again: none new


def test_the_cli_writes_the_passwords_to_a_private_file(tmp_path, spec_example_dir):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    runner = CliRunner(env={"DATABASE_URL": url})
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    imported = runner.invoke(main, ["import", str(spec_example_dir), "--period", "June"])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "passwords.csv"

    answer = runner.invoke(main, ["users", "create-agents", "June", "--out", str(out)])

    assert answer.exit_code == 0, answer.output
    assert "created 40 agent sign-ins" in answer.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 40 and rows[0]["agent_id"] == "A0000" and len(rows[0]["password"]) >= 16
    unknown = runner.invoke(main, ["users", "create-agents", "May", "--out", str(out)])
    assert unknown.exit_code == 2 and "no planning period named 'May'" in unknown.output


def _imported_june(tmp_path, spec_example_dir) -> tuple[CliRunner, str]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    runner = CliRunner(env={"DATABASE_URL": url})
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    imported = runner.invoke(main, ["import", str(spec_example_dir), "--period", "June"])
    assert imported.exit_code == 0, imported.output
    return runner, url


def _agent_users(url: str) -> int:
    sessions = session_factory(make_engine(url))
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(m.User).filter_by(role="agent"))


def test_no_sign_in_is_created_when_the_password_file_cannot_be_written(tmp_path, spec_example_dir):
    runner, url = _imported_june(tmp_path, spec_example_dir)
    out = tmp_path / "missing-folder" / "passwords.csv"

    answer = runner.invoke(main, ["users", "create-agents", "June", "--out", str(out)])

    assert answer.exit_code == 1
    assert "no sign-in was created" in answer.output
    assert _agent_users(url) == 0
    good = tmp_path / "passwords.csv"
    assert (
        runner.invoke(main, ["users", "create-agents", "June", "--out", str(good)]).exit_code == 0
    )
    assert _agent_users(url) == 40


def test_an_existing_password_file_is_made_private_too(tmp_path, spec_example_dir):
    runner, _ = _imported_june(tmp_path, spec_example_dir)
    out = tmp_path / "passwords.csv"
    out.write_text("old content\n")
    out.chmod(0o644)

    answer = runner.invoke(main, ["users", "create-agents", "June", "--out", str(out)])

    assert answer.exit_code == 0, answer.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "old content" not in out.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
