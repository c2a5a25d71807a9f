"""T4: courses with syllabus, materials, hours and requirements; the plan reviewed by the owner."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.auth.models import OrganisationKind
from core.cases.models import TimelineEvent
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.training.models import Course, PlanStatus
from plugins.training.services import courses, sessions
from tests import factories
from tests.conftest import login

from . import builders


def _events(case_id):
    return [e.type for e in db.session.query(TimelineEvent).filter_by(case_id=case_id).order_by(TimelineEvent.id)]


def test_t4_plan_goes_from_draft_to_owner_approval_on_the_case_timeline(tapp):
    owner = factories.org(OrganisationKind.CUSTOMER, name="Hospital San Rafael")
    course = builders.course(owner=owner, approved=False)
    assert course.plan_status == PlanStatus.DRAFT and course.case is None
    assert [item.topic for item in course.syllabus] == ["Seguridad", "Puesta en marcha", "Averías frecuentes"]
    courses.send_plan(course)
    db.session.commit()
    assert course.plan_status == PlanStatus.SENT
    assert course.case.customer_id == owner.id
    courses.answer_plan(course, False, "Añadir una hora de prácticas")
    courses.save_course(course, code=course.code, title=course.title, hours="9", audience=course.audience,
                        syllabus="Seguridad\nPrácticas", owner_org_id=owner.id)
    courses.send_plan(course)
    courses.answer_plan(course, True)
    db.session.commit()
    assert course.plan_status == PlanStatus.APPROVED
    assert _events(course.case_id) == ["case.opened", "training.plan_sent", "training.plan_changes_requested",
                                       "training.plan_sent", "training.plan_approved"]


def test_t4_changes_requested_need_a_reason_and_sent_plans_are_frozen(tapp):
    course = builders.course(owner=factories.org(OrganisationKind.CUSTOMER), approved=False)
    courses.send_plan(course)
    with pytest.raises(BusinessRuleError) as refused:
        courses.answer_plan(course, False, "")
    assert refused.value.field == "comment"
    with pytest.raises(BusinessRuleError):
        courses.save_course(course, code=course.code, title="Otro", hours="4", audience=course.audience,
                            syllabus="x", owner_org_id=course.owner_org_id)


def test_t4_sessions_only_for_approved_plans_unless_the_policy_is_off(tapp, make_app):
    course = builders.course(owner=factories.org(OrganisationKind.CUSTOMER), approved=False)
    with pytest.raises(BusinessRuleError) as refused:
        sessions.schedule_session(course, starts_at=now() + timedelta(days=3), place="Aula", capacity=5)
    assert refused.value.field == "course_id"
    relaxed = make_app(["training"], POSTVENTA_POLICIES={"training.plan_review_required": False})
    with relaxed.app_context():
        again = db.session.get(Course, course.id)
        assert sessions.schedule_session(again, starts_at=now() + timedelta(days=3), place="Aula", capacity=5).id


def test_t4_material_kept_on_disk_by_checksum_within_size_and_type_limits(tapp, make_app):
    course = builders.course()
    material = courses.store_material(course, "manual.pdf", "application/pdf", b"%PDF-1.4 temario")
    db.session.commit()
    stored = Path(tapp.config["UPLOAD_FOLDER"]) / material.sha256[:2] / material.sha256
    assert stored.read_bytes() == b"%PDF-1.4 temario"
    with pytest.raises(BusinessRuleError) as wrong_type:
        courses.store_material(course, "x.exe", "application/x-msdownload", b"MZ")
    assert wrong_type.value.field == "file"
    small = make_app(["training"], POSTVENTA_POLICIES={"training.material_max_bytes": 4})
    with small.app_context():
        with pytest.raises(BusinessRuleError) as too_big:
            courses.store_material(db.session.get(Course, course.id), "a.pdf", "application/pdf", b"12345")
        assert too_big.value.field == "file"


def test_t4_course_form_refuses_bad_input_next_to_the_field(tapp, tclient):
    trainer = factories.user(["trainer"])
    builders.course(code="BC-101")
    login(tclient, trainer.username)
    answer = tclient.post("/training/courses/new", data={"code": "bc-101", "title": "Repetido", "hours": "abc",
                                                         "audience": "own_staff", "syllabus": ""})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert 'id="hours-error"' in body and 'id="syllabus-error"' in body
    assert 'value="Repetido"' in body  # what was typed is kept
    duplicate = tclient.post("/training/courses/new", data={"code": "bc-101", "title": "Repetido", "hours": "4",
                                                            "audience": "own_staff", "syllabus": "Uno"})
    assert duplicate.status_code == 422 and 'id="code-error"' in duplicate.get_data(as_text=True)


def test_t4_owner_answers_the_review_of_its_own_plan_only(tapp, tclient):
    owner = factories.org(OrganisationKind.CUSTOMER)
    other = factories.org(OrganisationKind.CUSTOMER)
    course = builders.course(owner=owner, approved=False)
    courses.send_plan(course)
    db.session.commit()
    stranger = factories.user(["customer"], organisation=other)
    login(tclient, stranger.username)
    assert tclient.get(f"/training/courses/{course.id}").status_code == 404
    assert tclient.post(f"/training/courses/{course.id}/answer", data={"decision": "approve"}).status_code == 404
    tclient.post("/logout")
    reviewer = factories.user(["customer"], organisation=owner)
    login(tclient, reviewer.username)
    assert course.code in tclient.get("/training/reviews").get_data(as_text=True)
    refused = tclient.post(f"/training/courses/{course.id}/answer", data={"decision": "changes", "comment": ""})
    assert refused.status_code == 422 and 'id="comment-error"' in refused.get_data(as_text=True)
    assert tclient.post(f"/training/courses/{course.id}/answer", data={"decision": "approve"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).plan_status == PlanStatus.APPROVED


def test_course_list_issues_a_constant_number_of_queries(tapp, tclient, count_queries):
    staff = factories.user(["trainer"])
    login(tclient, staff.username)
    owner = factories.org(OrganisationKind.CUSTOMER)
    for _ in range(2):
        builders.course(owner=owner)
    with count_queries() as few:
        assert tclient.get("/training/").status_code == 200
    for _ in range(20):
        builders.course(owner=factories.org(OrganisationKind.CUSTOMER))
    with count_queries() as many:
        assert tclient.get("/training/").status_code == 200
    assert few.count == many.count


def test_t4_review_case_shows_the_plan_under_review_to_its_owner(tapp, tclient):
    owner = factories.org(OrganisationKind.CUSTOMER)
    course = builders.course("OP-77", owner=owner, approved=False)
    courses.send_plan(course)
    db.session.commit()
    login(tclient, factories.user(["customer"], organisation=owner).username)
    page = tclient.get(f"/cases/{course.case_id}")
    assert page.status_code == 200 and 'id="training-review"' in page.get_data(as_text=True)
    assert f"/training/courses/{course.id}" in page.get_data(as_text=True)
