"""The load test: ``sunshift serve`` on PostgreSQL with Celery workers on Redis, driven
by Locust (bench/load/locustfile.py) for a bounded time, then everything stopped.

    python bench/load/run.py                       # 5 minutes, figures in /tmp/sunshift-load
    python bench/load/run.py --minutes 1 --out /tmp/quick

What it does, all on loopback:

1. a fresh schema in the PostgreSQL database (``--database``, default the test server
   ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), migrated; dropped at the end;
2. a synthetic period like the demo but with 200 agents, solved for a few seconds and
   published; 200 agent sign-ins (password, API token, calendar link) and 10 planners,
   each with a draft of his own to edit;
3. ``sunshift serve`` (``--workers`` gunicorn processes, default 4, of ``--threads`` 4;
   ``--workers 0``: one waitress process; planners' routes in a pool of their own,
   ``--planner-workers`` 2 at ``--planner-nice`` 5, 0: none) and two ``sunshift worker`` processes
   (``--worker-nice``, default 10) on Redis
   (``--broker``, default db 13 of 127.0.0.1:6379; only its Celery queue key is
   cleared), two solves started through the API that run for the whole test;
4. Locust headless: 200 agents reading their shifts page, their API shifts and their
   calendar feed, 10 planners browsing periods, rosters, grids and agents and editing
   their drafts (remove a shift, add it back), for ``--minutes``;
5. stops Locust, the workers and the server (SIGTERM, then SIGKILL after 20 s), and
   prints the per-route table that docs/operations.md shows.

Every request goes to 127.0.0.1; every loop is bounded by the run time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

AGENTS = 200
PLANNERS = 10
SOLVES = 2
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/sunshift-load"))
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", DEFAULT_DATABASE))
    parser.add_argument("--broker", default=os.environ.get("LOAD_BROKER", DEFAULT_BROKER))
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="web server processes (sunshift serve --workers: gunicorn); 0: one waitress "
        "process, as before",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument(
        "--planner-workers",
        type=int,
        default=2,
        help="the planners' pool (sunshift serve --planner-workers): everything but agents' "
        "routes in processes of their own at --planner-nice; 0: one pool for all, as before",
    )
    parser.add_argument("--planner-nice", type=int, default=5)
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="run the solve workers at this nice level (10, the default: solves yield the "
        "CPU to the web server on a machine both share; 0: as the server)",
    )
    parser.add_argument("--keep-schema", action="store_true")
    parser.add_argument(
        "--users",
        type=int,
        default=AGENTS + PLANNERS,
        help=f"run only this many of the {AGENTS} agents and {PLANNERS} planners (at least one "
        "of each, in the same proportion; the solves need planners too), for a smoke test",
    )
    parser.add_argument("--solves", type=int, default=SOLVES, help="solves (and workers) running")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.database)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(args.database)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    processes: list[subprocess.Popen] = []
    machine: dict = {}
    load_before = [round(value, 2) for value in os.getloadavg()]
    try:
        fixture = prepare(url, args.out)
        planners = max(1, args.solves, round(args.users * PLANNERS / (AGENTS + PLANNERS)))
        fixture["planners"] = fixture["planners"][:planners]
        fixture["agents"] = fixture["agents"][: max(1, args.users - planners)]
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": url,
            "SUNSHIFT_BROKER_URL": args.broker,
            "SUNSHIFT_TODAY": fixture["today"],
            "SUNSHIFT_SECRET_KEY": uuid.uuid4().hex,
            "SUNSHIFT_SOLVE_RATE": "1000 per hour",
        }
        clear_queue(args.broker)
        processes.append(
            start(
                [sys.executable, "-m", "scheduler", "serve", "--port", str(port)]
                + ["--threads", str(args.threads)]
                + (["--workers", str(args.workers)] if args.workers else [])
                + ["--planner-workers", str(args.planner_workers)]
                + ["--planner-nice", str(args.planner_nice)],
                env,
                args.out / "server.log",
            )
        )
        nice = ["nice", "-n", str(args.worker_nice)] if args.worker_nice else []
        for number in range(args.solves):
            processes.append(
                start(
                    [*nice, sys.executable, "-m", "scheduler", "worker", "--loglevel", "WARNING"],
                    env,
                    args.out / f"worker-{number}.log",
                )
            )
        host = f"http://127.0.0.1:{port}"
        wait_until_up(host)
        seconds = round(args.minutes * 60)
        fixture["jobs"] = start_solves(host, fixture, seconds, args.solves)
        (args.out / "fixture.json").write_text(json.dumps(fixture))
        locust = start(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                host,
                "--users",
                str(len(fixture["agents"]) + len(fixture["planners"])),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(args.out / "locust"),
                "--only-summary",
            ],
            env | {"LOAD_FIXTURE": str(args.out / "fixture.json")},
            args.out / "locust.log",
        )
        processes.append(locust)
        loads = LoadSampler().start()
        locust.wait(timeout=seconds + 180)
        loads.stop()
        machine = {
            "load_before": load_before,
            "load_during": loads.summary(),
            "server_cpu_seconds": round(tree_cpu_seconds(processes[0].pid), 1),
            "run_seconds": seconds,
        }
        (args.out / "machine.json").write_text(json.dumps(machine, indent=1))
        jobs = [job_state(host, fixture, job_id) for job_id in fixture["jobs"]]
        (args.out / "jobs.json").write_text(json.dumps(jobs, indent=1, default=str))
    finally:
        for process in reversed(processes):
            stop(process)
        if not args.keep_schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    report(args.out, jobs, machine)
    return 0


def prepare(url: str, out: Path) -> dict:
    """Schema, period, published roster, users and drafts; returns what Locust needs."""
    os.environ.pop("SUNSHIFT_BROKER_URL", None)  # the set-up solve runs in this process
    from scheduler import services
    from scheduler.services.accounts import create_agent_accounts
    from scheduler.storage import models as m
    from scheduler.storage import repository
    from scheduler.storage.db import make_engine, session_factory, unit_of_work
    from scheduler.storage.migrate import upgrade_database
    from scheduler.synthetic import DEMO_SPEC, write_scenario
    from tests.services.helpers import wait_for_job

    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    spec = replace(DEMO_SPEC, name="Load test: 10 sites, 200 agents", agents=AGENTS)
    write_scenario(out / "scenario", spec, seed=7)
    period_id = services.import_folder(sessions, out / "scenario", None, period_name="Load")
    job = wait_for_job(
        sessions, services.start_solve(sessions, period_id, None, time_limit_seconds=20)
    )
    assert job["state"] == "succeeded", job
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, job["roster_version_id"])
        expected = version.version_id
    published = services.publish(sessions, version.id, None, expected)["id"]
    accounts = create_agent_accounts(sessions, period_id, None)
    agents, planners = [], []
    with unit_of_work(sessions) as session:
        for account in accounts:
            user = session.scalar(select(m.User).filter_by(name=account.user_name))
            agents.append(
                {
                    "name": account.user_name,
                    "password": account.password,
                    "token": repository.issue_api_token(user),
                    "feed": repository.issue_ical_token(user),
                }
            )
        for number in range(PLANNERS):
            user = repository.add_user(session, f"planner{number}", "planner", password="load")
            planners.append({"name": user.name, "password": "load"})
        session.flush()
        for planner in planners:
            user = session.scalar(select(m.User).filter_by(name=planner["name"]))
            planner["token"] = repository.issue_api_token(user)
            planner["id"] = user.id
        shifts = session.execute(
            select(m.Assignment.id)
            .where(m.Assignment.roster_version_id == published)
            .order_by(m.Assignment.id)
        ).all()
    for number, planner in enumerate(planners):  # a draft of his own, by pinning a shift
        edit = services.set_locked(sessions, shifts[number * 7][0], True, planner["id"])
        planner["draft"] = edit.version_id
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id)
        today = period.horizon_start - timedelta(days=3)
        codes = sorted(session.scalars(select(m.Agent.code).filter_by(period_id=period_id)))
    assert len(agents) == AGENTS, len(agents)
    return {
        "period_id": period_id,
        "published": published,
        "agents": agents,
        "planners": planners,
        "agent_codes": codes,
        "today": today.isoformat(),
    }


def start_solves(host: str, fixture: dict, seconds: int, solves: int = SOLVES) -> list[int]:
    """Solves (two) that run through the test, from as many planners, one solver thread each."""
    jobs = []
    for planner in fixture["planners"][:solves]:
        body = json.dumps({"time_limit_seconds": seconds, "workers": 1}).encode()
        request = urllib.request.Request(
            f"{host}/api/v1/periods/{fixture['period_id']}/jobs",
            data=body,
            headers={
                "Authorization": f"Bearer {planner['token']}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            jobs.append(json.load(answer)["id"])
    return jobs


def job_state(host: str, fixture: dict, job_id: int) -> dict:
    request = urllib.request.Request(
        f"{host}/api/v1/jobs/{job_id}",
        headers={"Authorization": f"Bearer {fixture['planners'][0]['token']}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            job = json.load(answer)
    except OSError as problem:
        return {"id": job_id, "state": f"unknown: {problem}"}
    return {key: job.get(key) for key in ("id", "state", "worker_id", "progress", "error")}


def clear_queue(broker: str) -> None:
    """Drop stale messages of an earlier run from this Redis database's Celery queue."""
    import redis

    redis.Redis.from_url(broker).delete("celery")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(host: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


class LoadSampler:
    """The machine's 1-minute load average every 5 s while Locust runs: the machine is
    shared, and the figures mean little without it."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> LoadSampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._done.wait(5):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def summary(self) -> dict:
        values = self.samples or [os.getloadavg()[0]]
        return {
            "min": round(min(values), 2),
            "mean": round(sum(values) / len(values), 2),
            "max": round(max(values), 2),
        }


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the process and its live descendants, from /proc (the
    web server's master, its gunicorn workers and the planners' pool with its workers);
    0 where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents, used = {}, {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(used.get(member, 0.0) for member in tree)


def report(out: Path, jobs: list[dict], machine: dict) -> None:
    """Per route: requests, failures, req/s, p50, p95, p99 (ms), from Locust's CSV."""
    rows = list(csv.DictReader((out / "locust_stats.csv").open()))
    lines = [
        "| route | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = row["Name"] if row["Type"] else "**all**"
        if row["Name"] == "Aggregated":
            name = "**all**"
        lines.append(
            f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{float(row['Max Response Time']):.0f} |"
        )
    failures = out / "locust_failures.csv"
    table = "\n".join(lines)
    (out / "report.md").write_text(table + "\n")
    print(table)
    if failures.exists():
        print("\nfailures:\n" + failures.read_text())
    print("\nsolve jobs at the end:", json.dumps(jobs, default=str))
    print("machine:", json.dumps(machine))


if __name__ == "__main__":
    sys.exit(main())
