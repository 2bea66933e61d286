"""Flaskr-style fixtures: a fresh app and test client per test, on the spec example."""

from __future__ import annotations

import pytest

from web import create_app


@pytest.fixture
def app(spec_example_dir, spec_example_roster_dir):
    return create_app(spec_example_dir, spec_example_roster_dir)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def scenario_only_client(spec_example_dir):
    return create_app(spec_example_dir).test_client()
