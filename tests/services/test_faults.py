"""The service under faults, on real components (issue 13, "proven under faults"):
a PostgreSQL connection killed mid-request, Redis down, a worker SIGKILLed mid-solve,
the server stopped with jobs queued, and the disk full while writing an export. In
every case the published roster stays as it was and nothing is half written.

Only this test's own processes are started and stopped: a second redis-server on a
free loopback port (never the shared one at 6379), workers and servers of its own,
and the PostgreSQL backends of its own connections (by application name).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from scheduler.jobs.watch import JobWatch, recover_jobs
from scheduler.services import get_job, publish, start_solve
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.services.helpers import version_counter, wait_for_job
from web.app import create_service_app

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
pytestmark = pytest.mark.slow


# --- helpers ---------------------------------------------------------------------------------


def published_fingerprint(sessions) -> tuple:
    """The published versions and a digest of each one's shifts."""
    with unit_of_work(sessions) as session:
        found = []
        for version in session.scalars(select(m.RosterVersion).filter_by(state="published")):
            rows = session.execute(
                select(m.Assignment.agent_id, m.Assignment.local_date, m.Assignment.shift_code)
                .filter_by(roster_version_id=version.id)
                .order_by(m.Assignment.agent_id, m.Assignment.local_date)
            ).all()
            found.append((version.id, len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()))
        return tuple(found)


def version_count(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(m.RosterVersion))


@pytest.fixture
def published(sessions, planner_id, baseline_draft_id) -> tuple:
    """The baseline roster published; returns its fingerprint."""
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    return published_fingerprint(sessions)


def planner_token(sessions, planner_id) -> dict[str, str]:
    with unit_of_work(sessions) as session:
        token = repository.issue_api_token(session.get(m.User, planner_id))
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT
    )


def stop(process: subprocess.Popen, how: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(check, seconds: float = 60, every: float = 0.3):
    """``check()``'s first true value within ``seconds`` (the bound only stops a hang)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


@contextmanager
def redis_server(port: int, folder: Path) -> Iterator[subprocess.Popen]:
    """A redis-server of this test's own on 127.0.0.1:port, no persistence."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    process = spawn(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        os.environ.copy(),
        folder / f"redis-{port}-{time.monotonic_ns()}.log",
    )
    try:
        assert wait_for(lambda: _answers(port), 15), "redis-server did not start"
        yield process
    finally:
        stop(process)


def _answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except Exception:  # not up yet
        return False


def worker_process(broker: str, database_url: str, log: Path) -> subprocess.Popen:
    env = os.environ | {"SUNSHIFT_BROKER_URL": broker, "DATABASE_URL": database_url}
    return spawn([sys.executable, "-m", "scheduler", "worker", "--loglevel", "INFO"], env, log)


# --- PostgreSQL: a connection killed mid-request ------------------------------------------


@POSTGRES_ONLY
def test_a_request_whose_connection_is_killed_fails_cleanly_and_the_next_succeeds(
    database_url, postgres_server_url, sessions, planner_id, published
):
    name = f"sunshift-fault-{uuid.uuid4().hex[:8]}"
    url = make_url(database_url).update_query_dict({"application_name": name})
    app = create_service_app(url.render_as_string(hide_password=False), testing=True)
    engine = app.extensions["sunshift.engine"]
    admin = create_engine(postgres_server_url)
    armed = {"on": False}

    @event.listens_for(engine, "before_cursor_execute")
    def _terminate_own_backend(connection, _cursor, statement, *_args) -> None:
        if armed["on"] and statement.lstrip().upper().startswith("INSERT INTO ASSIGNMENTS"):
            armed["on"] = False  # half of the draft copy is being written: pull the plug
            pid = connection.connection.dbapi_connection.info.backend_pid
            with admin.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    client = app.test_client()
    headers = planner_token(sessions, planner_id)
    with unit_of_work(sessions) as session:
        shift_id = session.scalar(
            select(m.Assignment.id).filter_by(roster_version_id=published[0][0]).limit(1)
        )
    try:
        armed["on"] = True
        failed = client.patch(
            f"/api/v1/assignments/{shift_id}", json={"locked": True}, headers=headers
        )

        assert failed.status_code == 503, failed.json
        assert failed.json["error"] == "unavailable"
        assert failed.headers["Retry-After"] == "5"
        assert published_fingerprint(sessions) == published
        assert version_count(sessions) == 1  # no half-made draft copy

        retried = client.patch(
            f"/api/v1/assignments/{shift_id}", json={"locked": True}, headers=headers
        )
        assert retried.status_code == 200, retried.json
        assert retried.json["copied_from_id"] == published[0][0]

        with admin.begin() as other:  # every idle connection of the app dies at once
            ended = other.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            )
        assert ended >= 1
        assert client.get("/api/v1/periods", headers=headers).status_code == 200  # pre-ping
        assert published_fingerprint(sessions) == published
    finally:
        engine.dispose()
        admin.dispose()


# --- Redis down: solves wait and resume, pages serve ------------------------------------


@POSTGRES_ONLY
def test_with_redis_down_solves_wait_pages_serve_and_the_job_runs_once_it_is_back(
    database_url, sessions, period_id, planner_id, published, tmp_path, monkeypatch
):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setenv("SUNSHIFT_BROKER_URL", broker)
    worker = worker_process(broker, database_url, tmp_path / "worker.log")
    app = create_service_app(database_url, testing=True)
    client = app.test_client()
    headers = planner_token(sessions, planner_id)
    try:
        with redis_server(port, tmp_path):
            pass  # it was up when the worker started; now it is down
        job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=2)

        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json
        assert job["state"] == "queued"
        assert job["note"].startswith("waiting for the job queue, which did not answer")
        assert "the job queue did not answer" in get_job(sessions, job_id)["log"]
        assert client.get(f"/api/v1/periods/{period_id}", headers=headers).status_code == 200
        assert client.get("/login").status_code == 200
        assert recover_jobs(sessions).unreachable == [job_id]  # still down: still waiting

        with redis_server(port, tmp_path):
            assert wait_for(lambda: recover_jobs(sessions).handed, 30) == [job_id]
            job = wait_for_job(sessions, job_id)
        assert job["state"] == "succeeded", job["error"]
        assert job["worker_id"].startswith("celery@")
        assert published_fingerprint(sessions) == published
    finally:
        stop(worker, signal.SIGKILL)
        app.extensions["sunshift.engine"].dispose()


# --- a worker SIGKILLed mid-solve ------------------------------------------------------


@POSTGRES_ONLY
def test_a_worker_killed_mid_solve_leaves_a_failed_job_with_its_reason(
    database_url, sessions, period_id, planner_id, published, tmp_path, monkeypatch
):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setenv("SUNSHIFT_BROKER_URL", broker)
    monkeypatch.setenv("SUNSHIFT_HEARTBEAT_TIMEOUT_SECONDS", "3")
    with redis_server(port, tmp_path):
        worker = worker_process(broker, database_url, tmp_path / "worker.log")
        watch = JobWatch(sessions, every_seconds=0.5).start()  # as `sunshift serve` runs it
        try:
            job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=60)
            running = wait_for_job(sessions, job_id, states=("running", "succeeded", "failed"))
            assert running["state"] == "running", running
            versions = version_count(sessions)

            worker.send_signal(signal.SIGKILL)
            worker.wait()

            def failed() -> dict | None:
                with unit_of_work(sessions) as session:  # not get_job: it reaps by itself
                    job = session.get(m.SolveJob, job_id)
                    return (
                        {"state": job.state, "error": job.error} if job.state != "running" else None
                    )

            job = wait_for(failed, 30)
        finally:
            watch.stop()
            stop(worker, signal.SIGKILL)
    assert job["state"] == "failed"
    assert job["error"].startswith("worker lost: no heartbeat since")
    assert version_count(sessions) == versions  # no draft, half or whole
    assert published_fingerprint(sessions) == published


# --- the server stopped with jobs queued, and started again -----------------------------


@POSTGRES_ONLY
def test_jobs_queued_when_the_server_stops_run_when_it_starts_again(
    database_url, sessions, period_id, planner_id, published, tmp_path
):
    import json
    import urllib.request

    headers = planner_token(sessions, planner_id)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "SUNSHIFT_BROKER_URL"} | {
        "DATABASE_URL": database_url,
        "SUNSHIFT_HEARTBEAT_TIMEOUT_SECONDS": "3",
        "SUNSHIFT_JOB_WATCH_SECONDS": "1",
    }
    command = [sys.executable, "-m", "scheduler", "serve", "--port", str(port)]
    base = f"http://127.0.0.1:{port}/api/v1"

    def call(path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            base + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers=headers | {"Content-Type": "application/json"},
            method="POST" if body is not None else "GET",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def up() -> bool:
        try:
            return call("/periods") is not None
        except OSError:
            return False

    first = spawn(command, env, tmp_path / "server-1.log")
    try:
        assert wait_for(up, 60), (tmp_path / "server-1.log").read_text()
        long_job = call(f"/periods/{period_id}/jobs", {"time_limit_seconds": 60})["id"]
        queued_job = call(f"/periods/{period_id}/jobs", {"time_limit_seconds": 2})["id"]
        assert wait_for(lambda: call(f"/jobs/{long_job}")["state"] == "running", 60)
        assert call(f"/jobs/{queued_job}")["state"] == "queued"
    finally:
        stop(first)  # SIGTERM: the solve thread dies with the process
    assert published_fingerprint(sessions) == published

    second = spawn(command, env, tmp_path / "server-2.log")
    try:
        assert wait_for(up, 60), (tmp_path / "server-2.log").read_text()
        done = wait_for(
            lambda: all(
                call(f"/jobs/{job}")["state"] in ("succeeded", "failed")
                for job in (long_job, queued_job)
            ),
            120,
        )
        lost, ran = call(f"/jobs/{long_job}"), call(f"/jobs/{queued_job}")
    finally:
        stop(second)
    assert done, (lost, ran)
    assert lost["state"] == "failed"
    assert lost["error"].startswith("worker lost: no heartbeat since")
    assert ran["state"] == "succeeded", ran["error"]
    assert published_fingerprint(sessions) == published
    assert version_count(sessions) == 2  # the published one and the queued job's draft


# --- the disk full while writing an export ----------------------------------------------


@contextmanager
def nearly_full_folder(tmp_path: Path, free_bytes: int) -> Iterator[tuple[Path, dict]]:
    """A folder on a tiny tmpfs with only ``free_bytes`` left (real ENOSPC), or, where
    mounting is not allowed, a plain folder and a file-size limit for the writer
    (RLIMIT_FSIZE: the kernel refuses the write with EFBIG)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        if mounted:
            filler = folder / "filler"
            stat = os.statvfs(folder)
            filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free_bytes))
            yield folder, {}
        else:
            yield folder, {"limit": free_bytes}
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def _limited(limit: int | None):
    def apply() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@POSTGRES_ONLY  # the database is elsewhere: only the export touches this disk
def test_a_full_disk_while_writing_an_export_leaves_the_earlier_file_whole(
    database_url, sessions, published, tmp_path
):
    version_id = published[0][0]
    command = [sys.executable, "-m", "scheduler", "export", str(version_id)]
    env = os.environ | {"DATABASE_URL": database_url}
    with nearly_full_folder(tmp_path, free_bytes=8 * 1024) as (folder, how):
        target = folder / "hours.xlsx"
        target.write_bytes(b"last month's export")
        before = sorted(path.name for path in folder.iterdir())

        written = subprocess.run(
            [*command, "--what", "hours.xlsx", "--out", str(target)],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=_limited(how.get("limit")),
            check=False,
        )

        assert written.returncode == 1, written.stdout + written.stderr
        assert "nothing was written" in written.stderr
        assert ("No space left on device" if not how else "File too large") in written.stderr
        assert target.read_bytes() == b"last month's export"
        assert sorted(path.name for path in folder.iterdir()) == before  # no temporary file
        filler = folder / "filler"
        if filler.exists():
            filler.unlink()  # space again
        retried = subprocess.run(
            [*command, "--what", "hours.xlsx", "--out", str(target)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert retried.returncode == 0, retried.stderr
        from openpyxl import load_workbook

        assert load_workbook(target).sheetnames
    assert published_fingerprint(sessions) == published
