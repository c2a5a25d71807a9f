"""Seasonal spare-parts reserve plans (D11).

A dealer proposes, at least ``inventory_parts.plan_due_days_before_season``
days before its season opens, the three-guarantee and wear parts it will stock.
A later plan is flagged and waits for the sales office to accept it with a
reason. The sales office approves, changes or rejects each line; an approved
plan becomes a parts order. Declined, missed and late plans stay on the
dealer's record (``postventa_dealer_scorecard_facts``).

Suggested quantity of a part (shown on the plan page)::

    fitted   = the dealer's installed units the part fits (model or family)
    rate     = parts issued in the last ``failure_history_months`` months, at any
               location, per unit of the whole dealer network the part fits,
               per year
    suggested = ceil(fitted x rate x season days / 365) + wear-part minimum
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from core.audit import current_actor_id
from core.auth.models import Organisation, OrganisationKind
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import ScoreFact
from core.plugins import flatten
from core.policies import policy

from ..models import (
    LineDecision, MoveKind, Part, PartKind, PlanState, ReservePlan, ReservePlanLine, Season, StockMove,
)
from .orders import create_order
from .stock import to_quantity


def due_date(season: Season):
    """The last day to propose a plan for ``season`` on time (D11)."""
    return season.opens_on - timedelta(days=policy("inventory_parts.plan_due_days_before_season"))


def is_late(season: Season, on) -> bool:
    """D11: a plan proposed fewer than the due days before the season opens is late."""
    return on > due_date(season)


def save_season(name: str, opens_on, closes_on, season: Season | None = None) -> Season:
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(gettext("Give the season a name."), field="name")
    clash = db.session.scalar(select(Season.id).where(Season.name == name))
    if clash is not None and (season is None or clash != season.id):
        raise BusinessRuleError(gettext("A season with this name exists."), field="name")
    if opens_on is None:
        raise BusinessRuleError(gettext("Give the opening date."), field="opens_on")
    if closes_on is None or closes_on < opens_on:
        raise BusinessRuleError(gettext("The season must close after it opens."), field="closes_on")
    season = season or Season()
    season.name, season.opens_on, season.closes_on = name[:120], opens_on, closes_on
    db.session.add(season)
    db.session.flush()
    return season


def _units_of(organisation_id: int):
    hook = current_app.extensions["postventa"].hook
    return flatten(hook.postventa_installed_units(organisation_id=organisation_id))


def _fitted(part: Part, units) -> int:
    fits = set(part.fits_list)
    return sum(1 for unit in units if unit.product_model in fits or unit.product_family in fits)


@dataclass(frozen=True)
class Suggestion:
    part: Part
    fitted_units: int
    quantity: Decimal


def suggest(dealer_org_id: int, season: Season) -> list[Suggestion]:
    """Suggested reserve quantities for a dealer and season (the formula is in the module docstring)."""
    parts = db.session.scalars(
        select(Part).where(Part.active.is_(True), Part.kind.in_(PartKind.RESERVE)).order_by(Part.number)
    ).all()
    own_units = _units_of(dealer_org_id)
    dealer_ids = db.session.scalars(select(Organisation.id).where(Organisation.kind == OrganisationKind.DEALER))
    network_units = [unit for dealer_id in dealer_ids for unit in _units_of(dealer_id)]
    months = policy("inventory_parts.failure_history_months")
    since = now() - timedelta(days=round(months * 365 / 12))
    issued = dict(db.session.execute(
        select(StockMove.part_id, func.sum(-StockMove.quantity))
        .where(StockMove.kind == MoveKind.ISSUE, StockMove.at >= since)
        .group_by(StockMove.part_id)
    ).all())
    season_days = (season.closes_on - season.opens_on).days + 1
    minimum = Decimal(str(policy("inventory_parts.wear_part_minimum")))
    suggestions = []
    for part in parts:
        fitted = _fitted(part, own_units)
        if own_units and not fitted and part.kind != PartKind.WEAR:
            continue  # the part fits none of this dealer's machines
        network = _fitted(part, network_units)
        yearly_rate = Decimal(issued.get(part.id) or 0) / network * 12 / months if network else Decimal("0")
        expected = Decimal(fitted) * yearly_rate * season_days / 365
        quantity = Decimal(math.ceil(expected))
        if part.kind == PartKind.WEAR:
            quantity += minimum
        suggestions.append(Suggestion(part, fitted, quantity))
    return suggestions


def create_plan(dealer_org_id: int, season: Season) -> ReservePlan:
    """A draft plan with one line per suggested part, proposed at the suggested quantity."""
    dealer = db.session.get(Organisation, dealer_org_id)
    if dealer is None or dealer.kind != OrganisationKind.DEALER:
        raise BusinessRuleError(gettext("Choose a dealer."), field="dealer_org_id")
    exists = db.session.scalar(select(ReservePlan.id).where(
        ReservePlan.dealer_org_id == dealer.id, ReservePlan.season_id == season.id))
    if exists is not None:
        raise BusinessRuleError(gettext("This dealer already has a plan for this season."), field="season_id")
    plan = ReservePlan(dealer_org_id=dealer.id, season_id=season.id, season=season, state=PlanState.DRAFT,
                       created_at=now())
    plan.lines = [
        ReservePlanLine(part_id=s.part.id, part=s.part, fitted_units=s.fitted_units,
                        suggested_quantity=s.quantity, proposed_quantity=s.quantity)
        for s in suggest(dealer.id, season)
    ]
    db.session.add(plan)
    db.session.flush()
    return plan


def _require(plan: ReservePlan, *states: str, field: str = "state") -> None:
    if plan.state not in states:
        raise BusinessRuleError(gettext("This plan is %(state)s: the action is not possible now.",
                                        state=plan.state), field=field)


def set_proposed(plan: ReservePlan, quantities: dict[int, object]) -> None:
    """The dealer's quantities per line id (draft plans only)."""
    _require(plan, PlanState.DRAFT, field="lines")
    by_id = {line.id: line for line in plan.lines}
    for line_id, value in quantities.items():
        line = by_id.get(line_id)
        if line is None:
            continue
        quantity = to_quantity(value, field=f"line-{line_id}")
        if quantity < 0:
            raise BusinessRuleError(gettext("Quantities cannot be negative."), field=f"line-{line_id}")
        line.proposed_quantity = quantity
    db.session.flush()


def add_line(plan: ReservePlan, part: Part, quantity) -> ReservePlanLine:
    """Add a part the suggestion left out (draft plans only)."""
    _require(plan, PlanState.DRAFT, field="part_number")
    if any(line.part_id == part.id for line in plan.lines):
        raise BusinessRuleError(gettext("The part is already in the plan."), field="part_number")
    quantity = to_quantity(quantity)
    if quantity <= 0:
        raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
    line = ReservePlanLine(part_id=part.id, part=part, proposed_quantity=quantity)
    plan.lines.append(line)
    db.session.flush()
    return line


def submit_plan(plan: ReservePlan) -> ReservePlan:
    """Propose the plan to the sales office; flag it late under the due days (D11)."""
    _require(plan, PlanState.DRAFT)
    if not any(line.proposed_quantity > 0 for line in plan.lines):
        raise BusinessRuleError(gettext("Propose a quantity for at least one part."), field="lines")
    submitted_on = today()
    plan.state = PlanState.SUBMITTED
    plan.submitted_at = now()
    plan.submitted_on = submitted_on
    plan.late = is_late(plan.season, submitted_on)
    db.session.flush()
    return plan


def decline_plan(plan: ReservePlan, reason: str) -> ReservePlan:
    """The dealer refuses to stock for the season; the delay is its responsibility (D11)."""
    _require(plan, PlanState.DRAFT)
    if not (reason or "").strip():
        raise BusinessRuleError(gettext("Say why the plan is declined."), field="reason")
    plan.state = PlanState.DECLINED
    plan.decline_reason = reason.strip()[:500]
    plan.decided_at = now()
    db.session.flush()
    return plan


def accept_late(plan: ReservePlan, reason: str) -> ReservePlan:
    """The sales office accepts a late plan, and says why (D11)."""
    _require(plan, PlanState.SUBMITTED)
    if not plan.late:
        raise BusinessRuleError(gettext("The plan is on time."), field="reason")
    if not (reason or "").strip():
        raise BusinessRuleError(gettext("Give the reason for accepting a late plan."), field="reason")
    plan.late_reason = reason.strip()[:500]
    plan.late_accepted_at = now()
    plan.late_accepted_by_id = current_actor_id()
    db.session.flush()
    return plan


def decide_line(plan: ReservePlan, line: ReservePlanLine, decision: str, quantity=None, note: str = "") -> None:
    """Approve, change or reject one line of a submitted plan."""
    _require(plan, PlanState.SUBMITTED, field="decision")
    if plan.awaits_late_acceptance:
        raise BusinessRuleError(gettext("This plan is late: accept it with a reason first."), field="decision")
    if line.plan_id != plan.id:
        raise BusinessRuleError(gettext("The line is not in this plan."), field="decision")
    if decision == LineDecision.APPROVED:
        line.approved_quantity = line.proposed_quantity
    elif decision == LineDecision.CHANGED:
        if quantity in (None, ""):
            raise BusinessRuleError(gettext("Give the approved quantity."), field="quantity")
        approved = to_quantity(quantity)
        if approved < 0:
            raise BusinessRuleError(gettext("Quantities cannot be negative."), field="quantity")
        line.approved_quantity = approved
    elif decision == LineDecision.REJECTED:
        line.approved_quantity = Decimal("0")
    else:
        raise BusinessRuleError(gettext("Choose approve, change or reject."), field="decision")
    line.decision = decision
    line.decision_note = (note or "")[:300]
    db.session.flush()


def finalise_plan(plan: ReservePlan):
    """Close the sales office's review: an approved plan becomes a parts order; returns it (or ``None``)."""
    _require(plan, PlanState.SUBMITTED)
    if plan.awaits_late_acceptance:
        raise BusinessRuleError(gettext("This plan is late: accept it with a reason first."), field="reason")
    if any(line.decision == LineDecision.PENDING for line in plan.lines):
        raise BusinessRuleError(gettext("Decide every line first."), field="decision")
    plan.decided_at = now()
    plan.decided_by_id = current_actor_id()
    approved = [(line.part, line.approved_quantity) for line in plan.lines if (line.approved_quantity or 0) > 0]
    if not approved:
        plan.state = PlanState.REJECTED
        db.session.flush()
        return None
    plan.state = PlanState.APPROVED
    order = create_order(plan.dealer_org_id, approved,
                         notes=gettext("Reserve plan %(season)s", season=plan.season.name), plan=plan)
    db.session.flush()
    return order


def scorecard_facts(organisation_id: int, since) -> list[ScoreFact]:
    """Declined, missed, late and on-time plans of a dealer for seasons due from ``since`` to today (D11, D12)."""
    days = policy("inventory_parts.plan_due_days_before_season")
    at = today()
    seasons = db.session.scalars(
        select(Season).where(Season.opens_on >= since + timedelta(days=days))
    ).all()
    plans = {plan.season_id: plan for plan in db.session.scalars(
        select(ReservePlan).where(ReservePlan.dealer_org_id == organisation_id))}
    declined = missed = late = on_time = 0
    for season in seasons:
        plan = plans.get(season.id)
        if plan is not None and plan.state == PlanState.DECLINED:
            declined += 1
        elif plan is not None and plan.submitted_on is not None:
            late, on_time = (late + 1, on_time) if plan.late else (late, on_time + 1)
        elif due_date(season) < at:
            missed += 1
    return [
        ScoreFact("inventory_parts.plans_on_time", gettext("Reserve plans on time"), on_time, True),
        ScoreFact("inventory_parts.plans_late", gettext("Reserve plans late"), late, False),
        ScoreFact("inventory_parts.plans_missed", gettext("Reserve plans missed"), missed, False),
        ScoreFact("inventory_parts.plans_declined", gettext("Reserve plans declined"), declined, False),
    ]
