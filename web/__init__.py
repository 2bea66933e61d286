"""The Sunshift web app (read-only for now): ``create_app(scenario_dir, roster_dir)``.

Flaskr-style factory: the scenario is loaded and its requirements computed once
when the app is made; the roster folder is read per request, so a roster solved
after start-up shows without a restart.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from web.state import EXTENSION_KEY, AppState


def create_app(scenario_dir: Path, roster_dir: Path | None = None) -> Flask:
    """A Flask app serving one scenario folder and, when given, one roster folder."""
    app = Flask(__name__)
    scenario = load_scenario(Path(scenario_dir))
    app.extensions[EXTENSION_KEY] = AppState(
        scenario=scenario,
        requirements=compute_requirements(scenario),
        roster_dir=Path(roster_dir) if roster_dir is not None else None,
    )
    from web.pages import pages

    app.register_blueprint(pages)

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
