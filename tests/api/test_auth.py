"""Every /api/v1 route refuses a missing or unknown token (401) and a role it does not
serve (403), always as JSON. Routes are read from the app's URL map, so a new route
added without ``auth_required`` fails here."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.api.conftest import bearer
from web.api import API_PREFIX, PUBLIC_ENDPOINTS
from web.app import create_service_app

ROLES = ("planner", "admin", "hr", "agent")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def api_routes() -> list[tuple[str, str, str]]:
    """(method, path with ids filled in, endpoint) for every /api/v1 route but the public ones."""
    app = create_service_app("sqlite://", testing=True)
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX) or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = re.sub(r"<(?:int:)?[a-z_]+>", "1", rule.rule)
        for method in sorted(rule.methods - IGNORED_METHODS):
            routes.append((method, path, rule.endpoint))
    return routes


ROUTES = api_routes()
ROUTE_IDS = [f"{method} {path}" for method, path, _ in ROUTES]


def allowed_roles(app: Flask, endpoint: str) -> list[str]:
    spec = getattr(app.view_functions[endpoint], "_spec", {})
    assert spec.get("auth") is not None, f"{endpoint} has no auth_required"
    return spec.get("roles") or []


def test_the_api_has_routes_to_check():
    assert len(ROUTES) >= 18


@pytest.mark.parametrize(("method", "path", "endpoint"), ROUTES, ids=ROUTE_IDS)
def test_missing_token_is_401(client, method, path, endpoint):
    response = client.open(path, method=method)
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert "Bearer" in response.json["message"]


@pytest.mark.parametrize(("method", "path", "endpoint"), ROUTES, ids=ROUTE_IDS)
def test_wrong_token_is_401(client, tokens, method, path, endpoint):
    response = client.open(path, method=method, headers=bearer(tokens["planner"] + "x"))
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


@pytest.mark.parametrize(("method", "path", "endpoint"), ROUTES, ids=ROUTE_IDS)
def test_role_not_served_is_403(app, client, tokens, method, path, endpoint):
    allowed = allowed_roles(app, endpoint)
    refused = [role for role in ROLES if role not in allowed]
    assert refused, f"{endpoint} serves every role: say who must not use it"
    for role in refused:
        response = client.open(path, method=method, headers=bearer(tokens[role]))
        assert response.status_code == 403, role
        assert response.json["error"] == "forbidden"


def test_a_deactivated_user_token_is_refused(app, client, tokens):
    from scheduler.storage import models as m
    from web.api.session import session_factory

    with app.app_context(), session_factory().begin() as session:
        session.query(m.User).filter_by(name="pia planner").update({"active": False})
    response = client.get("/api/v1/periods", headers=bearer(tokens["planner"]))
    assert response.status_code == 401


def test_openapi_document_and_health_need_no_token(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/periods/{period_id}/jobs" in spec.json["paths"]
    assert client.get("/healthz").json == {"status": "ok"}


def test_unknown_route_is_json_404(client, tokens):
    response = client.get("/api/v1/nothing-here", headers=bearer(tokens["planner"]))
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_health_is_503_when_the_database_does_not_answer():
    app = create_service_app("postgresql+psycopg://nobody@127.0.0.1:1/none", testing=True)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["error"] == "unavailable"
