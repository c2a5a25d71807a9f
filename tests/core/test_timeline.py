"""The shared case timeline: typed, append-only, ordered, filterable, constant in queries."""
from __future__ import annotations

import os
import re
import threading

import pytest

from core.audit import AppendOnlyViolation, AuditLog
from core.cases.models import TimelineEvent
from core.cases.services import add_comment, change_status, open_case
from core.cases.timeline import UnknownEventType, record
from core.extensions import db
from tests import factories
from tests.conftest import login

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="concurrency is proven on PostgreSQL with real threads; SQLite serialises writers",
)


def test_unregistered_event_type_is_an_error(app):
    case = factories.case()
    with pytest.raises(UnknownEventType):
        record(case, "nobody.registered_this", {})


def test_events_cannot_be_changed_or_deleted(app):
    case = factories.case()
    event = db.session.scalars(db.select(TimelineEvent).where(TimelineEvent.case_id == case.id)).first()
    event.payload = {"forged": True}
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(TimelineEvent, event.id))
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_audit_log_is_append_only_and_records_actor(app):
    staff = factories.user(["customer_service"])
    from flask import g

    g.postventa_actor_id = staff.id
    case = factories.case(title="Con actor")
    change_status(case, "open")
    db.session.commit()
    row = db.session.scalars(
        db.select(AuditLog).where(AuditLog.table == "core_case", AuditLog.action == "update")
    ).first()
    assert row.actor_id == staff.id and row.changes["status"] == ["new", "open"]
    row.action = "forged"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_case_numbers_follow_the_year_series(app, clock):
    first = factories.case()
    second = factories.case()
    assert re.fullmatch(r"PV-2026-\d{6}", first.number)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


@on_postgres
@pytest.mark.postgres_only
def test_case_numbers_are_unique_under_parallel_creation(app):
    customer = factories.org()
    customer_id = customer.id
    numbers, errors = [], []

    def create():
        with app.app_context():
            try:
                for _ in range(5):
                    numbers.append(open_case("Paralelo", customer_id).number)
                    db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == 40 and len(set(numbers)) == 40


def test_timeline_filter_by_type(app, client):
    staff = factories.user(["customer_service"])
    case = factories.case()
    add_comment(case, "Solo comentarios")
    change_status(case, "open")
    db.session.commit()
    login(client, staff.username)
    html = client.get(f"/cases/{case.id}?type=case.comment", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Solo comentarios" in html
    assert "event-case-status_changed" not in html


def test_case_page_queries_do_not_grow_with_the_timeline(app, client, count_queries):
    staff = factories.user(["customer_service"])
    short, long = factories.case(title="Corto"), factories.case(title="Largo")
    add_comment(short, "uno")
    for number in range(499):
        add_comment(long, f"comentario {number}")
    db.session.commit()
    login(client, staff.username)
    short_url, long_url = f"/cases/{short.id}", f"/cases/{long.id}"
    client.get(short_url)  # warm caches (templates)
    with count_queries() as few:
        assert client.get(short_url).status_code == 200
    with count_queries() as many:
        assert client.get(long_url).status_code == 200
    assert db.session.scalar(db.select(db.func.count()).where(TimelineEvent.case_id == long.id)) >= 500
    assert few.count == many.count


def test_case_list_queries_do_not_grow_with_rows(app, client, count_queries):
    staff = factories.user(["customer_service"])
    factories.case()
    login(client, staff.username)
    client.get("/cases/")
    with count_queries() as few:
        client.get("/cases/")
    for _ in range(20):
        factories.case()
    with count_queries() as many:
        client.get("/cases/")
    assert few.count == many.count


def test_record_many_writes_one_event_per_case_and_announces_each(make_app):
    from core.cases.timeline import record_many
    from core.hookspecs import hookimpl

    seen = []

    class Listener:
        @hookimpl
        def postventa_case_event(self, case, event):
            if event.type == "case.comment":
                seen.append((case.id, event.payload["text"]))

    app = make_app([], POSTVENTA_EXTRA_HOOKS=[Listener()])
    with app.app_context():
        cases = [factories.case(title=f"Lote {n}") for n in range(3)]
        assert record_many("case.comment", [(c.id, {"text": c.title}) for c in cases]) == 3
        db.session.commit()
        assert sorted(seen) == sorted((c.id, c.title) for c in cases)
        with pytest.raises(UnknownEventType):
            record_many("nobody.registered_this", [(cases[0].id, {})])
