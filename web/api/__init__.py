"""The JSON API under ``/api/v1``: token auth and roles, one JSON error shape, and an
OpenAPI document generated from the schemas that validate requests.

``register_api(app)`` adds the blueprints to an ``APIFlask`` app made by
``web.app.create_service_app``.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIFlask

from scheduler.storage.scenario_store import NotFound
from web.api.candidates import candidates
from web.api.errors import install_error_handling
from web.api.exports import exports
from web.api.jobs import jobs
from web.api.me import me
from web.api.periods import periods
from web.api.rosters import rosters
from web.api.schemas import MAX_ID
from web.api.swaps import swaps
from web.api.time_off_requests import time_off

API_PREFIX = "/api/v1"
SPEC_PATH = f"{API_PREFIX}/openapi.json"
DOCS_PATH = f"{API_PREFIX}/docs"
PUBLIC_ENDPOINTS = frozenset(
    {"openapi.spec", "api_docs.page", "api_docs.asset", "healthz", "exports.calendar_feed"}
)
"""Endpoints that need no token: the OpenAPI document, its viewer, the health check and
the calendar feed (its URL holds a secret token)."""


def register_api(app: APIFlask) -> None:
    install_error_handling(app)
    for blueprint in (periods, jobs, rosters, me, exports, candidates, swaps, time_off):
        app.register_blueprint(blueprint)
    app.url_value_preprocessor(_refuse_huge_ids)
    app.spec_processor(_bound_path_ids)


def _refuse_huge_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Ids beyond a 64-bit integer exist nowhere: 404, not a database overflow."""
    for name, value in (values or {}).items():
        if isinstance(value, int) and value > MAX_ID:
            raise NotFound(f"no {name.removesuffix('_id')} with id {value}")


def _bound_path_ids(spec: dict[str, Any]) -> dict[str, Any]:
    """Document the id range every integer path parameter accepts."""
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.update(minimum=0, maximum=MAX_ID)
    return spec
