"""Run the service app: waitress in this process (the default, and the one on Windows),
or gunicorn with several worker processes (``sunshift serve --workers N``, Unix only).

One Python process runs Python code on one core at a time (the GIL), so waitress alone
serves at most one core's worth of requests however many threads it has: the load test
(docs/operations.md) showed the server throughput bound at ~31 requests/s on a 2-core
machine. Gunicorn's workers are separate processes, each with its own threads, its own
database engine and pool (made after the fork), and its own job watch.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import click

from web.app import create_service_app


@dataclass(frozen=True)
class PlannersPool:
    """``sunshift serve --planner-workers``: planners' requests in processes of their own
    at a lower priority (``web.planner_pool``)."""

    workers: int
    threads: int = 4
    nice: int = 5


def serve_waitress(
    url: str,
    host: str,
    port: int,
    threads: int,
    connection_limit: int,
    planners: PlannersPool | None = None,
) -> None:
    """One process, ``threads`` threads (blocks until stopped)."""
    from waitress import serve

    with planners_pool(url, planners) as socket_path:
        serve(
            create_service_app(url, watch_jobs=True, planners_socket=socket_path),
            host=host,
            port=port,
            threads=threads + waiting_threads(planners),
            connection_limit=connection_limit,
        )


def waiting_threads(planners: PlannersPool | None) -> int:
    """More threads for a front process: a request it handed to the planners' pool holds
    one of its threads (without using the CPU) until the answer is back."""
    return planners.workers * planners.threads if planners else 0


@contextlib.contextmanager
def planners_pool(url: str, planners: PlannersPool | None) -> Iterator[str | None]:
    """The planners' pool started in a process of its own (``python -m web.server``),
    listening on a Unix socket in a directory only this user can open; yields the
    socket's path once it listens, and stops the pool at the end."""
    if planners is None:
        yield None
        return
    if sys.platform == "win32":
        raise click.UsageError("--planner-workers needs gunicorn, which runs on Unix only")
    folder = tempfile.mkdtemp(prefix="sunshift-planners-")
    socket_path = os.path.join(folder, "pool.sock")
    pool = subprocess.Popen(
        [sys.executable, "-m", "web.server", "planners", socket_path]
        + [str(planners.workers), str(planners.threads), str(planners.nice)],
        env=os.environ | {"DATABASE_URL": url},
    )
    owner = os.getpid()
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(socket_path):
            if pool.poll() is not None:
                raise click.ClickException("the planners' pool stopped at start (see above)")
            if time.monotonic() > deadline:
                raise click.ClickException("the planners' pool did not start within 60 s")
            time.sleep(0.1)
        yield socket_path
    finally:
        # not in gunicorn's workers, forked inside this block: they leave by SystemExit too
        if os.getpid() == owner:
            _stop(pool)
            shutil.rmtree(folder, ignore_errors=True)


def _stop(pool: subprocess.Popen) -> None:
    if pool.poll() is None:
        pool.send_signal(signal.SIGTERM)
        try:
            pool.wait(30)
        except subprocess.TimeoutExpired:
            pool.kill()
            pool.wait()


def _serve_planners_pool(socket_path: str, workers: int, threads: int, nice: int) -> None:
    """The planners' pool itself (in its own process, started by ``planners_pool``)."""
    _stop_with_parent()
    if nice:
        os.nice(nice)  # its gunicorn workers inherit it
    run_gunicorn(
        create_app=lambda: create_service_app(watch_jobs=True, from_front=True),
        bind=f"unix:{socket_path}",
        workers=workers,
        threads=threads,
        connection_limit=1000,
        name="sunshift-planners",
    )


def _stop_with_parent() -> None:
    """Have Linux send SIGTERM to this process when the front's process ends, however it
    ends (a SIGKILL too): no pool left behind."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended already
        sys.exit(0)


def serve_gunicorn(
    url: str,
    host: str,
    port: int,
    workers: int,
    threads: int,
    connection_limit: int,
    planners: PlannersPool | None = None,
) -> None:
    """``workers`` processes of ``threads`` threads each (blocks until SIGTERM or SIGINT,
    which stop the workers gracefully)."""
    if sys.platform == "win32":
        raise click.UsageError(
            "--workers needs gunicorn, which runs on Unix only: on Windows "
            "serve with waitress (leave --workers out)"
        )
    with planners_pool(url, planners) as socket_path:
        run_gunicorn(
            create_app=lambda: create_service_app(
                url, watch_jobs=True, planners_socket=socket_path
            ),
            bind=f"{host}:{port}",
            workers=workers,
            threads=threads + waiting_threads(planners),
            connection_limit=connection_limit,
            name="sunshift",
        )


def run_gunicorn(
    create_app, bind: str, workers: int, threads: int, connection_limit: int, name: str
) -> None:
    from gunicorn.app.base import BaseApplication

    class Service(BaseApplication):
        """Gunicorn configured from our options, not its command line."""

        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "worker_connections": connection_limit,
                "timeout": 120,  # a long export must not get its worker killed
                # keep idle connections open longer than browsers and calendar clients wait
                # between requests: gunicorn's own 2 s closes them just as a client sends its
                # next request on them (reset connections in the load test)
                "keepalive": 75,
                "graceful_timeout": 20,
                "preload_app": False,  # each worker makes its own engine after the fork
                "accesslog": None,
                "errorlog": "-",
                "proc_name": name,
            }
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 25+: not wanted
                options["control_socket_disable"] = True  # (one shared path per user)
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app()

    Service().run()  # ends with SystemExit: the caller's ``with`` stops the pool


if __name__ == "__main__":  # python -m web.server planners SOCKET WORKERS THREADS NICE
    if len(sys.argv) == 6 and sys.argv[1] == "planners":
        _serve_planners_pool(sys.argv[2], *(int(value) for value in sys.argv[3:]))
    else:
        sys.exit("usage: python -m web.server planners SOCKET WORKERS THREADS NICE")
