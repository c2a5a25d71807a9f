"""M2-M12: cause classification and its branches, the task book, the technician's visit."""
from datetime import date, timedelta

import pytest

from core.auth.models import OrganisationKind
from core.cases import services as cases
from core.cases.models import TimelineEvent
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from plugins.warranty import emergency, maintenance
from tests import factories

from .conftest import IN_WARRANTY, unit_accepted

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def request_case(unit=None):
    unit = unit or unit_accepted(IN_WARRANTY)
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="Ana", owner_phone="1",
                                          owner_address="Calle 1", content="Humedad en la sala")
    db.session.commit()
    return case


def events(case, type_):
    return db.session.query(TimelineEvent).filter_by(case_id=case.id, type=type_).all()


def test_m2_cause_classified_after_inspection_in_person(wapp):
    manager = factories.user(["engineering"])
    case = request_case()
    with pytest.raises(BusinessRuleError) as error:
        maintenance.classify(case, "company", "", manager, confirmed_in_person=False)
    assert error.value.field == "confirmed_in_person"
    with pytest.raises(BusinessRuleError) as error:
        maintenance.classify(case, "weather", "", manager, confirmed_in_person=True)
    assert error.value.field == "cause"
    maintenance.classify(case, "supplier", "Válvula defectuosa de fábrica", manager, confirmed_in_person=True)
    assert emergency.request_for(case).cause == "supplier"
    assert events(case, "warranty.cause_classified")[0].payload["cause"] == "supplier"


def test_m3_supplier_cause_notifies_supplier_and_books_visit(wapp):
    manager = factories.user(["engineering"])
    supplier = factories.org(OrganisationKind.SUPPLIER)
    customer = factories.org(OrganisationKind.CUSTOMER)
    case = request_case()
    maintenance.classify(case, "company", "", manager, confirmed_in_person=True)
    with pytest.raises(BusinessRuleError):  # only on a supplier cause
        maintenance.notify_supplier(case, supplier.id, now() + timedelta(days=1))
    maintenance.classify(case, "supplier", "", manager, confirmed_in_person=True)
    with pytest.raises(BusinessRuleError) as error:
        maintenance.notify_supplier(case, customer.id, now() + timedelta(days=1))
    assert error.value.field == "supplier_id"
    with pytest.raises(BusinessRuleError) as error:
        maintenance.notify_supplier(case, supplier.id, now() - timedelta(hours=1))
    assert error.value.field == "visit_at"
    maintenance.notify_supplier(case, supplier.id, now() + timedelta(days=1))
    request = emergency.request_for(case)
    assert request.supplier_id == supplier.id and request.supplier_notified_at is not None


def test_m4_customer_cause_gets_assistance_plan(wapp):
    manager = factories.user(["engineering"])
    case = request_case()
    maintenance.classify(case, "customer", "Filtro sin limpiar", manager, confirmed_in_person=True)
    with pytest.raises(BusinessRuleError) as error:
        maintenance.propose_assistance(case, " ")
    assert error.value.field == "plan"
    maintenance.propose_assistance(case, "Explicar la limpieza mensual y dejar guía")
    assert emergency.request_for(case).assistance_plan.startswith("Explicar")


def test_m5_service_form_checked_against_budget_with_photo_then_general_manager(wapp):
    manager = factories.user(["engineering"])
    case = request_case()
    with pytest.raises(BusinessRuleError):  # not a company cause yet
        maintenance.add_service_item(case, "Sellado", 1, "Silicona", "10", "5", contract_budget="100")
    maintenance.classify(case, "company", "", manager, confirmed_in_person=True)
    maintenance.add_service_item(case, "Sellado de juntas", 3, "Silicona neutra", "60.00", "30.00",
                                 contract_budget="100", change_orders="20")
    with pytest.raises(BusinessRuleError) as error:
        maintenance.review_service_form(case, manager)
    from flask_babel import gettext
    assert error.value.message == gettext("Attach photo evidence to the case first.")
    cases.store_attachment(case, "junta.png", "image/png", PNG)
    maintenance.add_service_item(case, "Pintura", 1, "Rodillo", "25", "10")
    db.session.commit()
    with pytest.raises(BusinessRuleError) as error:  # 125 > 100 + 20
        maintenance.review_service_form(case, manager)
    assert "125" in error.value.message
    with pytest.raises(BusinessRuleError):
        maintenance.send_service_form(case)  # review comes first
    form = maintenance.service_form_for(case)
    form.change_orders = form.change_orders + 10
    assert maintenance.review_service_form(case, manager).status == "reviewed"
    assert maintenance.send_service_form(case).status == "sent"


def new_book(case):
    return maintenance.create_task_book(case, notified_on=date(2026, 3, 1), repair_content="Cambiar junta",
                                        agreed_via="phone", root_causes="Junta envejecida", measures="Revisión anual")


def test_m6_task_book_reviewed_by_head_then_approved_by_unit_leader(wapp):
    head, leader = factories.user(["department_head"]), factories.user(["unit_leader"])
    case = request_case()
    with pytest.raises(BusinessRuleError) as error:
        maintenance.create_task_book(case, notified_on=date(2026, 4, 1), repair_content="x", agreed_via="phone",
                                     root_causes="x", measures="x")
    assert error.value.field == "notified_on"
    book = new_book(case)
    with pytest.raises(BusinessRuleError):
        maintenance.approve_task_book(book, leader, True)  # the head reviews first
    with pytest.raises(BusinessRuleError) as error:
        maintenance.review_task_book(book, head, False, "")
    assert error.value.field == "reason"
    maintenance.review_task_book(book, head, False, "Falta la medición de humedad")
    assert book.status == "returned"
    maintenance.resubmit_task_book(book, "Junta envejecida; humedad 80 %", "Revisión anual")
    maintenance.review_task_book(book, head, True)
    maintenance.approve_task_book(book, leader, False, "Concretar fecha")
    assert book.status == "returned" and book.returned_reason == "Concretar fecha"
    maintenance.resubmit_task_book(book, book.root_causes, "Revisión anual en marzo")
    maintenance.review_task_book(book, head, True)
    maintenance.approve_task_book(book, leader, True)
    assert book.status == "approved"


def approved_book(unit=None):
    case = request_case(unit)
    book = new_book(case)
    maintenance.review_task_book(book, factories.user(["department_head"]), True)
    maintenance.approve_task_book(book, factories.user(["unit_leader"]), True)
    return book


def test_m7_production_planning_assigns_with_completion_date(wapp):
    book = approved_book()
    staff = factories.user(["technician"])
    with pytest.raises(BusinessRuleError) as error:
        maintenance.plan_task_book(book, date(2026, 1, 1), responsible=staff)
    assert error.value.field == "due_on"
    maintenance.plan_task_book(book, date(2026, 3, 20), responsible=staff)
    assert (book.status, book.due_on, book.responsible_id) == ("assigned", date(2026, 3, 20), staff.id)
    assert events(book.case, "warranty.task_book_assigned")[0].payload["registration_form"] is True


def test_m8_responsible_is_project_director_else_dedicated_staff(wapp):
    director = factories.user(["technician"])
    unit = unit_accepted(IN_WARRANTY)
    unit.project_director_id = director.id
    db.session.commit()
    book = approved_book(unit)
    maintenance.plan_task_book(book, date(2026, 3, 20))
    assert book.responsible_id == director.id and book.responsible_kind == "project_director"
    other = approved_book(unit_accepted(IN_WARRANTY, serial="SN-2"))
    other.unit.project_director_id = director.id
    with pytest.raises(BusinessRuleError) as error:  # the director was transferred
        maintenance.plan_task_book(other, date(2026, 3, 20), director_available=False)
    assert error.value.field == "responsible_id"
    dedicated = factories.user(["technician"])
    maintenance.plan_task_book(other, date(2026, 3, 20), responsible=dedicated)
    assert other.responsible_kind == "dedicated"


def test_m9_completion_confirmed_by_owner_files_registration_form(wapp):
    book = approved_book()
    maintenance.plan_task_book(book, date(2026, 3, 20), responsible=factories.user(["technician"]))
    with pytest.raises(BusinessRuleError) as error:
        maintenance.complete_task_book(book, "")
    assert error.value.field == "confirmed_by"
    form = maintenance.complete_task_book(book, "Dirección de obra")
    assert book.status == "completed" and form.task_book_id == book.id
    assert events(book.case, "warranty.registration_filed")[0].payload["to"] == ["production", "finance"]


def all_items():
    return list(policy("warranty.m12_checklist"))


def test_m12_visit_needs_full_conduct_checklist_and_typed_confirmation(wapp):
    tech = factories.user(["technician"])
    case = request_case()
    with pytest.raises(BusinessRuleError) as error:
        maintenance.record_visit(case, tech, checklist=all_items()[:-1], work_done="Cambio", confirmed_by="Ana")
    assert error.value.field == "checklist"
    with pytest.raises(BusinessRuleError) as error:
        maintenance.record_visit(case, tech, checklist=all_items(), work_done="Cambio", confirmed_by=" ")
    assert error.value.field == "confirmed_by"
    with pytest.raises(BusinessRuleError) as error:
        maintenance.record_visit(case, tech, checklist=all_items(), work_done="Cambio", confirmed_by="Ana",
                                 signature="<script>")
    assert error.value.field == "signature"
    visit = maintenance.record_visit(case, tech, checklist=all_items(), work_done="Cambio de junta",
                                     confirmed_by="Ana Pérez", signature="data:image/png;base64,iVBORw0KGgo=")
    assert visit.confirmed_at is not None and visit.signature


def test_m10_technician_visit_lands_in_the_service_log(wapp):
    tech = factories.user(["technician"])
    case = request_case()
    maintenance.record_visit(case, tech, checklist=all_items(), work_done="Cambio de junta", confirmed_by="Ana")
    logs = events(case, "case.service_log")
    assert [(e.payload["kind"], e.payload["summary"]) for e in logs] == [("visit", "Cambio de junta")]
