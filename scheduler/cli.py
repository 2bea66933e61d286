"""The ``sunshift`` command line: thin wrappers that parse arguments, call one
function of the pipeline and turn its outcome into output and an exit code.

Exit codes: 0 success, 1 a roster breaks a rule, 2 bad input (every error listed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.imports import ScenarioErrors, read_scenario

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2

scenario_argument = click.argument(
    "scenario", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


def read_scenario_or_exit(folder: Path):
    """Load a scenario, or print every error in it and exit 2; warnings go to stderr."""
    result = read_scenario(folder)
    if result.scenario is None:
        errors = ScenarioErrors(list(result.errors), str(folder), list(result.warnings))
        click.echo(errors.report(), err=True)
        sys.exit(EXIT_BAD_INPUT)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return result.scenario


@click.group(help="Sunshift: follow-the-sun shift scheduling for multilingual support.")
def main() -> None:
    pass


@main.command(help="Check a scenario folder and list every error in it.")
@scenario_argument
def validate(scenario: Path) -> None:
    from scheduler.imports.summary import describe

    loaded = read_scenario_or_exit(scenario)
    click.echo(describe(loaded))


@main.command(help="Check a roster folder against every hard rule of its scenario.")
@scenario_argument
@click.argument("roster", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(scenario: Path, roster: Path) -> None:
    from scheduler.checker import review_roster_folder

    loaded = read_scenario_or_exit(scenario)
    report, errors = review_roster_folder(loaded, roster)
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    for violation in report.violations:
        click.echo(str(violation))
    if report.violations:
        click.echo(f"{len(report.violations)} violation(s)", err=True)
        sys.exit(EXIT_VIOLATIONS)
    for note in report.notes:
        click.echo(note)
    click.echo("roster passes every hard rule and its coverage claims hold")


@main.command(help="Turn a scenario's forecast into agents needed per interval and language.")
@scenario_argument
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def requirements(scenario: Path, out: Path) -> None:
    from scheduler.requirements.export import write_requirements

    loaded = read_scenario_or_exit(scenario)
    written = write_requirements(loaded, out)
    for path in written:
        click.echo(f"wrote {path}")


@main.command(help="Solve a scenario and write roster.csv, coverage.csv, summary.json.")
@scenario_argument
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=int, default=0, help="Solver threads (0: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def solve(
    scenario: Path, out: Path, time_limit: float, seed: int, workers: int, quiet: bool
) -> None:
    from scheduler.pipeline import SolveOptions, solve_to_folder

    loaded = read_scenario_or_exit(scenario)
    options = SolveOptions(time_limit_seconds=time_limit, seed=seed, workers=workers)
    summary = solve_to_folder(loaded, out, options, show_progress=not quiet)
    click.echo(
        f"{summary['status']}: shortfall {summary['shortfall']} agent-intervals "
        f"(proven bound {summary['bound']}), floor gaps {summary['floor_gaps']}, "
        f"{summary['solve_seconds']:.1f} s -> {out}"
    )


@main.command(help="Import and solve the bundled demo scenario, then serve it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--time-limit", type=float, default=30.0, show_default=True)
def demo(host: str, port: int, time_limit: float) -> None:
    from scheduler.demo import run_demo

    run_demo(host=host, port=port, time_limit_seconds=time_limit)


def _services_or_exit():
    """The session factory for DATABASE_URL (services commands share it)."""
    from scheduler.storage.db import make_engine, session_factory

    return session_factory(make_engine())


@main.command(name="import", help="Import a scenario folder into the database as a period.")
@scenario_argument
@click.option("--period", "period_name", help="Name of the period (default: the scenario's).")
@click.option("--period-id", type=int, help="Re-import into this existing period.")
def import_command(scenario: Path, period_name: str | None, period_id: int | None) -> None:
    from scheduler.services import InvalidInput, ServiceError, import_folder_report

    try:
        report = import_folder_report(_services_or_exit(), scenario, None, period_name, period_id)
    except InvalidInput as refused:
        for error in refused.errors:
            click.echo(error["message"], err=True)
        click.echo(str(refused).splitlines()[-1], err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (ServiceError, LookupError) as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    for warning in report.warnings:
        click.echo(f"warning: {warning['message']}", err=True)
    for line in _report_lines(report):
        click.echo(line)
    click.echo(f"imported {scenario} as period {report.period_id}")


def _report_lines(report) -> list[str]:
    """What a re-import changed, the app's records it contradicts and the overlaps."""
    lines = []
    changes = report.changes.items() if report.reimport else ()  # new: everything is added
    for key, value in changes:
        if isinstance(value, dict) and value["count"]:
            lines.append(f"{key.replace('_', ' ')}: {value['count']} ({', '.join(value['names'])})")
        elif isinstance(value, list) and value:
            lines.append(f"{key.replace('_', ' ')}: {', '.join(value)}")
        elif value is True:
            lines.append(key.replace("_", " "))
    lines += [f"conflict: {c['message']}" for c in report.conflicts]
    lines += [f"overlap: {o['message']}" for o in report.overlaps]
    return lines


@main.command(name="solve-period", help="Start a solve job for a stored period.")
@click.argument("period_id", type=int)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds.")
@click.option("--wait", is_flag=True, help="Wait for the job and print its result.")
def solve_period(period_id: int, time_limit: float, wait: bool) -> None:
    import time

    from scheduler.jobs import broker_url
    from scheduler.services import ServiceError, get_job, start_solve

    sessions = _services_or_exit()
    try:
        job_id = start_solve(sessions, period_id, None, time_limit_seconds=time_limit)
    except (ServiceError, LookupError) as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"job {job_id} queued")
    if broker_url() is None:  # the local runner solves in this process: always wait
        wait = True
    job = get_job(sessions, job_id)
    while wait and job["state"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(1.0)
        job = get_job(sessions, job_id)
    if not wait:
        return
    click.echo(f"job {job_id} {job['state']}" + (f": {job['error']}" if job["error"] else ""))
    if job["roster_version_id"]:
        click.echo(f"draft roster version id {job['roster_version_id']}")
    if job["state"] == "failed":
        sys.exit(EXIT_VIOLATIONS)


@main.command(help="Publish a roster version (after the checker passed it).")
@click.argument("version_id", type=int)
def publish(version_id: int) -> None:
    from scheduler.services import InvalidInput, ServiceError
    from scheduler.services import publish as publish_version
    from scheduler.storage import models as m
    from scheduler.storage.db import unit_of_work

    sessions = _services_or_exit()
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        expected = version.version_id if version else 0
    try:
        published = publish_version(sessions, version_id, None, expected)
    except InvalidInput as refused:
        for error in refused.errors:
            click.echo(error["message"], err=True)
        click.echo(str(refused), err=True)
        sys.exit(EXIT_VIOLATIONS)
    except (ServiceError, LookupError) as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    superseded = published["superseded_id"]
    for warning in published["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"published version {version_id}"
        + (f"; version {superseded} superseded" if superseded else "")
    )


@main.command(
    name="history",
    help="Write a roster version's last 14 days as history.csv, for the next period's folder.",
)
@click.argument("version_id", type=int)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
def history_command(version_id: int, out: Path) -> None:
    from scheduler.services import ServiceError
    from scheduler.services.chaining import history_csv
    from scheduler.storage.db import unit_of_work

    try:
        with unit_of_work(_services_or_exit()) as session:
            _name, text = history_csv(session, version_id)
    except (ServiceError, LookupError) as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}: {max(text.count(chr(10)) - 1, 0)} shifts of version {version_id}")


@main.command(
    "export",
    help="Write a roster version's payroll export to a file: all or nothing (a full disk "
    "leaves no half file, and an earlier file there unchanged).",
)
@click.argument("version_id", type=int)
@click.option("--what", type=click.Choice(["hours.xlsx", "hours.csv", "shifts.csv"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(version_id: int, what: str, out: Path) -> None:
    from scheduler.exports.files import export_bytes, write_atomically
    from scheduler.storage import models
    from scheduler.storage.db import unit_of_work
    from scheduler.storage.scenario_store import NotFound, load_period_scenario, load_roster

    try:
        with unit_of_work(_services_or_exit()) as session:
            roster = load_roster(session, version_id)
            period_id = session.get(models.RosterVersion, version_id).period_id
            scenario = load_period_scenario(session, period_id)
    except NotFound as missing:
        click.echo(str(missing), err=True)
        sys.exit(EXIT_BAD_INPUT)
    data = export_bytes(scenario, roster, what)
    try:
        write_atomically(out, data)
    except OSError as problem:
        click.echo(
            f"could not write {out}: {problem.strerror or problem}; nothing was written "
            "(a file already there is unchanged)",
            err=True,
        )
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"wrote {what} of roster version {version_id} to {out} ({len(data)} bytes)")


@main.command(help="Run a Celery solve worker (needs SUNSHIFT_BROKER_URL and DATABASE_URL).")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(loglevel: str) -> None:
    from scheduler.jobs import BROKER_ENV, broker_url

    if broker_url() is None:
        click.echo(f"set {BROKER_ENV} (e.g. redis://127.0.0.1:6379/0) to run a worker", err=True)
        sys.exit(EXIT_BAD_INPUT)
    from scheduler.jobs.celery_app import app

    app.worker_main(
        [
            "worker",
            "--pool=threads",
            "--concurrency=1",
            "--prefetch-multiplier=1",
            f"--loglevel={loglevel}",
        ]
    )


def _add_mail_commands() -> None:
    from scheduler.mail.cli import mail

    main.add_command(mail)


_add_mail_commands()


@main.group(help="The database: DATABASE_URL, else instance/sunshift.db.")
def db() -> None:
    pass


@db.command(help="Create or migrate the database schema to the latest revision.")
def upgrade() -> None:
    from sqlalchemy import make_url

    from scheduler.storage.db import database_url
    from scheduler.storage.migrate import upgrade_database

    url = database_url()
    upgrade_database(url)
    click.echo(f"database {make_url(url).render_as_string(hide_password=True)} is up to date")


@main.command(
    help="Serve the pages, the JSON API (/api/v1) and /healthz (waitress, or "
    "gunicorn with --workers)."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per process.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="Serve with gunicorn in this many processes (Unix only; one process runs Python "
    "on one core at a time, so use about 2 per core given to the server). Without it: "
    "waitress in one process.",
)
@click.option(
    "--connection-limit",
    type=int,
    default=1000,
    show_default=True,
    help="Open client connections at once, per process (waitress's own default, 100, makes "
    "the 101st browser wait for a free one: found by the load test).",
)
@click.option(
    "--planner-workers",
    type=click.IntRange(min=0, max=64),
    default=0,
    show_default=True,
    help="Serve everything but agents' routes (their pages, calendar feeds, /api/v1/me, "
    "sign-in) from a pool of this many gunicorn processes of their own, at a lower "
    "priority (--planner-nice), so planners' edits and roster pages never hold up agents "
    "(Unix only; 0: one pool for all).",
)
@click.option("--planner-threads", type=click.IntRange(min=1, max=64), default=4, show_default=True)
@click.option(
    "--planner-nice",
    type=click.IntRange(min=0, max=19),
    default=5,
    show_default=True,
    help="The planners' pool's nice level (higher: lower priority than agents' requests).",
)
def serve(
    host: str,
    port: int,
    threads: int,
    workers: int | None,
    connection_limit: int,
    planner_workers: int,
    planner_threads: int,
    planner_nice: int,
) -> None:
    from scheduler.storage.db import database_url
    from scheduler.storage.migrate import upgrade_database
    from web.server import PlannersPool, serve_gunicorn, serve_waitress

    url = database_url()
    upgrade_database(url)
    server = f"gunicorn, {workers} processes" if workers else "waitress"
    planners = None
    if planner_workers:
        planners = PlannersPool(planner_workers, planner_threads, planner_nice)
        server += f"; planners: {planner_workers} processes at nice {planner_nice}"
    click.echo(f"Sunshift on http://{host}:{port}/ ({server}; API: /api/v1, docs: /api/v1/docs)")
    if workers:
        serve_gunicorn(url, host, port, workers, threads, connection_limit, planners)
    else:
        serve_waitress(url, host, port, threads, connection_limit, planners)


@main.command(help="Print the limits in force (from SUNSHIFT_* settings; docs/operations.md).")
def limits() -> None:
    from scheduler.limits import describe

    for line in describe():
        click.echo(line)


@main.group(help="Users (sign-ins for the pages, API tokens).")
def users() -> None:
    pass


@users.command("create", help="Add a user and print his API token (shown only once).")
@click.argument("name")
@click.option("--role", type=click.Choice(["planner", "agent", "hr", "admin"]), required=True)
@click.option("--agent", "agent_code", help="The agent's id in agents.csv (role agent).")
@click.option(
    "--email",
    help="The person's e-mail; an agent then only sees agents of his id with this e-mail "
    "in agents.csv (use it when teams' files may share ids).",
)
@click.option("--password", is_flag=True, help="Also prompt for a password.")
def create_user(
    name: str, role: str, agent_code: str | None, email: str | None, password: bool
) -> None:
    from sqlalchemy import select

    from scheduler.storage import models, repository
    from scheduler.storage.db import make_engine, session_factory, unit_of_work

    if role == "agent" and not agent_code:
        raise click.UsageError("a user of role agent needs --agent CODE (his id in agents.csv)")
    secret = (
        click.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    )
    with unit_of_work(session_factory(make_engine())) as session:
        if session.scalar(select(models.User).filter_by(name=name)) is not None:
            click.echo(f"a user named {name!r} exists already", err=True)
            sys.exit(EXIT_BAD_INPUT)
        user = repository.add_user(
            session, name, role, password=secret, agent_code=agent_code, email=email
        )
        token = repository.issue_api_token(user)
    click.echo(f"created {role} {name!r}; API token (shown once, keep it secret):")
    click.echo(token)


@users.command(
    "create-agents",
    help="A sign-in for every agent of a period who has none; writes the passwords to a CSV "
    "file (only readable by you) to hand out. Run again after a re-import adds new hires.",
)
@click.argument("period_name")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV file for user name, agent id, agent name and password.",
)
def create_agent_users(period_name: str, out_path: Path) -> None:
    import csv
    import os

    from scheduler.services.accounts import create_agent_accounts
    from scheduler.storage import repository
    from scheduler.storage.db import make_engine, session_factory, unit_of_work

    sessions = session_factory(make_engine())
    with unit_of_work(sessions) as session:
        period = repository.period_by_name(session, period_name)
        if period is None:
            names = ", ".join(repr(p.name) for p in repository.list_periods(session)) or "none"
            click.echo(f"no planning period named {period_name!r} (periods: {names})", err=True)
            sys.exit(EXIT_BAD_INPUT)
        period_id = period.id

    def write_passwords(created) -> None:
        """The passwords in ``out_path`` (mode 0600 whatever the umask or an older file's
        mode), on disk before the accounts are committed: a file that cannot be written
        leaves no account whose password nobody knows."""
        temporary = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["user_name", "agent_id", "agent_name", "password"])
                for account in created:
                    writer.writerow(
                        [
                            account.user_name,
                            account.agent_code,
                            account.agent_name,
                            account.password,
                        ]
                    )
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, out_path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    try:
        created = create_agent_accounts(sessions, period_id, None, before_commit=write_passwords)
    except OSError as problem:
        click.echo(f"cannot write {out_path} ({problem}); no sign-in was created", err=True)
        sys.exit(1)
    click.echo(f"created {len(created)} agent sign-ins; passwords in {out_path} (keep it safe)")


@users.command("list", help="Every user: role, status, API token, calendar link, sessions.")
def list_users_command() -> None:
    from scheduler.services.accounts import list_users

    rows = list_users(_services_or_exit())
    click.echo(f"{'name':<28} {'role':<8} {'status':<12} {'token':<26} calendar sessions")
    for row in rows:
        status = "active" if row.active else "deactivated"
        click.echo(
            f"{row.name:<28} {row.role:<8} {status:<12} {row.token:<26} "
            f"{'yes' if row.has_calendar_link else 'no':<8} {row.sessions}"
        )


def _account_call(call, *args):
    """Run an accounts service; a refusal is printed and exits 2."""
    from scheduler.services import ServiceError

    try:
        return call(_services_or_exit(), *args)
    except ServiceError as refused:
        click.echo(str(refused), err=True)
        sys.exit(EXIT_BAD_INPUT)


@users.command(
    "deactivate",
    help="Stop a user at once: his sessions end, his API token and calendar link stop working.",
)
@click.argument("name")
def deactivate_user_command(name: str) -> None:
    from scheduler.services.accounts import deactivate_user

    _account_call(deactivate_user, name, None)
    click.echo(f"deactivated {name!r}: sessions ended, API token and calendar link revoked")


@users.command("activate", help="Let a deactivated user sign in again.")
@click.argument("name")
def activate_user_command(name: str) -> None:
    from scheduler.services.accounts import activate_user

    _account_call(activate_user, name, None)
    click.echo(f"activated {name!r} (give him a password or a token)")


@users.command(
    "reset-password",
    help="Set a new password (prompted, or a random one printed once) and sign the user out "
    "everywhere.",
)
@click.argument("name")
@click.option("--prompt", "ask", is_flag=True, help="Type the new password instead.")
def reset_password_command(name: str, ask: bool) -> None:
    from scheduler.services.accounts import reset_password

    chosen = (
        click.prompt("New password", hide_input=True, confirmation_prompt=True) if ask else None
    )
    password = _account_call(reset_password, name, None, chosen)
    click.echo(f"new password for {name!r}; every session of his ended")
    if not ask:
        click.echo(password)


@users.command("sign-out", help="End every signed-in session of a user.")
@click.argument("name")
def sign_out_command(name: str) -> None:
    from scheduler.services.accounts import end_sessions

    ended = _account_call(end_sessions, name, None)
    click.echo(f"ended {ended} session(s) of {name!r}")


@main.group(help="API tokens (one per user; a new one replaces the old).")
def tokens() -> None:
    pass


@tokens.command("create", help="A new API token for a user (printed once; the old one stops).")
@click.argument("name")
@click.option(
    "--expires-in-days", type=float, default=None, help="Stop working after this many days."
)
def create_token_command(name: str, expires_in_days: float | None) -> None:
    from scheduler.services.accounts import create_token

    token, expires_at = _account_call(create_token, name, None, expires_in_days)
    until = f"until {expires_at.isoformat(timespec='minutes')}" if expires_at else "until revoked"
    click.echo(f"API token for {name!r}, valid {until} (shown once, keep it secret):")
    click.echo(token)


@tokens.command("revoke", help="Revoke a user's API token at once.")
@click.argument("name")
def revoke_token_command(name: str) -> None:
    from scheduler.services.accounts import revoke_token

    had = _account_call(revoke_token, name, None)
    click.echo(f"revoked the API token of {name!r}" if had else f"{name!r} had no API token")


if __name__ == "__main__":
    main()


@main.command(
    name="what-if",
    help="Solve, change the agents (hires, new languages), solve again from the first "
    "roster; print shortfall and bound before and after as JSON.",
)
@scenario_argument
@click.option(
    "--add-agents",
    "add_agents",
    multiple=True,
    metavar="SITE:LANGS:HOURS:COUNT",
    help="New agents, e.g. dub:ja;en:40:2 (languages separated by ; or +).",
)
@click.option("--teach", multiple=True, metavar="AGENT_ID:LANG", help="An agent learns a language.")
@click.option(
    "--time-limit", type=float, default=60.0, show_default=True, help="Seconds per solve."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
def what_if_command(
    scenario: Path,
    add_agents: tuple[str, ...],
    teach: tuple[str, ...],
    time_limit: float,
    seed: int,
    out: Path,
) -> None:
    import json

    from scheduler.gaps import write_gaps_csv
    from scheduler.pipeline import SolveOptions, solve_scenario
    from scheduler.roster_io import write_roster_folder
    from scheduler.what_if import AddAgents, Teach, WhatIfError, figures, write_changed_scenario

    try:
        hires = [AddAgents.parse(text) for text in add_agents]
        lessons = [Teach.parse(text) for text in teach]
        before_scenario = read_scenario_or_exit(scenario)
        out.mkdir(parents=True, exist_ok=True)
        added = write_changed_scenario(scenario, out / "scenario", hires, lessons)
    except WhatIfError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    after_scenario = read_scenario_or_exit(out / "scenario")
    options = SolveOptions(time_limit_seconds=time_limit, seed=seed)
    before = solve_scenario(before_scenario, options)
    after = solve_scenario(after_scenario, options, start=before.roster.assignments)
    write_roster_folder(out / "roster", after.roster)
    write_gaps_csv(out / "roster" / "gaps.csv", after.gaps)
    report = {
        "before": figures(before.roster.summary),
        "after": figures(after.roster.summary),
        "added_agents": added,
        "taught": [f"{lesson.agent_id}:{lesson.language}" for lesson in lessons],
        "scenario": str(out / "scenario"),
        "roster": str(out / "roster"),
    }
    click.echo(json.dumps(report, indent=2))


@main.command(
    name="rank",
    help="Solve, then rank the changes that would cut shortfall most (a hire, a new "
    "language, a site working its holidays): capacity for all, screened, the best "
    "confirmed by a solve; prints JSON.",
)
@scenario_argument
@click.option(
    "--time-limit", type=float, default=60.0, show_default=True, help="Seconds for the solve."
)
@click.option(
    "--confirm-seconds",
    type=float,
    default=20.0,
    show_default=True,
    help="Seconds for each confirming solve.",
)
@click.option("--confirm", type=int, default=3, show_default=True, help="Candidates confirmed.")
@click.option("--seed", type=int, default=0, show_default=True)
def rank_command(
    scenario: Path, time_limit: float, confirm_seconds: float, confirm: int, seed: int
) -> None:
    import json

    from scheduler.candidates import rank
    from scheduler.pipeline import SolveOptions, solve_scenario

    loaded = read_scenario_or_exit(scenario)
    solved = solve_scenario(loaded, SolveOptions(time_limit_seconds=time_limit, seed=seed))
    summary = solved.roster.summary
    ranking = rank(
        loaded,
        solved.roster.assignments,
        summary["shortfall"],
        summary.get("bound"),
        confirm_seconds=confirm_seconds,
        confirmed=confirm,
        seed=seed,
    )
    report = {
        "shortfall": ranking.shortfall,
        "bound": ranking.bound,
        "seconds": ranking.seconds,
        "candidates": [item.as_dict() for item in ranking.ranked],
    }
    click.echo(json.dumps(report, indent=2))
