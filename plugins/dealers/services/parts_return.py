"""Old parts coming back to the company (D15) and their receipt by the technical department."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.scoping import scoped
from core.cases.timeline import record
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.sequences import next_number

from ..models import Claim, ClaimPart, ClaimState, PartShipment, ShipmentMethod
from .claims import transition


def next_return_deadline(after: date) -> date:
    """D15: the first of the company's yearly return deadlines on or after ``after``."""
    for year in (after.year, after.year + 1):
        for month_day in sorted(policy("dealers.part_return_deadlines")):
            month, day = (int(x) for x in month_day.split("-"))
            deadline = date(year, month, day)
            if deadline >= after:
                return deadline
    raise AssertionError("dealers.part_return_deadlines is empty")


def awaiting_return(user=None) -> list[ClaimPart]:
    """Old parts of submitted claims not yet shipped back (the user's own, for a dealer)."""
    stmt = (
        select(ClaimPart).join(Claim, Claim.id == ClaimPart.claim_id)
        .where(ClaimPart.shipment_id.is_(None), Claim.state == ClaimState.SUBMITTED)
        .options(joinedload(ClaimPart.claim)).order_by(ClaimPart.id)
    )
    return db.session.scalars(scoped(stmt, ClaimPart.dealer_id, user=user)).all()


def ship_parts(dealer_id: int, parts: list[ClaimPart], method: str, shipped_on: date | None = None,
               reference: str = "") -> PartShipment:
    """Send old parts back: by the next yearly deadline, or on a delivery truck at any time (D15).

    ``parts`` must already be the dealer's own (the view loads them scoped).
    """
    if method not in ShipmentMethod.ALL:
        raise BusinessRuleError(gettext("Choose how the parts travel."), field="method")
    if not parts:
        raise BusinessRuleError(gettext("Choose the parts you send."), field="part_ids")
    shipped_on = shipped_on or today()
    if shipped_on > today():
        raise BusinessRuleError(gettext("The shipping day cannot be in the future."), field="shipped_on")
    for part in parts:
        if part.dealer_id != dealer_id or part.shipment_id is not None or part.claim.state != ClaimState.SUBMITTED:
            raise BusinessRuleError(gettext("Part %(part)s cannot be sent now.", part=part.old_part_number),
                                    field="part_ids")
    earliest = min(part.claim.submitted_at.date() for part in parts)
    shipment = PartShipment(
        dealer_id=dealer_id, method=method, shipped_on=shipped_on,
        reference=(reference or "").strip()[:80] or next_number(policy("dealers.shipment_prefix"), shipped_on.year),
        due_on=next_return_deadline(earliest),
    )
    db.session.add(shipment)
    db.session.flush()
    for part in parts:
        part.shipment_id = shipment.id
    for claim in {part.claim for part in parts}:
        record(claim.case, "dealers.parts_shipped", {"shipment": shipment.reference, "method": method})
    db.session.flush()
    return shipment


def receive_shipment(shipment: PartShipment) -> None:
    """The technical department received the parts; claims with all their parts back move on."""
    if shipment.received_on is not None:
        raise BusinessRuleError(gettext("This shipment was already received."), field="shipment")
    at = now()
    shipment.received_on = at.date()
    for part in shipment.parts:
        part.received_at = at
    db.session.flush()
    for claim in {part.claim for part in shipment.parts}:
        if claim.state == ClaimState.SUBMITTED and claim.all_parts_received:
            transition(claim, (ClaimState.SUBMITTED,), ClaimState.PARTS_RECEIVED, "dealers.parts_received",
                        {"shipment": shipment.reference, "late": shipment.received_on > shipment.due_on})


def visible_shipments(user=None):
    """A SELECT of the shipments the user may see."""
    return scoped(select(PartShipment), PartShipment.dealer_id, user=user)
