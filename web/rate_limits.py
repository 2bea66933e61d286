"""Per-user rate limits on the expensive routes, the same for the API and the pages.

Uploads (imports), solves (new, re-solve) and HR exports each have one budget per
user (``SUNSHIFT_UPLOAD_RATE``, ``SUNSHIFT_SOLVE_RATE``, ``SUNSHIFT_EXPORT_RATE``;
see ``scheduler.limits``), counted in Flask-Limiter's storage (memory, or Redis
with ``SUNSHIFT_RATELIMIT_STORAGE`` so several server processes share it): a user
switching between his token and his browser spends the same budget. Past it the
route answers 429 with ``Retry-After`` (JSON for the API, a page for the pages),
as do the limits on solve jobs (``TooManyRequests`` from the services) and the
sign-in limit.

The wrappers are put around the registered views by endpoint name, so the routes'
modules stay as they are and this table is the one place that says what is limited.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from apiflask import APIFlask
from flask import current_app, request
from flask_login import current_user
from limits import parse

from scheduler.limits import limits
from scheduler.services.errors import TooManyRequests
from scheduler.storage.repository import user_by_api_token
from web.api.errors import seconds_until_reset
from web.api.session import request_session
from web.ui.security import limiter

LIMITED_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "upload": (
        "periods.import_period",
        "periods.reimport_period",
        "planner.upload",
        "planner.reimport",
    ),
    "solve": (
        "periods.start_solve",
        "periods.resolve",
        "planner.solve",
        "planner.resolve",
        "planner.resolve_version",
    ),
    "export": (
        "exports.hours_csv_export",
        "exports.hours_xlsx_export",
        "exports.shifts_csv_export",
        "rosters.export_csv",
        "hr.download_hours_csv",
        "hr.download_hours_xlsx",
        "hr.download_shifts_csv",
    ),
}
"""Budget name -> the endpoints that spend it."""

log = logging.getLogger(__name__)

RATE_SETTING = {"upload": "upload_rate", "solve": "solve_rate", "export": "export_rate"}


def install_rate_limits(app: APIFlask) -> None:
    for budget, endpoints in LIMITED_ENDPOINTS.items():
        for endpoint in endpoints:
            view = app.view_functions.get(endpoint)
            if view is None:
                raise LookupError(f"rate limit for unknown endpoint {endpoint}")
            app.view_functions[endpoint] = _limited(budget, view)


def _limited(budget: str, view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        spend(budget)
        return view(*args, **kwargs)

    return guarded


def spend(budget: str) -> None:
    """Count one use of ``budget`` by the requesting user; ``TooManyRequests`` past it.
    A request with no valid user is left to the route's own 401 or sign-in page."""
    user_id = _requesting_user_id()
    if user_id is None:
        return
    rate = getattr(limits(), RATE_SETTING[budget])
    item = parse(rate)
    key = f"{_database_key()}:user:{user_id}"
    try:
        if limiter.limiter.hit(item, "sunshift", budget, key):
            return
        reset_at, _remaining = limiter.limiter.get_window_stats(item, "sunshift", budget, key)
    except Exception:  # the counts' storage (Redis) is down: serve rather than refuse
        log.exception("rate limit %s not counted", budget)
        return
    raise TooManyRequests(
        f"too many {budget}s: at most {rate} for each user; try again later",
        seconds_until_reset(reset_at, item.get_expiry()),
        budget,
    )


@cache
def _database_of(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def _database_key() -> str:
    """Users are rows of one database: two services on two databases (or tests) never
    share a budget, several processes on one database do (with Redis storage)."""
    engine = current_app.extensions["sunshift.engine"]
    return _database_of(engine.url.render_as_string(hide_password=True))


def _requesting_user_id() -> int | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = header.removeprefix("Bearer ").strip()
        if not token or len(token) > 200:
            return None
        user = user_by_api_token(request_session(), token)
        return user.id if user is not None else None
    if current_user.is_authenticated:
        return current_user.id
    return None
