"""Authorisation by certification (T6), the key-staff report, certificate reminders,
and which dealer staff are due for periodic training (D5, T7)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind, Role, User, user_roles
from core.auth.scoping import scoped
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import Authorisation
from core.policies import policy

from ..models import Certificate, Course, DealerPlan
from .sessions import add_months


def requirement_for(user: User, work: str, product_family: str | None) -> str | None:
    """Why ``user`` needs a certificate for this work (T6), or ``None`` when nothing requires one."""
    family_rules = policy("training.certified_product_families")
    if product_family and product_family in family_rules:
        return "family"
    if work in policy("training.certified_work_kinds"):
        return "work"
    if {role.name for role in user.roles}.intersection(policy("training.key_roles")):
        return "role"
    return None


def covers(certificate: Certificate, product_family: str | None, family_required: bool) -> bool:
    """A general course (no family) certifies any work; a family course certifies its family.

    When the product family itself requires certification, only that family's course counts.
    """
    family = certificate.course.product_family
    if family_required:
        return family == product_family
    return not family or not product_family or family == product_family


def may_perform_work(user: User, work: str, product_family: str | None) -> Authorisation | None:
    """The T6 answer for ``user`` doing ``work`` on ``product_family``; ``None`` when no rule applies."""
    reason = requirement_for(user, work, product_family)
    if reason is None:
        return None
    certificates = db.session.scalars(
        select(Certificate).options(joinedload(Certificate.course))
        .where(Certificate.user_id == user.id, Certificate.issued_on <= today(), Certificate.valid_until > today())
    )
    if any(covers(cert, product_family, reason == "family") for cert in certificates):
        return Authorisation(True)
    if reason == "family":
        message = gettext("%(name)s holds no valid certificate for the product family %(family)s.",
                          name=user.display_name, family=product_family)
    else:
        message = gettext("%(name)s holds no valid training certificate for this work.", name=user.display_name)
    return Authorisation(False, message)


def _visible(stmt, owner_column, viewer):
    """Scope to ``viewer`` (a request's user); ``None`` is the system itself (jobs, the CLI)."""
    return stmt if viewer is None else scoped(stmt, owner_column, user=viewer)


def key_staff_without_certificate(viewer=None) -> list[User]:
    """Active people holding a key role (T6) with no valid certificate, as ``viewer`` may see them."""
    key_roles = policy("training.key_roles")
    if not key_roles:
        return []
    day = today()
    certified = (
        select(Certificate.user_id).where(Certificate.issued_on <= day, Certificate.valid_until > day)
    )
    stmt = (
        select(User).join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name.in_(key_roles), User.active.is_(True), User.id.notin_(certified))
        .distinct().order_by(User.full_name, User.username)
    )
    return list(db.session.scalars(_visible(stmt, User.organisation_id, viewer)))


def lapsing_certificates(viewer=None) -> list[Certificate]:
    """Valid certificates that lapse within the reminder window, soonest first, as ``viewer`` may see them."""
    day = today()
    horizon = day + timedelta(days=policy("training.certificate_reminder_days"))
    stmt = (
        select(Certificate).options(joinedload(Certificate.user), joinedload(Certificate.course))
        .where(Certificate.valid_until > day, Certificate.valid_until <= horizon)
        .order_by(Certificate.valid_until, Certificate.id)
    )
    return list(db.session.scalars(_visible(stmt, Certificate.org_id, viewer)))


def send_lapse_reminders() -> int:
    """The scheduled job: mark each certificate entering the reminder window as reminded, once."""
    day = today()
    horizon = day + timedelta(days=policy("training.certificate_reminder_days"))
    due = db.session.scalars(
        select(Certificate).where(Certificate.valid_until > day, Certificate.valid_until <= horizon,
                                  Certificate.reminded_on.is_(None))
    ).all()
    for certificate in due:
        certificate.reminded_on = day
    db.session.commit()
    return len(due)


# --- Periodic dealer training (D5, T7) -------------------------------------------

def save_dealer_plan(dealer: Organisation, course: Course, interval_months=None, notes: str = "") -> DealerPlan:
    """Add a course to a dealer's periodic training plan (or change its interval)."""
    if dealer is None or dealer.kind != OrganisationKind.DEALER:
        raise BusinessRuleError(gettext("Choose a dealer."), field="dealer_org_id")
    months = int(interval_months) if interval_months else policy("training.dealer_training_interval_months")
    if months < 1:
        raise BusinessRuleError(gettext("The interval must be at least one month."), field="interval_months")
    plan = db.session.scalar(
        select(DealerPlan).where(DealerPlan.dealer_org_id == dealer.id, DealerPlan.course_id == course.id)
    )
    if plan is None:
        plan = DealerPlan(dealer_org_id=dealer.id, course_id=course.id)
        db.session.add(plan)
    plan.interval_months = months
    plan.notes = (notes or "")[:500]
    db.session.flush()
    return plan


@dataclass(frozen=True)
class DueLine:
    """One dealer employee and one planned course: when they were last trained and when next due."""

    user: User
    plan: DealerPlan
    last_trained_on: date | None
    due_on: date | None  # None: never trained, due now

    @property
    def state(self) -> str:
        day = today()
        if self.due_on is None or self.due_on <= day:
            return "due"
        if self.due_on <= day + timedelta(days=policy("training.dealer_due_soon_days")):
            return "soon"
        return "ok"


def dealer_training_due(viewer=None) -> list[DueLine]:
    """For every dealer plan line and every active employee of that dealer, the next due date.

    A constant number of queries, whatever the number of dealers and staff.
    """
    plans_stmt = select(DealerPlan).options(joinedload(DealerPlan.course), joinedload(DealerPlan.dealer))
    plans = db.session.scalars(_visible(plans_stmt, DealerPlan.dealer_org_id, viewer).order_by(DealerPlan.id)).all()
    if not plans:
        return []
    staff = db.session.scalars(
        select(User).where(User.organisation_id.in_({p.dealer_org_id for p in plans}), User.active.is_(True))
        .order_by(User.full_name, User.username)
    ).all()
    last: dict[tuple[int, int], date] = {}
    for cert in db.session.scalars(
        select(Certificate).where(Certificate.user_id.in_([u.id for u in staff]),
                                  Certificate.course_id.in_({p.course_id for p in plans}))
    ):
        key = (cert.user_id, cert.course_id)
        last[key] = max(last.get(key, cert.issued_on), cert.issued_on)
    lines = []
    for plan in plans:
        for person in (u for u in staff if u.organisation_id == plan.dealer_org_id):
            trained = last.get((person.id, plan.course_id))
            due = add_months(trained, plan.interval_months) if trained else None
            lines.append(DueLine(person, plan, trained, due))
    return sorted(lines, key=lambda line: (line.due_on or date.min, line.plan.dealer.name, line.user.display_name))

