"""Three-guarantee tasks: taken by the sales office (D4), dispatched (D2, D3), arranged,
reported and checked on the clock (S7-S10), escalated to leadership (S9)."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.auth.models import Department, OrganisationKind, Organisation, User
from core.auth.scoping import scoped
from core.cases.models import CaseChannel, CasePriority
from core.cases.services import open_case
from core.cases.timeline import record
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import Assignee, Escalation, Task, TaskKind

S9_POLICY = "dealers.s9_check"
S9_NOT_IMPLEMENTED = "dealers.s9_not_implemented"


def open_task(kind: str, customer_id: int, title: str, *, description: str = "", emergency: bool = False,
              product_family: str = "", subcontracted: bool = False, contact_name: str = "",
              contact_phone: str = "", site: str = "", channel: str = CaseChannel.CALL) -> Task:
    """The sales office takes a request, opinion, complaint, return or exchange (D4).

    Starts the S7 clock; an emergency is flagged on the case for immediate handling.
    A product of a subcontracted family is marked for a sales representative (D3).
    """
    if kind not in TaskKind.ALL:
        raise BusinessRuleError(gettext("Choose what was received."), field="kind")
    subcontracted = subcontracted or product_family in policy("dealers.subcontracted_families")
    case = open_case(title, customer_id, channel=channel, description=description, site=site,
                     contact_name=contact_name, contact_phone=contact_phone,
                     priority=CasePriority.EMERGENCY if emergency else CasePriority.NORMAL)
    task = Task(case_id=case.id, kind=kind, emergency=emergency, subcontracted=subcontracted)
    db.session.add(task)
    db.session.flush()
    record(case, "dealers.task_opened", {"kind": kind, "emergency": emergency, "subcontracted": subcontracted})
    return task


def technical_department() -> Department | None:
    """The department abnormal faults go to (D2), named by ``dealers.technical_department``."""
    return db.session.scalar(select(Department).where(Department.name == policy("dealers.technical_department")))


def dispatch_task(task: Task, assignee_kind: str, *, dealer_id: int | None = None,
                  department_id: int | None = None, sales_rep_id: int | None = None) -> None:
    """Send a task to a dealer, a department or a sales representative.

    Meets S7 and starts S8 (department, representative) or S10 (dealer), and the
    sales office's S9 implementation check. D3: subcontracted products go to a
    sales representative.
    """
    if task.dispatched_at is not None:
        raise BusinessRuleError(gettext("This task was already dispatched."), field="assignee_kind")
    if assignee_kind not in Assignee.ALL:
        raise BusinessRuleError(gettext("Choose who takes the task."), field="assignee_kind")
    if task.subcontracted and assignee_kind != Assignee.SALES_REP:
        raise BusinessRuleError(gettext("Subcontracted products are handled by a sales representative."),
                                field="assignee_kind")
    payload = {"assignee_kind": assignee_kind}
    if assignee_kind == Assignee.DEALER:
        dealer = db.session.get(Organisation, dealer_id) if dealer_id else None
        if dealer is None or dealer.kind != OrganisationKind.DEALER:
            raise BusinessRuleError(gettext("Choose a dealer."), field="dealer_id")
        task.dealer_id = dealer.id
        task.case.partner_id = dealer.id  # the dealer's staff now see the case
        payload["to"] = dealer.name
    elif assignee_kind == Assignee.DEPARTMENT:
        department = db.session.get(Department, department_id) if department_id else None
        if department is None:
            raise BusinessRuleError(gettext("Choose a department."), field="department_id")
        task.department_id = department.id
        payload["to"] = department.name
    else:
        rep = db.session.get(User, sales_rep_id) if sales_rep_id else None
        if rep is None or not rep.is_internal or not rep.can("dealers.task.work"):
            raise BusinessRuleError(gettext("Choose a sales representative."), field="sales_rep_id")
        task.sales_rep_id = rep.id
        payload["to"] = rep.display_name
    task.assignee_kind = assignee_kind
    task.dispatched_at = now()
    record(task.case, "dealers.task_dispatched", payload)


def arrange_task(task: Task, arrangement: str) -> None:
    """Whoever received the task says how it is arranged (meets S8 or S10's first part)."""
    arrangement = (arrangement or "").strip()
    if task.dispatched_at is None:
        raise BusinessRuleError(gettext("The task has not been dispatched yet."), field="arrangement")
    if task.arranged_at is not None:
        raise BusinessRuleError(gettext("The task is already arranged."), field="arrangement")
    if not arrangement:
        raise BusinessRuleError(gettext("Say who goes and when."), field="arrangement")
    task.arranged_at = now()
    task.arrangement = arrangement[:2000]
    record(task.case, "dealers.task_arranged", {"arrangement": task.arrangement})


def classify_fault(task: Task, fault_class: str) -> None:
    """D2: normal faults stay with the dealer; abnormal ones go to the technical department."""
    if fault_class not in ("normal", "abnormal"):
        raise BusinessRuleError(gettext("Choose normal or abnormal."), field="fault_class")
    task.fault_class = fault_class
    payload = {"fault_class": fault_class}
    if fault_class == "abnormal":
        department = technical_department()
        task.assignee_kind = Assignee.DEPARTMENT
        task.department_id = department.id if department else None
        task.arranged_at = None
        payload.update(assignee_kind=Assignee.DEPARTMENT, to=department.name if department else "")
    record(task.case, "dealers.fault_classified", payload)


def report_task(task: Task, report: str, user_notified: bool) -> None:
    """S10: the dealer has notified the user and reports to the technical department for filing.

    A dealer may not send the user to the company: the report says what the dealer did.
    """
    report = (report or "").strip()
    if not user_notified:
        raise BusinessRuleError(gettext("Notify the user before reporting."), field="user_notified")
    if not report:
        raise BusinessRuleError(gettext("Write the report for the technical department."), field="report")
    if task.arranged_at is None:
        raise BusinessRuleError(gettext("Arrange the task first."), field="report")
    at = now()
    task.user_notified_at = task.user_notified_at or at
    task.reported_at = at
    record(task.case, "dealers.task_reported", {"report": report[:2000]})


def check_task(task: Task, implemented: bool, note: str = "") -> None:
    """S9: the sales office checks the implementation; one not implemented goes to leadership."""
    if task.dispatched_at is None:
        raise BusinessRuleError(gettext("The task has not been dispatched yet."), field="implemented")
    if task.checked_at is not None:
        raise BusinessRuleError(gettext("The implementation was already checked."), field="implemented")
    task.checked_at = now()
    task.implemented = bool(implemented)
    record(task.case, "dealers.task_checked", {"implemented": bool(implemented), "note": (note or "")[:1000]})
    if not implemented:
        escalate(task.case, S9_NOT_IMPLEMENTED)


def escalate(case, reason_policy: str) -> Escalation | None:
    """Put the case in the leadership queue and on its timeline, once per case and reason (S9)."""
    existing = db.session.scalar(
        select(Escalation).where(Escalation.case_id == case.id, Escalation.policy == reason_policy)
    )
    if existing is not None:
        return None
    task = db.session.scalar(select(Task).where(Task.case_id == case.id))
    escalation = Escalation(case_id=case.id, dealer_id=task.dealer_id if task else None,
                            policy=reason_policy, raised_at=now())
    try:
        with db.session.begin_nested():
            db.session.add(escalation)
    except IntegrityError:
        return None  # a concurrent worker escalated it first
    record(case, "dealers.escalated", {"reason": reason_policy})
    return escalation


def on_deadline_breached(clock, case) -> None:
    """S9's four-hour implementation check missed: escalate to leadership."""
    if clock.policy == S9_POLICY:
        escalate(case, S9_POLICY)


def handle_escalation(escalation: Escalation, user) -> None:
    """A leader takes the escalation out of the queue (on the timeline)."""
    if escalation.handled_at is not None:
        raise BusinessRuleError(gettext("Already handled."), field="escalation")
    escalation.handled_at = now()
    escalation.handled_by_id = user.id
    record(escalation.case, "dealers.escalation_handled", {"by": user.display_name})


def visible_tasks(user=None):
    """A SELECT of the tasks the user may see (a dealer: those dispatched to it)."""
    return scoped(select(Task), Task.dealer_id, user=user)


def open_escalations() -> list[Escalation]:
    """The leadership queue: escalations nobody has handled yet, oldest first."""
    return db.session.scalars(
        select(Escalation).where(Escalation.handled_at.is_(None))
        .options(joinedload(Escalation.case)).order_by(Escalation.raised_at)
    ).all()
