"""Errors the application services raise; the API maps each to one HTTP status.

``NotFound`` -> 404, ``Conflict`` -> 409 (with the current version to reload),
``InvalidInput`` -> 422 (every problem at once), ``Forbidden`` -> 403.
"""

from __future__ import annotations

from typing import Any

from scheduler.storage.scenario_store import NotFound as StoreNotFound


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""


class NotFound(StoreNotFound, ServiceError):
    """A period, version, assignment, agent or job id that does not exist (a LookupError)."""


class Conflict(ServiceError):
    """Someone else changed the thing first; ``current`` describes what is there now."""

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.current = current or {}


class InvalidInput(ServiceError):
    """Input refused; ``errors`` lists every problem as {file, line, field, value,
    expected, message} (the shape of ``scheduler.imports.InputError``)."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors


class Forbidden(ServiceError):
    """The user may not do this (role, or a change the state of the data forbids)."""


class TooManyRequests(ServiceError):
    """A limit on solve jobs was reached; ``retry_after`` is how many seconds until it
    may be lifted (the API and the pages answer 429 with ``Retry-After``)."""

    def __init__(self, message: str, retry_after: int, limit: str) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
        self.limit = limit
