"""Rosters that chain: time off marked by origin, published days claimed per agent,
the data a roster was computed from (its hash) and the period's current one.

Revision ID: 0004_chain
Revises: 0003_revocable_sessions
Create Date: 2026-11-29 13:53:11

Existing time off came from files (``origin = 'file'``). Published rosters claim
their days here, so the backfill writes a row per active agent and horizon date of
every period with a published version (a day two old periods both claim, which
the publish check refused already, is kept for the first period only).
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0004_chain"
down_revision: str | Sequence[str] | None = "0003_revocable_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_days",
        sa.Column("agent_code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("roster_version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["planning_periods.id"],
            name=op.f("fk_published_days_period_id_planning_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roster_version_id"],
            ["roster_versions.id"],
            name=op.f("fk_published_days_roster_version_id_roster_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_code", "day", name=op.f("pk_published_days")),
    )
    with op.batch_alter_table("published_days", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_published_days_period_id"), ["period_id"], unique=False
        )

    with op.batch_alter_table("planning_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_hash", sa.String(length=64), nullable=True))

    with op.batch_alter_table("roster_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_hash", sa.String(length=64), nullable=True))

    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=8), server_default="file", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_time_off_origin"), "origin IN ('file', 'app')"
        )
    _claim_published_days()


def _claim_published_days() -> None:
    connection = op.get_bind()
    published = connection.execute(
        sa.text(
            "SELECT v.id, p.id, p.horizon_start, p.horizon_days FROM roster_versions v "
            "JOIN planning_periods p ON p.id = v.period_id "
            "WHERE v.state = 'published' ORDER BY p.id"
        )
    ).all()
    taken: set = set()
    for version_id, period_id, start, days in published:
        if isinstance(start, str):  # SQLite hands back the ISO text
            start = date.fromisoformat(start)
        codes = connection.execute(
            sa.text("SELECT code FROM agents WHERE period_id = :p AND active"),
            {"p": period_id},
        ).scalars()
        rows = []
        for code in codes:
            for offset in range(days):
                key = (code, start + timedelta(days=offset))
                if key not in taken:
                    taken.add(key)
                    rows.append({"a": key[0], "d": key[1], "p": period_id, "v": version_id})
        if rows:
            connection.execute(
                sa.text(
                    "INSERT INTO published_days (agent_code, day, period_id, roster_version_id) "
                    "VALUES (:a, :d, :p, :v)"
                ),
                rows,
            )


def downgrade() -> None:
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_time_off_origin"), type_="check")
        batch_op.drop_column("origin")

    with op.batch_alter_table("roster_versions", schema=None) as batch_op:
        batch_op.drop_column("data_hash")

    with op.batch_alter_table("planning_periods", schema=None) as batch_op:
        batch_op.drop_column("data_hash")

    with op.batch_alter_table("published_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_days_period_id"))

    op.drop_table("published_days")
