"""Part failures and abnormally short service life (W5).

A failure's life runs from the day the part was fitted (its issue from stock,
found by serial, or the date the technical department enters) to the day it
failed. It is abnormal when shorter than ``inventory_parts.abnormal_life_ratio``
of the part's normal service life: the W5 report lists such parts for free
replacement after expiry and for the technical department's fault analysis.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select

from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import MoveKind, Part, PartFailure, StockMove

DAYS_PER_MONTH = Decimal("365.25") / 12


def life_in_months(fitted_on, failed_on) -> Decimal:
    return (Decimal((failed_on - fitted_on).days) / DAYS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_abnormal(part: Part, life_months: Decimal) -> bool:
    """W5: significantly shorter than normal means under the policy's share of the normal life."""
    if not part.service_life_months:
        return False
    ratio = Decimal(str(policy("inventory_parts.abnormal_life_ratio")))
    return life_months < Decimal(part.service_life_months) * ratio


def record_failure(part: Part, fitted_on, failed_on, serial: str = "", reference: str = "") -> PartFailure:
    """Record a failed part and whether its life was abnormally short."""
    if fitted_on is None:
        raise BusinessRuleError(gettext("Give the date the part was fitted."), field="fitted_on")
    if failed_on is None:
        raise BusinessRuleError(gettext("Give the date the part failed."), field="failed_on")
    if failed_on < fitted_on:
        raise BusinessRuleError(gettext("A part cannot fail before it was fitted."), field="failed_on")
    if failed_on > today():
        raise BusinessRuleError(gettext("The failure date is in the future."), field="failed_on")
    life = life_in_months(fitted_on, failed_on)
    failure = PartFailure(
        part_id=part.id, part=part, serial=(serial or "")[:80], fitted_on=fitted_on, failed_on=failed_on,
        life_months=life, normal_life_months=part.service_life_months, abnormal=is_abnormal(part, life),
        reference=(reference or "")[:120], recorded_at=now(),
    )
    db.session.add(failure)
    db.session.flush()
    return failure


def record_failure_from_serial(part: Part, serial: str, reference: str) -> PartFailure | None:
    """When an unusable old part comes back, its life runs from the issue of the same serial."""
    if not serial:
        return None
    fitted = db.session.scalar(
        select(StockMove.at).where(StockMove.part_id == part.id, StockMove.serial == serial,
                                   StockMove.kind == MoveKind.ISSUE)
        .order_by(StockMove.at.desc()).limit(1)
    )
    if fitted is None:
        return None
    return record_failure(part, fitted.date(), today(), serial=serial, reference=reference)
