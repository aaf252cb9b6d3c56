"""data exports

"Download my data": each person's export (a zip kept in the database for a day),
and the inbox notice that tells them it is ready.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACT_KINDS = "'claimed', 'travelled'"
WEEK_KINDS = "'week_scheduled', 'week_moved', 'week_cancelled', 'week_started'"
EXPORT_KINDS = "'data_export'"
SUBJECT_BEFORE = (
    f"(kind IN ({ACT_KINDS}) AND act_id IS NOT NULL)"
    f" OR (kind IN ({WEEK_KINDS}) AND team_week_id IS NOT NULL)"
)


def upgrade() -> None:
    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "state IN ('building', 'ready', 'failed')", name=op.f("ck_data_exports_state_known")
        ),
        sa.CheckConstraint(
            "state <> 'ready' OR content IS NOT NULL",
            name=op.f("ck_data_exports_ready_has_content"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_data_exports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
        sa.UniqueConstraint("user_id", name=op.f("uq_data_exports_user_id")),
    )
    op.create_index(
        op.f("ix_data_exports_expires_at"), "data_exports", ["expires_at"], unique=False
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_export_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_notifications_subject_given"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint(
            "kind_known", f"kind IN ({ACT_KINDS}, {WEEK_KINDS}, {EXPORT_KINDS})"
        )
        batch_op.create_check_constraint(
            "subject_given",
            f"{SUBJECT_BEFORE} OR (kind IN ({EXPORT_KINDS}) AND data_export_id IS NOT NULL)",
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_data_export_id"), ["data_export_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_data_export_id_data_exports"),
            "data_exports",
            ["data_export_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE data_export_id IS NOT NULL")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_data_export_id_data_exports"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_notifications_data_export_id"))
        batch_op.drop_constraint(batch_op.f("ck_notifications_subject_given"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", f"kind IN ({ACT_KINDS}, {WEEK_KINDS})")
        batch_op.create_check_constraint("subject_given", SUBJECT_BEFORE)
        batch_op.drop_column("data_export_id")
    op.drop_index(op.f("ix_data_exports_expires_at"), table_name="data_exports")
    op.drop_table("data_exports")
