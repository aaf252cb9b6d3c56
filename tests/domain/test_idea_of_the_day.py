"""Each person's idea of the day (daily mail and calendar alike) and the ideas
they have logged an act from."""

from datetime import date, timedelta

from kindness.domain import acts, ideas
from kindness.domain.acts import ActInput
from tests.clock import TODAY
from tests.factories import make_act, make_user

COUNT = len(ideas.load_ideas())


def test_the_same_on_every_call():
    first = [ideas.number_of_the_day(7, TODAY + timedelta(days=n), {1, 2}) for n in range(30)]
    again = [ideas.number_of_the_day(7, TODAY + timedelta(days=n), {1, 2}) for n in range(30)]
    assert first == again
    assert all(0 <= number < COUNT for number in first)


def test_a_new_idea_each_day_until_the_list_is_walked():
    days = [ideas.number_of_the_day(7, TODAY + timedelta(days=n), set()) for n in range(COUNT)]
    assert sorted(days) == list(range(COUNT))


def test_people_walk_the_list_in_their_own_order():
    today = {ideas.number_of_the_day(user_id, TODAY, set()) for user_id in range(1, 41)}
    assert len(today) >= 15
    same_days = sum(
        ideas.number_of_the_day(1, TODAY + timedelta(days=n), set())
        == ideas.number_of_the_day(2, TODAY + timedelta(days=n), set())
        for n in range(60)
    )
    assert same_days <= 5


def test_never_an_idea_already_logged():
    logged = set(range(0, COUNT, 2))
    for user_id in (1, 2, 3):
        for n in range(120):
            number = ideas.number_of_the_day(user_id, TODAY + timedelta(days=n), logged)
            assert number not in logged


def test_one_idea_left_is_the_idea_of_every_day():
    logged = set(range(COUNT)) - {5}
    assert {ideas.number_of_the_day(9, TODAY + timedelta(days=n), logged) for n in range(10)} == {5}


def test_all_ideas_logged_starts_the_list_again():
    everything = set(range(COUNT))
    days = [ideas.number_of_the_day(9, TODAY + timedelta(days=n), everything) for n in range(COUNT)]
    assert sorted(days) == list(range(COUNT))


def test_logged_from_is_each_person_s_own_distinct_ideas(session):
    ada, bea = make_user(session), make_user(session)
    make_act(session, ada, TODAY)
    assert ideas.logged_from(session, ada.id) == set()
    acts.log(session, ada, ActInput(what="Called my aunt"), TODAY, idea_number=2)
    acts.log(session, ada, ActInput(what="Called my aunt again"), TODAY, idea_number=2)
    acts.log(session, ada, ActInput(what="Visited a neighbour"), TODAY, idea_number=0)
    acts.log(session, bea, ActInput(what="Baked a cake"), TODAY, idea_number=4)
    session.flush()
    assert ideas.logged_from(session, ada.id) == {0, 2}
    assert ideas.logged_from(session, bea.id) == {4}


def test_an_idea_logged_from_is_not_offered_again(session):
    ada = make_user(session)
    number = ideas.number_of_the_day(ada.id, TODAY, ideas.logged_from(session, ada.id))
    acts.log(session, ada, ActInput(what="Did today's idea"), TODAY, idea_number=number)
    session.flush()
    logged = ideas.logged_from(session, ada.id)
    assert logged == {number}
    later = [ideas.number_of_the_day(ada.id, TODAY + timedelta(days=n), logged) for n in range(90)]
    assert number not in later


def test_logging_an_idea_changes_only_the_days_that_showed_it():
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(30)]
    before = {day: ideas.number_of_the_day(7, day, set()) for day in days}
    logged = {before[days[0]]}
    after = {day: ideas.number_of_the_day(7, day, logged) for day in days}
    changed = [day for day in days if after[day] != before[day]]
    assert changed == [day for day in days if before[day] in logged]
    assert all(after[day] not in logged for day in days)
