"""Retention (V4): a warranty record inside its five years cannot be deleted by any path the
warranty plugin offers (its page, its CLI command, its service) nor by a script that goes
around them (deleting through the ORM session, or a bulk DELETE statement). Five years on,
the page deletes it: the refusal is the rule, not a broken page.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from core.errors import BusinessRuleError
from core.extensions import db
from tests import factories
from tests.conftest import login, needs_plugins

pytestmark = needs_plugins("warranty")

KINDS = ["card", "maintenance_card", "visit_report", "registration_form"]
PATHS = ["page", "cli", "service", "orm_session"]


@pytest.fixture
def wapp(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        yield app


def retained_record(kind: str):
    """A record of ``kind``, made through the warranty plugin's services on the frozen today."""
    from plugins.warranty import emergency, maintenance, records, visits
    from tests.warranty.conftest import IN_WARRANTY, unit_accepted

    unit = unit_accepted(IN_WARRANTY, serial=f"SN-RET-{kind}")
    if kind == "card":
        item = records.issue_card(unit)
    elif kind == "maintenance_card":
        item = visits.plan_visits(unit)
    elif kind == "visit_report":
        item = visits.plan_visits(unit).visits[0]
        visits.report_visit(item, opinions="Correcto", defects="", supervisor=factories.user(["technical"]))
    else:
        case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="Propietario",
                                              owner_phone="600000000", owner_address="Calle 1", content="Avería")
        book = maintenance.create_task_book(case, notified_on=date(2026, 3, 1), repair_content="Cambio de bomba",
                                            agreed_via="phone", root_causes="Desgaste", measures="Sustitución")
        maintenance.review_task_book(book, factories.user(["department_head"]), True)
        maintenance.approve_task_book(book, factories.user(["unit_leader"]), True)
        maintenance.plan_task_book(book, date(2026, 3, 5), responsible=factories.user(["technician"]))
        item = maintenance.complete_task_book(book, "Propietario")
    db.session.commit()
    return type(item), item.id


def still_there(model, record_id) -> bool:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(model.id == record_id)) == 1


def try_to_delete(app, path: str, kind: str, model, record_id: int) -> str:
    """Delete through ``path``; returns what the path answered."""
    from plugins.warranty import records

    if path == "page":
        client = app.test_client()
        login(client, factories.user(["admin"]).username)
        response = client.post(f"/warranty/records/{kind}/{record_id}/delete")
        return f"{response.status_code} {response.get_data(as_text=True)}"
    if path == "cli":
        result = app.test_cli_runner().invoke(args=["warranty", "delete-record", kind, str(record_id)])
        return f"exit {result.exit_code} {result.output}"
    try:
        if path == "service":
            records.delete_record(kind, record_id)
        elif path == "orm_session":
            db.session.delete(db.session.get(model, record_id))
        else:
            db.session.execute(delete(model).where(model.id == record_id))
        db.session.commit()
        return "deleted"
    except BusinessRuleError as error:
        db.session.rollback()
        return f"refused {error.message}"
    except IntegrityError as error:  # a foreign key kept it (the rows that point at it), not the rule
        db.session.rollback()
        return f"refused by the database {error.orig}"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("kind", KINDS)
def test_v4_record_within_five_years_survives_every_path(wapp, kind, path):
    model, record_id = retained_record(kind)
    answer = try_to_delete(wapp, path, kind, model, record_id)
    assert still_there(model, record_id), f"{kind} deleted within its retention period through {path}: {answer}"
    assert "5" in answer, f"{path} refused without saying why (the five years): {answer[:300]}"
    if path == "page":
        assert answer.startswith("422")
    if path == "cli":
        assert not answer.startswith("exit 0")


@pytest.mark.parametrize("kind", KINDS)
def test_v4_bulk_delete_statement_is_refused_too(wapp, kind):
    """plugins/warranty/records.py promises "whatever path deletes it (a service, a script, the
    shell), a retained record stays"; a script's ``session.execute(delete(Model))`` never
    flushes, so the ``before_flush`` guard does not see it."""
    model, record_id = retained_record(kind)
    answer = try_to_delete(wapp, "bulk_delete", kind, model, record_id)
    assert still_there(model, record_id), f"{kind} deleted within its retention period by a bulk DELETE: {answer}"


def test_v4_page_refuses_a_user_without_the_permission(wapp):
    model, record_id = retained_record("card")
    client = wapp.test_client()
    login(client, factories.user(["technician"]).username)
    assert client.post(f"/warranty/records/card/{record_id}/delete").status_code == 403
    assert still_there(model, record_id)


def test_v4_page_deletes_a_record_once_its_five_years_are_over(wapp, clock):
    model, record_id = retained_record("card")
    clock.advance(days=5 * 366)
    answer = try_to_delete(wapp, "page", "card", model, record_id)
    assert answer.startswith("302"), answer[:300]
    assert not still_there(model, record_id)
