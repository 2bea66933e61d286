"""Project settings in one place: where the bundled demo lives, where runtime files
go and the defaults commands fall back on. Values that differ per machine come
from the environment, read when this module is imported."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DEMO_SCENARIO_DIR: Path = Path(str(resources.files("config") / "demo"))
"""The bundled demo scenario folder (package data, so it ships with an install)."""

INSTANCE_ENV = "SUNSHIFT_INSTANCE"
INSTANCE_DIR: Path = Path(os.environ.get(INSTANCE_ENV, "instance")).resolve()
"""Runtime files (solved rosters, later the database): ./instance unless SUNSHIFT_INSTANCE."""

DEMO_ROSTER_DIR: Path = INSTANCE_DIR / "demo-roster"

DEFAULT_TIME_LIMIT_SECONDS = 60.0
DEMO_TIME_LIMIT_SECONDS = 30.0
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
