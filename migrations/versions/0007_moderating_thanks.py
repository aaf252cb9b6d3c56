"""moderating thank-you notes: two more moderation steps in the log

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "action IN ('hide', 'restore', 'suspend', 'unsuspend')"
AFTER = "action IN ('hide', 'restore', 'suspend', 'unsuspend', 'remove_thanks', 'dismiss_thanks')"


def _action_check(condition: str) -> None:
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_moderation_actions_action_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_moderation_actions_action_known"), condition)


def upgrade() -> None:
    _action_check(AFTER)


def downgrade() -> None:
    # The steps the older code cannot name leave the log with it.
    op.execute("DELETE FROM moderation_actions WHERE action IN ('remove_thanks', 'dismiss_thanks')")
    _action_check(BEFORE)
