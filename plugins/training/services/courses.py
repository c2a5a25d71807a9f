"""Courses and their plans: syllabus, instructor materials, requirements, owner review (T4)."""
from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from core.audit import current_actor_id
from core.auth.models import Organisation, OrganisationKind
from core.cases import services as cases
from core.cases.models import CaseChannel
from core.cases.timeline import record
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import Audience, Course, Material, PlanStatus, SyllabusItem


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise BusinessRuleError(gettext("Give the training time in hours."), field="hours") from None
    if hours <= 0:
        raise BusinessRuleError(gettext("The training time must be more than zero hours."), field="hours")
    return hours


def _owner(owner_org_id) -> int | None:
    if not owner_org_id:
        return None
    owner = db.session.get(Organisation, int(owner_org_id))
    if owner is None or owner.kind != OrganisationKind.CUSTOMER:
        raise BusinessRuleError(gettext("The owner must be a customer."), field="owner_org_id")
    return owner.id


def _prerequisites(course: Course | None, ids) -> list[Course]:
    ids = {int(i) for i in ids or ()}
    if course is not None and course.id in ids:
        raise BusinessRuleError(gettext("A course cannot require itself."), field="prerequisite_ids")
    found = list(db.session.scalars(select(Course).where(Course.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise BusinessRuleError(gettext("Unknown prerequisite course."), field="prerequisite_ids")
    return found


def _syllabus(text: str) -> list[str]:
    topics = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not topics:
        raise BusinessRuleError(gettext("Write the syllabus: one topic per line."), field="syllabus")
    return topics


def save_course(course: Course | None, *, code: str, title: str, hours, audience: str, syllabus: str,
                description: str = "", product_family: str = "", required_roles=(), prerequisite_ids=(),
                validity_months=None, owner_org_id=None) -> Course:
    """Create a course or change one whose plan is still editable (draft or changes requested)."""
    code = (code or "").strip().upper()
    if not code:
        raise BusinessRuleError(gettext("A code is required."), field="code")
    clash = db.session.scalar(select(Course.id).where(func.upper(Course.code) == code))
    if clash is not None and (course is None or clash != course.id):
        raise BusinessRuleError(gettext("Another course already has this code."), field="code")
    if not (title or "").strip():
        raise BusinessRuleError(gettext("A title is required."), field="title")
    if audience not in Audience.ALL:
        raise BusinessRuleError(gettext("Choose the audience."), field="audience")
    if course is not None and course.plan_status not in PlanStatus.EDITABLE:
        raise BusinessRuleError(gettext("A plan sent or approved cannot be changed."), field="title")
    if validity_months not in (None, "") and int(validity_months) <= 0:
        raise BusinessRuleError(gettext("The validity must be at least one month."), field="validity_months")
    topics = _syllabus(syllabus)
    if course is None:
        course = Course(created_at=now(), plan_status=PlanStatus.DRAFT)
        db.session.add(course)
    course.code = code
    course.title = title.strip()
    course.hours = _hours(hours)
    course.audience = audience
    course.description = description or ""
    course.product_family = (product_family or "").strip()
    course.required_roles = sorted(set(required_roles or ()))
    course.validity_months = int(validity_months) if validity_months not in (None, "") else None
    course.owner_org_id = _owner(owner_org_id)
    course.prerequisites = _prerequisites(course if course.id else None, prerequisite_ids)
    course.syllabus = [SyllabusItem(position=i, topic=topic[:300]) for i, topic in enumerate(topics, 1)]
    db.session.flush()
    return course


def store_material(course: Course, filename: str, content_type: str, data: bytes) -> Material:
    """Keep an instructor's material on disk by checksum, within the T4 size and type policies."""
    filename = Path(filename or "").name[:255]
    if not filename or not data:
        raise BusinessRuleError(gettext("Choose a file to upload."), field="file")
    if len(data) > policy("training.material_max_bytes"):
        raise BusinessRuleError(gettext("The file is too large."), field="file")
    if content_type not in policy("training.material_types"):
        raise BusinessRuleError(gettext("This type of file is not accepted."), field="file")
    digest = hashlib.sha256(data).hexdigest()
    target = material_path_for(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)  # atomic: a reader never sees half a file
    material = Material(course_id=course.id, filename=filename, content_type=content_type, size=len(data),
                        sha256=digest, uploaded_by_id=current_actor_id(), uploaded_at=now())
    db.session.add(material)
    db.session.flush()
    return material


def material_path_for(digest: str) -> Path:
    """Where the bytes of a material with this checksum live (core's attachment layout)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / digest[:2] / digest


def _plan_payload(course: Course, comment: str = "") -> dict:
    return {"course_id": course.id, "code": course.code, "title": course.title, "comment": comment}


def send_plan(course: Course) -> None:
    """Send the course plan to its owner for review (T4), on the review case's timeline.

    The first sending opens a core case for the owner; a plan sent again after
    changes were requested lands on the same case.
    """
    if course.plan_status not in PlanStatus.EDITABLE:
        raise BusinessRuleError(gettext("Only a draft or a plan with requested changes can be sent."), field="comment")
    if course.owner_org_id is None:
        raise BusinessRuleError(gettext("Choose the owner who reviews this plan first."), field="comment")
    if course.case is None:
        course.case = cases.open_case(
            gettext("Training plan review %(code)s", code=course.code), course.owner_org_id,
            channel=CaseChannel.PORTAL, description=course.title,
        )
    course.plan_status = PlanStatus.SENT
    record(course.case, "training.plan_sent", _plan_payload(course))


def answer_plan(course: Course, approved: bool, comment: str = "") -> None:
    """Record the owner's answer: approved, or changes requested (a reason is then required)."""
    if course.plan_status != PlanStatus.SENT:
        raise BusinessRuleError(gettext("This plan is not waiting for review."), field="comment")
    comment = (comment or "").strip()
    if not approved and not comment:
        raise BusinessRuleError(gettext("Say which changes you need."), field="comment")
    course.plan_status = PlanStatus.APPROVED if approved else PlanStatus.CHANGES_REQUESTED
    event = "training.plan_approved" if approved else "training.plan_changes_requested"
    record(course.case, event, _plan_payload(course, comment))


def approve_internal_plan(course: Course) -> None:
    """A course without an owner (our staff's, dealers') is approved by our own staff."""
    if course.owner_org_id is not None:
        raise BusinessRuleError(gettext("This plan must be reviewed by its owner."), field="comment")
    if course.plan_status not in PlanStatus.EDITABLE:
        raise BusinessRuleError(gettext("This plan is already approved."), field="comment")
    course.plan_status = PlanStatus.APPROVED
