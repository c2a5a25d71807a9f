"""Dealer parts orders: submitted, shipped with a sales delivery note, paid cash
on delivery, closed once the signed and stamped note is back (D6)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from core.audit import current_actor_id
from core.auth.models import Organisation, OrganisationKind
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.sequences import next_number

from ..models import MoveKind, OrderState, Part, PartsOrder, PartsOrderLine
from .stock import company_location, dealer_location, post_move, to_quantity


def _dealer(organisation_id: int) -> Organisation:
    dealer = db.session.get(Organisation, organisation_id)
    if dealer is None or dealer.kind != OrganisationKind.DEALER:
        raise BusinessRuleError(gettext("Choose a dealer."), field="dealer_org_id")
    return dealer


def locked(order: PartsOrder) -> PartsOrder:
    """Re-read ``order`` with a row lock, so two clerks cannot ship or close it twice."""
    return db.session.execute(
        select(PartsOrder).where(PartsOrder.id == order.id).with_for_update(of=PartsOrder)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _require_state(order: PartsOrder, *states: str, field: str = "state") -> None:
    if order.state not in states:
        raise BusinessRuleError(gettext("This order is %(state)s: the action is not possible now.",
                                        state=order.state), field=field)


def create_order(dealer_org_id: int, lines: list[tuple[Part, object]], notes: str = "",
                 plan=None) -> PartsOrder:
    """A dealer's order at list prices. ``lines`` are ``(part, quantity)`` pairs."""
    dealer = _dealer(dealer_org_id)
    chosen = [(part, to_quantity(quantity)) for part, quantity in lines if part is not None]
    chosen = [(part, quantity) for part, quantity in chosen if quantity != 0]
    if not chosen:
        raise BusinessRuleError(gettext("Order at least one part."), field="lines")
    if any(quantity < 0 for _part, quantity in chosen):
        raise BusinessRuleError(gettext("Quantities must be positive."), field="lines")
    at = now()
    order = PartsOrder(
        number=next_number(policy("inventory_parts.order_prefix"), at.year), dealer_org_id=dealer.id,
        state=OrderState.SUBMITTED, notes=(notes or "")[:2000], created_at=at, created_by_id=current_actor_id(),
        plan_id=plan.id if plan is not None else None,
    )
    order.lines = [PartsOrderLine(part_id=part.id, part=part, quantity=quantity, unit_price=part.list_price)
                   for part, quantity in chosen]
    db.session.add(order)
    db.session.flush()
    return order


def ship_order(order: PartsOrder) -> PartsOrder:
    """Ship from the company's warehouse with a numbered sales delivery note (D6)."""
    order = locked(order)
    _require_state(order, OrderState.SUBMITTED)
    source = company_location()
    for line in order.lines:
        post_move(line.part, source, -line.quantity, MoveKind.TRANSFER, order=order,
                  reference=gettext("Order %(number)s", number=order.number))
    at = now()
    order.delivery_note_number = next_number(policy("inventory_parts.delivery_note_prefix"), at.year)
    order.state = OrderState.SHIPPED
    order.shipped_at = at
    db.session.flush()
    return order


def record_payment(order: PartsOrder, amount, reference: str = "") -> PartsOrder:
    """Record the cash collected on delivery: the whole amount of the note (D6)."""
    order = locked(order)
    _require_state(order, OrderState.SHIPPED, field="amount")
    if order.is_paid:
        raise BusinessRuleError(gettext("The payment is already recorded."), field="amount")
    amount = to_quantity(amount, "amount")
    if amount != order.total:
        raise BusinessRuleError(gettext("Cash on delivery: collect the full amount, %(total)s.",
                                        total=order.total), field="amount")
    order.paid_amount = amount
    order.paid_at = now()
    order.payment_reference = (reference or "")[:120]
    db.session.flush()
    return order


def signed_note_path(order: PartsOrder) -> Path:
    digest = order.signed_note_sha256
    return Path(current_app.config["UPLOAD_FOLDER"]) / digest[:2] / digest


def attach_signed_note(order: PartsOrder, filename: str, content_type: str, data: bytes) -> PartsOrder:
    """Keep the delivery note the dealer signed and stamped (D6), on disk by checksum."""
    order = locked(order)
    _require_state(order, OrderState.SHIPPED, field="file")
    filename = Path(filename or "").name[:255]
    if not filename or not data:
        raise BusinessRuleError(gettext("Choose a file to upload."), field="file")
    if len(data) > policy("core.attachment_max_bytes"):
        raise BusinessRuleError(gettext("The file is too large."), field="file")
    if content_type not in policy("core.attachment_types"):
        raise BusinessRuleError(gettext("This type of file is not accepted."), field="file")
    digest = hashlib.sha256(data).hexdigest()
    order.signed_note_sha256 = digest
    target = signed_note_path(order)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)
    order.signed_note_filename = filename
    order.signed_note_type = content_type
    order.signed_note_at = now()
    db.session.flush()
    return order


def close_delivery(order: PartsOrder) -> PartsOrder:
    """Close the delivery: paid (D6, cash on delivery), signed note back; the parts reach the dealer's stock."""
    order = locked(order)
    _require_state(order, OrderState.SHIPPED)
    if policy("inventory_parts.payment_before_close") and not order.is_paid:
        raise BusinessRuleError(gettext("Record the cash payment before closing the delivery."), field="amount")
    if policy("inventory_parts.signed_note_required") and not order.has_signed_note:
        raise BusinessRuleError(gettext("Upload the signed and stamped delivery note first."), field="file")
    target = dealer_location(order.dealer)
    for line in order.lines:
        post_move(line.part, target, line.quantity, MoveKind.TRANSFER, order=order,
                  reference=gettext("Order %(number)s", number=order.number))
    order.state = OrderState.CLOSED
    order.closed_at = now()
    db.session.flush()
    return order


def cancel_order(order: PartsOrder) -> PartsOrder:
    """Cancel an order that has not shipped."""
    order = locked(order)
    _require_state(order, OrderState.SUBMITTED)
    order.state = OrderState.CANCELLED
    db.session.flush()
    return order
