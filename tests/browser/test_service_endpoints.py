"""The machine-facing endpoints answer a browser too: /healthz reports the database
is reachable, and the OpenAPI document describes the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_healthz_answers_json(demo_server, laptop_page):
    response = laptop_page.goto(demo_server.url("/healthz"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_openapi_document_loads(demo_server, laptop_page):
    response = laptop_page.goto(demo_server.url("/api/v1/openapi.json"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Sunshift API"
    assert "/healthz" in document["paths"]
    assert any(path.startswith("/api/v1/periods") for path in document["paths"])
