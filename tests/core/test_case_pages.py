"""The case list (filters, search, pagination, CSV) and the case actions."""
from __future__ import annotations

import csv
import io

from core.auth.models import OrganisationKind
from core.cases.models import Attachment, Case, TimelineEvent
from core.cases.services import change_status, store_attachment
from core.errors import BusinessRuleError
from core.extensions import db
from tests import factories
from tests.conftest import login


def staff_client(app, roles=("customer_service",)):
    client = app.test_client()
    login(client, factories.user(list(roles)).username)
    return client


def test_list_filters_by_status_priority_and_search(app):
    hot = factories.case(title="Urgente caldera", priority="emergency")
    factories.case(title="Consulta tranquila")
    done = factories.case(title="Resuelto ya")
    change_status(done, "closed")
    db.session.commit()
    client = staff_client(app)
    emergency = client.get("/cases/?priority=emergency").get_data(as_text=True)
    assert "Urgente caldera" in emergency and "Consulta tranquila" not in emergency
    searched = client.get("/cases/?q=tranquila").get_data(as_text=True)
    assert "Consulta tranquila" in searched and "Urgente caldera" not in searched
    assert "Resuelto ya" not in client.get("/cases/").get_data(as_text=True)  # open cases by default
    assert "Resuelto ya" in client.get("/cases/?status=closed").get_data(as_text=True)
    assert hot.number in client.get(f"/cases/?q={hot.number}").get_data(as_text=True)


def test_list_filters_by_customer_and_assignee(app):
    customer = factories.org(name="Bodegas Rioja")
    mine = factories.case(title="De Bodegas", customer=customer)
    factories.case(title="De otro")
    client = staff_client(app)
    html = client.get(f"/cases/?customer_id={customer.id}").get_data(as_text=True)
    assert "De Bodegas" in html and "De otro" not in html
    html = client.get("/cases/?customer=bodegas").get_data(as_text=True)
    assert "De Bodegas" in html and "De otro" not in html
    tech = factories.user(["technician"])
    from core.cases.services import assign

    assign(mine, tech)
    db.session.commit()
    html = client.get(f"/cases/?assignee={tech.id}").get_data(as_text=True)
    assert "De Bodegas" in html and "De otro" not in html


def test_list_is_paginated(app):
    for number in range(30):
        factories.case(title=f"Caso {number:02d}")
    client = staff_client(app)
    first = client.get("/cases/").get_data(as_text=True)
    second = client.get("/cases/?page=2").get_data(as_text=True)
    assert "Caso 29" in first and "Caso 00" not in first
    assert "Caso 00" in second and "Caso 29" not in second


def test_htmx_filter_answers_with_the_table_fragment(app):
    factories.case(title="Fragmento")
    client = staff_client(app)
    html = client.get("/cases/?q=Frag", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Fragmento" in html and "<html" not in html


def test_csv_export_lists_the_filtered_cases(app):
    factories.case(title="Para exportar", priority="emergency")
    factories.case(title="No exportar")
    client = staff_client(app)
    response = client.get("/cases/export.csv?priority=emergency")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["title"] for row in rows] == ["Para exportar"]


def test_new_case_bad_input_keeps_what_was_typed(app):
    customer = factories.org(name="Cliente Uno")
    client = staff_client(app)
    response = client.post("/cases/new", data={"title": "", "customer_id": customer.id,
                                               "contact_name": "Don Pepe", "channel": "call", "priority": "normal"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="title-error"' in html and 'value="Don Pepe"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_new_case_opens_and_lands_on_the_timeline(app):
    customer = factories.org(name="Cliente Dos")
    client = staff_client(app)
    response = client.post("/cases/new", data={"title": "Sin frío", "customer_id": customer.id,
                                               "channel": "email", "priority": "normal"})
    assert response.status_code == 302
    case = db.session.scalars(db.select(Case)).one()
    events = db.session.scalars(db.select(TimelineEvent.type).where(TimelineEvent.case_id == case.id)).all()
    assert events == ["case.opened"]


def test_m10_service_log_records_calls_letters_visits_and_results(app):
    case = factories.case()
    client = staff_client(app)
    response = client.post(f"/cases/{case.id}/log", data={"kind": "visit", "summary": "Visita al sótano",
                                                         "result": "Válvula cambiada"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Válvula cambiada" in response.get_data(as_text=True)
    bad = client.post(f"/cases/{case.id}/log", data={"kind": "fax", "summary": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 422
    logged = db.session.scalars(db.select(TimelineEvent).where(TimelineEvent.type == "case.service_log")).all()
    assert [e.payload["kind"] for e in logged] == ["visit"]


def test_status_and_assignment_changes_are_on_the_timeline(app):
    case = factories.case()
    tech = factories.user(["technician"])
    client = staff_client(app)
    client.post(f"/cases/{case.id}/status", data={"status": "closed", "note": "hecho"})
    client.post(f"/cases/{case.id}/assign", data={"assignee_id": tech.id})
    db.session.expire_all()
    refreshed = db.session.get(Case, case.id)
    assert refreshed.status == "closed" and refreshed.closed_at is not None and refreshed.assignee_id == tech.id
    types = db.session.scalars(db.select(TimelineEvent.type).where(TimelineEvent.case_id == case.id)).all()
    assert {"case.status_changed", "case.closed", "case.assigned"} <= set(types)


def test_assigning_to_a_dealer_user_is_refused(app):
    case = factories.case()
    outsider = factories.user(["dealer"], organisation=factories.org(OrganisationKind.DEALER))
    client = staff_client(app)
    response = client.post(f"/cases/{case.id}/assign", data={"assignee_id": outsider.id}, headers={"HX-Request": "true"})
    assert response.status_code == 422


def test_attachments_are_stored_outside_the_database_by_checksum(app, tmp_path):
    import hashlib
    from pathlib import Path

    case = factories.case()
    data = b"%PDF-1.4 informe"
    attachment = store_attachment(case, "informe.pdf", "application/pdf", data)
    db.session.commit()
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.sha256[:2] / attachment.sha256
    assert stored.read_bytes() == data and attachment.sha256 == hashlib.sha256(data).hexdigest()
    client = staff_client(app)
    assert client.get(f"/cases/attachments/{attachment.id}").data == data


def test_attachment_limits_refuse_wrong_type_and_size(make_app):
    app = make_app(POSTVENTA_POLICIES={"core.attachment_max_bytes": 10})
    with app.app_context():
        case = factories.case()
        for name, kind, data in [("a.exe", "application/x-msdownload", b"MZ"), ("big.pdf", "application/pdf", b"x" * 11),
                                 ("empty.pdf", "application/pdf", b"")]:
            try:
                store_attachment(case, name, kind, data)
            except BusinessRuleError as error:
                assert error.field == "file"
            else:
                raise AssertionError(f"{name} was accepted")
        assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_upload_through_the_page(app):
    case = factories.case()
    client = staff_client(app)
    response = client.post(f"/cases/{case.id}/attachments", data={"file": (io.BytesIO(b"\x89PNG foto"), "foto.png", "image/png")},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "foto.png" in response.get_data(as_text=True)
    bad = client.post(f"/cases/{case.id}/attachments", data={}, content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert bad.status_code == 422 and 'id="file-error"' in bad.get_data(as_text=True)
