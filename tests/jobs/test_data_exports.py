"""The export job is done once however often it is delivered, leaves an export that
was replaced alone, and the zip refuses to grow beyond its cap."""

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from kindness.domain import data_exports
from kindness.jobs import dispatch
from kindness.models import DataExport, Notification, OutboxJob
from kindness.schemas import archive
from kindness.schemas.inbox import NotificationSchema
from kindness.schemas.my_data import Section
from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")


def notices(session) -> int:
    session.commit()
    return session.scalar(select(func.count()).where(Notification.kind == "data_export"))


def test_a_second_delivery_does_nothing(app, session):
    ada = make_user(session)
    make_act(session, ada, TODAY, what="Walked the dog")
    export = data_exports.request(session, ada, datetime.now(UTC))
    session.commit()
    row = session.scalars(select(OutboxJob)).one()
    args = json.loads(row.args)
    assert dispatch.run(app, "data_export", args, row.id) is True
    assert dispatch.run(app, "data_export", args, row.id) is False
    assert notices(session) == 1
    session.refresh(export)
    assert export.state == "ready" and export.size and export.size > 0


def test_an_export_replaced_meanwhile_is_left_alone(app, session):
    ada = make_user(session)
    export = data_exports.request(session, ada, datetime.now(UTC))
    export_id = export.id
    session.delete(export)
    session.commit()
    assert dispatch.run(app, "data_export", {"export_id": export_id}) is True
    assert notices(session) == 0
    assert session.scalar(select(func.count()).select_from(DataExport)) == 0


def test_the_inbox_shape_names_the_export(app, session):
    ada = make_user(session)
    export = data_exports.request(session, ada, datetime.now(UTC))
    data_exports.finish(session, export, b"zip", 10, datetime.now(UTC))
    session.commit()
    from kindness.domain import inbox

    [entry] = NotificationSchema(many=True).dump(inbox.entries(session, ada))
    assert entry["kind"] == "data_export"
    assert entry["data_export"] == {
        "id": export.id,
        "state": "ready",
        "expires_at": export.expires_at.isoformat(),
    }
    assert entry["act_ref"] is None and entry["team_week"] is None


def _section(rows: list[dict]) -> Section:
    return Section("inbox", NotificationSchema(), rows)


def test_the_zip_stops_at_its_cap():
    section = _section([{"kind": "claimed", "act_what": "x" * 5000}])
    with pytest.raises(archive.TooBig):
        archive.write([section], "README", cap=200)
    body = archive.write([section], "README", cap=100_000)
    with zipfile.ZipFile(io.BytesIO(body)) as opened:
        assert opened.read("kindness-data/README.txt") == b"README"


def test_csv_cells_are_flat_and_never_formulas():
    rows = [
        {"id": 1, "kind": "claimed", "read": False, "thanks": {"text": "=HYPERLINK(1)"}},
        {"id": 2, "kind": "travelled", "read": True, "thanks": None},
    ]
    lines = archive.section_csv(_section(rows)).splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["id", "kind", "created_at"]
    assert "thanks.text" in header and "data_export.expires_at" in header
    assert "'=HYPERLINK(1)" in lines[1] and ",false," in lines[1]
    assert ",true," in lines[2] and "HYPERLINK" not in lines[2]
