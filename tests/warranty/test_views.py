"""Pages and case panels: forms refuse bad input next to the field, scoping, constant queries, V4 through page and CLI."""
import re
from datetime import date

import pytest

from core.auth.models import OrganisationKind
from core.extensions import db
from plugins.warranty import emergency, records, services, visits
from plugins.warranty.models import Unit, WarrantyCard
from tests import factories
from tests.conftest import login

from .conftest import IN_WARRANTY, unit_accepted


@pytest.fixture
def wclient(wapp):
    return wapp.test_client()


def staff(client, roles=("admin",)):
    user = factories.user(list(roles))
    login(client, user.username)
    return user


def error_next_to(html: str, field_id: str) -> bool:
    return re.search(rf'id="{field_id}-error"', html) is not None


def test_w9_lookup_page_shows_entitlement(wclient):
    unit_accepted(IN_WARRANTY, serial="BC-77")
    staff(wclient, ["customer_service"])
    page = wclient.get("/warranty/lookup?serial=BC-77", headers={"HX-Request": "true"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "BC-77" in body and "in-warranty" in body and "<html" not in body
    missing = wclient.get("/warranty/lookup?serial=NOPE")
    assert missing.status_code == 422


def test_m1_request_form_refuses_missing_owner_next_to_field(wclient):
    unit = unit_accepted(IN_WARRANTY, serial="BC-78")
    staff(wclient, ["customer_service"])
    answer = wclient.post("/warranty/requests/new", data={
        "customer_id": unit.customer_id, "serial": "BC-78", "owner_name": "", "owner_phone": "600",
        "owner_address": "Calle 1", "content": "No enfría"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert error_next_to(body, "owner_name") and "No enfría" in body  # nothing typed is lost
    ok = wclient.post("/warranty/requests/new", data={
        "customer_id": unit.customer_id, "serial": "BC-78", "owner_name": "Ana", "owner_phone": "600",
        "owner_address": "Calle 1", "content": "No enfría", "emergency": "y"})
    assert ok.status_code == 302
    case_page = wclient.get(ok.headers["Location"]).get_data(as_text=True)
    assert 'id="warranty-service"' in case_page and "in-warranty" in case_page  # entitlement at once


def test_s2_check_in_through_the_case_panel(wclient, clock):
    unit = unit_accepted(IN_WARRANTY)
    tech = staff(wclient, ["technician"])
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                          owner_address="B", content="C", emergency=True)
    db.session.commit()
    bad = wclient.post(f"/warranty/cases/{case.id}/check-in", data={"technician_id": 0},
                       headers={"HX-Request": "true"})
    assert bad.status_code == 422 and error_next_to(bad.get_data(as_text=True), "technician_id")
    ok = wclient.post(f"/warranty/cases/{case.id}/check-in", data={"technician_id": tech.id},
                      headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "<html" not in ok.get_data(as_text=True)
    assert emergency.request_for(case).checked_in_at is not None


def test_w4_fee_line_without_cost_refused_next_to_price(wclient):
    from .conftest import OUT_OF_WARRANTY
    unit = unit_accepted(OUT_OF_WARRANTY)
    staff(wclient, ["technician"])
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                          owner_address="B", content="C")
    db.session.commit()
    answer = wclient.post(f"/warranty/cases/{case.id}/fee-line", data={
        "kind": "labour", "description": "Mano de obra", "quantity": "1"}, headers={"HX-Request": "true"})
    assert answer.status_code == 422 and error_next_to(answer.get_data(as_text=True), "unit_price")


def test_product_and_unit_forms_refuse_bad_input(wclient):
    staff(wclient)
    empty = wclient.post("/warranty/products", data={"model": "", "name": "x", "family": "y", "policy_id": 0})
    assert empty.status_code == 422 and error_next_to(empty.get_data(as_text=True), "model")
    assert wclient.post("/warranty/products", data={"model": "M1", "name": "x", "family": "y",
                                                    "policy_id": 0}).status_code == 302
    twice = wclient.post("/warranty/products", data={"model": "M1", "name": "x", "family": "y", "policy_id": 0})
    assert twice.status_code == 422 and error_next_to(twice.get_data(as_text=True), "model")
    product = services.find_product("M1")
    customer = factories.org(OrganisationKind.CUSTOMER)
    data = {"product_id": product.id, "serial": "S-1", "customer_id": customer.id,
            "installed_on": "2026-01-10", "delivered_on": "2026-01-20"}
    backwards = wclient.post("/warranty/units/new", data=data)
    assert backwards.status_code == 422 and error_next_to(backwards.get_data(as_text=True), "installed_on")


def test_units_csv_import_is_all_or_nothing(wclient):
    staff(wclient)
    services.create_product("BC-200", "Bomba", "climate")
    customer = factories.org(OrganisationKind.CUSTOMER, name="Hospital Norte")
    db.session.commit()
    from io import BytesIO
    bad = b"model,serial,customer\nBC-200,A-1,Hospital Norte\nXX,A-2,Hospital Norte\nBC-200,A-1,Hospital Norte\n"
    answer = wclient.post("/warranty/units/import", data={"file": (BytesIO(bad), "units.csv")},
                          content_type="multipart/form-data")
    assert answer.status_code == 422
    assert db.session.query(Unit).count() == 0
    good = b"model,serial,customer,installed_on\nBC-200,A-1,Hospital Norte,2026-01-01\nBC-200,A-2,Hospital Norte,\n"
    answer = wclient.post("/warranty/units/import", data={"file": (BytesIO(good), "units.csv")},
                          content_type="multipart/form-data")
    assert answer.status_code == 200
    assert {u.serial for u in db.session.query(Unit).filter_by(customer_id=customer.id)} == {"A-1", "A-2"}


def test_v4_deletion_refused_through_page_and_cli(wapp, wclient):
    unit = unit_accepted(IN_WARRANTY)
    card = records.issue_card(unit)
    db.session.commit()
    staff(wclient)
    page = wclient.post(f"/warranty/records/card/{card.id}/delete")
    assert page.status_code == 422 and "5" in page.get_data(as_text=True)
    result = wapp.test_cli_runner().invoke(args=["warranty", "delete-record", "card", str(card.id)])
    assert result.exit_code != 0 and "5" in result.output
    assert db.session.get(WarrantyCard, card.id) is not None


def test_w8_card_pdf_page(wclient):
    unit = unit_accepted(IN_WARRANTY)
    staff(wclient, ["customer_service"])
    issued = wclient.post(f"/warranty/units/{unit.id}/card", data={"language": "en"})
    assert issued.status_code == 302
    card = db.session.query(WarrantyCard).one()
    pdf = wclient.get(f"/warranty/cards/{card.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_reports_draw_pareto_svg_and_export_csv(wclient):
    unit = unit_accepted(IN_WARRANTY)
    for _ in range(2):
        emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                       owner_address="B", content="C", emergency=True)
    db.session.commit()
    staff(wclient, ["leadership"])
    page = wclient.get("/warranty/reports").get_data(as_text=True)
    assert "<svg" in page and "<rect" in page and "BC-200" in page
    csv = wclient.get("/warranty/reports/deadlines.csv").get_data(as_text=True)
    assert csv.splitlines()[0] == "month,clock,started,on_time,breached,open"
    assert "warranty.s1_answer" in csv


def test_dashboard_flags_overdue_visits(wclient):
    visits.plan_visits(unit_accepted(date(2025, 6, 1)))
    db.session.commit()
    staff(wclient, ["technical"])
    home = wclient.get("/").get_data(as_text=True)
    assert 'id="warranty-overdue"' in home and "2025-09-01" in home


def test_a_dealer_cannot_reach_another_organisations_units(wclient):
    unit = unit_accepted(IN_WARRANTY, serial="PRIV-1")
    card = records.issue_card(unit)
    dealer_org = factories.org(OrganisationKind.DEALER)
    dealer_user = factories.user(["dealer"], organisation=dealer_org)
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                          owner_address="B", content="C")
    db.session.commit()
    login(wclient, dealer_user.username)
    assert wclient.get("/warranty/lookup?serial=PRIV-1").status_code == 422  # not found for them
    for url in [f"/warranty/units/{unit.id}", f"/warranty/cards/{card.id}.pdf", "/warranty/", "/warranty/reports",
                "/warranty/task-books", "/warranty/requests/new"]:
        assert wclient.get(url).status_code in (403, 404), url
    for url in [f"/warranty/cases/{case.id}/answer", f"/warranty/cases/{case.id}/fee-line",
                f"/warranty/units/{unit.id}/card", f"/warranty/records/card/{card.id}/delete"]:
        assert wclient.post(url, data={"note": "x"}).status_code in (403, 404), url


def test_every_warranty_route_as_another_dealer(wapp, wclient):
    dealer_user = factories.user(["dealer"], organisation=factories.org(OrganisationKind.DEALER))
    login(wclient, dealer_user.username)
    for rule in wapp.url_map.iter_rules():
        if not rule.endpoint.startswith("warranty.") or rule.endpoint == "warranty.lookup":
            continue
        url = re.sub(r"<[^>]+>", "1", rule.rule).replace("1.pdf", "1.pdf")
        if "<name>" in rule.rule:
            url = rule.rule.replace("<name>", "units")
        method = "post" if "POST" in rule.methods else "get"
        assert getattr(wclient, method)(url).status_code in (403, 404), rule.rule


def test_unit_list_and_case_page_queries_do_not_grow(wclient, count_queries):
    staff(wclient)
    customer = factories.org(OrganisationKind.CUSTOMER)
    for i in range(2):
        unit_accepted(IN_WARRANTY, serial=f"Q-{i}", customer=customer)
    with count_queries() as few:
        wclient.get("/warranty/")
    for i in range(2, 20):
        unit_accepted(IN_WARRANTY, serial=f"Q-{i}", customer=customer)
    with count_queries() as many:
        wclient.get("/warranty/")
    assert few.count == many.count
    unit = db.session.query(Unit).first()
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                          owner_address="B", content="C", emergency=True)
    db.session.commit()
    with count_queries() as short:
        wclient.get(f"/cases/{case.id}")
    for i in range(15):
        emergency.answer(case, f"Nota {i}")
    db.session.commit()
    with count_queries() as long:
        wclient.get(f"/cases/{case.id}")
    assert short.count == long.count


def test_visits_list_queries_do_not_grow(wclient, count_queries):
    staff(wclient)
    visits.plan_visits(unit_accepted(date(2025, 6, 1), serial="V-0"))
    db.session.commit()
    with count_queries() as few:
        wclient.get("/warranty/visits")
    for i in range(1, 8):
        visits.plan_visits(unit_accepted(date(2025, 6, 1), serial=f"V-{i}"))
    db.session.commit()
    with count_queries() as many:
        wclient.get("/warranty/visits")
    assert few.count == many.count
