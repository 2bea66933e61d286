"""Run the service app: waitress in this process (the default, and the one on Windows),
or gunicorn with several worker processes (``sunshift serve --workers N``, Unix only).

One Python process runs Python code on one core at a time (the GIL), so waitress alone
serves at most one core's worth of requests however many threads it has: the load test
(docs/operations.md) showed the server throughput bound at ~31 requests/s on a 2-core
machine. Gunicorn's workers are separate processes, each with its own threads, its own
database engine and pool (made after the fork), and its own job watch.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from web.app import create_service_app


def serve_waitress(url: str, host: str, port: int, threads: int, connection_limit: int) -> None:
    """One process, ``threads`` threads (blocks until stopped)."""
    from waitress import serve

    serve(
        create_service_app(url, watch_jobs=True),
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit,
    )


def serve_gunicorn(
    url: str, host: str, port: int, workers: int, threads: int, connection_limit: int
) -> None:
    """``workers`` processes of ``threads`` threads each (blocks until SIGTERM or SIGINT,
    which stop the workers gracefully)."""
    if sys.platform == "win32":
        raise click.UsageError(
            "--workers needs gunicorn, which runs on Unix only: on Windows "
            "serve with waitress (leave --workers out)"
        )
    from gunicorn.app.base import BaseApplication

    class Service(BaseApplication):
        """Gunicorn configured from our options, not its command line."""

        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
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
                "proc_name": "sunshift",
            }
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 25+: not wanted
                options["control_socket_disable"] = True  # (one shared path per user)
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_service_app(url, watch_jobs=True)

    Service().run()
