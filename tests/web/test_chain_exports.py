"""The chains' downloads (.json, .graphml, .svg): the same bytes as before they
were streamed, an ETag of the chain's version, the viewer's masking class and
the language (304 without reading the chain), gzip for them and for static
files, never for HTML pages."""

import gzip
from datetime import timedelta
from xml.sax.saxutils import escape as xml_escape

import pytest
from flask import current_app
from sqlalchemy import update

from kindness.domain import accounts, acts, contacts, moderation
from kindness.domain.acts import ActInput
from kindness.domain.chains import export as chain_export
from kindness.domain.chains import growth as chain_growth
from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import Viewer
from kindness.domain.teams import membership
from kindness.models import Act, ChainStats
from kindness.web import chains as chain_pages
from tests.clock import TODAY
from tests.factories import claim, make_act, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")

DOWNLOADS = (".json", ".graphml", ".svg")
HOSTILE = 'Brought <soup> & "tea" – für Grüße 😀'


@pytest.fixture
def chain(session):
    """ada's private root for her contact, claimed by ben (named), who passed it on
    publicly (hostile text) and for teams; cy claimed his public act anonymously
    and passed it on; a removed act with a forward stays as a placeholder, a
    hidden one shows only to its author."""
    ada = make_user(session, display_name="Ada <A&A>")
    ben = make_user(session, display_name="Ben")
    cy = make_user(session, display_name="Cy")
    mate = make_user(session, display_name="Mate")
    friend = make_contact(session, ada, "Grete & Co")
    root = make_act(session, ada, TODAY - timedelta(days=20), what="Private root", contact=friend)
    claim(session, root, ben, named=True)
    public = make_act(
        session, ben, TODAY - timedelta(days=9), what=HOSTILE, visibility="public", parent=root
    )
    team = make_act(
        session, ben, TODAY - timedelta(days=8), what="Team act", visibility="team", parent=root
    )
    claim(session, public, cy, named=False)
    gone = make_act(session, cy, TODAY - timedelta(days=2), what="Soon removed", parent=public)
    claim(session, gone, ada, named=True)
    make_act(session, ada, TODAY, what="After the removed", visibility="public", parent=gone)
    acts.remove(session, session.get(Act, gone.id))
    claim(session, team, cy, named=True)
    hidden = make_act(session, cy, TODAY, what="Hidden one", visibility="public", parent=team)
    session.execute(update(Act).where(Act.id == hidden.id).values(hidden_at=Act.created_at))
    session.commit()
    team_of_ben = membership.create(session, ben, name="Crew", description=None, is_public=False)
    membership.join(session, team_of_ben.invite_code, mate, TODAY)
    session.commit()
    return {"ada": ada, "ben": ben, "cy": cy, "mate": mate, "root": root, "public": public}


def viewers(chain, log_in, app, session):
    """name: (client, the person looking or None)."""
    stranger = make_user(session, display_name="Stranger")
    return {
        "anonymous": (app.test_client(), None),
        "stranger": (log_in(stranger), stranger),
        "ada (owner, contact names)": (log_in(chain["ada"]), chain["ada"]),
        "mate (co-member of ben)": (log_in(chain["mate"]), chain["mate"]),
        "cy (hidden act's author)": (log_in(chain["cy"]), chain["cy"]),
    }


# -- the content, as it was built before streaming ---------------------------


def _as_data(node, refs, weeks) -> dict:
    parent = refs.get(node.parent_id) if node.parent_id is not None else None
    data: dict = {"ref": node.ref, "parent": parent, "generation": node.depth}
    if node.id in weeks:
        data["week"] = weeks[node.id].isoformat()
    if node.visible and node.performed_on is not None:
        data.update(
            what=node.what,
            date=node.performed_on.isoformat(),
            category=node.category,
            author=node.author_name,
            recipient=node.recipient_name,
        )
    else:
        data["placeholder"] = True
    return data


def reference_downloads(session, root_id: int, viewer: Viewer) -> tuple[bytes, bytes]:
    """The JSON and GraphML of the chain as the views wrote them before (all acts
    read at once as masked objects, the dict returned to Flask, the lines joined)."""
    stats = session.get(ChainStats, root_id)
    nodes = chain_view.export(session, root_id, viewer)
    refs = {node.id: node.ref for node in nodes}
    growth = chain_growth.of_chain(session, stats)
    weeks = chain_growth.weeks(session, root_id)
    data = {
        "acts": stats.acts,
        "reach": stats.reach,
        "generations": stats.generations,
        "figures": growth.as_data(),
        "nodes": [_as_data(node, refs, weeks) for node in nodes],
    }
    as_json = current_app.json.response(data).get_data()
    figures = growth.as_data()
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(
            f'<key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>'
            for key, kind in chain_pages.NODE_KEYS.items()
        ),
        *(
            f'<key id="{key}" for="graph" attr.name="{key}" attr.type="{kind}"/>'
            for key, kind in chain_pages.GRAPH_KEYS.items()
        ),
        '<graph id="chain" edgedefault="directed">',
        *(
            f'<data key="{key}">{chain_pages._graphml_value(figures[key])}</data>'
            for key in chain_pages.GRAPH_KEYS
        ),
    ]
    for node in nodes:
        node_data = _as_data(node, refs, weeks)
        values = "".join(
            f'<data key="{key}">{chain_pages._graphml_value(node_data[key])}</data>'
            for key in chain_pages.NODE_KEYS
            if node_data.get(key) is not None
        )
        lines.append(f'<node id="{xml_escape(node.ref)}">{values}</node>')
        if node_data["parent"]:
            parent = xml_escape(node_data["parent"])
            lines.append(f'<edge source="{parent}" target="{xml_escape(node.ref)}"/>')
    lines += ["</graph>", "</graphml>"]
    return as_json, "\n".join(lines).encode()


def test_the_downloads_are_byte_for_byte_what_they_were(app, session, chain, log_in):
    seen = set()
    for name, (client, person) in viewers(chain, log_in, app, session).items():
        json_body = client.get(f"/chains/{chain['root'].ref}.json").get_data()
        graphml_body = client.get(f"/chains/{chain['root'].ref}.graphml").get_data()
        with app.test_request_context():
            viewer = Viewer(
                user_id=person.id if person else None,
                team_mates=membership.team_mates(session, person.id) if person else frozenset(),
            )
            expected_json, expected_graphml = reference_downloads(session, chain["root"].id, viewer)
        assert json_body == expected_json, name
        assert graphml_body == expected_graphml, name
        seen.add(json_body)
    # The viewers do see different things (the stranger what the anonymous
    # visitor sees), and the hostile text stays escaped.
    assert len(seen) == 4
    anonymous = app.test_client().get(f"/chains/{chain['root'].ref}.json")
    assert b"\\u003csoup\\u003e \\u0026" in anonymous.data
    assert b"\\ud83d\\ude00" in anonymous.data
    assert HOSTILE in [node.get("what") for node in anonymous.get_json()["nodes"]]


def test_a_chain_wider_than_a_chunk_streams_the_same_bytes(app, session, monkeypatch):
    ada, ben = make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="Root", visibility="public")
    claim(session, root, ben, named=True)
    for number in range(7):
        make_act(session, ben, TODAY, what=f"Forward {number}", visibility="public", parent=root)
    whole = {
        form: app.test_client().get(f"/chains/{root.ref}{form}").get_data()
        for form in (".json", ".graphml")
    }
    monkeypatch.setattr(chain_export, "BATCH", 3)
    for form, body in whole.items():
        response = app.test_client().get(f"/chains/{root.ref}{form}")
        assert response.is_streamed
        assert response.get_data() == body, form
    assert len(app.test_client().get(f"/chains/{root.ref}.json").get_json()["nodes"]) == 8


def test_a_download_reads_a_fixed_number_of_statements(app, session, count_queries):
    ada, ben = make_user(session), make_user(session)
    root = make_act(session, ada, TODAY, what="Root", visibility="public")
    claim(session, root, ben, named=True)
    counts = []
    for more in (1, 12):
        for number in range(more):
            make_act(session, ben, TODAY, what=f"Forward {number}", parent=root)
        with count_queries() as counter:
            for form in DOWNLOADS:
                assert app.test_client().get(f"/chains/{root.ref}{form}").get_data()
        counts.append(counter.count)
    assert counts[0] == counts[1]


# -- ETag and 304 ------------------------------------------------------------


def tags_of(client, ref: str) -> dict[str, str]:
    tags = {}
    for form in DOWNLOADS:
        response = client.get(f"/chains/{ref}{form}")
        assert response.status_code == 200, form
        assert response.headers["Cache-Control"] == "private, no-cache"
        assert {"Cookie", "Accept-Language", "Accept-Encoding"} <= set(response.vary)
        tags[form] = response.headers["ETag"]
    return tags


def test_an_unchanged_download_answers_304_without_reading_the_chain(
    app, session, chain, log_in, monkeypatch
):
    client = log_in(chain["ada"])
    tags = tags_of(client, chain["root"].ref)
    assert len(set(tags.values())) == 3  # each form its own

    def unread(*_args, **_kwargs):
        raise AssertionError("the chain was read for a 304")

    monkeypatch.setattr(chain_pages, "_rows", unread)
    monkeypatch.setattr(chain_view, "build", unread)
    monkeypatch.setattr(chain_growth, "of_chain", unread)
    for form, tag in tags.items():
        response = client.get(f"/chains/{chain['root'].ref}{form}", headers={"If-None-Match": tag})
        assert response.status_code == 304, form
        assert response.data == b""
        assert response.headers["ETag"] == tag
        assert response.headers["Cache-Control"] == "private, no-cache"
    # Another form's tag is no match.
    monkeypatch.undo()
    other = client.get(f"/chains/{chain['root'].ref}.svg", headers={"If-None-Match": tags[".json"]})
    assert other.status_code != 304


@pytest.fixture
def watched(app, session, chain, log_in, clock):
    """ada's client and a function telling whether her downloads' tags changed
    since the last call (time moves on between changes, as it does)."""
    client = log_in(chain["ada"])
    last = [tags_of(client, chain["root"].ref)]

    def changed() -> bool:
        clock.shift(timedelta(seconds=1))
        now = tags_of(client, chain["root"].ref)
        assert now.keys() == last[0].keys()
        moved = {form for form in now if now[form] != last[0][form]}
        assert moved in (set(), set(DOWNLOADS)), moved  # all forms or none
        last[0] = now
        return bool(moved)

    return changed


def test_an_unchanged_chain_keeps_its_tags(watched):
    assert not watched()


def test_a_new_act_gives_new_tags(session, chain, watched):
    watched()
    make_act(session, chain["cy"], TODAY, what="A new forward", parent=chain["public"])
    assert watched()


def test_an_edit_and_a_visibility_change_give_new_tags(session, chain, watched):
    watched()
    public = session.get(Act, chain["public"].id)
    ben = chain["ben"]
    data = ActInput(what=public.what, performed_on=public.performed_on, visibility="public")
    acts.update(
        session, ben, public.id, ActInput(**{**data.__dict__, "what": "Edited text"}), TODAY
    )
    session.commit()
    assert watched()
    acts.update(session, ben, public.id, ActInput(**{**data.__dict__, "visibility": "team"}), TODAY)
    session.commit()
    assert watched()


def test_hiding_and_suspending_give_new_tags(session, chain, watched):
    watched()
    moderator = make_user(session)
    moderator.is_admin = True
    moderation.hide(session, moderator, chain["public"].id)
    session.commit()
    assert watched()
    # A suspension hides every act of the person in one UPDATE statement.
    moderation.suspend(session, moderator, chain["ben"].id)
    session.commit()
    assert watched()


def test_a_claim_a_removal_and_new_names_give_new_tags(session, chain, watched):
    watched()
    leaf = make_act(session, chain["cy"], TODAY, what="Leaf for a claim", parent=chain["public"])
    assert watched()
    claim(session, leaf, make_user(session, display_name="Dora"), named=True)
    assert watched()
    acts.remove(session, session.get(Act, leaf.id))
    session.commit()
    assert watched()
    ben = chain["ben"]
    accounts.update_profile(
        session, ben, display_name="Benjamin", time_zone=ben.time_zone, locale=ben.locale
    )
    session.commit()
    assert watched()
    # ada's contact's name shows to ada on her root.
    friend = contacts.find_by_name(session, chain["ada"], "Grete & Co")
    contacts.update(session, chain["ada"], friend.id, "Grete", None)
    session.commit()
    assert watched()


def test_every_masking_class_and_language_has_its_own_tags(app, session, chain, log_in):
    ref = chain["root"].ref
    classes = {
        name: tags_of(client, ref)
        for name, (client, _person) in viewers(chain, log_in, app, session).items()
    }
    classes["anonymous, in German"] = {
        form: app.test_client()
        .get(f"/chains/{ref}{form}", headers={"Accept-Language": "de"})
        .headers["ETag"]
        for form in DOWNLOADS
    }
    every_tag = [tag for tags in classes.values() for tag in tags.values()]
    assert len(set(every_tag)) == len(every_tag)


def test_a_team_change_gives_the_co_member_new_tags(session, chain, log_in):
    mate = log_in(chain["mate"])
    before = tags_of(mate, chain["root"].ref)
    team = membership.my_teams(session, chain["mate"])[0][0]
    membership.leave(session, team, chain["mate"])
    session.commit()
    assert tags_of(mate, chain["root"].ref)[".json"] != before[".json"]


def test_another_viewers_tag_gets_this_viewers_download(app, session, chain, log_in):
    """A shared browser: ada's copy and its tag stay behind; whoever asks next with
    that tag gets their own masked download, never a 304 to ada's copy."""
    ref = chain["root"].ref
    owner_tags = tags_of(log_in(chain["ada"]), ref)
    for client in (app.test_client(), log_in(make_user(session)), log_in(chain["mate"])):
        for form, tag in owner_tags.items():
            response = client.get(f"/chains/{ref}{form}", headers={"If-None-Match": tag})
            assert response.status_code == 200, form
            assert response.headers["ETag"] != tag
            assert "Private root" not in response.get_data(as_text=True)
            assert "Grete" not in response.get_data(as_text=True)


# -- compression ---------------------------------------------------------------

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_downloads_are_gzipped_for_a_browser_that_accepts_it(app, chain):
    client = app.test_client()
    for form in DOWNLOADS:
        url = f"/chains/{chain['root'].ref}{form}"
        plain = client.get(url)
        packed = client.get(url, headers=GZIP)
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == "gzip", form
        assert "Accept-Encoding" in packed.vary and "Accept-Encoding" in plain.vary
        assert gzip.decompress(packed.get_data()) == plain.get_data(), form
        # One weak tag for both: the same download, however it travels.
        assert packed.headers["ETag"] == plain.headers["ETag"]
        assert packed.headers["ETag"].startswith('W/"')
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "Content-Encoding" not in refused.headers
        assert refused.get_data() == plain.get_data()


def test_static_files_are_gzipped_and_still_answer_304(client):
    plain = client.get("/static/css/kindness.css")
    body = plain.get_data()
    plain.close()
    packed = client.get("/static/css/kindness.css", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.vary
    assert "Accept-Ranges" not in packed.headers
    assert gzip.decompress(packed.get_data()) == body
    assert len(packed.get_data()) < len(body) / 2
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert packed.cache_control.max_age == 3600 and packed.cache_control.public
    tag = packed.headers["ETag"]
    assert tag.startswith('W/"')
    again = client.get("/static/css/kindness.css", headers={**GZIP, "If-None-Match": tag})
    assert again.status_code == 304
    again.close()
    packed.close()
    script = client.get("/static/js/share.js", headers=GZIP)
    assert script.headers["Content-Encoding"] == "gzip"
    script.close()


@pytest.mark.parametrize("signed_in", [False, True])
def test_html_pages_are_never_compressed(app, session, chain, log_in, signed_in):
    client = log_in(chain["ada"]) if signed_in else app.test_client()
    for path in ("/", "/login", "/explore?q=soup", f"/chains/{chain['root'].ref}"):
        response = client.get(path, headers=GZIP)
        if response.status_code == 302:
            continue
        assert response.mimetype == "text/html", path
        assert "Content-Encoding" not in response.headers, path
        assert b"<html" in response.get_data(), path
