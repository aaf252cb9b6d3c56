"""Previews that show: the chain card as PNG (its size, its text, its masking, its
cache), the pass card as PNG for its author alone, the preview tags of the
chain page, and the texts that name chains on the chain page and in explore."""

import re

import pytest

from kindness.domain import moderation, passes
from kindness.web import card_pictures
from tests import pngs
from tests.clock import TODAY
from tests.factories import claim, make_act, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def renders(monkeypatch):
    """Counts the PNG renders of the chain card, from an empty cache."""
    calls = []
    real = card_pictures.svg_to_png

    def counting(svg, width, height):
        calls.append((width, height))
        return real(svg, width, height)

    card_pictures.clear_cache()
    monkeypatch.setattr(card_pictures, "svg_to_png", counting)
    yield calls
    card_pictures.clear_cache()


def test_chain_card_png_is_a_real_picture_with_its_text(app, session, renders):
    ada, ben = make_user(session), make_user(session)
    tree = make_tree(session, ada, ben, 3, visibility="public")
    response = app.test_client().get(f"/chains/{tree[1].ref}/card.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    png = response.get_data()
    assert pngs.size(png) == (1200, 630)
    image = pngs.decode(png, rows=460)
    # The headline (baseline 330, 60 px bold) and the figures (baseline 420): dark
    # text pixels where the words are, none without a font to draw them in.
    assert pngs.dark_pixels(image, 280, 345, 100, 700) > 2000
    assert pngs.dark_pixels(image, 385, 430, 100, 500) > 500
    # Around the card is the page's calm background, not black.
    assert pngs.dark_pixels(image, 0, 30, 0, 1200) == 0
    assert renders == [(1200, 630)]


def test_chain_card_png_is_cached_by_chain_figures_and_language(app, session, renders):
    ada, ben = make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="Fixed a bike", visibility="public")
    client = app.test_client()
    first = client.get(f"/chains/{root.ref}/card.png")
    again = client.get(f"/chains/{root.ref}/card.png")
    assert first.get_data() == again.get_data()
    assert len(renders) == 1
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    assert {"Accept-Language", "Cookie"} <= set(first.vary)
    tag = first.headers["ETag"]
    assert tag and again.headers["ETag"] == tag
    # A preview bot that asks again with the tag gets "not modified", no render.
    unchanged = client.get(f"/chains/{root.ref}/card.png", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert len(renders) == 1
    # The chain grows (a forward: one more act and generation): a new picture and tag.
    claim(session, root, ben)
    make_act(session, ben, TODAY, what="Passed it on", parent=root)
    grown = client.get(f"/chains/{root.ref}/card.png", headers={"If-None-Match": tag})
    assert grown.status_code == 200 and grown.headers["ETag"] != tag
    assert len(renders) == 2
    # Another language is another picture.
    german = client.get(f"/chains/{root.ref}/card.png", headers={"Accept-Language": "de"})
    assert german.status_code == 200 and german.headers["ETag"] != grown.headers["ETag"]
    assert len(renders) == 3
    assert "Diese" in client.get(
        f"/chains/{root.ref}/card.svg", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)


def test_chain_card_png_is_masked_as_the_svg_card(app, session, log_in, renders):
    ada, mod = make_user(session), make_user(session)
    private = make_act(session, ada, TODAY, what="Only mine")
    hidden = make_act(session, ada, TODAY, what="Soon hidden", visibility="public")
    anonymous = app.test_client()
    assert anonymous.get(f"/chains/{hidden.ref}/card.png").status_code == 200
    moderation.hide(session, mod, hidden.id)
    session.commit()
    for act in (private, hidden):
        for path in (f"/chains/{act.ref}/card.png", f"/chains/{act.ref}/card.svg"):
            assert anonymous.get(path).status_code == 404, path
    assert anonymous.get("/chains/nosuchref/card.png").status_code == 404
    # Signed-in people see any chain's figures, but no shared cache may keep them.
    signed_in = log_in(make_user(session)).get(f"/chains/{private.ref}/card.png")
    assert signed_in.status_code == 200
    assert signed_in.headers["Cache-Control"].startswith("private")


def test_chain_page_points_previews_at_the_png(app, session):
    ada, ben = make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="Kept a secret root")
    claim(session, root, ben)
    first = make_act(session, ben, TODAY, what="Fed <the> cat & dog " + "very " * 30,
                     visibility="public", parent=root)  # fmt: skip
    page = app.test_client().get(f"/chains/{first.ref}").get_data(as_text=True)
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert image == f"http://127.0.0.1:5000/chains/{root.ref}/card.png"
    assert f'<meta name="twitter:image" content="{image}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    alt = re.search(r'<meta property="og:image:alt" content="([^"]+)">', page).group(1)
    assert alt == "This kindness travelled through 3 people in 2 generations"
    # The title is the first public act's text, escaped and shortened; never the
    # private root's.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("Fed &lt;the&gt; cat &amp; dog very")
    assert "…" in title and len(title) < 120
    assert "Kept a secret root" not in page


def test_chain_page_without_a_public_act_keeps_its_plain_title(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY, what="Quietly done")
    page = log_in(ada).get(f"/chains/{act.ref}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("A chain of kindness") and "Quietly done" not in title


def test_pass_card_png_is_for_its_author_alone(app, session, log_in, monkeypatch):
    ada, ben = make_user(session), make_user(session)
    act = make_act(session, ada, TODAY, what="Shovelled the snow")
    author = log_in(ada)
    assert author.get(f"/acts/{act.id}/card.png").status_code == 404  # no card yet
    link = passes.create(session, act, show_text=True)
    session.commit()
    response = author.get(f"/acts/{act.id}/card.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert pngs.size(response.get_data()) == (1080, 1350)
    image = pngs.decode(response.get_data(), rows=300)
    assert pngs.dark_pixels(image, 220, 300, 110, 900) > 1000  # the headline
    assert link.code.encode() not in response.get_data()  # drawn, not written in
    quotes = []
    real = card_pictures.pass_card_png
    monkeypatch.setattr(
        card_pictures, "pass_card_png", lambda url, quote: quotes.append(quote) or real(url, quote)
    )
    author.get(f"/acts/{act.id}/card.png")
    hidden = make_act(session, ada, TODAY, what="Soon hidden", visibility="public")
    passes.create(session, hidden, show_text=True)
    moderation.hide(session, make_user(session), hidden.id)
    session.commit()
    assert author.get(f"/acts/{hidden.id}/card.png").status_code == 200
    assert quotes == ["Shovelled the snow", None]  # a hidden act's card shows no text
    assert log_in(ben).get(f"/acts/{act.id}/card.png").status_code == 404
    assert app.test_client().get(f"/acts/{act.id}/card.png").status_code == 302  # log in first
    claim_client = log_in(ben)
    claim_client.post(f"/p/{link.code}")
    assert author.get(f"/acts/{act.id}/card.png").status_code == 404  # claimed: no open card


def test_explore_names_chains_by_their_first_public_text(app, session):
    ada, ben, mod = make_user(session), make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="PRIVATE-root-text")
    claim(session, root, ben)
    make_act(session, ben, TODAY, what="TEAM-only-text", visibility="team", parent=root)
    shown = make_act(session, ben, TODAY, what="Lent <my> ladder & more", visibility="public",
                     parent=root)  # fmt: skip
    hidden_root = make_act(session, ada, TODAY, what="HIDDEN-first-text", visibility="public")
    claim(session, hidden_root, ben)
    make_act(session, ben, TODAY, what="Second and still public", visibility="public",
             parent=hidden_root)  # fmt: skip
    moderation.hide(session, mod, hidden_root.id)
    make_act(session, ada, TODAY, what="A very long text " * 10, visibility="public")
    session.commit()
    client = app.test_client()
    page = client.get("/explore").get_data(as_text=True)
    assert "Lent &lt;my&gt; ladder &amp; more" in page
    assert "Second and still public" in page
    for secret in ("PRIVATE-root-text", "TEAM-only-text", "HIDDEN-first-text", "<my>"):
        assert secret not in page
    assert "A very long text A very long text" in page
    assert ("A very long text " * 10).strip() not in page  # shortened
    assert f"/chains/{root.ref}" in page and shown.ref not in page


def test_explore_search_shows_the_text_that_matched(app, session):
    ada, ben = make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="Walked the dog", visibility="public")
    claim(session, root, ben)
    make_act(session, ben, TODAY, what="Bought a coffee for a stranger", visibility="public",
             category="gift", parent=root)  # fmt: skip
    make_act(session, ben, TODAY, what="SECRET coffee plans", parent=root)
    client = app.test_client()
    found = client.get("/explore?q=coffee").get_data(as_text=True)
    assert "Bought a <mark>coffee</mark> for a stranger" in found
    assert "Walked the dog" not in found and "SECRET" not in found
    assert "Walked the dog" in client.get("/explore").get_data(as_text=True)
    gifts = client.get("/explore?category=gift").get_data(as_text=True)
    assert "Bought a coffee for a stranger" in gifts and "Walked the dog" not in gifts
    # Only a private act matches: nothing is listed, nothing leaks.
    secret = client.get("/explore?q=plans").get_data(as_text=True)
    assert "SECRET" not in secret and "No public chain matches yet." in secret


def test_the_card_page_offers_the_picture_to_download(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    author = log_in(ada)
    page = author.post(f"/acts/{act.id}/pass", data={"keep": "y"}, follow_redirects=True).text
    link = f'href="/acts/{act.id}/card.png" download'
    assert link in page
    assert author.get(f"/acts/{act.id}/card.png").mimetype == "image/png"
