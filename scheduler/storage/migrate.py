"""Bring a database's schema up to date with the Alembic revisions shipped in the
package (``scheduler/storage/migrations``), so it works from an installed copy."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from scheduler.storage.db import database_url, normalise_url

MIGRATIONS_DIR = Path(str(resources.files("scheduler.storage") / "migrations"))


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for ``url`` (default: ``DATABASE_URL`` or the instance SQLite)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    escaped = normalise_url(url or database_url()).replace("%", "%%")  # configparser syntax
    config.set_main_option("sqlalchemy.url", escaped)
    return config


def upgrade_database(url: str | None = None, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` (idempotent: a current schema is left as is)."""
    command.upgrade(alembic_config(url), revision)


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Like ``upgrade_database`` on an open connection (tests, or a schema set per connection)."""
    config = alembic_config(str(connection.engine.url.render_as_string(hide_password=False)))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
