"""The tables, as SQLAlchemy 2.0 typed models."""

import secrets
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import text

from kindness.db import Base, UTCDateTime, utcnow

# The languages the app ships, each named in itself; a user's ``locale`` is one of
# the codes. The one list: settings, forms and the language switch read it.
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


# How often a person hears that their kindness travelled further, by mail.
TRAVELLED_CHOICES: tuple[str, ...] = ("immediately", "daily", "weekly", "never")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),
        CheckConstraint(
            f"notify_travelled IN ({_sql_list(TRAVELLED_CHOICES)})", name="notify_travelled_known"
        ),
        CheckConstraint("mail_hour >= 0 AND mail_hour <= 23", name="mail_hour_in_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so that uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str] = mapped_column(String(8), default="en")
    # Part of the login id in every session and remember-me cookie: replacing it
    # signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_admin: Mapped[bool] = mapped_column(default=False)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The public profile at /u/<profile_name>, off until the person opts in.
    profile_public: Mapped[bool] = mapped_column(default=False)
    profile_name: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Set when the person opened the link mailed to ``email``; no notice is mailed before.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A new address waiting for its confirmation; ``email`` stays the login until then.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Notices by mail, chosen by the person (Settings → Notifications). Everything but
    # "travelled: immediately" comes together in at most one mail a day, at ``mail_hour``
    # in the person's own time zone.
    notify_claimed: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    notify_travelled: Mapped[str] = mapped_column(
        String(12), default="weekly", server_default="weekly"
    )
    notify_team_week: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    notify_week_ends: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    daily_idea: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    mail_hour: Mapped[int] = mapped_column(SmallInteger, default=8, server_default="8")
    # The secret part of the private calendar feed's URL; None: no feed (revoked or never made).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    # What Flask-Login asks of a user object (``kindness.web.login``), written out
    # here so that the tables import nothing from Flask. ``is_active`` stays True as
    # it was with UserMixin: suspension is the rules' business (``domain.accounts``
    # refuses a suspended user at sign-in and when loading the session's user).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


# The fixed list of act categories (their words are in ``kindness.web.labels``).
CATEGORIES: tuple[str, ...] = (
    "time",
    "help",
    "gift",
    "listening",
    "teaching",
    "encouragement",
    "hospitality",
    "other",
)

VISIBILITIES: tuple[str, ...] = ("private", "team", "public")


class Contact(Base):
    """A person a user has helped, in that user's private address book."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("owner_id", "name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The longest public reference an act may have (new ones are 12 characters).
REF_MAX = 16


def new_ref() -> str:
    """A public reference: addresses an act or chain in URLs, claims nothing."""
    return secrets.token_urlsafe(9)


class Act(Base):
    """One helpful act, dated in its author's local calendar, and a node in a chain.

    The chain is an adjacency list (``parent_id``) with ``root_id`` and ``depth``
    set once at insert, so a whole chain is one indexed query.
    """

    __tablename__ = "acts"
    __table_args__ = (
        CheckConstraint(f"category IN ({_sql_list(CATEGORIES)})", name="category_known"),
        CheckConstraint(f"visibility IN ({_sql_list(VISIBILITIES)})", name="visibility_known"),
        CheckConstraint("length(what) >= 3", name="what_not_too_short"),
        CheckConstraint(
            "(parent_id IS NULL AND depth = 0) OR (parent_id IS NOT NULL AND depth > 0)",
            name="depth_matches_parent",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint(
            "removed_at IS NOT NULL OR (what IS NOT NULL AND author_id IS NOT NULL)",
            name="only_placeholders_are_blank",
        ),
        # A forward's author is its parent's recipient, enforced by the database:
        # (parent_id, author_id) must be an (id, recipient_id) pair of an act.
        UniqueConstraint("id", "recipient_id"),
        ForeignKeyConstraint(
            ["parent_id", "author_id"],
            ["acts.id", "acts.recipient_id"],
            name="fk_acts_forward_author_is_parent_recipient",
        ),
        Index("ix_acts_author_id_performed_on", "author_id", "performed_on"),
        # Covers the whole-chain query: rows come in (depth, id) order from the index alone.
        Index("ix_acts_root_id_depth", "root_id", "depth", "id", "parent_id"),
        # Explore's category filter and search look at public acts only.
        Index(
            "ix_acts_public_category",
            "category",
            "root_id",
            sqlite_where=text("visibility = 'public'"),
            postgresql_where=text("visibility = 'public'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(REF_MAX), unique=True, default=new_ref)
    # Empty only for placeholders: acts removed from a chain that others continued.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    what: Mapped[str | None] = mapped_column(String(500))
    performed_on: Mapped[date] = mapped_column(Date)
    # Deleting a contact keeps the act; its recipient then shows as "someone".
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str] = mapped_column(String(20), default="other")
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    note: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("acts.id", ondelete="RESTRICT"), index=True
    )
    # Typed as always set, which holds for every act but a new root between its
    # insert and the update that names the chain after its own id (``acts.log``):
    # that moment is why the column itself stays nullable.
    root_id: Mapped[int] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), nullable=True)
    depth: Mapped[int] = mapped_column(default=0)
    # The person who claimed the act's pass-it-on link.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recipient_named: Mapped[bool] = mapped_column(default=False)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by a moderator: a placeholder for everyone but its author.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The curated idea (its number in ``data/ideas.json``) the act was logged from, if any.
    idea_number: Mapped[int | None] = mapped_column(SmallInteger)

    contact: Mapped[Contact | None] = relationship(lazy="raise")
    # The act this one passes on (read only: ``parent_id`` is set once, at insert).
    parent: Mapped["Act | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id], viewonly=True, lazy="raise"
    )

    @property
    def is_placeholder(self) -> bool:
        return self.removed_at is not None


class ChainStats(Base):
    """Figures of one chain, kept current in the transaction of every change, so
    listings never read the acts."""

    __tablename__ = "chain_stats"
    __table_args__ = (
        # One index per listing order, ties broken by root_id as the listings do.
        Index("ix_chain_stats_reach", "reach", "root_id"),
        Index("ix_chain_stats_generations", "generations", "root_id"),
        Index("ix_chain_stats_grown_at", "grown_at", "root_id"),
        Index("ix_chain_stats_started_at", "started_at", "root_id"),
    )

    root_id: Mapped[int] = mapped_column(
        ForeignKey("acts.id", ondelete="CASCADE"), primary_key=True
    )
    acts: Mapped[int] = mapped_column(default=1)
    generations: Mapped[int] = mapped_column(default=1)
    reach: Mapped[int] = mapped_column(default=0)
    # Acts whose recipient is nobody signed in: each counts as one person.
    unnamed: Mapped[int] = mapped_column(default=0)
    public_acts: Mapped[int] = mapped_column(default=0)
    first_on: Mapped[date] = mapped_column(Date)
    last_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    grown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChainMember(Base):
    """A signed-in person in a chain (root author or a claimed recipient), with
    the number of places they hold; reach counts these plus the unnamed."""

    __tablename__ = "chain_members"

    root_id: Mapped[int] = mapped_column(
        ForeignKey("chain_stats.root_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    places: Mapped[int] = mapped_column(default=1)


class Pass(Base):
    """A pass-it-on link: its claim code proves possession and is never public."""

    __tablename__ = "passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    show_text: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


THANKS_MAX = 500


class Thanks(Base):
    """A short note from an act's recipient to its giver, private to the two.

    One per act; its writer may delete it (and write another). Both people's ids
    are kept so that deleting either account deletes the note with it.
    """

    __tablename__ = "thanks"
    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), unique=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(THANKS_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


ACT_NOTICE_KINDS: tuple[str, ...] = ("claimed", "travelled")
# A team's week was scheduled, moved to other dates, cancelled, or has begun.
TEAM_WEEK_NOTICE_KINDS: tuple[str, ...] = (
    "week_scheduled",
    "week_moved",
    "week_cancelled",
    "week_started",
)
# The person's data export is ready to download (or could not be made).
EXPORT_NOTICE_KINDS: tuple[str, ...] = ("data_export",)
NOTICE_KINDS: tuple[str, ...] = ACT_NOTICE_KINDS + TEAM_WEEK_NOTICE_KINDS + EXPORT_NOTICE_KINDS

DATA_EXPORT_STATES: tuple[str, ...] = ("building", "ready", "failed")


class DataExport(Base):
    """A person's data as a zip ("Download my data"), built by a job, kept in the
    database so that every app instance can serve it, deleted at ``expires_at``.

    One per person (a new one replaces the last): ``user_id`` is unique, so two
    requests at once cannot both start one."""

    __tablename__ = "data_exports"
    __table_args__ = (
        CheckConstraint(f"state IN ({_sql_list(DATA_EXPORT_STATES)})", name="state_known"),
        CheckConstraint("state <> 'ready' OR content IS NOT NULL", name="ready_has_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="building")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deleted from then on (the periodic tick): a day after it was made, or after it
    # was finished.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The zip's size in bytes; on a failed export, the size it would have had.
    size: Mapped[int | None] = mapped_column()
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class Notification(Base):
    """An inbox entry: your act was claimed, your kindness travelled further, one
    of your teams' weeks was scheduled, moved, cancelled or has begun, or your data
    export is ready."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_sql_list(NOTICE_KINDS)})", name="kind_known"),
        # An act's notice names its act, a team week's notice its week.
        CheckConstraint(
            f"(kind IN ({_sql_list(ACT_NOTICE_KINDS)}) AND act_id IS NOT NULL)"
            f" OR (kind IN ({_sql_list(TEAM_WEEK_NOTICE_KINDS)}) AND team_week_id IS NOT NULL)"
            f" OR (kind IN ({_sql_list(EXPORT_NOTICE_KINDS)}) AND data_export_id IS NOT NULL)",
            name="subject_given",
        ),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    act_id: Mapped[int | None] = mapped_column(
        ForeignKey("acts.id", ondelete="CASCADE"), index=True
    )
    team_week_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_weeks.id", ondelete="CASCADE"), index=True
    )
    # Gone with its export, a day after.
    data_export_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_exports.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Challenge(Base):
    """A personal one-week no-strings challenge; its progress is derived from acts."""

    __tablename__ = "challenges"
    __table_args__ = (
        Index("ix_challenges_user_id_starts_on", "user_id", "starts_on"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(Date)
    # starts_on + 6, set once at insert so that SQL can compare dates portably.
    ends_on: Mapped[date] = mapped_column(Date)
    pledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reflection: Mapped[str | None] = mapped_column(Text)


# A week, personal or a team's, is seven consecutive days (``domain.dates.week_days``).
CHALLENGE_DAYS = 7


ROLES: tuple[str, ...] = ("owner", "admin", "member")


class Team(Base):
    """A company, department, class or club that takes the week together."""

    __tablename__ = "teams"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name folded to lower case: team names are unique whatever their case.
    name_key: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(default=False)
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)
    # Decides which day of a team week is "today" (default: its creator's zone).
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(f"role IN ({_sql_list(ROLES)})", name="role_known"),
        # Exactly one owner per team, kept by the database too.
        Index(
            "ix_memberships_one_owner",
            "team_id",
            unique=True,
            sqlite_where=text("role = 'owner'"),
            postgresql_where=text("role = 'owner'"),
        ),
    )

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10), default="member")
    # The member's choice to appear in the team's per-person participation view
    # (they count in the collective tally either way).
    in_participation: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamWeek(Base):
    """A week a team takes together; who took part is kept even after they leave."""

    __tablename__ = "team_weeks"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        Index("ix_team_weeks_team_id_starts_on", "team_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A cancelled week is kept so its members' notices can still name it.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When its members were told it has begun (the periodic tick tells them once).
    started_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TeamWeekMember(Base):
    __tablename__ = "team_week_members"

    week_id: Mapped[int] = mapped_column(
        ForeignKey("team_weeks.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


REPORT_REASONS: tuple[str, ...] = ("private_data", "hurtful", "spam", "not_kindness", "other")
MODERATION_ACTIONS: tuple[str, ...] = (
    "hide",
    "restore",
    "suspend",
    "unsuspend",
    "remove_thanks",
    "dismiss_thanks",
)


class Report(Base):
    """Someone signed in asks the moderators to look at a public act, or the giver
    at a thank-you note they received (``thanks_id``; ``act_id`` is then its act)."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(f"reason IN ({_sql_list(REPORT_REASONS)})", name="reason_known"),
        Index("ix_reports_resolved_at_created_at", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    thanks_id: Mapped[int | None] = mapped_column(
        ForeignKey("thanks.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModerationAction(Base):
    """Who did what and when, for every moderation step."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        CheckConstraint(f"action IN ({_sql_list(MODERATION_ACTIONS)})", name="action_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    act_id: Mapped[int | None] = mapped_column(ForeignKey("acts.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# What a mail is about. Account mail (confirm, reset, address_changed) is always sent;
# the rest follows the person's choices and carries a one-click unsubscribe.
MAIL_KINDS: tuple[str, ...] = ("confirm", "reset", "address_changed", "letter", "travelled")
ACCOUNT_MAIL_KINDS: tuple[str, ...] = ("confirm", "reset", "address_changed")
MAIL_STATES: tuple[str, ...] = ("queued", "sending", "sent", "failed", "skipped")


class Mail(Base):
    """One message to one address, and what became of it.

    ``key`` names the event (``letter:<user>:<date>``, ``travelled:<user>:<act>``), so
    a job that runs twice finds the row and mails nothing twice. ``params`` (JSON)
    is what the message says; it is written in the recipient's language when sent.
    """

    __tablename__ = "mails"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_sql_list(MAIL_KINDS)})", name="kind_known"),
        CheckConstraint(f"state IN ({_sql_list(MAIL_STATES)})", name="state_known"),
        Index("ix_mails_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_mails_user_id_kind_created_at", "user_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(254))
    params: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    # When a failed attempt may be retried (back-off); None while it is not waiting.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxJob(Base):
    """A background job written in the transaction of the work that calls for it,
    handed to the queue (or run) only after that transaction commits, and deleted
    by the job itself in the transaction of its work."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    # The job's keyword arguments, as JSON.
    args: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the row was last given to the queue (None: not yet). The row itself stays
    # until its job deletes it in the job's own transaction (``dispatch.run``).
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# What a personal access token may do with the API: read only, or read and write.
TOKEN_SCOPES: tuple[str, ...] = ("read", "read-write")


class ApiToken(Base):
    """A personal access token for the JSON API, made on the Settings page.

    Only the SHA-256 of the secret is kept (a token is long and random, so a fast
    hash is safe, and it is checked on every API request); ``prefix`` is its first
    characters, shown in the list so that the person can tell their tokens apart.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(f"scope IN ({_sql_list(TOKEN_SCOPES)})", name="scope_known"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last day the token may be used (in UTC); None: until revoked.
    expires_on: Mapped[date | None] = mapped_column(Date)
    # Written at most once a day, so that reading the API does not write on every request.
    last_used_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
