"""Sessions: scheduling, enrolment and the waiting list, attendance, assessment, invitations."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.auth.models import User
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import ActionForm, AssessmentForm, AttendanceForm, EnrolForm, InvitationForm, SessionForm
from ..models import Enrolment, EnrolmentStatus, Invitation, TrainingSession
from ..services import invitations
from ..services import sessions as service
from . import bp
from .common import load_course, load_session, people_choices, staff_choices, to_utc

SESSION_PAGE = (joinedload(TrainingSession.course), joinedload(TrainingSession.instructor),
                selectinload(TrainingSession.invitations))


@bp.route("/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@requires("training.manage")
def session_new(course_id):
    course = load_course(course_id)
    form = SessionForm()
    form.instructor_id.choices = [(0, "—")] + staff_choices()
    if form.validate_on_submit():
        try:
            session = service.schedule_session(course, starts_at=to_utc(form.starts_at.data), place=form.place.data,
                                               capacity=form.capacity.data, instructor_id=form.instructor_id.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Session scheduled."), "success")
            return redirect(url_for("training.session", session_id=session.id))
    return render_page("training/session_form.html", form=form, course=course, status=422 if form.errors else 200)


def session_context(session: TrainingSession, **forms) -> dict:
    enrolments = db.session.scalars(
        scoped(select(Enrolment), Enrolment.org_id)
        .where(Enrolment.session_id == session.id, Enrolment.status != EnrolmentStatus.CANCELLED)
        .options(joinedload(Enrolment.user).joinedload(User.organisation), joinedload(Enrolment.certificate))
        .order_by(Enrolment.requested_at, Enrolment.id)
    ).all()
    enrol_form = forms.get("enrol_form") or EnrolForm()
    enrol_form.user_id.choices = people_choices()
    return dict(
        session=session, course=session.course, status=forms.get("status", 200),
        enrolled=[e for e in enrolments if e.status == EnrolmentStatus.ENROLLED],
        waiting=[e for e in enrolments if e.status == EnrolmentStatus.WAITING],
        seats_taken=service.seats_taken(session.id),
        enrol_form=enrol_form, action_form=ActionForm(),
        invitation_form=forms.get("invitation_form") or InvitationForm(),
        attendance_form=AttendanceForm(), assessment_form=AssessmentForm(),
        error_enrolment_id=forms.get("error_enrolment_id"), row_form=forms.get("row_form"),
        complete_form=forms.get("complete_form") or ActionForm(),
    )


def show_session(session: TrainingSession, fragment: bool = False, **forms):
    context = session_context(session, **forms)
    return render_page("training/session.html", "training/_session_body.html" if fragment else None, **context)


@bp.route("/sessions/<int:session_id>")
@requires("training.view")
def session(session_id):
    return show_session(load_session(session_id, SESSION_PAGE))


def _session_action(session: TrainingSession, form, form_name: str, action, message: str, **extra):
    """Run one action of the session page; answer the refreshed body (htmx) or a redirect, or 422 with errors."""
    if form.validate_on_submit():
        try:
            note = action(form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if not request.htmx:
                flash(note if isinstance(note, str) else message, "success")
                return redirect(url_for("training.session", session_id=session.id))
            return show_session(load_session(session.id, SESSION_PAGE), fragment=True)
    session = load_session(session.id, SESSION_PAGE)
    return show_session(session, fragment=True, status=422, **{form_name: form}, **extra)


@bp.route("/sessions/<int:session_id>/enrol", methods=["POST"])
@requires("training.enrol")
def session_enrol(session_id):
    session = load_session(session_id, SESSION_PAGE)
    form = EnrolForm()
    form.user_id.choices = people_choices()

    def enrol(form):
        person = db.session.get(User, form.user_id.data)
        enrolment = service.enrol(session, person)
        if enrolment.status == EnrolmentStatus.WAITING:
            return gettext("The session is full: %(name)s is number %(n)d on the waiting list.",
                           name=person.display_name, n=service.waiting_position(enrolment))
        return gettext("%(name)s is enrolled.", name=person.display_name)

    return _session_action(session, form, "enrol_form", enrol, "")


def load_enrolment(enrolment_id: int) -> Enrolment:
    """An enrolment of the user's organisation (any for staff) whose session they may see."""
    enrolment = get_scoped_or_404(Enrolment, enrolment_id, Enrolment.org_id)
    load_session(enrolment.session_id)
    return enrolment


@bp.route("/enrolments/<int:enrolment_id>/cancel", methods=["POST"])
@requires("training.enrol")
def enrolment_cancel(enrolment_id):
    enrolment = load_enrolment(enrolment_id)
    session = load_session(enrolment.session_id, SESSION_PAGE)

    def cancel(form):
        promoted = service.cancel(enrolment)
        if promoted:
            return gettext("Cancelled; %(name)s takes the seat from the waiting list.",
                           name=promoted[0].user.display_name)
        return gettext("Enrolment cancelled.")

    return _session_action(session, ActionForm(), "action_form", cancel, "")


def _row_action(enrolment_id: int, form_cls, action, message: str):
    enrolment = load_enrolment(enrolment_id)
    session = load_session(enrolment.session_id, SESSION_PAGE)
    form = form_cls()
    return _session_action(session, form, "row_form", lambda f: action(enrolment, f), message,
                           error_enrolment_id=enrolment.id)


@bp.route("/enrolments/<int:enrolment_id>/attendance", methods=["POST"])
@requires("training.manage")
def enrolment_attendance(enrolment_id):
    return _row_action(enrolment_id, AttendanceForm,
                       lambda e, f: service.record_attendance(e, f.attended.data == "1"),
                       gettext("Attendance recorded."))


@bp.route("/enrolments/<int:enrolment_id>/assessment", methods=["POST"])
@requires("training.manage")
def enrolment_assessment(enrolment_id):
    def assess(enrolment, form):
        certificate = service.record_assessment(enrolment, form.score.data)
        if certificate is not None:
            return gettext("Passed: certificate %(number)s issued.", number=certificate.number)
        return gettext("Assessment recorded: not passed.")

    return _row_action(enrolment_id, AssessmentForm, assess, "")


@bp.route("/sessions/<int:session_id>/invite", methods=["POST"])
@requires("training.manage")
def session_invite(session_id):
    session = load_session(session_id, SESSION_PAGE)
    form = InvitationForm()
    return _session_action(
        session, form, "invitation_form",
        lambda f: invitations.invite(kind=f.kind.data, name=f.name.data, company=f.company.data,
                                     phone=f.phone.data, session=session),
        gettext("Invitation recorded."))


@bp.route("/sessions/<int:session_id>/complete", methods=["POST"])
@requires("training.manage")
def session_complete(session_id):
    session = load_session(session_id, SESSION_PAGE)
    return _session_action(session, ActionForm(), "complete_form",
                           lambda f: service.complete_session(session), gettext("Session completed."))


@bp.route("/invitations/<int:invitation_id>/attendance", methods=["POST"])
@requires("training.manage")
def invitation_attendance(invitation_id):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not current_user.is_internal:
        abort(404)
    form = AttendanceForm()
    if form.validate_on_submit():
        invitations.record_attendance(invitation, form.attended.data == "1")
        db.session.commit()
        flash(gettext("Attendance recorded."), "success")
    if invitation.session_id:
        return redirect(url_for("training.session", session_id=invitation.session_id))
    return redirect(url_for("training.manual", manual_id=invitation.manual_id))
