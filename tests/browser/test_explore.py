"""Journey 4: an anonymous viewer browses /explore, opens a chain, and finds the
tags a link preview reads and a link to share."""

import re

import pytest

from tests import pngs

pytestmark = pytest.mark.browser

SHARED = "Read aloud to the children at the library"
HIDDEN = "Brought my neighbour a private soup"


def test_an_anonymous_viewer_explores_and_shares_a_chain(people):
    pia = people("pia")
    pia.goto("/signup")
    pia.sign_up("Pia", "pia.explore@example.org")
    pia.goto("/acts/new")
    pia.page.fill("#what", SHARED)
    pia.page.get_by_label("Everyone").check()
    pia.press(pia.button("Log it"))
    pia.goto("/acts/new")
    pia.page.fill("#what", HIDDEN)
    pia.press(pia.button("Log it"))

    visitor = people("visitor")
    visitor.goto("/explore")
    assert visitor.heading() == "Explore kindness"
    assert HIDDEN not in visitor.page.content()
    visitor.page.fill("#q", "read aloud")
    visitor.press(visitor.button("Show"))
    items = visitor.page.locator(".explore-item")
    assert items.count() == 1
    assert items.first.locator("svg.chain-thumb").count() == 1
    # The row is named by the public act that matched the search.
    visitor.press(items.first.get_by_role("link", name=SHARED))
    assert visitor.heading() == "A chain of kindness"
    assert SHARED in visitor.main_text()

    head = visitor.page.locator("head")
    image = head.locator('meta[property="og:image"]').get_attribute("content")
    assert re.search(r"/chains/[A-Za-z0-9_-]+/card\.png$", image)
    assert head.locator('meta[property="og:image:width"]').get_attribute("content") == "1200"
    assert head.locator('meta[property="og:image:alt"]').get_attribute("content")
    assert visitor.page.title().startswith(SHARED)
    assert head.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image"
    )
    description = head.locator('meta[property="og:description"]').get_attribute("content")
    assert description == f"{SHARED} · through 2 people in 1 generation"
    share = visitor.page.locator("#share-link")
    assert share.input_value() == visitor.page.url
    copy = visitor.button("Copy link")
    assert copy.is_visible()  # the small script ran under the strict CSP
    card = visitor.page.request.get(image)
    assert card.status == 200, (image, card.status)
    assert card.headers["content-type"] == "image/png"
    assert pngs.size(card.body()) == (1200, 630)
