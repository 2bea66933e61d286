"""``sunshift demo``: the whole service on the bundled scenario, on the default
SQLite database, with nothing else to install or start.

It migrates the database, imports ``config/demo`` as a planning period (again
on every run: re-import updates it by id), solves it as a background job on the
local runner while printing progress, publishes the checked roster, creates a
planner API token and the demo's sign-ins, and serves the pages and the JSON API with waitress (a
production WSGI server, not Flask's development server).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.settings import DEMO_ROSTER_DIR, DEMO_SCENARIO_DIR
from scheduler.gaps import write_gaps_csv
from scheduler.imports import load_scenario
from scheduler.mail.settings import PUBLIC_URL_ENV
from scheduler.roster_io import write_roster_folder
from scheduler.services import get_job, import_folder, publish, start_solve
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import database_url, make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from scheduler.storage.scenario_store import load_gaps, load_roster

DEMO_PERIOD = "Sunshift demo"
DEMO_PLANNER = "planner"
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    # (user name, role, password, agent id): local demo sign-ins, printed by `make demo`
    ("planner", "planner", "sunshift-planner", None),
    ("hr", "hr", "sunshift-hr", None),
    ("admin", "admin", "sunshift-admin", None),  # users and tokens (/admin/users)
    ("a0001", "agent", "sunshift-agent", "A0001"),  # Toronto
    ("a0029", "agent", "sunshift-agent", "A0029"),  # Dublin
    ("a0033", "agent", "sunshift-agent", "A0033"),  # Dublin: a colleague to offer a swap to
    ("a0095", "agent", "sunshift-agent", "A0095"),  # Sydney
)
DEMO_STAFF_EMAILS = {"planner": "planner@sunshift.example"}
"""So the demo planner gets the daily digest (agents take theirs from agents.csv)."""
FINISHED = ("succeeded", "failed", "cancelled")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class DemoRefused(Exception):
    """The demo would put its well-known passwords into a database that is not its own."""


def refuse_foreign_users(sessions: sessionmaker[Session]) -> None:
    """Raise ``DemoRefused`` when the database holds users the demo did not make: its
    sign-ins have passwords printed in the README, so they must never join real ones."""
    demo_names = [name for name, *_ in DEMO_USERS]
    with unit_of_work(sessions) as session:
        others = session.scalars(
            select(m.User.name).where(m.User.name.not_in(demo_names)).order_by(m.User.name)
        ).all()
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise DemoRefused(
            f"this database already holds other users ({shown}): the demo's sign-ins have "
            "published passwords, so it only runs on a database of its own. Point "
            "DATABASE_URL or SUNSHIFT_INSTANCE at a new one, or serve this one with "
            "`sunshift serve`."
        )


def exposure_warning(host: str) -> str | None:
    """What to say when the demo listens beyond this machine (None on a local address)."""
    if host in LOCAL_HOSTS:
        return None
    return (
        f"WARNING: the demo listens on {host}: anyone who can reach this machine can sign "
        "in with the demo passwords printed below and read or publish rosters. Use "
        "--host 127.0.0.1 unless that is what you want."
    )


def prepare_demo(
    sessions: sessionmaker[Session], roster_dir: Path, time_limit_seconds: float
) -> tuple[int, int | None]:
    """Import, solve and publish the demo period; returns (period id, published version id)."""
    with unit_of_work(sessions) as session:
        existing = repository.period_by_name(session, DEMO_PERIOD)
        existing_id = existing.id if existing else None
    period_id = import_folder(
        sessions, DEMO_SCENARIO_DIR, None, period_name=DEMO_PERIOD, period_id=existing_id
    )
    print(f"imported {DEMO_SCENARIO_DIR} as period {period_id} ({DEMO_PERIOD!r})", flush=True)
    job_id = start_solve(sessions, period_id, None, time_limit_seconds=time_limit_seconds)
    job = _wait(sessions, job_id)
    if job["state"] != "succeeded":
        print(f"\nsolve job {job_id} {job['state']}: {job['error']}", flush=True)
        return period_id, None
    version_id = job["roster_version_id"]
    with unit_of_work(sessions) as session:
        roster = load_roster(session, version_id)
        gaps = load_gaps(session, version_id)
        expected = session.get(m.RosterVersion, version_id).version_id
    published = publish(sessions, version_id, None, expected)
    write_roster_folder(roster_dir, roster)
    write_gaps_csv(roster_dir / "gaps.csv", gaps)
    summary = roster.summary
    print(
        f"\npublished roster version {published['id']}: {summary['status']}, shortfall "
        f"{summary['shortfall']} agent-intervals (proven bound {summary['bound']}), "
        f"floor gaps {summary['floor_gaps']}; files in {roster_dir}",
        flush=True,
    )
    return period_id, published["id"]


def _wait(sessions: sessionmaker[Session], job_id: int) -> dict:
    """Poll the job, showing its stored progress, until it has finished."""
    job = get_job(sessions, job_id)
    while job["state"] not in FINISHED:
        progress = job["progress"]
        if progress["elapsed_seconds"] is not None:
            sys.stdout.write(
                f"\r  solving: {progress['elapsed_seconds']:6.1f} s, shortfall "
                f"{progress['shortfall']}, proven bound {progress['bound']}   "
            )
            sys.stdout.flush()
        time.sleep(1.0)
        job = get_job(sessions, job_id)
    return job


def ensure_demo_users(sessions: sessionmaker[Session]) -> None:
    """The demo's sign-ins (``DEMO_USERS``), created on first run with hashed passwords;
    ``DemoRefused`` in a database that holds other users."""
    refuse_foreign_users(sessions)
    emails = {agent.id: agent.email for agent in load_scenario(DEMO_SCENARIO_DIR).agents}
    with unit_of_work(sessions) as session:
        for name, role, password, agent_code in DEMO_USERS:
            if session.query(m.User).filter_by(name=name).one_or_none() is None:
                email = emails.get(agent_code or "") or DEMO_STAFF_EMAILS.get(name)
                repository.add_user(
                    session, name, role, password=password, agent_code=agent_code, email=email
                )


def demo_token(sessions: sessionmaker[Session]) -> str:
    """A fresh API token for the demo planner."""
    ensure_demo_users(sessions)
    with unit_of_work(sessions) as session:
        user = session.query(m.User).filter_by(name=DEMO_PLANNER).one()
        return repository.issue_api_token(user)


def run_demo(host: str, port: int, time_limit_seconds: float) -> None:
    """Prepare the demo in the database, print the URLs and serve until interrupted."""
    import waitress

    from web.app import create_service_app
    from web.clock import TODAY_SETTING

    url = database_url()
    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    try:
        refuse_foreign_users(sessions)  # before the demo imports or creates anything
    except DemoRefused as refusal:
        print(f"sunshift demo: {refusal}", file=sys.stderr)
        sys.exit(2)
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    ensure_demo_users(sessions)  # first: the publish mails the demo's agents (the outbox page)
    period_id, version_id = prepare_demo(sessions, DEMO_ROSTER_DIR, time_limit_seconds)
    token = demo_token(sessions)
    app = create_service_app(url, watch_jobs=True)
    demo_start = load_scenario(DEMO_SCENARIO_DIR).horizon.start
    if date.today() >= demo_start:  # keep the demo's shifts "upcoming" on the agents' pages
        app.config[TODAY_SETTING] = demo_start - timedelta(days=1)
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    base = f"http://{shown_host}:{port}"
    os.environ.setdefault(PUBLIC_URL_ENV, base)  # links in the demo's mails lead here
    print(f"Sunshift demo: {base}/  (Ctrl+C to stop)")
    print("  Sign in as  planner / sunshift-planner   (plan, solve, publish)")
    print("              hr / sunshift-hr             (payroll exports)")
    print("              admin / sunshift-admin       (users, tokens; and what a planner does)")
    print("              a0001, a0029, a0033 or a0095 / sunshift-agent   (an agent's own shifts)")
    print(f"  Outbox:     {base}/outbox   (the e-mails written; SUNSHIFT_SMTP_URL sends them)")
    print(f"  JSON API:   {base}/api/v1/periods/{period_id}")
    print(f"  OpenAPI:    {base}/api/v1/openapi.json")
    print(f"  API token:  {token}   (curl -H 'Authorization: Bearer {token}' ...)", flush=True)
    try:
        waitress.serve(app, host=host, port=port)
    except KeyboardInterrupt:
        sys.exit(0)
