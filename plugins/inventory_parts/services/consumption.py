"""Facts other plugins send through hooks: parts used on a job, old parts appraised."""
from __future__ import annotations

from flask_babel import gettext

from core.cases.timeline import record
from core.errors import BusinessRuleError
from core.policies import policy

from ..models import MoveKind
from .life import record_failure_from_serial
from .stock import find_part, old_parts_location, part_by_number, post_move, stock_location_for, to_quantity


def _tracked_part(part_number: str):
    """The catalogue part, or ``None`` for a part outside the catalogue when the policy lets it pass.

    A claim or repair may use a part the company does not stock (bought locally,
    a supplier's spare); with ``inventory_parts.refuse_unknown_parts`` off such a
    line moves no stock instead of blocking the claim.
    """
    if policy("inventory_parts.refuse_unknown_parts"):
        return part_by_number(part_number)
    return find_part(part_number)


def issue_parts(case, organisation_id: int, lines, reference: str) -> list:
    """Issue each :class:`core.facts.PartLine` from the organisation's stock location.

    :raises BusinessRuleError: when a part's stock is short (or the part is unknown
        and ``inventory_parts.refuse_unknown_parts`` is on); the
        caller's transaction rolls back, so nothing is half-issued.
    """
    location = stock_location_for(organisation_id)
    moves = []
    for line in lines:
        quantity = to_quantity(line.quantity)
        if quantity <= 0:
            raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
        part = _tracked_part(line.part_number)
        if part is None:
            continue
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
    part = _tracked_part(part_number)
    if part is None:
        return None
    location = old_parts_location(bool(usable))
    move = post_move(part, location, quantity, MoveKind.RECEIPT, serial=serial or "",
                     reference=reference)
    if not usable:
        record_failure_from_serial(part, serial or "", reference)
    return move
