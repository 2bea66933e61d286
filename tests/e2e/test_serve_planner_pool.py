"""`sunshift serve --workers 1 --planner-workers 1`: agents' routes answered by the front,
everything else by the planners' pool, a process of its own at a lower priority; a
session made at the front works in the pool (a form POSTed through it changes the
database); SIGTERM stops both pools."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from tests.e2e.test_cli_serve_workers import children, free_port

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="gunicorn, /proc: Linux")

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def descendants(pid: int) -> list[int]:
    found = children(pid)
    for child in list(found):
        found += descendants(child)
    return found


def nice_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_planners_pool_answers_planner_routes_at_lower_priority(tmp_path):
    port = free_port()
    database = f"sqlite:///{tmp_path / 'served.db'}"
    env = os.environ | {"DATABASE_URL": database, "SUNSHIFT_SECRET_KEY": "planner-pool-test"}
    env.pop("SUNSHIFT_BROKER_URL", None)
    command = [sys.executable, "-m", "scheduler", "serve", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(
        [*command, "--planner-workers", "1", "--planner-threads", "2", "--planner-nice", "7"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    host = f"http://127.0.0.1:{port}"
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> tuple[int, str]:
        with browser.open(host + path, timeout=20) as answer:
            return answer.status, answer.read().decode()

    def post(path: str, form: dict) -> int:
        with browser.open(host + path, data=urlencode(form).encode(), timeout=20) as answer:
            return answer.status

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                assert get("/healthz")[0] == 200
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        sessions = session_factory(make_engine(database))
        with unit_of_work(sessions) as session:
            repository.add_user(session, "boss", "admin", password="boss-password-1")
            repository.add_user(session, "ana", "agent", password="ana-pw-1", agent_code="A1")
        processes = descendants(server.pid)
        niced = sorted(nice_of(pid) - nice_of(server.pid) for pid in processes)
        # the front's gunicorn worker; the pool's arbiter and its worker, 7 nicer
        assert niced == [0, 7, 7], niced

        status, page = get("/login")  # the front
        assert status == 200
        token = CSRF.search(page).group(1)
        assert post("/login", {"csrf_token": token, "name": "boss", "password": "boss-password-1"})
        status, page = get("/admin/users")  # the pool, with the front's session
        assert status == 200 and "ana" in page
        with unit_of_work(sessions) as session:
            ana = session.scalar(select(m.User).filter_by(name="ana"))
            assert ana.active
            ana_id = ana.id
        token = CSRF.search(page).group(1)
        assert post(f"/admin/users/{ana_id}/deactivate", {"csrf_token": token}) == 200
        with unit_of_work(sessions) as session:
            assert not session.get(m.User, ana_id).active

        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=90)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, output
    assert "planners: 1 processes at nice 7" in output
    assert not [pid for pid in processes if Path(f"/proc/{pid}").exists()], "processes left"
