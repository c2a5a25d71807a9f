"""Builders of training records, through the plugin's own services."""
from __future__ import annotations

from datetime import timedelta
from itertools import count

from core.auth.models import OrganisationKind
from core.clock import now
from core.extensions import db
from plugins.training.models import Audience
from plugins.training.services import courses, sessions
from tests import factories

_codes = count(1)


def course(code=None, *, owner=None, approved=True, prerequisites=(), roles=(), audience=Audience.OWN_STAFF,
           family="", validity_months=None, title="Mantenimiento de bombas de calor"):
    """A course, approved by default (internally, or by its owner when it has one)."""
    made = courses.save_course(
        None, code=code or f"C{next(_codes):03d}", title=title, hours="8", audience=audience,
        syllabus="Seguridad\nPuesta en marcha\nAverías frecuentes", product_family=family,
        required_roles=roles, prerequisite_ids=[c.id for c in prerequisites], validity_months=validity_months,
        owner_org_id=owner.id if owner else None,
    )
    if approved:
        if owner is None:
            courses.approve_internal_plan(made)
        else:
            courses.send_plan(made)
            courses.answer_plan(made, True)
    db.session.commit()
    return made


def session(of_course=None, capacity=10, days_ahead=7, **fields):
    made = sessions.schedule_session(of_course or course(), starts_at=now() + timedelta(days=days_ahead),
                                     place="Aula 1, Madrid", capacity=capacity, **fields)
    db.session.commit()
    return made


def certified(person, of_course, clock, score=90):
    """``person`` passes a session of ``of_course``: returns the certificate (the clock ends after the session)."""
    given = session(of_course, days_ahead=1)
    enrolment = sessions.enrol(given, person)
    db.session.commit()
    clock.advance(days=2)
    sessions.record_attendance(enrolment, True)
    certificate = sessions.record_assessment(enrolment, score)
    db.session.commit()
    return certificate


def dealer_with_staff(name="Distribuidor", staff=1, roles=("dealer",)):
    dealer = factories.org(OrganisationKind.DEALER, name=name)
    people = [factories.user(list(roles), organisation=dealer) for _ in range(staff)]
    return dealer, people
