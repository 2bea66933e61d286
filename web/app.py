"""The Sunshift service: ``create_service_app()`` serves the pages, the JSON API and ``/healthz``.

Flaskr-style factory: the app holds one engine and session factory; each request
opens a session on first use and closes it at teardown. The schema is created or
migrated only when asked (``SUNSHIFT_UPGRADE_DATABASE`` or ``sunshift serve``
calling ``upgrade_database`` first), never silently on import.
"""

from __future__ import annotations

import logging
import threading

from apiflask import APIFlask, abort
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from config import settings
from scheduler.jobs.watch import JobWatch
from scheduler.mail.loop import MailLoop
from scheduler.mail.settings import smtp_settings
from scheduler.services import edit_basis
from scheduler.storage.db import database_url, make_engine, session_factory
from web.api import SPEC_PATH, register_api
from web.api.docs import api_docs
from web.api.schemas import HealthSchema
from web.api.session import init_sessions, request_session
from web.planner_pool import Forward, FromFront
from web.rate_limits import install_rate_limits
from web.ui import init_ui

API_TITLE = "Sunshift API"
API_VERSION = "1.0.0"


def warm_edits_later(sessions) -> threading.Thread:
    """Make the recent periods' edit basis on a thread (``edit_basis.warm``)."""

    def run() -> None:
        try:
            edit_basis.warm(sessions)
        except Exception:  # a server that cannot warm up still serves
            logging.getLogger(__name__).exception("warming the edit basis failed")

    thread = threading.Thread(target=run, name="sunshift-warm-edits", daemon=True)
    thread.start()
    return thread


def create_service_app(
    database_url_: str | None = None,
    testing: bool = False,
    watch_jobs: bool = False,
    trusted_proxies: int | None = None,
    planners_socket: str | None = None,
    from_front: bool = False,
) -> APIFlask:
    """The service app on ``database_url_`` (default: ``DATABASE_URL`` or the instance SQLite),
    behind ``trusted_proxies`` reverse proxies (default: ``SUNSHIFT_TRUSTED_PROXIES``).

    With ``watch_jobs`` (``sunshift serve``, ``sunshift demo``) a thread fails solve
    jobs whose worker died and hands queued jobs nobody holds to the runner again,
    at once and every ``SUNSHIFT_JOB_WATCH_SECONDS`` (``scheduler.jobs.watch``), and,
    when ``SUNSHIFT_SMTP_URL`` is set, another sends the outbox (``scheduler.mail.loop``).

    With ``planners_socket`` it answers only agents' routes and hands the rest to the
    planners' pool listening there; ``from_front`` is that pool's app, which takes the
    client's address and scheme from the front (``web.planner_pool``).
    """
    app = APIFlask(
        __name__,
        title=API_TITLE,
        version=API_VERSION,
        spec_path=SPEC_PATH,
        docs_path=None,  # our own page (web.api.docs): no CDN, the pages' CSP
        docs_oauth2_redirect_path=None,
    )
    app.config.update(
        TESTING=testing,
        SYNC_LOCAL_SPEC=False,
        SECURITY_SCHEMES=None,
        DESCRIPTION=(
            "Follow-the-sun shift scheduling. Authenticate with `Authorization: Bearer "
            "<token>` (tokens from `sunshift users create`). Errors are always JSON: "
            "`{error, message, field?, errors?}`."
        ),
    )
    engine = make_engine(database_url_ or database_url())
    app.extensions["sunshift.engine"] = engine
    sessions = session_factory(engine)
    init_sessions(app, sessions)
    if watch_jobs:
        smtp = smtp_settings()  # a bad SUNSHIFT_SMTP_URL stops the server here, with why
        app.extensions["sunshift.job_watch"] = JobWatch(sessions).start()
        if not planners_socket:  # a process that serves edits: ready for the first one
            warm_edits_later(sessions)
        if smtp is not None:
            app.extensions["sunshift.mail_loop"] = MailLoop(sessions, smtp, name="web").start()
    register_api(app)
    app.register_blueprint(api_docs)
    init_ui(app, testing=testing)
    install_rate_limits(app)

    @app.get("/healthz")
    @app.output(HealthSchema)
    @app.doc(responses={503: "database unreachable"}, tags=["Health"])
    def healthz():
        """Health check: the database answers SELECT 1"""
        try:
            request_session().execute(text("SELECT 1"))
        except Exception as problem:  # any driver error means "not healthy"
            app.logger.warning("health check failed: %s", problem)
            abort(503, "the database does not answer")
        return {"status": "ok"}

    if planners_socket:  # after the proxy settings below: the client the front saw
        app.wsgi_app = Forward(app.wsgi_app, planners_socket)  # type: ignore[method-assign]
    if from_front:  # the front has applied the proxy settings already
        app.wsgi_app = FromFront(app.wsgi_app)  # type: ignore[method-assign]
        return app
    proxies = settings.TRUSTED_PROXIES if trusted_proxies is None else trusted_proxies
    if proxies:  # the client's own address for the sign-in limit, https for links
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app
