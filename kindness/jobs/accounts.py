"""Jobs about accounts."""

from sqlalchemy.orm import Session

from kindness.domain import password_reset as reset


def password_reset(session: Session, email: str) -> None:
    """Queue the reset mail when an account uses ``email`` (asked for in a request that
    did not look, so that its answer says nothing about the account)."""
    reset.request(session, email)
