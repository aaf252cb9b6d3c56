"""Every kind of problem the API can answer is described where its ``type`` leads:
the API reference's Problems section."""

from kindness.domain.errors import DomainError
from kindness.schemas.problems import HTTP_KINDS, PROBLEM_TYPES, kind_of, kinds


def every_domain_error(kind: type = DomainError) -> set[type]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub, *every_domain_error(sub)}
    return found


def test_every_kind_is_described(app):
    # create_app has imported every domain module, so every error class exists.
    named = {kind_of(error) for error in every_domain_error()} | set(HTTP_KINDS.values())
    assert {"rule-violation", "card-claimed", "bad-link", "unauthorized"} <= named
    assert named <= set(kinds())


def test_each_type_leads_to_its_description(app, client):
    html = client.get("/developers/api").get_data(as_text=True)
    for kind in kinds():
        assert f'<dt id="problem-{kind}">' in html
    problem = client.get("/api/v1/me").get_json()
    assert problem["type"].startswith(PROBLEM_TYPES)
    assert f'id="{problem["type"].split("#")[1]}"' in html
