"""Explore, share previews, public profiles and moderation."""

import re

import pytest
from sqlalchemy import select

from kindness.domain import moderation
from kindness.domain.errors import NotFound
from kindness.models import Act, ChainStats, ModerationAction, Report, User
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_tree, make_user
from tests.web.test_query_budgets import BUDGETS

pytestmark = pytest.mark.usefixtures("clock")


def test_explore_lists_only_chains_with_a_public_act(app, session):
    ada, ben = make_user(session), make_user(session)
    public = make_act(session, ada, TODAY, what="A public act", visibility="public")
    private = make_act(session, ada, TODAY, what="SecretPrivateAct")
    claim(session, public, ben)
    make_act(session, ben, TODAY, what="Its forward", parent=public)
    page = app.test_client().get("/explore")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/chains/{public.ref}" in text
    assert f"/chains/{private.ref}" not in text
    assert "SecretPrivateAct" not in text
    assert "A public act" in text and "2 acts" in text and 'class="chain-thumb' in text


def test_explore_sorts_filters_searches_and_paginates(app, session):
    ada, ben = make_user(session), make_user(session)
    big = make_tree(session, ada, ben, 30, visibility="public")
    small = make_act(session, ada, TODAY, what="Gave my umbrella away", category="gift",
                     visibility="public")  # fmt: skip
    client = app.test_client()
    by_generations = client.get("/explore?sort=generations").get_data(as_text=True)
    assert by_generations.index(big[0].ref) < by_generations.index(small.ref)
    newest = client.get("/explore?sort=newest").get_data(as_text=True)
    assert newest.index(small.ref) < newest.index(big[0].ref)
    gifts = client.get("/explore?category=gift").get_data(as_text=True)
    assert small.ref in gifts and big[0].ref not in gifts
    found = client.get("/explore?q=UMBRELLA").get_data(as_text=True)
    assert small.ref in found and big[0].ref not in found
    # Only punctuation is no word to look for: the whole listing.
    everything = client.get("/explore?q=%25").get_data(as_text=True)
    assert small.ref in everything and big[0].ref in everything
    for _ in range(25):
        make_act(session, ada, TODAY, visibility="public")
    first = client.get("/explore?sort=newest").get_data(as_text=True)
    assert 'rel="next"' in first
    assert client.get("/explore?sort=newest&page=2").status_code == 200


@pytest.mark.parametrize(
    "query", ["sort=best", "category=bribery", "page=0", "page=x", "q=" + "x" * 101]
)
def test_explore_bad_parameters_get_a_clear_400(app, query):
    response = app.test_client().get(f"/explore?{query}")
    assert response.status_code == 400
    assert 'class="errors"' in response.get_data(as_text=True)


def test_explore_reads_a_fixed_number_of_queries(app, session, count_queries):
    ada, ben = make_user(session), make_user(session)
    make_tree(session, ada, ben, 5, visibility="public")
    client = app.test_client()
    with count_queries() as few:
        client.get("/explore")
    for _ in range(3):
        make_tree(session, ada, ben, 40, visibility="public")
    with count_queries() as many:
        client.get("/explore")
    assert few.count == many.count


def test_search_marks_the_words_found_and_keeps_html_escaped(app, session):
    ada, ben = make_user(session), make_user(session)
    make_act(session, ada, TODAY, visibility="public",
             what='<script>alert(1)</script> Fed the <b>Ducks</b> & "geese"')  # fmt: skip
    secret = make_act(session, ada, TODAY, what="Ducks in my secret pond")
    claim(session, secret, ben)
    make_act(session, ben, TODAY, what="Fed ducks at the canal", visibility="public",
             parent=secret)  # fmt: skip
    page = app.test_client().get("/explore?q=duck")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; Fed the &lt;b&gt;<mark>Ducks</mark>&lt;/b&gt;"
            " &amp; &#34;geese&#34;") in text  # fmt: skip
    assert "<script>alert" not in text and "<b>Ducks" not in text
    # The private root is not the chain's text: its public forward, which matched, is.
    assert "Fed <mark>ducks</mark> at the canal" in text
    assert "secret" not in text
    assert text.count("<mark>") == 2


def test_search_shows_a_long_text_around_its_match(app, session):
    ada = make_user(session)
    what = "Walked " + "very " * 40 + "far to return a wallet, then " + "went " * 40 + "home"
    make_act(session, ada, TODAY, what=what, visibility="public")
    text = app.test_client().get("/explore?q=wallet").get_data(as_text=True)
    assert re.search(r"…[^<]*<mark>wallet</mark>[^<]*…", text)


def test_search_reads_as_many_queries_as_the_listing(app, session, count_queries, log_in):
    ada, ben = make_user(session), make_user(session)
    make_tree(session, ada, ben, 5, visibility="public")
    client = log_in(make_user(session))
    with count_queries() as listing:
        client.get("/explore")
    with count_queries() as few:
        assert "<mark>" in client.get("/explore?q=tree+act").get_data(as_text=True)
    for _ in range(3):
        make_tree(session, ada, ben, 40, visibility="public")
    with count_queries() as many:
        client.get("/explore?q=tree+act&category=help")
    assert listing.count == few.count == many.count == BUDGETS["explore"]


def test_chain_page_has_share_preview_tags_and_card(app, session):
    ada, ben = make_user(session), make_user(session)
    tree = make_tree(session, ada, ben, 12, visibility="public")
    page = app.test_client().get(f"/chains/{tree[0].ref}").get_data(as_text=True)
    for tag in ('property="og:title"', 'property="og:image"', 'name="twitter:card"',
                'property="og:description"'):  # fmt: skip
        assert tag in page
    image = re.search(r'property="og:image" content="([^"]+)"', page).group(1)
    assert image.endswith(f"/chains/{tree[0].ref}/card.png")
    assert "through 2 people in 4 generations" in page
    card = app.test_client().get(f"/chains/{tree[0].ref}/card.svg")
    assert card.mimetype == "image/svg+xml"
    assert "This kindness travelled" in card.get_data(as_text=True)
    assert 'data-copy="share-link"' in page


def test_public_profile_is_off_by_default_and_opt_in(app, session, log_in):
    ada = make_user(session, display_name="Ada")
    act = make_act(session, ada, TODAY, what="Shared publicly", visibility="public")
    make_act(session, ada, TODAY, what="KeptPrivate")
    client = log_in(ada)
    assert app.test_client().get("/u/ada-k").status_code == 404
    bad = client.post("/settings/public-profile", data={"public": "y", "name": "A!"})
    assert "small letters" in bad.get_data(as_text=True)
    client.post("/settings/public-profile", data={"public": "y", "name": "ada-k"})
    page = app.test_client().get("/u/ada-k").get_data(as_text=True)
    assert "Shared publicly" in page and "KeptPrivate" not in page
    assert f"/chains/{act.ref}" in page
    other = make_user(session)
    taken = log_in(other).post("/settings/public-profile", data={"public": "y", "name": "ada-k"})
    assert "taken" in taken.get_data(as_text=True)
    client.post("/settings/public-profile", data={"name": "ada-k"})
    assert app.test_client().get("/u/ada-k").status_code == 404


def test_report_hide_and_restore_with_a_record(app, session, runner, log_in):
    ada, ben, mod = make_user(session), make_user(session), make_user(session)
    act = make_act(session, ada, TODAY, what="Questionable text", visibility="public")
    result = runner.invoke(args=["make-admin", mod.email.upper()])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["make-admin", "nobody@example.org"]).exit_code != 0
    reporter = log_in(ben)
    assert "Report an act" in reporter.get(f"/chains/{act.ref}/report").get_data(as_text=True)
    bad = reporter.post(f"/chains/{act.ref}/report", data={"reason": "meh"})
    assert bad.status_code == 422
    reporter.post(f"/chains/{act.ref}/report", data={"reason": "hurtful", "text": "Unkind"})
    assert session.scalars(select(Report)).one().reason == "hurtful"

    admin = log_in(mod)
    queue = admin.get("/admin/reports").get_data(as_text=True)
    assert "Questionable text" in queue and "Unkind" in queue
    admin.post(f"/admin/acts/{act.id}/hide")
    anonymous = app.test_client()
    assert anonymous.get(f"/chains/{act.ref}").status_code == 404  # no public act left
    assert "Questionable text" not in reporter.get(f"/chains/{act.ref}").get_data(as_text=True)
    assert "Questionable text" in log_in(ada).get(f"/chains/{act.ref}").get_data(as_text=True)
    session.expire_all()
    assert session.get(ChainStats, act.root_id).public_acts == 0
    assert session.scalars(select(Report)).one().resolved_at is not None
    admin.post(f"/admin/acts/{act.id}/restore")
    assert "Questionable text" in anonymous.get(f"/chains/{act.ref}").get_data(as_text=True)
    steps = session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [(s.action, s.moderator_id) for s in steps] == [("hide", mod.id), ("restore", mod.id)]
    assert all(step.created_at is not None for step in steps)


def test_suspending_hides_acts_and_refuses_login(app, session, log_in):
    ada, mod = make_user(session), make_user(session)
    mod.is_admin = True
    session.commit()
    act = make_act(session, ada, TODAY, what="Soon hidden", visibility="public")
    ada_client = log_in(ada)
    log_in(mod).post(f"/admin/users/{ada.id}/suspend")
    assert ada_client.get("/settings").status_code == 302  # their session ended
    refused = app.test_client().post("/login", data={"email": ada.email, "password": PASSWORD})
    assert "suspended" in refused.get_data(as_text=True)
    assert app.test_client().get(f"/chains/{act.ref}").status_code == 404
    log_in(mod).post(f"/admin/users/{ada.id}/unsuspend")
    assert "Soon hidden" in app.test_client().get(f"/chains/{act.ref}").get_data(as_text=True)


def test_admin_pages_are_404_for_everyone_else(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY, visibility="public")
    client = log_in(ada)
    assert client.get("/admin/reports").status_code == 404
    for path in (f"/admin/acts/{act.id}/hide", f"/admin/users/{ada.id}/suspend"):
        assert client.post(path).status_code == 404
    session.expire_all()
    assert session.get(Act, act.id).hidden_at is None
    assert session.get(User, ada.id).suspended_at is None


def test_reports_are_rate_limited_and_only_for_public_acts(app, session, log_in):
    app.config["REPORT_LIMIT"] = "2 per hour"
    ada, ben = make_user(session), make_user(session)
    public = make_act(session, ada, TODAY, visibility="public")
    private = make_act(session, ada, TODAY)
    client = log_in(ben)
    assert client.post(f"/chains/{private.ref}/report", data={"reason": "spam"}).status_code == 404
    client.post(f"/chains/{public.ref}/report", data={"reason": "spam"})
    assert client.post(f"/chains/{public.ref}/report", data={"reason": "spam"}).status_code == 429
    with pytest.raises(Exception, match="own act"):
        moderation.report(session, ada, public.ref, "spam", None)


def test_make_admin_finds_the_address_as_sign_up_stored_it(session):
    ada = make_user(session, email="ada.k@example.org")
    assert moderation.make_admin(session, "  Ada.K@Example.ORG\t") == ada
    assert ada.is_admin
    with pytest.raises(NotFound):
        moderation.make_admin(session, "ada@example.org")
