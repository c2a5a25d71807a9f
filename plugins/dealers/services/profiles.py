"""Dealer organisations, their profiles and their periodic training (D5)."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import or_, select

from core.auth.models import Organisation, OrganisationKind
from core.auth.scoping import scoped
from core.auth.services import create_organisation
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import DealerProfile, DealerTraining


def create_dealer(name: str, *, service_area: str = "", contact_name: str = "", contact_phone: str = "",
                  contact_email: str = "", grade: str | None = None, **org_fields) -> DealerProfile:
    """A new dealer organisation with its profile (grade from ``dealers.initial_grade``)."""
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(gettext("A name is required."), field="name")
    grade = grade or policy("dealers.initial_grade")
    if grade not in policy("dealers.grades"):
        raise BusinessRuleError(gettext("Unknown grade."), field="grade")
    org = create_organisation(name, OrganisationKind.DEALER, **org_fields)
    profile = DealerProfile(dealer_id=org.id, grade=grade, service_area=service_area or "",
                            contact_name=contact_name or "", contact_phone=contact_phone or "",
                            contact_email=contact_email or "")
    db.session.add(profile)
    db.session.flush()
    return profile


def profile_for(dealer_id: int) -> DealerProfile:
    """The dealer's profile, created with the initial grade when the organisation has none yet."""
    profile = db.session.scalar(select(DealerProfile).where(DealerProfile.dealer_id == dealer_id))
    if profile is None:
        org = db.session.get(Organisation, dealer_id)
        if org is None or org.kind != OrganisationKind.DEALER:
            raise BusinessRuleError(gettext("Choose a dealer."), field="dealer_id")
        profile = DealerProfile(dealer_id=dealer_id, grade=policy("dealers.initial_grade"))
        db.session.add(profile)
        db.session.flush()
    return profile


def update_profile(profile: DealerProfile, **fields) -> None:
    """Change a dealer's service area and contacts (the grade moves only through D12)."""
    for key in ("service_area", "contact_name", "contact_phone", "contact_email"):
        if key in fields:
            setattr(profile, key, (fields[key] or "").strip())


def visible_dealers(user=None):
    """Dealer organisations the user may see: every dealer for staff, their own for a dealer."""
    stmt = select(Organisation).where(Organisation.kind == OrganisationKind.DEALER).order_by(Organisation.name)
    return db.session.scalars(scoped(stmt, Organisation.id, user=user)).all()


def dealer_choices(user=None) -> list[tuple[int, str]]:
    return [(org.id, org.name) for org in visible_dealers(user)]


def record_training(dealer_id: int, held_on, topic: str) -> DealerTraining:
    """The sales office trained a dealer (D5)."""
    topic = (topic or "").strip()
    if not topic:
        raise BusinessRuleError(gettext("Say what the training covered."), field="topic")
    if held_on is None or held_on > today():
        raise BusinessRuleError(gettext("Give the day the training was held (not in the future)."),
                                field="held_on")
    profile = profile_for(dealer_id)
    session = DealerTraining(dealer_id=dealer_id, held_on=held_on, topic=topic[:200])
    db.session.add(session)
    if profile.last_trained_on is None or held_on > profile.last_trained_on:
        profile.last_trained_on = held_on
    db.session.flush()
    return session


def dealers_due_for_training(user=None) -> list[DealerProfile]:
    """Dealers never trained, or last trained longer ago than ``dealers.training_interval_days`` (D5)."""
    limit = today() - timedelta(days=int(policy("dealers.training_interval_days")))
    stmt = (
        select(DealerProfile)
        .join(Organisation, Organisation.id == DealerProfile.dealer_id)
        .where(Organisation.active.is_(True),
               or_(DealerProfile.last_trained_on.is_(None), DealerProfile.last_trained_on < limit))
        .order_by(Organisation.name)
    )
    return db.session.scalars(scoped(stmt, DealerProfile.dealer_id, user=user)).all()
