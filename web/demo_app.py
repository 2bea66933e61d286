"""The demo's app: the service (JSON API, ``/healthz`` on the database) plus the
read-only overview pages of the demo scenario and its published roster."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from web.app import create_service_app
from web.state import EXTENSION_KEY, AppState


def create_demo_app(database_url: str, scenario_dir: Path, roster_dir: Path | None) -> Flask:
    app = create_service_app(database_url)
    scenario = load_scenario(scenario_dir)
    app.extensions[EXTENSION_KEY] = AppState(
        scenario=scenario,
        requirements=compute_requirements(scenario),
        roster_dir=roster_dir,
    )
    from web.pages import pages

    app.register_blueprint(pages)
    return app
