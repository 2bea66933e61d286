"""`sunshift demo` never puts its published passwords into a database of real users,
and says so loudly when it listens beyond this machine."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from scheduler import demo
from scheduler.cli import main
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database


@pytest.fixture
def real_database(tmp_path) -> str:
    """A database with a real user in it (not one of the demo's)."""
    url = f"sqlite:///{tmp_path / 'real.db'}"
    upgrade_database(url)
    with unit_of_work(session_factory(make_engine(url))) as session:
        repository.add_user(session, "pia", "planner", password="a real secret")
    return url


def _count(url: str, model) -> int:
    with unit_of_work(session_factory(make_engine(url))) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_demo_refuses_a_database_that_holds_other_users(real_database, monkeypatch):
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda *_args, **_kwargs: None)  # never serve
    monkeypatch.setattr(demo, "prepare_demo", lambda *_args: (1, None))  # never solve
    answer = CliRunner(env={"DATABASE_URL": real_database}).invoke(main, ["demo"])

    assert answer.exit_code == 2
    assert "already holds other users (pia)" in answer.output
    assert _count(real_database, m.User) == 1, "no demo sign-in was added"
    assert _count(real_database, m.PlanningPeriod) == 0, "nothing was imported"


def test_demo_users_are_never_added_next_to_real_ones(real_database):
    with pytest.raises(demo.DemoRefused):
        demo.ensure_demo_users(session_factory(make_engine(real_database)))
    assert _count(real_database, m.User) == 1


def test_the_demo_runs_again_on_its_own_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    demo.ensure_demo_users(sessions)
    demo.ensure_demo_users(sessions)  # a second `make demo` finds only its own users
    assert _count(url, m.User) == len(demo.DEMO_USERS)


@pytest.mark.parametrize(("host", "warned"), [("0.0.0.0", True), ("127.0.0.1", False)])
def test_the_demo_warns_when_it_listens_beyond_this_machine(
    tmp_path, monkeypatch, capsys, host, warned
):
    import waitress

    served = []
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("SUNSHIFT_PUBLIC_URL", "http://localhost:5999")  # the demo sets it
    monkeypatch.setattr(demo, "prepare_demo", lambda *_args: (1, None))

    def serve(app, host, port):
        served.append(host)
        watch = app.extensions.get("sunshift.job_watch")
        if watch is not None:
            watch.stop()  # the demo's job watch: not past this test's database

    monkeypatch.setattr(waitress, "serve", serve)

    demo.run_demo(host=host, port=5999, time_limit_seconds=1)

    assert served == [host]
    err = capsys.readouterr().err
    assert ("WARNING: the demo listens on 0.0.0.0" in err) is warned
