"""The machine-facing endpoints answer a browser too: /healthz reports the database
is reachable, and the OpenAPI document describes the API."""

from __future__ import annotations

import pytest

from web.ui.security import SECURITY_HEADERS

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


def test_api_docs_render_from_this_site_under_the_pages_security_headers(demo_server, laptop_page):
    """Swagger UI loads from this site only (no CDN) and works under the same
    Content-Security-Policy as every page: no script or style is refused."""
    refused, elsewhere = [], []
    laptop_page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    laptop_page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith(demo_server.base_url)
            else None
        ),
    )

    response = laptop_page.goto(demo_server.url("/api/v1/docs"))

    assert response.status == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name.lower()] == value, name
    laptop_page.wait_for_selector(".opblock-tag", timeout=20_000)
    tags = laptop_page.locator(".opblock-tag").all_inner_texts()
    assert any("Periods" in tag for tag in tags), tags
    assert laptop_page.locator(".opblock").count() > 10
    assert refused == [] and elsewhere == []
