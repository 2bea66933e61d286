"""`sunshift serve --workers 2`: gunicorn with two worker processes migrates the database,
serves the pages, the API and /healthz from both, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on Unix only")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read().decode()


def test_serve_with_two_workers_serves_from_two_processes_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "SUNSHIFT_SECRET_KEY": "serve-workers-test",
    }
    env.pop("SUNSHIFT_BROKER_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert (status, body.strip()) == (200, '{"status":"ok"}')
        workers = children(server.pid)
        assert len(workers) == 2, workers
        for _ in range(10):  # several connections: each worker answers whichever it takes
            assert get(f"http://127.0.0.1:{port}/login")[0] == 200
            assert get(f"http://127.0.0.1:{port}/api/v1/openapi.json")[0] == 200

        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, output
    assert "gunicorn, 2 processes" in output
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers left running"
