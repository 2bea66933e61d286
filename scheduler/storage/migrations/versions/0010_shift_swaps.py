"""Shift swaps: the offers (shift_swaps), the shifts an open swap holds (swap_claims,
one open swap per shift by primary key) and each period's auto-approval setting.

Revision ID: 0010_shift_swaps
Revises: 0009_preferences
Create Date: 2026-12-06 06:41:06.121515

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_shift_swaps"
down_revision: str | Sequence[str] | None = "0009_preferences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "swap_settings",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("auto_approve", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["planning_periods.id"],
            name=op.f("fk_swap_settings_period_id_planning_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_swap_settings")),
    )
    op.create_table(
        "shift_swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("offerer_id", sa.Integer(), nullable=False),
        sa.Column("offered_date", sa.Date(), nullable=False),
        sa.Column("offered_shift", sa.String(length=64), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("wanted_date", sa.Date(), nullable=True),
        sa.Column("wanted_shift", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("result_version_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'awaiting_planner', 'approved', 'declined', 'withdrawn', "
            "'refused')",
            name=op.f("ck_shift_swaps_state"),
        ),
        sa.CheckConstraint("offerer_id <> colleague_id", name=op.f("ck_shift_swaps_two_agents")),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["roster_versions.id"],
            name=op.f("fk_shift_swaps_base_version_id_roster_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["colleague_id"],
            ["agents.id"],
            name=op.f("fk_shift_swaps_colleague_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_shift_swaps_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_shift_swaps_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offerer_id"],
            ["agents.id"],
            name=op.f("fk_shift_swaps_offerer_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["planning_periods.id"],
            name=op.f("fk_shift_swaps_period_id_planning_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["result_version_id"],
            ["roster_versions.id"],
            name=op.f("fk_shift_swaps_result_version_id_roster_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_swaps")),
    )
    with op.batch_alter_table("shift_swaps", schema=None) as batch_op:
        batch_op.create_index("ix_shift_swaps_colleague", ["colleague_id"], unique=False)
        batch_op.create_index("ix_shift_swaps_offerer", ["offerer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shift_swaps_period_id"), ["period_id"], unique=False)

    op.create_table(
        "swap_claims",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("swap_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_swap_claims_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["swap_id"],
            ["shift_swaps.id"],
            name=op.f("fk_swap_claims_swap_id_shift_swaps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", "day", name=op.f("pk_swap_claims")),
    )
    with op.batch_alter_table("swap_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_swap_claims_swap_id"), ["swap_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("swap_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swap_claims_swap_id"))

    op.drop_table("swap_claims")
    with op.batch_alter_table("shift_swaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_swaps_period_id"))
        batch_op.drop_index("ix_shift_swaps_offerer")
        batch_op.drop_index("ix_shift_swaps_colleague")

    op.drop_table("shift_swaps")
    op.drop_table("swap_settings")
