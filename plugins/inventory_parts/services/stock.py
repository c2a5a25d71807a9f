"""Locations and the stock ledger: every change of stock is one :func:`post_move`.

A move appends a ledger row and changes the on-hand balance of its part and
location with one conditional ``UPDATE ... WHERE on_hand + q >= 0``. The row
lock that ``UPDATE`` takes serialises concurrent issues of the same part on
PostgreSQL; the second one re-reads the committed balance and is refused when
the stock no longer covers it, so stock never goes negative.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.audit import current_actor_id
from core.auth.models import Organisation, OrganisationKind
from core.auth.services import company
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import Location, LocationKind, MoveKind, OrderState, Part, PartsOrder, PartsOrderLine, StockBalance, StockMove


def to_quantity(value, field: str = "quantity") -> Decimal:
    """A quantity from a form or a fact, as a Decimal with two places."""
    try:
        quantity = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BusinessRuleError(gettext("Enter a number."), field=field) from None
    return quantity


def find_part(number: str) -> Part | None:
    return db.session.scalar(select(Part).where(Part.number == (number or "").strip()))


def part_by_number(number: str, field: str = "part_number") -> Part:
    part = find_part(number)
    if part is None:
        raise BusinessRuleError(gettext("Unknown part number %(number)s.", number=number), field=field)
    return part


def _location_by_code(code: str, name: str, kind: str, owner_id: int) -> Location:
    """The location with ``code``, created on first use (designated warehouses always exist)."""
    location = db.session.scalar(select(Location).where(Location.code == code))
    if location is None:
        location = Location(code=code, name=name, kind=kind, owner_org_id=owner_id)
        db.session.add(location)
        db.session.flush()
    return location


def company_location() -> Location:
    """The company's main warehouse (policy ``inventory_parts.company_location_code``)."""
    return _location_by_code(policy("inventory_parts.company_location_code"), gettext("Central warehouse"),
                             LocationKind.COMPANY, company().id)


def old_parts_location(usable: bool) -> Location:
    """The designated warehouse for usable or unusable old parts (D17)."""
    if usable:
        code, name, kind = (policy("inventory_parts.old_usable_location_code"),
                            gettext("Old parts, usable"), LocationKind.OLD_USABLE)
    else:
        code, name, kind = (policy("inventory_parts.old_unusable_location_code"),
                            gettext("Old parts, unusable"), LocationKind.OLD_UNUSABLE)
    return _location_by_code(code, name, kind, company().id)


def dealer_location(organisation: Organisation) -> Location:
    """A dealer's own stock location (created on first use)."""
    location = db.session.scalar(
        select(Location).where(Location.owner_org_id == organisation.id, Location.kind == LocationKind.DEALER)
        .order_by(Location.id)
    )
    if location is None:
        location = _location_by_code(f"DIST-{organisation.id}", organisation.name, LocationKind.DEALER,
                                     organisation.id)
    return location


def stock_location_for(organisation_id: int) -> Location:
    """Where parts used by ``organisation_id`` come from: the company's warehouse or the dealer's stock."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise BusinessRuleError(gettext("Unknown organisation."), field="organisation_id")
    if organisation.kind == OrganisationKind.COMPANY:
        return company_location()
    if organisation.kind == OrganisationKind.DEALER:
        return dealer_location(organisation)
    raise BusinessRuleError(gettext("Only the company and dealers hold stock."), field="organisation_id")


def on_hand(part: Part, location: Location) -> Decimal:
    value = db.session.scalar(
        select(StockBalance.on_hand).where(StockBalance.part_id == part.id, StockBalance.location_id == location.id)
    )
    return value if value is not None else Decimal("0")


def _ensure_balance_row(part_id: int, location_id: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(StockBalance.__table__)
        .values(part_id=part_id, location_id=location_id, on_hand=Decimal("0"))
        .on_conflict_do_nothing(index_elements=["part_id", "location_id"])
    )


def post_move(part: Part, location: Location, quantity, kind: str, *, reason: str = "", reference: str = "",
              serial: str = "", case=None, order=None, field: str = "quantity") -> StockMove:
    """Append one signed move to the ledger and update the balance in the same transaction.

    :raises BusinessRuleError: when the move would take the on-hand stock below zero.
    """
    quantity = to_quantity(quantity, field)
    if quantity == 0:
        raise BusinessRuleError(gettext("The quantity cannot be zero."), field=field)
    if kind not in MoveKind.ALL:
        raise BusinessRuleError(gettext("Unknown kind of move."), field="kind")
    _ensure_balance_row(part.id, location.id)
    table = StockBalance.__table__
    changed = db.session.execute(
        update(table)
        .where(table.c.part_id == part.id, table.c.location_id == location.id, table.c.on_hand + quantity >= 0)
        .values(on_hand=table.c.on_hand + quantity)
        .returning(table.c.on_hand)
    ).scalar_one_or_none()
    if changed is None:
        raise BusinessRuleError(
            gettext("Not enough stock of %(part)s at %(location)s: %(available)s on hand, %(needed)s needed.",
                    part=part.number, location=location.name, available=on_hand(part, location), needed=-quantity),
            field=field,
        )
    move = StockMove(
        part_id=part.id, location_id=location.id, kind=kind, quantity=quantity, serial=(serial or "")[:80],
        reason=(reason or "")[:300], reference=(reference or "")[:120],
        case_id=case.id if case is not None else None, order_id=order.id if order is not None else None,
        at=now(), actor_id=current_actor_id(),
    )
    db.session.add(move)
    db.session.flush()
    return move


def transfer(part: Part, source: Location, target: Location, quantity, reference: str = "", order=None,
             kind: str = MoveKind.TRANSFER) -> None:
    """Move stock between two locations: two ledger rows, out of one and into the other."""
    quantity = to_quantity(quantity)
    if quantity <= 0:
        raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
    if source.id == target.id:
        raise BusinessRuleError(gettext("Choose two different locations."), field="target_id")
    post_move(part, source, -quantity, kind, reference=reference, order=order)
    post_move(part, target, quantity, kind, reference=reference, order=order)


def record_manual_move(part: Part, location: Location, kind: str, quantity, reason: str,
                       target: Location | None = None) -> None:
    """A move entered by staff: a receipt, an adjustment (signed, with its reason) or a transfer."""
    quantity = to_quantity(quantity)
    if kind == MoveKind.RECEIPT:
        if quantity <= 0:
            raise BusinessRuleError(gettext("A receipt must be positive."), field="quantity")
        post_move(part, location, quantity, kind, reason=reason)
    elif kind == MoveKind.ADJUSTMENT:
        if not (reason or "").strip():
            raise BusinessRuleError(gettext("Give the reason for the adjustment."), field="reason")
        post_move(part, location, quantity, kind, reason=reason)
    elif kind == MoveKind.TRANSFER:
        if target is None:
            raise BusinessRuleError(gettext("Choose where the stock goes."), field="target_id")
        transfer(part, location, target, quantity, reference=reason)
    else:
        raise BusinessRuleError(gettext("Choose receipt, adjustment or transfer."), field="kind")


def reserved_by_part(part_ids) -> dict[int, Decimal]:
    """Quantities promised to dealers on orders not yet shipped, per part (company stock)."""
    if not part_ids:
        return {}
    rows = db.session.execute(
        select(PartsOrderLine.part_id, func.sum(PartsOrderLine.quantity))
        .join(PartsOrder, PartsOrder.id == PartsOrderLine.order_id)
        .where(PartsOrder.state == OrderState.SUBMITTED, PartsOrderLine.part_id.in_(list(part_ids)))
        .group_by(PartsOrderLine.part_id)
    ).all()
    return {part_id: Decimal(total or 0) for part_id, total in rows}


def ledger_mismatches() -> list[tuple]:
    """Balances that differ from the sum of their ledger moves (empty when the books balance)."""
    sums = (
        select(StockMove.part_id, StockMove.location_id, func.sum(StockMove.quantity).label("total"))
        .group_by(StockMove.part_id, StockMove.location_id)
        .subquery()
    )
    rows = db.session.execute(
        select(StockBalance.part_id, StockBalance.location_id, StockBalance.on_hand, sums.c.total)
        .outerjoin(sums, (sums.c.part_id == StockBalance.part_id) & (sums.c.location_id == StockBalance.location_id))
    ).all()
    wrong = [row for row in rows if Decimal(row.on_hand) != Decimal(row.total or 0)]
    orphans = db.session.execute(
        select(sums.c.part_id, sums.c.location_id, sums.c.total)
        .outerjoin(StockBalance, (sums.c.part_id == StockBalance.part_id)
                   & (sums.c.location_id == StockBalance.location_id))
        .where(StockBalance.id.is_(None))
    ).all()
    return [tuple(row) for row in wrong] + [tuple(row) for row in orphans]
