"""mail and background jobs

Confirmed addresses, notice choices, the calendar feed, the idea an act came from,
the mail log and the outbox of jobs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_created_at"), ["created_at"], unique=False)

    op.create_table(
        "mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('confirm', 'reset', 'address_changed', 'letter', 'travelled')",
            name=op.f("ck_mails_kind_known"),
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped')",
            name=op.f("ck_mails_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mails_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mails")),
        sa.UniqueConstraint("key", name=op.f("uq_mails_key")),
    )
    with op.batch_alter_table("mails", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mails_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_mails_user_id_kind_created_at", ["user_id", "kind", "created_at"], unique=False
        )

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idea_number", sa.SmallInteger(), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column(
                "notify_claimed", sa.Boolean(), server_default=sa.text("(true)"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "notify_travelled", sa.String(length=12), server_default="weekly", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "notify_team_week", sa.Boolean(), server_default=sa.text("(true)"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "notify_week_ends", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("daily_idea", sa.Boolean(), server_default=sa.text("(false)"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("mail_hour", sa.SmallInteger(), server_default="8", nullable=False)
        )
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_calendar_token"), ["calendar_token"])
        batch_op.create_check_constraint(
            batch_op.f("ck_users_notify_travelled_known"),
            "notify_travelled IN ('immediately', 'daily', 'weekly', 'never')",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_users_mail_hour_in_day"), "mail_hour >= 0 AND mail_hour <= 23"
        )
    # Accounts made before this revision start unconfirmed (email_confirmed_at NULL):
    # they are asked to confirm and get no notice mail until they do.


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_mail_hour_in_day"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_users_notify_travelled_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_users_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")
        batch_op.drop_column("mail_hour")
        batch_op.drop_column("daily_idea")
        batch_op.drop_column("notify_week_ends")
        batch_op.drop_column("notify_team_week")
        batch_op.drop_column("notify_travelled")
        batch_op.drop_column("notify_claimed")
        batch_op.drop_column("pending_email")
        batch_op.drop_column("email_confirmed_at")

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.drop_column("idea_number")

    with op.batch_alter_table("mails", schema=None) as batch_op:
        batch_op.drop_index("ix_mails_user_id_kind_created_at")
        batch_op.drop_index("ix_mails_state_next_attempt_at")

    op.drop_table("mails")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_created_at"))

    op.drop_table("outbox")
