"""M1 service requests, S1-S6 response clocks and S4 loaner units."""
import pytest

from core.auth.models import OrganisationKind
from core.auth.services import company
from core.deadlines import ClockStatus, clocks_for_case, run_deadlines
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.warranty import emergency
from plugins.warranty.models import Loaner
from tests import factories

from .conftest import IN_WARRANTY, unit_accepted


def open_request(unit, **flags):
    case = emergency.open_service_request(
        unit.customer_id, unit=unit, owner_name="Lucía Pérez", owner_phone="600111222",
        owner_address="Calle Sol 3, Madrid", content="La bomba no arranca", requirements="Urgente", **flags)
    db.session.commit()
    return case


def clock_of(case, name):
    return next(c for c in clocks_for_case(case.id) if c.policy == name)


def test_m1_feedback_form_records_owner_and_entitlement(wapp):
    unit = unit_accepted(IN_WARRANTY)
    case = open_request(unit)
    request = emergency.request_for(case)
    assert (request.owner_name, request.owner_phone, request.owner_address) == ("Lucía Pérez", "600111222",
                                                                                "Calle Sol 3, Madrid")
    from core.cases.models import TimelineEvent
    event = db.session.query(TimelineEvent).filter_by(case_id=case.id, type="warranty.request_registered").one()
    assert event.payload["in_warranty"] is True and event.payload["to"] == "engineering"


@pytest.mark.parametrize("missing", ["owner_name", "owner_phone", "owner_address", "content"])
def test_m1_feedback_form_requires_each_field(wapp, missing):
    unit = unit_accepted(IN_WARRANTY)
    values = dict(owner_name="A", owner_phone="1", owner_address="B", content="C")
    values[missing] = " "
    with pytest.raises(BusinessRuleError) as error:
        emergency.open_service_request(unit.customer_id, unit=unit, **values)
    assert error.value.field == missing


def test_s1_answer_clock_runs_30_minutes_on_emergencies(wapp, clock):
    unit = unit_accepted(IN_WARRANTY)
    case = open_request(unit, emergency=True)
    clock.advance(minutes=29)
    emergency.answer(case, "Técnico asignado")
    db.session.commit()
    assert clock_of(case, "warranty.s1_answer").status == ClockStatus.MET
    late = open_request(unit_accepted(IN_WARRANTY, serial="SN-2"), emergency=True)
    clock.advance(minutes=31)
    run_deadlines()
    assert clock_of(late, "warranty.s1_answer").is_breached
    normal = open_request(unit_accepted(IN_WARRANTY, serial="SN-3"))
    assert clocks_for_case(normal.id) == []  # normal cases run no emergency clock


def test_s2_technician_on_site_within_2_hours(wapp, clock):
    tech = factories.user(["technician"])
    case = open_request(unit_accepted(IN_WARRANTY), emergency=True)
    clock.advance(minutes=119)
    run_deadlines()
    assert not clock_of(case, "warranty.s2_on_site").is_breached
    emergency.check_in(case, tech)
    db.session.commit()
    assert clock_of(case, "warranty.s2_on_site").status == ClockStatus.MET
    other = open_request(unit_accepted(IN_WARRANTY, serial="SN-2"), emergency=True)
    clock.advance(minutes=121)
    run_deadlines()
    assert clock_of(other, "warranty.s2_on_site").is_breached


def test_s3_resolved_within_4_hours(wapp, clock):
    case = open_request(unit_accepted(IN_WARRANTY), emergency=True)
    clock.advance(minutes=239)
    emergency.resolve(case, "Cambiado el condensador")
    db.session.commit()
    clock.advance(minutes=10)
    run_deadlines()
    s3 = clock_of(case, "warranty.s3_resolved")
    assert s3.status == ClockStatus.MET and not s3.is_breached
    assert emergency.loaner_for(case) is None


def test_s3_duration_is_a_policy(make_app, clock):
    app = make_app(["warranty"], POSTVENTA_POLICIES={"warranty.s3_resolved_minutes": 60})
    with app.app_context():
        case = open_request(unit_accepted(IN_WARRANTY), emergency=True)
        clock.advance(minutes=61)
        run_deadlines()
        assert clock_of(case, "warranty.s3_resolved").is_breached


def test_s4_breach_of_s3_demands_loaner_of_same_level(wapp, clock):
    unit = unit_accepted(IN_WARRANTY)
    case = open_request(unit, emergency=True)
    same = unit_accepted(IN_WARRANTY, serial="LOAN-1", customer=company())
    other_level = unit_accepted(IN_WARRANTY, serial="LOAN-2", customer=company(), model="GE-50", family="power")
    clock.advance(minutes=241)
    run_deadlines()
    loaner = emergency.loaner_for(case)
    assert loaner is not None and loaner.missing  # flagged until issued
    with pytest.raises(BusinessRuleError) as error:
        emergency.issue_loaner(case, other_level)
    assert error.value.field == "loaner_unit_id"
    db.session.rollback()
    emergency.issue_loaner(case, same)
    db.session.commit()
    assert not emergency.loaner_for(case).missing
    assert same not in emergency.available_loaners(case)
    emergency.return_loaner(case)
    db.session.commit()
    assert emergency.loaner_for(case).returned_at is not None
    run_deadlines()
    assert db.session.query(Loaner).count() == 1  # escalated once


def test_s4_a_unit_on_loan_cannot_be_lent_twice(wapp, clock):
    first = open_request(unit_accepted(IN_WARRANTY, serial="A"), emergency=True)
    second = open_request(unit_accepted(IN_WARRANTY, serial="B"), emergency=True)
    pool = unit_accepted(IN_WARRANTY, serial="LOAN-1", customer=company())
    clock.advance(minutes=241)
    run_deadlines()
    emergency.issue_loaner(first, pool)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        emergency.issue_loaner(second, pool)


def test_s5_accident_clock_met_by_dispatch(wapp, clock):
    tech = factories.user(["technician"])
    case = open_request(unit_accepted(IN_WARRANTY), accident=True)
    assert case.is_emergency
    clock.advance(minutes=5)
    emergency.dispatch(case, tech)
    db.session.commit()
    assert clock_of(case, "warranty.s5_departure").status == ClockStatus.MET
    late = open_request(unit_accepted(IN_WARRANTY, serial="SN-2"), accident=True)
    clock.advance(minutes=16)
    run_deadlines()
    assert clock_of(late, "warranty.s5_departure").is_breached


def test_s6_complaint_contact_within_24_hours(wapp, clock):
    case = open_request(unit_accepted(IN_WARRANTY), complaint=True)
    clock.advance(hours=23)
    emergency.contact_customer(case, "Visita acordada para mañana")
    db.session.commit()
    assert clock_of(case, "warranty.s6_contact").status == ClockStatus.MET
    late = open_request(unit_accepted(IN_WARRANTY, serial="SN-2"), complaint=True)
    clock.advance(hours=24, minutes=1)
    run_deadlines()
    assert clock_of(late, "warranty.s6_contact").is_breached


def test_m1_unit_of_another_customer_is_refused(wapp):
    unit = unit_accepted(IN_WARRANTY)
    stranger = factories.org(OrganisationKind.CUSTOMER)
    with pytest.raises(BusinessRuleError) as error:
        emergency.open_service_request(stranger.id, unit=unit, owner_name="A", owner_phone="1",
                                       owner_address="B", content="C")
    assert error.value.field == "serial"
