"""Courses: the catalogue, the plan form, materials and the owner's review (T4)."""
from __future__ import annotations

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.auth.models import OrganisationKind, Role
from core.auth.permissions import requires
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import ActionForm, AnswerForm, CourseForm, MaterialForm
from ..models import Course, Material, PlanStatus, TrainingSession
from ..services import courses as service
from . import bp
from .common import load_course, organisations_of_kind, visible_courses

COURSE_PAGE = (selectinload(Course.syllabus), selectinload(Course.materials), selectinload(Course.prerequisites),
               joinedload(Course.owner))


@bp.route("/", endpoint="courses")
@requires("training.view")
def course_list():
    courses = db.session.scalars(
        visible_courses().options(joinedload(Course.owner)).order_by(Course.code)
    ).all()
    return render_page("training/courses.html", courses=courses)


def _course_form(course: Course | None = None) -> CourseForm:
    form = CourseForm(obj=course) if course is not None else CourseForm()
    form.owner_org_id.choices = [(0, gettext("No owner review (our own or dealers' course)"))] + \
        organisations_of_kind(OrganisationKind.CUSTOMER)
    form.required_roles.choices = [(name, name) for name in db.session.scalars(select(Role.name).order_by(Role.name))]
    others = select(Course.id, Course.code, Course.title).order_by(Course.code)
    if course is not None:
        others = others.where(Course.id != course.id)
    form.prerequisite_ids.choices = [(row.id, f"{row.code} {row.title}") for row in db.session.execute(others)]
    if course is not None and not form.is_submitted():
        form.owner_org_id.data = course.owner_org_id or 0
        form.syllabus.data = "\n".join(item.topic for item in course.syllabus)
        form.prerequisite_ids.data = [c.id for c in course.prerequisites]
    return form


def _save(course: Course | None):
    form = _course_form(course)
    if form.validate_on_submit():
        try:
            saved = service.save_course(
                course, code=form.code.data, title=form.title.data, hours=form.hours.data,
                audience=form.audience.data, syllabus=form.syllabus.data, description=form.description.data,
                product_family=form.product_family.data, required_roles=form.required_roles.data,
                prerequisite_ids=form.prerequisite_ids.data, validity_months=form.validity_months.data,
                owner_org_id=form.owner_org_id.data,
            )
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Course %(code)s saved.", code=saved.code), "success")
            return redirect(url_for("training.course", course_id=saved.id))
    return render_page("training/course_form.html", form=form, course=course, status=422 if form.errors else 200)


@bp.route("/courses/new", methods=["GET", "POST"])
@requires("training.manage")
def course_new():
    return _save(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@requires("training.manage")
def course_edit(course_id):
    course = load_course(course_id, COURSE_PAGE)
    if course.plan_status not in PlanStatus.EDITABLE:
        flash(gettext("A plan sent or approved cannot be changed."), "error")
        return redirect(url_for("training.course", course_id=course.id))
    return _save(course)


def show_course(course: Course, status: int = 200, **forms):
    sessions = db.session.scalars(
        select(TrainingSession).where(TrainingSession.course_id == course.id)
        .options(joinedload(TrainingSession.instructor)).order_by(TrainingSession.starts_at)
    ).all()
    return render_page(
        "training/course.html", course=course, sessions=sessions, status=status, may_answer=owner_may_answer(course),
        answer_form=forms.get("answer_form") or AnswerForm(),
        material_form=forms.get("material_form") or MaterialForm(),
        action_form=forms.get("action_form") or ActionForm(),
    )


@bp.route("/courses/<int:course_id>")
@requires("training.view")
def course(course_id):
    return show_course(load_course(course_id, COURSE_PAGE))


def _plan_action(course_id: int, action, message: str, form_name: str = "answer_form", form_cls=AnswerForm):
    course = load_course(course_id, COURSE_PAGE)
    form = form_cls()
    if form.validate_on_submit():
        try:
            action(course, form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            course = load_course(course_id, COURSE_PAGE)
            attach_error(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("training.course", course_id=course.id))
    return show_course(course, status=422, **{form_name: form})


@bp.route("/courses/<int:course_id>/send", methods=["POST"])
@requires("training.manage")
def course_send(course_id):
    return _plan_action(course_id, lambda course, form: service.send_plan(course),
                        gettext("Plan sent to the owner for review."), "action_form", ActionForm)


@bp.route("/courses/<int:course_id>/approve", methods=["POST"])
@requires("training.manage")
def course_approve(course_id):
    return _plan_action(course_id, lambda course, form: service.approve_internal_plan(course),
                        gettext("Plan approved."), "action_form", ActionForm)


@bp.route("/courses/<int:course_id>/answer", methods=["POST"])
@requires("training.review")
def course_answer(course_id):
    def answer(course, form):
        service.answer_plan(course, form.decision.data == "approve", form.comment.data)

    return _plan_action(course_id, answer, gettext("Your answer is recorded."))


@bp.route("/courses/<int:course_id>/materials", methods=["POST"])
@requires("training.manage")
def material_upload(course_id):
    def upload(course, form):
        data = form.file.data
        service.store_material(course, data.filename, data.mimetype, data.read())

    return _plan_action(course_id, upload, gettext("Material added."), "material_form", MaterialForm)


@bp.route("/materials/<int:material_id>")
@requires("training.view")
def material(material_id):
    item = db.session.get(Material, material_id)
    if item is None:
        abort(404)
    load_course(item.course_id)  # 404 unless the course is the user's to see
    return send_file(service.material_path_for(item.sha256), mimetype=item.content_type,
                     download_name=item.filename, as_attachment=True)


def owner_may_answer(course: Course) -> bool:
    """Whether the current user may answer this plan's review (its owner's people, or our staff for them)."""
    return course.plan_status == PlanStatus.SENT and current_user.can("training.review") and (
        current_user.is_internal or current_user.organisation_id == course.owner_org_id)
