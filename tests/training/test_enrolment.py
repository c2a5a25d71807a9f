"""Enrolment (requirements, capacity, waiting list), attendance, assessment, certificates."""
from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from core.auth.models import User
from core.errors import BusinessRuleError
from core.extensions import db
from core.jobs import run_due_jobs
from plugins.training.models import Certificate, Enrolment, EnrolmentStatus, TrainingSession
from plugins.training.services import sessions
from tests import factories
from tests.conftest import login

from . import builders


def test_t4_enrolment_refused_for_a_missing_prerequisite_says_which(tapp, clock):
    basics = builders.course("BC-100", title="Fundamentos")
    advanced = builders.course("BC-200", prerequisites=[basics])
    person = factories.user(["technician"])
    with pytest.raises(BusinessRuleError) as refused:
        sessions.enrol(builders.session(advanced), person)
    assert "BC-100" in refused.value.message and refused.value.field == "user_id"
    builders.certified(person, basics, clock)
    assert sessions.enrol(builders.session(advanced), person).status == EnrolmentStatus.ENROLLED


def test_t4_enrolment_refused_without_a_required_role(tapp):
    course = builders.course(roles=["technician"])
    with pytest.raises(BusinessRuleError) as refused:
        sessions.enrol(builders.session(course), factories.user(["finance"]))
    assert "technician" in refused.value.message
    assert sessions.enrol(builders.session(course), factories.user(["technician"])).status == "enrolled"


def test_t4_an_expired_prerequisite_certificate_does_not_count(tapp, clock):
    basics = builders.course(validity_months=1)
    advanced = builders.course(prerequisites=[basics])
    person = factories.user(["technician"])
    builders.certified(person, basics, clock)
    clock.advance(days=40)
    with pytest.raises(BusinessRuleError):
        sessions.enrol(builders.session(advanced), person)


def test_full_session_puts_people_on_the_waiting_list_and_promotes_them_when_a_seat_frees(tapp):
    given = builders.session(capacity=1)
    first, second, third = (factories.user(["technician"]) for _ in range(3))
    seated = sessions.enrol(given, first)
    waiting = sessions.enrol(given, second)
    last = sessions.enrol(given, third)
    assert (seated.status, waiting.status, last.status) == ("enrolled", "waiting", "waiting")
    assert sessions.waiting_position(last) == 2
    promoted = sessions.cancel(seated)
    assert promoted == [waiting] and waiting.status == EnrolmentStatus.ENROLLED
    assert sessions.waiting_position(last) == 1
    with pytest.raises(BusinessRuleError):
        sessions.enrol(given, second)  # already in


def test_raising_the_capacity_promotes_the_waiting_list(tapp):
    given = builders.session(capacity=1)
    sessions.enrol(given, factories.user(["technician"]))
    waiting = sessions.enrol(given, factories.user(["technician"]))
    sessions.schedule_session(given.course, starts_at=given.starts_at, place=given.place, capacity=2, session=given)
    assert waiting.status == EnrolmentStatus.ENROLLED


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="overbooking under concurrent requests is proven on PostgreSQL with real threads")
def test_concurrent_enrolments_never_overbook_a_session(tapp):
    given = builders.session(capacity=3)
    people = [factories.user(["technician"]).id for _ in range(12)]
    session_id = given.id
    barrier = threading.Barrier(len(people))
    errors = []

    def enrol(user_id):
        with tapp.app_context():
            try:
                barrier.wait()
                sessions.enrol(db.session.get(TrainingSession, session_id), db.session.get(User, user_id))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enrol, args=(uid,)) for uid in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    counts = dict(db.session.execute(
        select(Enrolment.status, func.count()).where(Enrolment.session_id == session_id).group_by(Enrolment.status)
    ).all())
    assert counts == {"enrolled": 3, "waiting": 9}


def test_passing_the_assessment_issues_a_certificate_with_its_validity(tapp, clock):
    course = builders.course(validity_months=12)
    person = factories.user(["technician"])
    certificate = builders.certified(person, course, clock, score=85)
    assert certificate.number.startswith("FC-2026-")
    assert certificate.valid_until == date(2027, certificate.issued_on.month, certificate.issued_on.day)
    failed = builders.session(course, days_ahead=1)
    enrolment = sessions.enrol(failed, factories.user(["technician"]))
    clock.advance(days=2)
    sessions.record_attendance(enrolment, True)
    assert sessions.record_assessment(enrolment, 50) is None and enrolment.passed is False


def test_assessment_needs_attendance_first(tapp, clock):
    given = builders.session(days_ahead=1)
    enrolment = sessions.enrol(given, factories.user(["technician"]))
    with pytest.raises(BusinessRuleError):
        sessions.record_attendance(enrolment, True)  # the session has not started
    clock.advance(days=2)
    with pytest.raises(BusinessRuleError) as refused:
        sessions.record_assessment(enrolment, 95)
    assert refused.value.field == "score"
    sessions.record_attendance(enrolment, False)
    with pytest.raises(BusinessRuleError):
        sessions.record_assessment(enrolment, 95)


def test_certificate_pdf_in_spanish_and_english(tapp, tclient, clock):
    person = factories.user(["technician"])
    certificate = builders.certified(person, builders.course(), clock)
    login(tclient, person.username)
    spanish = tclient.get(f"/training/certificates/{certificate.id}.pdf")
    english = tclient.get(f"/training/certificates/{certificate.id}.pdf?lang=en")
    assert spanish.status_code == english.status_code == 200
    assert spanish.data.startswith(b"%PDF") and english.data.startswith(b"%PDF")
    assert spanish.data != english.data


def test_reminder_job_marks_certificates_before_they_lapse_and_the_dashboard_shows_them(tapp, tclient, clock):
    person = factories.user(["technician"])
    certificate = builders.certified(person, builders.course(validity_months=3), clock)
    run_due_jobs(only="training.certificate_reminders")
    assert db.session.get(Certificate, certificate.id).reminded_on is None  # 3 months away, window is 60 days
    clock.advance(days=40)
    run_due_jobs(only="training.certificate_reminders")
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).reminded_on == clock().date()
    login(tclient, person.username)
    assert 'id="training-lapsing"' in tclient.get("/").get_data(as_text=True)


def test_session_page_forms_refuse_bad_input_next_to_the_field(tapp, tclient, clock):
    trainer = factories.user(["trainer"])
    course = builders.course()
    login(tclient, trainer.username)
    bad = tclient.post(f"/training/courses/{course.id}/sessions/new",
                       data={"starts_at": "2020-01-01T10:00", "place": "", "capacity": "0"})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert 'id="place-error"' in body and 'id="capacity-error"' in body
    past = tclient.post(f"/training/courses/{course.id}/sessions/new",
                        data={"starts_at": "2020-01-01T10:00", "place": "Aula 2", "capacity": "4"})
    assert past.status_code == 422 and 'id="starts_at-error"' in past.get_data(as_text=True)
    given = builders.session(course, days_ahead=1)
    person = factories.user(["technician"])
    enrolment = sessions.enrol(given, person)
    db.session.commit()
    clock.advance(days=2)
    tclient.post(f"/training/enrolments/{enrolment.id}/attendance", data={"attended": "1"})
    score = tclient.post(f"/training/enrolments/{enrolment.id}/assessment", data={"score": "140"},
                         headers={"HX-Request": "true"})
    assert score.status_code == 422 and "<html" not in score.get_data(as_text=True)
    assert 'class="error"' in score.get_data(as_text=True)


def test_enrolment_through_htmx_swaps_the_session_body(tapp, tclient):
    trainer = factories.user(["trainer"])
    basics = builders.course("BC-110")
    given = builders.session(builders.course(prerequisites=[basics]))
    person = factories.user(["technician"])
    login(tclient, trainer.username)
    refused = tclient.post(f"/training/sessions/{given.id}/enrol", data={"user_id": person.id},
                           headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "BC-110" in refused.get_data(as_text=True)


def test_session_page_issues_a_constant_number_of_queries(tapp, tclient, count_queries, clock):
    trainer = factories.user(["trainer"])
    login(tclient, trainer.username)

    def page_with(n):
        given = builders.session(capacity=n)
        for _ in range(n + 1):
            sessions.enrol(given, factories.user(["technician"]))
        db.session.commit()
        with count_queries() as counted:
            assert tclient.get(f"/training/sessions/{given.id}").status_code == 200
        return counted.count

    assert page_with(2) == page_with(25)
