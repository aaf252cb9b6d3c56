"""outbox handed over

An outbox row now stays until its job has run: the job deletes it in its own
transaction. ``handed_over_at`` records when the row was last given to the
queue, so that the periodic sweep can hand it over again once the queue has had
it for longer than its visibility timeout (the message was lost).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("handed_over_at")
