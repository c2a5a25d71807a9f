"""From delivery to handover (I1-I5), with commissioning problems reported to production (M11)."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import select

from core.cases import services as cases
from core.cases.timeline import record
from core.clock import as_utc, now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from .models import CommissioningIssue, Installation, Unit
from .services import record_acceptance
from .visits import plan_visits


def installation_for_unit(unit: Unit) -> Installation | None:
    return db.session.scalar(select(Installation).where(Installation.unit_id == unit.id))


def start_installation(unit: Unit, contact_name: str = "") -> Installation:
    """Open the delivery-and-installation case of ``unit``."""
    if installation_for_unit(unit) is not None:
        raise BusinessRuleError(gettext("This unit's installation is already under way."), field="serial")
    case = cases.open_case(gettext("Delivery and installation of %(unit)s", unit=str(unit)), unit.customer_id,
                           site=unit.site, contact_name=(contact_name or "").strip())
    installation = Installation(unit_id=unit.id, case_id=case.id, contact_name=(contact_name or "").strip())
    db.session.add(installation)
    db.session.flush()
    record(case, "warranty.installation_started", {"serial": unit.serial, "model": unit.product.model})
    return installation


def agree_delivery(installation: Installation, delivery_at, contact_name: str) -> None:
    """I1: confirm the contact person and agree the delivery at least half a day ahead."""
    contact_name = (contact_name or "").strip()
    if not contact_name:
        raise BusinessRuleError(gettext("Confirm the customer's contact person."), field="contact_name")
    if delivery_at is None:
        raise BusinessRuleError(gettext("Give the delivery time."), field="delivery_at")
    ahead = timedelta(hours=float(policy("warranty.i1_confirm_hours_ahead")))
    if as_utc(delivery_at) - now() < ahead:
        raise BusinessRuleError(gettext("A delivery is agreed at least %(hours)s hours ahead.",
                                        hours=policy("warranty.i1_confirm_hours_ahead")), field="delivery_at")
    installation.contact_name, installation.delivery_at = contact_name, as_utc(delivery_at)
    installation.delivery_confirmed_at = now()
    record(installation.case, "warranty.delivery_agreed", {"contact": contact_name,
                                                           "delivery_at": as_utc(delivery_at).isoformat()})


def record_installed(installation: Installation, installed_on: date, customer_person: str) -> None:
    """I2: installed on site with the customer involved."""
    if installation.delivery_confirmed_at is None:
        raise BusinessRuleError(gettext("Agree the delivery first."), field="installed_on")
    if not installed_on or installed_on > today():
        raise BusinessRuleError(gettext("Give the installation date (not in the future)."), field="installed_on")
    customer_person = (customer_person or "").strip()
    if not customer_person:
        raise BusinessRuleError(gettext("Name the customer's person who took part."), field="customer_person")
    unit = installation.unit
    unit.delivered_on = unit.delivered_on or as_utc(installation.delivery_at).date()
    unit.installed_on, installation.installed_with = installed_on, customer_person
    record(installation.case, "warranty.installed", {"installed_on": installed_on.isoformat(),
                                                     "with": customer_person})


def report_issue(installation: Installation, description: str, product_defect: bool) -> CommissioningIssue:
    """I3: a problem found at commissioning. M11: a product defect is reported to production."""
    description = (description or "").strip()
    if not description:
        raise BusinessRuleError(gettext("Describe the problem."), field="description")
    if installation.handover_at is not None:
        raise BusinessRuleError(gettext("The unit was already handed over."), field="description")
    issue = CommissioningIssue(installation_id=installation.id, description=description,
                               product_defect=bool(product_defect))
    db.session.add(issue)
    db.session.flush()
    record(installation.case, "warranty.issue_found", {"issue_id": issue.id, "description": description,
                                                       "product_defect": bool(product_defect)})
    if product_defect:
        record(installation.case, "warranty.quality_feedback",
               {"issue_id": issue.id, "description": description, "model": installation.unit.product.model,
                "serial": installation.unit.serial, "to": "production"})
    return issue


def handle_issue(issue: CommissioningIssue, outcome: str, resolution: str) -> None:
    """I3: every problem is fixed before handover, or escalated."""
    if outcome not in ("fixed", "escalated"):
        raise BusinessRuleError(gettext("Choose fixed or escalated."), field="outcome")
    if issue.status != "open":
        raise BusinessRuleError(gettext("This problem is already handled."), field="outcome")
    resolution = (resolution or "").strip()
    if not resolution:
        raise BusinessRuleError(gettext("Say what was done."), field="resolution")
    issue.status, issue.resolution = outcome, resolution
    record(issue.installation.case, "warranty.issue_resolved", {"issue_id": issue.id, "outcome": outcome,
                                                                "resolution": resolution})


def commission(installation: Installation) -> None:
    """I3: the equipment is installed and working, with no problem left open."""
    if installation.unit.installed_on is None:
        raise BusinessRuleError(gettext("Record the installation first."), field="handover_signed_by")
    open_issues = [i for i in installation.issues if i.status == "open"]
    if open_issues:
        raise BusinessRuleError(gettext("Fix or escalate every commissioning problem first (%(count)d open).",
                                        count=len(open_issues)), field="handover_signed_by")
    installation.commissioned_at = now()
    record(installation.case, "warranty.commissioned", {})


def hand_over(installation: Installation, signed_by: str, company_signatory: str,
              on: date | None = None) -> None:
    """I4: handed over intact, the customer signs; the signed acceptance starts the warranty (W1).

    Also plans the return visits on the maintenance card (V1, V2, V5) and the follow-up call (I5).
    """
    if installation.handover_at is not None:
        raise BusinessRuleError(gettext("The unit was already handed over."), field="handover_signed_by")
    if installation.commissioned_at is None:
        commission(installation)
    signed_by = (signed_by or "").strip()
    if not signed_by:
        raise BusinessRuleError(gettext("The customer signs the handover."), field="handover_signed_by")
    on = on or today()
    unit = installation.unit
    record_acceptance(unit, on, signed_by, company_signatory)
    unit.completed_on = unit.completed_on or on
    installation.handover_signed_by, installation.handover_at = signed_by, now()
    installation.followup_due_on = on + timedelta(days=int(policy("warranty.i5_followup_days")))
    plan_visits(unit)
    record(installation.case, "warranty.handover_signed", {"signed_by": signed_by, "on": on.isoformat(),
                                                           "followup_due_on": installation.followup_due_on.isoformat()})


def follow_up(installation: Installation, summary: str) -> None:
    """I5: the follow-up call after handover, logged as a call (M10)."""
    if installation.handover_at is None:
        raise BusinessRuleError(gettext("The follow-up call comes after the handover."), field="summary")
    if installation.followup_done_at is not None:
        raise BusinessRuleError(gettext("The follow-up call is already done."), field="summary")
    summary = (summary or "").strip()
    if not summary:
        raise BusinessRuleError(gettext("Say what the customer said."), field="summary")
    installation.followup_done_at = now()
    cases.add_service_log(installation.case, "call", summary)
    record(installation.case, "warranty.followup_done", {"summary": summary[:2000]})


def followups_due(on: date | None = None) -> list[Installation]:
    """Handed-over units whose follow-up call is due and not done (I5)."""
    on = on or today()
    return list(db.session.scalars(
        select(Installation).where(Installation.followup_done_at.is_(None), Installation.followup_due_on <= on)
        .order_by(Installation.followup_due_on)
    ))
