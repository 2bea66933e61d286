"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect

from scheduler.storage.db import make_engine
from scheduler.storage.migrate import upgrade_database
from scheduler.storage.models import Base


def schema_differences(engine, metadata=Base.metadata) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_upgrade_head_yields_exactly_the_models_schema(engine):
    assert schema_differences(engine) == []


def test_the_comparison_notices_a_model_the_migrations_lack(engine):
    """Guards the test above: a column added to the models without a revision shows up."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["agents"].append_column(Column("seniority", Integer))
    differences = schema_differences(engine, metadata)
    assert [d[0] for d in differences] == ["add_column"]
    assert differences[0][3].name == "seniority"


def test_upgrading_a_current_database_changes_nothing(database_url, engine):
    upgrade_database(database_url)
    assert schema_differences(engine) == []


def test_sunshift_db_upgrade_creates_the_schema_at_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "db", "upgrade"],
        env={"DATABASE_URL": url, "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "is up to date" in done.stdout
    engine = make_engine(url)
    try:
        assert {"planning_periods", "roster_versions", "alembic_version"} <= set(
            inspect(engine).get_table_names()
        )
        assert schema_differences(engine) == []
    finally:
        engine.dispose()
