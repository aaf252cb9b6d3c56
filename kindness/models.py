"""The tables, as SQLAlchemy 2.0 typed models."""

import secrets
from datetime import date, datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kindness.categories import CATEGORIES
from kindness.db import Base, UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),)

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

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


VISIBILITIES: tuple[str, ...] = ("private", "team", "public")


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


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


class Act(Base):
    """One helpful act, dated in its author's local calendar."""

    __tablename__ = "acts"
    __table_args__ = (
        CheckConstraint(f"category IN ({_sql_list(CATEGORIES)})", name="category_known"),
        CheckConstraint(f"visibility IN ({_sql_list(VISIBILITIES)})", name="visibility_known"),
        CheckConstraint("length(what) >= 3", name="what_not_too_short"),
        Index("ix_acts_author_id_performed_on", "author_id", "performed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(500))
    performed_on: Mapped[date] = mapped_column(Date)
    # Deleting a contact keeps the act; its recipient then shows as "someone".
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str] = mapped_column(String(20), default="other")
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact | None] = relationship(lazy="raise")


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

    @property
    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=offset) for offset in range(CHALLENGE_DAYS)]


CHALLENGE_DAYS = 7
