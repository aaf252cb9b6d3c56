"""team weeks for everyone

A team's time zone, a member's choice to stay out of the participation view,
cancelled weeks and the notices of a team's weeks in the inbox.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACT_KINDS = "'claimed', 'travelled'"
WEEK_KINDS = "'week_scheduled', 'week_moved', 'week_cancelled', 'week_started'"


def upgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False)
        )
    # An existing team takes its owner's zone, as a new one takes its creator's.
    op.execute(
        "UPDATE teams SET time_zone = (SELECT users.time_zone FROM memberships"
        " JOIN users ON users.id = memberships.user_id"
        " WHERE memberships.team_id = teams.id AND memberships.role = 'owner')"
        " WHERE EXISTS (SELECT 1 FROM memberships WHERE memberships.team_id = teams.id"
        " AND memberships.role = 'owner')"
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "in_participation", sa.Boolean(), server_default=sa.text("(true)"), nullable=False
            )
        )
    with op.batch_alter_table("team_weeks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("started_told_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_week_id", sa.Integer(), nullable=True))
        batch_op.alter_column("act_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(batch_op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", f"kind IN ({ACT_KINDS}, {WEEK_KINDS})")
        batch_op.create_check_constraint(
            "subject_given",
            f"(kind IN ({ACT_KINDS}) AND act_id IS NOT NULL)"
            f" OR (kind IN ({WEEK_KINDS}) AND team_week_id IS NOT NULL)",
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_team_week_id"), ["team_week_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_team_week_id_team_weeks"),
            "team_weeks",
            ["team_week_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE team_week_id IS NOT NULL")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_team_week_id_team_weeks"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_notifications_team_week_id"))
        batch_op.drop_constraint(batch_op.f("ck_notifications_subject_given"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", f"kind IN ({ACT_KINDS})")
        batch_op.alter_column("act_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("team_week_id")
    with op.batch_alter_table("team_weeks", schema=None) as batch_op:
        batch_op.drop_column("started_told_at")
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("in_participation")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
