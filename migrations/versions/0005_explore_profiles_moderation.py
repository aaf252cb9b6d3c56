"""explore profiles moderation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 22:45:58.454758
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('hide', 'restore', 'suspend', 'unsuspend')",
            name=op.f("ck_moderation_actions_action_known"),
        ),
        sa.ForeignKeyConstraint(
            ["act_id"],
            ["acts.id"],
            name=op.f("fk_moderation_actions_act_id_acts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["users.id"],
            name=op.f("fk_moderation_actions_moderator_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_moderation_actions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "reason IN ('private_data', 'hurtful', 'spam', 'not_kindness', 'other')",
            name=op.f("ck_reports_reason_known"),
        ),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name=op.f("fk_reports_act_id_acts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_reports_reporter_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_act_id"), ["act_id"], unique=False)
        batch_op.create_index(
            "ix_reports_resolved_at_created_at", ["resolved_at", "created_at"], unique=False
        )

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_acts_public_category",
            ["category", "root_id"],
            unique=False,
            sqlite_where=sa.text("visibility = 'public'"),
            postgresql_where=sa.text("visibility = 'public'"),
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("profile_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("profile_name", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_profile_name"), ["profile_name"])

    # The defaults only filled the existing rows; the models set the value.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("is_admin", existing_type=sa.Boolean(), server_default=None)
        batch_op.alter_column("profile_public", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_profile_name"), type_="unique")
        batch_op.drop_column("profile_name")
        batch_op.drop_column("profile_public")
        batch_op.drop_column("suspended_at")
        batch_op.drop_column("is_admin")

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_acts_public_category",
            sqlite_where=sa.text("visibility = 'public'"),
            postgresql_where=sa.text("visibility = 'public'"),
        )
        batch_op.drop_column("hidden_at")

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_resolved_at_created_at")
        batch_op.drop_index(batch_op.f("ix_reports_act_id"))

    op.drop_table("reports")
    op.drop_table("moderation_actions")
