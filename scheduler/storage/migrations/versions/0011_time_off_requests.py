"""Agents' time-off requests: the requests, the dates a pending one holds (one
pending request per user and date, refused by the primary key), and time off
approved from a request (``origin = 'request'``).

Revision ID: 0011_time_off_requests
Revises: 0010_shift_swaps
Create Date: 2026-12-06 07:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_time_off_requests"
down_revision: str | Sequence[str] | None = "0010_shift_swaps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "time_off_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agent_code", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("impact_job_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "end_date >= start_date", name=op.f("ck_time_off_requests_dates_in_order")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'approved', 'declined', 'withdrawn')",
            name=op.f("ck_time_off_requests_state"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_time_off_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["impact_job_id"],
            ["solve_jobs.id"],
            name=op.f("fk_time_off_requests_impact_job_id_solve_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_time_off_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off_requests")),
    )
    op.create_index(
        "ix_time_off_requests_dates", "time_off_requests", ["start_date", "end_date"], unique=False
    )
    op.create_index(
        op.f("ix_time_off_requests_user_id"), "time_off_requests", ["user_id"], unique=False
    )
    op.create_table(
        "time_off_request_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["time_off_requests.id"],
            name=op.f("fk_time_off_request_days_request_id_time_off_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_time_off_request_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_time_off_request_days")),
    )
    op.create_index(
        op.f("ix_time_off_request_days_request_id"),
        "time_off_request_days",
        ["request_id"],
        unique=False,
    )
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_time_off_origin"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_time_off_origin"), "origin IN ('file', 'app', 'request')"
        )


def downgrade() -> None:
    op.execute("UPDATE time_off SET origin = 'app' WHERE origin = 'request'")
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_time_off_origin"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_time_off_origin"), "origin IN ('file', 'app')"
        )
    op.drop_index(op.f("ix_time_off_request_days_request_id"), table_name="time_off_request_days")
    op.drop_table("time_off_request_days")
    op.drop_index(op.f("ix_time_off_requests_user_id"), table_name="time_off_requests")
    op.drop_index("ix_time_off_requests_dates", table_name="time_off_requests")
    op.drop_table("time_off_requests")
