"""D2-D5 and the response clocks S7-S10, with the S9 escalation to leadership."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.auth.models import Department
from core.auth.services import company
from core.cases.models import CasePriority, TimelineEvent
from core.clock import today
from core.deadlines import ClockStatus, DeadlineClock, run_deadlines
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.dealers.models import Escalation
from plugins.dealers.services import profiles, tasks
from tests import factories

from . import builders


@pytest.fixture
def app(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        db.session.add(Department(organisation_id=company().id, name="Departamento técnico"))
        db.session.commit()
        yield app


@pytest.fixture
def customer(app):
    return factories.org()


def clock_of(task, policy):
    return db.session.scalar(select(DeadlineClock).where(DeadlineClock.case_id == task.case_id,
                                                         DeadlineClock.policy == policy))


def events_of(task):
    return [e.type for e in db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == task.case_id).order_by(TimelineEvent.id))]


def test_d4_sales_office_takes_complaints_returns_and_exchanges(customer):
    for kind in ("request", "opinion", "complaint", "return", "exchange"):
        task = tasks.open_task(kind, customer.id, f"Tarea {kind}")
        assert task.kind == kind and "dealers.task_opened" in events_of(task)
    with pytest.raises(BusinessRuleError) as refused:
        tasks.open_task("gossip", customer.id, "x")
    assert refused.value.field == "kind"


def test_s7_request_arranged_within_two_hours_emergency_flagged(customer, clock):
    task = tasks.open_task("request", customer.id, "Cosechadora parada", emergency=True)
    s7 = clock_of(task, "dealers.s7_arrange")
    assert s7.due_at - s7.started_at == timedelta(hours=2)
    assert task.case.priority == CasePriority.EMERGENCY
    tasks.dispatch_task(task, "dealer", dealer_id=builders.dealer().id)
    assert clock_of(task, "dealers.s7_arrange").status == ClockStatus.MET


def test_s8_department_arranges_a_transferred_task_within_two_hours(customer):
    task = tasks.open_task("complaint", customer.id, "Ruido")
    department = db.session.scalar(select(Department))
    tasks.dispatch_task(task, "department", department_id=department.id)
    s8 = clock_of(task, "dealers.s8_arrange")
    assert s8.due_at - s8.started_at == timedelta(hours=2)
    assert clock_of(task, "dealers.s10_arrange") is None
    tasks.arrange_task(task, "Técnico sale a las 10:00")
    assert clock_of(task, "dealers.s8_arrange").status == ClockStatus.MET


def test_s10_dealer_arranges_notifies_the_user_and_reports(customer):
    org = builders.dealer()
    task = tasks.open_task("request", customer.id, "Avería")
    tasks.dispatch_task(task, "dealer", dealer_id=org.id)
    assert task.case.partner_id == org.id
    assert clock_of(task, "dealers.s10_arrange").status == ClockStatus.RUNNING
    with pytest.raises(BusinessRuleError):
        tasks.report_task(task, "Informe", user_notified=True)  # not arranged yet
    tasks.arrange_task(task, "Mañana a primera hora")
    with pytest.raises(BusinessRuleError) as refused:
        tasks.report_task(task, "Informe", user_notified=False)
    assert refused.value.field == "user_notified"
    tasks.report_task(task, "Usuario avisado; se cambia el rodamiento", user_notified=True)
    assert clock_of(task, "dealers.s10_arrange").status == ClockStatus.MET
    assert clock_of(task, "dealers.s10_report").status == ClockStatus.MET
    assert task.user_notified_at is not None


def test_s9_unchecked_after_four_hours_escalates_to_leadership(customer, clock):
    task = tasks.open_task("request", customer.id, "Sin revisar")
    tasks.dispatch_task(task, "dealer", dealer_id=builders.dealer().id)
    db.session.commit()
    clock.advance(minutes=239)
    run_deadlines()
    assert db.session.scalar(select(Escalation)) is None
    clock.advance(minutes=2)
    run_deadlines()
    escalation = db.session.scalar(select(Escalation))
    assert escalation.policy == "dealers.s9_check" and escalation.case_id == task.case_id
    assert "dealers.escalated" in events_of(task)
    assert [e.id for e in tasks.open_escalations()] == [escalation.id]
    run_deadlines()
    assert len(db.session.scalars(select(Escalation)).all()) == 1


def test_s9_checked_in_time_meets_the_clock_and_not_implemented_escalates(customer):
    done = tasks.open_task("request", customer.id, "Hecha")
    tasks.dispatch_task(done, "dealer", dealer_id=builders.dealer().id)
    tasks.check_task(done, implemented=True)
    assert clock_of(done, "dealers.s9_check").status == ClockStatus.MET
    undone = tasks.open_task("request", customer.id, "No hecha")
    tasks.dispatch_task(undone, "dealer", dealer_id=builders.dealer().id)
    tasks.check_task(undone, implemented=False, note="El distribuidor no ha ido")
    assert db.session.scalar(select(Escalation.policy).where(Escalation.case_id == undone.case_id)) \
        == "dealers.s9_not_implemented"


def test_d2_abnormal_fault_goes_to_the_technical_department(customer):
    task = tasks.open_task("request", customer.id, "Motor gripado")
    tasks.dispatch_task(task, "dealer", dealer_id=builders.dealer().id)
    tasks.classify_fault(task, "normal")
    assert task.assignee_kind == "dealer"
    tasks.classify_fault(task, "abnormal")
    assert task.assignee_kind == "department" and task.department.name == "Departamento técnico"
    assert clock_of(task, "dealers.s8_arrange") is not None


def test_d3_subcontracted_products_go_to_a_sales_representative(make_app):
    app = make_app(builders.PLUGINS, POSTVENTA_POLICIES={"dealers.subcontracted_families": ["remolques"]})
    with app.app_context():
        customer = factories.org()
        rep = factories.user(["sales_rep"], username="raul")
        task = tasks.open_task("request", customer.id, "Remolque", product_family="remolques")
        assert task.subcontracted
        with pytest.raises(BusinessRuleError) as refused:
            tasks.dispatch_task(task, "dealer", dealer_id=builders.dealer().id)
        assert refused.value.field == "assignee_kind"
        tasks.dispatch_task(task, "sales_rep", sales_rep_id=rep.id)
        assert task.sales_rep_id == rep.id


def test_d5_dealer_due_for_training_after_the_interval(app):
    org = builders.dealer("Agro Sur")
    staff = factories.user(["sales_office"])
    assert org.id in [p.dealer_id for p in profiles.dealers_due_for_training(staff)]
    profiles.record_training(org.id, today() - timedelta(days=10), "Mantenimiento de cosechadoras")
    assert org.id not in [p.dealer_id for p in profiles.dealers_due_for_training(staff)]
    profiles.record_training(org.id, today() - timedelta(days=400), "Curso antiguo")
    assert profiles.profile_for(org.id).last_trained_on == today() - timedelta(days=10)


def test_d1_the_sales_branch_manages_the_technical_department_appraises_dealers_carry_out(app):
    dealer = builders.dealer_user(builders.dealer(), roles=("dealer",))
    technical = factories.user(["technical"])
    office = factories.user(["sales_office"])
    assert dealer.can("dealers.claim.file") and not dealer.can("dealers.claim.appraise")
    assert technical.can("dealers.claim.appraise") and not technical.can("dealers.task.manage")
    assert office.can("dealers.task.manage") and not office.can("dealers.claim.appraise")
