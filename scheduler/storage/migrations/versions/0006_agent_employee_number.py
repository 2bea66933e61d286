"""Agents keep payroll's employee number (agents.csv's optional employee_number column)
for the payroll exports; agents imported before have none.

Revision ID: 0006_agent_employee_number
Revises: 0005_chain_history
Create Date: 2026-11-29 15:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_agent_employee_number"
down_revision: str | Sequence[str] | None = "0005_chain_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("employee_number", sa.String(length=64), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("employee_number")
