"""What every training view shares: what the current user may see, and form errors."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, false, or_, select

from core.auth.models import Organisation, OrganisationKind, User
from core.auth.scoping import scoped
from core.clock import as_utc
from core.extensions import db

from ..models import Audience, Course, PlanStatus, TrainingSession


def visible_courses():
    """Staff see every course; an owner's people see the plans of their organisation;
    a dealer's people also see the approved courses open to dealer technicians."""
    stmt = select(Course)
    if current_user.is_internal:
        return stmt
    own = scoped(select(Course.id), Course.owner_org_id)
    open_to_dealers = false()
    if current_user.organisation.kind == OrganisationKind.DEALER:
        open_to_dealers = and_(Course.owner_org_id.is_(None), Course.audience == Audience.DEALER_TECHNICIANS,
                               Course.plan_status == PlanStatus.APPROVED)
    return stmt.where(or_(Course.id.in_(own), open_to_dealers))


def load_course(course_id: int, options=()) -> Course:
    course = db.session.scalar(visible_courses().where(Course.id == course_id).options(*options))
    if course is None:
        abort(404)
    return course


def load_session(session_id: int, options=()) -> TrainingSession:
    """A session, 404 unless its course is the user's to see."""
    stmt = (select(TrainingSession).where(TrainingSession.id == session_id,
                                          TrainingSession.course_id.in_(visible_courses().with_only_columns(Course.id)))
            .options(*options))
    session = db.session.scalar(stmt)
    if session is None:
        abort(404)
    return session


def people_choices():
    """People the user may enrol: anyone for staff, their own organisation's otherwise."""
    rows = db.session.execute(
        scoped(select(User.id, User.full_name, User.username, Organisation.name)
               .join(Organisation, Organisation.id == User.organisation_id), User.organisation_id)
        .where(User.active.is_(True)).order_by(Organisation.name, User.full_name, User.username)
    ).all()
    return [(row.id, f"{row.full_name or row.username} ({row.name})") for row in rows]


def organisations_of_kind(kind: str):
    rows = db.session.execute(
        scoped(select(Organisation.id, Organisation.name), Organisation.id)
        .where(Organisation.kind == kind, Organisation.active.is_(True)).order_by(Organisation.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def staff_choices():
    rows = db.session.execute(
        select(User.id, User.full_name, User.username).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.kind == OrganisationKind.COMPANY, User.active.is_(True))
        .order_by(User.full_name, User.username)
    ).all()
    return [(row.id, row.full_name or row.username) for row in rows]


def to_utc(local_naive):
    """A ``datetime-local`` value typed in the user's zone, as aware UTC."""
    if local_naive is None:
        return None
    return as_utc(local_naive.replace(tzinfo=ZoneInfo(current_user.timezone or "Europe/Madrid")))
