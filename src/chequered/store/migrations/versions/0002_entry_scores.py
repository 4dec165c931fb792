"""entries that race without scoring (invited cars of a partner series)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entry", sa.Column("scores", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("scores")
