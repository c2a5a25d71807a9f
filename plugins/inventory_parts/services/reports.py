"""Reports: stock by location, plan coverage, consumption per part and month, reorder list.

Each report is a fixed number of queries, however many rows it shows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.scoping import scoped
from core.clock import today
from core.extensions import db

from ..models import (
    Location, LocationKind, MoveKind, OrderState, Part, PartsOrder, PartsOrderLine, PlanState, ReservePlan,
    ReservePlanLine, StockBalance, StockMove,
)
from .stock import reserved_by_part

ZERO = Decimal("0")


def stock_by_location(location_id: int | None = None) -> list[dict]:
    """On hand, reserved and available per part and location the user may see."""
    stmt = scoped(select(StockBalance).join(Location, Location.id == StockBalance.location_id),
                  Location.owner_org_id)
    if location_id:
        stmt = stmt.where(StockBalance.location_id == location_id)
    balances = db.session.scalars(
        stmt.join(Part, Part.id == StockBalance.part_id).order_by(Location.code, Part.number)
    ).all()
    reserved = reserved_by_part({b.part_id for b in balances if b.location.kind == LocationKind.COMPANY})
    rows = []
    for balance in balances:
        held = reserved.get(balance.part_id, ZERO) if balance.location.kind == LocationKind.COMPANY else ZERO
        rows.append(dict(location=balance.location, part=balance.part, on_hand=balance.on_hand,
                         reserved=held, available=balance.on_hand - held))
    return rows


@dataclass
class CoverageLine:
    plan: ReservePlan
    line: ReservePlanLine
    on_hand: Decimal
    on_order: Decimal

    @property
    def covered_pct(self) -> int:
        approved = self.line.approved_quantity or ZERO
        if approved <= 0:
            return 100
        return min(100, int((self.on_hand / approved) * 100))


def plan_coverage(season_id: int | None = None) -> list[CoverageLine]:
    """Each dealer's stock against its approved plan, with what is still on order."""
    stmt = scoped(select(ReservePlan), ReservePlan.dealer_org_id).where(ReservePlan.state == PlanState.APPROVED)
    if season_id:
        stmt = stmt.where(ReservePlan.season_id == season_id)
    plans = db.session.scalars(stmt.options(selectinload(ReservePlan.lines))).all()
    dealer_ids = {plan.dealer_org_id for plan in plans}
    held = defaultdict(lambda: ZERO)
    ordered = defaultdict(lambda: ZERO)
    if dealer_ids:
        for org_id, part_id, quantity in db.session.execute(
            select(Location.owner_org_id, StockBalance.part_id, func.sum(StockBalance.on_hand))
            .join(Location, Location.id == StockBalance.location_id)
            .where(Location.kind == LocationKind.DEALER, Location.owner_org_id.in_(dealer_ids))
            .group_by(Location.owner_org_id, StockBalance.part_id)
        ):
            held[(org_id, part_id)] = Decimal(quantity or 0)
        for org_id, part_id, quantity in db.session.execute(
            select(PartsOrder.dealer_org_id, PartsOrderLine.part_id, func.sum(PartsOrderLine.quantity))
            .join(PartsOrder, PartsOrder.id == PartsOrderLine.order_id)
            .where(PartsOrder.state.in_([OrderState.SUBMITTED, OrderState.SHIPPED]),
                   PartsOrder.dealer_org_id.in_(dealer_ids))
            .group_by(PartsOrder.dealer_org_id, PartsOrderLine.part_id)
        ):
            ordered[(org_id, part_id)] = Decimal(quantity or 0)
    result = []
    for plan in sorted(plans, key=lambda p: (p.season.opens_on, p.dealer.name)):
        for line in plan.lines:
            if (line.approved_quantity or ZERO) > 0:
                key = (plan.dealer_org_id, line.part_id)
                result.append(CoverageLine(plan, line, held[key], ordered[key]))
    return result


def _month_of(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def last_months(count: int, until: date | None = None) -> list[str]:
    """``["2025-04", ..., "2026-03"]``: the ``count`` months up to ``until``."""
    until = until or today()
    year, month = until.year, until.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def consumption(months: list[str], part_id: int | None = None) -> dict:
    """Parts issued per part and month (every location): ``{"parts": [...], "totals": {month: qty}}``."""
    first = datetime.fromisoformat(months[0] + "-01").replace(tzinfo=timezone.utc)
    month = _month_of(StockMove.at)
    stmt = (
        select(StockMove.part_id, month.label("month"), func.sum(-StockMove.quantity))
        .where(StockMove.kind == MoveKind.ISSUE, StockMove.at >= first)
        .group_by(StockMove.part_id, month)
    )
    if part_id:
        stmt = stmt.where(StockMove.part_id == part_id)
    per_part: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for pid, month_key, quantity in db.session.execute(stmt):
        per_part[pid][month_key] = Decimal(quantity or 0)
    parts = {p.id: p for p in db.session.scalars(select(Part).where(Part.id.in_(list(per_part))))} if per_part else {}
    rows = [dict(part=parts[pid], months=[values.get(m, ZERO) for m in months],
                 total=sum(values.values(), ZERO))
            for pid, values in per_part.items() if pid in parts]
    rows.sort(key=lambda row: row["part"].number)
    totals = {m: sum((row["months"][i] for row in rows), ZERO) for i, m in enumerate(months)}
    return {"rows": rows, "totals": totals}


def below_reorder_point() -> list[dict]:
    """Parts whose stock in the company's warehouses is under their reorder point."""
    held = dict(db.session.execute(
        select(StockBalance.part_id, func.sum(StockBalance.on_hand))
        .join(Location, Location.id == StockBalance.location_id)
        .where(Location.kind == LocationKind.COMPANY)
        .group_by(StockBalance.part_id)
    ).all())
    parts = db.session.scalars(
        select(Part).where(Part.active.is_(True), Part.reorder_point > 0).order_by(Part.number)
    ).all()
    reserved = reserved_by_part({p.id for p in parts})
    rows = []
    for part in parts:
        on_hand = Decimal(held.get(part.id) or 0)
        if on_hand < part.reorder_point:
            rows.append(dict(part=part, on_hand=on_hand, reserved=reserved.get(part.id, ZERO),
                             shortfall=part.reorder_point - on_hand))
    return rows
