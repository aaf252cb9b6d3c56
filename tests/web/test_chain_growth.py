"""How a chain grew, on its page and in its exports: figures, the growth chart,
the replay data; a private act shows only as a placeholder and its week."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.conftest import joined_app
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
# The exact days of the private acts, in every form they could leak in.
SECRET_DAYS = ("2026-11-04", "2026-11-12", "Nov 4, 2026", "Nov 12, 2026", "4 Nov", "12 Nov")
SECRET_TEXTS = ("PrivateRootText", "PrivateForwardText", "AdaDisplay")


def grow(session):
    """ada's private root (Wed 4 Nov), passed on by ben twice in the week of 9 Nov
    (publicly on Wed 11, privately on Thu 12); cy passed the public one on, today."""
    ada = make_user(session, display_name="AdaDisplay")
    ben = make_user(session, display_name="BenDisplay")
    cy = make_user(session, display_name="CyDisplay")
    root = make_act(session, ada, date(2026, 11, 4), what="PrivateRootText")
    claim(session, root, ben)
    public = make_act(
        session, ben, date(2026, 11, 11), what="PublicForwardText", visibility="public", parent=root
    )
    private = make_act(session, ben, date(2026, 11, 12), what="PrivateForwardText", parent=root)
    claim(session, public, cy)
    leaf = make_act(
        session, cy, date(2026, 11, 26), what="PublicLeafText", visibility="public", parent=public
    )
    return {"ada": ada, "root": root, "public": public, "private": private, "leaf": leaf}


@pytest.fixture
def grown(session):
    return grow(session)


def replay_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="chain-weeks">(.*?)</script>', page)
    assert found, "the page carries the replay data"
    return json.loads(found[1])


def test_the_page_shows_every_figure(app, grown):
    page = app.test_client().get(f"/chains/{grown['public'].ref}").get_data(as_text=True)
    # The three of its reach at the top, the rest under "How it grew".
    lists = re.findall(r'<ul class="totals chain-figures".*?</ul>', page, re.S)
    assert len(lists) == 2
    items = [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for figures in lists
        for item in figures.split("<li>")[1:]
    ]
    assert items == [
        "4 acts",
        "5 people reached",
        "3 generations",
        "2 acts in the widest generation",
        "1 act passed on more than once",
        "4 weeks",
        "50% of the acts were passed on",
    ]
    assert 'class="growth-chart"' in page
    assert page.count('class="growth-bar"') == 4


def test_a_private_act_shows_only_its_week_anywhere(app, grown):
    client = app.test_client()
    ref = grown["public"].ref
    responses = {
        fmt: client.get(f"/chains/{ref}{fmt}") for fmt in ("", ".json", ".graphml", ".svg")
    }
    for fmt, response in responses.items():
        assert response.status_code == 200, fmt
        text = response.get_data(as_text=True)
        assert "PublicForwardText" in text, fmt
        for secret in (*SECRET_DAYS, *SECRET_TEXTS):
            assert secret not in text, (fmt, secret)
    page = responses[""].get_data(as_text=True)
    # The chart: the private acts count in their weeks, by week alone.
    assert re.search(r'data-week="2026-11-02" data-acts="1"', page)
    assert re.search(r'data-week="2026-11-09" data-acts="2"', page)
    assert "Week of Nov 2, 2026: 1 act" in page
    replay = replay_data(page)
    assert replay["nodes"] == {
        grown["root"].ref: 0,
        grown["public"].ref: 1,
        grown["private"].ref: 1,
        grown["leaf"].ref: 3,
    }
    assert replay["weeks"] == [f"Week of Nov {day}, 2026" for day in (2, 9, 16, 23)]
    data = responses[".json"].get_json()
    by_ref = {node["ref"]: node for node in data["nodes"]}
    assert by_ref[grown["root"].ref] == {
        "ref": grown["root"].ref,
        "parent": None,
        "generation": 0,
        "week": "2026-11-02",
        "placeholder": True,
    }
    assert by_ref[grown["public"].ref]["date"] == "2026-11-11"


def test_the_author_sees_her_own_day(grown, log_in):
    ada = log_in(grown["ada"])
    data = ada.get(f"/chains/{grown['root'].ref}.json").get_json()
    root = next(node for node in data["nodes"] if node["ref"] == grown["root"].ref)
    assert (root["date"], root["week"]) == ("2026-11-04", "2026-11-02")


def test_json_carries_every_figure(app, grown):
    data = app.test_client().get(f"/chains/{grown['leaf'].ref}.json").get_json()
    assert data["figures"] == {
        "acts": 4,
        "reach": 5,
        "generations": 3,
        "widest_generation": 2,
        "branches": 1,
        "passed_on": 2,
        "passed_on_share": 0.5,
        "span_weeks": 4,
        "weeks": [
            {"week": "2026-11-02", "acts": 1},
            {"week": "2026-11-09", "acts": 2},
            {"week": "2026-11-16", "acts": 0},
            {"week": "2026-11-23", "acts": 1},
        ],
    }


def test_graphml_declares_typed_attributes(app, grown):
    text = app.test_client().get(f"/chains/{grown['leaf'].ref}.graphml").get_data(as_text=True)
    root = ET.fromstring(text)  # noqa: S314  (our own output)
    keys = {
        (key.get("for"), key.get("id")): key.get("attr.type") for key in root.iter(f"{GRAPHML}key")
    }
    assert keys[("node", "generation")] == "int"
    assert keys[("node", "placeholder")] == "boolean"
    assert keys[("node", "week")] == "string"
    assert keys[("graph", "branches")] == "int"
    assert keys[("graph", "passed_on_share")] == "double"
    casts = {"int": int, "double": float, "boolean": {"true": True, "false": False}.__getitem__}
    casts["string"] = str
    graph = root.find(f"{GRAPHML}graph")
    figures = {
        data.get("key"): casts[keys[("graph", data.get("key"))]](data.text)
        for data in graph.findall(f"{GRAPHML}data")
    }
    assert figures["widest_generation"] == 2
    assert figures["span_weeks"] == 4
    assert figures["passed_on_share"] == 0.5
    nodes = {}
    for node in graph.iter(f"{GRAPHML}node"):
        values = {
            data.get("key"): casts[keys[("node", data.get("key"))]](data.text)
            for data in node.findall(f"{GRAPHML}data")
        }
        nodes[node.get("id")] = values
    assert nodes[grown["leaf"].ref]["generation"] == 2
    assert nodes[grown["root"].ref] == {"generation": 0, "week": "2026-11-02", "placeholder": True}


def test_the_downloaded_svg_links_to_the_base_url(database):
    base = "https://kind.example/kindness"
    with joined_app(database, BASE_URL=base + "/") as app:
        session = app.extensions["kindness.db"].sessionmaker()
        try:
            acts = grow(session)
            client = app.test_client()
            svg = client.get(f"/chains/{acts['leaf'].ref}.svg").get_data(as_text=True)
            page = client.get(f"/chains/{acts['leaf'].ref}").get_data(as_text=True)
        finally:
            session.close()
    links = re.findall(r'href="([^"]*)"', svg)
    assert len(links) == 4
    assert all(link.startswith(base + "/chains/") for link in links), links
    assert f'href="{base}/chains/{acts["public"].ref}"' in svg
    # The page itself keeps its links on the site it is served from.
    assert f'href="/chains/{acts["public"].ref}"' in page
