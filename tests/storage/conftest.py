"""Storage tests run on a fresh SQLite file and a fresh PostgreSQL schema each."""

from tests.storage.fixtures import (  # noqa: F401
    database_url,
    engine,
    postgres_server_url,
    sessions,
)
