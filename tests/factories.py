"""Plain helpers that make test data through the domain functions."""

import itertools

from sqlalchemy.orm import Session

from kindness import accounts
from kindness.models import User
from kindness.passwords import Passwords

PASSWORD = "a quiet morning walk"
_numbers = itertools.count(1)
_cheap = Passwords(time_cost=1, memory_cost=8, parallelism=1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    time_zone: str = "Europe/Berlin",
    locale: str = "en",
    hasher: Passwords = _cheap,
) -> User:
    number = next(_numbers)
    user = accounts.sign_up(
        session,
        hasher,
        email=email or f"person{number}@example.org",
        display_name=display_name or f"Person {number}",
        password=password,
        time_zone=time_zone,
        locale=locale,
    )
    session.commit()
    return user
