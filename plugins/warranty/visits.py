"""Return visits and periodic inspections on the unit's maintenance card (V1-V3, V5)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.cases import services as cases
from core.cases.timeline import record
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from .models import MaintenanceCard, Unit, Visit
from .periods import add_months
from .services import entitlement, terms_for


def card_for(unit: Unit) -> MaintenanceCard | None:
    return db.session.scalar(select(MaintenanceCard).where(MaintenanceCard.unit_id == unit.id))


def visit_dates(start: date, term_months: int) -> list[tuple[str, date]]:
    """The plan over the warranty term: return visits (V1) and inspections (V5), by due date.

    V1: at least ``v1_visits_per_year`` visits in each warranty year, the first
    no later than ``v1_first_visit_months`` after completion.
    """
    per_year = max(int(policy("warranty.v1_visits_per_year")), 1)
    spacing = max(12 // per_year, 1)
    first = min(int(policy("warranty.v1_first_visit_months")), spacing)
    plan = []
    month = first
    while month <= term_months:
        plan.append(("return", add_months(start, month)))
        month += spacing
    every = int(policy("warranty.v5_inspection_months"))
    if every > 0:
        plan += [("inspection", add_months(start, m)) for m in range(every, term_months + 1, every)]
    return sorted(plan, key=lambda item: (item[1], item[0]))


def plan_visits(unit: Unit) -> MaintenanceCard:
    """Open the unit's maintenance card (V2) and plan its visits over the warranty term."""
    ent = entitlement(unit)
    if ent.starts_on is None:
        raise BusinessRuleError(gettext("The warranty has not started: record the acceptance first."),
                                field="serial")
    card = card_for(unit)
    if card is None:
        card = MaintenanceCard(unit_id=unit.id, created_at=now())
        db.session.add(card)
        db.session.flush()
    elif card.visits:
        return card
    at = now()
    for kind, due_on in visit_dates(ent.starts_on, terms_for(unit.product).term_months):
        db.session.add(Visit(card_id=card.id, kind=kind, due_on=due_on, created_at=at))
    db.session.flush()
    return card


def report_visit(visit: Visit, *, opinions: str, defects: str, supervisor, corrective_measure: str = "",
                 done_on: date | None = None) -> Visit:
    """V3: the report collects the owner's opinions and goes to the supervisor.

    A defect gets a corrective measure at once: the one written here, or a new case opened for it.
    """
    if visit.done_on is not None:
        raise BusinessRuleError(gettext("This visit is already reported."), field="opinions")
    opinions = (opinions or "").strip()
    if not opinions:
        raise BusinessRuleError(gettext("Write down the owner's opinions."), field="opinions")
    if supervisor is None or not supervisor.is_internal:
        raise BusinessRuleError(gettext("Choose the supervisor who receives the report."), field="supervisor_id")
    done_on = done_on or today()
    if done_on > today():
        raise BusinessRuleError(gettext("The visit cannot be in the future."), field="done_on")
    visit.opinions, visit.defects = opinions, (defects or "").strip()
    visit.corrective_measure, visit.done_on = (corrective_measure or "").strip(), done_on
    visit.supervisor_id = supervisor.id
    if visit.defects and not visit.corrective_measure:
        unit = visit.card.unit
        case = cases.open_case(gettext("Defect found on a return visit: %(unit)s", unit=str(unit)),
                               unit.customer_id, description=visit.defects, site=unit.site)
        visit.case_id = case.id
        db.session.flush()
        record(case, "warranty.return_visit_reported", {"visit_id": visit.id, "opinions": opinions,
                                                        "defects": visit.defects, "supervisor": supervisor.display_name})
    db.session.flush()
    return visit


def overdue_visits(on: date | None = None, limit: int | None = None):
    """Planned visits past their due date and not done (flagged in lists and on the dashboard)."""
    stmt = (
        select(Visit).where(Visit.done_on.is_(None), Visit.due_on < (on or today()))
        .options(joinedload(Visit.card).joinedload(MaintenanceCard.unit).joinedload(Unit.customer))
        .order_by(Visit.due_on, Visit.id)
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def upcoming_visits(on: date | None = None, limit: int = 200):
    """Planned visits not done yet, soonest first."""
    stmt = (
        select(Visit).where(Visit.done_on.is_(None), Visit.due_on >= (on or today()))
        .options(joinedload(Visit.card).joinedload(MaintenanceCard.unit).joinedload(Unit.customer))
        .order_by(Visit.due_on, Visit.id).limit(limit)
    )
    return list(db.session.scalars(stmt))


def overdue_unit_ids(unit_ids: list[int], on: date | None = None) -> set[int]:
    """Which of these units have an overdue visit (one query for a whole list)."""
    if not unit_ids:
        return set()
    return set(db.session.scalars(
        select(MaintenanceCard.unit_id).join(Visit, Visit.card_id == MaintenanceCard.id)
        .where(MaintenanceCard.unit_id.in_(unit_ids), Visit.done_on.is_(None), Visit.due_on < (on or today()))
        .distinct()
    ))
