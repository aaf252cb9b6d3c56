"""thank-you notes, and reports of them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "thanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("writer_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_thanks_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name=op.f("fk_thanks_act_id_acts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["users.id"], name=op.f("fk_thanks_giver_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["writer_id"],
            ["users.id"],
            name=op.f("fk_thanks_writer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thanks")),
        sa.UniqueConstraint("act_id", name=op.f("uq_thanks_act_id")),
    )
    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thanks_giver_id"), ["giver_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_thanks_writer_id"), ["writer_id"], unique=False)

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thanks_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reports_thanks_id"), ["thanks_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_thanks_id_thanks"),
            "thanks",
            ["thanks_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_reports_thanks_id_thanks"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_reports_thanks_id"))
        batch_op.drop_column("thanks_id")

    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thanks_writer_id"))
        batch_op.drop_index(batch_op.f("ix_thanks_giver_id"))

    op.drop_table("thanks")
