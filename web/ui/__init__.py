"""The pages for planners, agents and HR, on the same app as the JSON API.

``init_ui(app)`` adds sessions and CSRF (``web.ui.security``), the blueprints of
each role, HTML error pages for every path outside the API, and the security
headers. Views stay thin: figures come from ``web.summary``, ``web.ui.heatmap``,
``web.ui.roster_grid`` and ``web.ui.my_days`` (no Flask there) and every change
goes through ``scheduler.services``.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIFlask, HTTPError
from flask import current_app, render_template, request, send_from_directory
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from web.ui.security import SECURITY_HEADERS, configure_sessions, csrf

API_PATHS = ("/api/", "/ical/", "/healthz")
"""Paths that answer errors as JSON (or plain text), never as a page."""

ERROR_TITLES = {
    400: "This request could not be understood",
    403: "You don't have access to this page",
    404: "This page does not exist",
    405: "This action is not allowed here",
    409: "Someone changed this first",
    413: "The upload is too large",
    422: "The request has errors",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "The service is busy or restarting",
}


def init_ui(app: APIFlask, testing: bool = False) -> None:
    from web.ui import (
        fairness_views,  # noqa: F401 - adds its routes to hr
        my_time_off,  # noqa: F401 - adds the agent's time-off routes
    )
    from web.ui.admin_views import admin
    from web.ui.agent_views import agent
    from web.ui.auth_views import auth
    from web.ui.candidate_views import candidate_pages
    from web.ui.hr_views import hr
    from web.ui.outbox_views import outbox
    from web.ui.planner import planner
    from web.ui.preference_views import preferences
    from web.ui.swap_pages import swap_pages

    configure_sessions(app, testing)
    for blueprint_name in (
        "periods",
        "jobs",
        "rosters",
        "me",
        "exports",
        "candidates",
        "swaps",
        "time_off_requests",
    ):
        csrf.exempt(app.blueprints[blueprint_name])  # Bearer tokens: no cookie to forge
    for blueprint in (
        auth,
        planner,
        agent,
        hr,
        admin,
        preferences,
        candidate_pages,
        swap_pages,
        outbox,
    ):
        app.register_blueprint(blueprint)
    _answer_page_errors_in_html(app)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.after_request(_add_security_headers)
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.globals["version_status"] = version_status


def _favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: the same sun as the pages'."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )


def is_page_request() -> bool:
    return not request.path.startswith(API_PATHS)


def _answer_page_errors_in_html(app: APIFlask) -> None:
    json_errors = app.error_callback

    @app.error_processor
    def _error(error: HTTPError) -> Any:
        if not is_page_request():
            return json_errors(error)
        message = str(error.message or "")
        if error.status_code == 429 and request.endpoint == "auth.login":
            message = (
                "Too many failed sign-ins for this user name from your address: "
                "wait a minute and try again."
            )
        elif error.status_code == 429:
            wait = (error.extra_data or {}).get("retry_after")
            message = f"{message[:1].upper()}{message[1:]}." + (
                f" Try again in {_duration(wait)}." if wait else ""
            )
        page, status = _error_page(error.status_code, message)
        return page, status, error.headers or {}

    @app.errorhandler(CSRFError)
    def _csrf_failed(_error: CSRFError) -> Any:
        if not is_page_request():
            return json_errors(HTTPError(400, "the CSRF token is missing or invalid"))
        return _error_page(
            400, "The form expired or came from elsewhere: reload the page and try again."
        )


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    return f"{seconds / 3600:.1f} hours"


def _error_page(status: int, message: str) -> tuple[str, int]:
    title = ERROR_TITLES.get(status, "Something went wrong")
    return render_template("error.html", status=status, title=title, message=message), status


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_page_request() and current_user.is_authenticated:
        # a signed-in page may hold someone's shifts or a calendar link: never cache it
        response.headers["Cache-Control"] = "no-store"
    return response


def status_label(status: str) -> str:
    """A roster status as a planner reads it."""
    return {
        "optimal": "optimal",
        "feasible": "best found",
        "infeasible": "no roster",
    }.get(status, status)


def version_status(version: Any) -> dict[str, Any]:
    """A roster version's status for the page showing it (stale data, moved history)."""
    from scheduler.services.chaining import roster_status
    from web.api.session import request_session

    return roster_status(request_session(), version)
