"""Facts other plugins send through hooks: parts used on a job, old parts appraised."""
from __future__ import annotations

from flask_babel import gettext

from core.cases.timeline import record
from core.errors import BusinessRuleError

from ..models import MoveKind
from .life import record_failure_from_serial
from .stock import old_parts_location, part_by_number, post_move, stock_location_for, to_quantity


def issue_parts(case, organisation_id: int, lines, reference: str) -> list:
    """Issue each :class:`core.facts.PartLine` from the organisation's stock location.

    :raises BusinessRuleError: when a part is unknown or its stock is short; the
        caller's transaction rolls back, so nothing is half-issued.
    """
    location = stock_location_for(organisation_id)
    moves = []
    for line in lines:
        quantity = to_quantity(line.quantity)
        if quantity <= 0:
            raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
        part = part_by_number(line.part_number)
        moves.append(post_move(part, location, -quantity, MoveKind.ISSUE, serial=line.serial,
                               reference=reference, case=case))
    if case is not None and moves:
        record(case, "inventory_parts.parts_issued", {
            "location": location.name, "reference": reference,
            "lines": [{"part_number": m.part.number, "name": m.part.name, "quantity": str(-m.quantity),
                       "serial": m.serial} for m in moves],
        })
    return moves


def receive_old_part(part_number: str, serial: str, usable: bool, quantity, reference: str):
    """Book an appraised old part into its designated warehouse (D17).

    An unusable part with a serial we issued is also a failure: its life is
    recorded for the abnormal-life report (W5).
    """
    quantity = to_quantity(quantity)
    if quantity <= 0:
        raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
    part = part_by_number(part_number)
    location = old_parts_location(bool(usable))
    move = post_move(part, location, quantity, MoveKind.RECEIPT, serial=serial or "",
                     reference=reference)
    if not usable:
        record_failure_from_serial(part, serial or "", reference)
    return move
