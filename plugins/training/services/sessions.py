"""Sessions, enrolment with requirements and capacity, the waiting list, attendance,
assessment and certificates."""
from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import func, select

from core.auth.models import User
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.sequences import next_number

from ..models import (Certificate, Course, Enrolment, EnrolmentStatus, InvitationKind, Audience,
                      SessionStatus, TrainingSession)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_session(course: Course, *, starts_at, place: str, capacity: int, instructor_id=None,
                     session: TrainingSession | None = None) -> TrainingSession:
    """Schedule (or change) a session of an approved course (T4: reviewed before it is given)."""
    if policy("training.plan_review_required") and not course.is_approved:
        raise BusinessRuleError(gettext("The course plan must be approved before sessions are scheduled."),
                                field="course_id")
    if not (place or "").strip():
        raise BusinessRuleError(gettext("Say where the session takes place."), field="place")
    if capacity is None or int(capacity) < 1:
        raise BusinessRuleError(gettext("The capacity must be at least one seat."), field="capacity")
    if starts_at is None or starts_at <= now():
        raise BusinessRuleError(gettext("Choose a date in the future."), field="starts_at")
    if instructor_id:
        instructor = db.session.get(User, int(instructor_id))
        if instructor is None or not instructor.is_internal:
            raise BusinessRuleError(gettext("Choose a member of staff as instructor."), field="instructor_id")
    if session is None:
        session = TrainingSession(course_id=course.id, status=SessionStatus.SCHEDULED)
        db.session.add(session)
    elif int(capacity) < seats_taken(session.id):
        raise BusinessRuleError(gettext("More people are enrolled than this capacity."), field="capacity")
    session.starts_at = starts_at
    session.place = place.strip()
    session.capacity = int(capacity)
    session.instructor_id = int(instructor_id) if instructor_id else None
    db.session.flush()
    promote_waiting(session)
    return session


def seats_taken(session_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Enrolment)
        .where(Enrolment.session_id == session_id, Enrolment.status == EnrolmentStatus.ENROLLED)
    )


def valid_certificates(user_ids, day: date | None = None) -> list[Certificate]:
    """The certificates of these people valid on ``day`` (default today)."""
    day = day or today()
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id.in_(list(user_ids)), Certificate.issued_on <= day,
                                  Certificate.valid_until > day)
    ))


def missing_requirements(course: Course, user: User) -> list[str]:
    """What ``user`` lacks to join ``course`` (T4 qualification requirements); empty when nothing."""
    missing = []
    held_roles = {role.name for role in user.roles}
    if course.required_roles and not held_roles.intersection(course.required_roles):
        missing.append(gettext("one of the roles %(roles)s", roles=", ".join(course.required_roles)))
    held_courses = {cert.course_id for cert in valid_certificates([user.id])}
    for required in course.prerequisites:
        if required.id not in held_courses:
            missing.append(gettext("a valid certificate of %(course)s", course=str(required)))
    return missing


def _lock_session(session_id: int) -> TrainingSession:
    """The session row, locked until commit so concurrent enrolments count seats one at a time."""
    return db.session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def enrol(session: TrainingSession, user: User) -> Enrolment:
    """Enrol ``user``: refused with what is missing; on the waiting list when the session is full.

    The session row is locked first, so two requests for the last seat never
    both get it (PostgreSQL; SQLite serialises writers anyway).
    """
    session = _lock_session(session.id)
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now():
        raise BusinessRuleError(gettext("This session no longer takes enrolments."), field="user_id")
    if not user.active:
        raise BusinessRuleError(gettext("This person's account is inactive."), field="user_id")
    missing = missing_requirements(session.course, user)
    if missing:
        raise BusinessRuleError(
            gettext("%(name)s cannot join: missing %(missing)s.", name=user.display_name, missing="; ".join(missing)),
            field="user_id",
        )
    existing = db.session.scalar(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.user_id == user.id)
    )
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        raise BusinessRuleError(gettext("%(name)s is already enrolled.", name=user.display_name), field="user_id")
    full = seats_taken(session.id) >= session.capacity
    enrolment = existing or Enrolment(session_id=session.id, user_id=user.id)
    enrolment.org_id = user.organisation_id
    enrolment.status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED
    enrolment.requested_at = now()
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def waiting_position(enrolment: Enrolment) -> int:
    """1 for the first on the waiting list."""
    return db.session.scalar(
        select(func.count()).select_from(Enrolment).where(
            Enrolment.session_id == enrolment.session_id, Enrolment.status == EnrolmentStatus.WAITING,
            (Enrolment.requested_at < enrolment.requested_at)
            | ((Enrolment.requested_at == enrolment.requested_at) & (Enrolment.id <= enrolment.id)),
        )
    )


def promote_waiting(session: TrainingSession) -> list[Enrolment]:
    """Give free seats to the waiting list, first come first served."""
    session = _lock_session(session.id)
    free = session.capacity - seats_taken(session.id)
    if free <= 0:
        return []
    promoted = list(db.session.scalars(
        select(Enrolment)
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.WAITING)
        .order_by(Enrolment.requested_at, Enrolment.id).limit(free)
    ))
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
    db.session.flush()
    return promoted


def cancel(enrolment: Enrolment) -> list[Enrolment]:
    """Cancel a seat or a place on the waiting list; a freed seat goes to the next one waiting."""
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise BusinessRuleError(gettext("This enrolment is already cancelled."), field="user_id")
    if enrolment.attended is not None:
        raise BusinessRuleError(gettext("Attendance is recorded: the enrolment cannot be cancelled."), field="user_id")
    enrolment.status = EnrolmentStatus.CANCELLED
    db.session.flush()
    return promote_waiting(enrolment.session)


def record_attendance(enrolment: Enrolment, attended: bool) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise BusinessRuleError(gettext("Only enrolled people attend."), field="attended")
    if enrolment.session.starts_at > now():
        raise BusinessRuleError(gettext("The session has not started yet."), field="attended")
    enrolment.attended = attended


def record_assessment(enrolment: Enrolment, score) -> Certificate | None:
    """Record the assessment score; a pass (at or above ``training.pass_mark``) issues the certificate."""
    try:
        score = Decimal(str(score))
    except (InvalidOperation, TypeError):
        raise BusinessRuleError(gettext("Give a score from 0 to 100."), field="score") from None
    if not Decimal(0) <= score <= Decimal(100):
        raise BusinessRuleError(gettext("Give a score from 0 to 100."), field="score")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise BusinessRuleError(gettext("Only enrolled people are assessed."), field="score")
    if policy("training.attendance_required_for_certificate") and not enrolment.attended:
        raise BusinessRuleError(gettext("Record the attendance first."), field="score")
    if enrolment.certificate is not None:
        raise BusinessRuleError(gettext("A certificate was already issued for this enrolment."), field="score")
    enrolment.score = score
    enrolment.passed = score >= Decimal(str(policy("training.pass_mark")))
    return issue_certificate(enrolment) if enrolment.passed else None


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """The certificate of a passed enrolment, valid for the course's (or the default) months."""
    course = enrolment.session.course
    issued = today()
    months = course.validity_months or policy("training.certificate_validity_months")
    certificate = Certificate(
        number=next_number(policy("training.certificate_number_prefix"), issued.year),
        user_id=enrolment.user_id, org_id=enrolment.org_id, course_id=course.id, enrolment=enrolment,
        issued_on=issued, valid_until=add_months(issued, months),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def complete_session(session: TrainingSession) -> None:
    """Close a session once everyone's attendance is recorded.

    T1: an operation-training session for the owner's engineers needs the maker invited.
    """
    if session.status != SessionStatus.SCHEDULED:
        raise BusinessRuleError(gettext("Only a scheduled session can be completed."), field="status")
    if session.starts_at > now():
        raise BusinessRuleError(gettext("The session has not started yet."), field="status")
    if (policy("training.maker_invited_to_operation_training")
            and session.course.audience == Audience.OWNER_ENGINEERS
            and not any(i.kind == InvitationKind.MAKER for i in session.invitations)):
        raise BusinessRuleError(gettext("Invite the equipment maker to this operation training first."),
                                field="status")
    unrecorded = [e for e in session.enrolments if e.status == EnrolmentStatus.ENROLLED and e.attended is None]
    if unrecorded:
        raise BusinessRuleError(gettext("Record the attendance of everyone enrolled first."), field="status")
    session.status = SessionStatus.COMPLETED
