"""``sunshift demo``: solve the bundled scenario once, then serve it read-only.

Served with waitress (a production WSGI server), not Flask's development server,
so the demo behaves like a deployment would.
"""

from __future__ import annotations

import sys
from pathlib import Path

from config.settings import DEMO_ROSTER_DIR, DEMO_SCENARIO_DIR
from scheduler.domain import Scenario
from scheduler.imports import load_scenario
from scheduler.pipeline import SolveOptions, solve_to_folder


def solve_demo(scenario: Scenario, out_dir: Path, time_limit_seconds: float) -> Path:
    """Solve, check and write the demo roster into ``out_dir``."""
    print(f"solving {scenario.name!r} for up to {time_limit_seconds:g} s ...", flush=True)
    options = SolveOptions(time_limit_seconds=time_limit_seconds, seed=0, workers=0)
    summary = solve_to_folder(scenario, out_dir, options, show_progress=True)
    print(
        f"{summary['status']}: shortfall {summary['shortfall']} agent-intervals "
        f"(proven bound {summary['bound']}), floor gaps {summary['floor_gaps']} -> {out_dir}"
    )
    return out_dir


def run_demo(host: str, port: int, time_limit_seconds: float) -> None:
    """Load and solve the demo scenario, print the URL and serve until interrupted."""
    import waitress

    from web import create_app

    scenario = load_scenario(DEMO_SCENARIO_DIR)
    roster_dir = solve_demo(scenario, DEMO_ROSTER_DIR, time_limit_seconds)
    app = create_app(DEMO_SCENARIO_DIR, roster_dir)
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    print(f"Sunshift demo: http://{shown_host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        waitress.serve(app, host=host, port=port)
    except KeyboardInterrupt:
        sys.exit(0)
