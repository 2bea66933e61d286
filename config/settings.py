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


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


# --- limits on what a scenario may hold (an upload is refused with 422 beyond them) ----------

MAX_UPLOAD_BYTES: int = _env_int("SUNSHIFT_MAX_UPLOAD_BYTES", 16 * 1024 * 1024)
"""Largest uploaded scenario file, in bytes (each file; the request may hold five)."""
MAX_ROWS_PER_FILE: int = _env_int("SUNSHIFT_MAX_ROWS_PER_FILE", 250_000)
"""Most lines an uploaded CSV may have (a quarter of 15-minute forecast for ~9 languages)."""
MAX_HORIZON_DAYS: int = _env_int("SUNSHIFT_MAX_HORIZON_DAYS", 366)
"""Longest planning horizon, in days."""
MAX_HORIZON_INTERVALS: int = _env_int("SUNSHIFT_MAX_HORIZON_INTERVALS", 92 * 96)
"""Most intervals in a horizon: a quarter at 15 minutes, a year at 60 minutes."""
MAX_TOML_DEPTH: int = _env_int("SUNSHIFT_MAX_TOML_DEPTH", 16)
"""Deepest nesting of tables and arrays scenario.toml may use (it needs 4)."""

TRUSTED_PROXIES: int = _env_int("SUNSHIFT_TRUSTED_PROXIES", 0)
"""How many reverse proxies stand in front of ``sunshift serve`` (0: clients connect
directly). With 1, the client's address is the last one the proxy appended to
X-Forwarded-For, and the scheme its X-Forwarded-Proto; never set it higher than the
proxies you run, or clients could choose their own address."""
