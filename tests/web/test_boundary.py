"""The request boundary (kindness/web/boundary.py): one commit or rollback per
request, one path for refusals, races on unique values forced between the
domain's check and its insert, files refused, and names that grow when
lower-cased."""

import ast
import io
import logging
import re
import threading
from pathlib import Path

import pytest
from flask import flash, redirect
from sqlalchemy import func, select

import kindness
from kindness import create_app
from kindness.cli import migrate
from kindness.db import constraint_name
from kindness.domain import accounts, confirmation, conflicts, profiles
from kindness.domain import contacts as contact_rules
from kindness.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kindness.domain.teams import membership
from kindness.models import Act, Contact, Membership, Team, User
from kindness.sessions import get_session
from kindness.web import boundary
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG
from tests.databases import BACKENDS, fresh_database
from tests.factories import PASSWORD, make_act, make_user

TAKEN_EMAIL = "Someone has just taken this email address."

pytestmark = pytest.mark.usefixtures("clock")


def field_errors(response, field_id: str) -> list[str]:
    """The messages shown under one field of the page."""
    found = re.search(rf'<ul class="errors" id="{field_id}-errors">(.*?)</ul>', response.text, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def count(session, column) -> int:
    session.expire_all()
    return session.scalar(select(func.count(column)))


# -- one place where the unit of work ends ------------------------------------


def test_no_web_module_commits_or_rolls_back_but_the_boundary():
    web = Path(kindness.__file__).parent / "web"
    calls: dict[str, set[str]] = {}
    for module in web.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
            ):
                calls.setdefault(module.relative_to(web).as_posix(), set()).add(node.func.attr)
    assert calls == {"boundary.py": {"commit", "rollback"}}


@pytest.mark.parametrize(("status", "kept"), [(200, True), (302, True), (400, False), (409, False)])
def test_a_success_commits_and_an_error_status_rolls_back(app, client, session, status, kept):
    @app.post("/test-locale/<int:user_id>")
    def save_locale(user_id: int):
        accounts.set_locale(get_session(), get_session().get(User, user_id), "de")
        return "", status

    user = make_user(session, locale="en")
    assert client.post(f"/test-locale/{user.id}").status_code == status
    session.expire_all()
    assert (session.get(User, user.id).locale == "de") is kept


def test_a_clash_found_only_at_commit_answers_409_and_drops_the_flash(app, client, session):
    make_user(session, email="ada@example.org")

    @app.post("/test-late-clash")
    def late_clash():
        # Added and never flushed: the unique key breaks at the boundary's commit.
        get_session().add(User(email="ada@example.org", display_name="Late", password_hash="x"))
        flash("Saved.")
        return redirect("/")

    response = client.post("/test-late-clash")
    assert response.status_code == 409
    assert TAKEN_EMAIL in response.text
    assert "Saved." not in client.get("/").text
    assert session.scalar(select(User.id).where(User.display_name == "Late")) is None


# -- one path for refusals ----------------------------------------------------


@pytest.fixture
def refusing_routes(app):
    refusals = {
        "rule": RuleViolation("One week at a time."),
        "input": InvalidInput("That date is out of range.", "starts_on"),
        "conflict": Conflict("Taken meanwhile.", "name"),
        "missing": NotFound(),
    }

    @app.get("/test-refuse/<kind>")
    @app.get("/api/test-refuse/<kind>")
    def refuse(kind: str):
        raise refusals[kind]

    return refusals


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        ("rule", 409, "One week at a time."),
        ("input", 422, "That date is out of range."),
        ("conflict", 409, "Taken meanwhile."),
        ("missing", 404, "There is nothing here."),
    ],
)
def test_a_domain_error_raised_in_any_view_answers_its_status(
    client, refusing_routes, kind, status, words
):
    page = client.get(f"/test-refuse/{kind}")
    assert page.status_code == status
    assert words in page.text and 'class="error-code"' in page.text
    answer = client.get(f"/api/test-refuse/{kind}")
    assert answer.status_code == status
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["status"] == status
    assert words in problem["detail"]
    kinds = {"rule": "rule-violation", "input": "invalid-input", "conflict": "conflict"}
    assert problem["type"] == "/developers/api#problem-" + kinds.get(kind, "not-found")


def test_a_domain_not_found_reads_exactly_like_a_missing_page(client, refusing_routes):
    refused = client.get("/test-refuse/missing")
    missing = client.get("/no-such-page")
    assert refused.status_code == missing.status_code == 404
    # The same page, but for the path in the language switch.
    assert refused.text.replace("/test-refuse/missing", "/no-such-page") == missing.text


def test_a_button_refused_for_lack_of_rights_is_a_404_not_a_flash(app, session, log_in):
    """flash_errors shows refusals, but lets NotFound through: a person who may
    not manage the team gets the page of a missing URL, and nothing changes."""
    owner, member = make_user(session), make_user(session)
    team = membership.create(session, owner, name="Night Shift", description=None, is_public=True)
    membership.join(session, team.invite_code, member, TODAY)
    session.commit()
    client = log_in(member)
    for action in ("members/role", "members/remove", "transfer"):
        response = client.post(
            f"/teams/{team.slug}/{action}", data={"user_id": str(owner.id), "role": "admin"}
        )
        assert response.status_code == 404, action
    assert "not found" not in client.get(f"/teams/{team.slug}").text
    assert count(session, Membership.user_id) == 2
    assert membership.role_of(session, team, owner.id) == "owner"


# -- races on unique values, forced between the check and the insert ------------


def race(monkeypatch, module, check: str, rival) -> list[str]:
    """Let ``module.check`` run for real, then commit ``rival()``, a row taking the
    same value, before the domain goes on to write: the other request wins the race
    at the worst moment (once; later calls are left alone). Returns what the check
    saw."""
    real = getattr(module, check)
    seen: list[str] = []

    def check_then_rival(*args, **kwargs):
        result = real(*args, **kwargs)  # raises when taken: then there would be no race
        if not seen:
            seen.append("free")
            rival()
        return result

    monkeypatch.setattr(module, check, check_then_rival)
    return seen


@pytest.fixture
def constraints_hit(monkeypatch) -> list[str | None]:
    """The constraints the boundary turned into conflicts, in order."""
    hit: list[str | None] = []
    real = conflicts.conflict_for

    def spy(error):
        hit.append(constraint_name(error))
        return real(error)

    monkeypatch.setattr(conflicts, "conflict_for", spy)
    return hit


def rival_user(session, **fields):
    def commit():
        session.add(User(display_name="Rival", password_hash="x", **fields))
        session.commit()

    return commit


# The harness runs every request in a savepoint of one outer transaction, so the
# rival row, committed inside the request's savepoint, goes with its rollback;
# on a real database it stays. The assertions below hold either way.


def test_two_sign_ups_with_one_address_at_the_same_moment(
    client, session, monkeypatch, constraints_hit
):
    checks = race(
        monkeypatch, accounts, "ensure_email_free", rival_user(session, email="ada@example.org")
    )
    response = client.post(
        "/signup",
        data={"email": "Ada@example.org", "password": PASSWORD, "display_name": "Ada",
              "time_zone": "UTC", "locale": "en"},
    )  # fmt: skip
    assert response.status_code == 409
    assert field_errors(response, "email") == [TAKEN_EMAIL]
    assert checks == ["free"] and constraints_hit == ["uq_users_email"]
    assert session.scalar(select(User.id).where(User.display_name == "Ada")) is None
    assert "Log in" in client.get("/").text  # nobody was signed in


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_sign_ups_at_once_on_two_connections(backend, tmp_path, monkeypatch):
    """The same race with real commits: the first request pauses after its check
    while a second one, on another connection, signs up with the address.

    On PostgreSQL the second gets through, and the first's insert breaks the
    unique key. On SQLite a request that may write holds the write lock from its
    start, so the second waits for the first and then finds the address taken."""
    real_check, real_begin = accounts.ensure_email_free, boundary.begin_unit_of_work
    checked, beginning, go_on = threading.Event(), threading.Event(), threading.Event()

    def check_then_wait(*args, **kwargs):
        real_check(*args, **kwargs)
        if threading.current_thread().name == "first":
            checked.set()
            go_on.wait(timeout=20)

    def begin():
        if threading.current_thread().name == "second":
            beginning.set()
        real_begin()

    monkeypatch.setattr(accounts, "ensure_email_free", check_then_wait)
    monkeypatch.setattr(boundary, "begin_unit_of_work", begin)  # before create_app
    signup = {"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada",
              "time_zone": "UTC", "locale": "en"}  # fmt: skip
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        answers = {}

        def sign_up() -> None:
            name = threading.current_thread().name
            answers[name] = app.test_client().post("/signup", data=signup)

        first = threading.Thread(target=sign_up, name="first")
        second = threading.Thread(target=sign_up, name="second")
        try:
            first.start()
            assert checked.wait(timeout=20)
            second.start()
            assert beginning.wait(timeout=20)
            if backend == "postgresql":
                second.join(timeout=20)  # nothing holds it up
                assert answers["second"].status_code == 302
            go_on.set()
            first.join(timeout=20)
            second.join(timeout=20)
            with app.app_context():
                emails = get_session().scalars(select(User.email)).all()
        finally:
            go_on.set()
            app.extensions["kindness.db"].engine.dispose()
    assert emails == ["ada@example.org"]
    if backend == "postgresql":
        assert answers["first"].status_code == 409
        assert field_errors(answers["first"], "email") == [TAKEN_EMAIL]
    else:
        assert (answers["first"].status_code, answers["second"].status_code) == (302, 409)
        assert field_errors(answers["second"], "email") == [
            "An account with this email address already exists."
        ]


def test_an_address_taken_while_its_change_is_confirmed(
    app, session, monkeypatch, constraints_hit, log_in
):
    ada = make_user(session, email="ada@example.org")
    confirmation.request_change(
        session, app.extensions["kindness.passwords"], ada, "new@example.org", PASSWORD
    )
    session.commit()
    token = confirmation.token_for(app.config["SECRET_KEY"], ada.id, "new@example.org")
    checks = race(
        monkeypatch, accounts, "ensure_email_free", rival_user(session, email="new@example.org")
    )
    response = log_in(ada).get(f"/confirm/{token}")
    assert response.status_code == 409
    assert TAKEN_EMAIL in response.text
    assert checks == ["free"] and constraints_hit == ["uq_users_email"]
    session.expire_all()
    ada = session.get(User, ada.id)
    assert (ada.email, ada.pending_email) == ("ada@example.org", "new@example.org")


def test_a_profile_name_taken_at_the_same_moment(
    app, session, monkeypatch, constraints_hit, log_in
):
    ada = make_user(session)
    client = log_in(ada)
    checks = race(
        monkeypatch,
        profiles,
        "_ensure_name_free",
        rival_user(session, email="rival@example.org", profile_name="ada"),
    )
    response = client.post("/settings/public-profile", data={"public": "y", "name": "ada"})
    assert response.status_code == 409
    assert field_errors(response, "name") == ["Someone has just taken this profile name."]
    assert checks == ["free"] and constraints_hit == ["uq_users_profile_name"]
    session.expire_all()
    assert (session.get(User, ada.id).profile_name, session.get(User, ada.id).profile_public) == (
        None,
        False,
    )


def rival_team(session, name: str, slug: str):
    def commit():
        session.add(Team(name=name, name_key=name.lower(), slug=slug, invite_code=slug + "-code"))
        session.commit()

    return commit


def test_a_team_name_taken_at_the_same_moment(app, session, monkeypatch, constraints_hit, log_in):
    olga = make_user(session)
    client = log_in(olga)
    checks = race(
        monkeypatch, membership, "_ensure_name_free", rival_team(session, "night SHIFT", "rival")
    )
    response = client.post("/teams", data={"name": "Night Shift"})
    assert response.status_code == 409
    assert field_errors(response, "name") == ["Someone has just taken this team name."]
    assert checks == ["free"] and constraints_hit == ["uq_teams_name_key"]
    assert session.scalar(select(Team.id).where(Team.name == "Night Shift")) is None
    assert count(session, Membership.user_id) == 0


def test_a_team_address_taken_at_the_same_moment(
    app, session, monkeypatch, constraints_hit, log_in
):
    olga = make_user(session)
    client = log_in(olga)
    # Another name with the same address (slug), made once the slug was chosen.
    checks = race(
        monkeypatch, membership, "_free_slug", rival_team(session, "Night-Shift!", "night-shift")
    )
    response = client.post("/teams", data={"name": "Night Shift"})
    assert response.status_code == 409
    assert field_errors(response, "name") == [
        "Someone has just made a team with a name like this one. Please try again."
    ]
    assert checks == ["free"] and constraints_hit == ["uq_teams_slug"]
    assert session.scalar(select(Team.id).where(Team.name == "Night Shift")) is None


def test_a_contact_renamed_to_a_name_given_at_the_same_moment(
    app, session, monkeypatch, constraints_hit, log_in
):
    ada = make_user(session)
    hans = contact_rules.add(session, ada, "Hans")
    session.commit()
    client = log_in(ada)

    def rival():
        session.add(Contact(owner_id=ada.id, name="Grete"))
        session.commit()

    checks = race(monkeypatch, contact_rules, "find_by_name", rival)
    response = client.post(f"/contacts/{hans.id}", data={"name": "Grete", "note": "Upstairs"})
    assert response.status_code == 409
    assert field_errors(response, "name") == ["You already have a contact with this name."]
    assert "<h1>Hans</h1>" in response.text  # the name it still has, read again
    assert checks == ["free"] and constraints_hit == ["uq_contacts_owner_id_name"]
    session.expire_all()
    assert (session.get(Contact, hans.id).name, session.get(Contact, hans.id).note) == (
        "Hans",
        None,
    )


def test_joining_a_team_twice_at_the_same_moment_simply_succeeds(app, session, monkeypatch, log_in):
    owner, mia = make_user(session), make_user(session)
    team = membership.create(session, owner, name="Night Shift", description=None, is_public=False)
    session.commit()
    client = log_in(mia)

    def rival_join():
        session.add(Membership(team_id=team.id, user_id=mia.id, role="member"))
        session.commit()

    checks = race(monkeypatch, membership, "role_of", rival_join)
    seen: list[str | None] = []
    real_name = membership.constraint_name

    def spy(error):
        seen.append(real_name(error))
        return seen[-1]

    monkeypatch.setattr(membership, "constraint_name", spy)
    response = client.post(f"/teams/join/{team.invite_code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teams/{team.slug}"
    assert checks == ["free"] and seen == ["pk_memberships"]
    session.expire_all()
    assert session.scalars(
        select(Membership.role).where(Membership.team_id == team.id, Membership.user_id == mia.id)
    ).all() == ["member"]
    assert "Welcome to Night Shift!" in client.get(f"/teams/{team.slug}").text


def test_an_unknown_constraint_is_logged_with_the_request_id_and_answers_409(
    app, session, monkeypatch, caplog, log_in
):
    ada = make_user(session)
    client = log_in(ada)

    def add_nameless(db_session, owner, name, note=None):
        db_session.add(Contact(owner_id=owner.id, name=""))  # breaks a CHECK constraint
        db_session.flush()

    monkeypatch.setattr(contact_rules, "add", add_nameless)
    with caplog.at_level(logging.WARNING):
        response = client.post(
            "/contacts", data={"name": "Grete"}, headers={"X-Request-ID": "req-42.a"}
        )
    assert response.status_code == 409
    assert "Someone changed this at the same moment" in response.text
    assert response.headers["X-Request-ID"] == "req-42.a"
    logged = [record.getMessage() for record in caplog.records if "req-42.a" in record.getMessage()]
    assert len(logged) == 1
    assert "ck_contacts_name_not_empty" in logged[0] and "POST /contacts" in logged[0]
    assert "Grete" not in logged[0]
    assert count(session, Contact.id) == 0


@pytest.mark.parametrize("given", ["", "two words", "x" * 65, "ünïcode"])
def test_a_request_id_that_is_not_sane_is_replaced(client, given):
    answered = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert answered != given and re.fullmatch(r"[0-9a-f]{16}", answered)


# -- files in place of text ----------------------------------------------------

TEXT_FIELDS = [
    ("/login", "email"),
    ("/signup", "email"),
    ("/contacts", "name"),
    ("/acts/new", "what"),
    ("/teams", "name"),
    ("/settings/profile", "display_name"),
    ("/chains/{ref}/report", "text"),
]


@pytest.mark.parametrize(("path", "field"), TEXT_FIELDS)
def test_a_file_sent_for_a_text_field_gets_a_clear_400(app, session, path, field, log_in):
    ada = make_user(session, display_name="Ada")
    act = make_act(session, make_user(session), TODAY, visibility="public")
    client = log_in(ada)
    before = [count(session, column) for column in (User.id, Contact.id, Act.id, Team.id)]
    response = client.post(
        path.format(ref=act.ref),
        data={field: (io.BytesIO(b"not text"), "notes.txt"), "reason": "spam"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This form takes no files." in response.text
    assert [count(session, column) for column in (User.id, Contact.id, Act.id, Team.id)] == before
    session.expire_all()
    assert session.get(User, ada.id).display_name == "Ada"


# -- names that grow when lower-cased -------------------------------------------


def test_a_team_name_that_grows_past_its_column_when_lower_cased_is_refused(app, session, log_in):
    client = log_in(make_user(session))
    longest = client.post("/teams", data={"name": "İ" * 40})  # 80 once lower-cased: fits
    assert longest.status_code == 302
    response = client.post("/teams", data={"name": "İ" * 41})
    assert response.status_code == 422
    assert field_errors(response, "name") == [
        "This name is too long to store; please use a shorter one."
    ]
    assert count(session, Team.id) == 1


def test_the_longest_dotted_address_the_form_takes_still_fits(client, session):
    email = "İ" * 64 + "@example.org"  # the most İ email_validator takes before the @
    assert len(email.lower()) > len(email)
    response = client.post(
        "/signup",
        data={"email": email, "password": PASSWORD, "display_name": "Dot",
              "time_zone": "UTC", "locale": "en"},
    )  # fmt: skip
    assert response.status_code == 302
    assert session.scalar(select(User.email).where(User.display_name == "Dot")) == email.lower()


def test_an_address_too_long_once_lower_cased_is_refused_by_the_rules(session):
    with pytest.raises(InvalidInput) as refused:
        make_user(session, email="İ" * 130 + "@example.org")
    assert refused.value.field == "email"
    assert count(session, User.id) == 0


def test_a_dotted_profile_name_gets_the_rule_not_a_500(app, session, log_in):
    ada = make_user(session)
    client = log_in(ada)
    response = client.post("/settings/public-profile", data={"public": "y", "name": "İ" * 40})
    assert response.status_code == 422
    assert "3 to 40 small letters" in field_errors(response, "name")[0]
    session.expire_all()
    assert session.get(User, ada.id).profile_name is None
