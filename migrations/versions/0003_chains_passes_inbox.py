"""chains passes inbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:45:33.103657
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 1. The chain columns, nullable or with a default while the existing rows get values.
    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("root_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("depth", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recipient_named", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))

    # 2. Every existing act is the root of its own chain of one.
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM acts")).scalars().all()
    if ids:
        connection.execute(
            sa.text("UPDATE acts SET ref = :ref, root_id = id WHERE id = :id"),
            [{"id": act_id, "ref": secrets.token_urlsafe(9)} for act_id in ids],
        )

    # 3. Constraints, indexes and keys.
    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("depth", existing_type=sa.Integer(), server_default=None)
        batch_op.alter_column("recipient_named", existing_type=sa.Boolean(), server_default=None)
        batch_op.alter_column("author_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("what", existing_type=sa.VARCHAR(length=500), nullable=True)
        batch_op.create_index(batch_op.f("ix_acts_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_acts_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(
            "ix_acts_root_id_depth", ["root_id", "depth", "id", "parent_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_acts_id_recipient_id"), ["id", "recipient_id"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_acts_ref"), ["ref"])
        batch_op.create_check_constraint(
            "depth_matches_parent",
            "(parent_id IS NULL AND depth = 0) OR (parent_id IS NOT NULL AND depth > 0)",
        )
        batch_op.create_check_constraint("not_own_parent", "parent_id IS NULL OR parent_id <> id")
        batch_op.create_check_constraint(
            "only_placeholders_are_blank",
            "removed_at IS NOT NULL OR (what IS NOT NULL AND author_id IS NOT NULL)",
        )
        batch_op.drop_constraint(batch_op.f("fk_acts_author_id_users"), type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_acts_forward_author_is_parent_recipient",
            "acts",
            ["parent_id", "author_id"],
            ["id", "recipient_id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_acts_root_id_acts"), "acts", ["root_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_acts_parent_id_acts"), "acts", ["parent_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_acts_recipient_id_users"),
            "users",
            ["recipient_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_acts_author_id_users"),
            "users",
            ["author_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # 4. The new tables.
    op.create_table(
        "chain_stats",
        sa.Column("root_id", sa.Integer(), nullable=False),
        sa.Column("acts", sa.Integer(), nullable=False),
        sa.Column("generations", sa.Integer(), nullable=False),
        sa.Column("reach", sa.Integer(), nullable=False),
        sa.Column("unnamed", sa.Integer(), nullable=False),
        sa.Column("public_acts", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grown_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["root_id"], ["acts.id"], name=op.f("fk_chain_stats_root_id_acts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("root_id", name=op.f("pk_chain_stats")),
    )
    with op.batch_alter_table("chain_stats", schema=None) as batch_op:
        batch_op.create_index(
            "ix_chain_stats_generations", ["generations", "root_id"], unique=False
        )
        batch_op.create_index("ix_chain_stats_grown_at", ["grown_at", "root_id"], unique=False)
        batch_op.create_index("ix_chain_stats_reach", ["reach", "root_id"], unique=False)
        batch_op.create_index("ix_chain_stats_started_at", ["started_at", "root_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('claimed', 'travelled')", name=op.f("ck_notifications_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name=op.f("fk_notifications_act_id_acts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_act_id"), ["act_id"], unique=False)
        batch_op.create_index(
            "ix_notifications_user_id_read_at", ["user_id", "read_at"], unique=False
        )

    op.create_table(
        "passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("show_text", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name=op.f("fk_passes_act_id_acts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"],
            ["users.id"],
            name=op.f("fk_passes_claimed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passes")),
        sa.UniqueConstraint("code", name=op.f("uq_passes_code")),
    )
    with op.batch_alter_table("passes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passes_act_id"), ["act_id"], unique=False)

    op.create_table(
        "chain_members",
        sa.Column("root_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["root_id"],
            ["chain_stats.root_id"],
            name=op.f("fk_chain_members_root_id_chain_stats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_chain_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("root_id", "user_id", name=op.f("pk_chain_members")),
    )
    with op.batch_alter_table("chain_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_members_user_id"), ["user_id"], unique=False)

    # 5. Figures of the existing one-act chains: the author and one unnamed recipient.
    connection.execute(
        sa.text(
            "INSERT INTO chain_stats (root_id, acts, generations, reach, unnamed, public_acts,"
            " first_on, last_on, started_at, grown_at)"
            " SELECT id, 1, 1, 2, 1, CASE WHEN visibility = 'public' THEN 1 ELSE 0 END,"
            " performed_on, performed_on, created_at, created_at FROM acts"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO chain_members (root_id, user_id, places) SELECT id, author_id, 1 FROM acts"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("chain_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_members_user_id"))

    op.drop_table("chain_members")
    with op.batch_alter_table("passes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passes_act_id"))

    op.drop_table("passes")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_id_read_at")
        batch_op.drop_index(batch_op.f("ix_notifications_act_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("chain_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_chain_stats_started_at")
        batch_op.drop_index("ix_chain_stats_reach")
        batch_op.drop_index("ix_chain_stats_grown_at")
        batch_op.drop_index("ix_chain_stats_generations")

    op.drop_table("chain_stats")

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_acts_author_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_acts_recipient_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_acts_parent_id_acts"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_acts_root_id_acts"), type_="foreignkey")
        batch_op.drop_constraint("fk_acts_forward_author_is_parent_recipient", type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("ck_acts_only_placeholders_are_blank"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_acts_not_own_parent"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_acts_depth_matches_parent"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_acts_ref"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_acts_id_recipient_id"), type_="unique")
        batch_op.drop_index("ix_acts_root_id_depth")
        batch_op.drop_index(batch_op.f("ix_acts_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_acts_parent_id"))

    # The old schema has no placeholders: they go.
    op.get_bind().execute(sa.text("DELETE FROM acts WHERE removed_at IS NOT NULL"))

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.alter_column("what", existing_type=sa.VARCHAR(length=500), nullable=False)
        batch_op.alter_column("author_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_acts_author_id_users"),
            "users",
            ["author_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_column("removed_at")
        batch_op.drop_column("recipient_named")
        batch_op.drop_column("recipient_id")
        batch_op.drop_column("depth")
        batch_op.drop_column("root_id")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("ref")
