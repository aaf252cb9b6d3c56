"""The rules of a profile, kept in the domain for the Settings form, the sign-up
form and the API alike: a display name of 1 to 50 characters, a time zone the
form offers, a language the site speaks."""

import pytest

from kindness.domain import accounts, dates
from kindness.domain.errors import InvalidInput
from kindness.web.forms import time_zone_choices
from tests.factories import PASSWORD, _cheap, make_user


def profile(user) -> tuple:
    return (user.display_name, user.time_zone, user.locale)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": " \t "}, "display_name"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"time_zone": "Nowhere/Land"}, "time_zone"),
        ({"time_zone": "Etc/GMT+5"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"locale": "xx"}, "locale"),
    ],
)
def test_a_refused_profile_value_changes_nothing(session, changes, field):
    ada = make_user(session, display_name="Ada")
    before = profile(ada)
    with pytest.raises(InvalidInput) as refused:
        # The good values sent with it are not kept either.
        accounts.update_profile(
            session, ada, **{"display_name": "Countess", "locale": "de", **changes}
        )
    assert refused.value.field == field
    assert profile(ada) == before


def test_only_the_values_given_change(session):
    ada = make_user(session, display_name="Ada", time_zone="Europe/Berlin")
    accounts.update_profile(session, ada, time_zone="Asia/Tokyo")
    assert profile(ada) == ("Ada", "Asia/Tokyo", "en")
    accounts.update_profile(session, ada, display_name="  " + "x" * 50 + " ")
    assert ada.display_name == "x" * 50


def test_a_language_the_site_does_not_speak_is_refused(session):
    ada = make_user(session)
    with pytest.raises(InvalidInput):
        accounts.set_locale(session, ada, "xx")
    assert ada.locale == "en"


def test_sign_up_keeps_the_same_rules(session):
    for values, field in [
        ({"display_name": "   "}, "display_name"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"locale": "fr"}, "locale"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            accounts.sign_up(
                session,
                _cheap,
                **{
                    "email": "new@example.org",
                    "display_name": "New",
                    "password": PASSWORD,
                    "time_zone": "UTC",
                    "locale": "en",
                    **values,
                },
            )
        assert refused.value.field == field


def test_the_form_offers_exactly_the_zones_the_domain_takes():
    offered = [choice.value for choice in time_zone_choices()]
    assert offered == list(dates.time_zones())
    assert "UTC" in offered and "Europe/Berlin" in offered
    assert not any(zone.startswith("Etc/") for zone in offered)
