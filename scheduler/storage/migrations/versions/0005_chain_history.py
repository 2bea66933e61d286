"""A roster version names the previous period's published version its history came
from, and its number is its id: one number everywhere (titles, URLs, file names, API).

Revision ID: 0005_chain_history
Revises: 0004_chain
Create Date: 2026-11-29 14:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_chain_history"
down_revision: str | Sequence[str] | None = "0004_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("roster_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("history_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_roster_versions_history_version_id_roster_versions"),
            "roster_versions",
            ["history_version_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # via negative numbers: (period, number) stays unique after every single row update
    op.execute("UPDATE roster_versions SET number = -id")
    op.execute("UPDATE roster_versions SET number = id")


def downgrade() -> None:
    # numbers stay equal to ids (still unique per period)
    with op.batch_alter_table("roster_versions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_roster_versions_history_version_id_roster_versions"), type_="foreignkey"
        )
        batch_op.drop_column("history_version_id")
