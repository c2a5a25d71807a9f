"""I1-I5 delivery to handover, M11 quality feedback, W8 warranty card, V1-V5 visits and records."""
from datetime import date, timedelta

import pytest

from core.auth.models import OrganisationKind
from core.cases.models import Case, TimelineEvent
from core.clock import now
from core.deadlines import ClockStatus, clocks_for_case, run_deadlines
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.warranty import handover, records, services, visits
from plugins.warranty.models import MaintenanceCard, WarrantyCard
from tests import factories

from .conftest import IN_WARRANTY, unit_accepted


def new_unit(serial="SN-1"):
    customer = factories.org(OrganisationKind.CUSTOMER)
    product = services.find_product("BC-200") or services.create_product("BC-200", "Bomba de calor", "climate")
    return services.create_unit(product, serial, customer.id, site="Sala de máquinas")


def installed(serial="SN-1"):
    unit = new_unit(serial)
    inst = handover.start_installation(unit, "Jefe de obra")
    handover.agree_delivery(inst, now() + timedelta(hours=13), "Jefe de obra")
    handover.record_installed(inst, date(2026, 3, 2), "Jefe de mantenimiento")
    return inst


def events(case_id, type_):
    return db.session.query(TimelineEvent).filter_by(case_id=case_id, type=type_).all()


def test_i1_delivery_agreed_half_a_day_ahead_with_contact(wapp):
    inst = handover.start_installation(new_unit(), "")
    with pytest.raises(BusinessRuleError) as error:
        handover.agree_delivery(inst, now() + timedelta(hours=11), "Jefe de obra")
    assert error.value.field == "delivery_at"
    with pytest.raises(BusinessRuleError) as error:
        handover.agree_delivery(inst, now() + timedelta(hours=13), " ")
    assert error.value.field == "contact_name"
    handover.agree_delivery(inst, now() + timedelta(hours=13), "Jefe de obra")
    assert inst.delivery_confirmed_at is not None


def test_i2_installation_involves_the_customer(wapp):
    inst = handover.start_installation(new_unit(), "")
    with pytest.raises(BusinessRuleError):
        handover.record_installed(inst, date(2026, 3, 2), "Jefe")  # delivery not agreed yet
    handover.agree_delivery(inst, now() + timedelta(hours=13), "Jefe de obra")
    with pytest.raises(BusinessRuleError) as error:
        handover.record_installed(inst, date(2026, 3, 2), "")
    assert error.value.field == "customer_person"
    handover.record_installed(inst, date(2026, 3, 2), "Jefe de mantenimiento")
    assert inst.unit.installed_on == date(2026, 3, 2)


def test_i3_handover_refused_while_a_problem_is_open(wapp):
    inst = installed()
    issue = handover.report_issue(inst, "Presión baja en el circuito", product_defect=False)
    with pytest.raises(BusinessRuleError) as error:
        handover.hand_over(inst, "Sr. Cliente", "Sra. Técnica")
    assert error.value.field == "handover_signed_by"
    handover.handle_issue(issue, "escalated", "Enviado a ingeniería")
    handover.hand_over(inst, "Sr. Cliente", "Sra. Técnica")
    assert inst.handover_at is not None


def test_m11_product_defect_at_commissioning_reported_to_production(wapp):
    inst = installed()
    handover.report_issue(inst, "Soldadura defectuosa", product_defect=True)
    handover.report_issue(inst, "Cable suelto de la obra", product_defect=False)
    feedback = events(inst.case_id, "warranty.quality_feedback")
    assert [e.payload["description"] for e in feedback] == ["Soldadura defectuosa"]
    assert feedback[0].payload["to"] == "production"


def test_i4_signed_handover_starts_the_warranty(wapp):
    inst = installed()
    with pytest.raises(BusinessRuleError):
        handover.hand_over(inst, "", "Sra. Técnica")
    handover.hand_over(inst, "Sr. Cliente", "Sra. Técnica")
    ent = services.entitlement(inst.unit)
    assert ent.in_warranty and ent.basis == "acceptance" and ent.starts_on == date(2026, 3, 2)


def test_i5_follow_up_call_scheduled_after_handover(wapp):
    inst = installed()
    with pytest.raises(BusinessRuleError):
        handover.follow_up(inst, "¿Todo bien?")
    handover.hand_over(inst, "Sr. Cliente", "Sra. Técnica")
    assert inst.followup_due_on == date(2026, 3, 9)
    assert handover.followups_due(date(2026, 3, 9)) == [inst]
    handover.follow_up(inst, "El cliente está satisfecho")
    assert handover.followups_due(date(2026, 3, 9)) == []
    assert events(inst.case_id, "case.service_log")[0].payload["kind"] == "call"


def test_w8_card_clock_one_month_from_completion(wapp, clock):
    inst = installed()
    handover.hand_over(inst, "Sr. Cliente", "Sra. Técnica")
    db.session.commit()
    late = installed("SN-2")
    handover.hand_over(late, "Sra. Cliente", "Sra. Técnica")
    db.session.commit()
    clock.advance(days=29)
    card = records.issue_card(inst.unit, "es")
    db.session.commit()
    clock.advance(days=2)
    run_deadlines()
    on_time = next(c for c in clocks_for_case(inst.case_id) if c.policy == "warranty.w8_card")
    assert on_time.status == ClockStatus.MET and not on_time.is_breached
    overdue = next(c for c in clocks_for_case(late.case_id) if c.policy == "warranty.w8_card")
    assert overdue.is_breached
    assert card.number.startswith("GT-")


@pytest.mark.parametrize("language, title, principles", [
    ("es", "Tarjeta de garant", "Principios y finalidad"), ("en", "Warranty card", "Principles and purpose")])
def test_w8_card_pdf_states_principles_and_responsible_in_language(wapp, language, title, principles):
    unit = unit_accepted(IN_WARRANTY)
    card_id = records.issue_card(unit, language).id
    db.session.commit()
    with wapp.test_request_context():
        doc = records.card_pdf(db.session.get(WarrantyCard, card_id))
    data = bytes(doc.output())
    assert data.startswith(b"%PDF")
    assert doc.doc_title.startswith(title)
    import zlib, re as regex
    text = b"".join(zlib.decompress(m) for m in regex.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, regex.S))
    assert principles.encode("latin-1") in text


def test_w8_card_language_must_be_spanish_or_english(wapp):
    with pytest.raises(BusinessRuleError) as error:
        records.issue_card(unit_accepted(IN_WARRANTY), "fr")
    assert error.value.field == "language"


def test_v1_two_visits_per_warranty_year_first_within_six_months(wapp):
    unit = unit_accepted(date(2026, 1, 15))
    card = visits.plan_visits(unit)
    returns = [v.due_on for v in card.visits if v.kind == "return"]
    assert returns == [date(2026, 7, 15), date(2027, 1, 15), date(2027, 7, 15), date(2028, 1, 15)]
    assert returns[0] <= date(2026, 7, 15)


def test_v1_visit_frequency_is_a_policy(make_app):
    app = make_app(["warranty"], POSTVENTA_POLICIES={"warranty.v1_visits_per_year": 4,
                                                     "warranty.v5_inspection_months": 0})
    with app.app_context():
        card = visits.plan_visits(unit_accepted(date(2026, 1, 15)))
        assert len(card.visits) == 8 and card.visits[0].due_on == date(2026, 4, 15)


def test_v2_one_maintenance_card_per_unit_with_plan(wapp):
    unit = unit_accepted(date(2026, 1, 15))
    first = visits.plan_visits(unit)
    again = visits.plan_visits(unit)
    assert first.id == again.id
    assert db.session.query(MaintenanceCard).count() == 1
    assert all(v.due_on for v in first.visits)


def test_v3_defect_on_return_visit_opens_a_case_for_the_supervisor(wapp):
    supervisor = factories.user(["technical"])
    card = visits.plan_visits(unit_accepted(date(2025, 6, 1)))
    visit = card.visits[0]
    with pytest.raises(BusinessRuleError) as error:
        visits.report_visit(visit, opinions="", defects="", supervisor=supervisor)
    assert error.value.field == "opinions"
    visits.report_visit(visit, opinions="Contentos", defects="Goteo en la bandeja", supervisor=supervisor)
    case = db.session.get(Case, visit.case_id)
    assert case is not None and "Goteo" in case.description
    second = card.visits[1]
    visits.report_visit(second, opinions="Bien", defects="Ruido leve", supervisor=supervisor,
                        corrective_measure="Apretar soportes en la visita")
    assert second.case_id is None and second.corrective_measure


def test_v3_overdue_visits_are_flagged(wapp):
    card = visits.plan_visits(unit_accepted(date(2025, 6, 1)))
    overdue = visits.overdue_visits(date(2026, 3, 2))
    assert [(v.kind, v.due_on) for v in overdue] == [
        ("inspection", date(2025, 9, 1)), ("inspection", date(2025, 12, 1)), ("return", date(2025, 12, 1)),
        ("inspection", date(2026, 3, 1))]
    visits.report_visit(card.visits[0], opinions="Bien", defects="", supervisor=factories.user(["technical"]))
    assert len(visits.overdue_visits(date(2026, 3, 2))) == len(overdue) - 1


def test_v5_periodic_inspections_planned(wapp):
    card = visits.plan_visits(unit_accepted(date(2026, 1, 15)))
    inspections = [v.due_on for v in card.visits if v.kind == "inspection"]
    assert inspections[:3] == [date(2026, 4, 15), date(2026, 7, 15), date(2026, 10, 15)]
    assert len(inspections) == 8


@pytest.mark.parametrize("kind", ["card", "maintenance_card", "visit_report", "registration_form"])
def test_v4_records_cannot_be_deleted_within_five_years(wapp, clock, kind):
    from plugins.warranty import emergency, maintenance

    unit = unit_accepted(IN_WARRANTY)
    if kind == "card":
        item = records.issue_card(unit)
    elif kind == "maintenance_card":
        item = visits.plan_visits(unit)
    elif kind == "visit_report":
        item = visits.plan_visits(unit).visits[0]
        visits.report_visit(item, opinions="Bien", defects="", supervisor=factories.user(["technical"]))
    else:
        case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="A", owner_phone="1",
                                              owner_address="B", content="C")
        book = maintenance.create_task_book(case, notified_on=date(2026, 3, 1), repair_content="x",
                                            agreed_via="phone", root_causes="x", measures="x")
        maintenance.review_task_book(book, factories.user(["department_head"]), True)
        maintenance.approve_task_book(book, factories.user(["unit_leader"]), True)
        maintenance.plan_task_book(book, date(2026, 3, 5), responsible=factories.user(["technician"]))
        item = maintenance.complete_task_book(book, "Propietario")
    db.session.commit()
    with pytest.raises(BusinessRuleError) as error:
        records.delete_record(kind, item.id)
    assert "5" in error.value.message
    db.session.rollback()
    with pytest.raises(BusinessRuleError):  # not even bypassing the service
        db.session.delete(db.session.get(type(item), item.id))
        db.session.flush()
    db.session.rollback()
    clock.advance(days=5 * 366)
    if kind == "maintenance_card":
        for visit in item.visits:
            visit.created_at = item.created_at
    records.delete_record(kind, item.id)
    db.session.commit()
    assert db.session.get(type(item), item.id) is None
