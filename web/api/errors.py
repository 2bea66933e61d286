"""Every error of the service app as one JSON shape, whatever raised it.

``{"error": "not_found", "message": "...", "field": "...", "errors": [...]}``:
``error`` is a stable code a client can branch on, ``message`` reads well to a
person, ``field`` names the first offending field when there is one, ``errors``
lists every problem of a validation failure (request fields, or scenario files
with file, line, field, value and what was expected), and a publish conflict
adds ``current`` (the version to reload). Service errors map to one status each.
"""

from __future__ import annotations

import math
import time
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import current_app
from flask_limiter import RateLimitExceeded
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from scheduler.services.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
)
from scheduler.storage.scenario_store import NotFound as StoreNotFound
from web.api.schemas import ErrorSchema

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}

LOCATIONS = {"form_and_files": "form", "files": "form"}
"""Where a bad request field was, as a client sees it (a multipart form)."""

AUTH_MESSAGES = {
    401: "a valid API token is required: send 'Authorization: Bearer <token>'",
    403: "your role may not use this route",
}


def install_error_handling(app: APIFlask) -> None:
    """Make apiflask's own errors (auth, validation, routing) and service errors JSON alike."""
    app.config["HTTP_ERROR_SCHEMA"] = ErrorSchema
    app.config["VALIDATION_ERROR_SCHEMA"] = ErrorSchema
    app.error_processor(error_response)

    @app.errorhandler(NotFound)
    @app.errorhandler(StoreNotFound)
    def _not_found(error: LookupError):
        return _respond(HTTPError(404, str(error)))

    @app.errorhandler(Forbidden)
    def _forbidden(error: Forbidden):
        return _respond(HTTPError(403, str(error)))

    @app.errorhandler(InvalidInput)
    def _invalid(error: InvalidInput):
        items = [_clean_item(item) for item in error.errors]
        return _respond(HTTPError(422, str(error), extra_data={"errors": items}))

    @app.errorhandler(Conflict)
    def _conflict(error: Conflict):
        return _respond(HTTPError(409, str(error), extra_data={"current": error.current}))

    @app.errorhandler(TooManyRequests)
    def _too_many(error: TooManyRequests):
        return _respond(too_many_requests(str(error), error.retry_after, error.limit))

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error: RateLimitExceeded):
        from web.ui.security import limiter  # the pages' module imports this package

        limit = limiter.current_limit
        if limit is None:
            wait = 60
        else:  # the window's own reset time (a float), not RequestLimit.reset_at (+1 s)
            wait = seconds_until_reset(limit.window.reset_time, limit.limit.get_expiry())
        return _respond(
            too_many_requests(f"too many requests: at most {error.description}", wait, "sign_in")
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error: DBAPIError):
        # the connection dropped or the server is away: the request's transaction was
        # rolled back with it (nothing half-saved); the pool pings before reuse
        current_app.logger.warning("database unavailable: %s", str(error).splitlines()[0])
        message = "the database did not answer: nothing was saved; try again in a moment"
        return _respond(HTTPError(503, message, headers={"Retry-After": "5"}))

    @app.errorhandler(StaleDataError)
    def _stale(_error: StaleDataError):
        message = "someone else changed this roster first: reload it and try again"
        return _respond(HTTPError(409, message))


def seconds_until_reset(reset_time: float, window_seconds: int, now: float | None = None) -> int:
    """Whole seconds from ``now`` until ``reset_time``, rounded up (waiting that long is
    always enough) and never more than the limit's window nor less than 1."""
    now = time.time() if now is None else now
    return min(window_seconds, max(1, math.ceil(reset_time - now)))


def too_many_requests(message: str, retry_after: int, limit: str) -> HTTPError:
    """A 429 with ``Retry-After`` (seconds) and, in the JSON body, ``retry_after`` and
    which ``limit`` was reached."""
    wait = max(1, int(retry_after))
    return HTTPError(
        429,
        message,
        headers={"Retry-After": str(wait)},
        extra_data={"retry_after": wait, "limit": limit},
    )


def _respond(error: HTTPError) -> Any:
    """Through the app's error processor, so the pages can answer in HTML instead."""
    return current_app.error_callback(error)  # type: ignore[attr-defined]


def error_response(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
    """The JSON body for ``error``; validation details become the ``errors`` list."""
    status = error.status_code
    body: dict[str, Any] = {
        "error": ERROR_CODES.get(status, f"http_{status}"),
        "message": _message(error),
    }
    extra = dict(error.extra_data or {})
    items = extra.pop("errors", None)
    if items is None and status in (400, 422) and isinstance(error.detail, dict):
        items = list(_flatten(error.detail))
    if items:
        body["errors"] = items
        first_field = next((i["field"] for i in items if i.get("field")), None)
        if first_field:
            body["field"] = first_field
    if "current" in extra:
        body["current"] = extra.pop("current")
    for key in ("retry_after", "limit"):
        if key in extra:
            body[key] = extra.pop(key)
    return body, status, error.headers


def _message(error: HTTPError) -> str:
    if error.status_code in AUTH_MESSAGES and error.message in (
        "Unauthorized",
        "Forbidden",
    ):
        return AUTH_MESSAGES[error.status_code]
    if error.status_code == 422 and error.message == "Validation error":
        return "the request is invalid: see errors"
    return str(error.message)


def _flatten(detail: dict[str, Any], location: str | None = None, prefix: str = ""):
    """apiflask's ``{"json": {"field": ["msg"]}}`` as a flat list, one item per message."""
    for key, value in detail.items():
        if location is None:
            where = LOCATIONS.get(str(key), str(key))
            yield from _flatten(value, where, "") if isinstance(value, dict) else ()
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from _flatten(value, location, path)
        elif isinstance(value, list):
            for message in value:
                if isinstance(message, dict):
                    yield from _flatten(message, location, path)
                else:
                    yield {"location": location, "field": path, "message": str(message)}
        else:
            yield {"location": location, "field": path, "message": str(value)}


def _clean_item(item: dict[str, Any]) -> dict[str, Any]:
    """A service error item with JSON-safe values (lines as ints, values as text)."""
    cleaned: dict[str, Any] = {}
    for key in (
        "file",
        "line",
        "field",
        "value",
        "expected",
        "message",
        "rule",
        "agent_id",
        "date",
        "detail",
    ):
        value = item.get(key)
        if value is None:
            continue
        cleaned[key] = value if key == "line" and isinstance(value, int) else str(value)
    cleaned.setdefault("message", str(item))
    return cleaned
