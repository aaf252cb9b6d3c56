"""The tables, as SQLAlchemy 2.0 typed models."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

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
