"""The dealer scorecard and grade (D12), with facts from other plugins (D11 reserve plans)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from core.audit import current_actor_id
from core.clock import now, today
from core.deadlines import DeadlineClock
from core.extensions import db
from core.facts import ScoreFact
from core.plugins import flatten
from core.policies import policy

from ..models import Claim, ClaimState, GradeChange, PartShipment, Sale, SpotCheck, Task
from .profiles import profile_for

DEALER_CLOCKS = ("dealers.s10_arrange", "dealers.s10_report")


@dataclass(frozen=True)
class Scorecard:
    """A dealer's record over a period and the grade it earns."""

    dealer_id: int
    since: date
    facts: list[ScoreFact]
    score: int
    grade: str


def scorecard_facts(dealer_id: int, since: date) -> list[ScoreFact]:
    """The dealer's record since ``since``: ours, and what other plugins know (reserve plans, D11)."""
    start = since
    sales_late = db.session.scalar(select(func.count(Sale.id)).where(
        Sale.dealer_id == dealer_id, Sale.sold_on >= start, Sale.entitled.is_(False)))
    sales_on_time = db.session.scalar(select(func.count(Sale.id)).where(
        Sale.dealer_id == dealer_id, Sale.sold_on >= start, Sale.entitled.is_(True)))
    tasks_late = db.session.scalar(
        select(func.count(func.distinct(DeadlineClock.case_id)))
        .join(Task, Task.case_id == DeadlineClock.case_id)
        .where(Task.dealer_id == dealer_id, DeadlineClock.policy.in_(DEALER_CLOCKS),
               DeadlineClock.breached_at.is_not(None), DeadlineClock.started_at >= _start_at(start)))
    claims_rejected = db.session.scalar(select(func.count(Claim.id)).where(
        Claim.dealer_id == dealer_id, Claim.state == ClaimState.REJECTED, Claim.submitted_at >= _start_at(start)))
    parts_late = db.session.scalar(select(func.count(PartShipment.id)).where(
        PartShipment.dealer_id == dealer_id, PartShipment.shipped_on >= start,
        func.coalesce(PartShipment.received_on, today()) > PartShipment.due_on))
    duplicates = db.session.scalar(select(func.count(Claim.id)).where(
        Claim.dealer_id == dealer_id, Claim.flagged.is_(True), Claim.submitted_at >= _start_at(start)))
    failed_checks = db.session.scalar(select(func.count(SpotCheck.id)).where(
        SpotCheck.dealer_id == dealer_id, SpotCheck.checked_on >= start, SpotCheck.outcome != "ok"))
    ours = [
        ScoreFact("registration_on_time", gettext("Sales registered on time"), sales_on_time, True),
        ScoreFact("late_registration", gettext("Sales registered late"), sales_late, False),
        ScoreFact("task_late", gettext("Tasks not arranged or reported on time"), tasks_late, False),
        ScoreFact("claim_rejected", gettext("Claims rejected"), claims_rejected, False),
        ScoreFact("parts_late", gettext("Old-part shipments late"), parts_late, False),
        ScoreFact("duplicate_flagged", gettext("Claims flagged as possible duplicates"), duplicates, False),
        ScoreFact("spot_check_failed", gettext("Spot checks failed"), failed_checks, False),
    ]
    hook = current_app.extensions["postventa"].hook
    theirs = flatten(hook.postventa_dealer_scorecard_facts(organisation_id=dealer_id, since=since))
    return ours + sorted(theirs, key=lambda fact: fact.key)


def _start_at(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def score_of(facts: list[ScoreFact]) -> int:
    """100 less the configured penalty for each bad fact (``dealers.score_penalties``), never below 0."""
    penalties = policy("dealers.score_penalties")
    lost = sum(int(penalties.get(f.key, penalties.get("other", 0))) * f.value for f in facts if not f.good)
    return max(100 - lost, 0)


def grade_for(score: int) -> str:
    """The best grade whose minimum score is met."""
    minimums = policy("dealers.grade_min_scores")
    for grade in policy("dealers.grades"):
        if score >= int(minimums.get(grade, 0)):
            return grade
    return policy("dealers.grades")[-1]


def scorecard(dealer_id: int, since: date | None = None) -> Scorecard:
    """The dealer's facts, score and earned grade over ``dealers.scorecard_days``."""
    since = since or today() - timedelta(days=int(policy("dealers.scorecard_days")))
    facts = scorecard_facts(dealer_id, since)
    score = score_of(facts)
    return Scorecard(dealer_id, since, facts, score, grade_for(score))


def regrade(dealer_id: int) -> GradeChange | None:
    """Move the dealer to the grade its scorecard earns: good service is rewarded, and
    fraud (a failed spot check) demotes at least one grade below the current (D12)."""
    card = scorecard(dealer_id)
    profile = profile_for(dealer_id)
    grades = list(policy("dealers.grades"))
    target = card.grade
    fraud = next((f.value for f in card.facts if f.key == "spot_check_failed"), 0)
    current_index = grades.index(profile.grade) if profile.grade in grades else len(grades) - 1
    if fraud and grades.index(target) <= current_index:
        target = grades[min(current_index + 1, len(grades) - 1)]
    if target == profile.grade:
        return None
    better = grades.index(target) < current_index
    change = GradeChange(
        dealer_id=dealer_id, from_grade=profile.grade, to_grade=target, score=card.score, at=now(),
        actor_id=current_actor_id(),
        reason=gettext("Reward for good service.") if better else
        (gettext("Demoted for fraud found on a spot check.") if fraud else gettext("Demoted for poor service.")),
    )
    profile.grade = target
    db.session.add(change)
    db.session.flush()
    return change


def grade_history(dealer_id: int) -> list[GradeChange]:
    """The dealer's grade changes, newest first."""
    return db.session.scalars(
        select(GradeChange).where(GradeChange.dealer_id == dealer_id).order_by(GradeChange.at.desc(), GradeChange.id.desc())
    ).all()
