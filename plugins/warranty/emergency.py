"""Service requests (M1), the emergency clocks' events (S1-S3, S5, S6) and loaner units (S4)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from core.auth.services import company
from core.cases import services as cases
from core.cases.models import CaseChannel, CasePriority
from core.cases.timeline import record
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db

from .models import Loaner, ServiceRequest, Unit
from .services import entitlement

S3_POLICY = "warranty.s3_resolved"


def request_for(case) -> ServiceRequest | None:
    """The maintenance feedback form of ``case``, if it has one."""
    return db.session.scalar(select(ServiceRequest).where(ServiceRequest.case_id == case.id))


def open_service_request(customer_id: int, *, owner_name: str, owner_phone: str, owner_address: str,
                         content: str, requirements: str = "", unit: Unit | None = None, emergency: bool = False,
                         complaint: bool = False, accident: bool = False, channel: str = CaseChannel.CALL,
                         title: str = "", certificate_shown: bool = True, partner_id: int | None = None):
    """Customer service takes the call: check the warranty (W9) and fill the feedback form (M1).

    Opens the case (an emergency starts the S1-S3 clocks, a complaint S6, an
    accident S5) and records the form with the entitlement seen at that moment,
    for engineering to pick up.
    """
    required = {"owner_name": (owner_name, gettext("The owner's name is required.")),
                "owner_phone": (owner_phone, gettext("A phone number is required.")),
                "owner_address": (owner_address, gettext("The address is required.")),
                "content": (content, gettext("Describe the problem."))}
    for name, (value, message) in required.items():
        if not (value or "").strip():
            raise BusinessRuleError(message, field=name)
    if unit is not None and unit.customer_id != int(customer_id):
        raise BusinessRuleError(gettext("This unit belongs to another customer."), field="serial")
    flags = {"complaint": bool(complaint), "accident": bool(accident)}
    case = cases.open_case(
        (title or content).strip()[:200], int(customer_id), channel=channel,
        priority=CasePriority.EMERGENCY if emergency or accident else CasePriority.NORMAL,
        description=content.strip(), site=owner_address.strip(), contact_name=owner_name.strip(),
        contact_phone=owner_phone.strip(), partner_id=partner_id, payload=flags,
    )
    request = ServiceRequest(
        case_id=case.id, unit_id=unit.id if unit else None, customer_id=int(customer_id),
        owner_name=owner_name.strip(), owner_phone=owner_phone.strip(), owner_address=owner_address.strip(),
        content=content.strip(), requirements=(requirements or "").strip(), is_complaint=bool(complaint),
        is_accident=bool(accident),
    )
    db.session.add(request)
    db.session.flush()
    payload = {**flags, "owner_name": request.owner_name, "requirements": request.requirements,
               "to": "engineering"}
    if unit is not None:
        ent = entitlement(unit, certificate_shown=certificate_shown)
        payload.update(serial=unit.serial, model=unit.product.model, in_warranty=ent.in_warranty,
                       basis=ent.basis, reason=ent.reason)
    record(case, "warranty.request_registered", payload)
    return case


def answer(case, note: str) -> None:
    """The request is answered (meets S1)."""
    note = (note or "").strip()
    if not note:
        raise BusinessRuleError(gettext("Say what the customer was told."), field="note")
    record(case, "warranty.answered", {"note": note[:2000]})


def _warn_if_not_certified(case, technician) -> str:
    """Warn, never refuse, when the technician lacks a certificate for the product family (T6)."""
    request = request_for(case)
    family = request.unit.product.family if request and request.unit else None
    answer = current_app.extensions["postventa"].hook.postventa_may_perform_work(
        user=technician, work="warranty.repair", product_family=family)
    if answer is not None and not answer.allowed:
        reason = answer.reason or gettext("No valid certificate for this product family.")
        record(case, "warranty.technician_warning", {"technician": technician.display_name, "reason": reason})
        return reason
    return ""


def dispatch(case, technician) -> str:
    """The technician leaves for the site (meets S5). Returns a certification warning, if any."""
    if technician is None or not technician.is_internal:
        raise BusinessRuleError(gettext("Choose a member of staff."), field="technician_id")
    request = request_for(case)
    if request is not None:
        request.technician_id = technician.id
    record(case, "warranty.dispatched", {"technician": technician.display_name, "technician_id": technician.id})
    return _warn_if_not_certified(case, technician)


def check_in(case, technician) -> str:
    """The technician is on site (meets S2). Returns a certification warning, if any."""
    if technician is None or not technician.is_internal:
        raise BusinessRuleError(gettext("Choose a member of staff."), field="technician_id")
    request = request_for(case)
    if request is not None:
        if request.checked_in_at is not None:
            raise BusinessRuleError(gettext("The technician has already checked in."), field="technician_id")
        request.technician_id, request.checked_in_at = technician.id, now()
    record(case, "warranty.checked_in", {"technician": technician.display_name, "technician_id": technician.id})
    return _warn_if_not_certified(case, technician)


def resolve(case, note: str) -> None:
    """The problem is solved (meets S3)."""
    note = (note or "").strip()
    if not note:
        raise BusinessRuleError(gettext("Say how it was solved."), field="note")
    request = request_for(case)
    if request is not None:
        if request.resolved_at is not None:
            raise BusinessRuleError(gettext("The case is already resolved."), field="note")
        request.resolved_at = now()
    record(case, "warranty.resolved", {"note": note[:2000]})


def contact_customer(case, summary: str) -> None:
    """The maintenance team contacted the complaining customer (meets S6)."""
    summary = (summary or "").strip()
    if not summary:
        raise BusinessRuleError(gettext("Say what was agreed with the customer."), field="summary")
    record(case, "warranty.customer_contacted", {"summary": summary[:2000]})


# --- S4: a loaner of the same level while unresolved --------------------------------------

def loaner_for(case) -> Loaner | None:
    return db.session.scalar(select(Loaner).where(Loaner.case_id == case.id))


def demand_loaner(case) -> Loaner:
    """S4: not resolved within the S3 time, so the case needs a loaner unit (flagged until issued)."""
    existing = loaner_for(case)
    if existing is not None:
        return existing
    request = request_for(case)
    loaner = Loaner(case_id=case.id, unit_id=request.unit_id if request else None, demanded_at=now())
    db.session.add(loaner)
    db.session.flush()
    record(case, "warranty.loaner_demanded", {"serial": request.unit.serial if request and request.unit else ""})
    return loaner


def on_loan(unit_id: int) -> bool:
    return db.session.scalar(
        select(Loaner.id).where(Loaner.loaner_unit_id == unit_id, Loaner.returned_at.is_(None))
    ) is not None


def issue_loaner(case, loaner_unit: Unit) -> Loaner:
    """Lend ``loaner_unit`` free of charge: of the same level (product family) as the failed unit.

    The loaner unit's row is locked, so two cases can never take the same unit at once.
    """
    loaner = loaner_for(case)
    if loaner is None:
        raise BusinessRuleError(gettext("This case does not need a loaner unit."), field="loaner_unit_id")
    if loaner.issued_at is not None:
        raise BusinessRuleError(gettext("A loaner unit is already issued."), field="loaner_unit_id")
    if loaner_unit is None:
        raise BusinessRuleError(gettext("Choose a loaner unit."), field="loaner_unit_id")
    locked = db.session.scalar(
        select(Unit).where(Unit.id == loaner_unit.id).with_for_update(of=Unit).execution_options(populate_existing=True))
    if loaner.unit is not None:
        if locked.id == loaner.unit_id:
            raise BusinessRuleError(gettext("Lend another unit, not the failed one."), field="loaner_unit_id")
        if locked.product.family != loaner.unit.product.family:
            raise BusinessRuleError(gettext("The loaner must be of the same level (%(family)s).",
                                            family=loaner.unit.product.family), field="loaner_unit_id")
    if locked.customer_id != company().id:
        raise BusinessRuleError(gettext("Only the company's own units can be lent."), field="loaner_unit_id")
    if on_loan(locked.id):
        raise BusinessRuleError(gettext("This unit is already on loan."), field="loaner_unit_id")
    loaner.loaner_unit_id, loaner.issued_at = locked.id, now()
    db.session.flush()
    record(case, "warranty.loaner_issued", {"serial": locked.serial, "model": locked.product.model})
    return loaner


def return_loaner(case) -> None:
    """The loaner unit came back."""
    loaner = loaner_for(case)
    if loaner is None or loaner.issued_at is None:
        raise BusinessRuleError(gettext("No loaner unit is out for this case."), field="loaner_unit_id")
    if loaner.returned_at is not None:
        raise BusinessRuleError(gettext("The loaner unit is already back."), field="loaner_unit_id")
    loaner.returned_at = now()
    record(case, "warranty.loaner_returned", {"serial": loaner.loaner_unit.serial})


def available_loaners(case) -> list[Unit]:
    """Units that could be lent for ``case``: same family, not the failed unit, not on loan."""
    loaner = loaner_for(case)
    stmt = select(Unit).where(
        Unit.customer_id == company().id,
        ~select(Loaner.id).where(Loaner.loaner_unit_id == Unit.id, Loaner.returned_at.is_(None)).exists()
    ).order_by(Unit.serial)
    if loaner is not None and loaner.unit is not None:
        from .models import Product

        stmt = stmt.join(Product, Unit.product_id == Product.id).where(
            Product.family == loaner.unit.product.family, Unit.id != loaner.unit_id)
    return list(db.session.scalars(stmt.limit(200)))


def on_deadline_breached(clock, case) -> None:
    """S4: when the S3 clock breaches, the case demands a loaner unit."""
    if clock.policy == S3_POLICY:
        demand_loaner(case)
